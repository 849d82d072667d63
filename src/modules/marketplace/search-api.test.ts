import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { startSearchIndex, stopSearchIndex } from './search-index.js';

let t: TestApp;
const KEL_A = '35.73.01.1007'; // kecamatan 35.73.01
const KEL_B = '35.73.05.1001'; // kecamatan 35.73.05

type Kind = 'umkm' | 'koperasi';

/** An organisation with an open store (optionally a registry UMKM row, so halal documents can exist). */
async function makeStore(name: string, opts: { kind?: Kind; kelurahan?: string; registry?: boolean } = {}) {
  const db = t.db.db;
  const kind = opts.kind ?? 'umkm';
  const org = await db.insertInto('organizations').values({ kind, name }).returning('id').executeTakeFirstOrThrow();
  if (opts.registry) {
    await db
      .insertInto('persons')
      .values({ id: org.id, name: `Pemilik ${name}`, nik: String(Date.now()) + String(Math.random()).slice(2, 6) })
      .execute();
    await sql`insert into umkm (id, name, owner_id, phone, kelurahan_code, kecamatan_code, capital, size_class, status)
      values (${org.id}, ${name}, ${org.id}, '081200000000', ${opts.kelurahan ?? KEL_A}, ${(opts.kelurahan ?? KEL_A).slice(0, 8)}, 1000000, 'mikro', 'verified')`.execute(
      db,
    );
  }
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  const store = await db
    .insertInto('market_stores')
    .values({
      organization_id: org.id,
      organization_kind: kind,
      slug,
      name,
      kelurahan_code: opts.kelurahan ?? KEL_A,
      whatsapp: '081234567890',
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
  return { orgId: org.id, storeId: store.id, slug: store.slug };
}

async function makeProduct(
  storeId: string,
  name: string,
  opts: {
    price?: number;
    stock?: number;
    category?: string;
    status?: 'draft' | 'active' | 'archived';
    description?: string;
    sold?: number;
  } = {},
) {
  const db = t.db.db;
  const p = await db
    .insertInto('market_products')
    .values({
      store_id: storeId,
      name,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`,
      category_id: opts.category ?? null,
      status: opts.status ?? 'active',
      description: opts.description ?? '',
      sold_count: opts.sold ?? 0,
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('market_variants')
    .values({ product_id: p.id, name: '', price: BigInt(opts.price ?? 10_000), stock: opts.stock ?? 5 })
    .execute();
  return p;
}

const search = async (qs: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/products?${qs}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);

let ayu: Awaited<ReturnType<typeof makeStore>>;
let kop: Awaited<ReturnType<typeof makeStore>>;
let closed: Awaited<ReturnType<typeof makeStore>>;
let tempe: { id: string; slug: string };
let draft: { id: string };
let archived: { id: string };
let hidden: { id: string };

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  ayu = await makeStore('Dapur Ayu', { registry: true });
  kop = await makeStore('Koperasi Tani Makmur', { kind: 'koperasi', kelurahan: KEL_B });
  closed = await makeStore('Toko Tutup');
  tempe = await makeProduct(ayu.storeId, 'Keripik Tempe Sanan', {
    price: 15_000,
    category: 'kuliner-camilan',
    description: 'Keripik tempe renyah khas Sanan.',
    sold: 40,
  });
  await makeProduct(ayu.storeId, 'Sambal Bawang Ayu', { price: 25_000, category: 'kuliner-sambal-bumbu', sold: 5 });
  await makeProduct(ayu.storeId, 'Kue Lapis Legit', {
    price: 90_000,
    category: 'kuliner-kue-roti',
    stock: 0,
    description: 'Enak dengan tempe goreng? Tidak.',
  });
  await makeProduct(kop.storeId, 'Apel Manalagi 1 kg', { price: 30_000, category: 'pertanian-sayur-buah', sold: 100 });
  await makeProduct(kop.storeId, 'Keripik Apel Batu', { price: 20_000, category: 'kuliner-camilan', sold: 60 });
  draft = await makeProduct(ayu.storeId, 'Keripik Tempe Draft', { status: 'draft' });
  archived = await makeProduct(ayu.storeId, 'Keripik Tempe Lama', { status: 'archived' });
  hidden = await makeProduct(closed.storeId, 'Keripik Tempe Tutup');
  await t.db.db.updateTable('market_stores').set({ status: 'closed' }).where('id', '=', closed.storeId).execute();
}, 120_000);
afterAll(async () => t?.close());

describe('denormalised search facts (migration 0018 triggers)', () => {
  it('copies kecamatan, kind and open state from the store onto each product, and follows store changes', async () => {
    const row = async (id: string) =>
      t.db.db
        .selectFrom('market_products')
        .select(['kecamatan_code', 'store_kind', 'store_open', 'halal_until'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await row(tempe.id)).toMatchObject({ kecamatan_code: '35.73.01', store_kind: 'umkm', store_open: true, halal_until: null });
    expect((await row(hidden.id)).store_open).toBe(false);
    await t.db.db.updateTable('market_stores').set({ kelurahan_code: KEL_B }).where('id', '=', ayu.storeId).execute();
    expect((await row(tempe.id)).kecamatan_code).toBe('35.73.05');
    await t.db.db.updateTable('market_stores').set({ kelurahan_code: KEL_A }).where('id', '=', ayu.storeId).execute();
    expect((await row(tempe.id)).kecamatan_code).toBe('35.73.01');
  });

  it('marks products halal from the maker registry halal document, and un-marks when it is deleted or expired', async () => {
    const doc = await t.db.db
      .insertInto('umkm_documents')
      .values({ umkm_id: ayu.orgId, kind: 'halal', number: 'ID35110000123' })
      .returning('id')
      .executeTakeFirstOrThrow();
    let body = await search('halal=true');
    expect(names(body).sort()).toEqual(['Keripik Tempe Sanan', 'Kue Lapis Legit', 'Sambal Bawang Ayu']);
    expect(body.facets.halal).toBe(3);
    await t.db.db.updateTable('umkm_documents').set({ expires_on: '2020-01-01' }).where('id', '=', doc.id).execute();
    body = await search('halal=true');
    expect(body.total).toBe(0);
    await t.db.db.updateTable('umkm_documents').set({ expires_on: '2999-01-01' }).where('id', '=', doc.id).execute();
    expect((await search('halal=true')).total).toBe(3);
    await t.db.db.deleteFrom('umkm_documents').where('id', '=', doc.id).execute();
    expect((await search('halal=true')).total).toBe(0);
    await t.db.db.insertInto('umkm_documents').values({ umkm_id: ayu.orgId, kind: 'halal', number: 'ID35110000123' }).execute();
  });
});

// Every search test runs twice: answered by the in-process index (ADR 0014), and by the database
// (before the index is loaded, SEARCH_INDEX=false, phrases).
describe.each(['index', 'database'] as const)('GET /api/v1/products (%s)', (mode) => {
  beforeAll(async () => {
    if (mode === 'index') await startSearchIndex(t.db.db);
    else stopSearchIndex(t.db.db);
  });
  afterAll(async () => {
    await startSearchIndex(t.db.db);
  });

  it('finds by Indonesian full text, name matches first', async () => {
    const body = await search('q=tempe');
    expect(body.match).toBe('fulltext');
    expect(names(body)[0]).toBe('Keripik Tempe Sanan');
    expect(names(body)).toContain('Kue Lapis Legit'); // "tempe" only in its description: ranked below
    expect(names(body).indexOf('Kue Lapis Legit')).toBeGreaterThan(0);
  });

  it('tolerates typos: "kripik tempe" finds "Keripik Tempe"', async () => {
    const body = await search('q=kripik%20tempe');
    expect(body.match).toBe('typo');
    expect(names(body)[0]).toBe('Keripik Tempe Sanan');
    expect(body.items[0]).toMatchObject({
      id: tempe.id,
      price: 15_000,
      storeId: ayu.storeId,
      storeName: 'Dapur Ayu',
      inStock: true,
      halal: true,
      url: `/produk/${ayu.slug}/${tempe.slug}`,
    });
  });

  it('corrects typos from the vocabulary of product names, kept up to date when a product is created or renamed', async () => {
    // Words of its own per mode (the vocabulary keeps words): [first, second, renamed second] and typos.
    const [a, b, c] = mode === 'index' ? ['wedang', 'uwuh', 'jahe'] : ['bajigur', 'aren', 'kelapa'];
    const [typoFirst, typoRenamed] = mode === 'index' ? ['wedng%20uwuh', 'wedang%20jahhe'] : ['bajigr%20aren', 'bajigur%20klapa'];
    const title = (x: string) => x[0]?.toUpperCase() + x.slice(1);
    const words = async () =>
      (await sql<{ word: string }>`select word from market_search_words where word in (${a}, ${b}, ${c})`.execute(t.db.db)).rows
        .map((r) => r.word)
        .sort();
    expect(await words()).toEqual([]);
    // Before the product exists the typo finds nothing (the index keeps that answer's corrections
    // until its feed reports a product write).
    expect((await search(`q=${typoFirst}`)).total).toBe(0);
    const product = await makeProduct(kop.storeId, `${title(a)} ${title(b)}`, { price: 12_000 });
    expect(await words()).toEqual([a, b].sort());
    const body = await search(`q=${typoFirst}`);
    expect(body.match).toBe('typo');
    expect(names(body)).toEqual([`${title(a)} ${title(b)}`]);
    // Renamed: the new word is looked up too.
    await t.db.db
      .updateTable('market_products')
      .set({ name: `${title(a)} ${title(c)}` })
      .where('id', '=', product.id)
      .execute();
    expect(await words()).toEqual([a, b, c].sort());
    expect(names(await search(`q=${typoRenamed}`))).toEqual([`${title(a)} ${title(c)}`]);
    // A word with no close word in the vocabulary: the full-text answer (nothing) stands.
    const none = await search('q=qwxyz');
    expect(none).toMatchObject({ match: 'fulltext', total: 0, items: [] });
    await t.db.db.updateTable('market_products').set({ status: 'archived' }).where('id', '=', product.id).execute();
  });

  it('never shows draft or archived products or products of closed stores', async () => {
    const body = await search('q=keripik&pageSize=60');
    const ids = body.items.map((i: { id: string }) => i.id);
    for (const id of [draft.id, archived.id, hidden.id]) expect(ids).not.toContain(id);
    const all = await search('pageSize=60');
    expect(all.total).toBe(5);
  });

  it('filters by category (with sub-categories), kecamatan, kind, price and stock, with facet counts', async () => {
    const all = await search('');
    expect(all.facets.category).toEqual([
      { id: 'kuliner', label: 'Kuliner', count: 4 },
      { id: 'pertanian', label: 'Pertanian', count: 1 },
    ]);
    expect(all.facets.kecamatan.map((k: { id: string; count: number }) => [k.id, k.count]).sort()).toEqual([
      ['35.73.01', 3],
      ['35.73.05', 2],
    ]);
    expect(all.facets.kind).toEqual([
      { id: 'umkm', label: 'umkm', count: 3 },
      { id: 'koperasi', label: 'koperasi', count: 2 },
    ]);
    expect(all.facets.inStock).toBe(4);

    const kuliner = await search('category=kuliner');
    expect(kuliner.total).toBe(4);
    expect(kuliner.facets.category.map((c: { id: string; count: number }) => [c.id, c.count])).toEqual([
      ['kuliner-camilan', 2],
      ['kuliner-kue-roti', 1],
      ['kuliner-sambal-bumbu', 1],
    ]);
    expect(names(await search('category=kuliner-camilan')).sort()).toEqual(['Keripik Apel Batu', 'Keripik Tempe Sanan']);
    const kec = await search('kecamatan=35.73.05');
    expect(names(kec).sort()).toEqual(['Apel Manalagi 1 kg', 'Keripik Apel Batu']);
    expect(kec.total).toBe(2);
    // A chosen kecamatan (or kind) does not hide the others: their counts are what choosing them shows.
    const pairs = (xs: { id: string; count: number }[]) => xs.map((k) => [k.id, k.count]).sort();
    expect(pairs(kec.facets.kecamatan)).toEqual([
      ['35.73.01', 3],
      ['35.73.05', 2],
    ]);
    expect(pairs(kec.facets.kind)).toEqual([['koperasi', 2]]); // other facets follow the filter
    const both = await search('kecamatan=35.73.05&kind=umkm&q=keripik');
    expect(both.total).toBe(0);
    expect(pairs(both.facets.kecamatan)).toEqual([['35.73.01', 1]]); // keripik of umkm: in 35.73.01 only
    expect(pairs(both.facets.kind)).toEqual([['koperasi', 1]]); // keripik in 35.73.05: the koperasi's
    expect(names(await search('kind=koperasi&category=kuliner'))).toEqual(['Keripik Apel Batu']);
    expect(names(await search('minPrice=20000&maxPrice=30000&sort=price_asc'))).toEqual([
      'Keripik Apel Batu',
      'Sambal Bawang Ayu',
      'Apel Manalagi 1 kg',
    ]);
    expect(names(await search('inStock=true&category=kuliner-kue-roti'))).toEqual([]);
    expect((await search('category=tidak-ada')).total).toBe(0);
  });

  it('sorts by price, newest and best-selling, and pages', async () => {
    expect(names(await search('sort=price_desc'))[0]).toBe('Kue Lapis Legit');
    expect(names(await search('sort=bestselling'))).toEqual([
      'Apel Manalagi 1 kg',
      'Keripik Apel Batu',
      'Keripik Tempe Sanan',
      'Sambal Bawang Ayu',
      'Kue Lapis Legit',
    ]);
    expect(names(await search('sort=newest'))[0]).toBe('Keripik Apel Batu');
    const p2 = await search('sort=bestselling&pageSize=2&page=2');
    expect(p2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(names(p2)).toEqual(['Keripik Tempe Sanan', 'Sambal Bawang Ayu']);
  });

  it('rejects bad parameters with 400 and the error body', async () => {
    for (const qs of ['sort=random', 'minPrice=-1', 'page=0', 'halal=maybe']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/products?${qs}` });
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.code).toBeTruthy();
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/products?minPrice=50000&maxPrice=10000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toBeTruthy();
  });
});

describe('GET /api/v1/products/suggest, /{id}, /api/v1/categories', () => {
  it('suggests as you type (prefix and typos), at most 8, only visible products', async () => {
    const pre = (await t.app.inject({ method: 'GET', url: '/api/v1/products/suggest?q=kerip' })).json();
    expect(pre.items.map((i: { name: string }) => i.name).sort()).toEqual(['Keripik Apel Batu', 'Keripik Tempe Sanan']);
    const typo = (await t.app.inject({ method: 'GET', url: '/api/v1/products/suggest?q=sambel' })).json();
    expect(typo.items.map((i: { name: string }) => i.name)).toEqual(['Sambal Bawang Ayu']);
    expect(typo.items.length).toBeLessThanOrEqual(8);
  });

  it('returns the public product with variants, store and badges; 404 when not visible', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/products/${tempe.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({
      id: tempe.id,
      name: 'Keripik Tempe Sanan',
      price: 15_000,
      halal: true,
      category: { id: 'kuliner-camilan' },
      store: { id: ayu.storeId, name: 'Dapur Ayu', kind: 'umkm', kecamatan: expect.any(String) },
    });
    expect(p.variants).toHaveLength(1);
    expect(p.badges).toEqual(['halal']);
    for (const id of [draft.id, archived.id, hidden.id, randomUUID()]) {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/products/${id}` });
      expect(r.statusCode, id).toBe(404);
      expect(r.json().error.code).toBe('not_found');
    }
  });

  it('lists the category tree', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/categories' });
    expect(res.statusCode).toBe(200);
    const kuliner = res.json().items.find((c: { id: string }) => c.id === 'kuliner');
    expect(kuliner.children.map((c: { id: string }) => c.id)).toContain('kuliner-camilan');
    expect(kuliner.url).toBe('/kategori/kuliner');
  });
});

describe('large result sets', () => {
  it('counts small result sets exactly and estimates large ones on a large table from a sample', async () => {
    const { EXACT_COUNT_MAX, SAMPLE_ROWS, resetSearchCaches } = await import('./search-service.js');
    const n = Math.max(2 * SAMPLE_ROWS, 2 * EXACT_COUNT_MAX) + 2_000;
    const db = t.db.db;
    const big = await makeStore('Toko Besar');
    await sql`insert into market_products (store_id, name, slug, category_id, min_price, in_stock)
      select ${big.storeId}, 'Produk Massal ' || g, 'massal-' || g, 'oleh-oleh', 5000, true from generate_series(1, ${n}) g`.execute(db);
    await sql`analyze market_products`.execute(db);
    resetSearchCaches();
    // The in-process index counts every match exactly…
    const exact = await search('q=massal');
    expect(exact.approximate).toBe(false);
    expect(exact.total).toBe(n);
    expect(exact.items).toHaveLength(24);
    // …the database estimates large result sets from a sample.
    stopSearchIndex(db);
    const body = await search('q=massal');
    expect(body.approximate).toBe(true);
    expect(body.total).toBeGreaterThan(2 * EXACT_COUNT_MAX);
    expect(Math.abs(body.total - n) / n).toBeLessThan(0.35);
    expect(body.items).toHaveLength(24);
    const small = await search('q=tempe');
    expect(small.approximate).toBe(false);
    await startSearchIndex(db);
    await sql`delete from market_products where store_id = ${big.storeId}`.execute(db);
    expect((await search('q=massal')).total).toBe(0);
  }, 120_000);

  it('suggests the best-selling matches of a common prefix, and rare ones beyond the best sellers', async () => {
    const { SUGGEST_TOP, resetSearchCaches } = await import('./search-service.js');
    const db = t.db.db;
    const laris = await makeStore('Toko Laris Sekali');
    // More best sellers than suggestions look at first, all starting with "pro"; one rare product.
    await sql`insert into market_products (store_id, name, slug, category_id, min_price, in_stock, sold_count)
      select ${laris.storeId}, 'Produk Laris ' || g, 'laris-' || g, 'oleh-oleh', 5000, true, 100000 + g
      from generate_series(1, ${SUGGEST_TOP + 100}) g`.execute(db);
    await makeProduct(laris.storeId, 'Zebra Kerajinan Langka', { sold: 0 });
    resetSearchCaches(); // the best sellers are kept in memory for a minute
    const suggest = async (q: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/products/suggest?q=${q}` })).json().items.map((i: { name: string }) => i.name);
    const best = Array.from({ length: 9 }, (_, i) => `Produk Laris ${SUGGEST_TOP + 100 - i}`);
    expect(await suggest('pro')).toEqual(best.slice(0, 8));
    expect(await suggest('produk%20lar')).toEqual(best.slice(0, 8));
    // A best seller archived a moment ago is not suggested, although it is still in memory.
    await sql`update market_products set status = 'archived' where store_id = ${laris.storeId} and name = ${best[0]}`.execute(db);
    expect(await suggest('pro')).toEqual(best.slice(1, 9));
    const rare = (await t.app.inject({ method: 'GET', url: '/api/v1/products/suggest?q=zeb' })).json();
    expect(rare.items.map((i: { name: string }) => i.name)).toEqual(['Zebra Kerajinan Langka']);
    await sql`delete from market_products where store_id = ${laris.storeId}`.execute(db);
  }, 60_000);
});
