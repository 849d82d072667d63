import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { isLocale } from './i18n/index.js';

const LOCALE_COOKIE = 'nl_lang';

/** Routes every deployment has, whatever modules it runs: health and the language switch. */
export async function registerPlatformRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database check',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]) }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      const { db, kind } = app.deps.db;
      try {
        await sql`select 1`.execute(db);
        return { status: 'ok' as const, database: kind };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: kind });
      }
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
