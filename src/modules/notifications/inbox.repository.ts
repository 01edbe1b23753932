/**
 * notifications.inbox and notifications.preferences: the portal inbox of each account ("Thông báo"),
 * and the channels an account turned off per topic. Every read of the inbox is by (account, id): an
 * entry of another account is not found.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import type { Channel } from './messages.repository.ts';

export interface InboxEntry {
  id: number;
  template: string;
  topic: string;
  subject: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = sql`id, template, topic, subject, body, link, created_at, read_at`;
const num = (r: InboxEntry): InboxEntry => ({ ...r, id: Number(r.id) });

/** Writes an entry once per (account, event): true when it is new. */
export async function insertInboxEntry(
  trx: AnyDb,
  e: {
    accountId: string;
    eventKey: string;
    template: string;
    topic: string;
    subject: string;
    body: string;
    link: string | null;
  },
): Promise<boolean> {
  const r = await sql<{ id: number }>`
    insert into notifications.inbox (account_id, event_key, template, topic, subject, body, link)
    values (${e.accountId}, ${e.eventKey}, ${e.template}, ${e.topic}, ${e.subject.slice(0, 500)}, ${e.body},
            ${e.link === null ? null : e.link.slice(0, 2000)})
    on conflict (account_id, event_key) do nothing
    returning id`.execute(trx);
  return r.rows.length > 0;
}

/** A page of the account's inbox, newest first, and whether there is more after it. */
export async function listInbox(
  db: AnyDb,
  accountId: string,
  page: { offset: number; limit: number },
): Promise<{ entries: InboxEntry[]; more: boolean }> {
  const r = await sql<InboxEntry>`
    select ${COLUMNS} from notifications.inbox where account_id = ${accountId}
     order by id desc limit ${page.limit + 1} offset ${page.offset}`.execute(db);
  return { entries: r.rows.slice(0, page.limit).map(num), more: r.rows.length > page.limit };
}

/** One entry of the account's, marked read (the first opening sets read_at); undefined if not theirs. */
export async function openInboxEntry(
  db: AnyDb,
  accountId: string,
  id: number,
): Promise<InboxEntry | undefined> {
  await sql`
    update notifications.inbox set read_at = now()
     where id = ${id} and account_id = ${accountId} and read_at is null`.execute(db);
  const r = await sql<InboxEntry>`
    select ${COLUMNS} from notifications.inbox where id = ${id} and account_id = ${accountId}`.execute(db);
  return r.rows[0] ? num(r.rows[0]) : undefined;
}

export async function countUnread(db: AnyDb, accountId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from notifications.inbox
     where account_id = ${accountId} and read_at is null`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The (channel, topic) pairs the account turned off. */
export async function disabledChannels(
  db: AnyDb,
  accountId: string,
): Promise<Array<{ channel: Channel; topic: string }>> {
  const r = await sql<{ channel: Channel; topic: string }>`
    select channel, topic from notifications.preferences
     where account_id = ${accountId} and not enabled`.execute(db);
  return r.rows;
}

/** Whether messages of `topic` go to the account on `channel` (no row: yes). */
export async function channelEnabled(
  db: AnyDb,
  accountId: string,
  channel: Channel,
  topic: string,
): Promise<boolean> {
  const r = await sql<{ enabled: boolean }>`
    select enabled from notifications.preferences
     where account_id = ${accountId} and channel = ${channel} and topic = ${topic}`.execute(db);
  return r.rows[0]?.enabled ?? true;
}

export async function setChannel(
  db: AnyDb,
  accountId: string,
  channel: Channel,
  topic: string,
  enabled: boolean,
): Promise<void> {
  await sql`
    insert into notifications.preferences (account_id, channel, topic, enabled)
    values (${accountId}, ${channel}, ${topic}, ${enabled})
    on conflict (account_id, channel, topic)
    do update set enabled = excluded.enabled, updated_at = now()
     where notifications.preferences.enabled is distinct from excluded.enabled`.execute(db);
}
