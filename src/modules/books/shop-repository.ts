import { sql } from 'kysely';
import type { Exec } from './repository.js';

/** SQL on the shop_* tables (migration 0011_books_shop). */

export async function listItems(db: Exec, koperasiId: string, opts: { q?: string; active?: boolean } = {}) {
  let q = db.selectFrom('shop_items').selectAll().where('koperasi_id', '=', koperasiId);
  if (opts.active !== undefined) q = q.where('active', '=', opts.active);
  if (opts.q) {
    const like = `%${opts.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(sql`lower(code)`, 'like', like), eb(sql`lower(name)`, 'like', like)]));
  }
  return q.orderBy('name').orderBy('code').execute();
}
export type ItemRow = Awaited<ReturnType<typeof listItems>>[number];

export async function findItem(db: Exec, koperasiId: string, itemId: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('shop_items').selectAll().where('koperasi_id', '=', koperasiId).where('id', '=', itemId);
  if (opts.forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function findItemByCode(db: Exec, koperasiId: string, code: string) {
  return (
    (await db
      .selectFrom('shop_items')
      .selectAll()
      .where('koperasi_id', '=', koperasiId)
      .where(sql`lower(code)`, '=', code.toLowerCase())
      .executeTakeFirst()) ?? null
  );
}

/** Locks the items (FOR UPDATE, always in id order so two sales never deadlock). */
export async function lockItems(db: Exec, koperasiId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, ItemRow>();
  const rows = await db
    .selectFrom('shop_items')
    .selectAll()
    .where('koperasi_id', '=', koperasiId)
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function setStock(db: Exec, itemId: string, s: { stock: number; stockValue: bigint; avgCost: bigint }) {
  await db
    .updateTable('shop_items')
    .set({ stock: s.stock, stock_value: s.stockValue, avg_cost: s.avgCost, updated_at: new Date() })
    .where('id', '=', itemId)
    .execute();
}

export async function findSale(db: Exec, koperasiId: string, saleId: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('shop_sales').selectAll().where('koperasi_id', '=', koperasiId).where('id', '=', saleId);
  if (opts.forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}
export type SaleRow = NonNullable<Awaited<ReturnType<typeof findSale>>>;

export async function saleLines(db: Exec, saleIds: string[]) {
  if (saleIds.length === 0) return [];
  return db
    .selectFrom('shop_sale_lines as l')
    .innerJoin('shop_items as i', 'i.id', 'l.item_id')
    .select(['l.sale_id', 'l.item_id', 'i.code', 'i.name', 'i.unit', 'l.quantity', 'l.unit_price', 'l.amount', 'l.cost'])
    .where('l.sale_id', 'in', saleIds)
    .orderBy('l.id')
    .execute();
}
export type SaleLineRow = Awaited<ReturnType<typeof saleLines>>[number];

export async function listSales(db: Exec, koperasiId: string, o: { from: string; to: string; limit: number; offset: number }) {
  const base = db
    .selectFrom('shop_sales as s')
    .where('s.koperasi_id', '=', koperasiId)
    .where('s.sale_date', '>=', o.from)
    .where('s.sale_date', '<=', o.to);
  const items = await base
    .leftJoin('books_members as m', 'm.id', 's.member_id')
    .leftJoin('books_journal_entries as j', 'j.id', 's.journal_entry_id')
    .selectAll('s')
    .select(['m.member_number', 'm.name as member_name', 'j.number as entry_number'])
    .orderBy('s.sale_date', 'desc')
    .orderBy('j.number', 'desc')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { items, total: Number(total.n) };
}

export async function listPurchases(db: Exec, koperasiId: string, o: { from: string; to: string; limit: number }) {
  return db
    .selectFrom('shop_purchases as p')
    .innerJoin('books_journal_entries as j', 'j.id', 'p.journal_entry_id')
    .selectAll('p')
    .select('j.number as entry_number')
    .where('p.koperasi_id', '=', koperasiId)
    .where('p.purchase_date', '>=', o.from)
    .where('p.purchase_date', '<=', o.to)
    .orderBy('p.purchase_date', 'desc')
    .orderBy('j.number', 'desc')
    .limit(o.limit)
    .execute();
}

export async function purchaseLines(db: Exec, purchaseIds: string[]) {
  if (purchaseIds.length === 0) return [];
  return db
    .selectFrom('shop_purchase_lines as l')
    .innerJoin('shop_items as i', 'i.id', 'l.item_id')
    .select(['l.purchase_id', 'l.item_id', 'i.code', 'i.name', 'l.quantity', 'l.unit_cost', 'l.amount'])
    .where('l.purchase_id', 'in', purchaseIds)
    .orderBy('l.id')
    .execute();
}

/** Cash the shop took in on `date`: that day's sales less the refunds of voids dated that day. */
export async function expectedCash(db: Exec, koperasiId: string, date: string): Promise<{ sales: bigint; refunds: bigint; count: number }> {
  const r = await sql<{ sales: string; refunds: string; n: number }>`
    select
      coalesce((select sum(total) from shop_sales where koperasi_id = ${koperasiId} and sale_date = ${date}), 0)::text as sales,
      coalesce((select sum(total) from shop_sales where koperasi_id = ${koperasiId} and void_date = ${date}), 0)::text as refunds,
      (select count(*) from shop_sales where koperasi_id = ${koperasiId} and sale_date = ${date})::int as n`.execute(db);
  const row = r.rows[0] as { sales: string; refunds: string; n: number };
  return { sales: BigInt(row.sales), refunds: BigInt(row.refunds), count: Number(row.n) };
}

export async function findCashClose(db: Exec, koperasiId: string, date: string) {
  return (
    (await db
      .selectFrom('shop_cash_closes')
      .selectAll()
      .where('koperasi_id', '=', koperasiId)
      .where('close_date', '=', date)
      .executeTakeFirst()) ?? null
  );
}
export type CashCloseRow = NonNullable<Awaited<ReturnType<typeof findCashClose>>>;

export async function listCashCloses(db: Exec, koperasiId: string, from: string, to: string) {
  return db
    .selectFrom('shop_cash_closes')
    .selectAll()
    .where('koperasi_id', '=', koperasiId)
    .where('close_date', '>=', from)
    .where('close_date', '<=', to)
    .orderBy('close_date', 'desc')
    .execute();
}

/** Posted (not voided) sales per day over from..to: count, units, revenue, cost. */
export async function salesByDay(db: Exec, koperasiId: string, from: string, to: string) {
  const r = await sql<{ date: string; sales: number; units: string; revenue: string; cost: string }>`
    select s.sale_date::text as date, count(distinct s.id)::int as sales, coalesce(sum(l.quantity), 0)::text as units,
           coalesce(sum(l.amount), 0)::text as revenue, coalesce(sum(l.cost), 0)::text as cost
      from shop_sales s join shop_sale_lines l on l.sale_id = s.id
     where s.koperasi_id = ${koperasiId} and s.status = 'posted' and s.sale_date between ${from} and ${to}
     group by s.sale_date order by s.sale_date`.execute(db);
  return r.rows.map((x) => ({
    date: x.date,
    sales: Number(x.sales),
    units: BigInt(x.units),
    revenue: BigInt(x.revenue),
    cost: BigInt(x.cost),
  }));
}

/** Posted (not voided) sales per item over from..to. */
export async function salesByItem(db: Exec, koperasiId: string, from: string, to: string) {
  const r = await sql<{ item_id: string; code: string; name: string; unit: string; units: string; revenue: string; cost: string }>`
    select i.id as item_id, i.code, i.name, i.unit, sum(l.quantity)::text as units, sum(l.amount)::text as revenue, sum(l.cost)::text as cost
      from shop_sales s join shop_sale_lines l on l.sale_id = s.id join shop_items i on i.id = l.item_id
     where s.koperasi_id = ${koperasiId} and s.status = 'posted' and s.sale_date between ${from} and ${to}
     group by i.id, i.code, i.name, i.unit order by sum(l.amount) desc, i.code`.execute(db);
  return r.rows.map((x) => ({
    itemId: x.item_id,
    code: x.code,
    name: x.name,
    unit: x.unit,
    units: BigInt(x.units),
    revenue: BigInt(x.revenue),
    cost: BigInt(x.cost),
  }));
}

/** Σ of members' posted (not voided) purchases over from..to. */
export async function purchasesPerMember(db: Exec, koperasiId: string, from: string, to: string) {
  const r = await sql<{ member_id: string; total: string }>`
    select member_id, sum(total)::text as total from shop_sales
     where koperasi_id = ${koperasiId} and member_id is not null and status = 'posted' and sale_date between ${from} and ${to}
     group by member_id`.execute(db);
  return r.rows;
}
