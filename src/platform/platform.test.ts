import zlib from 'node:zlib';
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
    expect(res.json()).toEqual({ status: 'ok', database: process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite', searchIndex: 'ready' });
  });

  it('gzips pages, JSON and assets for clients that ask, and only for those', async () => {
    // Each page carries a fresh CSRF token; everything else must be identical.
    const same = (html: string) => html.replace(/(x-csrf-token&#34;:&#34;|name="_csrf" value=")[^&"]+/g, '$1…');
    for (const url of ['/', '/static/app.css', '/api/v1/regions?level=kelurahan']) {
      const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(gz.statusCode, url).toBe(200);
      expect(gz.headers['content-encoding'], url).toBe('gzip');
      expect(gz.headers.vary, url).toMatch(/accept-encoding/i);
      const plain = await t.app.inject({ method: 'GET', url });
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      expect(same(zlib.gunzipSync(gz.rawPayload).toString()), url).toBe(same(plain.body));
      expect(gz.rawPayload.length, url).toBeLessThan(plain.rawPayload.length / 2);
    }
  });

  it('COMPRESSION=false leaves compression to a proxy in front', async () => {
    const plain = await createTestApp({ env: { COMPRESSION: 'false' } });
    try {
      const res = await plain.app.inject({ method: 'GET', url: '/static/app.css', headers: { 'accept-encoding': 'gzip' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body).toContain('{');
    } finally {
      await plain.close();
    }
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
