import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Marketplace discovery (issue 4, items 3, 9, 10):
//   market_origin_verifications  "Produk Asli Malang": a seller's request and dinas' decision on a
//                                product; a verified one carries an unguessable short code printed on
//                                QR labels (/verifikasi/<code>); revoked ones keep their code so a
//                                scanned label says it was revoked. At most one live (requested or
//                                verified) record per product.
//   market_campaigns (+ _products) collections and events curated by dinas, shown when published.
//   market_reviews               one review per completed order item (1–5 and a comment), one reply
//                                by the seller, hidden by dinas with a reason.
//   market_products.rating_count / rating_avg  over the visible reviews (kept by the service).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table market_origin_verifications (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references market_products(id) on delete cascade,
      status text not null check (status in ('requested', 'verified', 'rejected', 'revoked')),
      code text unique check (code is null or code ~ '^[0-9A-Z]{10}$'),
      request_note text,
      requested_by uuid references users(id),
      requested_at timestamptz,
      note text,
      verified_by uuid references users(id),
      verified_at timestamptz,
      rejection_reason text,
      revoke_reason text,
      revoked_by uuid references users(id),
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status not in ('verified', 'revoked') or (code is not null and verified_at is not null)),
      check (status <> 'revoked' or (revoked_at is not null and revoke_reason is not null))
    )`.execute(db);
  await sql`create unique index market_origin_live_idx on market_origin_verifications (product_id)
    where status in ('requested', 'verified')`.execute(db);
  await sql`create index market_origin_status_idx on market_origin_verifications (status, requested_at)`.execute(db);

  await sql`
    create table market_campaigns (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9-]+$'),
      title text not null,
      description text not null default '',
      kind text not null check (kind in ('collection', 'event')),
      starts_on date,
      ends_on date,
      place text,
      cover_key text,
      published boolean not null default false,
      is_demo boolean not null default false,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (starts_on is null or ends_on is null or ends_on >= starts_on)
    )`.execute(db);
  await sql`create index market_campaigns_published_idx on market_campaigns (published, starts_on, ends_on)`.execute(db);
  await sql`
    create table market_campaign_products (
      campaign_id uuid not null references market_campaigns(id) on delete cascade,
      product_id uuid not null references market_products(id) on delete cascade,
      position int not null default 0,
      primary key (campaign_id, product_id)
    )`.execute(db);
  await sql`create index market_campaign_products_product_idx on market_campaign_products (product_id)`.execute(db);

  await sql`
    create table market_reviews (
      id uuid primary key default gen_random_uuid(),
      order_item_id uuid not null unique references market_order_items(id),
      order_id uuid not null references market_orders(id),
      product_id uuid not null references market_products(id) on delete cascade,
      store_id uuid not null references market_stores(id),
      buyer_user_id uuid references users(id),
      reviewer_name text not null,
      rating smallint not null check (rating between 1 and 5),
      comment text not null default '' check (length(comment) <= 2000),
      reply text check (reply is null or length(reply) <= 2000),
      replied_by uuid references users(id),
      replied_at timestamptz,
      hidden boolean not null default false,
      hidden_reason text,
      hidden_by uuid references users(id),
      hidden_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index market_reviews_product_idx on market_reviews (product_id, hidden, created_at)`.execute(db);
  await sql`create index market_reviews_store_idx on market_reviews (store_id, created_at)`.execute(db);

  await sql`
    alter table market_products
      add column rating_count int not null default 0,
      add column rating_avg numeric(3, 2)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table market_products drop column if exists rating_count, drop column if exists rating_avg`.execute(db);
  await sql`drop table if exists market_reviews, market_campaign_products, market_campaigns, market_origin_verifications cascade`.execute(
    db,
  );
}
