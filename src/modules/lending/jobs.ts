import type { FastifyInstance } from 'fastify';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { runArrears } from './service.js';

export const ARREARS_JOB = 'lending.arrears';

/** The next 01:00 WIB (18:00 UTC) after `now`. */
export function nextNightlyRun(now = new Date()): Date {
  const next = new Date(now);
  next.setUTCHours(18, 0, 0, 0);
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

const wibDate = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * The nightly arrears run (penalties, days past due, kolektibilitas, reminders) as a job: each run
 * queues the next night's (one job per night, keyed by its date, so restarts and several
 * processes never queue it twice). The app queues tonight's run when it starts.
 */
export function registerLendingJobs(app: FastifyInstance) {
  const jobs = app.jobs;
  if (!jobs.has(ARREARS_JOB)) {
    jobs.register(ARREARS_JOB, async ({ db, payload }) => {
      const asOf = typeof payload.asOf === 'string' ? payload.asOf : wibDate(new Date());
      const r = await runArrears(db, asOf);
      app.log.info(
        { job: ARREARS_JOB, asOf, loans: r.loans, reminders: r.reminders, penalties: String(r.penaltiesAccrued) },
        'arrears run',
      );
      const next = nextNightlyRun(new Date());
      await enqueueJob(db, ARREARS_JOB, { asOf: wibDate(next) }, { runAt: next, uniqueKey: `${ARREARS_JOB}:${wibDate(next)}` });
    });
  }
  app.addHook('onReady', async () => {
    const next = nextNightlyRun(new Date());
    await enqueueJob(app.deps.db.db, ARREARS_JOB, { asOf: wibDate(next) }, { runAt: next, uniqueKey: `${ARREARS_JOB}:${wibDate(next)}` });
  });
}
