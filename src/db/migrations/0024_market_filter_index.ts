import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Marketplace search at city scale (issue 4, 1,000,000 products): one GIN index over the words and
// the filter columns of the live products (btree_gin), so "tempe" in one kecamatan, category, from
// koperasi or halal is answered by intersecting posting lists inside the index and
// PostgreSQL visits only the rows that match every condition — not the 46,000 rows with the word,
// to throw 90 % of them away (a filtered count: 110–260 ms → a few ms). It also serves the
// filter-only browse (category + kecamatan without words) and replaces the words-only index.
// Not in it: stock (nine in ten products are in stock, nothing to narrow) and price (a range over
// thousands of distinct prices is read whole from a GIN index; the search leaves it to the rows).
// Created only where the btree_gin extension is available (PostgreSQL's contrib, as on Debian and
// the official images); the embedded PGlite does not load it and keeps the words-only index — its
// catalogues are small enough for that.

export async function up(db: Kysely<unknown>): Promise<void> {
  const available = await sql<{
    ok: boolean;
  }>`select exists (select 1 from pg_available_extensions where name = 'btree_gin') as ok`.execute(db);
  if (!available.rows[0]?.ok) return;
  await sql`create extension if not exists btree_gin`.execute(db);
  await sql`
    create index market_products_live_filter_idx on market_products
      using gin (search_tsv, category_id, kecamatan_code, store_kind, halal_until)
      where status = 'active' and store_open`.execute(db);
  await sql`drop index if exists market_products_live_tsv_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists market_products_live_tsv_idx on market_products using gin (search_tsv) where status = 'active' and store_open`.execute(
    db,
  );
  await sql`drop index if exists market_products_live_filter_idx`.execute(db);
}
