import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Marketplace catalogue (issue 4): category tree, stores of verified UMKM/koperasi, their delivery
// fees and pickup points, products with variants (price and stock per variant) and photos.
// market_products.min_price / in_stock are kept by a trigger on market_variants. Money is whole
// Rupiah in bigint.

const CATEGORIES: Array<[id: string, parent: string | null, nameId: string, nameEn: string]> = [
  ['kuliner', null, 'Kuliner', 'Food & drink'],
  ['kuliner-makanan-berat', 'kuliner', 'Makanan berat', 'Meals'],
  ['kuliner-camilan', 'kuliner', 'Camilan & keripik', 'Snacks & chips'],
  ['kuliner-kue-roti', 'kuliner', 'Kue & roti', 'Cakes & bread'],
  ['kuliner-minuman', 'kuliner', 'Minuman', 'Drinks'],
  ['kuliner-sambal-bumbu', 'kuliner', 'Sambal & bumbu', 'Sambal & spices'],
  ['kuliner-frozen', 'kuliner', 'Frozen food', 'Frozen food'],
  ['fashion', null, 'Fashion', 'Fashion'],
  ['fashion-batik-malangan', 'fashion', 'Batik Malangan', 'Batik Malangan'],
  ['fashion-pakaian', 'fashion', 'Pakaian', 'Clothing'],
  ['fashion-hijab-aksesoris', 'fashion', 'Hijab & aksesoris', 'Hijab & accessories'],
  ['fashion-tas-dompet', 'fashion', 'Tas & dompet', 'Bags & wallets'],
  ['kriya', null, 'Kriya', 'Crafts'],
  ['kriya-keramik', 'kriya', 'Keramik', 'Ceramics'],
  ['kriya-rotan', 'kriya', 'Rotan', 'Rattan'],
  ['kriya-topeng', 'kriya', 'Topeng', 'Masks'],
  ['kriya-kayu-mebel', 'kriya', 'Kayu & mebel', 'Wood & furniture'],
  ['kriya-anyaman', 'kriya', 'Anyaman', 'Weaving'],
  ['pertanian', null, 'Pertanian', 'Farm produce'],
  ['pertanian-sayur-buah', 'pertanian', 'Sayur & buah', 'Vegetables & fruit'],
  ['pertanian-bibit-tanaman', 'pertanian', 'Bibit & tanaman', 'Seeds & plants'],
  ['pertanian-olahan', 'pertanian', 'Hasil olahan tani', 'Processed farm goods'],
  ['kesehatan', null, 'Kesehatan & kecantikan', 'Health & beauty'],
  ['kesehatan-jamu', 'kesehatan', 'Jamu', 'Jamu (herbal drinks)'],
  ['kesehatan-perawatan', 'kesehatan', 'Perawatan', 'Personal care'],
  ['jasa', null, 'Jasa', 'Services'],
  ['jasa-jahit', 'jasa', 'Jahit', 'Tailoring'],
  ['jasa-servis', 'jasa', 'Servis', 'Repairs'],
  ['jasa-katering', 'jasa', 'Katering', 'Catering'],
  ['jasa-desain-cetak', 'jasa', 'Desain & cetak', 'Design & printing'],
  ['oleh-oleh', null, 'Oleh-oleh', 'Souvenirs'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table market_categories (
      id text primary key check (id ~ '^[a-z0-9-]+$'),
      parent_id text references market_categories(id),
      name_id text not null,
      name_en text not null,
      position int not null default 0
    )`.execute(db);
  await sql`create index market_categories_parent_idx on market_categories (parent_id, position)`.execute(db);
  await sql`create index market_categories_name_trgm on market_categories using gin (name_id gin_trgm_ops)`.execute(db);

  await sql`
    create table market_stores (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null unique references organizations(id),
      organization_kind text not null check (organization_kind in ('umkm', 'koperasi')),
      slug text not null unique check (slug ~ '^[a-z0-9-]+$'),
      name text not null,
      story text,
      logo_key text,
      banner_key text,
      whatsapp text,
      opening_hours text,
      address text,
      kelurahan_code text references regions(code),
      kecamatan_code text,
      offers_pickup boolean not null default true,
      offers_delivery boolean not null default false,
      offers_cod boolean not null default false,
      bank_name text,
      bank_account_number text,
      bank_account_name text,
      qris_key text,
      status text not null default 'open' check (status in ('open', 'closed')),
      is_demo boolean not null default false,
      created_at timestamptz default now(),
      updated_at timestamptz default now()
    )`.execute(db);
  await sql`create index market_stores_kecamatan_idx on market_stores (kecamatan_code, status)`.execute(db);
  await sql`create index market_stores_kind_idx on market_stores (organization_kind, status)`.execute(db);

  await sql`
    create table market_store_delivery_fees (
      store_id uuid references market_stores(id) on delete cascade,
      kecamatan_code text not null,
      fee bigint not null check (fee >= 0),
      primary key (store_id, kecamatan_code)
    )`.execute(db);

  await sql`
    create table market_pickup_points (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references market_stores(id) on delete cascade,
      kind text not null check (kind in ('alamat', 'pasar', 'sentra')),
      label text not null,
      address text,
      position int not null default 0
    )`.execute(db);
  await sql`create index market_pickup_points_store_idx on market_pickup_points (store_id, position)`.execute(db);

  await sql`
    create table market_products (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references market_stores(id),
      category_id text references market_categories(id),
      name text not null,
      slug text not null,
      description text not null default '',
      status text not null default 'active' check (status in ('draft', 'active', 'archived')),
      weight_grams int check (weight_grams is null or weight_grams >= 0),
      min_price bigint not null default 0,
      in_stock boolean not null default false,
      sold_count int not null default 0,
      search_tsv tsvector generated always as (
        setweight(to_tsvector('indonesian', name), 'A') || setweight(to_tsvector('indonesian', left(description, 2000)), 'B')
      ) stored,
      created_at timestamptz default now(),
      updated_at timestamptz default now(),
      unique (store_id, slug)
    )`.execute(db);
  await sql`create index market_products_tsv_idx on market_products using gin (search_tsv)`.execute(db);
  await sql`create index market_products_name_trgm_idx on market_products using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index market_products_status_category_idx on market_products (status, category_id)`.execute(db);
  await sql`create index market_products_min_price_idx on market_products (min_price)`.execute(db);
  await sql`create index market_products_created_idx on market_products (created_at)`.execute(db);
  await sql`create index market_products_sold_idx on market_products (sold_count)`.execute(db);
  await sql`create index market_products_store_idx on market_products (store_id, status, created_at)`.execute(db);

  await sql`
    create table market_variants (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references market_products(id) on delete cascade,
      name text not null default '',
      price bigint not null check (price > 0),
      stock int not null check (stock >= 0),
      position int not null default 0,
      active boolean not null default true
    )`.execute(db);
  await sql`create index market_variants_product_idx on market_variants (product_id, position)`.execute(db);

  await sql`
    create table market_product_photos (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references market_products(id) on delete cascade,
      position int not null default 0,
      small_key text not null,
      medium_key text not null,
      large_key text not null,
      created_at timestamptz default now()
    )`.execute(db);
  await sql`create index market_product_photos_product_idx on market_product_photos (product_id, position)`.execute(db);

  // min_price = lowest active variant price, in_stock = any active variant with stock.
  await sql`
    create function market_refresh_product(p uuid) returns void language sql as $$
      update market_products set
        min_price = coalesce((select min(price) from market_variants where product_id = p and active), 0),
        in_stock = exists (select 1 from market_variants where product_id = p and active and stock > 0)
      where id = p
    $$`.execute(db);
  await sql`
    create function market_variants_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        perform market_refresh_product(old.product_id);
        return old;
      end if;
      if tg_op = 'UPDATE' and old.product_id <> new.product_id then
        perform market_refresh_product(old.product_id);
      end if;
      if tg_op = 'UPDATE' and old.price = new.price and old.active = new.active
         and (old.stock > 0) = (new.stock > 0) and old.product_id = new.product_id then
        return new;
      end if;
      perform market_refresh_product(new.product_id);
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger market_variants_changed after insert or update or delete on market_variants
    for each row execute function market_variants_changed()`.execute(db);

  for (const [i, [id, parent, nameId, nameEn]] of CATEGORIES.entries()) {
    await sql`insert into market_categories (id, parent_id, name_id, name_en, position)
      values (${id}, ${parent}, ${nameId}, ${nameEn}, ${i})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists market_product_photos, market_variants, market_products, market_pickup_points,
    market_store_delivery_fees, market_stores, market_categories cascade`.execute(db);
  await sql`drop function if exists market_variants_changed() cascade`.execute(db);
  await sql`drop function if exists market_refresh_product(uuid) cascade`.execute(db);
}
