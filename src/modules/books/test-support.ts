import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { createSession } from '../../platform/auth/sessions.js';
import type { RequestContext, Role } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import { createKoperasi } from '../registry/service.js';

/** Test helpers for the books: real users, role grants and a koperasi of their own. */
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

/** A request context as the platform builds it (roles read from the database). */
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

export async function tokenOf(db: Kysely<Database>, userId: string) {
  return (await createSession(db, userId, 'api')).token;
}

let nikSeq = 0;
/** A fresh, valid 16-digit NIK. */
export function nik() {
  nikSeq += 1;
  return `3573${String(Date.now() % 1e8).padStart(8, '0')}${String(nikSeq).padStart(4, '0')}`.slice(0, 16);
}

/** A new koperasi registered by its first pengurus, plus a second pengurus (bendahara). */
export async function newKoperasi(db: Kysely<Database>, name = 'KSP Uji Coba Malang') {
  const ketua = await makeUser(db, [], 'Ketua Uji');
  const kop = await createKoperasi(db, await contextFor(db, ketua), {
    name,
    type: 'simpan_pinjam',
    group: 'umum',
    kelurahanCode: '35.73.02.1002',
  });
  const bendahara = await makeUser(db, [{ role: 'pengurus_koperasi', organizationId: kop.id }], 'Bendahara Uji');
  return { koperasiId: kop.id, ketua, bendahara };
}
