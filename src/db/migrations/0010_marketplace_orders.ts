import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Marketplace orders (issue 4, items 5–8): carts, orders (one per store per checkout) with their
// items and status history, and idempotency records for checkouts. Money is whole Rupiah in bigint.
// Stock lives in market_variants (0009_marketplace) and is decremented only inside the checkout
// transaction with a guarded update (stock >= quantity).

export async function up(db: Kysely<unknown>): Promise<void> {
  // Order numbers NL-YYMMDD-000123: the date part is the WIB day, the counter is global.
  await sql`create sequence market_order_number_seq`.execute(db);

  await sql`
    create table market_orders (
      id uuid primary key default gen_random_uuid(),
      number text not null unique,
      checkout_id uuid not null,
      store_id uuid not null references market_stores(id),
      buyer_user_id uuid references users(id),
      buyer_name text not null,
      buyer_phone text not null,
      buyer_address text not null,
      buyer_kelurahan_code text not null references regions(code),
      delivery_method text not null check (delivery_method in ('pickup', 'seller_delivery', 'cod')),
      pickup_point_id uuid references market_pickup_points(id) on delete set null,
      delivery_fee bigint not null default 0 check (delivery_fee >= 0),
      payment_method text not null check (payment_method in ('transfer', 'qris', 'cod')),
      subtotal bigint not null check (subtotal >= 0),
      total bigint not null check (total >= 0),
      status text not null check (status in ('menunggu_pembayaran', 'dibayar', 'diproses', 'dikirim', 'siap_diambil', 'selesai', 'dibatalkan')),
      cancel_reason text,
      cancelled_by text check (cancelled_by in ('buyer', 'seller', 'system')),
      tracking_token_hash text not null unique,
      payment_proof_key text,
      payment_proof_at timestamptz,
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      paid_at timestamptz,
      processed_at timestamptz,
      shipped_at timestamptz,
      completed_at timestamptz,
      cancelled_at timestamptz,
      check (total = subtotal + delivery_fee)
    )`.execute(db);
  await sql`create index market_orders_store_idx on market_orders (store_id, status, created_at desc)`.execute(db);
  await sql`create index market_orders_store_created_idx on market_orders (store_id, created_at)`.execute(db);
  await sql`create index market_orders_buyer_idx on market_orders (buyer_user_id, created_at desc) where buyer_user_id is not null`.execute(
    db,
  );
  await sql`create index market_orders_checkout_idx on market_orders (checkout_id)`.execute(db);
  await sql`create index market_orders_expiry_idx on market_orders (expires_at) where status = 'menunggu_pembayaran'`.execute(db);

  await sql`
    create table market_order_items (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references market_orders(id) on delete cascade,
      variant_id uuid not null references market_variants(id),
      product_id uuid not null references market_products(id),
      product_name text not null,
      variant_name text not null default '',
      unit_price bigint not null check (unit_price > 0),
      quantity int not null check (quantity > 0),
      line_total bigint not null check (line_total = unit_price * quantity),
      unique (order_id, variant_id)
    )`.execute(db);
  await sql`create index market_order_items_product_idx on market_order_items (product_id)`.execute(db);

  await sql`
    create table market_order_events (
      id bigint generated always as identity primary key,
      order_id uuid not null references market_orders(id) on delete cascade,
      from_status text,
      to_status text not null,
      actor_user_id uuid references users(id),
      actor_kind text not null check (actor_kind in ('buyer', 'seller', 'system')),
      reason text,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index market_order_events_order_idx on market_order_events (order_id, id)`.execute(db);

  await sql`
    create table market_idempotency (
      key text not null,
      scope text not null,
      request_hash text not null,
      response jsonb,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    )`.execute(db);
  await sql`create index market_idempotency_created_idx on market_idempotency (created_at)`.execute(db);

  // Carts: a guest's cart is found by the hash of its cookie token; a logged-in user's by user_id.
  await sql`
    create table market_carts (
      id uuid primary key default gen_random_uuid(),
      token_hash text unique,
      user_id uuid unique references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (token_hash is not null or user_id is not null)
    )`.execute(db);
  await sql`
    create table market_cart_items (
      cart_id uuid not null references market_carts(id) on delete cascade,
      variant_id uuid not null references market_variants(id) on delete cascade,
      quantity int not null check (quantity > 0 and quantity <= 999),
      added_at timestamptz not null default now(),
      primary key (cart_id, variant_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'market_cart_items',
    'market_carts',
    'market_idempotency',
    'market_order_events',
    'market_order_items',
    'market_orders',
  ]) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
  await sql`drop sequence if exists market_order_number_seq`.execute(db);
}
