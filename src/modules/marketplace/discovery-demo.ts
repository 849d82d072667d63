import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import { newOriginCode, wibToday } from './discovery-service.js';

const JUMAT_SLUG = 'jumat-beli-lokal';
const BAZAR_SLUG = 'bazar-umkm-alun-alun-merdeka';

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Demo data of marketplace discovery (idempotent, and fine with no products at all): a few
 * products of the demo stores verified as "Produk Asli Malang", the running collection "Jumat
 * Beli Lokal" (the weekly buy-local day for ASN) and an upcoming bazaar, both published and
 * filled with demo products when there are any. Run after the catalogue's demo stores.
 */
export async function seedDiscoveryDemo(db: Kysely<Database>, now = new Date()) {
  const today = wibToday(now);
  const dinas = await db
    .selectFrom('users')
    .innerJoin('role_grants', 'role_grants.user_id', 'users.id')
    .select('users.id')
    .where('role_grants.role', '=', 'dinas')
    .where('users.is_demo', '=', true)
    .orderBy('users.created_at')
    .executeTakeFirst();
  const products = await db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.id', 'p.name', 's.id as store_id'])
    .where('s.is_demo', '=', true)
    .where('s.status', '=', 'open')
    .where('p.status', '=', 'active')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .limit(200)
    .execute();

  await db.transaction().execute(async (trx) => {
    // Verified products: the first product of up to six stores (one each), if not decided yet.
    const firstOfStore = new Map<string, string>();
    for (const p of products) if (!firstOfStore.has(p.store_id)) firstOfStore.set(p.store_id, p.id);
    for (const productId of [...firstOfStore.values()].slice(0, 6)) {
      const exists = await trx
        .selectFrom('market_origin_verifications')
        .select('id')
        .where('product_id', '=', productId)
        .executeTakeFirst();
      if (exists) continue;
      await trx
        .insertInto('market_origin_verifications')
        .values({
          product_id: productId,
          status: 'verified',
          code: newOriginCode(),
          request_note: 'Diproduksi di rumah produksi sendiri di Kota Malang.',
          requested_at: now,
          note: 'Demo: lokasi produksi dan bahan baku dicek petugas Dinas.',
          verified_by: dinas?.id ?? null,
          verified_at: now,
        })
        .execute();
    }

    const campaigns = [
      {
        slug: JUMAT_SLUG,
        title: 'Jumat Beli Lokal',
        kind: 'collection' as const,
        description:
          'Setiap Jumat, ASN Pemerintah Kota Malang berbelanja produk UMKM dan koperasi Kota Malang.\n\nPilihan produk lokal dari kuliner sampai kriya — pesan lewat Ngalam Laris, ambil di toko atau diantar.',
        starts_on: addDays(today, -28),
        ends_on: null,
        place: null,
        products: products.slice(0, 12).map((p) => p.id),
      },
      {
        slug: BAZAR_SLUG,
        title: 'Bazar UMKM Alun-alun Merdeka',
        kind: 'event' as const,
        description: 'Bazar produk UMKM dan koperasi Kota Malang selama tiga hari, dengan demo masak dan kriya.',
        starts_on: addDays(today, 14),
        ends_on: addDays(today, 16),
        place: 'Alun-alun Merdeka, Kota Malang',
        products: products.slice(12, 24).map((p) => p.id),
      },
    ];
    for (const c of campaigns) {
      const { products: ids, ...values } = c;
      await trx
        .insertInto('market_campaigns')
        .values({ ...values, published: true, is_demo: true, created_by: dinas?.id ?? null })
        .onConflict((oc) => oc.column('slug').doNothing())
        .execute();
      const row = await trx.selectFrom('market_campaigns').select('id').where('slug', '=', c.slug).executeTakeFirstOrThrow();
      const has = await trx
        .selectFrom('market_campaign_products')
        .select('product_id')
        .where('campaign_id', '=', row.id)
        .limit(1)
        .execute();
      if (has.length === 0 && ids.length)
        await trx
          .insertInto('market_campaign_products')
          .values(ids.map((product_id, position) => ({ campaign_id: row.id, product_id, position })))
          .execute();
    }
  });
  const counts = await sql<{ verified: string; campaigns: string }>`
    select (select count(*) from market_origin_verifications where status = 'verified')::text as verified,
           (select count(*) from market_campaigns where is_demo)::text as campaigns`.execute(db);
  return { verified: Number(counts.rows[0]?.verified ?? 0), campaigns: Number(counts.rows[0]?.campaigns ?? 0) };
}
