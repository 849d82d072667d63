import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Alternatives } from '../../platform/search.js';
import {
  arena,
  FeedMemo,
  intersect,
  LiveIndex,
  loadInBatches,
  minus,
  Postings,
  pruneRemovals,
  type QNode,
  readFeed,
  type SlotSet,
  TopK,
} from '../../platform/text-index.js';

/**
 * The in-process search index of the live marketplace products (ADR 0014): what a search needs to
 * match, filter, count and order — the words of each product's `search_tsv` (lexemes with their
 * best weight) and its filter and sort columns — held in typed arrays by every app process, so a
 * search with its facet counts costs a few milliseconds of this process instead of tens of
 * milliseconds of PostgreSQL visiting every matching row. PostgreSQL stays the truth: the index
 * is loaded from market_products, follows it through the change feed of migration 0026 before
 * every search (a search sees every change committed before it started), and the cards of a page
 * are read from the database by id. Words are stemmed by PostgreSQL (the query's tsquery text is
 * asked for once per query string), so matching is exactly the database's `@@`.
 *
 * Slots are append-only: a changed product gets a new slot and its old one is marked dead, so
 * posting lists stay sorted without being rewritten; the index reloads itself in the background
 * when a quarter of the slots are dead, and every RELOAD_MS in any case.
 */

type Db = Kysely<Database>;

/** One product row as the index reads it. */
interface ProductRow {
  id: string;
  store_id: string;
  category_id: string | null;
  kecamatan_code: string | null;
  store_kind: string | null;
  halal_until: string | null;
  min_price: string | bigint;
  in_stock: boolean;
  sold_count: number;
  created_us: string | bigint;
  tsv: string;
  live: boolean;
}

const ROW_COLUMNS = sql`p.id::text as id, p.store_id::text as store_id, p.category_id, p.kecamatan_code, p.store_kind,
  p.halal_until::text as halal_until, p.min_price, p.in_stock, p.sold_count, (extract(epoch from p.created_at) * 1000000)::int8 as created_us, p.search_tsv::text as tsv,
  (p.status = 'active' and p.store_open) as live`;

/** Days since 1970-01-01 of a date's text ('infinity' → the largest day, null → none). */
function dayOf(text: string | null): number {
  if (text === null) return -1;
  if (text === 'infinity') return 2 ** 31 - 1;
  if (text === '-infinity') return -1;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** Today in Malang (Asia/Jakarta, UTC+7 all year), as days since 1970-01-01. */
export const jakartaToday = () => Math.floor((Date.now() + 7 * 3600_000) / 86_400_000);

// ---------------------------------------------------------------------------------------------
// The index

export interface IndexQuery {
  tree: QNode | null;
  /** Category ids allowed (the chosen category and below); undefined: any. */
  categories?: string[];
  kecamatan?: string;
  halal?: boolean;
  inStock?: boolean;
  kind?: 'umkm' | 'koperasi';
  minPrice?: number;
  maxPrice?: number;
  storeId?: string;
  sort: 'relevance' | 'newest' | 'price_asc' | 'price_desc' | 'bestselling';
  offset: number;
  limit: number;
}

/** Counts of one dimension: value → number of matches. */
export interface IndexCounts {
  total: number;
  category: Map<string, number>;
  kecamatan: Map<string, number>;
  kind: Map<string, number>;
  halal: number;
  inStock: number;
}

export interface IndexResult {
  counts: IndexCounts;
  /** Kecamatan counts without the kecamatan filter (when one is chosen). */
  kecamatanWithout?: Map<string, number>;
  /** Store kind counts without the kind filter (when one is chosen). */
  kindWithout?: Map<string, number>;
  /** The page's product ids, in order. */
  ids: string[];
}

const KINDS = ['', 'umkm', 'koperasi'];

// A slot's filter facts packed in one 32-bit word: alive, in stock, halal today, store kind,
// kecamatan (7 bits) and category (10 bits). Its "group" (bits 1–11: stock, halal, kind,
// kecamatan) is what the facet counts are kept by.
const ALIVE = 1;
const STOCK = 2;
const HALAL = 4;
const KIND_SHIFT = 3;
const KEC_SHIFT = 5;
const CAT_SHIFT = 12;
const GROUPS = 2048;
const groupOf = (a: number) => (a >>> 1) & (GROUPS - 1);
const MAX_KECAMATAN = 127;
const MAX_CATEGORIES = 1023;
/** A browse without words walks the sort order while it expects to find its page within this many slots. */
const WALK_MAX = 200_000;

type Order = 'sold' | 'created' | 'price';

/** What a scan filters by and counts into (see ProductIndex.search). */
interface ScanFilter {
  attr: Uint32Array;
  excluded: Uint8Array | null;
  catMask: Uint8Array | null;
  priced: boolean;
  minPrice: number;
  maxPrice: number;
  price: Float64Array;
  groupOk: Uint8Array;
  hist: Int32Array;
  catCount: Int32Array;
  /** Sort key of a slot: factor × keys[slot], or with scores (aligned with the list) score × 10^10 + sold[slot]. */
  keys: Float64Array;
  factor: number;
  scores: Float64Array | null;
  sold: Float64Array;
}

/** Visits slots [from, to) of `list` (or the slots themselves): filters, counts (`count`) and offers to the page. */
function scanSlots(f: ScanFilter, list: Int32Array | null, from: number, to: number, count: boolean, top: TopK) {
  const { attr, excluded, catMask, priced, minPrice, maxPrice, price, groupOk, hist, catCount, keys, factor, scores, sold } = f;
  for (let i = from; i < to; i++) {
    const s = list === null ? i : (list[i] as number);
    const a = attr[s] as number;
    if ((a & ALIVE) === 0) continue;
    if (excluded !== null && excluded[s] === 1) continue;
    if (catMask !== null && catMask[a >>> CAT_SHIFT] === 0) continue;
    if (priced) {
      const pr = price[s] as number;
      if (pr < minPrice || pr > maxPrice) continue;
    }
    const g = groupOf(a);
    if (count) hist[g]++;
    if (groupOk[g] === 0) continue;
    if (count) catCount[a >>> CAT_SHIFT]++;
    top.offer(s, scores !== null ? (scores[i] as number) * 1e10 + (sold[s] as number) : factor * (keys[s] as number));
  }
}

export class ProductIndex {
  /**
   * Typo corrections of search words from the vocabulary of product names (market_search_words,
   * which grows only when a product is written — a change this index's feed reports).
   */
  readonly typos = new FeedMemo<Alternatives | null>();
  size = 0;
  dead = 0;
  /** Slots [0, base) were loaded in id order (the sort orders cover them); later ones were appended by changes. */
  private base = 0;
  private cap = 0;
  ids: string[] = [];
  private attr = new Uint32Array(0);
  private halalDay = new Int32Array(0);
  private price = new Float64Array(0);
  private sold = new Float64Array(0);
  private created = new Float64Array(0);
  /** The day the HALAL bits were computed for. */
  private halalFor = jakartaToday();
  /** Live slots by (category, group): counts of a browse without words or prices. */
  private histogram = new Int32Array(1 << 21);
  private histogramKeys = new Set<number>();
  private orders = new Map<Order, Int32Array>();
  private slotOf = new Map<string, number>();
  private storeSlots = new Map<string, number[]>();
  private postings = new Postings();
  private catIds: string[] = [''];
  private catIdx = new Map<string, number>();
  private kecIds: string[] = [''];
  private kecIdx = new Map<string, number>();
  /** More kecamatan or categories than the packed word holds: the index does not answer. */
  overflow = false;

  private grow(min: number) {
    if (min <= this.cap) return;
    const cap = Math.max(1024, this.cap * 2, min);
    const copy = <T extends Uint32Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.attr = copy(this.attr, (n) => new Uint32Array(n));
    this.halalDay = copy(this.halalDay, (n) => new Int32Array(n));
    this.price = copy(this.price, (n) => new Float64Array(n));
    this.sold = copy(this.sold, (n) => new Float64Array(n));
    this.created = copy(this.created, (n) => new Float64Array(n));
    this.cap = cap;
  }

  private code(ids: string[], idx: Map<string, number>, value: string | null, max: number): number {
    if (value === null) return 0;
    let i = idx.get(value);
    if (i === undefined) {
      i = ids.length;
      if (i > max) {
        this.overflow = true;
        return 0;
      }
      ids.push(value);
      idx.set(value, i);
    }
    return i;
  }

  private count(a: number, by: number) {
    const key = a >>> 1;
    const n = (this.histogram[key] as number) + by;
    this.histogram[key] = n;
    if (n === 0) this.histogramKeys.delete(key);
    else this.histogramKeys.add(key);
  }

  /** Forgets a product (it was deleted, or is no longer live). */
  remove(id: string) {
    const old = this.slotOf.get(id);
    if (old === undefined) return;
    const a = this.attr[old] as number;
    this.count(a, -1);
    this.attr[old] = a & ~ALIVE;
    this.dead++;
    this.slotOf.delete(id);
  }

  /** Adds or replaces a product from its row. */
  apply(r: ProductRow) {
    this.remove(r.id);
    if (!r.live) return;
    const s = this.size;
    this.grow(s + 1);
    this.size = s + 1;
    this.ids[s] = r.id;
    const halalDay = dayOf(r.halal_until);
    const kind = r.store_kind === 'umkm' ? 1 : r.store_kind === 'koperasi' ? 2 : 0;
    const a =
      (ALIVE |
        (r.in_stock ? STOCK : 0) |
        (halalDay >= this.halalFor ? HALAL : 0) |
        (kind << KIND_SHIFT) |
        (this.code(this.kecIds, this.kecIdx, r.kecamatan_code, MAX_KECAMATAN) << KEC_SHIFT) |
        (this.code(this.catIds, this.catIdx, r.category_id, MAX_CATEGORIES) << CAT_SHIFT)) >>>
      0;
    this.attr[s] = a;
    this.count(a, 1);
    this.halalDay[s] = halalDay;
    this.price[s] = Number(r.min_price);
    this.sold[s] = r.sold_count;
    this.created[s] = Number(r.created_us);
    this.slotOf.set(r.id, s);
    const store = this.storeSlots.get(r.store_id);
    if (store) store.push(s);
    else this.storeSlots.set(r.store_id, [s]);
    this.postings.add(s, r.tsv);
  }

  /** Marks the end of the full load: slots so far are in id order; their sort orders are built. */
  async sealLoad() {
    this.base = this.size;
    this.orders.clear();
    // Built now, one at a time between requests (~0.3 s each at 1,000,000 products), so no search waits for one.
    for (const o of ['sold', 'created', 'price'] as const) {
      this.order(o);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Slots [0, base) by sales (desc), creation (desc) or price (asc), ties by id (= slot) ascending. */
  private order(o: Order): Int32Array {
    let perm = this.orders.get(o);
    if (perm) return perm;
    perm = new Int32Array(this.base);
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    const { sold, created, price } = this;
    if (o === 'sold') perm.sort((a, b) => (sold[b] as number) - (sold[a] as number) || a - b);
    else if (o === 'created') perm.sort((a, b) => (created[b] as number) - (created[a] as number) || a - b);
    else perm.sort((a, b) => (price[a] as number) - (price[b] as number) || a - b);
    this.orders.set(o, perm);
    return perm;
  }

  /** Recomputes the HALAL bits when the day has changed (documents expire at midnight). */
  private refreshHalal() {
    const today = jakartaToday();
    if (today === this.halalFor) return;
    this.halalFor = today;
    this.histogram.fill(0);
    this.histogramKeys.clear();
    const { attr, halalDay } = this;
    for (let s = 0; s < this.size; s++) {
      const a = attr[s] as number;
      const b = ((halalDay[s] as number) >= today ? a | HALAL : a & ~HALAL) >>> 0;
      attr[s] = b;
      if (b & ALIVE) this.count(b, 1);
    }
  }

  /**
   * Matches, filter counts (disjunctive for kecamatan and kind) and the page of a query; null when
   * the index cannot answer (overflow).
   */
  search(q: IndexQuery): IndexResult | null {
    if (this.overflow) return null;
    arena.reset();
    this.refreshHalal();
    // Candidates: the words' matches, the store's products, or every slot (less an excluded set).
    // Relevance: each match scored by the summed weights of the query's lexemes it has (as
    // ts_rank, without word positions), carried through the set operations.
    const ranked = q.sort === 'relevance' && q.tree !== null;
    let matches: SlotSet | null = null;
    let negated: Int32Array | null = null;
    if (q.tree) {
      const set = this.postings.evaluate(q.tree, ranked);
      if (set.neg) negated = set.s;
      else matches = set;
    }
    if (q.storeId !== undefined) {
      const of = this.storeSlots.get(q.storeId) ?? [];
      const slots = arena.int32(of.length);
      slots.set(of);
      const store: SlotSet = { neg: false, s: slots, w: ranked ? arena.float64(of.length).fill(0) : null };
      matches = matches ? intersect(matches, store) : negated ? minus(store, { neg: false, s: negated, w: null }) : store;
      negated = null;
    }
    const list = matches ? matches.s : null;
    let excluded: Uint8Array | null = null;
    if (negated) {
      excluded = arena.uint8(this.size);
      for (let i = 0; i < negated.length; i++) excluded[negated[i] as number] = 1;
    }
    let catMask: Uint8Array | null = null;
    if (q.categories) {
      catMask = arena.uint8(this.catIds.length);
      for (const c of q.categories) {
        const i = this.catIdx.get(c);
        if (i !== undefined) catMask[i] = 1;
      }
    }
    // Which groups pass the kecamatan, kind, halal and stock filters — all of them, all but the
    // kecamatan, all but the kind (the disjunctive facets).
    const kecWanted = q.kecamatan === undefined ? -1 : (this.kecIdx.get(q.kecamatan) ?? -2);
    const kindWanted = q.kind === undefined ? -1 : KINDS.indexOf(q.kind);
    const groupOk = arena.uint8(GROUPS);
    const groupOkAnyKec = arena.uint8(GROUPS);
    const groupOkAnyKind = arena.uint8(GROUPS);
    for (let g = 0; g < GROUPS; g++) {
      const a = g << 1;
      if (q.inStock && !(a & STOCK)) continue;
      if (q.halal && !(a & HALAL)) continue;
      const kecOk = kecWanted === -1 || a >>> KEC_SHIFT === kecWanted;
      const kindOk = kindWanted === -1 || ((a >>> KIND_SHIFT) & 3) === kindWanted;
      groupOk[g] = kecOk && kindOk ? 1 : 0;
      groupOkAnyKec[g] = kindOk ? 1 : 0;
      groupOkAnyKind[g] = kecOk ? 1 : 0;
    }
    const minPrice = q.minPrice ?? Number.NEGATIVE_INFINITY;
    const maxPrice = q.maxPrice ?? Number.POSITIVE_INFINITY;
    const priced = q.minPrice !== undefined || q.maxPrice !== undefined;

    const hist = arena.zeros32(GROUPS);
    const catCount = arena.zeros32(this.catIds.length);

    const { sold, created, price, ids, attr } = this;

    // The page: the best k matches by a numeric key (larger is better) — score × 10^10 + sales for
    // relevance, else ± the sort column — with ids breaking ties.
    const sort = q.sort;
    const k = q.offset + q.limit;
    const top = new TopK(k, ids, sort === 'price_desc', this.base);
    const keys = sort === 'newest' ? created : sort === 'price_asc' || sort === 'price_desc' ? price : sold;
    const factor = sort === 'price_asc' ? -1 : 1;
    const scores = ranked && matches ? matches.w : null;
    const filter: ScanFilter = {
      attr,
      excluded,
      catMask,
      priced,
      minPrice,
      maxPrice,
      price,
      groupOk,
      hist,
      catCount,
      keys,
      factor,
      scores,
      sold,
    };
    const scan = (from: number, to: number, useList: boolean, count: boolean) =>
      scanSlots(filter, useList ? list : null, from, to, count, top);

    let walked: number[] | null = null;
    if (list) scan(0, list.length, true, true);
    else if (!excluded && !priced) {
      // A browse: counts from the histogram of live slots, the page from the sort order.
      for (const key of this.histogramKeys) {
        const c = key >>> 11;
        if (catMask !== null && catMask[c] === 0) continue;
        const g = key & (GROUPS - 1);
        const n = this.histogram[key] as number;
        hist[g] += n;
        if (groupOk[g]) catCount[c] += n;
      }
      let matching = 0;
      for (let g = 0; g < GROUPS; g++) if (groupOk[g]) matching += hist[g] as number;
      if (k > 0 && matching > 0 && (k * this.base) / matching <= WALK_MAX) {
        walked = [];
        const perm = this.order(sort === 'newest' ? 'created' : sort === 'price_asc' || sort === 'price_desc' ? 'price' : 'sold');
        const backwards = sort === 'price_desc';
        for (let j = 0; j < perm.length && walked.length < k; j++) {
          const s = perm[backwards ? perm.length - 1 - j : j] as number;
          const a = attr[s] as number;
          if ((a & ALIVE) === 0 || (catMask !== null && catMask[a >>> CAT_SHIFT] === 0) || groupOk[groupOf(a)] === 0) continue;
          walked.push(s);
        }
        scan(this.base, this.size, false, false); // slots appended since the load, by the heap
      } else if (k > 0 && matching > 0) scan(0, this.size, false, false);
    } else scan(0, this.size, false, true);

    const page = top.sorted(walked ?? [], (s) => factor * (keys[s] as number));

    // Counts by dimension from the groups.
    const kecCount = arena.zeros32(this.kecIds.length);
    const kindCount = arena.zeros32(3);
    const kecWithout = kecWanted !== -1 ? arena.zeros32(this.kecIds.length) : null;
    const kindWithout = kindWanted !== -1 ? arena.zeros32(3) : null;
    let total = 0;
    let halal = 0;
    let inStock = 0;
    for (let g = 0; g < GROUPS; g++) {
      const n = hist[g] as number;
      if (n === 0) continue;
      const a = g << 1;
      const kc = a >>> KEC_SHIFT;
      const kd = (a >>> KIND_SHIFT) & 3;
      if (kecWithout && groupOkAnyKec[g]) kecWithout[kc] += n;
      if (kindWithout && groupOkAnyKind[g]) kindWithout[kd] += n;
      if (!groupOk[g]) continue;
      total += n;
      kecCount[kc] += n;
      kindCount[kd] += n;
      if (a & HALAL) halal += n;
      if (a & STOCK) inStock += n;
    }
    const toMap = (counts: Int32Array, names: string[]) => {
      const m = new Map<string, number>();
      for (let i = 1; i < counts.length; i++) if (counts[i]) m.set(names[i] as string, counts[i] as number);
      return m;
    };
    return {
      counts: {
        total,
        category: toMap(catCount, this.catIds),
        kecamatan: toMap(kecCount, this.kecIds),
        kind: toMap(kindCount, KINDS),
        halal,
        inStock,
      },
      kecamatanWithout: kecWithout ? toMap(kecWithout, this.kecIds) : undefined,
      kindWithout: kindWithout ? toMap(kindWithout, KINDS) : undefined,
      ids: page.slice(q.offset, k).map((x) => ids[x] as string),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Loading and following the database

/** Reads every live product into a new index (inside LiveIndex's snapshot). */
async function load(trx: Transaction<Database>): Promise<ProductIndex> {
  const index = new ProductIndex();
  await loadInBatches(
    async (after, limit) =>
      (
        await sql<ProductRow>`
          select ${ROW_COLUMNS} from market_products p
          where p.id > ${after}::uuid and p.status = 'active' and p.store_open
          order by p.id limit ${limit}`.execute(trx)
      ).rows,
    (row) => index.apply(row),
  );
  await index.sealLoad();
  return index;
}

/** Applies the changes committed since the last read (migration 0026's feed). */
function sync(db: Db, index: ProductIndex, since: string): Promise<string> {
  return readFeed<ProductRow>(db, since, {
    nullColumns: sql`null::text as store_id, null::text as category_id, null::text as kecamatan_code, null::text as store_kind,
      null::text as halal_until, null::bigint as min_price, null::boolean as in_stock, null::int as sold_count,
      null::int8 as created_us, null::text as tsv, null::boolean as live`,
    removed: { table: 'market_search_removed', id: 'product_id' },
    changed: (from) => sql`${ROW_COLUMNS} from market_products p where p.search_xid >= ${from}::xid8`,
    remove: (id) => {
      index.typos.changed();
      index.remove(id);
    },
    apply: (row) => {
      index.typos.changed();
      index.apply(row);
    },
  });
}

/** The live index of products (exported for the module's start-up). */
export const productIndex = new LiveIndex<ProductIndex>('marketplace search', {
  load,
  sync,
  beforeReload: (db) => pruneRemovals(db, 'market_search_removed'),
});

/**
 * Starts loading the index of this database (once per handle); resolves when it is ready.
 * Searches use it from then on (searchIndex(db) below).
 */
export const startSearchIndex = (db: Db) => productIndex.start(db);

/** Stops using the index of this database (app close; tests). */
export const stopSearchIndex = (db: Db) => productIndex.stop(db);

/**
 * The ready index of this database, brought up to date with every change committed before this
 * call; null while it loads or when it was never started.
 */
export const searchIndex = (db: Db) => productIndex.current(db);
