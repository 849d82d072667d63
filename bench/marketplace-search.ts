/**
 * Marketplace search benchmark (issue 4: 1,000,000 products in 50,000 stores — search p95 ≤ 50 ms
 * and ≥ 300 req/s with 20 concurrent clients; product page ≥ 1,000 req/s) against a real server
 * process on PostgreSQL.
 *
 *   npx tsx bench/marketplace-search.ts [--products 1000000] [--duration 10] [--connections 20] [--keep] [--reuse]
 *
 * A database `bench_market` (on BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * is created and migrated by the server, then filled in SQL (generate_series) with `--products`
 * products in products/20 stores (90 % UMKM with a registry row, 40 % of those with a halal
 * document; 10 % koperasi; 3 % of stores closed, 5 % of products draft), names drawn from a
 * vocabulary of Malang products so words repeat as in real catalogues; one variant each.
 * `--reuse` keeps an already filled database (skips create + fill); `--keep` does not drop it;
 * `--only search|suggest|product` runs one scenario (for profiling with BENCH_NODE_ARGS); `--trace N`
 * runs N search URLs one at a time and prints the mean and the slowest.
 *
 * Scenarios, each `--duration` seconds with `--connections` clients:
 *   search  — GET /api/v1/products with a random mix: words (some with typos), filters (category,
 *             kecamatan, halal, price, in stock, koperasi), sorts and pages 1–3, 1 in 4 without words;
 *   suggest — GET /api/v1/products/suggest?q=<2–6 letters of a word>;
 *   product — GET /produk/{store}/{product} (the HTML page) of random products.
 * One JSON line per run is appended to bench/results/marketplace-search.jsonl.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type pg from 'pg';
import { ADMIN_URL, databaseUrl, numArg, pct, ROOT, round, startServer, withPg } from './server.js';

const DB_NAME = process.env.BENCH_DB_NAME ?? 'bench_market';

const log = (s: string) => process.stderr.write(`[bench:search] ${s}\n`);

const arg = numArg;
const dbUrl = () => databaseUrl(DB_NAME);
const admin = (text: string) => withPg(ADMIN_URL, async (c) => void (await c.query(text)));
const withClient = <T>(fn: (c: pg.Client) => Promise<T>) => withPg(dbUrl(), fn);

// [word, category] — what the product is; then a flavour/material and a style word.
const KINDS: [string, string][] = [
  ['Keripik', 'kuliner-camilan'],
  ['Kripik', 'kuliner-camilan'],
  ['Sambal', 'kuliner-sambal-bumbu'],
  ['Kue', 'kuliner-kue-roti'],
  ['Roti', 'kuliner-kue-roti'],
  ['Brownies', 'kuliner-kue-roti'],
  ['Bakpao', 'kuliner-kue-roti'],
  ['Kopi', 'kuliner-minuman'],
  ['Sari', 'kuliner-minuman'],
  ['Nasi', 'kuliner-makanan-berat'],
  ['Bakso', 'kuliner-frozen'],
  ['Batik', 'fashion-batik-malangan'],
  ['Kemeja', 'fashion-pakaian'],
  ['Hijab', 'fashion-hijab-aksesoris'],
  ['Tas', 'fashion-tas-dompet'],
  ['Keramik', 'kriya-keramik'],
  ['Topeng', 'kriya-topeng'],
  ['Kursi Rotan', 'kriya-rotan'],
  ['Anyaman', 'kriya-anyaman'],
  ['Jamu', 'kesehatan-jamu'],
  ['Madu', 'pertanian-olahan'],
  ['Apel', 'pertanian-sayur-buah'],
  ['Bibit', 'pertanian-bibit-tanaman'],
  ['Jasa Jahit', 'jasa-jahit'],
  ['Oleh-oleh', 'oleh-oleh'],
];
const FLAVOURS = [
  'Tempe',
  'Singkong',
  'Pisang',
  'Apel',
  'Nangka',
  'Bawang',
  'Pedas',
  'Original',
  'Malangan',
  'Arjuno',
  'Dinoyo',
  'Kayutangan',
  'Coklat',
  'Keju',
  'Jahe',
  'Kunyit',
  'Mawar',
  'Bromo',
  'Tumapel',
  'Singosari',
];
const STYLES = ['Premium', 'Spesial', 'Mini', 'Jumbo', 'Asli', 'Rumahan', 'Kemasan 250 g', 'Kemasan 500 g', 'Ekonomis', 'Hadiah'];

const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(',')}}`;

async function fill(products: number) {
  const stores = Math.max(1, Math.floor(products / 20));
  return withClient(async (c) => {
    const t0 = performance.now();
    await c.query('begin');
    const kel = await c.query<{ code: string; parent_code: string }>(
      `select code, parent_code from regions where level = 'kelurahan' order by code`,
    );
    if (!kel.rows.length) throw new Error('no kelurahan loaded');
    await c.query(
      `create temp table kel as select row_number() over (order by code) - 1 as i, code, parent_code from regions where level = 'kelurahan'`,
    );
    const nKel = kel.rows.length;
    // Organisations: 90 % UMKM (with owner person and registry row), 10 % koperasi.
    await c.query(
      `create temp table gen_org as
       select g, gen_random_uuid() as id, case when g % 10 = 0 then 'koperasi' else 'umkm' end as kind from generate_series(1, $1) g`,
      [stores],
    );
    await c.query(`insert into organizations (id, kind, name) select id, kind, 'Usaha Bench ' || g from gen_org`);
    await c.query(
      `insert into persons (id, name, nik) select id, 'Pemilik ' || g, '35' || lpad(g::text, 14, '0') from gen_org where kind = 'umkm'`,
    );
    await c.query(
      `insert into umkm (id, name, owner_id, phone, kelurahan_code, kecamatan_code, capital, size_class, status)
       select o.id, 'Usaha Bench ' || o.g, o.id, '0812' || lpad(o.g::text, 8, '0'), k.code, k.parent_code, 10000000, 'mikro', 'verified'
       from gen_org o join kel k on k.i = o.g % ${nKel} where o.kind = 'umkm'`,
    );
    await c.query(
      `insert into koperasi (id, name, type, koperasi_group, kelurahan_code, kecamatan_code, status)
       select o.id, 'Koperasi Bench ' || o.g, 'produsen', 'umum', k.code, k.parent_code, 'verified'
       from gen_org o join kel k on k.i = o.g % ${nKel} where o.kind = 'koperasi'`,
    );
    await c.query(
      `insert into umkm_documents (umkm_id, kind, number, expires_on)
       select id, 'halal', 'ID' || g, case when g % 3 = 0 then null else current_date + 365 end
       from gen_org where kind = 'umkm' and g % 5 in (1, 2)`,
    );
    await c.query(
      `insert into market_stores (organization_id, organization_kind, slug, name, whatsapp, kelurahan_code, kecamatan_code, status, offers_pickup)
       select o.id, o.kind, 'toko-bench-' || o.g, 'Toko Bench ' || o.g, '0812' || lpad(o.g::text, 8, '0'), k.code, k.parent_code,
              case when o.g % 33 = 0 then 'closed' else 'open' end, true
       from gen_org o join kel k on k.i = o.g % ${nKel}`,
    );
    await c.query(
      `create temp table st as select row_number() over (order by slug) - 1 as i, id from market_stores where slug like 'toko-bench-%'`,
    );
    // Products: 20 per store; name = kind + flavour + style (pseudo-random but deterministic). Price,
    // stock and sales have hashes of their own: tied to the name's hash, every product with one
    // flavour had one of ten prices (sorting "tempe" by price walked 88,000 rows), every "Premium"
    // was out of stock, and the 2,000 best sellers were of 7 kinds only.
    await c.query(
      `insert into market_products (store_id, category_id, name, slug, description, status, min_price, in_stock, sold_count, created_at, weight_grams)
       select st.id,
              ($2::text[])[1 + (h1 % $6)],
              ($1::text[])[1 + (h1 % $6)] || ' ' || ($3::text[])[1 + (h2 % $7)] || ' ' || ($4::text[])[1 + (h3 % $8)],
              'produk-' || g,
              ($1::text[])[1 + (h1 % $6)] || ' ' || ($3::text[])[1 + (h2 % $7)] || ' buatan UMKM Kota Malang, dibuat setiap hari dari bahan pilihan. Cocok untuk oleh-oleh dan hadiah.',
              case when g % 20 = 0 then 'draft' else 'active' end,
              1000 * (5 + h4 % 200),
              (h5 % 10) <> 0,
              h6 % 500,
              now() - make_interval(mins => g % 500000),
              100 + h3 % 900
       from (select g, abs(hashtext('a' || g)) as h1, abs(hashtext('b' || g)) as h2, abs(hashtext('c' || g)) as h3,
                    abs(hashtext('d' || g)) as h4, abs(hashtext('e' || g)) as h5, abs(hashtext('f' || g)) as h6
             from generate_series(0, $5 - 1) g) x
       join st on st.i = x.g % ${stores}`,
      [
        pgArray(KINDS.map((k) => k[0])),
        pgArray(KINDS.map((k) => k[1])),
        pgArray(FLAVOURS),
        pgArray(STYLES),
        products,
        KINDS.length,
        FLAVOURS.length,
        STYLES.length,
      ],
    );
    // One variant each, with the product's price; the refresh trigger is off (the product row already has min_price / in_stock).
    await c.query('alter table market_variants disable trigger market_variants_changed');
    await c.query(
      `insert into market_variants (product_id, name, price, stock)
       select id, '', min_price, case when in_stock then 1000 else 0 end from market_products where slug like 'produk-%'`,
    );
    await c.query('alter table market_variants enable trigger market_variants_changed');
    await c.query('commit');
    await c.query('vacuum analyze');
    log(`filled ${stores} stores, ${products} products in ${round((performance.now() - t0) / 1000)} s`);
  });
}

function searchUrl(kecamatan: string[]): string {
  const r = Math.random;
  const params = new URLSearchParams();
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const roll = r();
  if (roll < 0.75) {
    const kind = pick(KINDS)[0];
    const flavour = pick(FLAVOURS);
    let q = r() < 0.5 ? `${kind} ${flavour}` : r() < 0.5 ? kind : flavour;
    if (r() < 0.15) q = q.toLowerCase().replace(/e/, ''); // a typo: "kripik tmpe"
    params.set('q', q);
  }
  if (r() < 0.25) params.set('category', pick(KINDS)[1]);
  if (r() < 0.2) params.set('kecamatan', pick(kecamatan));
  if (r() < 0.15) params.set('halal', 'true');
  if (r() < 0.15) params.set('inStock', 'true');
  if (r() < 0.05) params.set('kind', 'koperasi');
  if (r() < 0.15) {
    params.set('minPrice', '20000');
    params.set('maxPrice', '100000');
  }
  if (r() < 0.4) params.set('sort', pick(['newest', 'price_asc', 'price_desc', 'bestselling']));
  if (r() < 0.2) params.set('page', String(2 + Math.floor(r() * 2)));
  return `/api/v1/products?${params}`;
}

/**
 * `connections` clients for `duration` seconds, each request's path from `next()`, through
 * autocannon (as the other benchmarks): it asks for gzip as a browser does but does not inflate
 * the answers, so the load generator takes less of the two cores it shares with the server and
 * PostgreSQL than fetch did (the figures before 2026-11-29 evening used fetch).
 */
async function load(base: string, connections: number, duration: number, next: () => string) {
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  const started = performance.now();
  await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections,
        duration,
        headers: { 'accept-encoding': 'gzip' },
        requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: next() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      status[statusCode] = (status[statusCode] ?? 0) + 1;
    });
  });
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    status,
    reqPerSecond: round(latencies.length / elapsed),
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
  };
}

async function main() {
  const products = arg('products', 1_000_000);
  const duration = arg('duration', 10);
  const connections = arg('connections', 20);
  const keep = process.argv.includes('--keep');
  const reuse = process.argv.includes('--reuse');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : null; // search | suggest | product: one scenario (profiling)
  const runs = (name: string) => only === null || only === name;

  if (!reuse) {
    await admin(`drop database if exists ${DB_NAME}`);
    await admin(`create database ${DB_NAME}`);
  }
  const server = await startServer(dbUrl());
  try {
    if (!reuse) await fill(products);
    const { kec, pages } = await withClient(async (c) => {
      const k = await c.query<{ code: string }>(`select code from regions where level = 'kecamatan' order by code`);
      const p = await c.query<{ url: string }>(
        `select '/produk/' || s.slug || '/' || p.slug as url from market_products p tablesample system (1) join market_stores s on s.id = p.store_id
         where p.status = 'active' and p.store_open limit 5000`,
      );
      return { kec: k.rows.map((r) => r.code), pages: p.rows.map((r) => r.url) };
    });
    if (!pages.length) throw new Error('no product pages sampled');
    const count = await withClient(async (c) => (await c.query('select count(*)::int as n from market_products')).rows[0].n as number);

    const traceAt = process.argv.indexOf('--trace');
    if (traceAt >= 0) {
      // Sequential: N search URLs one at a time, the mean and the slowest (to see where the tail is).
      const n = Number(process.argv[traceAt + 1] ?? 300);
      const seen: { ms: number; url: string }[] = [];
      for (let i = 0; i < n; i++) {
        const url = searchUrl(kec);
        const t0 = performance.now();
        await (await fetch(server.base + url)).arrayBuffer();
        seen.push({ ms: performance.now() - t0, url });
      }
      seen.sort((a, b) => b.ms - a.ms);
      const mean = seen.reduce((s, x) => s + x.ms, 0) / n;
      process.stdout.write(`mean ${round(mean)} ms, p50 ${round(seen[Math.floor(n / 2)]?.ms ?? 0)} ms\n`);
      for (const x of seen.slice(0, 25)) process.stdout.write(`${round(x.ms).toString().padStart(7)} ms  ${decodeURIComponent(x.url)}\n`);
      return;
    }
    log('warm-up 3 s…');
    await load(server.base, connections, 3, () => searchUrl(kec));
    log(`search: ${connections} clients for ${duration} s…`);
    const search = runs('search') ? await load(server.base, connections, duration, () => searchUrl(kec)) : null;
    log(`suggest…`);
    const suggest = runs('suggest')
      ? await load(server.base, connections, duration, () => {
          const w = (KINDS[Math.floor(Math.random() * KINDS.length)] as [string, string])[0].toLowerCase();
          return `/api/v1/products/suggest?q=${encodeURIComponent(w.slice(0, 2 + Math.floor(Math.random() * 5)))}`;
        })
      : null;
    log(`product page…`);
    const product = runs('product')
      ? await load(server.base, connections, duration, () => pages[Math.floor(Math.random() * pages.length)] as string)
      : null;

    const result = {
      at: new Date().toISOString(),
      scenario: 'marketplace-search',
      cpus: os.cpus().length,
      load: os.loadavg().map((x) => round(x, 2)),
      products: count,
      connections,
      duration,
      search,
      suggest,
      product,
    } satisfies Record<string, unknown>;
    const out = path.join(ROOT, 'bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.appendFileSync(path.join(out, 'marketplace-search.jsonl'), `${JSON.stringify(result)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.stop();
    if (!keep && !reuse) await admin(`drop database if exists ${DB_NAME}`);
  }
}

void main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
