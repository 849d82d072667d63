import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Finished>;
}

/** The environment of a child process: ours without database settings, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'PORT', 'NODE_ENV', 'LOG_LEVEL', 'SEED_DEMO', 'IN_PROCESS_JOBS'])
    delete base[k];
  return { ...base, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env };
}

/**
 * Starts `<script> ...args` in the project folder: TypeScript through `node --import tsx`, the
 * built bundle (`dist/*.js`, see buildDist) with plain node as `npm start` runs it.
 */
export function start(script: string, env: Record<string, string>, args: string[] = []): Running {
  const node = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...node, script, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d) => {
    err += d.toString();
  });
  const exited = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Builds dist/ as `npm start` does first (scripts/build.mjs), unless `npm test` built it already for every pass. */
export function buildDist(): void {
  if (process.env.TEST_DIST_BUILT === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

/** Runs a script to its end. */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<Finished> {
  return start(script, env, args).exited;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nl-${prefix}-`));
}

/** A TCP port nobody listens on right now (never 3000). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
