import { randomUUID } from 'node:crypto';
import { type Kysely, type OperationNodeSource, type QueryCreator, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { AccountTemplate, SavingsKind } from './domain.js';
import type { EntrySourceColumn, EntryStatusColumn, SavingsTypeColumn } from './tables.js';

/** The books' SQL (its own tables only; role_grants and users read/written for member accounts). */
export type Exec = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// Settings, counters, chart

export async function findSettings(db: Exec, koperasiId: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('books_settings').selectAll().where('koperasi_id', '=', koperasiId);
  if (opts.forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}
export type SettingsRow = NonNullable<Awaited<ReturnType<typeof findSettings>>>;

export async function insertSettings(
  db: Exec,
  row: {
    koperasiId: string;
    pokokAmount: bigint;
    wajibMonthlyAmount: bigint;
    sukarelaRateBp: number;
    sukarelaMinBalance: bigint;
    fiscalYearStartMonth: number;
    features: Record<string, boolean>;
    createdBy: string | null;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('books_settings')
    .values({
      koperasi_id: row.koperasiId,
      pokok_amount: row.pokokAmount,
      wajib_monthly_amount: row.wajibMonthlyAmount,
      sukarela_rate_bp: row.sukarelaRateBp,
      sukarela_min_balance: row.sukarelaMinBalance,
      fiscal_year_start_month: row.fiscalYearStartMonth,
      features: JSON.stringify(row.features),
      created_by: row.createdBy,
    })
    .onConflict((oc) => oc.column('koperasi_id').doNothing())
    .returning('koperasi_id')
    .executeTakeFirst();
  if (r !== undefined) await syncJournalSequence(db, row.koperasiId);
  return r !== undefined;
}

/** Every koperasi's journal sequence in step with its entries (start-up, after seeding). */
export async function syncAllJournalSequences(db: Exec): Promise<number> {
  const rows = await db.selectFrom('books_settings').select('koperasi_id').execute();
  for (const r of rows) await syncJournalSequence(db, r.koperasi_id);
  return rows.length;
}

export async function updateSettings(
  db: Exec,
  koperasiId: string,
  patch: Partial<{
    pokok_amount: bigint;
    wajib_monthly_amount: bigint;
    sukarela_rate_bp: number;
    sukarela_min_balance: bigint;
    fiscal_year_start_month: number;
    features: string;
  }>,
) {
  await db
    .updateTable('books_settings')
    .set({ ...patch, updated_at: new Date() })
    .where('koperasi_id', '=', koperasiId)
    .execute();
}

/** Name of the koperasi's journal-number sequence (ids are UUIDs: hex digits only once the dashes go). */
export function journalSequence(koperasiId: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(koperasiId)) throw new RangeError('koperasi id must be a UUID');
  return `books_journal_seq_${koperasiId.replace(/-/g, '').toLowerCase()}`;
}

/**
 * Creates the koperasi's journal-number sequence if missing and moves it past the highest number
 * already used (after bulk seeding or an import). Idempotent; never moves a sequence back.
 */
export async function syncJournalSequence(db: Exec, koperasiId: string): Promise<void> {
  const name = journalSequence(koperasiId);
  await sql`create sequence if not exists ${sql.id(name)} minvalue 1`.execute(db);
  await sql`
    select setval(${name}, m) from (
      select max(number) as m from books_journal_entries where koperasi_id = ${koperasiId}
    ) x
    where m is not null and m > (select case when is_called then last_value else 0 end from ${sql.id(name)})`.execute(db);
}

/**
 * Next member number of a koperasi (1, 2, 3 …): the books_counters row, atomic, its lock held to
 * commit — members join rarely. Journal numbers come from a PostgreSQL sequence per koperasi, taken
 * inside the entry's insert (insertEntry, ADR 0011): no lock, so postings of one koperasi run in
 * parallel; drawn after every check, so a number is skipped only when the transaction fails after
 * that (a crash, a lost connection); numbers are never reused.
 */
export async function nextNumber(db: Exec, koperasiId: string, name: 'member'): Promise<number> {
  const r = await db
    .insertInto('books_counters')
    .values({ koperasi_id: koperasiId, name, value: 1n })
    .onConflict((oc) => oc.columns(['koperasi_id', 'name']).doUpdateSet({ value: sql`books_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

/** Adds the template's accounts that are missing (idempotent), then links parents by code. */
export async function insertChart(db: Exec, koperasiId: string, chart: readonly AccountTemplate[]) {
  await db
    .insertInto('books_accounts')
    .values(
      chart.map((a) => ({
        koperasi_id: koperasiId,
        code: a.code,
        name: a.name,
        type: a.type,
        normal_side: a.normalSide,
        is_header: a.isHeader,
        is_system: a.isSystem,
      })),
    )
    .onConflict((oc) => oc.columns(['koperasi_id', 'code']).doNothing())
    .execute();
  const parents = chart.filter((a) => a.parent !== null).map((a) => [a.code, a.parent as string]);
  if (parents.length === 0) return;
  await sql`
    update books_accounts c set parent_id = p.id
      from (values ${sql.join(parents.map(([code, parent]) => sql`(${code}, ${parent})`))}) as t(code, parent)
      join books_accounts p on p.koperasi_id = ${koperasiId} and p.code = t.parent
     where c.koperasi_id = ${koperasiId} and c.code = t.code and c.parent_id is distinct from p.id`.execute(db);
}

export async function listAccounts(db: Exec, koperasiId: string) {
  return db
    .selectFrom('books_accounts as a')
    .leftJoin('books_accounts as p', 'p.id', 'a.parent_id')
    .select(['a.id', 'a.code', 'a.name', 'a.type', 'a.normal_side', 'a.is_header', 'a.is_system', 'p.code as parent_code'])
    .where('a.koperasi_id', '=', koperasiId)
    .orderBy('a.code')
    .execute();
}
export type AccountRow = Awaited<ReturnType<typeof listAccounts>>[number];

export async function accountsByCode(db: Exec, koperasiId: string, codes: string[]) {
  if (codes.length === 0) return new Map<string, AccountRow>();
  const rows = await db
    .selectFrom('books_accounts as a')
    .leftJoin('books_accounts as p', 'p.id', 'a.parent_id')
    .select(['a.id', 'a.code', 'a.name', 'a.type', 'a.normal_side', 'a.is_header', 'a.is_system', 'p.code as parent_code'])
    .where('a.koperasi_id', '=', koperasiId)
    .where('a.code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

// ---------------------------------------------------------------------------------------------
// Members and balances

const MEMBER_COLUMNS = [
  'id',
  'koperasi_id',
  'member_number',
  'nik',
  'name',
  'address',
  'kelurahan_code',
  'phone',
  'join_date',
  'status',
  'left_at',
  'user_id',
  'created_at',
] as const;

export async function findMember(db: Exec, koperasiId: string, memberId: string, opts: { forNoKeyUpdate?: boolean } = {}) {
  let q = db.selectFrom('books_members').select(MEMBER_COLUMNS).where('koperasi_id', '=', koperasiId).where('id', '=', memberId);
  if (opts.forNoKeyUpdate) q = q.forNoKeyUpdate();
  return (await q.executeTakeFirst()) ?? null;
}
export type MemberRow = NonNullable<Awaited<ReturnType<typeof findMember>>>;

export async function findMemberByUser(db: Exec, koperasiId: string, userId: string) {
  return (
    (await db
      .selectFrom('books_members')
      .select(MEMBER_COLUMNS)
      .where('koperasi_id', '=', koperasiId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) ?? null
  );
}

export async function activeMemberWithNik(db: Exec, koperasiId: string, nik: string) {
  const r = await db
    .selectFrom('books_members')
    .select('id')
    .where('koperasi_id', '=', koperasiId)
    .where('nik', '=', nik)
    .where('status', '=', 'aktif')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function listMembers(
  db: Exec,
  koperasiId: string,
  q: { status?: string; search?: string; limit: number; offset: number },
): Promise<{ items: MemberRow[]; total: number }> {
  let base = db.selectFrom('books_members').where('koperasi_id', '=', koperasiId);
  if (q.status) base = base.where('status', '=', q.status as MemberRow['status']);
  if (q.search) {
    const term = q.search.trim();
    base = base.where((eb) =>
      eb.or([eb(sql`lower(name)`, 'like', `%${term.toLowerCase()}%`), eb(sql`member_number::text`, '=', term), eb('nik', '=', term)]),
    );
  }
  const [items, count] = await Promise.all([
    base.select(MEMBER_COLUMNS).orderBy('member_number').limit(q.limit).offset(q.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}

export async function insertMember(
  db: Exec,
  row: {
    koperasiId: string;
    memberNumber: number;
    nik: string;
    name: string;
    address: string | null;
    kelurahanCode: string | null;
    phone: string | null;
    joinDate: string;
    userId: string | null;
    createdBy: string | null;
  },
): Promise<MemberRow> {
  const m = await db
    .insertInto('books_members')
    .values({
      koperasi_id: row.koperasiId,
      member_number: row.memberNumber,
      nik: row.nik,
      name: row.name,
      address: row.address,
      kelurahan_code: row.kelurahanCode,
      phone: row.phone,
      join_date: row.joinDate,
      user_id: row.userId,
      created_by: row.createdBy,
    })
    .returning(MEMBER_COLUMNS)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('books_savings_balances')
    .values((['pokok', 'wajib', 'sukarela'] as const).map((kind) => ({ member_id: m.id, kind, koperasi_id: row.koperasiId, balance: 0n })))
    .execute();
  return m;
}

export async function setMemberLeft(db: Exec, memberId: string, status: 'keluar' | 'meninggal', leftAt: string) {
  await db.updateTable('books_members').set({ status, left_at: leftAt }).where('id', '=', memberId).execute();
}

export async function kelurahanExists(db: Exec, code: string) {
  const r = await db.selectFrom('regions').select('code').where('code', '=', code).where('level', '=', 'kelurahan').executeTakeFirst();
  return r !== undefined;
}

export async function userExists(db: Exec, userId: string) {
  const r = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return r !== undefined;
}

/** Gives a linked platform account the anggota_koperasi role of this koperasi (once). */
export async function grantMemberRole(db: Exec, userId: string, koperasiId: string, grantedBy: string | null) {
  const has = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', 'anggota_koperasi')
    .where('organization_id', '=', koperasiId)
    .executeTakeFirst();
  if (!has) {
    await db
      .insertInto('role_grants')
      .values({ user_id: userId, role: 'anggota_koperasi', organization_id: koperasiId, granted_by: grantedBy })
      .execute();
  }
}

export async function balancesOf(db: Exec, memberId: string) {
  const rows = await db.selectFrom('books_savings_balances').select(['kind', 'balance']).where('member_id', '=', memberId).execute();
  const out: Record<SavingsKind, bigint> = { pokok: 0n, wajib: 0n, sukarela: 0n };
  for (const r of rows) out[r.kind] = r.balance;
  return out;
}

/** Locks one balance row (SELECT … FOR UPDATE) and returns the balance. */
/** Locks all of a member's balance rows in kind order (the one lock order used everywhere). */
export async function lockMemberBalances(db: Exec, memberId: string) {
  const rows = await db
    .selectFrom('books_savings_balances')
    .select(['kind', 'balance'])
    .where('member_id', '=', memberId)
    .orderBy('kind')
    .forUpdate()
    .execute();
  const out: Record<SavingsKind, bigint> = { pokok: 0n, wajib: 0n, sukarela: 0n };
  for (const r of rows) out[r.kind] = r.balance;
  return out;
}

/** Locks the sukarela balances of the given members, ordered by member id. */
export async function lockSukarelaBalances(db: Exec, memberIds: string[]) {
  if (memberIds.length === 0) return;
  await db
    .selectFrom('books_savings_balances')
    .select('member_id')
    .where('member_id', 'in', memberIds)
    .where('kind', '=', 'sukarela')
    .orderBy('member_id')
    .forUpdate()
    .execute();
}

export async function addToBalance(db: Exec, memberId: string, kind: SavingsKind, delta: bigint) {
  await balanceDelta(db, memberId, kind, delta).execute();
}

export interface SavingsInsert {
  id: string;
  koperasiId: string;
  memberId: string;
  kind: SavingsKind;
  type: SavingsTypeColumn;
  amount: bigint;
  date: string;
  interestPeriod?: string | null;
  journalEntryId: string;
  createdBy: string | null;
}

export async function insertSavings(db: Exec, rows: SavingsInsert[]) {
  if (rows.length === 0) return;
  await savingsInsert(db, rows).execute();
}

/** The savings rows' insert, not yet run (a companion write of their journal entry). */
export function savingsInsert(db: Exec, rows: SavingsInsert[]) {
  return db.insertInto('books_savings_transactions').values(
    rows.map((r) => ({
      id: r.id,
      koperasi_id: r.koperasiId,
      member_id: r.memberId,
      kind: r.kind,
      type: r.type,
      amount: r.amount,
      txn_date: r.date,
      interest_period: r.interestPeriod ?? null,
      journal_entry_id: r.journalEntryId,
      created_by: r.createdBy,
    })),
  );
}

/** Signed savings movements of one member: opening balance per kind before `from`, rows from..to. */
export async function memberSavingsHistory(db: Exec, memberId: string, from: string, to: string) {
  const opening = await db
    .selectFrom('books_savings_transactions')
    .select([
      'kind',
      sql<bigint>`coalesce(sum(case when type in ('deposit', 'interest') then amount else -amount end), 0)::bigint`.as('balance'),
    ])
    .where('member_id', '=', memberId)
    .where('txn_date', '<', from)
    .groupBy('kind')
    .execute();
  const rows = await db
    .selectFrom('books_savings_transactions as s')
    .innerJoin('books_journal_entries as e', 'e.id', 's.journal_entry_id')
    .select(['s.id', 's.kind', 's.type', 's.amount', 's.txn_date', 's.created_at', 'e.number as entry_number'])
    .where('s.member_id', '=', memberId)
    .where('s.txn_date', '>=', from)
    .where('s.txn_date', '<=', to)
    .orderBy('s.txn_date')
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
  return { opening, rows };
}

/** Sum of signed savings transactions per member and kind (for reconciliation checks). */
export async function savingsSums(db: Exec, koperasiId: string) {
  return db
    .selectFrom('books_savings_transactions')
    .select([
      'member_id',
      'kind',
      sql<bigint>`sum(case when type in ('deposit', 'interest') then amount else -amount end)::bigint`.as('sum'),
    ])
    .where('koperasi_id', '=', koperasiId)
    .groupBy(['member_id', 'kind'])
    .execute();
}

/** Active members' sukarela opening balance before `first` and their movements from `first` to `last`. */
export async function sukarelaForInterest(db: Exec, koperasiId: string, first: string, last: string) {
  const members = await db
    .selectFrom('books_members')
    .select('id')
    .where('koperasi_id', '=', koperasiId)
    .where('status', '=', 'aktif')
    .where('join_date', '<=', last)
    .orderBy('id')
    .execute();
  const opening = await db
    .selectFrom('books_savings_transactions')
    .select(['member_id', sql<bigint>`sum(case when type in ('deposit', 'interest') then amount else -amount end)::bigint`.as('balance')])
    .where('koperasi_id', '=', koperasiId)
    .where('kind', '=', 'sukarela')
    .where('txn_date', '<', first)
    .groupBy('member_id')
    .execute();
  const movements = await db
    .selectFrom('books_savings_transactions')
    .select(['member_id', 'txn_date', 'type', 'amount'])
    .where('koperasi_id', '=', koperasiId)
    .where('kind', '=', 'sukarela')
    .where('txn_date', '>=', first)
    .where('txn_date', '<=', last)
    .execute();
  return { memberIds: members.map((m) => m.id), opening, movements };
}

export async function findInterestRun(db: Exec, koperasiId: string, period: string) {
  return (
    (await db
      .selectFrom('books_interest_runs')
      .selectAll()
      .where('koperasi_id', '=', koperasiId)
      .where('period', '=', period)
      .executeTakeFirst()) ?? null
  );
}

export async function insertInterestRun(
  db: Exec,
  row: {
    koperasiId: string;
    period: string;
    rateBp: number;
    total: bigint;
    members: number;
    journalEntryId: string | null;
    createdBy: string | null;
  },
) {
  await db
    .insertInto('books_interest_runs')
    .values({
      koperasi_id: row.koperasiId,
      period: row.period,
      rate_bp: row.rateBp,
      total: row.total,
      members: row.members,
      journal_entry_id: row.journalEntryId,
      created_by: row.createdBy,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Periods

/**
 * Status of a month, taking a lock on its row: FOR SHARE when posting into it (many postings at
 * once, but not while it is being closed), FOR UPDATE when closing or reopening it.
 */
export async function lockPeriod(db: Exec, koperasiId: string, period: string, mode: 'share' | 'update'): Promise<'open' | 'closed'> {
  await db
    .insertInto('books_periods')
    .values({ koperasi_id: koperasiId, period, closed_by: null, closed_at: null, reopened_by: null, reopened_at: null })
    .onConflict((oc) => oc.columns(['koperasi_id', 'period']).doNothing())
    .execute();
  let q = db.selectFrom('books_periods').select('status').where('koperasi_id', '=', koperasiId).where('period', '=', period);
  q = mode === 'share' ? q.forShare() : q.forUpdate();
  return (await q.executeTakeFirstOrThrow()).status;
}

export async function setPeriodStatus(db: Exec, koperasiId: string, period: string, status: 'open' | 'closed', userId: string | null) {
  const now = new Date();
  await db
    .updateTable('books_periods')
    .set(status === 'closed' ? { status, closed_by: userId, closed_at: now } : { status, reopened_by: userId, reopened_at: now })
    .where('koperasi_id', '=', koperasiId)
    .where('period', '=', period)
    .execute();
}

export async function findPeriod(db: Exec, koperasiId: string, period: string) {
  return (
    (await db
      .selectFrom('books_periods')
      .selectAll()
      .where('koperasi_id', '=', koperasiId)
      .where('period', '=', period)
      .executeTakeFirst()) ?? null
  );
}
export type PeriodRow = NonNullable<Awaited<ReturnType<typeof findPeriod>>>;

export async function listPeriods(db: Exec, koperasiId: string) {
  return db.selectFrom('books_periods').selectAll().where('koperasi_id', '=', koperasiId).orderBy('period', 'desc').execute();
}

export async function closedPeriodsIn(db: Exec, koperasiId: string, periods: string[]) {
  if (periods.length === 0) return [];
  const rows = await db
    .selectFrom('books_periods')
    .select('period')
    .where('koperasi_id', '=', koperasiId)
    .where('period', 'in', periods)
    .where('status', '=', 'closed')
    .execute();
  return rows.map((r) => r.period);
}

export async function countPendingIn(db: Exec, koperasiId: string, first: string, last: string) {
  const r = await db
    .selectFrom('books_journal_entries')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('koperasi_id', '=', koperasiId)
    .where('status', '=', 'pending')
    .where('entry_date', '>=', first)
    .where('entry_date', '<=', last)
    .executeTakeFirstOrThrow();
  return r.n;
}

// ---------------------------------------------------------------------------------------------
// Journal

export interface LineInsert {
  accountId: string;
  debit: bigint;
  credit: bigint;
  memberId?: string | null;
}

/**
 * Writes that ride in an entry's statement: built by the caller (any module, its own tables) from
 * the entry's id and its number as the statement draws it: Kysely insert/update builders without
 * RETURNING (not sql`` text — WITH does not put a raw statement in parentheses).
 */
export type EntryCompanions = (entry: { id: string; number: RawBuilder<number> }) => OperationNodeSource[];

export async function insertEntry(
  db: Exec,
  row: {
    /** Given by a caller that refers to the entry before it exists (companion writes); new otherwise. */
    id?: string;
    koperasiId: string;
    /** 'next': the koperasi's journal sequence, taken inside the insert (no round trip of its own). */
    number: number | 'next';
    date: string;
    memo: string;
    sourceType: EntrySourceColumn;
    sourceId: string | null;
    status: EntryStatusColumn;
    createdBy: string | null;
    approvedBy: string | null;
    reversalOf?: string | null;
  },
  lines: LineInsert[],
  companions?: EntryCompanions,
) {
  // One statement (data-modifying CTEs) for the entry, its lines and the companion writes: one
  // round trip. They all see the same snapshot; foreign keys are checked at the statement's end.
  const id = row.id ?? randomUUID();
  const entry = {
    id,
    koperasi_id: row.koperasiId,
    number: row.number === 'next' ? sql<number>`nextval(${journalSequence(row.koperasiId)})` : row.number,
    entry_date: row.date,
    memo: row.memo,
    source_type: row.sourceType,
    source_id: row.sourceId,
    status: row.status,
    created_by: row.createdBy,
    approved_by: row.approvedBy,
    approved_at: row.approvedBy ? new Date() : null,
    reversal_of: row.reversalOf ?? null,
  };
  const lineRows = lines.map((l) => ({
    entry_id: id,
    koperasi_id: row.koperasiId,
    account_id: l.accountId,
    entry_date: row.date,
    debit: l.debit,
    credit: l.credit,
    member_id: l.memberId ?? null,
    posted: row.status === 'posted',
  }));
  const extra = companions?.({ id, number: sql<number>`(select number from e)` }) ?? [];
  // biome-ignore lint/suspicious/noExplicitAny: a chain of CTEs of different shapes; the statement's result is typed below
  let q: any = db.with('e', (qb) => qb.insertInto('books_journal_entries').values(entry).returning('number'));
  if (lineRows.length > 0) q = q.with('l', (qb: QueryCreator<Database>) => qb.insertInto('books_journal_lines').values(lineRows));
  extra.forEach((w, i) => {
    q = q.with(`w${i}`, () => w);
  });
  const r = (await q.selectFrom('e').select('number').executeTakeFirstOrThrow()) as { number: number | string };
  return { id, number: Number(r.number) };
}

/**
 * A savings posting's reads in one round trip, with its locks: the member (FOR SHARE, so a
 * concurrent leave — which takes it FOR NO KEY UPDATE — is either finished, and seen, or waits
 * for us), then the member's balance of `kind` (FOR UPDATE), the koperasi's minimum sukarela
 * balance, and what posting on `date` needs (see postingChecks). No row: no such member (or no
 * books yet).
 */
export async function savingsPostingState(
  db: Exec,
  koperasiId: string,
  memberId: string,
  kind: SavingsKind,
  period: string,
  date: string,
  codes: string[],
) {
  const r = await sql<
    Pick<MemberRow, 'id' | 'status' | 'name' | 'member_number'> & {
      balance: string;
      sukarela_min_balance: string;
      period_status: 'open' | 'closed' | null;
      closed_year: number | null;
      accounts: Record<string, string> | string | null;
    }
  >`
    select m.id, m.status, m.name, m.member_number, b.balance, s.sukarela_min_balance,
      (select status from books_periods where koperasi_id = ${koperasiId} and period = ${period} for share) as period_status,
      (select year from books_years where koperasi_id = ${koperasiId} and start_date <= ${date} and end_date >= ${date} limit 1) as closed_year,
      (select json_object_agg(code, id) from books_accounts where koperasi_id = ${koperasiId} and code = any(${codes}::text[])) as accounts
    from books_members m
    join books_savings_balances b on b.member_id = m.id and b.kind = ${kind}
    join books_settings s on s.koperasi_id = m.koperasi_id
    where m.koperasi_id = ${koperasiId} and m.id = ${memberId}
    for share of m
    for update of b`.execute(db);
  const row = r.rows[0];
  if (!row) return null;
  const accounts = typeof row.accounts === 'string' ? (JSON.parse(row.accounts) as Record<string, string>) : (row.accounts ?? {});
  return {
    member: { id: row.id, status: row.status, name: row.name, member_number: row.member_number },
    balance: BigInt(row.balance),
    sukarelaMinBalance: BigInt(row.sukarela_min_balance),
    checks: {
      hasBooks: true,
      periodStatus: row.period_status,
      closedYear: row.closed_year,
      accounts: new Map(Object.entries(accounts)),
    } satisfies PostingChecks,
  };
}

/** Adds `delta` to a member's balance of `kind`: the update, not yet run (a companion write). */
export function balanceDelta(db: Exec, memberId: string, kind: SavingsKind, delta: bigint) {
  return db
    .updateTable('books_savings_balances')
    .set({ balance: sql`balance + ${delta.toString()}::bigint`, updated_at: new Date() })
    .where('member_id', '=', memberId)
    .where('kind', '=', kind);
}

/**
 * What posting an entry needs to know, in one round trip: are the books set up, the month's status
 * (its row share-locked until commit, so a close waits for this posting; null when the month has
 * no row yet), a closed fiscal year holding `date`, and the ids of the accounts `codes`.
 */
export async function postingChecks(db: Exec, koperasiId: string, period: string, date: string, codes: string[]) {
  const r = await sql<{
    has_books: boolean;
    period_status: 'open' | 'closed' | null;
    closed_year: number | null;
    accounts: Record<string, string> | string | null;
  }>`
    select
      exists (select 1 from books_settings where koperasi_id = ${koperasiId}) as has_books,
      (select status from books_periods where koperasi_id = ${koperasiId} and period = ${period} for share) as period_status,
      (select year from books_years where koperasi_id = ${koperasiId} and start_date <= ${date} and end_date >= ${date} limit 1) as closed_year,
      (select json_object_agg(code, id) from books_accounts where koperasi_id = ${koperasiId} and code = any(${codes}::text[])) as accounts`.execute(
    db,
  );
  const row = r.rows[0];
  if (!row) throw new Error('postingChecks returned no row');
  const accounts = typeof row.accounts === 'string' ? (JSON.parse(row.accounts) as Record<string, string>) : (row.accounts ?? {});
  const checks: PostingChecks = {
    hasBooks: row.has_books,
    periodStatus: row.period_status,
    closedYear: row.closed_year,
    accounts: new Map(Object.entries(accounts)),
  };
  return checks;
}

export interface PostingChecks {
  hasBooks: boolean;
  periodStatus: 'open' | 'closed' | null;
  closedYear: number | null;
  accounts: Map<string, string>;
}

const ENTRY_COLUMNS = [
  'e.id',
  'e.koperasi_id',
  'e.number',
  'e.entry_date',
  'e.memo',
  'e.source_type',
  'e.source_id',
  'e.status',
  'e.created_by',
  'e.approved_by',
  'e.approved_at',
  'e.rejected_reason',
  'e.reversal_of',
  'e.reversed_by',
  'e.created_at',
] as const;

export async function findEntry(db: Exec, koperasiId: string, entryId: string, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('books_journal_entries as e')
    .select(ENTRY_COLUMNS)
    .where('e.koperasi_id', '=', koperasiId)
    .where('e.id', '=', entryId);
  if (opts.forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}
export type EntryRow = NonNullable<Awaited<ReturnType<typeof findEntry>>>;

export async function entryLines(db: Exec, entryIds: string[]) {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('books_journal_lines as l')
    .innerJoin('books_accounts as a', 'a.id', 'l.account_id')
    .select([
      'l.id',
      'l.entry_id',
      'l.account_id',
      'a.code as account_code',
      'a.name as account_name',
      'l.debit',
      'l.credit',
      'l.member_id',
    ])
    .where('l.entry_id', 'in', entryIds)
    .orderBy('l.id')
    .execute();
}
export type LineRow = Awaited<ReturnType<typeof entryLines>>[number];

export async function listEntries(
  db: Exec,
  koperasiId: string,
  q: { status?: string; from?: string; to?: string; limit: number; offset: number },
): Promise<{ items: EntryRow[]; total: number }> {
  let base = db.selectFrom('books_journal_entries as e').where('e.koperasi_id', '=', koperasiId);
  if (q.status) base = base.where('e.status', '=', q.status as EntryStatusColumn);
  if (q.from) base = base.where('e.entry_date', '>=', q.from);
  if (q.to) base = base.where('e.entry_date', '<=', q.to);
  const [items, count] = await Promise.all([
    base.select(ENTRY_COLUMNS).orderBy('e.entry_date', 'desc').orderBy('e.number', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}

export async function markPosted(db: Exec, entryId: string, approvedBy: string | null) {
  await db
    .updateTable('books_journal_entries')
    .set({ status: 'posted', approved_by: approvedBy, approved_at: new Date() })
    .where('id', '=', entryId)
    .execute();
  await db.updateTable('books_journal_lines').set({ posted: true }).where('entry_id', '=', entryId).execute();
}

export async function markRejected(db: Exec, entryId: string, reason: string | null, by: string | null) {
  await db
    .updateTable('books_journal_entries')
    .set({ status: 'rejected', rejected_reason: reason, approved_by: by, approved_at: new Date() })
    .where('id', '=', entryId)
    .execute();
}

export async function setReversedBy(db: Exec, entryId: string, reversalId: string) {
  await db.updateTable('books_journal_entries').set({ reversed_by: reversalId }).where('id', '=', entryId).execute();
}

// ---------------------------------------------------------------------------------------------
// Reports (posted lines only)

/**
 * Debit and credit totals per account of posted lines dated from..to (from may be null: since the
 * beginning). One index-only range scan per account on books_lines_account_date_idx.
 */
export async function accountTotals(db: Exec, koperasiId: string, from: string | null, to: string) {
  // The planner estimates every account at the average line count of the busiest ones, so on a large
  // ledger the plan's cost passes jit_above_cost and PostgreSQL JIT-compiles it: 200–250 ms of LLVM
  // work per report on 2.4M lines (bench/books.ts, EXPLAIN ANALYZE), more than the scan saves.
  // JIT is switched off for this query only (SET LOCAL, so inside a transaction).
  if (db.isTransaction) {
    await sql`set local jit = off`.execute(db);
    return accountTotalsQuery(db, koperasiId, from, to);
  }
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return accountTotalsQuery(trx, koperasiId, from, to);
  });
}

async function accountTotalsQuery(db: Exec, koperasiId: string, from: string | null, to: string) {
  const fromCond = from === null ? sql<SqlBool>`true` : sql<SqlBool>`l.entry_date >= ${from}`;
  const r = await sql<{
    id: string;
    code: string;
    name: string;
    type: 'asset' | 'liability' | 'equity' | 'income' | 'expense';
    normal_side: 'debit' | 'credit';
    debit: bigint;
    credit: bigint;
    n: number;
  }>`
    select a.id, a.code, a.name, a.type, a.normal_side, t.debit, t.credit, t.n
      from books_accounts a
      cross join lateral (
        select coalesce(sum(l.debit), 0)::bigint as debit, coalesce(sum(l.credit), 0)::bigint as credit, count(*)::int as n
          from books_journal_lines l
         where l.account_id = a.id and l.posted and ${fromCond} and l.entry_date <= ${to}
      ) t
     where a.koperasi_id = ${koperasiId} and not a.is_header
     order by a.code`.execute(db);
  return r.rows;
}

/**
 * Totals per account of the year-end closing entries dated in from..to (they zero income and
 * expense into SHU tahun berjalan; an income statement of a closed year leaves them out).
 */
export async function closingTotals(db: Exec, koperasiId: string, from: string, to: string) {
  return db
    .selectFrom('books_journal_lines as l')
    .innerJoin('books_years as y', 'y.closing_entry_id', 'l.entry_id')
    .select(['l.account_id', sql<bigint>`sum(l.debit)::bigint`.as('debit'), sql<bigint>`sum(l.credit)::bigint`.as('credit')])
    .where('y.koperasi_id', '=', koperasiId)
    .where('l.entry_date', '>=', from)
    .where('l.entry_date', '<=', to)
    .groupBy('l.account_id')
    .execute();
}

export async function ledgerLines(db: Exec, accountId: string, from: string, to: string, limit: number) {
  return db
    .selectFrom('books_journal_lines as l')
    .innerJoin('books_journal_entries as e', 'e.id', 'l.entry_id')
    .select(['l.id', 'l.entry_date', 'e.id as entry_id', 'e.number', 'e.memo', 'l.debit', 'l.credit', 'l.member_id'])
    .where('l.account_id', '=', accountId)
    .where('l.posted', '=', true)
    .where('l.entry_date', '>=', from)
    .where('l.entry_date', '<=', to)
    .orderBy('l.entry_date')
    .orderBy('e.number')
    .orderBy('l.id')
    .limit(limit)
    .execute();
}

export async function accountTotalsBefore(db: Exec, accountId: string, before: string) {
  const r = await db
    .selectFrom('books_journal_lines')
    .select([sql<bigint>`coalesce(sum(debit), 0)::bigint`.as('debit'), sql<bigint>`coalesce(sum(credit), 0)::bigint`.as('credit')])
    .where('account_id', '=', accountId)
    .where('posted', '=', true)
    .where('entry_date', '<', before)
    .executeTakeFirstOrThrow();
  return r;
}
