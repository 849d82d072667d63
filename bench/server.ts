/**
 * What the module benchmarks share: the real app as a child process on a free port (never 3000),
 * waited for until /healthz answers, and exact percentiles. The app runs as `npm start` runs it:
 * the production bundle (`node scripts/build.mjs`, then `node dist/main.js`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** The PostgreSQL server the benchmarks create their databases on. */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** URL of database `name` on ADMIN_URL's server (BENCH_DATABASE_URL, when set, instead). */
export function databaseUrl(name: string): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `--name N` from the command line: a positive number, or `dflt` when absent. */
export function numArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

/** Runs `fn` with a client connected to `url`, closed afterwards. */
export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** The p-th percentile of ascending `sorted` (nearest rank), rounded to 0.01. */
export function pct(sorted: number[], p: number) {
  if (!sorted.length) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number, 2);
}

let built = false;
/** Builds dist/ once per benchmark process (what `npm start` does before it starts). */
export function buildApp() {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/** node's arguments that run the app as `npm start` does. */
export const APP_ARGS = ['dist/main.js'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => (port === 3000 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

export interface Server {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

/** Starts the app on `databaseUrl` (NODE_ENV=production, LOG_LEVEL=warn, no demo seeding). */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_')) env[k] = v;
  delete env.TEST_DATABASE_URL;
  Object.assign(env, {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    ...extraEnv,
  });
  buildApp();
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" or
  // "--trace-gc"; BENCH_SERVER_LOG: a file that receives the server's output.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...APP_ARGS], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const log = process.env.BENCH_SERVER_LOG;
  const keep = (d: Buffer) => {
    out += d;
    if (log) fs.appendFileSync(log, d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  // Up, and done loading the marketplace search index (searches meanwhile ask the database) — in
  // every app process with WEB_CONCURRENCY: eight ready answers in a row. At most 10 minutes.
  const t0 = performance.now();
  let ready = 0;
  for (let i = 0; i < 6000 && ready < 8; i++) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
    try {
      const r = await fetch(`${base}/healthz`);
      const body = (await r.json()) as { searchIndex?: string };
      ready = r.ok && body.searchIndex !== 'loading' ? ready + 1 : 0;
    } catch {
      ready = 0;
    }
    if (ready === 0) await new Promise((r) => setTimeout(r, 100));
  }
  process.stderr.write(`[bench] server ready after ${Math.round(performance.now() - t0)} ms\n`);
  return {
    child,
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
