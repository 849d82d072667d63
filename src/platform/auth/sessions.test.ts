import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp, withToken } from '../../../test/helpers.js';
import { type Db, openDatabase } from '../../db/index.js';
import type { CurrentUser } from '../context.js';
import { createSession, destroySession, loadUserById, resolveSession, SessionCache, sessionUser } from './sessions.js';
import { hashToken } from './tokens.js';

let t: TestApp;
let userId: string;
let orgIds: string[];
beforeAll(async () => {
  t = await createTestApp();
  const u = await t.db.db
    .insertInto('users')
    .values({ name: 'Uji Sesi', email: 'uji-sesi@contoh.id', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  userId = u.id;
  orgIds = (await t.db.db.selectFrom('organizations').select('id').orderBy('id').limit(3).execute()).map((r) => r.id);
});
afterAll(async () => {
  await t?.close();
});

/** What the database says the session resolves to (no cache): the user, or null. */
async function truth(db: Db, token: string): Promise<CurrentUser | null> {
  const s = await db.db
    .selectFrom('sessions')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .where('kind', '=', 'api')
    .executeTakeFirst();
  if (!s || new Date(s.expires_at) <= new Date()) return null;
  const user = await loadUserById(db.db, s.user_id);
  const status = await db.db.selectFrom('users').select('status').where('id', '=', s.user_id).executeTakeFirst();
  return status?.status === 'active' ? user : null;
}

const stamps = async () => Number((await sql<{ n: number }>`select count(*)::int as n from auth_changes`.execute(t.db.db)).rows[0]?.n ?? 0);

describe('session cache (ADR 0016)', () => {
  it('hears of every change a session resolves to: grants, account, the session itself', async () => {
    const { token } = await createSession(t.db.db, userId, 'api');
    const db = t.db.db;
    expect((await resolveSession(db, token, 'api'))?.roles).toEqual([]);
    await db.insertInto('role_grants').values({ user_id: userId, role: 'dinas', organization_id: null }).execute();
    expect((await resolveSession(db, token, 'api'))?.roles).toEqual([{ role: 'dinas', organizationId: null }]);
    await db.updateTable('users').set({ name: 'Uji Sesi Baru', locale: 'en' }).where('id', '=', userId).execute();
    expect(await resolveSession(db, token, 'api')).toMatchObject({ name: 'Uji Sesi Baru', locale: 'en' });
    await db.updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute();
    expect(await resolveSession(db, token, 'api')).toBeNull();
    await db.updateTable('users').set({ status: 'active' }).where('id', '=', userId).execute();
    expect(await resolveSession(db, token, 'api')).not.toBeNull();
    await db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', userId)
      .execute();
    expect(await resolveSession(db, token, 'api')).toBeNull();
    await db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() + 3600_000) })
      .where('user_id', '=', userId)
      .execute();
    expect(await resolveSession(db, token, 'api')).not.toBeNull();
    await db.deleteFrom('role_grants').where('user_id', '=', userId).execute();
    expect((await resolveSession(db, token, 'api'))?.roles).toEqual([]);
    await destroySession(db, token);
    expect(await resolveSession(db, token, 'api')).toBeNull();
  });

  it('stamps only what a session carries: not a login time, a password hash or the hourly touch', async () => {
    const before = await stamps();
    await t.db.db.updateTable('users').set({ last_login_at: new Date(), password_hash: 'y' }).where('id', '=', userId).execute();
    await t.db.db.updateTable('sessions').set({ last_seen_at: new Date() }).where('user_id', '=', userId).execute();
    expect(await stamps()).toBe(before);
    await t.db.db.updateTable('users').set({ phone: '081299990000' }).where('id', '=', userId).execute();
    expect(await stamps()).toBe(before + 1);
  });

  it('logging out through the API ends the token at once', async () => {
    const token = await apiLogin(t.app, 'dinas@demo.ngalamlaris.id');
    const umkm = () => t.app.inject(withToken(token, { method: 'GET', url: '/api/v1/umkm?pageSize=1' }));
    expect((await umkm()).statusCode).toBe(200);
    expect((await umkm()).statusCode).toBe(200); // from the cache
    const out = await t.app.inject(withToken(token, { method: 'POST', url: '/api/v1/auth/logout' }));
    expect(out.statusCode).toBeLessThan(300);
    expect((await umkm()).statusCode).toBe(401);
  });

  it('always answers what the database says, with lookups racing the changes (property)', async () => {
    const db = t.db.db;
    const { token } = await createSession(db, userId, 'api');
    const step = fc.oneof(
      fc.record({ op: fc.constant('grant' as const), org: fc.nat(orgIds.length - 1) }),
      fc.record({ op: fc.constant('revoke' as const) }),
      fc.record({ op: fc.constant('status' as const), active: fc.boolean() }),
      fc.record({ op: fc.constant('rename' as const), name: fc.stringMatching(/^[A-Za-z ]{3,12}$/) }),
      fc.record({ op: fc.constant('touch' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ step, racing: fc.nat(3) }), { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const { step: s, racing } of steps) {
          // Lookups in flight while the change is made (their rows may be older than the change).
          const inFlight = Array.from({ length: racing }, () => resolveSession(db, token, 'api'));
          if (s.op === 'grant') {
            await db
              .insertInto('role_grants')
              .values({ user_id: userId, role: 'pelaku_umkm', organization_id: orgIds[s.org] ?? null })
              .onConflict((oc) => oc.doNothing())
              .execute();
          } else if (s.op === 'revoke') await db.deleteFrom('role_grants').where('user_id', '=', userId).execute();
          else if (s.op === 'status') {
            await db
              .updateTable('users')
              .set({ status: s.active ? 'active' : 'disabled' })
              .where('id', '=', userId)
              .execute();
          } else if (s.op === 'rename') await db.updateTable('users').set({ name: s.name }).where('id', '=', userId).execute();
          else await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('user_id', '=', userId).execute();
          await Promise.all(inFlight);
          // Every lookup starting after the change sees it.
          const want = await truth(t.db, token);
          const got = await Promise.all([resolveSession(db, token, 'api'), resolveSession(db, token, 'api')]);
          expect(got[0]).toEqual(want);
          expect(got[1]).toEqual(want);
        }
      }),
      { numRuns: 25 },
    );
    await db.updateTable('users').set({ status: 'active' }).where('id', '=', userId).execute();
  });

  it('does not keep a row read before a change the feed has reported since', async () => {
    const db = t.db.db;
    const { token } = await createSession(db, userId, 'api');
    const key = `api:${hashToken(token)}`;
    const cache = new SessionCache();
    await cache.synced(db);
    const since = cache.generation;
    const [old] = await sessionUser(db, hashToken(token), 'api');
    await db.insertInto('role_grants').values({ user_id: userId, role: 'warga', organization_id: null }).execute();
    await cache.synced(db); // reports the grant while the lookup above is still "in flight"
    cache.remember(key, old as NonNullable<typeof old>, since);
    expect(cache.get(key)).toBeUndefined();
    // A lookup begun after that read is kept.
    const fresh = cache.generation;
    const [row] = await sessionUser(db, hashToken(token), 'api');
    cache.remember(key, row as NonNullable<typeof row>, fresh);
    expect(cache.get(key)?.grants).toContainEqual({ role: 'warga', organization_id: null });
    await db.deleteFrom('role_grants').where('user_id', '=', userId).execute();
  });

  it.runIf(process.env.TEST_DATABASE_URL)('a change made by another process is seen by the next request here', async () => {
    const other = await openDatabase({ databaseUrl: t.db.url as string, poolSize: 2 });
    try {
      const { token } = await createSession(t.db.db, userId, 'api');
      expect(await resolveSession(t.db.db, token, 'api')).not.toBeNull();
      expect(await resolveSession(other.db, token, 'api')).not.toBeNull();
      await other.db.insertInto('role_grants').values({ user_id: userId, role: 'pendamping', organization_id: null }).execute();
      expect((await resolveSession(t.db.db, token, 'api'))?.roles).toContainEqual({ role: 'pendamping', organizationId: null });
      await destroySession(other.db, token);
      expect(await resolveSession(t.db.db, token, 'api')).toBeNull();
    } finally {
      await other.close();
    }
  });
});
