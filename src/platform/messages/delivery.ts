import type { JobHandler } from '../jobs/runner.js';
import type { MessageTransports } from './transport.js';

/**
 * The `message.deliver` job: loads the outbox message, hands it to the configured transport and
 * marks it sent. When the transport throws, the error is kept on the message and the job is
 * retried with backoff; after the last attempt the message is marked failed.
 */
export function deliverMessageHandler(transports: MessageTransports): JobHandler {
  return async ({ db, log, config, payload, job }) => {
    const messageId = typeof payload.messageId === 'string' ? payload.messageId : undefined;
    if (!messageId) throw new Error('message.deliver job without a messageId');
    const msg = await db
      .selectFrom('outbox_messages')
      .select(['id', 'channel', 'recipient', 'subject', 'body', 'status'])
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!msg) {
      log.warn({ messageId }, 'outbox message no longer exists; nothing to deliver');
      return;
    }
    if (msg.status === 'sent') return; // delivered by an earlier attempt
    try {
      const transport = transports.get(config.messageTransport);
      if (!transport) {
        throw new Error(
          `Unknown message transport "${config.messageTransport}" (known: ${transports.names().join(', ')}); fix MESSAGE_TRANSPORT`,
        );
      }
      await transport.send(
        { id: msg.id, channel: msg.channel, recipient: msg.recipient, subject: msg.subject, body: msg.body },
        { log, config },
      );
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      const last = job.attempt >= job.maxAttempts;
      await db
        .updateTable('outbox_messages')
        .set({ last_error: error, status: last ? 'failed' : 'pending' })
        .where('id', '=', msg.id)
        .execute();
      throw err;
    }
    await db
      .updateTable('outbox_messages')
      .set({ status: 'sent', sent_at: new Date(), last_error: null })
      .where('id', '=', msg.id)
      .execute();
  };
}
