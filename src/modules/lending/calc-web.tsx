import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import {
  Button,
  Card,
  type Column,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatNumber,
  formatRupiah,
  PageHeader,
  SelectField,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import type { FormErrors } from '../../platform/web/page.js';
import { todayWib } from '../books/service.js';
import {
  annualRateFromMonthly,
  buildSchedule,
  type Installment,
  isValidDate,
  LOAN_METHODS,
  type LoanMethod,
  parseRatePercent,
  type ScheduleInput,
} from './calc.js';
import { MAX_ANNUAL_RATE, MAX_PRINCIPAL, MAX_ROUNDING_UNIT, MAX_TERM } from './calc-api.js';

/**
 * The public loan calculator at /kalkulator-pinjaman: a plain GET form (works without JavaScript)
 * whose answer is the schedule of calc.ts's buildSchedule — the same function as
 * POST /api/v1/loans/schedule-preview — with totals and a short explanation of the methods.
 */

export const CALCULATOR_PATH = '/kalkulator-pinjaman';
const FIELDS = ['principal', 'rate', 'ratePeriod', 'termMonths', 'method', 'startDate', 'roundingUnit'] as const;
type Values = Partial<Record<(typeof FIELDS)[number], string>>;

const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));
const tk = (t: Translate, key: string, params?: Record<string, string | number | bigint>) => t(key as MessageKey, params);

/** "10.000.000", "Rp 10.000.000", "10,000,000", "10000000" → 10000000n; anything else → null. */
function parseWholeRupiah(s: string | undefined): bigint | null {
  if (!s) return null;
  const digits = s.replace(/^rp\.?\s*/i, '').replace(/[.,\s]/g, '');
  if (!/^[0-9]{1,16}$/.test(digits)) return null;
  return BigInt(digits);
}

/** A rate as typed by a person: "1,5" or "1.5" (one decimal separator) → "1.5"; null when not a number. */
function normaliseRate(s: string | undefined): string | null {
  if (!s) return null;
  const text = s.trim().replace(/%$/, '').trim().replace(',', '.');
  return parseRatePercent(text) ? text : null;
}

/** The form's values → the schedule input, or the inline errors (field → message key). */
export function readCalculatorForm(v: Values): { ok: true; input: ScheduleInput } | { ok: false; errors: Record<string, MessageKey> } {
  const errors: Record<string, MessageKey> = {};
  const principal = parseWholeRupiah(v.principal);
  if (principal === null || principal < 1n || principal > BigInt(MAX_PRINCIPAL)) errors.principal = 'lendingCalc.err.principal';
  const rateText = normaliseRate(v.rate);
  const annual = rateText === null ? null : v.ratePeriod === 'month' ? annualRateFromMonthly(rateText) : rateText;
  const annualRate = annual === null ? null : parseRatePercent(annual);
  if (annual === null || !annualRate || annualRate.num > MAX_ANNUAL_RATE * annualRate.den) errors.rate = 'lendingCalc.err.rate';
  const term = /^[0-9]{1,3}$/.test(v.termMonths ?? '') ? Number(v.termMonths) : Number.NaN;
  if (!(term >= 1 && term <= MAX_TERM)) errors.termMonths = 'lendingCalc.err.term';
  const method = LOAN_METHODS.find((m) => m === v.method);
  if (!method) errors.method = 'lendingCalc.err.method';
  if (!isValidDate(v.startDate ?? '')) errors.startDate = 'lendingCalc.err.startDate';
  const unit = v.roundingUnit ? parseWholeRupiah(v.roundingUnit) : 1n;
  if (unit === null || unit < 1n || unit > BigInt(MAX_ROUNDING_UNIT)) errors.roundingUnit = 'lendingCalc.err.roundingUnit';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      principal: principal!,
      annualRatePercent: annual!,
      termMonths: term,
      method: method as LoanMethod,
      startDate: v.startDate!,
      roundingUnit: unit!,
    },
  };
}

function valuesOf(req: FastifyRequest): Values {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const out: Values = {};
  for (const f of FIELDS) {
    const v = q[f];
    if (typeof v === 'string') out[f] = v.trim().slice(0, 60);
  }
  return out;
}

const dateOf = (iso: string) => new Date(`${iso}T00:00:00+07:00`);

export async function calcWeb(app: FastifyInstance) {
  app.nav.add({ href: CALCULATOR_PATH, label: 'lendingCalc.nav', audience: 'public', order: 6 });

  app.get(CALCULATOR_PATH, { schema: { hide: true } }, async (req, reply) => {
    const page = req.page(reply);
    const { t, locale } = page;
    const values = valuesOf(req);
    const submitted = values.principal !== undefined || values.rate !== undefined || values.termMonths !== undefined;
    let errors: FormErrors = {};
    let result: { input: ScheduleInput; schedule: ReturnType<typeof buildSchedule> } | null = null;
    if (submitted) {
      const read = readCalculatorForm(values);
      if (read.ok) result = { input: read.input, schedule: buildSchedule(read.input) };
      else errors = Object.fromEntries(Object.entries(read.errors).map(([k, m]) => [k, t(m)]));
    }
    const shown: Values = { ratePeriod: 'year', method: 'anuitas', startDate: todayWib(), ...values };

    const cols: Column<Installment>[] = [
      { key: 'number', label: t('lendingCalc.col.number'), render: (i) => e(i.number), class: 'num' },
      { key: 'dueDate', label: t('lendingCalc.col.dueDate'), render: (i) => e(formatDate(dateOf(i.dueDate), locale)) },
      { key: 'principal', label: t('lendingCalc.col.principal'), render: (i) => e(formatRupiah(i.principal)), class: 'num' },
      { key: 'interest', label: t('lendingCalc.col.interest'), render: (i) => e(formatRupiah(i.interest)), class: 'num' },
      { key: 'total', label: t('lendingCalc.col.total'), render: (i) => e(formatRupiah(i.total)), class: 'num' },
      { key: 'balance', label: t('lendingCalc.col.balance'), render: (i) => e(formatRupiah(i.balance)), class: 'num' },
    ];

    const body = (
      <Layout page={page} title={t('lendingCalc.title')} description={t('lendingCalc.subtitle')}>
        <PageHeader title={t('lendingCalc.title')} subtitle={t('lendingCalc.subtitle')} />
        <Card title={t('lendingCalc.formTitle')}>
          <ErrorSummary t={t} errors={errors} />
          <Form action={CALCULATOR_PATH} method="get" novalidate class="form-narrow">
            <TextField
              name="principal"
              label={t('lendingCalc.principal')}
              hint={t('lendingCalc.principalHint')}
              value={shown.principal}
              error={errors.principal}
              inputmode="numeric"
              required
              maxlength={24}
            />
            <TextField
              name="rate"
              label={t('lendingCalc.rate')}
              hint={t('lendingCalc.rateHint')}
              value={shown.rate}
              error={errors.rate}
              inputmode="decimal"
              required
              maxlength={20}
            />
            <SelectField
              name="ratePeriod"
              label={t('lendingCalc.ratePeriod')}
              value={shown.ratePeriod === 'month' ? 'month' : 'year'}
              options={[
                { value: 'year', label: t('lendingCalc.ratePeriod.year') },
                { value: 'month', label: t('lendingCalc.ratePeriod.month') },
              ]}
            />
            <TextField
              name="termMonths"
              label={t('lendingCalc.term')}
              value={shown.termMonths}
              error={errors.termMonths}
              inputmode="numeric"
              required
              maxlength={3}
            />
            <SelectField
              name="method"
              label={t('lendingCalc.method')}
              value={shown.method}
              error={errors.method}
              required
              options={LOAN_METHODS.map((m) => ({ value: m, label: tk(t, `lendingCalc.method.${m}`) }))}
            />
            <TextField
              name="startDate"
              type="date"
              label={t('lendingCalc.startDate')}
              hint={t('lendingCalc.startDateHint')}
              value={shown.startDate}
              error={errors.startDate}
              required
            />
            <TextField
              name="roundingUnit"
              label={t('lendingCalc.roundingUnit')}
              hint={t('lendingCalc.roundingUnitHint')}
              value={shown.roundingUnit}
              error={errors.roundingUnit}
              inputmode="numeric"
              maxlength={16}
            />
            <div class="form-actions">
              <Button>{e(t('lendingCalc.submit'))}</Button>
            </div>
          </Form>
        </Card>
        {result ? <ScheduleResult t={t} locale={locale} result={result} cols={cols} /> : ''}
        <Card title={t('lendingCalc.explainTitle')}>
          <ul class="plain-list">
            <li>{e(t('lendingCalc.explain.flat'))}</li>
            <li>{e(t('lendingCalc.explain.efektif'))}</li>
            <li>{e(t('lendingCalc.explain.anuitas'))}</li>
            <li>{e(t('lendingCalc.explain.rounding'))}</li>
          </ul>
          <p class="muted">{e(t('lendingCalc.disclaimer'))}</p>
        </Card>
      </Layout>
    );
    return reply
      .status(submitted && !result ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(body);
  });
}

function ScheduleResult(p: {
  t: Translate;
  locale: 'id' | 'en';
  result: { input: ScheduleInput; schedule: ReturnType<typeof buildSchedule> };
  cols: Column<Installment>[];
}) {
  const { t, locale } = p;
  const { input, schedule } = p.result;
  const n = schedule.installments.length;
  const methodLabel = tk(t, `lendingCalc.method.${input.method}`);
  return (
    <section class="card" aria-labelledby="schedule-title" id="jadwal">
      <h2 class="card-title" id="schedule-title">
        {e(t('lendingCalc.scheduleTitle'))}
      </h2>
      <p>
        {e(
          t('lendingCalc.effectiveAnnual', { rate: locale === 'id' ? input.annualRatePercent.replace('.', ',') : input.annualRatePercent }),
        )}
      </p>
      {n < input.termMonths ? <p class="hint">{e(t('lendingCalc.endsEarly', { n: formatNumber(n, locale) }))}</p> : ''}
      <ul class="stats">
        <li class="stat">
          <span class="stat-label">{e(t('lendingCalc.totalPrincipal'))}</span>
          <span class="stat-value">{e(formatRupiah(schedule.totalPrincipal))}</span>
        </li>
        <li class="stat">
          <span class="stat-label">{e(t('lendingCalc.totalInterest'))}</span>
          <span class="stat-value">{e(formatRupiah(schedule.totalInterest))}</span>
        </li>
        <li class="stat">
          <span class="stat-label">{e(t('lendingCalc.totalPaid'))}</span>
          <span class="stat-value">{e(formatRupiah(schedule.totalPrincipal + schedule.totalInterest))}</span>
        </li>
      </ul>
      <DataTable
        caption={t('lendingCalc.caption', { method: methodLabel, n: formatNumber(n, locale) })}
        columns={p.cols}
        rows={schedule.installments}
        baseUrl={CALCULATOR_PATH}
        query={{}}
        t={t}
        emptyState={<EmptyState title={t('lendingCalc.scheduleTitle')} body={t('lendingCalc.subtitle')} />}
      />
    </section>
  );
}
