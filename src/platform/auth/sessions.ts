import { type Kysely, sql } from 'kysely';
import { compiledOnce } from '../../db/compiled.js';
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
  const cache = sessionCache(db);
  await cache.synced(db);
  const key = `${kind}:${tokenHash}`;
  let row = cache.get(key);
  if (!row) {
    const since = cache.generation;
    [row] = await sessionUser(db, tokenHash, kind);
    if (!row) return null;
    cache.remember(key, row, since);
  }
  if (row.status !== 'active' || new Date(row.expires_at) <= new Date()) return null;
  // Touch the session at most once an hour (not a change the cache needs to hear of).
  if (Date.now() - new Date(row.last_seen_at).getTime() > 3600_000) {
    row.last_seen_at = new Date();
    await db.updateTable('sessions').set({ last_seen_at: row.last_seen_at }).where('token_hash', '=', tokenHash).execute();
  }
  return toCurrentUser(row);
}

/** The session's user with their grants (compiled once: it runs on every authenticated request). */
export const sessionUser = compiledOnce((db, tokenHash: string, kind: 'web' | 'api') =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.phone', 'u.locale', 'u.is_demo', 'u.status', 's.expires_at', 's.last_seen_at'])
    .select(GRANTS)
    .where('s.token_hash', '=', tokenHash)
    .where('s.kind', '=', kind),
);

type SessionRow = Awaited<ReturnType<typeof sessionUser>>[number];

/** Sessions cached per process at most; beyond that the cache starts afresh. */
const CACHE_MAX = 20_000;
/** A cache not brought up to date for this long starts afresh (old change stamps are pruned). */
const IDLE_MS = 10 * 60_000;
/** Change stamps are kept this long, pruned by each process about once an hour. */
const PRUNE_EVERY_MS = 3600_000;

/**
 * The sessions this process resolved, kept exact by the auth_changes feed (migration 0028, ADR
 * 0016): before using the cache a request waits for a read of the feed that started after it
 * arrived (reads are shared by the requests waiting, so a busy process reads the feed about once
 * per several requests instead of the session once per request), and every user named there
 * since the previous read loses their cached sessions — a logout, a disabled account or a new
 * role grant made by any process is seen by the next request everywhere.
 */
export class SessionCache {
  private entries = new Map<string, SessionRow>();
  private keysOfUser = new Map<string, Set<string>>();
  /** Feed reads completed; a lookup remembers its row only if its user changed in none since it began. */
  generation = 0;
  private changedAt = new Map<string, number>();
  private clearedAt = 0;
  private xmin: string | null = null;
  private lastRead = 0;
  private prunedAt = 0;
  private reading: Promise<void> | null = null;
  private readStarted = 0;

  get(key: string): SessionRow | undefined {
    return this.entries.get(key);
  }

  remember(key: string, row: SessionRow, since: number) {
    if (this.clearedAt > since || (this.changedAt.get(row.id) ?? -1) > since) return;
    if (this.entries.size >= CACHE_MAX || this.changedAt.size >= CACHE_MAX) this.forget();
    this.entries.set(key, row);
    let keys = this.keysOfUser.get(row.id);
    if (!keys) {
      keys = new Set();
      this.keysOfUser.set(row.id, keys);
    }
    keys.add(key);
  }

  /** Starts afresh; lookups that began before may have missed a change and are not remembered. */
  private forget() {
    this.entries.clear();
    this.keysOfUser.clear();
    this.changedAt.clear();
    this.clearedAt = this.generation;
  }

  /** Resolves once a read of the feed that started after this call has been applied. */
  async synced(db: Kysely<Database>): Promise<void> {
    const arrived = performance.now();
    for (;;) {
      if (this.reading && this.readStarted >= arrived) return this.reading;
      if (this.reading) {
        await this.reading.catch(() => undefined);
        continue;
      }
      this.readStarted = performance.now();
      this.reading = this.read(db).finally(() => {
        this.reading = null;
      });
      return this.reading;
    }
  }

  private async read(db: Kysely<Database>): Promise<void> {
    const fresh = this.xmin === null || Date.now() - this.lastRead > IDLE_MS;
    const r = await sql<{ t: 'x' | 'u'; v: string }>`
      select 'x' as t, pg_snapshot_xmin(pg_current_snapshot())::text as v
      union all
      select 'u', user_id::text from auth_changes where ${fresh ? sql`false` : sql`xid >= ${this.xmin}::xid8`}`.execute(db);
    this.generation++;
    if (fresh) this.forget();
    for (const row of r.rows) {
      if (row.t === 'x') this.xmin = row.v;
      else {
        this.changedAt.set(row.v, this.generation);
        for (const key of this.keysOfUser.get(row.v) ?? []) this.entries.delete(key);
        this.keysOfUser.delete(row.v);
      }
    }
    this.lastRead = Date.now();
    if (this.lastRead - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = this.lastRead;
      await sql`delete from auth_changes where changed_at < now() - interval '1 day'`.execute(db).catch(() => undefined);
    }
  }
}

const caches = new WeakMap<Kysely<Database>, SessionCache>();

function sessionCache(db: Kysely<Database>): SessionCache {
  let c = caches.get(db);
  if (!c) {
    c = new SessionCache();
    caches.set(db, c);
  }
  return c;
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
