import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Change feed for the in-process search index (ADR 0014): every insert or update of a product
// stamps the row with the id of the transaction that wrote it (`search_xid`, xid8), and a deleted
// product leaves its id in market_search_removed with the same stamp. A process holding the index
// asks for the rows stamped at or after the oldest transaction still running at its previous
// question (pg_snapshot_xmin), so a transaction that commits late is never skipped; reading a row
// twice is harmless. Rows written before this migration have no stamp: the index reads them in its
// full load. Old removals are pruned after a day (the index reloads itself more often than that).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table market_products add column search_xid xid8`.execute(db);
  await sql`
    create function market_products_search_stamp() returns trigger language plpgsql as $$
    begin
      new.search_xid := pg_current_xact_id();
      return new;
    end $$`.execute(db);
  await sql`
    create trigger market_products_search_stamp before insert or update on market_products
      for each row execute function market_products_search_stamp()`.execute(db);
  await sql`create index market_products_search_xid_idx on market_products (search_xid) where search_xid is not null`.execute(db);
  // Statistics for the new column (all null so far): without them PostgreSQL expects a third of
  // the table to match every feed question, and costs it high enough to JIT-compile each one.
  await sql`analyze market_products`.execute(db);
  await sql`
    create table market_search_removed (
      product_id uuid not null,
      xid xid8 not null default pg_current_xact_id(),
      removed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index market_search_removed_xid_idx on market_search_removed (xid)`.execute(db);
  await sql`
    create function market_products_search_removed() returns trigger language plpgsql as $$
    begin
      insert into market_search_removed (product_id) select id from old_rows;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger market_products_search_removed after delete on market_products
      referencing old table as old_rows for each statement execute function market_products_search_removed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists market_products_search_removed on market_products`.execute(db);
  await sql`drop function if exists market_products_search_removed()`.execute(db);
  await sql`drop table if exists market_search_removed`.execute(db);
  await sql`drop trigger if exists market_products_search_stamp on market_products`.execute(db);
  await sql`drop function if exists market_products_search_stamp()`.execute(db);
  await sql`alter table market_products drop column if exists search_xid`.execute(db);
}
