import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { auditInsert, writeAudit } from '../../platform/audit.js';
import { hasRole, type RequestContext, systemContext } from '../../platform/context.js';
import { conflict, forbidden, notFound, ruleViolated, unauthorized, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { getKoperasi } from '../registry/service.js';
import {
  type AccountBalance,
  applySavings,
  balanceSheet,
  DEFAULT_SETTINGS,
  endOfDayBalances,
  firstDay,
  fiscalYearStart,
  incomeStatement,
  isBalanced,
  isCalendarDate,
  isValidLine,
  KSP_CHART,
  lastDay,
  monthlyInterest,
  normalBalance,
  periodOf,
  reverseLines,
  SAVINGS_ACCOUNT,
  SAVINGS_CONTROL_ACCOUNTS,
  SAVINGS_KINDS,
  type SavingsKind,
  SYSTEM_ACCOUNTS,
  signedAmount,
  totals,
  trialBalanceColumns,
} from './domain.js';
import type { EntryCompanions, EntryRow, LineInsert, MemberRow, SettingsRow } from './repository.js';
import * as repo from './repository.js';
import type { EntryListQuery, JournalInput, LeaveInput, MemberInput, MemberListQuery, SavingsInput, SettingsInput } from './schemas.js';
import type { EntrySourceColumn } from './tables.js';

export type { EntryCompanions, EntryRow, MemberRow } from './repository.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// Who may do what
//
// pengurus_koperasi of THIS koperasi: record, approve, close. dinas/admin: read everything.
// anggota_koperasi of this koperasi: read only their own member record, balances and statement.
// Anyone else (including pengurus of another koperasi): 404, so ids of other tenants leak nothing.
// The system (no user, no client address: seeds, jobs) may do everything.

export type Access = 'manage' | 'read' | 'member';

function isSystem(ctx: RequestContext) {
  return ctx.user === null && ctx.ip === null;
}

export function accessTo(ctx: RequestContext, koperasiId: string): Access | null {
  if (isSystem(ctx)) return 'manage';
  if (!ctx.user) return null;
  if (hasRole(ctx, 'pengurus_koperasi', koperasiId)) return 'manage';
  if (hasRole(ctx, 'dinas') || hasRole(ctx, 'admin')) return 'read';
  if (hasRole(ctx, 'anggota_koperasi', koperasiId)) return 'member';
  return null;
}

function requireCaller(ctx: RequestContext) {
  if (!ctx.user && !isSystem(ctx)) throw unauthorized();
}

/** Writers: pengurus of this koperasi. Readers who know the koperasi get 403; strangers 404. */
export function requireManage(ctx: RequestContext, koperasiId: string) {
  requireCaller(ctx);
  const a = accessTo(ctx, koperasiId);
  if (a === null) throw notFound();
  if (a !== 'manage') throw forbidden();
}

/** Whole-koperasi readers: pengurus and dinas. Members see only their own records (404 otherwise). */
export function requireRead(ctx: RequestContext, koperasiId: string) {
  requireCaller(ctx);
  const a = accessTo(ctx, koperasiId);
  if (a === null || a === 'member') throw notFound();
}

const actor = (ctx: RequestContext) => ctx.user?.id ?? null;
const sysCtx = () => systemContext(translator('id'));
/** Memos are stored in the books' language (Indonesian), whatever the requester reads. */
const memoT = translator('id');

/** Today's calendar date in Kota Malang (WIB, UTC+7). */
export function todayWib(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Amounts leave the API as JSON integers; refuse to round one silently. */
export function int(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`amount ${n} is not a safe integer`);
  return Number(n);
}

const rp = (n: bigint) => n.toLocaleString('id-ID');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function checkDate(date: string, field = 'date') {
  if (!isCalendarDate(date)) throw validationFailed([{ field, message: 'books.dateInvalid' }]);
}

// ---------------------------------------------------------------------------------------------
// Row → API

export function toSettingsJson(s: SettingsRow) {
  return {
    koperasiId: s.koperasi_id,
    pokokAmount: int(s.pokok_amount),
    wajibMonthlyAmount: int(s.wajib_monthly_amount),
    sukarelaRateBp: s.sukarela_rate_bp,
    sukarelaMinBalance: int(s.sukarela_min_balance),
    fiscalYearStartMonth: s.fiscal_year_start_month,
    features: s.features,
  };
}

export function toMemberJson(m: MemberRow) {
  return {
    id: m.id,
    koperasiId: m.koperasi_id,
    memberNumber: m.member_number,
    name: m.name,
    nik: m.nik,
    address: m.address,
    kelurahanCode: m.kelurahan_code,
    phone: m.phone,
    joinDate: m.join_date,
    status: m.status,
    leftAt: m.left_at,
    userId: m.user_id,
    createdAt: iso(m.created_at) as string,
  };
}

export function toEntryJson(e: EntryRow, lines: repo.LineRow[]) {
  const t = totals(lines);
  return {
    id: e.id,
    number: e.number,
    date: e.entry_date,
    memo: e.memo,
    sourceType: e.source_type,
    sourceId: e.source_id,
    status: e.status,
    createdBy: e.created_by,
    approvedBy: e.status === 'posted' ? e.approved_by : null,
    approvedAt: e.status === 'posted' ? iso(e.approved_at) : null,
    rejectedBy: e.status === 'rejected' ? e.approved_by : null,
    rejectedReason: e.rejected_reason,
    reversalOf: e.reversal_of,
    reversedBy: e.reversed_by,
    lines: lines.map((l) => ({
      accountCode: l.account_code,
      accountName: l.account_name,
      debit: int(l.debit),
      credit: int(l.credit),
      memberId: l.member_id,
    })),
    totalDebit: int(t.debit),
    totalCredit: int(t.credit),
    createdAt: iso(e.created_at) as string,
  };
}
export type EntryJson = ReturnType<typeof toEntryJson>;

// ---------------------------------------------------------------------------------------------
// Setting up the books

/**
 * Books exist for a koperasi once its settings row exists. Sets them up (settings with defaults,
 * chart of accounts from the KSP template) when missing; idempotent and safe to run concurrently.
 */
async function ensureBooks(trx: Trx, ctx: RequestContext, koperasiId: string): Promise<SettingsRow> {
  const existing = await repo.findSettings(trx, koperasiId);
  if (existing) return existing;
  const kop = await getKoperasi(trx, sysCtx(), koperasiId); // 404 when there is no such koperasi
  const created = await repo.insertSettings(trx, {
    koperasiId,
    pokokAmount: DEFAULT_SETTINGS.pokokAmount,
    wajibMonthlyAmount: DEFAULT_SETTINGS.wajibMonthlyAmount,
    sukarelaRateBp: DEFAULT_SETTINGS.sukarelaRateBp,
    sukarelaMinBalance: DEFAULT_SETTINGS.sukarelaMinBalance,
    fiscalYearStartMonth: kop.fiscal_year_start_month,
    features: DEFAULT_SETTINGS.features,
    createdBy: actor(ctx),
  });
  await repo.insertChart(trx, koperasiId, KSP_CHART);
  if (created) {
    await writeAudit(trx, ctx, {
      action: 'books.init',
      entityType: 'books',
      entityId: koperasiId,
      organizationId: koperasiId,
      after: { accounts: KSP_CHART.length },
    });
  }
  return (await repo.findSettings(trx, koperasiId)) as SettingsRow;
}

/** Puts every koperasi's journal-number sequence past its highest number (start-up, after bulk seeding). */
export async function syncJournalSequences(db: Db): Promise<number> {
  return repo.syncAllJournalSequences(db);
}

/** Sets up a koperasi's books (settings + SAK EP chart of accounts); idempotent. */
export async function initBooks(db: Db, ctx: RequestContext, koperasiId: string) {
  requireManage(ctx, koperasiId);
  const settings = await db.transaction().execute(async (trx) => {
    const s = await ensureBooks(trx, ctx, koperasiId);
    await repo.insertChart(trx, koperasiId, KSP_CHART); // adds template accounts added since
    return s;
  });
  return settings;
}

/** A koperasi that exists but has no books yet reads as empty; an unknown one is 404. */
async function settingsForRead(db: Db, koperasiId: string): Promise<SettingsRow | null> {
  const s = await repo.findSettings(db, koperasiId);
  if (s) return s;
  await getKoperasi(db, sysCtx(), koperasiId);
  return null;
}

export async function getSettings(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  const s = await settingsForRead(db, koperasiId);
  if (!s) throw notFound('books.notInitialised');
  return s;
}

export async function updateSettings(db: Db, ctx: RequestContext, koperasiId: string, input: SettingsInput) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    const before = (await repo.findSettings(trx, koperasiId, { forUpdate: true })) as SettingsRow;
    await repo.updateSettings(trx, koperasiId, {
      ...(input.pokokAmount !== undefined ? { pokok_amount: BigInt(input.pokokAmount) } : {}),
      ...(input.wajibMonthlyAmount !== undefined ? { wajib_monthly_amount: BigInt(input.wajibMonthlyAmount) } : {}),
      ...(input.sukarelaRateBp !== undefined ? { sukarela_rate_bp: input.sukarelaRateBp } : {}),
      ...(input.sukarelaMinBalance !== undefined ? { sukarela_min_balance: BigInt(input.sukarelaMinBalance) } : {}),
      ...(input.fiscalYearStartMonth !== undefined ? { fiscal_year_start_month: input.fiscalYearStartMonth } : {}),
      ...(input.features !== undefined ? { features: JSON.stringify({ ...before.features, ...input.features }) } : {}),
    });
    const after = (await repo.findSettings(trx, koperasiId)) as SettingsRow;
    await writeAudit(trx, ctx, {
      action: 'books.settings.update',
      entityType: 'books_settings',
      entityId: koperasiId,
      organizationId: koperasiId,
      before: toSettingsJson(before),
      after: toSettingsJson(after),
    });
    return after;
  });
}

export async function listAccounts(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  await settingsForRead(db, koperasiId);
  return repo.listAccounts(db, koperasiId);
}

// ---------------------------------------------------------------------------------------------
// Posting

export interface PostLine {
  code: string;
  debit: bigint;
  credit: bigint;
  memberId?: string | null;
}

/** Refuses (409) anything dated in a closed month; holds a share lock on the month until commit. */
async function requireOpenPeriod(trx: Trx, koperasiId: string, date: string) {
  const period = periodOf(date);
  if ((await repo.lockPeriod(trx, koperasiId, period, 'share')) === 'closed') throw conflict('books.periodClosed', { period });
  // A closed fiscal year (yearend.ts) stays closed even if one of its months is reopened.
  const closedYear = await trx
    .selectFrom('books_years')
    .select('year')
    .where('koperasi_id', '=', koperasiId)
    .where('start_date', '<=', date)
    .where('end_date', '>=', date)
    .executeTakeFirst();
  if (closedYear) throw conflict('books.yearClosed', { year: closedYear.year });
}

/**
 * Writes one balanced journal entry (posted, or pending approval) with the next number of the
 * koperasi's journal sequence (ADR 0011), taken inside the insert. Callers lock their own rows first.
 */
async function writeEntry(
  trx: Trx,
  koperasiId: string,
  e: {
    date: string;
    memo: string;
    sourceType: EntrySourceColumn;
    sourceId: string | null;
    status: 'pending' | 'posted';
    createdBy: string | null;
    approvedBy: string | null;
    reversalOf?: string | null;
    lines: PostLine[];
  },
  opts: {
    /** Sets up the books when the koperasi has none yet (postEntry); the checks then run again. */
    setUpBooks?: () => Promise<void>;
    /** The checks, when the caller read them with its own rows (one round trip fewer). */
    checks?: repo.PostingChecks;
    /** Writes that go in the entry's statement (see repo.EntryCompanions); `id` is then the entry's. */
    id?: string;
    companions?: repo.EntryCompanions;
  } = {},
): Promise<{ id: string; number: number }> {
  if (!isBalanced(e.lines)) {
    const t = totals(e.lines);
    throw ruleViolated(
      'books.unbalanced',
      { debit: rp(t.debit), credit: rp(t.credit) },
      { totalDebit: int(t.debit), totalCredit: int(t.credit) },
    );
  }
  // One round trip for the checks in the common case (the month has its row, the books exist).
  const period = periodOf(e.date);
  const codes = [...new Set(e.lines.map((l) => l.code))];
  let c = opts.checks ?? (await repo.postingChecks(trx, koperasiId, period, e.date, codes));
  if (!c.hasBooks && opts.setUpBooks) {
    await opts.setUpBooks();
    c = await repo.postingChecks(trx, koperasiId, period, e.date, codes);
  }
  if (c.periodStatus === null)
    await requireOpenPeriod(trx, koperasiId, e.date); // first entry of the month: creates and locks its row
  else if (c.periodStatus === 'closed') throw conflict('books.periodClosed', { period });
  else if (c.closedYear !== null) throw conflict('books.yearClosed', { year: c.closedYear });
  const lines: LineInsert[] = e.lines.map((l) => {
    const accountId = c.accounts.get(l.code);
    if (!accountId) throw ruleViolated('books.unknownAccount', { code: l.code });
    return { accountId, debit: l.debit, credit: l.credit, memberId: l.memberId ?? null };
  });
  return repo.insertEntry(
    trx,
    {
      id: opts.id,
      koperasiId,
      number: 'next',
      date: e.date,
      memo: e.memo,
      sourceType: e.sourceType,
      sourceId: e.sourceId,
      status: e.status,
      createdBy: e.createdBy,
      approvedBy: e.approvedBy,
      reversalOf: e.reversalOf ?? null,
    },
    lines,
    opts.companions,
  );
}

/**
 * For the modules that post into the books (lending, the koperasi shop): writes one posted,
 * balanced entry in the CALLER's transaction, after setting up the books if needed. The caller has
 * already checked access, locked its own rows and writes its own audit record. Refused (nothing
 * written, the caller's transaction rolls back): unbalanced 422, unknown account 422, a closed
 * month or year 409.
 *
 * `companions`: the caller's own writes (queries on its tables, not yet run, built from the entry's
 * id and number) go into the entry's statement, so the posting costs one round trip more than the
 * checks; `id` is then the entry's id, known to the caller before the statement.
 */
export async function postEntry(
  trx: Trx,
  ctx: RequestContext,
  koperasiId: string,
  e: { date: string; memo: string; sourceType: EntrySourceColumn; sourceId: string | null; lines: PostLine[]; reversalOf?: string },
  with_: { id?: string; companions?: EntryCompanions } = {},
): Promise<{ id: string; number: number }> {
  const written = await writeEntry(
    trx,
    koperasiId,
    { ...e, status: 'posted', createdBy: actor(ctx), approvedBy: null },
    {
      setUpBooks: async () => {
        await ensureBooks(trx, ctx, koperasiId);
      },
      id: with_.id,
      companions: with_.companions,
    },
  );
  if (e.reversalOf) await repo.setReversedBy(trx, e.reversalOf, written.id);
  return written;
}

/**
 * For the modules that post into the books: sets up the books when needed and adds the chart
 * template's accounts added since they were set up (when one of `codes` is missing). Idempotent,
 * in the caller's transaction.
 */
export async function ensureAccounts(trx: Trx, ctx: RequestContext, koperasiId: string, codes: readonly string[]): Promise<SettingsRow> {
  const settings = await ensureBooks(trx, ctx, koperasiId);
  if ((await repo.accountsByCode(trx, koperasiId, [...codes])).size < new Set(codes).size)
    await repo.insertChart(trx, koperasiId, KSP_CHART);
  return settings;
}

/** For the modules that post into the books: 409 when `date` is in a closed month or year (share lock on the month until commit). */
export async function requireOpenDate(trx: Trx, koperasiId: string, date: string) {
  await requireOpenPeriod(trx, koperasiId, date);
}

/**
 * The features a koperasi uses (simpanan, pinjaman, penjualan), defaults filled in; a koperasi
 * without books has the defaults. For other modules: hide screens of features not chosen.
 */
export async function featuresOf(db: Db | Trx, koperasiId: string): Promise<{ simpanan: boolean; pinjaman: boolean; penjualan: boolean }> {
  const s = await repo.findSettings(db, koperasiId);
  const f = { ...DEFAULT_SETTINGS.features, ...(s?.features ?? {}) };
  return { simpanan: f.simpanan === true, pinjaman: f.pinjaman === true, penjualan: f.penjualan === true };
}

/**
 * For the modules that post into the books: reverses a posted entry they wrote earlier (a void, a
 * cancelled disbursement) with a linked reversing entry in the caller's transaction. The original
 * is never edited. 409 when it is not posted or already reversed.
 */
export async function postReversal(
  trx: Trx,
  ctx: RequestContext,
  koperasiId: string,
  entryId: string,
  e: { date: string; memo: string; sourceType: EntrySourceColumn },
): Promise<{ id: string; number: number }> {
  const original = await repo.findEntry(trx, koperasiId, entryId, { forUpdate: true });
  if (!original) throw notFound('books.entryNotFound');
  if (original.status !== 'posted') throw conflict('books.entryNotPosted');
  if (original.reversed_by) throw conflict('books.entryAlreadyReversed');
  const lines = await repo.entryLines(trx, [original.id]);
  return postEntry(trx, ctx, koperasiId, {
    date: e.date < original.entry_date ? original.entry_date : e.date,
    memo: e.memo,
    sourceType: e.sourceType,
    sourceId: original.id,
    reversalOf: original.id,
    lines: reverseLines(lines.map((l) => ({ code: l.account_code, debit: l.debit, credit: l.credit, memberId: l.member_id }))),
  });
}

// ---------------------------------------------------------------------------------------------
// Members

export async function addMember(db: Db, ctx: RequestContext, koperasiId: string, input: MemberInput): Promise<MemberRow> {
  requireManage(ctx, koperasiId);
  const joinDate = input.joinDate ?? todayWib();
  checkDate(joinDate, 'joinDate');
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    if (input.kelurahanCode && !(await repo.kelurahanExists(trx, input.kelurahanCode))) {
      throw validationFailed([{ field: 'kelurahanCode', message: 'books.kelurahanInvalid' }]);
    }
    if (input.userId) {
      if (!(await repo.userExists(trx, input.userId))) throw validationFailed([{ field: 'userId', message: 'books.userUnknown' }]);
      if (await repo.findMemberByUser(trx, koperasiId, input.userId)) throw conflict('books.userAlreadyMember');
    }
    if (await repo.activeMemberWithNik(trx, koperasiId, input.nik)) throw conflict('books.nikActiveMember');
    const memberNumber = await repo.nextNumber(trx, koperasiId, 'member');
    const m = await repo.insertMember(trx, {
      koperasiId,
      memberNumber,
      nik: input.nik,
      name: input.name.trim(),
      address: input.address?.trim() || null,
      kelurahanCode: input.kelurahanCode ?? null,
      phone: input.phone ?? null,
      joinDate,
      userId: input.userId ?? null,
      createdBy: actor(ctx),
    });
    if (input.userId) await repo.grantMemberRole(trx, input.userId, koperasiId, actor(ctx));
    await writeAudit(trx, ctx, {
      action: 'books.member.add',
      entityType: 'books_member',
      entityId: m.id,
      organizationId: koperasiId,
      after: toMemberJson(m),
    });
    return m;
  });
}

/** One member: pengurus and dinas see any; an anggota only their own (404 otherwise). */
export async function getMember(db: Db | Trx, ctx: RequestContext, koperasiId: string, memberId: string): Promise<MemberRow> {
  requireCaller(ctx);
  const a = accessTo(ctx, koperasiId);
  if (a === null) throw notFound();
  const m = await repo.findMember(db, koperasiId, memberId);
  if (!m) throw notFound('books.memberNotFound');
  if (a === 'member' && m.user_id !== ctx.user?.id) throw notFound('books.memberNotFound');
  return m;
}

/** The caller's own member record in this koperasi (anggota). */
export async function getOwnMember(db: Db, ctx: RequestContext, koperasiId: string): Promise<MemberRow> {
  const user = ctx.user;
  if (!user) throw unauthorized();
  if (accessTo(ctx, koperasiId) === null) throw notFound();
  const m = await repo.findMemberByUser(db, koperasiId, user.id);
  if (!m) throw notFound('books.memberNotFound');
  return m;
}

export async function listMembers(db: Db, ctx: RequestContext, koperasiId: string, q: MemberListQuery) {
  requireRead(ctx, koperasiId);
  await settingsForRead(db, koperasiId);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const r = await repo.listMembers(db, koperasiId, { status: q.status, search: q.q, limit: pageSize, offset: (page - 1) * pageSize });
  return { ...r, page, pageSize };
}

export async function memberBalances(db: Db, ctx: RequestContext, koperasiId: string, memberId: string) {
  const member = await getMember(db, ctx, koperasiId, memberId);
  const balances = await repo.balancesOf(db, member.id);
  return { member, balances };
}

// ---------------------------------------------------------------------------------------------
// Savings

export interface SavingsResult {
  id: string;
  memberId: string;
  kind: SavingsKind;
  type: 'deposit' | 'withdrawal';
  amount: bigint;
  date: string;
  journalEntryId: string;
  journalEntryNumber: number;
  balance: bigint;
}

/**
 * A deposit or withdrawal: in ONE transaction, lock the member's balance row (SELECT … FOR
 * UPDATE), check the rule, post the balanced journal entry (Dr Kas / Cr Simpanan, or the
 * reverse), write the savings row, move the balance and write the audit record. Refused →
 * nothing is written: 422 for pokok/wajib withdrawals, 409 for insufficient balance or a closed
 * period.
 */
export async function recordSavings(db: Db, ctx: RequestContext, koperasiId: string, input: SavingsInput): Promise<SavingsResult> {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  checkDate(date);
  const amount = BigInt(input.amount);
  if (amount <= 0n) throw validationFailed([{ field: 'amount', message: 'field.invalid' }]);
  const kindLabel = ctx.t(`books.kind.${input.kind}`);
  const savingsAccount = SAVINGS_ACCOUNT[input.kind];
  const codes = [SYSTEM_ACCOUNTS.kas, savingsAccount];
  // Four round trips inside the transaction: begin, the reads with their locks, one statement for
  // every write (entry, lines, savings row, balance, audit record), commit.
  return db.transaction().execute(async (trx) => {
    const state = await repo.savingsPostingState(trx, koperasiId, input.memberId, input.kind, periodOf(date), date, codes);
    if (!state) {
      await ensureBooks(trx, ctx, koperasiId); // 404 for an unknown koperasi; a koperasi without books gets them, as any write does
      throw notFound('books.memberNotFound');
    }
    const { member, balance } = state;
    if (member.status !== 'aktif') throw conflict('books.memberNotActive');
    if (input.type === 'withdrawal' && input.kind !== 'sukarela') throw ruleViolated('books.notWithdrawable', { kind: kindLabel });
    // No check against the join date: pokok is often paid with the application, before the board
    // admits the member (the join date), and paper books are entered after the fact.
    if (input.kind === 'pokok' && input.type === 'deposit' && balance > 0n) throw ruleViolated('books.pokokAlreadyPaid');
    const check = applySavings(input.kind, input.type, balance, amount, state.sukarelaMinBalance);
    if (!check.ok) {
      if (check.reason === 'not_withdrawable') throw ruleViolated('books.notWithdrawable', { kind: kindLabel });
      if (check.reason === 'below_minimum') {
        throw conflict(
          'books.belowMinimum',
          { minimum: rp(state.sukarelaMinBalance) },
          { balance: int(balance), minimum: int(state.sukarelaMinBalance) },
        );
      }
      throw conflict('books.insufficientBalance', { kind: kindLabel, balance: rp(balance), amount: rp(amount) }, { balance: int(balance) });
    }
    const savingsId = randomUUID();
    const entryId = randomUUID();
    const deposit = input.type === 'deposit';
    const entry = await writeEntry(
      trx,
      koperasiId,
      {
        date,
        memo: memoT(deposit ? 'books.memo.deposit' : 'books.memo.withdrawal', {
          kind: input.kind,
          name: member.name,
          number: member.member_number,
        }),
        sourceType: 'savings',
        sourceId: savingsId,
        status: 'posted',
        createdBy: actor(ctx),
        approvedBy: null,
        lines: deposit
          ? [
              { code: SYSTEM_ACCOUNTS.kas, debit: amount, credit: 0n },
              { code: savingsAccount, debit: 0n, credit: amount, memberId: member.id },
            ]
          : [
              { code: savingsAccount, debit: amount, credit: 0n, memberId: member.id },
              { code: SYSTEM_ACCOUNTS.kas, debit: 0n, credit: amount },
            ],
      },
      {
        checks: state.checks,
        id: entryId,
        companions: ({ number }) => [
          repo.savingsInsert(trx, [
            {
              id: savingsId,
              koperasiId,
              memberId: member.id,
              kind: input.kind,
              type: input.type,
              amount,
              date,
              journalEntryId: entryId,
              createdBy: actor(ctx),
            },
          ]),
          repo.balanceDelta(trx, member.id, input.kind, signedAmount(input.type, amount)),
          auditInsert(
            trx,
            ctx,
            {
              action: `books.savings.${input.type}`,
              entityType: 'books_savings_transaction',
              entityId: savingsId,
              organizationId: koperasiId,
              before: { balance: balance },
              after: { memberId: member.id, kind: input.kind, type: input.type, amount, date, balance: check.newBalance },
            },
            sql`jsonb_build_object('journalEntryNumber', ${number})`,
          ),
        ],
      },
    );
    return {
      id: savingsId,
      memberId: member.id,
      kind: input.kind,
      type: input.type,
      amount,
      date,
      journalEntryId: entry.id,
      journalEntryNumber: entry.number,
      balance: check.newBalance,
    };
  });
}

/**
 * A member leaves (keluar) or has died (meninggal): in one transaction every simpanan balance
 * (pokok and wajib, which become withdrawable only now, and any sukarela) is paid back from Kas
 * with one journal entry and a 'settlement' savings row per kind, and the member is marked.
 */
export async function memberLeaves(db: Db, ctx: RequestContext, koperasiId: string, memberId: string, input: LeaveInput) {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  checkDate(date);
  const status = input.status ?? 'keluar';
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    // FOR NO KEY UPDATE: other transactions' lines may still reference the member (FOR KEY SHARE) meanwhile.
    const member = await repo.findMember(trx, koperasiId, memberId, { forNoKeyUpdate: true });
    if (!member) throw notFound('books.memberNotFound');
    if (member.status !== 'aktif') throw conflict('books.memberAlreadyLeft');
    if (date < member.join_date) throw ruleViolated('books.dateBeforeJoin', { joinDate: member.join_date });
    // What the member still owes or is owed outside simpanan is settled first, by its own steps
    // (a loan's payoff, a term deposit's payout), so the settlement here is only the simpanan.
    const loans = await trx
      .selectFrom('loans')
      .select('number')
      .where('member_id', '=', member.id)
      .where('status', 'in', ['disetujui', 'aktif'])
      .execute();
    if (loans.length) throw conflict('books.leaveOpenLoans', { numbers: loans.map((l) => l.number).join(', ') });
    const deposits = await trx
      .selectFrom('books_term_deposits')
      .select('id')
      .where('member_id', '=', member.id)
      .where('status', '=', 'aktif')
      .execute();
    if (deposits.length) throw conflict('books.leaveOpenDeposits', { count: deposits.length });
    const balances = await repo.lockMemberBalances(trx, member.id);
    const kinds = SAVINGS_KINDS.filter((k) => balances[k] > 0n);
    const total = kinds.reduce((s, k) => s + balances[k], 0n);
    let entry: { id: string; number: number } | null = null;
    if (total > 0n) {
      entry = await writeEntry(trx, koperasiId, {
        date,
        memo: memoT('books.memo.settlement', { name: member.name, number: member.member_number }),
        sourceType: 'settlement',
        sourceId: member.id,
        status: 'posted',
        createdBy: actor(ctx),
        approvedBy: null,
        lines: [
          ...kinds.map((k) => ({ code: SAVINGS_ACCOUNT[k], debit: balances[k], credit: 0n, memberId: member.id })),
          { code: SYSTEM_ACCOUNTS.kas, debit: 0n, credit: total },
        ],
      });
      const entryId = entry.id;
      await repo.insertSavings(
        trx,
        kinds.map((k) => ({
          id: randomUUID(),
          koperasiId,
          memberId: member.id,
          kind: k,
          type: 'settlement' as const,
          amount: balances[k],
          date,
          journalEntryId: entryId,
          createdBy: actor(ctx),
        })),
      );
      for (const k of kinds) await repo.addToBalance(trx, member.id, k, -balances[k]);
    } else {
      await requireOpenPeriod(trx, koperasiId, date);
    }
    await repo.setMemberLeft(trx, member.id, status, date);
    const refunded = { pokok: balances.pokok, wajib: balances.wajib, sukarela: balances.sukarela };
    await writeAudit(trx, ctx, {
      action: 'books.member.leave',
      entityType: 'books_member',
      entityId: member.id,
      organizationId: koperasiId,
      before: { status: member.status, balances: refunded },
      after: { status, leftAt: date, refunded, total, journalEntryNumber: entry?.number ?? null },
    });
    const after = (await repo.findMember(trx, koperasiId, member.id)) as MemberRow;
    return { member: after, refunded, total, journalEntryId: entry?.id ?? null };
  });
}

/**
 * Credits simpanan sukarela interest for one month that has ended, to every active member (see
 * domain.ts and ADR 0007 for the daily accrual and the rounding down). One journal entry (Dr
 * Beban Bunga Simpanan, Cr Simpanan Sukarela per member) dated the month's last day. Idempotent:
 * a second call for the same month changes nothing and returns the first run.
 */
export async function creditSukarelaInterest(db: Db, ctx: RequestContext, koperasiId: string, period: string, today = todayWib()) {
  requireManage(ctx, koperasiId);
  if (period >= periodOf(today)) throw ruleViolated('books.interestMonthNotOver', { period });
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    // Serialises interest runs of one koperasi (deposits never lock the settings row).
    const settings = (await repo.findSettings(trx, koperasiId, { forUpdate: true })) as SettingsRow;
    const done = await repo.findInterestRun(trx, koperasiId, period);
    if (done)
      return {
        period,
        alreadyCredited: true,
        total: done.total,
        members: done.members,
        rateBp: done.rate_bp,
        journalEntryId: done.journal_entry_id,
      };
    const first = firstDay(period);
    const last = lastDay(period);
    const data = await repo.sukarelaForInterest(trx, koperasiId, first, last);
    await repo.lockSukarelaBalances(trx, data.memberIds);
    const opening = new Map(data.opening.map((o) => [o.member_id, o.balance]));
    const moves = new Map<string, { day: number; amount: bigint }[]>();
    for (const mv of data.movements) {
      const list = moves.get(mv.member_id) ?? [];
      list.push({ day: Number(mv.txn_date.slice(8, 10)), amount: signedAmount(mv.type, mv.amount) });
      moves.set(mv.member_id, list);
    }
    const credits: { memberId: string; amount: bigint }[] = [];
    for (const id of data.memberIds) {
      const amount = monthlyInterest(endOfDayBalances(period, opening.get(id) ?? 0n, moves.get(id) ?? []), settings.sukarela_rate_bp);
      if (amount > 0n) credits.push({ memberId: id, amount });
    }
    const total = credits.reduce((s, c) => s + c.amount, 0n);
    let entryId: string | null = null;
    if (total > 0n) {
      const entry = await writeEntry(trx, koperasiId, {
        date: last,
        memo: memoT('books.memo.interest', { period }),
        sourceType: 'interest',
        sourceId: null,
        status: 'posted',
        createdBy: actor(ctx),
        approvedBy: null,
        lines: [
          { code: SYSTEM_ACCOUNTS.bebanBungaSimpanan, debit: total, credit: 0n },
          ...credits.map((c) => ({ code: SYSTEM_ACCOUNTS.simpananSukarela, debit: 0n, credit: c.amount, memberId: c.memberId })),
        ],
      });
      entryId = entry.id;
      await repo.insertSavings(
        trx,
        credits.map((c) => ({
          id: randomUUID(),
          koperasiId,
          memberId: c.memberId,
          kind: 'sukarela' as const,
          type: 'interest' as const,
          amount: c.amount,
          date: last,
          interestPeriod: period,
          journalEntryId: entry.id,
          createdBy: actor(ctx),
        })),
      );
      for (const c of credits) await repo.addToBalance(trx, c.memberId, 'sukarela', c.amount);
    } else {
      await requireOpenPeriod(trx, koperasiId, last);
    }
    await repo.insertInterestRun(trx, {
      koperasiId,
      period,
      rateBp: settings.sukarela_rate_bp,
      total,
      members: credits.length,
      journalEntryId: entryId,
      createdBy: actor(ctx),
    });
    await writeAudit(trx, ctx, {
      action: 'books.interest.credit',
      entityType: 'books_interest_run',
      entityId: entryId,
      organizationId: koperasiId,
      after: { period, rateBp: settings.sukarela_rate_bp, total, members: credits.length },
    });
    return { period, alreadyCredited: false, total, members: credits.length, rateBp: settings.sukarela_rate_bp, journalEntryId: entryId };
  });
}

// ---------------------------------------------------------------------------------------------
// Manual journal entries: written pending, approved by another pengurus, corrected by reversal

async function entryWithLines(db: Db | Trx, koperasiId: string, entryId: string) {
  const e = await repo.findEntry(db, koperasiId, entryId);
  if (!e) throw notFound('books.entryNotFound');
  return toEntryJson(e, await repo.entryLines(db, [e.id]));
}

export async function createManualEntry(db: Db, ctx: RequestContext, koperasiId: string, input: JournalInput): Promise<EntryJson> {
  requireManage(ctx, koperasiId);
  checkDate(input.date);
  const lines: PostLine[] = input.lines.map((l) => ({ code: l.accountCode, debit: BigInt(l.debit ?? 0), credit: BigInt(l.credit ?? 0) }));
  const bad = lines.findIndex((l) => !isValidLine(l));
  if (bad >= 0) throw ruleViolated('books.lineOneSide', {}, { line: bad });
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    const accounts = await repo.accountsByCode(trx, koperasiId, [...new Set(lines.map((l) => l.code))]);
    for (const l of lines) {
      const acc = accounts.get(l.code);
      if (!acc) throw ruleViolated('books.unknownAccount', { code: l.code }, { accountCode: l.code });
      if (acc.is_header) throw ruleViolated('books.headerAccount', { code: l.code }, { accountCode: l.code });
      if (SAVINGS_CONTROL_ACCOUNTS.includes(l.code))
        throw ruleViolated('books.savingsAccountManual', { code: l.code }, { accountCode: l.code });
    }
    const entry = await writeEntry(trx, koperasiId, {
      date: input.date,
      memo: input.memo.trim(),
      sourceType: 'manual',
      sourceId: null,
      status: 'pending',
      createdBy: actor(ctx),
      approvedBy: null,
      lines,
    });
    const json = await entryWithLines(trx, koperasiId, entry.id);
    await writeAudit(trx, ctx, {
      action: 'books.entry.create',
      entityType: 'books_journal_entry',
      entityId: entry.id,
      organizationId: koperasiId,
      after: json,
    });
    return json;
  });
}

async function lockPendingEntry(trx: Trx, koperasiId: string, entryId: string) {
  const e = await repo.findEntry(trx, koperasiId, entryId, { forUpdate: true });
  if (!e) throw notFound('books.entryNotFound');
  if (e.status !== 'pending') throw conflict('books.entryNotPending');
  return e;
}

/** Posts a pending manual entry; the approver must be another pengurus than its writer (403). */
export async function approveEntry(db: Db, ctx: RequestContext, koperasiId: string, entryId: string): Promise<EntryJson> {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const e = await lockPendingEntry(trx, koperasiId, entryId);
    if (e.created_by !== null && e.created_by === actor(ctx)) throw forbidden('books.selfApproval');
    await requireOpenPeriod(trx, koperasiId, e.entry_date);
    await repo.markPosted(trx, e.id, actor(ctx));
    const json = await entryWithLines(trx, koperasiId, e.id);
    await writeAudit(trx, ctx, {
      action: 'books.entry.approve',
      entityType: 'books_journal_entry',
      entityId: e.id,
      organizationId: koperasiId,
      before: { status: 'pending' },
      after: json,
    });
    return json;
  });
}

export async function rejectEntry(db: Db, ctx: RequestContext, koperasiId: string, entryId: string, reason?: string): Promise<EntryJson> {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const e = await lockPendingEntry(trx, koperasiId, entryId);
    await repo.markRejected(trx, e.id, reason?.trim() || null, actor(ctx));
    const json = await entryWithLines(trx, koperasiId, e.id);
    await writeAudit(trx, ctx, {
      action: 'books.entry.reject',
      entityType: 'books_journal_entry',
      entityId: e.id,
      organizationId: koperasiId,
      before: { status: 'pending' },
      after: { status: 'rejected', reason: reason ?? null },
    });
    return json;
  });
}

/**
 * Corrects a posted manual entry with a reversing entry (every debit becomes a credit), posted
 * at once and linked both ways (reversal_of / reversed_by). The original is never changed
 * otherwise. Entries from savings, interest or settlements are corrected by a new savings
 * transaction instead, so member balances and the ledger never drift apart (422).
 */
export async function reverseEntry(
  db: Db,
  ctx: RequestContext,
  koperasiId: string,
  entryId: string,
  input: { date?: string; memo?: string },
): Promise<EntryJson> {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  checkDate(date);
  return db.transaction().execute(async (trx) => {
    const e = await repo.findEntry(trx, koperasiId, entryId, { forUpdate: true });
    if (!e) throw notFound('books.entryNotFound');
    if (e.status !== 'posted') throw conflict('books.entryNotPosted');
    if (e.reversed_by) throw conflict('books.entryAlreadyReversed');
    if (e.reversal_of) throw conflict('books.entryIsReversal');
    if (e.source_type !== 'manual' && e.source_type !== 'opening') throw ruleViolated('books.entryNotManual');
    if (date < e.entry_date) throw ruleViolated('books.dateInvalid', {}, { notBefore: e.entry_date });
    const original = await repo.entryLines(trx, [e.id]);
    const reversal = await writeEntry(trx, koperasiId, {
      date,
      memo: input.memo?.trim() || memoT('books.memo.reversal', { number: e.number }),
      sourceType: 'reversal',
      sourceId: e.id,
      status: 'posted',
      createdBy: actor(ctx),
      approvedBy: null,
      reversalOf: e.id,
      lines: reverseLines(original.map((l) => ({ code: l.account_code, debit: l.debit, credit: l.credit, memberId: l.member_id }))),
    });
    await repo.setReversedBy(trx, e.id, reversal.id);
    const json = await entryWithLines(trx, koperasiId, reversal.id);
    await writeAudit(trx, ctx, {
      action: 'books.entry.reverse',
      entityType: 'books_journal_entry',
      entityId: e.id,
      organizationId: koperasiId,
      after: { reversalId: reversal.id, reversalNumber: reversal.number, date },
    });
    return json;
  });
}

export async function getEntry(db: Db, ctx: RequestContext, koperasiId: string, entryId: string): Promise<EntryJson> {
  requireRead(ctx, koperasiId);
  return entryWithLines(db, koperasiId, entryId);
}

export async function listEntries(db: Db, ctx: RequestContext, koperasiId: string, q: EntryListQuery) {
  requireRead(ctx, koperasiId);
  await settingsForRead(db, koperasiId);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const r = await repo.listEntries(db, koperasiId, {
    status: q.status,
    from: q.from,
    to: q.to,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const lines = await repo.entryLines(
    db,
    r.items.map((e) => e.id),
  );
  const byEntry = new Map<string, repo.LineRow[]>();
  for (const l of lines) byEntry.set(l.entry_id, [...(byEntry.get(l.entry_id) ?? []), l]);
  return { items: r.items.map((e) => toEntryJson(e, byEntry.get(e.id) ?? [])), total: r.total, page, pageSize };
}

// ---------------------------------------------------------------------------------------------
// Periods

export function toPeriodJson(p: repo.PeriodRow | { koperasi_id: string; period: string; status: 'open' | 'closed' }) {
  const r = p as Partial<repo.PeriodRow> & { period: string; status: 'open' | 'closed' };
  return {
    period: r.period,
    status: r.status,
    closedBy: r.closed_by ?? null,
    closedAt: iso(r.closed_at ?? null),
    reopenedBy: r.reopened_by ?? null,
    reopenedAt: iso(r.reopened_at ?? null),
  };
}

/** Closes a month: nothing dated in it can be posted until it is reopened. Pending entries block it (409). */
export async function closePeriod(db: Db, ctx: RequestContext, koperasiId: string, period: string) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    if ((await repo.lockPeriod(trx, koperasiId, period, 'update')) === 'closed') throw conflict('books.periodAlreadyClosed', { period });
    const pending = await repo.countPendingIn(trx, koperasiId, firstDay(period), lastDay(period));
    if (pending > 0) throw conflict('books.periodHasPending', { period, count: pending }, { pending });
    await repo.setPeriodStatus(trx, koperasiId, period, 'closed', actor(ctx));
    const row = (await repo.findPeriod(trx, koperasiId, period)) as repo.PeriodRow;
    await writeAudit(trx, ctx, {
      action: 'books.period.close',
      entityType: 'books_period',
      entityId: koperasiId,
      organizationId: koperasiId,
      before: { period, status: 'open' },
      after: { period, status: 'closed' },
    });
    return row;
  });
}

/** Reopens a closed month (audited with the reason). */
export async function reopenPeriod(db: Db, ctx: RequestContext, koperasiId: string, period: string, reason?: string) {
  requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    await ensureBooks(trx, ctx, koperasiId);
    if ((await repo.lockPeriod(trx, koperasiId, period, 'update')) !== 'closed') throw conflict('books.periodNotClosed', { period });
    await repo.setPeriodStatus(trx, koperasiId, period, 'open', actor(ctx));
    const row = (await repo.findPeriod(trx, koperasiId, period)) as repo.PeriodRow;
    await writeAudit(trx, ctx, {
      action: 'books.period.reopen',
      entityType: 'books_period',
      entityId: koperasiId,
      organizationId: koperasiId,
      before: { period, status: 'closed' },
      after: { period, status: 'open', reason: reason?.trim() || null },
    });
    return row;
  });
}

export async function listPeriods(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  await settingsForRead(db, koperasiId);
  return repo.listPeriods(db, koperasiId);
}

// ---------------------------------------------------------------------------------------------
// Reports (posted entries only)

function checkRange(from: string, to: string) {
  checkDate(from, 'from');
  checkDate(to, 'to');
  if (to < from) throw validationFailed([{ field: 'to', message: 'books.rangeInvalid' }]);
}

const asBalances = (rows: Awaited<ReturnType<typeof repo.accountTotals>>): AccountBalance[] =>
  rows.map((r) => ({ code: r.code, name: r.name, type: r.type, normalSide: r.normal_side, debit: r.debit, credit: r.credit }));

/** Trial balance (neraca saldo) as of a day: each account's net in the debit or the credit column. */
export async function trialBalance(db: Db, ctx: RequestContext, koperasiId: string, asOf = todayWib()) {
  requireRead(ctx, koperasiId);
  checkDate(asOf, 'asOf');
  if (!(await settingsForRead(db, koperasiId))) return { asOf, accounts: [], totalDebit: 0n, totalCredit: 0n };
  const rows = await repo.accountTotals(db, koperasiId, null, asOf);
  const accounts = rows
    .filter((r) => r.n > 0)
    .map((r) => ({ code: r.code, name: r.name, type: r.type, ...trialBalanceColumns(r.debit, r.credit) }));
  const t = totals(accounts);
  return { asOf, accounts, totalDebit: t.debit, totalCredit: t.credit };
}

/** Balance sheet (neraca) as of a day; the fiscal year's result so far is SHU tahun berjalan. */
export async function balanceSheetReport(db: Db, ctx: RequestContext, koperasiId: string, asOf = todayWib()) {
  requireRead(ctx, koperasiId);
  checkDate(asOf, 'asOf');
  const settings = await settingsForRead(db, koperasiId);
  if (!settings) return { asOf, fiscalYearStart: fiscalYearStart(asOf), ...balanceSheet([], 0n) };
  const fyStart = fiscalYearStart(asOf, settings.fiscal_year_start_month);
  const all = asBalances(await repo.accountTotals(db, koperasiId, null, asOf));
  const year = incomeStatement(asBalances(await repo.accountTotals(db, koperasiId, fyStart, asOf)));
  const sheet = balanceSheet(all, year.shu);
  const nonZero = (xs: { code: string; name: string; amount: bigint }[]) =>
    xs.filter((x) => x.amount !== 0n || x.code === SYSTEM_ACCOUNTS.shuTahunBerjalan);
  return {
    asOf,
    fiscalYearStart: fyStart,
    ...sheet,
    assets: nonZero(sheet.assets),
    liabilities: nonZero(sheet.liabilities),
    equity: nonZero(sheet.equity),
  };
}

/** Income statement (perhitungan hasil usaha) over from..to; SHU = income − expenses. */
export async function incomeStatementReport(db: Db, ctx: RequestContext, koperasiId: string, from: string, to: string) {
  requireRead(ctx, koperasiId);
  checkRange(from, to);
  if (!(await settingsForRead(db, koperasiId))) return { from, to, ...incomeStatement([]) };
  // The result of a closed year is still reported: its closing entry is left out.
  const closing = new Map((await repo.closingTotals(db, koperasiId, from, to)).map((c) => [c.account_id, c]));
  const rows = (await repo.accountTotals(db, koperasiId, from, to)).map((r) => {
    const c = closing.get(r.id);
    return c ? { ...r, debit: BigInt(r.debit) - BigInt(c.debit), credit: BigInt(r.credit) - BigInt(c.credit) } : r;
  });
  const s = incomeStatement(asBalances(rows));
  return {
    from,
    to,
    ...s,
    income: s.income.filter((x) => x.amount !== 0n),
    expenses: s.expenses.filter((x) => x.amount !== 0n),
  };
}

export const LEDGER_LIMIT = 5000;

/** General ledger (buku besar) of one account over from..to with a running balance on its normal side. */
export async function generalLedger(db: Db, ctx: RequestContext, koperasiId: string, accountCode: string, from: string, to: string) {
  requireRead(ctx, koperasiId);
  checkRange(from, to);
  const acc = (await repo.accountsByCode(db, koperasiId, [accountCode])).get(accountCode);
  if (!acc) {
    await settingsForRead(db, koperasiId);
    throw notFound();
  }
  const before = await repo.accountTotalsBefore(db, acc.id, from);
  const opening = normalBalance(acc.normal_side, before.debit, before.credit);
  const rows = await repo.ledgerLines(db, acc.id, from, to, LEDGER_LIMIT + 1);
  const truncated = rows.length > LEDGER_LIMIT;
  let running = opening;
  const lines = rows.slice(0, LEDGER_LIMIT).map((l) => {
    running += normalBalance(acc.normal_side, l.debit, l.credit);
    return {
      date: l.entry_date,
      entryId: l.entry_id,
      entryNumber: l.number,
      memo: l.memo,
      debit: l.debit,
      credit: l.credit,
      memberId: l.member_id,
      balance: running,
    };
  });
  const t = totals(lines);
  return {
    account: { code: acc.code, name: acc.name, type: acc.type, normalSide: acc.normal_side },
    from,
    to,
    openingBalance: opening,
    lines,
    totalDebit: t.debit,
    totalCredit: t.credit,
    closingBalance: running,
    truncated,
  };
}

/** A member's savings statement over from..to: opening and closing per kind and every movement. */
export async function memberStatement(db: Db, ctx: RequestContext, koperasiId: string, memberId: string, from: string, to: string) {
  const member = await getMember(db, ctx, koperasiId, memberId);
  checkRange(from, to);
  const h = await repo.memberSavingsHistory(db, member.id, from, to);
  const opening: Record<SavingsKind, bigint> = { pokok: 0n, wajib: 0n, sukarela: 0n };
  for (const o of h.opening) opening[o.kind] = o.balance;
  const running = { ...opening };
  const transactions = h.rows.map((r) => {
    running[r.kind] += signedAmount(r.type, r.amount);
    return {
      id: r.id,
      date: r.txn_date,
      kind: r.kind,
      type: r.type,
      amount: r.amount,
      balanceAfter: running[r.kind],
      journalEntryNumber: r.entry_number,
    };
  });
  return { member, from, to, opening, closing: running, transactions };
}

/** For checks and tests: does every member's balance equal the sum of their savings rows? */
export async function reconcile(db: Db, koperasiId: string) {
  const sums = await repo.savingsSums(db, koperasiId);
  const bal = await db
    .selectFrom('books_savings_balances')
    .select(['member_id', 'kind', 'balance'])
    .where('koperasi_id', '=', koperasiId)
    .execute();
  const key = (m: string, k: string) => `${m}:${k}`;
  const expected = new Map(sums.map((s) => [key(s.member_id, s.kind), s.sum]));
  const mismatches = bal.filter((b) => (expected.get(key(b.member_id, b.kind)) ?? 0n) !== b.balance);
  return { ok: mismatches.length === 0, mismatches };
}
