import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { jsonLdText } from './seo-head.js';
import { robotsTxt, SITEMAP_MAX, sitemapIndex, urlset } from './seo-sitemap.js';

let t: TestApp;
const XSS = '<script>alert(1)</script>"\'&';

async function store(name: string, extra: Record<string, unknown> = {}) {
  const db = t.db.db;
  const org = await db.insertInto('organizations').values({ kind: 'umkm', name }).returning('id').executeTakeFirstOrThrow();
  const slug = `toko-${randomUUID().slice(0, 8)}`;
  const s = await db
    .insertInto('market_stores')
    .values({
      organization_id: org.id,
      organization_kind: 'umkm',
      slug,
      name,
      kelurahan_code: '35.73.01.1007',
      whatsapp: '081234567890',
      story: 'Usaha keluarga sejak 1998.',
      opening_hours: 'Senin–Sabtu 08.00–17.00',
      offers_delivery: true,
      offers_cod: true,
      ...extra,
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('market_pickup_points')
    .values({ store_id: s.id, kind: 'pasar', label: 'Pasar Oro-oro Dowo', address: 'Lapak 12' })
    .execute();
  await db.insertInto('market_store_delivery_fees').values({ store_id: s.id, kecamatan_code: '35.73.01', fee: 8_000n }).execute();
  return s;
}

async function product(storeId: string, name: string, variants: [string, number, number][], extra: Record<string, unknown> = {}) {
  const db = t.db.db;
  const p = await db
    .insertInto('market_products')
    .values({
      store_id: storeId,
      name,
      slug: `p-${randomUUID().slice(0, 8)}`,
      category_id: 'kuliner-camilan',
      description: 'Renyah.\n\nTanpa pengawet.',
      ...extra,
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
  for (const [i, [vn, price, stock]] of variants.entries()) {
    await db
      .insertInto('market_variants')
      .values({ product_id: p.id, name: vn, price: BigInt(price), stock, position: i })
      .execute();
  }
  return p;
}

let s1: { id: string; slug: string };
let sClosed: { id: string; slug: string };
let p1: { id: string; slug: string };
let pXss: { id: string; slug: string };
let pDraft: { id: string; slug: string };
let pClosed: { id: string; slug: string };
let v1: string;

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  s1 = await store('Keripik Bu Sri');
  sClosed = await store('Toko Tutup');
  p1 = await product(s1.id, 'Keripik Tempe Bu Sri', [
    ['Original', 12_000, 10],
    ['Pedas', 14_000, 0],
  ]);
  v1 = (
    await t.db.db
      .selectFrom('market_variants')
      .select('id')
      .where('product_id', '=', p1.id)
      .where('name', '=', 'Original')
      .executeTakeFirstOrThrow()
  ).id;
  pXss = await product(s1.id, `Keripik ${XSS}`, [['', 9_000, 3]], { description: `Deskripsi ${XSS}` });
  pDraft = await product(s1.id, 'Keripik Draft', [['', 9_000, 3]], { status: 'draft' });
  pClosed = await product(sClosed.id, 'Keripik Toko Tutup', [['', 9_000, 3]]);
  await t.db.db.updateTable('market_stores').set({ status: 'closed' }).where('id', '=', sClosed.id).execute();
}, 120_000);
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

/** The HTML with quoted attribute values blanked (inside them `<` is inert; `"` is escaped). */
const outsideAttributes = (html: string) => html.replace(/="[^"]*"/g, '=""');

function jsonLdBlocks(html: string) {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1] as string));
}

describe('/produk search page', () => {
  it('renders results, filters with counts, sort, the combobox and SEO tags', async () => {
    const res = await get('/produk?q=keripik');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Keripik Tempe Bu Sri');
    expect(res.body).toContain('role="combobox"');
    expect(res.body).toContain('aria-controls="market-saran"');
    expect(res.body).toContain('hx-get="/produk/saran"');
    expect(res.body).toMatch(/Kuliner<\/span> <span class="facet-count">\(2\)/);
    expect(res.body).toContain('name="sort"');
    expect(res.body).toContain('<link rel="canonical" href="http://localhost');
    expect(res.body).toContain('<meta name="robots" content="noindex, follow"');
    expect(res.body).not.toContain('Keripik Draft');
    expect(res.body).not.toContain('Keripik Toko Tutup');
  });

  it('shows an empty state when nothing matches', async () => {
    const res = await get('/produk?q=zzzzqqqq');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('class="empty-state"');
    expect(res.body).toContain('Belum ada produk yang cocok');
  });

  it('escapes product names (no XSS) in cards and suggestions', async () => {
    const res = await get('/produk?q=keripik');
    expect(outsideAttributes(res.body)).not.toContain('<script>alert(1)');
    expect(res.body).toContain('Keripik &lt;script>alert(1)&lt;/script>&#34;&#39;&amp;');
    const sug = await get('/produk/saran?q=kerip');
    expect(sug.statusCode).toBe(200);
    expect(sug.body).toContain('role="option"');
    expect(sug.body).not.toContain('<script>');
  });

  it('serves category pages (404 for an unknown category)', async () => {
    const res = await get('/kategori/kuliner');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Kuliner</h1>');
    expect(res.body).toContain('href="/kategori/kuliner-camilan"');
    expect(res.body).toContain('"@type":"BreadcrumbList"');
    expect((await get('/kategori/tidak-ada')).statusCode).toBe(404);
  });
});

describe('product page', () => {
  it('shows price, variants, stock, store, add-to-cart form, WhatsApp link, OpenGraph and Product JSON-LD', async () => {
    const res = await get(`/produk/${s1.slug}/${p1.slug}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<title>Keripik Tempe Bu Sri · Ngalam Laris</title>');
    expect(html).toContain('mulai Rp12.000');
    expect(html).toContain('action="/keranjang/tambah"');
    expect(html).toContain(`value="${v1}"`);
    expect(html).toMatch(/<option value="[^"]+" disabled>Pedas/);
    expect(html).toContain('https://wa.me/6281234567890?text=');
    expect(html).toContain(`href="/toko/${s1.slug}"`);
    expect(html).toContain('<meta property="og:type" content="product"');
    expect(html).toContain(`<link rel="canonical" href="http://localhost:`);
    const blocks = jsonLdBlocks(html);
    const prod = blocks.flat().find((b) => b['@type'] === 'Product');
    expect(prod).toMatchObject({
      name: 'Keripik Tempe Bu Sri',
      offers: {
        '@type': 'AggregateOffer',
        lowPrice: '12000',
        highPrice: '14000',
        priceCurrency: 'IDR',
        availability: 'https://schema.org/InStock',
      },
    });
  });

  it('adds to the cart through the orders module', async () => {
    const page = await get(`/produk/${s1.slug}/${p1.slug}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const cookies = Object.fromEntries(page.cookies.map((c) => [c.name, c.value]));
    const res = await t.app.inject({
      method: 'POST',
      url: '/keranjang/tambah',
      cookies,
      payload: { _csrf: csrf, variantId: v1, quantity: '2', next: `/produk/${s1.slug}/${p1.slug}` },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/keranjang');
  });

  it('escapes hostile names in HTML and keeps JSON-LD valid and inert', async () => {
    const res = await get(`/produk/${s1.slug}/${pXss.slug}`);
    expect(res.statusCode).toBe(200);
    expect(outsideAttributes(res.body)).not.toContain('<script>alert(1)');
    expect(res.body).toContain('<h1>Keripik &lt;script>alert(1)&lt;/script>');
    const blocks = jsonLdBlocks(res.body);
    const prod = blocks.flat().find((b) => b['@type'] === 'Product');
    expect(prod.name).toBe(`Keripik ${XSS}`);
    expect(prod.offers).toMatchObject({ '@type': 'Offer', price: '9000', priceCurrency: 'IDR' });
    expect(jsonLdText({ a: '</script><script>x</script>' })).not.toContain('<');
  });

  it('is 404 for draft products, products of closed stores and unknown slugs', async () => {
    expect((await get(`/produk/${s1.slug}/${pDraft.slug}`)).statusCode).toBe(404);
    expect((await get(`/produk/${sClosed.slug}/${pClosed.slug}`)).statusCode).toBe(404);
    expect((await get(`/produk/${s1.slug}/tidak-ada`)).statusCode).toBe(404);
  });
});

describe('store page', () => {
  it('shows story, hours, pickup points, delivery options and products; closed store is 404', async () => {
    const res = await get(`/toko/${s1.slug}`);
    expect(res.statusCode).toBe(200);
    for (const s of [
      'Keripik Bu Sri',
      'Usaha keluarga sejak 1998.',
      'Senin–Sabtu 08.00–17.00',
      'Pasar Oro-oro Dowo',
      'Lapak pasar',
      'Rp8.000',
      'Keripik Tempe Bu Sri',
    ]) {
      expect(res.body).toContain(s);
    }
    expect(jsonLdBlocks(res.body)[0]).toMatchObject({ '@type': 'Store', name: 'Keripik Bu Sri' });
    expect((await get(`/toko/${sClosed.slug}`)).statusCode).toBe(404);
  });
});

describe('sitemap.xml and robots.txt', () => {
  it('lists categories, open stores and visible products only', async () => {
    const res = await get('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/xml');
    expect(res.body).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(res.body).toContain('/kategori/kuliner</loc>');
    expect(res.body).toContain(`/toko/${s1.slug}</loc>`);
    expect(res.body).toContain(`/produk/${s1.slug}/${p1.slug}</loc>`);
    expect(res.body).not.toContain(pDraft.slug);
    expect(res.body).not.toContain(sClosed.slug);
  });

  it('builds a sitemap index past the limit, and escapes XML', () => {
    expect(SITEMAP_MAX).toBeLessThanOrEqual(50_000);
    const idx = sitemapIndex('https://x.id', ['/sitemap-produk-1.xml']);
    expect(idx).toContain('<sitemapindex');
    expect(idx).toContain('<loc>https://x.id/sitemap-produk-1.xml</loc>');
    expect(urlset('https://x.id', [{ loc: '/a?b=1&c=<2>' }])).toContain('<loc>https://x.id/a?b=1&amp;c=&lt;2&gt;</loc>');
  });

  it('serves robots.txt keeping private marketplace pages out and pointing at the sitemap', async () => {
    const res = await get('/robots.txt');
    expect(res.statusCode).toBe(200);
    const lines = res.body.split('\n');
    for (const p of ['/toko-saya', '/keranjang', '/checkout', '/pesanan', '/api/', '/admin']) expect(lines).toContain(`Disallow: ${p}`);
    expect(lines.some((l) => /^Sitemap: https?:\/\/.+\/sitemap\.xml$/.test(l))).toBe(true);
    expect(robotsTxt('https://x.id')).toContain('Sitemap: https://x.id/sitemap.xml');
  });
});
