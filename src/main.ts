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
