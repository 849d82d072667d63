import type { Kysely } from 'kysely';
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
