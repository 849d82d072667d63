import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import type { RequestContext } from '../../platform/context.js';
import { conflict, notFound, ruleViolated, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { firstDay, isCalendarDate, periodOf } from './domain.js';
import * as repo from './repository.js';
import * as svc from './service.js';
import { cashDifference, changeFor, issue, mergeLines, PAYMENT_ACCOUNT, receive, SHOP_ACCOUNTS, type StockState } from './shop-domain.js';
import * as shopRepo from './shop-repository.js';
import type {
  CashCloseInput,
  ItemInput,
  ItemListQuery,
  ItemPatch,
  PurchaseInput,
  SaleInput,
  SalesListQuery,
  VoidInput,
} from './shop-schemas.js';

export type { CashCloseRow, ItemRow, SaleLineRow, SaleRow } from './shop-repository.js';

/**
 * Koperasi shop use cases (toko koperasi). Each write is ONE transaction: lock the items (FOR
 * UPDATE, in id order), check the rule, move stock, post the balanced journal entry through the
 * books (svc.postEntry / svc.postReversal: closed month or year → 409), write the shop rows and the
 * audit record. Refused → nothing is written. Access as in the books: pengurus of this koperasi
 * write, dinas/admin read, anyone else 404.
 */

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

const memoT = translator('id');
const actor = (ctx: RequestContext) => ctx.user?.id ?? null;
const ACCOUNT_CODES = Object.values(SHOP_ACCOUNTS);
const int = svc.int;
const rp = (n: bigint) => n.toLocaleString('id-ID');

function checkDate(date: string, field = 'date') {
  if (!isCalendarDate(date)) throw validationFailed([{ field, message: 'books.dateInvalid' }]);
}

function checkRange(from: string, to: string) {
  checkDate(from, 'from');
  checkDate(to, 'to');
  if (to < from) throw validationFailed([{ field: 'to', message: 'books.rangeInvalid' }]);
}

/** Writes only when the koperasi has chosen the shop (features.penjualan): 422 otherwise. */
async function requireShop(db: Db | Trx, koperasiId: string) {
  if (!(await svc.featuresOf(db, koperasiId)).penjualan) throw ruleViolated('shop.notEnabled');
}

/** 409 when the day's cash has been closed: nothing more may be sold or refunded on it. */
async function requireOpenDay(trx: Trx, koperasiId: string, date: string) {
  if (await shopRepo.findCashClose(trx, koperasiId, date)) throw conflict('shop.dayClosed', { date });
}

const stateOf = (i: shopRepo.ItemRow): StockState => ({ stock: i.stock, stockValue: i.stock_value, avgCost: i.avg_cost });

// ---------------------------------------------------------------------------------------------
// Row → API

export function toItemJson(i: shopRepo.ItemRow) {
  return {
    id: i.id,
    code: i.code,
    name: i.name,
    unit: i.unit,
    salePrice: int(i.sale_price),
    avgCost: int(i.avg_cost),
    stock: i.stock,
    stockValue: int(i.stock_value),
    active: i.active,
  };
}

export interface SaleView {
  sale: shopRepo.SaleRow;
  lines: shopRepo.SaleLineRow[];
  entryNumber: number;
  member: { id: string; memberNumber: number; name: string } | null;
}

export function toSaleJson(v: SaleView) {
  return {
    id: v.sale.id,
    number: v.entryNumber,
    date: v.sale.sale_date,
    status: v.sale.status,
    memberId: v.sale.member_id,
    memberNumber: v.member?.memberNumber ?? null,
    memberName: v.member?.name ?? null,
    total: int(v.sale.total),
    cost: int(v.sale.cost_total),
    cashPaid: int(v.sale.cash_paid),
    change: int(v.sale.change),
    journalEntryId: v.sale.journal_entry_id,
    voidDate: v.sale.void_date,
    voidEntryId: v.sale.void_entry_id,
    lines: v.lines.map((l) => ({
      itemId: l.item_id,
      code: l.code,
      name: l.name,
      quantity: l.quantity,
      unitPrice: int(l.unit_price),
      amount: int(l.amount),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Items

export async function listItems(db: Db, ctx: RequestContext, koperasiId: string, q: ItemListQuery = {}) {
  svc.requireRead(ctx, koperasiId);
  return shopRepo.listItems(db, koperasiId, { q: q.q?.trim() || undefined, active: q.active });
}

export async function getItem(db: Db, ctx: RequestContext, koperasiId: string, itemId: string) {
  svc.requireRead(ctx, koperasiId);
  const i = await shopRepo.findItem(db, koperasiId, itemId);
  if (!i) throw notFound('shop.itemNotFound');
  return i;
}

export async function createItem(db: Db, ctx: RequestContext, koperasiId: string, input: ItemInput) {
  svc.requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    await svc.ensureAccounts(trx, ctx, koperasiId, ACCOUNT_CODES);
    await requireShop(trx, koperasiId);
    if (await shopRepo.findItemByCode(trx, koperasiId, input.code)) throw conflict('shop.codeTaken', { code: input.code });
    const item = await trx
      .insertInto('shop_items')
      .values({
        koperasi_id: koperasiId,
        code: input.code,
        name: input.name.trim(),
        unit: input.unit.trim(),
        sale_price: BigInt(input.salePrice),
        created_by: actor(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'shop.item.create',
      entityType: 'shop_item',
      entityId: item.id,
      organizationId: koperasiId,
      after: toItemJson(item),
    });
    return item;
  });
}

/** Changes code, name, unit, sale price or active; stock and cost change only through purchases and sales. */
export async function updateItem(db: Db, ctx: RequestContext, koperasiId: string, itemId: string, patch: ItemPatch) {
  svc.requireManage(ctx, koperasiId);
  return db.transaction().execute(async (trx) => {
    const before = await shopRepo.findItem(trx, koperasiId, itemId, { forUpdate: true });
    if (!before) throw notFound('shop.itemNotFound');
    if (patch.code !== undefined && patch.code.toLowerCase() !== before.code.toLowerCase()) {
      if (await shopRepo.findItemByCode(trx, koperasiId, patch.code)) throw conflict('shop.codeTaken', { code: patch.code });
    }
    const after = await trx
      .updateTable('shop_items')
      .set({
        ...(patch.code !== undefined ? { code: patch.code } : {}),
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.unit !== undefined ? { unit: patch.unit.trim() } : {}),
        ...(patch.salePrice !== undefined ? { sale_price: BigInt(patch.salePrice) } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'shop.item.update',
      entityType: 'shop_item',
      entityId: before.id,
      organizationId: koperasiId,
      before: toItemJson(before),
      after: toItemJson(after),
    });
    return after;
  });
}

/** Lines naming unknown items → 400 on the line's itemId. */
function requireItems(lines: readonly { itemId: string }[], items: Map<string, shopRepo.ItemRow>) {
  const issues = lines
    .map((l, i) => (items.has(l.itemId) ? null : { field: `lines.${i}.itemId`, message: 'shop.itemUnknown' as const }))
    .filter((x) => x !== null);
  if (issues.length) throw validationFailed(issues);
}

// ---------------------------------------------------------------------------------------------
// Stock purchases

/**
 * Goods bought from a supplier: stock and moving average cost up (shop-domain.ts `receive`), and
 * Dr Persediaan / Cr Kas, Bank or Utang Dagang (on credit) for the total.
 */
export async function recordPurchase(db: Db, ctx: RequestContext, koperasiId: string, input: PurchaseInput) {
  svc.requireManage(ctx, koperasiId);
  const date = input.date ?? svc.todayWib();
  checkDate(date);
  return db.transaction().execute(async (trx) => {
    await svc.ensureAccounts(trx, ctx, koperasiId, ACCOUNT_CODES);
    await requireShop(trx, koperasiId);
    const items = await shopRepo.lockItems(
      trx,
      koperasiId,
      input.lines.map((l) => l.itemId),
    );
    requireItems(input.lines, items);
    const lines = input.lines.map((l) => ({ ...l, amount: BigInt(l.quantity) * BigInt(l.unitCost) }));
    const total = lines.reduce((s, l) => s + l.amount, 0n);
    const id = randomUUID();
    const entry = await svc.postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT('shop.memo.purchase', { supplier: input.supplier.trim(), payment: input.payment }),
      sourceType: 'shop_purchase',
      sourceId: id,
      lines: [
        { code: SHOP_ACCOUNTS.persediaan, debit: total, credit: 0n },
        { code: PAYMENT_ACCOUNT[input.payment], debit: 0n, credit: total },
      ],
    });
    await trx
      .insertInto('shop_purchases')
      .values({
        id,
        koperasi_id: koperasiId,
        supplier: input.supplier.trim(),
        purchase_date: date,
        payment: input.payment,
        total,
        journal_entry_id: entry.id,
        created_by: actor(ctx),
      })
      .execute();
    await trx
      .insertInto('shop_purchase_lines')
      .values(
        lines.map((l) => ({
          purchase_id: id,
          koperasi_id: koperasiId,
          item_id: l.itemId,
          quantity: l.quantity,
          unit_cost: BigInt(l.unitCost),
          amount: l.amount,
        })),
      )
      .execute();
    const states = new Map<string, StockState>();
    for (const l of lines) {
      const s = receive(states.get(l.itemId) ?? stateOf(items.get(l.itemId) as shopRepo.ItemRow), l.quantity, l.amount);
      states.set(l.itemId, s);
    }
    for (const [itemId, s] of states) await shopRepo.setStock(trx, itemId, s);
    const result = {
      id,
      date,
      supplier: input.supplier.trim(),
      payment: input.payment,
      total,
      journalEntryId: entry.id,
      journalEntryNumber: entry.number,
    };
    await writeAudit(trx, ctx, {
      action: 'shop.purchase.create',
      entityType: 'shop_purchase',
      entityId: id,
      organizationId: koperasiId,
      after: { ...result, lines: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, unitCost: l.unitCost })) },
    });
    return result;
  });
}

export async function listPurchases(db: Db, ctx: RequestContext, koperasiId: string, from: string, to: string) {
  svc.requireRead(ctx, koperasiId);
  checkRange(from, to);
  const rows = await shopRepo.listPurchases(db, koperasiId, { from, to, limit: 500 });
  const lines = await shopRepo.purchaseLines(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((p) => ({ purchase: p, lines: lines.filter((l) => l.purchase_id === p.id) }));
}

// ---------------------------------------------------------------------------------------------
// Sales (point of sale)

async function findBuyer(trx: Trx, koperasiId: string, input: SaleInput) {
  if (input.memberId === undefined && input.memberNumber === undefined) return null;
  const field = input.memberId !== undefined ? 'memberId' : 'memberNumber';
  let q = trx.selectFrom('books_members').select(['id', 'member_number', 'name', 'status']).where('koperasi_id', '=', koperasiId);
  q = input.memberId !== undefined ? q.where('id', '=', input.memberId) : q.where('member_number', '=', input.memberNumber as number);
  const m = await q.executeTakeFirst();
  if (!m) throw validationFailed([{ field, message: 'shop.memberUnknown' }]);
  if (m.status !== 'aktif') throw validationFailed([{ field, message: 'books.memberNotActive' }]);
  return m;
}

/**
 * A sale at the counter (cash): Dr Kas / Cr Penjualan for the total and Dr HPP / Cr Persediaan for
 * the cost at the moving average. Stock never goes below zero: the items are locked and a quantity
 * above the stock is 409 (two sales of the last unit: one wins). Into a closed month or a day
 * whose cash is closed: 409.
 */
export async function recordSale(db: Db, ctx: RequestContext, koperasiId: string, input: SaleInput): Promise<SaleView> {
  svc.requireManage(ctx, koperasiId);
  const date = input.date ?? svc.todayWib();
  checkDate(date);
  const wanted = mergeLines(input.lines);
  return db.transaction().execute(async (trx) => {
    await svc.ensureAccounts(trx, ctx, koperasiId, ACCOUNT_CODES);
    await requireShop(trx, koperasiId);
    const member = await findBuyer(trx, koperasiId, input);
    const items = await shopRepo.lockItems(
      trx,
      koperasiId,
      wanted.map((l) => l.itemId),
    );
    requireItems(input.lines, items);
    const lines = wanted.map((l) => {
      const item = items.get(l.itemId) as shopRepo.ItemRow;
      if (!item.active) throw ruleViolated('shop.itemInactive', { name: item.name }, { itemId: item.id });
      if (l.quantity > item.stock) {
        throw conflict(
          'shop.outOfStock',
          { name: item.name, stock: item.stock, quantity: l.quantity },
          { itemId: item.id, code: item.code, stock: item.stock, requested: l.quantity },
        );
      }
      const out = issue(stateOf(item), l.quantity);
      return { item, quantity: l.quantity, unitPrice: item.sale_price, amount: BigInt(l.quantity) * item.sale_price, ...out };
    });
    const total = lines.reduce((s, l) => s + l.amount, 0n);
    const cost = lines.reduce((s, l) => s + l.cost, 0n);
    const cashPaid = input.cashPaid !== undefined ? BigInt(input.cashPaid) : total;
    const change = changeFor(total, cashPaid);
    if (change === null) throw validationFailed([{ field: 'cashPaid', message: 'shop.cashShort', params: { total: rp(total) } }]);
    const id = randomUUID();
    const entry = await svc.postEntry(trx, ctx, koperasiId, {
      date,
      memo: memoT(member ? 'shop.memo.saleMember' : 'shop.memo.sale', { name: member?.name ?? '', number: member?.member_number ?? 0 }),
      sourceType: 'shop_sale',
      sourceId: id,
      lines: [
        { code: SHOP_ACCOUNTS.kas, debit: total, credit: 0n },
        { code: SHOP_ACCOUNTS.penjualan, debit: 0n, credit: total },
        ...(cost > 0n
          ? [
              { code: SHOP_ACCOUNTS.hpp, debit: cost, credit: 0n },
              { code: SHOP_ACCOUNTS.persediaan, debit: 0n, credit: cost },
            ]
          : []),
      ],
    });
    // After the month's share lock (postEntry): a cash close of this day either committed before (→ 409) or waits for us.
    await requireOpenDay(trx, koperasiId, date);
    await trx
      .insertInto('shop_sales')
      .values({
        id,
        koperasi_id: koperasiId,
        sale_date: date,
        member_id: member?.id ?? null,
        total,
        cost_total: cost,
        cash_paid: cashPaid,
        change,
        journal_entry_id: entry.id,
        void_date: null,
        void_entry_id: null,
        voided_by: null,
        created_by: actor(ctx),
      })
      .execute();
    await trx
      .insertInto('shop_sale_lines')
      .values(
        lines.map((l) => ({
          sale_id: id,
          koperasi_id: koperasiId,
          item_id: l.item.id,
          quantity: l.quantity,
          unit_price: l.unitPrice,
          amount: l.amount,
          cost: l.cost,
        })),
      )
      .execute();
    for (const l of lines) await shopRepo.setStock(trx, l.item.id, l.state);
    await writeAudit(trx, ctx, {
      action: 'shop.sale.create',
      entityType: 'shop_sale',
      entityId: id,
      organizationId: koperasiId,
      after: {
        date,
        memberId: member?.id ?? null,
        total,
        cost,
        cashPaid,
        change,
        journalEntryNumber: entry.number,
        lines: lines.map((l) => ({ itemId: l.item.id, quantity: l.quantity, unitPrice: l.unitPrice, cost: l.cost })),
      },
    });
    return saleView(trx, koperasiId, id);
  });
}

async function saleView(db: Db | Trx, koperasiId: string, saleId: string): Promise<SaleView> {
  const sale = await shopRepo.findSale(db, koperasiId, saleId);
  if (!sale) throw notFound('shop.saleNotFound');
  const lines = await shopRepo.saleLines(db, [sale.id]);
  const entry = await repo.findEntry(db, koperasiId, sale.journal_entry_id);
  const m = sale.member_id ? await repo.findMember(db, koperasiId, sale.member_id) : null;
  return {
    sale,
    lines,
    entryNumber: entry?.number ?? 0,
    member: m ? { id: m.id, memberNumber: m.member_number, name: m.name } : null,
  };
}

export async function getSale(db: Db, ctx: RequestContext, koperasiId: string, saleId: string) {
  svc.requireRead(ctx, koperasiId);
  return saleView(db, koperasiId, saleId);
}

export async function listSales(db: Db, ctx: RequestContext, koperasiId: string, q: SalesListQuery) {
  svc.requireRead(ctx, koperasiId);
  const to = q.to ?? svc.todayWib();
  const from = q.from ?? firstDay(periodOf(to));
  checkRange(from, to);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const r = await shopRepo.listSales(db, koperasiId, { from, to, limit: pageSize, offset: (page - 1) * pageSize });
  return { ...r, from, to, page, pageSize };
}

/**
 * Voids a sale with a reversing journal entry (the sale is never edited): the goods go back on the
 * shelf at the cost they left with, the cash is refunded on the void's day. Twice → 409; a void
 * dated in a closed month or on a day whose cash is closed → 409.
 */
export async function voidSale(db: Db, ctx: RequestContext, koperasiId: string, saleId: string, input: VoidInput = {}): Promise<SaleView> {
  svc.requireManage(ctx, koperasiId);
  const date = input.date ?? svc.todayWib();
  checkDate(date);
  return db.transaction().execute(async (trx) => {
    const sale = await shopRepo.findSale(trx, koperasiId, saleId, { forUpdate: true });
    if (!sale) throw notFound('shop.saleNotFound');
    if (sale.status === 'void') throw conflict('shop.alreadyVoid');
    if (date < sale.sale_date) throw ruleViolated('shop.voidBeforeSale', { date: sale.sale_date });
    const lines = await shopRepo.saleLines(trx, [sale.id]);
    const items = await shopRepo.lockItems(
      trx,
      koperasiId,
      lines.map((l) => l.item_id),
    );
    const reversal = await svc.postReversal(trx, ctx, koperasiId, sale.journal_entry_id, {
      date,
      memo: memoT('shop.memo.void', { date: sale.sale_date }),
      sourceType: 'shop_void',
    });
    await requireOpenDay(trx, koperasiId, date);
    const states = new Map<string, StockState>();
    for (const l of lines) {
      const s = receive(states.get(l.item_id) ?? stateOf(items.get(l.item_id) as shopRepo.ItemRow), l.quantity, l.cost);
      states.set(l.item_id, s);
    }
    for (const [itemId, s] of states) await shopRepo.setStock(trx, itemId, s);
    await trx
      .updateTable('shop_sales')
      .set({ status: 'void', void_date: date, void_entry_id: reversal.id, voided_by: actor(ctx) })
      .where('id', '=', sale.id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'shop.sale.void',
      entityType: 'shop_sale',
      entityId: sale.id,
      organizationId: koperasiId,
      before: { status: 'posted', total: sale.total },
      after: { status: 'void', voidDate: date, reversalNumber: reversal.number },
    });
    return saleView(trx, koperasiId, sale.id);
  });
}

// ---------------------------------------------------------------------------------------------
// Daily cash close

export async function expectedCash(db: Db, ctx: RequestContext, koperasiId: string, date: string) {
  svc.requireRead(ctx, koperasiId);
  checkDate(date);
  const e = await shopRepo.expectedCash(db, koperasiId, date);
  return {
    date,
    sales: e.sales,
    refunds: e.refunds,
    count: e.count,
    expected: e.sales - e.refunds,
    close: await shopRepo.findCashClose(db, koperasiId, date),
  };
}

/**
 * Closes a day's cash: counted against expected (the day's sales less refunds); a difference is
 * posted to Selisih Lebih Kas (income) or Selisih Kurang Kas (expense) against Kas. One close per
 * day (409 again); after it nothing more is sold or voided on that day (409). The month's row is
 * locked FOR UPDATE, so sales of that month in flight finish first and later ones see the close.
 */
export async function closeCashDay(db: Db, ctx: RequestContext, koperasiId: string, input: CashCloseInput) {
  svc.requireManage(ctx, koperasiId);
  checkDate(input.date);
  if (input.date > svc.todayWib()) throw ruleViolated('shop.closeFuture');
  return db.transaction().execute(async (trx) => {
    await svc.ensureAccounts(trx, ctx, koperasiId, ACCOUNT_CODES);
    await requireShop(trx, koperasiId);
    if ((await repo.lockPeriod(trx, koperasiId, periodOf(input.date), 'update')) === 'closed') {
      throw conflict('books.periodClosed', { period: periodOf(input.date) });
    }
    await svc.requireOpenDate(trx, koperasiId, input.date);
    if (await shopRepo.findCashClose(trx, koperasiId, input.date)) throw conflict('shop.dayAlreadyClosed', { date: input.date });
    const e = await shopRepo.expectedCash(trx, koperasiId, input.date);
    const expected = e.sales - e.refunds;
    const counted = BigInt(input.counted);
    const { difference } = cashDifference(expected, counted);
    let entry: { id: string; number: number } | null = null;
    if (difference !== 0n) {
      const amount = difference > 0n ? difference : -difference;
      entry = await svc.postEntry(trx, ctx, koperasiId, {
        date: input.date,
        memo: memoT(difference > 0n ? 'shop.memo.cashOver' : 'shop.memo.cashShort', { date: input.date }),
        sourceType: 'shop_cash_close',
        sourceId: null,
        lines:
          difference > 0n
            ? [
                { code: SHOP_ACCOUNTS.kas, debit: amount, credit: 0n },
                { code: SHOP_ACCOUNTS.selisihLebihKas, debit: 0n, credit: amount },
              ]
            : [
                { code: SHOP_ACCOUNTS.selisihKurangKas, debit: amount, credit: 0n },
                { code: SHOP_ACCOUNTS.kas, debit: 0n, credit: amount },
              ],
      });
    }
    const row = await trx
      .insertInto('shop_cash_closes')
      .values({
        koperasi_id: koperasiId,
        close_date: input.date,
        expected,
        counted,
        difference,
        journal_entry_id: entry?.id ?? null,
        note: input.note?.trim() || null,
        created_by: actor(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'shop.cash.close',
      entityType: 'shop_cash_close',
      entityId: entry?.id ?? null,
      organizationId: koperasiId,
      after: { date: input.date, expected, counted, difference, journalEntryNumber: entry?.number ?? null },
    });
    return row;
  });
}

export async function listCashCloses(db: Db, ctx: RequestContext, koperasiId: string, from: string, to: string) {
  svc.requireRead(ctx, koperasiId);
  checkRange(from, to);
  return shopRepo.listCashCloses(db, koperasiId, from, to);
}

export function toCashCloseJson(c: shopRepo.CashCloseRow) {
  return {
    date: c.close_date,
    expected: int(c.expected),
    counted: int(c.counted),
    difference: int(c.difference),
    journalEntryId: c.journal_entry_id,
    note: c.note,
    createdBy: c.created_by,
    createdAt: new Date(c.created_at).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Reports and what other modules need

/** Sales report over from..to (sales not voided, by sale date): per day and per item, revenue, HPP and gross margin. */
export async function salesReport(db: Db, ctx: RequestContext, koperasiId: string, from: string, to: string) {
  svc.requireRead(ctx, koperasiId);
  checkRange(from, to);
  const days = await shopRepo.salesByDay(db, koperasiId, from, to);
  const items = await shopRepo.salesByItem(db, koperasiId, from, to);
  const sum = (xs: { revenue: bigint; cost: bigint; units: bigint }[]) =>
    xs.reduce((s, x) => ({ revenue: s.revenue + x.revenue, cost: s.cost + x.cost, units: s.units + x.units }), {
      revenue: 0n,
      cost: 0n,
      units: 0n,
    });
  const t = sum(days);
  return {
    from,
    to,
    days: days.map((d) => ({ ...d, margin: d.revenue - d.cost })),
    items: items.map((i) => ({ ...i, margin: i.revenue - i.cost })),
    totals: { sales: days.reduce((s, d) => s + d.sales, 0), units: t.units, revenue: t.revenue, cost: t.cost, margin: t.revenue - t.cost },
  };
}

/** For SHU (issue 6): each member's purchases (sales not voided) dated from..to, whole Rupiah. No access check: the caller checks. */
export async function memberPurchases(db: Db | Trx, koperasiId: string, from: string, to: string): Promise<Map<string, bigint>> {
  const rows = await shopRepo.purchasesPerMember(db, koperasiId, from, to);
  return new Map(rows.map((r) => [r.member_id, BigInt(r.total)]));
}

/** For checks and tests: Persediaan in the ledger against Σ stock value and Σ stock × average cost of the items. */
export async function inventoryCheck(db: Db, koperasiId: string) {
  const items = await db
    .selectFrom('shop_items')
    .select(['stock', 'stock_value', 'avg_cost'])
    .where('koperasi_id', '=', koperasiId)
    .execute();
  const acc = (await repo.accountsByCode(db, koperasiId, [SHOP_ACCOUNTS.persediaan])).get(SHOP_ACCOUNTS.persediaan);
  const ledger = acc ? await repo.accountTotalsBefore(db, acc.id, '9999-12-31') : { debit: 0n, credit: 0n };
  return {
    ledger: BigInt(ledger.debit) - BigInt(ledger.credit),
    stockValue: items.reduce((s, i) => s + i.stock_value, 0n),
    stockTimesAvg: items.reduce((s, i) => s + BigInt(i.stock) * i.avg_cost, 0n),
  };
}
