import type { Static, TSchema } from '@sinclair/typebox';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import { hasRole, organizationsFor, type RequestContext } from '../../platform/context.js';
import { AppError, type FieldIssue, forbidden, notFound, unauthorized, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { queueMessage } from '../../platform/messages/outbox.js';
import { type FileStorage, newFileKey, sniffFileType } from '../../platform/storage.js';
import { parse, validate } from '../../platform/validation.js';
import { formatRupiah } from '../../platform/web/components.js';
import {
  classChange,
  classify,
  DOCUMENT_KINDS,
  type DocumentKind,
  isRatOverdue,
  type LifecycleAction,
  latestFullYearSales,
  maskNik,
  nextStatus,
  type RegistryStatus,
  type SizeBasis,
  type SizeClass,
} from './domain.js';
import type { KoperasiRow, UmkmRow } from './repository.js';
import * as repo from './repository.js';
import { KoperasiInput, KoperasiPatch, type ListQuery, OfficerInput, UmkmInput, UmkmPatch } from './schemas.js';

export type { KoperasiRow, UmkmRow } from './repository.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// Who may do what

/**
 * A context without a user and without a client address is the system (seeds, jobs, imports run
 * by the platform): it may do what dinas may. An anonymous web/API request always has an address.
 */
export function isSystem(ctx: RequestContext) {
  return ctx.user === null && ctx.ip === null;
}
/** Dinas (and admin) see and manage every registry record. */
export function isStaff(ctx: RequestContext) {
  return isSystem(ctx) || hasRole(ctx, 'dinas') || hasRole(ctx, 'admin');
}
export function canVerify(ctx: RequestContext) {
  return isSystem(ctx) || hasRole(ctx, 'dinas');
}
export function ownsUmkm(ctx: RequestContext, id: string) {
  return hasRole(ctx, 'pelaku_umkm', id);
}
export function runsKoperasi(ctx: RequestContext, id: string) {
  return hasRole(ctx, 'pengurus_koperasi', id);
}
export function canManageUmkm(ctx: RequestContext, id: string) {
  return isStaff(ctx) || ownsUmkm(ctx, id);
}
export function canManageKoperasi(ctx: RequestContext, id: string) {
  return isStaff(ctx) || runsKoperasi(ctx, id);
}

function requireCaller(ctx: RequestContext) {
  if (!ctx.user && !isSystem(ctx)) throw unauthorized();
}

function inTrx<T>(db: Db, trx: Trx | undefined, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return trx ? fn(trx) : db.transaction().execute(fn);
}

/** Today's calendar date in Kota Malang (WIB, UTC+7). */
export function todayWib(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Amounts leave the API as JSON integers; refuse to round one silently. */
export function toJsonInt(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`amount ${n} is not a safe integer`);
  return Number(n);
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

// ---------------------------------------------------------------------------------------------
// Row → API

export function toUmkmJson(row: UmkmRow, opts: { showNik: boolean }) {
  return {
    id: row.id,
    name: row.name,
    brandName: row.brand_name,
    ownerName: row.owner_name,
    ownerNik: opts.showNik ? row.owner_nik : maskNik(row.owner_nik),
    ownerEmail: opts.showNik ? row.owner_email : null,
    phone: row.phone,
    email: row.email,
    address: row.address,
    kelurahanCode: row.kelurahan_code,
    kelurahanName: row.kelurahan_name,
    kecamatanCode: row.kecamatan_code,
    kecamatanName: row.kecamatan_name,
    latitude: row.latitude,
    longitude: row.longitude,
    kbli: row.kbli_code,
    kbliTitle: row.kbli_title_id,
    sentraId: row.sentra_id,
    sentraName: row.sentra_name,
    yearStarted: row.year_started,
    workers: row.workers,
    capital: toJsonInt(row.capital),
    annualSales: row.annual_sales === null ? null : toJsonInt(row.annual_sales),
    salesYear: row.sales_year,
    sizeClass: row.size_class,
    nib: row.nib,
    legality: row.document_kinds,
    whatsapp: row.whatsapp,
    showWhatsapp: row.show_whatsapp,
    instagram: row.instagram,
    facebook: row.facebook,
    tiktok: row.tiktok,
    website: row.website,
    description: row.description,
    status: row.status,
    rejectionReason: row.rejection_reason,
    submittedAt: iso(row.submitted_at),
    verifiedAt: iso(row.verified_at),
    isDemo: row.is_demo,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}
export type UmkmJson = ReturnType<typeof toUmkmJson>;

export function toKoperasiJson(row: KoperasiRow, today = todayWib()) {
  return {
    id: row.id,
    name: row.name,
    legalNumber: row.legal_number,
    legalDate: row.legal_date,
    nik: row.nik,
    type: row.type,
    syariah: row.syariah,
    group: row.koperasi_group,
    address: row.address,
    kelurahanCode: row.kelurahan_code,
    kelurahanName: row.kelurahan_name,
    kecamatanCode: row.kecamatan_code,
    kecamatanName: row.kecamatan_name,
    latitude: row.latitude,
    longitude: row.longitude,
    phone: row.phone,
    email: row.email,
    fiscalYearStartMonth: row.fiscal_year_start_month,
    lastRatDate: row.last_rat_date,
    ratOverdue: isRatOverdue(row.last_rat_date, today, row.fiscal_year_start_month, row.legal_date ?? undefined),
    memberCount: row.member_count,
    status: row.status,
    rejectionReason: row.rejection_reason,
    submittedAt: iso(row.submitted_at),
    verifiedAt: iso(row.verified_at),
    isDemo: row.is_demo,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}
export type KoperasiJson = ReturnType<typeof toKoperasiJson>;

export function toOfficerJson(o: repo.OfficerRow) {
  return { id: o.id, name: o.name, position: o.position, role: o.role, termStart: o.term_start, termEnd: o.term_end };
}

// ---------------------------------------------------------------------------------------------
// Reference data

export const searchKbli = (db: Db, q: string, limit = 10) => repo.searchKbli(db, q, limit);
export const listKbli = (db: Db, commonOnly = true) => repo.listKbli(db, commonOnly);
export const listSentra = (db: Db) => repo.listSentra(db);

// ---------------------------------------------------------------------------------------------
// UMKM

const NIB_TAKEN = 'registry.nibTaken' as const;

/**
 * Every check of UMKM input that needs the database (unknown kelurahan, KBLI or sentra; NIB
 * already registered), without writing anything. The import preview calls this per row.
 */
export async function checkUmkmInput(db: Db | Trx, input: UmkmPatch, opts: { excludeId?: string } = {}): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  // Absent (undefined) and cleared (null) fields have nothing to look up.
  if (input.kelurahanCode !== undefined && !(await repo.kelurahanExists(db, input.kelurahanCode))) {
    issues.push({ field: 'kelurahanCode', message: 'registry.kelurahanInvalid' });
  }
  if (input.kbli !== undefined && input.kbli !== null && input.kbli !== '' && !(await repo.findKbli(db, input.kbli))) {
    issues.push({ field: 'kbli', message: 'registry.kbliInvalid' });
  }
  if (input.sentraId !== undefined && input.sentraId !== null && !(await repo.findSentra(db, input.sentraId))) {
    issues.push({ field: 'sentraId', message: 'registry.sentraInvalid' });
  }
  if (input.nib !== undefined && input.nib !== null && (await repo.nibTaken(db, input.nib, opts.excludeId))) {
    issues.push({ field: 'nib', message: NIB_TAKEN });
  }
  return issues;
}

/** Turns database-check issues into the right error: a taken NIB alone is a 409 conflict. */
function throwIssues(issues: FieldIssue[]) {
  if (!issues.length) return;
  if (issues.every((i) => i.message === NIB_TAKEN)) {
    throw new AppError('conflict', NIB_TAKEN, {}, undefined, issues);
  }
  throw validationFailed(issues);
}

const UMKM_DB_FIELDS = ['kelurahanCode', 'kbli', 'sentraId', 'nib'];
const KOPERASI_DB_FIELDS = ['kelurahanCode', 'nik'];

/**
 * Validates input against its schema; when that fails, the fields that passed are also checked
 * against the database, so one answer names every bad field (bad NIK and unknown kelurahan alike).
 */
async function parseWithDbChecks<S extends TSchema>(
  db: Db,
  trx: Trx | undefined,
  schema: S,
  raw: unknown,
  check: (db: Db | Trx, input: Record<string, string>) => Promise<FieldIssue[]>,
  dbFields: string[],
): Promise<Static<S>> {
  const v = validate(schema, raw);
  if (v.ok) return v.value;
  const bad = new Set(v.issues.map((i) => i.field));
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const subset: Record<string, string> = {};
  for (const f of dbFields) if (!bad.has(f) && typeof body[f] === 'string' && body[f] !== '') subset[f] = body[f] as string;
  const more = Object.keys(subset).length ? await check(trx ?? db, subset) : [];
  throw validationFailed([...v.issues, ...more]);
}

export interface PossibleDuplicate {
  id: string;
  name: string;
  status: string;
  kelurahanName: string;
}

/** UMKM already registered to the same owner NIK with a similar name (trigram similarity > 0.4). */
export async function findPossibleDuplicates(
  db: Db | Trx,
  ownerNik: string,
  name: string,
  excludeId?: string,
): Promise<PossibleDuplicate[]> {
  const rows = await repo.similarUmkmOfOwner(db, ownerNik, name, excludeId);
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, kelurahanName: r.kelurahan_name }));
}

async function findOrCreatePerson(trx: Trx, p: { name: string; nik: string; phone?: string | null; email?: string | null }) {
  const existing = await repo.findPersonByNik(trx, p.nik);
  if (existing) {
    // Fill gaps only: a registrant never overwrites the contact details someone else gave.
    if (!existing.email && p.email) await repo.updatePerson(trx, existing.id, { email: p.email });
    return existing.id;
  }
  const created = await repo.insertPerson(trx, { name: p.name, nik: p.nik, phone: p.phone ?? null, email: p.email ?? null });
  return created.id;
}

function evidenceText(basis: SizeBasis, atRegistration: boolean, year: number | null) {
  if (basis.basis === 'sales') return `Penjualan tahun ${year} ${formatRupiah(basis.amount)}`;
  return atRegistration
    ? `Modal usaha ${formatRupiah(basis.amount)} saat pendaftaran`
    : `Modal usaha ${formatRupiah(basis.amount)} (perubahan data)`;
}

/** The class from capital and the latest full year's sales, with the year that decided it. */
function decideClass(capital: bigint, history: { year: number; amount: bigint }[], today: string) {
  const currentYear = Number(today.slice(0, 4));
  const latest = latestFullYearSales(history, currentYear);
  const basis = classify({ capital, annualSales: latest?.amount ?? null }) as SizeBasis;
  return { basis, latest };
}

async function recordClassEvent(
  trx: Trx,
  ctx: RequestContext,
  organizationId: string,
  from: SizeClass | null,
  decided: { basis: SizeBasis; latest: { year: number } | null },
  today: string,
) {
  const direction = classChange(from, decided.basis.sizeClass);
  if (!direction) return null;
  const year = decided.basis.basis === 'sales' ? (decided.latest?.year ?? null) : null;
  await trx
    .insertInto('size_class_events')
    .values({
      organization_id: organizationId,
      from_class: from,
      to_class: decided.basis.sizeClass,
      direction,
      occurred_on: today,
      basis: decided.basis.basis,
      amount: decided.basis.amount,
      year,
      evidence: evidenceText(decided.basis, direction === 'awal', year),
      created_by: ctx.user?.id ?? null,
    })
    .execute();
  return direction;
}

export interface CreateUmkmOptions {
  /** Run inside the caller's transaction (bulk import "all or nothing"). */
  trx?: Trx;
  /** Register even when the same owner already has a UMKM with a similar name. */
  skipDuplicateWarning?: boolean;
  /** 'verified' only for dinas or the system (import by the office, demo data). */
  status?: 'draft' | 'verified';
  isDemo?: boolean;
}

/**
 * Registers a UMKM: an organisation of kind 'umkm', its owner (found or created by NIK), the
 * size class from capital/sales with its first ('awal') event, and — unless dinas registers on
 * someone's behalf — the role pelaku_umkm for the creator. One transaction; audited.
 */
export async function createUmkm(db: Db, ctx: RequestContext, raw: UmkmInput, opts: CreateUmkmOptions = {}): Promise<UmkmRow> {
  requireCaller(ctx);
  const input = await parseWithDbChecks(db, opts.trx, UmkmInput, raw, checkUmkmInput, UMKM_DB_FIELDS);
  if (opts.status === 'verified' && !canVerify(ctx)) throw forbidden();
  return inTrx(db, opts.trx, async (trx) => {
    throwIssues(await checkUmkmInput(trx, input));
    if (!opts.skipDuplicateWarning) {
      const duplicates = await findPossibleDuplicates(trx, input.ownerNik, input.name);
      if (duplicates.length) throw new AppError('conflict', 'registry.possibleDuplicate', {}, { duplicates });
    }
    const today = todayWib();
    const kel = await repo.kelurahanExists(trx, input.kelurahanCode);
    const kbli = input.kbli ? await repo.findKbli(trx, input.kbli) : null;
    const org = await trx
      .insertInto('organizations')
      .values({ kind: 'umkm', name: input.name, is_demo: opts.isDemo ?? false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ownerId = await findOrCreatePerson(trx, {
      name: input.ownerName,
      nik: input.ownerNik,
      phone: input.phone,
      email: input.ownerEmail,
    });
    const capital = BigInt(input.capital);
    const history: { year: number; amount: bigint }[] = [];
    if (input.annualSales !== undefined)
      history.push({ year: input.salesYear ?? Number(today.slice(0, 4)) - 1, amount: BigInt(input.annualSales) });
    const decided = decideClass(capital, history, today);
    const verified = opts.status === 'verified';
    await trx
      .insertInto('umkm')
      .values({
        id: org.id,
        name: input.name,
        brand_name: input.brandName ?? null,
        owner_id: ownerId,
        nib: input.nib ?? null,
        phone: input.phone,
        email: input.email ?? null,
        address: input.address ?? null,
        kelurahan_code: input.kelurahanCode,
        kecamatan_code: kel?.parent_code ?? input.kelurahanCode.slice(0, 8),
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        kbli_code: kbli?.code ?? null,
        kbli_section: kbli?.section ?? null,
        sentra_id: input.sentraId ?? null,
        year_started: input.yearStarted ?? null,
        workers: input.workers ?? null,
        capital,
        annual_sales: history[0]?.amount ?? null,
        sales_year: history[0]?.year ?? null,
        size_class: decided.basis.sizeClass,
        status: verified ? 'verified' : 'draft',
        verified_at: verified ? new Date() : null,
        verified_by: verified ? (ctx.user?.id ?? null) : null,
        whatsapp: input.whatsapp ?? null,
        show_whatsapp: input.showWhatsapp ?? false,
        instagram: input.instagram ?? null,
        facebook: input.facebook ?? null,
        tiktok: input.tiktok ?? null,
        website: input.website ?? null,
        description: input.description ?? null,
        is_demo: opts.isDemo ?? false,
        created_by: ctx.user?.id ?? null,
      })
      .execute();
    for (const h of history) await repo.upsertSales(trx, org.id, h.year, h.amount);
    await repo.refreshUmkmSearch(trx, { id: org.id });
    await recordClassEvent(trx, ctx, org.id, null, decided, today);
    if (ctx.user && !isStaff(ctx)) await repo.grantOrgRole(trx, ctx.user.id, 'pelaku_umkm', org.id, ctx.user.id);
    const row = (await repo.findUmkm(trx, org.id)) as UmkmRow;
    await writeAudit(trx, ctx, {
      action: 'umkm.create',
      entityType: 'umkm',
      entityId: org.id,
      organizationId: org.id,
      after: auditUmkm(row),
    });
    return row;
  });
}

/** What goes into the audit log (NIK masked: the audit log is read by admins). */
function auditUmkm(row: UmkmRow) {
  return { ...toUmkmJson(row, { showNik: false }) };
}

/** Loads a UMKM the caller may see (owner or dinas); anyone else gets 404, anonymous 401. */
export async function getUmkm(db: Db | Trx, ctx: RequestContext, id: string): Promise<UmkmRow> {
  requireCaller(ctx);
  if (!canManageUmkm(ctx, id)) throw notFound();
  const row = await repo.findUmkm(db, id);
  if (!row) throw notFound();
  return row;
}

/**
 * Whether the caller may see the owner's NIK (and the owner's own email) of this UMKM whole: only
 * its owner and dinas. Admin manages records but sees the NIK masked, like everyone else.
 */
export function showNikFor(ctx: RequestContext, id: string) {
  return hasRole(ctx, 'dinas') || ownsUmkm(ctx, id);
}

/**
 * The same, for the answer to a registration: someone who is not staff has just become the
 * owner (the grant is not in this request's context yet); dinas sees it whole; admin masked.
 */
export function showNikToRegistrant(ctx: RequestContext, id: string) {
  return showNikFor(ctx, id) || (ctx.user !== null && !isStaff(ctx));
}

export interface UmkmProfile {
  umkm: UmkmRow;
  sales: { year: number; amount: bigint }[];
  events: Awaited<ReturnType<typeof repo.sizeClassEvents>>;
  documents: repo.DocumentRow[];
  photos: repo.PhotoRow[];
}

export async function getUmkmProfile(db: Db, ctx: RequestContext, id: string): Promise<UmkmProfile> {
  const umkm = await getUmkm(db, ctx, id);
  const [sales, events, documents, photos] = [
    await repo.salesHistory(db, id),
    await repo.sizeClassEvents(db, id),
    await repo.listDocuments(db, id),
    await repo.listPhotos(db, id),
  ];
  return { umkm, sales, events, documents, photos };
}

/**
 * A map point is whole or absent: after a change that touches it, latitude and longitude are
 * both set or both empty (clearing one clears nothing by itself).
 */
function checkMapPoint(
  patch: { latitude?: number | null; longitude?: number | null },
  before: { latitude: number | null; longitude: number | null },
): FieldIssue[] {
  if (patch.latitude === undefined && patch.longitude === undefined) return [];
  const lat = patch.latitude !== undefined ? patch.latitude : before.latitude;
  const lng = patch.longitude !== undefined ? patch.longitude : before.longitude;
  if ((lat === null) === (lng === null)) return [];
  return [{ field: lat === null ? 'latitude' : 'longitude', message: 'registry.mapPointIncomplete' }];
}

/**
 * Changes a UMKM (owner or dinas): an absent field stays as it is, a clearable one given as null
 * is cleared (UMKM_CLEARABLE). A change of capital or sales re-classifies and records naik/turun kelas.
 */
export async function updateUmkm(db: Db, ctx: RequestContext, id: string, raw: UmkmPatch, opts: { trx?: Trx } = {}): Promise<UmkmRow> {
  requireCaller(ctx);
  if (!canManageUmkm(ctx, id)) throw notFound();
  const patch = parse(UmkmPatch, raw);
  return inTrx(db, opts.trx, async (trx) => {
    const current = await repo.findUmkmForUpdate(trx, id);
    if (!current) throw notFound();
    const before = (await repo.findUmkm(trx, id)) as UmkmRow;
    throwIssues([...(await checkUmkmInput(trx, patch, { excludeId: id })), ...checkMapPoint(patch, before)]);
    const today = todayWib();
    const set: Record<string, unknown> = { updated_at: new Date() };
    const simple: [keyof UmkmInput, string][] = [
      ['name', 'name'],
      ['brandName', 'brand_name'],
      ['nib', 'nib'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['address', 'address'],
      ['latitude', 'latitude'],
      ['longitude', 'longitude'],
      ['sentraId', 'sentra_id'],
      ['yearStarted', 'year_started'],
      ['workers', 'workers'],
      ['whatsapp', 'whatsapp'],
      ['showWhatsapp', 'show_whatsapp'],
      ['instagram', 'instagram'],
      ['facebook', 'facebook'],
      ['tiktok', 'tiktok'],
      ['website', 'website'],
      ['description', 'description'],
    ];
    for (const [field, column] of simple) if (patch[field] !== undefined) set[column] = patch[field];
    if (patch.kelurahanCode !== undefined) {
      const kel = await repo.kelurahanExists(trx, patch.kelurahanCode);
      set.kelurahan_code = patch.kelurahanCode;
      set.kecamatan_code = kel?.parent_code ?? patch.kelurahanCode.slice(0, 8);
    }
    if (patch.kbli !== undefined) {
      const k = patch.kbli ? await repo.findKbli(trx, patch.kbli) : null;
      set.kbli_code = k?.code ?? null;
      set.kbli_section = k?.section ?? null;
    }
    // Owner: another NIK means another person (found or created); a name/email change updates the person.
    let ownerId = current.owner_id;
    if (patch.ownerNik !== undefined && patch.ownerNik !== before.owner_nik) {
      ownerId = await findOrCreatePerson(trx, {
        name: patch.ownerName ?? before.owner_name,
        nik: patch.ownerNik,
        phone: patch.phone ?? current.phone,
        email: patch.ownerEmail ?? null,
      });
      set.owner_id = ownerId;
    } else if (patch.ownerName !== undefined || patch.ownerEmail !== undefined) {
      await repo.updatePerson(trx, ownerId, {
        ...(patch.ownerName !== undefined ? { name: patch.ownerName } : {}),
        ...(patch.ownerEmail !== undefined ? { email: patch.ownerEmail } : {}),
      });
    }
    if (patch.annualSales !== undefined) {
      await repo.upsertSales(trx, id, patch.salesYear ?? Number(today.slice(0, 4)) - 1, BigInt(patch.annualSales));
    }
    const capital = patch.capital !== undefined ? BigInt(patch.capital) : current.capital;
    if (patch.capital !== undefined) set.capital = capital;
    const history = await repo.salesHistory(trx, id);
    const decided = decideClass(capital, history, today);
    const shown = decided.latest ?? history[0] ?? null;
    set.annual_sales = shown?.amount ?? null;
    set.sales_year = shown?.year ?? null;
    if (decided.basis.sizeClass !== current.size_class) {
      set.size_class = decided.basis.sizeClass;
      await recordClassEvent(trx, ctx, id, current.size_class, decided, today);
    }
    await trx.updateTable('umkm').set(set).where('id', '=', id).execute();
    if (patch.name !== undefined) await trx.updateTable('organizations').set({ name: patch.name }).where('id', '=', id).execute();
    if (patch.ownerName !== undefined && set.owner_id === undefined) await repo.refreshUmkmSearch(trx, { ownerId });
    else await repo.refreshUmkmSearch(trx, { id });
    const after = (await repo.findUmkm(trx, id)) as UmkmRow;
    await writeAudit(trx, ctx, {
      action: 'umkm.update',
      entityType: 'umkm',
      entityId: id,
      organizationId: id,
      before: auditUmkm(before),
      after: auditUmkm(after),
    });
    return after;
  });
}

/**
 * Replaces the words from the owner's products in the UMKM's search text (called by the
 * catalogue module when products change), so a search for "keripik" finds the maker.
 */
export async function setUmkmProductWords(db: Db | Trx, umkmId: string, words: string) {
  await db
    .updateTable('umkm')
    .set({ product_words: words.slice(0, 4000) })
    .where('id', '=', umkmId)
    .execute();
  await repo.refreshUmkmSearch(db, { id: umkmId });
}

// ---------------------------------------------------------------------------------------------
// Telling the owner / the pengurus about a verification decision

interface DecisionRecipient {
  channel: 'email' | 'sms';
  recipient: string;
  userId: string | null;
  name: string;
}

function contactOf(email: string | null, phone: string | null): Pick<DecisionRecipient, 'channel' | 'recipient'> | null {
  if (email) return { channel: 'email', recipient: email };
  if (phone) return { channel: 'sms', recipient: phone };
  return null;
}

/**
 * Who hears of a decision: the accounts that run the record (pelaku_umkm of the UMKM, pengurus of
 * the koperasi), each by email or else by SMS to their phone. A record registered on someone's
 * behalf has no such account: then its owner (UMKM: the owner's email, else phone, else the
 * business phone) or the koperasi's own email or phone.
 */
async function decisionRecipients(trx: Trx, table: 'umkm' | 'koperasi', id: string) {
  const role = table === 'umkm' ? 'pelaku_umkm' : 'pengurus_koperasi';
  const accounts = await trx
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.phone'])
    .where('g.role', '=', role)
    .where('g.organization_id', '=', id)
    .where('u.status', '=', 'active')
    .orderBy('g.created_at')
    .execute();
  const out: DecisionRecipient[] = [];
  const add = (c: Pick<DecisionRecipient, 'channel' | 'recipient'> | null, userId: string | null, name: string) => {
    if (c && !out.some((r) => r.channel === c.channel && r.recipient === c.recipient)) out.push({ ...c, userId, name });
  };
  for (const a of accounts) add(contactOf(a.email, a.phone), a.id, a.name);
  let name: string;
  if (table === 'umkm') {
    const u = await trx
      .selectFrom('umkm as u')
      .innerJoin('persons as p', 'p.id', 'u.owner_id')
      .select(['u.name', 'u.phone', 'p.name as owner_name', 'p.email as owner_email', 'p.phone as owner_phone'])
      .where('u.id', '=', id)
      .executeTakeFirstOrThrow();
    name = u.name;
    if (!out.length) add(contactOf(u.owner_email, u.owner_phone ?? u.phone), null, u.owner_name);
  } else {
    const k = await trx.selectFrom('koperasi').select(['name', 'email', 'phone']).where('id', '=', id).executeTakeFirstOrThrow();
    name = k.name;
    if (!out.length) add(contactOf(k.email, k.phone), null, k.name);
  }
  return { name, recipients: out };
}

/** Queues the decision's message (Indonesian) in the caller's transaction: it exists only if the decision does. */
async function notifyDecision(
  trx: Trx,
  table: 'umkm' | 'koperasi',
  id: string,
  decision: 'approve' | 'reject',
  reason: string | null,
  publicUrl: string | undefined,
) {
  const { name, recipients } = await decisionRecipients(trx, table, id);
  const t = translator('id');
  const outcome = decision === 'approve' ? 'approved' : 'rejected';
  const why = reason ? (/[.!?]$/.test(reason) ? reason : `${reason}.`) : '';
  const link = publicUrl ? t('registry.notify.link', { url: `${publicUrl}/registri/${table}/${id}` }) : '';
  for (const r of recipients) {
    await queueMessage(trx, {
      channel: r.channel,
      recipient: r.recipient,
      userId: r.userId,
      subject: t(`registry.notify.${table}.${outcome}.subject`, { name }),
      body: t(`registry.notify.${table}.${outcome}.body`, { recipient: r.name, name, reason: why, link }),
    });
  }
  return recipients.length;
}

async function transition(
  db: Db,
  ctx: RequestContext,
  table: 'umkm' | 'koperasi',
  id: string,
  action: LifecycleAction,
  extra: { reason?: string | null; publicUrl?: string } = {},
) {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom(table)
      .select(['id', 'status', 'rejection_reason'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound();
    const to = nextStatus(current.status as RegistryStatus, action);
    if (!to) {
      throw new AppError(
        'conflict',
        'registry.transitionNotAllowed',
        { from: ctx.t(`registry.status.${current.status}` as 'registry.status.draft') },
        {
          status: current.status,
          action,
        },
      );
    }
    const now = new Date();
    const set: Record<string, unknown> = { status: to, updated_at: now };
    if (action === 'submit') {
      set.submitted_at = now;
      set.rejection_reason = null;
    }
    if (action === 'approve') {
      set.verified_at = now;
      set.verified_by = ctx.user?.id ?? null;
      set.rejection_reason = null;
    }
    if (action === 'reject') set.rejection_reason = extra.reason ?? null;
    await trx.updateTable(table).set(set).where('id', '=', id).execute();
    if (action === 'approve' || action === 'reject') {
      await notifyDecision(trx, table, id, action, extra.reason ?? null, extra.publicUrl);
    }
    await writeAudit(trx, ctx, {
      action: `${table}.${action}`,
      entityType: table,
      entityId: id,
      organizationId: id,
      before: { status: current.status, rejectionReason: current.rejection_reason },
      after: { status: to, ...(extra.reason ? { reason: extra.reason } : {}) },
    });
    return to;
  });
}

function checkDecision(input: { decision: 'approve' | 'reject'; reason?: string | null }) {
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'reject' && reason.length < 3) {
    throw validationFailed([{ field: 'reason', message: 'registry.reasonRequired' }]);
  }
  return reason || null;
}

/** Owner or dinas sends a draft (or a rejected profile, after fixing it) for verification. */
export async function submitUmkm(db: Db, ctx: RequestContext, id: string) {
  requireCaller(ctx);
  if (!canManageUmkm(ctx, id)) throw notFound();
  await transition(db, ctx, 'umkm', id, 'submit');
  return getUmkm(db, ctx, id);
}

export interface VerifyOptions {
  /** The app's address (PUBLIC_URL): the message to the owner links to the profile. */
  publicUrl?: string;
}

/**
 * Dinas approves or rejects a submitted UMKM; a rejection needs a reason the owner will see. The
 * owner is told by message (outbox), in the same transaction as the decision.
 */
export async function verifyUmkm(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { decision: 'approve' | 'reject'; reason?: string | null },
  opts: VerifyOptions = {},
) {
  requireCaller(ctx);
  if (!canVerify(ctx)) throw forbidden();
  const reason = checkDecision(input);
  await transition(db, ctx, 'umkm', id, input.decision, { reason, publicUrl: opts.publicUrl });
  return getUmkm(db, ctx, id);
}

/** Deactivate (dinas, or the owner for their own) or reactivate (dinas only). */
export async function setUmkmActive(db: Db, ctx: RequestContext, id: string, active: boolean) {
  requireCaller(ctx);
  if (!canManageUmkm(ctx, id)) throw notFound();
  if (active && !canVerify(ctx)) throw forbidden();
  await transition(db, ctx, 'umkm', id, active ? 'reactivate' : 'deactivate');
  return getUmkm(db, ctx, id);
}

function pageOf(query: ListQuery) {
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 20));
  return { page, pageSize };
}

/** The search text when it has words to search by ("!!!" has none: no word filter). */
function searchText(q: string | undefined): string | undefined {
  return q !== undefined && repo.searchWords(q).length ? q.trim() : undefined;
}

function sortOf(query: ListQuery): { sort: repo.SortKey; dir: 'asc' | 'desc' } {
  const sort = query.sort ?? (searchText(query.q) ? 'relevance' : 'newest');
  const dir = query.dir ?? (sort === 'name' ? 'asc' : 'desc');
  return { sort, dir };
}

function umkmScope(ctx: RequestContext, publicOnly: boolean): Pick<repo.UmkmFilter, 'ids' | 'publicOnly'> {
  if (publicOnly) return { publicOnly: true };
  requireCaller(ctx);
  if (isStaff(ctx)) return {};
  return { ids: organizationsFor(ctx, 'pelaku_umkm') };
}

function umkmFilter(query: ListQuery): repo.UmkmFilter {
  return {
    q: searchText(query.q),
    kecamatan: query.kecamatan,
    kelurahan: query.kelurahan,
    sizeClass: query.sizeClass,
    status: query.status,
    kbli: query.kbli,
    legality: query.legality,
  };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Finds UMKM: owners see their own (any status), dinas all; `publicOnly` lists verified
 * profiles to anyone (the public directory). Words match business, brand, owner and product
 * words by their stems; when that finds fewer than 5, tolerant of typos (corrections from the
 * vocabulary of the registry's words, migration 0022); ranked by ts_rank.
 */
export async function listUmkm(db: Db, ctx: RequestContext, query: ListQuery, opts: { publicOnly?: boolean } = {}): Promise<Page<UmkmRow>> {
  const scope = umkmScope(ctx, opts.publicOnly ?? false);
  const { page, pageSize } = pageOf(query);
  const { sort, dir } = sortOf(query);
  const { rows, total } = await repo.listUmkmRows(db, { ...umkmFilter(query), ...scope }, sort, dir, pageSize, (page - 1) * pageSize);
  return { items: rows, total, page, pageSize };
}

/** Every UMKM matching `query` the caller may see, in id order, `batchSize` rows per database round trip. */
export async function* iterateUmkm(
  db: Db,
  ctx: RequestContext,
  query: ListQuery,
  batchSize = 500,
  opts: { publicOnly?: boolean } = {},
): AsyncGenerator<UmkmRow> {
  const scope = umkmScope(ctx, opts.publicOnly ?? false);
  const filter = { ...umkmFilter(query), ...scope };
  const alternatives = await repo.umkmAlternatives(db, filter); // the list's typo rule, decided once
  let afterId: string | undefined;
  for (;;) {
    const rows = await repo.umkmBatchAfter(db, { ...filter, alternatives, afterId }, batchSize);
    for (const r of rows) yield r;
    if (rows.length < batchSize) return;
    afterId = rows[rows.length - 1]?.id;
  }
}

export async function verificationQueue(db: Db, ctx: RequestContext) {
  requireCaller(ctx);
  if (!canVerify(ctx)) throw forbidden();
  return repo.verificationQueue(db);
}

// ---------------------------------------------------------------------------------------------
// Documents and photos

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS = 5;
export const PHOTO_WIDTHS = { small: 320, large: 960 } as const;

export interface DocumentInput {
  kind: DocumentKind;
  number?: string | null;
  issuedOn?: string | null;
  expiresOn?: string | null;
}

export interface UploadedFile {
  bytes: Buffer;
  fileName: string;
  /** True when the upload was cut at the size limit. */
  truncated?: boolean;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(v: string) {
  if (!DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function checkDocumentInput(input: DocumentInput, file: UploadedFile | null): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!DOCUMENT_KINDS.includes(input.kind)) issues.push({ field: 'kind', message: 'field.notAllowed' });
  if (input.number && input.number.length > 100) issues.push({ field: 'number', message: 'field.tooLong', params: { max: 100 } });
  if (input.issuedOn && !validDate(input.issuedOn)) issues.push({ field: 'issuedOn', message: 'field.invalidDate' });
  if (input.expiresOn && !validDate(input.expiresOn)) issues.push({ field: 'expiresOn', message: 'field.invalidDate' });
  if (input.issuedOn && input.expiresOn && validDate(input.issuedOn) && validDate(input.expiresOn) && input.expiresOn < input.issuedOn) {
    issues.push({ field: 'expiresOn', message: 'registry.expiryBeforeIssue' });
  }
  if (input.kind === 'nib' && input.number && !/^[0-9]{13}$/.test(input.number))
    issues.push({ field: 'number', message: 'registry.nibInvalid' });
  if (file) {
    if (file.truncated || file.bytes.length > MAX_DOCUMENT_BYTES)
      issues.push({ field: 'file', message: 'registry.fileTooLarge', params: { mb: 5 } });
    else if (file.bytes.length === 0) issues.push({ field: 'file', message: 'field.required' });
    else {
      const type = sniffFileType(file.bytes);
      if (type !== 'application/pdf' && type !== 'image/jpeg' && type !== 'image/png')
        issues.push({ field: 'file', message: 'registry.fileTypeDocument' });
    }
  }
  return issues;
}

/** Adds a legal document (with an optional scan) to a UMKM: owner or dinas. */
export async function addUmkmDocument(
  db: Db,
  storage: FileStorage,
  ctx: RequestContext,
  umkmId: string,
  input: DocumentInput,
  file: UploadedFile | null,
) {
  await getUmkm(db, ctx, umkmId);
  const issues = checkDocumentInput(input, file);
  if (issues.length) throw validationFailed(issues);
  let fileKey: string | null = null;
  let fileType: string | null = null;
  if (file) {
    fileType = sniffFileType(file.bytes);
    fileKey = newFileKey(`umkm/${umkmId}/documents`);
    await storage.put(fileKey, file.bytes, fileType as string);
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const doc = await trx
        .insertInto('umkm_documents')
        .values({
          umkm_id: umkmId,
          kind: input.kind,
          number: input.number || null,
          issued_on: input.issuedOn || null,
          expires_on: input.expiresOn || null,
          file_key: fileKey,
          file_name: file ? safeFileName(file.fileName) : null,
          file_type: fileType,
          file_size: file ? file.bytes.length : null,
          created_by: ctx.user?.id ?? null,
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await trx.updateTable('umkm').set({ updated_at: new Date() }).where('id', '=', umkmId).execute();
      const { file_key: _k, ...after } = (await repo.findDocument(trx, umkmId, doc.id)) as NonNullable<
        Awaited<ReturnType<typeof repo.findDocument>>
      >;
      await writeAudit(trx, ctx, {
        action: 'umkm.document.add',
        entityType: 'umkm_document',
        entityId: doc.id,
        organizationId: umkmId,
        after,
      });
      return (await repo.listDocuments(trx, umkmId)).find((d) => d.id === doc.id) as repo.DocumentRow;
    });
  } catch (err) {
    if (fileKey) await storage.delete(fileKey).catch(() => {});
    throw err;
  }
}

function safeFileName(name: string) {
  const cleaned = name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(-120);
  return cleaned || 'dokumen';
}

export async function listUmkmDocuments(db: Db, ctx: RequestContext, umkmId: string) {
  await getUmkm(db, ctx, umkmId);
  return repo.listDocuments(db, umkmId);
}

/** A document's scan: only for the owner and dinas, never public. */
export async function getUmkmDocumentFile(db: Db, storage: FileStorage, ctx: RequestContext, umkmId: string, docId: string) {
  await getUmkm(db, ctx, umkmId);
  const doc = await repo.findDocument(db, umkmId, docId);
  if (!doc?.file_key) throw notFound();
  const stored = await storage.get(doc.file_key);
  if (!stored) throw notFound();
  return { bytes: stored.bytes, contentType: doc.file_type ?? stored.contentType, fileName: doc.file_name ?? 'dokumen' };
}

export async function deleteUmkmDocument(db: Db, storage: FileStorage, ctx: RequestContext, umkmId: string, docId: string) {
  await getUmkm(db, ctx, umkmId);
  const doc = await db.transaction().execute(async (trx) => {
    const d = await repo.findDocument(trx, umkmId, docId);
    if (!d) throw notFound();
    await trx.deleteFrom('umkm_documents').where('id', '=', docId).execute();
    const { file_key: _k, ...before } = d;
    await writeAudit(trx, ctx, {
      action: 'umkm.document.delete',
      entityType: 'umkm_document',
      entityId: docId,
      organizationId: umkmId,
      before,
    });
    return d;
  });
  if (doc.file_key) await storage.delete(doc.file_key).catch(() => {});
}

/** Adds a photo, stored as WebP in two widths. At most five per UMKM. */
export async function addUmkmPhoto(
  db: Db,
  storage: FileStorage,
  ctx: RequestContext,
  umkmId: string,
  file: UploadedFile,
  caption?: string | null,
) {
  await getUmkm(db, ctx, umkmId);
  const type = sniffFileType(file.bytes);
  if (file.truncated || file.bytes.length > MAX_PHOTO_BYTES)
    throw validationFailed([{ field: 'file', message: 'registry.fileTooLarge', params: { mb: 8 } }]);
  if (type !== 'image/jpeg' && type !== 'image/png' && type !== 'image/webp')
    throw validationFailed([{ field: 'file', message: 'registry.fileTypePhoto' }]);
  const count = await db
    .selectFrom('umkm_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('umkm_id', '=', umkmId)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_PHOTOS) throw new AppError('rule_violated', 'registry.photoLimit', { max: MAX_PHOTOS });
  let small: Buffer;
  let large: Buffer;
  try {
    // sharp (libvips) is loaded on the first photo, not in every process at start-up.
    const { default: sharp } = await import('sharp');
    const img = sharp(file.bytes, { failOn: 'error', limitInputPixels: 40_000_000 }).rotate();
    small = await img.clone().resize({ width: PHOTO_WIDTHS.small, withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();
    large = await img.clone().resize({ width: PHOTO_WIDTHS.large, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
  } catch {
    throw validationFailed([{ field: 'file', message: 'registry.fileTypePhoto' }]);
  }
  const base = newFileKey(`umkm/${umkmId}/photos`);
  const smallKey = `${base}-s.webp`;
  const largeKey = `${base}-l.webp`;
  await storage.put(smallKey, small, 'image/webp');
  await storage.put(largeKey, large, 'image/webp');
  try {
    return await db.transaction().execute(async (trx) => {
      // Re-count under a lock on the UMKM row so two uploads at once cannot make a sixth photo.
      await trx.selectFrom('umkm').select('id').where('id', '=', umkmId).forUpdate().executeTakeFirst();
      const n = await trx
        .selectFrom('umkm_photos')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('umkm_id', '=', umkmId)
        .executeTakeFirst();
      if (Number(n?.n ?? 0) >= MAX_PHOTOS) throw new AppError('rule_violated', 'registry.photoLimit', { max: MAX_PHOTOS });
      const photo = await trx
        .insertInto('umkm_photos')
        .values({
          umkm_id: umkmId,
          position: Number(n?.n ?? 0),
          small_key: smallKey,
          large_key: largeKey,
          caption: caption?.slice(0, 200) || null,
          created_by: ctx.user?.id ?? null,
        })
        .returning(['id', 'umkm_id', 'position', 'small_key', 'large_key', 'caption', 'created_at'])
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx, {
        action: 'umkm.photo.add',
        entityType: 'umkm_photo',
        entityId: photo.id,
        organizationId: umkmId,
        after: { caption: photo.caption },
      });
      return photo;
    });
  } catch (err) {
    await storage.delete(smallKey).catch(() => {});
    await storage.delete(largeKey).catch(() => {});
    throw err;
  }
}

/** A photo in WebP: public when the UMKM is verified, otherwise only for the owner and dinas. */
export async function getUmkmPhoto(db: Db, storage: FileStorage, ctx: RequestContext, photoId: string, size: 'small' | 'large') {
  const photo = await repo.findPhoto(db, photoId);
  if (!photo) throw notFound();
  if (photo.status !== 'verified' && !canManageUmkm(ctx, photo.umkm_id)) throw notFound();
  const stored = await storage.get(size === 'small' ? photo.small_key : photo.large_key);
  if (!stored) throw notFound();
  return stored;
}

export async function deleteUmkmPhoto(db: Db, storage: FileStorage, ctx: RequestContext, umkmId: string, photoId: string) {
  await getUmkm(db, ctx, umkmId);
  const photo = await db.transaction().execute(async (trx) => {
    const p = await repo.findPhoto(trx, photoId);
    if (!p || p.umkm_id !== umkmId) throw notFound();
    await trx.deleteFrom('umkm_photos').where('id', '=', photoId).execute();
    await writeAudit(trx, ctx, {
      action: 'umkm.photo.delete',
      entityType: 'umkm_photo',
      entityId: photoId,
      organizationId: umkmId,
      before: { caption: p.caption },
    });
    return p;
  });
  await storage.delete(photo.small_key).catch(() => {});
  await storage.delete(photo.large_key).catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Koperasi

const KOP_NIK_TAKEN = 'registry.nikKoperasiTaken' as const;

export async function checkKoperasiInput(
  db: Db | Trx,
  input: Partial<KoperasiInput>,
  opts: { excludeId?: string } = {},
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (input.kelurahanCode !== undefined && !(await repo.kelurahanExists(db, input.kelurahanCode))) {
    issues.push({ field: 'kelurahanCode', message: 'registry.kelurahanInvalid' });
  }
  if (input.nik !== undefined && (await repo.koperasiNikTaken(db, input.nik, opts.excludeId))) {
    issues.push({ field: 'nik', message: KOP_NIK_TAKEN });
  }
  if (input.legalDate && input.lastRatDate && input.lastRatDate < input.legalDate) {
    issues.push({ field: 'lastRatDate', message: 'registry.ratBeforeLegal' });
  }
  return issues;
}

function throwKoperasiIssues(issues: FieldIssue[]) {
  if (!issues.length) return;
  if (issues.every((i) => i.message === KOP_NIK_TAKEN)) throw new AppError('conflict', KOP_NIK_TAKEN, {}, undefined, issues);
  throw validationFailed(issues);
}

export interface CreateKoperasiOptions {
  trx?: Trx;
  status?: 'draft' | 'verified';
  isDemo?: boolean;
}

/** Registers a koperasi (organisation of kind 'koperasi'); the creator becomes its pengurus unless dinas. */
export async function createKoperasi(
  db: Db,
  ctx: RequestContext,
  raw: KoperasiInput,
  opts: CreateKoperasiOptions = {},
): Promise<KoperasiRow> {
  requireCaller(ctx);
  const input = await parseWithDbChecks(db, opts.trx, KoperasiInput, raw, checkKoperasiInput, KOPERASI_DB_FIELDS);
  if (opts.status === 'verified' && !canVerify(ctx)) throw forbidden();
  return inTrx(db, opts.trx, async (trx) => {
    throwKoperasiIssues(await checkKoperasiInput(trx, input));
    const kel = await repo.kelurahanExists(trx, input.kelurahanCode);
    const org = await trx
      .insertInto('organizations')
      .values({ kind: 'koperasi', name: input.name, is_demo: opts.isDemo ?? false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const verified = opts.status === 'verified';
    await trx
      .insertInto('koperasi')
      .values({
        id: org.id,
        name: input.name,
        legal_number: input.legalNumber ?? null,
        legal_date: input.legalDate ?? null,
        nik: input.nik ?? null,
        type: input.type as KoperasiRow['type'],
        syariah: input.syariah ?? false,
        koperasi_group: input.group as KoperasiRow['koperasi_group'],
        address: input.address ?? null,
        kelurahan_code: input.kelurahanCode,
        kecamatan_code: kel?.parent_code ?? input.kelurahanCode.slice(0, 8),
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        fiscal_year_start_month: input.fiscalYearStartMonth ?? 1,
        last_rat_date: input.lastRatDate ?? null,
        member_count: input.memberCount ?? null,
        status: verified ? 'verified' : 'draft',
        verified_at: verified ? new Date() : null,
        verified_by: verified ? (ctx.user?.id ?? null) : null,
        is_demo: opts.isDemo ?? false,
        created_by: ctx.user?.id ?? null,
      })
      .execute();
    await repo.refreshKoperasiSearch(trx, org.id);
    if (ctx.user && !isStaff(ctx)) await repo.grantOrgRole(trx, ctx.user.id, 'pengurus_koperasi', org.id, ctx.user.id);
    const row = (await repo.findKoperasi(trx, org.id)) as KoperasiRow;
    await writeAudit(trx, ctx, {
      action: 'koperasi.create',
      entityType: 'koperasi',
      entityId: org.id,
      organizationId: org.id,
      after: toKoperasiJson(row),
    });
    return row;
  });
}

export async function getKoperasi(db: Db | Trx, ctx: RequestContext, id: string): Promise<KoperasiRow> {
  requireCaller(ctx);
  if (!canManageKoperasi(ctx, id)) throw notFound();
  const row = await repo.findKoperasi(db, id);
  if (!row) throw notFound();
  return row;
}

export async function getKoperasiProfile(db: Db, ctx: RequestContext, id: string) {
  const koperasi = await getKoperasi(db, ctx, id);
  return { koperasi, officers: await repo.listOfficers(db, id) };
}

export async function listKoperasiOfficers(db: Db, ctx: RequestContext, id: string) {
  await getKoperasi(db, ctx, id);
  return repo.listOfficers(db, id);
}

/** Changes a koperasi (pengurus or dinas): absent = unchanged, null = cleared (KOPERASI_CLEARABLE). */
export async function updateKoperasi(db: Db, ctx: RequestContext, id: string, raw: KoperasiPatch, opts: { trx?: Trx } = {}) {
  requireCaller(ctx);
  if (!canManageKoperasi(ctx, id)) throw notFound();
  const patch = parse(KoperasiPatch, raw);
  return inTrx(db, opts.trx, async (trx) => {
    const before = await repo.findKoperasi(trx, id);
    if (!before) throw notFound();
    await trx.selectFrom('koperasi').select('id').where('id', '=', id).forUpdate().execute();
    // The dates as they will be (a cleared one is gone), so the RAT is checked against the real legal date.
    const willBe = <T>(v: T | null | undefined, old: T | null) => (v !== undefined ? v : old) ?? undefined;
    throwKoperasiIssues([
      ...(await checkKoperasiInput(
        trx,
        {
          kelurahanCode: patch.kelurahanCode,
          nik: patch.nik ?? undefined,
          legalDate: willBe(patch.legalDate, before.legal_date),
          lastRatDate: willBe(patch.lastRatDate, before.last_rat_date),
        },
        { excludeId: id },
      )),
      ...checkMapPoint(patch, before),
    ]);
    const set: Record<string, unknown> = { updated_at: new Date() };
    const simple: [keyof KoperasiInput, string][] = [
      ['name', 'name'],
      ['legalNumber', 'legal_number'],
      ['legalDate', 'legal_date'],
      ['nik', 'nik'],
      ['type', 'type'],
      ['syariah', 'syariah'],
      ['group', 'koperasi_group'],
      ['address', 'address'],
      ['latitude', 'latitude'],
      ['longitude', 'longitude'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['fiscalYearStartMonth', 'fiscal_year_start_month'],
      ['lastRatDate', 'last_rat_date'],
      ['memberCount', 'member_count'],
    ];
    for (const [field, column] of simple) if (patch[field] !== undefined) set[column] = patch[field];
    if (patch.kelurahanCode !== undefined) {
      const kel = await repo.kelurahanExists(trx, patch.kelurahanCode);
      set.kelurahan_code = patch.kelurahanCode;
      set.kecamatan_code = kel?.parent_code ?? patch.kelurahanCode.slice(0, 8);
    }
    await trx.updateTable('koperasi').set(set).where('id', '=', id).execute();
    if (patch.name !== undefined) await trx.updateTable('organizations').set({ name: patch.name }).where('id', '=', id).execute();
    await repo.refreshKoperasiSearch(trx, id);
    const after = (await repo.findKoperasi(trx, id)) as KoperasiRow;
    await writeAudit(trx, ctx, {
      action: 'koperasi.update',
      entityType: 'koperasi',
      entityId: id,
      organizationId: id,
      before: toKoperasiJson(before),
      after: toKoperasiJson(after),
    });
    return after;
  });
}

export async function submitKoperasi(db: Db, ctx: RequestContext, id: string) {
  requireCaller(ctx);
  if (!canManageKoperasi(ctx, id)) throw notFound();
  await transition(db, ctx, 'koperasi', id, 'submit');
  return getKoperasi(db, ctx, id);
}

/** Dinas approves or rejects a submitted koperasi; its pengurus are told by message, as for a UMKM. */
export async function verifyKoperasi(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { decision: 'approve' | 'reject'; reason?: string | null },
  opts: VerifyOptions = {},
) {
  requireCaller(ctx);
  if (!canVerify(ctx)) throw forbidden();
  const reason = checkDecision(input);
  await transition(db, ctx, 'koperasi', id, input.decision, { reason, publicUrl: opts.publicUrl });
  return getKoperasi(db, ctx, id);
}

export async function setKoperasiActive(db: Db, ctx: RequestContext, id: string, active: boolean) {
  requireCaller(ctx);
  if (!canManageKoperasi(ctx, id)) throw notFound();
  if (active && !canVerify(ctx)) throw forbidden();
  await transition(db, ctx, 'koperasi', id, active ? 'reactivate' : 'deactivate');
  return getKoperasi(db, ctx, id);
}

function koperasiScope(ctx: RequestContext, publicOnly: boolean): Pick<repo.KoperasiFilter, 'ids' | 'publicOnly'> {
  if (publicOnly) return { publicOnly: true };
  requireCaller(ctx);
  if (isStaff(ctx)) return {};
  return { ids: organizationsFor(ctx, 'pengurus_koperasi') };
}

function koperasiFilter(query: ListQuery): repo.KoperasiFilter {
  return {
    q: searchText(query.q),
    kecamatan: query.kecamatan,
    kelurahan: query.kelurahan,
    status: query.status,
    type: query.type,
    group: query.group,
  };
}

export async function listKoperasi(
  db: Db,
  ctx: RequestContext,
  query: ListQuery,
  opts: { publicOnly?: boolean } = {},
): Promise<Page<KoperasiRow>> {
  const scope = koperasiScope(ctx, opts.publicOnly ?? false);
  const { page, pageSize } = pageOf(query);
  const { sort, dir } = sortOf(query);
  const { rows, total } = await repo.listKoperasiRows(
    db,
    { ...koperasiFilter(query), ...scope },
    sort,
    dir,
    pageSize,
    (page - 1) * pageSize,
  );
  return { items: rows, total, page, pageSize };
}

export async function* iterateKoperasi(
  db: Db,
  ctx: RequestContext,
  query: ListQuery,
  batchSize = 500,
  opts: { publicOnly?: boolean } = {},
): AsyncGenerator<KoperasiRow> {
  const scope = koperasiScope(ctx, opts.publicOnly ?? false);
  const filter = { ...koperasiFilter(query), ...scope };
  const alternatives = await repo.koperasiAlternatives(db, filter); // the list's typo rule, decided once
  let afterId: string | undefined;
  for (;;) {
    const rows = await repo.koperasiBatchAfter(db, { ...filter, alternatives, afterId }, batchSize);
    for (const r of rows) yield r;
    if (rows.length < batchSize) return;
    afterId = rows[rows.length - 1]?.id;
  }
}

/** Replaces the board (pengurus) and supervisors (pengawas) with their terms. */
export async function setKoperasiOfficers(db: Db, ctx: RequestContext, id: string, raw: OfficerInput[]) {
  await getKoperasi(db, ctx, id);
  const officers = raw.map((o, i) => {
    const v = parseOfficer(o, `officers.${i}`);
    return v;
  });
  return db.transaction().execute(async (trx) => {
    const before = await repo.listOfficers(trx, id);
    await trx.deleteFrom('koperasi_officers').where('koperasi_id', '=', id).execute();
    for (const o of officers) {
      await trx
        .insertInto('koperasi_officers')
        .values({
          koperasi_id: id,
          name: o.name,
          position: o.position,
          role: o.role,
          term_start: o.termStart ?? null,
          term_end: o.termEnd ?? null,
        })
        .execute();
    }
    const after = await repo.listOfficers(trx, id);
    await writeAudit(trx, ctx, { action: 'koperasi.officers', entityType: 'koperasi', entityId: id, organizationId: id, before, after });
    return after;
  });
}

function parseOfficer(o: OfficerInput, prefix: string): OfficerInput {
  try {
    const v = parse(OfficerInput, o);
    if (v.termStart && v.termEnd && v.termEnd < v.termStart)
      throw validationFailed([{ field: 'termEnd', message: 'registry.termEndBeforeStart' }]);
    return v;
  } catch (err) {
    if (err instanceof AppError && err.fields.length) {
      throw validationFailed(err.fields.map((f) => ({ ...f, field: `${prefix}.${f.field}` })));
    }
    throw err;
  }
}

export async function addKoperasiOfficer(db: Db, ctx: RequestContext, id: string, raw: OfficerInput) {
  await getKoperasi(db, ctx, id);
  const o = parseOfficer(raw, 'officer').valueOf() as OfficerInput;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('koperasi_officers')
      .values({
        koperasi_id: id,
        name: o.name,
        position: o.position,
        role: o.role,
        term_start: o.termStart ?? null,
        term_end: o.termEnd ?? null,
      })
      .returning(['id', 'name', 'position', 'role', 'term_start', 'term_end'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'koperasi.officer.add',
      entityType: 'koperasi_officer',
      entityId: row.id,
      organizationId: id,
      after: row,
    });
    return row;
  });
}

export async function removeKoperasiOfficer(db: Db, ctx: RequestContext, id: string, officerId: string) {
  await getKoperasi(db, ctx, id);
  if (!repo.isUuid(officerId)) throw notFound();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('koperasi_officers')
      .selectAll()
      .where('id', '=', officerId)
      .where('koperasi_id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound();
    await trx.deleteFrom('koperasi_officers').where('id', '=', officerId).execute();
    await writeAudit(trx, ctx, {
      action: 'koperasi.officer.remove',
      entityType: 'koperasi_officer',
      entityId: officerId,
      organizationId: id,
      before: row,
    });
  });
}
