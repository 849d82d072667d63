import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { isLocale } from './i18n/index.js';
import { jobsAdminRoutes } from './jobs/admin.js';
import { JobRunner } from './jobs/runner.js';
import { deliverMessageHandler } from './messages/delivery.js';
import { DELIVER_MESSAGE_JOB } from './messages/outbox.js';
import { MessageTransports } from './messages/transport.js';
import { installMetrics } from './metrics.js';
import { liveIndexesState } from './text-index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The background job runner: modules register handlers with `app.jobs.register(type, fn)`. */
    jobs: JobRunner;
    /** Message transports by name (MESSAGE_TRANSPORT picks one; `log` is built in). */
    messageTransports: MessageTransports;
  }
}

const LOCALE_COOKIE = 'nl_lang';

/**
 * What every deployment has, whatever modules it runs: health, metrics, the language switch, the
 * job runner (decorated as `app.jobs` before modules register, so they can add handlers) with
 * message delivery, and the admin page of jobs and outbox messages.
 */
/** How long a successful database check of /healthz stands (ms). */
export const HEALTH_CACHE_MS = 1000;

export async function registerPlatformRoutes(app: FastifyInstance) {
  const { config } = app.deps;
  const jobs = new JobRunner({ db: app.deps.db.db, config, log: app.log.child({ component: 'jobs' }) });
  const transports = new MessageTransports();
  app.decorate('jobs', jobs);
  app.decorate('messageTransports', transports);
  jobs.register(DELIVER_MESSAGE_JOB, deliverMessageHandler(transports));
  app.addHook('onReady', async () => {
    if (!transports.get(config.messageTransport)) {
      app.log.error(
        { transport: config.messageTransport, known: transports.names() },
        'MESSAGE_TRANSPORT names no known transport; messages will not be delivered',
      );
    }
  });

  installMetrics(app);
  await jobsAdminRoutes(app);

  // Load balancers and monitors poll /healthz many times a second: a database that answered within
  // the last second is taken as up (concurrent checks share one query); a failure is never cached.
  let lastOk = 0;
  let inFlight: Promise<boolean> | null = null;
  const databaseAnswers = async (): Promise<boolean> => {
    if (Date.now() - lastOk < HEALTH_CACHE_MS) return true;
    inFlight ??= sql`select 1`
      .execute(app.deps.db.db)
      .then(() => {
        lastOk = Date.now();
        return true;
      })
      .catch(() => {
        lastOk = 0;
        return false;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database check',
        security: [],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
            searchIndex: Type.Union([Type.Literal('ready'), Type.Literal('loading'), Type.Literal('off')], {
              description:
                'The in-process indexes (marketplace search, ADR 0014; registry UMKM, ADR 0015) together: loading while one loads; searches and lists use the database until they are ready.',
            }),
          }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      const { kind } = app.deps.db;
      if (await databaseAnswers()) return { status: 'ok' as const, database: kind, searchIndex: liveIndexesState(app.deps.db.db) };
      return reply.status(503).send({ status: 'unavailable' as const, database: kind });
    },
  );

  // Language switch: remembered in a cookie for a year and on the account when logged in.
  app.post('/bahasa', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const locale = isLocale(body.locale) ? body.locale : 'id';
    reply.setCookie(LOCALE_COOKIE, locale, {
      path: '/',
      maxAge: 365 * 86400,
      sameSite: 'lax',
      httpOnly: true,
      secure: app.deps.config.secureCookies,
    });
    if (req.ctx.user) {
      await app.deps.db.db.updateTable('users').set({ locale }).where('id', '=', req.ctx.user.id).execute();
    }
    const next = typeof body.next === 'string' && body.next.startsWith('/') && !body.next.startsWith('//') ? body.next : '/';
    return reply.redirect(next, 303);
  });
}
