/**
 * The orders' SQL: orders, items, events, idempotency records and carts, plus the few reads of
 * the catalogue's tables (stores, products, variants) a checkout needs — one module, one folder.
 * Plain functions taking the database or a transaction first.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { OrderActor, OrderStatus } from './orders-tables.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
type Q = Db | Trx;

// ---------------------------------------------------------------------------------------------
// Catalogue reads
// ---------------------------------------------------------------------------------------------

export interface StoreRow {
  id: string;
  organization_id: string;
  organization_kind: 'umkm' | 'koperasi';
  slug: string;
  name: string;
  whatsapp: string | null;
  address: string | null;
  offers_pickup: boolean;
  offers_delivery: boolean;
  offers_cod: boolean;
  bank_name: string | null;
  bank_account_number: string | null;
  bank_account_name: string | null;
  qris_key: string | null;
  status: 'open' | 'closed';
}

const STORE_COLUMNS = [
  'id',
  'organization_id',
  'organization_kind',
  'slug',
  'name',
  'whatsapp',
  'address',
  'offers_pickup',
  'offers_delivery',
  'offers_cod',
  'bank_name',
  'bank_account_number',
  'bank_account_name',
  'qris_key',
  'status',
] as const;

export async function findStores(db: Q, ids: readonly string[]): Promise<StoreRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('market_stores').select(STORE_COLUMNS).where('id', 'in', ids).execute()) as StoreRow[];
}

export async function findStore(db: Q, id: string): Promise<StoreRow | undefined> {
  return (await db.selectFrom('market_stores').select(STORE_COLUMNS).where('id', '=', id).executeTakeFirst()) as StoreRow | undefined;
}

/** Stores of these organisations (the seller's stores). */
export async function storesOfOrganizations(db: Q, orgIds: readonly string[]) {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom('market_stores')
    .select(['id', 'name', 'slug', 'organization_id'])
    .where('organization_id', 'in', orgIds)
    .orderBy('name')
    .execute();
}

export interface VariantForSale {
  variant_id: string;
  variant_name: string;
  price: bigint;
  stock: number;
  variant_active: boolean;
  product_id: string;
  product_name: string;
  product_status: string;
  store_id: string;
}

export async function variantsForSale(db: Q, variantIds: readonly string[]): Promise<VariantForSale[]> {
  if (variantIds.length === 0) return [];
  const rows = await db
    .selectFrom('market_variants as v')
    .innerJoin('market_products as p', 'p.id', 'v.product_id')
    .select([
      'v.id as variant_id',
      'v.name as variant_name',
      'v.price',
      'v.stock',
      'v.active as variant_active',
      'p.id as product_id',
      'p.name as product_name',
      'p.status as product_status',
      'p.store_id',
    ])
    .where('v.id', 'in', variantIds)
    .execute();
  return rows.map((r) => ({ ...r, price: BigInt(r.price) })) as VariantForSale[];
}

/** The active variants of each product (to resolve `productId` to its single variant). */
export async function activeVariantsOfProducts(db: Q, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('market_variants')
    .select(['id', 'product_id'])
    .where('product_id', 'in', productIds)
    .where('active', '=', true)
    .orderBy('position')
    .execute();
}

export async function productExists(db: Q, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return db.selectFrom('market_products').select('id').where('id', 'in', productIds).execute();
}

export async function deliveryFee(db: Q, storeId: string, kecamatanCode: string): Promise<bigint | null> {
  const row = await db
    .selectFrom('market_store_delivery_fees')
    .select('fee')
    .where('store_id', '=', storeId)
    .where('kecamatan_code', '=', kecamatanCode)
    .executeTakeFirst();
  return row ? BigInt(row.fee) : null;
}

export async function pickupPoints(db: Q, storeIds: readonly string[]) {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('market_pickup_points')
    .select(['id', 'store_id', 'kind', 'label', 'address'])
    .where('store_id', 'in', storeIds)
    .orderBy('store_id')
    .orderBy('position')
    .execute();
}

export async function feesOfStores(db: Q, storeIds: readonly string[]) {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('market_store_delivery_fees')
    .select(['store_id', 'kecamatan_code', 'fee'])
    .where('store_id', 'in', storeIds)
    .execute();
}

export async function findKelurahan(db: Q, code: string) {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'parent_code'])
    .where('code', '=', code)
    .where('level', '=', 'kelurahan')
    .executeTakeFirst();
}

export async function regionName(db: Q, code: string) {
  return (await db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst())?.name ?? null;
}

/**
 * Locks product rows in id order (FOR NO KEY UPDATE: it does not wait for the key-share locks that
 * foreign keys of concurrent order items take). Taken before any variant is touched: the catalogue's trigger on
 * market_variants updates the product row, so every writer locks products first, then variants,
 * both sorted by id — one global order, no deadlocks.
 */
export async function lockProducts(trx: Trx, productIds: readonly string[]) {
  const ids = [...new Set(productIds)].sort();
  if (ids.length === 0) return;
  await trx.selectFrom('market_products').select('id').where('id', 'in', ids).orderBy('id').forNoKeyUpdate().execute();
}

/**
 * The only way stock goes down: a guarded update. Undefined when there is not enough stock
 * (the row is locked by this transaction either way until it ends).
 */
export async function takeStock(trx: Trx, variantId: string, quantity: number) {
  return trx
    .updateTable('market_variants')
    .set({ stock: sql`stock - ${quantity}` })
    .where('id', '=', variantId)
    .where('stock', '>=', quantity)
    .returning(['id', 'stock', 'price'])
    .executeTakeFirst();
}

export async function stockOf(trx: Trx, variantId: string): Promise<number> {
  const row = await trx.selectFrom('market_variants').select('stock').where('id', '=', variantId).executeTakeFirst();
  return row?.stock ?? 0;
}

/** Puts an order's quantities back on the shelf (variants locked in id order). */
export async function returnStock(trx: Trx, orderId: string) {
  const items = await trx
    .selectFrom('market_order_items')
    .select(['variant_id', 'product_id', 'quantity'])
    .where('order_id', '=', orderId)
    .orderBy('variant_id')
    .execute();
  await lockProducts(
    trx,
    items.map((i) => i.product_id),
  );
  for (const i of items) {
    await trx
      .updateTable('market_variants')
      .set({ stock: sql`stock + ${i.quantity}` })
      .where('id', '=', i.variant_id)
      .execute();
  }
}

/** Adds a completed order's quantities to its products' sold counts. */
export async function addSoldCounts(trx: Trx, orderId: string) {
  const rows = await trx
    .selectFrom('market_order_items')
    .select(['product_id', sql<number>`sum(quantity)::int`.as('qty')])
    .where('order_id', '=', orderId)
    .groupBy('product_id')
    .orderBy('product_id')
    .execute();
  await lockProducts(
    trx,
    rows.map((r) => r.product_id),
  );
  for (const r of rows) {
    await trx
      .updateTable('market_products')
      .set({ sold_count: sql`sold_count + ${r.qty}` })
      .where('id', '=', r.product_id)
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

export async function nextOrderCounter(trx: Trx): Promise<bigint> {
  const r = await sql<{ n: string }>`select nextval('market_order_number_seq')::text as n`.execute(trx);
  return BigInt(r.rows[0]?.n ?? '0');
}

export type NewOrder = Database['market_orders'] extends infer T ? Omit<import('kysely').Insertable<T>, 'id'> : never;

export async function insertOrder(trx: Trx, values: NewOrder) {
  return trx.insertInto('market_orders').values(values).returning(['id', 'created_at']).executeTakeFirstOrThrow();
}

export async function insertItems(
  trx: Trx,
  rows: {
    order_id: string;
    variant_id: string;
    product_id: string;
    product_name: string;
    variant_name: string;
    unit_price: bigint;
    quantity: number;
    line_total: bigint;
  }[],
) {
  if (rows.length) await trx.insertInto('market_order_items').values(rows).execute();
}

export async function insertEvent(
  trx: Trx,
  e: {
    order_id: string;
    from_status: OrderStatus | null;
    to_status: OrderStatus;
    actor_user_id: string | null;
    actor_kind: OrderActor;
    reason: string | null;
  },
) {
  await trx.insertInto('market_order_events').values(e).execute();
}

const ORDER_COLUMNS = [
  'o.id',
  'o.number',
  'o.checkout_id',
  'o.store_id',
  'o.buyer_user_id',
  'o.buyer_name',
  'o.buyer_phone',
  'o.buyer_address',
  'o.buyer_kelurahan_code',
  'o.delivery_method',
  'o.pickup_point_id',
  'o.delivery_fee',
  'o.payment_method',
  'o.subtotal',
  'o.total',
  'o.status',
  'o.cancel_reason',
  'o.cancelled_by',
  'o.payment_proof_key',
  'o.payment_proof_at',
  'o.expires_at',
  'o.created_at',
  'o.updated_at',
  'o.paid_at',
  'o.processed_at',
  'o.shipped_at',
  'o.completed_at',
  'o.cancelled_at',
] as const;

function orderQuery(db: Q) {
  return db
    .selectFrom('market_orders as o')
    .innerJoin('market_stores as s', 's.id', 'o.store_id')
    .select(ORDER_COLUMNS)
    .select(['s.name as store_name', 's.organization_id as store_organization_id', 's.organization_kind as store_organization_kind']);
}

export type OrderRow = Awaited<ReturnType<typeof findOrder>> & object;

export async function findOrder(db: Q, id: string, opts: { forUpdate?: boolean } = {}) {
  if (opts.forUpdate) {
    // Lock the order row first (no join: FOR UPDATE of the order only), then read it with its store.
    await db.selectFrom('market_orders').select('id').where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
  }
  return orderQuery(db).where('o.id', '=', id).executeTakeFirst();
}

export async function findOrderIdByTokenHash(db: Q, tokenHash: string) {
  return (await db.selectFrom('market_orders').select('id').where('tracking_token_hash', '=', tokenHash).executeTakeFirst())?.id;
}

export async function orderItems(db: Q, orderIds: readonly string[]) {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('market_order_items')
    .select(['order_id', 'variant_id', 'product_id', 'product_name', 'variant_name', 'unit_price', 'quantity', 'line_total'])
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('product_name')
    .orderBy('variant_name')
    .execute();
}

export async function orderEvents(db: Q, orderId: string) {
  return db
    .selectFrom('market_order_events')
    .select(['from_status', 'to_status', 'actor_kind', 'reason', 'at'])
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}

export async function updateOrder(trx: Trx, id: string, fromStatus: OrderStatus, set: Record<string, unknown>) {
  const r = await trx
    .updateTable('market_orders')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', fromStatus)
    .executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0n);
}

export async function setProof(trx: Trx, id: string, key: string) {
  await trx
    .updateTable('market_orders')
    .set({ payment_proof_key: key, payment_proof_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Unpaid orders whose payment time ran out, locked (others skip them). */
export async function dueForExpiry(trx: Trx, limit: number) {
  return trx
    .selectFrom('market_orders')
    .select('id')
    .where('status', '=', 'menunggu_pembayaran')
    .where('expires_at', '<=', sql<Date>`now()`)
    .orderBy('expires_at')
    .limit(limit)
    .forNoKeyUpdate()
    .skipLocked()
    .execute();
}

export interface StoreOrderFilter {
  status?: OrderStatus;
  todo?: boolean;
  limit: number;
  offset: number;
}

export async function listStoreOrders(db: Q, storeId: string, f: StoreOrderFilter) {
  let q = orderQuery(db).where('o.store_id', '=', storeId);
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.todo) q = q.where('o.status', 'in', ['menunggu_pembayaran', 'dibayar', 'diproses', 'siap_diambil', 'dikirim']);
  // Orders to act on first (oldest first), then the rest newest first.
  return q
    .orderBy(
      sql`case o.status when 'dibayar' then 0 when 'menunggu_pembayaran' then 1 when 'diproses' then 2 when 'siap_diambil' then 3 when 'dikirim' then 4 else 5 end`,
    )
    .orderBy(sql`case when o.status in ('selesai', 'dibatalkan') then null else o.created_at end`, 'asc')
    .orderBy('o.created_at', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

export async function countStoreOrders(db: Q, storeId: string) {
  return db
    .selectFrom('market_orders')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('store_id', '=', storeId)
    .groupBy('status')
    .execute();
}

export async function ordersForExport(db: Q, storeId: string) {
  return orderQuery(db).where('o.store_id', '=', storeId).orderBy('o.created_at', 'desc').limit(50_000).execute();
}

export async function ordersOfBuyer(db: Q, userId: string, limit = 100) {
  return orderQuery(db).where('o.buyer_user_id', '=', userId).orderBy('o.created_at', 'desc').limit(limit).execute();
}

// ---------------------------------------------------------------------------------------------
// Dashboard
// ---------------------------------------------------------------------------------------------

/** Sales per WIB day in [start, end): every order not cancelled, counted on the day it was placed (goods subtotal). */
export async function salesPerDay(db: Q, storeId: string, start: Date, end: Date) {
  const r = await sql<{ day: string; amount: string; orders: number }>`
    select to_char(created_at at time zone 'Asia/Jakarta', 'YYYY-MM-DD') as day, sum(subtotal)::text as amount, count(*)::int as orders
    from market_orders
    where store_id = ${storeId} and status <> 'dibatalkan' and created_at >= ${start} and created_at < ${end}
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({ day: x.day, amount: BigInt(x.amount), orders: x.orders }));
}

export async function topProducts(db: Q, storeId: string, start: Date, end: Date, limit = 5) {
  const r = await sql<{ product_id: string; product_name: string; qty: number; amount: string }>`
    select i.product_id, max(i.product_name) as product_name, sum(i.quantity)::int as qty, sum(i.line_total)::text as amount
    from market_order_items i join market_orders o on o.id = i.order_id
    where o.store_id = ${storeId} and o.status <> 'dibatalkan' and o.created_at >= ${start} and o.created_at < ${end}
    group by i.product_id order by qty desc, amount desc limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ productId: x.product_id, productName: x.product_name, quantity: x.qty, amount: BigInt(x.amount) }));
}

export async function lowStock(db: Q, storeId: string, threshold: number) {
  return db
    .selectFrom('market_variants as v')
    .innerJoin('market_products as p', 'p.id', 'v.product_id')
    .select(['v.id as variant_id', 'v.name as variant_name', 'v.stock', 'p.id as product_id', 'p.name as product_name'])
    .where('p.store_id', '=', storeId)
    .where('p.status', '=', 'active')
    .where('v.active', '=', true)
    .where('v.stock', '<=', threshold)
    .orderBy('v.stock')
    .orderBy('p.name')
    .limit(50)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------

/**
 * Claims (scope, key) for this transaction. False when another request holds it: on PostgreSQL
 * the insert waits for that transaction, so a false here means it committed.
 */
export async function claimIdempotencyKey(trx: Trx, scope: string, key: string, requestHash: string): Promise<boolean> {
  const r = await trx
    .insertInto('market_idempotency')
    .values({ scope, key, request_hash: requestHash, response: null })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findIdempotency(db: Q, scope: string, key: string) {
  return db
    .selectFrom('market_idempotency')
    .select(['request_hash', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function saveIdempotentResponse(trx: Trx, scope: string, key: string, response: object) {
  await trx
    .updateTable('market_idempotency')
    .set({ response: JSON.stringify(response) })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

export async function purgeIdempotency(db: Q, olderThan: Date) {
  await db.deleteFrom('market_idempotency').where('created_at', '<', olderThan).execute();
}

// ---------------------------------------------------------------------------------------------
// Carts
// ---------------------------------------------------------------------------------------------

export async function cartByTokenHash(db: Q, tokenHash: string) {
  return db.selectFrom('market_carts').select(['id', 'user_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function cartOfUser(db: Q, userId: string) {
  return db.selectFrom('market_carts').select(['id', 'user_id']).where('user_id', '=', userId).executeTakeFirst();
}

export async function createCart(db: Q, values: { token_hash: string | null; user_id: string | null }) {
  return db.insertInto('market_carts').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function setCartQuantity(db: Q, cartId: string, variantId: string, quantity: number, mode: 'add' | 'set') {
  if (quantity <= 0 && mode === 'set') {
    await db.deleteFrom('market_cart_items').where('cart_id', '=', cartId).where('variant_id', '=', variantId).execute();
    return;
  }
  await db
    .insertInto('market_cart_items')
    .values({ cart_id: cartId, variant_id: variantId, quantity })
    .onConflict((oc) =>
      oc.columns(['cart_id', 'variant_id']).doUpdateSet({
        quantity: mode === 'add' ? sql`least(market_cart_items.quantity + excluded.quantity, 999)` : sql`excluded.quantity`,
      }),
    )
    .execute();
  await db.updateTable('market_carts').set({ updated_at: new Date() }).where('id', '=', cartId).execute();
}

/** Moves a guest cart's lines into the user's cart (quantities added) and drops the guest cart. */
export async function mergeCarts(trx: Trx, fromCartId: string, intoCartId: string) {
  const lines = await trx.selectFrom('market_cart_items').select(['variant_id', 'quantity']).where('cart_id', '=', fromCartId).execute();
  for (const l of lines) await setCartQuantity(trx, intoCartId, l.variant_id, l.quantity, 'add');
  await trx.deleteFrom('market_carts').where('id', '=', fromCartId).execute();
}

export async function removeCartLines(db: Q, cartId: string, variantIds: readonly string[]) {
  if (variantIds.length === 0) return;
  await db.deleteFrom('market_cart_items').where('cart_id', '=', cartId).where('variant_id', 'in', variantIds).execute();
}

export async function cartLines(db: Q, cartId: string) {
  const rows = await db
    .selectFrom('market_cart_items as c')
    .innerJoin('market_variants as v', 'v.id', 'c.variant_id')
    .innerJoin('market_products as p', 'p.id', 'v.product_id')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select([
      'c.variant_id',
      'c.quantity',
      'v.name as variant_name',
      'v.price',
      'v.stock',
      'v.active as variant_active',
      'p.id as product_id',
      'p.name as product_name',
      'p.slug as product_slug',
      'p.status as product_status',
      's.id as store_id',
      's.name as store_name',
      's.slug as store_slug',
      's.status as store_status',
    ])
    .where('c.cart_id', '=', cartId)
    .orderBy('s.name')
    .orderBy('p.name')
    .orderBy('v.position')
    .execute();
  return rows.map((r) => ({ ...r, price: BigInt(r.price) }));
}

// ---------------------------------------------------------------------------------------------
// People to notify
// ---------------------------------------------------------------------------------------------

/** E-mail addresses of the people who run the store's organisation. */
export async function storeOwnerContacts(db: Q, organizationId: string, role: 'pelaku_umkm' | 'pengurus_koperasi') {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.email'])
    .where('g.organization_id', '=', organizationId)
    .where('g.role', '=', role)
    .where('u.status', '=', 'active')
    .where('u.email', 'is not', null)
    .execute();
}
