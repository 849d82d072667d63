import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import type { Role } from '../../platform/context.js';
import { makeUser } from '../registry/test-support.js';
import { legalityBadges } from './badges.js';
import { freeSlug, renderDescription, slugify } from './catalogue-service.js';

let t: TestApp;

async function seller(roles: { role: Role; organizationId: string }[]) {
  const id = await makeUser(t.db.db, roles, 'Penjual Uji');
  const api = await createSession(t.db.db, id, 'api');
  const web = await createSession(t.db.db, id, 'web');
  return { id, auth: { authorization: `Bearer ${api.token}` }, cookie: `nl_session=${web.token}` };
}

/** A demo UMKM of the given status that has no store yet. */
async function demoUmkm(status: 'verified' | 'submitted', skip: string[] = []) {
  let q = t.db.db
    .selectFrom('umkm')
    .select(['id', 'name'])
    .where('status', '=', status)
    .where('id', 'not in', t.db.db.selectFrom('market_stores').select('organization_id'))
    .orderBy('name');
  if (skip.length) q = q.where('id', 'not in', skip);
  return q.executeTakeFirstOrThrow();
}

function multipart(file: { name: string; content: Buffer }, fields: Record<string, string> = {}) {
  const boundary = '----nlcatalogue0123456789';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
  );
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A real 1600×1000 JPEG with EXIF metadata. */
async function photo() {
  return sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'Rahasia GPS' } } })
    .toBuffer();
}

const filesRoot = () => path.join(t.config.dataDir, 'files');

let a: Awaited<ReturnType<typeof seller>>;
let b: Awaited<ReturnType<typeof seller>>;
let orgA: { id: string; name: string };
let orgB: { id: string; name: string };
let storeA: string;
let storeB: string;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await demoUmkm('verified');
  orgB = await demoUmkm('verified', [orgA.id]);
  a = await seller([{ role: 'pelaku_umkm', organizationId: orgA.id }]);
  b = await seller([{ role: 'pelaku_umkm', organizationId: orgB.id }]);
});
afterAll(async () => {
  await t?.close();
});

describe('stores', () => {
  it('opens a store only for a verified organisation the caller runs', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/stores', payload: { organizationId: orgA.id } });
    expect(anon.statusCode).toBe(401);
    const stranger = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: b.auth, payload: { organizationId: orgA.id } });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('not_found');

    const res = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: a.auth, payload: { organizationId: orgA.id } });
    expect(res.statusCode, res.body).toBe(201);
    expect(Object.keys(res.json()).sort()).toEqual(['id', 'slug']);
    expect(res.json().slug).toMatch(/^[a-z0-9-]+$/);
    storeA = res.json().id;
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: a.auth, payload: { organizationId: orgA.id } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.storeId).toBe(storeA);

    const rb = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: b.auth, payload: { organizationId: orgB.id } });
    expect(rb.statusCode).toBe(201);
    storeB = rb.json().id;
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('entity_id', '=', storeA).execute();
    expect(audit.map((x) => x.action)).toContain('market.store.create');
  });

  it('refuses an unverified organisation with 422 and creates nothing', async () => {
    const org = await demoUmkm('submitted');
    const s = await seller([{ role: 'pelaku_umkm', organizationId: org.id }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/stores', headers: s.auth, payload: { organizationId: org.id } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('rule_violated');
    const n = await t.db.db.selectFrom('market_stores').select('id').where('organization_id', '=', org.id).execute();
    expect(n).toHaveLength(0);
  });

  it('lists the caller’s stores and hides them from other sellers', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/stores?mine=true', headers: a.auth });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((s: { id: string }) => s.id)).toEqual([storeA]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}`, headers: a.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}`, headers: b.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}/products`, headers: b.auth })).statusCode).toBe(404);
  });

  it('edits settings: fees per kecamatan, pickup points, bank account, status', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/stores/${storeA}`,
      headers: a.auth,
      payload: {
        story: 'Sejak 2010.',
        whatsapp: '081234567890',
        kelurahanCode: '35.73.01.1007',
        offersDelivery: true,
        offersCod: true,
        deliveryFees: [
          { kecamatanCode: '35.73.01', fee: 5000 },
          { kecamatanCode: '35.73.02', fee: 12000 },
        ],
        pickupPoints: [{ kind: 'pasar', label: 'Lapak Pasar Besar B-12', address: 'Jl. Pasar Besar' }],
        bankName: 'BRI',
        bankAccountNumber: '0123456789',
        bankAccountName: 'Pemilik Uji',
        status: 'closed',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.deliveryFees).toEqual([
      { kecamatanCode: '35.73.01', fee: 5000 },
      { kecamatanCode: '35.73.02', fee: 12000 },
    ]);
    expect(s.pickupPoints.map((p: { label: string }) => p.label)).toEqual(['Lapak Pasar Besar B-12']);
    expect(s.kecamatanCode).toBe('35.73.01');
    expect(s.status).toBe('closed');
    expect(s.bankAccountNumber).toBe('0123456789');

    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/stores/${storeA}`,
      headers: a.auth,
      payload: { kelurahanCode: '99.99.99.9999', bankName: null, status: 'open' },
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.details.fields.map((d: { field: string }) => d.field);
    expect(fields).toContain('kelurahanCode');
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}`, headers: a.auth });
    expect(after.json().status).toBe('closed'); // nothing half-written
    const other = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeA}`, headers: b.auth, payload: { status: 'open' } });
    expect(other.statusCode).toBe(404);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeA}`, headers: a.auth, payload: { status: 'open' } });
  });

  it('re-encodes a logo to WebP', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/stores/${storeA}/logo`,
      ...withAuth(multipart({ name: 'logo.jpg', content: await photo() }), a.auth),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().hasLogo).toBe(true);
    const img = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}/logo`, headers: a.auth });
    expect(img.headers['content-type']).toBe('image/webp');
    const meta = await sharp(img.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 400, 400]);
    const notImage = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/stores/${storeA}/banner`,
      ...withAuth(multipart({ name: 'x.jpg', content: Buffer.from('<script>alert(1)</script>') }), a.auth),
    });
    expect(notImage.statusCode).toBe(400);
  });
});

function withAuth(m: { payload: Buffer; headers: Record<string, string> }, auth: Record<string, string>) {
  return { payload: m.payload, headers: { ...m.headers, ...auth } };
}

describe('products', () => {
  let single: string;
  let multi: string;

  it('creates a single-variant product (active) and a draft with variants; slugs unique per store', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stores/${storeA}/products`,
      headers: a.auth,
      payload: {
        name: 'Keripik Tempe Uji',
        description: 'Renyah',
        categoryId: 'kuliner-camilan',
        price: 15000,
        stock: 20,
        weightGrams: 250,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect([p.status, p.price, p.stock, p.inStock, p.slug, p.variants.length]).toEqual(['active', 15000, 20, true, 'keripik-tempe-uji', 1]);
    single = p.id;

    const res2 = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stores/${storeA}/products`,
      headers: a.auth,
      payload: {
        name: 'Keripik Tempe Uji',
        status: 'draft',
        variants: [
          { name: '100 g', price: 15000, stock: 5 },
          { name: '250 g', price: 32000, stock: 0 },
        ],
      },
    });
    expect(res2.statusCode, res2.body).toBe(201);
    const m = res2.json();
    expect([m.status, m.slug, m.price, m.stock]).toEqual(['draft', 'keripik-tempe-uji-2', 15000, 5]);
    multi = m.id;

    const both = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stores/${storeA}/products`,
      headers: a.auth,
      payload: { name: 'Salah', price: 1000, stock: 1, variants: [{ name: 'A', price: 1, stock: 1 }] },
    });
    expect(both.statusCode).toBe(400);
    const noPrice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stores/${storeA}/products`,
      headers: a.auth,
      payload: { name: 'Tanpa harga' },
    });
    expect(noPrice.statusCode).toBe(400);
    expect(noPrice.json().error.details.fields.map((d: { field: string }) => d.field)).toEqual(['price', 'stock']);
    const badCat = await t.app.inject({
      method: 'POST',
      url: `/api/v1/stores/${storeA}/products`,
      headers: a.auth,
      payload: { name: 'Kategori salah', price: 1000, stock: 1, categoryId: 'tidak-ada' },
    });
    expect(badCat.statusCode).toBe(400);
  });

  it('edits variants: change, add, deactivate; archives; keeps one active variant', async () => {
    const got = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}/products?status=draft`, headers: a.auth });
    expect(got.json().items.map((x: { id: string }) => x.id)).toEqual([multi]);
    const p0 = (await t.db.db
      .selectFrom('market_variants')
      .select(['id', 'name'])
      .where('product_id', '=', multi)
      .orderBy('position')
      .execute()) as {
      id: string;
      name: string;
    }[];
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${multi}`,
      headers: a.auth,
      payload: {
        status: 'active',
        variants: [
          { id: p0[0]?.id, price: 14000, stock: 7 },
          { id: p0[1]?.id, active: false },
          { name: '500 g', price: 60000, stock: 3 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.status).toBe('active');
    expect(
      p.variants.map((v: { name: string; price: number; stock: number; active: boolean }) => [v.name, v.price, v.stock, v.active]),
    ).toEqual([
      ['100 g', 14000, 7, true],
      ['250 g', 32000, 0, false],
      ['500 g', 60000, 3, true],
    ]);
    expect(p.price).toBe(14000);

    const allOff = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${multi}`,
      headers: a.auth,
      payload: { variants: p.variants.map((v: { id: string }) => ({ id: v.id, active: false })) },
    });
    expect(allOff.statusCode).toBe(400);
    const still = await t.db.db.selectFrom('market_variants').select('active').where('product_id', '=', multi).execute();
    expect(still.filter((v) => v.active)).toHaveLength(2); // rolled back

    const price = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${single}`,
      headers: a.auth,
      payload: { price: 16000, stock: 2 },
    });
    expect([price.json().price, price.json().stock]).toEqual([16000, 2]);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeA}/products?status=active`, headers: a.auth });
    const row = list.json().items.find((x: { id: string }) => x.id === single);
    expect(row.lowStock).toBe(true);

    const arch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${single}`,
      headers: a.auth,
      payload: { status: 'archived' },
    });
    expect(arch.json().status).toBe('archived');
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('entity_id', '=', single).execute();
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['market.product.create', 'market.product.update']));
  });

  it('another seller gets 404 on read and write', async () => {
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/v1/products/${multi}`, headers: b.auth, payload: { name: 'Dicuri' } })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/stores/${storeA}/products`,
          headers: b.auth,
          payload: { name: 'Titipan', price: 1, stock: 1 },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/products/${multi}/photos`,
          ...withAuth(multipart({ name: 'a.jpg', content: await photo() }), b.auth),
        })
      ).statusCode,
    ).toBe(404);
    const name = await t.db.db.selectFrom('market_products').select('name').where('id', '=', multi).executeTakeFirstOrThrow();
    expect(name.name).toBe('Keripik Tempe Uji');
    // b's own store is untouched by a's product
    const bl = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${storeB}/products`, headers: b.auth });
    expect(bl.json().total).toBe(0);
  });

  it('escapes HTML in descriptions and marks links nofollow', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${multi}`,
      headers: a.auth,
      payload: { description: '**Renyah** <script>alert(1)</script> [x](javascript:alert(1)) https://ngalamlaris.id' },
    });
    const h = res.json().descriptionHtml as string;
    expect(h).not.toContain('<script');
    expect(h).toContain('&lt;script&gt;');
    expect(h).toContain('<strong>Renyah</strong>');
    expect(h).not.toMatch(/href="javascript/i);
    expect(h).toContain('<a href="https://ngalamlaris.id" rel="nofollow ugc noopener">');
    expect(renderDescription('<img src=x onerror=alert(1)>')).not.toContain('<img');
  });

  it('stores up to 5 photos as WebP 200/600/1200 without metadata; reorders and deletes', async () => {
    const jpeg = await photo();
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${multi}/photos`,
      ...withAuth(multipart({ name: 'foto.jpg', content: jpeg }), a.auth),
    });
    expect(up.statusCode, up.body).toBe(201);
    const ph = up.json().photos[0];
    const row = await t.db.db.selectFrom('market_product_photos').selectAll().where('id', '=', ph.id).executeTakeFirstOrThrow();
    for (const [key, width] of [
      [row.small_key, 200],
      [row.medium_key, 600],
      [row.large_key, 1200],
    ] as const) {
      const bytes = await fs.readFile(path.join(filesRoot(), ...key.split('/')));
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.exif]).toEqual(['webp', width, undefined]);
    }
    const served = await t.app.inject({ method: 'GET', url: ph.medium, headers: a.auth });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['cache-control']).toContain('max-age=31536000');
    expect((await t.app.inject({ method: 'GET', url: ph.medium.replace(storeA, storeB), headers: b.auth })).statusCode).toBe(404);

    for (let i = 0; i < 4; i++)
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/products/${multi}/photos`,
            ...withAuth(multipart({ name: 'f.jpg', content: jpeg }), a.auth),
          })
        ).statusCode,
      ).toBe(201);
    const sixth = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${multi}/photos`,
      ...withAuth(multipart({ name: 'f.jpg', content: jpeg }), a.auth),
    });
    expect(sixth.statusCode).toBe(409);

    const ids = (await t.app.inject({ method: 'PATCH', url: `/api/v1/products/${multi}`, headers: a.auth, payload: {} }))
      .json()
      .photos.map((p: { id: string }) => p.id) as string[];
    expect(ids).toHaveLength(5);
    const reversed = [...ids].reverse();
    const re = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/products/${multi}/photos/order`,
      headers: a.auth,
      payload: { photoIds: reversed },
    });
    expect(re.json().photos.map((p: { id: string }) => p.id)).toEqual(reversed);

    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/products/${multi}/photos/${ph.id}`, headers: a.auth });
    expect(del.json().photos).toHaveLength(4);
    await expect(fs.access(path.join(filesRoot(), ...row.large_key.split('/')))).rejects.toThrow();
  });
});

describe('seller pages', () => {
  async function page(url: string, cookie: string) {
    return t.app.inject({ method: 'GET', url, headers: { cookie } });
  }
  async function post(pageUrl: string, url: string, cookie: string, form: Record<string, string>) {
    const g = await page(pageUrl, cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(g.body)?.[1] as string;
    const jar = [cookie, ...g.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
    return t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
      headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  it('shows my stores, the product list and creates a product with inline errors', async () => {
    const home = await page('/toko-saya', a.cookie);
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(`/toko-saya/${storeA}/produk`);
    const bad = await post(`/toko-saya/${storeA}/produk/baru`, `/toko-saya/${storeA}/produk/baru`, a.cookie, {
      name: 'Sambal Uji',
      v0_price: 'mahal',
      v0_stock: '3',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('field-error-message');
    expect(bad.body).toContain('value="Sambal Uji"');
    const ok = await post(`/toko-saya/${storeA}/produk/baru`, `/toko-saya/${storeA}/produk/baru`, a.cookie, {
      name: 'Sambal Uji',
      description: 'Pedas',
      v0_name: 'Botol kecil',
      v0_price: '20.000',
      v0_stock: '4',
      v1_name: 'Botol besar',
      v1_price: '35000',
      v1_stock: '9',
      status: 'active',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const list = await page(`/toko-saya/${storeA}/produk`, a.cookie);
    expect(list.body).toContain('Sambal Uji');
    const created = await t.db.db
      .selectFrom('market_products')
      .select('id')
      .where('store_id', '=', storeA)
      .where('name', '=', 'Sambal Uji')
      .executeTakeFirstOrThrow();
    const v = await t.db.db
      .selectFrom('market_variants')
      .select(['name', 'price'])
      .where('product_id', '=', created.id)
      .orderBy('position')
      .execute();
    expect(v.map((x) => [x.name, Number(x.price)])).toEqual([
      ['Botol kecil', 20000],
      ['Botol besar', 35000],
    ]);
    expect((await page(`/toko-saya/${storeA}/produk/${created.id}`, b.cookie)).statusCode).toBe(404);
    expect((await page(`/toko-saya/${storeA}/pengaturan`, b.cookie)).statusCode).toBe(404);
    expect((await page(`/toko-saya/${storeA}/pengaturan`, a.cookie)).statusCode).toBe(200);

    // A photo through the web form (multipart with the CSRF token), shown on the edit page.
    const edit = await page(`/toko-saya/${storeA}/produk/${created.id}`, a.cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(edit.body)?.[1] as string;
    const jar = [a.cookie, ...edit.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
    const m = multipart({ name: 'sambal.jpg', content: await photo() }, { _csrf: csrf });
    const up = await t.app.inject({
      method: 'POST',
      url: `/toko-saya/${storeA}/produk/${created.id}/foto`,
      payload: m.payload,
      headers: { ...m.headers, cookie: jar },
    });
    expect(up.statusCode, up.body).toBe(303);
    const after = await page(`/toko-saya/${storeA}/produk/${created.id}`, a.cookie);
    const src = /src="(\/toko-saya\/[^"]+\/foto\/[^"]+\/small)"/.exec(after.body)?.[1] as string;
    const img = await page(src, a.cookie);
    expect([img.statusCode, img.headers['content-type']]).toEqual([200, 'image/webp']);
    expect((await page(src, b.cookie)).statusCode).toBe(404);
  });

  it('saves settings from the form and reports a bad fee inline', async () => {
    const url = `/toko-saya/${storeA}/pengaturan`;
    const g = await page(url, a.cookie);
    const form: Record<string, string> = {};
    for (const m of g.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      if (m[1] !== '_csrf') form[m[1] as string] = m[2] as string;
    const bad = await post(url, url, a.cookie, { ...form, name: 'Toko Uji Baru', offersPickup: 'true', 'fee_35.73.03': 'gratis' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('field-error-message');
    const ok = await post(url, url, a.cookie, {
      ...form,
      name: 'Toko Uji Baru',
      offersPickup: 'true',
      offersDelivery: 'true',
      'fee_35.73.03': '7.500',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const fee = await t.db.db
      .selectFrom('market_store_delivery_fees')
      .select('fee')
      .where('store_id', '=', storeA)
      .where('kecamatan_code', '=', '35.73.03')
      .executeTakeFirstOrThrow();
    expect(Number(fee.fee)).toBe(7500);
    const s = await t.db.db.selectFrom('market_stores').select('name').where('id', '=', storeA).executeTakeFirstOrThrow();
    expect(s.name).toBe('Toko Uji Baru');
  });

  it('"Buka toko" opens a store for a verified business without one', async () => {
    const org = await demoUmkm('verified', [orgA.id, orgB.id]);
    const s = await seller([{ role: 'pelaku_umkm', organizationId: org.id }]);
    const home = await page('/toko-saya', s.cookie);
    expect(home.body).toContain(`value="${org.id}"`);
    const res = await post('/toko-saya', '/toko-saya/buka', s.cookie, { organizationId: org.id });
    expect(res.statusCode).toBe(303);
    const store = await t.db.db.selectFrom('market_stores').select('id').where('organization_id', '=', org.id).executeTakeFirstOrThrow();
    expect(res.headers.location).toBe(`/toko-saya/${store.id}/pengaturan`);
  });
});

describe('demo and badges', () => {
  it('the demo UMKM owner has an open store with products, variants and photos', async () => {
    const token = await apiLogin(t.app, 'umkm@demo.ngalamlaris.id');
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/stores?mine=true', headers: { authorization: `Bearer ${token}` } });
    const [store] = mine.json().items;
    expect(store.name).toBe('Keripik Tempe Bu Sri Sanan');
    expect(store.status).toBe('open');
    const products = await t.app.inject({
      method: 'GET',
      url: `/api/v1/stores/${store.id}/products`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(products.json().counts.active).toBeGreaterThanOrEqual(8);
    expect(products.json().items.some((p: { variantCount: number }) => p.variantCount > 1)).toBe(true);
    const photos = await t.db.db
      .selectFrom('market_product_photos as ph')
      .innerJoin('market_products as p', 'p.id', 'ph.product_id')
      .select('ph.large_key')
      .where('p.store_id', '=', store.id)
      .execute();
    expect(photos.length).toBeGreaterThanOrEqual(8);
    const meta = await sharp(await fs.readFile(path.join(filesRoot(), ...String(photos[0]?.large_key).split('/')))).metadata();
    expect(meta.format).toBe('webp');
    const stores = await t.db.db.selectFrom('market_stores').select('id').where('is_demo', '=', true).execute();
    expect(stores.length).toBeGreaterThanOrEqual(25);
  });

  it('legality badges come from valid registry documents only', async () => {
    const db = t.db.db;
    await db
      .insertInto('umkm_documents')
      .values([
        { umkm_id: orgB.id, kind: 'halal', number: 'ID35110000000001', expires_on: '2099-01-01' },
        { umkm_id: orgB.id, kind: 'spp_irt', number: '1234567890123', expires_on: '2001-01-01' },
        { umkm_id: orgB.id, kind: 'bpom_md', number: 'MD 123', expires_on: null },
      ])
      .execute();
    const m = await legalityBadges(db, [orgB.id, orgA.id]);
    expect(m.get(orgB.id)).toEqual(['halal', 'bpom_md']);
    expect(m.has(orgA.id)).toBe(true);
    expect((await legalityBadges(db, [])).size).toBe(0);
  });

  it('slugs', () => {
    expect(slugify('Keripik Tempe "Bu Sri" — Sanan!')).toBe('keripik-tempe-bu-sri-sanan');
    expect(slugify('???')).toBe('produk');
    expect(freeSlug('a', new Set(['a', 'a-2']))).toBe('a-3');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.array(fc.string({ maxLength: 70 }), { maxLength: 20 }), (name, others) => {
        const s = slugify(name);
        const taken = new Set(others.map(slugify));
        const free = freeSlug(s, taken);
        return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s) && s.length <= 60 && !taken.has(free) && free.startsWith(s);
      }),
    );
  });
});
