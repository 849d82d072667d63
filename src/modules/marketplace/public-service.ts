import { sql } from 'kysely';
import { compiledOnce } from '../../db/compiled.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/index.js';
import { badgesOf, type LegalityBadge, legalityBadges, validKindsOf } from './badges.js';
import { REVIEW_PAGE_SIZE } from './discovery-service.js';
import {
  type CategoryNode,
  categoryLabel,
  categoryPath,
  categoryUrl,
  type Exec,
  photoUrl,
  productUrl,
  refData,
  storeImageUrl,
  storeUrl,
} from './search-service.js';

/**
 * What the public pages and GET /api/v1/products/{id} show: a product (active, of an open store —
 * anything else is 404), a store by slug (open only), and the photo/logo files behind their URLs.
 */

const notFound = () => new AppError('not_found', 'error.notFound');
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export type { LegalityBadge as LegalBadge } from './badges.js';

export interface ProductDetail {
  id: string;
  name: string;
  slug: string;
  url: string;
  description: string;
  price: number;
  inStock: boolean;
  halal: boolean;
  weightGrams: number | null;
  soldCount: number;
  category: { id: string; label: string; url: string } | null;
  categoryPath: { id: string; label: string; url: string }[];
  variants: { id: string; name: string; price: number; stock: number; inStock: boolean }[];
  photos: { id: string; small: string; medium: string; large: string }[];
  store: StoreSummary;
  badges: LegalityBadge[];
  updatedAt: string;
}

/** A visible review as the product page shows it. */
export interface PageReview {
  id: string;
  rating: number;
  comment: string | null;
  reviewer_name: string;
  created_at: Date | string;
  reply: string | null;
  replied_at: Date | string | null;
}

/** What the product page shows besides the product. */
export interface ProductPageParts {
  originCode: string | null;
  reviews: { items: PageReview[]; average: number | null; count: number };
}

export interface StoreSummary {
  id: string;
  organizationId: string;
  name: string;
  slug: string;
  url: string;
  kind: 'umkm' | 'koperasi';
  kecamatan: string | null;
  whatsapp: string | null;
  logo: string | null;
  offersPickup: boolean;
  offersDelivery: boolean;
  offersCod: boolean;
}

/** Legality badges (halal, SPP-IRT, BPOM MD) from the maker's registry documents valid today. */
async function legalBadges(db: Exec, organizationId: string): Promise<LegalityBadge[]> {
  return (await legalityBadges(db, [organizationId])).get(organizationId) ?? [];
}

type StoreRow = {
  id: string;
  organization_id: string;
  organization_kind: 'umkm' | 'koperasi';
  name: string;
  slug: string;
  whatsapp: string | null;
  logo_key: string | null;
  kecamatan_code: string | null;
  kelurahan_code: string | null;
  offers_pickup: boolean;
  offers_delivery: boolean;
  offers_cod: boolean;
};

async function summary(db: Exec, s: StoreRow): Promise<StoreSummary> {
  const ref = await refData(db);
  let kec = s.kecamatan_code;
  if (!kec && s.kelurahan_code) {
    kec =
      (await db.selectFrom('regions').select('parent_code').where('code', '=', s.kelurahan_code).executeTakeFirst())?.parent_code ?? null;
  }
  return {
    id: s.id,
    organizationId: s.organization_id,
    name: s.name,
    slug: s.slug,
    url: storeUrl(s.slug),
    kind: s.organization_kind,
    kecamatan: kec ? (ref.kecamatan.get(kec) ?? null) : null,
    whatsapp: s.whatsapp,
    logo: s.logo_key ? storeImageUrl(s.id, 'logo') : null,
    offersPickup: s.offers_pickup,
    offersDelivery: s.offers_delivery,
    offersCod: s.offers_cod,
  };
}

const STORE_COLUMNS = [
  's.id',
  's.organization_id',
  's.organization_kind',
  's.name',
  's.slug',
  's.whatsapp',
  's.logo_key',
  's.kecamatan_code',
  's.kelurahan_code',
  's.offers_pickup',
  's.offers_delivery',
  's.offers_cod',
] as const;

/** The product row of a page or of the API, without its WHERE on the product (see the compiled queries below). */
function detailQuery(db: Exec, withPageParts: boolean) {
  const q = db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select([
      'p.id',
      'p.name',
      'p.slug',
      'p.description',
      'p.min_price',
      'p.in_stock',
      'p.weight_grams',
      'p.sold_count',
      'p.category_id',
      'p.updated_at',
      sql<boolean>`coalesce(p.halal_until >= (now() at time zone 'Asia/Jakarta')::date, false)`.as('halal'),
      's.id as store_id',
      's.organization_id',
      's.organization_kind',
      's.name as store_name',
      's.slug as store_slug',
      's.whatsapp',
      's.logo_key',
      's.kecamatan_code',
      's.kelurahan_code',
      's.offers_pickup',
      's.offers_delivery',
      's.offers_cod',
      // Variants and photos in the same round trip (a product page is read far more than written).
      sql<{ id: string; name: string; price: string | number; stock: number }[]>`coalesce((
        select json_agg(json_build_object('id', v.id, 'name', v.name, 'price', v.price::text, 'stock', v.stock) order by v.position, v.price)
        from market_variants v where v.product_id = p.id and v.active), '[]'::json)`.as('variants'),
      sql<{ id: string }[]>`coalesce((
        select json_agg(json_build_object('id', x.id) order by x.position, x.created_at)
        from (select ph.id, ph.position, ph.created_at from market_product_photos ph where ph.product_id = p.id
              order by ph.position, ph.created_at limit 5) x), '[]'::json)`.as('photos'),
      // The maker's legality badges (registry documents valid today), in the same round trip.
      sql<string[] | null>`case when s.organization_kind = 'umkm' then ${validKindsOf(sql.ref('s.organization_id'))} end`.as('legal_kinds'),
    ])
    .where('p.status', '=', 'active')
    .where('s.status', '=', 'open');
  // The public page's other parts — the "Produk Asli Malang" code, the rating and the newest
  // reviews — in the same round trip too (the API's product has none of them).
  const withParts = q.$if(withPageParts, (qb) =>
    qb.select([
      'p.rating_avg',
      'p.rating_count',
      sql<string | null>`(select o.code from market_origin_verifications o where o.product_id = p.id and o.status = 'verified' limit 1)`.as(
        'origin_code',
      ),
      sql<PageReview[] | string>`coalesce((
        select json_agg(json_build_object('id', r.id, 'rating', r.rating, 'comment', r.comment, 'reviewer_name', r.reviewer_name,
          'created_at', r.created_at, 'reply', r.reply, 'replied_at', r.replied_at) order by r.created_at desc, r.id)
        from (select * from market_reviews r where r.product_id = p.id and not r.hidden
              order by r.created_at desc, r.id limit ${sql.lit(REVIEW_PAGE_SIZE)}) r), '[]'::json)`.as('reviews'),
    ]),
  );
  return withParts;
}

// Compiled once: every product page and API read runs one of these.
const detailById = compiledOnce((db, id: string) => detailQuery(db, false).where('p.id', '=', id));
const pageBySlugs = compiledOnce((db, storeSlug: string, slug: string) =>
  detailQuery(db, true).where('s.slug', '=', storeSlug).where('p.slug', '=', slug),
);

async function detailOf(
  db: Exec,
  where: { id: string } | { storeSlug: string; slug: string },
  locale: Locale,
): Promise<{ detail: ProductDetail; page: ProductPageParts | null }> {
  let rows: Awaited<ReturnType<typeof pageBySlugs>>;
  if ('id' in where) {
    if (!isUuid(where.id)) throw notFound();
    rows = await detailById(db, where.id);
  } else rows = await pageBySlugs(db, where.storeSlug, where.slug);
  const row = rows[0];
  if (!row) throw notFound();
  const withPageParts = !('id' in where);
  const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  const variants = json(row.variants);
  const photos = json(row.photos);
  const ref = await refData(db);
  const store = await summary(db, { ...row, id: row.store_id, name: row.store_name, slug: row.store_slug });
  const badges = badgesOf(row.legal_kinds ?? []);
  const path = categoryPath(ref, row.category_id).map((c: CategoryNode) => ({
    id: c.id,
    label: categoryLabel(c, locale),
    url: categoryUrl(c.id),
  }));
  const detail: ProductDetail = {
    id: row.id,
    name: row.name,
    slug: row.slug,
    url: productUrl(store.slug, row.slug),
    description: row.description,
    price: Number(row.min_price),
    inStock: row.in_stock,
    halal: row.halal,
    weightGrams: row.weight_grams,
    soldCount: row.sold_count,
    category: path[path.length - 1] ?? null,
    categoryPath: path,
    variants: variants.map((v) => ({ id: v.id, name: v.name, price: Number(v.price), stock: v.stock, inStock: v.stock > 0 })),
    photos: photos.map((ph) => ({
      id: ph.id,
      small: photoUrl(ph.id, 'small'),
      medium: photoUrl(ph.id, 'medium'),
      large: photoUrl(ph.id, 'large'),
    })),
    store,
    badges,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
  if (!withPageParts || !('reviews' in row) || row.reviews === undefined) return { detail, page: null };
  const ratingAvg = row.rating_avg;
  return {
    detail,
    page: {
      originCode: row.origin_code ?? null,
      reviews: {
        items: json(row.reviews),
        average: ratingAvg === null || ratingAvg === undefined ? null : Number(ratingAvg),
        count: row.rating_count ?? 0,
      },
    },
  };
}

export const productById = async (db: Exec, id: string, locale: Locale) => (await detailOf(db, { id }, locale)).detail;

/** A product's public page: the product with its origin code, rating and newest reviews (one query). */
export async function productPageBySlugs(db: Exec, storeSlug: string, slug: string, locale: Locale) {
  const { detail, page } = await detailOf(db, { storeSlug, slug }, locale);
  return { product: detail, ...(page as ProductPageParts) };
}

export interface StorePage extends StoreSummary {
  story: string | null;
  banner: string | null;
  openingHours: string | null;
  address: string | null;
  pickupPoints: { kind: 'alamat' | 'pasar' | 'sentra'; label: string; address: string | null }[];
  deliveryFees: { kecamatan: string; fee: number }[];
  badges: LegalityBadge[];
}

/** An open store by slug (closed or unknown → 404). */
export async function storeBySlug(db: Exec, slug: string): Promise<StorePage> {
  const s = await db
    .selectFrom('market_stores as s')
    .select([...STORE_COLUMNS, 's.story', 's.banner_key', 's.opening_hours', 's.address'])
    .where('s.slug', '=', slug)
    .where('s.status', '=', 'open')
    .executeTakeFirst();
  if (!s) throw notFound();
  const ref = await refData(db);
  const [points, fees, badges] = await Promise.all([
    db.selectFrom('market_pickup_points').select(['kind', 'label', 'address']).where('store_id', '=', s.id).orderBy('position').execute(),
    db.selectFrom('market_store_delivery_fees').select(['kecamatan_code', 'fee']).where('store_id', '=', s.id).execute(),
    s.organization_kind === 'umkm' ? legalBadges(db, s.organization_id) : Promise.resolve([]),
  ]);
  return {
    ...(await summary(db, s as StoreRow)),
    story: s.story,
    banner: s.banner_key ? storeImageUrl(s.id, 'banner') : null,
    openingHours: s.opening_hours,
    address: s.address,
    pickupPoints: points,
    deliveryFees: fees
      .map((f) => ({ kecamatan: ref.kecamatan.get(f.kecamatan_code) ?? f.kecamatan_code, fee: Number(f.fee) }))
      .sort((a, b) => a.kecamatan.localeCompare(b.kecamatan)),
    badges,
  };
}

/** The storage key of a public photo (product live) or store logo/banner (store open); null if not public. */
export async function publicPhotoKey(db: Exec, photoId: string, size: 'small' | 'medium' | 'large'): Promise<string | null> {
  if (!isUuid(photoId)) return null;
  const r = await db
    .selectFrom('market_product_photos as ph')
    .innerJoin('market_products as p', 'p.id', 'ph.product_id')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['ph.small_key', 'ph.medium_key', 'ph.large_key'])
    .where('ph.id', '=', photoId)
    .where('p.status', '=', 'active')
    .where('s.status', '=', 'open')
    .executeTakeFirst();
  if (!r) return null;
  return size === 'small' ? r.small_key : size === 'medium' ? r.medium_key : r.large_key;
}

export async function publicStoreImageKey(db: Exec, storeId: string, which: 'logo' | 'banner'): Promise<string | null> {
  if (!isUuid(storeId)) return null;
  const r = await db
    .selectFrom('market_stores')
    .select(['logo_key', 'banner_key'])
    .where('id', '=', storeId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (!r) return null;
  return which === 'logo' ? r.logo_key : r.banner_key;
}
