import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT: '2048' } });
});
afterAll(async () => {
  await t?.close();
});

function expectErrorBody(body: unknown, code: string) {
  expect(body).toMatchObject({ error: { code, message: expect.any(String) } });
  expect((body as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
  expect(body).toHaveProperty('error.details');
}

describe('HTTP contract', () => {
  it('malformed JSON → 400 with the error body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"login": "admin@demo.ngalamlaris.id", "password": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expectErrorBody(res.json(), 'bad_request');
  });

  it('an unknown /api/... path → 404 with the error body', async () => {
    for (const url of ['/api/v1/tidak-ada', '/api/v9/regions', '/api/nothing/here?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expectErrorBody(res.json(), 'not_found');
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/v1/tidak-ada', payload: { a: 1 } });
    expect(post.statusCode).toBe(404);
    expectErrorBody(post.json(), 'not_found');
  });

  it('a body over the limit → 413 with the error body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ login: 'x'.repeat(5000), password: 'demo12345' }),
    });
    expect(res.statusCode).toBe(413);
    expectErrorBody(res.json(), 'payload_too_large');
  });

  it('pages send a strict Content-Security-Policy, nosniff and no framing', async () => {
    for (const url of ['/', '/masuk', '/halaman-yang-tidak-ada']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect([200, 404], url).toContain(res.statusCode);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const csp = String(res.headers['content-security-policy'] ?? '');
      const scriptSrc =
        csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? csp.split(';').find((d) => d.trim().startsWith('default-src'));
      expect(scriptSrc, `${url}: ${csp}`).toBeDefined();
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // No inline script anywhere on our pages (the CSP would block it anyway).
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    }
  });

  it('pages are in Indonesian by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<html[^>]*\blang="id"/);
    const en = await t.app.inject({ method: 'GET', url: '/', cookies: { nl_lang: 'en' } });
    expect(en.body).toMatch(/<html[^>]*\blang="en"/);
  });

  it('/api/openapi.json is an OpenAPI 3 document with /healthz and /api/v1/regions', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/healthz']).toHaveProperty('get');
    expect(doc.paths['/api/v1/regions']).toHaveProperty('get');
    // Internal operations pages are not part of the API document.
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/admin/pekerjaan'))).toBe(false);
  });

  it('/api/docs serves the documentation page', async () => {
    let res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400) res = await t.app.inject({ method: 'GET', url: String(res.headers.location) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger|openapi/i);
  });

  it('GET /healthz answers with the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: t.db.kind, searchIndex: 'ready' });
  });
});
