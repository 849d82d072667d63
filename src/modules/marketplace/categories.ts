import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';

type Exec = Kysely<Database> | Transaction<Database>;

/** The seeded category tree (migration 0009), parents before children, in their position order. */
export async function listCategories(db: Exec) {
  return db.selectFrom('market_categories').selectAll().orderBy('position').orderBy('id').execute();
}

/** A category and all categories below it (a category filter includes its sub-categories); [] if unknown. */
export async function categoryAndDescendants(db: Exec, id: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    with recursive tree(id) as (
      select id from market_categories where id = ${id}
      union all
      select c.id from market_categories c join tree on c.parent_id = tree.id
    )
    select id from tree`.execute(db);
  return r.rows.map((row) => row.id);
}
