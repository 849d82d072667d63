/**
 * `npm run seed:demo`: demo accounts for every role (and demo data) in DATABASE_URL or DATA_DIR.
 * Refuses with NODE_ENV=production unless `--force` or SEED_DEMO=true; does nothing when the
 * database already has users.
 */
import { sql } from 'kysely';
import { prepareDatabase } from '../bootstrap.js';
import { seedDemo } from '../db/seed/demo.js';
import { configOrExit, fail, openOrExit, run, say, where } from './cli.js';

run(async () => {
  const config = configOrExit();
  const force =
    process.argv.slice(2).includes('--force') || ['1', 'true', 'yes', 'on'].includes((process.env.SEED_DEMO ?? '').toLowerCase());
  if (config.nodeEnv === 'production' && !force) {
    fail(
      'NODE_ENV=production: demo accounts are not seeded into a production database; run with --force (or SEED_DEMO=true) if you really want them',
    );
  }
  const db = await openOrExit(config);
  try {
    // Schema and reference data first (never demo data here: that is this script's own decision).
    await prepareDatabase(db, { ...config, seedDemo: false }, say);
    const users = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db.db);
    const n = users.rows[0]?.n ?? 0;
    if (n > 0) {
      say(`${where(config)} already has ${n} user(s); demo data not seeded`);
      return;
    }
    await seedDemo(db.db, config);
    const after = await sql<{ n: number }>`select count(*)::int as n from users where is_demo`.execute(db.db);
    say(`${where(config)}: seeded demo data (${after.rows[0]?.n ?? 0} demo accounts, password from DEMO_PASSWORD)`);
  } finally {
    await db.close();
  }
});
