import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from '../config.js';

/** Paths pino blanks in every log line: no passwords, tokens, cookies or NIK ever reach the log. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.token',
  '*.nik',
  '*.ownerNik',
  '*.owner_nik',
  '*.newPassword',
  '*.currentPassword',
  '*.passwordConfirm',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-csrf-token"]',
];

/**
 * A config that may carry its own log destination (tests capture the log this way; in
 * production the log goes to stdout as JSON lines).
 */
export type LoggingConfig = Config & { logStream?: DestinationStream };

export function loggerOptions(config: LoggingConfig): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    ...(config.logStream ? { stream: config.logStream } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Log the path without the query string: queries can carry search words, tokens or NIK.
      req(req) {
        return {
          method: req.method,
          url: req.url.split('?')[0],
          ip: req.ip,
          reqId: req.id,
          userAgent: req.headers['user-agent'],
        };
      },
    },
  };
}
