import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Bulk imports of the registry: the uploaded rows are kept here (under a random id) between the
// preview and the user's confirmation, with the validation report and the progress of a running
// import, so a large file is neither uploaded twice nor imported without a visible progress bar.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_imports (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('umkm','koperasi')),
      file_name text not null,
      file_format text not null check (file_format in ('csv','xlsx')),
      rows jsonb not null,
      columns jsonb not null default '[]',
      ignored_columns jsonb not null default '[]',
      total_rows int not null default 0,
      valid_rows int not null default 0,
      rejected jsonb not null default '[]',
      status text not null default 'uploaded'
        check (status in ('uploaded','validating','ready','importing','done','failed','aborted')),
      mode text check (mode in ('all','valid')),
      phase_total int not null default 0,
      phase_done int not null default 0,
      imported int not null default 0,
      error text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      expires_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index registry_imports_user_idx on registry_imports (created_by, created_at desc)`.execute(db);
  await sql`create index registry_imports_expiry_idx on registry_imports (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists registry_imports`.execute(db);
}
