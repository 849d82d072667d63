import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';

/** A message from the outbox, ready to hand to a transport. */
export interface DeliverableMessage {
  id: string;
  channel: 'email' | 'sms' | 'whatsapp';
  recipient: string;
  subject: string;
  body: string;
}

export interface TransportContext {
  log: FastifyBaseLogger;
  config: Config;
}

/**
 * Something that delivers outbox messages (e-mail over SMTP, an SMS or WhatsApp gateway, …).
 * `send` resolves when the message was accepted and throws when it was not; the job runner
 * then retries with backoff. MESSAGE_TRANSPORT names the one in use.
 */
export interface MessageTransport {
  name: string;
  send(msg: DeliverableMessage, ctx: TransportContext): Promise<void>;
}

/** The default transport: writes the whole message to the log (info level), for development and demos. */
export const logTransport: MessageTransport = {
  name: 'log',
  async send(msg, { log }) {
    log.info(
      { message: { id: msg.id, channel: msg.channel, recipient: msg.recipient, subject: msg.subject, body: msg.body } },
      `message for ${msg.recipient}: ${msg.subject}`,
    );
  },
};

/** The transports an app knows, by name. Modules or deployments add theirs with `register`. */
export class MessageTransports {
  private readonly byName = new Map<string, MessageTransport>();
  constructor(initial: MessageTransport[] = [logTransport]) {
    for (const t of initial) this.register(t);
  }
  register(transport: MessageTransport): this {
    this.byName.set(transport.name, transport);
    return this;
  }
  get(name: string): MessageTransport | undefined {
    return this.byName.get(name);
  }
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
