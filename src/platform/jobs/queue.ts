import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';

export interface EnqueueOptions {
  /** When to run (default now). */
  runAt?: Date;
  maxAttempts?: number;
  /** At most one pending/running job with this key (e.g. 'order-expiry:<id>'); a second enqueue is a no-op. */
  uniqueKey?: string;
}

/**
 * Adds a job to the jobs table. Call it with the caller's transaction so the job exists if and
 * only if the change that asked for it was committed (transactional outbox).
 */
export async function enqueueJob(
  db: Kysely<Database> | Transaction<Database>,
  type: string,
  payload: Record<string, unknown>,
  opts: EnqueueOptions = {},
): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ ...jobRow(type, payload, opts), unique_key: opts.uniqueKey ?? null })
    // The partial unique index's predicate as literals: PostgreSQL must prove it from the statement
    // itself to pick the index, which it cannot from parameters of a prepared statement.
    .onConflict((oc) =>
      oc.column('unique_key').where(sql<boolean>`unique_key is not null and status in ('pending', 'running')`).doNothing(),
    )
    .execute();
}

/**
 * The jobs row enqueueJob writes, for callers that insert it as part of a larger statement — then
 * without a unique key (enqueueJob's conflict rule does not apply there).
 */
export function jobRow(type: string, payload: Record<string, unknown>, opts: Omit<EnqueueOptions, 'uniqueKey'> = {}) {
  return {
    type,
    payload: JSON.stringify(payload),
    run_at: opts.runAt ?? new Date(),
    max_attempts: opts.maxAttempts ?? 5,
    unique_key: null as string | null,
  };
}
