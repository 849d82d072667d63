import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { queueMessage } from '../../src/platform/messages/outbox.js';
import { createLoggedApp, type LoggedApp } from './support.js';

const apps: LoggedApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});
async function app(env: Record<string, string> = {}) {
  const a = await createLoggedApp({ SEED_DEMO: 'false', ...env });
  apps.push(a);
  return a;
}

async function message(t: LoggedApp, id: string) {
  return t.db.db.selectFrom('outbox_messages').select(['status', 'sent_at', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();
}
async function deliveryJob(t: LoggedApp, id: string) {
  return t.db.db
    .selectFrom('jobs')
    .select(['status', 'attempts', 'last_error'])
    .where('type', '=', 'message.deliver')
    .where(sql<boolean>`payload->>'messageId' = ${id}`)
    .executeTakeFirstOrThrow();
}

describe('message delivery', () => {
  it('the default log transport writes the message to the log and marks it sent', async () => {
    const t = await app();
    const id = await queueMessage(t.db.db, {
      channel: 'email',
      recipient: 'bu.sri@contoh.id',
      subject: 'Atur ulang kata sandi',
      body: 'Buka tautan ini untuk membuat kata sandi baru.',
    });
    expect((await message(t, id)).status).toBe('pending');
    const [result] = await t.app.jobs.runDue();
    expect(result).toMatchObject({ type: 'message.deliver', outcome: 'done' });

    const msg = await message(t, id);
    expect(msg.status).toBe('sent');
    expect(msg.sent_at).not.toBeNull();
    expect(msg.last_error).toBeNull();
    expect((await deliveryJob(t, id)).status).toBe('done');

    const logged = t.logLines().find((l) => (l.message as { id?: string } | undefined)?.id === id);
    expect(logged).toMatchObject({
      level: 30,
      message: {
        channel: 'email',
        recipient: 'bu.sri@contoh.id',
        subject: 'Atur ulang kata sandi',
        body: 'Buka tautan ini untuk membuat kata sandi baru.',
      },
    });
    // Delivered once: running the queue again sends nothing more.
    expect(await t.app.jobs.runDue()).toEqual([]);
  });

  it('a transport that cannot deliver keeps the error, retries, and after the last attempt marks the message failed', async () => {
    const t = await app({ MESSAGE_TRANSPORT: 'smtp-belum-ada' });
    // The operator is told at start-up.
    expect(t.logText()).toContain('MESSAGE_TRANSPORT names no known transport');
    const id = await queueMessage(t.db.db, {
      channel: 'sms',
      recipient: '+6281234567890',
      subject: 'Pengingat',
      body: 'Jadwal pendampingan besok.',
    });

    expect(await t.app.jobs.runOnce()).toMatchObject({ outcome: 'retry', attempt: 1 });
    let msg = await message(t, id);
    expect(msg.status).toBe('pending');
    expect(msg.last_error).toContain('smtp-belum-ada');
    let job = await deliveryJob(t, id);
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });

    for (let attempt = 2; attempt <= 5; attempt++) {
      // Only the delivery job: the nightly arrears run also waits in the queue, for tonight.
      await sql`update jobs set run_at = now() where status = 'pending' and type = 'message.deliver'`.execute(t.db.db);
      expect(await t.app.jobs.runOnce()).toMatchObject({ attempt, outcome: attempt < 5 ? 'retry' : 'failed' });
    }
    msg = await message(t, id);
    expect(msg.status).toBe('failed');
    expect(msg.sent_at).toBeNull();
    expect(msg.last_error).toContain('MESSAGE_TRANSPORT');
    job = await deliveryJob(t, id);
    expect(job).toMatchObject({ status: 'failed', attempts: 5 });
    expect(job.last_error).toContain('smtp-belum-ada');
  });
});
