import { type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/index.js';
import { closestWords, searchWords, WORD_SIMILARITY, wordsTsquery } from '../../platform/search.js';
import { correctedTree, type QNode, tsqueryTrees } from '../../platform/text-index.js';
import { type IndexResult, type ProductIndex, searchIndex } from './search-index.js';
import './search-tables.js';

/**
 * Public marketplace search and browse (issue 4 item 4): what shoppers see — active products of
 * open stores only. Filters read the facts migration 0018 copies onto market_products (kecamatan,
 * store kind, halal, store open), so a search never joins stores before it has its page of rows.
 *
 * Text search runs in two stages: Indonesian full text (`websearch_to_tsquery('indonesian', q)`,
 * name weighted above description); when that finds fewer than TYPO_FALLBACK_BELOW products, each
 * word is looked up in the vocabulary of product names (migration 0021, trigram similarity ≥
 * 0.3, the 3 closest: platform/search.ts) and the full text search runs again with the
 * word OR its close words, so "kripik tmpe" still finds "Keripik Tempe".
 *
 * Where the app process holds the in-process index of the live products (search-index.ts, ADR
 * 0014), both stages are answered by it — the same matches (the database's own tsquery), exact
 * counts at any size — and only the page's cards are read from the database. The statements below
 * answer before the index is loaded, with SEARCH_INDEX=false, and for queries the index does not
 * evaluate (phrases in quotes).
 */
export type Exec = Kysely<Database> | Transaction<Database>;

export const SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'bestselling'] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 24;
export const MAX_PAGE = 200;
export const TYPO_FALLBACK_BELOW = 5;
/** Time the typo-tolerant suggestions may take (statement_timeout) before they are left out. */
export const TYPO_TIMEOUT_MS = 300;
/** Relevance (ts_rank_cd) ordering for at most this many matches; beyond, matches are ordered by sales. */
export const RANK_MAX = 5_000;
/** Facet counts of result sets at least this large are cached (FACET_CACHE_MS) — counting them is the costly part. */
export const FACET_CACHE_MIN = 5_000;
export const FACET_CACHE_MS = 30_000;

export interface SearchParams {
  q?: string;
  category?: string;
  kecamatan?: string;
  halal?: boolean;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  kind?: 'umkm' | 'koperasi';
  /** Only this store's products (store page). */
  storeId?: string;
  sort?: Sort;
  page?: number;
  pageSize?: number;
}

export interface ProductCard {
  id: string;
  name: string;
  slug: string;
  url: string;
  price: number;
  storeId: string;
  storeName: string;
  storeSlug: string;
  kind: 'umkm' | 'koperasi';
  categoryId: string | null;
  photo: string | null;
  inStock: boolean;
  halal: boolean;
  soldCount: number;
  createdAt: string;
}

export interface FacetValue {
  id: string;
  label: string;
  count: number;
}

export interface Facets {
  category: FacetValue[];
  kecamatan: FacetValue[];
  halal: number;
  inStock: number;
  kind: FacetValue[];
}

export interface SearchResult {
  items: ProductCard[];
  total: number;
  page: number;
  pageSize: number;
  sort: Sort;
  /** 'fulltext', 'typo' (the trigram fallback ran) or 'none' (no words). */
  match: 'fulltext' | 'typo' | 'none';
  /** True when total and facet counts are estimates from a sample (large result sets on a large table). */
  approximate: boolean;
  facets: Facets;
}

// ---------------------------------------------------------------------------------------------
// URLs

export const productUrl = (storeSlug: string, productSlug: string) => `/produk/${storeSlug}/${productSlug}`;
export const storeUrl = (storeSlug: string) => `/toko/${storeSlug}`;
export const categoryUrl = (id: string) => `/kategori/${id}`;
export const photoUrl = (photoId: string, size: 'small' | 'medium' | 'large') => `/foto-produk/${photoId}/${size}`;
export const storeImageUrl = (storeId: string, which: 'logo' | 'banner') => `/foto-toko/${storeId}/${which}`;

// ---------------------------------------------------------------------------------------------
// Reference data (categories, kecamatan names) — small, cached per database handle.

export interface CategoryNode {
  id: string;
  parentId: string | null;
  nameId: string;
  nameEn: string;
  children: CategoryNode[];
}

interface RefData {
  categories: Map<string, CategoryNode>;
  roots: CategoryNode[];
  kecamatan: Map<string, string>;
  at: number;
}
const refCache = new WeakMap<object, RefData>();
const REF_TTL = 5 * 60_000;

export async function refData(db: Exec): Promise<RefData> {
  const hit = refCache.get(db);
  if (hit && Date.now() - hit.at < REF_TTL) return hit;
  const rows = await db.selectFrom('market_categories').selectAll().orderBy('position').orderBy('id').execute();
  const categories = new Map<string, CategoryNode>();
  for (const r of rows) categories.set(r.id, { id: r.id, parentId: r.parent_id, nameId: r.name_id, nameEn: r.name_en, children: [] });
  const roots: CategoryNode[] = [];
  for (const c of categories.values()) {
    const parent = c.parentId ? categories.get(c.parentId) : undefined;
    if (parent) parent.children.push(c);
    else roots.push(c);
  }
  const kec = await db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'kecamatan').execute();
  const data: RefData = { categories, roots, kecamatan: new Map(kec.map((k) => [k.code, k.name])), at: Date.now() };
  refCache.set(db, data);
  return data;
}

export const categoryLabel = (c: CategoryNode, locale: Locale) => (locale === 'en' ? c.nameEn : c.nameId);

/** The category and everything below it. */
function descendants(ref: RefData, id: string): string[] {
  const c = ref.categories.get(id);
  if (!c) return [];
  const out: string[] = [];
  const walk = (n: CategoryNode) => {
    out.push(n.id);
    for (const ch of n.children) walk(ch);
  };
  walk(c);
  return out;
}

/** Root → … → category, for breadcrumbs. */
export function categoryPath(ref: RefData, id: string | null): CategoryNode[] {
  const out: CategoryNode[] = [];
  let c = id ? ref.categories.get(id) : undefined;
  while (c) {
    out.unshift(c);
    c = c.parentId ? ref.categories.get(c.parentId) : undefined;
  }
  return out;
}

export async function categoryTree(db: Exec, locale: Locale) {
  const ref = await refData(db);
  type Out = { id: string; label: string; url: string; children: Out[] };
  const map = (c: CategoryNode): Out => ({
    id: c.id,
    label: categoryLabel(c, locale),
    url: categoryUrl(c.id),
    children: c.children.map(map),
  });
  return ref.roots.map(map);
}

// ---------------------------------------------------------------------------------------------
// Search

const LIVE = sql<SqlBool>`p.status = 'active' and p.store_open`;
const HALAL = sql<SqlBool>`p.halal_until >= (now() at time zone 'Asia/Jakarta')::date`;

/**
 * The conditions of a search. `forCount`: for statements that collect all matches (counts), the
 * price range is written so that no index serves it — a range like 20,000–100,000 holds 40 % of
 * the products, and PostgreSQL would otherwise AND a bitmap of 400,000 rows with the word's few
 * thousand; pages that walk the price index (many matches) keep it indexable.
 */
function filters(p: SearchParams, ref: RefData, forCount = false): RawBuilder<SqlBool>[] {
  const price = sql.raw(forCount ? '(p.min_price + 0)' : 'p.min_price');
  const out: RawBuilder<SqlBool>[] = [LIVE];
  if (p.category) {
    const ids = descendants(ref, p.category);
    out.push(ids.length ? sql<SqlBool>`p.category_id in (${sql.join(ids)})` : sql<SqlBool>`false`);
  }
  if (p.kecamatan) out.push(sql<SqlBool>`p.kecamatan_code = ${p.kecamatan}`);
  if (p.halal) out.push(HALAL);
  if (p.inStock) out.push(sql<SqlBool>`p.in_stock`);
  if (p.kind) out.push(sql<SqlBool>`p.store_kind = ${p.kind}`);
  if (p.minPrice !== undefined) out.push(sql<SqlBool>`${price} >= ${p.minPrice}`);
  if (p.maxPrice !== undefined) out.push(sql<SqlBool>`${price} <= ${p.maxPrice}`);
  if (p.storeId) out.push(sql<SqlBool>`p.store_id = ${p.storeId}`);
  return out;
}

/**
 * Typo-tolerant text query: every search word, or one of its closest words in the vocabulary of
 * product names. One small query on the vocabulary (a few thousand words, GIN trigram index);
 * null when no word has a correction (the first stage's answer stands).
 */
async function correctedQuery(exec: Exec, words: string[]): Promise<RawBuilder<unknown> | null> {
  const alternatives = await closestWords(exec, 'market_search_words', words);
  return alternatives ? wordsTsquery(words, alternatives) : null;
}

/**
 * ORDER BY for a sort; relevance ranks by `rank` (a tsquery), or by sales without one. `collect` turns the keys into expressions no index provides, so PostgreSQL
 * collects the (few, known ≤ EXACT_COUNT_MAX) text matches by bitmap and sorts them, instead of
 * walking a sort index and testing every row's tsvector until it has a page.
 */
function orderBy(sort: Sort, rank: RawBuilder<unknown> | null, collect = false) {
  const k = (col: string) => sql.raw(collect ? `(${col} + 0)` : col);
  switch (sort) {
    case 'newest':
      return collect ? sql`(p.created_at + interval '0 s') desc, p.id` : sql`p.created_at desc, p.id`;
    case 'price_asc':
      return sql`${k('p.min_price')}, p.id`;
    case 'price_desc':
      return sql`${k('p.min_price')} desc, p.id desc`;
    case 'bestselling':
      return sql`${k('p.sold_count')} desc, p.id`;
    default:
      if (!rank) return sql`${k('p.sold_count')} desc, p.id`;
      return sql`ts_rank_cd(p.search_tsv, ${rank}) desc, p.sold_count desc, p.id`;
  }
}

/** Planner settings for one search transaction (as the registry's word search). */
async function searchSettings(trx: Exec) {
  await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true),
    set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
}

/** Suggestions look at no more than this many matching rows (then pick the best-selling). */
export const SUGGEST_SCAN = 200;
/** Suggestions look first among this many best-selling live products. */
export const SUGGEST_TOP = 2_000;

interface FacetRow {
  category_id: string | null;
  kecamatan_code: string | null;
  store_kind: string | null;
  halal: boolean;
  in_stock: boolean;
  n: number;
}

interface FacetCounts {
  at: number;
  total: number;
  /** True when counted on a sample of the table (result sets above EXACT_COUNT_MAX). */
  approximate: boolean;
  rows: FacetRow[];
}
const facetCache = new Map<string, FacetCounts>();

/** Result sets projected (from a sample) above 2 × this are estimated; the rest are counted exactly. */
export const EXACT_COUNT_MAX = 5_000;
export const SAMPLE_ROWS = 10_000;

let tableSize = new WeakMap<object, { at: number; rows: number }>();

/** Forgets the cached table size and facet counts (after bulk loads; tests). */
export function resetSearchCaches() {
  tableSize = new WeakMap();
  bestSellerCache = new WeakMap();
  facetCache.clear();
}
async function productRows(exec: Exec): Promise<number> {
  const hit = tableSize.get(exec);
  if (hit && Date.now() - hit.at < 10 * 60_000) return hit.rows;
  const r = await sql<{
    n: number;
  }>`select greatest(reltuples, 0)::float8 as n from pg_class where oid = 'market_products'::regclass`.execute(exec);
  const rows = Number(r.rows[0]?.n ?? 0);
  tableSize.set(exec, { at: Date.now(), rows });
  return rows;
}

const FACET_SELECT = sql`p.category_id, p.kecamatan_code, p.store_kind, coalesce(p.halal_until >= (now() at time zone 'Asia/Jakarta')::date, false) as halal, p.in_stock,
  count(*)::int as n`;

/** The page a search wants from its matches (ids only; cards are read by id afterwards). */
interface PageSpec {
  sort: Sort;
  /** The text query for relevance ranking (null: no words). */
  rank: RawBuilder<unknown> | null;
  limit: number;
  offset: number;
}

/** ORDER BY over the matches collected in `m` (see facetRows): the same order as `orderBy`. */
function collectedOrder(spec: PageSpec) {
  switch (spec.sort) {
    case 'newest':
      return sql`m.created_at desc, m.id`;
    case 'price_asc':
      return sql`m.min_price, m.id`;
    case 'price_desc':
      return sql`m.min_price desc, m.id desc`;
    case 'bestselling':
      return sql`m.sold_count desc, m.id`;
    default:
      // Relevance: ranked while there are at most RANK_MAX matches, else by sales (as `page`).
      if (!spec.rank) return sql`m.sold_count desc, m.id`;
      return sql`(case when (select count(*) from m) > ${sql.lit(RANK_MAX)} then 0 else m.r end) desc, m.sold_count desc, m.id`;
  }
}

/**
 * Counts of the whole result set by category × kecamatan × kind × halal × stock (a few hundred rows
 * at most), folded into facets in JS. On a table larger than 2 × SAMPLE_ROWS a repeatable block
 * sample of about SAMPLE_ROWS rows is counted first (a few ms); when it projects more than
 * 2 × EXACT_COUNT_MAX matches, its scaled counts are the answer (`approximate`) — an exact count of
 * hundreds of thousands of scattered rows costs more than the whole latency budget. Otherwise the
 * count is exact, and with a `page` the same statement also picks that page's ids from the matches
 * it has collected (one visit of each matching row instead of two). Large counts are cached for
 * FACET_CACHE_MS.
 */
async function facetRows(exec: Exec, where: RawBuilder<SqlBool>, key: string, page?: PageSpec): Promise<FacetCounts & { ids?: string[] }> {
  const hit = facetCache.get(key);
  if (hit && Date.now() - hit.at < FACET_CACHE_MS) return hit;
  let out: (FacetCounts & { ids?: string[] }) | null = null;
  const table = await productRows(exec);
  if (table > 2 * SAMPLE_ROWS) {
    const pct = Math.min(100, Math.max(0.01, (100 * SAMPLE_ROWS) / table));
    const r = await sql<FacetRow>`
      select ${FACET_SELECT}
      from market_products p tablesample system (${sql.lit(Number(pct.toFixed(4)))}) repeatable (7) where ${where}
      group by 1, 2, 3, 4, 5`.execute(exec);
    const scale = 100 / pct;
    const rows = r.rows.map((x) => ({ ...x, n: Math.max(1, Math.round(x.n * scale)) }));
    const total = rows.reduce((sum, x) => sum + x.n, 0);
    if (total > 2 * EXACT_COUNT_MAX) out = { at: Date.now(), total, approximate: true, rows };
  }
  if (!out && page) {
    // Matches collected once: facet rows (t 'f') and one row (t 'p') with the page's ids in order.
    const r = await sql<FacetRow & { t: 'f' | 'p'; ids: string[] | null }>`
      with m as materialized (
        select p.id, p.category_id, p.kecamatan_code, p.store_kind,
          coalesce(p.halal_until >= (now() at time zone 'Asia/Jakarta')::date, false) as halal, p.in_stock,
          p.min_price, p.sold_count, p.created_at,
          ${page.rank && page.sort === 'relevance' ? sql`ts_rank_cd(p.search_tsv, ${page.rank})` : sql`0::real`} as r
        from market_products p where ${where})
      select 'f' as t, null::text[] as ids, m.category_id, m.kecamatan_code, m.store_kind, m.halal, m.in_stock, count(*)::int as n
        from m group by 3, 4, 5, 6, 7
      union all
      select 'p', array(select m.id::text from m order by ${collectedOrder(page)} limit ${page.limit} offset ${page.offset}),
        null, null, null, null, null, 0`.execute(exec);
    const rows = r.rows.filter((x) => x.t === 'f');
    out = {
      at: Date.now(),
      total: rows.reduce((sum, x) => sum + x.n, 0),
      approximate: false,
      rows,
      ids: r.rows.find((x) => x.t === 'p')?.ids ?? [],
    };
  }
  if (!out) {
    const r = await sql<FacetRow>`select ${FACET_SELECT} from market_products p where ${where} group by 1, 2, 3, 4, 5`.execute(exec);
    out = { at: Date.now(), total: r.rows.reduce((sum, x) => sum + x.n, 0), approximate: false, rows: r.rows };
  }
  if (out.total >= FACET_CACHE_MIN) {
    if (facetCache.size > 2000) facetCache.clear();
    const { ids: _ids, ...counts } = out;
    facetCache.set(key, counts);
  }
  return out;
}

function buildFacets(rows: FacetRow[], ref: RefData, p: SearchParams, locale: Locale): Facets {
  // Categories: counted on the level below the chosen category (top level when none).
  const parent = p.category && ref.categories.has(p.category) ? p.category : null;
  const bucketOf = (id: string | null): string | null => {
    const path = categoryPath(ref, id);
    if (!parent) return path[0]?.id ?? null;
    const i = path.findIndex((c) => c.id === parent);
    return i < 0 ? null : (path[i + 1]?.id ?? null);
  };
  const cat = new Map<string, number>();
  const kec = new Map<string, number>();
  const kind = new Map<string, number>();
  let halal = 0;
  let inStock = 0;
  for (const r of rows) {
    const b = bucketOf(r.category_id);
    if (b) cat.set(b, (cat.get(b) ?? 0) + r.n);
    if (r.kecamatan_code) kec.set(r.kecamatan_code, (kec.get(r.kecamatan_code) ?? 0) + r.n);
    if (r.store_kind) kind.set(r.store_kind, (kind.get(r.store_kind) ?? 0) + r.n);
    if (r.halal) halal += r.n;
    if (r.in_stock) inStock += r.n;
  }
  const categoryOrder = [...ref.categories.keys()];
  return {
    category: [...cat.entries()]
      .sort((a, b) => categoryOrder.indexOf(a[0]) - categoryOrder.indexOf(b[0]))
      .map(([id, count]) => ({ id, label: categoryLabel(ref.categories.get(id) as CategoryNode, locale), count })),
    kecamatan: [...kec.entries()]
      .map(([id, count]) => ({ id, label: ref.kecamatan.get(id) ?? id, count }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    halal,
    inStock,
    kind: (['umkm', 'koperasi'] as const).filter((k) => kind.has(k)).map((k) => ({ id: k, label: k, count: kind.get(k) as number })),
  };
}

interface CardRow {
  id: string;
  name: string;
  slug: string;
  min_price: string | bigint;
  in_stock: boolean;
  halal: boolean;
  sold_count: number;
  category_id: string | null;
  created_at: Date;
  store_id: string;
  store_name: string;
  store_slug: string;
  store_kind: 'umkm' | 'koperasi';
  photo_id: string | null;
}

function toCard(r: CardRow): ProductCard {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    url: productUrl(r.store_slug, r.slug),
    price: Number(r.min_price),
    storeId: r.store_id,
    storeName: r.store_name,
    storeSlug: r.store_slug,
    kind: r.store_kind,
    categoryId: r.category_id,
    photo: r.photo_id ? photoUrl(r.photo_id, 'small') : null,
    inStock: r.in_stock,
    halal: !!r.halal,
    soldCount: r.sold_count,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const CARD_COLUMNS = sql`p.id, p.name, p.slug, p.min_price, p.in_stock, coalesce(p.halal_until >= (now() at time zone 'Asia/Jakarta')::date, false) as halal,
  p.sold_count, p.category_id, p.created_at, p.store_id, s.name as store_name, s.slug as store_slug, s.organization_kind as store_kind,
  (select ph.id from market_product_photos ph where ph.product_id = p.id order by ph.position, ph.created_at limit 1) as photo_id`;

/** The cards of these products, in this order (a page picked by id). */
async function cardsById(exec: Exec, ids: string[]): Promise<ProductCard[]> {
  if (!ids.length) return [];
  const r = await sql<CardRow>`
    select ${CARD_COLUMNS} from market_products p join market_stores s on s.id = p.store_id
    where p.id = any(${ids}::uuid[])`.execute(exec);
  const byId = new Map(r.rows.map((x) => [x.id, x]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toCard(row)] : [];
  });
}

/** Normalises user input (the API validates types; this clamps and trims). */
export function normalize(p: SearchParams): SearchParams & { sort: Sort; page: number; pageSize: number } {
  const q = (p.q ?? '').trim().slice(0, 100);
  const page = Math.min(MAX_PAGE, Math.max(1, Math.floor(p.page ?? 1) || 1));
  const pageSize = Math.min(60, Math.max(1, Math.floor(p.pageSize ?? PAGE_SIZE) || PAGE_SIZE));
  const sort: Sort = p.sort && (SORTS as readonly string[]).includes(p.sort) ? p.sort : q ? 'relevance' : 'bestselling';
  if (p.minPrice !== undefined && p.maxPrice !== undefined && p.minPrice > p.maxPrice) {
    throw new AppError('validation_failed', 'error.validation', {}, undefined, [{ field: 'minPrice', message: 'market.minAboveMax' }]);
  }
  return { ...p, q: q || undefined, page, pageSize, sort };
}

// ---------------------------------------------------------------------------------------------
// Search through the in-process index

/** Facet rows (one dimension each) of the index's counts, for buildFacets. */
function countRows(c: {
  category?: Map<string, number>;
  kecamatan?: Map<string, number>;
  kind?: Map<string, number>;
  halal?: number;
  inStock?: number;
}): FacetRow[] {
  const row = (x: Partial<FacetRow>): FacetRow => ({
    category_id: null,
    kecamatan_code: null,
    store_kind: null,
    halal: false,
    in_stock: false,
    n: 0,
    ...x,
  });
  return [
    ...[...(c.category ?? [])].map(([category_id, n]) => row({ category_id, n })),
    ...[...(c.kecamatan ?? [])].map(([kecamatan_code, n]) => row({ kecamatan_code, n })),
    ...[...(c.kind ?? [])].map(([store_kind, n]) => row({ store_kind, n })),
    row({ halal: true, n: c.halal ?? 0 }),
    row({ in_stock: true, n: c.inStock ?? 0 }),
  ];
}

/** The search answered by the index; null when the query needs the database (phrases). */
async function indexedSearch(
  db: Exec,
  index: ProductIndex,
  p: ReturnType<typeof normalize>,
  ref: RefData,
  words: string[],
  locale: Locale,
): Promise<SearchResult | null> {
  const run = (tree: QNode | 'empty' | null): IndexResult | null =>
    tree === 'empty'
      ? { counts: { total: 0, category: new Map(), kecamatan: new Map(), kind: new Map(), halal: 0, inStock: 0 }, ids: [] }
      : index.search({
          tree,
          categories: p.category ? descendants(ref, p.category) : undefined,
          kecamatan: p.kecamatan,
          halal: p.halal,
          inStock: p.inStock,
          kind: p.kind,
          minPrice: p.minPrice,
          maxPrice: p.maxPrice,
          storeId: p.storeId,
          sort: p.sort,
          offset: (p.page - 1) * p.pageSize,
          limit: p.pageSize,
        });
  const result = async (match: SearchResult['match'], r: IndexResult): Promise<SearchResult> => {
    const facets = buildFacets(countRows(r.counts), ref, p, locale);
    if (r.kecamatanWithout) facets.kecamatan = buildFacets(countRows({ kecamatan: r.kecamatanWithout }), ref, p, locale).kecamatan;
    if (r.kindWithout) facets.kind = buildFacets(countRows({ kind: r.kindWithout }), ref, p, locale).kind;
    return {
      items: await cardsById(db, r.ids),
      total: r.counts.total,
      approximate: false,
      page: p.page,
      pageSize: p.pageSize,
      sort: p.sort,
      match,
      facets,
    };
  };
  if (!words.length) {
    const all = run(null);
    return all && result('none', all);
  }
  const [tree] = await tsqueryTrees(db, 'websearch', [p.q as string]);
  if (tree === null || tree === undefined) return null;
  const first = run(tree);
  if (!first) return null;
  if (first.counts.total >= TYPO_FALLBACK_BELOW) return result('fulltext', first);
  // The corrections are kept by the index until its feed reports a product write (the vocabulary
  // grows only then), so a repeated typo costs no trigram lookup.
  const alternatives = await index.typos.get(words.join(' '), () => closestWords(db, 'market_search_words', words));
  if (!alternatives) return result('fulltext', first);
  const corrected = await correctedTree(db, words, alternatives);
  if (corrected === null) return null;
  const second = run(corrected);
  if (!second) return null;
  if (second.counts.total <= first.counts.total) return result('fulltext', first);
  return result('typo', second);
}

export async function searchProducts(db: Exec, input: SearchParams, locale: Locale): Promise<SearchResult> {
  const p = normalize(input);
  const ref = await refData(db);
  const words = p.q ? searchWords(p.q) : [];
  const index = await searchIndex(db as Kysely<Database>);
  if (index) {
    const answered = await indexedSearch(db, index, p, ref, words, locale);
    if (answered) return answered;
  }
  const keyOf = (stage: string, f: SearchParams = p) =>
    JSON.stringify([stage, f.q, f.category, f.kecamatan, f.halal, f.inStock, f.kind, f.minPrice, f.maxPrice, f.storeId]);
  const whereOf = (f: SearchParams, tsquery: RawBuilder<unknown> | null, forCount = true) =>
    sql.join(
      [...filters(f, ref, forCount), ...(tsquery ? [sql<SqlBool>`p.search_tsv @@ ${tsquery}`] : [])],
      sql` and `,
    ) as RawBuilder<SqlBool>;

  const offset = (p.page - 1) * p.pageSize;
  const page = (exec: Exec, where: RawBuilder<SqlBool>, rank: RawBuilder<unknown> | null, collect = false) =>
    sql<CardRow>`
      select ${CARD_COLUMNS}
      from (select p.* from market_products p where ${where}
            order by ${orderBy(p.sort, rank, collect)} limit ${p.pageSize} offset ${offset}) p
      join market_stores s on s.id = p.store_id
      order by ${orderBy(p.sort, rank)}`
      .execute(exec)
      .then((r) => r.rows.map(toCard));
  // Facets of a chosen kecamatan or store kind are counted without that choice (disjunctive), so
  // the other kecamatan stay listed with what choosing them would show — one more count each.
  const result = async (
    stage: SearchResult['match'],
    counts: FacetCounts,
    items: ProductCard[],
    tsquery: RawBuilder<unknown> | null,
  ): Promise<SearchResult> => {
    const facets = buildFacets(counts.rows, ref, p, locale);
    await Promise.all(
      (['kecamatan', 'kind'] as const)
        .filter((dim) => p[dim] !== undefined)
        .map(async (dim) => {
          const without = { ...p, [dim]: undefined };
          const rows = (await facetRows(db, whereOf(without, tsquery), keyOf(stage, without))).rows;
          if (dim === 'kecamatan') facets.kecamatan = buildFacets(rows, ref, p, locale).kecamatan;
          else facets.kind = buildFacets(rows, ref, p, locale).kind;
        }),
    );
    return {
      items,
      total: counts.total,
      approximate: counts.approximate,
      page: p.page,
      pageSize: p.pageSize,
      sort: p.sort,
      match: stage,
      facets,
    };
  };
  // Counts first, they decide the plan. Counted exactly (at most ~2 × EXACT_COUNT_MAX matches), the
  // same statement has picked the page's ids from the matches (ranked by ts_rank_cd for relevance
  // while ≤ RANK_MAX), and the cards are read by id. Estimated from a sample or cached: few matches
  // (≤ RANK_MAX) → collect and sort them; many → walk the sort index (relevance then means
  // best-selling), since ranking or sorting a hundred thousand matches would cost more than the
  // latency budget.
  const stage = async (tsquery: RawBuilder<unknown> | null, key: string) => {
    const facets = await facetRows(db, whereOf(p, tsquery), key, { sort: p.sort, rank: tsquery, limit: p.pageSize, offset });
    let items: ProductCard[] = [];
    if (facets.ids) items = await cardsById(db, facets.ids);
    else if (facets.total > offset) {
      const many = facets.total > RANK_MAX;
      items = await page(db, whereOf(p, tsquery, !many), many ? null : tsquery, !many);
    }
    return { facets, items, tsquery };
  };

  // No words: filters (or nothing) only.
  if (!words.length) {
    const only = await stage(null, keyOf('none'));
    return result('none', only.facets, only.items, null);
  }
  // Stage 1: full text.
  const first = await stage(sql`websearch_to_tsquery('indonesian', ${p.q as string})`, keyOf('fulltext'));
  const firstResult = () => result('fulltext', first.facets, first.items, first.tsquery);
  if (first.facets.total >= TYPO_FALLBACK_BELOW) return firstResult();
  // Stage 2 (typo tolerant): the words or their closest vocabulary words; kept only when it finds more.
  const corrected = await correctedQuery(db, words);
  if (!corrected) return firstResult();
  const second = await stage(corrected, keyOf('typo'));
  if (second.facets.total <= first.facets.total) return firstResult();
  return result('typo', second.facets, second.items, corrected);
}

interface BestSeller {
  id: string;
  name: string;
  slug: string;
  store_name: string;
  store_slug: string;
  /** The name's words, lower case (as the 'simple' text configuration splits them). */
  words: string[];
}
/** How long the best sellers' names are kept for suggestions (per database handle). */
export const BEST_SELLERS_MS = 60_000;
let bestSellerCache = new WeakMap<object, { at: number; rows: Promise<BestSeller[]> }>();

/** The SUGGEST_TOP best-selling live products, best first (cached for BEST_SELLERS_MS). */
function bestSellers(db: Exec): Promise<BestSeller[]> {
  const hit = bestSellerCache.get(db);
  if (hit && Date.now() - hit.at < BEST_SELLERS_MS) return hit.rows;
  const rows = sql<Omit<BestSeller, 'words'>>`
    select p.id, p.name, p.slug, s.name as store_name, s.slug as store_slug
    from (select p.id, p.name, p.slug, p.store_id, p.sold_count from market_products p
          where ${LIVE} order by p.sold_count desc, p.id limit ${SUGGEST_TOP}) p
    join market_stores s on s.id = p.store_id
    order by p.sold_count desc, p.id`
    .execute(db)
    .then((r) =>
      r.rows.map((x) => ({
        ...x,
        words: x.name
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter(Boolean),
      })),
    );
  bestSellerCache.set(db, { at: Date.now(), rows });
  rows.catch(() => bestSellerCache.delete(db));
  return rows;
}

/** As-you-type suggestions (≤ 8): name prefix by full text, then trigram similarity for typos. */
export async function suggestProducts(db: Exec, qRaw: string, limit = 8) {
  const q = qRaw.trim().slice(0, 60);
  const words = searchWords(q);
  if (!words.length || q.length < 2) return [];
  const prefix = words.map((w) => `${w.replace(/[^\p{L}\p{N}]/gu, '')}:*`).join(' & ');
  type Row = { id: string; name: string; slug: string; store_name: string; store_slug: string };
  const seen = new Set<string>();
  const out: { id: string; name: string; url: string; storeName: string }[] = [];
  const add = (rows: Row[]) => {
    for (const r of rows) {
      const k = r.name.toLowerCase();
      if (seen.has(k) || out.length >= limit) continue;
      seen.add(k);
      out.push({ id: r.id, name: r.name, url: productUrl(r.store_slug, r.slug), storeName: r.store_name });
    }
  };
  // Word prefixes of the name. First among the SUGGEST_TOP best-selling products, kept in memory
  // for BEST_SELLERS_MS (a short prefix such as "ke" matches a fifth of a large catalogue: collecting
  // its matches took ~50 ms at 1,000,000 products, reading the best sellers' names ~30 ms); the
  // picks are checked to be still visible before they are shown.
  const stems = words.map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  const picks: Row[] = [];
  const names = new Set<string>();
  for (const r of await bestSellers(db)) {
    if (picks.length >= 2 * limit) break;
    if (names.has(r.name.toLowerCase()) || !stems.every((w) => r.words.some((x) => x.startsWith(w)))) continue;
    names.add(r.name.toLowerCase());
    picks.push(r);
  }
  if (picks.length) {
    const live = await sql<{ id: string }>`
      select p.id from market_products p where p.id = any(${picks.map((r) => r.id)}::uuid[]) and ${LIVE}`.execute(db);
    const ids = new Set(live.rows.map((r) => r.id));
    add(picks.filter((r) => ids.has(r.id)));
  }
  if (out.length >= limit) return out;
  // Then the first SUGGEST_SCAN matches anywhere, by best-selling. Bitmap scans of the GIN index
  // only: on a large table the planner may otherwise walk the sold-count index and filter.
  const first = await db.transaction().execute(async (trx) => {
    await searchSettings(trx);
    // Bitmap scans of the GIN index only (with a small LIMIT the planner likes walking a btree).
    await sql`select set_config('enable_indexscan', 'off', true)`.execute(trx);
    return sql<Row>`
      select p.id, p.name, p.slug, s.name as store_name, s.slug as store_slug
      from (select p.id, p.name, p.slug, p.store_id, p.sold_count from market_products p
            where ${LIVE} and p.name_tsv @@ to_tsquery('simple', ${prefix}) limit ${SUGGEST_SCAN}) p
      join market_stores s on s.id = p.store_id order by p.sold_count desc, p.id limit ${limit * 4}`.execute(trx);
  });
  add(first.rows);
  if (out.length >= limit || q.length < 3) return out;
  // Typos: trigram word similarity on the name (threshold set for one transaction).
  // Typos: trigram word similarity on the name, with the same time budget as the search's typo stage.
  let more: { rows: Row[] };
  try {
    more = await db.transaction().execute(async (trx) => {
      await searchSettings(trx);
      await sql`select set_config('enable_indexscan', 'off', true), set_config('statement_timeout', ${`${TYPO_TIMEOUT_MS}ms`}, true)`.execute(
        trx,
      );
      return sql<Row>`
        select p.id, p.name, p.slug, s.name as store_name, s.slug as store_slug
        from (select p.id, p.name, p.slug, p.store_id, p.sold_count, word_similarity(${q}, p.name) as sim from market_products p
              where ${LIVE} and ${q} <% p.name limit ${SUGGEST_SCAN}) p
        join market_stores s on s.id = p.store_id order by p.sim desc, p.sold_count desc limit ${limit * 4}`.execute(trx);
    });
  } catch (err) {
    if ((err as { code?: string }).code !== '57014') throw err;
    more = { rows: [] };
  }
  add(more.rows);
  return out;
}
