import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { AppError, fromDatabaseError } from '../errors.js';
import { type MessageKey, negotiateLocale, translator } from '../i18n/index.js';
import { toFieldIssues } from '../validation.js';
import { ErrorPage } from '../web/error-page.js';

export function isApiRequest(req: FastifyRequest) {
  return req.url.startsWith('/api/') || req.url === '/api';
}

/** Turns anything thrown into an AppError the user can act on, or undefined for a real bug. */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError & { validation?: unknown[] };
  if (fe?.validation && Array.isArray(fe.validation)) {
    // biome-ignore lint/suspicious/noExplicitAny: ajv error objects
    return new AppError('validation_failed', 'error.validation', {}, undefined, toFieldIssues(fe.validation as any));
  }
  const db = fromDatabaseError(err);
  if (db) return db;
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'error.badJson');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
      return new AppError('payload_too_large', 'error.payloadTooLarge');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('bad_request', 'error.unsupportedMediaType');
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError('forbidden', 'error.csrf');
  }
  if (fe?.statusCode === 429) return new AppError('rate_limited', 'error.rateLimited', { minutes: 15 });
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('bad_request', 'error.badRequest');
  return undefined;
}

function ctxOf(req: FastifyRequest): RequestContext {
  if (req.ctx) return req.ctx;
  const locale = negotiateLocale(req.cookies?.nl_lang);
  return { user: null, locale, t: translator(locale), ip: req.ip ?? null, channel: isApiRequest(req) ? 'api' : 'web' };
}

export function errorBody(ctx: RequestContext, err: AppError) {
  const fields = err.fields.length
    ? { fields: err.fields.map((f) => ({ field: f.field, message: ctx.t(f.message, f.params) })) }
    : undefined;
  const details = err.details !== undefined || fields ? { ...(fields ?? {}), ...((err.details as object) ?? {}) } : {};
  return { error: { code: err.code, message: ctx.t(err.messageKey, err.params), details } };
}

export async function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const ctx = ctxOf(req);
  if (!req.ctx) req.ctx = ctx;
  if (isApiRequest(req)) {
    return reply.status(err.status).type('application/json; charset=utf-8').send(errorBody(ctx, err));
  }
  if (err.code === 'unauthorized' && req.method === 'GET') {
    return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`);
  }
  const titleKey: MessageKey =
    err.status === 404
      ? 'error.page.notFoundTitle'
      : err.status === 403
        ? 'error.page.forbiddenTitle'
        : err.status === 401
          ? 'error.page.unauthorizedTitle'
          : 'error.page.internalTitle';
  return reply
    .status(err.status)
    .type('text/html; charset=utf-8')
    .send(ErrorPage({ page: req.page(reply), status: err.status, title: ctx.t(titleKey), message: ctx.t(err.messageKey, err.params) }));
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler(async (error, req, reply) => {
    const appErr = toAppError(error);
    if (appErr) {
      if (appErr.status >= 500) req.log.error({ err: error }, 'request failed');
      return sendError(req, reply, appErr);
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendError(req, reply, new AppError('internal_error', 'error.internal'));
  });
  app.setNotFoundHandler(async (req, reply) => sendError(req, reply, new AppError('not_found', 'error.notFound')));
}
