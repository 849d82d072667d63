import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparingClient } from './prepared.js';

// Named prepared statements exist only on the PostgreSQL server (PGlite runs in-process).
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('prepared statements on PostgreSQL', () => {
  let pool: pg.Pool;
  let client: pg.PoolClient; // one connection throughout: the session whose statements we list
  const named = async () =>
    (await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by name')).rows;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 1, Client: preparingClient({ perConnection: 3, maxNamed: 10 }) });
    client = await pool.connect();
  });
  afterAll(async () => {
    client.release();
    await pool.end();
  });

  it('names a parameterised text the second time it runs, and answers each run with its own parameters', async () => {
    const q = 'select $1::int + 1 as n';
    expect((await client.query(q, [1])).rows[0].n).toBe(2);
    expect(await named()).toEqual([]);
    expect((await client.query(q, [41])).rows[0].n).toBe(42);
    expect((await client.query(q, [99])).rows[0].n).toBe(100);
    expect(await named()).toEqual([{ name: 'nl_1', statement: q }]);
  });

  it('never names a text without parameters', async () => {
    await client.query('select 1 as one');
    await client.query('select 1 as one');
    expect((await named()).map((s) => s.statement)).not.toContain('select 1 as one');
  });

  it('a failing named statement fails its own query only; the connection goes on', async () => {
    const bad = 'select 1 / $1::int as n';
    await client.query(bad, [1]);
    await client.query(bad, [1]);
    expect((await named()).map((s) => s.statement)).toContain(bad);
    await expect(client.query(bad, [0])).rejects.toThrow(/division by zero/);
    expect((await client.query(bad, [2])).rows[0].n).toBe(0);
  });

  it('keeps at most the cap of named statements on a connection; further texts run unnamed and still answer', async () => {
    const texts = ['select $1::text as a', "select $1::text || 'x' as a"];
    for (const t of texts) for (const v of ['p', 'q']) await client.query(t, [v]);
    const r = await client.query(texts[1] as string, ['z']);
    expect(r.rows[0].a).toBe('zx');
    // The cap (3): the two texts above and the first of these; the second runs unnamed.
    expect((await named()).map((s) => s.statement).sort()).toEqual(['select $1::int + 1 as n', texts[0], 'select 1 / $1::int as n'].sort());
  });
});
