import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Marketplace search, typo tolerance (issue 4 item 4): the vocabulary of product names — every
// word (unstemmed, 'simple' config, 2–40 letters) that appears in a product's name — with a
// trigram index. A search whose words find (almost) nothing looks up the closest vocabulary words
// by trigram similarity (a table of a few thousand words, not a million names) and runs the full
// text search again with them: "kripik tmpe" → keripik, tempe. Words are added by trigger when a
// product is created or renamed and never removed (a word no product has any more only leads to
// a correction that finds nothing, and the search then keeps its first answer).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create table market_search_words (word text primary key)`.execute(db);
  await sql`create index market_search_words_trgm_idx on market_search_words using gin (word gin_trgm_ops)`.execute(db);
  await sql`
    create function market_search_words_add() returns trigger language plpgsql as $$
    begin
      insert into market_search_words (word)
        select w from unnest(tsvector_to_array(new.name_tsv)) as w where length(w) between 2 and 40
        on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger market_search_words_add after insert or update of name on market_products
      for each row execute function market_search_words_add()`.execute(db);
  await sql`
    insert into market_search_words (word)
      select distinct w from market_products, unnest(tsvector_to_array(name_tsv)) as w where length(w) between 2 and 40
      on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists market_search_words_add on market_products`.execute(db);
  await sql`drop function if exists market_search_words_add()`.execute(db);
  await sql`drop table if exists market_search_words`.execute(db);
}
