import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { runScript, tempDir } from './spawn.js';

// These start their own processes on an embedded DATA_DIR: the database under test plays no part,
// so they run once, in the PGlite pass, not again in the PostgreSQL pass (npm test runs both).
const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function dir(prefix: string) {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}

async function query<T>(dataDir: string, text: string): Promise<T[]> {
  const db = await openDatabase({ dataDir });
  try {
    return (await db.pglite!.query<T>(text)).rows;
  } finally {
    await db.close();
  }
}

describe.skipIf(ON_POSTGRES)('operational scripts (embedded database in DATA_DIR)', () => {
  it('db:migrate applies the migrations once and says so', async () => {
    const dataDir = dir('migrate');
    const first = await runScript('src/scripts/migrate.ts', { DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\): 0001_platform/);
    const second = await runScript('src/scripts/migrate.ts', { DATA_DIR: dataDir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already up to date/);
    const tables = await query<{ n: number }>(
      dataDir,
      `select count(*)::int as n from information_schema.tables where table_name in ('jobs','outbox_messages','users')`,
    );
    expect(tables[0]?.n).toBe(3);
  });

  it('seed:demo seeds demo accounts once, then leaves a database with users alone', async () => {
    const dataDir = dir('seed');
    const first = await runScript('src/scripts/seed-demo.ts', { DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/seeded demo data/);
    const users = await query<{ n: number }>(dataDir, `select count(*)::int as n from users where is_demo`);
    expect(users[0]?.n).toBeGreaterThan(0);
    const second = await runScript('src/scripts/seed-demo.ts', { DATA_DIR: dataDir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already has \d+ user\(s\); demo data not seeded/);
    const again = await query<{ n: number }>(dataDir, `select count(*)::int as n from users`);
    expect(again[0]?.n).toBe(users[0]?.n);
  });

  it('seed:demo refuses in production unless forced', async () => {
    const dataDir = dir('prod');
    const refused = await runScript('src/scripts/seed-demo.ts', { DATA_DIR: dataDir, NODE_ENV: 'production' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/production.*--force/);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);

    const forced = await runScript('src/scripts/seed-demo.ts', { DATA_DIR: dataDir, NODE_ENV: 'production' }, ['--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/seeded demo data/);
  });

  it('regions:load loads another region file, and names a missing file', async () => {
    const dataDir = dir('regions');
    const csv = path.join(dataDir, 'kota-batu.csv');
    fs.writeFileSync(csv, 'level,code,name,parent_code\nkota,35.79,Kota Batu,35\nkecamatan,35.79.01,Batu,35.79\n');
    const r = await runScript('src/scripts/load-regions.ts', { DATA_DIR: dataDir }, [csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/loaded 2 region\(s\)/);
    const rows = await query<{ code: string; name: string }>(
      dataDir,
      `select code, name from regions where code like '35.79%' order by code`,
    );
    expect(rows.map((x) => x.code)).toEqual(['35.79', '35.79.01']);

    const missing = await runScript('src/scripts/load-regions.ts', { DATA_DIR: dataDir }, [path.join(dataDir, 'tidak-ada.csv')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/tidak-ada\.csv does not exist/);

    const bad = path.join(dataDir, 'salah.csv');
    fs.writeFileSync(bad, 'kode;nama\n35.79;Kota Batu\n');
    const wrong = await runScript('src/scripts/load-regions.ts', { DATA_DIR: dataDir }, [bad]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/header must be: level,code,name,parent_code/);
  });
});
