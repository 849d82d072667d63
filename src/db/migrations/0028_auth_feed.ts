import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here and never edit once landed.
// Change feed for the in-process session cache (ADR 0016), as migrations 0026 and 0027 for the
// search indexes: every change to what a session resolves to — the user's name, contacts, locale,
// demo flag or status, their role grants, or the session itself (deleted, or its user, kind or
// expiry changed) — leaves the user's id in auth_changes, stamped with the id of the transaction
// that made it. A process reads the stamps at or after the oldest transaction still running at its
// previous read (pg_snapshot_xmin) and drops that user's cached sessions. A new session (login)
// needs no stamp: nothing can be cached for a token before it exists. Statement-level triggers
// with transition tables: one insert per statement, whatever the number of rows.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table auth_changes (
      user_id uuid not null,
      xid xid8 not null default pg_current_xact_id(),
      changed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index auth_changes_xid_idx on auth_changes (xid)`.execute(db);

  // users: only the columns a session carries (not last_login_at, password_hash, updated_at).
  await sql`
    create function auth_changes_users_update() returns trigger language plpgsql as $$
    begin
      insert into auth_changes (user_id)
        select n.id from new_rows n join old_rows o on o.id = n.id
        where (n.name, n.email, n.phone, n.locale, n.is_demo, n.status)
          is distinct from (o.name, o.email, o.phone, o.locale, o.is_demo, o.status);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger auth_changes_users_update after update on users
      referencing old table as old_rows new table as new_rows
      for each statement execute function auth_changes_users_update()`.execute(db);

  // Deleted users, deleted sessions and removed grants: the old rows' users.
  await sql`
    create function auth_changes_old_user() returns trigger language plpgsql as $$
    begin
      insert into auth_changes (user_id) select distinct user_id from old_rows;
      return null;
    end $$`.execute(db);
  await sql`
    create function auth_changes_deleted_user() returns trigger language plpgsql as $$
    begin
      insert into auth_changes (user_id) select id from old_rows;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger auth_changes_users_delete after delete on users
      referencing old table as old_rows
      for each statement execute function auth_changes_deleted_user()`.execute(db);
  await sql`
    create trigger auth_changes_sessions_delete after delete on sessions
      referencing old table as old_rows
      for each statement execute function auth_changes_old_user()`.execute(db);
  await sql`
    create trigger auth_changes_grants_delete after delete on role_grants
      referencing old table as old_rows
      for each statement execute function auth_changes_old_user()`.execute(db);

  // New grants: the new rows' users.
  await sql`
    create function auth_changes_new_user() returns trigger language plpgsql as $$
    begin
      insert into auth_changes (user_id) select distinct user_id from new_rows;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger auth_changes_grants_insert after insert on role_grants
      referencing new table as new_rows
      for each statement execute function auth_changes_new_user()`.execute(db);

  // Updated grants (both users, should one move) and sessions (not the hourly last_seen_at touch).
  await sql`
    create function auth_changes_grants_update() returns trigger language plpgsql as $$
    begin
      insert into auth_changes (user_id)
        select user_id from old_rows union select user_id from new_rows;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger auth_changes_grants_update after update on role_grants
      referencing old table as old_rows new table as new_rows
      for each statement execute function auth_changes_grants_update()`.execute(db);
  await sql`
    create function auth_changes_sessions_update() returns trigger language plpgsql as $$
    begin
      with moved as (
        select o.user_id as before, n.user_id as after from new_rows n join old_rows o on o.token_hash = n.token_hash
        where (n.user_id, n.kind, n.expires_at) is distinct from (o.user_id, o.kind, o.expires_at))
      insert into auth_changes (user_id) select before from moved union select after from moved;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger auth_changes_sessions_update after update on sessions
      referencing old table as old_rows new table as new_rows
      for each statement execute function auth_changes_sessions_update()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists auth_changes_sessions_update on sessions`.execute(db);
  await sql`drop trigger if exists auth_changes_grants_update on role_grants`.execute(db);
  await sql`drop trigger if exists auth_changes_grants_insert on role_grants`.execute(db);
  await sql`drop trigger if exists auth_changes_grants_delete on role_grants`.execute(db);
  await sql`drop trigger if exists auth_changes_sessions_delete on sessions`.execute(db);
  await sql`drop trigger if exists auth_changes_users_delete on users`.execute(db);
  await sql`drop trigger if exists auth_changes_users_update on users`.execute(db);
  for (const f of [
    'auth_changes_sessions_update',
    'auth_changes_grants_update',
    'auth_changes_new_user',
    'auth_changes_deleted_user',
    'auth_changes_old_user',
    'auth_changes_users_update',
  ]) {
    await sql`drop function if exists ${sql.raw(f)}()`.execute(db);
  }
  await sql`drop table if exists auth_changes`.execute(db);
}
