import cluster from 'node:cluster';
import { startApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { StartupError } from './db/index.js';

/** Entry: config → database → app → listen. A problem the operator can fix is one clear line. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`Configuration error: ${err.message}`);
    throw err;
  }
  if (config.webConcurrency > 1 && cluster.isPrimary) return supervise(config.webConcurrency);
  let started: Awaited<ReturnType<typeof startApp>>;
  try {
    started = await startApp(config);
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }
  const { app } = started;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    await app.close().catch(() => {});
    if (code === 'EADDRINUSE') fail(`Port ${config.port} is already in use; stop the other program or set PORT to a free port`);
    if (code === 'EACCES') fail(`Not allowed to listen on port ${config.port}; set PORT to a number above 1024`);
    throw err;
  }
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down (finishing the running job, if any)');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * WEB_CONCURRENCY > 1: this process starts that many app processes, which share the port (the
 * operating system hands each connection to one of them), restarts one that dies (after a second,
 * so a process that cannot start does not spin), and stops them all on SIGINT/SIGTERM. They share
 * nothing but the database (docs/SCALING.md); each migrates under the migration lock and holds its
 * own search index.
 */
function supervise(count: number) {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`ngalam-laris: app process ${worker.process.pid} ended (${signal ?? code}); starting another\n`);
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    let left = Object.keys(cluster.workers ?? {}).length;
    if (!left) process.exit(0);
    cluster.on('exit', () => {
      left--;
      if (left <= 0) process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function fail(message: string): never {
  process.stderr.write(`ngalam-laris: ${message}\n`);
  process.exit(1);
}

main().catch((err) => {
  // An unexpected problem: still one line; the stack only when asked for (LOG_LEVEL=debug).
  const e = err as Error;
  const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  if (debug) process.stderr.write(`${e.stack ?? e}\n`);
  fail(`start-up failed: ${e.message ?? e}${debug ? '' : ' (set LOG_LEVEL=debug for details)'}`);
});
