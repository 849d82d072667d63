/**
 * Marketplace checkout benchmark (issue 4: ≥ 200 checkouts/s with zero oversell) against a real
 * server process on PostgreSQL.
 *
 *   npx tsx bench/marketplace-checkout.ts [--duration 10] [--connections 20] [--stores 50] [--hot-stock 200]
 *
 * A fresh database `bench_market_checkout` (on BENCH_ADMIN_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres) is migrated by the server, then filled with
 * `--stores` open stores of 40 single-variant products each (stock 1,000,000) plus one "hot"
 * product with `--hot-stock` units. `--connections` clients POST /api/v1/orders (guest, pickup, cash
 * at pickup, a fresh Idempotency-Key each) for `--duration` seconds: 1–3 random products, and one
 * request in five also asks for the hot product, so it sells out under contention. Afterwards every
 * variant is checked: initial stock − stock now = units in order items, no stock below zero, the
 * hot product sold exactly its stock (when demand exceeded it). The database is dropped at the end
 * unless --keep (BENCH_BASE_URL with BENCH_DATABASE_URL: use a running server on that database
 * instead, left as it is). One JSON line per run is appended to bench/results/marketplace-checkout.jsonl.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { ADMIN_URL, databaseUrl, numArg, pct, ROOT, round, startServer, withPg } from './server.js';

const DB_NAME = 'bench_market_checkout';
const PRODUCTS_PER_STORE = 40;
const BIG_STOCK = 1_000_000;

const log = (s: string) => process.stderr.write(`[bench:checkout] ${s}\n`);

const arg = numArg;
const dbUrl = () => databaseUrl(DB_NAME);
const admin = (text: string) => withPg(ADMIN_URL, async (c) => void (await c.query(text)));
const withClient = <T>(fn: (c: pg.Client) => Promise<T>) => withPg(dbUrl(), fn);

/** Stores, products and variants generated server-side. Returns the variant ids and the hot one. */
async function fill(stores: number, hotStock: number) {
  return withClient(async (c) => {
    await c.query('begin');
    await c.query(
      `with orgs as (
         insert into organizations (kind, name) select 'umkm', 'UMKM Bench ' || g from generate_series(1, $1) g returning id, name)
       insert into market_stores (organization_id, organization_kind, slug, name, offers_pickup, status)
       select id, 'umkm', 'bench-' || replace(lower(name), ' ', '-'), name, true, 'open' from orgs`,
      [stores],
    );
    await c.query(
      `insert into market_products (store_id, name, slug, status)
       select s.id, 'Produk ' || g || ' ' || s.name, 'produk-' || g, 'active'
       from market_stores s cross join generate_series(1, $1) g where s.slug like 'bench-%'`,
      [PRODUCTS_PER_STORE],
    );
    await c.query(
      `insert into market_variants (product_id, name, price, stock)
       select p.id, '', 5000 + (abs(hashtext(p.id::text)) % 50) * 1000, $1 from market_products p`,
      [BIG_STOCK],
    );
    const hot = await c.query(
      `with p as (insert into market_products (store_id, name, slug, status)
         select id, 'Produk Laris', 'produk-laris', 'active' from market_stores where slug like 'bench-%' order by slug limit 1 returning id)
       insert into market_variants (product_id, name, price, stock) select id, '', 25000, $1 from p returning id`,
      [hotStock],
    );
    await c.query('commit');
    await c.query('analyze');
    const vs = await c.query<{ id: string }>('select id from market_variants where stock = $1', [BIG_STOCK]);
    return { variants: vs.rows.map((r) => r.id), hot: hot.rows[0].id as string };
  });
}

async function main() {
  const duration = arg('duration', 10);
  const connections = arg('connections', 20);
  const stores = arg('stores', 50);
  const hotStock = arg('hot-stock', 200);
  const keep = process.argv.includes('--keep');

  // BENCH_BASE_URL + BENCH_DATABASE_URL: a server already running on that database (kept as it is).
  const external = process.env.BENCH_BASE_URL;
  if (external && !process.env.BENCH_DATABASE_URL) throw new Error('BENCH_BASE_URL needs BENCH_DATABASE_URL');
  if (!external) {
    await admin(`drop database if exists ${DB_NAME}`);
    await admin(`create database ${DB_NAME}`);
  }
  const server = external ? { base: external, stop: async () => undefined } : await startServer(dbUrl());
  try {
    log(`filling ${stores} stores × ${PRODUCTS_PER_STORE} products…`);
    const { variants, hot } = await fill(stores, hotStock);
    const kelurahan = await withClient(
      async (c) =>
        (await c.query<{ code: string }>(`select code from regions where level = 'kelurahan' order by code limit 1`)).rows[0]?.code,
    );
    if (!kelurahan) throw new Error('no kelurahan loaded');
    const buyer = { name: 'Pembeli Bench', phone: '081234567890', address: 'Jl. Bench 1, Malang', kelurahanCode: kelurahan };

    const latencies: number[] = [];
    const status: Record<string, number> = {};
    let hotAsked = 0;
    const deadline = Date.now() + duration * 1000;
    async function client() {
      while (Date.now() < deadline) {
        const n = 1 + Math.floor(Math.random() * 3);
        const items = new Set<string>();
        while (items.size < n) items.add(variants[Math.floor(Math.random() * variants.length)] as string);
        const askHot = Math.random() < 0.2;
        if (askHot) hotAsked++;
        const body = {
          items: [...items, ...(askHot ? [hot] : [])].map((variantId) => ({ variantId, quantity: 1 })),
          buyer,
          delivery: { method: 'pickup' },
          paymentMethod: 'cod',
        };
        const t0 = performance.now();
        const r = await fetch(`${server.base}/api/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify(body),
        });
        await r.arrayBuffer();
        latencies.push(performance.now() - t0);
        status[r.status] = (status[r.status] ?? 0) + 1;
      }
    }
    log(`${connections} clients for ${duration} s…`);
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, () => client()));
    const elapsed = (performance.now() - started) / 1000;

    const check = await withClient(async (c) => {
      const bad = await c.query(
        `select count(*)::int as n from market_variants v
         left join (select variant_id, sum(quantity) q from market_order_items group by variant_id) s on s.variant_id = v.id
         where v.id <> $1 and v.stock <> $2 - coalesce(s.q, 0)`,
        [hot, BIG_STOCK],
      );
      const negative = await c.query('select count(*)::int as n from market_variants where stock < 0');
      const hotRow = await c.query(
        `select v.stock, coalesce((select sum(quantity) from market_order_items where variant_id = v.id), 0)::int as sold from market_variants v where v.id = $1`,
        [hot],
      );
      const orders = await c.query('select count(*)::int as n, count(distinct checkout_id)::int as checkouts from market_orders');
      return {
        variantsOff: bad.rows[0].n as number,
        negativeStock: negative.rows[0].n as number,
        hotStockLeft: hotRow.rows[0].stock as number,
        hotSold: hotRow.rows[0].sold as number,
        orders: orders.rows[0].n as number,
        checkouts: orders.rows[0].checkouts as number,
      };
    });
    latencies.sort((a, b) => a - b);
    const created = status['201'] ?? 0;
    const result = {
      at: new Date().toISOString(),
      scenario: 'marketplace-checkout',
      cpus: os.cpus().length,
      load: os.loadavg().map((x) => round(x, 2)),
      connections,
      duration: round(elapsed, 2),
      stores,
      variants: variants.length + 1,
      requests: latencies.length,
      status,
      checkoutsPerSecond: round(created / elapsed),
      p50: round(pct(latencies, 50)),
      p95: round(pct(latencies, 95)),
      p99: round(pct(latencies, 99)),
      hotStock,
      hotAsked,
      ...check,
      zeroOversell:
        check.variantsOff === 0 &&
        check.negativeStock === 0 &&
        check.hotSold + check.hotStockLeft === hotStock &&
        check.checkouts === created &&
        (hotAsked <= hotStock || check.hotStockLeft === 0),
    };
    console.log(JSON.stringify(result, null, 2));
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.appendFileSync(path.join(ROOT, 'bench', 'results', 'marketplace-checkout.jsonl'), `${JSON.stringify(result)}\n`);
    if (!result.zeroOversell) process.exitCode = 1;
  } finally {
    await server.stop();
    if (!keep && !external) await admin(`drop database if exists ${DB_NAME}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
