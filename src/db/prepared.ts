import pg from 'pg';

/**
 * Named prepared statements for the PostgreSQL pool (ADR 0013).
 *
 * Kysely sends every parameterised query as an unnamed statement, which PostgreSQL parses and plans
 * anew each time. For the short statements of a posting (a savings deposit, a repayment) planning
 * costs about as much as running them: the books benchmark went from ≈ 730 to ≈ 1,350 deposits/s
 * with named statements. This client names a query's text the second time the process sees it
 * (one-off texts — a list of ids of one length, a report run once — stay unnamed), and each
 * connection keeps at most `perConnection` named statements (beyond that, new texts run unnamed on
 * that connection; nothing is ever deallocated, so no statement can fail inside a transaction).
 * PostgreSQL then reuses the plan once it finds a generic plan no worse than the custom ones
 * (plan_cache_mode auto, its default).
 */
export interface PreparedOptions {
  /** Named statements per connection at most. */
  perConnection: number;
  /** Distinct texts the process names at most (bounds the name table). */
  maxNamed: number;
}

const DEFAULTS: PreparedOptions = { perConnection: 256, maxNamed: 2048 };
const SEEN_MAX = 10_000;

export function preparingClient(options: Partial<PreparedOptions> = {}): typeof pg.Client {
  const opts = { ...DEFAULTS, ...options };
  const names = new Map<string, string>(); // text → statement name, shared by every connection
  let seen = new Set<string>(); // texts seen once, not yet named

  function nameFor(text: string): string | undefined {
    const known = names.get(text);
    if (known !== undefined) return known;
    if (names.size >= opts.maxNamed) return undefined;
    if (!seen.has(text)) {
      if (seen.size >= SEEN_MAX) seen = new Set();
      seen.add(text);
      return undefined;
    }
    seen.delete(text);
    const name = `nl_${names.size + 1}`;
    names.set(text, name);
    return name;
  }

  return class PreparingClient extends pg.Client {
    readonly #prepared = new Set<string>();

    // biome-ignore lint/suspicious/noExplicitAny: pg's query() is overloaded; this passes every form through
    override query(config: any, values?: any, callback?: any): any {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameFor(config);
        if (name !== undefined && (this.#prepared.has(name) || this.#prepared.size < opts.perConnection)) {
          this.#prepared.add(name);
          return super.query({ name, text: config, values }, callback);
        }
      }
      return super.query(config, values, callback);
    }
  };
}
