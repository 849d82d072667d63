import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organizationsFor } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { validate } from '../../platform/validation.js';
import {
  Badge,
  type BadgeTone,
  Button,
  Card,
  CheckboxField,
  type Column,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatRupiah,
  LinkButton,
  PageHeader,
  Pagination,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import { type FormErrors, formErrors, type PageContext } from '../../platform/web/page.js';
import { accessTo, featuresOf, getOwnMember, listMembers } from '../books/service.js';
import { BooksPage, html, isDate, koperasiName, parseRupiah, queryOf, requireLogin, UUID, userError } from '../books/web.js';
import {
  AnalysisInput,
  DisburseInput,
  EARLY_PAYOFF_RULES,
  LOAN_STATUSES,
  LoanInput,
  METHODS,
  PayoffInput,
  PENALTY_MODES,
  ProductInput,
  ProductPatch,
  ReasonInput,
  RepaymentInput,
  RescheduleInput,
  WriteoffInput,
} from './schemas.js';
import * as svc from './service.js';

/**
 * Web pages of cooperative lending: the loans of a koperasi (pengurus, dinas read-only), loan
 * products, an application form, a loan page with every step of its lifecycle, the aging report,
 * and "Pinjaman saya" for members. Every route goes through the lending service with req.ctx;
 * another koperasi's loan is a 404 page. Form errors come back inline with the service's status.
 */

const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));
type Values = Record<string, string>;
const PAGE_SIZE = 25;
const tk = (t: Translate, key: string, params?: Record<string, string | number | bigint>) => t(key as MessageKey, params);
const day = (d: string | null, locale: PageContext['locale']) => (d ? formatDate(new Date(`${d}T00:00:00+07:00`), locale) : '');

function bodyOf(req: FastifyRequest): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
    if (typeof v === 'string' && k !== '_csrf') out[k] = v.trim();
  return out;
}

function ids(req: FastifyRequest) {
  const p = req.params as { id: string; loanId?: string; productId?: string };
  for (const v of [p.id, p.loanId, p.productId]) if (v !== undefined && !UUID.test(v)) throw notFound();
  return p;
}

export const statusTone = (s: string): BadgeTone =>
  s === 'aktif'
    ? 'info'
    : s === 'lunas'
      ? 'success'
      : s === 'diajukan' || s === 'disetujui'
        ? 'warning'
        : s === 'ditolak' || s === 'dihapusbukukan'
          ? 'danger'
          : 'neutral';
export const kolTone = (k: string): BadgeTone => (k === 'lancar' ? 'success' : k === 'kurang_lancar' ? 'warning' : 'danger');
const kolLabel = (t: Translate, k: string) => {
  const key = `lending.kol.${k}`;
  const text = tk(t, key);
  return text === key ? k.replace(/_/g, ' ') : text;
};

/** Rupiah text field value → integer, or the key of the error. */
function money(v: string | undefined): number | null {
  const n = parseRupiah(v);
  return n === null || n <= 0 ? null : n;
}

/** "1,5" or "1.5" → "1.5"; empty → undefined. */
const percent = (v: string | undefined) => (v === undefined || v === '' ? undefined : v.replace(',', '.'));

function LoanStatus(p: { t: Translate; status: string }) {
  return <Badge tone={statusTone(p.status)}>{e(tk(p.t, `lending.status.${p.status}`))}</Badge>;
}

function Kol(p: { t: Translate; code: string }) {
  return <Badge tone={kolTone(p.code)}>{e(kolLabel(p.t, p.code))}</Badge>;
}

function LendingNav(p: { t: Translate; id: string; current: string; manage: boolean }) {
  const links: [string, string][] = [
    ['', 'lending.w.loans'],
    ['/tunggakan', 'lending.w.aging'],
    ['/produk', 'lending.w.products'],
  ];
  if (p.manage) links.push(['/baru', 'lending.w.apply']);
  return (
    <nav aria-label={p.t('lending.w.loans')}>
      <ul class="books-tabs">
        {links.map(([path, key]) => (
          <li>
            <a
              href={`/koperasi/${p.id}/pinjaman${path}`}
              class={`btn btn-small ${path === p.current ? 'btn-primary' : 'btn-secondary'}`}
              aria-current={path === p.current ? 'page' : undefined}
            >
              {e(tk(p.t, key))}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Server-rendered bar chart of outstanding principal per kolektibilitas band (with a table alternative on the page). */
function AgingChart(p: { t: Translate; bands: svc.AgingBand[] }) {
  // biome-ignore lint/complexity/useMathMinMax: bigint amounts (Math.max takes numbers)
  const max = p.bands.reduce((m, b) => (b.principal > m ? b.principal : m), 0n);
  const w = 320;
  const rowH = 34;
  const h = p.bands.length * rowH + 8;
  const colors: Record<string, string> = { lancar: '#1b7f4d', kurang_lancar: '#a15c00', diragukan: '#b3261e', macet: '#7a1410' };
  return (
    <svg viewBox={`0 0 ${w + 140} ${h}`} role="img" aria-labelledby="aging-title aging-desc" class="chart" width="100%">
      <title id="aging-title">{e(p.t('lending.w.agingChart'))}</title>
      <desc id="aging-desc">{e(p.bands.map((b) => `${kolLabel(p.t, b.code)}: ${formatRupiah(b.principal)}`).join('; '))}</desc>
      {p.bands.map((b, i) => {
        const bw = max === 0n ? 0 : Number((b.principal * BigInt(w)) / max);
        return (
          <g>
            <text x="0" y={String(i * rowH + 22)} font-size="13" fill="#1f2933">
              {e(kolLabel(p.t, b.code))}
            </text>
            <rect x="120" y={String(i * rowH + 8)} width={String(Math.max(bw, 2))} height="20" fill={colors[b.code] ?? '#3d5a80'} rx="3" />
          </g>
        );
      })}
    </svg>
  );
}

function ScheduleTable(p: { page: PageContext; loan: svc.LoanJson }) {
  const { t, locale } = p.page;
  type Row = svc.LoanJson['schedule'][number];
  const cols: Column<Row>[] = [
    { key: 'no', label: t('lending.w.installmentNo'), class: 'num', render: (r) => String(r.number) },
    { key: 'due', label: t('lending.w.dueDate'), render: (r) => e(day(r.dueDate, locale)) },
    { key: 'principal', label: t('lending.w.principal'), class: 'num', render: (r) => formatRupiah(r.principal) },
    { key: 'interest', label: t('lending.w.interest'), class: 'num', render: (r) => formatRupiah(r.interest) },
    { key: 'total', label: t('lending.w.installment'), class: 'num', render: (r) => formatRupiah(r.total) },
    { key: 'penalty', label: t('lending.w.penalty'), class: 'num', render: (r) => (r.penalty ? formatRupiah(r.penalty) : '–') },
    {
      key: 'paid',
      label: t('lending.w.paid'),
      class: 'num',
      render: (r) => formatRupiah(r.paidPrincipal + r.paidInterest + r.paidPenalty),
    },
    { key: 'owed', label: t('lending.w.owed'), class: 'num', render: (r) => formatRupiah(r.owed) },
    {
      key: 'state',
      label: t('lending.w.state'),
      render: (r) => (
        <Badge tone={r.state === 'lunas' ? 'success' : r.state === 'terlambat' ? 'danger' : 'neutral'}>
          {e(tk(t, `lending.w.state.${r.state}`))}
        </Badge>
      ),
    },
  ];
  return (
    <DataTable
      caption={t('lending.w.schedule')}
      columns={cols}
      rows={p.loan.schedule}
      baseUrl=""
      query={{}}
      t={t}
      emptyState={<EmptyState title={t('lending.w.noSchedule')} body={t('lending.w.noScheduleBody')} />}
    />
  );
}

function LoanFacts(p: { page: PageContext; loan: svc.LoanJson }) {
  const { t, locale } = p.page;
  const l = p.loan;
  return (
    <ul class="stats">
      <li class="stat">
        <span class="stat-label">{e(t('lending.w.principal'))}</span>
        <span class="stat-value">{formatRupiah(l.principal)}</span>
      </li>
      <li class="stat">
        <span class="stat-label">{e(t('lending.w.termRate'))}</span>
        <span class="stat-value">
          {e(
            t('lending.w.termRateValue', {
              term: l.termMonths,
              rate: String(l.annualRatePercent).replace('.', ','),
              method: tk(t, `lending.method.${l.method}`),
            }),
          )}
        </span>
      </li>
      <li class="stat">
        <span class="stat-label">{e(t('lending.w.outstandingPrincipal'))}</span>
        <span class="stat-value">{formatRupiah(l.outstanding.principal)}</span>
      </li>
      <li class="stat">
        <span class="stat-label">{e(t('lending.w.dueNow'))}</span>
        <span class="stat-value">{formatRupiah(l.dueNow.total)}</span>
      </li>
      <li class="stat">
        <span class="stat-label">{e(t('lending.w.daysPastDue'))}</span>
        <span class="stat-value">
          {e(String(l.daysPastDue))} {l.status === 'aktif' ? <Kol t={t} code={l.kolektibilitas} /> : ''}
        </span>
      </li>
      {l.disbursedOn ? (
        <li class="stat">
          <span class="stat-label">{e(t('lending.w.disbursedOn'))}</span>
          <span class="stat-value">{e(day(l.disbursedOn, locale))}</span>
        </li>
      ) : (
        ''
      )}
    </ul>
  );
}

// ---------------------------------------------------------------------------------------------

export async function lendingWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };

  const features = async (id: string) => featuresOf(db(), id);

  // --- loans list ---------------------------------------------------------------------------

  app.get('/koperasi/:id/pinjaman', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = ids(req);
    if (accessTo(req.ctx, id) === 'member') return reply.redirect('/anggota/saya/pinjaman', 303);
    const q = queryOf(req);
    const status = (LOAN_STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as (typeof LOAN_STATUSES)[number]) : undefined;
    const pageNo = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const kolektibilitas = q.kol && /^[a-z_]{2,40}$/.test(q.kol) ? q.kol : undefined;
    const r = await svc.listLoans(db(), req.ctx, id, { status, kolektibilitas, page: pageNo, pageSize: PAGE_SIZE });
    const kopName = await koperasiName(app, req.ctx, id);
    const f = await features(id);
    const page = req.page(reply);
    const { t, locale } = page;
    const manage = accessTo(req.ctx, id) === 'manage';
    const base = `/koperasi/${id}/pinjaman`;
    const cols: Column<svc.LoanRow>[] = [
      { key: 'no', label: t('lending.w.loanNo'), class: 'num', render: (l) => <a href={`${base}/${l.id}`}>{e(l.number)}</a> },
      { key: 'member', label: t('lending.w.member'), render: (l) => e(`${l.member_name} (${l.member_number})`) },
      { key: 'product', label: t('lending.w.product'), render: (l) => e(l.product_name) },
      { key: 'principal', label: t('lending.w.principal'), class: 'num', render: (l) => formatRupiah(l.principal) },
      {
        key: 'outstanding',
        label: t('lending.w.outstandingPrincipal'),
        class: 'num',
        render: (l) => formatRupiah(l.principal_outstanding),
      },
      { key: 'status', label: t('lending.w.status'), render: (l) => <LoanStatus t={t} status={l.status} /> },
      {
        key: 'kol',
        label: t('lending.w.kolektibilitas'),
        render: (l) => (l.status === 'aktif' ? <Kol t={t} code={l.kolektibilitas} /> : ''),
      },
      { key: 'date', label: t('lending.w.appliedOn'), render: (l) => e(day(l.applied_on, locale)) },
    ];
    const query = { status, kol: kolektibilitas };
    return html(
      reply,
      200,
      <BooksPage page={page} id={id} kopName={kopName} tab="pinjaman" title={t('lending.w.loans')} features={f}>
        {f.pinjaman ? '' : <p class="field-hint">{e(t('lending.w.featureOff'))}</p>}
        <LendingNav t={t} id={id} current="" manage={manage} />
        <Form action={base} method="get" class="filters">
          <SelectField
            name="status"
            label={t('lending.w.status')}
            value={status ?? ''}
            placeholder={t('lending.w.allStatuses')}
            options={LOAN_STATUSES.map((s) => ({ value: s, label: tk(t, `lending.status.${s}`) }))}
          />
          <Button variant="secondary">{e(t('lending.w.show'))}</Button>
        </Form>
        <DataTable
          caption={t('lending.w.loans')}
          columns={cols}
          rows={r.items}
          baseUrl={base}
          query={query}
          t={t}
          emptyState={
            <EmptyState
              title={t('lending.w.noLoans')}
              body={t(manage ? 'lending.w.noLoansBodyManage' : 'lending.w.noLoansBody')}
              action={manage ? { href: `${base}/baru`, label: t('lending.w.apply') } : undefined}
            />
          }
        />
        <Pagination page={pageNo} pageSize={PAGE_SIZE} total={r.total} baseUrl={base} query={query} t={t} />
      </BooksPage>,
    );
  });

  // --- aging --------------------------------------------------------------------------------

  app.get('/koperasi/:id/pinjaman/tunggakan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = ids(req);
    const q = queryOf(req);
    const asOf = isDate(q.asOf) ? q.asOf : svc.todayWibText();
    const r = await svc.agingReport(db(), req.ctx, id, asOf);
    const kopName = await koperasiName(app, req.ctx, id);
    const f = await features(id);
    const page = req.page(reply);
    const { t } = page;
    const manage = accessTo(req.ctx, id) === 'manage';
    type Band = svc.AgingBand;
    const bandCols: Column<Band>[] = [
      { key: 'band', label: t('lending.w.kolektibilitas'), render: (b) => <Kol t={t} code={b.code} /> },
      {
        key: 'days',
        label: t('lending.w.daysRange'),
        render: (b) => e(b.maxDays === null ? `> ${b.minDays - 1}` : `${b.minDays}–${b.maxDays}`),
      },
      { key: 'loans', label: t('lending.w.loanCount'), class: 'num', render: (b) => e(b.loans) },
      { key: 'principal', label: t('lending.w.outstandingPrincipal'), class: 'num', render: (b) => formatRupiah(b.principal) },
    ];
    type L = (typeof r.loans)[number];
    const loanCols: Column<L>[] = [
      {
        key: 'no',
        label: t('lending.w.loanNo'),
        class: 'num',
        render: (l) => <a href={`/koperasi/${id}/pinjaman/${l.id}`}>{e(l.number)}</a>,
      },
      { key: 'member', label: t('lending.w.member'), render: (l) => e(`${l.member_name} (${l.member_number})`) },
      { key: 'dpd', label: t('lending.w.daysPastDue'), class: 'num', render: (l) => e(l.days_past_due) },
      { key: 'kol', label: t('lending.w.kolektibilitas'), render: (l) => <Kol t={t} code={l.kolektibilitas} /> },
      { key: 'principal', label: t('lending.w.outstandingPrincipal'), class: 'num', render: (l) => formatRupiah(l.principal_outstanding) },
    ];
    const ratio = (part: bigint) =>
      r.totalPrincipal === 0n
        ? '0'
        : (Number((part * 10000n) / r.totalPrincipal) / 100).toFixed(2).replace('.', page.locale === 'id' ? ',' : '.');
    return html(
      reply,
      200,
      <BooksPage page={page} id={id} kopName={kopName} tab="pinjaman" title={t('lending.w.aging')} features={f}>
        <LendingNav t={t} id={id} current="/tunggakan" manage={manage} />
        <Form action={`/koperasi/${id}/pinjaman/tunggakan`} method="get" class="filters">
          <TextField name="asOf" label={t('lending.w.asOf')} type="date" value={asOf} />
          <Button variant="secondary">{e(t('lending.w.show'))}</Button>
        </Form>
        <Card title={t('lending.w.agingChart')}>
          <AgingChart t={t} bands={r.bands} />
          <ul class="stats">
            <li class="stat">
              <span class="stat-label">{e(t('lending.w.portfolio'))}</span>
              <span class="stat-value">{formatRupiah(r.totalPrincipal)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('lending.w.nonCurrent'))}</span>
              <span class="stat-value">{e(`${ratio(r.nonCurrentPrincipal)}%`)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('lending.w.npl'))}</span>
              <span class="stat-value">{e(`${ratio(r.problemPrincipal)}%`)}</span>
            </li>
          </ul>
          <DataTable
            caption={t('lending.w.agingTable')}
            columns={bandCols}
            rows={r.bands}
            baseUrl=""
            query={{}}
            t={t}
            emptyState={<EmptyState title={t('lending.w.noLoans')} body={t('lending.w.noActiveBody')} />}
          />
        </Card>
        <Card title={t('lending.w.activeLoans')}>
          <DataTable
            caption={t('lending.w.activeLoans')}
            columns={loanCols}
            rows={r.loans}
            baseUrl=""
            query={{}}
            t={t}
            emptyState={<EmptyState title={t('lending.w.noLoans')} body={t('lending.w.noActiveBody')} />}
          />
        </Card>
        {manage ? (
          <Form action={`/koperasi/${id}/pinjaman/tunggakan/jalankan`} csrfToken={page.csrfToken}>
            <p class="field-hint">{e(t('lending.w.arrearsRunHint'))}</p>
            <Button variant="secondary">{e(t('lending.w.arrearsRun'))}</Button>
          </Form>
        ) : (
          ''
        )}
      </BooksPage>,
    );
  });

  app.post('/koperasi/:id/pinjaman/tunggakan/jalankan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = ids(req);
    const r = await svc.runArrearsFor(db(), req.ctx, id);
    reply.flash({ kind: 'success', key: 'lending.w.arrearsDone', params: { loans: r.loans, reminders: r.reminders } });
    return reply.redirect(`/koperasi/${id}/pinjaman/tunggakan`, 303);
  });

  // --- products -----------------------------------------------------------------------------

  const productForm = (page: PageContext, action: string, v: Values, errors: FormErrors, submit: string) => {
    const { t } = page;
    return (
      <Form action={action} csrfToken={page.csrfToken} novalidate>
        <ErrorSummary t={t} errors={errors} />
        <TextField name="name" label={t('lending.w.productName')} value={v.name} error={errors.name} required maxlength={120} />
        <SelectField
          name="method"
          label={t('lending.w.method')}
          value={v.method ?? 'flat'}
          error={errors.method}
          options={METHODS.map((m) => ({ value: m, label: tk(t, `lending.method.${m}`) }))}
          hint={t('lending.w.methodHint')}
        />
        <TextField
          name="ratePercent"
          label={t('lending.w.ratePercent')}
          value={v.ratePercent}
          error={errors.ratePercent}
          inputmode="decimal"
          required
        />
        <SelectField
          name="rateBasis"
          label={t('lending.w.rateBasis')}
          value={v.rateBasis ?? 'year'}
          options={[
            { value: 'year', label: t('lending.w.perYear') },
            { value: 'month', label: t('lending.w.perMonth') },
          ]}
        />
        <TextField name="minTerm" label={t('lending.w.minTerm')} value={v.minTerm} error={errors.minTerm} inputmode="numeric" required />
        <TextField name="maxTerm" label={t('lending.w.maxTerm')} value={v.maxTerm} error={errors.maxTerm} inputmode="numeric" required />
        <TextField name="minAmount" label={t('lending.w.minAmount')} value={v.minAmount} error={errors.minAmount} inputmode="numeric" />
        <TextField
          name="maxAmount"
          label={t('lending.w.maxAmount')}
          value={v.maxAmount}
          error={errors.maxAmount}
          inputmode="numeric"
          required
        />
        <TextField
          name="maxSavingsMultiple"
          label={t('lending.w.maxSavingsMultiple')}
          value={v.maxSavingsMultiple}
          error={errors.maxSavingsMultiple}
          inputmode="decimal"
          hint={t('lending.w.maxSavingsMultipleHint')}
        />
        <TextField
          name="adminFeePercent"
          label={t('lending.w.adminFeePercent')}
          value={v.adminFeePercent}
          error={errors.adminFeePercent}
          inputmode="decimal"
        />
        <TextField
          name="adminFeeFlat"
          label={t('lending.w.adminFeeFlat')}
          value={v.adminFeeFlat}
          error={errors.adminFeeFlat}
          inputmode="numeric"
        />
        <TextField
          name="provisiPercent"
          label={t('lending.w.provisiPercent')}
          value={v.provisiPercent}
          error={errors.provisiPercent}
          inputmode="decimal"
        />
        <SelectField
          name="feeTiming"
          label={t('lending.w.feeTiming')}
          value={v.feeTiming ?? 'deducted'}
          options={[
            { value: 'deducted', label: t('lending.w.feeDeducted') },
            { value: 'upfront', label: t('lending.w.feeUpfront') },
          ]}
        />
        <SelectField
          name="penaltyMode"
          label={t('lending.w.penaltyMode')}
          value={v.penaltyMode ?? 'none'}
          options={PENALTY_MODES.map((m) => ({ value: m, label: tk(t, `lending.penalty.${m}`) }))}
        />
        <TextField
          name="penaltyRatePercent"
          label={t('lending.w.penaltyRate')}
          value={v.penaltyRatePercent}
          error={errors.penaltyRatePercent}
          inputmode="decimal"
        />
        <TextField
          name="graceMonths"
          label={t('lending.w.graceMonths')}
          value={v.graceMonths}
          error={errors.graceMonths}
          inputmode="numeric"
        />
        <TextField
          name="roundingUnit"
          label={t('lending.w.roundingUnit')}
          value={v.roundingUnit}
          error={errors.roundingUnit}
          inputmode="numeric"
          hint={t('lending.w.roundingUnitHint')}
        />
        <SelectField
          name="earlyPayoffRule"
          label={t('lending.w.earlyPayoffRule')}
          value={v.earlyPayoffRule ?? 'principal_only'}
          options={EARLY_PAYOFF_RULES.map((r) => ({ value: r, label: tk(t, `lending.payoffRule.${r}`) }))}
        />
        <TextField
          name="writeoffMinDays"
          label={t('lending.w.writeoffMinDays')}
          value={v.writeoffMinDays}
          error={errors.writeoffMinDays}
          inputmode="numeric"
        />
        <CheckboxField name="active" label={t('lending.w.productActive')} checked={v.active !== 'false'} />
        <div class="form-actions">
          <Button>{e(submit)}</Button>
        </div>
      </Form>
    );
  };

  /** Product form values → API input (numbers parsed; empty optional fields left out). */
  const productInput = (v: Values, partial: boolean) => {
    const num = (s: string | undefined) =>
      s === undefined || s === '' ? undefined : /^\d+$/.test(s.replace(/\./g, '')) ? Number(s.replace(/\./g, '')) : s;
    const out: Record<string, unknown> = {
      name: v.name,
      method: v.method,
      ratePercent: percent(v.ratePercent),
      rateBasis: v.rateBasis,
      minTerm: num(v.minTerm),
      maxTerm: num(v.maxTerm),
      minAmount: num(v.minAmount),
      maxAmount: num(v.maxAmount),
      maxSavingsMultiple:
        v.maxSavingsMultiple === '' || v.maxSavingsMultiple === undefined
          ? partial
            ? null
            : undefined
          : Number(percent(v.maxSavingsMultiple)),
      adminFeePercent: percent(v.adminFeePercent),
      adminFeeFlat: num(v.adminFeeFlat),
      provisiPercent: percent(v.provisiPercent),
      feeTiming: v.feeTiming,
      penaltyMode: v.penaltyMode,
      penaltyRatePercent: percent(v.penaltyRatePercent),
      graceMonths: num(v.graceMonths),
      roundingUnit: num(v.roundingUnit),
      earlyPayoffRule: v.earlyPayoffRule,
      writeoffMinDays: num(v.writeoffMinDays),
      active: v.active === 'true',
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out;
  };

  const productsPage = async (req: FastifyRequest, reply: FastifyReply, status: number, v: Values, errors: FormErrors) => {
    const { id } = ids(req);
    const items = await svc.listProducts(db(), req.ctx, id);
    const kopName = await koperasiName(app, req.ctx, id);
    const f = await features(id);
    const page = req.page(reply);
    const { t } = page;
    const manage = accessTo(req.ctx, id) === 'manage';
    const cols: Column<svc.ProductRow>[] = [
      {
        key: 'name',
        label: t('lending.w.productName'),
        render: (p) => (manage ? <a href={`/koperasi/${id}/pinjaman/produk/${p.id}`}>{e(p.name)}</a> : e(p.name)),
      },
      { key: 'method', label: t('lending.w.method'), render: (p) => e(tk(t, `lending.method.${p.method}`)) },
      {
        key: 'rate',
        label: t('lending.w.ratePerYear'),
        class: 'num',
        render: (p) => e(`${String(Number(p.annual_rate_percent)).replace('.', ',')}%`),
      },
      { key: 'term', label: t('lending.w.term'), render: (p) => e(`${p.min_term}–${p.max_term}`) },
      { key: 'max', label: t('lending.w.maxAmount'), class: 'num', render: (p) => formatRupiah(p.max_amount) },
      {
        key: 'active',
        label: t('lending.w.status'),
        render: (p) => <Badge tone={p.active ? 'success' : 'neutral'}>{e(t(p.active ? 'lending.w.active' : 'lending.w.inactive'))}</Badge>,
      },
    ];
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="pinjaman" title={t('lending.w.products')} features={f}>
        <LendingNav t={t} id={id} current="/produk" manage={manage} />
        <DataTable
          caption={t('lending.w.products')}
          columns={cols}
          rows={items}
          baseUrl=""
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('lending.w.noProducts')} body={t('lending.w.noProductsBody')} />}
        />
        {manage ? (
          <Card title={t('lending.w.newProduct')}>
            {productForm(page, `/koperasi/${id}/pinjaman/produk`, v, errors, t('lending.w.save'))}
          </Card>
        ) : (
          ''
        )}
      </BooksPage>,
    );
  };

  const postForm = async <S extends TSchema>(
    req: FastifyRequest,
    schema: S,
    input: unknown,
    run: (value: never) => Promise<unknown>,
    rerender: (status: number, errors: FormErrors) => Promise<unknown>,
    fallbackField: string,
  ) => {
    const r = validate(schema, input);
    if (!r.ok) return rerender(400, formErrors(req.ctx.t, r.issues));
    try {
      return await run(r.value as never);
    } catch (err) {
      const u = userError(req.ctx.t, err, fallbackField);
      return rerender(u.status, u.errors);
    }
  };

  app.get('/koperasi/:id/pinjaman/produk', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return productsPage(req, reply, 200, { active: 'true' }, {});
  });

  app.post('/koperasi/:id/pinjaman/produk', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    return postForm(
      req,
      ProductInput,
      productInput(v, false),
      async (value: ProductInput) => {
        await svc.createProduct(db(), req.ctx, id, value);
        reply.flash({ kind: 'success', key: 'lending.w.productSaved' });
        return reply.redirect(`/koperasi/${id}/pinjaman/produk`, 303);
      },
      (status, errors) => productsPage(req, reply, status, v, errors),
      'name',
    );
  });

  const productValues = (p: svc.ProductRow): Values => ({
    name: p.name,
    method: p.method,
    ratePercent: p.rate_basis === 'month' ? svc.monthlyFromAnnual(p.annual_rate_percent) : String(Number(p.annual_rate_percent)),
    rateBasis: p.rate_basis,
    minTerm: String(p.min_term),
    maxTerm: String(p.max_term),
    minAmount: String(p.min_amount),
    maxAmount: String(p.max_amount),
    maxSavingsMultiple: p.max_savings_multiple === null ? '' : String(Number(p.max_savings_multiple)),
    adminFeePercent: String(Number(p.admin_fee_percent)),
    adminFeeFlat: String(p.admin_fee_flat),
    provisiPercent: String(Number(p.provisi_percent)),
    feeTiming: p.fee_timing,
    penaltyMode: p.penalty_mode,
    penaltyRatePercent: String(Number(p.penalty_rate_percent)),
    graceMonths: String(p.grace_months),
    roundingUnit: String(p.rounding_unit),
    earlyPayoffRule: p.early_payoff_rule,
    writeoffMinDays: String(p.writeoff_min_days),
    active: p.active ? 'true' : 'false',
  });

  const productEditPage = async (req: FastifyRequest, reply: FastifyReply, status: number, v: Values | null, errors: FormErrors) => {
    const { id, productId } = ids(req);
    svc.requireManage(req.ctx, id);
    const p = await svc.getProduct(db(), req.ctx, id, productId as string);
    const kopName = await koperasiName(app, req.ctx, id);
    const f = await features(id);
    const page = req.page(reply);
    const { t } = page;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="pinjaman" title={p.name} features={f}>
        <LendingNav t={t} id={id} current="/produk" manage />
        <Card title={t('lending.w.editProduct')}>
          <p class="field-hint">{e(t('lending.w.editProductHint'))}</p>
          {productForm(page, `/koperasi/${id}/pinjaman/produk/${p.id}`, v ?? productValues(p), errors, t('lending.w.save'))}
        </Card>
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/pinjaman/produk/:productId', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return productEditPage(req, reply, 200, null, {});
  });

  app.post('/koperasi/:id/pinjaman/produk/:productId', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, productId } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    return postForm(
      req,
      ProductPatch,
      productInput(v, true),
      async (value: ProductPatch) => {
        await svc.updateProduct(db(), req.ctx, id, productId as string, value);
        reply.flash({ kind: 'success', key: 'lending.w.productSaved' });
        return reply.redirect(`/koperasi/${id}/pinjaman/produk`, 303);
      },
      (status, errors) => productEditPage(req, reply, status, v, errors),
      'name',
    );
  });

  // --- application --------------------------------------------------------------------------

  const applyPage = async (req: FastifyRequest, reply: FastifyReply, status: number, v: Values, errors: FormErrors) => {
    const { id } = ids(req);
    const ctx = req.ctx;
    const own = accessTo(ctx, id) === 'member' ? await getOwnMember(db(), ctx, id) : null;
    if (!own) svc.requireManage(ctx, id);
    const products = await svc.listProducts(db(), ctx, id, { activeOnly: true });
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t } = page;
    const body = (
      <>
        {products.length === 0 ? (
          <EmptyState
            title={t('lending.w.noProducts')}
            body={t('lending.w.noProductsBody')}
            action={own ? undefined : { href: `/koperasi/${id}/pinjaman/produk`, label: t('lending.w.newProduct') }}
          />
        ) : (
          <Card title={t('lending.w.apply')}>
            <Form
              action={own ? `/anggota/saya/pinjaman/${id}/ajukan` : `/koperasi/${id}/pinjaman/baru`}
              csrfToken={page.csrfToken}
              novalidate
            >
              <ErrorSummary t={t} errors={errors} />
              {own ? (
                <p>{e(t('lending.w.applyingAs', { name: own.name, number: own.member_number }))}</p>
              ) : (
                <TextField
                  name="memberNumber"
                  label={t('lending.w.memberNumber')}
                  value={v.memberNumber}
                  error={errors.memberNumber ?? errors.memberId}
                  inputmode="numeric"
                  required
                  hint={t('lending.w.memberNumberHint')}
                />
              )}
              <SelectField
                name="productId"
                label={t('lending.w.product')}
                value={v.productId}
                error={errors.productId}
                required
                options={products.map((p) => ({
                  value: p.id,
                  label: `${p.name} — ${tk(t, `lending.method.${p.method}`)}, ${String(Number(p.annual_rate_percent)).replace('.', ',')}%/th, ${p.min_term}–${p.max_term} bln`,
                }))}
              />
              <TextField
                name="principal"
                label={t('lending.w.principal')}
                value={v.principal}
                error={errors.principal}
                inputmode="numeric"
                required
              />
              <TextField
                name="termMonths"
                label={t('lending.w.termMonths')}
                value={v.termMonths}
                error={errors.termMonths}
                inputmode="numeric"
                required
              />
              <TextArea name="purpose" label={t('lending.w.purpose')} value={v.purpose} error={errors.purpose} required rows={2} />
              <TextField
                name="collateral"
                label={t('lending.w.collateral')}
                value={v.collateral}
                error={errors.collateral}
                maxlength={500}
              />
              <TextField name="guarantor" label={t('lending.w.guarantor')} value={v.guarantor} error={errors.guarantor} maxlength={200} />
              <p class="field-hint">
                {e(t('lending.w.previewHint'))} <a href="/kalkulator-pinjaman">{e(t('lending.w.calculator'))}</a>
              </p>
              <div class="form-actions">
                <Button>{e(t('lending.w.submitApplication'))}</Button>
              </div>
            </Form>
          </Card>
        )}
      </>
    );
    if (own) {
      return html(
        reply,
        status,
        <Layout page={page} title={t('lending.w.apply')}>
          <PageHeader title={t('lending.w.apply')} subtitle={kopName} />
          {body}
        </Layout>,
      );
    }
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="pinjaman" title={t('lending.w.apply')} features={await features(id)}>
        <LendingNav t={t} id={id} current="/baru" manage />
        {body}
      </BooksPage>,
    );
  };

  const applyInput = async (id: string, v: Values, memberId: string | null) => {
    let resolved = memberId;
    if (!resolved && /^\d{1,9}$/.test(v.memberNumber ?? '')) {
      const found = await listMembers(db(), svc.systemCtx(), id, { q: v.memberNumber, page: 1, pageSize: 50 });
      resolved = found.items.find((m) => String(m.member_number) === v.memberNumber)?.id ?? null;
    }
    return {
      resolved,
      input: {
        memberId: resolved ?? '',
        productId: v.productId ?? '',
        principal: money(v.principal) ?? 0,
        termMonths: /^\d{1,3}$/.test(v.termMonths ?? '') ? Number(v.termMonths) : 0,
        purpose: v.purpose ?? '',
        ...(v.collateral ? { collateral: v.collateral } : {}),
        ...(v.guarantor ? { guarantor: v.guarantor } : {}),
      },
    };
  };

  app.get('/koperasi/:id/pinjaman/baru', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return applyPage(req, reply, 200, queryOf(req), {});
  });

  app.post('/koperasi/:id/pinjaman/baru', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const { resolved, input } = await applyInput(id, v, null);
    if (!resolved) return applyPage(req, reply, 400, v, { memberNumber: req.ctx.t('lending.w.memberUnknown') });
    return postForm(
      req,
      LoanInput,
      input,
      async (value: LoanInput) => {
        const loan = await svc.applyForLoan(db(), req.ctx, id, value);
        reply.flash({ kind: 'success', key: 'lending.w.applied', params: { number: loan.number } });
        return reply.redirect(`/koperasi/${id}/pinjaman/${loan.id}`, 303);
      },
      (status, errors) => applyPage(req, reply, status, v, errors),
      'principal',
    );
  });

  // --- one loan -----------------------------------------------------------------------------

  const loanPage = async (req: FastifyRequest, reply: FastifyReply, status: number, v: Values, errors: FormErrors) => {
    const { id, loanId } = ids(req);
    const ctx = req.ctx;
    const view = await svc.getLoan(db(), ctx, id, loanId as string);
    const loan = svc.toLoanJson(view);
    const history = await svc.loanHistory(db(), ctx, id, loan.id);
    const manage = accessTo(ctx, id) === 'manage';
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t, locale } = page;
    const base = `/koperasi/${id}/pinjaman/${loan.id}`;
    const quote = loan.status === 'aktif' ? await svc.quotePayoff(db(), ctx, id, loan.id).catch(() => null) : null;
    const today = svc.todayWibText();
    type Pay = (typeof history.payments)[number];
    const payCols: Column<Pay>[] = [
      { key: 'date', label: t('lending.w.date'), render: (r) => e(day(r.paid_on, locale)) },
      { key: 'kind', label: t('lending.w.kind'), render: (r) => e(tk(t, `lending.w.kind.${r.kind}`)) },
      { key: 'amount', label: t('lending.w.amount'), class: 'num', render: (r) => formatRupiah(r.amount) },
      { key: 'penalty', label: t('lending.w.penalty'), class: 'num', render: (r) => formatRupiah(r.penalty) },
      { key: 'interest', label: t('lending.w.interest'), class: 'num', render: (r) => formatRupiah(r.interest) },
      { key: 'principal', label: t('lending.w.principal'), class: 'num', render: (r) => formatRupiah(r.principal) },
      { key: 'entry', label: t('lending.w.entryNo'), render: (r) => e(`#${r.journal_number}`) },
    ];
    const action = (
      path: string,
      title: string,
      fields: JSX.Element | JSX.Element[],
      submit: string,
      variant: 'primary' | 'secondary' | 'danger' = 'primary',
    ) => (
      <Card title={title}>
        <Form
          action={`${base}/${path}`}
          csrfToken={page.csrfToken}
          novalidate
          confirm={variant === 'danger' ? t('lending.w.confirmDanger') : undefined}
        >
          {fields as JSX.Element}
          <div class="form-actions">
            <Button variant={variant}>{e(submit)}</Button>
          </div>
        </Form>
      </Card>
    );
    const actions: JSX.Element[] = [];
    if (manage && loan.status === 'diajukan') {
      actions.push(
        action(
          'analisis',
          t('lending.w.analysis'),
          <TextArea
            name="notes"
            label={t('lending.w.analysisNotes')}
            value={v.notes ?? loan.analysisNotes ?? ''}
            error={errors.notes}
            rows={3}
          />,
          t('lending.w.saveNotes'),
          'secondary',
        ),
      );
      actions.push(
        action(
          'setujui',
          t('lending.w.approve'),
          <p class="field-hint">
            {e(loan.enteredBy && loan.enteredBy === ctx.user?.id ? t('lending.selfApproval') : t('lending.w.approveHint'))}
          </p>,
          t('lending.w.approve'),
        ),
      );
    }
    if (manage && (loan.status === 'diajukan' || loan.status === 'disetujui')) {
      actions.push(
        action(
          'tolak',
          t('lending.w.reject'),
          <TextField name="reason" label={t('lending.w.reason')} value={v.reason} error={errors.reason} required />,
          t('lending.w.reject'),
          'danger',
        ),
      );
    }
    if (manage && loan.status === 'disetujui') {
      actions.push(
        action(
          'cairkan',
          t('lending.w.disburse'),
          <>
            <TextField name="date" label={t('lending.w.date')} type="date" value={v.date ?? today} error={errors.date} />
            <SelectField
              name="method"
              label={t('lending.w.payMethod')}
              value={v.method ?? 'cash'}
              options={[
                { value: 'cash', label: t('lending.w.cash') },
                { value: 'transfer', label: t('lending.w.transfer') },
              ]}
            />
          </>,
          t('lending.w.disburse'),
        ),
      );
    }
    if (manage && loan.status === 'aktif') {
      actions.push(
        action(
          'angsuran',
          t('lending.w.repay'),
          <>
            <TextField
              name="amount"
              label={t('lending.w.amount')}
              value={v.amount ?? (loan.dueNow.total > 0 ? String(loan.dueNow.total) : '')}
              error={errors.amount}
              inputmode="numeric"
              required
              hint={t('lending.w.repayHint')}
            />
            <TextField name="date" label={t('lending.w.date')} type="date" value={v.date ?? today} error={errors.date} />
            <SelectField
              name="method"
              label={t('lending.w.payMethod')}
              value={v.method ?? 'cash'}
              options={[
                { value: 'cash', label: t('lending.w.cash') },
                { value: 'transfer', label: t('lending.w.transfer') },
              ]}
            />
          </>,
          t('lending.w.repay'),
        ),
      );
      if (quote) {
        actions.push(
          action(
            'pelunasan',
            t('lending.w.payoff'),
            <>
              <p>
                {e(
                  t('lending.w.payoffQuote', {
                    total: formatRupiah(quote.total),
                    waived: formatRupiah(quote.waivedInterest),
                    date: day(today, locale),
                  }),
                )}
              </p>
              <input type="hidden" name="amount" value={String(quote.total)} />
              {errors.payoff ? (
                <p class="field-error" role="alert">
                  {e(errors.payoff)}
                </p>
              ) : (
                ''
              )}
            </>,
            t('lending.w.payoffConfirm'),
            'secondary',
          ),
        );
      }
      actions.push(
        action(
          'jadwal-ulang',
          t('lending.w.reschedule'),
          <>
            <TextField
              name="termMonths"
              label={t('lending.w.newTerm')}
              value={v.termMonths}
              error={errors.termMonths}
              inputmode="numeric"
              required
            />
            <TextField
              name="ratePercent"
              label={t('lending.w.newRate')}
              value={v.ratePercent}
              error={errors.ratePercent}
              inputmode="decimal"
              hint={t('lending.w.newRateHint')}
            />
            <TextField
              name="startDate"
              label={t('lending.w.startDate')}
              type="date"
              value={v.startDate ?? today}
              error={errors.startDate}
            />
            <CheckboxField name="waiveOverdueCharges" label={t('lending.w.waive')} checked={v.waiveOverdueCharges === 'true'} />
            <TextField name="reason" label={t('lending.w.reason')} value={v.rescheduleReason} error={errors.rescheduleReason} required />
          </>,
          t('lending.w.reschedule'),
          'secondary',
        ),
      );
      actions.push(
        action(
          'hapus-buku',
          t('lending.w.writeoff'),
          <TextField
            name="reason"
            label={t('lending.w.reason')}
            value={v.writeoffReason}
            error={errors.writeoffReason}
            required
            hint={t('lending.w.writeoffHint')}
          />,
          t('lending.w.writeoff'),
          'danger',
        ),
      );
    }
    return html(
      reply,
      status,
      <BooksPage
        page={page}
        id={id}
        kopName={kopName}
        tab="pinjaman"
        title={t('lending.w.loanTitle', { number: loan.number })}
        features={await features(id)}
      >
        <LendingNav t={t} id={id} current="-" manage={manage} />
        <Card>
          <p>
            <LoanStatus t={t} status={loan.status} /> {e(`${loan.memberName} (${loan.memberNumber}) — ${loan.productName}`)}
          </p>
          <p class="field-hint">
            {e(`${t('lending.w.purpose')}: ${loan.purpose}`)}
            {loan.guarantor ? e(` · ${t('lending.w.guarantor')}: ${loan.guarantor}`) : ''}
            {loan.collateral ? e(` · ${t('lending.w.collateral')}: ${loan.collateral}`) : ''}
          </p>
          {loan.rejectionReason ? <p class="field-error">{e(`${t('lending.w.reason')}: ${loan.rejectionReason}`)}</p> : ''}
          {loan.analysisNotes ? <p>{e(`${t('lending.w.analysisNotes')}: ${loan.analysisNotes}`)}</p> : ''}
          <LoanFacts page={page} loan={loan} />
          {loan.adminFee + loan.provisiFee > 0 ? (
            <p class="field-hint">
              {e(t('lending.w.fees', { admin: formatRupiah(loan.adminFee), provisi: formatRupiah(loan.provisiFee) }))}
            </p>
          ) : (
            ''
          )}
        </Card>
        <ErrorSummary t={t} errors={errors} />
        <div class="grid">{actions as unknown as JSX.Element}</div>
        <Card title={t('lending.w.schedule')}>
          <ScheduleTable page={page} loan={loan} />
        </Card>
        <Card title={t('lending.w.payments')}>
          <DataTable
            caption={t('lending.w.payments')}
            columns={payCols}
            rows={history.payments}
            baseUrl=""
            query={{}}
            t={t}
            emptyState={<EmptyState title={t('lending.w.noPayments')} body={t('lending.w.noPaymentsBody')} />}
          />
        </Card>
        <Card title={t('lending.w.history')}>
          <ol class="timeline">
            {history.events.map((ev) => (
              <li>
                <strong>{e(tk(t, `lending.event.${ev.kind}`))}</strong> — {e(formatDate(new Date(ev.at), locale))}
                {ev.actor_name ? e(` · ${ev.actor_name}`) : ''}
                {typeof ev.data.reason === 'string' ? e(` · ${ev.data.reason}`) : ''}
              </li>
            ))}
          </ol>
          {history.versions.length > 1 ? <p class="field-hint">{e(t('lending.w.versions', { n: history.versions.length }))}</p> : ''}
        </Card>
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/pinjaman/:loanId', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return loanPage(req, reply, 200, {}, {});
  });

  type Step = {
    path: string;
    build: (v: Values) => unknown;
    schema: TSchema | null;
    run: (req: FastifyRequest, value: never) => Promise<unknown>;
    field: string;
    done: MessageKey;
    rename?: Record<string, string>;
  };
  const steps: Step[] = [
    {
      path: 'analisis',
      schema: AnalysisInput,
      build: (v) => ({ notes: v.notes ?? '' }),
      field: 'notes',
      done: 'lending.w.notesSaved',
      run: (req, value) => svc.addAnalysis(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
    {
      path: 'setujui',
      schema: null,
      build: () => ({}),
      field: 'approve',
      done: 'lending.w.approved',
      run: (req) => svc.approveLoan(db(), req.ctx, ids(req).id, ids(req).loanId as string),
    },
    {
      path: 'tolak',
      schema: ReasonInput,
      build: (v) => ({ reason: v.reason ?? '' }),
      field: 'reason',
      done: 'lending.w.rejected',
      run: (req, value) => svc.rejectLoan(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
    {
      path: 'cairkan',
      schema: DisburseInput,
      build: (v) => ({ ...(isDate(v.date) ? { date: v.date } : {}), method: v.method === 'transfer' ? 'transfer' : 'cash' }),
      field: 'date',
      done: 'lending.w.disbursed',
      run: (req, value) => svc.disburseLoan(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
    {
      path: 'angsuran',
      schema: RepaymentInput,
      build: (v) => ({
        amount: money(v.amount) ?? 0,
        ...(isDate(v.date) ? { date: v.date } : {}),
        method: v.method === 'transfer' ? 'transfer' : 'cash',
      }),
      field: 'amount',
      done: 'lending.w.repaid',
      run: (req, value) => svc.recordRepayment(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
    {
      path: 'pelunasan',
      schema: PayoffInput,
      build: (v) => ({ amount: money(v.amount) ?? 0 }),
      field: 'payoff',
      done: 'lending.w.paidOff',
      rename: { amount: 'payoff' },
      run: (req, value) => svc.payOff(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
    {
      path: 'jadwal-ulang',
      schema: RescheduleInput,
      build: (v) => ({
        termMonths: /^\d{1,3}$/.test(v.termMonths ?? '') ? Number(v.termMonths) : 0,
        ...(v.ratePercent ? { ratePercent: percent(v.ratePercent) } : {}),
        ...(isDate(v.startDate) ? { startDate: v.startDate } : {}),
        waiveOverdueCharges: v.waiveOverdueCharges === 'true',
        reason: v.reason ?? '',
      }),
      field: 'termMonths',
      done: 'lending.w.rescheduled',
      rename: { reason: 'rescheduleReason' },
      run: (req, value) => svc.rescheduleLoan(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
    {
      path: 'hapus-buku',
      schema: WriteoffInput,
      build: (v) => ({ reason: v.reason ?? '' }),
      field: 'writeoffReason',
      done: 'lending.w.writtenOff',
      rename: { reason: 'writeoffReason' },
      run: (req, value) => svc.writeOffLoan(db(), req.ctx, ids(req).id, ids(req).loanId as string, value),
    },
  ];

  for (const step of steps) {
    app.post(`/koperasi/:id/pinjaman/:loanId/${step.path}`, hide, async (req, reply) => {
      requireLogin(req.ctx);
      const { id, loanId } = ids(req);
      svc.requireManage(req.ctx, id);
      const v = bodyOf(req);
      const values = { ...v, ...(step.rename?.reason && v.reason !== undefined ? { [step.rename.reason]: v.reason } : {}) };
      const rename = (errors: FormErrors) => {
        const out: FormErrors = {};
        for (const [k, m] of Object.entries(errors)) out[step.rename?.[k] ?? k] = m;
        return out;
      };
      const input = step.build(v);
      const rerender = (status: number, errors: FormErrors) => loanPage(req, reply, status, values, rename(errors));
      const run = async (value: never) => {
        await step.run(req, value);
        reply.flash({ kind: 'success', key: step.done });
        return reply.redirect(`/koperasi/${id}/pinjaman/${loanId}`, 303);
      };
      if (!step.schema) {
        try {
          return await run({} as never);
        } catch (err) {
          const u = userError(req.ctx.t, err, step.field);
          return rerender(u.status, u.errors);
        }
      }
      return postForm(req, step.schema, input, run, rerender, step.field);
    });
  }

  // --- members: "Pinjaman saya" ---------------------------------------------------------------

  app.get('/anggota/saya/pinjaman', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const page = req.page(reply);
    const { t, locale } = page;
    const kops = organizationsFor(req.ctx, 'anggota_koperasi');
    const sections: JSX.Element[] = [];
    for (const kopId of kops) {
      const mine = await svc.myLoans(db(), req.ctx, kopId).catch((err) => {
        if (err instanceof AppError && err.status === 404) return null;
        throw err;
      });
      if (!mine) continue;
      const kopName = await koperasiName(app, req.ctx, kopId);
      const f = await features(kopId);
      if (!f.pinjaman && mine.items.length === 0) continue;
      const details: JSX.Element[] = [];
      for (const l of mine.items) {
        const loan = svc.toLoanJson(await svc.getLoan(db(), req.ctx, kopId, l.id));
        const quote = loan.status === 'aktif' ? await svc.quotePayoff(db(), req.ctx, kopId, l.id).catch(() => null) : null;
        const next = loan.schedule.find((i) => i.state !== 'lunas');
        details.push(
          <Card title={t('lending.w.loanTitle', { number: loan.number })}>
            <p>
              <LoanStatus t={t} status={loan.status} /> {e(`${loan.productName} · ${formatRupiah(loan.principal)}`)}
            </p>
            <LoanFacts page={page} loan={loan} />
            {next && loan.status === 'aktif' ? (
              <p>{e(t('lending.w.nextDue', { number: next.number, date: day(next.dueDate, locale), amount: formatRupiah(next.owed) }))}</p>
            ) : (
              ''
            )}
            {quote ? <p class="field-hint">{e(t('lending.w.payoffToday', { total: formatRupiah(quote.total) }))}</p> : ''}
            <details>
              <summary>{e(t('lending.w.schedule'))}</summary>
              <ScheduleTable page={page} loan={loan} />
            </details>
          </Card>,
        );
      }
      sections.push(
        <section>
          <h2 safe>{kopName}</h2>
          {details.length ? (
            (details as unknown as JSX.Element)
          ) : (
            <EmptyState title={t('lending.w.noLoans')} body={t('lending.w.noLoansMember')} />
          )}
          {f.pinjaman ? (
            <p>
              <LinkButton href={`/anggota/saya/pinjaman/${kopId}/ajukan`}>{e(t('lending.w.apply'))}</LinkButton>
            </p>
          ) : (
            ''
          )}
        </section>,
      );
    }
    return html(
      reply,
      200,
      <Layout page={page} title={t('lending.w.mine')}>
        <PageHeader title={t('lending.w.mine')} />
        {sections.length ? (
          (sections as unknown as JSX.Element)
        ) : (
          <EmptyState title={t('lending.w.noLoans')} body={t('lending.w.mineEmpty')} />
        )}
      </Layout>,
    );
  });

  app.get('/anggota/saya/pinjaman/:id/ajukan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return applyPage(req, reply, 200, queryOf(req), {});
  });

  app.post('/anggota/saya/pinjaman/:id/ajukan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = ids(req);
    const own = await getOwnMember(db(), req.ctx, id);
    const v = bodyOf(req);
    const { input } = await applyInput(id, v, own.id);
    return postForm(
      req,
      LoanInput,
      input,
      async (value: LoanInput) => {
        const loan = await svc.applyForLoan(db(), req.ctx, id, value);
        reply.flash({ kind: 'success', key: 'lending.w.applied', params: { number: loan.number } });
        return reply.redirect('/anggota/saya/pinjaman', 303);
      },
      (status, errors) => applyPage(req, reply, status, v, errors),
      'principal',
    );
  });
}
