/**
 * Marketplace catalogue, seller side: opening a store for a verified UMKM/koperasi, its settings
 * (delivery fees, pickup points, bank account, images), products with variants and photos.
 * Authorization and tenancy are checked here (strangers get 404); every change to price, stock,
 * status or bank details is audit-logged in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import MarkdownIt from 'markdown-it';
import sharp from 'sharp';
import { writeAudit } from '../../platform/audit.js';
import { hasRole, type RequestContext } from '../../platform/context.js';
import { conflict, type FieldIssue, notFound, ruleViolated, unauthorized, validationFailed } from '../../platform/errors.js';
import { type FileStorage, sniffFileType } from '../../platform/storage.js';
import { setUmkmProductWords } from '../registry/service.js';
import type { CreateProductInput, UpdateProductInput, UpdateStoreInput } from './catalogue-schemas.js';
import { LOW_STOCK_THRESHOLD } from './orders-domain.js';
import type { Db, Trx } from './orders-repository.js';
import { requireOwnStore, runsStore, toJsonInt } from './orders-service.js';
import type { ProductStatus } from './tables.js';

type Ctx = Pick<RequestContext, 'user' | 'ip'>;
type Q = Db | Trx;

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS = 5;
/** Widths of a product photo's three WebP renditions. */
export const PHOTO_WIDTHS = { small: 200, medium: 600, large: 1200 } as const;
export type PhotoSize = keyof typeof PHOTO_WIDTHS;
export type StoreImage = 'logo' | 'banner' | 'qris';
export const PRODUCTS_PAGE_SIZE = 50;

const isUuid = (s: string | undefined | null): s is string => !!s && /^[0-9a-f-]{36}$/i.test(s);
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : '');

// ---------------------------------------------------------------------------------------------
// Markdown descriptions
// ---------------------------------------------------------------------------------------------

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet('rel', 'nofollow ugc noopener');
  }
  return self.renderToken(tokens, idx, options);
};
md.disable(['image']);

/**
 * A product description (Markdown) as safe HTML: raw HTML is escaped (html: false), only http(s)
 * and mailto links survive markdown-it's link check, links get rel="nofollow ugc noopener", no images.
 */
export function renderDescription(source: string): string {
  return md.render(source ?? '');
}

// ---------------------------------------------------------------------------------------------
// Slugs
// ---------------------------------------------------------------------------------------------

export function slugify(s: string): string {
  const out = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return out || 'produk';
}

/** The first free slug: base, base-2, base-3, … (taken = slugs already used in the scope). */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

async function takenSlugs(db: Q, table: 'market_stores' | 'market_products', base: string, storeId?: string) {
  let q = db.selectFrom(table).select('slug').where('slug', 'like', `${base}%`);
  if (table === 'market_products' && storeId) q = q.where('store_id' as never, '=', storeId as never);
  return new Set((await q.execute()).map((r) => r.slug));
}

// ---------------------------------------------------------------------------------------------
// Images (sharp → WebP, re-encoded, metadata stripped)
// ---------------------------------------------------------------------------------------------

export interface UploadedImage {
  bytes: Buffer;
  truncated?: boolean;
}

function checkImage(file: UploadedImage | null): Buffer {
  if (!file || file.bytes.length === 0) throw validationFailed([{ field: 'file', message: 'catalogue.fileRequired' }]);
  if (file.truncated || file.bytes.length > MAX_IMAGE_BYTES)
    throw validationFailed([{ field: 'file', message: 'catalogue.fileTooLarge', params: { mb: MAX_IMAGE_BYTES / 1024 / 1024 } }]);
  const type = sniffFileType(file.bytes);
  if (type !== 'image/jpeg' && type !== 'image/png' && type !== 'image/webp')
    throw validationFailed([{ field: 'file', message: 'catalogue.fileType' }]);
  return file.bytes;
}

/** Re-encodes to WebP at most `width` wide (never enlarged), EXIF orientation applied, metadata dropped. */
export async function toWebp(bytes: Buffer, width: number, height?: number, effort = 4): Promise<Buffer> {
  try {
    return await sharp(bytes, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width, height, fit: height ? 'cover' : 'inside', withoutEnlargement: true })
      .webp({ quality: 80, effort })
      .toBuffer();
  } catch {
    throw validationFailed([{ field: 'file', message: 'catalogue.fileUnreadable' }]);
  }
}

const IMAGE_SPEC: Record<StoreImage, { width: number; height?: number; column: 'logo_key' | 'banner_key' | 'qris_key' }> = {
  logo: { width: 400, height: 400, column: 'logo_key' },
  banner: { width: 1200, height: 400, column: 'banner_key' },
  qris: { width: 900, column: 'qris_key' },
};

// ---------------------------------------------------------------------------------------------
// Organisations that may open a store
// ---------------------------------------------------------------------------------------------

export interface SellerOrganization {
  id: string;
  kind: 'umkm' | 'koperasi';
  name: string;
  status: string;
  storeId: string | null;
}

/** The caller's UMKM (owner) and koperasi (pengurus), with their verification and store. */
export async function sellerOrganizations(db: Db, ctx: Ctx): Promise<SellerOrganization[]> {
  const grants = (ctx.user?.roles ?? []).filter((g) => (g.role === 'pelaku_umkm' || g.role === 'pengurus_koperasi') && g.organizationId);
  const umkmIds = grants.filter((g) => g.role === 'pelaku_umkm').map((g) => g.organizationId as string);
  const kopIds = grants.filter((g) => g.role === 'pengurus_koperasi').map((g) => g.organizationId as string);
  const [umkm, kop] = await Promise.all([
    umkmIds.length ? db.selectFrom('umkm').select(['id', 'name', 'status']).where('id', 'in', umkmIds).execute() : [],
    kopIds.length ? db.selectFrom('koperasi').select(['id', 'name', 'status']).where('id', 'in', kopIds).execute() : [],
  ]);
  const all = [...umkm.map((u) => ({ ...u, kind: 'umkm' as const })), ...kop.map((k) => ({ ...k, kind: 'koperasi' as const }))];
  const ids = all.map((o) => o.id);
  const stores = ids.length
    ? await db.selectFrom('market_stores').select(['id', 'organization_id']).where('organization_id', 'in', ids).execute()
    : [];
  const storeOf = new Map(stores.map((s) => [s.organization_id, s.id]));
  return all
    .map((o) => ({ id: o.id, kind: o.kind, name: o.name, status: o.status as string, storeId: storeOf.get(o.id) ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------------------------------------
// Stores
// ---------------------------------------------------------------------------------------------

/** Opens the store of a verified UMKM (its owner) or koperasi (its pengurus). */
export async function createStore(db: Db, ctx: Ctx, organizationId: string) {
  if (!ctx.user) throw unauthorized();
  if (!isUuid(organizationId)) throw notFound();
  const [u, k] = await Promise.all([
    db
      .selectFrom('umkm')
      .select(['id', 'name', 'brand_name', 'status', 'address', 'kelurahan_code', 'kecamatan_code', 'whatsapp', 'phone'])
      .where('id', '=', organizationId)
      .executeTakeFirst(),
    db
      .selectFrom('koperasi')
      .select(['id', 'name', 'status', 'address', 'kelurahan_code', 'kecamatan_code', 'phone'])
      .where('id', '=', organizationId)
      .executeTakeFirst(),
  ]);
  const kind = u ? ('umkm' as const) : k ? ('koperasi' as const) : null;
  const org = u ?? k;
  if (!kind || !org) throw notFound();
  if (!runsStore(ctx, { organization_id: org.id, organization_kind: kind })) throw notFound();
  if (org.status !== 'verified') throw ruleViolated('catalogue.notVerified');
  const name = (u?.brand_name || org.name).slice(0, 120);
  const phone = (u?.whatsapp ?? org.phone ?? '').replace(/[^0-9+]/g, '');
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('market_stores').select('id').where('organization_id', '=', org.id).executeTakeFirst();
    if (existing) throw conflict('catalogue.storeExists', {}, { storeId: existing.id });
    const base = slugify(name);
    const slug = freeSlug(base, await takenSlugs(trx, 'market_stores', base));
    const store = await trx
      .insertInto('market_stores')
      .values({
        organization_id: org.id,
        organization_kind: kind,
        slug,
        name,
        story: null,
        whatsapp: /^(\+62|62|0)8[0-9]{7,12}$/.test(phone) ? phone : null,
        opening_hours: null,
        address: org.address,
        kelurahan_code: org.kelurahan_code,
        kecamatan_code: org.kecamatan_code,
      })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('market_pickup_points')
      .values({ store_id: store.id, kind: 'alamat', label: name, address: org.address, position: 0 })
      .execute();
    await writeAudit(trx, ctx, {
      action: 'market.store.create',
      entityType: 'market_store',
      entityId: store.id,
      organizationId: org.id,
      after: { slug, name, status: 'open' },
    });
    return store;
  });
}

export async function storeDetails(db: Q, storeId: string) {
  const [s, fees, points] = await Promise.all([
    db.selectFrom('market_stores').selectAll().where('id', '=', storeId).executeTakeFirstOrThrow(),
    db
      .selectFrom('market_store_delivery_fees')
      .select(['kecamatan_code', 'fee'])
      .where('store_id', '=', storeId)
      .orderBy('kecamatan_code')
      .execute(),
    db
      .selectFrom('market_pickup_points')
      .select(['id', 'kind', 'label', 'address'])
      .where('store_id', '=', storeId)
      .orderBy('position')
      .execute(),
  ]);
  return { store: s, fees, points };
}
export type StoreDetails = Awaited<ReturnType<typeof storeDetails>>;

export function toStoreJson(d: StoreDetails) {
  const s = d.store;
  return {
    id: s.id,
    slug: s.slug,
    organizationId: s.organization_id,
    organizationKind: s.organization_kind,
    name: s.name,
    story: s.story,
    whatsapp: s.whatsapp,
    openingHours: s.opening_hours,
    address: s.address,
    kelurahanCode: s.kelurahan_code,
    kecamatanCode: s.kecamatan_code,
    offersPickup: s.offers_pickup,
    offersDelivery: s.offers_delivery,
    offersCod: s.offers_cod,
    deliveryFees: d.fees.map((f) => ({ kecamatanCode: f.kecamatan_code, fee: toJsonInt(f.fee) })),
    pickupPoints: d.points.map((p) => ({ id: p.id, kind: p.kind, label: p.label, address: p.address })),
    bankName: s.bank_name,
    bankAccountNumber: s.bank_account_number,
    bankAccountName: s.bank_account_name,
    hasLogo: !!s.logo_key,
    hasBanner: !!s.banner_key,
    hasQris: !!s.qris_key,
    status: s.status,
    publicUrl: `/toko/${s.slug}`,
  };
}

/** The caller's store with everything the settings page needs (404 for strangers). */
export async function getOwnStore(db: Db, ctx: Ctx, storeId: string) {
  await requireOwnStore(db, ctx, storeId);
  return storeDetails(db, storeId);
}

/** The caller's stores, full details. */
export async function listOwnStores(db: Db, ctx: Ctx) {
  const orgs = (await sellerOrganizations(db, ctx)).filter((o) => o.storeId);
  return Promise.all(orgs.map((o) => storeDetails(db, o.storeId as string)));
}

const STORE_FIELDS: Array<[keyof UpdateStoreInput, string]> = [
  ['name', 'name'],
  ['story', 'story'],
  ['whatsapp', 'whatsapp'],
  ['openingHours', 'opening_hours'],
  ['address', 'address'],
  ['offersPickup', 'offers_pickup'],
  ['offersDelivery', 'offers_delivery'],
  ['offersCod', 'offers_cod'],
  ['bankName', 'bank_name'],
  ['bankAccountNumber', 'bank_account_number'],
  ['bankAccountName', 'bank_account_name'],
  ['status', 'status'],
];

/** Edits a store's settings in one transaction; fees and pickup points replace the stored lists. */
export async function updateStore(db: Db, ctx: Ctx, storeId: string, input: UpdateStoreInput) {
  const own = await requireOwnStore(db, ctx, storeId);
  const issues: FieldIssue[] = [];
  const set: Record<string, unknown> = {};
  for (const [key, column] of STORE_FIELDS) {
    const v = input[key];
    if (v === undefined) continue;
    set[column] = typeof v === 'string' ? v.trim() || null : v;
  }
  if (set.name === null) issues.push({ field: 'name', message: 'field.required' });
  if (input.kelurahanCode !== undefined) {
    if (input.kelurahanCode === null) {
      set.kelurahan_code = null;
      set.kecamatan_code = null;
    } else {
      const kel = await db
        .selectFrom('regions')
        .select(['code', 'parent_code'])
        .where('code', '=', input.kelurahanCode)
        .where('level', 'in', ['kelurahan', 'desa'])
        .executeTakeFirst();
      if (!kel) issues.push({ field: 'kelurahanCode', message: 'catalogue.kelurahanInvalid' });
      else {
        set.kelurahan_code = kel.code;
        set.kecamatan_code = kel.parent_code;
      }
    }
  }
  if (input.deliveryFees) {
    const codes = [...new Set(input.deliveryFees.map((f) => f.kecamatanCode))];
    if (codes.length !== input.deliveryFees.length) issues.push({ field: 'deliveryFees', message: 'catalogue.feeDuplicate' });
    const known = codes.length
      ? await db.selectFrom('regions').select('code').where('code', 'in', codes).where('level', '=', 'kecamatan').execute()
      : [];
    if (known.length !== codes.length) issues.push({ field: 'deliveryFees', message: 'catalogue.kecamatanInvalid' });
  }
  const existingPoints = await db.selectFrom('market_pickup_points').select('id').where('store_id', '=', storeId).execute();
  const pointIds = new Set(existingPoints.map((p) => p.id));
  if (input.pickupPoints?.some((p) => p.id && !pointIds.has(p.id)))
    issues.push({ field: 'pickupPoints', message: 'catalogue.pickupUnknown' });
  if (issues.length) throw validationFailed(issues);

  const before = await storeDetails(db, storeId);
  const next = { ...before.store, ...set } as typeof before.store;
  const deliveryAfter = input.deliveryFees ?? before.fees.map((f) => ({ kecamatanCode: f.kecamatan_code, fee: Number(f.fee) }));
  const pointsAfter = input.pickupPoints ?? before.points;
  if (!next.offers_pickup && !next.offers_delivery && !next.offers_cod)
    throw validationFailed([{ field: 'offersPickup', message: 'catalogue.noDeliveryOption' }]);
  if (next.offers_pickup && pointsAfter.length === 0)
    throw validationFailed([{ field: 'pickupPoints', message: 'catalogue.pickupNeeded' }]);
  if ((next.offers_delivery || next.offers_cod) && deliveryAfter.length === 0)
    throw validationFailed([{ field: 'deliveryFees', message: 'catalogue.feesNeeded' }]);
  const bankParts = [next.bank_name, next.bank_account_number, next.bank_account_name].filter(Boolean).length;
  if (bankParts !== 0 && bankParts !== 3) throw validationFailed([{ field: 'bankAccountNumber', message: 'catalogue.bankIncomplete' }]);

  await db.transaction().execute(async (trx) => {
    if (Object.keys(set).length)
      await trx
        .updateTable('market_stores')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', storeId)
        .execute();
    if (input.deliveryFees) {
      await trx.deleteFrom('market_store_delivery_fees').where('store_id', '=', storeId).execute();
      if (input.deliveryFees.length)
        await trx
          .insertInto('market_store_delivery_fees')
          .values(input.deliveryFees.map((f) => ({ store_id: storeId, kecamatan_code: f.kecamatanCode, fee: BigInt(f.fee) })))
          .execute();
    }
    if (input.pickupPoints) {
      const keep = input.pickupPoints.filter((p) => p.id).map((p) => p.id as string);
      let del = trx.deleteFrom('market_pickup_points').where('store_id', '=', storeId);
      if (keep.length) del = del.where('id', 'not in', keep);
      await del.execute();
      for (const [i, p] of input.pickupPoints.entries()) {
        const values = { kind: p.kind, label: p.label.trim(), address: p.address?.trim() || null, position: i };
        if (p.id)
          await trx.updateTable('market_pickup_points').set(values).where('id', '=', p.id).where('store_id', '=', storeId).execute();
        else
          await trx
            .insertInto('market_pickup_points')
            .values({ store_id: storeId, ...values })
            .execute();
      }
    }
    const after = await storeDetails(trx, storeId);
    await writeAudit(trx, ctx, {
      action: 'market.store.update',
      entityType: 'market_store',
      entityId: storeId,
      organizationId: own.organization_id,
      before: auditStore(before),
      after: auditStore(after),
    });
  });
  return storeDetails(db, storeId);
}

function auditStore(d: StoreDetails) {
  const s = d.store;
  return {
    name: s.name,
    status: s.status,
    offers: [s.offers_pickup, s.offers_delivery, s.offers_cod],
    bank: [s.bank_name, s.bank_account_number, s.bank_account_name],
    fees: d.fees.map((f) => [f.kecamatan_code, String(f.fee)]),
    points: d.points.length,
  };
}

/** Replaces the store's logo, banner or static QRIS image (re-encoded to WebP). */
export async function uploadStoreImage(
  db: Db,
  storage: FileStorage,
  ctx: Ctx,
  storeId: string,
  which: StoreImage,
  file: UploadedImage | null,
) {
  const own = await requireOwnStore(db, ctx, storeId);
  const spec = IMAGE_SPEC[which];
  const webp = await toWebp(checkImage(file), spec.width, spec.height);
  const key = `market/stores/${storeId}/${which}-${randomUUID()}.webp`;
  await storage.put(key, webp, 'image/webp');
  let old: string | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('market_stores').select(spec.column).where('id', '=', storeId).forUpdate().executeTakeFirstOrThrow();
      old = row[spec.column] as string | null;
      await trx
        .updateTable('market_stores')
        .set({ [spec.column]: key, updated_at: new Date() })
        .where('id', '=', storeId)
        .execute();
      await writeAudit(trx, ctx, {
        action: `market.store.${which}`,
        entityType: 'market_store',
        entityId: storeId,
        organizationId: own.organization_id,
        before: { key: old },
        after: { key },
      });
    });
  } catch (err) {
    await storage.delete(key);
    throw err;
  }
  if (old) await storage.delete(old);
  return key;
}

export async function storeImageFile(db: Db, storage: FileStorage, ctx: Ctx, storeId: string, which: StoreImage) {
  await requireOwnStore(db, ctx, storeId);
  const row = await db.selectFrom('market_stores').select(IMAGE_SPEC[which].column).where('id', '=', storeId).executeTakeFirstOrThrow();
  const key = row[IMAGE_SPEC[which].column] as string | null;
  const file = key ? await storage.get(key) : null;
  if (!file) throw notFound();
  return file;
}

// ---------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------

async function checkCategory(db: Q, categoryId: string | null | undefined, issues: FieldIssue[]) {
  if (!categoryId) return;
  const c = await db.selectFrom('market_categories').select('id').where('id', '=', categoryId).executeTakeFirst();
  if (!c) issues.push({ field: 'categoryId', message: 'catalogue.categoryInvalid' });
}

/** Product names of the UMKM's live products feed the registry search ("keripik" finds the maker). */
async function refreshProductWords(trx: Trx, store: { id: string; organization_id: string; organization_kind: string }) {
  if (store.organization_kind !== 'umkm') return;
  const rows = await trx
    .selectFrom('market_products')
    .select('name')
    .where('store_id', '=', store.id)
    .where('status', '=', 'active')
    .orderBy('created_at')
    .limit(200)
    .execute();
  await setUmkmProductWords(trx, store.organization_id, rows.map((r) => r.name).join(' '));
}

export async function createProduct(db: Db, ctx: Ctx, storeId: string, input: CreateProductInput) {
  const store = await requireOwnStore(db, ctx, storeId);
  const issues: FieldIssue[] = [];
  const name = input.name.trim();
  if (name.length < 3) issues.push({ field: 'name', message: 'field.required' });
  await checkCategory(db, input.categoryId, issues);
  let variants: { name: string; price: number; stock: number }[];
  if (input.variants?.length) {
    if (input.price !== undefined || input.stock !== undefined) issues.push({ field: 'price', message: 'catalogue.priceOrVariants' });
    variants = input.variants.map((v) => ({ ...v, name: v.name.trim() }));
    const names = variants.map((v) => v.name.toLowerCase());
    if (new Set(names).size !== names.length || names.some((n) => !n))
      issues.push({ field: 'variants', message: 'catalogue.variantNames' });
  } else {
    if (input.price === undefined) issues.push({ field: 'price', message: 'field.required' });
    if (input.stock === undefined) issues.push({ field: 'stock', message: 'field.required' });
    variants = [{ name: '', price: input.price ?? 0, stock: input.stock ?? 0 }];
  }
  if (issues.length) throw validationFailed(issues);
  const status: ProductStatus = input.status === 'draft' ? 'draft' : 'active';
  const id = await db.transaction().execute(async (trx) => {
    const base = slugify(name);
    const slug = freeSlug(base, await takenSlugs(trx, 'market_products', base, storeId));
    const p = await trx
      .insertInto('market_products')
      .values({
        store_id: storeId,
        category_id: input.categoryId || null,
        name,
        slug,
        description: input.description?.trim() ?? '',
        status,
        weight_grams: input.weightGrams ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('market_variants')
      .values(variants.map((v, i) => ({ product_id: p.id, name: v.name, price: BigInt(v.price), stock: v.stock, position: i })))
      .execute();
    await writeAudit(trx, ctx, {
      action: 'market.product.create',
      entityType: 'market_product',
      entityId: p.id,
      organizationId: store.organization_id,
      after: { name, status, variants },
    });
    if (status === 'active') await refreshProductWords(trx, store);
    return p.id;
  });
  return loadProduct(db, id);
}

async function productOfCaller(db: Q, ctx: Ctx, productId: string) {
  if (!isUuid(productId)) throw notFound();
  const row = await db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.id', 'p.store_id', 'p.status', 's.organization_id', 's.organization_kind'])
    .where('p.id', '=', productId)
    .executeTakeFirst();
  if (!row || !runsStore(ctx, row)) throw notFound();
  return row;
}

export async function updateProduct(db: Db, ctx: Ctx, productId: string, input: UpdateProductInput) {
  const owner = await productOfCaller(db, ctx, productId);
  const issues: FieldIssue[] = [];
  if (input.categoryId !== undefined) await checkCategory(db, input.categoryId, issues);
  if (input.name !== undefined && input.name.trim().length < 3) issues.push({ field: 'name', message: 'field.required' });
  if (issues.length) throw validationFailed(issues);
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom('market_products').select('id').where('id', '=', productId).forUpdate().execute();
    const before = await loadProduct(trx, productId);
    const set: Record<string, unknown> = {};
    if (input.name !== undefined) set.name = input.name.trim();
    if (input.description !== undefined) set.description = input.description.trim();
    if (input.categoryId !== undefined) set.category_id = input.categoryId || null;
    if (input.status !== undefined) set.status = input.status;
    if (input.weightGrams !== undefined) set.weight_grams = input.weightGrams;

    const current = before.variants;
    const byId = new Map(current.map((v) => [v.id, v]));
    if (input.price !== undefined || input.stock !== undefined) {
      const active = current.filter((v) => v.active);
      if (active.length !== 1 || input.variants) throw validationFailed([{ field: 'price', message: 'catalogue.useVariants' }]);
      const only = active[0] as (typeof active)[number];
      await trx
        .updateTable('market_variants')
        .set({
          ...(input.price !== undefined ? { price: BigInt(input.price) } : {}),
          ...(input.stock !== undefined ? { stock: input.stock } : {}),
        })
        .where('id', '=', only.id)
        .execute();
    }
    if (input.variants) {
      let position = current.length;
      for (const [i, v] of input.variants.entries()) {
        if (v.id) {
          if (!byId.has(v.id)) throw validationFailed([{ field: `variants.${i}.id`, message: 'catalogue.variantUnknown' }]);
          const vs: Record<string, unknown> = {};
          if (v.name !== undefined) vs.name = v.name.trim();
          if (v.price !== undefined) vs.price = BigInt(v.price);
          if (v.stock !== undefined) vs.stock = v.stock;
          if (v.active !== undefined) vs.active = v.active;
          if (Object.keys(vs).length) await trx.updateTable('market_variants').set(vs).where('id', '=', v.id).execute();
        } else {
          if (!v.name?.trim() || v.price === undefined || v.stock === undefined)
            throw validationFailed([{ field: `variants.${i}.name`, message: 'catalogue.variantIncomplete' }]);
          await trx
            .insertInto('market_variants')
            .values({
              product_id: productId,
              name: v.name.trim(),
              price: BigInt(v.price),
              stock: v.stock,
              position: position++,
              active: v.active ?? true,
            })
            .execute();
        }
      }
    }
    const variantsNow = await trx.selectFrom('market_variants').select(['name', 'active']).where('product_id', '=', productId).execute();
    const activeNow = variantsNow.filter((v) => v.active);
    if (activeNow.length === 0) throw validationFailed([{ field: 'variants', message: 'catalogue.oneVariantNeeded' }]);
    const names = activeNow.map((v) => v.name.toLowerCase());
    if (new Set(names).size !== names.length || (activeNow.length > 1 && names.some((n) => !n)))
      throw validationFailed([{ field: 'variants', message: 'catalogue.variantNames' }]);
    if (Object.keys(set).length)
      await trx
        .updateTable('market_products')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', productId)
        .execute();
    else await trx.updateTable('market_products').set({ updated_at: new Date() }).where('id', '=', productId).execute();
    const after = await loadProduct(trx, productId);
    await writeAudit(trx, ctx, {
      action: 'market.product.update',
      entityType: 'market_product',
      entityId: productId,
      organizationId: owner.organization_id,
      before: auditProduct(before),
      after: auditProduct(after),
    });
    await refreshProductWords(trx, {
      id: owner.store_id,
      organization_id: owner.organization_id,
      organization_kind: owner.organization_kind,
    });
  });
  return loadProduct(db, productId);
}

function auditProduct(p: ProductView) {
  return {
    name: p.name,
    status: p.status,
    categoryId: p.category_id,
    variants: p.variants.map((v) => ({ id: v.id, name: v.name, price: String(v.price), stock: v.stock, active: v.active })),
  };
}

export async function loadProduct(db: Q, productId: string) {
  const [p, variants, photos] = await Promise.all([
    db
      .selectFrom('market_products')
      .select([
        'id',
        'store_id',
        'category_id',
        'name',
        'slug',
        'description',
        'status',
        'weight_grams',
        'min_price',
        'in_stock',
        'created_at',
        'updated_at',
      ])
      .where('id', '=', productId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('market_variants')
      .select(['id', 'name', 'price', 'stock', 'active', 'position'])
      .where('product_id', '=', productId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('market_product_photos')
      .select(['id', 'position', 'small_key', 'medium_key', 'large_key'])
      .where('product_id', '=', productId)
      .orderBy('position')
      .orderBy('created_at')
      .execute(),
  ]);
  return { ...p, variants, photos };
}
export type ProductView = Awaited<ReturnType<typeof loadProduct>>;

export function sellerPhotoUrl(storeId: string, photoId: string, size: PhotoSize, channel: 'api' | 'web' = 'api') {
  return channel === 'api' ? `/api/v1/stores/${storeId}/photos/${photoId}/${size}` : `/toko-saya/${storeId}/foto/${photoId}/${size}`;
}

export function toProductJson(p: ProductView) {
  const active = p.variants.filter((v) => v.active);
  return {
    id: p.id,
    storeId: p.store_id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    descriptionHtml: renderDescription(p.description),
    categoryId: p.category_id,
    status: p.status,
    weightGrams: p.weight_grams,
    price: toJsonInt(p.min_price),
    stock: active.reduce((n, v) => n + v.stock, 0),
    inStock: p.in_stock,
    variants: p.variants.map((v) => ({ id: v.id, name: v.name, price: toJsonInt(v.price), stock: v.stock, active: v.active })),
    photos: p.photos.map((ph) => ({
      id: ph.id,
      small: sellerPhotoUrl(p.store_id, ph.id, 'small'),
      medium: sellerPhotoUrl(p.store_id, ph.id, 'medium'),
      large: sellerPhotoUrl(p.store_id, ph.id, 'large'),
    })),
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
  };
}

/** A product of the caller's store, for the seller (any status). */
export async function getOwnProduct(db: Db, ctx: Ctx, productId: string) {
  await productOfCaller(db, ctx, productId);
  return loadProduct(db, productId);
}

export interface SellerProductRow {
  id: string;
  name: string;
  slug: string;
  status: ProductStatus;
  min_price: bigint;
  in_stock: boolean;
  stock: number;
  min_stock: number;
  variant_count: number;
  photo_id: string | null;
  updated_at: Date;
}

/** The store's products for its seller, filtered by status; low stock = an active variant at or under the threshold. */
export async function listStoreProducts(db: Db, ctx: Ctx, storeId: string, q: { status?: ProductStatus; page?: number } = {}) {
  await requireOwnStore(db, ctx, storeId);
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const where = q.status
    ? sql`p.store_id = ${storeId} and p.status = ${q.status}`
    : sql`p.store_id = ${storeId} and p.status <> 'archived'`;
  const [rows, counts] = await Promise.all([
    sql<SellerProductRow>`
      select p.id, p.name, p.slug, p.status, p.min_price, p.in_stock, p.updated_at,
        coalesce((select sum(v.stock) from market_variants v where v.product_id = p.id and v.active), 0)::int as stock,
        coalesce((select min(v.stock) from market_variants v where v.product_id = p.id and v.active), 0)::int as min_stock,
        (select count(*) from market_variants v where v.product_id = p.id and v.active)::int as variant_count,
        (select ph.id from market_product_photos ph where ph.product_id = p.id order by ph.position, ph.created_at limit 1) as photo_id
      from market_products p where ${where}
      order by p.status = 'active' desc, p.updated_at desc, p.id
      limit ${PRODUCTS_PAGE_SIZE} offset ${(page - 1) * PRODUCTS_PAGE_SIZE}`.execute(db),
    db
      .selectFrom('market_products')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('store_id', '=', storeId)
      .groupBy('status')
      .execute(),
  ]);
  const byStatus: Record<ProductStatus, number> = { draft: 0, active: 0, archived: 0 };
  for (const c of counts) byStatus[c.status] = c.n;
  const total = q.status ? byStatus[q.status] : byStatus.draft + byStatus.active;
  return {
    items: rows.rows.map((r) => ({
      ...r,
      min_price: BigInt(r.min_price),
      lowStock: r.status === 'active' && r.min_stock <= LOW_STOCK_THRESHOLD,
    })),
    total,
    page,
    pageSize: PRODUCTS_PAGE_SIZE,
    byStatus,
  };
}

// ---------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------

/**
 * Writes a photo's three WebP renditions (200/600/1200 px wide, metadata stripped) to storage and
 * returns the new photo id and keys; the caller inserts the row (the upload and the demo share this).
 */
export async function storePhotoRenditions(storage: FileStorage, productId: string, bytes: Buffer, effort = 4) {
  const id = randomUUID();
  const prefix = `market/products/${productId}/${id}`;
  const keys = { small: `${prefix}/small.webp`, medium: `${prefix}/medium.webp`, large: `${prefix}/large.webp` };
  for (const size of ['small', 'medium', 'large'] as const) {
    await storage.put(keys[size], await toWebp(bytes, PHOTO_WIDTHS[size], undefined, effort), 'image/webp');
  }
  return { id, keys };
}

/** Adds a photo (max 5): re-encoded to WebP small/medium/large, metadata stripped. */
export async function addProductPhoto(db: Db, storage: FileStorage, ctx: Ctx, productId: string, file: UploadedImage | null) {
  const owner = await productOfCaller(db, ctx, productId);
  const count = await db
    .selectFrom('market_product_photos')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
  if (count.n >= MAX_PHOTOS) throw conflict('catalogue.tooManyPhotos', { max: MAX_PHOTOS });
  const { id, keys } = await storePhotoRenditions(storage, productId, checkImage(file));
  try {
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('market_products').select('id').where('id', '=', productId).forUpdate().execute();
      const n = await trx
        .selectFrom('market_product_photos')
        .select([sql<number>`count(*)::int`.as('n'), sql<number>`coalesce(max(position), -1)::int`.as('max')])
        .where('product_id', '=', productId)
        .executeTakeFirstOrThrow();
      if (n.n >= MAX_PHOTOS) throw conflict('catalogue.tooManyPhotos', { max: MAX_PHOTOS });
      await trx
        .insertInto('market_product_photos')
        .values({ id, product_id: productId, position: n.max + 1, small_key: keys.small, medium_key: keys.medium, large_key: keys.large })
        .execute();
      await writeAudit(trx, ctx, {
        action: 'market.product.photo.add',
        entityType: 'market_product',
        entityId: productId,
        organizationId: owner.organization_id,
        after: { photoId: id },
      });
    });
  } catch (err) {
    await Promise.all(Object.values(keys).map((k) => storage.delete(k)));
    throw err;
  }
  return loadProduct(db, productId);
}

export async function deleteProductPhoto(db: Db, storage: FileStorage, ctx: Ctx, productId: string, photoId: string) {
  const owner = await productOfCaller(db, ctx, productId);
  if (!isUuid(photoId)) throw notFound();
  const ph = await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('market_product_photos')
      .where('id', '=', photoId)
      .where('product_id', '=', productId)
      .returning(['small_key', 'medium_key', 'large_key'])
      .executeTakeFirst();
    if (!row) throw notFound();
    await writeAudit(trx, ctx, {
      action: 'market.product.photo.delete',
      entityType: 'market_product',
      entityId: productId,
      organizationId: owner.organization_id,
      before: { photoId },
    });
    return row;
  });
  await Promise.all([ph.small_key, ph.medium_key, ph.large_key].map((k) => storage.delete(k)));
  return loadProduct(db, productId);
}

/** Puts the product's photos in the given order (every photo id exactly once). */
export async function reorderProductPhotos(db: Db, ctx: Ctx, productId: string, photoIds: string[]) {
  await productOfCaller(db, ctx, productId);
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('market_product_photos').select('id').where('product_id', '=', productId).forUpdate().execute();
    const have = new Set(rows.map((r) => r.id));
    if (photoIds.length !== have.size || new Set(photoIds).size !== photoIds.length || photoIds.some((id) => !have.has(id)))
      throw validationFailed([{ field: 'photoIds', message: 'catalogue.photoOrderInvalid' }]);
    for (const [i, id] of photoIds.entries())
      await trx.updateTable('market_product_photos').set({ position: i }).where('id', '=', id).execute();
  });
  return loadProduct(db, productId);
}

/** Moves one photo a place up (web form "naik"). */
export async function movePhotoUp(db: Db, ctx: Ctx, productId: string, photoId: string) {
  const p = await getOwnProduct(db, ctx, productId);
  const ids = p.photos.map((ph) => ph.id);
  const i = ids.indexOf(photoId);
  if (i < 0) throw notFound();
  if (i > 0) [ids[i - 1], ids[i]] = [ids[i] as string, ids[i - 1] as string];
  return reorderProductPhotos(db, ctx, productId, ids);
}

/** A photo file of the caller's store (any product status) for the seller's pages. */
export async function sellerPhotoFile(db: Db, storage: FileStorage, ctx: Ctx, storeId: string, photoId: string, size: PhotoSize) {
  await requireOwnStore(db, ctx, storeId);
  if (!isUuid(photoId)) throw notFound();
  const row = await db
    .selectFrom('market_product_photos as ph')
    .innerJoin('market_products as p', 'p.id', 'ph.product_id')
    .select(['ph.small_key', 'ph.medium_key', 'ph.large_key'])
    .where('ph.id', '=', photoId)
    .where('p.store_id', '=', storeId)
    .executeTakeFirst();
  if (!row) throw notFound();
  const file = await storage.get(size === 'small' ? row.small_key : size === 'medium' ? row.medium_key : row.large_key);
  if (!file) throw notFound();
  return file;
}

export async function listCategories(db: Db) {
  return db.selectFrom('market_categories').select(['id', 'parent_id', 'name_id', 'name_en']).orderBy('position').execute();
}

/** True when the caller is a seller (UMKM owner / koperasi pengurus) at all. */
export function isSeller(ctx: Pick<RequestContext, 'user'>) {
  return hasRole(ctx, 'pelaku_umkm') || hasRole(ctx, 'pengurus_koperasi');
}
