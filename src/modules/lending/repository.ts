import { type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/types.js';
import type { InstallmentState } from './loans-domain.js';

/** SQL of cooperative lending: only its own tables (loan_*, lending_settings). */
export type Exec = Kysely<Database> | Transaction<Database>;

export async function findSettings(db: Exec, koperasiId: string) {
  return (await db.selectFrom('lending_settings').selectAll().where('koperasi_id', '=', koperasiId).executeTakeFirst()) ?? null;
}

export async function upsertSettings(
  db: Exec,
  koperasiId: string,
  v: { kolBands: { code: string; minDays: number; maxDays: number | null }[]; reminderDaysBefore: number; userId: string | null },
) {
  await db
    .insertInto('lending_settings')
    .values({
      koperasi_id: koperasiId,
      kol_bands: JSON.stringify(v.kolBands),
      reminder_days_before: v.reminderDaysBefore,
      updated_by: v.userId,
    })
    .onConflict((oc) =>
      oc.column('koperasi_id').doUpdateSet({
        kol_bands: JSON.stringify(v.kolBands),
        reminder_days_before: v.reminderDaysBefore,
        updated_by: v.userId,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

// --- Products ------------------------------------------------------------------------------------

export async function listProducts(db: Exec, koperasiId: string, opts: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('loan_products').selectAll().where('koperasi_id', '=', koperasiId);
  if (opts.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('name').execute();
}
export type ProductRow = Awaited<ReturnType<typeof listProducts>>[number];

export async function findProduct(db: Exec, koperasiId: string, id: string) {
  return (
    (await db.selectFrom('loan_products').selectAll().where('koperasi_id', '=', koperasiId).where('id', '=', id).executeTakeFirst()) ?? null
  );
}

/** A loan product with its koperasi's kolektibilitas bands (null: defaults), in one round trip. */
export async function findProductWithBands(db: Exec, koperasiId: string, id: string) {
  return (
    (await db
      .selectFrom('loan_products')
      .selectAll()
      .select((eb) => eb.selectFrom('lending_settings').select('kol_bands').where('koperasi_id', '=', koperasiId).as('kol_bands'))
      .where('koperasi_id', '=', koperasiId)
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

export async function productNameTaken(db: Exec, koperasiId: string, name: string, exceptId?: string) {
  let q = db
    .selectFrom('loan_products')
    .select('id')
    .where('koperasi_id', '=', koperasiId)
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

// --- Loans ---------------------------------------------------------------------------------------

export async function nextLoanNumber(db: Exec, koperasiId: string): Promise<number> {
  const r = await db
    .insertInto('loan_counters')
    .values({ koperasi_id: koperasiId, value: 1 })
    .onConflict((oc) => oc.column('koperasi_id').doUpdateSet({ value: sql`loan_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return r.value;
}

const LOAN_COLUMNS = [
  'loans.id',
  'loans.koperasi_id',
  'loans.number',
  'loans.member_id',
  'loans.product_id',
  'loans.principal',
  'loans.term_months',
  'loans.method',
  'loans.annual_rate_percent',
  'loans.rounding_unit',
  'loans.grace_months',
  'loans.purpose',
  'loans.collateral',
  'loans.guarantor',
  'loans.analysis_notes',
  'loans.status',
  'loans.entered_by',
  'loans.applied_on',
  'loans.decided_by',
  'loans.decided_at',
  'loans.rejection_reason',
  'loans.disbursed_on',
  'loans.disbursement_method',
  'loans.admin_fee',
  'loans.provisi_fee',
  'loans.disbursement_entry_id',
  'loans.schedule_version',
  'loans.principal_outstanding',
  'loans.days_past_due',
  'loans.kolektibilitas',
  'loans.arrears_as_of',
  'loans.closed_on',
  'loans.created_at',
  'loans.updated_at',
] as const;

function loanQuery(db: Exec) {
  return db
    .selectFrom('loans')
    .innerJoin('books_members as m', 'm.id', 'loans.member_id')
    .innerJoin('loan_products as p', 'p.id', 'loans.product_id')
    .select(LOAN_COLUMNS)
    .select([
      'm.name as member_name',
      'm.member_number',
      'm.phone as member_phone',
      'm.user_id as member_user_id',
      'p.name as product_name',
    ]);
}

/** A loan with its member's and product's names; `forUpdate` locks the loan row (one writer per loan at a time). */
export async function findLoan(db: Exec, koperasiId: string, loanId: string, opts: { forUpdate?: boolean } = {}) {
  let q = loanQuery(db).where('loans.koperasi_id', '=', koperasiId).where('loans.id', '=', loanId);
  if (opts.forUpdate) q = q.forUpdate('loans');
  return (await q.executeTakeFirst()) ?? null;
}
export type LoanRow = NonNullable<Awaited<ReturnType<typeof findLoan>>>;

export async function listLoans(
  db: Exec,
  koperasiId: string,
  q: { status?: string; memberId?: string; kolektibilitas?: string; page: number; pageSize: number },
) {
  let base = db.selectFrom('loans').where('loans.koperasi_id', '=', koperasiId);
  if (q.status) base = base.where('loans.status', '=', q.status as never);
  if (q.memberId) base = base.where('loans.member_id', '=', q.memberId);
  if (q.kolektibilitas) base = base.where('loans.kolektibilitas', '=', q.kolektibilitas).where('loans.status', '=', 'aktif');
  const total = Number((await base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  let items = loanQuery(db).where('loans.koperasi_id', '=', koperasiId);
  if (q.status) items = items.where('loans.status', '=', q.status as never);
  if (q.memberId) items = items.where('loans.member_id', '=', q.memberId);
  if (q.kolektibilitas) items = items.where('loans.kolektibilitas', '=', q.kolektibilitas).where('loans.status', '=', 'aktif');
  const rows = await items
    .orderBy(sql`case loans.status when 'diajukan' then 0 when 'disetujui' then 1 when 'aktif' then 2 else 3 end`)
    .orderBy('loans.number', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows, total };
}

export async function installments(db: Exec, loanId: string, version: number): Promise<InstallmentState[]> {
  const rows = await db
    .selectFrom('loan_installments')
    .selectAll()
    .where('loan_id', '=', loanId)
    .where('version', '=', version)
    .orderBy('number')
    .execute();
  return rows.map(toState);
}

export function toState(r: {
  number: number;
  due_date: string;
  principal: bigint;
  interest: bigint;
  paid_principal: bigint;
  paid_interest: bigint;
  waived_interest: bigint;
  penalty: bigint;
  paid_penalty: bigint;
  penalty_through: string | null;
  settled_on: string | null;
}): InstallmentState {
  return {
    number: r.number,
    dueDate: r.due_date,
    principal: BigInt(r.principal),
    interest: BigInt(r.interest),
    paidPrincipal: BigInt(r.paid_principal),
    paidInterest: BigInt(r.paid_interest),
    waivedInterest: BigInt(r.waived_interest),
    penalty: BigInt(r.penalty),
    paidPenalty: BigInt(r.paid_penalty),
    penaltyThrough: r.penalty_through,
    settledOn: r.settled_on,
  };
}

export async function insertInstallments(
  db: Exec,
  loanId: string,
  version: number,
  rows: { number: number; dueDate: string; principal: bigint; interest: bigint }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('loan_installments')
    .values(
      rows.map((r) => ({ loan_id: loanId, version, number: r.number, due_date: r.dueDate, principal: r.principal, interest: r.interest })),
    )
    .execute();
}

/** Writes back the changed instalments (paid amounts, penalties, settlement). */
export async function saveInstallments(db: Exec, loanId: string, version: number, before: InstallmentState[], after: InstallmentState[]) {
  await installmentsUpdate(db, loanId, version, before, after)?.execute();
}

/** The update of the changed instalments, not yet run (null when none changed). */
export function installmentsUpdate(db: Exec, loanId: string, version: number, before: InstallmentState[], after: InstallmentState[]) {
  const old = new Map(before.map((i) => [i.number, i]));
  const changed = after.filter((i) => {
    const o = old.get(i.number);
    return (
      !o ||
      o.paidPrincipal !== i.paidPrincipal ||
      o.paidInterest !== i.paidInterest ||
      o.waivedInterest !== i.waivedInterest ||
      o.penalty !== i.penalty ||
      o.paidPenalty !== i.paidPenalty ||
      o.penaltyThrough !== i.penaltyThrough ||
      o.settledOn !== i.settledOn
    );
  });
  if (changed.length === 0) return null;
  const values = sql.join(
    changed.map(
      (i) =>
        sql`(${i.number}::int, ${i.paidPrincipal.toString()}::bigint, ${i.paidInterest.toString()}::bigint, ${i.waivedInterest.toString()}::bigint, ${i.penalty.toString()}::bigint, ${i.paidPenalty.toString()}::bigint, ${i.penaltyThrough}::date, ${i.settledOn}::date)`,
    ),
  );
  return db
    .updateTable('loan_installments as li')
    .from(sql<InstallmentValues>`(values ${values})`.as<'v'>(sql`v(number, pp, pi, wi, pen, ppen, pt, so)`))
    .set((eb) => ({
      paid_principal: eb.ref('v.pp'),
      paid_interest: eb.ref('v.pi'),
      waived_interest: eb.ref('v.wi'),
      penalty: eb.ref('v.pen'),
      paid_penalty: eb.ref('v.ppen'),
      penalty_through: eb.ref('v.pt'),
      settled_on: eb.ref('v.so'),
    }))
    .where('li.loan_id', '=', loanId)
    .where('li.version', '=', version)
    .whereRef('li.number', '=', 'v.number');
}

interface InstallmentValues {
  number: number;
  pp: bigint;
  pi: bigint;
  wi: bigint;
  pen: bigint;
  ppen: bigint;
  pt: string | null;
  so: string | null;
}

export type RepaymentInsert = Insertable<Database['loan_repayments']>;

/** A payment's rows, not yet run (companion writes of its journal entry): the repayment, the loan's new state, the loan event. */
export function paymentWrites(
  db: Exec,
  repayment: RepaymentInsert,
  loan: Updateable<Database['loans']>,
  event: { kind: string; actor: string | null; data: Record<string, unknown> },
) {
  return [
    db.insertInto('loan_repayments').values(repayment),
    db.updateTable('loans').set(loan).where('id', '=', repayment.loan_id),
    db
      .insertInto('loan_events')
      .values({ loan_id: repayment.loan_id, kind: event.kind, actor_user_id: event.actor, data: eventJson(event.data) }),
  ];
}

const eventJson = (data: Record<string, unknown>) => JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));

export async function addEvent(db: Exec, loanId: string, kind: string, actor: string | null, data: Record<string, unknown> = {}) {
  await db
    .insertInto('loan_events')
    .values({ loan_id: loanId, kind, actor_user_id: actor, data: eventJson(data) })
    .execute();
}

export async function events(db: Exec, loanId: string) {
  return db
    .selectFrom('loan_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.kind', 'e.data', 'e.at', 'e.actor_user_id', 'u.name as actor_name'])
    .where('e.loan_id', '=', loanId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

export async function repayments(db: Exec, loanId: string) {
  return db
    .selectFrom('loan_repayments as r')
    .innerJoin('books_journal_entries as j', 'j.id', 'r.journal_entry_id')
    .select([
      'r.id',
      'r.paid_on',
      'r.amount',
      'r.penalty',
      'r.interest',
      'r.principal',
      'r.kind',
      'r.method',
      'r.journal_entry_id',
      'j.number as journal_number',
      'r.created_at',
    ])
    .where('r.loan_id', '=', loanId)
    .orderBy('r.paid_on')
    .orderBy('r.created_at')
    .execute();
}

export async function versions(db: Exec, loanId: string) {
  const rows = await db
    .selectFrom('loan_installments')
    .select([
      'version',
      sql<string>`sum(principal)`.as('principal'),
      sql<number>`count(*)::int`.as('n'),
      sql<string>`min(due_date)`.as('first_due'),
    ])
    .where('loan_id', '=', loanId)
    .groupBy('version')
    .orderBy('version')
    .execute();
  return rows;
}
