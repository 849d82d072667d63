import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { startApp } from '../src/bootstrap.js';
import { type Config, loadConfig } from '../src/config.js';
import { type Db, openDatabase } from '../src/db/index.js';
import { startLiveIndexes } from '../src/platform/text-index.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

// Env keys that change what the database holds after start-up: a test passing one of them gets a
// database built from scratch instead of a copy of the shared snapshot.
const SEED_KEYS = ['SEED_DEMO', 'DEMO_PASSWORD', 'NODE_ENV'];

let snapshotKeyCache: string | undefined;
/**
 * Names the snapshot of a migrated (and seeded) database: a hash of every source file and today's
 * date in WIB (the demo books run up to last month), so a code change or a new day builds a new one.
 */
function snapshotKey(seeded: boolean): string {
  if (!snapshotKeyCache) {
    const h = createHash('sha256');
    const root = path.resolve(import.meta.dirname, '..', 'src');
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (!/\.test\.tsx?$/.test(e.name)) h.update(f).update(readFileSync(f));
      }
    };
    walk(root);
    h.update(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10));
    snapshotKeyCache = h.digest('hex').slice(0, 16);
  }
  return `${snapshotKeyCache}_${seeded ? 'demo' : 'empty'}`;
}

const SNAPSHOT_ROOT = path.join(tmpdir(), 'ngalam-test-snapshots');

/** Runs `fn` holding a lock directory (created atomically), so parallel test workers build a snapshot once. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(SNAPSHOT_ROOT, { recursive: true });
  const lock = path.join(SNAPSHOT_ROOT, `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes was left by a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Starts the app once on `db` the way production does (migrate, regions, demo data when asked). */
async function buildDatabase(db: Db, config: Config, seeded: boolean) {
  const started = await startApp({ ...config }, db);
  if (db.kind === 'postgresql' && seeded) {
    // Demo seeding normally happens only on PGlite; tests want the same data on both.
    const { seedDemo, hasDemoData } = await import('../src/db/seed/demo.js');
    if (!(await hasDemoData(db.db))) await seedDemo(db.db, config);
  }
  await started.app.close();
}

/** The PGlite snapshot (a data-directory dump) and the uploaded files of a seeded start, built once. */
async function pgliteSnapshot(config: Config, seeded: boolean): Promise<{ dump: string; files: string }> {
  const key = snapshotKey(seeded);
  const dir = path.join(SNAPSHOT_ROOT, `pglite_${key}`);
  const out = { dump: path.join(dir, 'pglite.tar'), files: path.join(dir, 'files') };
  if (existsSync(out.dump)) return out;
  return withLock(`pglite_${key}`, async () => {
    if (existsSync(out.dump)) return out;
    const build = mkdtempSync(path.join(SNAPSHOT_ROOT, 'build-'));
    const db = await openDatabase({ memory: true });
    await buildDatabase(db, { ...config, dataDir: build }, seeded);
    const tar = await (db.pglite as NonNullable<Db['pglite']>).dumpDataDir('none');
    await db.close();
    mkdirSync(build, { recursive: true });
    writeFileSync(path.join(build, 'pglite.tar'), Buffer.from(await tar.arrayBuffer()));
    mkdirSync(path.join(build, 'files'), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(build, dir);
    return out;
  });
}

/** A template database on the PostgreSQL server holding a migrated (and seeded) database, built once. */
async function postgresTemplate(url: string, config: Config, seeded: boolean): Promise<{ name: string; files: string }> {
  const key = snapshotKey(seeded);
  const name = `ngalam_tpl_${key}`;
  const files = path.join(SNAPSHOT_ROOT, `${name}_files`);
  const exists = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    } finally {
      await c.end();
    }
  };
  if ((await exists()) && existsSync(files)) return { name, files };
  return withLock(name, async () => {
    if ((await exists()) && existsSync(files)) return { name, files };
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const building = `${name}_build`;
    try {
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const buildUrl = new URL(url);
      buildUrl.pathname = `/${building}`;
      const pre = new pg.Client({ connectionString: buildUrl.toString() });
      await pre.connect();
      await pre.query('create extension if not exists pg_trgm; create extension if not exists btree_gin');
      await pre.end();
      const dataDir = mkdtempSync(path.join(SNAPSHOT_ROOT, 'build-'));
      const db = await openDatabase({ databaseUrl: buildUrl.toString(), poolSize: 5 });
      await buildDatabase(db, { ...config, dataDir }, seeded);
      await db.close();
      mkdirSync(path.join(dataDir, 'files'), { recursive: true });
      rmSync(files, { recursive: true, force: true });
      renameSync(path.join(dataDir, 'files'), files);
      rmSync(dataDir, { recursive: true, force: true });
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`alter database ${building} rename to ${name}`);
      // Templates of earlier code versions or days are no longer used.
      const old = await admin.query(
        `select datname from pg_database where datname like 'ngalam\\_tpl\\_%' and datname not like $1 and datname not like '%\\_build'`,
        [`ngalam_tpl_${snapshotKeyCache}_%`],
      );
      for (const r of old.rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    } finally {
      await admin.end();
    }
    return { name, files };
  });
}

/**
 * A fresh, migrated database for one test file, with demo data: PGlite in memory by default, or a
 * database of its own on the PostgreSQL server named by TEST_DATABASE_URL. Both start from a
 * snapshot built once per code version and day (a PGlite data-directory dump, a PostgreSQL
 * template database), which is exactly what a first start would have written; a test that passes
 * settings affecting the seed gets a database built from scratch.
 */
export async function createTestApp(opts: { seedDemo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  // Uploaded files (demo photos, payment proofs, scans) go to a folder of this test app's own,
  // removed on close, never into the project's ./data.
  const ownDir = opts.env?.DATA_DIR ? null : mkdtempSync(path.join(tmpdir(), 'ngalam-test-data-'));
  const config = loadConfig({
    ...(ownDir ? { DATA_DIR: ownDir } : {}),
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_PASSWORD: 'demo12345',
    SEED_DEMO: opts.seedDemo === false ? 'false' : 'true',
    ...(opts.env ?? {}),
  });
  const seeded = opts.seedDemo !== false;
  const fromSnapshot = !Object.keys(opts.env ?? {}).some((k) => SEED_KEYS.includes(k));
  const url = process.env.TEST_DATABASE_URL;
  let db: Db;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (url) {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    if (fromSnapshot) {
      const tpl = await postgresTemplate(url, config, seeded);
      await admin.query(`create database ${name} template ${tpl.name}`);
      cpSync(tpl.files, path.join(config.dataDir, 'files'), { recursive: true });
    } else {
      await admin.query(`create database ${name}`);
    }
    await admin.end();
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    if (!fromSnapshot) {
      const pre = new pg.Client({ connectionString: dbUrl.toString() });
      await pre.connect();
      await pre.query('create extension if not exists pg_trgm; create extension if not exists btree_gin');
      await pre.end();
    }
    db = await openDatabase({ databaseUrl: dbUrl.toString(), poolSize: 5 });
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else if (fromSnapshot) {
    const snap = await pgliteSnapshot(config, seeded);
    db = await openDatabase({ memory: true, loadDataDir: new Blob([readFileSync(snap.dump)]) });
    cpSync(snap.files, path.join(config.dataDir, 'files'), { recursive: true });
  } else {
    db = await openDatabase({ memory: true });
  }
  const started = await startApp({ ...config }, db);
  if (db.kind === 'postgresql' && seeded && !fromSnapshot) {
    const { seedDemo, hasDemoData } = await import('../src/db/seed/demo.js');
    if (!(await hasDemoData(db.db))) await seedDemo(db.db, config);
    const { syncJournalSequences } = await import('../src/modules/books/service.js');
    await syncJournalSequences(db.db);
    started.app.demoMode = await hasDemoData(db.db);
  }
  await started.app.ready();
  // Searches use the in-process index from the first request on (as on a warm server).
  if (config.searchIndex && process.env.NOIDX !== '1') await startLiveIndexes(db.db);
  return {
    app: started.app,
    db,
    config,
    async close() {
      await started.app.close();
      await db.close();
      if (dropDatabase) await dropDatabase();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
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
