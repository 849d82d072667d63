import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';

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

/** A parsed tsquery: lexemes joined by &, | and !. Phrases (<->), prefixes and weights are not kept. */
export type QNode = { t: 'lex'; lex: string } | { t: 'and' | 'or'; a: QNode; b: QNode } | { t: 'not'; a: QNode };

/** Rows per batch of the full load, and per slice applied between requests. */
const LOAD_BATCH = 20_000;
const APPLY_SLICE = 1_000;
/** A full reload at least this often (it also drops what the change feed may have missed). */
export const RELOAD_MS = 6 * 3600_000;
/** Weights of a lexeme's best occurrence, as ts_rank's defaults ({D, C, B, A}). */
const WEIGHT_OF = new Float64Array([0.1, 0.2, 0.4, 1.0]);

interface Posting {
  slots: Int32Array;
  weights: Uint8Array;
  n: number;
}

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

/** The lexemes of a tsvector's text form with their best weight (3 = A … 0 = D). */
export function parseTsvector(text: string): [string, number][] {
  const out: [string, number][] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    let lex = '';
    i++;
    for (;;) {
      const j = text.indexOf("'", i);
      if (j < 0) return out;
      if (text[j + 1] === "'") {
        lex += text.slice(i, j + 1);
        i = j + 2;
        continue;
      }
      lex += text.slice(i, j);
      i = j + 1;
      break;
    }
    let w = 0;
    if (text[i] === ':') {
      while (i < n && text[i] !== ' ') {
        const c = text.charCodeAt(i);
        if (c >= 65 && c <= 68) w = Math.max(w, 3 - (c - 65)); // A=3, B=2, C=1, D=0
        i++;
      }
    }
    out.push([lex.replace(/\\(.)/g, '$1'), w]);
  }
  return out;
}

/**
 * A tsquery's text form (`'a' & ( 'b' | 'c' ) & !'d'`) as a tree; 'empty' for a query of stop
 * words only; null for what the index does not evaluate (phrases, prefixes, weight restrictions) —
 * the search then asks the database. One phrase is evaluated: a hyphenated word, which the parser
 * turns into the whole word followed by its parts (`'oleh-oleh' <-> 'oleh' <-> 'oleh'`). A product
 * has the whole word only where its text has that hyphenated word, and then the parts right after
 * it, so the phrase matches exactly the products with the whole word.
 */
export function parseTsquery(text: string): QNode | 'empty' | null {
  const tokens: string[] = [];
  const re = /\s*(?:('(?:[^']|'')*')(:[*A-D]+)?|(<\d+>|<->)|([&|!()]))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    m = re.exec(text);
    if (!m) return null;
    pos = re.lastIndex;
    // Prefixes and weight restrictions (m[2]) are left to the database.
    if (m[2]) return null;
    tokens.push((m[1] ?? m[3] ?? m[4]) as string);
  }
  if (!tokens.length) return 'empty';
  let k = 0;
  const peek = () => tokens[k];
  const primary = (): QNode | null => {
    const t = tokens[k++];
    if (t === undefined) return null;
    if (t === '!') {
      const a = primary();
      return a ? { t: 'not', a } : null;
    }
    if (t === '(') {
      const a = or();
      if (tokens[k++] !== ')') return null;
      return a;
    }
    if (t.startsWith("'")) return { t: 'lex', lex: t.slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1') };
    return null;
  };
  // A phrase: only a hyphenated word and its parts (see above); any other phrase is not evaluated.
  const phrase = (): QNode | null => {
    const a = primary();
    if (!a || peek() !== '<->') return a;
    if (a.t !== 'lex' || !a.lex.includes('-')) return null;
    let followers = 0;
    while (peek() === '<->') {
      k++;
      const b = primary();
      if (b?.t !== 'lex') return null;
      followers++;
    }
    // Exactly its parts follow (stemmed, so compared by number): "oleh-oleh malang" in quotes has one more.
    return followers === a.lex.split('-').length ? a : null;
  };
  // Operands of `next` joined left to right by `op` (& binds tighter than |).
  const joined = (next: () => QNode | null, op: '&' | '|', t: 'and' | 'or') => (): QNode | null => {
    let a = next();
    while (a && peek() === op) {
      k++;
      const b = next();
      a = b ? { t, a, b } : null;
    }
    return a;
  };
  const or = joined(joined(phrase, '&', 'and'), '|', 'or');
  const tree = or();
  return tree && k === tokens.length ? tree : null;
}

// ---------------------------------------------------------------------------------------------
// Sorted slot sets

const EMPTY = new Int32Array(0);
const EMPTY_W = new Float64Array(0);

/**
 * Scratch memory of one search, handed out from large buffers and taken back all at once when
 * the next search starts (search() is synchronous, so one search uses it at a time). Tens of
 * thousands of slots per set operation, freshly allocated each time, were memory outside the heap
 * that made the garbage collector run every ~200 ms under load.
 */
type Typed = Int32Array | Float64Array | Uint8Array;

/** One kind of typed array handed out in pieces of a buffer that grows (a new one) when full. */
class Pool<T extends Typed> {
  private buf: T;
  private at = 0;
  constructor(private make: (n: number) => T) {
    this.buf = make(1 << 18);
  }
  reset() {
    this.at = 0;
  }
  take(n: number): T {
    if (this.at + n > this.buf.length) {
      // Pieces already handed out keep the old buffer alive until the search ends.
      this.buf = this.make(Math.max(2 * this.buf.length, 2 * n));
      this.at = 0;
    }
    this.at += n;
    return this.buf.subarray(this.at - n, this.at) as T;
  }
}

class Arena {
  private i32 = new Pool((n) => new Int32Array(n));
  private f64 = new Pool((n) => new Float64Array(n));
  private u8 = new Pool((n) => new Uint8Array(n));
  reset() {
    this.i32.reset();
    this.f64.reset();
    this.u8.reset();
  }
  /** Contents undefined until written (callers write before they read). */
  int32(n: number): Int32Array {
    return this.i32.take(n);
  }
  float64(n: number): Float64Array {
    return this.f64.take(n);
  }
  /** Zero-filled. */
  uint8(n: number): Uint8Array {
    return this.u8.take(n).fill(0);
  }
  /** Zero-filled. */
  zeros32(n: number): Int32Array {
    return this.i32.take(n).fill(0);
  }
}
const arena = new Arena();

/**
 * A set of slots in ascending order, or everything but a set (`neg`). With `w`, each slot's score
 * (the summed weights of the query's lexemes it has) is carried alongside, for relevance; the
 * complement of a set carries none (its slots score 0).
 */
type SlotSet = { neg: boolean; s: Int32Array; w: Float64Array | null };

/** a ∩ b (scores added). */
function intersect(a: SlotSet, b: SlotSet): SlotSet {
  if (a.s.length > b.s.length) [a, b] = [b, a];
  const as = a.s;
  const bs = b.s;
  const aw = a.w ?? EMPTY_W;
  const bw = b.w ?? EMPTY_W;
  const out = arena.int32(as.length);
  const ow = a.w !== null && b.w !== null ? arena.float64(as.length) : null;
  let n = 0;
  let j = 0;
  const gallop = bs.length >= 8 * as.length;
  for (let i = 0; i < as.length && j < bs.length; i++) {
    const x = as[i] as number;
    if (gallop && (bs[j] as number) < x) {
      // b is much longer: exponential, then binary search for x.
      let step = 1;
      while (j + step < bs.length && (bs[j + step] as number) < x) step *= 2;
      let lo = j + (step >> 1);
      let hi = Math.min(j + step, bs.length - 1);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((bs[mid] as number) < x) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
    } else while (j < bs.length && (bs[j] as number) < x) j++;
    if (bs[j] === x) {
      if (ow) ow[n] = (aw[i] as number) + (bw[j] as number);
      out[n++] = x;
    }
  }
  return { neg: false, s: out.subarray(0, n), w: ow ? ow.subarray(0, n) : null };
}

/** a ∪ b (scores added where both have the slot). */
function union(a: SlotSet, b: SlotSet): SlotSet {
  const as = a.s;
  const bs = b.s;
  const aw = a.w ?? EMPTY_W;
  const bw = b.w ?? EMPTY_W;
  const out = arena.int32(as.length + bs.length);
  const ow = a.w !== null && b.w !== null ? arena.float64(as.length + bs.length) : null;
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < as.length || j < bs.length) {
    const x = i < as.length ? (as[i] as number) : Number.POSITIVE_INFINITY;
    const y = j < bs.length ? (bs[j] as number) : Number.POSITIVE_INFINITY;
    if (x <= y) {
      if (ow) ow[n] = (aw[i] as number) + (x === y ? (bw[j] as number) : 0);
      out[n++] = x;
      i++;
      if (x === y) j++;
    } else {
      if (ow) ow[n] = bw[j] as number;
      out[n++] = y;
      j++;
    }
  }
  return { neg: false, s: out.subarray(0, n), w: ow ? ow.subarray(0, n) : null };
}

/** a \ b (with a's scores). */
function minus(a: SlotSet, b: SlotSet): SlotSet {
  const as = a.s;
  const bs = b.s;
  const aw = a.w ?? EMPTY_W;
  const out = arena.int32(as.length);
  const ow = a.w !== null ? arena.float64(as.length) : null;
  let n = 0;
  let j = 0;
  for (let i = 0; i < as.length; i++) {
    const x = as[i] as number;
    while (j < bs.length && (bs[j] as number) < x) j++;
    if (bs[j] !== x) {
      if (ow) ow[n] = aw[i] as number;
      out[n++] = x;
    }
  }
  return { neg: false, s: out.subarray(0, n), w: ow ? ow.subarray(0, n) : null };
}

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

/**
 * The best k slots by a numeric key, larger first; equal keys by id, ascending (or descending). A
 * bounded heap with the worst kept slot on top: most candidates lose to it on the key alone.
 */
class TopK {
  private heap: Int32Array;
  private heapKey: Float64Array;
  n = 0;
  constructor(
    readonly k: number,
    private ids: string[],
    private idsDescending: boolean,
  ) {
    this.heap = arena.int32(k);
    this.heapKey = arena.float64(k);
  }

  /** Whether (ka, a) comes before (kb, b). */
  private before(ka: number, a: number, kb: number, b: number): boolean {
    if (ka !== kb) return ka > kb;
    const ia = this.ids[a] as string;
    const ib = this.ids[b] as string;
    return this.idsDescending ? ia > ib : ia < ib;
  }

  private swap(i: number, j: number) {
    const { heap, heapKey } = this;
    const s = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = s;
    const x = heapKey[i] as number;
    heapKey[i] = heapKey[j] as number;
    heapKey[j] = x;
  }

  offer(s: number, key: number) {
    const { heap, heapKey, k } = this;
    if (k === 0) return;
    if (this.n === k && key < (heapKey[0] as number)) return;
    if (this.n < k) {
      let i = this.n++;
      heap[i] = s;
      heapKey[i] = key;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.before(heapKey[parent] as number, heap[parent] as number, key, s)) break;
        this.swap(parent, i);
        i = parent;
      }
      return;
    }
    if (!this.before(key, s, heapKey[0] as number, heap[0] as number)) return;
    heap[0] = s;
    heapKey[0] = key;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.n && this.before(heapKey[worst] as number, heap[worst] as number, heapKey[l] as number, heap[l] as number)) worst = l;
      if (r < this.n && this.before(heapKey[worst] as number, heap[worst] as number, heapKey[r] as number, heap[r] as number)) worst = r;
      if (worst === i) break;
      this.swap(worst, i);
      i = worst;
    }
  }

  /** The kept slots and `more` (keyed by `keyOf`), best first. */
  sorted(more: number[], keyOf: (s: number) => number): number[] {
    const keyed = Array.from(this.heap.subarray(0, this.n), (s, i) => ({ s, key: this.heapKey[i] as number }));
    for (const s of more) keyed.push({ s, key: keyOf(s) });
    keyed.sort((x, y) => (this.before(x.key, x.s, y.key, y.s) ? -1 : 1));
    return keyed.map((x) => x.s);
  }
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
  private postings = new Map<string, Posting>();
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
    for (const [lex, w] of parseTsvector(r.tsv)) {
      let p = this.postings.get(lex);
      if (!p) {
        p = { slots: new Int32Array(4), weights: new Uint8Array(4), n: 0 };
        this.postings.set(lex, p);
      }
      if (p.n === p.slots.length) {
        const slots = new Int32Array(p.n * 2);
        slots.set(p.slots);
        const weights = new Uint8Array(p.n * 2);
        weights.set(p.weights);
        p.slots = slots;
        p.weights = weights;
      }
      p.slots[p.n] = s;
      p.weights[p.n] = w;
      p.n++;
    }
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

  /** A lexeme's slots, with its weights as scores when `scored`. */
  private posting(lex: string, scored: boolean): SlotSet {
    const p = this.postings.get(lex);
    if (!p) return { neg: false, s: EMPTY, w: scored ? EMPTY_W : null };
    let w: Float64Array | null = null;
    if (scored) {
      w = arena.float64(p.n);
      for (let i = 0; i < p.n; i++) w[i] = WEIGHT_OF[p.weights[i] as number] as number;
    }
    return { neg: false, s: p.slots.subarray(0, p.n), w };
  }

  private evaluate(q: QNode, scored: boolean): SlotSet {
    if (q.t === 'lex') return this.posting(q.lex, scored);
    if (q.t === 'not') {
      const a = this.evaluate(q.a, false);
      return { neg: !a.neg, s: a.s, w: null };
    }
    const a = this.evaluate(q.a, scored);
    const b = this.evaluate(q.b, scored);
    const neg = (x: SlotSet): SlotSet => ({ neg: true, s: x.s, w: null });
    if (q.t === 'and') {
      if (!a.neg && !b.neg) return intersect(a, b);
      if (!a.neg) return minus(a, b);
      if (!b.neg) return minus(b, a);
      return neg(union(a, b));
    }
    if (!a.neg && !b.neg) return union(a, b);
    if (a.neg && b.neg) return neg(intersect(a, b));
    return a.neg ? neg(minus(a, b)) : neg(minus(b, a));
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
      const set = this.evaluate(q.tree, ranked);
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
    const top = new TopK(k, ids, sort === 'price_desc');
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

interface Holder {
  index: ProductIndex;
  /** pg_snapshot_xmin of the last read: changes stamped at or after it are read next time. */
  xmin: string;
  loadedAt: number;
  syncing: Promise<void> | null;
  syncStarted: number;
  reloading: Promise<void> | null;
}

const holders = new WeakMap<object, Holder>();
const building = new WeakMap<object, Promise<Holder>>();

/** Reads every live product into a new index, in one snapshot. */
async function load(db: Db): Promise<{ index: ProductIndex; xmin: string }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const x = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(trx);
      const index = new ProductIndex();
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const r = await sql<ProductRow>`
          select ${ROW_COLUMNS} from market_products p
          where p.id > ${after}::uuid and p.status = 'active' and p.store_open
          order by p.id limit ${LOAD_BATCH}`.execute(trx);
        // Applied in slices, letting requests in between (a batch is ~300 ms of work at 20,000 rows).
        for (let i = 0; i < r.rows.length; i += APPLY_SLICE) {
          for (const row of r.rows.slice(i, i + APPLY_SLICE)) index.apply(row);
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (r.rows.length < LOAD_BATCH) break;
        after = (r.rows[r.rows.length - 1] as ProductRow).id;
      }
      await index.sealLoad();
      return { index, xmin: (x.rows[0] as { xmin: string }).xmin };
    });
}

/** Applies the changes committed since the last read (one statement, one snapshot). */
async function sync(db: Db, h: Holder) {
  const r = await sql<ProductRow & { t: 'x' | 'p' | 'r' }>`
    select 'x' as t, pg_snapshot_xmin(pg_current_snapshot())::text as id, null::text as store_id, null::text as category_id,
      null::text as kecamatan_code, null::text as store_kind, null::text as halal_until, null::bigint as min_price,
      null::boolean as in_stock, null::int as sold_count, null::int8 as created_us, null::text as tsv, null::boolean as live
    union all
    select 'r', r.product_id::text, null, null, null, null, null, null, null, null, null, null, null
      from market_search_removed r where r.xid >= ${h.xmin}::xid8
    union all
    select 'p', ${ROW_COLUMNS} from market_products p where p.search_xid >= ${h.xmin}::xid8`.execute(db);
  let xmin = h.xmin;
  for (const row of r.rows) {
    if (row.t === 'x') xmin = row.id;
    else if (row.t === 'r') h.index.remove(row.id);
  }
  for (const row of r.rows) if (row.t === 'p') h.index.apply(row);
  h.xmin = xmin;
}

/**
 * Starts loading the index of this database (once per handle); resolves when it is ready.
 * Searches use it from then on (searchIndex(db) below).
 */
export function startSearchIndex(db: Db): Promise<ProductIndex> {
  let b = building.get(db);
  if (!b) {
    b = load(db).then(({ index, xmin }) => {
      const h: Holder = { index, xmin, loadedAt: Date.now(), syncing: null, syncStarted: 0, reloading: null };
      holders.set(db, h);
      return h;
    });
    building.set(db, b);
    b.catch(() => building.delete(db));
  }
  return b.then((h) => h.index);
}

/** Whether this database's index serves searches ('ready'), is loading, or was not started ('off'). */
export function searchIndexState(db: Db): 'ready' | 'loading' | 'off' {
  if (holders.has(db)) return 'ready';
  return building.has(db) ? 'loading' : 'off';
}

/** Stops using the index of this database (app close; tests). */
export function stopSearchIndex(db: Db) {
  holders.delete(db);
  building.delete(db);
}

/** Reloads in the background when many slots are dead or the index is old; the old one serves meanwhile. */
function maybeReload(db: Db, h: Holder) {
  if (h.reloading) return;
  const stale = Date.now() - h.loadedAt > RELOAD_MS;
  if (!stale && h.index.dead < Math.max(10_000, h.index.size / 4)) return;
  h.reloading = pruneSearchRemovals(db)
    .catch(() => undefined)
    .then(() => load(db))
    .then(({ index, xmin }) => {
      if (holders.get(db) !== h) return;
      // Changes between the two snapshots are read again by the next sync (xmin of the reload).
      h.index = index;
      h.xmin = xmin;
      h.loadedAt = Date.now();
    })
    .catch(() => undefined)
    .finally(() => {
      h.reloading = null;
    });
}

/**
 * The ready index of this database, brought up to date with every change committed before this
 * call (syncs are shared: a search joins one that started after it arrived); null while it loads
 * or when it was never started.
 */
export async function searchIndex(db: Db): Promise<ProductIndex | null> {
  const h = holders.get(db);
  if (!h) return null;
  const arrived = performance.now();
  for (;;) {
    if (h.syncing && h.syncStarted >= arrived) {
      await h.syncing;
      break;
    }
    if (h.syncing) {
      await h.syncing.catch(() => undefined);
      continue;
    }
    h.syncStarted = performance.now();
    h.syncing = sync(db, h).finally(() => {
      h.syncing = null;
    });
    await h.syncing;
    break;
  }
  maybeReload(db, h);
  return h.index;
}

/** Prunes removal stamps older than a day (before a reload; every index reloads more often than that). */
async function pruneSearchRemovals(db: Db) {
  await sql`delete from market_search_removed where removed_at < now() - interval '1 day'`.execute(db);
}
