/**
 * Sending a notification = writing the message's row (state queued) and an outbox message in the
 * caller's transaction, once per (event, channel, recipient); the dispatcher hands it to the transport
 * after commit (delivery.service.ts) and the row follows it to delivered, failed or expired.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { NOTIFY_TOPIC, requestIdOf, type SendPayload } from './delivery.service.ts';
import { channelEnabled, insertInboxEntry } from './inbox.repository.ts';
import { insertQueued } from './messages.repository.ts';
import { isOptionalTopic, render, ruleOf } from './templates.ts';

export interface Notification {
  channel: 'sms' | 'email';
  to: string;
  template: string;
  params: Record<string, string>;
  /**
   * What the message is about: one message per (key, channel, recipient). A handler that may run twice
   * (outbox delivery is at least once) passes a key derived from what it is handling, and the second
   * call queues nothing. Without a key, each call is its own message.
   */
  dedupeKey?: string;
  /** The account told, when known (set by notifyAccount): e-mails then carry a one-click unsubscribe. */
  accountId?: string;
}

/** Renders now (so a template error fails the business transaction) and queues. */
export async function queueNotification(trx: AnyDb, n: Notification): Promise<void> {
  const r = render(n.template, n.channel, n.params);
  const rule = ruleOf(n.template);
  const id = await insertQueued(trx, {
    eventKey: n.dedupeKey ?? `once:${randomUUID()}`,
    channel: n.channel,
    recipient: n.to,
    template: n.template,
    subject: r.subject ?? null,
    body: r.body,
    validForMinutes: rule.validForMinutes?.(n.params),
    accountId: n.accountId,
  });
  if (id === undefined) return;
  const payload: SendPayload = { messageId: id, generation: 0 };
  await enqueue(trx, NOTIFY_TOPIC, payload, { dedupeKey: requestIdOf({ id, generation: 0 }) });
}

/** Something to tell an account: in its portal inbox, and on its verified phone and e-mail. */
export interface AccountNotification {
  accountId: string;
  template: string;
  params: Record<string, string>;
  /** The account's verified phone (E.164) and e-mail, where it has them. */
  sms?: string | null;
  email?: string | null;
  /**
   * What it is about: one inbox entry per (key, account), one message per (key:channel, recipient).
   * Without a key, each call is its own event.
   */
  dedupeKey?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tells an account something, in the caller's transaction: an entry in its inbox (never for one-time
 * codes, which prove possession of the phone or mailbox), and a message on each channel given — unless
 * the template's topic is optional and the account turned that channel off for it (then the inbox is
 * the only place it reaches them).
 */
export async function notifyAccount(trx: AnyDb, n: AccountNotification): Promise<void> {
  const rule = ruleOf(n.template);
  const key = n.dedupeKey ?? `once:${randomUUID()}`;
  const known = UUID.test(n.accountId);
  if (known && rule.topic !== 'codes') {
    const r = render(n.template, 'email', n.params);
    await insertInboxEntry(trx, {
      accountId: n.accountId,
      eventKey: key,
      template: n.template,
      topic: rule.topic,
      subject: r.subject ?? n.template,
      body: r.body,
      link: n.params.link ?? null,
    });
  }
  for (const channel of ['sms', 'email'] as const) {
    const to = n[channel];
    if (!to) continue;
    if (
      known &&
      isOptionalTopic(rule.topic) &&
      !(await channelEnabled(trx, n.accountId, channel, rule.topic))
    )
      continue;
    await queueNotification(trx, {
      channel,
      to,
      template: n.template,
      params: n.params,
      dedupeKey: `${key}:${channel}`,
      ...(known ? { accountId: n.accountId } : {}),
    });
  }
}

export interface SentMessage {
  id: number;
  channel: string;
  recipient: string;
  template: string;
  subject: string | null;
  body: string;
  state: string;
  transport: string | null;
  attempts: number;
  queued_at: Date;
  sent_at: Date | null;
}

/** The latest messages, newest first (the development page, tests). */
export async function recentMessages(db: Kysely<unknown> | AnyDb, limit = 50): Promise<SentMessage[]> {
  const r = await sql<SentMessage>`
    select id, channel, recipient, template, subject, body, state, transport, attempts, queued_at, sent_at
      from notifications.messages order by id desc limit ${limit}`.execute(db);
  return r.rows.map((m) => ({ ...m, id: Number(m.id), attempts: Number(m.attempts) }));
}
