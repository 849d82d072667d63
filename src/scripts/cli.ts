import { type Config, ConfigError, loadConfig } from '../config.js';
import { type Db, openFromConfig, StartupError } from '../db/index.js';

/** Prints one line for the operator and exits non-zero. */
export function fail(message: string): never {
  process.stderr.write(`ngalam-laris: ${message}\n`);
  process.exit(1);
}

export function say(message: string) {
  process.stdout.write(`${message}\n`);
}

/** Reads the environment, or exits with the one line that says what to fix. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`Configuration error: ${err.message}`);
    throw err;
  }
}

/** Opens DATABASE_URL (PostgreSQL) or the embedded database in DATA_DIR, or exits with one line. */
export async function openOrExit(config: Config): Promise<Db> {
  try {
    return await openFromConfig(config);
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }
}

export function where(config: Config): string {
  return config.databaseUrl
    ? `DATABASE_URL ${config.databaseUrl.replace(/\/\/([^:@/]*)(:[^@]*)?@/, '//$1:***@')}`
    : `DATA_DIR ${config.dataDir}`;
}

/** Runs a script's main, turning unexpected errors into one line (the stack with LOG_LEVEL=debug). */
export function run(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    (err) => {
      const e = err as Error;
      if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') process.stderr.write(`${e.stack ?? e}\n`);
      fail(`${e.message ?? e}${process.env.LOG_LEVEL === 'debug' ? '' : ' (set LOG_LEVEL=debug for details)'}`);
    },
  );
}
