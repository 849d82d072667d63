/**
 * Benchmarks against a real server process on PostgreSQL, load from autocannon on the same machine.
 *
 *   npm run bench -- <scenario> [--duration 10] [--connections 20] [--warmup 2] [--runs 3]
 *                               [--generate N] [--keep]
 *
 * Scenarios: healthz (GET /healthz), home (GET /), startup (spawn → first 200 on /healthz, on an
 * existing database and on a first start of an empty embedded DATA_DIR), memory (server RSS after
 * warm-up and after load), baseline (a bare Fastify "hello" on the same machine: the ceiling that
 * this load generator can show on these cores), all (every scenario in turn).
 *
 * Database: BENCH_DATABASE_URL if set (used as it is, never dropped), otherwise a fresh database
 * `bench_<scenario>` created on BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * and dropped afterwards unless --keep. It is migrated and seeded with the demo data; --generate N
 * adds a city-scale population (bench/generate.ts) of N users, N/5 UMKM and N/250 koperasi.
 * Each result is printed and appended as one JSON line to bench/results/results.jsonl.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { APP_ARGS, buildApp } from './server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results', 'results.jsonl');
const SCENARIOS = ['healthz', 'home', 'startup', 'memory', 'baseline'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Options {
  duration: number;
  connections: number;
  warmup: number;
  runs: number;
  generate: number;
  keep: boolean;
}

function parseArgs(argv: string[]): { scenarios: Scenario[]; opts: Options } {
  const opts: Options = { duration: 10, connections: 20, warmup: 2, runs: 3, generate: 0, keep: false };
  const scenarios: Scenario[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (name: string) => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) usage(`--${name} needs a number`);
      return v;
    };
    if (a === '--duration') opts.duration = num('duration');
    else if (a === '--connections') opts.connections = num('connections');
    else if (a === '--warmup') opts.warmup = num('warmup');
    else if (a === '--runs') opts.runs = Math.max(1, num('runs'));
    else if (a === '--generate') opts.generate = num('generate');
    else if (a === '--keep') opts.keep = true;
    else if (a === '--help' || a === '-h') usage();
    else if (a === 'all') scenarios.push(...SCENARIOS);
    else if ((SCENARIOS as readonly string[]).includes(a)) scenarios.push(a as Scenario);
    else usage(`unknown argument "${a}"`);
  }
  if (scenarios.length === 0) usage('name a scenario');
  return { scenarios, opts };
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`bench: ${problem}\n`);
  process.stderr.write(
    `usage: npm run bench -- <${[...SCENARIOS, 'all'].join('|')}> [--duration 10] [--connections 20] [--warmup 2] [--runs 3] [--generate N] [--keep]\n`,
  );
  process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------------------------------------
// Database

interface BenchDb {
  url: string;
  drop(): Promise<void>;
}

async function createDatabase(name: string, opts: Options): Promise<BenchDb> {
  if (process.env.BENCH_DATABASE_URL) {
    const url = process.env.BENCH_DATABASE_URL;
    await prepare(url, opts);
    return { url, drop: async () => {} };
  }
  const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await prepare(url, opts);
  return {
    url,
    async drop() {
      if (opts.keep) {
        log(`kept database ${name} (${url})`);
        return;
      }
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Migrate, load regions, seed the demo data (as `npm run seed:demo` does) and optionally generate. */
async function prepare(url: string, opts: Options) {
  const { loadConfig } = await import('../src/config.js');
  const { openDatabase } = await import('../src/db/index.js');
  const { prepareDatabase } = await import('../src/bootstrap.js');
  const { seedDemo, hasDemoData } = await import('../src/db/seed/demo.js');
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', DEMO_PASSWORD: process.env.DEMO_PASSWORD ?? 'demo12345' });
  const db = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    const t0 = performance.now();
    await prepareDatabase(db, config);
    if (!(await hasDemoData(db.db))) await seedDemo(db.db, config);
    log(`database ready (migrated, demo data) in ${ms(performance.now() - t0)}`);
    if (opts.generate > 0) {
      const { generate } = await import('./generate.js');
      const r = await generate(db.db, {
        users: opts.generate,
        umkm: Math.round(opts.generate / 5),
        koperasi: Math.round(opts.generate / 250),
        log,
      });
      if (!r.skipped) log(`generated ${r.rows} rows in ${r.seconds.toFixed(1)} s (${r.rowsPerSecond} rows/s)`);
    }
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Server process

interface Server {
  child: ChildProcess;
  port: number;
  /** ms from spawn to the first 200 on /healthz */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => (port === 3000 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

const BARE_FASTIFY = `
const app = require('fastify')();
app.get('/healthz', async () => ({ status: 'ok', database: 'none' }));
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
`;

async function startServer(env: Record<string, string>, bare = false): Promise<Server> {
  const port = await freePort();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_')) childEnv[k] = v;
  delete childEnv.TEST_DATABASE_URL;
  delete childEnv.DATABASE_URL;
  Object.assign(childEnv, { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production', SEED_DEMO: 'true' }, env);
  let out = '';
  const t0 = performance.now();
  // The production bundle, as `npm start` runs it (node itself, so the pid we watch is the server).
  if (!bare) buildApp();
  const args = bare ? ['-e', BARE_FASTIFY] : APP_ARGS;
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = t0 + 120_000;
  let readyMs = -1;
  while (performance.now() < deadline) {
    if (exited) throw new Error(`server exited before answering /healthz:\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) {
        readyMs = performance.now() - t0;
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (readyMs < 0) {
    child.kill('SIGKILL');
    throw new Error(`server did not answer /healthz within 120 s:\n${out}`);
  }
  return {
    child,
    port,
    readyMs,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resident set size (VmRSS) and its peak (VmHWM) of a process, in MB. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: round1(kb('VmRSS') / 1024), peakMb: round1(kb('VmHWM') / 1024) };
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadResult {
  url: string;
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return round2(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

async function load(url: string, connections: number, duration: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon({ url, connections, duration }, (err, res) => (err ? reject(err) : resolve(res)));
    inst.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    url,
    connections,
    durationS: duration,
    requests: result.requests.total,
    rps: Math.round(result.requests.mean),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    maxMs: round2(sorted[sorted.length - 1] ?? 0),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

function printLoad(r: LoadResult) {
  log(
    `${r.url}: ${r.rps} req/s (mean), latency p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.maxMs} ms; ` +
      `${r.requests} requests, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`,
  );
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function httpScenario(scenario: 'healthz' | 'home', opts: Options) {
  const db = await createDatabase(`bench_${scenario}`, opts);
  const server = await startServer({ DATABASE_URL: db.url });
  try {
    const url = `http://127.0.0.1:${server.port}${scenario === 'healthz' ? '/healthz' : '/'}`;
    const probe = await fetch(url);
    const body = await probe.text();
    if (probe.status !== 200) throw new Error(`GET ${url} answered ${probe.status}: ${body.slice(0, 200)}`);
    if (opts.warmup > 0) await load(url, opts.connections, opts.warmup);
    const r = await load(url, opts.connections, opts.duration);
    printLoad(r);
    const mem = memoryOf(server.child.pid!);
    log(`server RSS after load: ${mem.rssMb} MB (peak ${mem.peakMb} MB)`);
    record(scenario, opts, { ...r, responseBytes: Buffer.byteLength(body), ...mem });
  } finally {
    await server.stop();
    await db.drop();
  }
}

async function baselineScenario(opts: Options) {
  const server = await startServer({}, true);
  try {
    const url = `http://127.0.0.1:${server.port}/healthz`;
    if (opts.warmup > 0) await load(url, opts.connections, opts.warmup);
    const r = await load(url, opts.connections, opts.duration);
    printLoad(r);
    record('baseline', opts, { ...r, ...memoryOf(server.child.pid!) });
  } finally {
    await server.stop();
  }
}

async function startupScenario(opts: Options) {
  const db = await createDatabase('bench_startup', opts);
  const existing: number[] = [];
  try {
    for (let i = 0; i < opts.runs; i++) {
      const s = await startServer({ DATABASE_URL: db.url });
      existing.push(Math.round(s.readyMs));
      await s.stop();
    }
  } finally {
    await db.drop();
  }
  log(`start-up on an existing PostgreSQL database, spawn → first 200 on /healthz: ${existing.map((m) => `${m} ms`).join(', ')}`);

  const empty: number[] = [];
  let seeded = false;
  for (let i = 0; i < opts.runs; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-'));
    try {
      // LOG_LEVEL=info only to read the "seeded demo data" line.
      const s = await startServer({ DATA_DIR: dir, LOG_LEVEL: 'info' });
      empty.push(Math.round(s.readyMs));
      seeded = s.output().includes('seeded demo data');
      await s.stop();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  log(
    `first start on an empty embedded DATA_DIR (create + migrate + seed${seeded ? '' : ' — NO demo seed seen in the log'}): ${empty
      .map((m) => `${m} ms`)
      .join(', ')}`,
  );
  // The embedded database, started again on its now-existing DATA_DIR.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-'));
  let embeddedAgain = -1;
  try {
    await (await startServer({ DATA_DIR: dir })).stop();
    const s = await startServer({ DATA_DIR: dir });
    embeddedAgain = Math.round(s.readyMs);
    await s.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`start-up on an existing embedded DATA_DIR: ${embeddedAgain} ms`);
  record('startup', opts, {
    existingPostgresMs: existing,
    existingPostgresMedianMs: median(existing),
    emptyEmbeddedMs: empty,
    emptyEmbeddedMedianMs: median(empty),
    demoSeeded: seeded,
    existingEmbeddedMs: embeddedAgain,
  });
}

async function memoryScenario(opts: Options) {
  const db = await createDatabase('bench_memory', opts);
  const server = await startServer({ DATABASE_URL: db.url });
  try {
    const pid = server.child.pid!;
    const base = `http://127.0.0.1:${server.port}`;
    const idle = memoryOf(pid);
    log(`server RSS right after start: ${idle.rssMb} MB`);
    await load(`${base}/healthz`, opts.connections, Math.max(1, opts.warmup));
    await load(`${base}/`, opts.connections, Math.max(1, opts.warmup));
    const warm = memoryOf(pid);
    log(`server RSS after warm-up: ${warm.rssMb} MB`);
    const r = await load(`${base}/`, opts.connections, opts.duration);
    printLoad(r);
    const after = memoryOf(pid);
    log(`server RSS after ${opts.duration} s of load on /: ${after.rssMb} MB (peak ${after.peakMb} MB)`);
    record('memory', opts, { idleRssMb: idle.rssMb, warmRssMb: warm.rssMb, afterLoadRssMb: after.rssMb, peakRssMb: after.peakMb, load: r });
  } finally {
    await server.stop();
    await db.drop();
  }
}

// ---------------------------------------------------------------------------------------------

function record(scenario: string, opts: Options, result: object) {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a git checkout */
  }
  const line = {
    at: new Date().toISOString(),
    loadavg: os.loadavg().map(round1),
    scenario,
    commit,
    options: opts,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: round1(os.totalmem() / 2 ** 30), node: process.version },
    result,
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.appendFileSync(RESULTS, `${JSON.stringify(line)}\n`);
}

const log = (line: string) => process.stdout.write(`bench: ${line}\n`);
const ms = (n: number) => `${Math.round(n)} ms`;
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const { scenarios, opts } = parseArgs(process.argv.slice(2));
  log(`${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}; options ${JSON.stringify(opts)}`);
  const busy = os.loadavg()[0];
  if (busy > 0.5) log(`warning: load average is ${busy.toFixed(2)} before starting; other work on this machine skews the numbers`);
  for (const s of scenarios) {
    log(`--- ${s}`);
    if (s === 'healthz' || s === 'home') await httpScenario(s, opts);
    else if (s === 'startup') await startupScenario(opts);
    else if (s === 'baseline') await baselineScenario(opts);
    else await memoryScenario(opts);
  }
  log(`results appended to ${path.relative(ROOT, RESULTS)}`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
