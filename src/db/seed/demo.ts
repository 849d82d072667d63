import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../types.js';

/** Is there demo data in this database? (Every page then says so.) */
export async function hasDemoData(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ x: boolean }>`select exists (select 1 from users where is_demo) as x`.execute(db);
  return Boolean(r.rows[0]?.x);
}

/** Seeds demo accounts for every role. Filled in by the accounts module. */
export async function seedDemo(_db: Kysely<Database>, _config: Config): Promise<void> {}
