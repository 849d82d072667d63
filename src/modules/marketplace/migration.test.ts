import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { categoryAndDescendants, listCategories } from './categories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
}, 120_000);
afterAll(async () => t?.close());

describe('0009_marketplace', () => {
  it('seeds the category tree with names in both languages', async () => {
    const rows = await t.db.db.selectFrom('market_categories').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(31);
    expect(rows.find((r) => r.id === 'kriya-topeng')?.parent_id).toBe('kriya');
    expect(rows.every((r) => r.name_id && r.name_en)).toBe(true);
  });

  it('keeps min_price and in_stock in step with the variants', async () => {
    const org = await t.db.db.insertInto('organizations').values({ kind: 'umkm', name: 'Uji' }).returning('id').executeTakeFirstOrThrow();
    const store = await t.db.db
      .insertInto('market_stores')
      .values({ organization_id: org.id, organization_kind: 'umkm', slug: 'uji-trigger', name: 'Uji' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const p = await t.db.db
      .insertInto('market_products')
      .values({ store_id: store.id, name: 'Keripik Tempe', slug: 'keripik-tempe' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const read = () =>
      t.db.db.selectFrom('market_products').select(['min_price', 'in_stock']).where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(await read()).toEqual({ min_price: 0n, in_stock: false });
    const a = await t.db.db
      .insertInto('market_variants')
      .values({ product_id: p.id, name: 'Kecil', price: 15000n, stock: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await read()).toEqual({ min_price: 15000n, in_stock: false });
    await t.db.db.insertInto('market_variants').values({ product_id: p.id, name: 'Besar', price: 12000n, stock: 3 }).execute();
    expect(await read()).toEqual({ min_price: 12000n, in_stock: true });
    await sql`update market_variants set stock = stock - 3 where product_id = ${p.id} and stock >= 3`.execute(t.db.db);
    expect(await read()).toEqual({ min_price: 12000n, in_stock: false });
    await t.db.db.updateTable('market_variants').set({ stock: 5 }).where('id', '=', a.id).execute();
    expect(await read()).toEqual({ min_price: 12000n, in_stock: true });
    await t.db.db.deleteFrom('market_variants').where('product_id', '=', p.id).where('id', '<>', a.id).execute();
    expect(await read()).toEqual({ min_price: 15000n, in_stock: true });
  });

  it('lists a category with its sub-categories', async () => {
    expect((await listCategories(t.db.db))[0]?.id).toBe('kuliner');
    expect((await categoryAndDescendants(t.db.db, 'kriya')).sort()).toEqual(
      ['kriya', 'kriya-anyaman', 'kriya-kayu-mebel', 'kriya-keramik', 'kriya-rotan', 'kriya-topeng'].sort(),
    );
    expect(await categoryAndDescendants(t.db.db, 'kriya-topeng')).toEqual(['kriya-topeng']);
    expect(await categoryAndDescendants(t.db.db, 'tidak-ada')).toEqual([]);
  });
});
