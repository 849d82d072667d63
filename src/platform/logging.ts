import type { FastifyServerOptions } from 'fastify';
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
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
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
