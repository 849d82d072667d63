import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Year-end close of the cooperative books: one row per closed fiscal year (its dates, the result
// booked to SHU tahun berjalan and the closing journal entry). Journal entries get a new source
// type 'closing' for that entry.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table books_journal_entries drop constraint if exists books_journal_entries_source_type_check`.execute(db);
  await sql`
    alter table books_journal_entries add constraint books_journal_entries_source_type_check
      check (source_type in ('manual', 'savings', 'interest', 'settlement', 'reversal', 'opening', 'closing'))`.execute(db);
  await sql`
    create table books_years (
      koperasi_id uuid not null references koperasi(id),
      year int not null check (year between 1900 and 9999),
      start_date date not null,
      end_date date not null,
      result bigint not null,
      closing_entry_id uuid references books_journal_entries(id),
      closed_by uuid references users(id),
      closed_at timestamptz not null default now(),
      primary key (koperasi_id, year),
      check (end_date > start_date)
    )`.execute(db);
  await sql`create index books_years_dates_idx on books_years (koperasi_id, start_date, end_date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists books_years`.execute(db);
  await sql`alter table books_journal_entries drop constraint if exists books_journal_entries_source_type_check`.execute(db);
  await sql`
    alter table books_journal_entries add constraint books_journal_entries_source_type_check
      check (source_type in ('manual', 'savings', 'interest', 'settlement', 'reversal', 'opening'))`.execute(db);
}
