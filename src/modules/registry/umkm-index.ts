import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  arena,
  LiveIndex,
  loadInBatches,
  Postings,
  parseTsvector,
  pruneRemovals,
  type QNode,
  RowCache,
  readFeed,
  TopK,
} from '../../platform/text-index.js';
import type { UmkmRow } from './repository.js';

/**
 * The registry's in-process UMKM index (ADR 0015): what a list or a word search of UMKM needs to
 * filter, count and order — the words of each UMKM's `search_tsv` (posting lists), its filter
 * columns packed in one 32-bit word, and its sort keys — held by every app process, so a dinas
 * list or the public directory costs a fraction of a millisecond of this process instead of a
 * count and a page query in PostgreSQL, and a word search no longer visits every matching row in
 * the database. PostgreSQL stays the truth: the index is loaded from `umkm`, follows it through the
 * change feed of migration 0027 before every use (platform/text-index.ts LiveIndex), and the page's
 * rows are read by id. Words are stemmed by PostgreSQL (the query tree is the database's own
 * tsquery), so matching is exactly `@@`.
 *
 * Orders are the SQL path's: name (`lower(name)` in the database's collation — the ranks come
 * from PostgreSQL, see rankNames), newest, capital, each with ties by id; relevance is the summed
 * weights of the query's lexemes a row has — a word of its name 1.0, any other 0.1 (ts_rank
 * without word frequencies; the search text itself is not weighted) — ties by id.
 */

type Db = Kysely<Database>;

interface UmkmIndexRow {
  id: string;
  status: string;
  size_class: string;
  kecamatan_code: string;
  kelurahan_code: string;
  kbli_section: string | null;
  kbli_code: string | null;
  has_nib: boolean;
  has_halal: boolean;
  has_spp_irt: boolean;
  created_us: string | bigint;
  capital: string | bigint;
  lname: string;
  tsv: string;
  /** The name's own lexemes: they rank first (the search text is not weighted). */
  name_tsv: string;
}

const ROW_COLUMNS = sql`u.id::text as id, u.status, u.size_class, u.kecamatan_code, u.kelurahan_code, u.kbli_section, u.kbli_code,
  (u.nib is not null or u.document_kinds @> array['nib']) as has_nib, u.document_kinds @> array['halal'] as has_halal,
  u.document_kinds @> array['spp_irt'] as has_spp_irt, (extract(epoch from u.created_at) * 1000000)::int8 as created_us,
  u.capital, lower(u.name) as lname, u.search_tsv::text as tsv, to_tsvector('indonesian', u.name)::text as name_tsv`;

// A slot's filter columns packed in one 32-bit word; a filter is one mask and one wanted value.
const ALIVE = 1;
const NIB = 1 << 1;
const HALAL = 1 << 2;
const SPP_IRT = 1 << 3;
/** [shift, bits] of each coded column (0 = none; codes given in order of appearance). */
const FIELDS = {
  status: [4, 3],
  sizeClass: [7, 3],
  kbliSection: [10, 5],
  kecamatan: [15, 6],
  kelurahan: [21, 9],
} as const;
type Field = keyof typeof FIELDS;

export interface UmkmIndexQuery {
  /** The words' tree; null: no words; 'empty': words that are all stop words (match nothing, as `@@` does). */
  tree: QNode | 'empty' | null;
  status?: string;
  kecamatan?: string;
  kelurahan?: string;
  sizeClass?: string;
  /** A KBLI section letter. */
  kbliSection?: string;
  /** Digits a 5-digit KBLI code starts with. */
  kbliPrefix?: string;
  legality?: 'nib' | 'halal' | 'spp_irt';
  sort: 'relevance' | 'name' | 'newest' | 'capital';
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The matches' total and the page's ids; 'ranks' when a name order needs ranks not yet read (rankNames). */
export type UmkmIndexResult = { total: number; ids: string[] } | 'ranks';

export class UmkmIndex {
  /** The rows of list pages answered by this index, until the feed reports a change of them. */
  readonly rows = new RowCache<UmkmRow>();
  size = 0;
  dead = 0;
  /** Slots [0, base) were loaded in id order; later ones were appended by changes. */
  base = 0;
  private cap = 0;
  private ids: string[] = [];
  private attr = new Uint32Array(0);
  private created = new Float64Array(0);
  private capital = new Float64Array(0);
  /** Dense rank of lower(name) in the database's collation; NaN until read (rankNames). */
  private nameRank = new Float64Array(0);
  private lnames: string[] = [];
  private kbliCodes: (string | null)[] = [];
  private slotOf = new Map<string, number>();
  /** Live slots by packed word (`histWords[i]` has `histCounts[i]`): the total of a list without words is summed from it. */
  private histIdx = new Map<number, number>();
  private histWords = new Uint32Array(1024);
  private histCounts = new Int32Array(1024);
  /** Slots [0, base) in each order (value ascending, ties by slot = id), built at the end of the load. */
  private orders = new Map<'name' | 'newest' | 'capital', Int32Array>();
  private postings = new Postings();
  private codes = new Map<Field, Map<string, number>>();
  /** Slots whose name rank is not known. */
  unranked = 0;
  /** More distinct values of a column than its bits hold: the index does not answer. */
  overflow = false;

  private grow(min: number) {
    if (min <= this.cap) return;
    const cap = Math.max(1024, this.cap * 2, min);
    const copy = <T extends Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.attr = copy(this.attr, (n) => new Uint32Array(n));
    this.created = copy(this.created, (n) => new Float64Array(n));
    this.capital = copy(this.capital, (n) => new Float64Array(n));
    this.nameRank = copy(this.nameRank, (n) => new Float64Array(n));
    this.cap = cap;
  }

  /** The code of a column's value (assigning the next one to a new value); -1 for a value never seen. */
  private code(field: Field, value: string | null, assign: boolean): number {
    if (value === null) return 0;
    let m = this.codes.get(field);
    if (!m) {
      m = new Map();
      this.codes.set(field, m);
    }
    let c = m.get(value);
    if (c === undefined) {
      if (!assign) return -1;
      c = m.size + 1;
      if (c >= 1 << FIELDS[field][1]) {
        this.overflow = true;
        return 0;
      }
      m.set(value, c);
    }
    return c;
  }

  private packed(field: Field, value: string | null) {
    return this.code(field, value, true) << FIELDS[field][0];
  }

  private count(a: number, by: number) {
    let i = this.histIdx.get(a);
    if (i === undefined) {
      i = this.histIdx.size;
      if (i === this.histWords.length) {
        const words = new Uint32Array(2 * i);
        words.set(this.histWords);
        this.histWords = words;
        const counts = new Int32Array(2 * i);
        counts.set(this.histCounts);
        this.histCounts = counts;
      }
      this.histIdx.set(a, i);
      this.histWords[i] = a;
    }
    this.histCounts[i] = (this.histCounts[i] as number) + by;
  }

  /** Marks the end of the full load: slots so far are in id order; their orders are built. */
  seal() {
    this.base = this.size;
    this.orders.clear();
    for (const o of ['name', 'newest', 'capital'] as const) {
      const keys = this.keysOf(o);
      const perm = new Int32Array(this.base);
      for (let i = 0; i < perm.length; i++) perm[i] = i;
      perm.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
      this.orders.set(o, perm);
    }
  }

  private keysOf(o: 'name' | 'newest' | 'capital') {
    return o === 'name' ? this.nameRank : o === 'capital' ? this.capital : this.created;
  }

  /** Forgets a UMKM (deleted, or about to be replaced by its new row). */
  remove(id: string) {
    const old = this.slotOf.get(id);
    if (old === undefined) return;
    const a = this.attr[old] as number;
    this.count(a, -1);
    this.attr[old] = a & ~ALIVE;
    if (Number.isNaN(this.nameRank[old])) this.unranked--;
    this.dead++;
    this.slotOf.delete(id);
  }

  /** Adds or replaces a UMKM from its row; its name keeps its rank when unchanged. */
  apply(r: UmkmIndexRow) {
    const old = this.slotOf.get(r.id);
    const rank = old !== undefined && this.lnames[old] === r.lname ? (this.nameRank[old] as number) : Number.NaN;
    this.remove(r.id);
    const s = this.size;
    this.grow(s + 1);
    this.size = s + 1;
    this.ids[s] = r.id;
    this.attr[s] =
      (ALIVE |
        (r.has_nib ? NIB : 0) |
        (r.has_halal ? HALAL : 0) |
        (r.has_spp_irt ? SPP_IRT : 0) |
        this.packed('status', r.status) |
        this.packed('sizeClass', r.size_class) |
        this.packed('kbliSection', r.kbli_section) |
        this.packed('kecamatan', r.kecamatan_code) |
        this.packed('kelurahan', r.kelurahan_code)) >>>
      0;
    this.created[s] = Number(r.created_us);
    this.capital[s] = Number(r.capital);
    this.nameRank[s] = rank;
    if (Number.isNaN(rank)) this.unranked++;
    this.lnames[s] = r.lname;
    this.kbliCodes[s] = r.kbli_code;
    this.count(this.attr[s] as number, 1);
    this.slotOf.set(r.id, s);
    this.postings.add(s, r.tsv, new Set(parseTsvector(r.name_tsv).map(([lex]) => lex)));
  }

  /** Sets the name ranks read from the database where the slot's name is the one ranked. */
  setRanks(rows: { id: string; lname: string; r: number }[]) {
    for (const row of rows) {
      const s = this.slotOf.get(row.id);
      if (s === undefined || this.lnames[s] !== row.lname) continue;
      if (Number.isNaN(this.nameRank[s])) this.unranked--;
      this.nameRank[s] = row.r;
    }
  }

  /** Total and page of a query; null when the index cannot answer it (overflow). */
  search(q: UmkmIndexQuery): UmkmIndexResult | null {
    if (this.overflow) return null;
    arena.reset();
    // The filter as one mask and one wanted value over the packed word.
    let mask = ALIVE;
    let want = ALIVE;
    const eq = (field: Field, value: string | undefined) => {
      if (value === undefined) return true;
      const c = this.code(field, value, false);
      if (c <= 0) return false; // a value no UMKM has
      const [shift, bits] = FIELDS[field];
      mask |= ((1 << bits) - 1) << shift;
      want |= c << shift;
      return true;
    };
    const possible =
      eq('status', q.status) &&
      eq('sizeClass', q.sizeClass) &&
      eq('kbliSection', q.kbliSection) &&
      eq('kecamatan', q.kecamatan) &&
      eq('kelurahan', q.kelurahan);
    if (!possible || q.tree === 'empty') return { total: 0, ids: [] };
    if (q.legality) {
      const bit = q.legality === 'nib' ? NIB : q.legality === 'halal' ? HALAL : SPP_IRT;
      mask |= bit;
      want |= bit;
    }
    mask >>>= 0;
    want >>>= 0;

    const ranked = q.sort === 'relevance' && q.tree !== null;
    let list: Int32Array | null = null;
    let scores: Float64Array | null = null;
    let excluded: Uint8Array | null = null;
    if (q.tree !== null) {
      const set = this.postings.evaluate(q.tree, ranked);
      if (set.neg) {
        excluded = arena.uint8(this.size);
        for (let i = 0; i < set.s.length; i++) excluded[set.s[i] as number] = 1;
      } else {
        list = set.s;
        scores = ranked ? set.w : null;
      }
    }

    // Sort key, larger first; ties by id ascending (as the SQL path's `order by …, u.id`).
    const sign = q.dir === 'asc' ? -1 : 1;
    const order = q.sort === 'relevance' ? 'newest' : q.sort;
    const keys = this.keysOf(order);
    const byName = q.sort === 'name';
    const k = q.offset + q.limit;
    const top = new TopK(k, this.ids, false, this.base);
    const { attr, kbliCodes } = this;
    const prefix = q.kbliPrefix;
    let total = 0;
    let walked: number[] | null = null;
    let from = 0;
    if (list === null && excluded === null && prefix === undefined) {
      // A list without words: the total from the histogram; the page from the order built at the
      // load (walked while it is expected to find the page soon) and the slots appended since.
      const { histWords, histCounts } = this;
      for (let i = 0; i < this.histIdx.size; i++) if (((histWords[i] as number) & mask) === want) total += histCounts[i] as number;
      const perm = this.orders.get(order);
      if (total === 0 || k === 0) return { total, ids: [] };
      if (perm && (k * this.base) / total <= WALK_MAX) {
        walked = walk(perm, attr, mask, want, keys, sign === -1, k);
        if (walked === null) return 'ranks';
        from = this.base;
      }
    }
    const n = list ? list.length : this.size;
    for (let i = list ? 0 : from; i < n; i++) {
      const s = list ? (list[i] as number) : i;
      if (((attr[s] as number) & mask) !== want) continue;
      if (excluded !== null && excluded[s] === 1) continue;
      if (prefix !== undefined && !kbliCodes[s]?.startsWith(prefix)) continue;
      if (walked === null) total++;
      if (scores !== null) top.offer(s, scores[i] as number);
      else {
        const key = keys[s] as number;
        if (byName && Number.isNaN(key)) return 'ranks';
        top.offer(s, sign * key);
      }
    }
    const page = top.sorted(walked ?? [], (s) => sign * (keys[s] as number));
    return { total, ids: page.slice(q.offset, k).map((s) => this.ids[s] as string) };
  }
}

/** A list without words walks the order built at the load while it expects its page within this many slots. */
const WALK_MAX = 60_000;

/**
 * The first k live slots passing the filter in `perm`'s order (value ascending, ties by slot), or
 * in descending value with ties still by slot ascending; null when a name has no rank. Base slots
 * never change (a change appends a new slot), so the live ones keep their relative order.
 */
function walk(perm: Int32Array, attr: Uint32Array, mask: number, want: number, keys: Float64Array, ascending: boolean, k: number) {
  const out: number[] = [];
  if (ascending) {
    for (let j = 0; j < perm.length && out.length < k; j++) {
      const s = perm[j] as number;
      if (((attr[s] as number) & mask) !== want) continue;
      if (Number.isNaN(keys[s])) return null;
      out.push(s);
    }
    return out;
  }
  // Backwards, a run of equal values (among the slots passing the filter: a dead slot may keep a
  // name rank from before the ranks were read again) is emitted in ascending slot order.
  let run: number[] = [];
  let runKey = Number.NaN;
  const flush = () => {
    for (let x = run.length - 1; x >= 0 && out.length < k; x--) out.push(run[x] as number);
    run = [];
  };
  for (let j = perm.length - 1; j >= 0; j--) {
    const s = perm[j] as number;
    if (((attr[s] as number) & mask) !== want) continue;
    const key = keys[s] as number;
    if (Number.isNaN(key)) return null;
    if (key !== runKey) {
      flush();
      if (out.length >= k) return out;
      runKey = key;
    }
    run.push(s);
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading and following the database

/** The dense rank of every UMKM's lower(name) in the database's collation, with the name ranked. */
async function readRanks(db: Db | Transaction<Database>) {
  const r = await sql<{ id: string; lname: string; r: string }>`
    select u.id::text as id, lower(u.name) as lname, dense_rank() over (order by lower(u.name)) as r from umkm u`.execute(db);
  return r.rows.map((x) => ({ id: x.id, lname: x.lname, r: Number(x.r) }));
}

async function load(trx: Transaction<Database>): Promise<UmkmIndex> {
  const index = new UmkmIndex();
  await loadInBatches(
    async (after, limit) =>
      (await sql<UmkmIndexRow>`select ${ROW_COLUMNS} from umkm u where u.id > ${after}::uuid order by u.id limit ${limit}`.execute(trx))
        .rows,
    (row) => index.apply(row),
  );
  index.setRanks(await readRanks(trx));
  index.seal();
  return index;
}

/** Applies the changes committed since the last read (migration 0027's feed). */
function sync(db: Db, index: UmkmIndex, since: string): Promise<string> {
  return readFeed<UmkmIndexRow>(db, since, {
    nullColumns: sql`null::text as status, null::text as size_class, null::text as kecamatan_code, null::text as kelurahan_code,
      null::text as kbli_section, null::text as kbli_code, null::boolean as has_nib, null::boolean as has_halal,
      null::boolean as has_spp_irt, null::int8 as created_us, null::bigint as capital, null::text as lname, null::text as tsv,
      null::text as name_tsv`,
    removed: { table: 'umkm_search_removed', id: 'umkm_id' },
    changed: (from) => sql`${ROW_COLUMNS} from umkm u where u.search_xid >= ${from}::xid8`,
    remove: (id) => {
      index.rows.changed(id);
      index.remove(id);
    },
    apply: (row) => {
      index.rows.changed(row.id);
      index.apply(row);
    },
  });
}

/** The live index of UMKM (started with the app by the registry module). */
export const umkmIndex = new LiveIndex<UmkmIndex>('registry UMKM', {
  load,
  sync,
  beforeReload: (db) => pruneRemovals(db, 'umkm_search_removed'),
});

export const umkmIndexState = (db: Db) => umkmIndex.state(db);

/** Name ranks are read again at most this often; in between, a name order that needs them asks the database. */
const RERANK_MS = 5_000;
const reranks = new WeakMap<UmkmIndex, { at: number; running: Promise<void> | null }>();

/** Reads the name ranks again (shared by concurrent callers); false when it ran less than RERANK_MS ago. */
async function rankNames(db: Db, index: UmkmIndex): Promise<boolean> {
  let st = reranks.get(index);
  if (!st) {
    st = { at: 0, running: null };
    reranks.set(index, st);
  }
  if (st.running) {
    await st.running;
    return true;
  }
  if (performance.now() - st.at < RERANK_MS) return false;
  st.at = performance.now();
  const state = st;
  st.running = readRanks(db)
    .then((rows) => index.setRanks(rows))
    .finally(() => {
      state.running = null;
    });
  await st.running;
  return true;
}

/**
 * Answers a query from this database's index, up to date with every change committed before the
 * call; null when there is no ready index or it cannot answer (the caller asks the database).
 */
export async function searchUmkmIndex(
  db: Db,
  q: UmkmIndexQuery,
): Promise<{ total: number; ids: string[]; rows: RowCache<UmkmRow> } | null> {
  const index = await umkmIndex.current(db);
  if (!index) return null;
  let r = index.search(q);
  if (r === 'ranks') {
    if (!(await rankNames(db, index))) return null;
    r = index.search(q);
    if (r === 'ranks') return null;
  }
  return r && { ...r, rows: index.rows };
}
