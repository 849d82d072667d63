import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext, Role } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import type { UmkmInput } from './schemas.js';

/** Test helpers for the registry: real users and role grants in the test database. */
export async function makeUser(db: Kysely<Database>, roles: { role: Role; organizationId?: string | null }[] = [], name = 'Penguji') {
  const u = await db
    .insertInto('users')
    .values({ name, email: `${randomUUID()}@test.ngalamlaris.id`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of roles) {
    await db
      .insertInto('role_grants')
      .values({ user_id: u.id, role: r.role, organization_id: r.organizationId ?? null })
      .execute();
  }
  return u.id;
}

/** A request context for a user as the platform would build it (roles read from the database). */
export async function contextFor(db: Kysely<Database>, userId: string): Promise<RequestContext> {
  const user = await db.selectFrom('users').select(['id', 'name', 'email', 'phone']).where('id', '=', userId).executeTakeFirstOrThrow();
  const grants = await db.selectFrom('role_grants').select(['role', 'organization_id']).where('user_id', '=', userId).execute();
  return {
    user: { ...user, locale: 'id', isDemo: false, roles: grants.map((g) => ({ role: g.role as Role, organizationId: g.organization_id })) },
    locale: 'id',
    t: translator('id'),
    ip: '127.0.0.1',
    channel: 'api',
  };
}

let nikSeq = 0;
/** A fresh, valid 16-digit NIK. */
export function nik() {
  nikSeq += 1;
  return `3573${String(Date.now() % 1e8).padStart(8, '0')}${String(nikSeq).padStart(4, '0')}`.slice(0, 16);
}

export function umkmInput(over: Partial<UmkmInput> = {}): UmkmInput {
  return {
    name: 'Keripik Tempe Mbak Ayu',
    ownerName: 'Ayu Lestari',
    ownerNik: nik(),
    phone: '081234567890',
    kelurahanCode: '35.73.01.1007',
    capital: 50_000_000,
    ...over,
  };
}
