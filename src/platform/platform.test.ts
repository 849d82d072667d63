import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('platform', () => {
  it('answers /healthz with the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite' });
  });

  it('lists the 5 kecamatan of Kota Malang and the 11 kelurahan of Klojen', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=35.73' });
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((r: { name: string }) => r.name);
    expect(names).toEqual(['Blimbing', 'Klojen', 'Kedungkandang', 'Sukun', 'Lowokwaru']);
    const klojen = await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=35.73.02' });
    expect(klojen.json().items).toHaveLength(11);
    expect(klojen.json().items[0]).toMatchObject({ level: 'kelurahan' });
  });

  it('gives unknown API paths a 404 error body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String), details: {} } });
  });
});
