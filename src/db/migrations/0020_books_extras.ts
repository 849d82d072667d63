import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Simpanan berjangka (term deposits, issue 5): per-koperasi products (term in months, annual rate
// in basis points) and the deposits of members. The money sits in account 2-1200 Simpanan
// Berjangka (already in the chart); the journal entries use source types 'savings' (opening) and
// 'settlement' (closing). Money is whole Rupiah in bigint.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table books_deposit_products (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      name text not null check (length(name) between 1 and 100),
      term_months int not null check (term_months between 1 and 120),
      rate_bp int not null check (rate_bp between 0 and 10000),
      active boolean not null default true,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (koperasi_id, name)
    )`.execute(db);

  await sql`
    create table books_term_deposits (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      member_id uuid not null references books_members(id),
      product_id uuid not null references books_deposit_products(id),
      principal bigint not null check (principal > 0),
      term_months int not null check (term_months between 1 and 120),
      rate_bp int not null check (rate_bp between 0 and 10000),
      open_date date not null,
      maturity_date date not null check (maturity_date > open_date),
      status text not null default 'aktif' check (status in ('aktif', 'cair')),
      close_date date check (close_date is null or close_date >= open_date),
      interest_paid bigint not null default 0 check (interest_paid >= 0),
      early boolean,
      open_entry_id uuid not null references books_journal_entries(id),
      close_entry_id uuid references books_journal_entries(id),
      created_by uuid references users(id),
      closed_by uuid references users(id),
      created_at timestamptz not null default now(),
      check ((status = 'cair') = (close_date is not null))
    )`.execute(db);
  await sql`create index books_term_deposits_member on books_term_deposits (member_id, status)`.execute(db);
  await sql`create index books_term_deposits_kop on books_term_deposits (koperasi_id, status, maturity_date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists books_term_deposits`.execute(db);
  await sql`drop table if exists books_deposit_products`.execute(db);
}
