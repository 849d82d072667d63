import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import { seedBooksDemo } from '../../modules/books/demo.js';
import { syncJournalSequences } from '../../modules/books/service.js';
import { seedShopDemo } from '../../modules/books/shop-demo.js';
import { seedLendingDemo } from '../../modules/lending/demo.js';
import { seedHealthDemo } from '../../modules/lending/health-demo.js';
import { seedShuDemo } from '../../modules/lending/shu-demo.js';
import { seedCatalogueDemo } from '../../modules/marketplace/catalogue-demo.js';
import { seedDiscoveryDemo } from '../../modules/marketplace/discovery-demo.js';
import { seedRegistryDemo } from '../../modules/registry/demo.js';
import type { Database } from '../types.js';

/** Is there demo data in this database? (Every page then says so.) */
export async function hasDemoData(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ x: boolean }>`select exists (select 1 from users where is_demo) as x`.execute(db);
  return Boolean(r.rows[0]?.x);
}

export const DEMO_DOMAIN = 'demo.ngalamlaris.id';

type OrgKey = 'ksp' | 'kopsis' | 'umkm' | 'pasar' | 'mitra';

/** Demo organisations (made up; names look like Kota Malang's). */
export const DEMO_ORGANIZATIONS: { key: OrgKey; kind: 'koperasi' | 'umkm' | 'pasar' | 'mitra'; name: string }[] = [
  { key: 'ksp', kind: 'koperasi', name: 'KSP Sejahtera Bersama Malang' },
  { key: 'kopsis', kind: 'koperasi', name: 'Kopsis SMPN Contoh Malang' },
  { key: 'umkm', kind: 'umkm', name: 'Keripik Tempe Bu Sri Sanan' },
  { key: 'pasar', kind: 'pasar', name: 'Pasar Besar Malang' },
  { key: 'mitra', kind: 'mitra', name: 'Mitra Pembiayaan Demo' },
];

/** Demo accounts, one or more per role: `<login>@demo.ngalamlaris.id`, password DEMO_PASSWORD. */
export const DEMO_USERS: { login: string; name: string; phone?: string; roles: { role: string; org?: OrgKey }[] }[] = [
  { login: 'admin', name: 'Admin Ngalam Laris', roles: [{ role: 'admin' }] },
  { login: 'dinas', name: 'Rina Kusumawati', phone: '081330010001', roles: [{ role: 'dinas' }] },
  { login: 'pendamping', name: 'Agus Prasetyo', phone: '081330010002', roles: [{ role: 'pendamping' }] },
  { login: 'koperasi', name: 'Hendra Wijaya', phone: '081330010003', roles: [{ role: 'pengurus_koperasi', org: 'ksp' }] },
  { login: 'bendahara', name: 'Siti Rahayu', roles: [{ role: 'pengurus_koperasi', org: 'ksp' }] },
  { login: 'anggota', name: 'Bambang Sutrisno', phone: '081330010004', roles: [{ role: 'anggota_koperasi', org: 'ksp' }] },
  { login: 'umkm', name: 'Sri Wahyuningsih', phone: '081233445566', roles: [{ role: 'pelaku_umkm', org: 'umkm' }] },
  { login: 'pasar', name: 'Joko Santoso', roles: [{ role: 'pengelola_pasar', org: 'pasar' }] },
  { login: 'mitra', name: 'Dewi Lestari', roles: [{ role: 'mitra_pembiayaan', org: 'mitra' }] },
  { login: 'warga', name: 'Budi Hartono', phone: '081330010005', roles: [{ role: 'warga' }] },
];

/**
 * Seeds the demo organisations and accounts for every role (all `is_demo = true`). Skips when any
 * user exists, so it is safe to run twice. The password is hashed once (argon2id, the same
 * parameters as the accounts module) and reused for every account. Then the registry's demo UMKM and
 * koperasi (idempotent).
 */
export async function seedDemo(db: Kysely<Database>, config: Config): Promise<void> {
  const existing = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db);
  if ((existing.rows[0]?.n ?? 0) > 0) return;
  const passwordHash = await argon2.hash(config.demoPassword, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  await db.transaction().execute(async (trx) => {
    const orgIds = new Map<OrgKey, string>();
    for (const o of DEMO_ORGANIZATIONS) {
      const found = await trx
        .selectFrom('organizations')
        .select('id')
        .where('name', '=', o.name)
        .where('kind', '=', o.kind)
        .executeTakeFirst();
      const id =
        found?.id ??
        (
          await trx
            .insertInto('organizations')
            .values({ kind: o.kind, name: o.name, is_demo: true })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      orgIds.set(o.key, id);
    }
    const users = await trx
      .insertInto('users')
      .values(
        DEMO_USERS.map((u) => ({
          name: u.name,
          email: `${u.login}@${DEMO_DOMAIN}`,
          phone: u.phone ?? null,
          password_hash: passwordHash,
          is_demo: true,
        })),
      )
      .returning(['id', 'email'])
      .execute();
    const idByEmail = new Map(users.map((u) => [u.email, u.id]));
    const grants = DEMO_USERS.flatMap((u) =>
      u.roles.map((r) => ({
        user_id: idByEmail.get(`${u.login}@${DEMO_DOMAIN}`) as string,
        role: r.role,
        organization_id: r.org ? (orgIds.get(r.org) as string) : null,
      })),
    );
    await trx.insertInto('role_grants').values(grants).execute();
    await trx
      .insertInto('audit_log')
      .values({
        actor_user_id: null,
        action: 'demo.seed',
        entity_type: 'system',
        entity_id: null,
        after: JSON.stringify({ users: users.length }),
      })
      .execute();
  });
  // Registry demo: a few hundred UMKM and a dozen koperasi, with the demo organisations' profiles.
  await seedRegistryDemo(db);
  // Books of the demo KSP: members, two years of simpanan, closed months (idempotent).
  await seedBooksDemo(db);
  // Books and shop of the demo school cooperative (Kopsis), with its pengurus kopsekolah@demo… (idempotent).
  await seedShopDemo(db);
  // Those two write their journals in bulk: bring each koperasi's journal-number sequence past them.
  await syncJournalSequences(db);
  // Loans of the demo KSP: three products, loans in every state, their repayments and arrears (idempotent).
  await seedLendingDemo(db);
  // Year-end of the demo KSP's last full year: closed in the books (with a surplus), its SHU simulated, approved at the RAT, posted and paid into sukarela (idempotent).
  await seedShuDemo(db, { closeYear: true });
  // Health self-assessment of that year by the ketua: indicators from the books, the governance checklist answered (idempotent; keep after the SHU).
  await seedHealthDemo(db);
  // Marketplace catalogue: Bu Sri's store (umkm@…) with products and photos, ~30 more demo stores (idempotent).
  await seedCatalogueDemo(db, config);
  // Marketplace discovery: verified "Produk Asli Malang" products of the demo stores, Jumat Beli Lokal and a bazaar (idempotent; keep after the catalogue's demo stores).
  await seedDiscoveryDemo(db);
}
