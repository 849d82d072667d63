import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Registry word search, typo tolerance (issue 3 item 6): the vocabulary of the registry's search
// text — every word (unstemmed, 'simple' config, 2–40 letters) of a UMKM's or koperasi's search
// text (business, brand and owner names, product words; koperasi name and numbers) — with a
// trigram index. A search whose words find (almost) nothing looks up the closest vocabulary words
// and runs the full-text search again with them ("kramik dinoyo" → keramik). Added by trigger on
// every insert or change of the search text; never removed (a stale word only leads to a
// correction that finds nothing more).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create table registry_search_words (word text primary key)`.execute(db);
  await sql`create index registry_search_words_trgm_idx on registry_search_words using gin (word gin_trgm_ops)`.execute(db);
  await sql`
    create function registry_search_words_add() returns trigger language plpgsql as $$
    begin
      insert into registry_search_words (word)
        select w from unnest(tsvector_to_array(to_tsvector('simple', new.search_text))) as w where length(w) between 2 and 40
        on conflict do nothing;
      return null;
    end $$`.execute(db);
  for (const table of ['umkm', 'koperasi']) {
    await sql`
      create trigger ${sql.raw(`${table}_search_words_add`)} after insert or update of search_text on ${sql.table(table)}
        for each row execute function registry_search_words_add()`.execute(db);
    await sql`
      insert into registry_search_words (word)
        select distinct w from ${sql.table(table)}, unnest(tsvector_to_array(to_tsvector('simple', search_text))) as w
        where length(w) between 2 and 40
        on conflict do nothing`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists umkm_search_words_add on umkm`.execute(db);
  await sql`drop trigger if exists koperasi_search_words_add on koperasi`.execute(db);
  await sql`drop function if exists registry_search_words_add()`.execute(db);
  await sql`drop table if exists registry_search_words`.execute(db);
}
