/**
 * `npm run worker`: runs background jobs apart from the web process (set IN_PROCESS_JOBS=false
 * on the web processes). It builds the same app — so every module registers its job handlers —
 * but does not listen for HTTP. Needs PostgreSQL: the embedded database can be opened by one
 * process only.
 */
import { startApp } from './bootstrap.js';
import { StartupError } from './db/index.js';
import { configOrExit, fail } from './scripts/cli.js';

async function main() {
  const config = configOrExit();
  if (!config.databaseUrl) {
    fail(
      'npm run worker needs DATABASE_URL (PostgreSQL): the embedded database in DATA_DIR can be opened by one process only, so run jobs in the web process with IN_PROCESS_JOBS=true (the default)',
    );
  }
  let started: Awaited<ReturnType<typeof startApp>>;
  try {
    started = await startApp(config, undefined, { startJobs: true });
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }
  const { app } = started;
  await app.ready();
  app.log.info({ workerId: app.jobs.workerId, types: app.jobs.types() }, 'worker running; stop with Ctrl+C or SIGTERM');
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'worker stopping after the current job');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`ngalam-laris: worker failed to start: ${(err as Error).message ?? err}\n`);
  if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
