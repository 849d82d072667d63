import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { queueMessage } from '../../src/platform/messages/outbox.js';
import { start } from './spawn.js';

const url = process.env.TEST_DATABASE_URL;

/** A database of its own on the test server (the worker connects with a plain DATABASE_URL). */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `nl_worker_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url as string);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe.runIf(url)('npm run worker (PostgreSQL)', () => {
  it('runs queued jobs apart from the web process and stops cleanly on SIGTERM', async () => {
    const target = await freshDatabase();
    cleanups.push(target.drop);
    const worker = start('src/worker.ts', { DATABASE_URL: target.url, LOG_LEVEL: 'info' });
    cleanups.push(async () => {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    });
    // Wait for the worker to say it is running (it migrates first).
    while (!worker.stdout().includes('worker running') && worker.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(worker.stderr()).toBe('');

    const db = await openDatabase({ databaseUrl: target.url, poolSize: 2 });
    try {
      const id = await queueMessage(db.db, {
        channel: 'email',
        recipient: 'pak.budi@contoh.id',
        subject: 'Undangan pelatihan',
        body: 'Sabtu pukul 09.00',
      });
      let status = 'pending';
      while (status === 'pending' && worker.child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await db.db.selectFrom('outbox_messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      }
      expect(status).toBe('sent');
      expect(worker.stdout()).toContain('Undangan pelatihan');
    } finally {
      await db.close();
    }
    worker.child.kill('SIGTERM');
    const done = await worker.exited;
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('job runner stopped');
  });
});
