import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Koperasi shop (issue 5, shop mode for school, youth and consumer cooperatives): items with
// stock and moving-average cost, stock purchases, point-of-sale sales (per member for SHU) with
// voids, and the daily cash close. Every money movement also posts a journal entry in the books
// (books_journal_entries, source types shop_* from migration 0012). Money is whole Rupiah (bigint).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table shop_items (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      code text not null check (code ~ '^[A-Za-z0-9._-]{1,32}$'),
      name text not null check (length(name) between 1 and 120),
      unit text not null check (length(unit) between 1 and 20),
      sale_price bigint not null check (sale_price > 0),
      avg_cost bigint not null default 0 check (avg_cost >= 0),
      stock int not null default 0 check (stock >= 0),
      stock_value bigint not null default 0 check (stock_value >= 0),
      active boolean not null default true,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (koperasi_id, id),
      check (stock > 0 or stock_value = 0)
    )`.execute(db);
  await sql`create unique index shop_items_code_uq on shop_items (koperasi_id, lower(code))`.execute(db);
  await sql`create index shop_items_name_idx on shop_items (koperasi_id, lower(name))`.execute(db);

  await sql`
    create table shop_purchases (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      supplier text not null check (length(supplier) between 1 and 160),
      purchase_date date not null,
      payment text not null check (payment in ('kas', 'bank', 'kredit')),
      total bigint not null check (total > 0),
      journal_entry_id uuid not null references books_journal_entries(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (koperasi_id, id)
    )`.execute(db);
  await sql`create index shop_purchases_date_idx on shop_purchases (koperasi_id, purchase_date)`.execute(db);

  await sql`
    create table shop_purchase_lines (
      id bigint generated always as identity primary key,
      purchase_id uuid not null references shop_purchases(id),
      koperasi_id uuid not null,
      item_id uuid not null,
      quantity int not null check (quantity > 0),
      unit_cost bigint not null check (unit_cost > 0),
      amount bigint not null check (amount = quantity * unit_cost),
      foreign key (koperasi_id, item_id) references shop_items(koperasi_id, id)
    )`.execute(db);
  await sql`create index shop_purchase_lines_purchase_idx on shop_purchase_lines (purchase_id)`.execute(db);

  await sql`
    create table shop_sales (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      sale_date date not null,
      member_id uuid,
      total bigint not null check (total > 0),
      cost_total bigint not null check (cost_total >= 0),
      cash_paid bigint not null,
      change bigint not null check (change >= 0 and change = cash_paid - total),
      status text not null default 'posted' check (status in ('posted', 'void')),
      journal_entry_id uuid not null references books_journal_entries(id),
      void_date date,
      void_entry_id uuid references books_journal_entries(id),
      voided_by uuid references users(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (koperasi_id, id),
      foreign key (koperasi_id, member_id) references books_members(koperasi_id, id),
      check ((status = 'void') = (void_entry_id is not null)),
      check ((status = 'void') = (void_date is not null))
    )`.execute(db);
  await sql`create index shop_sales_date_idx on shop_sales (koperasi_id, sale_date)`.execute(db);
  await sql`create index shop_sales_void_date_idx on shop_sales (koperasi_id, void_date) where void_date is not null`.execute(db);
  await sql`create index shop_sales_member_idx on shop_sales (koperasi_id, member_id, sale_date) where member_id is not null`.execute(db);

  await sql`
    create table shop_sale_lines (
      id bigint generated always as identity primary key,
      sale_id uuid not null references shop_sales(id),
      koperasi_id uuid not null,
      item_id uuid not null,
      quantity int not null check (quantity > 0),
      unit_price bigint not null check (unit_price > 0),
      amount bigint not null check (amount = quantity * unit_price),
      cost bigint not null check (cost >= 0),
      foreign key (koperasi_id, item_id) references shop_items(koperasi_id, id)
    )`.execute(db);
  await sql`create index shop_sale_lines_sale_idx on shop_sale_lines (sale_id)`.execute(db);
  await sql`create index shop_sale_lines_item_idx on shop_sale_lines (item_id)`.execute(db);

  await sql`
    create table shop_cash_closes (
      koperasi_id uuid not null references koperasi(id),
      close_date date not null,
      expected bigint not null,
      counted bigint not null check (counted >= 0),
      difference bigint not null check (difference = counted - expected),
      journal_entry_id uuid references books_journal_entries(id),
      note text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (koperasi_id, close_date)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['shop_cash_closes', 'shop_sale_lines', 'shop_sales', 'shop_purchase_lines', 'shop_purchases', 'shop_items']) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
}
