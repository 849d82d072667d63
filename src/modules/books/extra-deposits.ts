import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import type { RequestContext } from '../../platform/context.js';
import { conflict, notFound, ruleViolated, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { isCalendarDate, SYSTEM_ACCOUNTS } from './domain.js';
import { addMonths, depositPayout, TERM_DEPOSIT_ACCOUNT } from './extra-domain.js';
import { koperasiNameOf } from './extra-service.js';
import * as repo from './repository.js';
import { ensureAccounts, getMember, int, postEntry, requireManage, requireRead, todayWib } from './service.js';

/**
 * Simpanan berjangka (term deposits, issue 5 item 5). Products per koperasi (term in months,
 * annual rate in basis points). Opening a deposit: Dr Kas / Cr 2-1200 Simpanan Berjangka (member
 * on the line). Interest is paid ONCE, at maturity, for the whole term (simple interest, rounded
 * down to the Rupiah, extra-domain.ts termInterest); closing on or after maturity pays principal +
 * interest: Dr 2-1200 principal, Dr 5-1100 Beban Bunga Simpanan interest / Cr Kas. Closing before
 * maturity (early withdrawal) pays the principal only, the interest is forfeit. Each operation is
 * one transaction with a balanced, posted entry and an audit record; the deposit row is locked
 * (FOR UPDATE) when closed, so it is paid out once.
 */

type Db = Kysely<Database>;
const memoT = translator('id');
export const DEPOSIT_ACCOUNT = TERM_DEPOSIT_ACCOUNT;

const Uuid = Type.String({ format: 'uuid' });
const DateStr = Type.String({ format: 'date' });
export const DepositProductInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    termMonths: Type.Integer({ minimum: 1, maximum: 120 }),
    rateBp: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Annual interest in basis points (600 = 6%)' }),
  },
  { additionalProperties: false },
);
export type DepositProductInput = Static<typeof DepositProductInput>;
export const TermDepositInput = Type.Object(
  {
    memberId: Uuid,
    productId: Uuid,
    amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'Whole Rupiah' }),
    date: Type.Optional(DateStr),
  },
  { additionalProperties: false },
);
export type TermDepositInput = Static<typeof TermDepositInput>;
export const CloseDepositInput = Type.Object({ date: Type.Optional(DateStr) }, { additionalProperties: false });
export type CloseDepositInput = Static<typeof CloseDepositInput>;

function checkDate(date: string, field = 'date') {
  if (!isCalendarDate(date)) throw validationFailed([{ field, message: 'books.dateInvalid' }]);
}

export function toProductJson(p: { id: string; name: string; term_months: number; rate_bp: number; active: boolean }) {
  return { id: p.id, name: p.name, termMonths: p.term_months, rateBp: p.rate_bp, active: p.active };
}

type DepositRow = Awaited<ReturnType<typeof depositRows>>[number];
function depositRows(db: Db, koperasiId: string, memberId?: string) {
  let q = db
    .selectFrom('books_term_deposits as d')
    .innerJoin('books_deposit_products as p', 'p.id', 'd.product_id')
    .innerJoin('books_members as m', 'm.id', 'd.member_id')
    .innerJoin('books_journal_entries as e', 'e.id', 'd.open_entry_id')
    .select([
      'd.id',
      'd.member_id',
      'm.member_number',
      'm.name as member_name',
      'd.product_id',
      'p.name as product_name',
      'd.principal',
      'd.term_months',
      'd.rate_bp',
      'd.open_date',
      'd.maturity_date',
      'd.status',
      'd.close_date',
      'd.interest_paid',
      'd.early',
      'e.number as open_entry_number',
      'd.close_entry_id',
    ])
    .where('d.koperasi_id', '=', koperasiId);
  if (memberId) q = q.where('d.member_id', '=', memberId);
  return q.orderBy('d.open_date').orderBy('d.created_at').execute();
}

export function toDepositJson(d: DepositRow) {
  const payout = depositPayout(
    { principal: d.principal, rateBp: d.rate_bp, termMonths: d.term_months, maturityDate: d.maturity_date },
    d.maturity_date,
  );
  return {
    id: d.id,
    memberId: d.member_id,
    memberNumber: d.member_number,
    memberName: d.member_name,
    productId: d.product_id,
    productName: d.product_name,
    principal: int(d.principal),
    termMonths: d.term_months,
    rateBp: d.rate_bp,
    openDate: d.open_date,
    maturityDate: d.maturity_date,
    interestAtMaturity: int(payout.interest),
    status: d.status,
    closeDate: d.close_date,
    interestPaid: int(d.interest_paid),
    early: d.early,
    reference: `SB-${String(d.open_entry_number).padStart(6, '0')}`,
  };
}
export type DepositJson = ReturnType<typeof toDepositJson>;

// ---------------------------------------------------------------------------------------------
// Products

export async function listDepositProducts(db: Db, ctx: RequestContext, koperasiId: string) {
  requireRead(ctx, koperasiId);
  await koperasiNameOf(db, koperasiId);
  const rows = await db
    .selectFrom('books_deposit_products')
    .selectAll()
    .where('koperasi_id', '=', koperasiId)
    .orderBy('term_months')
    .orderBy('name')
    .execute();
  return rows.map(toProductJson);
}

export async function addDepositProduct(db: Db, ctx: RequestContext, koperasiId: string, input: DepositProductInput) {
  requireManage(ctx, koperasiId);
  await koperasiNameOf(db, koperasiId);
  const name = input.name.trim();
  if (!name) throw validationFailed([{ field: 'name', message: 'field.required' }]);
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('books_deposit_products')
      .select('id')
      .where('koperasi_id', '=', koperasiId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (taken) throw conflict('books.x.productTaken', { name });
    const p = await trx
      .insertInto('books_deposit_products')
      .values({ koperasi_id: koperasiId, name, term_months: input.termMonths, rate_bp: input.rateBp, created_by: ctx.user?.id ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'books.depositProduct.add',
      entityType: 'books_deposit_product',
      entityId: p.id,
      organizationId: koperasiId,
      after: toProductJson(p),
    });
    return toProductJson(p);
  });
}

// ---------------------------------------------------------------------------------------------
// Deposits

/** Deposits of the koperasi (pengurus, dinas) or of one member (an anggota: their own only). */
export async function listTermDeposits(db: Db, ctx: RequestContext, koperasiId: string, memberId?: string) {
  if (memberId) await getMember(db, ctx, koperasiId, memberId);
  else requireRead(ctx, koperasiId);
  await koperasiNameOf(db, koperasiId);
  const rows = await depositRows(db, koperasiId, memberId);
  return rows.map(toDepositJson);
}

async function findDeposit(db: Db, koperasiId: string, depositId: string) {
  const r = (await depositRows(db, koperasiId)).find((x) => x.id === depositId);
  return r;
}

export async function getTermDeposit(db: Db, ctx: RequestContext, koperasiId: string, depositId: string) {
  const d = await findDeposit(db, koperasiId, depositId);
  if (!d) {
    requireRead(ctx, koperasiId);
    throw notFound('books.x.depositNotFound');
  }
  await getMember(db, ctx, koperasiId, d.member_id);
  return toDepositJson(d);
}

export async function openTermDeposit(db: Db, ctx: RequestContext, koperasiId: string, input: TermDepositInput) {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  checkDate(date);
  const amount = BigInt(input.amount);
  if (amount <= 0n) throw validationFailed([{ field: 'amount', message: 'field.invalid' }]);
  await koperasiNameOf(db, koperasiId);
  return db.transaction().execute(async (trx) => {
    await ensureAccounts(trx, ctx, koperasiId, [DEPOSIT_ACCOUNT, SYSTEM_ACCOUNTS.bebanBungaSimpanan]);
    const product = await trx
      .selectFrom('books_deposit_products')
      .selectAll()
      .where('koperasi_id', '=', koperasiId)
      .where('id', '=', input.productId)
      .executeTakeFirst();
    if (!product) throw validationFailed([{ field: 'productId', message: 'books.x.productUnknown' }]);
    if (!product.active) throw ruleViolated('books.x.productInactive', { name: product.name });
    // FOR KEY SHARE-like read under the member row: a concurrent leave (FOR NO KEY UPDATE) is serialised.
    const member = await repo.findMember(trx, koperasiId, input.memberId);
    if (!member) throw notFound('books.memberNotFound');
    if (member.status !== 'aktif') throw conflict('books.memberNotActive');
    const id = randomUUID();
    const maturity = addMonths(date, product.term_months);
    const entry = await postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT('books.x.memo.depositOpen', { product: product.name, name: member.name, number: member.member_number }),
      sourceType: 'savings',
      sourceId: id,
      lines: [
        { code: SYSTEM_ACCOUNTS.kas, debit: amount, credit: 0n },
        { code: DEPOSIT_ACCOUNT, debit: 0n, credit: amount, memberId: member.id },
      ],
    });
    await trx
      .insertInto('books_term_deposits')
      .values({
        id,
        koperasi_id: koperasiId,
        member_id: member.id,
        product_id: product.id,
        principal: amount,
        term_months: product.term_months,
        rate_bp: product.rate_bp,
        open_date: date,
        maturity_date: maturity,
        open_entry_id: entry.id,
        created_by: ctx.user?.id ?? null,
      })
      .execute();
    await writeAudit(trx, ctx, {
      action: 'books.deposit.open',
      entityType: 'books_term_deposit',
      entityId: id,
      organizationId: koperasiId,
      after: {
        memberId: member.id,
        productId: product.id,
        principal: amount,
        openDate: date,
        maturityDate: maturity,
        journalEntryNumber: entry.number,
      },
    });
    return { id, journalEntryNumber: entry.number, maturityDate: maturity };
  });
}

/** Closes a deposit: at or after maturity principal + interest, before it the principal only. Twice 409. */
export async function closeTermDeposit(db: Db, ctx: RequestContext, koperasiId: string, depositId: string, input: CloseDepositInput = {}) {
  requireManage(ctx, koperasiId);
  const date = input.date ?? todayWib();
  checkDate(date);
  await koperasiNameOf(db, koperasiId);
  return db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom('books_term_deposits')
      .selectAll()
      .where('koperasi_id', '=', koperasiId)
      .where('id', '=', depositId)
      .forUpdate()
      .executeTakeFirst();
    if (!d) throw notFound('books.x.depositNotFound');
    if (d.status !== 'aktif') throw conflict('books.x.depositClosed');
    if (date < d.open_date) throw ruleViolated('books.x.closeBeforeOpen', { date: d.open_date });
    const member = await repo.findMember(trx, koperasiId, d.member_id);
    if (!member) throw notFound('books.memberNotFound');
    const payout = depositPayout(
      { principal: d.principal, rateBp: d.rate_bp, termMonths: d.term_months, maturityDate: d.maturity_date },
      date,
    );
    const entry = await postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT(payout.early ? 'books.x.memo.depositEarly' : 'books.x.memo.depositClose', {
        name: member.name,
        number: member.member_number,
      }),
      sourceType: 'settlement',
      sourceId: d.id,
      lines: [
        { code: DEPOSIT_ACCOUNT, debit: d.principal, credit: 0n, memberId: member.id },
        ...(payout.interest > 0n
          ? [{ code: SYSTEM_ACCOUNTS.bebanBungaSimpanan, debit: payout.interest, credit: 0n, memberId: member.id }]
          : []),
        { code: SYSTEM_ACCOUNTS.kas, debit: 0n, credit: payout.total },
      ],
    });
    await trx
      .updateTable('books_term_deposits')
      .set({
        status: 'cair',
        close_date: date,
        interest_paid: payout.interest,
        early: payout.early,
        close_entry_id: entry.id,
        closed_by: ctx.user?.id ?? null,
      })
      .where('id', '=', d.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'books.deposit.close',
      entityType: 'books_term_deposit',
      entityId: d.id,
      organizationId: koperasiId,
      before: { status: 'aktif', principal: d.principal },
      after: {
        status: 'cair',
        closeDate: date,
        early: payout.early,
        interest: payout.interest,
        paid: payout.total,
        journalEntryNumber: entry.number,
      },
    });
    return { id: d.id, early: payout.early, interest: payout.interest, total: payout.total, journalEntryNumber: entry.number };
  });
}

/**
 * A member's open (not paid out) term deposits and their Σ principal, shown with the member's
 * balances (`GET members/{id}/savings`, member pages). No access check: the caller has read the
 * member through `getMember` first.
 */
export async function memberOpenDeposits(db: Db, koperasiId: string, memberId: string) {
  const rows = (await depositRows(db, koperasiId, memberId)).filter((d) => d.status === 'aktif');
  return { items: rows.map(toDepositJson), total: rows.reduce((s, d) => s + d.principal, 0n) };
}
