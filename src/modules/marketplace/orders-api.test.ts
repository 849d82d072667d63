import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';

let t: TestApp;
const KELURAHAN = '35.73.01.1007'; // in kecamatan 35.73.01
const OTHER_KEL = '35.73.05.1001';

/** A verified UMKM with an owner, an open store selling two products, and a delivery fee for kecamatan 35.73.01. */
async function makeStore(name: string, opts: { stock?: number; offersDelivery?: boolean } = {}) {
  const db = t.db.db;
  const org = await db.insertInto('organizations').values({ kind: 'umkm', name }).returning('id').executeTakeFirstOrThrow();
  const owner = await db
    .insertInto('users')
    .values({ name: `Pemilik ${name}`, email: `${randomUUID()}@test.ngalamlaris.id`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('role_grants').values({ user_id: owner.id, role: 'pelaku_umkm', organization_id: org.id }).execute();
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  const store = await db
    .insertInto('market_stores')
    .values({
      organization_id: org.id,
      organization_kind: 'umkm',
      slug,
      name,
      whatsapp: '081234567890',
      offers_pickup: true,
      offers_delivery: opts.offersDelivery ?? true,
      offers_cod: true,
      bank_name: 'BRI',
      bank_account_number: '0123456789',
      bank_account_name: name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('market_store_delivery_fees').values({ store_id: store.id, kecamatan_code: '35.73.01', fee: 10_000n }).execute();
  await db
    .insertInto('market_pickup_points')
    .values({ store_id: store.id, kind: 'alamat', label: 'Rumah produksi', address: 'Jl. Uji 1' })
    .execute();
  const single = await db
    .insertInto('market_products')
    .values({ store_id: store.id, name: `Keripik ${name}`, slug: `keripik-${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const v1 = await db
    .insertInto('market_variants')
    .values({ product_id: single.id, name: '', price: 15_000n, stock: opts.stock ?? 10 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const multi = await db
    .insertInto('market_products')
    .values({ store_id: store.id, name: `Sambal ${name}`, slug: `sambal-${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const v2 = await db
    .insertInto('market_variants')
    .values({ product_id: multi.id, name: 'Pedas', price: 20_000n, stock: 10 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const v3 = await db
    .insertInto('market_variants')
    .values({ product_id: multi.id, name: 'Sedang', price: 18_000n, stock: 10, position: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ownerToken = (await createSession(db, owner.id, 'api')).token;
  return {
    orgId: org.id,
    ownerId: owner.id,
    ownerToken,
    storeId: store.id,
    single: single.id,
    multi: multi.id,
    v1: v1.id,
    v2: v2.id,
    v3: v3.id,
  };
}

const buyer = { name: 'Rina Pembeli', phone: '081298765432', address: 'Jl. Kawi 10, Malang', kelurahanCode: KELURAHAN };

function order(items: object[], over: Record<string, unknown> = {}) {
  return { items, buyer, delivery: { method: 'seller_delivery' }, paymentMethod: 'transfer', ...over };
}

async function post(payload: unknown, key: string | null = randomUUID(), token?: string) {
  const headers: Record<string, string> = {};
  if (key) headers['idempotency-key'] = key;
  if (token) headers.authorization = `Bearer ${token}`;
  return t.app.inject({ method: 'POST', url: '/api/v1/orders', payload: payload as object, headers });
}

async function stock(variantId: string) {
  return (await t.db.db.selectFrom('market_variants').select('stock').where('id', '=', variantId).executeTakeFirstOrThrow()).stock;
}
async function orderCount() {
  return Number((await sql<{ n: string }>`select count(*)::text as n from market_orders`.execute(t.db.db)).rows[0]?.n);
}
function tokenOf(trackingUrl: string) {
  return trackingUrl.split('/pesanan/')[1] as string;
}
async function transition(id: string, body: object, auth: { token?: string; tracking?: string } = {}) {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.tracking) headers['x-tracking-token'] = auth.tracking;
  return t.app.inject({ method: 'POST', url: `/api/v1/orders/${id}/transitions`, payload: body, headers });
}

let a: Awaited<ReturnType<typeof makeStore>>;
let b: Awaited<ReturnType<typeof makeStore>>;

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  a = await makeStore('Toko Ayu');
  b = await makeStore('Toko Budi');
}, 120_000);
afterAll(async () => t?.close());

describe('POST /api/v1/orders (checkout)', () => {
  it('makes one order per store with prices from the database, for a guest', async () => {
    const before1 = await stock(a.v1);
    const res = await post(
      order([
        { productId: a.single, quantity: 2, price: 1 },
        { variantId: b.v2, quantity: 1 },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.orders).toHaveLength(2);
    const oa = body.orders.find((o: { storeId: string }) => o.storeId === a.storeId);
    const ob = body.orders.find((o: { storeId: string }) => o.storeId === b.storeId);
    expect(oa).toMatchObject({
      status: 'menunggu_pembayaran',
      subtotal: 30_000,
      deliveryFee: 10_000,
      total: 40_000,
      paymentMethod: 'transfer',
    });
    expect(ob).toMatchObject({ subtotal: 20_000, total: 30_000 });
    expect(oa.number).toMatch(/^NL-\d{6}-\d{6}$/);
    expect(oa.trackingUrl).toMatch(/\/pesanan\/[A-Za-z0-9_-]{43}$/);
    expect(oa.checkoutId).toBe(ob.checkoutId);
    expect(oa.items[0]).toMatchObject({ variantId: a.v1, unitPrice: 15_000, quantity: 2, lineTotal: 30_000 });
    expect(await stock(a.v1)).toBe(before1 - 2);
    // The token itself is never stored, only its hash.
    const row = await t.db.db
      .selectFrom('market_orders')
      .select(['tracking_token_hash', 'expires_at', 'buyer_user_id'])
      .where('id', '=', oa.id)
      .executeTakeFirstOrThrow();
    expect(row.tracking_token_hash).not.toContain(tokenOf(oa.trackingUrl));
    expect(row.buyer_user_id).toBeNull();
    expect(new Date(row.expires_at as Date).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    // Event, audit and messages to both sides.
    const events = await t.db.db.selectFrom('market_order_events').selectAll().where('order_id', '=', oa.id).execute();
    expect(events.map((e) => e.to_status)).toEqual(['menunggu_pembayaran']);
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('entity_id', '=', oa.id).execute();
    expect(audit.map((x) => x.action)).toContain('market.order.create');
    const msgs = await t.db.db
      .selectFrom('outbox_messages')
      .select(['recipient', 'body'])
      .where('body', 'like', `%${oa.number}%`)
      .execute();
    expect(msgs.map((m) => m.recipient).sort()).toEqual(['6281234567890', '6281298765432']);
    expect(msgs.find((m) => m.recipient === '6281298765432')?.body).toContain(oa.trackingUrl);
  });

  it('requires an Idempotency-Key header', async () => {
    const res = await post(order([{ variantId: a.v1, quantity: 1 }]), null);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('refuses a productId with several variants (422) and bad input (400), creating nothing', async () => {
    const n = await orderCount();
    const several = await post(order([{ productId: a.multi, quantity: 1 }]));
    expect(several.statusCode).toBe(422);
    expect(several.json().error.details.fields[0].field).toBe('items.0.productId');
    const bad = await post(order([{ variantId: a.v1, quantity: 0 }]));
    expect(bad.statusCode).toBe(400);
    const badPhone = await post({ ...order([{ variantId: a.v1, quantity: 1 }]), buyer: { ...buyer, phone: '12' } });
    expect(badPhone.statusCode).toBe(400);
    const unknownKel = await post({ ...order([{ variantId: a.v1, quantity: 1 }]), buyer: { ...buyer, kelurahanCode: '35.73.09.9999' } });
    expect(unknownKel.statusCode).toBe(400);
    expect(await orderCount()).toBe(n);
  });

  it('checks delivery and payment against the store', async () => {
    const n = await orderCount();
    const s1 = await stock(a.v1);
    const notHere = await post({ ...order([{ variantId: a.v1, quantity: 1 }]), buyer: { ...buyer, kelurahanCode: OTHER_KEL } });
    expect(notHere.statusCode).toBe(422);
    expect(notHere.json().error.message).toContain('tidak mengantar');
    const cashDelivered = await post(order([{ variantId: a.v1, quantity: 1 }], { paymentMethod: 'cod' }));
    expect(cashDelivered.statusCode).toBe(422);
    const noDelivery = await makeStore('Toko Cici', { offersDelivery: false });
    const notOffered = await post(order([{ variantId: noDelivery.v1, quantity: 1 }]));
    expect(notOffered.statusCode).toBe(422);
    expect(await orderCount()).toBe(n);
    expect(await stock(a.v1)).toBe(s1);
    // Pickup needs no fee and works anywhere; cash at pickup starts in processing.
    const pickup = await post({
      ...order([{ variantId: a.v1, quantity: 1 }], { paymentMethod: 'cod' }),
      delivery: { method: 'pickup' },
      buyer: { ...buyer, kelurahanCode: OTHER_KEL },
    });
    expect(pickup.statusCode, pickup.body).toBe(201);
    expect(pickup.json().orders[0]).toMatchObject({ status: 'diproses', deliveryFee: 0, total: 15_000, expiresAt: null });
    expect(pickup.json().orders[0].pickupPointId).toBeTruthy();
  });

  it('refuses an order above the stock with 409 naming the item, and creates nothing', async () => {
    const n = await orderCount();
    const s1 = await stock(a.v1);
    const s2 = await stock(b.v2);
    const res = await post(
      order([
        { variantId: b.v2, quantity: 1 },
        { variantId: a.v1, quantity: s1 + 1 },
      ]),
    );
    expect(res.statusCode).toBe(409);
    const err = res.json().error;
    expect(err.message).toContain(`Keripik Toko Ayu`);
    expect(err.details.items).toEqual([
      { variantId: a.v1, productName: 'Keripik Toko Ayu', variantName: '', requested: s1 + 1, available: s1 },
    ]);
    expect(await orderCount()).toBe(n);
    expect(await stock(a.v1)).toBe(s1);
    expect(await stock(b.v2)).toBe(s2);
  });

  it('returns the same orders for the same key and creates them once', async () => {
    const key = randomUUID();
    const body = order([{ variantId: b.v3, quantity: 1 }]);
    const s = await stock(b.v3);
    const first = await post(body, key);
    expect(first.statusCode).toBe(201);
    const n = await orderCount();
    const again = await post(body, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await orderCount()).toBe(n);
    expect(await stock(b.v3)).toBe(s - 1);
    const different = await post(order([{ variantId: b.v3, quantity: 2 }]), key);
    expect(different.statusCode).toBe(422);
    // Another client's same key is its own.
    const user = await makeStore('Toko Dedi');
    const other = await post(body, key, user.ownerToken);
    expect(other.statusCode).toBe(201);
    expect(other.json().orders[0].id).not.toBe(first.json().orders[0].id);
  });

  it('double-submitted concurrently with one key creates one checkout', async () => {
    const key = randomUUID();
    const body = order([{ variantId: b.v3, quantity: 1 }]);
    const n = await orderCount();
    const rs = await Promise.all([post(body, key), post(body, key), post(body, key)]);
    expect(rs.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(rs.map((r) => r.json().orders[0].id)).size).toBe(1);
    expect(await orderCount()).toBe(n + 1);
  });

  it('never oversells: N simultaneous checkouts for k units sell exactly k', async () => {
    const k = 5;
    const hot = await makeStore('Toko Laris', { stock: k });
    const N = 14;
    const rs = await Promise.all(Array.from({ length: N }, () => post(order([{ variantId: hot.v1, quantity: 1 }]))));
    const codes = rs.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(k);
    expect(codes.filter((c) => c === 409)).toHaveLength(N - k);
    expect(await stock(hot.v1)).toBe(0);
    const sold = await sql<{
      n: number;
    }>`select coalesce(sum(quantity), 0)::int as n from market_order_items where variant_id = ${hot.v1}`.execute(t.db.db);
    expect(sold.rows[0]?.n).toBe(k);
    const p = await t.db.db.selectFrom('market_products').select('in_stock').where('id', '=', hot.single).executeTakeFirstOrThrow();
    expect(p.in_stock).toBe(false);
  });
});

describe('order transitions', () => {
  async function newOrder(over: Record<string, unknown> = {}, token?: string) {
    const res = await post(order([{ variantId: a.v2, quantity: 2 }], over), randomUUID(), token);
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json().orders[0];
    return { id: o.id as string, tracking: tokenOf(o.trackingUrl), number: o.number as string };
  }

  it('goes transfer → dibayar → diproses → dikirim → selesai by the right parties', async () => {
    const o = await newOrder();
    const sold0 = (await t.db.db.selectFrom('market_products').select('sold_count').where('id', '=', a.multi).executeTakeFirstOrThrow())
      .sold_count;
    // The buyer cannot confirm their own payment; a stranger does not even see the order.
    expect((await transition(o.id, { to: 'dibayar' }, { tracking: o.tracking })).statusCode).toBe(403);
    expect((await transition(o.id, { to: 'dibayar' }, { token: b.ownerToken })).statusCode).toBe(404);
    expect((await transition(o.id, { to: 'dibayar' })).statusCode).toBe(404);
    expect((await transition(o.id, { to: 'dibayar' }, { tracking: 'wrong-token' })).statusCode).toBe(404);
    // A jump the rules forbid.
    expect((await transition(o.id, { to: 'selesai' }, { token: a.ownerToken })).statusCode).toBe(409);
    const paid = await transition(o.id, { to: 'dibayar' }, { token: a.ownerToken });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'dibayar', expiresAt: null });
    expect(paid.json().paidAt).toBeTruthy();
    // After payment the buyer may no longer cancel.
    expect((await transition(o.id, { to: 'dibatalkan' }, { tracking: o.tracking })).statusCode).toBe(403);
    expect((await transition(o.id, { to: 'diproses' }, { token: a.ownerToken })).statusCode).toBe(200);
    expect((await transition(o.id, { to: 'siap_diambil' }, { token: a.ownerToken })).statusCode).toBe(409);
    expect((await transition(o.id, { to: 'dikirim' }, { token: a.ownerToken })).statusCode).toBe(200);
    const done = await transition(o.id, { to: 'selesai' }, { tracking: o.tracking });
    expect(done.statusCode, done.body).toBe(200);
    const sold1 = (await t.db.db.selectFrom('market_products').select('sold_count').where('id', '=', a.multi).executeTakeFirstOrThrow())
      .sold_count;
    expect(sold1).toBe(sold0 + 2);
    const events = await t.db.db
      .selectFrom('market_order_events')
      .select(['to_status', 'actor_kind'])
      .where('order_id', '=', o.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => `${e.to_status}:${e.actor_kind}`)).toEqual([
      'menunggu_pembayaran:buyer',
      'dibayar:seller',
      'diproses:seller',
      'dikirim:seller',
      'selesai:buyer',
    ]);
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('entity_id', '=', o.id).execute();
    expect(audit.map((x) => x.action)).toEqual(
      expect.arrayContaining(['market.order.dibayar', 'market.order.diproses', 'market.order.dikirim', 'market.order.selesai']),
    );
  });

  it('a seller cancels only with a reason, and the stock comes back', async () => {
    const s = await stock(a.v2);
    const o = await newOrder();
    expect(await stock(a.v2)).toBe(s - 2);
    const noReason = await transition(o.id, { to: 'dibatalkan' }, { token: a.ownerToken });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details.fields[0].field).toBe('reason');
    expect(await stock(a.v2)).toBe(s - 2);
    const res = await transition(o.id, { to: 'dibatalkan', reason: 'Stok rusak' }, { token: a.ownerToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'dibatalkan', cancelReason: 'Stok rusak', cancelledBy: 'seller' });
    expect(await stock(a.v2)).toBe(s);
    // Nothing after the end.
    expect((await transition(o.id, { to: 'dibayar' }, { token: a.ownerToken })).statusCode).toBe(409);
    expect(await stock(a.v2)).toBe(s);
  });

  it('the buyer cancels before paying with the tracking token or the account', async () => {
    const s = await stock(a.v2);
    const guest = await newOrder();
    const r1 = await transition(guest.id, { to: 'dibatalkan' }, { tracking: guest.tracking });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().cancelledBy).toBe('buyer');
    const user = await makeStore('Toko Eko');
    const mine = await newOrder({}, user.ownerToken);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${mine.id}`, headers: { authorization: `Bearer ${user.ownerToken}` } }))
        .statusCode,
    ).toBe(200);
    const r2 = await transition(mine.id, { to: 'dibatalkan' }, { token: user.ownerToken });
    expect(r2.statusCode).toBe(200);
    expect(await stock(a.v2)).toBe(s);
  });

  it('a cash-on-delivery order starts in processing and is paid when completed', async () => {
    const o = await newOrder({ delivery: { method: 'cod' }, paymentMethod: 'cod' });
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${o.id}`, headers: { 'x-tracking-token': o.tracking } });
    expect(view.json()).toMatchObject({ status: 'diproses', paidAt: null, expiresAt: null });
    expect((await transition(o.id, { to: 'dikirim' }, { token: a.ownerToken })).statusCode).toBe(200);
    const done = await transition(o.id, { to: 'selesai' }, { token: a.ownerToken });
    expect(done.statusCode).toBe(200);
    expect(done.json().paidAt).toBeTruthy();
  });

  it('shows an order only to its buyer and seller', async () => {
    const o = await newOrder();
    const url = `/api/v1/orders/${o.id}`;
    expect((await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${a.ownerToken}` } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: { 'x-tracking-token': o.tracking } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${b.ownerToken}` } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url, headers: { 'x-tracking-token': 'nope' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/stores/${a.storeId}/orders?status=menunggu_pembayaran`,
      headers: { authorization: `Bearer ${a.ownerToken}` },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.some((x: { id: string }) => x.id === o.id)).toBe(true);
    expect(list.json().items.every((x: { status: string }) => x.status === 'menunggu_pembayaran')).toBe(true);
    const stranger = await t.app.inject({
      method: 'GET',
      url: `/api/v1/stores/${a.storeId}/orders`,
      headers: { authorization: `Bearer ${b.ownerToken}` },
    });
    expect(stranger.statusCode).toBe(404);
  });
});

describe('payment proof through the API', () => {
  function multipart(bytes: Buffer) {
    const boundary = '----nlapi';
    return {
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bukti.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      type: `multipart/form-data; boundary=${boundary}`,
    };
  }
  it('takes an image from the buyer with the token, as WebP; refuses others and non-images', async () => {
    const res = await post(order([{ variantId: b.v3, quantity: 1 }]));
    const o = res.json().orders[0];
    const tracking = tokenOf(o.trackingUrl);
    const jpeg = await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 200, g: 0, b: 0 } } })
      .jpeg()
      .toBuffer();
    const url = `/api/v1/orders/${o.id}/payment-proof`;
    const m = multipart(jpeg);
    const noToken = await t.app.inject({ method: 'POST', url, payload: m.payload, headers: { 'content-type': m.type } });
    expect(noToken.statusCode).toBe(404);
    const text = multipart(Buffer.from('not an image at all'));
    const bad = await t.app.inject({
      method: 'POST',
      url,
      payload: text.payload,
      headers: { 'content-type': text.type, 'x-tracking-token': tracking },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url,
      payload: m.payload,
      headers: { 'content-type': m.type, 'x-tracking-token': tracking },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().hasPaymentProof).toBe(true);
    const key = (await t.db.db.selectFrom('market_orders').select('payment_proof_key').where('id', '=', o.id).executeTakeFirstOrThrow())
      .payment_proof_key;
    expect(key).toMatch(/\.webp$/);
    // Once paid, no more proofs.
    expect((await transition(o.id, { to: 'dibayar' }, { token: b.ownerToken })).statusCode).toBe(200);
    const late = await t.app.inject({
      method: 'POST',
      url,
      payload: m.payload,
      headers: { 'content-type': m.type, 'x-tracking-token': tracking },
    });
    expect(late.statusCode).toBe(409);
  });
});

describe('auto-cancel of unpaid orders', () => {
  it('cancels an unpaid order when its time runs out and returns the stock', async () => {
    const s = await stock(b.v2);
    const res = await post(order([{ variantId: b.v2, quantity: 3 }]));
    const o = res.json().orders[0];
    const paidRes = await post(order([{ variantId: b.v2, quantity: 1 }]));
    const paid = paidRes.json().orders[0];
    expect((await transition(paid.id, { to: 'dibayar' }, { token: b.ownerToken })).statusCode).toBe(200);
    expect(await stock(b.v2)).toBe(s - 4);
    // Nothing is due yet.
    await t.app.jobs.runDue();
    expect((await t.db.db.selectFrom('market_orders').select('status').where('id', '=', o.id).executeTakeFirstOrThrow()).status).toBe(
      'menunggu_pembayaran',
    );
    // Move the clock: the payment time of both has passed (the paid one must stay paid).
    const past = new Date(Date.now() - 60_000);
    await t.db.db.updateTable('market_orders').set({ expires_at: past }).where('id', 'in', [o.id, paid.id]).execute();
    await t.db.db
      .updateTable('jobs')
      .set({ run_at: past })
      .where('unique_key', 'in', [`order-expiry:${o.id}`, `order-expiry:${paid.id}`])
      .execute();
    const results = await t.app.jobs.runDue();
    expect(results.filter((r) => r.type === 'market.orders.expire').every((r) => r.outcome === 'done')).toBe(true);
    const row = await t.db.db
      .selectFrom('market_orders')
      .select(['status', 'cancelled_by', 'cancel_reason'])
      .where('id', '=', o.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'dibatalkan', cancelled_by: 'system', cancel_reason: 'Batas waktu pembayaran habis.' });
    expect((await t.db.db.selectFrom('market_orders').select('status').where('id', '=', paid.id).executeTakeFirstOrThrow()).status).toBe(
      'dibayar',
    );
    expect(await stock(b.v2)).toBe(s - 1);
    const ev = await t.db.db
      .selectFrom('market_order_events')
      .select('actor_kind')
      .where('order_id', '=', o.id)
      .where('to_status', '=', 'dibatalkan')
      .execute();
    expect(ev).toEqual([{ actor_kind: 'system' }]);
  });
});
