/**
 * `npm run regions:load -- <file.csv>`: loads a region file (same columns as
 * src/db/seed/data/kota-malang-wilayah.csv) into DATABASE_URL or DATA_DIR. Codes are upserted,
 * so loading a file twice is harmless.
 */
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from '../bootstrap.js';
import { loadRegionFile } from '../modules/regions/service.js';
import { configOrExit, fail, openOrExit, run, say, where } from './cli.js';

run(async () => {
  const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!file) fail('usage: npm run regions:load -- <file.csv>');
  const full = path.resolve(file);
  if (!fs.existsSync(full) || !fs.statSync(full).isFile()) fail(`Region file ${full} does not exist`);
  const config = configOrExit();
  const db = await openOrExit(config);
  try {
    await migrate(db);
    const n = await loadRegionFile(db.db, full);
    say(`${where(config)}: loaded ${n} region(s) from ${full}`);
  } finally {
    await db.close();
  }
});
