/**
 * notifications.messages: one row per message, from queued to delivered, failed or expired. Every
 * change of state is a conditional update on the state it expects, so a repeated call (an outbox
 * redelivery, a duplicate delivery report, two dispatchers) changes nothing the second time.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';

export type MessageState = 'queued' | 'sent' | 'delivered' | 'failed' | 'expired';
export type Channel = 'sms' | 'email';

export interface MessageRow {
  id: number;
  event_key: string;
  channel: Channel;
  recipient: string;
  template: string;
  subject: string | null;
  body: string;
  state: MessageState;
  transport: string | null;
  attempts: number;
  last_error: string | null;
  provider_id: string | null;
  generation: number;
  queued_at: Date;
  sent_at: Date | null;
  expires_at: Date | null;
  reported_at: Date | null;
  finished_at: Date | null;
  /** The account told, when the sender knew it (notifyAccount). */
  account_id: string | null;
}

const COLUMNS = sql`id, event_key, channel, recipient, template, subject, body, state, transport, attempts,
  last_error, provider_id, generation, queued_at, sent_at, expires_at, reported_at, finished_at, account_id`;

const num = <T extends { id: number | string; attempts: number | string; generation: number | string }>(
  r: T,
): T => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), generation: Number(r.generation) });

/**
 * Writes a queued message, once per (event, channel, recipient): the id of the new row, or undefined
 * when that message was already queued (the caller then queues nothing more).
 */
export async function insertQueued(
  trx: AnyDb,
  m: {
    eventKey: string;
    channel: Channel;
    recipient: string;
    template: string;
    subject: string | null;
    body: string;
    validForMinutes: number | undefined;
    accountId?: string | undefined;
  },
): Promise<number | undefined> {
  const r = await sql<{ id: number }>`
    insert into notifications.messages (event_key, channel, recipient, template, subject, body, state, expires_at,
                                        account_id)
    values (${m.eventKey}, ${m.channel}, ${m.recipient}, ${m.template}, ${m.subject}, ${m.body}, 'queued',
            ${m.validForMinutes === undefined ? null : sql`now() + ${`${m.validForMinutes} minutes`}::interval`},
            ${m.accountId ?? null})
    on conflict (event_key, channel, recipient) do nothing
    returning id`.execute(trx);
  return r.rows[0] ? Number(r.rows[0].id) : undefined;
}

/** The row of a message queued before delivery tracking (its outbox message carried the text). */
export async function adoptLegacy(
  db: AnyDb,
  outboxId: number,
  p: { channel: Channel; to: string; template: string; subject?: string; body: string },
): Promise<number> {
  const r = await sql<{ id: number }>`
    insert into notifications.messages (event_key, outbox_id, channel, recipient, template, subject, body, state)
    values (${`outbox:${outboxId}`}, ${outboxId}, ${p.channel}, ${p.to}, ${p.template}, ${p.subject ?? null},
            ${p.body}, 'queued')
    on conflict (event_key, channel, recipient) do update set event_key = excluded.event_key
    returning id`.execute(db);
  return Number(r.rows[0]!.id);
}

export async function findMessage(db: AnyDb, id: number): Promise<MessageRow | undefined> {
  const r = await sql<MessageRow>`select ${COLUMNS} from notifications.messages where id = ${id}`.execute(db);
  return r.rows[0] ? num(r.rows[0]) : undefined;
}

/**
 * Starts a try of a queued message: counts the attempt, or, for a one-time code past its validity,
 * marks it expired. Answers what to do; 'skip' when the message is no longer queued (sent already).
 */
export async function beginAttempt(
  db: AnyDb,
  id: number,
): Promise<{ action: 'send'; row: MessageRow } | { action: 'expired' | 'skip' }> {
  const expired = await sql<{ id: number }>`
    update notifications.messages
       set state = 'expired', finished_at = now(),
           last_error = 'Mã hết hiệu lực trước khi gửi được / the code lapsed before it could be sent'
     where id = ${id} and state = 'queued' and expires_at is not null and expires_at <= now()
    returning id`.execute(db);
  if (expired.rows.length > 0) return { action: 'expired' };
  const r = await sql<MessageRow>`
    update notifications.messages set attempts = attempts + 1
     where id = ${id} and state = 'queued'
    returning ${COLUMNS}`.execute(db);
  return r.rows[0] ? { action: 'send', row: num(r.rows[0]) } : { action: 'skip' };
}

export async function markSent(
  db: AnyDb,
  id: number,
  generation: number,
  sent: { transport: string; providerId: string },
): Promise<void> {
  await sql`
    update notifications.messages
       set state = 'sent', transport = ${sent.transport}, provider_id = ${sent.providerId}, sent_at = now(),
           last_error = null
     where id = ${id} and generation = ${generation} and state = 'queued'`.execute(db);
  // A delivery report that overtook the gateway's answer already settled the row (and set the gateway's
  // id from the report): keep its state, fill in how and when it left.
  await sql`
    update notifications.messages set provider_id = coalesce(provider_id, ${sent.providerId}),
           transport = coalesce(transport, ${sent.transport}), sent_at = coalesce(sent_at, now())
     where id = ${id} and generation = ${generation} and (provider_id is null or transport is null)`.execute(
    db,
  );
}

export async function recordFailure(
  db: AnyDb,
  id: number,
  generation: number,
  error: string,
  final: boolean,
): Promise<void> {
  const message = error.slice(0, 2000);
  if (final)
    await sql`
      update notifications.messages set state = 'failed', last_error = ${message}, finished_at = now()
       where id = ${id} and generation = ${generation} and state = 'queued'`.execute(db);
  else
    await sql`
      update notifications.messages set last_error = ${message}
       where id = ${id} and generation = ${generation} and state = 'queued'`.execute(db);
}

/**
 * Applies what the gateway says of a message (a report or a status answer), matched by the request id
 * (`m{id}g{generation}`) or else the gateway's id. Only a message not yet settled changes, and only
 * forward: queued/sent → delivered, failed or expired. True when it changed something.
 */
export async function applyGatewayStatus(
  db: AnyDb,
  s: { providerId: string; requestId?: string; status: string; error?: string },
): Promise<boolean> {
  if (s.status !== 'delivered' && s.status !== 'failed' && s.status !== 'expired') return false;
  const ref = s.requestId ? /^m(\d{1,15})g(\d{1,6})$/.exec(s.requestId) : null;
  const match = ref
    ? sql`id = ${Number(ref[1])} and generation = ${Number(ref[2])}`
    : sql`provider_id = ${s.providerId}`;
  const r = await sql<{ id: number }>`
    update notifications.messages
       set state = ${s.status}, reported_at = now(), finished_at = now(),
           provider_id = coalesce(provider_id, ${s.providerId}),
           last_error = ${s.status === 'delivered' ? null : (s.error ?? s.status).slice(0, 2000)}
     where channel = 'sms' and ${match} and state in ('queued', 'sent')
    returning id`.execute(db);
  return r.rows.length > 0;
}

/** SMS handed to the gateway more than `olderThanMinutes` ago and not settled by any report. */
export async function unsettledSms(
  db: AnyDb,
  olderThanMinutes: number,
  limit: number,
): Promise<MessageRow[]> {
  const r = await sql<MessageRow>`
    select ${COLUMNS} from notifications.messages
     where state = 'sent' and channel = 'sms' and transport = 'sms-gateway' and provider_id is not null
       and sent_at < now() - ${`${olderThanMinutes} minutes`}::interval
     order by sent_at limit ${limit}`.execute(db);
  return r.rows.map(num);
}

/**
 * Puts a failed or expired message back in the queue as a new generation (a new request id for the
 * gateway). A one-time code is not resent: it is no longer valid, the person asks for a new one.
 */
export async function requeue(trx: AnyDb, id: number): Promise<MessageRow | undefined> {
  const r = await sql<MessageRow>`
    update notifications.messages
       set state = 'queued', generation = generation + 1, attempts = 0, last_error = null, provider_id = null,
           transport = null, sent_at = null, reported_at = null, finished_at = null
     where id = ${id} and state in ('failed', 'expired') and expires_at is null
    returning ${COLUMNS}`.execute(trx);
  return r.rows[0] ? num(r.rows[0]) : undefined;
}

export async function listMessages(
  db: AnyDb,
  filter: { states?: MessageState[]; limit: number },
): Promise<MessageRow[]> {
  const r = filter.states
    ? await sql<MessageRow>`
        select ${COLUMNS} from notifications.messages where state = any(${filter.states}::text[])
         order by coalesce(finished_at, queued_at) desc, id desc limit ${filter.limit}`.execute(db)
    : await sql<MessageRow>`
        select ${COLUMNS} from notifications.messages order by id desc limit ${filter.limit}`.execute(db);
  return r.rows.map(num);
}

/** Messages that failed or expired in the last `days` days (the administrators' desk card). */
export async function countFailedSince(db: AnyDb, days: number): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from notifications.messages
     where state in ('failed', 'expired') and finished_at > now() - ${`${days} days`}::interval`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
