import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { PGliteDialect } from './pglite-dialect.js';
import { preparingClient } from './prepared.js';
import type { Database } from './types.js';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Db {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** Only for PGlite: the underlying instance (for dumps in tests). */
  pglite?: PGlite;
  /** Only for PostgreSQL: the connection URL (tests open a second handle, as a second process would). */
  url?: string;
}

export class StartupError extends Error {}

// Type parsers shared by both drivers: int8 (money, ids) as JS bigint — never a float;
// date as 'YYYY-MM-DD' text so a calendar day never shifts with the time zone; numeric as text.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const parsers = {
  [INT8]: (v: string) => BigInt(v),
  [DATE]: (v: string) => v,
  [NUMERIC]: (v: string) => v,
};

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  /** PostgreSQL: name repeated queries as prepared statements (ADR 0013); default on. */
  preparedStatements?: boolean;
  /** PostgreSQL schema to use (tests isolate by schema). */
  schema?: string;
  /** PGlite: start from a dumped data directory (tests). */
  loadDataDir?: Blob | File;
  /** PGlite: in memory instead of on disk. */
  memory?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.schema, opts.preparedStatements ?? true);
  return openPglite(opts);
}

export function openFromConfig(config: Config): Promise<Db> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    preparedStatements: config.dbPreparedStatements,
  });
}

async function openPostgres(url: string, max: number, schema: string | undefined, prepared: boolean): Promise<Db> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      const p = (parsers as Record<number, (v: string) => unknown>)[oid];
      if (p) return p;
      // biome-ignore lint/suspicious/noExplicitAny: pg's typing of getTypeParser is overloaded
      return (pg.types.getTypeParser as any)(oid, format);
    },
  };
  const pool = new pg.Pool({
    ...(prepared ? { Client: preparingClient() } : {}),
    connectionString: url,
    max,
    types,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  pool.on('error', () => {
    /* idle client errors are reported on next use */
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    const e = err as NodeJS.ErrnoException & { code?: string };
    const safeUrl = url.replace(/\/\/([^:@/]*)(:[^@]*)?@/, '//$1:***@');
    let hint = e.message;
    if (e.code === 'ECONNREFUSED') hint = 'nothing is listening there; is PostgreSQL running?';
    else if (e.code === 'ENOTFOUND') hint = 'the host name is unknown';
    else if (e.code === '3D000') hint = 'the database does not exist; create it first';
    else if (e.code === '28P01' || e.code === '28000') hint = 'the user name or password was refused';
    throw new StartupError(`Cannot connect to DATABASE_URL ${safeUrl}: ${hint}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgresql', url, close: () => db.destroy() };
}

async function openPglite(opts: OpenOptions): Promise<Db> {
  let dataDir: string | undefined;
  if (!opts.memory) {
    dataDir = path.resolve(opts.dataDir ?? './data');
    const pgDir = path.join(dataDir, 'pglite');
    try {
      fs.mkdirSync(pgDir, { recursive: true });
      fs.accessSync(pgDir, fs.constants.W_OK);
      const probe = path.join(dataDir, '.write-test');
      fs.writeFileSync(probe, 'ok');
      fs.rmSync(probe);
    } catch (err) {
      throw new StartupError(
        `DATA_DIR ${dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'}); set DATA_DIR to a folder this user can write`,
      );
    }
    dataDir = pgDir;
  }
  // Loaded only when used: a PostgreSQL deployment never pays PGlite's memory.
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  const pglite = new PGlite({
    dataDir,
    extensions: { pg_trgm },
    parsers,
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** True when the database has no users yet (first start). */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db);
  return (r.rows[0]?.n ?? 0) === 0;
}
