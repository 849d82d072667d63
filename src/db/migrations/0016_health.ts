import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Cooperative health self-assessment (issue 6 item 7): per-koperasi weights (aspects and
// indicators, each group adding up to 100) and one saved assessment per koperasi and fiscal year
// with a snapshot of its inputs (indicator values from the books, governance answers with notes,
// the weights used), its score (0–100, two decimals) and category.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table health_settings (
      koperasi_id uuid primary key references koperasi(id),
      weights jsonb not null,
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table health_assessments (
      id uuid primary key default gen_random_uuid(),
      koperasi_id uuid not null references koperasi(id),
      year int not null check (year between 1900 and 9999),
      inputs jsonb not null,
      result jsonb not null,
      score numeric(5, 2) not null check (score >= 0 and score <= 100),
      category text not null
        check (category in ('sehat', 'cukup_sehat', 'dalam_pengawasan', 'dalam_pengawasan_khusus')),
      assessed_by uuid references users(id),
      assessed_at timestamptz not null default now(),
      unique (koperasi_id, year)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists health_assessments`.execute(db);
  await sql`drop table if exists health_settings`.execute(db);
}
