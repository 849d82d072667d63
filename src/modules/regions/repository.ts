import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';

export interface RegionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export async function listChildren(db: Kysely<Database>, parent: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('parent_code', '=', parent).orderBy('code').execute();
}

export async function listByLevel(db: Kysely<Database>, level: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('level', '=', level).orderBy('code').execute();
}

export async function findRegion(db: Kysely<Database>, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).where('code', '=', code).executeTakeFirst();
}

export async function upsertRegions(db: Kysely<Database>, rows: RegionRow[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('regions')
    .values(rows)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        level: eb.ref('excluded.level'),
        parent_code: eb.ref('excluded.parent_code'),
      })),
    )
    .execute();
}

export interface RegionCounts {
  name: string | null;
  kecamatan: number;
  kelurahan: number;
  /** Kecamatan names in code order. */
  kecamatanNames: string[];
}

/** How many kecamatan and kelurahan a kota has (and the kecamatan names), in one query. */
export async function countRegions(db: Kysely<Database>, kotaCode: string): Promise<RegionCounts> {
  const row = await db
    .selectFrom('regions')
    .select([
      sql<string | null>`max(case when level = 'kota' and code = ${kotaCode} then name end)`.as('name'),
      sql<string>`count(*) filter (where level = 'kecamatan' and parent_code = ${kotaCode})`.as('kecamatan'),
      sql<string>`count(*) filter (where level = 'kelurahan')`.as('kelurahan'),
      sql<string | null>`string_agg(name, '|' order by code) filter (where level = 'kecamatan' and parent_code = ${kotaCode})`.as('names'),
    ])
    .where((eb) => eb.or([eb('code', '=', kotaCode), eb('code', 'like', `${kotaCode}.%`)]))
    .executeTakeFirstOrThrow();
  return {
    name: row.name,
    kecamatan: Number(row.kecamatan),
    kelurahan: Number(row.kelurahan),
    kecamatanNames: row.names ? row.names.split('|') : [],
  };
}
