import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/platform/jobs/queue.js';
import { queueMessage } from '../../src/platform/messages/outbox.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { userSession } from './users.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
});
afterAll(async () => {
  await t?.close();
});

const REMOTE = '10.1.2.3';

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('serves Prometheus text to localhost: process, HTTP, jobs and outbox metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=35.73' });
    await t.app.inject({ method: 'GET', url: '/api/v1/regions?parent=35.73.02' });
    await t.app.inject({ method: 'GET', url: '/tidak-ada/halaman-ini' });
    await enqueueJob(t.db.db, 'metrics.example', {}, { runAt: new Date(Date.now() + 3600_000) });
    await queueMessage(t.db.db, { channel: 'email', recipient: 'ops@uji.ngalamlaris.id', subject: 'Uji', body: 'Halo' });

    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nl_http_request_duration_seconds histogram');
    // By route pattern, not by raw URL: both region queries count under one series.
    expect(sample(text, 'nl_http_requests_total', { method: 'GET', route: '/api/v1/regions', status_code: '200' })).toBe(2);
    expect(text).not.toContain('parent=35.73');
    expect(text).not.toContain('/tidak-ada/halaman-ini');
    expect(sample(text, 'nl_http_requests_total', { route: '(unmatched)', status_code: '404' })).toBe(1);
    expect(sample(text, 'nl_http_request_duration_seconds_count', { route: '/api/v1/regions', status_code: '200' })).toBe(2);
    // Counted at scrape time: one future job, the message's delivery job and tonight's arrears run.
    expect(sample(text, 'nl_jobs', { status: 'pending' })).toBe(3);
    expect(sample(text, 'nl_jobs', { status: 'failed' })).toBe(0);
    expect(sample(text, 'nl_outbox_pending_messages')).toBe(1);

    await t.app.jobs.runDue();
    const after = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(after, 'nl_jobs', { status: 'done' })).toBe(1);
    // The future job and tonight's arrears run still wait.
    expect(sample(after, 'nl_jobs', { status: 'pending' })).toBe(2);
    expect(sample(after, 'nl_outbox_pending_messages')).toBe(0);
    expect(sample(after, 'nl_outbox_messages', { status: 'sent' })).toBe(1);
  });

  it('is hidden (404) from other addresses, even for a logged-in non-admin', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: REMOTE });
    expect(anon.statusCode).toBe(404);
    expect(anon.body).not.toContain('nl_http_requests_total');

    const warga = await userSession(t.db.db, 'warga', 'web');
    const cookie = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: REMOTE, cookies: { nl_session: warga.token } });
    expect(cookie.statusCode).toBe(404);
    const wargaApi = await userSession(t.db.db, 'warga', 'api');
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: REMOTE,
      headers: { authorization: `Bearer ${wargaApi.token}` },
    });
    expect(bearer.statusCode).toBe(404);
    const junk = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: REMOTE,
      headers: { authorization: 'Bearer nonsense' },
    });
    expect(junk.statusCode).toBe(404);
  });

  it('is open to an admin from anywhere, by session cookie or bearer token', async () => {
    const web = await userSession(t.db.db, 'admin', 'web');
    const byCookie = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: REMOTE, cookies: { nl_session: web.token } });
    expect(byCookie.statusCode).toBe(200);
    expect(byCookie.body).toContain('nl_jobs');
    const api = await userSession(t.db.db, 'admin', 'api');
    const byBearer = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: REMOTE,
      headers: { authorization: `Bearer ${api.token}` },
    });
    expect(byBearer.statusCode).toBe(200);
    expect(byBearer.body).toContain('nl_outbox_pending_messages');
  });

  it('each app has its own registry (a second app starts from zero)', async () => {
    const other = await createTestApp({ seedDemo: false });
    try {
      const text = (await other.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'nl_http_requests_total', { route: '/api/v1/regions' })).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
