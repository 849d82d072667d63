import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { hashToken, randomToken } from '../../platform/auth/tokens.js';
import { translator } from '../../platform/i18n/index.js';
import { newOriginCode, normaliseCode, publicName } from './discovery-service.js';
import { asliMalangBadge, productReviewsSection } from './discovery-views.js';

let t: TestApp;
const KELURAHAN = '35.73.01.1007';

/** The public product page of a product (its HTML). */
async function productPage(productId: string): Promise<string> {
  const r = await t.db.db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.slug', 's.slug as store_slug'])
    .where('p.id', '=', productId)
    .executeTakeFirstOrThrow();
  const res = await t.app.inject({ method: 'GET', url: `/produk/${r.store_slug}/${r.slug}` });
  expect(res.statusCode).toBe(200);
  return res.body;
}

async function user(role: string, organizationId: string | null = null) {
  const db = t.db.db;
  const u = await db
    .insertInto('users')
    .values({ name: `Uji ${role}`, email: `${randomUUID()}@test.ngalamlaris.id`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('role_grants').values({ user_id: u.id, role, organization_id: organizationId }).execute();
  return { id: u.id, token: (await createSession(db, u.id, 'api')).token };
}

/** A verified UMKM (with a halal document) and its owner, an open store and one product. */
async function makeStore(name: string) {
  const db = t.db.db;
  const org = await db.insertInto('organizations').values({ kind: 'umkm', name }).returning('id').executeTakeFirstOrThrow();
  const person = await db
    .insertInto('persons')
    .values({ name: `Pemilik ${name}`, nik: `3573${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('umkm')
    .values({
      id: org.id,
      name,
      owner_id: person.id,
      phone: '081234567890',
      kelurahan_code: KELURAHAN,
      kecamatan_code: '35.73.01',
      capital: 10_000_000n,
      size_class: 'mikro',
      status: 'verified',
    })
    .execute();
  await db
    .insertInto('umkm_documents')
    .values({ umkm_id: org.id, kind: 'halal', number: 'ID35110000123', expires_on: '2030-01-31' })
    .execute();
  const owner = await user('pelaku_umkm', org.id);
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  const store = await db
    .insertInto('market_stores')
    .values({ organization_id: org.id, organization_kind: 'umkm', slug, name, kelurahan_code: KELURAHAN, kecamatan_code: '35.73.01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const product = await db
    .insertInto('market_products')
    .values({ store_id: store.id, name: `Keripik Tempe ${name}`, slug: `keripik-${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const variant = await db
    .insertInto('market_variants')
    .values({ product_id: product.id, name: '', price: 15_000n, stock: 10 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { orgId: org.id, owner, storeId: store.id, productId: product.id, variantId: variant.id, slug };
}

/** An order of the store's product in the given status, with its private tracking token. */
async function makeOrder(s: Awaited<ReturnType<typeof makeStore>>, status: 'selesai' | 'dikirim', buyerUserId: string | null = null) {
  const db = t.db.db;
  const token = randomToken();
  const o = await db
    .insertInto('market_orders')
    .values({
      number: `NL-T-${randomUUID().slice(0, 8)}`,
      checkout_id: randomUUID(),
      store_id: s.storeId,
      buyer_user_id: buyerUserId,
      buyer_name: 'Rina Pembeli Setia',
      buyer_phone: '081298765432',
      buyer_address: 'Jl. Kawi 10',
      buyer_kelurahan_code: KELURAHAN,
      delivery_method: 'pickup',
      payment_method: 'cod',
      delivery_fee: 0n,
      subtotal: 15_000n,
      total: 15_000n,
      status,
      tracking_token_hash: hashToken(token),
      completed_at: status === 'selesai' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('market_order_items')
    .values({
      order_id: o.id,
      variant_id: s.variantId,
      product_id: s.productId,
      product_name: 'Keripik',
      variant_name: '',
      unit_price: 15_000n,
      quantity: 1,
      line_total: 15_000n,
    })
    .execute();
  return { id: o.id, token };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

let a: Awaited<ReturnType<typeof makeStore>>;
let b: Awaited<ReturnType<typeof makeStore>>;
let dinas: { id: string; token: string };
let warga: { id: string; token: string };

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  a = await makeStore('Toko Ayu');
  b = await makeStore('Toko Budi');
  dinas = await user('dinas');
  warga = await user('warga');
}, 120_000);
afterAll(async () => t?.close());

describe('label codes', () => {
  it('are 10 symbols of Crockford base32 and survive typing mistakes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const c = newOriginCode();
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(normaliseCode(c.toLowerCase())).toBe(c);
      seen.add(c);
    }
    expect(seen.size).toBe(500);
    expect(normaliseCode('abcd-efgh-jk')).toBe('ABCDEFGHJK');
    expect(normaliseCode('O1IL000000')).toBe('0111000000');
    expect(normaliseCode('short')).toBeNull();
    expect(normaliseCode('UUUUUUUUUU')).toBeNull();
  });
  it('reviewer names are shortened', () => {
    expect(publicName('Rina Pembeli Setia')).toBe('Rina S.');
    expect(publicName('  Budi ')).toBe('Budi');
  });
});

describe('Produk Asli Malang', () => {
  let code = '';

  it('only dinas verifies: anonymous 401, a seller or warga 403, unknown product 404', async () => {
    const url = `/api/v1/products/${a.productId}/origin-verification`;
    const anon = await t.app.inject({ method: 'POST', url, payload: { note: 'Dibuat di Blimbing' } });
    expect(anon.statusCode).toBe(401);
    const seller = await t.app.inject({ method: 'POST', url, payload: { note: 'Dibuat di Blimbing' }, headers: auth(a.owner.token) });
    expect(seller.statusCode).toBe(403);
    expect(seller.json().error.code).toBe('forbidden');
    const w = await t.app.inject({ method: 'POST', url, payload: { note: 'Dibuat di Blimbing' }, headers: auth(warga.token) });
    expect(w.statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${randomUUID()}/origin-verification`,
      payload: { note: 'x y z' },
      headers: auth(dinas.token),
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('the seller requests, another seller cannot (404), dinas verifies with a note and the code is unguessable', async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-requests`,
      payload: { note: 'produksi sendiri' },
      headers: auth(b.owner.token),
    });
    expect(other.statusCode).toBe(404);
    const req = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-requests`,
      payload: { note: 'Produksi di rumah, Blimbing' },
      headers: auth(a.owner.token),
    });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json()).toMatchObject({ status: 'requested', code: null });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-requests`,
      payload: {},
      headers: auth(a.owner.token),
    });
    expect(again.statusCode).toBe(409);

    const noNote = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-verification`,
      payload: { note: '' },
      headers: auth(dinas.token),
    });
    expect(noNote.statusCode).toBe(422);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-verification`,
      payload: { note: 'Dicek ke lokasi produksi' },
      headers: auth(dinas.token),
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'verified', note: 'Dicek ke lokasi produksi', id: req.json().id });
    code = body.code;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-verification`,
      payload: { note: 'lagi' },
      headers: auth(dinas.token),
    });
    expect(twice.statusCode).toBe(409);
    const audit = await t.db.db.selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_id', '=', body.id).execute();
    expect(audit.map((r) => r.action).sort()).toEqual(['market.origin.request', 'market.origin.verify']);
    expect(audit.find((r) => r.action === 'market.origin.verify')?.actor_user_id).toBe(dinas.id);
  });

  it('GET /api/v1/verify/{code} gives the record (product, maker, kelurahan, permits); unknown codes 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/verify/${code.toLowerCase()}` });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      code,
      status: 'verified',
      revokedAt: null,
      store: { name: 'Toko Ayu' },
      maker: { name: 'Toko Ayu', kind: 'umkm' },
    });
    expect(r.maker.kelurahan).toBeTruthy();
    expect(r.permits).toEqual([{ kind: 'halal', number: 'ID35110000123', issuedOn: null, expiresOn: '2030-01-31' }]);
    expect(r.url).toMatch(new RegExp(`/verifikasi/${code}$`));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/verify/ZZZZZZZZZZ' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/verify/abc' })).statusCode).toBe(404);
  });

  it('the public page shows the verification; the badge links to it', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/verifikasi/${code}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Produk Asli Malang — terverifikasi');
    expect(page.body).toContain('Keripik Tempe Toko Ayu');
    expect(page.body).toContain('ID35110000123');
    expect(page.body).not.toContain('origin-revoked');
    const badge = await asliMalangBadge(t.db.db, a.productId, translator('id'));
    expect(badge).toContain(`href="/verifikasi/${code}"`);
    // The product page reads the code with the product (one query) and shows the same badge.
    expect(await productPage(a.productId)).toContain(badge);
    expect(await asliMalangBadge(t.db.db, b.productId, translator('id'))).toBe('');
    const unknown = await t.app.inject({ method: 'GET', url: '/verifikasi/ZZZZZZZZZZ' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Kode tidak dikenal');
  });

  it('the label sheet is a PDF with the code, for the owner or dinas only', async () => {
    const url = `/api/v1/products/${a.productId}/origin-labels.pdf`;
    const res = await t.app.inject({ method: 'GET', url, headers: auth(a.owner.token) });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const text = pdf.toString('latin1');
    expect(text).toContain(code);
    // 24 labels: one QR image object drawn on each, and the code set as text on each.
    expect(text.match(/\/I1 Do/g)?.length).toBe(24);
    expect(text.match(/\/I2 Do/g)).toBeNull();
    expect(text.split(`<${Buffer.from(code).toString('hex')}>`).length - 1).toBe(24);
    expect((await t.app.inject({ method: 'GET', url, headers: auth(dinas.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: auth(b.owner.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const unverified = await t.app.inject({
      method: 'GET',
      url: `/api/v1/products/${b.productId}/origin-labels.pdf`,
      headers: auth(b.owner.token),
    });
    expect(unverified.statusCode).toBe(409);
  });

  it('dinas revokes with a reason; the public page then says revoked, in red, with the date', async () => {
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api/v1/verify/${code}/revoke`,
      payload: { reason: '' },
      headers: auth(dinas.token),
    });
    expect(noReason.statusCode).toBe(422);
    const seller = await t.app.inject({
      method: 'POST',
      url: `/api/v1/verify/${code}/revoke`,
      payload: { reason: 'ternyata dibuat di luar kota' },
      headers: auth(a.owner.token),
    });
    expect(seller.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/verify/${code}/revoke`,
      payload: { reason: 'Produksi pindah ke luar kota' },
      headers: auth(dinas.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'revoked', revokeReason: 'Produksi pindah ke luar kota' });
    const api = (await t.app.inject({ method: 'GET', url: `/api/v1/verify/${code}` })).json();
    expect(api.status).toBe('revoked');
    expect(api.revokedAt).toBeTruthy();
    const page = await t.app.inject({ method: 'GET', url: `/verifikasi/${code}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('class="flash flash-error origin-revoked"');
    expect(page.body).toContain('Verifikasi DICABUT');
    expect(page.body).toContain('Produksi pindah ke luar kota');
    expect(page.body).not.toContain('Produk Asli Malang — terverifikasi');
    expect(await asliMalangBadge(t.db.db, a.productId, translator('id'))).toBe('');
    expect(await productPage(a.productId)).not.toContain('origin-badge');
    const labels = await t.app.inject({
      method: 'GET',
      url: `/api/v1/products/${a.productId}/origin-labels.pdf`,
      headers: auth(a.owner.token),
    });
    expect(labels.statusCode).toBe(409);
    const audit = await t.db.db.selectFrom('audit_log').select('after').where('action', '=', 'market.origin.revoke').execute();
    expect(audit).toHaveLength(1);
    // A new verification after a revocation gets a new code.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${a.productId}/origin-verification`,
      payload: { note: 'Produksi kembali ke Malang' },
      headers: auth(dinas.token),
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().code).not.toBe(code);
  });

  it('dinas rejects a pending request with a reason', async () => {
    const req = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${b.productId}/origin-requests`,
      payload: {},
      headers: auth(b.owner.token),
    });
    expect(req.statusCode).toBe(201);
    const rej = await t.app.inject({
      method: 'POST',
      url: `/api/v1/origin-requests/${req.json().id}/reject`,
      payload: { reason: 'Bahan baku dan produksi dari luar kota' },
      headers: auth(dinas.token),
    });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'rejected', code: null });
  });
});

describe('campaigns', () => {
  let draftId = '';
  it('only dinas creates; validation is 422 with fields', async () => {
    const body = { title: 'Jumat Beli Lokal Uji', kind: 'collection', productIds: [a.productId, b.productId] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', payload: body })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', payload: body, headers: auth(a.owner.token) })).statusCode).toBe(
      403,
    );
    const badEvent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { title: 'Bazar tanpa tempat', kind: 'event', startsOn: '2026-12-01' },
      headers: auth(dinas.token),
    });
    expect(badEvent.statusCode).toBe(422);
    expect(badEvent.json().error.details.fields[0].field).toBe('place');
    const badRange = await t.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { title: 'Rentang salah', kind: 'collection', startsOn: '2026-12-05', endsOn: '2026-12-01' },
      headers: auth(dinas.token),
    });
    expect(badRange.statusCode).toBe(422);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', payload: body, headers: auth(dinas.token) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ slug: 'jumat-beli-lokal-uji', published: false });
    expect(res.json().products.map((p: { id: string }) => p.id)).toEqual([a.productId, b.productId]);
    draftId = res.json().id;
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', payload: body, headers: auth(dinas.token) });
    expect(dup.statusCode).toBe(409);
  });

  it('unpublished campaigns are hidden from the public (list, API, page and home), shown once published', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/campaigns' })).json();
    expect(list.items.map((c: { id: string }) => c.id)).not.toContain(draftId);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/campaigns/jumat-beli-lokal-uji' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/kampanye/jumat-beli-lokal-uji' })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/campaigns/jumat-beli-lokal-uji', headers: auth(dinas.token) })).statusCode,
    ).toBe(200);
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/campaigns?all=true', headers: auth(dinas.token) })).json();
    expect(all.items.map((c: { id: string }) => c.id)).toContain(draftId);
    expect((await t.app.inject({ method: 'GET', url: '/' })).body).not.toContain('jumat-beli-lokal-uji');

    const pub = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/campaigns/${draftId}`,
      payload: { published: true, description: 'Setiap Jumat ASN belanja produk lokal.' },
      headers: auth(dinas.token),
    });
    expect(pub.statusCode, pub.body).toBe(200);
    const list2 = (await t.app.inject({ method: 'GET', url: '/api/v1/campaigns' })).json();
    expect(list2.items.map((c: { id: string }) => c.id)).toContain(draftId);
    const page = await t.app.inject({ method: 'GET', url: '/kampanye/jumat-beli-lokal-uji' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Keripik Tempe Toko Ayu');
    expect(page.body).toContain('Setiap Jumat ASN belanja produk lokal.');
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('href="/kampanye/jumat-beli-lokal-uji"');
  });

  it('a campaign that has ended leaves the public list; a warga cannot PATCH (403)', async () => {
    const ended = await t.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { title: 'Bazar lama', kind: 'event', startsOn: '2020-01-01', endsOn: '2020-01-02', place: 'Alun-alun', published: true },
      headers: auth(dinas.token),
    });
    expect(ended.statusCode).toBe(201);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/campaigns' })).json();
    expect(list.items.map((c: { id: string }) => c.id)).not.toContain(ended.json().id);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/campaigns/${draftId}`,
      payload: { published: false },
      headers: auth(warga.token),
    });
    expect(patch.statusCode).toBe(403);
  });
});

describe('reviews', () => {
  it('only after selesai, once per item, rating 1–5 (422), by token or the logged-in buyer', async () => {
    const open = await makeOrder(a, 'dikirim');
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${open.id}/reviews`,
      payload: { productId: a.productId, rating: 5, comment: 'Enak' },
      headers: { 'x-tracking-token': open.token },
    });
    expect(early.statusCode).toBe(409);

    const done = await makeOrder(a, 'selesai');
    for (const rating of [0, 6]) {
      const bad = await t.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${done.id}/reviews`,
        payload: { productId: a.productId, rating, comment: 'x' },
        headers: { 'x-tracking-token': done.token },
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.details.fields[0].field).toBe('rating');
    }
    const stranger = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${done.id}/reviews`,
      payload: { productId: a.productId, rating: 4 },
      headers: auth(warga.token),
    });
    expect(stranger.statusCode).toBe(404);
    const wrongToken = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${done.id}/reviews`,
      payload: { productId: a.productId, rating: 4 },
      headers: { 'x-tracking-token': open.token },
    });
    expect(wrongToken.statusCode).toBe(404);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${done.id}/reviews`,
      payload: { productId: a.productId, rating: 4, comment: 'Renyah, bumbunya pas' },
      headers: { 'x-tracking-token': done.token },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ rating: 4, reviewerName: 'Rina S.', reply: null });
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${done.id}/reviews`,
      payload: { productId: a.productId, rating: 5 },
      headers: { 'x-tracking-token': done.token },
    });
    expect(twice.statusCode).toBe(409);

    // The logged-in buyer of another completed order.
    const buyer = await user('warga');
    const mine = await makeOrder(a, 'selesai', buyer.id);
    const byUser = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${mine.id}/reviews`,
      payload: { variantId: a.variantId, rating: 2, comment: 'Kurang asin' },
      headers: auth(buyer.token),
    });
    expect(byUser.statusCode, byUser.body).toBe(201);

    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${a.productId}/reviews` })).json();
    expect(list.count).toBe(2);
    expect(list.average).toBe(3);
    expect(list.items).toHaveLength(2);
  });

  it('the seller replies once, only the store owner (other seller 404); dinas hides and it leaves public lists', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${a.productId}/reviews` })).json();
    const low = list.items.find((r: { rating: number }) => r.rating === 2);
    const high = list.items.find((r: { rating: number }) => r.rating === 4);
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${high.id}/reply`,
      payload: { reply: 'Terima kasih!' },
      headers: auth(b.owner.token),
    });
    expect(other.statusCode).toBe(404);
    const dinasReply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${high.id}/reply`,
      payload: { reply: 'Halo' },
      headers: auth(dinas.token),
    });
    expect(dinasReply.statusCode).toBe(404);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${high.id}/reply`,
      payload: { reply: 'Terima kasih, Bu!' },
      headers: auth(a.owner.token),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().reply).toBe('Terima kasih, Bu!');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${high.id}/reply`,
      payload: { reply: 'Lagi' },
      headers: auth(a.owner.token),
    });
    expect(again.statusCode).toBe(409);

    const hideBySeller = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${low.id}/hide`,
      payload: { reason: 'tidak suka' },
      headers: auth(a.owner.token),
    });
    expect(hideBySeller.statusCode).toBe(403);
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${low.id}/hide`,
      payload: { reason: '' },
      headers: auth(dinas.token),
    });
    expect(noReason.statusCode).toBe(422);
    const hide = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${low.id}/hide`,
      payload: { reason: 'Kata-kata kasar' },
      headers: auth(dinas.token),
    });
    expect(hide.statusCode, hide.body).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${a.productId}/reviews` })).json();
    expect(after.count).toBe(1);
    expect(after.average).toBe(4);
    expect(after.items.map((r: { id: string }) => r.id)).toEqual([high.id]);
    const product = await t.db.db
      .selectFrom('market_products')
      .select(['rating_count', 'rating_avg'])
      .where('id', '=', a.productId)
      .executeTakeFirstOrThrow();
    expect(product.rating_count).toBe(1);
    expect(Number(product.rating_avg)).toBe(4);
    const section = await productReviewsSection(t.db.db, a.productId, translator('id'));
    expect(section).toContain('Renyah, bumbunya pas');
    expect(section).toContain('Terima kasih, Bu!');
    expect(section).not.toContain('Kurang asin');
    expect(section).toContain('4,0 dari 5 (1 ulasan)');
    // The product page reads its rating and reviews with the product (one query): the same section.
    expect(await productPage(a.productId)).toContain(section);
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('entity_id', '=', low.id).execute();
    expect(audit.map((r) => r.action)).toContain('market.review.hide');
  });
});
