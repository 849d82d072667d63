import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/platform/jobs/queue.js';
import { queueMessage } from '../../src/platform/messages/outbox.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { userSession } from './users.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp({ seedDemo: false, env: { MESSAGE_TRANSPORT: 'wa-gateway-mati' } });
  admin = (await userSession(t.db.db, 'admin', 'web')).token;
  t.app.jobs.register('laporan.bulanan', async () => {
    throw new Error('template laporan <b>hilang</b>');
  });
  await enqueueJob(t.db.db, 'laporan.bulanan', { bulan: '2025-11' }, { maxAttempts: 1 });
  await queueMessage(t.db.db, { channel: 'whatsapp', recipient: '+628111222333', subject: 'Tagihan retribusi', body: 'Rp15.000' });
  await t.app.jobs.runDue();
});
afterAll(async () => {
  await t?.close();
});

function page(url: string, token?: string) {
  return t.app.inject({ method: 'GET', url, ...(token ? { cookies: { nl_session: token } } : {}) });
}

describe('admin page of background jobs (/admin/pekerjaan)', () => {
  it('lists recent jobs with status, attempts and last error (escaped), and a menu entry for admins', async () => {
    const res = await page('/admin/pekerjaan', admin);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Pekerjaan latar &amp; pesan keluar');
    expect(res.body).toContain('laporan.bulanan');
    expect(res.body).toContain('message.deliver');
    expect(res.body).toContain('Gagal');
    expect(res.body).toContain('1 dari 1');
    expect(res.body).toContain('template laporan &lt;b');
    expect(res.body).not.toContain('<b>hilang</b>');
    expect(res.body).toContain('href="/admin/pekerjaan"');
  });

  it('filters by status', async () => {
    const res = await page('/admin/pekerjaan?status=failed', admin);
    expect(res.body).toContain('laporan.bulanan');
    expect(res.body).not.toContain('message.deliver');
  });

  it('lists outgoing messages with delivery status, attempts and the transport error', async () => {
    const res = await page('/admin/pekerjaan?lihat=pesan', admin);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('+628111222333');
    expect(res.body).toContain('Tagihan retribusi');
    expect(res.body).toContain('Menunggu');
    expect(res.body).toContain('1 dari 5');
    expect(res.body).toContain('wa-gateway-mati');
  });

  it('is in English when chosen', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin/pekerjaan', cookies: { nl_session: admin, nl_lang: 'en' } });
    expect(res.body).toContain('Background jobs &amp; outgoing messages');
    expect(res.body).toContain('Failed');
  });

  it('lets an admin put a failed job back in the queue', async () => {
    const form = await page('/admin/pekerjaan?status=failed', admin);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    const action = /action="(\/admin\/pekerjaan\/\d+\/ulangi)"/.exec(form.body)?.[1];
    expect(csrf).toBeDefined();
    expect(action).toBeDefined();
    const csrfCookie = form.cookies.find((c) => c.name === 'nl_csrf')?.value;
    const res = await t.app.inject({
      method: 'POST',
      url: action as string,
      cookies: { nl_session: admin, ...(csrfCookie ? { nl_csrf: csrfCookie } : {}) },
      payload: { _csrf: csrf },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/pekerjaan');
    const row = await t.db.db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('type', '=', 'laporan.bulanan')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', attempts: 0 });
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'job.retry'`.execute(t.db.db);
    expect(audit.rows[0]?.n).toBe(1);
  });

  it('is for admins only: others get 403, anonymous visitors are sent to log in, and see no menu entry', async () => {
    const dinas = (await userSession(t.db.db, 'dinas', 'web')).token;
    const res = await page('/admin/pekerjaan', dinas);
    expect(res.statusCode).toBe(403);
    const home = await page('/', dinas);
    expect(home.body).not.toContain('href="/admin/pekerjaan"');
    const anon = await page('/admin/pekerjaan');
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toMatch(/^\/masuk/);
    const post = await t.app.inject({ method: 'POST', url: '/admin/pekerjaan/1/ulangi', cookies: { nl_session: dinas }, payload: {} });
    expect([403]).toContain(post.statusCode);
  });
});
