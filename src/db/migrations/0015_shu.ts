import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// SHU distribution of a closed fiscal year (issue 6 item 5): per-koperasi SHU settings (bylaw
// allocation percentages, savings and transactions base), one run per koperasi and year (draft →
// approved at the RAT → posted, back to approved by a reversal) and every member's part with its
// payout. Money is whole Rupiah in bigint; percentages are exact decimals (numeric), never floats.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table shu_settings (
      koperasi_id uuid primary key references koperasi(id),
      allocations jsonb not null,
      savings_base text not null default 'pokok_wajib'
        check (savings_base in ('pokok_wajib', 'pokok_wajib_sukarela', 'average_pokok_wajib')),
      tx_loan_interest boolean not null default true,
      tx_shop_purchases boolean not null default true,
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table shu_runs (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      year int not null,
      status text not null default 'draft' check (status in ('draft', 'approved', 'posted')),
      shu bigint not null check (shu >= 0),
      allocations jsonb not null,
      cadangan_extra bigint not null default 0,
      settings jsonb not null,
      members int not null default 0,
      savings_total bigint not null default 0,
      transactions_total bigint not null default 0,
      jasa_modal_total bigint not null default 0,
      jasa_usaha_total bigint not null default 0,
      simulated_by uuid references users(id),
      simulated_at timestamptz not null default now(),
      rat_date date,
      decision_note text,
      approved_by uuid references users(id),
      approved_at timestamptz,
      posted_entry_id uuid references books_journal_entries(id),
      posted_by uuid references users(id),
      posted_at timestamptz,
      unique (koperasi_id, year)
    )`.execute(db);

  await sql`
    create table shu_run_members (
      run_id uuid not null references shu_runs(id) on delete cascade,
      member_id uuid not null references books_members(id),
      member_number int not null,
      savings bigint not null check (savings >= 0),
      loan_interest bigint not null default 0,
      purchases bigint not null default 0,
      transactions bigint not null check (transactions >= 0),
      jasa_modal bigint not null check (jasa_modal >= 0),
      jasa_usaha bigint not null check (jasa_usaha >= 0),
      total bigint not null check (total >= 0),
      paid_method text check (paid_method in ('kas', 'sukarela')),
      paid_on date,
      paid_entry_id uuid references books_journal_entries(id),
      paid_by uuid references users(id),
      primary key (run_id, member_id)
    )`.execute(db);
  await sql`create index shu_run_members_member on shu_run_members (member_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists shu_run_members`.execute(db);
  await sql`drop table if exists shu_runs`.execute(db);
  await sql`drop table if exists shu_settings`.execute(db);
}
