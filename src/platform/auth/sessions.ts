import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import type { CurrentUser, Role } from '../context.js';
import { hashToken, randomToken } from './tokens.js';

export const WEB_SESSION_DAYS = 30;
export const API_TOKEN_DAYS = 90;
export const SESSION_COOKIE = 'nl_session';

export async function createSession(
  db: Kysely<Database>,
  userId: string,
  kind: 'web' | 'api',
  meta: { userAgent?: string | null; ip?: string | null } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const days = kind === 'web' ? WEB_SESSION_DAYS : API_TOKEN_DAYS;
  const expiresAt = new Date(Date.now() + days * 86400_000);
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      kind,
      expires_at: expiresAt,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip ?? null,
    })
    .execute();
  return { token, expiresAt };
}

export async function destroySession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

export async function destroyAllSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Loads the user and roles of a live session; null when unknown, expired or the account is disabled. */
export async function resolveSession(db: Kysely<Database>, token: string, kind: 'web' | 'api'): Promise<CurrentUser | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  // One round trip for every authenticated request: the user with their role grants.
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.phone', 'u.locale', 'u.is_demo', 'u.status', 's.expires_at', 's.last_seen_at'])
    .select(GRANTS)
    .where('s.token_hash', '=', tokenHash)
    .where('s.kind', '=', kind)
    .executeTakeFirst();
  if (row?.status !== 'active' || new Date(row.expires_at) <= new Date()) return null;
  // Touch the session at most once an hour, so a busy user costs one read per request.
  if (Date.now() - new Date(row.last_seen_at).getTime() > 3600_000) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('token_hash', '=', tokenHash).execute();
  }
  return toCurrentUser(row);
}

export async function loadUserById(db: Kysely<Database>, userId: string): Promise<CurrentUser | null> {
  const row = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.email', 'u.phone', 'u.locale', 'u.is_demo', 'u.status'])
    .select(GRANTS)
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  return toCurrentUser(row);
}

/** The user's role grants in the order they were given, as one JSON array column `grants`. */
const GRANTS = sql<{ role: string; organization_id: string | null }[]>`coalesce((
    select json_agg(json_build_object('role', g.role, 'organization_id', g.organization_id) order by g.created_at, g.id)
    from role_grants g where g.user_id = u.id), '[]'::json)`.as('grants');

function toCurrentUser(row: {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: 'id' | 'en';
  is_demo: boolean;
  grants: { role: string; organization_id: string | null }[] | string;
}): CurrentUser {
  // PGlite and node-postgres both parse json columns; a string would mean a driver without that.
  const grants =
    typeof row.grants === 'string' ? (JSON.parse(row.grants) as { role: string; organization_id: string | null }[]) : row.grants;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    locale: row.locale,
    isDemo: row.is_demo,
    roles: grants.map((g) => ({ role: g.role as Role, organizationId: g.organization_id })),
  };
}
