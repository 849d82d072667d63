import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { jobRow } from '../jobs/queue.js';

export const DELIVER_MESSAGE_JOB = 'message.deliver';

export interface OutgoingMessage {
  channel: 'email' | 'sms' | 'whatsapp';
  recipient: string;
  userId?: string | null;
  subject: string;
  body: string;
}

/**
 * Writes a message to the outbox and queues its delivery, in the caller's transaction.
 * The job runner hands it to the configured transport (MESSAGE_TRANSPORT, default `log`).
 */
export async function queueMessage(db: Kysely<Database> | Transaction<Database>, msg: OutgoingMessage): Promise<string> {
  // The message and its delivery job in one statement (notifications are written on busy paths:
  // checkout, order steps, the nightly arrears reminders).
  const id = randomUUID();
  await db
    .with('m', (qb) =>
      qb
        .insertInto('outbox_messages')
        .values({ id, channel: msg.channel, recipient: msg.recipient, user_id: msg.userId ?? null, subject: msg.subject, body: msg.body }),
    )
    .insertInto('jobs')
    .values(jobRow(DELIVER_MESSAGE_JOB, { messageId: id }))
    .execute();
  return id;
}
