import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { parseTsquery, parseTsvector } from '../../platform/text-index.js';
import { startSearchIndex, stopSearchIndex } from './search-index.js';
import { type SearchParams, searchProducts } from './search-service.js';

let t: TestApp;

describe('tsvector and tsquery texts', () => {
  it('reads lexemes with their best weight, quotes and backslashes', () => {
    expect(parseTsvector(`'apel':3B 'keripik':1A,4C 'malang':2 'o''neil':5 'a\\\\b':6A`)).toEqual([
      ['apel', 2],
      ['keripik', 3],
      ['malang', 0],
      ["o'neil", 0],
      ['a\\b', 3],
    ]);
    expect(parseTsvector('')).toEqual([]);
  });

  it('reads &, |, ! and parentheses; leaves phrases, prefixes and weights to the database', () => {
    expect(parseTsquery(`'keripik' & ( 'tempe' | 'tahu' ) & !'pedas'`)).toEqual({
      t: 'and',
      a: { t: 'and', a: { t: 'lex', lex: 'keripik' }, b: { t: 'or', a: { t: 'lex', lex: 'tempe' }, b: { t: 'lex', lex: 'tahu' } } },
      b: { t: 'not', a: { t: 'lex', lex: 'pedas' } },
    });
    expect(parseTsquery('')).toBe('empty');
    expect(parseTsquery(`'keripik' <-> 'tempe'`)).toBeNull();
    // A hyphenated word: the whole word (its parts always follow it in a product's words).
    expect(parseTsquery(`'oleh-oleh' <-> 'oleh' <-> 'oleh' & 'singosar'`)).toEqual({
      t: 'and',
      a: { t: 'lex', lex: 'oleh-oleh' },
      b: { t: 'lex', lex: 'singosar' },
    });
    expect(parseTsquery(`'oleh-oleh' <-> 'oleh' <-> 'oleh' <-> 'malang'`)).toBeNull();
    expect(parseTsquery(`'oleh-oleh' <2> 'oleh'`)).toBeNull();
    expect(parseTsquery(`'kerip':*`)).toBeNull();
    expect(parseTsquery(`'kerip':A`)).toBeNull();
    expect(parseTsquery(`'a' &`)).toBeNull();
  });
});

const KEL = ['35.73.01.1007', '35.73.05.1001', '35.73.03.1001'];
const CATEGORIES = ['kuliner-camilan', 'kuliner-sambal-bumbu', 'kuliner-kue-roti', 'kriya-keramik', 'fashion-batik-malangan', null];
const WORDS = [
  'keripik',
  'tempe',
  'apel',
  'sambal',
  'kopi',
  'batik',
  'keramik',
  'topeng',
  'pedas',
  'manis',
  'malang',
  'sanan',
  'oleh-oleh',
  'tempe-mendoan',
];

/** A small PRNG so the catalogue is the same on every run. */
function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

async function makeStore(name: string, kind: 'umkm' | 'koperasi', kelurahan: string, halal: boolean) {
  const db = t.db.db;
  const org = await db.insertInto('organizations').values({ kind, name }).returning('id').executeTakeFirstOrThrow();
  if (kind === 'umkm') {
    await db
      .insertInto('persons')
      .values({ id: org.id, name: `Pemilik ${name}`, nik: String(Date.now()) + String(Math.random()).slice(2, 6) })
      .execute();
    await sql`insert into umkm (id, name, owner_id, phone, kelurahan_code, kecamatan_code, capital, size_class, status)
      values (${org.id}, ${name}, ${org.id}, '081200000000', ${kelurahan}, ${kelurahan.slice(0, 8)}, 1000000, 'mikro', 'verified')`.execute(
      db,
    );
    if (halal) await db.insertInto('umkm_documents').values({ umkm_id: org.id, kind: 'halal', number: 'ID35110000999' }).execute();
  }
  return db
    .insertInto('market_stores')
    .values({
      organization_id: org.id,
      organization_kind: kind,
      slug: `toko-${randomUUID().slice(0, 8)}`,
      name,
      kelurahan_code: kelurahan,
      whatsapp: '081234567890',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const names = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);
const search = async (q: string) => names(await searchProducts(t.db.db, { q }, 'id'));
let stores: { id: string }[] = [];

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  const rnd = prng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  stores = [
    await makeStore('Dapur Halal', 'umkm', KEL[0] as string, true),
    await makeStore('Kriya Dinoyo', 'umkm', KEL[1] as string, false),
    await makeStore('Koperasi Sumber', 'koperasi', KEL[2] as string, false),
    await makeStore('Toko Kecil', 'umkm', KEL[0] as string, false),
  ];
  const db = t.db.db;
  for (let i = 0; i < 160; i++) {
    const store = pick(stores);
    const name = `${pick(WORDS)} ${pick(WORDS)} ${i}`;
    const p = await db
      .insertInto('market_products')
      .values({
        store_id: store.id,
        name: name[0]?.toUpperCase() + name.slice(1),
        slug: `p-${i}`,
        category_id: pick(CATEGORIES),
        status: rnd() < 0.1 ? 'draft' : rnd() < 0.05 ? 'archived' : 'active',
        description: rnd() < 0.5 ? `${pick(WORDS)} dari ${pick(WORDS)}` : '',
        sold_count: Math.floor(rnd() * 8) * 10, // ties on purpose
        created_at: new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 20))),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('market_variants')
      .values({ product_id: p.id, name: '', price: BigInt(5_000 * (1 + Math.floor(rnd() * 20))), stock: rnd() < 0.2 ? 0 : 3 })
      .execute();
  }
  // One store closed: its products leave the search.
  await db
    .updateTable('market_stores')
    .set({ status: 'closed' })
    .where('id', '=', (stores[3] as { id: string }).id)
    .execute();
}, 120_000);
afterAll(async () => t?.close());

describe('the in-process index answers as the database does', () => {
  it('same totals, facets and pages for any words, filters, sort and page (property)', async () => {
    const query = fc
      .record(
        {
          q: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 4 },
            fc.constantFrom(...WORDS),
            fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} ${b}`),
            fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} -${b}`),
            fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} or ${b}`),
            fc.constantFrom(
              'kripik tmpe',
              'kopii',
              'btik',
              'dan',
              '-tempe',
              'keramik dari',
              '"keripik tempe"',
              '"oleh-oleh malang"',
              'oleh-oleh',
            ),
          ),
          category: fc.constantFrom('kuliner', 'kuliner-camilan', 'kriya', 'fashion-batik-malangan'),
          kecamatan: fc.constantFrom('35.73.01', '35.73.05', '35.73.03', '35.73.04'),
          halal: fc.constant(true),
          inStock: fc.constant(true),
          kind: fc.constantFrom('umkm' as const, 'koperasi' as const),
          minPrice: fc.constantFrom(10_000, 40_000),
          maxPrice: fc.constantFrom(60_000, 100_000),
          sort: fc.constantFrom(
            'relevance' as const,
            'newest' as const,
            'price_asc' as const,
            'price_desc' as const,
            'bestselling' as const,
          ),
          page: fc.integer({ min: 1, max: 3 }),
          pageSize: fc.constantFrom(5, 24),
        },
        { requiredKeys: ['q', 'sort', 'page', 'pageSize'] },
      )
      // A price range in one search of four (without one, a browse is answered from counts kept
      // per group and the sort orders).
      .chain((p) => fc.nat({ max: 3 }).map((r) => (r === 0 ? p : { ...p, minPrice: undefined, maxPrice: undefined })));
    // Changes between searches: the index follows them with new slots after the loaded ones.
    const change = fc.record({
      pick: fc.nat(),
      what: fc.constantFrom('sold', 'price', 'status', 'stock', 'none'),
      value: fc.integer({ min: 0, max: 19 }),
    });
    const db = t.db.db;
    const products = (await db.selectFrom('market_products').select('id').orderBy('id').execute()).map((r) => r.id);
    stopSearchIndex(db);
    await startSearchIndex(db);
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 3 }), query, async (changes, p: SearchParams) => {
        for (const c of changes) {
          const id = products[c.pick % products.length] as string;
          if (c.what === 'sold')
            await db
              .updateTable('market_products')
              .set({ sold_count: c.value * 10 })
              .where('id', '=', id)
              .execute();
          if (c.what === 'price')
            await db
              .updateTable('market_variants')
              .set({ price: BigInt(5_000 * (1 + c.value)) })
              .where('product_id', '=', id)
              .execute();
          if (c.what === 'stock')
            await db
              .updateTable('market_variants')
              .set({ stock: c.value % 2 })
              .where('product_id', '=', id)
              .execute();
          if (c.what === 'status')
            await db
              .updateTable('market_products')
              .set({ status: c.value < 3 ? 'draft' : 'active' })
              .where('id', '=', id)
              .execute();
        }
        // The database's answer: a transaction is not the app's handle, so it has no index.
        const fromDatabase = await db.transaction().execute((trx) => searchProducts(trx, p, 'id'));
        const fromIndex = await searchProducts(db, p, 'id');
        expect(fromIndex.total).toBe(fromDatabase.total);
        expect(fromIndex.facets).toEqual(fromDatabase.facets);
        expect(fromIndex.match).toBe(fromDatabase.match);
        expect(fromIndex.approximate).toBe(false);
        const ids = (r: typeof fromIndex) => r.items.map((i) => i.id);
        // Relevance is ranked without word positions (ts_rank_cd uses them): the same page as a set
        // when it holds every match; other orders are exact.
        if (fromIndex.sort !== 'relevance') expect(ids(fromIndex)).toEqual(ids(fromDatabase));
        else if (fromIndex.total <= (p.pageSize as number) && p.page === 1) expect(ids(fromIndex).sort()).toEqual(ids(fromDatabase).sort());
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('following the database', () => {
  it('sees products created, renamed, archived and deleted, by the next search', async () => {
    const db = t.db.db;
    const store = stores[0] as { id: string };
    const p = await db
      .insertInto('market_products')
      .values({ store_id: store.id, name: 'Zzfeed Baru', slug: 'zzfeed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await search('zzfeed')).toEqual(['Zzfeed Baru']);
    await db.updateTable('market_products').set({ name: 'Zzganti Nama' }).where('id', '=', p.id).execute();
    expect(await search('zzfeed')).toEqual([]);
    expect(await search('zzganti')).toEqual(['Zzganti Nama']);
    await db.updateTable('market_products').set({ status: 'archived' }).where('id', '=', p.id).execute();
    expect(await search('zzganti')).toEqual([]);
    await db.updateTable('market_products').set({ status: 'active' }).where('id', '=', p.id).execute();
    expect(await search('zzganti')).toEqual(['Zzganti Nama']);
    await db.deleteFrom('market_products').where('id', '=', p.id).execute();
    expect(await search('zzganti')).toEqual([]);
  });

  it('sees a change committed late by a transaction that began before a search', async () => {
    if (t.db.kind !== 'postgresql') return; // PGlite has one session: transactions never overlap
    const db = t.db.db;
    const store = stores[1] as { id: string };
    const make = (name: string, slug: string) =>
      db.insertInto('market_products').values({ store_id: store.id, name, slug }).returning('id').executeTakeFirstOrThrow();
    const early = await make('Zzawal Produk', 'zzawal');
    const quick = await make('Zzcepat Produk', 'zzcepat');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const wrote = new Promise<void>((r) => {
      written = r;
    });
    // A transaction writes first and commits last.
    const slow = db.transaction().execute(async (trx) => {
      await trx.updateTable('market_products').set({ name: 'Zzlambat Produk' }).where('id', '=', early.id).execute();
      written();
      await gate;
    });
    await wrote;
    await db.updateTable('market_products').set({ name: 'Zzkilat Produk' }).where('id', '=', quick.id).execute();
    expect(await search('zzkilat')).toEqual(['Zzkilat Produk']);
    expect(await search('zzlambat')).toEqual([]);
    release();
    await slow;
    expect(await search('zzlambat')).toEqual(['Zzlambat Produk']);
    expect(await search('zzkilat')).toEqual(['Zzkilat Produk']);
  });
});
