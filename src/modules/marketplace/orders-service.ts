/**
 * Marketplace orders: use cases. Checkout (one order per store, stock taken in one transaction,
 * idempotent), the order state machine with who may act, payment proofs, auto-cancel, carts and
 * the seller's dashboard. Every change to money or status writes the audit log and an order event
 * in the same transaction and queues messages to the buyer and the seller.
 */
import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Config } from '../../config.js';
import { writeAudit } from '../../platform/audit.js';
import { hashToken, randomToken } from '../../platform/auth/tokens.js';
import { hasRole, type RequestContext } from '../../platform/context.js';
import { AppError, conflict, type FieldIssue, forbidden, notFound, ruleViolated, validationFailed } from '../../platform/errors.js';
import { type MessageKey, translate } from '../../platform/i18n/index.js';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { queueMessage } from '../../platform/messages/outbox.js';
import { type FileStorage, sniffFileType } from '../../platform/storage.js';
import {
  checkChoice,
  checkTransition,
  formatOrderNumber,
  initialStatus,
  isOpen,
  LOW_STOCK_THRESHOLD,
  mergeQuantities,
  needsDeliveryFee,
  nextStates,
  type OrderActor,
  type OrderStatus,
  orderTotals,
  timestampFor,
  waLink,
  waPhone,
  wibMonthRange,
} from './orders-domain.js';
import type { Db, OrderRow, StoreRow, Trx } from './orders-repository.js';
import * as repo from './orders-repository.js';
import type { CheckoutInput, TransitionInput } from './orders-schemas.js';
import type { DeliveryMethod, PaymentMethod } from './orders-tables.js';

export type { OrderRow, StoreRow };

export const EXPIRE_ORDERS_JOB = 'market.orders.expire';
/** Idempotency records are kept this long (a retried checkout within it gets the same orders). */
export const IDEMPOTENCY_TTL_HOURS = 48;
export const MAX_PROOF_BYTES = 8 * 1024 * 1024;

type Ctx = Pick<RequestContext, 'user' | 'ip'>;

export interface OrdersDeps {
  config: Pick<Config, 'publicUrl' | 'orderPaymentTimeoutHours'>;
}

/** Amounts leave the API as JSON integers; refuse to round one silently. */
export function toJsonInt(n: bigint | number | string): number {
  const b = BigInt(n);
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`amount ${b} is not a safe integer`);
  return Number(b);
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

// ---------------------------------------------------------------------------------------------
// Who may act
// ---------------------------------------------------------------------------------------------

/** The store is run by the caller: the UMKM's owner or the koperasi's pengurus. */
export function runsStore(ctx: Pick<RequestContext, 'user'>, store: { organization_id: string; organization_kind: string }): boolean {
  const role = store.organization_kind === 'koperasi' ? 'pengurus_koperasi' : 'pelaku_umkm';
  return hasRole(ctx, role, store.organization_id);
}

function isBuyer(ctx: Pick<RequestContext, 'user'>, order: { buyer_user_id: string | null }, tokenOk: boolean) {
  return tokenOk || (ctx.user !== null && order.buyer_user_id === ctx.user.id);
}

function storeLike(order: OrderRow) {
  return { organization_id: order.store_organization_id, organization_kind: order.store_organization_kind };
}

/** The store, if the caller runs it; 404 otherwise (strangers learn nothing). */
export async function requireOwnStore(db: Db, ctx: Ctx, storeId: string): Promise<StoreRow> {
  if (!/^[0-9a-f-]{36}$/i.test(storeId)) throw notFound();
  const store = await repo.findStore(db, storeId);
  if (!store || !runsStore(ctx, store)) throw notFound();
  return store;
}

/** Stores the caller runs (for the seller's menu). */
export async function myStores(db: Db, ctx: Ctx) {
  const orgs = (ctx.user?.roles ?? [])
    .filter((g) => (g.role === 'pelaku_umkm' || g.role === 'pengurus_koperasi') && g.organizationId)
    .map((g) => g.organizationId as string);
  return repo.storesOfOrganizations(db, orgs);
}

// ---------------------------------------------------------------------------------------------
// Order views
// ---------------------------------------------------------------------------------------------

export interface OrderView {
  order: OrderRow;
  items: Awaited<ReturnType<typeof repo.orderItems>>;
}

export function toOrderJson(v: OrderView, trackingUrl?: string) {
  const o = v.order;
  return {
    id: o.id,
    number: o.number,
    checkoutId: o.checkout_id,
    status: o.status,
    storeId: o.store_id,
    storeName: o.store_name,
    buyerName: o.buyer_name,
    buyerPhone: o.buyer_phone,
    buyerAddress: o.buyer_address,
    buyerKelurahanCode: o.buyer_kelurahan_code,
    deliveryMethod: o.delivery_method,
    pickupPointId: o.pickup_point_id,
    paymentMethod: o.payment_method,
    subtotal: toJsonInt(o.subtotal),
    deliveryFee: toJsonInt(o.delivery_fee),
    total: toJsonInt(o.total),
    cancelReason: o.cancel_reason,
    cancelledBy: o.cancelled_by,
    hasPaymentProof: o.payment_proof_key !== null,
    expiresAt: iso(o.expires_at),
    createdAt: iso(o.created_at) as string,
    paidAt: iso(o.paid_at),
    completedAt: iso(o.completed_at),
    items: v.items
      .filter((i) => i.order_id === o.id)
      .map((i) => ({
        variantId: i.variant_id,
        productId: i.product_id,
        productName: i.product_name,
        variantName: i.variant_name,
        unitPrice: toJsonInt(i.unit_price),
        quantity: i.quantity,
        lineTotal: toJsonInt(i.line_total),
      })),
    ...(trackingUrl ? { trackingUrl } : {}),
  };
}
export type OrderJson = ReturnType<typeof toOrderJson>;

async function loadView(db: Db | Trx, id: string): Promise<OrderView | null> {
  const order = await repo.findOrder(db, id);
  if (!order) return null;
  return { order, items: await repo.orderItems(db, [id]) };
}

/** An order the caller may see: its seller or its logged-in buyer. Everyone else: 404. */
export async function getOrder(db: Db, ctx: Ctx, id: string): Promise<OrderView & { role: OrderActor }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
  const v = await loadView(db, id);
  if (!v) throw notFound();
  if (runsStore(ctx, storeLike(v.order))) return { ...v, role: 'seller' };
  if (isBuyer(ctx, v.order, false)) return { ...v, role: 'buyer' };
  throw notFound();
}

/** The logged-in buyer's own orders, newest first. */
export async function myOrders(db: Db, ctx: Ctx) {
  if (!ctx.user) return [];
  return repo.ordersOfBuyer(db, ctx.user.id);
}

/** The order behind a private tracking token; 404 for an unknown token. */
export async function getOrderByToken(db: Db, token: string): Promise<OrderView> {
  if (!token || token.length > 100) throw notFound();
  const id = await repo.findOrderIdByTokenHash(db, hashToken(token));
  const v = id ? await loadView(db, id) : null;
  if (!v) throw notFound();
  return v;
}

export async function orderDetails(db: Db, order: OrderRow) {
  const [events, store, kelurahan, pickup] = await Promise.all([
    repo.orderEvents(db, order.id),
    repo.findStore(db, order.store_id),
    repo.regionName(db, order.buyer_kelurahan_code),
    order.pickup_point_id ? repo.pickupPoints(db, [order.store_id]) : Promise.resolve([]),
  ]);
  return {
    events,
    store: store as StoreRow,
    kelurahanName: kelurahan,
    pickupPoint: pickup.find((p) => p.id === order.pickup_point_id) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

const tId = (key: MessageKey, params?: Record<string, string | number>) => translate('id', key, params);

/** The Indonesian message text about an order's step (buyer or seller side). */
export function notificationText(
  who: 'buyer' | 'seller',
  o: { number: string; store_name: string; status: OrderStatus; total: bigint | number | string; cancel_reason?: string | null },
  link: string | null,
): string {
  const status = tId(`orders.status.${o.status}` as MessageKey);
  const base = tId(who === 'buyer' ? 'orders.msg.buyer' : 'orders.msg.seller', {
    number: o.number,
    store: o.store_name,
    status,
    total: `Rp${BigInt(o.total)
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`,
  });
  const reason = o.status === 'dibatalkan' && o.cancel_reason ? ` ${tId('orders.msg.reason', { reason: o.cancel_reason })}` : '';
  const tail = link ? ` ${tId('orders.msg.link', { link })}` : who === 'buyer' ? ` ${tId('orders.msg.useTrackingLink')}` : '';
  return `${base}${reason}${tail}`;
}

async function notify(
  trx: Trx,
  deps: OrdersDeps,
  order: {
    id: string;
    number: string;
    store_id: string;
    store_name: string;
    status: OrderStatus;
    total: bigint | number | string;
    cancel_reason?: string | null;
    buyer_phone: string;
    buyer_user_id: string | null;
  },
  store: { whatsapp: string | null; organization_id: string; organization_kind: string },
  opts: { buyerLink: string | null; notifyBuyer?: boolean; notifySeller?: boolean },
) {
  const subject = tId('orders.msg.subject', { number: order.number });
  if (opts.notifyBuyer !== false) {
    const phone = waPhone(order.buyer_phone);
    if (phone) {
      await queueMessage(trx, {
        channel: 'whatsapp',
        recipient: phone,
        userId: order.buyer_user_id,
        subject,
        body: notificationText('buyer', order, opts.buyerLink),
      });
    }
  }
  if (opts.notifySeller !== false) {
    const sellerLink = `${deps.config.publicUrl}/toko-saya/${order.store_id}/pesanan/${order.id}`;
    const body = notificationText('seller', order, sellerLink);
    const phone = waPhone(store.whatsapp);
    if (phone) {
      await queueMessage(trx, { channel: 'whatsapp', recipient: phone, subject, body });
    } else {
      const role = store.organization_kind === 'koperasi' ? 'pengurus_koperasi' : 'pelaku_umkm';
      for (const u of await repo.storeOwnerContacts(trx, store.organization_id, role)) {
        if (u.email) await queueMessage(trx, { channel: 'email', recipient: u.email, userId: u.id, subject, body });
      }
    }
  }
}

/** The buyer's ready WhatsApp link to the seller about this order. */
export function buyerWaLink(order: { number: string; store_name: string }, store: { whatsapp: string | null }) {
  return waLink(store.whatsapp, tId('orders.wa.toSeller', { number: order.number, store: order.store_name }));
}

/** The seller's ready WhatsApp link to the buyer about this order's status. */
export function sellerWaLink(order: {
  number: string;
  store_name: string;
  status: OrderStatus;
  total: bigint | number | string;
  buyer_phone: string;
  cancel_reason?: string | null;
}) {
  return waLink(order.buyer_phone, notificationText('buyer', order, null));
}

// ---------------------------------------------------------------------------------------------
// Checkout
// ---------------------------------------------------------------------------------------------

export interface CheckoutResult {
  status: 201;
  replayed: boolean;
  body: { checkoutId: string; orders: OrderJson[] };
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function requestHash(input: unknown): string {
  return createHash('sha256').update(stableStringify(input)).digest('hex');
}

interface StoreChoice {
  delivery: { method: DeliveryMethod; pickupPointId?: string };
  paymentMethod: PaymentMethod;
}

class Replay {
  constructor(readonly body: CheckoutResult['body']) {}
}

/**
 * Places one checkout: one order per store, all or nothing. Prices come from the database.
 * With the same (scope, key) again the first result is returned and nothing new is created;
 * the same key with a different body is refused (422).
 */
export async function checkout(
  db: Db,
  ctx: Ctx,
  deps: OrdersDeps,
  input: CheckoutInput,
  idem: { scope: string; key: string },
): Promise<CheckoutResult> {
  const hash = requestHash(input);
  const seen = await repo.findIdempotency(db, idem.scope, idem.key);
  if (seen) return replayOf(seen, hash);

  try {
    const body = await db.transaction().execute(async (trx) => {
      if (!(await repo.claimIdempotencyKey(trx, idem.scope, idem.key, hash))) {
        const other = await repo.findIdempotency(trx, idem.scope, idem.key);
        if (!other) throw conflict('error.retry');
        throw new Replay(replayOf(other, hash).body);
      }
      const result = await placeOrders(trx, ctx, deps, input);
      await repo.saveIdempotentResponse(trx, idem.scope, idem.key, result);
      return result;
    });
    return { status: 201, replayed: false, body };
  } catch (err) {
    if (err instanceof Replay) return { status: 201, replayed: true, body: err.body };
    throw err;
  }
}

/** The stored result of an earlier checkout with this key (a double-clicked web form), if any. */
export async function previousCheckout(db: Db, scope: string, key: string): Promise<CheckoutResult['body'] | null> {
  const seen = await repo.findIdempotency(db, scope, key);
  if (!seen?.response) return null;
  return (typeof seen.response === 'string' ? JSON.parse(seen.response) : seen.response) as CheckoutResult['body'];
}

function replayOf(seen: { request_hash: string; response: unknown }, hash: string): CheckoutResult {
  if (seen.request_hash !== hash) throw ruleViolated('orders.idempotencyMismatch');
  if (!seen.response) throw conflict('orders.idempotencyInProgress');
  const response = (typeof seen.response === 'string' ? JSON.parse(seen.response) : seen.response) as CheckoutResult['body'];
  return { status: 201, replayed: true, body: response };
}

async function placeOrders(trx: Trx, ctx: Ctx, deps: OrdersDeps, input: CheckoutInput): Promise<CheckoutResult['body']> {
  const kelurahan = await repo.findKelurahan(trx, input.buyer.kelurahanCode);
  if (!kelurahan?.parent_code) throw validationFailed([{ field: 'buyer.kelurahanCode', message: 'orders.kelurahanInvalid' }]);
  const kecamatanCode = kelurahan.parent_code;

  // 1. Resolve every line to a variant (productId → its single active variant).
  const issues: FieldIssue[] = [];
  const productIds = [...new Set(input.items.flatMap((i) => (i.variantId ? [] : i.productId ? [i.productId] : [])))];
  const variantsByProduct = new Map<string, string[]>();
  for (const v of await repo.activeVariantsOfProducts(trx, productIds)) {
    variantsByProduct.set(v.product_id, [...(variantsByProduct.get(v.product_id) ?? []), v.id]);
  }
  const lines: { variantId: string; quantity: number }[] = [];
  input.items.forEach((item, idx) => {
    if (item.variantId) lines.push({ variantId: item.variantId, quantity: item.quantity });
    else if (item.productId) {
      const vs = variantsByProduct.get(item.productId) ?? [];
      if (vs.length === 1) lines.push({ variantId: vs[0] as string, quantity: item.quantity });
      else if (vs.length === 0) issues.push({ field: `items.${idx}.productId`, message: 'orders.productUnavailable' });
      else issues.push({ field: `items.${idx}.productId`, message: 'orders.chooseVariant' });
    } else issues.push({ field: `items.${idx}.variantId`, message: 'field.required' });
  });
  if (issues.length) throw new AppError('rule_violated', 'orders.itemsInvalid', {}, undefined, issues);

  const wanted = mergeQuantities(lines);
  const variantIds = [...wanted.keys()].sort();
  const variants = new Map((await repo.variantsForSale(trx, variantIds)).map((v) => [v.variant_id, v]));
  /** 409 naming every short item. */
  const outOfStock = (short: { id: string; available: number }[]) => {
    const items = short.map(({ id, available }) => {
      const v = variants.get(id) as repo.VariantForSale;
      return { variantId: id, productName: v.product_name, variantName: v.variant_name, requested: wanted.get(id) as number, available };
    });
    const first = items[0] as (typeof items)[number];
    return conflict('orders.outOfStock', { product: first.productName, available: first.available }, { items });
  };
  const storeIds = [...new Set([...variants.values()].map((v) => v.store_id))].sort();
  const stores = new Map((await repo.findStores(trx, storeIds)).map((s) => [s.id, s]));
  const unavailable = variantIds.filter((id) => {
    const v = variants.get(id);
    const s = v ? stores.get(v.store_id) : undefined;
    return !v?.variant_active || v.product_status !== 'active' || s?.status !== 'open';
  });
  if (unavailable.length) {
    throw ruleViolated(
      'orders.productUnavailable',
      {},
      { items: unavailable.map((variantId) => ({ variantId, productName: variants.get(variantId)?.product_name ?? null })) },
    );
  }

  // 2. Delivery and payment per store, delivery fees by the buyer's kecamatan.
  const perStore = new Map<string, StoreChoice>();
  for (const s of input.stores ?? []) perStore.set(s.storeId, { delivery: s.delivery, paymentMethod: s.paymentMethod });
  const points = await repo.pickupPoints(trx, storeIds);
  const plan = new Map<string, { store: StoreRow; choice: StoreChoice; fee: bigint; pickupPointId: string | null }>();
  for (const storeId of storeIds) {
    const store = stores.get(storeId) as StoreRow;
    const choice = perStore.get(storeId) ?? { delivery: input.delivery, paymentMethod: input.paymentMethod };
    const problem = checkChoice(
      {
        offersPickup: store.offers_pickup,
        offersDelivery: store.offers_delivery,
        offersCod: store.offers_cod,
        hasBankAccount: !!store.bank_account_number,
        hasQris: !!store.qris_key,
      },
      choice.delivery.method,
      choice.paymentMethod,
    );
    if (problem) throw ruleViolated(`orders.choice.${problem}` as MessageKey, { store: store.name }, { storeId });
    let fee = 0n;
    if (needsDeliveryFee(choice.delivery.method)) {
      const f = await repo.deliveryFee(trx, storeId, kecamatanCode);
      if (f === null) throw ruleViolated('orders.choice.no_delivery_here', { store: store.name }, { storeId, kecamatanCode });
      fee = f;
    }
    let pickupPointId: string | null = null;
    if (choice.delivery.method === 'pickup') {
      const own = points.filter((p) => p.store_id === storeId);
      if (choice.delivery.pickupPointId && perStore.has(storeId) && !own.some((p) => p.id === choice.delivery.pickupPointId)) {
        throw ruleViolated('orders.pickupPointInvalid', { store: store.name }, { storeId });
      }
      pickupPointId = own.find((p) => p.id === choice.delivery.pickupPointId)?.id ?? own[0]?.id ?? null;
    }
    plan.set(storeId, { store, choice, fee, pickupPointId });
  }

  // 3. Fail fast on stock read above (the authoritative check is the guarded update in step 5).
  const short = variantIds.filter((id) => (variants.get(id) as repo.VariantForSale).stock < (wanted.get(id) as number));
  if (short.length) throw outOfStock(short.map((id) => ({ id, available: (variants.get(id) as repo.VariantForSale).stock })));

  // 4. One order per store.
  const checkoutId = randomUUID();
  const now = new Date();
  const out: OrderJson[] = [];
  for (const storeId of storeIds) {
    const { store, choice, fee, pickupPointId } = plan.get(storeId) as NonNullable<ReturnType<typeof plan.get>>;
    const storeLines = variantIds
      .filter((id) => variants.get(id)?.store_id === storeId)
      .map((id) => {
        const v = variants.get(id) as repo.VariantForSale;
        return { v, unitPrice: v.price, quantity: wanted.get(id) as number };
      });
    const totals = orderTotals(storeLines, fee);
    const status = initialStatus(choice.paymentMethod);
    const token = randomToken();
    const number = formatOrderNumber(now, await repo.nextOrderCounter(trx));
    const expiresAt = status === 'menunggu_pembayaran' ? new Date(now.getTime() + deps.config.orderPaymentTimeoutHours * 3600_000) : null;
    const values = {
      number,
      checkout_id: checkoutId,
      store_id: storeId,
      buyer_user_id: ctx.user?.id ?? null,
      buyer_name: input.buyer.name.trim(),
      buyer_phone: input.buyer.phone,
      buyer_address: input.buyer.address.trim(),
      buyer_kelurahan_code: input.buyer.kelurahanCode,
      delivery_method: choice.delivery.method,
      pickup_point_id: pickupPointId,
      delivery_fee: totals.deliveryFee,
      payment_method: choice.paymentMethod,
      subtotal: totals.subtotal,
      total: totals.total,
      status,
      cancel_reason: null,
      cancelled_by: null,
      tracking_token_hash: hashToken(token),
      payment_proof_key: null,
      payment_proof_at: null,
      expires_at: expiresAt,
      paid_at: null,
      processed_at: status === 'diproses' ? now : null,
      shipped_at: null,
      completed_at: null,
      cancelled_at: null,
    } as const;
    const { id, created_at } = await repo.insertOrder(trx, values);
    const itemRows = storeLines.map((l) => ({
      order_id: id,
      variant_id: l.v.variant_id,
      product_id: l.v.product_id,
      product_name: l.v.product_name,
      variant_name: l.v.variant_name,
      unit_price: l.unitPrice,
      quantity: l.quantity,
      line_total: l.unitPrice * BigInt(l.quantity),
    }));
    await repo.insertItems(trx, itemRows);
    await repo.insertEvent(trx, {
      order_id: id,
      from_status: null,
      to_status: status,
      actor_user_id: ctx.user?.id ?? null,
      actor_kind: 'buyer',
      reason: null,
    });
    // The new order as it was written (no need to read it back).
    const { tracking_token_hash: _hash, ...written } = values;
    const view: OrderView = {
      order: {
        ...written,
        id,
        created_at,
        updated_at: created_at,
        store_name: store.name,
        store_organization_id: store.organization_id,
        store_organization_kind: store.organization_kind,
      } as OrderRow,
      items: itemRows,
    };
    const trackingUrl = `${deps.config.publicUrl}/pesanan/${token}`;
    await writeAudit(trx, ctx, {
      action: 'market.order.create',
      entityType: 'market_order',
      entityId: id,
      organizationId: store.organization_id,
      after: {
        number,
        status,
        total: totals.total,
        subtotal: totals.subtotal,
        deliveryFee: totals.deliveryFee,
        paymentMethod: choice.paymentMethod,
      },
    });
    if (expiresAt) await enqueueJob(trx, EXPIRE_ORDERS_JOB, { orderId: id }, { runAt: expiresAt, uniqueKey: `order-expiry:${id}` });
    await notify(trx, deps, view.order, store, { buyerLink: trackingUrl });
    out.push(toOrderJson(view, trackingUrl));
  }
  // 5. Take the stock last, so the rows stay locked only until the commit that follows: products
  // then variants, each in id order (one lock order for every writer: no deadlocks). Any short
  // item rolls the whole checkout back.
  await repo.lockProducts(
    trx,
    [...variants.values()].map((v) => v.product_id),
  );
  const shortages: { id: string; available: number }[] = [];
  for (const id of variantIds) {
    const row = await repo.takeStock(trx, id, wanted.get(id) as number);
    if (!row) shortages.push({ id, available: await repo.stockOf(trx, id) });
  }
  if (shortages.length) throw outOfStock(shortages);
  return { checkoutId, orders: out };
}

// ---------------------------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------------------------

export interface TransitionAccess {
  /** The buyer's private tracking token, when the buyer acts through the tracking page. */
  token?: string;
  /** Act as the system (jobs). */
  system?: boolean;
}

/**
 * Moves an order to `to`. Strangers get 404; a party the rules do not allow gets 403; a move
 * the state machine forbids gets 409; a seller's cancellation without a reason gets 400.
 */
export async function transitionOrder(
  db: Db,
  ctx: Ctx,
  deps: OrdersDeps,
  orderId: string,
  input: TransitionInput,
  access: TransitionAccess = {},
): Promise<OrderView> {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) throw notFound();
  return db.transaction().execute(async (trx) => {
    const order = await repo.findOrder(trx, orderId, { forUpdate: true });
    if (!order) throw notFound();
    const tokenOk = !!access.token && (await repo.findOrderIdByTokenHash(trx, hashToken(access.token))) === order.id;
    const actors: OrderActor[] = [];
    if (access.system) actors.push('system');
    if (runsStore(ctx, storeLike(order))) actors.push('seller');
    if (isBuyer(ctx, order, tokenOk)) actors.push('buyer');
    if (actors.length === 0) throw notFound();

    const facts = { status: order.status, deliveryMethod: order.delivery_method, paymentMethod: order.payment_method };
    const reason = input.reason?.trim() || null;
    const checks = actors.map((a) => ({ actor: a, check: checkTransition(facts, input.to, a, reason) }));
    const ok = checks.find((c) => c.check.ok);
    if (!ok) {
      if (checks.some((c) => !c.check.ok && c.check.reason === 'reason_required')) {
        throw validationFailed([{ field: 'reason', message: 'orders.reasonRequired' }]);
      }
      if (checks.every((c) => !c.check.ok && c.check.reason === 'forbidden_transition')) {
        throw conflict('orders.transitionForbidden', {
          from: tId(`orders.status.${order.status}` as MessageKey),
          to: tId(`orders.status.${input.to}` as MessageKey),
        });
      }
      throw forbidden('orders.notYourStep');
    }
    const actor = ok.actor;
    const now = new Date();
    const set: Record<string, unknown> = { status: input.to };
    const stamp = timestampFor(input.to);
    if (stamp) set[stamp] = now;
    if (input.to === 'dibatalkan') {
      set.cancel_reason = reason ?? (actor === 'system' ? tId('orders.expiredReason') : null);
      set.cancelled_by = actor;
      set.expires_at = null;
    }
    if (input.to === 'dibayar') set.expires_at = null;
    if (input.to === 'selesai' && !order.paid_at) set.paid_at = now; // cash orders are paid on completion
    if ((await repo.updateOrder(trx, order.id, order.status, set)) !== 1) throw conflict('error.retry');

    if (input.to === 'dibatalkan' && isOpen(order.status)) await repo.returnStock(trx, order.id);
    if (input.to === 'selesai') await repo.addSoldCounts(trx, order.id);
    await repo.insertEvent(trx, {
      order_id: order.id,
      from_status: order.status,
      to_status: input.to,
      actor_user_id: actor === 'system' ? null : (ctx.user?.id ?? null),
      actor_kind: actor,
      reason: (set.cancel_reason as string | null | undefined) ?? reason,
    });
    await writeAudit(trx, ctx, {
      action: `market.order.${input.to}`,
      entityType: 'market_order',
      entityId: order.id,
      organizationId: order.store_organization_id,
      before: { status: order.status },
      after: { status: input.to, actor, reason: set.cancel_reason ?? reason },
    });
    const view = (await loadView(trx, order.id)) as OrderView;
    const store = (await repo.findStore(trx, order.store_id)) as StoreRow;
    const buyerLink = tokenOk && access.token ? `${deps.config.publicUrl}/pesanan/${access.token}` : null;
    await notify(trx, deps, view.order, store, { buyerLink });
    return view;
  });
}

/** The buttons to show: next states for the seller, or for the buyer. */
export function actionsFor(order: OrderRow, actor: OrderActor): OrderStatus[] {
  return nextStates({ status: order.status, deliveryMethod: order.delivery_method, paymentMethod: order.payment_method }, actor);
}

// ---------------------------------------------------------------------------------------------
// Auto-cancel
// ---------------------------------------------------------------------------------------------

/**
 * Cancels every unpaid order whose payment time ran out (as the system), returning its stock.
 * Run by the `market.orders.expire` job, which each unpaid order schedules for its expiry time.
 * Returns the numbers of the cancelled orders.
 */
export async function expireDueOrders(db: Db, deps: OrdersDeps, limit = 200): Promise<string[]> {
  const due = await db.transaction().execute((trx) => repo.dueForExpiry(trx, limit));
  const done: string[] = [];
  const system: Ctx = { user: null, ip: null };
  for (const { id } of due) {
    try {
      const v = await transitionOrder(db, system, deps, id, { to: 'dibatalkan' }, { system: true });
      done.push(v.order.number);
    } catch (err) {
      // Paid or cancelled meanwhile: nothing to do.
      if (!(err instanceof AppError && err.status === 409)) throw err;
    }
  }
  await repo.purgeIdempotency(db, new Date(Date.now() - IDEMPOTENCY_TTL_HOURS * 3600_000));
  return done;
}

// ---------------------------------------------------------------------------------------------
// Payment proof
// ---------------------------------------------------------------------------------------------

export interface UploadedImage {
  bytes: Buffer;
  truncated: boolean;
}

/** The buyer (with the tracking token) uploads a transfer/QRIS receipt; stored as WebP. */
export async function uploadPaymentProof(
  db: Db,
  storage: FileStorage,
  ctx: Ctx,
  deps: OrdersDeps,
  token: string,
  file: UploadedImage | null,
) {
  const v = await getOrderByToken(db, token);
  const o = v.order;
  if (o.status !== 'menunggu_pembayaran' || o.payment_method === 'cod') throw conflict('orders.proofNotExpected');
  if (!file || file.bytes.length === 0) throw validationFailed([{ field: 'file', message: 'field.required' }]);
  if (file.truncated || file.bytes.length > MAX_PROOF_BYTES) throw validationFailed([{ field: 'file', message: 'orders.proofTooLarge' }]);
  const type = sniffFileType(file.bytes);
  if (type !== 'image/jpeg' && type !== 'image/png' && type !== 'image/webp')
    throw validationFailed([{ field: 'file', message: 'orders.proofNotImage' }]);
  let webp: Buffer;
  try {
    webp = await sharp(file.bytes)
      .rotate()
      .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch {
    throw validationFailed([{ field: 'file', message: 'orders.proofNotImage' }]);
  }
  const key = `market/orders/${o.id}/proof-${randomUUID()}.webp`;
  await storage.put(key, webp, 'image/webp');
  await db.transaction().execute(async (trx) => {
    await repo.setProof(trx, o.id, key);
    await writeAudit(trx, ctx, {
      action: 'market.order.proof',
      entityType: 'market_order',
      entityId: o.id,
      organizationId: o.store_organization_id,
      after: { paymentProofKey: key },
    });
    const store = (await repo.findStore(trx, o.store_id)) as StoreRow;
    const sellerLink = `${deps.config.publicUrl}/toko-saya/${o.store_id}/pesanan/${o.id}`;
    const phone = waPhone(store.whatsapp);
    const body = `${tId('orders.msg.proofUploaded', { number: o.number })} ${tId('orders.msg.link', { link: sellerLink })}`;
    if (phone)
      await queueMessage(trx, { channel: 'whatsapp', recipient: phone, subject: tId('orders.msg.subject', { number: o.number }), body });
  });
  if (o.payment_proof_key) await storage.delete(o.payment_proof_key).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Seller's lists and dashboard
// ---------------------------------------------------------------------------------------------

export const STORE_ORDERS_PAGE_SIZE = 25;

export async function listStoreOrders(db: Db, ctx: Ctx, storeId: string, q: { status?: OrderStatus; todo?: boolean; page?: number }) {
  const store = await requireOwnStore(db, ctx, storeId);
  const page = Math.max(1, q.page ?? 1);
  const [orders, counts] = await Promise.all([
    repo.listStoreOrders(db, storeId, {
      status: q.status,
      todo: q.todo,
      limit: STORE_ORDERS_PAGE_SIZE,
      offset: (page - 1) * STORE_ORDERS_PAGE_SIZE,
    }),
    repo.countStoreOrders(db, storeId),
  ]);
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<OrderStatus, number>>;
  const total = q.status ? (byStatus[q.status] ?? 0) : counts.reduce((a, c) => a + c.n, 0);
  return { store, orders, byStatus, total, page, pageSize: STORE_ORDERS_PAGE_SIZE };
}

export async function storeDashboard(db: Db, ctx: Ctx, storeId: string, now = new Date()) {
  const store = await requireOwnStore(db, ctx, storeId);
  const month = wibMonthRange(now);
  const [todo, counts, sales, top, low] = await Promise.all([
    repo.listStoreOrders(db, storeId, { todo: true, limit: 10, offset: 0 }),
    repo.countStoreOrders(db, storeId),
    repo.salesPerDay(db, storeId, month.start, month.end),
    repo.topProducts(db, storeId, month.start, month.end),
    repo.lowStock(db, storeId, LOW_STOCK_THRESHOLD),
  ]);
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<OrderStatus, number>>;
  const monthTotal = sales.reduce((a, s) => a + s.amount, 0n);
  const monthOrders = sales.reduce((a, s) => a + s.orders, 0);
  return { store, todo, byStatus, month, sales, top, low, monthTotal, monthOrders };
}

export async function exportStoreOrders(db: Db, ctx: Ctx, storeId: string) {
  const store = await requireOwnStore(db, ctx, storeId);
  const orders = await repo.ordersForExport(db, storeId);
  const items = await repo.orderItems(
    db,
    orders.map((o) => o.id),
  );
  return { store, orders, items };
}

// ---------------------------------------------------------------------------------------------
// Cart
// ---------------------------------------------------------------------------------------------

/** The cart cookie: an unguessable random token (like the session cookie); only its hash is stored. */
export const CART_COOKIE = 'nl_cart';

export interface CartRef {
  cartId: string | null;
  /** A new token to set as the cookie (a guest's first cart). */
  newToken?: string;
  /** The guest cookie should be cleared (its cart moved into the account's). */
  clearCookie?: boolean;
}

/**
 * Finds (or, with `create`, makes) the caller's cart. A logged-in user's cart follows the
 * account: a guest cart from the cookie is merged into it on the first visit after logging in.
 */
export async function resolveCart(db: Db, ctx: Ctx, cookieToken: string | undefined, create: boolean): Promise<CartRef> {
  const guest = cookieToken && cookieToken.length <= 100 ? await repo.cartByTokenHash(db, hashToken(cookieToken)) : undefined;
  if (ctx.user) {
    const userId = ctx.user.id;
    return db.transaction().execute(async (trx) => {
      let mine = await repo.cartOfUser(trx, userId);
      if (guest && guest.user_id === null) {
        if (mine) await repo.mergeCarts(trx, guest.id, mine.id);
        else {
          await trx.updateTable('market_carts').set({ user_id: userId, token_hash: null }).where('id', '=', guest.id).execute();
          mine = { id: guest.id, user_id: userId };
        }
        return { cartId: mine.id, clearCookie: true };
      }
      if (!mine && create) mine = { id: (await repo.createCart(trx, { token_hash: null, user_id: userId })).id, user_id: userId };
      return { cartId: mine?.id ?? null };
    });
  }
  if (guest && guest.user_id === null) return { cartId: guest.id };
  if (!create) return { cartId: null };
  const token = randomToken();
  const row = await repo.createCart(db, { token_hash: hashToken(token), user_id: null });
  return { cartId: row.id, newToken: token };
}

/** Adds `quantity` of a variant (or sets it with mode 'set'; 0 removes the line). */
export async function changeCart(db: Db, cartId: string, variantId: string, quantity: number, mode: 'add' | 'set') {
  if (!/^[0-9a-f-]{36}$/i.test(variantId)) throw validationFailed([{ field: 'variantId', message: 'orders.productUnavailable' }]);
  if (!Number.isInteger(quantity) || quantity < (mode === 'add' ? 1 : 0) || quantity > 999) {
    throw validationFailed([{ field: 'quantity', message: 'field.tooLarge', params: { max: 999 } }]);
  }
  if (quantity > 0) {
    const [v] = await repo.variantsForSale(db, [variantId]);
    const store = v ? await repo.findStore(db, v.store_id) : undefined;
    if (!v?.variant_active || v.product_status !== 'active' || store?.status !== 'open') {
      throw validationFailed([{ field: 'variantId', message: 'orders.productUnavailable' }]);
    }
  }
  await repo.setCartQuantity(db, cartId, variantId, quantity, mode);
}

export interface CartLine {
  variantId: string;
  productId: string;
  productName: string;
  productSlug: string;
  variantName: string;
  unitPrice: bigint;
  quantity: number;
  lineTotal: bigint;
  stock: number;
  available: boolean;
}

export interface CartGroup {
  storeId: string;
  storeName: string;
  storeSlug: string;
  lines: CartLine[];
  subtotal: bigint;
  /** Some line cannot be bought as it is (unavailable, or more than the stock). */
  hasProblems: boolean;
}

/** The cart grouped per store, with subtotals and stock warnings. */
export async function cartView(db: Db, cartId: string | null): Promise<CartGroup[]> {
  if (!cartId) return [];
  const rows = await repo.cartLines(db, cartId);
  const groups = new Map<string, CartGroup>();
  for (const r of rows) {
    let g = groups.get(r.store_id);
    if (!g) {
      g = { storeId: r.store_id, storeName: r.store_name, storeSlug: r.store_slug, lines: [], subtotal: 0n, hasProblems: false };
      groups.set(r.store_id, g);
    }
    const available = r.variant_active && r.product_status === 'active' && r.store_status === 'open';
    const line: CartLine = {
      variantId: r.variant_id,
      productId: r.product_id,
      productName: r.product_name,
      productSlug: r.product_slug,
      variantName: r.variant_name,
      unitPrice: r.price,
      quantity: r.quantity,
      lineTotal: r.price * BigInt(r.quantity),
      stock: r.stock,
      available,
    };
    g.lines.push(line);
    if (available) g.subtotal += line.lineTotal;
    if (!available || r.stock < r.quantity) g.hasProblems = true;
  }
  return [...groups.values()];
}

export async function cartCount(db: Db, cartId: string | null): Promise<number> {
  if (!cartId) return 0;
  const r = await db
    .selectFrom('market_cart_items')
    .select(db.fn.sum<number>('quantity').as('n'))
    .where('cart_id', '=', cartId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** What the checkout form offers per store: delivery methods, fees by kecamatan, pickup points, payment methods. */
export async function checkoutOptions(db: Db, storeIds: readonly string[]) {
  const [stores, fees, points] = await Promise.all([
    repo.findStores(db, storeIds),
    repo.feesOfStores(db, storeIds),
    repo.pickupPoints(db, storeIds),
  ]);
  return stores.map((s) => ({
    store: s,
    fees: fees.filter((f) => f.store_id === s.id).map((f) => ({ kecamatanCode: f.kecamatan_code, fee: BigInt(f.fee) })),
    pickupPoints: points.filter((p) => p.store_id === s.id),
    deliveryMethods: (['pickup', 'seller_delivery', 'cod'] as const).filter((m) =>
      m === 'pickup' ? s.offers_pickup : m === 'seller_delivery' ? s.offers_delivery : s.offers_cod,
    ),
    paymentMethods: (['transfer', 'qris', 'cod'] as const).filter((m) =>
      m === 'transfer' ? !!s.bank_account_number : m === 'qris' ? !!s.qris_key : s.offers_cod || s.offers_pickup,
    ),
  }));
}

/** After a web checkout: the ordered lines leave the cart. */
export async function removeFromCart(db: Db, cartId: string, variantIds: readonly string[]) {
  await repo.removeCartLines(db, cartId, variantIds);
}
