import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Cooperative lending (issue 6): per-koperasi lending settings (kolektibilitas bands), loan
// products, loans with their repayment schedules (versioned: a reschedule adds a version and keeps
// the old one), repayments and a loan history. Money is whole Rupiah in bigint; rates are exact
// decimals (numeric), never floats. Journal entries live in the books (books_journal_entries).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lending_settings (
      koperasi_id uuid primary key references koperasi(id),
      kol_bands jsonb not null,
      reminder_days_before int not null default 3 check (reminder_days_before between 0 and 30),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table loan_products (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      name text not null,
      method text not null check (method in ('flat', 'efektif', 'anuitas')),
      annual_rate_percent numeric(12, 6) not null check (annual_rate_percent >= 0 and annual_rate_percent <= 100),
      rate_basis text not null default 'year' check (rate_basis in ('year', 'month')),
      min_term int not null check (min_term >= 1),
      max_term int not null check (max_term >= min_term and max_term <= 360),
      min_amount bigint not null default 1 check (min_amount >= 1),
      max_amount bigint not null check (max_amount >= min_amount),
      max_savings_multiple numeric(8, 2) check (max_savings_multiple is null or max_savings_multiple > 0),
      admin_fee_percent numeric(8, 4) not null default 0 check (admin_fee_percent >= 0 and admin_fee_percent < 100),
      admin_fee_flat bigint not null default 0 check (admin_fee_flat >= 0),
      provisi_percent numeric(8, 4) not null default 0 check (provisi_percent >= 0 and provisi_percent < 100),
      fee_timing text not null default 'deducted' check (fee_timing in ('deducted', 'upfront')),
      penalty_mode text not null default 'none' check (penalty_mode in ('none', 'per_day', 'per_month')),
      penalty_rate_percent numeric(8, 4) not null default 0 check (penalty_rate_percent >= 0 and penalty_rate_percent <= 100),
      grace_months int not null default 0 check (grace_months >= 0),
      rounding_unit bigint not null default 1 check (rounding_unit >= 1),
      early_payoff_rule text not null default 'principal_only'
        check (early_payoff_rule in ('principal_only', 'current_month_interest', 'all_remaining_interest')),
      writeoff_min_days int not null default 181 check (writeoff_min_days >= 0),
      active boolean not null default true,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (koperasi_id, name),
      check (grace_months < min_term)
    )`.execute(db);

  await sql`
    create table loan_counters (
      koperasi_id uuid primary key references koperasi(id),
      value int not null
    )`.execute(db);

  await sql`
    create table loans (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      number int not null check (number > 0),
      member_id uuid not null references books_members(id),
      product_id uuid not null references loan_products(id),
      principal bigint not null check (principal > 0),
      term_months int not null check (term_months between 1 and 360),
      method text not null check (method in ('flat', 'efektif', 'anuitas')),
      annual_rate_percent numeric(12, 6) not null,
      rounding_unit bigint not null default 1,
      grace_months int not null default 0,
      purpose text not null,
      collateral text,
      guarantor text,
      analysis_notes text,
      status text not null default 'diajukan'
        check (status in ('diajukan', 'disetujui', 'ditolak', 'aktif', 'lunas', 'dihapusbukukan')),
      entered_by uuid references users(id),
      applied_on date not null,
      decided_by uuid references users(id),
      decided_at timestamptz,
      rejection_reason text,
      disbursed_on date,
      disbursement_method text check (disbursement_method in ('cash', 'transfer')),
      admin_fee bigint not null default 0 check (admin_fee >= 0),
      provisi_fee bigint not null default 0 check (provisi_fee >= 0),
      disbursement_entry_id uuid references books_journal_entries(id),
      schedule_version int not null default 0,
      principal_outstanding bigint not null default 0 check (principal_outstanding >= 0),
      days_past_due int not null default 0,
      kolektibilitas text not null default 'lancar',
      arrears_as_of date,
      closed_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (koperasi_id, number),
      check (decided_by is null or entered_by is null or decided_by <> entered_by or status in ('diajukan', 'ditolak'))
    )`.execute(db);
  await sql`create index loans_member_idx on loans (member_id)`.execute(db);
  await sql`create index loans_koperasi_status_idx on loans (koperasi_id, status)`.execute(db);

  await sql`
    create table loan_installments (
      loan_id uuid not null references loans(id),
      version int not null,
      number int not null check (number >= 1),
      due_date date not null,
      principal bigint not null check (principal >= 0),
      interest bigint not null check (interest >= 0),
      paid_principal bigint not null default 0 check (paid_principal >= 0 and paid_principal <= principal),
      paid_interest bigint not null default 0 check (paid_interest >= 0 and paid_interest <= interest),
      waived_interest bigint not null default 0 check (waived_interest >= 0),
      penalty bigint not null default 0 check (penalty >= 0),
      paid_penalty bigint not null default 0 check (paid_penalty >= 0 and paid_penalty <= penalty),
      penalty_through date,
      reminded_at date,
      settled_on date,
      primary key (loan_id, version, number),
      check (paid_interest + waived_interest <= interest)
    )`.execute(db);
  await sql`create index loan_installments_open_idx on loan_installments (due_date) where settled_on is null`.execute(db);

  await sql`
    create table loan_repayments (
      id uuid primary key default gen_random_uuid(),
      loan_id uuid not null references loans(id),
      koperasi_id uuid not null references koperasi(id),
      paid_on date not null,
      amount bigint not null check (amount > 0),
      penalty bigint not null check (penalty >= 0),
      interest bigint not null check (interest >= 0),
      principal bigint not null check (principal >= 0),
      kind text not null check (kind in ('angsuran', 'pelunasan')),
      method text not null default 'cash' check (method in ('cash', 'transfer')),
      journal_entry_id uuid not null references books_journal_entries(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (amount = penalty + interest + principal)
    )`.execute(db);
  await sql`create index loan_repayments_loan_idx on loan_repayments (loan_id, paid_on)`.execute(db);
  await sql`create index loan_repayments_koperasi_date_idx on loan_repayments (koperasi_id, paid_on)`.execute(db);

  await sql`
    create table loan_events (
      id uuid primary key default gen_random_uuid(),
      loan_id uuid not null references loans(id),
      kind text not null,
      actor_user_id uuid references users(id),
      data jsonb not null default '{}'::jsonb,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index loan_events_loan_idx on loan_events (loan_id, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['loan_events', 'loan_repayments', 'loan_installments', 'loans', 'loan_counters', 'loan_products', 'lending_settings'])
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
}
