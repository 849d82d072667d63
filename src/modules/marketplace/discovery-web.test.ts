import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { hashToken, randomToken } from '../../platform/auth/tokens.js';
import { seedDiscoveryDemo } from './discovery-demo.js';

let t: TestApp;
let passwordHash = '';
const KELURAHAN = '35.73.01.1007';

/** A cookie jar, like a browser. */
class Browser {
  cookies: Record<string, string> = {};
  header() {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
  remember(res: { cookies: { name: string; value: string; maxAge?: number }[] }) {
    for (const c of res.cookies) {
      if (c.value === '' || c.maxAge === 0) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
  }
  async get(url: string) {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.remember(res);
    return res;
  }
  csrf(body: string) {
    const m = body.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error('no CSRF token');
    return m[1] as string;
  }
  async post(pageUrl: string, url: string, form: Record<string, string>) {
    const page = await this.get(pageUrl);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, _csrf: this.csrf(page.body) }).toString(),
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }
  async login(login: string) {
    const res = await this.post('/masuk', '/masuk', { login, password: 'demo12345' });
    expect(res.statusCode, res.body).toBe(303);
    return this;
  }
}

async function person(role: string, organizationId: string | null = null) {
  const email = `${randomUUID()}@test.ngalamlaris.id`;
  const u = await t.db.db
    .insertInto('users')
    .values({ name: `Uji ${role}`, email, password_hash: passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.db.insertInto('role_grants').values({ user_id: u.id, role, organization_id: organizationId }).execute();
  return { id: u.id, email };
}

async function makeStore(name: string, isDemo = false) {
  const db = t.db.db;
  const org = await db.insertInto('organizations').values({ kind: 'umkm', name }).returning('id').executeTakeFirstOrThrow();
  const owner = await person('pelaku_umkm', org.id);
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  const store = await db
    .insertInto('market_stores')
    .values({ organization_id: org.id, organization_kind: 'umkm', slug, name, is_demo: isDemo })
    .returning('id')
    .executeTakeFirstOrThrow();
  const product = await db
    .insertInto('market_products')
    .values({ store_id: store.id, name: `Sambal Bawang ${name}`, slug: `sambal-${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const variant = await db
    .insertInto('market_variants')
    .values({ product_id: product.id, name: '', price: 20_000n, stock: 5 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, storeId: store.id, productId: product.id, variantId: variant.id };
}

async function completedOrder(s: Awaited<ReturnType<typeof makeStore>>, buyerUserId: string | null = null) {
  const token = randomToken();
  const o = await t.db.db
    .insertInto('market_orders')
    .values({
      number: `NL-W-${randomUUID().slice(0, 8)}`,
      checkout_id: randomUUID(),
      store_id: s.storeId,
      buyer_user_id: buyerUserId,
      buyer_name: 'Dewi Lestari',
      buyer_phone: '081298765432',
      buyer_address: 'Jl. Ijen 5',
      buyer_kelurahan_code: KELURAHAN,
      delivery_method: 'pickup',
      payment_method: 'cod',
      delivery_fee: 0n,
      subtotal: 20_000n,
      total: 20_000n,
      status: 'selesai',
      tracking_token_hash: hashToken(token),
      completed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const item = await t.db.db
    .insertInto('market_order_items')
    .values({
      order_id: o.id,
      variant_id: s.variantId,
      product_id: s.productId,
      product_name: 'Sambal Bawang',
      variant_name: '',
      unit_price: 20_000n,
      quantity: 1,
      line_total: 20_000n,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: o.id, token, itemId: item.id };
}

let s: Awaited<ReturnType<typeof makeStore>>;
let dinas: { id: string; email: string };

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  passwordHash = await argon2.hash('demo12345', { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  s = await makeStore('Dapur Sri');
  dinas = await person('dinas');
}, 120_000);
afterAll(async () => t?.close());

describe('Produk Asli Malang pages', () => {
  it('the queue is for dinas only (guests to the login page, others 403)', async () => {
    const guest = await new Browser().get('/dinas/produk-asli');
    expect(guest.statusCode).toBe(302);
    expect(guest.headers.location).toContain('/masuk');
    const seller = await (await new Browser().login(s.owner.email)).get('/dinas/produk-asli');
    expect(seller.statusCode).toBe(403);
  });

  it('seller requests → dinas verifies from the queue → seller downloads labels → dinas revokes → the page says so', async () => {
    const seller = await new Browser().login(s.owner.email);
    const mine = await seller.get('/toko-saya/produk-asli');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Sambal Bawang Dapur Sri');
    const req = await seller.post('/toko-saya/produk-asli', `/toko-saya/produk-asli/${s.productId}/ajukan`, {
      [`note-${s.productId}`]: 'Dibuat di Sukun',
    });
    expect(req.statusCode).toBe(303);

    const d = await new Browser().login(dinas.email);
    const queue = await d.get('/dinas/produk-asli');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('Dibuat di Sukun');
    // A verification without a note is refused with a message.
    const empty = await d.post('/dinas/produk-asli', `/dinas/produk-asli/${s.productId}/verifikasi`, { [`note-${s.productId}`]: '' });
    expect(empty.statusCode).toBe(303);
    expect(
      (
        await t.db.db
          .selectFrom('market_origin_verifications')
          .select('status')
          .where('product_id', '=', s.productId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('requested');
    const ok = await d.post('/dinas/produk-asli', `/dinas/produk-asli/${s.productId}/verifikasi`, {
      [`note-${s.productId}`]: 'Dicek ke dapur',
    });
    expect(ok.statusCode).toBe(303);
    const rec = await t.db.db
      .selectFrom('market_origin_verifications')
      .selectAll()
      .where('product_id', '=', s.productId)
      .executeTakeFirstOrThrow();
    expect(rec.status).toBe('verified');
    const code = rec.code as string;

    const labels = await seller.get(`/toko-saya/produk-asli/${s.productId}/label.pdf`);
    expect(labels.statusCode).toBe(200);
    expect(labels.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect((await seller.get('/toko-saya/produk-asli')).body).toContain(`/toko-saya/produk-asli/${s.productId}/label.pdf`);

    const revoke = await d.post('/dinas/produk-asli', `/dinas/produk-asli/kode/${code}/cabut`, {
      [`reason-${rec.id}`]: 'Diproduksi di luar kota',
    });
    expect(revoke.statusCode).toBe(303);
    const page = await new Browser().get(`/verifikasi/${code}`);
    expect(page.body).toContain('Verifikasi DICABUT');
    expect(page.body).toContain('Diproduksi di luar kota');
  });
});

describe('campaign editor', () => {
  it('shows inline errors, creates, adds a product, publishes', async () => {
    const d = await new Browser().login(dinas.email);
    expect((await d.get('/dinas/kampanye/baru')).statusCode).toBe(200);
    const bad = await d.post('/dinas/kampanye/baru', '/dinas/kampanye/baru', {
      title: 'Bazar Ramadan',
      kind: 'event',
      startsOn: '2026-12-01',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('field-error-message');
    expect(bad.body).toContain('Acara perlu tanggal mulai dan tempat.');
    const ok = await d.post('/dinas/kampanye/baru', '/dinas/kampanye/baru', {
      title: 'Bazar Ramadan',
      kind: 'event',
      startsOn: '2026-12-01',
      endsOn: '2026-12-03',
      place: 'Balai Kota Malang',
    });
    expect(ok.statusCode).toBe(303);
    const editUrl = ok.headers.location as string;
    const search = await d.get(`${editUrl}?q=Sambal`);
    expect(search.body).toContain('Sambal Bawang Dapur Sri');
    const add = await d.post(editUrl, `${editUrl}/produk`, { productId: s.productId });
    expect(add.statusCode).toBe(303);
    expect((await new Browser().get('/kampanye/bazar-ramadan')).statusCode).toBe(404);
    const pub = await d.post(editUrl, editUrl, {
      title: 'Bazar Ramadan',
      kind: 'event',
      startsOn: '2026-12-01',
      endsOn: '2026-12-03',
      place: 'Balai Kota Malang',
      published: 'true',
    });
    expect(pub.statusCode).toBe(303);
    const page = await new Browser().get('/kampanye/bazar-ramadan');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Balai Kota Malang');
    expect(page.body).toContain('Sambal Bawang Dapur Sri');

    // Cover image: a non-image is refused inline; a PNG is stored as WebP and served.
    const upload = async (bytes: Buffer, name: string) => {
      const editPage = await d.get(editUrl);
      const boundary = '----nlcover';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${d.csrf(editPage.body)}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: `${editUrl}/sampul`,
        payload,
        headers: { cookie: d.header(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    };
    const notImage = await upload(Buffer.from('bukan gambar'), 'x.txt');
    expect(notImage.statusCode).toBe(422);
    expect(notImage.body).toContain('Berkas harus gambar JPG, PNG atau WebP.');
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#0b5d3b' } })
      .png()
      .toBuffer();
    const ok2 = await upload(png, 'sampul.png');
    expect(ok2.statusCode).toBe(303);
    const withCover = await new Browser().get('/kampanye/bazar-ramadan');
    expect(withCover.body).toContain('/kampanye/bazar-ramadan/sampul.webp');
    const img = await new Browser().get('/kampanye/bazar-ramadan/sampul.webp');
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/webp');
  });
});

describe('reviews on the order page', () => {
  it('the buyer reviews from the private page; the seller replies; dinas hides', async () => {
    const o = await completedOrder(s);
    const buyer = new Browser();
    const page = await buyer.get(`/pesanan/${o.token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`name="rating-${o.itemId}"`);
    const bad = await buyer.post(`/pesanan/${o.token}`, `/pesanan/${o.token}/ulasan`, {
      orderItemId: o.itemId,
      [`rating-${o.itemId}`]: '9',
      [`comment-${o.itemId}`]: 'Pedas <b>sekali</b>',
    });
    // Shown inline on the order page, with what was typed (escaped), and nothing saved.
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Nilai harus 1 sampai 5.');
    expect(bad.body).toContain(`href="#field-rating-${o.itemId}"`);
    expect(bad.body).toContain('field field-invalid');
    expect(bad.body).toContain('>Pedas &lt;b>sekali&lt;/b></textarea>');
    expect(bad.body).not.toContain('<b>sekali');
    expect(await t.db.db.selectFrom('market_reviews').select('id').where('order_id', '=', o.id).execute()).toHaveLength(0);
    const ok = await buyer.post(`/pesanan/${o.token}`, `/pesanan/${o.token}/ulasan`, {
      orderItemId: o.itemId,
      [`rating-${o.itemId}`]: '5',
      [`comment-${o.itemId}`]: 'Pedasnya mantap',
    });
    expect(ok.statusCode).toBe(303);
    expect((await buyer.get(`/pesanan/${o.token}`)).body).toContain('Ulasan Anda: 5/5');

    const review = await t.db.db.selectFrom('market_reviews').select('id').where('order_id', '=', o.id).executeTakeFirstOrThrow();
    const seller = await new Browser().login(s.owner.email);
    expect((await seller.get('/toko-saya/ulasan')).body).toContain('Pedasnya mantap');
    const reply = await seller.post('/toko-saya/ulasan', `/toko-saya/ulasan/${review.id}/balas`, {
      [`reply-${review.id}`]: 'Matur nuwun!',
    });
    expect(reply.statusCode).toBe(303);
    const d = await new Browser().login(dinas.email);
    expect((await d.get('/dinas/ulasan')).body).toContain('Matur nuwun!');
    const hide = await d.post('/dinas/ulasan', `/dinas/ulasan/${review.id}/sembunyikan`, { [`reason-${review.id}`]: 'Uji moderasi' });
    expect(hide.statusCode).toBe(303);
    const row = await t.db.db
      .selectFrom('market_reviews')
      .select(['hidden', 'hidden_reason'])
      .where('id', '=', review.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ hidden: true, hidden_reason: 'Uji moderasi' });
  });
});

describe('reviews by the logged-in buyer', () => {
  it('shows the form on /pesanan-saya/<id> and saves the review; another user gets 404', async () => {
    const buyer = await person('warga');
    const o = await completedOrder(s, buyer.id);
    const b = await new Browser().login(buyer.email);
    const page = await b.get(`/pesanan-saya/${o.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`name="rating-${o.itemId}"`);
    const other = await new Browser().login((await person('warga')).email);
    const stranger = await other.post('/pesanan-saya', `/pesanan-saya/${o.id}/ulasan`, {
      orderItemId: o.itemId,
      [`rating-${o.itemId}`]: '1',
    });
    expect(stranger.statusCode).toBe(404);
    const ok = await b.post(`/pesanan-saya/${o.id}`, `/pesanan-saya/${o.id}/ulasan`, {
      orderItemId: o.itemId,
      [`rating-${o.itemId}`]: '3',
      [`comment-${o.itemId}`]: 'Lumayan',
    });
    expect(ok.statusCode).toBe(303);
    const r = await t.db.db
      .selectFrom('market_reviews')
      .select(['rating', 'buyer_user_id'])
      .where('order_id', '=', o.id)
      .executeTakeFirstOrThrow();
    expect(r).toEqual({ rating: 3, buyer_user_id: buyer.id });
    expect((await b.get(`/pesanan-saya/${o.id}`)).body).toContain('Ulasan Anda: 3/5');
  });
});

describe('demo data', () => {
  it('is idempotent and works with and without demo products', async () => {
    const db = t.db.db;
    const first = await seedDiscoveryDemo(db);
    expect(first.campaigns).toBe(2);
    const demo = await makeStore('Toko Demo Kripik', true);
    await seedDiscoveryDemo(db);
    const again = await seedDiscoveryDemo(db);
    expect(again.campaigns).toBe(2);
    const v = await db.selectFrom('market_origin_verifications').select(['status']).where('product_id', '=', demo.productId).execute();
    expect(v).toEqual([{ status: 'verified' }]);
    const home = await new Browser().get('/');
    expect(home.body).toContain('Jumat Beli Lokal');
    const jumat = await new Browser().get('/kampanye/jumat-beli-lokal');
    expect(jumat.statusCode).toBe(200);
    const bazar = (await t.app.inject({ method: 'GET', url: '/api/v1/campaigns/bazar-umkm-alun-alun-merdeka' })).json();
    expect(bazar).toMatchObject({ kind: 'event', place: 'Alun-alun Merdeka, Kota Malang', published: true });
  });
});
