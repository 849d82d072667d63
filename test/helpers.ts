import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { startApp } from '../src/bootstrap.js';
import { type Config, loadConfig } from '../src/config.js';
import { type Db, openDatabase } from '../src/db/index.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file, with demo data: PGlite in memory by default,
 * or an isolated schema on the PostgreSQL server named by TEST_DATABASE_URL.
 */
export async function createTestApp(opts: { seedDemo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_PASSWORD: 'demo12345',
    SEED_DEMO: opts.seedDemo === false ? 'false' : 'true',
    ...(opts.env ?? {}),
  });
  const url = process.env.TEST_DATABASE_URL;
  let db: Db;
  let dropSchema: (() => Promise<void>) | undefined;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('create extension if not exists pg_trgm');
    await admin.query(`create schema ${schema}`);
    await admin.end();
    db = await openDatabase({ databaseUrl: url, schema, poolSize: 5 });
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  } else {
    db = await openDatabase({ memory: true });
  }
  // Demo seeding normally happens only on PGlite; tests want the same data on both.
  const started = await startApp({ ...config }, db);
  if (db.kind === 'postgresql' && opts.seedDemo !== false) {
    const { seedDemo, hasDemoData } = await import('../src/db/seed/demo.js');
    if (!(await hasDemoData(db.db))) await seedDemo(db.db, config);
    const { syncJournalSequences } = await import('../src/modules/books/service.js');
    await syncJournalSequences(db.db);
    started.app.demoMode = await hasDemoData(db.db);
  }
  await started.app.ready();
  return {
    app: started.app,
    db,
    config,
    async close() {
      await started.app.close();
      await db.close();
      if (dropSchema) await dropSchema();
    },
  };
}

/** Logs in through the API and returns the bearer token. */
export async function apiLogin(app: FastifyInstance, login: string, password = 'demo12345'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login ${login} failed: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}

export function withToken(token: string, opts: InjectOptions): InjectOptions {
  return { ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` } };
}

export { sql };
