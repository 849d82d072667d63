/**
 * Accounts SQL: users, role grants, login attempts, password resets, organisations (read) and the
 * audit log (read). Columns are listed explicitly: `password_hash` is selected only where a
 * password is checked, never for a list or a detail.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Role } from '../../platform/context.js';
import { likePattern, type OrganizationKind, wibDayEnd, wibDayStart } from './domain.js';

export type DB = Kysely<Database> | Transaction<Database>;

export interface UserRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  status: 'active' | 'disabled';
  locale: 'id' | 'en';
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

export interface GrantRow {
  id: string;
  user_id: string;
  role: Role;
  organization_id: string | null;
  organization_name: string | null;
  organization_kind: OrganizationKind | null;
  created_at: Date;
}

const USER_COLUMNS = [
  'u.id',
  'u.name',
  'u.email',
  'u.phone',
  'u.status',
  'u.locale',
  'u.is_demo',
  'u.created_at',
  'u.updated_at',
  'u.last_login_at',
] as const;

export async function findUserById(db: DB, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users as u').select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
}

/** The one place a password hash is read: to check a password. */
export async function findCredentialsByLogin(db: DB, login: { kind: 'email' | 'phone'; value: string }) {
  let q = db.selectFrom('users as u').select([...USER_COLUMNS, 'u.password_hash']);
  q = login.kind === 'email' ? q.where(sql<string>`lower(u.email)`, '=', login.value) : q.where('u.phone', '=', login.value);
  return q.executeTakeFirst();
}

export async function findPasswordHash(db: DB, userId: string): Promise<string | undefined> {
  const r = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return r?.password_hash;
}

export async function emailTaken(db: DB, email: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', email).executeTakeFirst();
  return Boolean(r);
}

export async function phoneTaken(db: DB, phone: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
  return Boolean(r);
}

export async function insertUser(
  db: DB,
  v: { name: string; email: string | null; phone: string | null; passwordHash: string; locale: 'id' | 'en'; isDemo?: boolean },
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({ name: v.name, email: v.email, phone: v.phone, password_hash: v.passwordHash, locale: v.locale, is_demo: v.isDemo ?? false })
    .returning(['id', 'name', 'email', 'phone', 'status', 'locale', 'is_demo', 'created_at', 'updated_at', 'last_login_at'])
    .executeTakeFirstOrThrow();
}

export async function updateUser(
  db: DB,
  id: string,
  v: Partial<{ name: string; locale: 'id' | 'en'; status: 'active' | 'disabled'; passwordHash: string }>,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(v.name !== undefined ? { name: v.name } : {}),
      ...(v.locale !== undefined ? { locale: v.locale } : {}),
      ...(v.status !== undefined ? { status: v.status } : {}),
      ...(v.passwordHash !== undefined ? { password_hash: v.passwordHash } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function touchLastLogin(db: DB, id: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', id).execute();
}

// --- role grants ---------------------------------------------------------------------------

export async function grantsOf(db: DB, userIds: string[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('role_grants as g')
    .leftJoin('organizations as o', 'o.id', 'g.organization_id')
    .select([
      'g.id',
      'g.user_id',
      'g.role',
      'g.organization_id',
      'o.name as organization_name',
      'o.kind as organization_kind',
      'g.created_at',
    ])
    .where('g.user_id', 'in', userIds)
    .orderBy('g.created_at')
    .orderBy('g.role')
    .execute();
  return rows as GrantRow[];
}

export async function findGrant(db: DB, userId: string, grantId: string): Promise<GrantRow | undefined> {
  const rows = await grantsOf(db, [userId]);
  return rows.find((g) => g.id === grantId);
}

export async function insertGrant(db: DB, v: { userId: string; role: Role; organizationId: string | null; grantedBy: string | null }) {
  return db
    .insertInto('role_grants')
    .values({ user_id: v.userId, role: v.role, organization_id: v.organizationId, granted_by: v.grantedBy })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function deleteGrant(db: DB, grantId: string): Promise<void> {
  await db.deleteFrom('role_grants').where('id', '=', grantId).execute();
}

// --- login attempts ------------------------------------------------------------------------

/** Failed attempts for a login within the window, counting only those after its latest success. */
export async function recentFailures(db: DB, login: string, windowMinutes: number): Promise<number> {
  const since = new Date(Date.now() - windowMinutes * 60_000);
  const r = await sql<{ n: number }>`
    select count(*)::int as n from login_attempts a
    where a.login = ${login} and not a.success and a.created_at > ${since}
      and a.created_at > coalesce(
        (select max(s.created_at) from login_attempts s where s.login = ${login} and s.success and s.created_at > ${since}),
        '-infinity'::timestamptz)`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export async function recordAttempt(db: DB, login: string, ip: string | null, success: boolean): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ login: login.slice(0, 200), ip, success })
    .execute();
}

// --- password resets -----------------------------------------------------------------------

export async function insertReset(db: DB, v: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('password_resets').values({ token_hash: v.tokenHash, user_id: v.userId, expires_at: v.expiresAt }).execute();
}

/** Marks a live token used and returns its user — atomically, so a token works once. */
export async function consumeReset(db: DB, tokenHash: string): Promise<string | undefined> {
  const r = await db
    .updateTable('password_resets')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('user_id')
    .executeTakeFirst();
  return r?.user_id;
}

// --- organisations -------------------------------------------------------------------------

export interface OrganizationRow {
  id: string;
  name: string;
  kind: OrganizationKind;
  is_demo: boolean;
}

export async function findOrganization(db: DB, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').select(['id', 'name', 'kind', 'is_demo']).where('id', '=', id).executeTakeFirst();
}

export async function listOrganizations(db: DB, f: { kind?: OrganizationKind; q?: string; limit: number }): Promise<OrganizationRow[]> {
  let q = db.selectFrom('organizations').select(['id', 'name', 'kind', 'is_demo']);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.q) q = q.where('name', 'ilike', likePattern(f.q));
  return q.orderBy('name').orderBy('id').limit(f.limit).execute();
}

// --- user search ---------------------------------------------------------------------------

export interface UserSearch {
  q?: string;
  phone?: string | null;
  role?: Role;
  status?: 'active' | 'disabled';
  sort: 'name' | 'created';
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export async function searchUsers(db: DB, f: UserSearch): Promise<{ rows: UserRow[]; total: number }> {
  let q = db.selectFrom('users as u');
  if (f.q) {
    const pattern = likePattern(f.q);
    const phone = f.phone ?? null;
    q = q.where((eb) =>
      eb.or([
        eb('u.name', 'ilike', pattern),
        eb('u.email', 'ilike', pattern),
        eb('u.phone', 'ilike', pattern),
        ...(phone ? [eb('u.phone', '=', phone)] : []),
      ]),
    );
  }
  if (f.status) q = q.where('u.status', '=', f.status);
  if (f.role) {
    const role = f.role;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('role_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.role', '=', role)),
    );
  }
  const totalRow = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const orderCol = f.sort === 'name' ? 'u.name' : 'u.created_at';
  const rows = await q
    .select(USER_COLUMNS)
    .orderBy(orderCol, f.dir)
    .orderBy('u.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: totalRow?.n ?? 0 };
}

// --- audit log (read) ----------------------------------------------------------------------

export interface AuditSearch {
  actor?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export interface AuditRow {
  id: bigint;
  at: Date;
  actor_user_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  organization_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export async function searchAudit(db: DB, f: AuditSearch): Promise<{ rows: AuditRow[]; total: number }> {
  let q = db.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.actor_user_id');
  if (f.actor) q = q.where('a.actor_user_id', '=', f.actor);
  if (f.entityType) q = q.where('a.entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
  if (f.from) q = q.where('a.at', '>=', wibDayStart(f.from));
  if (f.to) q = q.where('a.at', '<', wibDayEnd(f.to));
  const totalRow = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .select([
      'a.id',
      'a.at',
      'a.actor_user_id',
      'u.name as actor_name',
      'a.action',
      'a.entity_type',
      'a.entity_id',
      'a.organization_id',
      'a.before',
      'a.after',
      'a.ip',
    ])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows: rows as AuditRow[], total: totalRow?.n ?? 0 };
}
