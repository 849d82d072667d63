import { type SqlBool, sql } from 'kysely';
import type { Exec } from './repository.js';

/** SQL of the books extras: receipts, wajib arrears, simpanan per member, cash flow, member list. */

/** One savings transaction with its member, journal entry, recorder and the balance of that kind right after it. */
export async function findSavingsTransaction(db: Exec, koperasiId: string, txnId: string) {
  const r = await sql<{
    id: string;
    member_id: string;
    kind: 'pokok' | 'wajib' | 'sukarela';
    type: 'deposit' | 'withdrawal' | 'interest' | 'settlement';
    amount: bigint;
    txn_date: string;
    created_at: Date;
    entry_number: number;
    recorded_by: string | null;
    balance_after: bigint;
  }>`
    select s.id, s.member_id, s.kind, s.type, s.amount, s.txn_date::text as txn_date, s.created_at, e.number as entry_number,
           u.name as recorded_by,
           (select coalesce(sum(case when p.type in ('deposit', 'interest') then p.amount else -p.amount end), 0)::bigint
              from books_savings_transactions p
             where p.member_id = s.member_id and p.kind = s.kind
               and (p.txn_date, p.created_at, p.id) <= (s.txn_date, s.created_at, s.id)) as balance_after
      from books_savings_transactions s
      join books_journal_entries e on e.id = s.journal_entry_id
      left join users u on u.id = s.created_by
     where s.koperasi_id = ${koperasiId} and s.id = ${txnId}`.execute(db);
  return r.rows[0];
}

export interface ArrearsRow {
  member_id: string;
  member_number: number;
  name: string;
  join_date: string;
  months_due: number;
  paid: bigint;
  paid_months: number;
  months_in_arrears: number;
  owed: bigint;
}

/**
 * Simpanan wajib due vs paid per active member as of a day, in one statement (one aggregate over
 * the koperasi's wajib rows, joined to the members): months due from the join month through the
 * month of `asOf`; paid = wajib deposits minus refunds dated up to `asOf`. `onlyArrears` keeps the
 * members who owe something; `memberId` narrows to one member.
 */
export async function wajibStatus(
  db: Exec,
  koperasiId: string,
  asOf: string,
  monthly: bigint,
  opts: { onlyArrears?: boolean; memberId?: string } = {},
): Promise<ArrearsRow[]> {
  const memberCond = opts.memberId ? sql<SqlBool>`m.id = ${opts.memberId}` : sql<SqlBool>`m.status = 'aktif'`;
  const arrearsCond = opts.onlyArrears ? sql<SqlBool>`x.owed > 0` : sql<SqlBool>`true`;
  const r = await sql<ArrearsRow>`
    select x.* from (
      select d.member_id, d.member_number, d.name, d.join_date, d.months_due, d.paid,
             (case when ${monthly}::bigint > 0 and d.paid > 0 then d.paid / ${monthly}::bigint else 0 end)::int as paid_months,
             greatest(0, d.months_due - (case when ${monthly}::bigint > 0 and d.paid > 0 then d.paid / ${monthly}::bigint else 0 end))::int
               * (case when ${monthly}::bigint > 0 then 1 else 0 end) as months_in_arrears,
             (case when ${monthly}::bigint > 0 then greatest(0, d.months_due * ${monthly}::bigint - d.paid) else 0 end)::bigint as owed
        from (
          select m.id as member_id, m.member_number, m.name, m.join_date::text as join_date,
                 greatest(0, (extract(year from ${asOf}::date)::int * 12 + extract(month from ${asOf}::date)::int)
                           - (extract(year from m.join_date)::int * 12 + extract(month from m.join_date)::int) + 1) as months_due,
                 coalesce(p.paid, 0)::bigint as paid
            from books_members m
            left join (
              select s.member_id, sum(case when s.type in ('deposit', 'interest') then s.amount else -s.amount end)::bigint as paid
                from books_savings_transactions s
               where s.koperasi_id = ${koperasiId} and s.kind = 'wajib' and s.txn_date <= ${asOf}
               group by s.member_id
            ) p on p.member_id = m.id
           where m.koperasi_id = ${koperasiId} and ${memberCond}
        ) d
    ) x
    where ${arrearsCond}
    order by x.member_number`.execute(db);
  return r.rows;
}

export interface MemberSavingsRow {
  member_id: string;
  member_number: number;
  name: string;
  status: 'aktif' | 'keluar' | 'meninggal';
  join_date: string;
  pokok: bigint;
  wajib: bigint;
  sukarela: bigint;
  /** Principal of the member's term deposits open at the end of `asOf` (opened on or before it, not paid out by then). */
  berjangka: bigint;
}

/**
 * Each member's simpanan per kind as of a day (signed sum of their savings rows up to it) and their
 * simpanan berjangka open at the end of that day: opened on or before `asOf` and not paid out on or
 * before it (the same rows the journal posts to 2-1200: credit at opening, debit at payout). Members
 * who joined, saved or held a deposit by then.
 */
export async function memberSavingsAt(db: Exec, koperasiId: string, asOf: string): Promise<MemberSavingsRow[]> {
  const r = await sql<MemberSavingsRow>`
    select m.id as member_id, m.member_number, m.name, m.status, m.join_date::text as join_date,
           coalesce(sum(case when s.kind = 'pokok' then (case when s.type in ('deposit', 'interest') then s.amount else -s.amount end) end), 0)::bigint as pokok,
           coalesce(sum(case when s.kind = 'wajib' then (case when s.type in ('deposit', 'interest') then s.amount else -s.amount end) end), 0)::bigint as wajib,
           coalesce(sum(case when s.kind = 'sukarela' then (case when s.type in ('deposit', 'interest') then s.amount else -s.amount end) end), 0)::bigint as sukarela,
           coalesce(max(d.berjangka), 0)::bigint as berjangka
      from books_members m
      left join books_savings_transactions s on s.member_id = m.id and s.txn_date <= ${asOf}
      left join (
        select t.member_id, sum(t.principal)::bigint as berjangka
          from books_term_deposits t
         where t.koperasi_id = ${koperasiId} and t.open_date <= ${asOf} and (t.close_date is null or t.close_date > ${asOf})
         group by t.member_id
      ) d on d.member_id = m.id
     where m.koperasi_id = ${koperasiId}
     group by m.id
    having m.join_date <= ${asOf} or count(s.id) > 0 or coalesce(max(d.berjangka), 0) > 0
     order by m.member_number`.execute(db);
  return r.rows;
}

/**
 * Members with their current simpanan (from the balances table: pokok + wajib + sukarela) and the
 * principal of their open term deposits; `total` includes both.
 */
export async function membersWithTotals(db: Exec, koperasiId: string) {
  const r = await sql<{
    member_id: string;
    member_number: number;
    name: string;
    status: 'aktif' | 'keluar' | 'meninggal';
    join_date: string;
    left_at: string | null;
    savings: bigint;
    berjangka: bigint;
  }>`
    select m.id as member_id, m.member_number, m.name, m.status, m.join_date::text as join_date, m.left_at::text as left_at,
           coalesce((select sum(b.balance) from books_savings_balances b where b.member_id = m.id), 0)::bigint as savings,
           coalesce((select sum(t.principal) from books_term_deposits t
                      where t.member_id = m.id and t.status = 'aktif'), 0)::bigint as berjangka
      from books_members m
     where m.koperasi_id = ${koperasiId}
     order by m.member_number`.execute(db);
  return r.rows;
}

/** Balance (debit − credit) of the cash accounts from posted lines dated before `before` (or up to `upTo`). */
export async function cashBalance(db: Exec, koperasiId: string, codes: readonly string[], bound: { before?: string; upTo?: string }) {
  const cond = bound.before ? sql<SqlBool>`l.entry_date < ${bound.before}` : sql<SqlBool>`l.entry_date <= ${bound.upTo as string}`;
  const r = await sql<{ balance: bigint }>`
    select coalesce(sum(l.debit - l.credit), 0)::bigint as balance
      from books_journal_lines l
      join books_accounts a on a.id = l.account_id
     where a.koperasi_id = ${koperasiId} and a.code in (${sql.join(codes)}) and l.posted and ${cond}`.execute(db);
  return r.rows[0]?.balance ?? 0n;
}

/**
 * The counter-lines of every posted entry dated from..to that moves cash: per counter-account and
 * source type, the cash received (their credits) and paid (their debits). Entries between two cash
 * accounts (kas ↔ bank) have no counter-line and drop out.
 */
export async function cashCounterLines(db: Exec, koperasiId: string, codes: readonly string[], from: string, to: string) {
  const r = await sql<{ code: string; name: string; type: string; source_type: string; inflow: bigint; outflow: bigint }>`
    with cash as (select id from books_accounts where koperasi_id = ${koperasiId} and code in (${sql.join(codes)})),
         moved as (
           select distinct l.entry_id from books_journal_lines l
            where l.koperasi_id = ${koperasiId} and l.posted and l.entry_date >= ${from} and l.entry_date <= ${to}
              and l.account_id in (select id from cash))
    select a.code, a.name, a.type, e.source_type,
           coalesce(sum(l.credit), 0)::bigint as inflow, coalesce(sum(l.debit), 0)::bigint as outflow
      from books_journal_lines l
      join moved on moved.entry_id = l.entry_id
      join books_accounts a on a.id = l.account_id
      join books_journal_entries e on e.id = l.entry_id
     where l.account_id not in (select id from cash)
     group by a.code, a.name, a.type, e.source_type
     order by a.code, e.source_type`.execute(db);
  return r.rows;
}
