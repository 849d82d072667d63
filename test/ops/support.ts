import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { startApp } from '../../src/bootstrap.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Db, openDatabase } from '../../src/db/index.js';
import type { LoggingConfig } from '../../src/platform/logging.js';

export interface LoggedApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  /** Everything the app logged so far, one JSON line each. */
  logText(): string;
  logLines(): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Like createTestApp, but the app logs at `info` into a buffer the test can read (so a test can
 * check what an operator would find in the log). PGlite in memory, or a fresh schema on
 * TEST_DATABASE_URL.
 */
export async function createLoggedApp(env: Record<string, string> = {}): Promise<LoggedApp> {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const config: LoggingConfig = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', DEMO_PASSWORD: 'demo12345', SEED_DEMO: 'true', ...env }),
    logStream: stream,
  };
  const url = process.env.TEST_DATABASE_URL;
  let db: Db;
  let dropSchema: (() => Promise<void>) | undefined;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('create extension if not exists pg_trgm; create extension if not exists btree_gin');
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
  const started = await startApp(config, db);
  // Demo seeding happens on its own only on PGlite; on PostgreSQL seed here too, when asked.
  if (db.kind === 'postgresql' && config.seedDemo) {
    const { seedDemo, hasDemoData } = await import('../../src/db/seed/demo.js');
    if (!(await hasDemoData(db.db))) await seedDemo(db.db, config);
  }
  await started.app.ready();
  const logText = () => chunks.join('');
  return {
    app: started.app,
    db,
    config,
    logText,
    logLines: () =>
      logText()
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      await started.app.close();
      await db.close();
      if (dropSchema) await dropSchema();
    },
  };
}
