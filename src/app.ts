import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyKitaHtml from '@kitajs/fastify-html-plugin';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import { registerModules } from './modules/index.js';
import { projectPath } from './paths.js';
import { resolveSession, SESSION_COOKIE } from './platform/auth/sessions.js';
import type { RequestContext } from './platform/context.js';
import { installErrorHandling } from './platform/http/errors.js';
import { isLocale, negotiateLocale, translator } from './platform/i18n/index.js';
import { loggerOptions } from './platform/logging.js';
import { registerPlatformRoutes } from './platform/routes.js';
import { installSecurityHeaders } from './platform/security-headers.js';
import { AJV_OPTIONS } from './platform/validation.js';
import { NavRegistry } from './platform/web/nav.js';
import type { Flash, PageContext } from './platform/web/page.js';

export const PUBLIC_DIR = projectPath('public');
const HTMX_DIR = projectPath('node_modules/htmx.org/dist');

export const LOCALE_COOKIE = 'nl_lang';
export const FLASH_COOKIE = 'nl_flash';

export interface AppDeps {
  config: Config;
  db: Db;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    nav: NavRegistry;
    /** True when demo data is present: every page then says so. */
    demoMode: boolean;
  }
  interface FastifyRequest {
    ctx: RequestContext;
    /** The page context for templates (creates a CSRF token on first use). */
    page(reply: FastifyReply): PageContext;
  }
  interface FastifyReply {
    /** Sets a one-time message shown on the next page. */
    flash(flash: Flash): FastifyReply;
  }
}

export type App = FastifyInstance;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.bodyLimit,
    trustProxy: process.env.TRUST_PROXY === 'true',
    ajv: { customOptions: AJV_OPTIONS },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.decorate('nav', new NavRegistry());
  app.decorate('demoMode', false);

  installErrorHandling(app);

  // Text responses (pages, JSON, CSS, JS) gzip-compressed for clients that ask: a page with its
  // CSS and scripts goes from ~100 KB to ~37 KB on a slow phone connection. Level 1: on the home
  // page 1,600 req/s against 1,250 at level 6 and 1,150 with brotli (quality 4; at quality 1 brotli
  // came out larger than gzip at level 1). It costs CPU (product page 494 → 301 req/s measured,
  // docs/BENCHMARKS.md): COMPRESSION=false when a proxy in front (nginx, a CDN) compresses instead.
  // Images (WebP) and PDFs are not compressed again.
  if (config.compression)
    await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['gzip'], zlibOptions: { level: 1 } });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 5, fields: 100 } });
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    // API JSON and assets are same-origin; allow images to be shared in chats (OpenGraph).
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: config.secureCookies,
  });
  await app.register(fastifyCsrf, {
    cookieKey: 'nl_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined);
    },
  });
  await app.register(fastifyKitaHtml);

  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/static/',
    maxAge: config.nodeEnv === 'production' ? '7d' : 0,
    preCompressed: false,
  });
  await app.register(fastifyStatic, {
    root: HTMX_DIR,
    prefix: '/static/vendor/',
    decorateReply: false,
    allowedPath: (p) => p === '/htmx.min.js',
    maxAge: config.nodeEnv === 'production' ? '7d' : 0,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Ngalam Laris API',
        version: '1',
        description:
          'JSON API of Ngalam Laris. Authenticate with `POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`. Money is whole Rupiah as JSON integers. Errors are `{ "error": { "code", "message", "details" } }`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    hideUntagged: false,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false, uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Who is asking, and in which language.
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateRequest('page', function (this: FastifyRequest, reply: FastifyReply) {
    return buildPage(app, this, reply);
  });
  app.decorateReply('flash', function (this: FastifyReply, flash: Flash) {
    this.setCookie(FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: 60,
    });
    return this;
  });

  app.addHook('onRequest', async (req) => {
    const isApi = req.url.startsWith('/api/');
    let user = null;
    if (isApi) {
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer ')) user = await resolveSession(deps.db.db, auth.slice(7).trim(), 'api');
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) user = await resolveSession(deps.db.db, token, 'web');
    }
    const query = req.query as Record<string, unknown> | undefined;
    const queryLang = typeof query?.lang === 'string' ? query.lang : undefined;
    const locale = negotiateLocale(queryLang, req.cookies[LOCALE_COOKIE], user?.locale);
    req.ctx = { user, locale, t: translator(locale), ip: req.ip ?? null, channel: isApi ? 'api' : 'web' };
  });

  // CSRF on every state-changing web request (API requests carry a bearer token, never cookies).
  app.addHook('preHandler', (req, reply, done) => {
    if (req.url.startsWith('/api/') || ['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return done();
    app.csrfProtection(req, reply, done);
  });

  await registerPlatformRoutes(app);
  await registerModules(app);
  return app;
}

function buildPage(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): PageContext {
  let flash: Flash | null = null;
  const raw = req.cookies[FLASH_COOKIE];
  if (raw) {
    try {
      const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
      if (parsed && typeof parsed.key === 'string' && ['success', 'error', 'info'].includes(parsed.kind)) flash = parsed;
    } catch {
      flash = null;
    }
    reply.clearCookie(FLASH_COOKIE, { path: '/' });
  }
  const roles = req.ctx.user ? req.ctx.user.roles.map((r) => r.role) : null;
  return {
    ctx: req.ctx,
    t: req.ctx.t,
    locale: req.ctx.locale,
    csrfToken: reply.generateCsrf(),
    flash: flash && isKnownKey(req, flash) ? flash : null,
    nav: app.nav.visibleTo(roles),
    demoMode: app.demoMode,
    url: req.url,
  };
}

function isKnownKey(req: FastifyRequest, flash: Flash) {
  // translate() falls back to the key itself for unknown keys; only show real messages.
  return req.ctx.t(flash.key) !== flash.key;
}

export { isLocale };
