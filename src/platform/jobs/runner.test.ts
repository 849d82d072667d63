import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { enqueueJob } from './queue.js';
import { JobRunner, RETRY_MAX_MS, retryDelayMs } from './runner.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
});
afterAll(async () => {
  await t?.close();
});

async function jobRow(type: string) {
  return t.db.db
    .selectFrom('jobs')
    .select(['id', 'status', 'attempts', 'max_attempts', 'last_error', 'finished_at', 'locked_at', 'locked_by'])
    .select(sql<boolean>`run_at > now()`.as('in_future'))
    .where('type', '=', type)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

/** Moves a job's schedule to now, as if its backoff delay had passed. */
async function makeDue(type: string) {
  await sql`update jobs set run_at = now() where type = ${type} and status = 'pending'`.execute(t.db.db);
}

function newRunner(workerId: string) {
  return new JobRunner({ db: t.db.db, config: t.config, log: t.app.log, workerId });
}

describe('retry delay', () => {
  it('doubles from 30 seconds per attempt, within ±20 % jitter, capped at an hour', () => {
    expect(retryDelayMs(1, 0.5)).toBe(30_000);
    expect(retryDelayMs(2, 0.5)).toBe(60_000);
    expect(retryDelayMs(3, 0.5)).toBe(120_000);
    expect(retryDelayMs(1, 0)).toBe(24_000);
    expect(retryDelayMs(1, 1)).toBe(36_000);
    expect(retryDelayMs(30, 0.5)).toBe(RETRY_MAX_MS);
    expect(retryDelayMs(30, 1)).toBe(RETRY_MAX_MS * 1.2);
    for (let a = 1; a < 12; a++) expect(retryDelayMs(a + 1, 0.5)).toBeGreaterThanOrEqual(retryDelayMs(a, 0.5));
  });
});

describe('job runner', () => {
  it('is not polling in tests: jobs wait until the test runs them', () => {
    expect(t.app.jobs.running).toBe(false);
    expect(t.app.jobs.has('message.deliver')).toBe(true);
  });

  it('runs a due job with its payload and marks it done', async () => {
    const seen: unknown[] = [];
    t.app.jobs.register('test.record', async ({ payload, job }) => {
      seen.push({ payload, attempt: job.attempt });
    });
    await enqueueJob(t.db.db, 'test.record', { umkm: 'Keripik Tempe Sanan' });
    const result = await t.app.jobs.runOnce();
    expect(result).toMatchObject({ type: 'test.record', outcome: 'done', attempt: 1 });
    expect(seen).toEqual([{ payload: { umkm: 'Keripik Tempe Sanan' }, attempt: 1 }]);
    const row = await jobRow('test.record');
    expect(row).toMatchObject({ status: 'done', attempts: 1, last_error: null, locked_by: null });
    expect(row.finished_at).not.toBeNull();
    expect(await t.app.jobs.runOnce()).toBeNull();
  });

  it('does not run a job before its time', async () => {
    const ran: string[] = [];
    t.app.jobs.register('test.later', async () => {
      ran.push('x');
    });
    await enqueueJob(t.db.db, 'test.later', {}, { runAt: new Date(Date.now() + 3600_000) });
    expect(await t.app.jobs.runDue()).toEqual([]);
    expect(ran).toEqual([]);
    expect((await jobRow('test.later')).status).toBe('pending');
    await makeDue('test.later');
    expect((await t.app.jobs.runDue()).map((r) => r.outcome)).toEqual(['done']);
  });

  it('retries a failing job later with backoff, then marks it failed with the last error', async () => {
    let calls = 0;
    t.app.jobs.register('test.flaky', async () => {
      calls++;
      throw new Error(`gateway down (${calls})`);
    });
    await enqueueJob(t.db.db, 'test.flaky', {}, { maxAttempts: 3 });

    expect(await t.app.jobs.runOnce()).toMatchObject({ outcome: 'retry', attempt: 1, error: 'gateway down (1)' });
    let row = await jobRow('test.flaky');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down (1)', in_future: true, locked_by: null });
    // Not due again until the backoff has passed.
    expect(await t.app.jobs.runOnce()).toBeNull();

    await makeDue('test.flaky');
    expect(await t.app.jobs.runOnce()).toMatchObject({ outcome: 'retry', attempt: 2 });
    await makeDue('test.flaky');
    expect(await t.app.jobs.runOnce()).toMatchObject({ outcome: 'failed', attempt: 3, error: 'gateway down (3)' });
    row = await jobRow('test.flaky');
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: 'gateway down (3)' });
    expect(row.finished_at).not.toBeNull();
    await makeDue('test.flaky');
    expect(await t.app.jobs.runOnce()).toBeNull();
    expect(calls).toBe(3);
  });

  it('keeps a job of an unknown type and says why it did not run', async () => {
    await enqueueJob(t.db.db, 'test.nobody-handles-this', {}, { maxAttempts: 1 });
    expect(await t.app.jobs.runOnce()).toMatchObject({ outcome: 'failed' });
    const row = await jobRow('test.nobody-handles-this');
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('test.nobody-handles-this');
  });

  it('refuses a second handler for the same type', () => {
    expect(() => t.app.jobs.register('message.deliver', async () => {})).toThrow(/already registered/);
  });

  it('returns jobs abandoned by a crashed worker to the queue, and fails those out of attempts', async () => {
    const ran: string[] = [];
    t.app.jobs.register('test.abandoned', async ({ payload }) => {
      ran.push(String(payload.n));
    });
    await enqueueJob(t.db.db, 'test.abandoned', { n: 1 }, { maxAttempts: 3 });
    await enqueueJob(t.db.db, 'test.abandoned', { n: 2 }, { maxAttempts: 1 });
    // A worker claimed both an hour ago and died.
    await sql`update jobs set status = 'running', attempts = 1, locked_by = 'dead-worker', locked_at = now() - interval '1 hour'
              where type = 'test.abandoned'`.execute(t.db.db);
    // A job locked a moment ago is still someone's work.
    await enqueueJob(t.db.db, 'test.busy', {});
    await sql`update jobs set status = 'running', attempts = 1, locked_by = 'live-worker', locked_at = now() where type = 'test.busy'`.execute(
      t.db.db,
    );

    expect(await t.app.jobs.recoverStale(10 * 60_000)).toBe(2);
    const rows = await t.db.db
      .selectFrom('jobs')
      .select(['type', 'status', 'locked_by', 'last_error', sql<string>`payload->>'n'`.as('n')])
      .where('type', 'in', ['test.abandoned', 'test.busy'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.type, r.n, r.status, r.locked_by])).toEqual([
      ['test.abandoned', '1', 'pending', null],
      ['test.abandoned', '2', 'failed', null],
      ['test.busy', null, 'running', 'live-worker'],
    ]);
    expect(rows[0]?.last_error).toMatch(/lock expired/);
    await t.app.jobs.runDue();
    expect(ran).toEqual(['1']);
    await sql`update jobs set status = 'done' where type = 'test.busy'`.execute(t.db.db);
  });

  it('never gives one job to two runners', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const isRunning = new Promise<void>((r) => {
      started = r;
    });
    const a = newRunner('runner-a');
    const b = newRunner('runner-b');
    const runs: string[] = [];
    for (const [r, name] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      r.register('test.once', async () => {
        runs.push(name);
        started();
        await gate;
      });
    }
    await enqueueJob(t.db.db, 'test.once', {});
    const first = a.runOnce();
    await isRunning;
    expect(await b.runOnce()).toBeNull();
    release();
    expect(await first).toMatchObject({ outcome: 'done' });
    expect(runs).toEqual(['a']);
    expect((await jobRow('test.once')).status).toBe('done');
  });

  it.runIf(process.env.TEST_DATABASE_URL)('skips a job locked by another transaction and takes the next one (PostgreSQL)', async () => {
    const runner = newRunner('runner-skip');
    const ran: string[] = [];
    runner.register('test.skip', async ({ payload }) => {
      ran.push(String(payload.n));
    });
    await enqueueJob(t.db.db, 'test.skip', { n: 1 });
    await enqueueJob(t.db.db, 'test.skip', { n: 2 });
    await t.db.db.transaction().execute(async (trx) => {
      await sql`select id from jobs where type = 'test.skip' and payload->>'n' = '1' for update`.execute(trx);
      expect(await runner.runOnce()).toMatchObject({ outcome: 'done' });
      expect(ran).toEqual(['2']);
      expect(await runner.runOnce()).toBeNull();
    });
    expect(await runner.runOnce()).toMatchObject({ outcome: 'done' });
    expect(ran).toEqual(['2', '1']);
  });

  it('when started, picks up queued work by itself and, when stopped, finishes the job it is running', async () => {
    const runner = newRunner('runner-loop');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const isRunning = new Promise<void>((r) => {
      started = r;
    });
    runner.register('test.loop', async () => {
      started();
      await gate;
    });
    await enqueueJob(t.db.db, 'test.loop', {});
    runner.start();
    expect(runner.running).toBe(true);
    await isRunning;
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    expect((await jobRow('test.loop')).status).toBe('running');
    release();
    await stopping;
    expect(runner.running).toBe(false);
    expect((await jobRow('test.loop')).status).toBe('done');
  });
});
