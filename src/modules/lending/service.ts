import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { auditInsert, writeAudit } from '../../platform/audit.js';
import { type RequestContext, systemContext } from '../../platform/context.js';
import { conflict, forbidden, notFound, ruleViolated, unauthorized, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { queueMessage } from '../../platform/messages/outbox.js';
import {
  accessTo,
  getMember,
  getOwnMember,
  memberBalances,
  type PostLine,
  postEntry,
  requireManage,
  requireRead,
  todayWib,
  updateSettings as updateBookSettings,
} from '../books/service.js';
import { buildSchedule, DEFAULT_KOL_BANDS, dueDate, type KolBand, kolektibilitas, parseRatePercent, roundHalfUp } from './calc.js';
import {
  accruePenalties,
  applyPayment,
  daysPastDue,
  type InstallmentState,
  owedOn,
  type PayoffQuote,
  payoffQuote,
  totalOutstanding,
} from './loans-domain.js';
import * as repo from './repository.js';
import type {
  AnalysisInput,
  DisburseInput,
  LendingSettingsInput,
  LoanInput,
  LoanListQuery,
  PayoffInput,
  ProductInput,
  ProductPatch,
  ReasonInput,
  RepaymentInput,
  RescheduleInput,
  WriteoffInput,
} from './schemas.js';

export type { LoanRow, ProductRow } from './repository.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Accounts lending posts to (the SAK EP chart of the books module). */
export const LENDING_ACCOUNTS = {
  kas: '1-1100',
  bank: '1-1200',
  piutang: '1-1300',
  pendapatanJasa: '4-1100',
  pendapatanAdministrasi: '4-1200',
  pendapatanDenda: '4-1400',
  bebanPenyisihan: '5-2400',
} as const;

const actor = (ctx: RequestContext) => ctx.user?.id ?? null;
const sysCtx = () => systemContext(translator('id'));
const memoT = translator('id');
const rp = (n: bigint) => n.toLocaleString('id-ID');

function int(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`amount ${n} is not a safe integer`);
  return Number(n);
}

// ---------------------------------------------------------------------------------------------
// Rates: exact decimal text in, exact decimal text stored (numeric), never a float.

/** A percentage from the API (JSON number or decimal string) as exact decimal text; 422 when not a valid rate. */
export function rateText(v: number | string, field: string): string {
  const text = typeof v === 'number' ? String(v) : v.trim();
  const r = parseRatePercent(text);
  if (!r) throw validationFailed([{ field, message: 'lending.rateInvalid' }]);
  return decimalText(r.num, r.den);
}

/** num/den (den a power of ten) as decimal text with at most 6 places, trailing zeros dropped. */
export function decimalText(num: bigint, den: bigint): string {
  const scaled = (num * 1_000_000n) / den;
  const whole = scaled / 1_000_000n;
  const frac = (scaled % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

function rate(text: string): { num: bigint; den: bigint } {
  const r = parseRatePercent(text);
  if (!r) throw new RangeError(`stored rate ${text} is not a decimal`);
  return r;
}

/** Percent of an amount, rounded half-up to the Rupiah. */
function percentOf(amount: bigint, percentText: string): bigint {
  const r = rate(percentText);
  return roundHalfUp(amount * r.num, r.den * 100n);
}

// ---------------------------------------------------------------------------------------------
// Access: pengurus of the koperasi manage; dinas read; a member sees only their own loans.

async function ownMemberId(db: Db | Trx, ctx: RequestContext, koperasiId: string): Promise<string | null> {
  const a = accessTo(ctx, koperasiId);
  if (a === null) throw notFound();
  if (a !== 'member') return null;
  return (await getOwnMember(db as Db, ctx, koperasiId)).id;
}

function requireCaller(ctx: RequestContext) {
  if (!ctx.user && !(ctx.user === null && ctx.ip === null)) throw unauthorized();
}

// ---------------------------------------------------------------------------------------------
// Settings (kolektibilitas bands, reminders)

export async function lendingSettings(db: Db | Trx, koperasiId: string) {
  const s = await repo.findSettings(db, koperasiId);
  return { kolBands: (s?.kol_bands as KolBand[] | undefined) ?? DEFAULT_KOL_BANDS, reminderDaysBefore: s?.reminder_days_before ?? 3 };
}

/** Bands must start at 0, be contiguous and end open (maxDays null). */
export function checkBands(bands: KolBand[]): boolean {
  if (bands.length === 0 || bands[0]?.minDays !== 0) return false;
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i] as KolBand;
    const last = i === bands.length - 1;
    if (last !== (b.maxDays === null)) return false;
    if (b.maxDays !== null && b.maxDays < b.minDays) return false;
    if (!last && (bands[i + 1] as KolBand).minDays !== (b.maxDays as number) + 1) return false;
  }
  return new Set(bands.map((b) => b.code)).size === bands.length;
}

export async function getLendingSettings(db: Db, ctx: RequestContext, koperasiId: string) {
  requireCaller(ctx);
  if (accessTo(ctx, koperasiId) === null) throw notFound();
  return lendingSettings(db, koperasiId);
}

export async function updateLendingSettings(db: Db, ctx: RequestContext, koperasiId: string, input: LendingSettingsInput) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const before = await lendingSettings(trx, koperasiId);
    const next = { kolBands: input.kolBands ?? before.kolBands, reminderDaysBefore: input.reminderDaysBefore ?? before.reminderDaysBefore };
    if (!checkBands(next.kolBands)) throw validationFailed([{ field: 'kolBands', message: 'lending.bandsInvalid' }]);
    await repo.upsertSettings(trx, koperasiId, { ...next, userId: actor(ctx) });
    await writeAudit(trx, ctx, {
      action: 'lending.settings.update',
      entityType: 'lending_settings',
      entityId: koperasiId,
      organizationId: koperasiId,
      before,
      after: next,
    });
    return next;
  });
}

// ---------------------------------------------------------------------------------------------
// Loan products

export function toProductJson(p: repo.ProductRow) {
  return {
    id: p.id,
    koperasiId: p.koperasi_id,
    name: p.name,
    method: p.method,
    annualRatePercent: Number(p.annual_rate_percent),
    rateBasis: p.rate_basis,
    monthlyRatePercent: Number(decimalText(rate(p.annual_rate_percent).num, rate(p.annual_rate_percent).den * 12n)),
    minTerm: p.min_term,
    maxTerm: p.max_term,
    minAmount: int(p.min_amount),
    maxAmount: int(p.max_amount),
    maxSavingsMultiple: p.max_savings_multiple === null ? null : Number(p.max_savings_multiple),
    adminFeePercent: Number(p.admin_fee_percent),
    adminFeeFlat: int(p.admin_fee_flat),
    provisiPercent: Number(p.provisi_percent),
    feeTiming: p.fee_timing,
    penaltyMode: p.penalty_mode,
    penaltyRatePercent: Number(p.penalty_rate_percent),
    graceMonths: p.grace_months,
    roundingUnit: int(p.rounding_unit),
    earlyPayoffRule: p.early_payoff_rule,
    writeoffMinDays: p.writeoff_min_days,
    active: p.active,
  };
}
export type ProductJson = ReturnType<typeof toProductJson>;

export async function listProducts(db: Db, ctx: RequestContext, koperasiId: string, opts: { activeOnly?: boolean } = {}) {
  requireCaller(ctx);
  if (accessTo(ctx, koperasiId) === null) throw notFound();
  return repo.listProducts(db, koperasiId, opts);
}

export async function getProduct(db: Db, ctx: RequestContext, koperasiId: string, productId: string) {
  requireCaller(ctx);
  if (accessTo(ctx, koperasiId) === null) throw notFound();
  const p = await repo.findProduct(db, koperasiId, productId);
  if (!p) throw notFound('lending.productNotFound');
  return p;
}

function productValues(input: ProductPatch, current?: repo.ProductRow) {
  const values: Record<string, unknown> = {};
  if (input.name !== undefined) values.name = input.name.trim();
  if (input.method !== undefined) values.method = input.method;
  const basis = input.rateBasis ?? current?.rate_basis ?? 'year';
  if (input.ratePercent !== undefined || input.rateBasis !== undefined) {
    const entered = input.ratePercent !== undefined ? rateText(input.ratePercent, 'ratePercent') : null;
    const base =
      entered ??
      // rate basis changed alone: keep the annual rate
      (current ? current.annual_rate_percent : '0');
    const r = rate(base);
    const annual = entered !== null && basis === 'month' ? decimalText(r.num * 12n, r.den) : decimalText(r.num, r.den);
    if (Number(annual) > 100) throw validationFailed([{ field: 'ratePercent', message: 'lending.rateInvalid' }]);
    values.annual_rate_percent = annual;
    values.rate_basis = basis;
  }
  if (input.minTerm !== undefined) values.min_term = input.minTerm;
  if (input.maxTerm !== undefined) values.max_term = input.maxTerm;
  if (input.minAmount !== undefined) values.min_amount = BigInt(input.minAmount);
  if (input.maxAmount !== undefined) values.max_amount = BigInt(input.maxAmount);
  if (input.maxSavingsMultiple !== undefined)
    values.max_savings_multiple = input.maxSavingsMultiple === null ? null : rateText(input.maxSavingsMultiple, 'maxSavingsMultiple');
  if (input.adminFeePercent !== undefined) values.admin_fee_percent = rateText(input.adminFeePercent, 'adminFeePercent');
  if (input.adminFeeFlat !== undefined) values.admin_fee_flat = BigInt(input.adminFeeFlat);
  if (input.provisiPercent !== undefined) values.provisi_percent = rateText(input.provisiPercent, 'provisiPercent');
  if (input.feeTiming !== undefined) values.fee_timing = input.feeTiming;
  if (input.penaltyMode !== undefined) values.penalty_mode = input.penaltyMode;
  if (input.penaltyRatePercent !== undefined) values.penalty_rate_percent = rateText(input.penaltyRatePercent, 'penaltyRatePercent');
  if (input.graceMonths !== undefined) values.grace_months = input.graceMonths;
  if (input.roundingUnit !== undefined) values.rounding_unit = BigInt(input.roundingUnit);
  if (input.earlyPayoffRule !== undefined) values.early_payoff_rule = input.earlyPayoffRule;
  if (input.writeoffMinDays !== undefined) values.writeoff_min_days = input.writeoffMinDays;
  if (input.active !== undefined) values.active = input.active;
  // Cross-field rules on the merged product.
  const minTerm = (values.min_term as number | undefined) ?? current?.min_term ?? 1;
  const maxTerm = (values.max_term as number | undefined) ?? current?.max_term ?? minTerm;
  const minAmount = (values.min_amount as bigint | undefined) ?? current?.min_amount ?? 1n;
  const maxAmount = (values.max_amount as bigint | undefined) ?? current?.max_amount ?? minAmount;
  const grace = (values.grace_months as number | undefined) ?? current?.grace_months ?? 0;
  const issues = [];
  if (maxTerm < minTerm) issues.push({ field: 'maxTerm', message: 'lending.termRangeInvalid' });
  if (maxAmount < minAmount) issues.push({ field: 'maxAmount', message: 'lending.amountRangeInvalid' });
  if (grace >= minTerm) issues.push({ field: 'graceMonths', message: 'lending.graceTooLong' });
  if (issues.length) throw validationFailed(issues as { field: string; message: 'lending.termRangeInvalid' }[]);
  return values;
}

export async function createProduct(db: Db, ctx: RequestContext, koperasiId: string, input: ProductInput) {
  requireManage(ctx, koperasiId);
  const values = productValues(input);
  return db.transaction().execute(async (trx) => {
    if (await repo.productNameTaken(trx, koperasiId, input.name.trim())) throw conflict('lending.productNameTaken');
    const row = await trx
      .insertInto('loan_products')
      .values({ ...values, koperasi_id: koperasiId, created_by: actor(ctx) } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'lending.product.create',
      entityType: 'loan_product',
      entityId: row.id,
      organizationId: koperasiId,
      after: toProductJson(row),
    });
    return row;
  });
}

export async function updateProduct(db: Db, ctx: RequestContext, koperasiId: string, productId: string, input: ProductPatch) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const current = await repo.findProduct(trx, koperasiId, productId);
    if (!current) throw notFound('lending.productNotFound');
    const values = productValues(input, current);
    if (input.name !== undefined && (await repo.productNameTaken(trx, koperasiId, input.name.trim(), productId)))
      throw conflict('lending.productNameTaken');
    const row = await trx
      .updateTable('loan_products')
      .set({ ...values, updated_at: new Date() } as never)
      .where('id', '=', productId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'lending.product.update',
      entityType: 'loan_product',
      entityId: productId,
      organizationId: koperasiId,
      before: toProductJson(current),
      after: toProductJson(row),
    });
    return row;
  });
}

// ---------------------------------------------------------------------------------------------
// Loans: JSON

export type Component = { principal: bigint; interest: bigint; penalty: bigint };

export interface LoanView {
  loan: repo.LoanRow;
  installments: InstallmentState[];
  asOf: string;
  daysPastDue: number;
  kolektibilitas: string;
  outstanding: Component;
  dueNow: Component;
}

function sumOwed(items: InstallmentState[], pick: (i: InstallmentState) => boolean): Component {
  const out = { principal: 0n, interest: 0n, penalty: 0n };
  for (const i of items) {
    if (!pick(i)) continue;
    const o = owedOn(i);
    out.principal += o.principal;
    out.interest += o.interest;
    out.penalty += o.penalty;
  }
  return out;
}

async function view(db: Db | Trx, loan: repo.LoanRow, asOf: string): Promise<LoanView> {
  const product = (await repo.findProduct(db, loan.koperasi_id, loan.product_id)) as repo.ProductRow;
  const raw = loan.schedule_version > 0 ? await repo.installments(db, loan.id, loan.schedule_version) : [];
  const live = loan.status === 'aktif' ? accruePenalties(raw, product.penalty_mode, rate(product.penalty_rate_percent), asOf) : raw;
  const { kolBands } = await lendingSettings(db, loan.koperasi_id);
  const dpd = loan.status === 'aktif' ? daysPastDue(live, asOf) : 0;
  return {
    loan,
    installments: live,
    asOf,
    daysPastDue: dpd,
    kolektibilitas: loan.status === 'aktif' ? kolektibilitas(dpd, kolBands) : loan.kolektibilitas,
    outstanding: sumOwed(live, () => true),
    dueNow: sumOwed(live, (i) => i.dueDate <= asOf),
  };
}

const comp = (c: Component) => ({
  principal: int(c.principal),
  interest: int(c.interest),
  penalty: int(c.penalty),
  total: int(c.principal + c.interest + c.penalty),
});

export function toLoanJson(v: LoanView) {
  const l = v.loan;
  return {
    id: l.id,
    koperasiId: l.koperasi_id,
    number: l.number,
    memberId: l.member_id,
    memberName: l.member_name,
    memberNumber: l.member_number,
    productId: l.product_id,
    productName: l.product_name,
    principal: int(l.principal),
    termMonths: l.term_months,
    method: l.method,
    annualRatePercent: Number(l.annual_rate_percent),
    roundingUnit: int(l.rounding_unit),
    graceMonths: l.grace_months,
    purpose: l.purpose,
    collateral: l.collateral,
    guarantor: l.guarantor,
    analysisNotes: l.analysis_notes,
    status: l.status,
    enteredBy: l.entered_by,
    appliedOn: l.applied_on,
    decidedBy: l.decided_by,
    rejectionReason: l.rejection_reason,
    disbursedOn: l.disbursed_on,
    disbursementMethod: l.disbursement_method,
    adminFee: int(l.admin_fee),
    provisiFee: int(l.provisi_fee),
    scheduleVersion: l.schedule_version,
    closedOn: l.closed_on,
    asOf: v.asOf,
    daysPastDue: v.daysPastDue,
    kolektibilitas: v.kolektibilitas,
    outstanding: comp(v.outstanding),
    dueNow: comp(v.dueNow),
    schedule: v.installments.map((i) => {
      const o = owedOn(i);
      return {
        number: i.number,
        dueDate: i.dueDate,
        principal: int(i.principal),
        interest: int(i.interest),
        total: int(i.principal + i.interest),
        paidPrincipal: int(i.paidPrincipal),
        paidInterest: int(i.paidInterest),
        waivedInterest: int(i.waivedInterest),
        penalty: int(i.penalty),
        paidPenalty: int(i.paidPenalty),
        owed: int(o.principal + o.interest + o.penalty),
        settledOn: i.settledOn,
        state: i.settledOn ? 'lunas' : i.dueDate < v.asOf && o.principal + o.interest > 0n ? 'terlambat' : 'belum',
      };
    }),
  };
}
export type LoanJson = ReturnType<typeof toLoanJson>;

export function toQuoteJson(q: PayoffQuote, asOf: string) {
  return {
    asOf,
    penalty: int(q.penalty),
    interest: int(q.interest),
    principal: int(q.principal),
    waivedInterest: int(q.waivedInterest),
    total: int(q.total),
  };
}

// ---------------------------------------------------------------------------------------------
// Loans: reading

async function loadLoan(db: Db | Trx, ctx: RequestContext, koperasiId: string, loanId: string): Promise<repo.LoanRow> {
  requireCaller(ctx);
  const own = await ownMemberId(db, ctx, koperasiId);
  const loan = await repo.findLoan(db, koperasiId, loanId);
  if (!loan || (own !== null && loan.member_id !== own)) throw notFound('lending.loanNotFound');
  return loan;
}

export async function getLoan(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, asOf = todayWib()) {
  const loan = await loadLoan(db, ctx, koperasiId, loanId);
  return view(db, loan, asOf);
}

export async function loanHistory(db: Db, ctx: RequestContext, koperasiId: string, loanId: string) {
  const loan = await loadLoan(db, ctx, koperasiId, loanId);
  const [events, payments, versions] = await Promise.all([
    repo.events(db, loan.id),
    repo.repayments(db, loan.id),
    repo.versions(db, loan.id),
  ]);
  return { events, payments, versions };
}

export async function listLoans(db: Db, ctx: RequestContext, koperasiId: string, q: LoanListQuery) {
  requireCaller(ctx);
  const own = await ownMemberId(db, ctx, koperasiId);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 25;
  const r = await repo.listLoans(db, koperasiId, { ...q, ...(own !== null ? { memberId: own } : {}), page, pageSize });
  return { ...r, page, pageSize };
}

/** The loans of the calling member (anggota) in a koperasi. */
export async function myLoans(db: Db, ctx: RequestContext, koperasiId: string) {
  const member = await getOwnMember(db, ctx, koperasiId);
  const r = await repo.listLoans(db, koperasiId, { memberId: member.id, page: 1, pageSize: 100 });
  return { member, items: r.items };
}

export async function quotePayoff(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, asOf = todayWib()) {
  const loan = await loadLoan(db, ctx, koperasiId, loanId);
  if (loan.status !== 'aktif') throw conflict('lending.notActive');
  if (loan.disbursed_on && asOf < loan.disbursed_on) throw ruleViolated('lending.dateBeforeDisbursement', { date: loan.disbursed_on });
  const v = await view(db, loan, asOf);
  const product = (await repo.findProduct(db, koperasiId, loan.product_id)) as repo.ProductRow;
  return payoffQuote(v.installments, product.early_payoff_rule, asOf);
}

// ---------------------------------------------------------------------------------------------
// Loans: lifecycle

async function requireLoanForUpdate(trx: Trx, koperasiId: string, loanId: string): Promise<repo.LoanRow> {
  const loan = await repo.findLoan(trx, koperasiId, loanId, { forUpdate: true });
  if (!loan) throw notFound('lending.loanNotFound');
  return loan;
}

function requireStatus(loan: repo.LoanRow, ...allowed: repo.LoanRow['status'][]) {
  if (!allowed.includes(loan.status)) throw conflict('lending.wrongStatus', { status: loan.status });
}

/**
 * A loan application: by pengurus for any active member, or by a member (anggota) for themself.
 * Checked against the product: active, term range, amount range and the savings multiple.
 */
export async function applyForLoan(db: Db, ctx: RequestContext, koperasiId: string, input: LoanInput) {
  requireCaller(ctx);
  const access = accessTo(ctx, koperasiId);
  if (access === null) throw notFound();
  if (access === 'read') throw forbidden();
  const appliedOn = input.appliedOn ?? todayWib();
  if (access === 'member') {
    const own = await getOwnMember(db, ctx, koperasiId);
    if (own.id !== input.memberId) throw notFound('books.memberNotFound');
  }
  return db.transaction().execute(async (trx) => {
    const member = await getMember(trx, sysCtx(), koperasiId, input.memberId);
    if (member.status !== 'aktif') throw conflict('books.memberNotActive');
    const product = await repo.findProduct(trx, koperasiId, input.productId);
    if (!product?.active) throw notFound('lending.productNotFound');
    const principal = BigInt(input.principal);
    const issues = [];
    if (input.termMonths < product.min_term || input.termMonths > product.max_term)
      issues.push({ field: 'termMonths', message: 'lending.termOutOfRange' as const });
    if (principal < product.min_amount || principal > product.max_amount)
      issues.push({ field: 'principal', message: 'lending.amountOutOfRange' as const });
    if (issues.length) {
      throw ruleViolated(
        issues[0]?.message ?? 'lending.amountOutOfRange',
        { min: rp(product.min_amount), max: rp(product.max_amount), minTerm: product.min_term, maxTerm: product.max_term },
        { fields: issues },
      );
    }
    if (product.max_savings_multiple !== null) {
      const b = (await memberBalances(trx as unknown as Db, sysCtx(), koperasiId, member.id)).balances;
      const savings = b.pokok + b.wajib + b.sukarela;
      const m = rate(product.max_savings_multiple);
      const cap = (savings * m.num) / m.den;
      if (principal > cap)
        throw ruleViolated(
          'lending.aboveSavingsMultiple',
          { cap: rp(cap), multiple: Number(product.max_savings_multiple) },
          { cap: int(cap) },
        );
    }
    const number = await repo.nextLoanNumber(trx, koperasiId);
    const row = await trx
      .insertInto('loans')
      .values({
        koperasi_id: koperasiId,
        number,
        member_id: member.id,
        product_id: product.id,
        principal,
        term_months: input.termMonths,
        method: product.method,
        annual_rate_percent: product.annual_rate_percent,
        rounding_unit: product.rounding_unit,
        grace_months: product.grace_months,
        purpose: input.purpose.trim(),
        collateral: input.collateral?.trim() || null,
        guarantor: input.guarantor?.trim() || null,
        entered_by: actor(ctx),
        applied_on: appliedOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await repo.addEvent(trx, row.id, 'diajukan', actor(ctx), { principal, termMonths: input.termMonths, byMember: access === 'member' });
    await writeAudit(trx, ctx, {
      action: 'lending.loan.apply',
      entityType: 'loan',
      entityId: row.id,
      organizationId: koperasiId,
      after: { number, memberId: member.id, productId: product.id, principal, termMonths: input.termMonths, status: 'diajukan' },
    });
    return (await repo.findLoan(trx, koperasiId, row.id)) as repo.LoanRow;
  });
}

export async function addAnalysis(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, input: AnalysisInput) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const loan = await requireLoanForUpdate(trx, koperasiId, loanId);
    requireStatus(loan, 'diajukan');
    await trx.updateTable('loans').set({ analysis_notes: input.notes.trim(), updated_at: new Date() }).where('id', '=', loan.id).execute();
    await repo.addEvent(trx, loan.id, 'analisis', actor(ctx), { notes: input.notes.trim() });
    await writeAudit(trx, ctx, {
      action: 'lending.loan.analysis',
      entityType: 'loan',
      entityId: loan.id,
      organizationId: koperasiId,
      after: { notes: input.notes.trim() },
    });
    return (await repo.findLoan(trx, koperasiId, loan.id)) as repo.LoanRow;
  });
}

/** Approval by a pengurus who did not enter the loan (403 otherwise). */
export async function approveLoan(db: Db, ctx: RequestContext, koperasiId: string, loanId: string) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const loan = await requireLoanForUpdate(trx, koperasiId, loanId);
    if (loan.entered_by !== null && loan.entered_by === actor(ctx)) throw forbidden('lending.selfApproval');
    requireStatus(loan, 'diajukan');
    await trx
      .updateTable('loans')
      .set({ status: 'disetujui', decided_by: actor(ctx), decided_at: new Date(), updated_at: new Date() })
      .where('id', '=', loan.id)
      .execute();
    await repo.addEvent(trx, loan.id, 'disetujui', actor(ctx));
    await writeAudit(trx, ctx, {
      action: 'lending.loan.approve',
      entityType: 'loan',
      entityId: loan.id,
      organizationId: koperasiId,
      before: { status: loan.status },
      after: { status: 'disetujui' },
    });
    return (await repo.findLoan(trx, koperasiId, loan.id)) as repo.LoanRow;
  });
}

export async function rejectLoan(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, input: ReasonInput) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const loan = await requireLoanForUpdate(trx, koperasiId, loanId);
    requireStatus(loan, 'diajukan', 'disetujui');
    await trx
      .updateTable('loans')
      .set({
        status: 'ditolak',
        decided_by: actor(ctx),
        decided_at: new Date(),
        rejection_reason: input.reason.trim(),
        updated_at: new Date(),
      })
      .where('id', '=', loan.id)
      .execute();
    await repo.addEvent(trx, loan.id, 'ditolak', actor(ctx), { reason: input.reason.trim() });
    await writeAudit(trx, ctx, {
      action: 'lending.loan.reject',
      entityType: 'loan',
      entityId: loan.id,
      organizationId: koperasiId,
      before: { status: loan.status },
      after: { status: 'ditolak', reason: input.reason.trim() },
    });
    return (await repo.findLoan(trx, koperasiId, loan.id)) as repo.LoanRow;
  });
}

/** Admin fee (percent + flat) and provisi of a principal, each rounded half-up. */
export function feesFor(product: repo.ProductRow, principal: bigint) {
  return {
    admin: percentOf(principal, product.admin_fee_percent) + product.admin_fee_flat,
    provisi: percentOf(principal, product.provisi_percent),
  };
}

/**
 * Disbursement: builds the schedule (version 1) from the day of disbursement and posts
 * Dr Piutang pinjaman anggota (principal) / Cr Kas or Bank (principal − fees when deducted) /
 * Cr Pendapatan administrasi (fees). Fees paid up front come in as cash: Dr Kas (fees), and the
 * full principal goes out from Kas or Bank.
 */
export async function disburseLoan(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, input: DisburseInput) {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  const method = input.method ?? 'cash';
  return db.transaction().execute(async (trx) => {
    const loan = await requireLoanForUpdate(trx, koperasiId, loanId);
    requireStatus(loan, 'disetujui');
    if (date < loan.applied_on) throw ruleViolated('lending.dateBeforeApplication', { date: loan.applied_on });
    const product = (await repo.findProduct(trx, koperasiId, loan.product_id)) as repo.ProductRow;
    const fees = feesFor(product, loan.principal);
    const feeTotal = fees.admin + fees.provisi;
    if (feeTotal >= loan.principal) throw ruleViolated('lending.feesTooHigh');
    const schedule = buildSchedule({
      principal: loan.principal,
      annualRatePercent: loan.annual_rate_percent,
      termMonths: loan.term_months,
      method: loan.method,
      startDate: date,
      roundingUnit: loan.rounding_unit,
      graceMonths: loan.grace_months,
    });
    const cashAccount = method === 'cash' ? LENDING_ACCOUNTS.kas : LENDING_ACCOUNTS.bank;
    const lines: PostLine[] = [{ code: LENDING_ACCOUNTS.piutang, debit: loan.principal, credit: 0n, memberId: loan.member_id }];
    if (product.fee_timing === 'deducted' || feeTotal === 0n) {
      lines.push({ code: cashAccount, debit: 0n, credit: loan.principal - feeTotal });
    } else {
      lines.push({ code: LENDING_ACCOUNTS.kas, debit: feeTotal, credit: 0n }, { code: cashAccount, debit: 0n, credit: loan.principal });
    }
    if (feeTotal > 0n) lines.push({ code: LENDING_ACCOUNTS.pendapatanAdministrasi, debit: 0n, credit: feeTotal });
    const entry = await postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT('lending.memo.disbursement', { number: loan.number, name: loan.member_name, memberNumber: loan.member_number }),
      sourceType: 'loan_disbursement',
      sourceId: loan.id,
      lines,
    });
    await repo.insertInstallments(trx, loan.id, 1, schedule.installments);
    await trx
      .updateTable('loans')
      .set({
        status: 'aktif',
        disbursed_on: date,
        disbursement_method: method,
        admin_fee: fees.admin,
        provisi_fee: fees.provisi,
        disbursement_entry_id: entry.id,
        schedule_version: 1,
        principal_outstanding: loan.principal,
        days_past_due: 0,
        kolektibilitas: 'lancar',
        arrears_as_of: date,
        updated_at: new Date(),
      })
      .where('id', '=', loan.id)
      .execute();
    await repo.addEvent(trx, loan.id, 'dicairkan', actor(ctx), {
      date,
      method,
      adminFee: fees.admin,
      provisiFee: fees.provisi,
      journalNumber: entry.number,
    });
    await writeAudit(trx, ctx, {
      action: 'lending.loan.disburse',
      entityType: 'loan',
      entityId: loan.id,
      organizationId: koperasiId,
      before: { status: loan.status },
      after: {
        status: 'aktif',
        date,
        method,
        principal: loan.principal,
        adminFee: fees.admin,
        provisiFee: fees.provisi,
        journalEntryNumber: entry.number,
      },
    });
    return (await repo.findLoan(trx, koperasiId, loan.id)) as repo.LoanRow;
  });
}

/** Locks an active loan and returns it with its product, kolektibilitas bands and current instalments, penalties accrued to `date`. */
async function activeLoanState(trx: Trx, koperasiId: string, loanId: string, date: string) {
  const loan = await requireLoanForUpdate(trx, koperasiId, loanId);
  requireStatus(loan, 'aktif');
  if (loan.disbursed_on && date < loan.disbursed_on) throw ruleViolated('lending.dateBeforeDisbursement', { date: loan.disbursed_on });
  const { kol_bands, ...product } = (await repo.findProductWithBands(trx, koperasiId, loan.product_id)) as repo.ProductRow & {
    kol_bands: unknown;
  };
  const stored = await repo.installments(trx, loan.id, loan.schedule_version);
  const accrued = accruePenalties(stored, product.penalty_mode, rate(product.penalty_rate_percent), date);
  return { loan, product, stored, accrued, kolBands: (kol_bands as KolBand[] | null) ?? DEFAULT_KOL_BANDS };
}

/**
 * A payment's consequences, as writes for its journal entry's statement: the changed instalments,
 * the repayment row, the loan's new state (outstanding principal, days past due and
 * kolektibilitas as of the payment's date, lunas when every instalment is settled) and the loan
 * event. `closed`: the loan is now lunas.
 */
function paymentWrites(
  trx: Trx,
  loan: repo.LoanRow,
  kolBands: KolBand[],
  stored: InstallmentState[],
  states: InstallmentState[],
  repayment: Omit<repo.RepaymentInsert, 'loan_id' | 'koperasi_id'> & { principal: bigint; paid_on: string },
  actorId: string | null,
  event: (closed: boolean) => { kind: string; data: Record<string, unknown> },
) {
  const closed = states.every((i) => i.settledOn !== null);
  const dpd = closed ? 0 : daysPastDue(states, repayment.paid_on);
  const ev = event(closed);
  const installments = repo.installmentsUpdate(trx, loan.id, loan.schedule_version, stored, states);
  const writes = [
    ...(installments ? [installments] : []),
    ...repo.paymentWrites(
      trx,
      { ...repayment, loan_id: loan.id, koperasi_id: loan.koperasi_id },
      {
        principal_outstanding: loan.principal_outstanding - repayment.principal,
        days_past_due: dpd,
        kolektibilitas: kolektibilitas(dpd, kolBands),
        arrears_as_of: repayment.paid_on,
        ...(closed ? { status: 'lunas' as const, closed_on: repayment.paid_on } : {}),
        updated_at: new Date(),
      },
      { kind: ev.kind, actor: actorId, data: ev.data },
    ),
  ];
  return { closed, writes };
}

function paymentLines(
  loan: repo.LoanRow,
  method: 'cash' | 'transfer',
  parts: { penalty: bigint; interest: bigint; principal: bigint },
): PostLine[] {
  const total = parts.penalty + parts.interest + parts.principal;
  const lines: PostLine[] = [{ code: method === 'cash' ? LENDING_ACCOUNTS.kas : LENDING_ACCOUNTS.bank, debit: total, credit: 0n }];
  if (parts.penalty > 0n) lines.push({ code: LENDING_ACCOUNTS.pendapatanDenda, debit: 0n, credit: parts.penalty });
  if (parts.interest > 0n)
    lines.push({ code: LENDING_ACCOUNTS.pendapatanJasa, debit: 0n, credit: parts.interest, memberId: loan.member_id });
  if (parts.principal > 0n) lines.push({ code: LENDING_ACCOUNTS.piutang, debit: 0n, credit: parts.principal, memberId: loan.member_id });
  return lines;
}

export interface RepaymentResult {
  id: string;
  loanId: string;
  date: string;
  amount: bigint;
  penalty: bigint;
  interest: bigint;
  principal: bigint;
  kind: 'angsuran' | 'pelunasan';
  journalEntryId: string;
  journalEntryNumber: number;
  loanStatus: repo.LoanRow['status'];
  principalOutstanding: bigint;
}

/**
 * A repayment: penalties accrue to the payment day, then the amount is applied instalment by
 * instalment, oldest first, each to penalty, then interest, then principal; paying ahead pays the
 * next instalments in full. More than everything still scheduled → 422 (use the payoff). Posts
 * Dr Kas|Bank / Cr Pendapatan denda, Pendapatan jasa pinjaman, Piutang pinjaman anggota.
 */
export async function recordRepayment(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  loanId: string,
  input: RepaymentInput,
): Promise<RepaymentResult> {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  const amount = BigInt(input.amount);
  const method = input.method ?? 'cash';
  return db.transaction().execute(async (trx) => {
    const { loan, stored, accrued, kolBands } = await activeLoanState(trx, koperasiId, loanId, date);
    const outstanding = totalOutstanding(accrued);
    if (amount > outstanding)
      throw ruleViolated('lending.overpayment', { outstanding: rp(outstanding) }, { outstanding: int(outstanding) });
    const paid = applyPayment(accrued, amount, date);
    const id = randomUUID();
    const entryId = randomUUID();
    const { closed, writes } = paymentWrites(
      trx,
      loan,
      kolBands,
      stored,
      paid.states,
      {
        id,
        paid_on: date,
        amount,
        penalty: paid.penalty,
        interest: paid.interest,
        principal: paid.principal,
        kind: 'angsuran',
        method,
        journal_entry_id: entryId,
        created_by: actor(ctx),
      },
      actor(ctx),
      (lunas) => ({
        kind: lunas ? 'lunas' : 'angsuran',
        data: { amount, penalty: paid.penalty, interest: paid.interest, principal: paid.principal, date },
      }),
    );
    const entry = await postPayment(trx, ctx, loan, {
      id,
      entryId,
      date,
      memo: 'lending.memo.repayment',
      lines: paymentLines(loan, method, paid),
      writes,
      audit: {
        action: 'lending.loan.repayment',
        before: { principalOutstanding: loan.principal_outstanding },
        after: {
          repaymentId: id,
          date,
          amount,
          penalty: paid.penalty,
          interest: paid.interest,
          principal: paid.principal,
          status: closed ? 'lunas' : 'aktif',
        },
      },
    });
    return {
      id,
      loanId: loan.id,
      date,
      amount,
      penalty: paid.penalty,
      interest: paid.interest,
      principal: paid.principal,
      kind: 'angsuran',
      journalEntryId: entry.id,
      journalEntryNumber: entry.number,
      loanStatus: closed ? 'lunas' : 'aktif',
      principalOutstanding: loan.principal_outstanding - paid.principal,
    };
  });
}

/**
 * A payment's journal entry with everything else it writes — the payment's rows (paymentWrites) and
 * the audit record, which gets the entry's number — in one statement.
 */
function postPayment(
  trx: Trx,
  ctx: RequestContext,
  loan: repo.LoanRow,
  p: {
    id: string;
    entryId: string;
    date: string;
    memo: 'lending.memo.repayment' | 'lending.memo.payoff';
    lines: PostLine[];
    writes: ReturnType<typeof paymentWrites>['writes'];
    audit: { action: string; before: Record<string, unknown>; after: Record<string, unknown> };
  },
) {
  return postEntry(
    trx,
    ctx,
    loan.koperasi_id,
    {
      date: p.date,
      memo: memoT(p.memo, { number: loan.number, name: loan.member_name, memberNumber: loan.member_number }),
      sourceType: 'loan_repayment',
      sourceId: p.id,
      lines: p.lines,
    },
    {
      id: p.entryId,
      companions: ({ number }) => [
        ...p.writes,
        auditInsert(
          trx,
          ctx,
          {
            action: p.audit.action,
            entityType: 'loan',
            entityId: loan.id,
            organizationId: loan.koperasi_id,
            before: p.audit.before,
            after: p.audit.after,
          },
          sql`jsonb_build_object('journalEntryNumber', ${number})`,
        ),
      ],
    },
  );
}

/**
 * Early payoff: the amount must equal the day's quote (409 with the quote otherwise). Interest not
 * yet due that the koperasi's rule does not charge is waived on the instalments; the loan is lunas.
 */
export async function payOff(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  loanId: string,
  input: PayoffInput,
): Promise<RepaymentResult> {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  const amount = BigInt(input.amount);
  const method = input.method ?? 'cash';
  return db.transaction().execute(async (trx) => {
    const { loan, product, stored, accrued, kolBands } = await activeLoanState(trx, koperasiId, loanId, date);
    const quote = payoffQuote(accrued, product.early_payoff_rule, date);
    if (amount !== quote.total) throw conflict('lending.payoffAmountMismatch', { total: rp(quote.total) }, toQuoteJson(quote, date));
    // Waive the interest the rule does not charge, then the quote pays everything left.
    let firstFuture = true;
    const waived = accrued.map((i) => {
      if (i.dueDate <= date) return i;
      const charge =
        product.early_payoff_rule === 'all_remaining_interest' || (product.early_payoff_rule === 'current_month_interest' && firstFuture);
      firstFuture = false;
      return charge ? i : { ...i, waivedInterest: i.waivedInterest + owedOn(i).interest };
    });
    const paid = applyPayment(waived, amount, date);
    if (paid.leftover !== 0n || !paid.states.every((i) => i.settledOn !== null)) throw new Error('payoff quote does not settle the loan');
    const id = randomUUID();
    const entryId = randomUUID();
    const { writes } = paymentWrites(
      trx,
      loan,
      kolBands,
      stored,
      paid.states,
      {
        id,
        paid_on: date,
        amount,
        penalty: paid.penalty,
        interest: paid.interest,
        principal: paid.principal,
        kind: 'pelunasan',
        method,
        journal_entry_id: entryId,
        created_by: actor(ctx),
      },
      actor(ctx),
      () => ({ kind: 'pelunasan', data: { amount, waivedInterest: quote.waivedInterest, date } }),
    );
    const entry = await postPayment(trx, ctx, loan, {
      id,
      entryId,
      date,
      memo: 'lending.memo.payoff',
      lines: paymentLines(loan, method, paid),
      writes,
      audit: {
        action: 'lending.loan.payoff',
        before: { principalOutstanding: loan.principal_outstanding, status: 'aktif' },
        after: { repaymentId: id, date, amount, waivedInterest: quote.waivedInterest, status: 'lunas' },
      },
    });
    return {
      id,
      loanId: loan.id,
      date,
      amount,
      penalty: paid.penalty,
      interest: paid.interest,
      principal: paid.principal,
      kind: 'pelunasan',
      journalEntryId: entry.id,
      journalEntryNumber: entry.number,
      loanStatus: 'lunas',
      principalOutstanding: 0n,
    };
  });
}

/**
 * Rescheduling: the remaining principal gets a new schedule (a new version; the old one is kept
 * as history). Interest and penalty already due must be paid first, or waived explicitly
 * (waiveOverdueCharges, audited). No journal entry: the receivable does not change.
 */
export async function rescheduleLoan(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, input: RescheduleInput) {
  requireManage(ctx, koperasiId);
  const startDate = input.startDate ?? todayWib();
  return db.transaction().execute(async (trx) => {
    const { loan, stored, accrued } = await activeLoanState(trx, koperasiId, loanId, startDate);
    const overdue = sumOwed(accrued, (i) => i.dueDate <= startDate);
    const charges = overdue.interest + overdue.penalty;
    if (charges > 0n && !input.waiveOverdueCharges) throw conflict('lending.rescheduleChargesOwed', { amount: rp(charges) }, comp(overdue));
    const annual = input.ratePercent !== undefined ? rateText(input.ratePercent, 'ratePercent') : loan.annual_rate_percent;
    const remaining = loan.principal_outstanding;
    const schedule = buildSchedule({
      principal: remaining,
      annualRatePercent: annual,
      termMonths: input.termMonths,
      method: loan.method,
      startDate,
      roundingUnit: loan.rounding_unit,
    });
    // Close the old version: what is unpaid moves to the new schedule (principal) or is waived (charges).
    const closedOld = accrued.map((i) =>
      i.settledOn
        ? i
        : {
            ...i,
            waivedInterest: i.waivedInterest + owedOn(i).interest,
            penalty: i.paidPenalty,
            settledOn: startDate,
          },
    );
    await repo.saveInstallments(trx, loan.id, loan.schedule_version, stored, closedOld);
    const version = loan.schedule_version + 1;
    await repo.insertInstallments(trx, loan.id, version, schedule.installments);
    await trx
      .updateTable('loans')
      .set({
        schedule_version: version,
        term_months: input.termMonths,
        annual_rate_percent: annual,
        grace_months: 0,
        days_past_due: 0,
        kolektibilitas: 'lancar',
        arrears_as_of: startDate,
        updated_at: new Date(),
      })
      .where('id', '=', loan.id)
      .execute();
    await repo.addEvent(trx, loan.id, 'dijadwalkan_ulang', actor(ctx), {
      reason: input.reason.trim(),
      fromVersion: loan.schedule_version,
      toVersion: version,
      principal: remaining,
      termMonths: input.termMonths,
      annualRatePercent: annual,
      startDate,
      waivedInterest: overdue.interest,
      waivedPenalty: overdue.penalty,
    });
    await writeAudit(trx, ctx, {
      action: 'lending.loan.reschedule',
      entityType: 'loan',
      entityId: loan.id,
      organizationId: koperasiId,
      before: { version: loan.schedule_version, termMonths: loan.term_months, annualRatePercent: loan.annual_rate_percent },
      after: { version, termMonths: input.termMonths, annualRatePercent: annual, startDate, waived: charges, reason: input.reason.trim() },
    });
    return (await repo.findLoan(trx, koperasiId, loan.id)) as repo.LoanRow;
  });
}

/**
 * Write-off (hapus buku) by the koperasi's rule: only when the loan is at least the product's
 * writeoffMinDays past due (409 otherwise). Posts Dr Beban penyisihan piutang / Cr Piutang pinjaman
 * for the remaining principal; unpaid interest and penalties were never booked (cash basis) and are
 * recorded as written off in the loan's history.
 */
export async function writeOffLoan(db: Db, ctx: RequestContext, koperasiId: string, loanId: string, input: WriteoffInput) {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  return db.transaction().execute(async (trx) => {
    const { loan, product, accrued } = await activeLoanState(trx, koperasiId, loanId, date);
    const dpd = daysPastDue(accrued, date);
    if (dpd < product.writeoff_min_days) throw conflict('lending.writeoffTooEarly', { days: dpd, min: product.writeoff_min_days });
    const owed = sumOwed(accrued, () => true);
    const entry = await postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT('lending.memo.writeoff', { number: loan.number, name: loan.member_name, memberNumber: loan.member_number }),
      sourceType: 'loan_writeoff',
      sourceId: loan.id,
      lines: [
        { code: LENDING_ACCOUNTS.bebanPenyisihan, debit: loan.principal_outstanding, credit: 0n },
        { code: LENDING_ACCOUNTS.piutang, debit: 0n, credit: loan.principal_outstanding, memberId: loan.member_id },
      ],
    });
    await trx
      .updateTable('loans')
      .set({
        status: 'dihapusbukukan',
        closed_on: date,
        days_past_due: dpd,
        kolektibilitas: 'macet',
        arrears_as_of: date,
        principal_outstanding: 0n,
        updated_at: new Date(),
      })
      .where('id', '=', loan.id)
      .execute();
    await repo.addEvent(trx, loan.id, 'dihapusbukukan', actor(ctx), {
      reason: input.reason.trim(),
      principal: owed.principal,
      interest: owed.interest,
      penalty: owed.penalty,
      daysPastDue: dpd,
      journalNumber: entry.number,
    });
    await writeAudit(trx, ctx, {
      action: 'lending.loan.writeoff',
      entityType: 'loan',
      entityId: loan.id,
      organizationId: koperasiId,
      before: { status: 'aktif', principalOutstanding: loan.principal_outstanding },
      after: { status: 'dihapusbukukan', date, reason: input.reason.trim(), journalEntryNumber: entry.number },
    });
    return (await repo.findLoan(trx, koperasiId, loan.id)) as repo.LoanRow;
  });
}

// ---------------------------------------------------------------------------------------------
// Arrears: nightly penalties, days past due, kolektibilitas, reminders; the aging report

export interface ArrearsRunResult {
  koperasi: number;
  loans: number;
  penaltiesAccrued: bigint;
  reminders: number;
}

/**
 * The nightly arrears run for one koperasi (or all): accrues penalties on overdue instalments up
 * to `asOf`, stores days past due and kolektibilitas per active loan and queues reminders (before
 * the due day, and when overdue: on day 1 and every 30 days). Idempotent for a day.
 */
export async function runArrears(db: Db, asOf = todayWib(), koperasiId?: string): Promise<ArrearsRunResult> {
  const t = translator('id');
  let q = db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .innerJoin('books_members as m', 'm.id', 'l.member_id')
    .select([
      'l.id',
      'l.koperasi_id',
      'l.number',
      'l.schedule_version',
      'p.penalty_mode',
      'p.penalty_rate_percent',
      'm.name as member_name',
      'm.phone',
      'm.user_id',
    ])
    .where('l.status', '=', 'aktif');
  if (koperasiId) q = q.where('l.koperasi_id', '=', koperasiId);
  const loans = await q.execute();
  const result: ArrearsRunResult = {
    koperasi: new Set(loans.map((l) => l.koperasi_id)).size,
    loans: loans.length,
    penaltiesAccrued: 0n,
    reminders: 0,
  };
  if (loans.length === 0) return result;
  const settingsByKop = new Map<string, Awaited<ReturnType<typeof lendingSettings>>>();
  for (const k of new Set(loans.map((l) => l.koperasi_id))) settingsByKop.set(k, await lendingSettings(db, k));
  const maxReminder = Math.max(...[...settingsByKop.values()].map((s) => s.reminderDaysBefore));
  const horizon = dueDateAfterDays(asOf, maxReminder);
  // Only instalments that can matter: unsettled and due by the reminder horizon.
  const rows = await db
    .selectFrom('loan_installments as i')
    .innerJoin('loans as l', (j) => j.onRef('l.id', '=', 'i.loan_id').onRef('l.schedule_version', '=', 'i.version'))
    .selectAll('i')
    .where('l.status', '=', 'aktif')
    .$if(koperasiId !== undefined, (qb) => qb.where('l.koperasi_id', '=', koperasiId as string))
    .where('i.settled_on', 'is', null)
    .where('i.due_date', '<=', horizon)
    .execute();
  const byLoan = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byLoan.get(r.loan_id) ?? [];
    list.push(r);
    byLoan.set(r.loan_id, list);
  }
  const penaltyUpdates: { loanId: string; version: number; number: number; penalty: bigint; through: string }[] = [];
  const reminded: { loanId: string; version: number; number: number }[] = [];
  const loanUpdates: { id: string; dpd: number; kol: string }[] = [];
  const messages: Parameters<typeof queueMessage>[1][] = [];
  for (const loan of loans) {
    const settings = settingsByKop.get(loan.koperasi_id) as Awaited<ReturnType<typeof lendingSettings>>;
    const list = byLoan.get(loan.id) ?? [];
    const states = list.map(repo.toState);
    const accrued = accruePenalties(states, loan.penalty_mode, rate(loan.penalty_rate_percent), asOf);
    accrued.forEach((a, idx) => {
      const before = states[idx] as InstallmentState;
      if (a.penalty !== before.penalty || a.penaltyThrough !== before.penaltyThrough) {
        result.penaltiesAccrued += a.penalty - before.penalty;
        penaltyUpdates.push({ loanId: loan.id, version: loan.schedule_version, number: a.number, penalty: a.penalty, through: asOf });
      }
    });
    const dpd = daysPastDue(accrued, asOf);
    loanUpdates.push({ id: loan.id, dpd, kol: kolektibilitas(dpd, settings.kolBands) });
    // Reminders: one before the due day; when overdue on day 1 and then every 30 days. A loan gets
    // at most one message a night, about its oldest instalment that calls for one, with everything
    // owed by today (all overdue instalments and their penalties) as the amount.
    const due: { number: number; due_date: string; overdue: boolean; days: number }[] = [];
    let owedToday = 0n;
    let upcoming = 0n;
    for (const [idx, r] of list.entries()) {
      const st = accrued[idx] as InstallmentState;
      const owed = owedOn(st);
      const total = owed.principal + owed.interest + owed.penalty;
      if (total <= 0n) continue;
      if (r.due_date <= asOf) owedToday += total;
      const daysToDue = -daysBetweenSafe(asOf, r.due_date);
      const overdueDays = daysBetweenSafe(r.due_date, asOf);
      const last = r.reminded_at;
      const beforeDue =
        daysToDue >= 0 &&
        daysToDue <= settings.reminderDaysBefore &&
        (last === null || last < dueDateAfterDays(r.due_date, -settings.reminderDaysBefore));
      const overdueStep = overdueDays >= 1 && (last === null || last <= r.due_date || daysBetweenSafe(last, asOf) >= 30);
      if (!beforeDue && !overdueStep) continue;
      reminded.push({ loanId: loan.id, version: loan.schedule_version, number: r.number });
      due.push({ number: r.number, due_date: r.due_date, overdue: overdueStep, days: overdueDays });
      if (!overdueStep && r.due_date > asOf) upcoming += total;
    }
    const first = due[0];
    if (!first || (!loan.phone && !loan.user_id)) continue;
    // Overdue: what is owed today. Before the due day: that instalment plus anything still overdue.
    const amount = rp(first.overdue ? owedToday : owedToday + upcoming);
    messages.push({
      channel: 'whatsapp',
      recipient: loan.phone ?? '',
      userId: loan.user_id,
      subject: t('lending.reminder.subject', { number: loan.number }),
      body: first.overdue
        ? t('lending.reminder.overdue', {
            name: loan.member_name,
            number: loan.number,
            installment: first.number,
            dueDate: first.due_date,
            amount,
            days: first.days,
          })
        : t('lending.reminder.upcoming', {
            name: loan.member_name,
            number: loan.number,
            installment: first.number,
            dueDate: first.due_date,
            amount,
          }),
    });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < penaltyUpdates.length; i += 1000) {
      const chunk = penaltyUpdates.slice(i, i + 1000);
      await sqlUpdatePenalties(trx, chunk);
    }
    for (let i = 0; i < loanUpdates.length; i += 1000) {
      const chunk = loanUpdates.slice(i, i + 1000);
      await sqlUpdateLoans(trx, chunk, asOf);
    }
    for (let i = 0; i < reminded.length; i += 1000) await sqlMarkReminded(trx, reminded.slice(i, i + 1000), asOf);
    for (const m of messages) if (m.recipient) await queueMessage(trx, m);
  });
  result.reminders = messages.filter((m) => m.recipient).length;
  return result;
}

function daysBetweenSafe(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function dueDateAfterDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function sqlUpdatePenalties(trx: Trx, rows: { loanId: string; version: number; number: number; penalty: bigint; through: string }[]) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.loanId}::uuid, ${r.version}::int, ${r.number}::int, ${r.penalty.toString()}::bigint, ${r.through}::date)`),
  );
  await sql`
    update loan_installments li set penalty = v.penalty, penalty_through = v.through
    from (values ${values}) as v(loan_id, version, number, penalty, through)
    where li.loan_id = v.loan_id and li.version = v.version and li.number = v.number and li.settled_on is null`.execute(trx);
}

async function sqlUpdateLoans(trx: Trx, rows: { id: string; dpd: number; kol: string }[], asOf: string) {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.dpd}::int, ${r.kol}::text)`));
  await sql`
    update loans l set days_past_due = v.dpd, kolektibilitas = v.kol, arrears_as_of = ${asOf}::date
    from (values ${values}) as v(id, dpd, kol)
    where l.id = v.id and l.status = 'aktif'`.execute(trx);
}

async function sqlMarkReminded(trx: Trx, rows: { loanId: string; version: number; number: number }[], asOf: string) {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.loanId}::uuid, ${r.version}::int, ${r.number}::int)`));
  await sql`
    update loan_installments li set reminded_at = ${asOf}::date
    from (values ${values}) as v(loan_id, version, number)
    where li.loan_id = v.loan_id and li.version = v.version and li.number = v.number`.execute(trx);
}

/** Arrears for pengurus: runs the arrears of their koperasi now (audited). */
export async function runArrearsFor(db: Db, ctx: RequestContext, koperasiId: string, asOf = todayWib()) {
  requireManage(ctx, koperasiId);
  const r = await runArrears(db, asOf, koperasiId);
  await writeAudit(db, ctx, {
    action: 'lending.arrears.run',
    entityType: 'koperasi',
    entityId: koperasiId,
    organizationId: koperasiId,
    after: { asOf, loans: r.loans, penalties: r.penaltiesAccrued },
  });
  return r;
}

export interface AgingBand {
  code: string;
  minDays: number;
  maxDays: number | null;
  loans: number;
  principal: bigint;
  overdue: bigint;
}

/**
 * Aging (kolektibilitas) report: active loans per band with their outstanding principal, from the
 * stored arrears of the last run (asOf says which day), computed live when it is older than `asOf`.
 */
export async function agingReport(db: Db, ctx: RequestContext, koperasiId: string, asOf = todayWib()) {
  requireRead(ctx, koperasiId);
  const { kolBands } = await lendingSettings(db, koperasiId);
  const stale = await db
    .selectFrom('loans')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('koperasi_id', '=', koperasiId)
    .where('status', '=', 'aktif')
    .where((eb) => eb.or([eb('arrears_as_of', 'is', null), eb('arrears_as_of', '<>', asOf)]))
    .executeTakeFirstOrThrow();
  const liveRows = stale.n > 0 ? await liveArrears(db, koperasiId, asOf) : null;
  const loans = await db
    .selectFrom('loans as l')
    .innerJoin('books_members as m', 'm.id', 'l.member_id')
    .select([
      'l.id',
      'l.number',
      'l.principal_outstanding',
      'l.days_past_due',
      'l.kolektibilitas',
      'm.name as member_name',
      'm.member_number',
    ])
    .where('l.koperasi_id', '=', koperasiId)
    .where('l.status', '=', 'aktif')
    .orderBy('l.days_past_due', 'desc')
    .orderBy('l.number')
    .execute();
  const bands: AgingBand[] = kolBands.map((b) => ({ ...b, loans: 0, principal: 0n, overdue: 0n }));
  const detail = loans.map((l) => {
    const dpd = liveRows ? (liveRows.get(l.id) ?? 0) : l.days_past_due;
    const kol = kolektibilitas(dpd, kolBands);
    const band = bands.find((b) => b.code === kol);
    if (band) {
      band.loans += 1;
      band.principal += l.principal_outstanding;
    }
    return { ...l, days_past_due: dpd, kolektibilitas: kol };
  });
  const totalPrincipal = bands.reduce((s, b) => s + b.principal, 0n);
  // Two measures, named apart: loans more than 90 days past due (problemPrincipal, the banks' NPL),
  // and every loan not in the first band (nonCurrentPrincipal) — the health assessment's
  // "pinjaman bermasalah" (health-service.ts), so the two pages show the same figure for it.
  const problem = bands.filter((b) => b.minDays > 90).reduce((s, b) => s + b.principal, 0n);
  const nonCurrent = bands.filter((b) => b.minDays > 0).reduce((s, b) => s + b.principal, 0n);
  return { asOf, bands, loans: detail, totalPrincipal, problemPrincipal: problem, nonCurrentPrincipal: nonCurrent };
}

async function liveArrears(db: Db, koperasiId: string, asOf: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('loan_installments as i')
    .innerJoin('loans as l', (j) => j.onRef('l.id', '=', 'i.loan_id').onRef('l.schedule_version', '=', 'i.version'))
    .select(['i.loan_id', sql<string>`min(i.due_date)`.as('oldest')])
    .where('l.koperasi_id', '=', koperasiId)
    .where('l.status', '=', 'aktif')
    .where('i.settled_on', 'is', null)
    .where('i.due_date', '<', asOf)
    .where(sql<boolean>`i.principal + i.interest > i.paid_principal + i.paid_interest + i.waived_interest`)
    .groupBy('i.loan_id')
    .execute();
  return new Map(rows.map((r) => [r.loan_id, daysBetweenSafe(r.oldest, asOf)]));
}

/** Turns the books' loans feature on for a koperasi (used by the demo and the settings page). */
export async function enableLoansFeature(db: Db, ctx: RequestContext, koperasiId: string) {
  await updateBookSettings(db, ctx, koperasiId, { features: { pinjaman: true } });
}

export { dueDate, requireManage };

/** The system context (seeds, jobs, lookups the caller is already allowed). */
export const systemCtx = sysCtx;

/** An annual rate (decimal text) as the monthly rate it was entered as (÷ 12, at most 6 decimals). */
export function monthlyFromAnnual(annual: string): string {
  const r = rate(annual);
  return decimalText(r.num, r.den * 12n);
}

/** Today in WIB (for callers that need the default day). */
export const todayWibText = () => todayWib();
