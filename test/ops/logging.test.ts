import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoggedApp, type LoggedApp } from './support.js';

let t: LoggedApp;
beforeAll(async () => {
  t = await createLoggedApp();
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'Rahasia-Sekali-9137';
const NIK = '3573015807900001';
const BEARER = 'tok_bearer_5f1d9c7a2b';
const COOKIE = 'sess_cookie_8e2a77c1d4';

describe('request logs', () => {
  it('record each request as structured JSON but never passwords, tokens, cookies or NIK', async () => {
    const before = t.logLines().length;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { authorization: `Bearer ${BEARER}` },
      payload: { login: 'admin@demo.ngalamlaris.id', password: PASSWORD },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: `{"login":"x","password":"${PASSWORD}"`,
    });
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/regions?parent=35.73&nik=${NIK}&token=${BEARER}`,
      headers: { authorization: `Bearer ${BEARER}`, cookie: `nl_session=${COOKIE}` },
    });
    await t.app.inject({ method: 'GET', url: `/?nik=${NIK}`, headers: { cookie: `nl_session=${COOKIE}; nl_lang=en` } });
    await t.app.inject({
      method: 'POST',
      url: '/masuk',
      headers: { cookie: `nl_session=${COOKIE}` },
      payload: { login: 'warga@demo.ngalamlaris.id', password: PASSWORD, nik: NIK },
    });

    const lines = t.logLines().slice(before);
    // The log is real: one line per request received and answered, with method, path and status.
    const incoming = lines.filter((l) => l.msg === 'incoming request');
    expect(incoming.length).toBeGreaterThanOrEqual(5);
    expect(incoming.map((l) => (l.req as { url: string }).url)).toContain('/api/v1/regions');
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => (l.res as { statusCode: number }).statusCode)).toContain(200);

    const text = t.logText();
    for (const secret of [PASSWORD, NIK, BEARER, COOKIE]) expect(text).not.toContain(secret);
  });
});
