import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { type Db, openFromConfig } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { hasDemoData, seedDemo } from './db/seed/demo.js';
import { syncJournalSequences } from './modules/books/service.js';
import { seedRegions } from './modules/regions/service.js';

export interface Started {
  app: FastifyInstance;
  db: Db;
  seeded: boolean;
}

/**
 * Runs pending migrations; returns their names. When the connection works in a schema other than
 * `public` (tests isolate by schema), Kysely's own bookkeeping tables live in that schema too —
 * otherwise one schema's migration tables would hide another's.
 */
export async function migrate(db: Db): Promise<string[]> {
  const r = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db.db);
  const schema = r.rows[0]?.schema;
  return migrateToLatest(db.db, schema && schema !== 'public' ? schema : undefined);
}

/** Prepares the database (migrate, reference data, demo data when allowed) — idempotent. */
export async function prepareDatabase(db: Db, config: Config, log: (msg: string) => void = () => {}): Promise<{ seeded: boolean }> {
  const applied = await migrate(db);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  const regionCount = await sql<{ n: number }>`select count(*)::int as n from regions`.execute(db.db);
  if ((regionCount.rows[0]?.n ?? 0) === 0) log(`loaded ${await seedRegions(db.db)} regions`);
  let seeded = false;
  // Demo data goes only into an empty embedded database, and never in production unless asked.
  if (config.seedDemo && db.kind === 'pglite') {
    const users = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db.db);
    if ((users.rows[0]?.n ?? 0) === 0) {
      await seedDemo(db.db, config);
      seeded = true;
      log('seeded demo data');
    }
  }
  // Journal numbers come from a sequence per koperasi; bulk-written books (demo data, imports,
  // benchmark data) leave it behind their highest number until this catches it up.
  await syncJournalSequences(db.db);
  return { seeded };
}

export interface StartOptions {
  /**
   * Start polling the jobs table in this process. Default: when IN_PROCESS_JOBS is on and
   * NODE_ENV is not `test` (tests run jobs explicitly with `app.jobs.runOnce()`).
   */
  startJobs?: boolean;
}

/** config → database → app (not listening yet). The job runner stops (finishing its job) when the app closes. */
export async function startApp(config: Config, db?: Db, opts: StartOptions = {}): Promise<Started> {
  const database = db ?? (await openFromConfig(config));
  const logLines: string[] = [];
  const { seeded } = await prepareDatabase(database, config, (m) => logLines.push(m));
  const app = await buildApp({ config, db: database });
  for (const l of logLines) app.log.info(l);
  app.demoMode = await hasDemoData(database.db);
  app.addHook('onClose', async () => {
    await app.jobs.stop();
    if (!db) await database.close();
  });
  const startJobs = opts.startJobs ?? (config.inProcessJobs && config.nodeEnv !== 'test');
  if (startJobs) app.addHook('onReady', async () => app.jobs.start());
  return { app, db: database, seeded };
}
