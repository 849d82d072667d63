import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table regions (
      code text primary key,
      name text not null,
      level text not null check (level in ('provinsi','kota','kabupaten','kecamatan','kelurahan','desa')),
      parent_code text
    )`.execute(db);
  await sql`create index regions_parent_idx on regions (parent_code)`.execute(db);

  await sql`
    create table organizations (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('umkm','koperasi','pasar','mitra','dinas','dekopinda')),
      name text not null,
      is_demo boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      email text,
      phone text,
      password_hash text not null,
      status text not null default 'active' check (status in ('active','disabled')),
      locale text not null default 'id' check (locale in ('id','en')),
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_login_at timestamptz,
      check (email is not null or phone is not null)
    )`.execute(db);
  await sql`create unique index users_email_uq on users (lower(email)) where email is not null`.execute(db);
  await sql`create unique index users_phone_uq on users (phone) where phone is not null`.execute(db);
  await sql`create index users_name_trgm on users using gin (name gin_trgm_ops)`.execute(db);

  await sql`
    create table role_grants (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      role text not null check (role in ('admin','dinas','pendamping','pengurus_koperasi','anggota_koperasi','pelaku_umkm','pengelola_pasar','mitra_pembiayaan','warga')),
      organization_id uuid references organizations(id),
      granted_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index role_grants_uq on role_grants (user_id, role, coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(
    db,
  );
  await sql`create index role_grants_org_idx on role_grants (organization_id)`.execute(db);

  await sql`
    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      kind text not null check (kind in ('web','api')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      user_agent text,
      ip text
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);
  await sql`create index sessions_expires_idx on sessions (expires_at)`.execute(db);

  await sql`
    create table login_attempts (
      id bigint generated always as identity primary key,
      login text not null,
      ip text,
      success boolean not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index login_attempts_login_idx on login_attempts (login, created_at)`.execute(db);

  await sql`
    create table password_resets (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_user_id uuid references users(id),
      action text not null,
      entity_type text not null,
      entity_id text,
      organization_id uuid,
      before jsonb,
      after jsonb,
      ip text
    )`.execute(db);
  await sql`create index audit_log_at_idx on audit_log (at desc)`.execute(db);
  await sql`create index audit_log_entity_idx on audit_log (entity_type, entity_id)`.execute(db);
  await sql`create index audit_log_actor_idx on audit_log (actor_user_id)`.execute(db);

  await sql`
    create table jobs (
      id bigint generated always as identity primary key,
      type text not null,
      payload jsonb not null default '{}'::jsonb,
      status text not null default 'pending' check (status in ('pending','running','done','failed')),
      attempts int not null default 0,
      max_attempts int not null default 5,
      run_at timestamptz not null default now(),
      locked_at timestamptz,
      locked_by text,
      last_error text,
      unique_key text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index jobs_due_idx on jobs (run_at) where status = 'pending'`.execute(db);
  await sql`create unique index jobs_unique_key_uq on jobs (unique_key) where unique_key is not null and status in ('pending','running')`.execute(
    db,
  );

  await sql`
    create table outbox_messages (
      id uuid primary key default gen_random_uuid(),
      channel text not null check (channel in ('email','sms','whatsapp')),
      recipient text not null,
      user_id uuid references users(id) on delete set null,
      subject text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending','sent','failed')),
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      last_error text
    )`.execute(db);
  await sql`create index outbox_messages_status_idx on outbox_messages (status, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'outbox_messages',
    'jobs',
    'audit_log',
    'password_resets',
    'login_attempts',
    'sessions',
    'role_grants',
    'users',
    'organizations',
    'regions',
  ]) {
    await sql`drop table if exists ${sql.raw(t)} cascade`.execute(db);
  }
}
