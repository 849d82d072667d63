import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import { queueMessage } from '../../src/platform/messages/outbox.js';

function config(env: Record<string, string> = {}) {
  return loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...env });
}

describe('in-process job runner', () => {
  it('runs in the web process by default: queued messages get delivered without anyone asking, and it stops with the app', async () => {
    const db = await openDatabase({ memory: true });
    try {
      const { app } = await startApp(config(), db);
      await app.ready();
      expect(app.jobs.running).toBe(true);
      const id = await queueMessage(db.db, { channel: 'email', recipient: 'a@contoh.id', subject: 'Halo', body: 'Selamat datang' });
      app.jobs.nudge();
      let status = 'pending';
      while (status === 'pending') {
        await new Promise((r) => setTimeout(r, 50));
        status = (await db.db.selectFrom('outbox_messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      }
      expect(status).toBe('sent');
      await app.close();
      expect(app.jobs.running).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('does not run with IN_PROCESS_JOBS=false (a separate worker does the work)', async () => {
    const db = await openDatabase({ memory: true });
    try {
      const { app } = await startApp(config({ IN_PROCESS_JOBS: 'false' }), db);
      await app.ready();
      expect(app.jobs.running).toBe(false);
      const page = await app.inject({ method: 'GET', url: '/healthz' });
      expect(page.statusCode).toBe(200);
      await app.close();
    } finally {
      await db.close();
    }
  });
});
