import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Journal entry numbers come from one PostgreSQL sequence per koperasi (books_journal_seq_<id
// without dashes>) instead of the books_counters row, whose lock serialised every posting of a
// koperasi until commit (ADR 0011). Each existing koperasi's sequence continues after its highest
// number. Member numbers stay on books_counters.

export async function up(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ koperasi_id: string; max: number | null }>`
    select s.koperasi_id, (select max(number) from books_journal_entries e where e.koperasi_id = s.koperasi_id) as max
    from books_settings s`.execute(db);
  for (const r of rows.rows) {
    const name = `books_journal_seq_${r.koperasi_id.replace(/-/g, '')}`;
    await sql`create sequence if not exists ${sql.id(name)} minvalue 1`.execute(db);
    if (r.max && Number(r.max) > 0) await sql`select setval(${name}, ${Number(r.max)})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ koperasi_id: string }>`select koperasi_id from books_settings`.execute(db);
  for (const r of rows.rows)
    await sql`drop sequence if exists ${sql.id(`books_journal_seq_${r.koperasi_id.replace(/-/g, '')}`)}`.execute(db);
}
