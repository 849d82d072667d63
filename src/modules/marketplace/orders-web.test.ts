import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
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
  /** Opens `pageUrl`, takes its CSRF token and posts the form to `url`. */
  async post(pageUrl: string, url: string, form: Record<string, string>) {
    const page = await this.get(pageUrl);
    return this.postWith(this.csrf(page.body), url, form);
  }
  async postWith(csrf: string, url: string, form: Record<string, string>) {
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
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

async function makeSeller(name: string) {
  const db = t.db.db;
  const org = await db.insertInto('organizations').values({ kind: 'umkm', name }).returning('id').executeTakeFirstOrThrow();
  const email = `${randomUUID()}@test.ngalamlaris.id`;
  // The password hash of 'demo12345' is taken from a demo account.
  const demo = await db
    .selectFrom('users')
    .select('password_hash')
    .where('email', '=', 'umkm@demo.ngalamlaris.id')
    .executeTakeFirstOrThrow();
  const owner = await db
    .insertInto('users')
    .values({ name: `Pemilik ${name}`, email, password_hash: demo.password_hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('role_grants').values({ user_id: owner.id, role: 'pelaku_umkm', organization_id: org.id }).execute();
  const store = await db
    .insertInto('market_stores')
    .values({
      organization_id: org.id,
      organization_kind: 'umkm',
      slug: `toko-${randomUUID().slice(0, 8)}`,
      name,
      whatsapp: '081233334444',
      offers_pickup: true,
      offers_delivery: true,
      bank_name: 'BNI',
      bank_account_number: '9876543210',
      bank_account_name: name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('market_store_delivery_fees').values({ store_id: store.id, kecamatan_code: '35.73.01', fee: 8_000n }).execute();
  const product = await db
    .insertInto('market_products')
    .values({ store_id: store.id, name: `Keripik <b>${name}</b>`, slug: `keripik-${randomUUID().slice(0, 8)}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const variant = await db
    .insertInto('market_variants')
    .values({ product_id: product.id, name: '', price: 12_500n, stock: 4 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { email, storeId: store.id, productId: product.id, variantId: variant.id };
}

let s1: Awaited<ReturnType<typeof makeSeller>>;
let s2: Awaited<ReturnType<typeof makeSeller>>;

beforeAll(async () => {
  t = await createTestApp();
  s1 = await makeSeller('Toko Satu');
  s2 = await makeSeller('Toko Dua');
}, 120_000);
afterAll(async () => t?.close());

function checkoutForm(csrfPage: string, storeIds: string[], over: Record<string, string> = {}) {
  const key = csrfPage.match(/name="idempotencyKey" value="([^"]+)"/)?.[1] as string;
  const form: Record<string, string> = {
    idempotencyKey: key,
    name: 'Siti Pembeli',
    phone: '081311112222',
    address: 'Jl. Ijen 5, Malang',
    kelurahanCode: KELURAHAN,
  };
  for (const id of storeIds) {
    form[`delivery_${id}`] = 'seller_delivery';
    form[`payment_${id}`] = 'transfer';
  }
  return { ...form, ...over };
}

describe('cart and checkout for a guest', () => {
  it('keeps the cart across requests, checks out once per store, and a double submit creates one checkout', async () => {
    const guest = new Browser();
    const empty = await guest.get('/keranjang');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Keranjang masih kosong');
    const csrf = guest.csrf(empty.body);
    const res = await guest.postWith(csrf, '/keranjang/tambah', { variantId: s1.variantId, quantity: '2' });
    expect(res.statusCode).toBe(303);
    expect(guest.cookies.nl_cart).toBeTruthy();
    await guest.postWith(csrf, '/keranjang/tambah', { variantId: s2.variantId, quantity: '1' });
    const cart = await guest.get('/keranjang');
    expect(cart.body).toContain('Toko Satu');
    expect(cart.body).toContain('Toko Dua');
    expect(cart.body).toContain('Rp25.000');
    // User text is escaped.
    expect(cart.body).toContain('Keripik &lt;b');
    expect(cart.body).not.toContain('<b>Toko Satu</b>');
    // Too many → warning on the cart, and checkout is refused.
    await guest.postWith(csrf, '/keranjang/ubah', { variantId: s1.variantId, quantity: '9' });
    const warned = await guest.get('/keranjang');
    expect(warned.body).toContain('Stok tinggal 4');
    expect((await guest.get('/checkout')).statusCode).toBe(303);
    await guest.postWith(csrf, '/keranjang/ubah', { variantId: s1.variantId, quantity: '2' });

    const form = await guest.get('/checkout');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="idempotencyKey"');
    expect(form.body).toContain('<optgroup');
    // Missing fields → inline errors, nothing created.
    const bad = await guest.postWith(
      guest.csrf(form.body),
      '/checkout',
      checkoutForm(form.body, [s1.storeId, s2.storeId], { phone: 'abc', name: '' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('field-error-message');
    const fields = checkoutForm(form.body, [s1.storeId, s2.storeId]);
    const done = await guest.postWith(guest.csrf(form.body), '/checkout', fields);
    expect(done.statusCode, done.body).toBe(201);
    const links = [...done.body.matchAll(/href="(\/pesanan\/[A-Za-z0-9_-]+)"/g)].map((m) => m[1] as string);
    expect(new Set(links).size).toBe(2);
    const orders = await t.db.db
      .selectFrom('market_orders')
      .select(['id', 'number', 'total', 'store_id'])
      .where('buyer_name', '=', 'Siti Pembeli')
      .execute();
    expect(orders).toHaveLength(2);
    expect(orders.find((o) => o.store_id === s1.storeId)?.total).toBe(33_000n);
    // The double click: same form posted again → the same result, no new orders.
    const again = await guest.postWith(guest.csrf(form.body), '/checkout', fields);
    expect(again.statusCode).toBe(201);
    expect([...again.body.matchAll(/href="(\/pesanan\/[A-Za-z0-9_-]+)"/g)].map((m) => m[1])).toEqual(links);
    expect(await t.db.db.selectFrom('market_orders').select('id').where('buyer_name', '=', 'Siti Pembeli').execute()).toHaveLength(2);
    // The cart is empty now.
    expect((await guest.get('/keranjang')).body).toContain('Keranjang masih kosong');

    // The private tracking page works without an account; a wrong token is 404.
    const track = await new Browser().get(links[0] as string);
    expect(track.statusCode).toBe(200);
    expect(track.body).toMatch(/Pesanan NL-\d{6}-\d{6}/);
    expect(track.body).toContain('Menunggu pembayaran');
    expect(track.body).toContain('https://wa.me/6281233334444?text=');
    expect(track.body).toMatch(/9876543210/);
    expect((await new Browser().get('/pesanan/salah-token')).statusCode).toBe(404);
    // In English too.
    const en = await new Browser().get(`${links[0]}?lang=en`);
    expect(en.body).toContain('Awaiting payment');
    expect(en.body).toContain('Status history');
  });

  it('uploads a payment proof seen only by the buyer (token) and the seller', async () => {
    const guest = new Browser();
    const page = await guest.get('/keranjang');
    await guest.postWith(guest.csrf(page.body), '/keranjang/tambah', { variantId: s1.variantId, quantity: '1' });
    const form = await guest.get('/checkout');
    const done = await guest.postWith(guest.csrf(form.body), '/checkout', checkoutForm(form.body, [s1.storeId]));
    expect(done.statusCode, done.body).toBe(201);
    const link = done.body.match(/href="(\/pesanan\/[A-Za-z0-9_-]+)"/)?.[1] as string;
    const trackPage = await guest.get(link);
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 10, g: 120, b: 60 } } })
      .png()
      .toBuffer();
    const boundary = '----nltest';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${guest.csrf(trackPage.body)}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bukti.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `${link}/bukti`,
      payload: body,
      headers: { cookie: guest.header(), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(up.statusCode, up.body).toBe(303);
    const proof = await guest.get(`${link}/bukti`);
    expect(proof.statusCode).toBe(200);
    expect(proof.headers['content-type']).toBe('image/webp');
    const order = await t.db.db
      .selectFrom('market_orders')
      .select(['id', 'payment_proof_key'])
      .where('payment_proof_key', 'is not', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const seller = await new Browser().login(s1.email);
    const seen = await seller.get(`/toko-saya/${s1.storeId}/pesanan/${order.id}/bukti`);
    expect(seen.statusCode).toBe(200);
    const other = await new Browser().login(s2.email);
    expect((await other.get(`/toko-saya/${s1.storeId}/pesanan/${order.id}/bukti`)).statusCode).toBe(404);
    expect((await other.get(`/toko-saya/${s2.storeId}/pesanan/${order.id}/bukti`)).statusCode).toBe(404);

    // The seller confirms the payment from the order page; the buyer's page shows it.
    const detail = await seller.get(`/toko-saya/${s1.storeId}/pesanan/${order.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Konfirmasi pembayaran');
    expect(detail.body).toContain('https://wa.me/6281311112222?text=');
    const noReason = await seller.postWith(seller.csrf(detail.body), `/toko-saya/${s1.storeId}/pesanan/${order.id}/status`, {
      to: 'dibatalkan',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Tuliskan alasan pembatalan');
    const confirm = await seller.postWith(seller.csrf(detail.body), `/toko-saya/${s1.storeId}/pesanan/${order.id}/status`, {
      to: 'dibayar',
    });
    expect(confirm.statusCode).toBe(303);
    expect((await guest.get(link)).body).toContain('Dibayar');
  });
});

describe('cart of a logged-in buyer', () => {
  it('moves the guest cart into the account on login and follows the account to another device', async () => {
    const phone = new Browser();
    const page = await phone.get('/keranjang');
    await phone.postWith(phone.csrf(page.body), '/keranjang/tambah', { variantId: s2.variantId, quantity: '1' });
    // Bad input changes nothing.
    const bad = await phone.postWith(phone.csrf(page.body), '/keranjang/tambah', { variantId: 'not-a-uuid', quantity: '1' });
    expect(bad.statusCode).toBe(303);
    await phone.login('warga@demo.ngalamlaris.id');
    const mine = await phone.get('/keranjang');
    expect(mine.body).toContain('Toko Dua');
    expect(phone.cookies.nl_cart).toBeUndefined();
    const laptop = await new Browser().login('warga@demo.ngalamlaris.id');
    const there = await laptop.get('/keranjang');
    expect(there.body).toContain('Toko Dua');
    expect(there.body).toContain('Rp12.500');
    expect((await new Browser().get('/keranjang')).body).toContain('Keranjang masih kosong');

    // The account's orders: listed, opened and cancelled without the tracking link.
    const form = await laptop.get('/checkout');
    const done = await laptop.postWith(laptop.csrf(form.body), '/checkout', checkoutForm(form.body, [s2.storeId]));
    expect(done.statusCode, done.body).toBe(201);
    const list = await laptop.get('/pesanan-saya');
    expect(list.statusCode).toBe(200);
    const href = list.body.match(/href="(\/pesanan-saya\/[0-9a-f-]{36})"/)?.[1] as string;
    expect(href).toBeTruthy();
    const detail = await laptop.get(href);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Batalkan pesanan');
    const stranger = await new Browser().login('anggota@demo.ngalamlaris.id');
    expect((await stranger.get(href)).statusCode).toBe(404);
    expect(
      (await stranger.postWith(stranger.csrf((await stranger.get('/pesanan-saya')).body), `${href}/status`, { to: 'dibatalkan' }))
        .statusCode,
    ).toBe(404);
    const cancel = await laptop.postWith(laptop.csrf(detail.body), `${href}/status`, { to: 'dibatalkan' });
    expect(cancel.statusCode).toBe(303);
    expect((await laptop.get(href)).body).toContain('Dibatalkan');
  });
});

describe('seller pages', () => {
  it('lists orders to act on, shows the dashboard with a chart, exports CSV; other sellers get 404', async () => {
    const seller = await new Browser().login(s1.email);
    const chooser = await seller.get('/toko-saya/pesanan');
    expect(chooser.statusCode).toBe(302);
    expect(chooser.headers.location).toBe(`/toko-saya/${s1.storeId}/pesanan`);
    const list = await seller.get(`/toko-saya/${s1.storeId}/pesanan`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatch(/NL-\d{6}-\d{6}/);
    const filtered = await seller.get(`/toko-saya/${s1.storeId}/pesanan?status=selesai`);
    expect(filtered.body).toContain('Belum ada pesanan');

    const dash = await seller.get(`/toko-saya/${s1.storeId}/dasbor`);
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('<svg class="sales-chart"');
    expect(dash.body).toContain('<title id="chart-title">');
    expect(dash.body).toContain('<desc id="chart-desc">');
    expect(dash.body).toContain('Stok menipis');
    expect(dash.body).toContain('Produk terlaris bulan ini');

    const csv = await seller.get(`/toko-saya/${s1.storeId}/pesanan.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('number,created_at,status');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(csv.body).toContain('Siti Pembeli');

    const other = await new Browser().login(s2.email);
    expect((await other.get(`/toko-saya/${s1.storeId}/pesanan`)).statusCode).toBe(404);
    expect((await other.get(`/toko-saya/${s1.storeId}/dasbor`)).statusCode).toBe(404);
    expect((await other.get(`/toko-saya/${s1.storeId}/pesanan.csv`)).statusCode).toBe(404);
    expect((await new Browser().get(`/toko-saya/${s1.storeId}/pesanan`)).statusCode).toBe(302);
  });
});
