import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/types.js';
import { createSession } from '../../src/platform/auth/sessions.js';
import type { Role } from '../../src/platform/context.js';

/**
 * A user holding `role` (platform-wide) with a live session of `kind`: the token for a bearer
 * header (api) or the nl_session cookie (web). Independent of the demo accounts.
 */
export async function userSession(
  db: Kysely<Database>,
  role: Role,
  kind: 'web' | 'api' = 'web',
): Promise<{ userId: string; token: string }> {
  const tag = randomBytes(4).toString('hex');
  const user = await db
    .insertInto('users')
    .values({ name: `Uji ${role} ${tag}`, email: `${role}-${tag}@uji.ngalamlaris.id`, phone: null, password_hash: 'not-a-login' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('role_grants').values({ user_id: user.id, role, organization_id: null, granted_by: null }).execute();
  const { token } = await createSession(db, user.id, kind);
  return { userId: user.id, token };
}
