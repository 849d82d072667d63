import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Marketplace search (issue 4, items 4 and 11): facts the public search filters on, copied onto
// market_products so a search over a million products never joins stores or registry documents:
//   kecamatan_code  the store's kecamatan (or its kelurahan's parent),
//   store_kind      'umkm' | 'koperasi',
//   store_open      the store's status is 'open',
//   halal_until     the latest expiry of the maker's halal documents ('infinity' when one has no
//                   expiry, null when none) — "halal" means halal_until >= current_date, so a
//                   certificate that expires stops counting the next day without any job.
// Kept by triggers: before insert (or store change) of a product, after a change of a store's
// status/kind/kecamatan/kelurahan, after any insert/update/delete of a halal document.
// name_tsv: the name's words unstemmed ('simple' config) for as-you-type prefix suggestions — the
// Indonesian stemmer turns "keripik" into "ripik", so "ker…" never prefixes the stemmed lexeme.
// Partial indexes cover only what the public sees (active products of open stores).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    alter table market_products
      add column kecamatan_code text,
      add column store_kind text check (store_kind in ('umkm', 'koperasi')),
      add column store_open boolean not null default false,
      add column halal_until date,
      add column name_tsv tsvector generated always as (to_tsvector('simple', name)) stored`.execute(db);

  await sql`
    create function market_halal_until(org uuid) returns date language sql stable as $$
      select max(coalesce(expires_on, 'infinity'::date)) from umkm_documents where umkm_id = org and kind = 'halal'
    $$`.execute(db);

  await sql`
    create function market_products_store_facts() returns trigger language plpgsql as $$
    declare s record;
    begin
      select st.status, st.organization_kind, st.organization_id,
             coalesce(st.kecamatan_code, (select parent_code from regions where code = st.kelurahan_code)) as kec
        into s from market_stores st where st.id = new.store_id;
      new.kecamatan_code := s.kec;
      new.store_kind := s.organization_kind;
      new.store_open := coalesce(s.status = 'open', false);
      new.halal_until := market_halal_until(s.organization_id);
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger market_products_store_facts before insert or update of store_id on market_products
    for each row execute function market_products_store_facts()`.execute(db);

  await sql`
    create function market_stores_facts_changed() returns trigger language plpgsql as $$
    begin
      update market_products set
        kecamatan_code = coalesce(new.kecamatan_code, (select parent_code from regions where code = new.kelurahan_code)),
        store_kind = new.organization_kind,
        store_open = (new.status = 'open'),
        halal_until = market_halal_until(new.organization_id)
      where store_id = new.id;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger market_stores_facts_changed after update of status, organization_kind, organization_id, kecamatan_code, kelurahan_code
    on market_stores for each row
    when (old.status is distinct from new.status or old.organization_kind is distinct from new.organization_kind
          or old.organization_id is distinct from new.organization_id
          or old.kecamatan_code is distinct from new.kecamatan_code or old.kelurahan_code is distinct from new.kelurahan_code)
    execute function market_stores_facts_changed()`.execute(db);

  await sql`
    create function market_halal_docs_changed() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.kind = 'halal' then
        update market_products p set halal_until = market_halal_until(old.umkm_id)
          from market_stores s where s.organization_id = old.umkm_id and p.store_id = s.id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.kind = 'halal'
         and (tg_op = 'INSERT' or old.kind <> 'halal' or old.umkm_id <> new.umkm_id
              or old.expires_on is distinct from new.expires_on) then
        update market_products p set halal_until = market_halal_until(new.umkm_id)
          from market_stores s where s.organization_id = new.umkm_id and p.store_id = s.id;
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger market_halal_docs_changed after insert or update or delete on umkm_documents
    for each row execute function market_halal_docs_changed()`.execute(db);

  // Existing rows.
  await sql`
    update market_products p set
      kecamatan_code = coalesce(s.kecamatan_code, (select parent_code from regions where code = s.kelurahan_code)),
      store_kind = s.organization_kind,
      store_open = (s.status = 'open'),
      halal_until = market_halal_until(s.organization_id)
    from market_stores s where s.id = p.store_id`.execute(db);

  // What the public sees: active products of open stores.
  const live = sql.raw(`where status = 'active' and store_open`);
  await sql`create index market_products_live_tsv_idx on market_products using gin (search_tsv) ${live}`.execute(db);
  await sql`create index market_products_live_name_tsv_idx on market_products using gin (name_tsv) ${live}`.execute(db);
  await sql`create index market_products_live_name_trgm_idx on market_products using gin (name gin_trgm_ops) ${live}`.execute(db);
  await sql`create index market_products_live_new_idx on market_products (created_at desc, id) ${live}`.execute(db);
  await sql`create index market_products_live_price_idx on market_products (min_price, id) ${live}`.execute(db);
  await sql`create index market_products_live_sold_idx on market_products (sold_count desc, id) ${live}`.execute(db);
  await sql`create index market_products_live_category_idx on market_products (category_id, created_at desc) ${live}`.execute(db);
  await sql`create index market_products_live_kecamatan_idx on market_products (kecamatan_code, created_at desc) ${live}`.execute(db);
  await sql`create index market_products_live_store_idx on market_products (store_id, created_at desc) ${live}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists market_halal_docs_changed on umkm_documents`.execute(db);
  await sql`drop trigger if exists market_stores_facts_changed on market_stores`.execute(db);
  await sql`drop trigger if exists market_products_store_facts on market_products`.execute(db);
  await sql`drop function if exists market_halal_docs_changed(), market_stores_facts_changed(), market_products_store_facts(),
    market_halal_until(uuid)`.execute(db);
  await sql`alter table market_products drop column if exists kecamatan_code, drop column if exists store_kind,
    drop column if exists store_open, drop column if exists halal_until, drop column if exists name_tsv`.execute(db);
}
