import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Journal entries written by the modules that post into the cooperative books: lending (issue 6:
// disbursement, repayment, penalty, write-off, SHU) and the koperasi shop (issue 5: sales, stock
// purchases, voids, daily cash close). One migration for all of them so no module's list of source
// types overwrites another's.

const SOURCES = [
  'manual',
  'savings',
  'interest',
  'settlement',
  'reversal',
  'opening',
  'closing',
  'loan_disbursement',
  'loan_repayment',
  'loan_penalty',
  'loan_writeoff',
  'shu',
  'shop_sale',
  'shop_purchase',
  'shop_void',
  'shop_cash_close',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table books_journal_entries drop constraint if exists books_journal_entries_source_type_check`.execute(db);
  await sql`
    alter table books_journal_entries add constraint books_journal_entries_source_type_check
      check (source_type in (${sql.join(SOURCES.map((s) => sql.lit(s)))}))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table books_journal_entries drop constraint if exists books_journal_entries_source_type_check`.execute(db);
  await sql`
    alter table books_journal_entries add constraint books_journal_entries_source_type_check
      check (source_type in ('manual', 'savings', 'interest', 'settlement', 'reversal', 'opening', 'closing'))`.execute(db);
}
