/**
 * What the module benchmarks share: the real app as a child process on a free port (never 3000),
 * waited for until /healthz answers, and exact percentiles. The app runs as `npm start` runs it:
 * the production bundle (`node scripts/build.mjs`, then `node dist/main.js`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

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
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...APP_ARGS], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
    try {
      const r = await fetch(`${base}/healthz`);
      await r.arrayBuffer();
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
