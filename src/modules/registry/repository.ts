import { type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { compiledOnce } from '../../db/compiled.js';
import type { Database } from '../../db/types.js';
import { type Alternatives, closestWords, searchWords, wordsTsquery } from '../../platform/search.js';
import { correctedTree, RowCache } from '../../platform/text-index.js';
import { searchUmkmIndex, type UmkmIndexQuery, umkmIndexState } from './umkm-index.js';

/** The registry's SQL (its own tables only, plus read-only joins to regions). */
export type Exec = Kysely<Database> | Transaction<Database>;

export { type Alternatives, searchWords };

/** A search's first stage (every word by its stem) finding fewer rows than this tries typo corrections. */
export const TYPO_FALLBACK_BELOW = 5;
/**
 * The closest words of the registry's vocabulary (migration 0022) for each word of `q`; null when no
 * word has a correction.
 */
export async function typoAlternatives(db: Exec, q: string): Promise<Alternatives | null> {
  return closestWords(db, 'registry_search_words', searchWords(q));
}

/** The text query of `q`: every word, by its stem — or by the stem of one of its corrections. */
function wordsQuery(q: string, alternatives?: Alternatives | null): RawBuilder<unknown> {
  return wordsTsquery(searchWords(q), alternatives);
}

/**
 * Every word must match the row's search text by its stem (full text, GIN index): "slamet santoso"
 * finds Slamet Santoso's businesses, not every Slamet or every Santoso. With `alternatives` (the
 * typo stage), a word may instead match one of its corrections: "kramik dinoyo" → keramik.
 */
export function wordsMatch(alias: 'u' | 'k', q: string, alternatives?: Alternatives | null): RawBuilder<SqlBool> {
  if (!searchWords(q).length) return sql<SqlBool>`true`;
  return sql<SqlBool>`${sql.ref(`${alias}.search_tsv`)} @@ ${wordsQuery(q, alternatives)}`;
}

/** Relevance of a row for `q` (and its corrections): ts_rank on the search text. */
export function relevance(alias: 'u' | 'k', q: string, alternatives?: Alternatives | null): RawBuilder<number> {
  return sql<number>`ts_rank(${sql.ref(`${alias}.search_tsv`)}, ${wordsQuery(q, alternatives)})`;
}

/**
 * Word searches run with bitmap scans of the text index: the planner prices a common word (4 % of
 * the rows) as cheaper to find by a sequential scan, which is several times slower than the GIN
 * index; and without parallel workers (many concurrent searches). Settings local to the transaction.
 */
async function inSearchTransaction<T>(db: Exec, fn: (trx: Exec) => Promise<T>): Promise<T> {
  const run = async (trx: Exec) => {
    await sql`select set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
    return fn(trx);
  };
  if ('isTransaction' in db && db.isTransaction) return run(db);
  return db.transaction().execute(run);
}

// ---------------------------------------------------------------------------------------------
// Reference data

export async function kelurahanExists(db: Exec, code: string) {
  const r = await db
    .selectFrom('regions')
    .select(['code', 'parent_code'])
    .where('code', '=', code)
    .where('level', '=', 'kelurahan')
    .executeTakeFirst();
  return r ?? null;
}

export async function findKbli(db: Exec, code: string) {
  return (await db.selectFrom('kbli').selectAll().where('code', '=', code).executeTakeFirst()) ?? null;
}

export async function searchKbli(db: Exec, q: string, limit = 10) {
  const term = q.trim();
  if (!term) {
    return db.selectFrom('kbli').selectAll().where('is_common', '=', true).orderBy('code').limit(limit).execute();
  }
  if (/^[0-9]{1,5}$/.test(term)) {
    return db.selectFrom('kbli').selectAll().where('code', 'like', `${term}%`).orderBy('code').limit(limit).execute();
  }
  return db
    .selectFrom('kbli')
    .selectAll()
    .where(sql<SqlBool>`(title_id ilike ${`%${term}%`} or ${term} <% title_id or title_en ilike ${`%${term}%`})`)
    .orderBy(sql`(title_id ilike ${`%${term}%`})`, 'desc')
    .orderBy(sql`word_similarity(${term}, title_id)`, 'desc')
    .orderBy('code')
    .limit(limit)
    .execute();
}

export async function listKbli(db: Exec, commonOnly = true) {
  let q = db.selectFrom('kbli').selectAll().orderBy('section').orderBy('code');
  if (commonOnly) q = q.where((eb) => eb.or([eb('is_common', '=', true), eb(sql`length(code)`, '=', 1)]));
  return q.execute();
}

export async function findSentra(db: Exec, id: string) {
  return (await db.selectFrom('sentra').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listSentra(db: Exec) {
  return db.selectFrom('sentra').selectAll().orderBy('name').execute();
}

// ---------------------------------------------------------------------------------------------
// Persons (owners)

export async function findPersonByNik(db: Exec, nik: string) {
  return (await db.selectFrom('persons').selectAll().where('nik', '=', nik).executeTakeFirst()) ?? null;
}

export async function insertPerson(db: Exec, p: { name: string; nik: string; phone: string | null; email: string | null }) {
  return db.insertInto('persons').values(p).returning(['id']).executeTakeFirstOrThrow();
}

export async function updatePerson(db: Exec, id: string, p: { name?: string; email?: string | null; phone?: string | null }) {
  await db
    .updateTable('persons')
    .set({ ...p, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// UMKM

const UMKM_COLUMNS = [
  'u.id',
  'u.name',
  'u.brand_name',
  'u.owner_id',
  'u.nib',
  'u.phone',
  'u.email',
  'u.address',
  'u.kelurahan_code',
  'u.kecamatan_code',
  'u.latitude',
  'u.longitude',
  'u.kbli_code',
  'u.kbli_section',
  'u.sentra_id',
  'u.year_started',
  'u.workers',
  'u.capital',
  'u.annual_sales',
  'u.sales_year',
  'u.size_class',
  'u.status',
  'u.rejection_reason',
  'u.submitted_at',
  'u.verified_at',
  'u.verified_by',
  'u.whatsapp',
  'u.show_whatsapp',
  'u.instagram',
  'u.facebook',
  'u.tiktok',
  'u.website',
  'u.description',
  'u.is_demo',
  'u.created_by',
  'u.created_at',
  'u.updated_at',
] as const;

export function umkmBase(db: Exec) {
  return db
    .selectFrom('umkm as u')
    .innerJoin('persons as p', 'p.id', 'u.owner_id')
    .innerJoin('regions as kel', 'kel.code', 'u.kelurahan_code')
    .leftJoin('regions as kec', 'kec.code', 'u.kecamatan_code')
    .leftJoin('kbli as k', 'k.code', 'u.kbli_code')
    .leftJoin('sentra as s', 's.id', 'u.sentra_id')
    .select(UMKM_COLUMNS)
    .select([
      'p.name as owner_name',
      'p.nik as owner_nik',
      'p.email as owner_email',
      'kel.name as kelurahan_name',
      'kec.name as kecamatan_name',
      'k.title_id as kbli_title_id',
      'k.title_en as kbli_title_en',
      's.name as sentra_name',
      'u.document_kinds', // kept by trigger (migration 0023)
    ]);
}

export type UmkmRow = Awaited<ReturnType<ReturnType<typeof umkmBase>['executeTakeFirstOrThrow']>>;

export async function findUmkm(db: Exec, id: string): Promise<UmkmRow | null> {
  if (!isUuid(id)) return null;
  return (await umkmBase(db).where('u.id', '=', id).executeTakeFirst()) ?? null;
}

export async function findUmkmForUpdate(db: Transaction<Database>, id: string) {
  if (!isUuid(id)) return null;
  return (await db.selectFrom('umkm').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
}

export async function nibTaken(db: Exec, nib: string, excludeId?: string) {
  let q = db.selectFrom('umkm').select('id').where('nib', '=', nib);
  if (excludeId) q = q.where('id', '<>', excludeId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** UMKM of the owner with this NIK whose name is similar (trigram) to `name`. */
export async function similarUmkmOfOwner(db: Exec, nik: string, name: string, excludeId?: string) {
  let q = db
    .selectFrom('umkm as u')
    .innerJoin('persons as p', 'p.id', 'u.owner_id')
    .innerJoin('regions as kel', 'kel.code', 'u.kelurahan_code')
    .select([
      'u.id',
      'u.name',
      'u.status',
      'kel.name as kelurahan_name',
      sql<number>`similarity(lower(u.name), lower(${name}))`.as('similarity'),
    ])
    .where('p.nik', '=', nik)
    .where(sql<SqlBool>`similarity(lower(u.name), lower(${name})) > 0.4`)
    .orderBy(sql`similarity(lower(u.name), lower(${name}))`, 'desc')
    .limit(10);
  if (excludeId) q = q.where('u.id', '<>', excludeId);
  return q.execute();
}

export interface UmkmFilter {
  q?: string;
  kecamatan?: string;
  kelurahan?: string;
  sizeClass?: string;
  status?: string;
  kbli?: string;
  legality?: 'nib' | 'halal' | 'spp_irt';
  /** Typo corrections of `q`'s words (the second stage of a word search). */
  alternatives?: Alternatives | null;
  /** Only these ids (an owner's own); undefined = no restriction. */
  ids?: string[];
  publicOnly?: boolean;
  afterId?: string;
}

export function umkmWhere(f: UmkmFilter): RawBuilder<SqlBool> {
  const c: RawBuilder<unknown>[] = [sql`true`];
  if (f.ids) c.push(f.ids.length ? sql`u.id in (${sql.join(f.ids)})` : sql`false`);
  if (f.publicOnly) c.push(sql`u.status = 'verified'`);
  const q = f.q?.trim();
  if (q) c.push(wordsMatch('u', q, f.alternatives));
  if (f.kecamatan) c.push(sql`u.kecamatan_code = ${f.kecamatan}`);
  if (f.kelurahan) c.push(sql`u.kelurahan_code = ${f.kelurahan}`);
  if (f.sizeClass) c.push(sql`u.size_class = ${f.sizeClass}`);
  if (f.status) c.push(sql`u.status = ${f.status}`);
  if (f.kbli) {
    if (/^[A-U]$/.test(f.kbli)) c.push(sql`u.kbli_section = ${f.kbli}`);
    else c.push(sql`u.kbli_code like ${`${f.kbli.replace(/[^0-9]/g, '')}%`}`);
  }
  if (f.legality === 'nib') {
    c.push(sql`(u.nib is not null or u.document_kinds @> array['nib'])`);
  } else if (f.legality) {
    c.push(sql`u.document_kinds @> array[${f.legality}]::text[]`);
  }
  if (f.afterId) c.push(sql`u.id > ${f.afterId}`);
  return sql<SqlBool>`(${sql.join(c, sql` and `)})`;
}

/**
 * The exact number of UMKM matching `f`. Filters on status, kecamatan, kelurahan, size class, KBLI
 * section and legality only are answered from `umkm_counts`, or with legality `umkm_legal_counts`
 * (migration 0025), kept by triggers in the same transaction as every change, so still exact;
 * anything else (words, a 5-digit KBLI code, an owner's own list) counts the rows.
 */
const LEGALITY_BIT = { nib: 1, halal: 2, spp_irt: 4 } as const;

export async function countUmkm(db: Exec, f: UmkmFilter, where = umkmWhere(f)): Promise<number> {
  const byCounts = !f.q?.trim() && !f.ids && !f.afterId && (!f.kbli || /^[A-U]$/.test(f.kbli));
  if (byCounts) {
    const status = f.publicOnly ? (f.status && f.status !== 'verified' ? null : 'verified') : f.status;
    if (status === null) return 0;
    const c: RawBuilder<SqlBool>[] = [sql<SqlBool>`true`];
    if (status) c.push(sql<SqlBool>`status = ${status}`);
    if (f.kecamatan) c.push(sql<SqlBool>`kecamatan_code = ${f.kecamatan}`);
    if (f.kelurahan) c.push(sql<SqlBool>`kelurahan_code = ${f.kelurahan}`);
    if (f.sizeClass) c.push(sql<SqlBool>`size_class = ${f.sizeClass}`);
    if (f.kbli) c.push(sql<SqlBool>`kbli_section = ${f.kbli}`);
    if (f.legality) c.push(sql<SqlBool>`legality & ${sql.lit(LEGALITY_BIT[f.legality])} <> 0`);
    const table = sql.table(f.legality ? 'umkm_legal_counts' : 'umkm_counts');
    const r = await sql<{ n: string }>`select coalesce(sum(n), 0)::text as n from ${table} where ${sql.join(c, sql` and `)}`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }
  const row = await db.selectFrom('umkm as u').select(sql<number>`count(*)::int`.as('n')).where(where).executeTakeFirst();
  return row?.n ?? 0;
}

export type SortKey = 'relevance' | 'name' | 'newest' | 'capital';

export async function listUmkmRows(
  db: Exec,
  f: UmkmFilter,
  sort: SortKey,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: UmkmRow[]; total: number }> {
  const q = f.q?.trim();
  const indexed = await fromIndex(db, f, sort, dir, limit, offset);
  if (indexed) {
    const rows = await indexed.rows.rowsOf(indexed.ids, (ids) => umkmRowsWithIds(db, ids));
    return { rows, total: indexed.total };
  }
  const orderFor = (alternatives?: Alternatives | null) =>
    sort === 'relevance' && q
      ? ([relevance('u', q, alternatives), 'desc'] as const)
      : sort === 'name'
        ? ([sql`lower(u.name)`, dir] as const)
        : sort === 'capital'
          ? ([sql`u.capital`, dir] as const)
          : ([sql`u.created_at`, dir] as const);
  if (!q) {
    const where = umkmWhere(f);
    const [orderBy, orderDir] = orderFor();
    const total = await countUmkm(db, f, where);
    // The page's ids from the table alone (cheap to plan), then their rows with the joins (one
    // statement text for any page, so PostgreSQL keeps its plan).
    const ids = await db
      .selectFrom('umkm as u')
      .select('u.id')
      .where(where)
      .orderBy(orderBy, orderDir)
      .orderBy('u.id')
      .limit(limit)
      .offset(offset)
      .execute();
    return {
      rows: await umkmRowsByIds(
        db,
        ids.map((r) => r.id),
      ),
      total,
    };
  }
  // Words: the rows matching the words and the filters are collected first (materialized, so the
  // planner cannot walk a sort index testing every row against the words; bitmap scans of the text
  // and filter indexes, see searchSettings), then one pass gives the page's ids and the total (a
  // window count), then the page's rows are read with their joins.
  const search = async (trx: Exec, alternatives: Alternatives | null) => {
    const [orderBy, orderDir] = orderFor(alternatives);
    const page = (
      await sql<{ id: string; full_count: number }>`
        with m as materialized (select u.id, ${orderBy} as s from umkm u where ${umkmWhere({ ...f, alternatives })})
        select id, (count(*) over ())::int as full_count from m
        order by s ${sql.raw(orderDir === 'asc' ? 'asc' : 'desc')}, id limit ${limit} offset ${offset}`.execute(trx)
    ).rows;
    const total = page[0]?.full_count ?? (offset > 0 ? await countUmkm(trx, { ...f, alternatives }) : 0);
    return { page, total };
  };
  // Two stages: every word by its stem; when that finds (almost) nothing, with typo corrections.
  const { page, total } = await inSearchTransaction(db, async (trx) => {
    const first = await search(trx, f.alternatives ?? null);
    if (first.total >= TYPO_FALLBACK_BELOW || f.alternatives) return first;
    const alternatives = await typoAlternatives(trx, q);
    return alternatives ? search(trx, alternatives) : first;
  });
  return {
    rows: await umkmRowsByIds(
      db,
      page.map((p) => p.id),
    ),
    total,
  };
}

/**
 * The total and page's ids of a list from the in-process index (umkm-index.ts, ADR 0015), with
 * the same two word stages as below; null when it does not answer — an owner's own list, keyset
 * batches, inside a transaction (the index does not see its writes), while loading, or with
 * SEARCH_INDEX=false.
 */
export async function fromIndex(
  db: Exec,
  f: UmkmFilter,
  sort: SortKey,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ total: number; ids: string[]; rows: RowCache<UmkmRow> } | null> {
  if (f.ids || f.afterId || ('isTransaction' in db && db.isTransaction)) return null;
  const conn = db as Kysely<Database>;
  if (umkmIndexState(conn) !== 'ready') return null;
  let status = f.status;
  if (f.publicOnly) {
    if (status && status !== 'verified') return { total: 0, ids: [], rows: new RowCache() };
    status = 'verified';
  }
  const section = f.kbli && /^[A-U]$/.test(f.kbli) ? f.kbli : undefined;
  const query: Omit<UmkmIndexQuery, 'tree'> = {
    status,
    kecamatan: f.kecamatan,
    kelurahan: f.kelurahan,
    sizeClass: f.sizeClass,
    kbliSection: section,
    kbliPrefix: f.kbli && !section ? f.kbli.replace(/[^0-9]/g, '') : undefined,
    legality: f.legality,
    // Relevance without words is the newest first (as orderFor below); with words it ignores `dir`.
    sort: sort === 'relevance' && !f.q?.trim() ? 'newest' : sort,
    dir,
    offset,
    limit,
  };
  const q = f.q?.trim();
  if (!q) return searchUmkmIndex(conn, { ...query, tree: null });
  const words = searchWords(q);
  const tree = await correctedTree(conn, words, f.alternatives ?? {});
  if (tree === null) return null;
  const first = await searchUmkmIndex(conn, { ...query, tree });
  if (!first || first.total >= TYPO_FALLBACK_BELOW || f.alternatives) return first;
  const alternatives = await typoAlternatives(conn, q);
  if (!alternatives) return first;
  const corrected = await correctedTree(conn, words, alternatives);
  return corrected === null ? null : searchUmkmIndex(conn, { ...query, tree: corrected });
}

/** The rows of a list page (compiled once: every list runs it). */
const umkmRowsWithIds = compiledOnce((db, ids: string[]) => umkmBase(db).where(sql<SqlBool>`u.id = any(${ids}::uuid[])`));

/** The rows of these UMKM with their joins, in the order of `ids`. */
async function umkmRowsByIds(db: Exec, ids: string[]): Promise<UmkmRow[]> {
  if (!ids.length) return [];
  const rows = await umkmRowsWithIds(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is UmkmRow => r !== undefined);
}

/**
 * The typo corrections a word search over UMKM matching `f` should use: null when its words find
 * TYPO_FALLBACK_BELOW rows or more by their stems (or have no corrections). For exports, decided
 * once before the first batch.
 */
export async function umkmAlternatives(db: Exec, f: UmkmFilter): Promise<Alternatives | null> {
  const q = f.q?.trim();
  if (!q || (await countUmkm(db, { ...f, alternatives: null })) >= TYPO_FALLBACK_BELOW) return null;
  return typoAlternatives(db, q);
}

/** One keyset page ordered by id (for streaming exports: no OFFSET). */
export async function umkmBatchAfter(db: Exec, f: UmkmFilter, batchSize: number): Promise<UmkmRow[]> {
  return umkmBase(db).where(umkmWhere(f)).orderBy('u.id').limit(batchSize).execute();
}

export async function salesHistory(db: Exec, umkmId: string) {
  return db.selectFrom('umkm_sales').select(['year', 'amount']).where('umkm_id', '=', umkmId).orderBy('year', 'desc').execute();
}

export async function upsertSales(db: Exec, umkmId: string, year: number, amount: bigint) {
  await db
    .insertInto('umkm_sales')
    .values({ umkm_id: umkmId, year, amount })
    .onConflict((oc) => oc.columns(['umkm_id', 'year']).doUpdateSet({ amount }))
    .execute();
}

export async function sizeClassEvents(db: Exec, organizationId: string) {
  return db
    .selectFrom('size_class_events')
    .select(['id', 'from_class', 'to_class', 'direction', 'occurred_on', 'basis', 'amount', 'year', 'evidence', 'created_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Rebuilds the text searched by words: business, brand, owner and product words. */
export async function refreshUmkmSearch(db: Exec, where: { id?: string; ownerId?: string }) {
  let q = db.updateTable('umkm').set({
    search_text: sql`concat_ws(' ', umkm.name, umkm.brand_name, (select p.name from persons p where p.id = umkm.owner_id), nullif(umkm.product_words, ''))`,
  });
  if (where.id) q = q.where('id', '=', where.id);
  if (where.ownerId) q = q.where('owner_id', '=', where.ownerId);
  await q.execute();
}

export async function listDocuments(db: Exec, umkmId: string) {
  return db
    .selectFrom('umkm_documents')
    .select(['id', 'umkm_id', 'kind', 'number', 'issued_on', 'expires_on', 'file_key', 'file_name', 'file_type', 'file_size', 'created_at'])
    .where('umkm_id', '=', umkmId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
export type DocumentRow = Awaited<ReturnType<typeof listDocuments>>[number];

export async function findDocument(db: Exec, umkmId: string, docId: string) {
  if (!isUuid(docId)) return null;
  return (
    (await db.selectFrom('umkm_documents').selectAll().where('umkm_id', '=', umkmId).where('id', '=', docId).executeTakeFirst()) ?? null
  );
}

export async function listPhotos(db: Exec, umkmId: string) {
  return db
    .selectFrom('umkm_photos')
    .select(['id', 'umkm_id', 'position', 'small_key', 'large_key', 'caption', 'created_at'])
    .where('umkm_id', '=', umkmId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}
export type PhotoRow = Awaited<ReturnType<typeof listPhotos>>[number];

export async function findPhoto(db: Exec, photoId: string) {
  if (!isUuid(photoId)) return null;
  return (
    (await db
      .selectFrom('umkm_photos as ph')
      .innerJoin('umkm as u', 'u.id', 'ph.umkm_id')
      .select(['ph.id', 'ph.umkm_id', 'ph.small_key', 'ph.large_key', 'ph.caption', 'u.status'])
      .where('ph.id', '=', photoId)
      .executeTakeFirst()) ?? null
  );
}

/** Submitted profiles, oldest first (the dinas verification queue). */
export async function verificationQueue(db: Exec, limit = 100) {
  const umkm = await db
    .selectFrom('umkm as u')
    .innerJoin('regions as kel', 'kel.code', 'u.kelurahan_code')
    .select(['u.id', 'u.name', 'u.submitted_at', 'u.size_class', 'kel.name as kelurahan_name', sql<'umkm'>`'umkm'`.as('kind')])
    .where('u.status', '=', 'submitted')
    .orderBy('u.submitted_at')
    .orderBy('u.id')
    .limit(limit)
    .execute();
  const koperasi = await db
    .selectFrom('koperasi as k')
    .innerJoin('regions as kel', 'kel.code', 'k.kelurahan_code')
    .select(['k.id', 'k.name', 'k.submitted_at', 'kel.name as kelurahan_name', sql<'koperasi'>`'koperasi'`.as('kind')])
    .where('k.status', '=', 'submitted')
    .orderBy('k.submitted_at')
    .orderBy('k.id')
    .limit(limit)
    .execute();
  return { umkm, koperasi };
}

// ---------------------------------------------------------------------------------------------
// Koperasi

const KOPERASI_COLUMNS = [
  'k.id',
  'k.name',
  'k.legal_number',
  'k.legal_date',
  'k.nik',
  'k.type',
  'k.syariah',
  'k.koperasi_group',
  'k.address',
  'k.kelurahan_code',
  'k.kecamatan_code',
  'k.latitude',
  'k.longitude',
  'k.phone',
  'k.email',
  'k.fiscal_year_start_month',
  'k.last_rat_date',
  'k.member_count',
  'k.status',
  'k.rejection_reason',
  'k.submitted_at',
  'k.verified_at',
  'k.verified_by',
  'k.is_demo',
  'k.created_by',
  'k.created_at',
  'k.updated_at',
] as const;

export function koperasiBase(db: Exec) {
  return db
    .selectFrom('koperasi as k')
    .innerJoin('regions as kel', 'kel.code', 'k.kelurahan_code')
    .leftJoin('regions as kec', 'kec.code', 'k.kecamatan_code')
    .select(KOPERASI_COLUMNS)
    .select(['kel.name as kelurahan_name', 'kec.name as kecamatan_name']);
}
export type KoperasiRow = Awaited<ReturnType<ReturnType<typeof koperasiBase>['executeTakeFirstOrThrow']>>;

export async function findKoperasi(db: Exec, id: string): Promise<KoperasiRow | null> {
  if (!isUuid(id)) return null;
  return (await koperasiBase(db).where('k.id', '=', id).executeTakeFirst()) ?? null;
}

export async function koperasiNikTaken(db: Exec, nik: string, excludeId?: string) {
  let q = db.selectFrom('koperasi').select('id').where('nik', '=', nik);
  if (excludeId) q = q.where('id', '<>', excludeId);
  return (await q.executeTakeFirst()) !== undefined;
}

export interface KoperasiFilter {
  q?: string;
  kecamatan?: string;
  kelurahan?: string;
  status?: string;
  type?: string;
  group?: string;
  /** Typo corrections of `q`'s words (the second stage of a word search). */
  alternatives?: Alternatives | null;
  ids?: string[];
  publicOnly?: boolean;
  afterId?: string;
}

export function koperasiWhere(f: KoperasiFilter): RawBuilder<SqlBool> {
  const c: RawBuilder<unknown>[] = [sql`true`];
  if (f.ids) c.push(f.ids.length ? sql`k.id in (${sql.join(f.ids)})` : sql`false`);
  if (f.publicOnly) c.push(sql`k.status = 'verified'`);
  const q = f.q?.trim();
  if (q) c.push(wordsMatch('k', q, f.alternatives));
  if (f.kecamatan) c.push(sql`k.kecamatan_code = ${f.kecamatan}`);
  if (f.kelurahan) c.push(sql`k.kelurahan_code = ${f.kelurahan}`);
  if (f.status) c.push(sql`k.status = ${f.status}`);
  if (f.type) c.push(sql`k.type = ${f.type}`);
  if (f.group) c.push(sql`k.koperasi_group = ${f.group}`);
  if (f.afterId) c.push(sql`k.id > ${f.afterId}`);
  return sql<SqlBool>`(${sql.join(c, sql` and `)})`;
}

export async function listKoperasiRows(
  db: Exec,
  f: KoperasiFilter,
  sort: SortKey,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: KoperasiRow[]; total: number }> {
  const q = f.q?.trim();
  const run = async (trx: Exec) => {
    const count = async (g: KoperasiFilter) =>
      (await trx.selectFrom('koperasi as k').select(sql<number>`count(*)::int`.as('n')).where(koperasiWhere(g)).executeTakeFirst())?.n ?? 0;
    // Words: every word by its stem; when that finds (almost) nothing, with typo corrections.
    let filter = f;
    let total = await count(filter);
    if (q && total < TYPO_FALLBACK_BELOW && !f.alternatives) {
      const alternatives = await typoAlternatives(trx, q);
      if (alternatives) {
        filter = { ...f, alternatives };
        total = await count(filter);
      }
    }
    let query = koperasiBase(trx).where(koperasiWhere(filter));
    if (sort === 'relevance' && q) {
      query = query.orderBy(relevance('k', q, filter.alternatives), 'desc');
    } else if (sort === 'name') {
      query = query.orderBy(sql`lower(k.name)`, dir);
    } else if (sort === 'capital') {
      query = query.orderBy('k.member_count', dir);
    } else {
      query = query.orderBy('k.created_at', dir);
    }
    const rows = await query.orderBy('k.id').limit(limit).offset(offset).execute();
    return { rows, total };
  };
  return q ? inSearchTransaction(db, run) : run(db);
}

/** As umkmAlternatives, for koperasi. */
export async function koperasiAlternatives(db: Exec, f: KoperasiFilter): Promise<Alternatives | null> {
  const q = f.q?.trim();
  if (!q) return null;
  const n =
    (
      await db
        .selectFrom('koperasi as k')
        .select(sql<number>`count(*)::int`.as('n'))
        .where(koperasiWhere({ ...f, alternatives: null }))
        .executeTakeFirst()
    )?.n ?? 0;
  return n >= TYPO_FALLBACK_BELOW ? null : typoAlternatives(db, q);
}

export async function koperasiBatchAfter(db: Exec, f: KoperasiFilter, batchSize: number): Promise<KoperasiRow[]> {
  return koperasiBase(db).where(koperasiWhere(f)).orderBy('k.id').limit(batchSize).execute();
}

export async function refreshKoperasiSearch(db: Exec, id: string) {
  await db
    .updateTable('koperasi')
    .set({ search_text: sql`concat_ws(' ', koperasi.name, koperasi.legal_number, koperasi.nik)` })
    .where('id', '=', id)
    .execute();
}

export async function listOfficers(db: Exec, koperasiId: string) {
  return db
    .selectFrom('koperasi_officers')
    .select(['id', 'name', 'position', 'role', 'term_start', 'term_end'])
    .where('koperasi_id', '=', koperasiId)
    .orderBy('role', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
export type OfficerRow = Awaited<ReturnType<typeof listOfficers>>[number];

// ---------------------------------------------------------------------------------------------
// Roles (the registry grants the owner/pengurus role for the organisation it creates)

export async function grantOrgRole(
  db: Exec,
  userId: string,
  role: 'pelaku_umkm' | 'pengurus_koperasi',
  organizationId: string,
  grantedBy: string | null,
) {
  await db.insertInto('role_grants').values({ user_id: userId, role, organization_id: organizationId, granted_by: grantedBy }).execute();
  // The organisation-less grant given at sign-up is replaced by the real one.
  await db.deleteFrom('role_grants').where('user_id', '=', userId).where('role', '=', role).where('organization_id', 'is', null).execute();
}

export function isUuid(v: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
