/**
 * Sending a notification = writing an outbox message in the caller's transaction; the dispatcher
 * delivers it after commit through the configured transport and records it in notifications.messages
 * (idempotently, on the outbox id). The transport available today is `log`: the message is recorded
 * and, outside production, listed at /dev/tin-nhan. SMTP and SMS-gateway transports speak to the
 * simulators in sim/ (later issue).
 */
import { type Kysely, sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import { enqueue, type OutboxMessage } from '../../platform/outbox/index.ts';
import { render } from './templates.ts';

export const NOTIFY_TOPIC = 'notification.send';

export interface Notification {
  channel: 'sms' | 'email';
  to: string;
  template: string;
  params: Record<string, string>;
  /**
   * Sends once per key: a handler that may run twice (outbox delivery is at least once) passes a key
   * derived from what it is handling, and the second enqueue is ignored.
   */
  dedupeKey?: string;
}

interface Payload {
  channel: 'sms' | 'email';
  to: string;
  template: string;
  subject?: string;
  body: string;
}

/** Renders now (so a template error fails the business transaction) and enqueues. */
export async function queueNotification(trx: AnyDb, n: Notification): Promise<void> {
  const r = render(n.template, n.channel, n.params);
  const payload: Payload = {
    channel: n.channel,
    to: n.to,
    template: n.template,
    body: r.body,
    ...(r.subject ? { subject: r.subject } : {}),
  };
  await enqueue(trx, NOTIFY_TOPIC, payload, n.dedupeKey ? { dedupeKey: n.dedupeKey } : {});
}

export function notificationHandler(db: AnyDb) {
  return async (message: OutboxMessage) => {
    const p = message.payload as Payload;
    await sql`
      insert into notifications.messages (outbox_id, channel, recipient, template, subject, body, transport)
      values (${message.id}, ${p.channel}, ${p.to}, ${p.template}, ${p.subject ?? null}, ${p.body}, 'log')
      on conflict (outbox_id) do nothing`.execute(db);
  };
}

export interface SentMessage {
  id: number;
  channel: string;
  recipient: string;
  template: string;
  subject: string | null;
  body: string;
  sent_at: Date;
}

export async function recentMessages(db: Kysely<unknown> | AnyDb, limit = 50): Promise<SentMessage[]> {
  const r = await sql<SentMessage>`
    select id, channel, recipient, template, subject, body, sent_at from notifications.messages
     order by id desc limit ${limit}`.execute(db);
  return r.rows;
}
