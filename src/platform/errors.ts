import type { MessageKey } from './i18n/index.js';

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rule_violated'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal_error';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rule_violated: 422,
  rate_limited: 429,
  internal_error: 500,
};

/** One field problem: the field name (API name) and a translatable message. */
export interface FieldIssue {
  field: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * The one application error. `messageKey` is translated for the user when it is rendered;
 * `details` carries field issues (validation) or structured facts (which item is out of stock).
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly details: unknown = undefined,
    readonly fields: FieldIssue[] = [],
  ) {
    super(`${code}: ${messageKey}`);
    this.status = HTTP_STATUS[code];
  }
}

export const notFound = (key: MessageKey = 'error.notFound') => new AppError('not_found', key);
export const forbidden = (key: MessageKey = 'error.forbidden') => new AppError('forbidden', key);
export const unauthorized = (key: MessageKey = 'error.unauthorized') => new AppError('unauthorized', key);
export const conflict = (key: MessageKey, params: Record<string, string | number> = {}, details?: unknown) =>
  new AppError('conflict', key, params, details);
export const ruleViolated = (key: MessageKey, params: Record<string, string | number> = {}, details?: unknown) =>
  new AppError('rule_violated', key, params, details);
export const validationFailed = (fields: FieldIssue[]) => new AppError('validation_failed', 'error.validation', {}, undefined, fields);

/** PostgreSQL error codes that are the user's doing, mapped once (Medusa-style). */
export function fromDatabaseError(err: unknown): AppError | undefined {
  const code = (err as { code?: string })?.code;
  if (code === '23505') return new AppError('conflict', 'error.duplicate');
  if (code === '23503') return new AppError('conflict', 'error.referenced');
  if (code === '40001' || code === '40P01') return new AppError('conflict', 'error.retry');
  if (code === '22P02' || code === '22003' || code === '22007' || code === '22008') return new AppError('bad_request', 'error.badValue');
  return undefined;
}
