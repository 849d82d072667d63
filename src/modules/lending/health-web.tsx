import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import {
  Badge,
  type BadgeTone,
  Button,
  Card,
  type Column,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDateTime,
  formatRupiah,
  LinkButton,
  TextField,
} from '../../platform/web/components.js';
import type { FormErrors, PageContext } from '../../platform/web/page.js';
import { accessTo, featuresOf, todayWib } from '../books/service.js';
import { BooksPage, html, koperasiName, requireLogin, UUID } from '../books/web.js';
import { GOVERNANCE_QUESTIONS, HEALTH_ASPECTS } from './health.js';
import * as svc from './health-service.js';

/**
 * Web page of the health self-assessment: /koperasi/{id}/kesehatan?tahun=YYYY — the year's
 * indicators from the books with how each was computed, the score (saved or a preview), the
 * governance checklist (pengurus: yes/no + note per question), the weights (pengurus) and the
 * history year by year with a chart. Dinas sees it read-only; anyone else gets a 404 page.
 */

const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));
const tk = (t: Translate, key: string, params?: Record<string, string | number>) => t(key as MessageKey, params);
type Values = Record<string, string>;

function bodyOf(req: FastifyRequest): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
    if (typeof v === 'string' && k !== '_csrf') out[k] = v.trim();
  return out;
}

const categoryTone = (c: string): BadgeTone =>
  c === 'sehat' ? 'success' : c === 'cukup_sehat' ? 'info' : c === 'dalam_pengawasan' ? 'warning' : 'danger';

const dmy = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
const pct = (v: string | null) => (v === null ? '–' : `${v.replace('.', ',')}%`);

/** The score year by year as an SVG line chart (0–100) with the category limits 51, 66 and 80. */
export function ScoreChart(p: { t: Translate; years: { year: number; score: number; category: string }[] }) {
  const w = 480;
  const h = 200;
  const left = 36;
  const top = 12;
  const plotW = w - left - 16;
  const plotH = h - top - 28;
  const n = p.years.length;
  const x = (i: number) => left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (s: number) => top + plotH - (s * plotH) / 100;
  const points = p.years.map((r, i) => `${x(i).toFixed(1)},${y(r.score).toFixed(1)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby="health-chart-title health-chart-desc" class="chart" width="100%">
      <title id="health-chart-title">{e(p.t('health.w.historyChart'))}</title>
      <desc id="health-chart-desc">{e(p.years.map((r) => `${r.year}: ${r.score.toFixed(2)}`).join('; '))}</desc>
      {[0, 51, 66, 80, 100].map((s) => (
        <g>
          <line x1={String(left)} x2={String(left + plotW)} y1={y(s).toFixed(1)} y2={y(s).toFixed(1)} stroke="#c9d1d9" stroke-width="1" />
          <text x={String(left - 6)} y={(y(s) + 4).toFixed(1)} font-size="11" text-anchor="end" fill="#52606d">
            {String(s)}
          </text>
        </g>
      ))}
      {n > 1 ? <polyline points={points} fill="none" stroke="#1b7f4d" stroke-width="2" /> : ''}
      {p.years.map((r, i) => (
        <g>
          <circle cx={x(i).toFixed(1)} cy={y(r.score).toFixed(1)} r="4" fill="#1b7f4d" />
          <text x={x(i).toFixed(1)} y={(y(r.score) - 8).toFixed(1)} font-size="11" text-anchor="middle" fill="#1f2933">
            {e(r.score.toFixed(2))}
          </text>
          <text x={x(i).toFixed(1)} y={String(h - 8)} font-size="11" text-anchor="middle" fill="#52606d">
            {String(r.year)}
          </text>
        </g>
      ))}
    </svg>
  );
}

type YearView = Awaited<ReturnType<typeof svc.healthYear>>;
type History = Awaited<ReturnType<typeof svc.healthHistory>>;
type Weights = Awaited<ReturnType<typeof svc.getHealthWeights>>;

function partLabel(t: Translate, part: { key: string; label: string | null }) {
  if (part.label) return `${part.key} ${part.label}`;
  if (part.key.startsWith('kol.')) return `${t('lending.w.kolektibilitas')} ${tk(t, `lending.${part.key}`)}`;
  return tk(t, `health.part.${part.key}`);
}

function HowComputed(p: { t: Translate; ind: svc.IndicatorJson }) {
  const list = (parts: svc.IndicatorJson['numeratorParts']) =>
    parts.length === 0 ? '0' : parts.map((x) => `${partLabel(p.t, x)} ${formatRupiah(x.amount)}`).join(' + ');
  return (
    <span>
      {e(`${p.t('health.w.numerator')}: ${list(p.ind.numeratorParts)} = ${formatRupiah(p.ind.numerator)}`)}
      <br />
      {e(`${p.t('health.w.denominator')}: ${list(p.ind.denominatorParts)} = ${formatRupiah(p.ind.denominator)}`)}
      {p.ind.value === null ? (
        <>
          <br />
          {e(p.t('health.w.notComputable'))}
        </>
      ) : (
        ''
      )}
    </span>
  );
}

function ResultCard(p: { page: PageContext; a: svc.AssessmentJson; saved: boolean }) {
  const { t, locale } = p.page;
  return (
    <Card title={p.saved ? t('health.w.result') : t('health.w.preview')}>
      {p.saved && p.a.assessedAt ? (
        <p class="field-hint">{e(t('health.w.savedAt', { time: formatDateTime(new Date(p.a.assessedAt), locale) }))}</p>
      ) : (
        ''
      )}
      <ul class="stats">
        <li class="stat">
          <span class="stat-label">{e(t('health.w.total'))}</span>
          <span class="stat-value">{e(p.a.score.toFixed(2).replace('.', ','))}</span>
        </li>
        <li class="stat">
          <span class="stat-label">{e(t('health.w.category'))}</span>
          <span class="stat-value">
            <Badge tone={categoryTone(p.a.category)}>{e(tk(t, `lendingCalc.health.category.${p.a.category}`))}</Badge>
          </span>
        </li>
        {p.a.aspects.map((x) => (
          <li class="stat">
            <span class="stat-label">{e(`${tk(t, `lendingCalc.health.aspect.${x.key}`)} (${t('health.w.weight')} ${x.weight})`)}</span>
            <span class="stat-value">{e(x.score === null ? '–' : x.score.toFixed(2).replace('.', ','))}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function HealthPage(p: {
  page: PageContext;
  id: string;
  kopName: string;
  manage: boolean;
  view: YearView;
  history: History;
  weights: Weights;
  answers: Values;
  errors: FormErrors;
  weightValues: Values;
  weightErrors: FormErrors;
  features: Awaited<ReturnType<typeof featuresOf>>;
}) {
  const { page, id, view } = p;
  const { t } = page;
  const base = `/koperasi/${id}/kesehatan`;
  const indCols: Column<svc.IndicatorJson>[] = [
    { key: 'ind', label: t('health.w.indicator'), render: (r) => e(tk(t, `lendingCalc.health.indicator.${r.key}`)) },
    { key: 'aspect', label: t('health.w.aspect'), render: (r) => e(tk(t, `lendingCalc.health.aspect.${r.aspect}`)) },
    { key: 'weight', label: t('health.w.weight'), class: 'num', render: (r) => e(r.weight) },
    { key: 'value', label: t('health.w.value'), class: 'num', render: (r) => e(pct(r.value)) },
    { key: 'score', label: t('health.w.score'), class: 'num', render: (r) => e(r.score ?? '–') },
    { key: 'how', label: t('health.w.how'), render: (r) => <HowComputed t={t} ind={r} /> },
  ];
  const histCols: Column<History[number]>[] = [
    { key: 'year', label: t('health.w.year'), render: (r) => <a href={`${base}?tahun=${r.year}`}>{e(r.year)}</a> },
    { key: 'score', label: t('health.w.total'), class: 'num', render: (r) => e(r.score.toFixed(2).replace('.', ',')) },
    {
      key: 'cat',
      label: t('health.w.category'),
      render: (r) => <Badge tone={categoryTone(r.category)}>{e(tk(t, `lendingCalc.health.category.${r.category}`))}</Badge>,
    },
    { key: 'rat', label: t('rat.w.link'), render: (r) => <a href={`/koperasi/${id}/rat/${r.year}`}>{e(t('rat.w.link'))}</a> },
  ];
  const shown = view.assessment ?? view.preview;
  const answered = (q: string) =>
    p.answers[`q_${q}`] ?? (view.assessment ? (view.assessment.governance.find((g) => g.questionId === q)?.answer ? 'ya' : 'tidak') : '');
  const noteOf = (q: string) => p.answers[`note_${q}`] ?? view.assessment?.governance.find((g) => g.questionId === q)?.note ?? '';
  const allErrors = { ...p.errors, ...p.weightErrors };
  return (
    <BooksPage page={page} id={id} kopName={p.kopName} tab="kesehatan" title={t('health.w.title')} features={p.features}>
      <p>{e(t('health.w.intro'))}</p>
      <ErrorSummary t={t} errors={allErrors} />
      <Form action={base} method="get" class="filters">
        <TextField name="tahun" label={t('health.w.year')} type="number" inputmode="numeric" value={view.year} />
        <Button variant="secondary">{e(t('health.w.show'))}</Button>
      </Form>
      <p class="field-hint">
        {e(t('health.w.period', { year: view.year, from: dmy(view.startDate), to: dmy(view.endDate) }))}
        {view.closed ? '' : ` ${e(t('health.w.notClosed'))}`}
      </p>
      <p>
        <LinkButton href={`/koperasi/${id}/rat/${view.year}`} variant="secondary" small>
          {e(t('health.w.ratReport'))}
        </LinkButton>
      </p>
      <ResultCard page={page} a={shown} saved={view.assessment !== null} />
      <Card title={t('health.w.indicators')}>
        <DataTable
          caption={t('health.w.indicators')}
          columns={indCols}
          rows={shown.indicators}
          baseUrl=""
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('health.w.indicators')} body={t('health.w.notComputable')} />}
        />
      </Card>
      <Card title={t('health.w.governance')}>
        {p.manage ? (
          <Form action={`${base}/${view.year}`} csrfToken={page.csrfToken} novalidate>
            <p class="field-hint">{e(t('health.w.governanceHint'))}</p>
            {GOVERNANCE_QUESTIONS.map((q) => {
              const err = p.errors[`q_${q}`];
              return (
                <fieldset id={`field-q_${q}`} class={err ? 'field-invalid' : undefined}>
                  <legend>{e(tk(t, `lendingCalc.health.q.${q}`))}</legend>
                  {err ? <p class="field-error-message">{e(err)}</p> : ''}
                  <div class="radio-row">
                    {(['ya', 'tidak'] as const).map((v) => (
                      <label>
                        <input type="radio" name={`q_${q}`} value={v} checked={answered(q) === v} />{' '}
                        {e(t(v === 'ya' ? 'health.w.yes' : 'health.w.no'))}
                      </label>
                    ))}
                  </div>
                  <TextField
                    name={`note_${q}`}
                    label={t('health.w.note')}
                    value={noteOf(q)}
                    maxlength={svc.NOTE_MAX}
                    error={p.errors[`note_${q}`]}
                  />
                </fieldset>
              );
            })}
            <Button>{e(t('health.w.save'))}</Button>
          </Form>
        ) : (
          <>
            <p class="field-hint">{e(t('health.w.readOnly'))}</p>
            <ul>
              {shown.governance.map((g) => (
                <li>
                  {e(
                    `${tk(t, `lendingCalc.health.q.${g.questionId}`)} — ${t(g.answer ? 'health.w.yes' : 'health.w.no')}${g.note ? ` (${g.note})` : ''}`,
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <Card title={t('health.w.history')}>
        {p.history.length ? <ScoreChart t={t} years={p.history} /> : ''}
        <DataTable
          caption={t('health.w.history')}
          columns={histCols}
          rows={p.history}
          baseUrl=""
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('health.w.noHistory')} body={t('health.w.noHistoryBody')} />}
        />
      </Card>
      <Card title={t('health.w.weights')}>
        <p class="field-hint">
          {e(`${t(p.weights.isDefault ? 'health.w.weightsDefault' : 'health.w.weightsCustom')}. ${t('health.w.weightsHint')}`)}
        </p>
        {p.manage ? (
          <Form action={`${base}/bobot?tahun=${view.year}`} csrfToken={page.csrfToken} novalidate>
            <fieldset id="field-aspects">
              <legend>{e(t('health.w.aspect'))}</legend>
              {HEALTH_ASPECTS.map((a) => (
                <TextField
                  name={`aspect_${a}`}
                  label={tk(t, `lendingCalc.health.aspect.${a}`)}
                  type="number"
                  inputmode="numeric"
                  value={p.weightValues[`aspect_${a}`] ?? String(p.weights.aspects[a])}
                  error={p.weightErrors[`aspect_${a}`]}
                />
              ))}
            </fieldset>
            <fieldset id="field-indicators">
              <legend>{e(t('health.w.indicator'))}</legend>
              {svc.HEALTH_INDICATORS.map((k) => (
                <TextField
                  name={`ind_${k}`}
                  label={tk(t, `lendingCalc.health.indicator.${k}`)}
                  type="number"
                  inputmode="numeric"
                  value={p.weightValues[`ind_${k}`] ?? String(p.weights.indicators[k])}
                  error={p.weightErrors[`ind_${k}`]}
                />
              ))}
            </fieldset>
            <Button variant="secondary">{e(t('health.w.saveWeights'))}</Button>
          </Form>
        ) : (
          <ul>
            {HEALTH_ASPECTS.map((a) => (
              <li>{e(`${tk(t, `lendingCalc.health.aspect.${a}`)}: ${p.weights.aspects[a]}`)}</li>
            ))}
            {svc.HEALTH_INDICATORS.map((k) => (
              <li>{e(`${tk(t, `lendingCalc.health.indicator.${k}`)}: ${p.weights.indicators[k]}`)}</li>
            ))}
          </ul>
        )}
      </Card>
    </BooksPage>
  );
}

/** The field of the form a 422 from the service belongs to. */
function fieldOf(err: AppError, fallback: string): string {
  const d = (err.details ?? {}) as { questionId?: string; field?: string; fields?: { field: string }[] };
  if (d.questionId) return d.field?.endsWith('.note') ? `note_${d.questionId}` : `q_${d.questionId}`;
  if (d.fields?.[0]) {
    const [kind, key] = d.fields[0].field.split('.');
    return kind === 'aspects' ? `aspect_${key}` : `ind_${key}`;
  }
  if (d.field === 'aspects') return 'aspects';
  if (d.field?.startsWith('indicators.')) return 'indicators';
  return fallback;
}

export async function healthWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };
  const idOf = (req: FastifyRequest) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) throw new AppError('not_found', 'error.notFound');
    return id;
  };
  const yearOf = (s: string | undefined) => {
    const y = Number(s);
    return Number.isInteger(y) && y >= 1900 && y <= 9998 ? y : Number(todayWib().slice(0, 4)) - 1;
  };

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    year: number,
    form: { answers?: Values; errors?: FormErrors; weightValues?: Values; weightErrors?: FormErrors } = {},
  ) => {
    const id = idOf(req);
    const ctx = req.ctx;
    const view = await svc.healthYear(db(), ctx, id, year);
    const [history, weights, kopName, features] = await Promise.all([
      svc.healthHistory(db(), ctx, id),
      svc.getHealthWeights(db(), ctx, id),
      koperasiName(app, ctx, id),
      featuresOf(db(), id),
    ]);
    const page = req.page(reply);
    return html(
      reply,
      status,
      <HealthPage
        page={page}
        id={id}
        kopName={kopName}
        manage={accessTo(ctx, id) === 'manage'}
        view={view}
        history={history}
        weights={weights}
        answers={form.answers ?? {}}
        errors={form.errors ?? {}}
        weightValues={form.weightValues ?? {}}
        weightErrors={form.weightErrors ?? {}}
        features={features}
      />,
    );
  };

  app.get('/koperasi/:id/kesehatan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return render(req, reply, 200, yearOf((req.query as { tahun?: string }).tahun));
  });

  app.post('/koperasi/:id/kesehatan/bobot', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const id = idOf(req);
    const year = yearOf((req.query as { tahun?: string }).tahun);
    const v = bodyOf(req);
    const n = (s: string | undefined) => (s !== undefined && /^\d{1,3}$/.test(s) ? Number(s) : s);
    const input = {
      aspects: Object.fromEntries(HEALTH_ASPECTS.map((a) => [a, n(v[`aspect_${a}`])])),
      indicators: Object.fromEntries(svc.HEALTH_INDICATORS.map((k) => [k, n(v[`ind_${k}`])])),
    };
    try {
      await svc.updateHealthWeights(db(), req.ctx, id, input);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      return render(req, reply, 422, year, {
        weightValues: v,
        weightErrors: { [fieldOf(err, 'aspects')]: req.ctx.t(err.messageKey, err.params) },
      });
    }
    reply.flash({ kind: 'success', key: 'health.w.weightsSaved' });
    return reply.redirect(`/koperasi/${id}/kesehatan?tahun=${year}`, 303);
  });

  app.post('/koperasi/:id/kesehatan/:year', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const id = idOf(req);
    const year = yearOf((req.params as { year: string }).year);
    const v = bodyOf(req);
    const governance = GOVERNANCE_QUESTIONS.map((q) => ({
      questionId: q,
      answer: v[`q_${q}`] === 'ya' ? true : v[`q_${q}`] === 'tidak' ? false : (undefined as unknown as boolean),
      note: v[`note_${q}`] ?? null,
    }));
    try {
      await svc.saveAssessment(db(), req.ctx, id, year, { governance });
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      return render(req, reply, 422, year, {
        answers: v,
        errors: { [fieldOf(err, `q_${GOVERNANCE_QUESTIONS[0]}`)]: req.ctx.t(err.messageKey, err.params) },
      });
    }
    reply.flash({ kind: 'success', key: 'health.w.saved', params: { year } });
    return reply.redirect(`/koperasi/${id}/kesehatan?tahun=${year}`, 303);
  });
}
