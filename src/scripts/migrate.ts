/** `npm run db:migrate`: brings DATABASE_URL (or the embedded database in DATA_DIR) to the latest schema. */
import { migrate } from '../bootstrap.js';
import { configOrExit, openOrExit, run, say, where } from './cli.js';

run(async () => {
  const config = configOrExit();
  const db = await openOrExit(config);
  try {
    const applied = await migrate(db);
    if (applied.length === 0) say(`${where(config)}: already up to date, no migrations applied`);
    else say(`${where(config)}: applied ${applied.length} migration(s): ${applied.join(', ')}`);
  } finally {
    await db.close();
  }
});
