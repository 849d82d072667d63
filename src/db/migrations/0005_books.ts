import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Cooperative books (issue 5): settings, chart of accounts, double-entry journal, monthly periods,
// members, simpanan (pokok/wajib/sukarela) transactions and per-member balances. Money is whole
// Rupiah in bigint. Posted journal lines are immutable (enforced by triggers below).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table books_settings (
      koperasi_id uuid primary key references koperasi(id),
      pokok_amount bigint not null check (pokok_amount >= 0),
      wajib_monthly_amount bigint not null check (wajib_monthly_amount >= 0),
      sukarela_rate_bp int not null check (sukarela_rate_bp between 0 and 10000),
      sukarela_min_balance bigint not null default 0 check (sukarela_min_balance >= 0),
      fiscal_year_start_month int not null default 1 check (fiscal_year_start_month between 1 and 12),
      features jsonb not null default '{}'::jsonb,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Per-koperasi counters (member numbers, journal entry numbers): one upsert … returning is atomic.
  await sql`
    create table books_counters (
      koperasi_id uuid not null references koperasi(id),
      name text not null check (name in ('member', 'journal')),
      value bigint not null,
      primary key (koperasi_id, name)
    )`.execute(db);

  await sql`
    create table books_accounts (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      code text not null check (code ~ '^[0-9]-[0-9]{4}$'),
      name text not null,
      type text not null check (type in ('asset', 'liability', 'equity', 'income', 'expense')),
      normal_side text not null check (normal_side in ('debit', 'credit')),
      parent_id uuid references books_accounts(id),
      is_header boolean not null default false,
      is_system boolean not null default false,
      created_at timestamptz not null default now(),
      unique (koperasi_id, code),
      unique (koperasi_id, id)
    )`.execute(db);

  await sql`
    create table books_members (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      member_number int not null check (member_number > 0),
      nik text not null check (nik ~ '^[0-9]{16}$'),
      name text not null,
      address text,
      kelurahan_code text references regions(code),
      phone text,
      join_date date not null,
      status text not null default 'aktif' check (status in ('aktif', 'keluar', 'meninggal')),
      left_at date,
      user_id uuid references users(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (koperasi_id, member_number),
      unique (koperasi_id, id),
      check ((status = 'aktif') = (left_at is null)),
      check (left_at is null or left_at >= join_date)
    )`.execute(db);
  await sql`create unique index books_members_nik_active_uq on books_members (koperasi_id, nik) where status = 'aktif'`.execute(db);
  await sql`create unique index books_members_user_uq on books_members (koperasi_id, user_id) where user_id is not null`.execute(db);
  await sql`create index books_members_user_idx on books_members (user_id) where user_id is not null`.execute(db);
  await sql`create index books_members_name_idx on books_members (koperasi_id, lower(name))`.execute(db);

  await sql`
    create table books_journal_entries (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      number int not null check (number > 0),
      entry_date date not null,
      memo text not null,
      source_type text not null check (source_type in ('manual', 'savings', 'interest', 'settlement', 'reversal', 'opening')),
      source_id uuid,
      status text not null check (status in ('pending', 'posted', 'rejected')),
      created_by uuid references users(id),
      approved_by uuid references users(id),
      approved_at timestamptz,
      rejected_reason text,
      reversal_of uuid references books_journal_entries(id),
      reversed_by uuid references books_journal_entries(id),
      created_at timestamptz not null default now(),
      unique (koperasi_id, number),
      unique (reversal_of),
      -- four eyes: a manual entry is never approved by the person who wrote it
      check (source_type <> 'manual' or approved_by is null or created_by is null or approved_by <> created_by),
      check (reversed_by is null or status = 'posted')
    )`.execute(db);
  await sql`create index books_entries_date_idx on books_journal_entries (koperasi_id, entry_date, number)`.execute(db);
  await sql`create index books_entries_pending_idx on books_journal_entries (koperasi_id, entry_date) where status = 'pending'`.execute(db);

  await sql`
    create table books_journal_lines (
      id bigint generated always as identity primary key,
      entry_id uuid not null references books_journal_entries(id),
      koperasi_id uuid not null,
      account_id uuid not null,
      entry_date date not null,
      debit bigint not null default 0,
      credit bigint not null default 0,
      member_id uuid,
      posted boolean not null default false,
      foreign key (koperasi_id, account_id) references books_accounts(koperasi_id, id),
      foreign key (koperasi_id, member_id) references books_members(koperasi_id, id),
      check ((debit > 0 and credit = 0) or (credit > 0 and debit = 0))
    )`.execute(db);
  // Trial balance / balance sheet / ledger: per account, posted lines up to a date, index-only.
  await sql`create index books_lines_account_date_idx on books_journal_lines (account_id, entry_date) include (debit, credit) where posted`.execute(
    db,
  );
  await sql`create index books_lines_entry_idx on books_journal_lines (entry_id)`.execute(db);
  await sql`create index books_lines_member_idx on books_journal_lines (member_id) where member_id is not null`.execute(db);

  // Lines are never deleted; the only change allowed is posting them (false → true) with their entry.
  await sql`
    create function books_lines_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'journal lines are never deleted' using errcode = 'P0001';
      end if;
      if old.posted or not new.posted or new.debit <> old.debit or new.credit <> old.credit or new.account_id <> old.account_id
         or new.entry_id <> old.entry_id or new.entry_date <> old.entry_date or new.member_id is distinct from old.member_id then
        raise exception 'posted journal lines are never edited' using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger books_lines_guard before update or delete on books_journal_lines for each row execute function books_lines_guard()`.execute(
    db,
  );
  // A posted entry keeps its date, memo, number and status; only `reversed_by` may be set, once.
  await sql`
    create function books_entries_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status = 'posted' then
          raise exception 'posted journal entries are never deleted' using errcode = 'P0001';
        end if;
        return old;
      end if;
      if old.status = 'posted' and (new.status <> old.status or new.entry_date <> old.entry_date or new.memo <> old.memo
         or new.number <> old.number or new.koperasi_id <> old.koperasi_id
         or (old.reversed_by is not null and new.reversed_by is distinct from old.reversed_by)) then
        raise exception 'posted journal entries are never edited' using errcode = 'P0001';
      end if;
      if old.status = 'rejected' and new.status <> 'rejected' then
        raise exception 'rejected journal entries stay rejected' using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger books_entries_guard before update or delete on books_journal_entries for each row execute function books_entries_guard()`.execute(
    db,
  );

  // Months ('YYYY-MM'); a missing row means open.
  await sql`
    create table books_periods (
      koperasi_id uuid not null references koperasi(id),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      status text not null default 'open' check (status in ('open', 'closed')),
      closed_by uuid references users(id),
      closed_at timestamptz,
      reopened_by uuid references users(id),
      reopened_at timestamptz,
      primary key (koperasi_id, period),
      check (status = 'open' or (closed_at is not null))
    )`.execute(db);

  await sql`
    create table books_savings_transactions (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null,
      member_id uuid not null,
      kind text not null check (kind in ('pokok', 'wajib', 'sukarela')),
      type text not null check (type in ('deposit', 'withdrawal', 'interest', 'settlement')),
      amount bigint not null check (amount > 0),
      txn_date date not null,
      interest_period text check (interest_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      journal_entry_id uuid not null references books_journal_entries(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      foreign key (koperasi_id, member_id) references books_members(koperasi_id, id),
      check ((type = 'interest') = (interest_period is not null)),
      check (type <> 'interest' or kind = 'sukarela'),
      check (type <> 'withdrawal' or kind = 'sukarela')
    )`.execute(db);
  await sql`create index books_savings_member_date_idx on books_savings_transactions (member_id, txn_date, kind)`.execute(db);
  await sql`create index books_savings_kop_date_idx on books_savings_transactions (koperasi_id, kind, txn_date)`.execute(db);
  await sql`create unique index books_savings_interest_uq on books_savings_transactions (member_id, interest_period) where type = 'interest'`.execute(
    db,
  );

  // Balance per member and kind, changed in the same transaction as each savings row; locked with
  // SELECT … FOR UPDATE so two withdrawals of one balance run one after the other.
  await sql`
    create table books_savings_balances (
      member_id uuid not null references books_members(id),
      kind text not null check (kind in ('pokok', 'wajib', 'sukarela')),
      koperasi_id uuid not null references koperasi(id),
      balance bigint not null default 0 check (balance >= 0),
      updated_at timestamptz not null default now(),
      primary key (member_id, kind)
    )`.execute(db);
  await sql`create index books_savings_balances_kop_idx on books_savings_balances (koperasi_id, kind)`.execute(db);

  // One sukarela interest crediting per koperasi and month (idempotency).
  await sql`
    create table books_interest_runs (
      koperasi_id uuid not null references koperasi(id),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      rate_bp int not null,
      total bigint not null check (total >= 0),
      members int not null,
      journal_entry_id uuid references books_journal_entries(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (koperasi_id, period)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'books_interest_runs',
    'books_savings_balances',
    'books_savings_transactions',
    'books_periods',
    'books_journal_lines',
    'books_journal_entries',
    'books_members',
    'books_accounts',
    'books_counters',
    'books_settings',
  ]) {
    await sql`drop table if exists ${sql.raw(t)} cascade`.execute(db);
  }
  await sql`drop function if exists books_lines_guard()`.execute(db);
  await sql`drop function if exists books_entries_guard()`.execute(db);
}
