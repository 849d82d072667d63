import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';

export interface RegionCounts {
  name: string | null;
  kecamatan: number;
  kelurahan: number;
  /** Kecamatan names in code order. */
  kecamatanNames: string[];
}

/**
 * How many kecamatan and kelurahan a kota has, read from the regions table in one query.
 * (A read-only aggregate over the shared reference table; no other module's rows are touched.)
 */
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
