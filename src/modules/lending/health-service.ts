/**
 * Health self-assessment of a koperasi per fiscal year (issue 6 item 7), on the pure scoring of
 * health.ts (assessHealth, bands, DEFAULT_HEALTH_WEIGHTS).
 *
 * Indicators are computed from the books for the fiscal year (start..end from books_years when
 * the year is closed, else from the koperasi's fiscal-year start month):
 * - problemLoanRatio = outstanding principal of problem loans ÷ outstanding principal of all
 *   loans, both at the last day of the year. A loan counts when it was disbursed on or before that
 *   day and not yet closed (lunas / written off) by then; its outstanding principal is its
 *   principal less the principal of repayments dated up to that day; its days past due are counted
 *   from the oldest instalment (current schedule) due before that day and not settled by then.
 *   Problem loans are those outside the first kolektibilitas band (by default kurang lancar,
 *   diragukan and macet, as health.ts says). All aggregated in SQL (one statement).
 * - operatingCostRatio = total expenses ÷ total income of the year (income statement, the
 *   year-end closing entry left out).
 * - capitalRatio = total equity ÷ total assets (balance sheet at the last day of the year).
 * - liquidityRatio = (Kas 1-1100 + Bank 1-1200) ÷ current liabilities (the 2-1xxx accounts),
 *   balance sheet at the last day of the year.
 * Each indicator is returned with its numerator and denominator and the parts they are made of, so
 * the page shows how the value was computed.
 *
 * The governance checklist is answered by pengurus (yes/no and a note per question). Weights are
 * per koperasi (health_settings; defaults DEFAULT_HEALTH_WEIGHTS): the four aspect weights add up to
 * 100 and so do the indicator weights inside each aspect (else 422); the bands stay those of
 * health.ts. Saving an assessment stores a snapshot of the inputs, the weights, the score and the
 * category; saving the same year again replaces it. Both changes are audited.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import type { RequestContext } from '../../platform/context.js';
import { notFound, ruleViolated, validationFailed } from '../../platform/errors.js';
import { SYSTEM_ACCOUNTS } from '../books/domain.js';
import { balanceSheetReport, incomeStatementReport, requireManage, requireRead } from '../books/service.js';
import { fiscalYear } from '../books/yearend.js';
import { DEFAULT_KOL_BANDS, type KolBand, kolektibilitas, type Rational } from './calc.js';
import {
  assessHealth,
  DEFAULT_HEALTH_WEIGHTS,
  GOVERNANCE_QUESTIONS,
  HEALTH_ASPECTS,
  type HealthAspect,
  type HealthCategory,
  type HealthResult,
  type HealthWeights,
} from './health.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

const actor = (ctx: RequestContext) => ctx.user?.id ?? null;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const HEALTH_INDICATORS = ['problemLoanRatio', 'liquidityRatio', 'operatingCostRatio', 'capitalRatio'] as const;
export type HealthIndicatorKey = (typeof HEALTH_INDICATORS)[number];
export const NOTE_MAX = 500;

// ---------------------------------------------------------------------------------------------
// Weights

/** What a koperasi configures: the aspect weights and each indicator's weight inside its aspect. */
export interface WeightsConfig {
  aspects: Record<HealthAspect, number>;
  indicators: Record<HealthIndicatorKey, number>;
}

export const DEFAULT_WEIGHTS_CONFIG: WeightsConfig = {
  aspects: { ...DEFAULT_HEALTH_WEIGHTS.aspects },
  indicators: Object.fromEntries(HEALTH_INDICATORS.map((k) => [k, DEFAULT_HEALTH_WEIGHTS.indicators[k]!.weight])) as Record<
    HealthIndicatorKey,
    number
  >,
};

/** The full weights (with the default bands) for assessHealth. */
export function toHealthWeights(c: WeightsConfig): HealthWeights {
  return {
    aspects: { ...c.aspects },
    indicators: Object.fromEntries(
      HEALTH_INDICATORS.map((k) => [k, { ...DEFAULT_HEALTH_WEIGHTS.indicators[k]!, weight: c.indicators[k] }]),
    ),
  };
}

/** Checks a weights input: whole numbers 0–100, aspects add up to 100, each aspect's indicators add up to 100 (422 otherwise). */
export function checkWeights(input: { aspects?: Record<string, unknown>; indicators?: Record<string, unknown> }): WeightsConfig {
  const fields: { field: string; message: 'health.weightInvalid' }[] = [];
  const num = (v: unknown, field: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) {
      fields.push({ field, message: 'health.weightInvalid' });
      return 0;
    }
    return v;
  };
  const aspects = Object.fromEntries(HEALTH_ASPECTS.map((a) => [a, num(input.aspects?.[a], `aspects.${a}`)])) as Record<
    HealthAspect,
    number
  >;
  const indicators = Object.fromEntries(HEALTH_INDICATORS.map((k) => [k, num(input.indicators?.[k], `indicators.${k}`)])) as Record<
    HealthIndicatorKey,
    number
  >;
  if (fields.length) throw ruleViolated('health.weightInvalid', {}, { fields });
  const aspectSum = HEALTH_ASPECTS.reduce((s, a) => s + aspects[a], 0);
  if (aspectSum !== 100) throw ruleViolated('health.aspectSum', { sum: aspectSum }, { field: 'aspects', sum: aspectSum });
  for (const aspect of ['risk', 'financial', 'capital'] as const) {
    const keys = HEALTH_INDICATORS.filter((k) => DEFAULT_HEALTH_WEIGHTS.indicators[k]!.aspect === aspect);
    const sum = keys.reduce((s, k) => s + indicators[k], 0);
    if (sum !== 100) throw ruleViolated('health.indicatorSum', { aspect, sum }, { field: `indicators.${aspect}`, aspect, sum });
  }
  return { aspects, indicators };
}

async function requireKoperasi(db: Db | Trx, koperasiId: string) {
  const k = await db.selectFrom('koperasi').select('id').where('id', '=', koperasiId).executeTakeFirst();
  if (!k) throw notFound();
}

async function loadWeights(db: Db | Trx, koperasiId: string): Promise<WeightsConfig> {
  const s = await db.selectFrom('health_settings').select('weights').where('koperasi_id', '=', koperasiId).executeTakeFirst();
  if (!s) return DEFAULT_WEIGHTS_CONFIG;
  const w = s.weights as WeightsConfig;
  return {
    aspects: { ...DEFAULT_WEIGHTS_CONFIG.aspects, ...w.aspects },
    indicators: { ...DEFAULT_WEIGHTS_CONFIG.indicators, ...w.indicators },
  };
}

/** The koperasi's weights (defaults until pengurus save their own). Pengurus and dinas. */
export async function getHealthWeights(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  await requireKoperasi(db, koperasiId);
  const w = await loadWeights(db, koperasiId);
  const custom = await db.selectFrom('health_settings').select('koperasi_id').where('koperasi_id', '=', koperasiId).executeTakeFirst();
  return { ...w, isDefault: !custom };
}

/** Saves the weights (pengurus of this koperasi). Audited. */
export async function updateHealthWeights(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  input: { aspects?: Record<string, unknown>; indicators?: Record<string, unknown> },
) {
  requireManage(ctx, koperasiId);
  const w = checkWeights(input);
  return db.transaction().execute(async (trx) => {
    await requireKoperasi(trx, koperasiId);
    const before = await loadWeights(trx, koperasiId);
    const values = { weights: JSON.stringify(w), updated_by: actor(ctx), updated_at: new Date() };
    await trx
      .insertInto('health_settings')
      .values({ koperasi_id: koperasiId, ...values })
      .onConflict((oc) => oc.column('koperasi_id').doUpdateSet(values))
      .execute();
    await writeAudit(trx, ctx, {
      action: 'health.weights.update',
      entityType: 'health_settings',
      entityId: koperasiId,
      organizationId: koperasiId,
      before,
      after: w,
    });
    return { ...w, isDefault: false };
  });
}

// ---------------------------------------------------------------------------------------------
// The fiscal year and the loan portfolio at its end

export function checkYear(year: number) {
  if (!Number.isInteger(year) || year < 1900 || year > 9998) throw validationFailed([{ field: 'year', message: 'books.yearInvalid' }]);
}

/** First and last day of fiscal year `year` of a koperasi (the closed year's own dates when it is closed). */
export async function yearPeriod(db: Db | Trx, koperasiId: string, year: number) {
  const closed = await db
    .selectFrom('books_years')
    .select(['start_date', 'end_date'])
    .where('koperasi_id', '=', koperasiId)
    .where('year', '=', year)
    .executeTakeFirst();
  if (closed) return { startDate: String(closed.start_date).slice(0, 10), endDate: String(closed.end_date).slice(0, 10), closed: true };
  const s = await db
    .selectFrom('books_settings')
    .select('fiscal_year_start_month')
    .where('koperasi_id', '=', koperasiId)
    .executeTakeFirst();
  const fy = fiscalYear(year, s?.fiscal_year_start_month ?? 1);
  return { startDate: fy.startDate, endDate: fy.endDate, closed: false };
}

export interface PortfolioBand {
  code: string;
  minDays: number;
  maxDays: number | null;
  loans: number;
  outstanding: bigint;
}

/**
 * Loans outstanding at the end of day `asOf`, per kolektibilitas band (the koperasi's bands):
 * count and outstanding principal. One SQL statement grouped by days past due (a few hundred rows
 * at most, whatever the number of loans); the banding is kolektibilitas() of calc.ts.
 */
export async function portfolioAt(db: Db | Trx, koperasiId: string, asOf: string) {
  const s = await db.selectFrom('lending_settings').select('kol_bands').where('koperasi_id', '=', koperasiId).executeTakeFirst();
  const kolBands = (s?.kol_bands as KolBand[] | undefined) ?? DEFAULT_KOL_BANDS;
  const rows = await sql<{ dpd: number; n: number; outstanding: string }>`
    with repaid as (
      select r.loan_id, sum(r.principal) as principal
        from loan_repayments r
       where r.koperasi_id = ${koperasiId} and r.paid_on <= ${asOf}::date
       group by r.loan_id
    ), overdue as (
      select i.loan_id, min(i.due_date) as oldest
        from loan_installments i
        join loans l2 on l2.id = i.loan_id and l2.schedule_version = i.version
       where l2.koperasi_id = ${koperasiId}
         and i.due_date < ${asOf}::date
         and (i.settled_on is null or i.settled_on > ${asOf}::date)
       group by i.loan_id
    ), open_loans as (
      select l.principal - coalesce(r.principal, 0) as outstanding,
             case when o.oldest is null then 0 else (${asOf}::date - o.oldest) end as dpd
        from loans l
        left join repaid r on r.loan_id = l.id
        left join overdue o on o.loan_id = l.id
       where l.koperasi_id = ${koperasiId}
         and l.status in ('aktif', 'lunas', 'dihapusbukukan')
         and l.disbursed_on is not null
         and l.disbursed_on <= ${asOf}::date
         and (l.closed_on is null or l.closed_on > ${asOf}::date)
    )
    select dpd::int as dpd, count(*)::int as n, coalesce(sum(outstanding), 0)::text as outstanding
      from open_loans
     where outstanding > 0
     group by dpd`.execute(db);
  const bands: PortfolioBand[] = kolBands.map((b) => ({ ...b, loans: 0, outstanding: 0n }));
  for (const r of rows.rows) {
    const band = bands.find((b) => b.code === kolektibilitas(Number(r.dpd), kolBands));
    if (band) {
      band.loans += Number(r.n);
      band.outstanding += BigInt(r.outstanding);
    }
  }
  const totalLoans = bands.reduce((x, b) => x + b.loans, 0);
  const totalOutstanding = bands.reduce((x, b) => x + b.outstanding, 0n);
  // Problem loans: every band but the first (the one that holds 0 days past due).
  const first = kolektibilitas(0, kolBands);
  const problem = bands.filter((b) => b.code !== first);
  return {
    asOf,
    bands,
    totalLoans,
    totalOutstanding,
    problemLoans: problem.reduce((x, b) => x + b.loans, 0),
    problemOutstanding: problem.reduce((x, b) => x + b.outstanding, 0n),
    problemBands: problem.map((b) => b.code),
  };
}

// ---------------------------------------------------------------------------------------------
// Indicators from the books

export interface IndicatorPart {
  /** Message key suffix (health.part.<key>) or an account's code and name. */
  key: string;
  label?: string;
  amount: bigint;
}

export interface IndicatorFromBooks {
  key: HealthIndicatorKey;
  numerator: bigint;
  denominator: bigint;
  /** Percent with two decimals (half-up), null when the denominator is zero. */
  value: string | null;
  numeratorParts: IndicatorPart[];
  denominatorParts: IndicatorPart[];
}

function ratioOf(i: IndicatorFromBooks): Rational | null {
  return i.denominator === 0n ? null : { num: i.numerator, den: i.denominator };
}

function percentText(num: bigint, den: bigint): string | null {
  if (den === 0n) return null;
  const neg = num < 0n !== den < 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  const hundredths = (2n * a * 10000n + b) / (2n * b);
  const s = hundredths.toString().padStart(3, '0');
  return `${neg && hundredths !== 0n ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** The four indicators of `year` from the books (with their parts) and the period and portfolio they came from. */
export async function indicatorsFromBooks(db: Db, ctx: RequestContext, koperasiId: string, year: number) {
  requireRead(ctx, koperasiId);
  checkYear(year);
  await requireKoperasi(db, koperasiId);
  const period = await yearPeriod(db, koperasiId, year);
  const [bs, is, portfolio] = await Promise.all([
    balanceSheetReport(db, ctx, koperasiId, period.endDate),
    incomeStatementReport(db, ctx, koperasiId, period.startDate, period.endDate),
    portfolioAt(db, koperasiId, period.endDate),
  ]);
  const make = (key: HealthIndicatorKey, numeratorParts: IndicatorPart[], denominatorParts: IndicatorPart[]): IndicatorFromBooks => {
    const numerator = numeratorParts.reduce((s, p) => s + p.amount, 0n);
    const denominator = denominatorParts.reduce((s, p) => s + p.amount, 0n);
    return { key, numerator, denominator, value: percentText(numerator, denominator), numeratorParts, denominatorParts };
  };
  const cash = bs.assets.filter((a) => a.code === SYSTEM_ACCOUNTS.kas || a.code === SYSTEM_ACCOUNTS.bank);
  const current = bs.liabilities.filter((l) => l.code.startsWith('2-1'));
  const indicators: IndicatorFromBooks[] = [
    make(
      'problemLoanRatio',
      portfolio.bands.filter((b) => portfolio.problemBands.includes(b.code)).map((b) => ({ key: `kol.${b.code}`, amount: b.outstanding })),
      [{ key: 'loansOutstanding', amount: portfolio.totalOutstanding }],
    ),
    make(
      'liquidityRatio',
      cash.map((a) => ({ key: a.code, label: a.name, amount: a.amount })),
      current.map((l) => ({ key: l.code, label: l.name, amount: l.amount })),
    ),
    make('operatingCostRatio', [{ key: 'totalExpense', amount: is.totalExpense }], [{ key: 'totalIncome', amount: is.totalIncome }]),
    make('capitalRatio', [{ key: 'totalEquity', amount: bs.totalEquity }], [{ key: 'totalAssets', amount: bs.totalAssets }]),
  ];
  return { year, ...period, indicators, portfolio, balanceSheet: bs, incomeStatement: is };
}

// ---------------------------------------------------------------------------------------------
// Governance answers

export interface GovernanceAnswer {
  questionId: string;
  answer: boolean;
  note?: string | null;
}

/** Every question answered exactly once, no unknown ids, notes ≤ 500 characters (422 otherwise). */
export function checkGovernance(answers: unknown): { questionId: string; answer: boolean; note: string | null }[] {
  if (!Array.isArray(answers))
    throw ruleViolated('health.governanceMissing', { question: GOVERNANCE_QUESTIONS[0] }, { field: 'governance' });
  const seen = new Map<string, { questionId: string; answer: boolean; note: string | null }>();
  for (const a of answers as GovernanceAnswer[]) {
    const id = a && typeof a === 'object' ? a.questionId : undefined;
    if (typeof id !== 'string' || !(GOVERNANCE_QUESTIONS as readonly string[]).includes(id))
      throw ruleViolated('health.governanceUnknown', { question: String(id) }, { field: 'governance', questionId: id ?? null });
    if (seen.has(id)) throw ruleViolated('health.governanceDuplicate', { question: id }, { field: 'governance', questionId: id });
    if (typeof a.answer !== 'boolean')
      throw ruleViolated('health.governanceMissing', { question: id }, { field: `governance.${id}`, questionId: id });
    const note = typeof a.note === 'string' ? a.note.trim() : null;
    if (note && note.length > NOTE_MAX)
      throw ruleViolated('health.noteTooLong', { max: NOTE_MAX }, { field: `governance.${id}.note`, questionId: id });
    seen.set(id, { questionId: id, answer: a.answer, note: note || null });
  }
  const missing = GOVERNANCE_QUESTIONS.find((q) => !seen.has(q));
  if (missing)
    throw ruleViolated('health.governanceMissing', { question: missing }, { field: `governance.${missing}`, questionId: missing });
  return GOVERNANCE_QUESTIONS.map((q) => seen.get(q)!);
}

// ---------------------------------------------------------------------------------------------
// Assessments

export interface IndicatorJson {
  key: string;
  aspect: string;
  weight: number;
  numerator: number;
  denominator: number;
  value: string | null;
  score: number | null;
  numeratorParts: { key: string; label: string | null; amount: number }[];
  denominatorParts: { key: string; label: string | null; amount: number }[];
}

export interface AssessmentJson {
  id: string | null;
  koperasiId: string;
  year: number;
  startDate: string;
  endDate: string;
  score: number;
  category: HealthCategory;
  aspects: { key: HealthAspect; weight: number; score: number | null }[];
  indicators: IndicatorJson[];
  governance: { questionId: string; answer: boolean; note: string | null }[];
  weights: WeightsConfig;
  assessedBy: string | null;
  assessedAt: string | null;
}

const num = (n: bigint) => Number(n);

function assessmentOf(
  koperasiId: string,
  year: number,
  period: { startDate: string; endDate: string },
  indicators: IndicatorFromBooks[],
  governance: { questionId: string; answer: boolean; note: string | null }[],
  weights: WeightsConfig,
): { json: AssessmentJson; result: HealthResult } {
  const result = assessHealth({
    ratios: Object.fromEntries(indicators.map((i) => [i.key, ratioOf(i)])),
    governance: governance.map((g) => ({ questionId: g.questionId, answer: g.answer })),
    weights: toHealthWeights(weights),
  });
  const part = (p: IndicatorPart) => ({ key: p.key, label: p.label ?? null, amount: num(p.amount) });
  return {
    result,
    json: {
      id: null,
      koperasiId,
      year,
      startDate: period.startDate,
      endDate: period.endDate,
      score: result.total,
      category: result.category,
      aspects: result.aspects.map((a) => ({ key: a.key, weight: weights.aspects[a.key], score: a.score })),
      indicators: indicators.map((i) => ({
        key: i.key,
        aspect: DEFAULT_HEALTH_WEIGHTS.indicators[i.key]!.aspect,
        weight: weights.indicators[i.key],
        numerator: num(i.numerator),
        denominator: num(i.denominator),
        value: i.value,
        score: result.indicators.find((r) => r.key === i.key)?.score ?? null,
        numeratorParts: i.numeratorParts.map(part),
        denominatorParts: i.denominatorParts.map(part),
      })),
      governance,
      weights,
      assessedBy: null,
      assessedAt: null,
    },
  };
}

type AssessmentRow = {
  id: string;
  koperasi_id: string;
  year: number;
  inputs: Record<string, unknown>;
  score: string;
  category: HealthCategory;
  assessed_by: string | null;
  assessed_at: Date;
};

function fromRow(r: AssessmentRow): AssessmentJson {
  const snap = r.inputs as unknown as Omit<AssessmentJson, 'id' | 'assessedBy' | 'assessedAt'>;
  return {
    ...snap,
    id: r.id,
    koperasiId: r.koperasi_id,
    year: r.year,
    score: Number(r.score),
    category: r.category,
    assessedBy: r.assessed_by,
    assessedAt: iso(r.assessed_at),
  };
}

/** The saved assessment of a year, or null. No permission check: callers check. */
export async function savedAssessment(db: Db | Trx, koperasiId: string, year: number): Promise<AssessmentJson | null> {
  const r = await db
    .selectFrom('health_assessments')
    .select(['id', 'koperasi_id', 'year', 'inputs', 'score', 'category', 'assessed_by', 'assessed_at'])
    .where('koperasi_id', '=', koperasiId)
    .where('year', '=', year)
    .executeTakeFirst();
  return r ? fromRow(r as AssessmentRow) : null;
}

/**
 * The year as it stands: indicators from the books now, the koperasi's weights, and the saved
 * assessment (null until one is saved). `preview` scores the indicators with the saved answers (or
 * all "no" before any are given).
 */
export async function healthYear(db: Db, ctx: RequestContext, koperasiId: string, year: number) {
  const books = await indicatorsFromBooks(db, ctx, koperasiId, year);
  const weights = await loadWeights(db, koperasiId);
  const saved = await savedAssessment(db, koperasiId, year);
  const governance = saved?.governance ?? GOVERNANCE_QUESTIONS.map((q) => ({ questionId: q, answer: false, note: null }));
  const { json } = assessmentOf(koperasiId, year, books, books.indicators, governance, weights);
  return { year, startDate: books.startDate, endDate: books.endDate, closed: books.closed, preview: json, weights, assessment: saved };
}

/** Saves (or replaces) the assessment of a year with the pengurus' answers. Pengurus only. Audited. */
export async function saveAssessment(db: Db, ctx: RequestContext, koperasiId: string, year: number, input: { governance: unknown }) {
  requireManage(ctx, koperasiId);
  checkYear(year);
  const governance = checkGovernance(input.governance);
  const books = await indicatorsFromBooks(db, ctx, koperasiId, year);
  return db.transaction().execute(async (trx) => {
    const weights = await loadWeights(trx, koperasiId);
    const before = await savedAssessment(trx, koperasiId, year);
    const { json, result } = assessmentOf(koperasiId, year, books, books.indicators, governance, weights);
    const { id: _id, assessedBy: _b, assessedAt: _a, ...snapshot } = json;
    const values = {
      inputs: JSON.stringify(snapshot),
      result: JSON.stringify(result),
      score: result.total.toFixed(2),
      category: result.category,
      assessed_by: actor(ctx),
      assessed_at: new Date(),
    };
    await trx
      .insertInto('health_assessments')
      .values({ koperasi_id: koperasiId, year, ...values })
      .onConflict((oc) => oc.columns(['koperasi_id', 'year']).doUpdateSet(values))
      .execute();
    const after = (await savedAssessment(trx, koperasiId, year))!;
    await writeAudit(trx, ctx, {
      action: before ? 'health.assessment.update' : 'health.assessment.create',
      entityType: 'health_assessment',
      entityId: after.id,
      organizationId: koperasiId,
      before: before ? { score: before.score, category: before.category, governance: before.governance } : null,
      after: { year, score: after.score, category: after.category, governance: after.governance, weights },
    });
    return { assessment: after, created: !before };
  });
}

/** Saved assessments year by year (oldest first). Pengurus and dinas. */
export async function healthHistory(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  await requireKoperasi(db, koperasiId);
  const rows = await db
    .selectFrom('health_assessments')
    .select(['year', 'score', 'category', 'assessed_at'])
    .where('koperasi_id', '=', koperasiId)
    .orderBy('year')
    .execute();
  return rows.map((r) => ({ year: r.year, score: Number(r.score), category: r.category, assessedAt: iso(r.assessed_at)! }));
}
