/**
 * Appointments' tables (migration 0077): availability rules, slot counters (the capacity the database
 * enforces), queue numbers, appointments. Every function takes the database or the current transaction
 * first.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { AvailabilityRule } from './slots.ts';
import type { AppointmentStatus } from './states.ts';

export interface Appointment {
  id: string;
  agencyCode: string;
  startsAt: Date;
  endsAt: Date;
  day: string;
  channel: 'online' | 'counter';
  accountId: string | null;
  name: string;
  idNumber: string | null;
  documents: string;
  copies: number | null;
  status: AppointmentStatus;
  holdExpiresAt: Date | null;
  queueNumber: number | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  certificationId: string | null;
  remindedAt: Date | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  agency_code: string;
  starts_at: Date | string;
  ends_at: Date | string;
  day: string | Date;
  channel: 'online' | 'counter';
  account_id: string | null;
  name: string;
  id_number: string | null;
  documents: string;
  copies: number | null;
  status: AppointmentStatus;
  hold_expires_at: Date | string | null;
  queue_number: number | null;
  idempotency_key: string | null;
  request_hash: string | null;
  certification_id: string | null;
  reminded_at: Date | string | null;
  revision: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const d = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const dn = (v: Date | string | null) => (v === null ? null : d(v));
const day = (v: string | Date) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

const COLUMNS = sql`id, agency_code, starts_at, ends_at, day::text as day, channel, account_id, name, id_number,
  documents, copies, status, hold_expires_at, queue_number, idempotency_key, request_hash, certification_id,
  reminded_at, revision, created_at, updated_at`;

export const toAppointment = (r: Row): Appointment => ({
  id: r.id,
  agencyCode: r.agency_code,
  startsAt: d(r.starts_at),
  endsAt: d(r.ends_at),
  day: day(r.day),
  channel: r.channel,
  accountId: r.account_id,
  name: r.name,
  idNumber: r.id_number,
  documents: r.documents,
  copies: r.copies === null ? null : Number(r.copies),
  status: r.status,
  holdExpiresAt: dn(r.hold_expires_at),
  queueNumber: r.queue_number === null ? null : Number(r.queue_number),
  idempotencyKey: r.idempotency_key,
  requestHash: r.request_hash,
  certificationId: r.certification_id,
  remindedAt: dn(r.reminded_at),
  revision: Number(r.revision),
  createdAt: d(r.created_at),
  updatedAt: d(r.updated_at),
});

// ── Availability rules ─────────────────────────────────────────────────────────────────────────────

interface RuleRow {
  id: number | string;
  weekdays: number[] | string;
  start_time: string;
  end_time: string;
  slot_minutes: number;
  online_capacity: number;
  counter_capacity: number;
  valid_from: string;
  valid_to: string | null;
}

const weekdaysOf = (v: number[] | string): number[] =>
  Array.isArray(v) ? v.map(Number) : String(v).replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);

/** The office's rules (all, past and future), oldest first. */
export async function listRules(db: AnyDb, agencyCode: string): Promise<AvailabilityRule[]> {
  const r = await sql<RuleRow>`
    select id, weekdays, to_char(start_time, 'HH24:MI') as start_time, to_char(end_time, 'HH24:MI') as end_time,
           slot_minutes, online_capacity, counter_capacity, valid_from::text as valid_from, valid_to::text as valid_to
      from documents.availability_rules where agency_code = ${agencyCode}
     order by valid_from, start_time, id`.execute(db);
  return r.rows.map((x) => ({
    id: Number(x.id),
    weekdays: weekdaysOf(x.weekdays),
    startTime: x.start_time,
    endTime: x.end_time,
    slotMinutes: Number(x.slot_minutes),
    onlineCapacity: Number(x.online_capacity),
    counterCapacity: Number(x.counter_capacity),
    validFrom: x.valid_from,
    validTo: x.valid_to,
  }));
}

/** Replaces all of the office's rules (the editor publishes the whole set at once). */
export async function replaceRules(
  trx: AnyDb,
  agencyCode: string,
  rules: readonly AvailabilityRule[],
  createdBy: string | null,
): Promise<void> {
  await sql`delete from documents.availability_rules where agency_code = ${agencyCode}`.execute(trx);
  for (const r of rules)
    await sql`
      insert into documents.availability_rules
        (agency_code, weekdays, start_time, end_time, slot_minutes, online_capacity, counter_capacity, valid_from, valid_to, created_by)
      values (${agencyCode}, ${`{${r.weekdays.join(',')}}`}::smallint[], ${r.startTime}::time, ${r.endTime}::time,
              ${r.slotMinutes}, ${r.onlineCapacity}, ${r.counterCapacity}, ${r.validFrom}::date, ${r.validTo}::date, ${createdBy})`.execute(
      trx,
    );
}

// ── Places ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * Takes one place of the slot, or answers false when none is left: one statement that makes the slot's
 * counter or, when it exists, adds one to it only while below capacity. Under READ COMMITTED concurrent
 * attempts serialise on the counter's row and each re-checks the condition on the row as the previous
 * one committed it, so the last place is taken exactly once (and the check constraint backs it up).
 */
export async function takePlace(
  trx: AnyDb,
  kind: 'online' | 'counter',
  agencyCode: string,
  startsAt: Date,
  capacity: { online: number; counter: number },
): Promise<boolean> {
  const cap = kind === 'online' ? capacity.online : capacity.counter;
  if (cap <= 0) return false;
  const r =
    kind === 'online'
      ? await sql<{ taken: number }>`
          insert into documents.slot_counters as c (agency_code, starts_at, online_capacity, counter_capacity, online_taken)
          values (${agencyCode}, ${startsAt}, ${capacity.online}, ${capacity.counter}, 1)
          on conflict (agency_code, starts_at) do update
             set online_taken = c.online_taken + 1,
                 online_capacity = excluded.online_capacity
           where c.online_taken < excluded.online_capacity
          returning online_taken as taken`.execute(trx)
      : await sql<{ taken: number }>`
          insert into documents.slot_counters as c (agency_code, starts_at, online_capacity, counter_capacity, counter_taken)
          values (${agencyCode}, ${startsAt}, ${capacity.online}, ${capacity.counter}, 1)
          on conflict (agency_code, starts_at) do update
             set counter_taken = c.counter_taken + 1,
                 counter_capacity = excluded.counter_capacity
           where c.counter_taken < excluded.counter_capacity
          returning counter_taken as taken`.execute(trx);
  return r.rows.length === 1;
}

/**
 * Locks the counters of some slots of an office in the order of their start, so that two transactions
 * that each move a place between the same two slots (reschedulings in opposite directions) queue up
 * instead of deadlocking.
 */
export async function lockCounters(trx: AnyDb, agencyCode: string, starts: Date[]): Promise<void> {
  if (starts.length === 0) return;
  await sql`
    select 1 from documents.slot_counters
     where agency_code = ${agencyCode} and starts_at in (${sql.join(starts)})
     order by starts_at for update`.execute(trx);
}

/** Gives places back (a cancellation, an expired hold, the old slot of a rescheduling). */
export async function releasePlaces(
  trx: AnyDb,
  kind: 'online' | 'counter',
  agencyCode: string,
  startsAt: Date,
  n = 1,
): Promise<void> {
  if (n <= 0) return;
  if (kind === 'online')
    await sql`update documents.slot_counters set online_taken = online_taken - ${n}
               where agency_code = ${agencyCode} and starts_at = ${startsAt}`.execute(trx);
  else
    await sql`update documents.slot_counters set counter_taken = counter_taken - ${n}
               where agency_code = ${agencyCode} and starts_at = ${startsAt}`.execute(trx);
}

/**
 * Places taken per slot start (epoch ms) between two instants; with `now`, holds lapsed by then (that
 * the job has not swept yet, and the next booking of the slot will) do not count.
 */
export async function placesTaken(
  db: AnyDb,
  agencyCode: string,
  from: Date,
  to: Date,
  now?: Date,
): Promise<Map<number, { online: number; counter: number }>> {
  const r = await sql<{ starts_at: Date | string; online_taken: number; counter_taken: number }>`
    select c.starts_at, c.counter_taken,
           c.online_taken - ${
             now
               ? sql`(select count(*) from documents.appointments a
                       where a.agency_code = c.agency_code and a.starts_at = c.starts_at
                         and a.status = 'held' and a.hold_expires_at <= ${now})`
               : sql`0`
           } as online_taken
      from documents.slot_counters c
     where c.agency_code = ${agencyCode} and c.starts_at >= ${from} and c.starts_at < ${to}`.execute(db);
  return new Map(
    r.rows.map((x) => [
      d(x.starts_at).getTime(),
      { online: Number(x.online_taken), counter: Number(x.counter_taken) },
    ]),
  );
}

/** The next queue number of the office's day (in the caller's transaction: a rollback gives it back). */
export async function nextQueueNumber(trx: AnyDb, agencyCode: string, onDay: string): Promise<number> {
  const r = await sql<{ n: number }>`
    insert into documents.queue_counters as q (agency_code, day, last_number) values (${agencyCode}, ${onDay}::date, 1)
    on conflict (agency_code, day) do update set last_number = q.last_number + 1
    returning last_number as n`.execute(trx);
  return Number(r.rows[0]!.n);
}

// ── Appointments ────────────────────────────────────────────────────────────────────────────────────

export interface NewAppointment {
  agencyCode: string;
  startsAt: Date;
  endsAt: Date;
  day: string;
  channel: 'online' | 'counter';
  accountId: string | null;
  name: string;
  idNumber: string | null;
  documents: string;
  copies: number | null;
  status: 'held' | 'booked';
  holdExpiresAt: Date | null;
  queueNumber: number | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  now: Date;
}

export async function insertAppointment(trx: AnyDb, a: NewAppointment): Promise<Appointment> {
  const r = await sql<Row>`
    insert into documents.appointments
      (agency_code, starts_at, ends_at, day, channel, account_id, name, id_number, documents, copies, status,
       hold_expires_at, queue_number, idempotency_key, request_hash, created_at, updated_at)
    values (${a.agencyCode}, ${a.startsAt}, ${a.endsAt}, ${a.day}::date, ${a.channel}, ${a.accountId}, ${a.name},
            ${a.idNumber}, ${a.documents}, ${a.copies}, ${a.status}, ${a.holdExpiresAt}, ${a.queueNumber},
            ${a.idempotencyKey}, ${a.requestHash}, ${a.now}, ${a.now})
    returning ${COLUMNS}`.execute(trx);
  return toAppointment(r.rows[0]!);
}

export async function findAppointment(db: AnyDb, id: string): Promise<Appointment | undefined> {
  const r = await sql<Row>`select ${COLUMNS} from documents.appointments where id = ${id}`.execute(db);
  return r.rows[0] ? toAppointment(r.rows[0]) : undefined;
}

/** The appointment, its row locked until the transaction ends. */
export async function lockAppointment(trx: AnyDb, id: string): Promise<Appointment | undefined> {
  const r = await sql<Row>`select ${COLUMNS} from documents.appointments where id = ${id} for update`.execute(
    trx,
  );
  return r.rows[0] ? toAppointment(r.rows[0]) : undefined;
}

export async function findByKey(db: AnyDb, accountId: string, key: string): Promise<Appointment | undefined> {
  const r = await sql<Row>`
    select ${COLUMNS} from documents.appointments where account_id = ${accountId} and idempotency_key = ${key}`.execute(
    db,
  );
  return r.rows[0] ? toAppointment(r.rows[0]) : undefined;
}

/** An office's appointment of a day by its queue number. */
export async function findByQueueNumber(
  db: AnyDb,
  agencyCode: string,
  onDay: string,
  queueNumber: number,
): Promise<Appointment | undefined> {
  const r = await sql<Row>`
    select ${COLUMNS} from documents.appointments
     where agency_code = ${agencyCode} and day = ${onDay}::date and queue_number = ${queueNumber}`.execute(
    db,
  );
  return r.rows[0] ? toAppointment(r.rows[0]) : undefined;
}

/** The account's appointments, the coming ones first, then the past ones newest first. */
export async function appointmentsOf(db: AnyDb, accountId: string, now: Date): Promise<Appointment[]> {
  const r = await sql<Row>`
    select ${COLUMNS} from documents.appointments where account_id = ${accountId}
     order by (starts_at < ${now}), case when starts_at >= ${now} then starts_at end asc, starts_at desc
     limit 200`.execute(db);
  return r.rows.map(toAppointment);
}

/** An office's appointments of a day (everything but lapsed holds), by queue number then time. */
export async function appointmentsOfDay(
  db: AnyDb,
  agencyCode: string,
  onDay: string,
): Promise<Appointment[]> {
  const r = await sql<Row>`
    select ${COLUMNS} from documents.appointments
     where agency_code = ${agencyCode} and day = ${onDay}::date and status <> 'expired'
     order by starts_at, queue_number nulls last, created_at
     limit 2000`.execute(db);
  return r.rows.map(toAppointment);
}

/** Applies a change at the expected revision; undefined when someone changed it first. */
export async function updateAppointment(
  trx: AnyDb,
  id: string,
  revision: number,
  change: {
    status?: AppointmentStatus;
    holdExpiresAt?: Date | null;
    startsAt?: Date;
    endsAt?: Date;
    day?: string;
    queueNumber?: number | null;
    documents?: string;
    copies?: number | null;
    certificationId?: string | null;
    remindedAt?: Date | null;
  },
  now: Date,
): Promise<Appointment | undefined> {
  const has = (k: keyof typeof change) => Object.hasOwn(change, k);
  const r = await sql<Row>`
    update documents.appointments set
      status = ${has('status') ? change.status : sql`status`},
      hold_expires_at = ${has('holdExpiresAt') ? change.holdExpiresAt : sql`hold_expires_at`},
      starts_at = ${has('startsAt') ? change.startsAt : sql`starts_at`},
      ends_at = ${has('endsAt') ? change.endsAt : sql`ends_at`},
      day = ${has('day') ? sql`${change.day}::date` : sql`day`},
      queue_number = ${has('queueNumber') ? change.queueNumber : sql`queue_number`},
      documents = ${has('documents') ? change.documents : sql`documents`},
      copies = ${has('copies') ? change.copies : sql`copies`},
      certification_id = ${has('certificationId') ? change.certificationId : sql`certification_id`},
      reminded_at = ${has('remindedAt') ? change.remindedAt : sql`reminded_at`},
      revision = revision + 1,
      updated_at = ${now}
    where id = ${id} and revision = ${revision}
    returning ${COLUMNS}`.execute(trx);
  return r.rows[0] ? toAppointment(r.rows[0]) : undefined;
}

/**
 * Lapses the holds past their expiry (of one slot, or all) and gives their places back, in the caller's
 * transaction. Each lapsed hold is returned by exactly one caller: concurrent callers wait on the rows
 * and find them no longer held.
 */
export async function expireHolds(
  trx: AnyDb,
  now: Date,
  slot?: { agencyCode: string; startsAt: Date },
): Promise<Appointment[]> {
  const r = await sql<Row>`
    update documents.appointments set status = 'expired', hold_expires_at = null, revision = revision + 1, updated_at = ${now}
     where status = 'held' and hold_expires_at <= ${now}
       ${slot ? sql`and agency_code = ${slot.agencyCode} and starts_at = ${slot.startsAt}` : sql``}
    returning ${COLUMNS}`.execute(trx);
  const lapsed = r.rows.map(toAppointment);
  const bySlot = new Map<string, { agencyCode: string; startsAt: Date; n: number }>();
  for (const a of lapsed) {
    const k = `${a.agencyCode}|${a.startsAt.toISOString()}`;
    const e = bySlot.get(k) ?? { agencyCode: a.agencyCode, startsAt: a.startsAt, n: 0 };
    e.n++;
    bySlot.set(k, e);
  }
  for (const e of bySlot.values()) await releasePlaces(trx, 'online', e.agencyCode, e.startsAt, e.n);
  return lapsed;
}

/** Booked appointments starting in [from, to) not yet reminded. */
export async function dueReminders(db: AnyDb, from: Date, to: Date): Promise<Appointment[]> {
  const r = await sql<Row>`
    select ${COLUMNS} from documents.appointments
     where status = 'booked' and reminded_at is null and starts_at >= ${from} and starts_at < ${to}
     order by starts_at limit 500`.execute(db);
  return r.rows.map(toAppointment);
}
