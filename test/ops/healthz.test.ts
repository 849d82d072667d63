import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { type Db, openDatabase } from '../../src/db/index.js';
import { HEALTH_CACHE_MS } from '../../src/platform/routes.js';

// Its own embedded database (on every run): the test closes it under the running app.
let t: { app: Awaited<ReturnType<typeof startApp>>['app']; db: Db };
beforeAll(async () => {
  const db = await openDatabase({ memory: true });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  t = { app: (await startApp(config, db)).app, db };
  await t.app.ready();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.app.close();
});

describe('GET /healthz', () => {
  it('answers 200 while the database answers, trusts it for a second, then 503 once it is gone', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    await t.db.close();
    // Within HEALTH_CACHE_MS of a good check the answer stands (monitors poll many times a second).
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + HEALTH_CACHE_MS + 1);
    const down = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', database: t.db.kind });
    // A failure is not cached: it is checked again (and still down).
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);
  });
});
