import type { FastifyInstance } from 'fastify';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';
import type { Alternatives } from './search.js';

/**
 * In-process word indexes (ADR 0014, ADR 0015): the parts shared by the marketplace's product index
 * and the registry's UMKM index — PostgreSQL's tsvector and tsquery text forms parsed, posting
 * lists (lexeme → slots with the lexeme's best weight) evaluated against a query tree, sorted slot
 * sets, a bounded top-k, scratch memory, and a LiveIndex that loads an index in one snapshot and
 * follows the database's change feed (a trigger stamping each written row with its transaction id)
 * before every use. PostgreSQL stays the truth: words are stemmed by it (a query's tsquery text is
 * asked for once per string), so matching is exactly the database's `@@`.
 */

type Db = Kysely<Database>;

/** A parsed tsquery: lexemes joined by &, | and !. Phrases (<->), prefixes and weights are not kept. */
export type QNode = { t: 'lex'; lex: string } | { t: 'and' | 'or'; a: QNode; b: QNode } | { t: 'not'; a: QNode };

/** Weights of a lexeme's best occurrence, as ts_rank's defaults ({D, C, B, A}). */
const WEIGHT_OF = new Float64Array([0.1, 0.2, 0.4, 1.0]);

interface Posting {
  slots: Int32Array;
  weights: Uint8Array;
  n: number;
}

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

export const EMPTY = new Int32Array(0);
export const EMPTY_W = new Float64Array(0);

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
export const arena = new Arena();

/**
 * A set of slots in ascending order, or everything but a set (`neg`). With `w`, each slot's score
 * (the summed weights of the query's lexemes it has) is carried alongside, for relevance; the
 * complement of a set carries none (its slots score 0).
 */
export type SlotSet = { neg: boolean; s: Int32Array; w: Float64Array | null };

/** a ∩ b (scores added). */
export function intersect(a: SlotSet, b: SlotSet): SlotSet {
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
export function union(a: SlotSet, b: SlotSet): SlotSet {
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
export function minus(a: SlotSet, b: SlotSet): SlotSet {
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

/**
 * The best k slots by a numeric key, larger first; equal keys by id, ascending (or descending). A
 * bounded heap with the worst kept slot on top: most candidates lose to it on the key alone.
 */
export class TopK {
  private heap: Int32Array;
  private heapKey: Float64Array;
  n = 0;
  constructor(
    readonly k: number,
    private ids: string[],
    private idsDescending: boolean,
    /** Slots below this are in id order (a full load reads by id): their ties compare as numbers. */
    private inIdOrder = 0,
  ) {
    this.heap = arena.int32(k);
    this.heapKey = arena.float64(k);
  }

  /** Whether (ka, a) comes before (kb, b). */
  private before(ka: number, a: number, kb: number, b: number): boolean {
    if (ka !== kb) return ka > kb;
    if (a < this.inIdOrder && b < this.inIdOrder) return this.idsDescending ? a > b : a < b;
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

/** Lexeme → the slots whose text has it (ascending) with its best weight there. */
export class Postings {
  private map = new Map<string, Posting>();

  /**
   * Adds slot `s` (larger than every slot added before) with the lexemes of its tsvector text;
   * lexemes also in `boost` (e.g. a name's) get the top weight.
   */
  add(s: number, tsv: string, boost?: Set<string>) {
    for (const [lex, best] of parseTsvector(tsv)) {
      const w = boost?.has(lex) ? 3 : best;
      let p = this.map.get(lex);
      if (!p) {
        p = { slots: new Int32Array(4), weights: new Uint8Array(4), n: 0 };
        this.map.set(lex, p);
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

  /** A lexeme's slots, with its weights as scores when `scored`. */
  private posting(lex: string, scored: boolean): SlotSet {
    const p = this.map.get(lex);
    if (!p) return { neg: false, s: EMPTY, w: scored ? EMPTY_W : null };
    let w: Float64Array | null = null;
    if (scored) {
      w = arena.float64(p.n);
      for (let i = 0; i < p.n; i++) w[i] = WEIGHT_OF[p.weights[i] as number] as number;
    }
    return { neg: false, s: p.slots.subarray(0, p.n), w };
  }

  /**
   * The slots matching a query tree (scratch memory from `arena`: valid until its next reset).
   * Relevance: each match scored by the summed weights of the query's lexemes it has (as ts_rank,
   * without word positions), carried through the set operations; a complement carries none.
   */
  evaluate(q: QNode, scored: boolean): SlotSet {
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
}

// ---------------------------------------------------------------------------------------------
// Query trees from the database

const tsqueryCache = new Map<string, QNode | 'empty' | null>();
const TSQUERY_CACHE_MAX = 20_000;

/** The trees of `websearch_to_tsquery` / `plainto_tsquery` ('indonesian') of each input (cached per text). */
export async function tsqueryTrees(
  exec: Kysely<Database> | Transaction<Database>,
  fn: 'websearch' | 'plainto',
  inputs: string[],
): Promise<(QNode | 'empty' | null)[]> {
  const missing = [...new Set(inputs.filter((x) => !tsqueryCache.has(`${fn}:${x}`)))];
  if (missing.length) {
    const call = fn === 'websearch' ? sql`websearch_to_tsquery('indonesian', x)` : sql`plainto_tsquery('indonesian', x)`;
    const r = await sql<{ x: string; q: string }>`select x, ${call}::text as q from unnest(${missing}::text[]) as u(x)`.execute(exec);
    if (tsqueryCache.size + r.rows.length > TSQUERY_CACHE_MAX) tsqueryCache.clear();
    for (const row of r.rows) tsqueryCache.set(`${fn}:${row.x}`, parseTsquery(row.q));
  }
  return inputs.map((x) => tsqueryCache.get(`${fn}:${x}`) ?? null);
}

/**
 * "Every word, or one of its corrections" (platform/search.ts wordsTsquery) as a tree; 'empty' when
 * every word is a stop word; null when one part is not evaluable.
 */
export async function correctedTree(
  exec: Kysely<Database> | Transaction<Database>,
  words: string[],
  alternatives: Alternatives,
): Promise<QNode | 'empty' | null> {
  const all = words.flatMap((w) => [w, ...(alternatives[w] ?? [])]);
  const trees = await tsqueryTrees(exec, 'plainto', all);
  let i = 0;
  let out: QNode | null = null;
  for (const w of words) {
    let any: QNode | null = null;
    for (let j = 0; j < 1 + (alternatives[w]?.length ?? 0); j++) {
      const t = trees[i++];
      if (t === null) return null;
      if (t !== 'empty') any = any ? { t: 'or', a: any, b: t } : t;
    }
    if (any) out = out ? { t: 'and', a: out, b: any } : any;
  }
  return out ?? 'empty';
}

// ---------------------------------------------------------------------------------------------
// Loading and following the database

/** A full reload at least this often (it also drops what the change feed may have missed). */
export const RELOAD_MS = 6 * 3600_000;

/** Rows per batch of a full load, and per slice applied between requests. */
const LOAD_BATCH = 20_000;
const APPLY_SLICE = 1_000;

/**
 * Reads every row in id order, LOAD_BATCH at a time (`read(after, limit)`: the rows with a larger
 * id), applying them in slices with the event loop let through in between, so requests are
 * answered while an index loads.
 */
export async function loadInBatches<R extends { id: string }>(
  read: (after: string, limit: number) => Promise<R[]>,
  apply: (row: R) => void,
): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await read(after, LOAD_BATCH);
    for (let i = 0; i < rows.length; i += APPLY_SLICE) {
      for (const row of rows.slice(i, i + APPLY_SLICE)) apply(row);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (rows.length < LOAD_BATCH) return;
    after = (rows[rows.length - 1] as R).id;
  }
}

/** A table's change feed (migrations 0026, 0027): rows stamped `search_xid`, deletions in a removals table. */
export interface Feed<R extends { id: string }> {
  /** `null::type as column, …` for each column of a row after `id`. */
  nullColumns: RawBuilder<unknown>;
  /** The removals table and its id column. */
  removed: { table: string; id: string };
  /** `<columns, id first> from … where <stamp> >= since` — the rows written since. */
  changed: (since: string) => RawBuilder<unknown>;
  remove(id: string): void;
  apply(row: R): void;
}

/**
 * Applies the rows and removals stamped at or after `since`, read in one statement (one snapshot),
 * and returns that snapshot's xmin — where the next read starts.
 */
export async function readFeed<R extends { id: string }>(db: Db, since: string, feed: Feed<R>): Promise<string> {
  const r = await sql<R & { t: 'x' | 'w' | 'r' }>`
    select 'x' as t, pg_snapshot_xmin(pg_current_snapshot())::text as id, ${feed.nullColumns}
    union all
    select 'r', r.${sql.ref(feed.removed.id)}::text, ${feed.nullColumns}
      from ${sql.table(feed.removed.table)} r where r.xid >= ${since}::xid8
    union all
    select 'w', ${feed.changed(since)}`.execute(db);
  let xmin = since;
  for (const row of r.rows) {
    if (row.t === 'x') xmin = row.id;
    else if (row.t === 'r') feed.remove(row.id);
  }
  for (const row of r.rows) if (row.t === 'w') feed.apply(row);
  return xmin;
}

/** Prunes removal stamps older than a day (before a reload; every index reloads more often than that). */
export async function pruneRemovals(db: Db, table: string): Promise<void> {
  await sql`delete from ${sql.table(table)} where removed_at < now() - interval '1 day'`.execute(db);
}

/**
 * Rows of result pages (a list's items with their joins), kept by an index until its change feed
 * reports a change of that row (ADR 0015). A page answered by the index was brought up to date
 * with every change committed before the request, and each change applied since a row was read
 * drops it — so a kept row is what the database would answer. A row read while a change of it
 * was being applied (the read began before) is not kept. Only for tables whose every change
 * reaching the row — its joins included — stamps the feed.
 */
export class RowCache<R extends { id: string }> {
  private rows = new Map<string, R>();
  private changedAt = new Map<string, number>();
  private changes = 0;
  private clearedAt = 0;

  constructor(private readonly max = 20_000) {}

  /** The feed applied a change of this row. */
  changed(id: string) {
    this.changes++;
    this.rows.delete(id);
    this.changedAt.set(id, this.changes);
    if (this.changedAt.size > this.max) {
      this.changedAt.clear();
      this.clearedAt = this.changes;
    }
  }

  /** The rows of `ids` in that order: kept ones, the others read (`read`) and kept. */
  async rowsOf(ids: string[], read: (ids: string[]) => Promise<R[]>): Promise<R[]> {
    const missing = ids.filter((id) => !this.rows.has(id));
    const fresh = new Map<string, R>();
    if (missing.length) {
      const since = this.changes;
      for (const row of await read(missing)) {
        fresh.set(row.id, row);
        if (since < this.clearedAt || (this.changedAt.get(row.id) ?? 0) > since) continue;
        if (this.rows.size >= this.max) this.rows.clear();
        this.rows.set(row.id, row);
      }
    }
    return ids.flatMap((id) => {
      const row = fresh.get(id) ?? this.rows.get(id);
      return row ? [row] : [];
    });
  }
}

/**
 * Values derived from tables whose every change reaches an index's feed (e.g. the typo
 * corrections of a vocabulary that grows only with product writes), kept until the feed applies
 * any change. Used after the index was brought up to date for the request, so a kept value is what
 * the database would answer; a value read while a change was being applied is not kept.
 */
export class FeedMemo<V> {
  private values = new Map<string, V>();
  private changes = 0;

  constructor(private readonly max = 10_000) {}

  /** The feed applied a change: every value may be out of date. */
  changed() {
    this.changes++;
    if (this.values.size) this.values.clear();
  }

  async get(key: string, read: () => Promise<V>): Promise<V> {
    if (this.values.has(key)) return this.values.get(key) as V;
    const since = this.changes;
    const value = await read();
    if (since === this.changes) {
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

/** What a LiveIndex needs of its index. */
export interface Reloadable {
  size: number;
  dead: number;
}

/** How an index is read from the database and kept up to date. */
export interface LiveSource<I extends Reloadable> {
  /** Reads every row into a new index, inside a repeatable-read transaction (one snapshot). */
  load(trx: Transaction<Database>): Promise<I>;
  /**
   * Applies the rows stamped at or after `xmin` (and the removals) to `index`, in one statement,
   * and returns that statement's `pg_snapshot_xmin(pg_current_snapshot())`.
   */
  sync(db: Db, index: I, xmin: string): Promise<string>;
  /** Before a background reload (e.g. pruning old removal stamps). */
  beforeReload?(db: Db): Promise<void>;
}

/** Every LiveIndex of the app (each module creates its own when loaded). */
const every = new Set<LiveIndex<Reloadable>>();

/** The in-process indexes of this database together: 'loading' while one loads, 'ready' when every started one is. */
export function liveIndexesState(db: Db): 'ready' | 'loading' | 'off' {
  const states = [...every].map((x) => x.state(db));
  if (states.includes('loading')) return 'loading';
  return states.includes('ready') ? 'ready' : 'off';
}

/** Loads every index of this database (tests: searches use them from the first request on). */
export async function startLiveIndexes(db: Db): Promise<void> {
  await Promise.all([...every].map((x) => x.start(db)));
}

/**
 * Starts an index when the app is ready, without holding it up (the database answers until it is
 * loaded), logging its size and time; stops it when the app closes.
 */
export function startWithApp(app: FastifyInstance, db: Db, index: LiveIndex<Reloadable>) {
  app.addHook('onReady', async () => {
    const t0 = performance.now();
    index.start(db).then(
      (x) => app.log.info(`${index.name} index ready: ${x.size - x.dead} rows in ${Math.round(performance.now() - t0)} ms`),
      (err) => app.log.error({ err }, `${index.name} index did not load; the database answers instead`),
    );
  });
  app.addHook('onClose', async () => index.stop(db));
}

interface Holder<I> {
  index: I;
  /** pg_snapshot_xmin of the last read: changes stamped at or after it are read next time. */
  xmin: string;
  loadedAt: number;
  syncing: Promise<void> | null;
  syncStarted: number;
  reloading: Promise<void> | null;
}

/**
 * An index per database handle, loaded once in the background and brought up to date with every
 * change committed before each use. The change feed: a trigger stamps every written row with
 * `pg_current_xact_id()`; a sync reads the rows stamped at or after the oldest transaction still
 * running at the previous read (pg_snapshot_xmin), so a transaction that commits late is never
 * skipped (reading a row twice is harmless). Slots are append-only in the indexes: the index
 * reloads itself in the background when a quarter of its slots are dead, and every RELOAD_MS.
 */
export class LiveIndex<I extends Reloadable> {
  private holders = new WeakMap<object, Holder<I>>();
  private building = new WeakMap<object, Promise<Holder<I>>>();

  constructor(
    /** For logs: what it indexes. */
    readonly name: string,
    private source: LiveSource<I>,
  ) {
    every.add(this as LiveIndex<Reloadable>);
  }

  private async load(db: Db): Promise<{ index: I; xmin: string }> {
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const x = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(trx);
        const index = await this.source.load(trx);
        return { index, xmin: (x.rows[0] as { xmin: string }).xmin };
      });
  }

  /** Starts loading the index of this database (once per handle); resolves when it is ready. */
  start(db: Db): Promise<I> {
    let b = this.building.get(db);
    if (!b) {
      b = this.load(db).then(({ index, xmin }) => {
        const h: Holder<I> = { index, xmin, loadedAt: Date.now(), syncing: null, syncStarted: 0, reloading: null };
        this.holders.set(db, h);
        return h;
      });
      this.building.set(db, b);
      b.catch(() => this.building.delete(db));
    }
    return b.then((h) => h.index);
  }

  /** Whether this database's index serves ('ready'), is loading, or was not started ('off'). */
  state(db: Db): 'ready' | 'loading' | 'off' {
    if (this.holders.has(db)) return 'ready';
    return this.building.has(db) ? 'loading' : 'off';
  }

  /** Stops using the index of this database (app close; tests). */
  stop(db: Db) {
    this.holders.delete(db);
    this.building.delete(db);
  }

  /** Reloads in the background when many slots are dead or the index is old; the old one serves meanwhile. */
  private maybeReload(db: Db, h: Holder<I>) {
    if (h.reloading) return;
    const stale = Date.now() - h.loadedAt > RELOAD_MS;
    if (!stale && h.index.dead < Math.max(10_000, h.index.size / 4)) return;
    h.reloading = (this.source.beforeReload?.(db) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.load(db))
      .then(({ index, xmin }) => {
        if (this.holders.get(db) !== h) return;
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
   * call (syncs are shared: a caller joins one that started after it arrived); null while it loads
   * or when it was never started.
   */
  async current(db: Db): Promise<I | null> {
    const h = this.holders.get(db);
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
      const index = h.index;
      h.syncing = this.source
        .sync(db, index, h.xmin)
        .then((xmin) => {
          if (h.index === index) h.xmin = xmin;
        })
        .finally(() => {
          h.syncing = null;
        });
      await h.syncing;
      break;
    }
    this.maybeReload(db, h);
    return h.index;
  }
}
