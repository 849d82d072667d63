/**
 * Marketplace discovery (issue 4, items 3, 9, 10): "Produk Asli Malang" verification with QR
 * labels, dinas' campaigns (collections and events) and buyers' reviews. Role checks live here;
 * every change to a status writes the audit log in the same transaction.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import sharp from 'sharp';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import { hasRole, type RequestContext } from '../../platform/context.js';
import { AppError, conflict, type FieldIssue, forbidden, notFound, unauthorized } from '../../platform/errors.js';
import { type FileStorage, sniffFileType } from '../../platform/storage.js';
import type { CampaignKind, OriginStatus } from './discovery-tables.js';
import { getOrder, getOrderByToken, runsStore } from './orders-service.js';

export type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Ctx = Pick<RequestContext, 'user' | 'ip'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: unknown): boolean => typeof s === 'string' && UUID.test(s);
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
/** A DATE column's value as YYYY-MM-DD. */
export const dateOnly = (d: Date | string | null | undefined): string | null => {
  if (!d) return null;
  if (d instanceof Date) {
    // A DATE column comes back as local midnight (pg) or UTC midnight (PGlite): read it in its own zone.
    const y = d.getFullYear();
    const local = `${y}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    return d.getHours() === 0 && d.getMinutes() === 0 ? local : d.toISOString().slice(0, 10);
  }
  return String(d).slice(0, 10);
};

function requireDinas(ctx: Ctx) {
  if (!ctx.user) throw unauthorized();
  if (!hasRole(ctx, 'dinas')) throw forbidden();
  return ctx.user;
}

function fieldError(field: string, message: FieldIssue['message'], params?: Record<string, string | number>): AppError {
  return new AppError('rule_violated', message, params ?? {}, undefined, [{ field, message, params }]);
}

function text(v: unknown, field: string, opts: { min?: number; max: number; required?: boolean }): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if ((opts.required || (opts.min ?? 0) > 0) && s.length < (opts.min ?? 1)) throw fieldError(field, 'field.required');
  if (s.length > opts.max) throw fieldError(field, 'discovery.tooLong', { max: opts.max });
  return s;
}

// =============================================================================================
// "Produk Asli Malang"
// =============================================================================================

/** Crockford base32 without I, L, O, U: easy to read off a label. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10;

/** A new label code: 10 random symbols of 32 (50 bits) — not guessable, short enough to type. */
export function newOriginCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let out = '';
  for (const b of bytes) out += CODE_ALPHABET[b & 31];
  return out;
}

/** Normalises what a person typed or a QR carried: case, spaces, dashes, O→0, I/L→1. */
export function normaliseCode(raw: string): string | null {
  const s = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(s) ? s : null;
}

async function productWithStore(db: Db | Trx, productId: string) {
  if (!isUuid(productId)) return undefined;
  return db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select([
      'p.id',
      'p.name',
      'p.slug',
      'p.status',
      'p.store_id',
      's.name as store_name',
      's.slug as store_slug',
      's.organization_id',
      's.organization_kind',
    ])
    .where('p.id', '=', productId)
    .executeTakeFirst();
}

async function liveRecord(db: Db | Trx, productId: string, forUpdate = false) {
  let q = db
    .selectFrom('market_origin_verifications')
    .selectAll()
    .where('product_id', '=', productId)
    .where('status', 'in', ['requested', 'verified']);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The seller asks dinas to verify a product of a store they run (404 for anyone else). */
export async function requestOrigin(db: Db, ctx: Ctx, productId: string, note?: string) {
  if (!ctx.user) throw unauthorized();
  const p = await productWithStore(db, productId);
  if (!p || !runsStore(ctx, p)) throw notFound();
  const requestNote = text(note, 'note', { max: 1000 }) || null;
  return db.transaction().execute(async (trx) => {
    if (await liveRecord(trx, productId, true)) throw conflict('discovery.origin.alreadyLive');
    const row = await trx
      .insertInto('market_origin_verifications')
      .values({
        product_id: productId,
        status: 'requested',
        request_note: requestNote,
        requested_by: ctx.user?.id ?? null,
        requested_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'market.origin.request',
      entityType: 'market_origin_verification',
      entityId: row.id,
      organizationId: p.organization_id,
      after: { productId, status: row.status, note: requestNote },
    });
    return row;
  });
}

/**
 * Dinas verifies a product as made in Malang (with a note): turns a pending request into a
 * verification, or verifies directly. Gives the record its label code. 409 when already verified.
 */
export async function verifyOrigin(db: Db, ctx: Ctx, productId: string, note: string) {
  const user = requireDinas(ctx);
  const p = await productWithStore(db, productId);
  if (!p) throw notFound();
  const verifyNote = text(note, 'note', { min: 3, max: 1000 });
  return db.transaction().execute(async (trx) => {
    const live = await liveRecord(trx, productId, true);
    if (live?.status === 'verified') throw conflict('discovery.origin.alreadyVerified');
    const set = { status: 'verified' as const, code: newOriginCode(), note: verifyNote, verified_by: user.id, verified_at: new Date() };
    const row = live
      ? await trx
          .updateTable('market_origin_verifications')
          .set({ ...set, updated_at: new Date() })
          .where('id', '=', live.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('market_origin_verifications')
          .values({ product_id: productId, ...set })
          .returningAll()
          .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'market.origin.verify',
      entityType: 'market_origin_verification',
      entityId: row.id,
      organizationId: p.organization_id,
      before: live ? { status: live.status } : null,
      after: { productId, status: 'verified', code: row.code, note: verifyNote },
    });
    return row;
  });
}

/** Dinas turns a pending request down (with a reason). */
export async function rejectOrigin(db: Db, ctx: Ctx, id: string, reason: string) {
  requireDinas(ctx);
  if (!isUuid(id)) throw notFound();
  const why = text(reason, 'reason', { min: 3, max: 1000 });
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('market_origin_verifications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound();
    if (row.status !== 'requested') throw conflict('discovery.origin.notRequested');
    const after = await trx
      .updateTable('market_origin_verifications')
      .set({ status: 'rejected', rejection_reason: why, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'market.origin.reject',
      entityType: 'market_origin_verification',
      entityId: id,
      before: { status: row.status },
      after: { status: 'rejected', reason: why },
    });
    return after;
  });
}

/** Dinas revokes a verification (with a reason); its labels then say "dicabut". */
export async function revokeOrigin(db: Db, ctx: Ctx, rawCode: string, reason: string) {
  const user = requireDinas(ctx);
  const code = normaliseCode(rawCode);
  if (!code) throw notFound();
  const why = text(reason, 'reason', { min: 3, max: 1000 });
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('market_origin_verifications').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) throw notFound();
    if (row.status !== 'verified') throw conflict('discovery.origin.notVerified');
    const after = await trx
      .updateTable('market_origin_verifications')
      .set({ status: 'revoked', revoke_reason: why, revoked_by: user.id, revoked_at: new Date(), updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'market.origin.revoke',
      entityType: 'market_origin_verification',
      entityId: row.id,
      before: { status: row.status, code },
      after: { status: 'revoked', reason: why },
    });
    return after;
  });
}

export const PERMIT_KINDS = ['nib', 'spp_irt', 'halal', 'bpom_md', 'merek', 'sni'] as const;

export interface OriginRecord {
  code: string;
  status: 'verified' | 'revoked';
  verifiedAt: string;
  note: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  product: { id: string; name: string; slug: string; status: string; storeSlug: string };
  store: { name: string; slug: string };
  maker: { name: string; kind: 'umkm' | 'koperasi'; kelurahan: string | null; kecamatan: string | null };
  permits: { kind: string; number: string | null; issuedOn: string | null; expiresOn: string | null }[];
}

/** The public record behind a label code (verified or revoked); null for unknown codes. */
export async function findByCode(db: Db, rawCode: string): Promise<OriginRecord | null> {
  const code = normaliseCode(rawCode);
  if (!code) return null;
  const row = await db
    .selectFrom('market_origin_verifications as v')
    .innerJoin('market_products as p', 'p.id', 'v.product_id')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .leftJoin('umkm as u', 'u.id', 's.organization_id')
    .leftJoin('koperasi as k', 'k.id', 's.organization_id')
    .select([
      'v.code',
      'v.status',
      'v.verified_at',
      'v.note',
      'v.revoked_at',
      'v.revoke_reason',
      'p.id as product_id',
      'p.name as product_name',
      'p.slug as product_slug',
      'p.status as product_status',
      's.name as store_name',
      's.slug as store_slug',
      's.organization_id',
      's.organization_kind',
      's.kelurahan_code as store_kelurahan',
      'o.name as org_name',
      'u.name as umkm_name',
      'u.brand_name',
      'u.kelurahan_code as umkm_kelurahan',
      'k.name as koperasi_name',
      'k.kelurahan_code as koperasi_kelurahan',
    ])
    .where('v.code', '=', code)
    .where('v.status', 'in', ['verified', 'revoked'])
    .executeTakeFirst();
  if (!row?.code || !row.verified_at) return null;
  const kelCode = row.umkm_kelurahan ?? row.koperasi_kelurahan ?? row.store_kelurahan;
  const kel = kelCode
    ? await db.selectFrom('regions').select(['name', 'parent_code']).where('code', '=', kelCode).executeTakeFirst()
    : undefined;
  const kec = kel?.parent_code
    ? await db.selectFrom('regions').select('name').where('code', '=', kel.parent_code).executeTakeFirst()
    : undefined;
  const permits =
    row.organization_kind === 'umkm'
      ? await db
          .selectFrom('umkm_documents')
          .select(['kind', 'number', 'issued_on', 'expires_on'])
          .where('umkm_id', '=', row.organization_id)
          .where('kind', 'in', [...PERMIT_KINDS])
          .orderBy('kind')
          .orderBy('created_at', 'desc')
          .execute()
      : [];
  return {
    code: row.code,
    status: row.status as 'verified' | 'revoked',
    verifiedAt: iso(row.verified_at) as string,
    note: row.note,
    revokedAt: iso(row.revoked_at),
    revokeReason: row.revoke_reason,
    product: { id: row.product_id, name: row.product_name, slug: row.product_slug, status: row.product_status, storeSlug: row.store_slug },
    store: { name: row.store_name, slug: row.store_slug },
    maker: {
      name: row.brand_name || row.umkm_name || row.koperasi_name || row.org_name,
      kind: row.organization_kind,
      kelurahan: kel?.name ?? null,
      kecamatan: kec?.name ?? null,
    },
    permits: permits.map((d) => ({
      kind: d.kind,
      number: d.number,
      issuedOn: dateOnly(d.issued_on as unknown as Date | string | null),
      expiresOn: dateOnly(d.expires_on as unknown as Date | string | null),
    })),
  };
}

/** The product's current verification code (for the badge), or null. */
export async function verifiedCodeOfProduct(db: Db, productId: string): Promise<string | null> {
  if (!isUuid(productId)) return null;
  const r = await db
    .selectFrom('market_origin_verifications')
    .select('code')
    .where('product_id', '=', productId)
    .where('status', '=', 'verified')
    .executeTakeFirst();
  return r?.code ?? null;
}

export interface QueueRow {
  id: string;
  status: OriginStatus;
  code: string | null;
  productId: string;
  productName: string;
  productSlug: string;
  storeName: string;
  storeSlug: string;
  requestNote: string | null;
  requestedAt: Date | null;
  verifiedAt: Date | null;
  note: string | null;
}

function queueQuery(db: Db) {
  return db
    .selectFrom('market_origin_verifications as v')
    .innerJoin('market_products as p', 'p.id', 'v.product_id')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select([
      'v.id',
      'v.status',
      'v.code',
      'p.id as productId',
      'p.name as productName',
      'p.slug as productSlug',
      's.name as storeName',
      's.slug as storeSlug',
      'v.request_note as requestNote',
      'v.requested_at as requestedAt',
      'v.verified_at as verifiedAt',
      'v.note',
    ]);
}

/** Dinas' queue: pending requests (oldest first) and the latest verifications. */
export async function originQueue(db: Db, ctx: Ctx): Promise<{ requested: QueueRow[]; verified: QueueRow[] }> {
  requireDinas(ctx);
  const [requested, verified] = await Promise.all([
    queueQuery(db).where('v.status', '=', 'requested').orderBy('v.requested_at').limit(200).execute(),
    queueQuery(db).where('v.status', '=', 'verified').orderBy('v.verified_at', 'desc').limit(100).execute(),
  ]);
  return { requested: requested as QueueRow[], verified: verified as QueueRow[] };
}

/** Products dinas may verify directly: a name search over active products without a live record. */
export async function searchUnverifiedProducts(db: Db, ctx: Ctx, q: string, limit = 20) {
  requireDinas(ctx);
  const term = q.trim().slice(0, 100);
  if (term.length < 2) return [];
  return db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.id', 'p.name', 's.name as storeName'])
    .where('p.status', '=', 'active')
    .where('p.name', 'ilike', `%${term.replace(/[%_\\]/g, (m) => `\\${m}`)}%`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('market_origin_verifications as v')
            .select('v.id')
            .whereRef('v.product_id', '=', 'p.id')
            .where('v.status', 'in', ['requested', 'verified']),
        ),
      ),
    )
    .orderBy('p.name')
    .limit(limit)
    .execute();
}

/** The seller's products (stores they run) with their latest verification record. */
export async function sellerOrigin(db: Db, ctx: Ctx) {
  if (!ctx.user) throw unauthorized();
  const orgs = (ctx.user.roles ?? [])
    .filter((g) => (g.role === 'pelaku_umkm' || g.role === 'pengurus_koperasi') && g.organizationId)
    .map((g) => g.organizationId as string);
  if (orgs.length === 0) return [];
  const products = await db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.id', 'p.name', 'p.status', 's.id as storeId', 's.name as storeName', 's.organization_id', 's.organization_kind'])
    .where('s.organization_id', 'in', orgs)
    .where('p.status', '<>', 'archived')
    .orderBy('s.name')
    .orderBy('p.name')
    .limit(500)
    .execute();
  const mine = products.filter((p) => runsStore(ctx, p));
  if (mine.length === 0) return [];
  const records = await db
    .selectFrom('market_origin_verifications')
    .selectAll()
    .where(
      'product_id',
      'in',
      mine.map((p) => p.id),
    )
    .orderBy('created_at', 'desc')
    .execute();
  return mine.map((p) => ({ ...p, record: records.find((r) => r.product_id === p.id) ?? null }));
}

/** May the caller print the product's labels? Its store's owner or dinas. */
async function labelRecord(db: Db, ctx: Ctx, productId: string) {
  if (!ctx.user) throw unauthorized();
  const p = await productWithStore(db, productId);
  if (!p || !(runsStore(ctx, p) || hasRole(ctx, 'dinas'))) throw notFound();
  const rec = await db
    .selectFrom('market_origin_verifications')
    .select(['code'])
    .where('product_id', '=', productId)
    .where('status', '=', 'verified')
    .executeTakeFirst();
  if (!rec?.code) throw conflict('discovery.origin.notVerified');
  return { product: p, code: rec.code };
}

/** A4 sheet geometry: 3 columns × 8 rows of labels, millimetres converted to points. */
export const LABEL_COLUMNS = 3;
export const LABEL_ROWS = 8;
const MM = 72 / 25.4;

/**
 * The PDF sheet of QR labels for a verified product: 3×8 labels on A4, each with the QR code of
 * `<publicUrl>/verifikasi/<code>`, the product name, "Produk Asli Malang" and the code.
 * The code is also set as text (and as the PDF's subject) so it can be read without a scanner.
 */
export async function labelsPdf(db: Db, ctx: Ctx, productId: string, publicUrl: string): Promise<{ pdf: Buffer; code: string }> {
  const { product, code } = await labelRecord(db, ctx, productId);
  const url = `${publicUrl.replace(/\/$/, '')}/verifikasi/${code}`;
  const [{ default: PDFDocument }, QRCode] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 0,
    compress: false,
    info: { Title: `Label Produk Asli Malang — ${product.name}`, Subject: code, Author: 'Ngalam Laris' },
  });
  // One image object drawn 24 times (not 24 copies of the PNG).
  const qrImage = (pdf as unknown as { openImage(src: Buffer): unknown }).openImage(png) as Buffer;
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  const pageW = 210 * MM;
  const pageH = 297 * MM;
  const marginX = 7 * MM;
  const marginY = 10.5 * MM;
  const cellW = (pageW - 2 * marginX) / LABEL_COLUMNS;
  const cellH = (pageH - 2 * marginY) / LABEL_ROWS;
  const qr = cellH - 6 * MM;
  const name = product.name.length > 60 ? `${product.name.slice(0, 57)}…` : product.name;
  for (let r = 0; r < LABEL_ROWS; r++) {
    for (let c = 0; c < LABEL_COLUMNS; c++) {
      const x = marginX + c * cellW;
      const y = marginY + r * cellH;
      pdf.save().lineWidth(0.3).strokeColor('#bbbbbb').rect(x, y, cellW, cellH).stroke().restore();
      pdf.image(qrImage, x + 3 * MM, y + 3 * MM, { width: qr, height: qr });
      const tx = x + 3 * MM + qr + 2 * MM;
      const tw = cellW - (tx - x) - 2 * MM;
      pdf
        .fillColor('#0b6e4f')
        .font('Helvetica-Bold')
        .fontSize(8)
        .text('Produk Asli Malang', tx, y + 4 * MM, { width: tw });
      pdf
        .fillColor('#000000')
        .font('Helvetica')
        .fontSize(7)
        .text(name, tx, y + 9 * MM, { width: tw, height: 12 * MM, ellipsis: true });
      pdf
        .font('Courier-Bold')
        .fontSize(8)
        .text(code, tx, y + cellH - 8 * MM, { width: tw, lineBreak: false });
    }
  }
  pdf.end();
  return { pdf: await done, code };
}

export function toOriginJson(r: {
  id: string;
  product_id: string;
  status: OriginStatus;
  code: string | null;
  note: string | null;
  request_note: string | null;
  requested_at: Date | string | null;
  verified_at: Date | string | null;
  rejection_reason: string | null;
  revoke_reason: string | null;
  revoked_at: Date | string | null;
}) {
  return {
    id: r.id,
    productId: r.product_id,
    status: r.status,
    code: r.code,
    note: r.note,
    requestNote: r.request_note,
    requestedAt: iso(r.requested_at),
    verifiedAt: iso(r.verified_at),
    rejectionReason: r.rejection_reason,
    revokeReason: r.revoke_reason,
    revokedAt: iso(r.revoked_at),
  };
}

// =============================================================================================
// Campaigns
// =============================================================================================

export interface CampaignInput {
  title?: string;
  slug?: string;
  description?: string;
  kind?: CampaignKind;
  startsOn?: string | null;
  endsOn?: string | null;
  place?: string | null;
  published?: boolean;
  productIds?: string[];
}

export type CampaignRow = Awaited<ReturnType<typeof campaignBase>> extends (infer T)[] ? T : never;

function campaignBase(db: Db) {
  return db
    .selectFrom('market_campaigns')
    .select([
      'id',
      'slug',
      'title',
      'description',
      'kind',
      'starts_on',
      'ends_on',
      'place',
      'cover_key',
      'published',
      'created_at',
      'updated_at',
    ])
    .execute();
}

/** Today's date in Kota Malang (WIB, UTC+7), YYYY-MM-DD. */
export function wibToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

export function slugify(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(v: string | null | undefined, field: string): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  if (!DATE_RE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw fieldError(field, 'discovery.campaign.dateInvalid');
  return v;
}

function campaignValues(input: CampaignInput, creating: boolean) {
  const out: Record<string, unknown> = {};
  if (creating || input.title !== undefined) out.title = text(input.title, 'title', { min: 3, max: 140 });
  if (input.slug !== undefined || creating) {
    const slug = input.slug ? input.slug.trim() : slugify(String(out.title ?? ''));
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 80) throw fieldError('slug', 'discovery.campaign.slugInvalid');
    out.slug = slug;
  }
  if (input.description !== undefined) out.description = text(input.description, 'description', { max: 5000 });
  if (creating || input.kind !== undefined) {
    if (input.kind !== 'collection' && input.kind !== 'event') throw fieldError('kind', 'discovery.campaign.kindInvalid');
    out.kind = input.kind;
  }
  const s = checkDate(input.startsOn, 'startsOn');
  const e = checkDate(input.endsOn, 'endsOn');
  if (s !== undefined) out.starts_on = s;
  if (e !== undefined) out.ends_on = e;
  if (input.place !== undefined) out.place = input.place === null ? null : text(input.place, 'place', { max: 200 }) || null;
  if (input.published !== undefined) out.published = !!input.published;
  return out;
}

async function setCampaignProducts(trx: Trx, campaignId: string, productIds: string[]) {
  const ids = [...new Set(productIds)];
  if (ids.length > 60) throw fieldError('productIds', 'discovery.campaign.tooManyProducts', { max: 60 });
  if (ids.some((id) => !isUuid(id))) throw fieldError('productIds', 'discovery.campaign.productUnknown');
  if (ids.length) {
    const found = await trx.selectFrom('market_products').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length) throw fieldError('productIds', 'discovery.campaign.productUnknown');
  }
  await trx.deleteFrom('market_campaign_products').where('campaign_id', '=', campaignId).execute();
  if (ids.length)
    await trx
      .insertInto('market_campaign_products')
      .values(ids.map((product_id, position) => ({ campaign_id: campaignId, product_id, position })))
      .execute();
}

function checkRange(row: { kind: string; starts_on: unknown; ends_on: unknown; place: string | null }) {
  const s = dateOnly(row.starts_on as Date | string | null);
  const e = dateOnly(row.ends_on as Date | string | null);
  if (s && e && e < s) throw fieldError('endsOn', 'discovery.campaign.rangeInvalid');
  if (row.kind === 'event' && (!s || !row.place)) throw fieldError(!s ? 'startsOn' : 'place', 'discovery.campaign.eventNeedsDatePlace');
}

/** Dinas creates a campaign (unpublished unless `published`). */
export async function createCampaign(db: Db, ctx: Ctx, input: CampaignInput) {
  const user = requireDinas(ctx);
  const v = campaignValues(input, true);
  checkRange({ kind: String(v.kind), starts_on: v.starts_on ?? null, ends_on: v.ends_on ?? null, place: (v.place as string) ?? null });
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('market_campaigns').select('id').where('slug', '=', String(v.slug)).executeTakeFirst();
    if (taken)
      throw new AppError('conflict', 'discovery.campaign.slugTaken', {}, undefined, [
        { field: 'slug', message: 'discovery.campaign.slugTaken' },
      ]);
    const row = await trx
      .insertInto('market_campaigns')
      .values({ ...(v as { title: string; slug: string; kind: CampaignKind }), created_by: user.id })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
    if (input.productIds) await setCampaignProducts(trx, row.id, input.productIds);
    await writeAudit(trx, ctx, {
      action: 'market.campaign.create',
      entityType: 'market_campaign',
      entityId: row.id,
      after: { ...v, productIds: input.productIds ?? [] },
    });
    return row;
  });
}

/** Dinas changes a campaign: absent fields stay; `productIds` replaces the product list. */
export async function updateCampaign(db: Db, ctx: Ctx, id: string, input: CampaignInput) {
  requireDinas(ctx);
  if (!isUuid(id)) throw notFound();
  const v = campaignValues(input, false);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('market_campaigns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound();
    checkRange({
      kind: (v.kind as string) ?? before.kind,
      starts_on: 'starts_on' in v ? v.starts_on : before.starts_on,
      ends_on: 'ends_on' in v ? v.ends_on : before.ends_on,
      place: 'place' in v ? (v.place as string | null) : before.place,
    });
    if (v.slug && v.slug !== before.slug) {
      const taken = await trx.selectFrom('market_campaigns').select('id').where('slug', '=', String(v.slug)).executeTakeFirst();
      if (taken)
        throw new AppError('conflict', 'discovery.campaign.slugTaken', {}, undefined, [
          { field: 'slug', message: 'discovery.campaign.slugTaken' },
        ]);
    }
    if (Object.keys(v).length)
      await trx
        .updateTable('market_campaigns')
        .set({ ...v, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    if (input.productIds) await setCampaignProducts(trx, id, input.productIds);
    await writeAudit(trx, ctx, {
      action: 'market.campaign.update',
      entityType: 'market_campaign',
      entityId: id,
      before: {
        title: before.title,
        slug: before.slug,
        published: before.published,
        startsOn: dateOnly(before.starts_on),
        endsOn: dateOnly(before.ends_on),
      },
      after: { ...v, ...(input.productIds ? { productIds: input.productIds } : {}) },
    });
    return { id, slug: (v.slug as string) ?? before.slug };
  });
}

export interface CampaignProduct {
  id: string;
  name: string;
  slug: string;
  minPrice: bigint;
  inStock: boolean;
  storeName: string;
  storeSlug: string;
  ratingAvg: string | null;
  ratingCount: number;
  photoKey: string | null;
}

/** Active products of open stores in the given campaigns, in curated order (at most `limit` each). */
export async function campaignProducts(db: Db, campaignIds: string[], limit = 60): Promise<Map<string, CampaignProduct[]>> {
  const out = new Map<string, CampaignProduct[]>();
  if (campaignIds.length === 0) return out;
  const rows = await db
    .selectFrom('market_campaign_products as cp')
    .innerJoin('market_products as p', 'p.id', 'cp.product_id')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select((eb) => [
      'cp.campaign_id',
      'p.id',
      'p.name',
      'p.slug',
      'p.min_price',
      'p.in_stock',
      'p.rating_avg',
      'p.rating_count',
      's.name as store_name',
      's.slug as store_slug',
      eb
        .selectFrom('market_product_photos as ph')
        .select('ph.small_key')
        .whereRef('ph.product_id', '=', 'p.id')
        .orderBy('ph.position')
        .limit(1)
        .as('photo_key'),
    ])
    .where('cp.campaign_id', 'in', campaignIds)
    .where('p.status', '=', 'active')
    .where('s.status', '=', 'open')
    .orderBy('cp.campaign_id')
    .orderBy('cp.position')
    .execute();
  for (const r of rows) {
    const list = out.get(r.campaign_id) ?? [];
    if (list.length >= limit) continue;
    list.push({
      id: r.id,
      name: r.name,
      slug: r.slug,
      minPrice: BigInt(r.min_price),
      inStock: r.in_stock,
      storeName: r.store_name,
      storeSlug: r.store_slug,
      ratingAvg: r.rating_avg,
      ratingCount: r.rating_count,
      photoKey: r.photo_key,
    });
    out.set(r.campaign_id, list);
  }
  return out;
}

function isCurrentOrUpcoming(today: string) {
  return sql<boolean>`(ends_on is null or ends_on >= ${today}::date)`;
}

/**
 * Campaigns: published ones that have not ended (current first, then upcoming); dinas may ask for
 * all (drafts and past ones too).
 */
export async function listCampaigns(db: Db, ctx: Ctx, opts: { all?: boolean; now?: Date } = {}) {
  const all = !!opts.all && hasRole(ctx, 'dinas');
  const today = wibToday(opts.now);
  let q = db.selectFrom('market_campaigns').selectAll().orderBy(sql`coalesce(starts_on, '-infinity'::date)`, 'asc').orderBy('title');
  if (!all) q = q.where('published', '=', true).where(isCurrentOrUpcoming(today));
  return q.limit(200).execute();
}

/** Published campaigns running today, each with up to `perCampaign` products (for the home page). */
export async function currentCampaigns(db: Db, opts: { now?: Date; limit?: number; perCampaign?: number } = {}) {
  const today = wibToday(opts.now);
  const rows = await db
    .selectFrom('market_campaigns')
    .selectAll()
    .where('published', '=', true)
    .where(sql<boolean>`(starts_on is null or starts_on <= ${today}::date)`)
    .where(isCurrentOrUpcoming(today))
    .orderBy('kind')
    .orderBy(sql`coalesce(starts_on, '-infinity'::date)`, 'desc')
    .limit(opts.limit ?? 3)
    .execute();
  const products = await campaignProducts(
    db,
    rows.map((r) => r.id),
    opts.perCampaign ?? 4,
  );
  return rows.map((c) => ({ campaign: c, products: products.get(c.id) ?? [] }));
}

/** One campaign by slug: published ones for everyone, drafts only for dinas (else 404). */
export async function getCampaign(db: Db, ctx: Ctx, slugOrId: string) {
  const q = db.selectFrom('market_campaigns').selectAll();
  const c = await (isUuid(slugOrId) ? q.where('id', '=', slugOrId) : q.where('slug', '=', slugOrId.slice(0, 100))).executeTakeFirst();
  if (!c || (!c.published && !hasRole(ctx, 'dinas'))) throw notFound();
  const products = (await campaignProducts(db, [c.id])).get(c.id) ?? [];
  return { campaign: c, products };
}

/** All products chosen for a campaign, whatever their status (for dinas' editor). */
export async function campaignProductsForEditor(db: Db, ctx: Ctx, campaignId: string) {
  requireDinas(ctx);
  return db
    .selectFrom('market_campaign_products as cp')
    .innerJoin('market_products as p', 'p.id', 'cp.product_id')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.id', 'p.name', 'p.status', 's.name as storeName'])
    .where('cp.campaign_id', '=', campaignId)
    .orderBy('cp.position')
    .execute();
}

/** Product search for choosing a campaign's products (active products by name). */
export async function searchProductsForCampaign(db: Db, ctx: Ctx, q: string, limit = 20) {
  requireDinas(ctx);
  const term = q.trim().slice(0, 100);
  if (term.length < 2) return [];
  return db
    .selectFrom('market_products as p')
    .innerJoin('market_stores as s', 's.id', 'p.store_id')
    .select(['p.id', 'p.name', 's.name as storeName'])
    .where('p.status', '=', 'active')
    .where('p.name', 'ilike', `%${term.replace(/[%_\\]/g, (m) => `\\${m}`)}%`)
    .orderBy('p.name')
    .limit(limit)
    .execute();
}

export function toCampaignJson(c: Awaited<ReturnType<typeof listCampaigns>>[number], products?: CampaignProduct[]) {
  return {
    id: c.id,
    slug: c.slug,
    title: c.title,
    description: c.description,
    kind: c.kind,
    startsOn: dateOnly(c.starts_on as unknown as Date | string | null),
    endsOn: dateOnly(c.ends_on as unknown as Date | string | null),
    place: c.place,
    published: c.published,
    url: `/kampanye/${c.slug}`,
    ...(products
      ? {
          products: products.map((p) => ({
            id: p.id,
            name: p.name,
            slug: p.slug,
            price: Number(p.minPrice),
            inStock: p.inStock,
            storeName: p.storeName,
            storeSlug: p.storeSlug,
            ratingAvg: p.ratingAvg === null ? null : Number(p.ratingAvg),
            ratingCount: p.ratingCount,
          })),
        }
      : {}),
  };
}

// =============================================================================================
// Reviews
// =============================================================================================

export const REVIEW_PAGE_SIZE = 20;

/** What a reviewer's name looks like in public: "Rina P." (first word + initial of the last). */
export function publicName(full: string): string {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '—';
  const first = parts[0] as string;
  return parts.length > 1 ? `${first} ${(parts[parts.length - 1] as string).charAt(0).toUpperCase()}.` : first;
}

/** Recomputes a product's visible rating count and average (inside the writer's transaction). */
async function refreshRating(trx: Trx, productId: string) {
  await sql`
    update market_products set
      rating_count = (select count(*) from market_reviews where product_id = ${productId} and not hidden),
      rating_avg = (select round(avg(rating)::numeric, 2) from market_reviews where product_id = ${productId} and not hidden)
    where id = ${productId}`.execute(trx);
}

export interface ReviewInput {
  orderItemId?: string;
  variantId?: string;
  productId?: string;
  rating: unknown;
  comment?: string;
}

/** The order the caller may review as its buyer: by private tracking token or as the logged-in buyer. */
async function buyerOrder(db: Db, ctx: Ctx, orderId: string, token?: string) {
  if (token) {
    const v = await getOrderByToken(db, token);
    if (v.order.id !== orderId) throw notFound();
    return v;
  }
  if (!ctx.user) throw unauthorized();
  const v = await getOrder(db, ctx, orderId);
  if (v.role !== 'buyer') throw forbidden();
  return v;
}

/**
 * The buyer rates one item of a completed (selesai) order, 1–5 with a comment: once per order
 * item (409 the second time), 422 for a rating outside 1–5, 409 before the order is selesai.
 */
export async function submitReview(db: Db, ctx: Ctx, orderId: string, input: ReviewInput, access: { token?: string } = {}) {
  if (!isUuid(orderId)) throw notFound();
  const v = await buyerOrder(db, ctx, orderId, access.token);
  const rating = typeof input.rating === 'string' && /^\d+$/.test(input.rating) ? Number(input.rating) : input.rating;
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5)
    throw fieldError('rating', 'discovery.review.ratingRange');
  const comment = text(input.comment, 'comment', { max: 2000 });
  if (v.order.status !== 'selesai') throw conflict('discovery.review.notCompleted');
  const items = await db
    .selectFrom('market_order_items')
    .select(['id', 'product_id', 'variant_id'])
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  const reviewed = new Set(
    (await db.selectFrom('market_reviews').select('order_item_id').where('order_id', '=', orderId).execute()).map((r) => r.order_item_id),
  );
  const item = input.orderItemId
    ? items.find((i) => i.id === input.orderItemId)
    : input.variantId
      ? items.find((i) => i.variant_id === input.variantId)
      : input.productId
        ? (items.find((i) => i.product_id === input.productId && !reviewed.has(i.id)) ??
          items.find((i) => i.product_id === input.productId))
        : undefined;
  if (!item) throw fieldError('productId', 'discovery.review.itemUnknown');
  if (reviewed.has(item.id)) throw conflict('discovery.review.already');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('market_reviews')
      .values({
        order_item_id: item.id,
        order_id: orderId,
        product_id: item.product_id,
        store_id: v.order.store_id,
        buyer_user_id: v.order.buyer_user_id,
        reviewer_name: publicName(v.order.buyer_name),
        rating,
        comment,
      })
      .onConflict((oc) => oc.column('order_item_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('discovery.review.already');
    await refreshRating(trx, item.product_id);
    await writeAudit(trx, ctx, {
      action: 'market.review.create',
      entityType: 'market_review',
      entityId: row.id,
      after: { orderId, productId: item.product_id, rating },
    });
    return row;
  });
}

/** Items of an order with their review (if any), for the buyer's review form. */
export async function reviewableItems(db: Db, orderId: string) {
  const [items, reviews] = await Promise.all([
    db
      .selectFrom('market_order_items')
      .select(['id', 'product_id', 'variant_id', 'product_name', 'variant_name'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute(),
    db.selectFrom('market_reviews').selectAll().where('order_id', '=', orderId).execute(),
  ]);
  return items.map((i) => ({ ...i, review: reviews.find((r) => r.order_item_id === i.id) ?? null }));
}

export type ReviewRow = Awaited<ReturnType<typeof productReviews>>['items'][number];

/** Visible reviews of a product, newest first, with its average and count. */
export async function productReviews(db: Db, productId: string, page = 1) {
  if (!isUuid(productId)) throw notFound();
  const product = await db
    .selectFrom('market_products')
    .select(['id', 'rating_avg', 'rating_count', 'status'])
    .where('id', '=', productId)
    .executeTakeFirst();
  if (!product) throw notFound();
  const p = Math.max(1, Math.min(1000, Math.floor(page) || 1));
  const items = await db
    .selectFrom('market_reviews')
    .select(['id', 'rating', 'comment', 'reviewer_name', 'created_at', 'reply', 'replied_at'])
    .where('product_id', '=', productId)
    .where('hidden', '=', false)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(REVIEW_PAGE_SIZE)
    .offset((p - 1) * REVIEW_PAGE_SIZE)
    .execute();
  return {
    items,
    average: product.rating_avg === null ? null : Number(product.rating_avg),
    count: product.rating_count,
    page: p,
    pageSize: REVIEW_PAGE_SIZE,
  };
}

export function toReviewJson(r: ReviewRow) {
  return {
    id: r.id,
    rating: r.rating,
    comment: r.comment,
    reviewerName: r.reviewer_name,
    createdAt: iso(r.created_at) as string,
    reply: r.reply,
    repliedAt: iso(r.replied_at),
  };
}

/** The seller replies once to a review of their store's product (404 for anyone else). */
export async function replyReview(db: Db, ctx: Ctx, reviewId: string, replyText: string) {
  if (!ctx.user) throw unauthorized();
  if (!isUuid(reviewId)) throw notFound();
  const body = text(replyText, 'reply', { min: 2, max: 2000 });
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom('market_reviews as r')
      .innerJoin('market_stores as s', 's.id', 'r.store_id')
      .select(['r.id', 'r.reply', 's.organization_id', 's.organization_kind'])
      .where('r.id', '=', reviewId)
      .forUpdate()
      .executeTakeFirst();
    if (!r || !runsStore(ctx, r)) throw notFound();
    if (r.reply !== null) throw conflict('discovery.review.alreadyReplied');
    const row = await trx
      .updateTable('market_reviews')
      .set({ reply: body, replied_by: ctx.user?.id ?? null, replied_at: new Date() })
      .where('id', '=', reviewId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'market.review.reply',
      entityType: 'market_review',
      entityId: reviewId,
      organizationId: r.organization_id,
      after: { reply: body },
    });
    return row;
  });
}

/** Dinas hides an abusive review (with a reason); it disappears from public pages and the average. */
export async function hideReview(db: Db, ctx: Ctx, reviewId: string, reason: string) {
  const user = requireDinas(ctx);
  if (!isUuid(reviewId)) throw notFound();
  const why = text(reason, 'reason', { min: 3, max: 1000 });
  return db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('market_reviews').selectAll().where('id', '=', reviewId).forUpdate().executeTakeFirst();
    if (!r) throw notFound();
    if (r.hidden) throw conflict('discovery.review.alreadyHidden');
    const row = await trx
      .updateTable('market_reviews')
      .set({ hidden: true, hidden_reason: why, hidden_by: user.id, hidden_at: new Date() })
      .where('id', '=', reviewId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await refreshRating(trx, r.product_id);
    await writeAudit(trx, ctx, {
      action: 'market.review.hide',
      entityType: 'market_review',
      entityId: reviewId,
      before: { hidden: false, rating: r.rating, comment: r.comment },
      after: { hidden: true, reason: why },
    });
    return row;
  });
}

/** Reviews for moderation (dinas: all, newest first) or for a seller (their stores' products). */
export async function reviewsForStaff(db: Db, ctx: Ctx, scope: 'dinas' | 'seller') {
  if (!ctx.user) throw unauthorized();
  if (scope === 'dinas' && !hasRole(ctx, 'dinas')) throw forbidden();
  let q = db
    .selectFrom('market_reviews as r')
    .innerJoin('market_products as p', 'p.id', 'r.product_id')
    .innerJoin('market_stores as s', 's.id', 'r.store_id')
    .select([
      'r.id',
      'r.rating',
      'r.comment',
      'r.reviewer_name',
      'r.created_at',
      'r.reply',
      'r.hidden',
      'r.hidden_reason',
      'p.name as product_name',
      's.name as store_name',
      's.organization_id',
      's.organization_kind',
    ])
    .orderBy('r.created_at', 'desc')
    .limit(200);
  if (scope === 'seller') {
    const orgs = (ctx.user.roles ?? [])
      .filter((g) => (g.role === 'pelaku_umkm' || g.role === 'pengurus_koperasi') && g.organizationId)
      .map((g) => g.organizationId as string);
    if (orgs.length === 0) return [];
    q = q.where('s.organization_id', 'in', orgs);
  }
  const rows = await q.execute();
  return scope === 'seller' ? rows.filter((r) => runsStore(ctx, r)) : rows;
}

// =============================================================================================
// Campaign cover image
// =============================================================================================

export const MAX_COVER_BYTES = 8 * 1024 * 1024;

/** Dinas sets a campaign's cover (JPG/PNG/WebP ≤ 8 MB), stored as WebP at most 1200×630. */
export async function setCampaignCover(
  db: Db,
  storage: FileStorage,
  ctx: Ctx,
  id: string,
  file: { bytes: Buffer; truncated: boolean } | null,
) {
  requireDinas(ctx);
  if (!isUuid(id)) throw notFound();
  const before = await db.selectFrom('market_campaigns').select(['id', 'cover_key']).where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound();
  if (!file || file.bytes.length === 0) throw fieldError('cover', 'field.required');
  if (file.truncated || file.bytes.length > MAX_COVER_BYTES) throw fieldError('cover', 'discovery.campaign.coverTooLarge');
  const type = sniffFileType(file.bytes);
  if (type !== 'image/jpeg' && type !== 'image/png' && type !== 'image/webp') throw fieldError('cover', 'discovery.campaign.coverNotImage');
  let webp: Buffer;
  try {
    webp = await sharp(file.bytes)
      .rotate()
      .resize({ width: 1200, height: 630, fit: 'cover', withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
  } catch {
    throw fieldError('cover', 'discovery.campaign.coverNotImage');
  }
  const key = `market/campaigns/${id}/cover-${randomUUID()}.webp`;
  await storage.put(key, webp, 'image/webp');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('market_campaigns').set({ cover_key: key, updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'market.campaign.cover', entityType: 'market_campaign', entityId: id, after: { coverKey: key } });
  });
  if (before.cover_key) await storage.delete(before.cover_key).catch(() => undefined);
  return key;
}
