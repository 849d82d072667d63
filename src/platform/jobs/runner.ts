import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/types.js';

/** What a job handler gets: the database (open your own transaction), a logger, the config and the payload. */
export interface JobContext {
  db: Kysely<Database>;
  log: FastifyBaseLogger;
  config: Config;
  payload: Record<string, unknown>;
  job: { id: string; type: string; attempt: number; maxAttempts: number };
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

export type JobOutcome = 'done' | 'retry' | 'failed';

export interface JobRunResult {
  id: string;
  type: string;
  attempt: number;
  outcome: JobOutcome;
  error?: string;
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  config: Config;
  log: FastifyBaseLogger;
  /** Written to jobs.locked_by (default host:pid:random). */
  workerId?: string;
  /** Sleep between polls when the queue is empty (default 1 s). */
  pollIntervalMs?: number;
  /** A `running` job locked longer than this is taken as abandoned by a crashed worker (default 10 min). */
  staleAfterMs?: number;
  /** Delay before retry number `attempt` (default: exponential backoff with jitter, see retryDelayMs). */
  backoff?: (attempt: number) => number;
}

export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 60 * 60_000;

/**
 * Delay before the next try after failed attempt `attempt` (1-based): 30 s · 2^(attempt−1), capped at
 * one hour, spread by ±20 % jitter so jobs that failed together do not retry together.
 * `random` is a number in [0, 1).
 */
export function retryDelayMs(attempt: number, random: number = Math.random()): number {
  const exp = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS);
  const jitter = 0.8 + 0.4 * Math.min(Math.max(random, 0), 1);
  return Math.round(exp * jitter);
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return msg.slice(0, 2000) || 'error';
}

/**
 * Runs background jobs from the `jobs` table. Claims one due job at a time with
 * `FOR UPDATE SKIP LOCKED` (so any number of runners can share the table), runs the handler
 * registered for its type, then marks it done, or schedules a retry with backoff, or — after
 * `max_attempts` — marks it failed with the last error. Modules register handlers with
 * `app.jobs.register(type, handler)`.
 */
export class JobRunner {
  readonly workerId: string;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly pollIntervalMs: number;
  private readonly staleAfterMs: number;
  private readonly backoff: (attempt: number) => number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(private readonly opts: JobRunnerOptions) {
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.staleAfterMs = opts.staleAfterMs ?? 10 * 60_000;
    this.backoff = opts.backoff ?? ((attempt) => retryDelayMs(attempt));
  }

  /** Registers the handler for a job type (one per type). */
  register(type: string, handler: JobHandler): this {
    if (this.handlers.has(type)) throw new Error(`A handler for job type "${type}" is already registered`);
    this.handlers.set(type, handler);
    return this;
  }

  has(type: string): boolean {
    return this.handlers.has(type);
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }

  get running(): boolean {
    return this.loop !== null;
  }

  /** Claims and runs one due job. Returns what happened, or null when no job is due. */
  async runOnce(): Promise<JobRunResult | null> {
    const job = await this.claim();
    if (!job) return null;
    const { db, config, log } = this.opts;
    const jobLog = log.child({ job: { id: job.id, type: job.type, attempt: job.attempts } });
    const handler = this.handlers.get(job.type);
    try {
      if (!handler) throw new Error(`No handler is registered for job type "${job.type}"`);
      await handler({
        db,
        config,
        log: jobLog,
        payload: job.payload ?? {},
        job: { id: job.id, type: job.type, attempt: job.attempts, maxAttempts: job.max_attempts },
      });
    } catch (err) {
      const error = errorText(err);
      const last = job.attempts >= job.max_attempts;
      if (last) {
        await sql`
          update jobs set status = 'failed', last_error = ${error}, finished_at = now(), locked_at = null, locked_by = null
          where id = ${job.id} and locked_by = ${this.workerId}`.execute(db);
        jobLog.error({ err }, 'job failed for good');
        return { id: job.id, type: job.type, attempt: job.attempts, outcome: 'failed', error };
      }
      const delay = Math.max(0, Math.round(this.backoff(job.attempts)));
      await sql`
        update jobs set status = 'pending', last_error = ${error}, locked_at = null, locked_by = null,
          run_at = now() + ${delay}::int * interval '1 millisecond'
        where id = ${job.id} and locked_by = ${this.workerId}`.execute(db);
      jobLog.warn({ err, retryInMs: delay }, 'job failed; will retry');
      return { id: job.id, type: job.type, attempt: job.attempts, outcome: 'retry', error };
    }
    await sql`
      update jobs set status = 'done', finished_at = now(), locked_at = null, locked_by = null
      where id = ${job.id} and locked_by = ${this.workerId}`.execute(db);
    jobLog.debug('job done');
    return { id: job.id, type: job.type, attempt: job.attempts, outcome: 'done' };
  }

  /** Runs due jobs one after another until none is due (or `limit` ran). Returns the results. */
  async runDue(limit = 1000): Promise<JobRunResult[]> {
    const results: JobRunResult[] = [];
    while (results.length < limit) {
      const r = await this.runOnce();
      if (!r) break;
      results.push(r);
    }
    return results;
  }

  /**
   * Returns jobs left `running` by a crashed worker (locked longer than the stale timeout) to
   * the queue, or marks them failed when they have used all their attempts. Returns how many.
   */
  async recoverStale(olderThanMs: number = this.staleAfterMs): Promise<number> {
    const note = 'Worker stopped while running this job (lock expired)';
    const res = await sql`
      update jobs set
        status = case when attempts >= max_attempts then 'failed' else 'pending' end,
        finished_at = case when attempts >= max_attempts then now() else null end,
        last_error = coalesce(last_error, ${note}),
        run_at = now(), locked_at = null, locked_by = null
      where status = 'running' and locked_at < now() - ${Math.round(olderThanMs)}::int * interval '1 millisecond'`.execute(this.opts.db);
    const n = Number(res.numAffectedRows ?? 0n);
    if (n > 0) this.opts.log.warn({ jobs: n }, 'returned abandoned jobs to the queue');
    return n;
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.opts.log.info({ workerId: this.workerId, types: this.types() }, 'job runner started');
    this.loop = this.poll().finally(() => {
      this.loop = null;
    });
  }

  /** Stops polling; waits for the job that is running (if any) to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    if (this.loop) await this.loop;
  }

  /** Wakes a sleeping runner (e.g. after enqueueing urgent work). */
  nudge(): void {
    this.wake?.();
  }

  private async poll(): Promise<void> {
    let lastRecovery = 0;
    while (!this.stopping) {
      let ran = false;
      try {
        if (Date.now() - lastRecovery > Math.min(this.staleAfterMs, 60_000)) {
          lastRecovery = Date.now();
          await this.recoverStale();
        }
        ran = (await this.runOnce()) !== null;
      } catch (err) {
        // The database is unreachable or closing: wait and try again.
        if (!this.stopping) this.opts.log.error({ err }, 'job runner could not poll the jobs table');
      }
      if (!ran && !this.stopping) await this.sleep(this.pollIntervalMs);
    }
    this.opts.log.info({ workerId: this.workerId }, 'job runner stopped');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private async claim() {
    return this.opts.db.transaction().execute(async (trx) => {
      const due = await sql<{ id: bigint }>`
        select id from jobs
        where status = 'pending' and run_at <= now()
        order by run_at, id
        limit 1
        for update skip locked`.execute(trx);
      const id = due.rows[0]?.id;
      if (id === undefined) return null;
      const claimed = await sql<{ id: bigint; type: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>`
        update jobs set status = 'running', locked_at = now(), locked_by = ${this.workerId}, attempts = attempts + 1
        where id = ${id}
        returning id, type, payload, attempts, max_attempts`.execute(trx);
      const row = claimed.rows[0];
      return row ? { ...row, id: String(row.id) } : null;
    });
  }
}
