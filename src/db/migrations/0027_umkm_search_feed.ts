import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Change feed for the registry's in-process UMKM index (ADR 0015), as migration 0026 for the
// marketplace: every insert or update of a UMKM stamps the row with the id of the transaction that
// wrote it (`search_xid`, xid8), and a deleted UMKM leaves its id in umkm_search_removed with the
// same stamp. The index reads the rows stamped at or after the oldest transaction still running at
// its previous read (pg_snapshot_xmin). Rows written before this migration have no stamp: the
// index reads them in its full load.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table umkm add column search_xid xid8`.execute(db);
  await sql`
    create function umkm_search_stamp() returns trigger language plpgsql as $$
    begin
      new.search_xid := pg_current_xact_id();
      return new;
    end $$`.execute(db);
  await sql`
    create trigger umkm_search_stamp before insert or update on umkm
      for each row execute function umkm_search_stamp()`.execute(db);
  await sql`create index umkm_search_xid_idx on umkm (search_xid) where search_xid is not null`.execute(db);
  // Statistics for the new column (all null so far), as in 0026: without them the feed question
  // is costed as a third of the table.
  await sql`analyze umkm`.execute(db);
  await sql`
    create table umkm_search_removed (
      umkm_id uuid not null,
      xid xid8 not null default pg_current_xact_id(),
      removed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index umkm_search_removed_xid_idx on umkm_search_removed (xid)`.execute(db);
  await sql`
    create function umkm_search_removed() returns trigger language plpgsql as $$
    begin
      insert into umkm_search_removed (umkm_id) select id from old_rows;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger umkm_search_removed after delete on umkm
      referencing old table as old_rows for each statement execute function umkm_search_removed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists umkm_search_removed on umkm`.execute(db);
  await sql`drop function if exists umkm_search_removed()`.execute(db);
  await sql`drop table if exists umkm_search_removed`.execute(db);
  await sql`drop trigger if exists umkm_search_stamp on umkm`.execute(db);
  await sql`drop function if exists umkm_search_stamp()`.execute(db);
  await sql`alter table umkm drop column if exists search_xid`.execute(db);
}
