import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { projectPath } from '../../paths.js';
import { parseRegionCsv } from './domain.js';
import * as repo from './repository.js';

export interface Region {
  code: string;
  name: string;
  level: string;
}

/** Region files kept in the project (copied from the shared reference data). */
export const REGION_FILES = [projectPath('src/db/seed/data/kota-malang-wilayah.csv')];

export async function listRegions(db: Kysely<Database>, filter: { parent?: string; level?: string }): Promise<Region[]> {
  if (filter.parent) return repo.listChildren(db, filter.parent);
  return repo.listByLevel(db, filter.level ?? 'kota');
}

export async function getRegion(db: Kysely<Database>, code: string) {
  return repo.findRegion(db, code);
}

export type { RegionCounts } from './repository.js';

/**
 * How many kecamatan and kelurahan a kota has, with its name and the kecamatan names (the home
 * page's facts). Read from the regions table: a kelurahan loaded later is counted.
 */
export async function countRegions(db: Kysely<Database>, kotaCode: string): Promise<repo.RegionCounts> {
  return repo.countRegions(db, kotaCode);
}

/** Kelurahan with their kecamatan name, for select boxes. */
export async function listKelurahanGrouped(db: Kysely<Database>, kotaCode = '35.73') {
  const kecamatan = await repo.listChildren(db, kotaCode);
  const groups = [];
  for (const k of kecamatan) groups.push({ kecamatan: k, kelurahan: await repo.listChildren(db, k.code) });
  return groups;
}

/** Loads a region CSV file (idempotent: codes are upserted). Returns how many rows were loaded. */
export async function loadRegionFile(db: Kysely<Database>, file: string): Promise<number> {
  const rows = parseRegionCsv(fs.readFileSync(file, 'utf8'));
  await db.transaction().execute((trx) => repo.upsertRegions(trx, rows));
  return rows.length;
}

export async function seedRegions(db: Kysely<Database>): Promise<number> {
  let n = 0;
  for (const f of REGION_FILES) n += await loadRegionFile(db, f);
  return n;
}
