import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';

/**
 * Word search helpers shared by the registry and the marketplace: how a query splits into words,
 * and typo corrections from a module's vocabulary table (one `word text primary key` column with a
 * trigram GIN index, kept by trigger — migrations 0021 and 0022).
 */

/** The words of a search (at most 8; the rest are ignored). */
export function searchWords(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

/**
 * Word-similarity threshold (pg_trgm `<%`) where a word is matched inside a longer text (the
 * marketplace's as-you-type suggestions): pg_trgm's default 0.6 misses "kramik" → "Keramik" (0.57),
 * 0.5 lets "rotan" find every "Roti".
 */
export const WORD_SIMILARITY = 0.55;

/**
 * A vocabulary word is a correction of a search word from this trigram similarity on (the index
 * finds candidates with `%`, pg_trgm's default threshold 0.3: this may be raised, not lowered).
 */
export const TYPO_SIMILARITY = 0.3;
/** At most this many corrections per search word (the closest). */
export const TYPO_ALTERNATIVES = 3;

/** Corrections per search word (never the word itself). */
export type Alternatives = Record<string, string[]>;

/**
 * The closest words of `vocabulary` for each of `words` (≤ TYPO_ALTERNATIVES, similarity ≥
 * TYPO_SIMILARITY): one small query on a table of words, not on the rows searched. Null when no
 * word has a correction.
 */
export async function closestWords(
  db: Kysely<Database> | Transaction<Database>,
  vocabulary: string,
  words: string[],
): Promise<Alternatives | null> {
  if (!words.length) return null;
  const r = await sql<{ w: string; alts: string[] }>`
    select q.w, array(
      select v.word from ${sql.table(vocabulary)} v
      where v.word % q.w and similarity(v.word, q.w) >= ${TYPO_SIMILARITY} and v.word <> q.w
      order by similarity(v.word, q.w) desc, v.word limit ${TYPO_ALTERNATIVES}) as alts
    from unnest(${words}::text[]) as q(w)`.execute(db);
  const out: Alternatives = {};
  for (const row of r.rows) if (row.alts.length) out[row.w] = row.alts;
  return Object.keys(out).length ? out : null;
}

/** The Indonesian text query "every word, or one of its corrections" (tsquery `&&` of `||`s). */
export function wordsTsquery(words: string[], alternatives?: Alternatives | null): RawBuilder<unknown> {
  return sql`(${sql.join(
    words.map(
      (w) =>
        sql`(${sql.join(
          [w, ...(alternatives?.[w] ?? [])].map((x) => sql`plainto_tsquery('indonesian', ${x})`),
          sql` || `,
        )})`,
    ),
    sql` && `,
  )})`;
}
