import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  logLevel: LogLevel;
  nodeEnv: string;
  /** Seed demo accounts/data on an empty database (default: true unless NODE_ENV=production). */
  seedDemo: boolean;
  /** Run the job runner inside the web process (default true; set false when `npm run worker` runs apart). */
  inProcessJobs: boolean;
  /** Public base URL used in messages (password reset links). */
  publicUrl: string;
  /** Cookie `secure` flag: true in production (behind TLS). */
  secureCookies: boolean;
  /** gzip text responses for clients that ask (default true; false when a proxy in front compresses). */
  compression: boolean;
  /** Database pool size for PostgreSQL. */
  dbPoolSize: number;
  /** PostgreSQL: repeated queries as named prepared statements (off behind a transaction-mode pooler). */
  dbPreparedStatements: boolean;
  /** Mail/message transport: `log` (default) writes the message to the log. */
  messageTransport: string;
  /** Max request body in bytes. */
  bodyLimit: number;
  /** Hours an unpaid marketplace order waits for payment before it cancels itself. */
  orderPaymentTimeoutHours: number;
  /** Marketplace searches from an in-process index of the live products (ADR 0014; default true). */
  searchIndex: boolean;
  /** App processes sharing the port (node:cluster), one per core; PostgreSQL only (default 1). */
  webConcurrency: number;
}

export class ConfigError extends Error {}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${v}")`);
  }
  return n;
}

/** Reads and validates the environment once. Throws ConfigError with one line saying what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const port = int('PORT', env.PORT, 3000, 0, 65535);
  const logLevel = (env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info')) as LogLevel;
  if (!LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}"); unset it to use the embedded database`,
    );
  }
  const webConcurrency = int('WEB_CONCURRENCY', env.WEB_CONCURRENCY, 1, 1, 64);
  if (webConcurrency > 1 && !databaseUrl) {
    throw new ConfigError('WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database belongs to one process');
  }
  const demoPassword = env.DEMO_PASSWORD ?? 'demo12345';
  if (demoPassword.length < 8) throw new ConfigError('DEMO_PASSWORD must be at least 8 characters');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl,
    demoPassword,
    logLevel,
    nodeEnv,
    seedDemo: bool(env.SEED_DEMO, !production),
    inProcessJobs: bool(env.IN_PROCESS_JOBS, true),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    secureCookies: bool(env.SECURE_COOKIES, production),
    compression: bool(env.COMPRESSION, true),
    dbPoolSize: int('DB_POOL_SIZE', env.DB_POOL_SIZE, 10, 1, 200),
    dbPreparedStatements: bool(env.DB_PREPARED_STATEMENTS, true),
    messageTransport: env.MESSAGE_TRANSPORT ?? 'log',
    bodyLimit: int('BODY_LIMIT', env.BODY_LIMIT, 1024 * 1024, 1024, 100 * 1024 * 1024),
    orderPaymentTimeoutHours: int('ORDER_PAYMENT_TIMEOUT_HOURS', env.ORDER_PAYMENT_TIMEOUT_HOURS, 24, 1, 720),
    searchIndex: bool(env.SEARCH_INDEX, true),
    webConcurrency,
  };
}
