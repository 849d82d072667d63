import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { enqueueJob } from '../jobs/queue.js';

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
  const row = await db
    .insertInto('outbox_messages')
    .values({ channel: msg.channel, recipient: msg.recipient, user_id: msg.userId ?? null, subject: msg.subject, body: msg.body })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueueJob(db, DELIVER_MESSAGE_JOB, { messageId: row.id });
  return row.id;
}
