/**
 * SHU distribution of a closed fiscal year (issue 6 item 5).
 *
 * Flow per koperasi and year: settings (bylaw allocation percentages, savings base, transactions
 * base) → simulate (a draft run; simulating again replaces it) → approve at the RAT (RAT date and
 * decision note) → post (ONE balanced journal entry: Dr SHU tahun berjalan; Cr cadangan, each
 * fund, and SHU bagian anggota yang belum dibayar) → pay out per member or all at once, in cash
 * (kas) or into simpanan sukarela. Posted runs are frozen; a correction cancels the posting with a
 * reversing entry (the run goes back to approved) as long as nobody has been paid.
 *
 * The arithmetic is calc.ts calculateShu (the rules of PRODUCT.md / issue 6): each allocation =
 * floor(SHU × percent ÷ 100), the leftover Rupiah and any pool whose base is zero go to cadangan;
 * jasa modal and jasa usaha are shared by largest remainder so each pool is paid out exactly.
 *
 * The SHU is read from the books: what the year-end close (books/yearend.ts) credited to 3-1500
 * SHU tahun berjalan in its closing entry. A year with no surplus (zero or a loss) has nothing to
 * share (409). Members: those who were members at the end of the year (joined on or before the
 * last day, not left by then). All per-member figures are aggregated in SQL, a few queries for the
 * whole koperasi whatever its size.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import type { RequestContext } from '../../platform/context.js';
import { conflict, notFound, ruleViolated, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { type AccountTemplate, isCalendarDate, SYSTEM_ACCOUNTS } from '../books/domain.js';
import * as booksRepo from '../books/repository.js';
import { accessTo, ensureAccounts, getOwnMember, postEntry, postReversal, requireManage, requireRead, todayWib } from '../books/service.js';
import { memberPurchases } from '../books/shop-service.js';
import { calculateShu, ShuInputError } from './calc.js';
import type { ShuRunStatus, ShuSavingsBase } from './shu-tables.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

const memoT = translator('id');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const actor = (ctx: RequestContext) => ctx.user?.id ?? null;

// ---------------------------------------------------------------------------------------------
// Allocation keys and their accounts

/** The allocation keys a koperasi may use (bylaw items), in display order. */
export const SHU_ALLOCATION_KEYS = [
  'cadangan',
  'jasaModal',
  'jasaUsaha',
  'danaPengurus',
  'danaKaryawan',
  'danaPendidikan',
  'danaSosial',
  'danaPembangunanDaerahKerja',
] as const;
export type ShuAllocationKey = (typeof SHU_ALLOCATION_KEYS)[number];

export const SHU_SAVINGS_BASES = ['pokok_wajib', 'pokok_wajib_sukarela', 'average_pokok_wajib'] as const;
export const SHU_STATUSES = ['draft', 'approved', 'posted'] as const;
export const SHU_PAYOUT_METHODS = ['kas', 'sukarela'] as const;
export type ShuPayoutMethod = (typeof SHU_PAYOUT_METHODS)[number];

/** Members' part not yet paid (KSP_CHART 2-1400 "Dana SHU Bagian Anggota"). */
export const SHU_PAYABLE_ACCOUNT = '2-1400';

/**
 * Accounts the SHU posting needs that the KSP chart template does not have yet (books' code
 * scheme: short-term liabilities 2-1xxx). Added to the koperasi's chart when first needed.
 */
export const SHU_EXTRA_ACCOUNTS: readonly AccountTemplate[] = [
  { code: '2-1510', name: 'Dana Karyawan', type: 'liability', normalSide: 'credit', parent: '2-1000', isHeader: false, isSystem: true },
  {
    code: '2-1720',
    name: 'Dana Pembangunan Daerah Kerja',
    type: 'liability',
    normalSide: 'credit',
    parent: '2-1000',
    isHeader: false,
    isSystem: true,
  },
];

/** The account credited with each allocation when the run is posted (members' pools: the payable). */
export const SHU_ACCOUNT_OF: Record<ShuAllocationKey, string> = {
  cadangan: '3-1300',
  jasaModal: SHU_PAYABLE_ACCOUNT,
  jasaUsaha: SHU_PAYABLE_ACCOUNT,
  danaPengurus: '2-1500',
  danaKaryawan: '2-1510',
  danaPendidikan: '2-1600',
  danaSosial: '2-1700',
  danaPembangunanDaerahKerja: '2-1720',
};

/** PRODUCT.md's common split: reserve 40, members 40 (jasa modal 20, jasa usaha 20), board 5, staff 5, education 5, social 5. */
export const DEFAULT_SHU_ALLOCATIONS: { key: ShuAllocationKey; percent: string }[] = [
  { key: 'cadangan', percent: '40' },
  { key: 'jasaModal', percent: '20' },
  { key: 'jasaUsaha', percent: '20' },
  { key: 'danaPengurus', percent: '5' },
  { key: 'danaKaryawan', percent: '5' },
  { key: 'danaPendidikan', percent: '5' },
  { key: 'danaSosial', percent: '5' },
];

export interface ShuSettings {
  allocations: { key: ShuAllocationKey; percent: string }[];
  savingsBase: ShuSavingsBase;
  transactions: { loanInterest: boolean; shopPurchases: boolean };
}

export const DEFAULT_SHU_SETTINGS: ShuSettings = {
  allocations: DEFAULT_SHU_ALLOCATIONS,
  savingsBase: 'pokok_wajib',
  transactions: { loanInterest: true, shopPurchases: true },
};

export interface ShuSettingsInput {
  allocations: { key: string; percent: string | number }[];
  savingsBase?: ShuSavingsBase;
  transactions?: { loanInterest?: boolean; shopPurchases?: boolean };
}

/** Checks the allocations with calculateShu's own rules (sum exactly 100, required keys, no duplicates). */
function checkAllocations(allocations: { key: string; percent: string }[]) {
  const unknown = allocations.find((a) => !(SHU_ALLOCATION_KEYS as readonly string[]).includes(a.key));
  if (unknown) throw ruleViolated('shu.unknownKey', { key: unknown.key }, { key: unknown.key });
  try {
    calculateShu({ shu: 0n, allocations, members: [] });
  } catch (e) {
    if (e instanceof ShuInputError) throw shuInputError(e);
    throw e;
  }
}

function shuInputError(e: ShuInputError) {
  switch (e.code) {
    case 'percent_sum':
      return ruleViolated('shu.percentSum', { sum: e.detail.sum ?? '' }, { sum: e.detail.sum });
    case 'missing_key':
      return ruleViolated('shu.missingKey', { key: e.detail.key ?? '' }, { key: e.detail.key });
    case 'duplicate_key':
      return ruleViolated('shu.duplicateKey', { key: e.detail.key ?? '' }, { key: e.detail.key });
    default:
      return ruleViolated('shu.percentInvalid', { key: e.detail.key ?? '' }, { key: e.detail.key });
  }
}

async function loadSettings(db: Db | Trx, koperasiId: string): Promise<ShuSettings> {
  const s = await db.selectFrom('shu_settings').selectAll().where('koperasi_id', '=', koperasiId).executeTakeFirst();
  if (!s) return DEFAULT_SHU_SETTINGS;
  return {
    allocations: s.allocations as ShuSettings['allocations'],
    savingsBase: s.savings_base,
    transactions: { loanInterest: s.tx_loan_interest, shopPurchases: s.tx_shop_purchases },
  };
}

async function requireKoperasi(db: Db | Trx, koperasiId: string) {
  const k = await db.selectFrom('koperasi').select('id').where('id', '=', koperasiId).executeTakeFirst();
  if (!k) throw notFound();
}

/** Settings of a koperasi (defaults until pengurus save their own). Pengurus and dinas. */
export async function getShuSettings(db: Db, ctx: RequestContext, koperasiId: string): Promise<ShuSettings> {
  requireRead(ctx, koperasiId);
  await requireKoperasi(db, koperasiId);
  return loadSettings(db, koperasiId);
}

/** Saves the settings (pengurus): percentages must add up to exactly 100 (else 422). Audited. */
export async function updateShuSettings(db: Db, ctx: RequestContext, koperasiId: string, input: ShuSettingsInput): Promise<ShuSettings> {
  requireManage(ctx, koperasiId);
  const allocations = input.allocations.map((a) => ({ key: a.key, percent: String(a.percent).trim() }));
  checkAllocations(allocations);
  const savingsBase = input.savingsBase ?? 'pokok_wajib';
  if (!(SHU_SAVINGS_BASES as readonly string[]).includes(savingsBase))
    throw validationFailed([{ field: 'savingsBase', message: 'field.invalid' }]);
  const tx = { loanInterest: input.transactions?.loanInterest ?? true, shopPurchases: input.transactions?.shopPurchases ?? true };
  return db.transaction().execute(async (trx) => {
    await requireKoperasi(trx, koperasiId);
    const before = await loadSettings(trx, koperasiId);
    const values = {
      allocations: JSON.stringify(allocations),
      savings_base: savingsBase,
      tx_loan_interest: tx.loanInterest,
      tx_shop_purchases: tx.shopPurchases,
      updated_by: actor(ctx),
      updated_at: new Date(),
    };
    await trx
      .insertInto('shu_settings')
      .values({ koperasi_id: koperasiId, ...values })
      .onConflict((oc) => oc.column('koperasi_id').doUpdateSet(values))
      .execute();
    const after: ShuSettings = { allocations: allocations as ShuSettings['allocations'], savingsBase, transactions: tx };
    await writeAudit(trx, ctx, {
      action: 'shu.settings.update',
      entityType: 'shu_settings',
      entityId: koperasiId,
      organizationId: koperasiId,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading the books

/** The SHU the year-end close of `year` credited to 3-1500 (null: the year is not closed). */
export async function shuFromBooks(db: Db | Trx, koperasiId: string, year: number) {
  const y = await db
    .selectFrom('books_years')
    .select(['year', 'start_date', 'end_date', 'closing_entry_id'])
    .where('koperasi_id', '=', koperasiId)
    .where('year', '=', year)
    .executeTakeFirst();
  if (!y) return null;
  let shu = 0n;
  if (y.closing_entry_id) {
    const r = await db
      .selectFrom('books_journal_lines as l')
      .innerJoin('books_accounts as a', 'a.id', 'l.account_id')
      .select(sql<string>`coalesce(sum(l.credit - l.debit), 0)`.as('net'))
      .where('l.entry_id', '=', y.closing_entry_id)
      .where('a.code', '=', SYSTEM_ACCOUNTS.shuTahunBerjalan)
      .executeTakeFirstOrThrow();
    shu = BigInt(r.net);
  }
  return { shu, startDate: y.start_date, endDate: y.end_date };
}

interface BaseRow {
  member_id: string;
  member_number: number;
  savings: bigint;
  loan_interest: bigint;
}

/**
 * Every member's savings base and loan interest paid in the year, one SQL statement.
 * Savings (year-end balance = Σ signed movements dated up to the last day of the year):
 * pokok_wajib: pokok + wajib; pokok_wajib_sukarela: + sukarela; average_pokok_wajib: the average
 * of the twelve month-end pokok + wajib balances, floor(Σ ÷ 12) (a movement dated in month i of
 * the year, 0-based, counts in the 12 − i month-ends from that month on; earlier ones in all 12).
 */
async function memberBases(db: Db | Trx, koperasiId: string, start: string, end: string, base: ShuSavingsBase): Promise<BaseRow[]> {
  const kinds = base === 'pokok_wajib_sukarela' ? ['pokok', 'wajib', 'sukarela'] : ['pokok', 'wajib'];
  const signed = sql`case when s.type in ('deposit', 'interest') then s.amount else -s.amount end`;
  const weight =
    base === 'average_pokok_wajib'
      ? sql`case when s.txn_date < ${start}::date then 12
                 else 12 - ((extract(year from s.txn_date)::int - extract(year from ${start}::date)::int) * 12
                            + extract(month from s.txn_date)::int - extract(month from ${start}::date)::int) end`
      : sql`1`;
  const divisor = base === 'average_pokok_wajib' ? 12 : 1;
  const r = await sql<{ member_id: string; member_number: number; savings: string; loan_interest: string }>`
    with sv as (
      select s.member_id, sum(${signed} * ${weight}) as total
        from books_savings_transactions s
       where s.koperasi_id = ${koperasiId} and s.txn_date <= ${end}::date and s.kind in (${sql.join(kinds)})
       group by s.member_id
    ), li as (
      select l.member_id, sum(r.interest) as total
        from loan_repayments r join loans l on l.id = r.loan_id
       where r.koperasi_id = ${koperasiId} and r.paid_on between ${start}::date and ${end}::date
       group by l.member_id
    )
    select m.id as member_id, m.member_number,
           greatest(floor(coalesce(sv.total, 0)::numeric / ${divisor}), 0)::bigint::text as savings,
           coalesce(li.total, 0)::text as loan_interest
      from books_members m
      left join sv on sv.member_id = m.id
      left join li on li.member_id = m.id
     where m.koperasi_id = ${koperasiId} and m.join_date <= ${end}::date and (m.left_at is null or m.left_at > ${end}::date)
     order by m.member_number`.execute(db);
  return r.rows.map((x) => ({
    member_id: x.member_id,
    member_number: x.member_number,
    savings: BigInt(x.savings),
    loan_interest: BigInt(x.loan_interest),
  }));
}

// ---------------------------------------------------------------------------------------------
// Runs

export interface ShuAllocationJson {
  key: string;
  label: string;
  percent: string;
  amount: bigint;
  account: string;
}

export interface ShuRunJson {
  id: string;
  koperasiId: string;
  year: number;
  status: ShuRunStatus;
  shu: bigint;
  allocations: ShuAllocationJson[];
  cadanganExtra: bigint;
  cadanganTotal: bigint;
  settings: ShuSettings;
  members: number;
  savingsTotal: bigint;
  transactionsTotal: bigint;
  jasaModalTotal: bigint;
  jasaUsahaTotal: bigint;
  paidTotal: bigint;
  paidMembers: number;
  simulatedAt: string;
  ratDate: string | null;
  decisionNote: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  postedEntryId: string | null;
  postedAt: string | null;
}

type RunRow = Awaited<ReturnType<typeof findRun>> & {};

async function findRun(db: Db | Trx, koperasiId: string, year: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('shu_runs').selectAll().where('koperasi_id', '=', koperasiId).where('year', '=', year);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

const label = (t: RequestContext['t'], key: string) => t(`shu.key.${key}` as Parameters<RequestContext['t']>[0]);

async function toRunJson(db: Db | Trx, t: RequestContext['t'], r: NonNullable<RunRow>): Promise<ShuRunJson> {
  const paid = await db
    .selectFrom('shu_run_members')
    .select([sql<string>`coalesce(sum(total), 0)`.as('total'), sql<string>`count(*)`.as('n')])
    .where('run_id', '=', r.id)
    .where('paid_method', 'is not', null)
    .executeTakeFirstOrThrow();
  const allocations = r.allocations.map((a) => ({
    key: a.key,
    label: label(t, a.key),
    percent: a.percent,
    amount: BigInt(a.amount),
    account: SHU_ACCOUNT_OF[a.key as ShuAllocationKey] ?? '',
  }));
  const cad = allocations.find((a) => a.key === 'cadangan')?.amount ?? 0n;
  return {
    id: r.id,
    koperasiId: r.koperasi_id,
    year: r.year,
    status: r.status,
    shu: r.shu,
    allocations,
    cadanganExtra: r.cadangan_extra,
    cadanganTotal: cad + r.cadangan_extra,
    settings: r.settings as unknown as ShuSettings,
    members: r.members,
    savingsTotal: r.savings_total,
    transactionsTotal: r.transactions_total,
    jasaModalTotal: r.jasa_modal_total,
    jasaUsahaTotal: r.jasa_usaha_total,
    paidTotal: BigInt(paid.total),
    paidMembers: Number(paid.n),
    simulatedAt: iso(r.simulated_at) as string,
    ratDate: r.rat_date,
    decisionNote: r.decision_note,
    approvedBy: r.approved_by,
    approvedAt: iso(r.approved_at),
    postedEntryId: r.posted_entry_id,
    postedAt: iso(r.posted_at),
  };
}

function checkYearParam(year: number) {
  if (!Number.isInteger(year) || year < 1900 || year > 9998) throw validationFailed([{ field: 'year', message: 'field.invalid' }]);
}

/**
 * Simulates the SHU of closed year `year` (pengurus): 409 when the year is not closed, has no
 * surplus, or its run is already posted. Replaces a draft (or an approved run, which goes back to
 * draft: the RAT approves what it was shown). One transaction; audited.
 */
export async function simulateShu(db: Db, ctx: RequestContext, koperasiId: string, year: number): Promise<ShuRunJson> {
  requireManage(ctx, koperasiId);
  checkYearParam(year);
  return db.transaction().execute(async (trx) => {
    await requireKoperasi(trx, koperasiId);
    const books = await shuFromBooks(trx, koperasiId, year);
    if (!books) throw conflict('shu.yearNotClosed', { year });
    if (books.shu <= 0n) throw conflict('shu.noSurplus', { year });
    const existing = await findRun(trx, koperasiId, year, { forUpdate: true });
    if (existing?.status === 'posted') throw conflict('shu.runPosted', { year });
    const settings = await loadSettings(trx, koperasiId);
    const bases = await memberBases(trx, koperasiId, books.startDate, books.endDate, settings.savingsBase);
    const purchases = settings.transactions.shopPurchases
      ? await memberPurchases(trx, koperasiId, books.startDate, books.endDate)
      : new Map();
    const rows = bases.map((b) => {
      const loanInterest = settings.transactions.loanInterest ? b.loan_interest : 0n;
      const bought = (purchases.get(b.member_id) as bigint | undefined) ?? 0n;
      return { ...b, loanInterest, purchases: bought, transactions: loanInterest + bought };
    });
    const result = calculateShu({
      shu: books.shu,
      allocations: settings.allocations,
      members: rows.map((m) => ({ id: m.member_id, memberNumber: m.member_number, savings: m.savings, transactions: m.transactions })),
    });
    const pct = new Map(settings.allocations.map((a) => [a.key, a.percent]));
    let jm = 0n;
    let ju = 0n;
    let savingsTotal = 0n;
    let txTotal = 0n;
    for (const m of result.members) {
      jm += m.jasaModal;
      ju += m.jasaUsaha;
    }
    for (const m of rows) {
      savingsTotal += m.savings;
      txTotal += m.transactions;
    }
    const values = {
      status: 'draft' as const,
      shu: books.shu,
      allocations: JSON.stringify(
        result.allocations.map((a) => ({ key: a.key, percent: pct.get(a.key as ShuAllocationKey) ?? '0', amount: a.amount.toString() })),
      ),
      cadangan_extra: result.cadanganExtra,
      settings: JSON.stringify(settings),
      members: rows.length,
      savings_total: savingsTotal,
      transactions_total: txTotal,
      jasa_modal_total: jm,
      jasa_usaha_total: ju,
      simulated_by: actor(ctx),
      simulated_at: new Date(),
      rat_date: null,
      decision_note: null,
      approved_by: null,
      approved_at: null,
    };
    let runId: string;
    if (existing) {
      runId = existing.id;
      await trx.updateTable('shu_runs').set(values).where('id', '=', runId).execute();
      await trx.deleteFrom('shu_run_members').where('run_id', '=', runId).execute();
    } else {
      runId = (
        await trx
          .insertInto('shu_runs')
          .values({ koperasi_id: koperasiId, year, ...values })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    // One statement for all members (arrays unnested), whatever the koperasi's size.
    if (rows.length > 0) {
      const txt = (xs: bigint[]) => `{${xs.join(',')}}`;
      await sql`
        insert into shu_run_members (run_id, member_id, member_number, savings, loan_interest, purchases, transactions, jasa_modal, jasa_usaha, total)
        select ${runId}::uuid, * from unnest(
          ${`{${rows.map((m) => m.member_id).join(',')}}`}::uuid[],
          ${`{${rows.map((m) => m.member_number).join(',')}}`}::int[],
          ${txt(rows.map((m) => m.savings))}::bigint[],
          ${txt(rows.map((m) => m.loanInterest))}::bigint[],
          ${txt(rows.map((m) => m.purchases))}::bigint[],
          ${txt(rows.map((m) => m.transactions))}::bigint[],
          ${txt(result.members.map((m) => m.jasaModal))}::bigint[],
          ${txt(result.members.map((m) => m.jasaUsaha))}::bigint[],
          ${txt(result.members.map((m) => m.total))}::bigint[])`.execute(trx);
    }
    await writeAudit(trx, ctx, {
      action: 'shu.simulate',
      entityType: 'shu_run',
      entityId: runId,
      organizationId: koperasiId,
      before: existing ? { status: existing.status, shu: existing.shu } : null,
      after: {
        year,
        status: 'draft',
        shu: books.shu,
        members: rows.length,
        jasaModal: jm,
        jasaUsaha: ju,
        cadanganExtra: result.cadanganExtra,
      },
    });
    return toRunJson(trx, ctx.t, (await findRun(trx, koperasiId, year)) as NonNullable<RunRow>);
  });
}

/** The run of a year (pengurus and dinas); 404 when never simulated. */
export async function getShuRun(db: Db, ctx: RequestContext, koperasiId: string, year: number): Promise<ShuRunJson> {
  requireRead(ctx, koperasiId);
  checkYearParam(year);
  const r = await findRun(db, koperasiId, year);
  if (!r) throw notFound('shu.runNotFound');
  return toRunJson(db, ctx.t, r);
}

/** Every run of the koperasi, newest year first (pengurus and dinas). */
export async function listShuRuns(db: Db, ctx: RequestContext, koperasiId: string): Promise<ShuRunJson[]> {
  requireRead(ctx, koperasiId);
  const rows = await db.selectFrom('shu_runs').selectAll().where('koperasi_id', '=', koperasiId).orderBy('year', 'desc').execute();
  return Promise.all(rows.map((r) => toRunJson(db, ctx.t, r)));
}

/** Closed years of the koperasi with their SHU from the books (for the pages' year picker). */
export async function closedYears(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  const rows = await db
    .selectFrom('books_years')
    .select(['year', 'result'])
    .where('koperasi_id', '=', koperasiId)
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => ({ year: r.year, result: r.result }));
}

export interface ApproveInput {
  ratDate: string;
  note: string;
}

/** Approval at the RAT (pengurus): draft → approved with the RAT date (after the year) and the decision. Audited. */
export async function approveShu(db: Db, ctx: RequestContext, koperasiId: string, year: number, input: ApproveInput): Promise<ShuRunJson> {
  requireManage(ctx, koperasiId);
  checkYearParam(year);
  const note = (input.note ?? '').trim();
  const issues = [];
  if (!isCalendarDate(input.ratDate ?? '')) issues.push({ field: 'ratDate', message: 'field.invalid' as const });
  if (note.length === 0 || note.length > 2000) issues.push({ field: 'note', message: 'field.required' as const });
  if (issues.length > 0) throw validationFailed(issues);
  return db.transaction().execute(async (trx) => {
    const r = await findRun(trx, koperasiId, year, { forUpdate: true });
    if (!r) throw notFound('shu.runNotFound');
    if (r.status !== 'draft') throw conflict('shu.notDraft', { status: r.status });
    const books = await shuFromBooks(trx, koperasiId, year);
    if (input.ratDate <= (books?.endDate ?? `${year}-12-31`)) throw ruleViolated('shu.ratBeforeYearEnd', { year });
    await trx
      .updateTable('shu_runs')
      .set({ status: 'approved', rat_date: input.ratDate, decision_note: note, approved_by: actor(ctx), approved_at: new Date() })
      .where('id', '=', r.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'shu.approve',
      entityType: 'shu_run',
      entityId: r.id,
      organizationId: koperasiId,
      before: { status: r.status },
      after: { status: 'approved', ratDate: input.ratDate, note },
    });
    return toRunJson(trx, ctx.t, (await findRun(trx, koperasiId, year)) as NonNullable<RunRow>);
  });
}

/** The lines of the SHU posting: Dr 3-1500 SHU; Cr cadangan (+ leftover), each fund, the members' payable. */
export function postingLines(run: {
  shu: bigint;
  allocations: { key: string; amount: bigint }[];
  cadanganExtra: bigint;
  jasaModalTotal: bigint;
  jasaUsahaTotal: bigint;
}) {
  const credits = new Map<string, bigint>();
  const add = (code: string, amount: bigint) => {
    if (amount > 0n) credits.set(code, (credits.get(code) ?? 0n) + amount);
  };
  for (const a of run.allocations) {
    if (a.key === 'jasaModal' || a.key === 'jasaUsaha') continue;
    add(SHU_ACCOUNT_OF[a.key as ShuAllocationKey], a.amount);
  }
  add(SHU_ACCOUNT_OF.cadangan, run.cadanganExtra);
  add(SHU_PAYABLE_ACCOUNT, run.jasaModalTotal + run.jasaUsahaTotal);
  return [
    { code: SYSTEM_ACCOUNTS.shuTahunBerjalan, debit: run.shu, credit: 0n },
    ...[...credits].map(([code, credit]) => ({ code, debit: 0n, credit })),
  ];
}

/**
 * Posts an approved run (pengurus): one balanced journal entry dated `date` (default today, not
 * before the RAT, in an open month) and the status change in the same transaction; audited.
 * 409 when not approved (posting twice included).
 */
export async function postShu(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  year: number,
  input: { date?: string } = {},
): Promise<ShuRunJson> {
  requireManage(ctx, koperasiId);
  checkYearParam(year);
  const date = input.date ?? todayWib();
  if (!isCalendarDate(date)) throw validationFailed([{ field: 'date', message: 'field.invalid' }]);
  return db.transaction().execute(async (trx) => {
    const r = await findRun(trx, koperasiId, year, { forUpdate: true });
    if (!r) throw notFound('shu.runNotFound');
    if (r.status === 'posted') throw conflict('shu.alreadyPosted', { year });
    if (r.status !== 'approved') throw conflict('shu.notApproved', { year });
    if (r.rat_date && date < r.rat_date) throw ruleViolated('shu.postBeforeRat', { date: r.rat_date });
    const lines = postingLines({
      shu: r.shu,
      allocations: r.allocations.map((a) => ({ key: a.key, amount: BigInt(a.amount) })),
      cadanganExtra: r.cadangan_extra,
      jasaModalTotal: r.jasa_modal_total,
      jasaUsahaTotal: r.jasa_usaha_total,
    });
    await ensureAccounts(
      trx,
      ctx,
      koperasiId,
      lines.map((l) => l.code).filter((c) => !SHU_EXTRA_ACCOUNTS.some((a) => a.code === c)),
    );
    await booksRepo.insertChart(trx, koperasiId, SHU_EXTRA_ACCOUNTS);
    const entry = await postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT('shu.memo.post', { year }),
      sourceType: 'shu',
      sourceId: r.id,
      lines,
    });
    await trx
      .updateTable('shu_runs')
      .set({ status: 'posted', posted_entry_id: entry.id, posted_by: actor(ctx), posted_at: new Date() })
      .where('id', '=', r.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'shu.post',
      entityType: 'shu_run',
      entityId: r.id,
      organizationId: koperasiId,
      before: { status: 'approved' },
      after: { status: 'posted', date, journalEntryId: entry.id, journalEntryNumber: entry.number, shu: r.shu },
    });
    return toRunJson(trx, ctx.t, (await findRun(trx, koperasiId, year)) as NonNullable<RunRow>);
  });
}

/**
 * Cancels a posting (pengurus): a reversing entry, the run back to approved; 409 when not posted
 * or when a member has been paid already (their payouts would have to be undone first). Audited.
 */
export async function cancelShuPosting(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  year: number,
  input: { date?: string; reason?: string } = {},
) {
  requireManage(ctx, koperasiId);
  checkYearParam(year);
  const date = input.date ?? todayWib();
  if (!isCalendarDate(date)) throw validationFailed([{ field: 'date', message: 'field.invalid' }]);
  return db.transaction().execute(async (trx) => {
    const r = await findRun(trx, koperasiId, year, { forUpdate: true });
    if (!r) throw notFound('shu.runNotFound');
    if (r.status !== 'posted' || !r.posted_entry_id) throw conflict('shu.notPosted', { year });
    const paid = await trx
      .selectFrom('shu_run_members')
      .select('member_id')
      .where('run_id', '=', r.id)
      .where('paid_method', 'is not', null)
      .executeTakeFirst();
    if (paid) throw conflict('shu.alreadyPaidSome');
    const rev = await postReversal(trx, ctx, koperasiId, r.posted_entry_id, {
      date,
      memo: memoT('shu.memo.cancel', { year }),
      sourceType: 'reversal',
    });
    await trx
      .updateTable('shu_runs')
      .set({ status: 'approved', posted_entry_id: null, posted_by: null, posted_at: null })
      .where('id', '=', r.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'shu.post.cancel',
      entityType: 'shu_run',
      entityId: r.id,
      organizationId: koperasiId,
      before: { status: 'posted', journalEntryId: r.posted_entry_id },
      after: { status: 'approved', reversalEntryId: rev.id, reason: input.reason ?? null },
    });
    return toRunJson(trx, ctx.t, (await findRun(trx, koperasiId, year)) as NonNullable<RunRow>);
  });
}

// ---------------------------------------------------------------------------------------------
// Payout

/** The lines of a payout: Dr the members' payable per member; Cr Kas (one line) or Simpanan sukarela per member. */
export function payoutLines(method: ShuPayoutMethod, parts: { memberId: string; total: bigint }[]) {
  let amount = 0n;
  for (const p of parts) amount += p.total;
  return [
    ...parts.map((p) => ({ code: SHU_PAYABLE_ACCOUNT, debit: p.total, credit: 0n, memberId: p.memberId })),
    ...(method === 'kas'
      ? [{ code: SYSTEM_ACCOUNTS.kas, debit: 0n, credit: amount, memberId: null as string | null }]
      : parts.map((p) => ({ code: SYSTEM_ACCOUNTS.simpananSukarela, debit: 0n, credit: p.total, memberId: p.memberId as string | null }))),
  ];
}

export interface PayoutInput {
  method: ShuPayoutMethod;
  /** One member; without it every member not yet paid (with a part above zero). */
  memberId?: string;
  date?: string;
}

export interface PayoutResult {
  paid: number;
  amount: bigint;
  /** Members left unpaid by an all-at-once payout into sukarela: no longer active members (pay them in cash). */
  skipped: number;
  journalEntryId: string | null;
  journalEntryNumber: number | null;
}

/**
 * Pays members' SHU (pengurus) from the posted run: ONE journal entry for the batch, Dr SHU bagian
 * anggota yang belum dibayar (per member) / Cr Kas, or Cr Simpanan sukarela per member with a
 * sukarela deposit row and the balance moved (the savings path of the books: balance row locked,
 * savings row, balance) — all in one transaction; audited. Each member is paid once: paying a paid
 * member is 409; 409 when the run is not posted; 409 for a member with nothing to pay.
 */
export async function payoutShu(db: Db, ctx: RequestContext, koperasiId: string, year: number, input: PayoutInput): Promise<PayoutResult> {
  requireManage(ctx, koperasiId);
  checkYearParam(year);
  if (!(SHU_PAYOUT_METHODS as readonly string[]).includes(input.method))
    throw validationFailed([{ field: 'method', message: 'field.invalid' }]);
  const date = input.date ?? todayWib();
  if (!isCalendarDate(date)) throw validationFailed([{ field: 'date', message: 'field.invalid' }]);
  return db.transaction().execute(async (trx) => {
    const r = await findRun(trx, koperasiId, year, { forUpdate: true });
    if (!r) throw notFound('shu.runNotFound');
    if (r.status !== 'posted') throw conflict('shu.notPosted', { year });
    let q = trx
      .selectFrom('shu_run_members as s')
      .innerJoin('books_members as m', 'm.id', 's.member_id')
      .select(['s.member_id', 's.member_number', 's.total', 's.paid_method', 'm.status', 'm.name'])
      .where('s.run_id', '=', r.id)
      .orderBy('s.member_id')
      .forUpdate('s');
    if (input.memberId) q = q.where('s.member_id', '=', input.memberId);
    else q = q.where('s.paid_method', 'is', null).where('s.total', '>', 0n);
    const rows = await q.execute();
    if (input.memberId) {
      const one = rows[0];
      if (!one) throw notFound('shu.memberNotInRun');
      if (one.paid_method) throw conflict('shu.alreadyPaid');
      if (one.total <= 0n) throw conflict('shu.nothingToPay');
      if (input.method === 'sukarela' && one.status !== 'aktif') throw conflict('books.memberNotActive');
    }
    const toPay = input.method === 'sukarela' ? rows.filter((x) => x.status === 'aktif') : rows;
    const skipped = rows.length - toPay.length;
    if (toPay.length === 0) return { paid: 0, amount: 0n, skipped, journalEntryId: null, journalEntryNumber: null };
    const ids = toPay.map((x) => x.member_id);
    if (input.method === 'sukarela') await booksRepo.lockSukarelaBalances(trx, ids);
    let amount = 0n;
    for (const x of toPay) amount += x.total;
    const lines = payoutLines(
      input.method,
      toPay.map((x) => ({ memberId: x.member_id, total: x.total })),
    );
    const entry = await postEntry(trx, ctx, koperasiId, {
      date,
      memo:
        toPay.length === 1
          ? memoT('shu.memo.payoutOne', {
              year,
              name: (toPay[0] as (typeof toPay)[number]).name,
              number: (toPay[0] as (typeof toPay)[number]).member_number,
            })
          : memoT('shu.memo.payoutAll', { year, count: toPay.length }),
      sourceType: 'shu',
      sourceId: r.id,
      lines,
    });
    if (input.method === 'sukarela') {
      await booksRepo.insertSavings(
        trx,
        toPay.map((x) => ({
          id: randomUUID(),
          koperasiId,
          memberId: x.member_id,
          kind: 'sukarela' as const,
          type: 'deposit' as const,
          amount: x.total,
          date,
          journalEntryId: entry.id,
          createdBy: actor(ctx),
        })),
      );
      await sql`
        update books_savings_balances b set balance = b.balance + t.amount, updated_at = now()
          from unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${toPay.map((x) => x.total).join(',')}}`}::bigint[]) as t(member_id, amount)
         where b.member_id = t.member_id and b.kind = 'sukarela'`.execute(trx);
    }
    await trx
      .updateTable('shu_run_members')
      .set({ paid_method: input.method, paid_on: date, paid_entry_id: entry.id, paid_by: actor(ctx) })
      .where('run_id', '=', r.id)
      .where('member_id', 'in', ids)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'shu.payout',
      entityType: 'shu_run',
      entityId: r.id,
      organizationId: koperasiId,
      after: {
        method: input.method,
        date,
        members: toPay.length,
        memberId: input.memberId ?? null,
        amount,
        journalEntryId: entry.id,
        journalEntryNumber: entry.number,
      },
    });
    return { paid: toPay.length, amount, skipped, journalEntryId: entry.id, journalEntryNumber: entry.number };
  });
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface ShuMemberJson {
  memberId: string;
  memberNumber: number;
  name: string;
  savings: bigint;
  loanInterest: bigint;
  purchases: bigint;
  transactions: bigint;
  jasaModal: bigint;
  jasaUsaha: bigint;
  total: bigint;
  paidMethod: ShuPayoutMethod | null;
  paidOn: string | null;
}

function memberQuery(db: Db | Trx, runId: string) {
  return db
    .selectFrom('shu_run_members as s')
    .innerJoin('books_members as m', 'm.id', 's.member_id')
    .select([
      's.member_id',
      's.member_number',
      'm.name',
      's.savings',
      's.loan_interest',
      's.purchases',
      's.transactions',
      's.jasa_modal',
      's.jasa_usaha',
      's.total',
      's.paid_method',
      's.paid_on',
    ])
    .where('s.run_id', '=', runId);
}

function toMemberJson(r: Awaited<ReturnType<ReturnType<typeof memberQuery>['execute']>>[number]): ShuMemberJson {
  return {
    memberId: r.member_id,
    memberNumber: r.member_number,
    name: r.name,
    savings: r.savings,
    loanInterest: r.loan_interest,
    purchases: r.purchases,
    transactions: r.transactions,
    jasaModal: r.jasa_modal,
    jasaUsaha: r.jasa_usaha,
    total: r.total,
    paidMethod: r.paid_method,
    paidOn: r.paid_on,
  };
}

/** Every member's part of a year's run, by member number (pengurus and dinas), with totals. */
export async function listShuMembers(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  year: number,
  opts: { limit?: number; offset?: number } = {},
) {
  const run = await getShuRun(db, ctx, koperasiId, year);
  let q = memberQuery(db, run.id).orderBy('s.member_number');
  if (opts.limit !== undefined) q = q.limit(opts.limit).offset(opts.offset ?? 0);
  const rows = await q.execute();
  return { run, members: rows.map(toMemberJson) };
}

/**
 * One member's SHU of a year: pengurus and dinas for any member of the koperasi, a member only
 * for themselves (anyone else 404, also when the run or the member does not exist).
 */
export async function shuMemberStatement(db: Db, ctx: RequestContext, koperasiId: string, year: number, memberId: string) {
  const a = accessTo(ctx, koperasiId);
  if (a === null) throw notFound();
  if (a === 'member') {
    const own = await getOwnMember(db, ctx, koperasiId);
    if (own.id !== memberId) throw notFound('shu.memberNotInRun');
  } else requireRead(ctx, koperasiId);
  checkYearParam(year);
  const r = await findRun(db, koperasiId, year);
  if (!r) throw notFound('shu.runNotFound');
  const row = await memberQuery(db, r.id).where('s.member_id', '=', memberId).executeTakeFirst();
  if (!row) throw notFound('shu.memberNotInRun');
  return { run: await toRunJson(db, ctx.t, r), member: toMemberJson(row) };
}

/** The signed-in member's SHU of every year with a run that is approved or posted (for /anggota/saya/shu). */
export async function myShu(db: Db, ctx: RequestContext, koperasiId: string) {
  const own = await getOwnMember(db, ctx, koperasiId);
  const rows = await db
    .selectFrom('shu_run_members as s')
    .innerJoin('books_members as m', 'm.id', 's.member_id')
    .innerJoin('shu_runs as r', 'r.id', 's.run_id')
    .select([
      's.member_id',
      's.member_number',
      'm.name',
      's.savings',
      's.loan_interest',
      's.purchases',
      's.transactions',
      's.jasa_modal',
      's.jasa_usaha',
      's.total',
      's.paid_method',
      's.paid_on',
    ])
    .select(['r.year', 'r.status', 'r.rat_date'])
    .where('r.koperasi_id', '=', koperasiId)
    .where('s.member_id', '=', own.id)
    .where('r.status', 'in', ['approved', 'posted'])
    .orderBy('r.year', 'desc')
    .execute();
  return { member: own, years: rows.map((r) => ({ year: r.year, status: r.status, ratDate: r.rat_date, ...toMemberJson(r) })) };
}

// ---------------------------------------------------------------------------------------------
// For the RAT report (helper B): no access check, the caller checks.

/** The SHU distribution of `year` (null when never simulated) with allocation labels in Indonesian. */
export async function shuDistributionForYear(
  db: Db,
  koperasiId: string,
  year: number,
): Promise<null | {
  status: string;
  shu: bigint;
  allocations: { key: string; label: string; percent: string; amount: bigint }[];
  members: number;
  jasaModalTotal: bigint;
  jasaUsahaTotal: bigint;
  approvedAt: string | null;
}> {
  const r = await findRun(db, koperasiId, year);
  if (!r) return null;
  const t = translator('id');
  return {
    status: r.status,
    shu: r.shu,
    allocations: r.allocations.map((a) => ({
      key: a.key,
      label: label(t, a.key),
      percent: a.percent,
      // cadangan includes the Rupiah left over by the rounding and any pool with a zero base
      amount: BigInt(a.amount) + (a.key === 'cadangan' ? r.cadangan_extra : 0n),
    })),
    members: r.members,
    jasaModalTotal: r.jasa_modal_total,
    jasaUsahaTotal: r.jasa_usaha_total,
    approvedAt: iso(r.approved_at),
  };
}
