/**
 * The hotline's queries. Every function takes the database or the current transaction first; `find*`
 * may return nothing. Claiming a callback is one conditional update: of two operators, one wins.
 */
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { vietnamDate } from '../../platform/clock/index.ts';
import type { CallbackTable, CallTable, HotlineTables } from './hotline.tables.ts';

type Db = Kysely<HotlineTables>;
export type CallRow = Selectable<CallTable>;
export type CallbackRow = Selectable<CallbackTable>;

/** The next call code, TD-<Vietnam date>-NNNNNN (numbers are never reused, gaps are fine). */
export async function allocateCode(trx: Db, now: Date): Promise<string> {
  const r = await sql<{ n: string | number }>`select nextval('hotline.call_number_seq') as n`.execute(trx);
  return `TD-${vietnamDate(now).replaceAll('-', '')}-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

/** Inserts the call unless the operator already used the key; undefined then. */
export function insertCall(trx: Db, row: Insertable<CallTable>): Promise<CallRow | undefined> {
  return trx
    .insertInto('hotline.calls')
    .values(row)
    .onConflict((oc) => oc.columns(['operator_account_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findByKey(db: Db, operator: string, key: string): Promise<CallRow | undefined> {
  return db
    .selectFrom('hotline.calls')
    .selectAll()
    .where('operator_account_id', '=', operator)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export function findCall(db: Db, code: string): Promise<CallRow | undefined> {
  return db.selectFrom('hotline.calls').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Calls that started in [from, to), newest first. */
export function callsBetween(db: Db, from: Date, to: Date, limit: number): Promise<CallRow[]> {
  return db
    .selectFrom('hotline.calls')
    .selectAll()
    .where('started_at', '>=', from)
    .where('started_at', '<', to)
    .orderBy('started_at', 'desc')
    .orderBy('code', 'desc')
    .limit(limit)
    .execute();
}

/** The calls back made for a call, oldest first. */
export function followUpsOf(db: Db, callId: string): Promise<CallRow[]> {
  return db
    .selectFrom('hotline.calls')
    .selectAll()
    .where('callback_of', '=', callId)
    .orderBy('started_at')
    .execute();
}

export async function insertCallback(trx: Db, callId: string, dueAt: Date): Promise<void> {
  await trx.insertInto('hotline.callbacks').values({ call_id: callId, due_at: dueAt }).execute();
}

export function findCallback(db: Db, callId: string): Promise<CallbackRow | undefined> {
  return db.selectFrom('hotline.callbacks').selectAll().where('call_id', '=', callId).executeTakeFirst();
}

/** Claims an open callback for the operator; undefined when it is not open (someone else was first). */
export function claimCallback(trx: Db, callId: string, operator: string, now: Date) {
  return trx
    .updateTable('hotline.callbacks')
    .set({ state: 'claimed', claimed_by: operator, claimed_at: now })
    .where('call_id', '=', callId)
    .where('state', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

/** Gives a claimed callback back (by its claimant); undefined when it was not theirs. */
export function releaseCallback(trx: Db, callId: string, operator: string) {
  return trx
    .updateTable('hotline.callbacks')
    .set({ state: 'open', claimed_by: null, claimed_at: null })
    .where('call_id', '=', callId)
    .where('state', '=', 'claimed')
    .where('claimed_by', '=', operator)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Records a call back by the claimant: done when it reached the caller, open again (one attempt more)
 * when it did not; undefined when the callback was not claimed by this operator.
 */
export function finishAttempt(
  trx: Db,
  callId: string,
  operator: string,
  attempt: { callId: string; reached: boolean; now: Date },
) {
  return trx
    .updateTable('hotline.callbacks')
    .set(
      attempt.reached
        ? {
            state: 'done',
            claimed_by: null,
            claimed_at: null,
            done_at: attempt.now,
            done_call_id: attempt.callId,
          }
        : { state: 'open', claimed_by: null, claimed_at: null, attempts: sql`attempts + 1` },
    )
    .where('call_id', '=', callId)
    .where('state', '=', 'claimed')
    .where('claimed_by', '=', operator)
    .returningAll()
    .executeTakeFirst();
}

export interface QueueRow extends CallbackRow {
  code: string;
  caller_name: string | null;
  caller_phone: string | null;
  topic: CallRow['topic'];
  notes: string | null;
}

/** Callbacks not done: overdue first (the longest overdue first), then by due time. */
export async function openCallbacks(db: Db, now: Date, limit: number): Promise<QueueRow[]> {
  return db
    .selectFrom('hotline.callbacks as b')
    .innerJoin('hotline.calls as c', 'c.id', 'b.call_id')
    .selectAll('b')
    .select(['c.code', 'c.caller_name', 'c.caller_phone', 'c.topic', 'c.notes'])
    .where('b.state', '<>', 'done')
    .orderBy(sql`case when b.due_at < ${now} then 0 else 1 end`)
    .orderBy('b.due_at')
    .orderBy('c.code')
    .limit(limit)
    .execute();
}

export interface DayFigures {
  calls: number;
  inbound: number;
  outbound: number;
  totalSeconds: number;
  byTopic: Record<string, number>;
  byOutcome: Record<string, number>;
  feedbackCreated: number;
  callbacksOpen: number;
  callbacksOverdue: number;
  callbacksDone: number;
}

/** The figures of the calls that started in [from, to), and of the callbacks as of `now`. */
export async function figures(db: Db, from: Date, to: Date, now: Date): Promise<DayFigures> {
  const [totals, topics, outcomes, callbacks] = await Promise.all([
    sql<{ calls: number; inbound: number; outbound: number; seconds: number; feedback: number }>`
      select count(*)::int as calls,
             count(*) filter (where direction = 'inbound')::int as inbound,
             count(*) filter (where direction = 'outbound')::int as outbound,
             coalesce(sum(extract(epoch from ended_at - started_at)), 0)::int as seconds,
             count(*) filter (where outcome = 'feedback')::int as feedback
      from hotline.calls where started_at >= ${from} and started_at < ${to}`.execute(db),
    sql<{ key: string; n: number }>`
      select topic as key, count(*)::int as n from hotline.calls
      where started_at >= ${from} and started_at < ${to} group by topic`.execute(db),
    sql<{ key: string; n: number }>`
      select outcome as key, count(*)::int as n from hotline.calls
      where started_at >= ${from} and started_at < ${to} group by outcome`.execute(db),
    sql<{ open: number; overdue: number; done: number }>`
      select count(*) filter (where state <> 'done')::int as open,
             count(*) filter (where state <> 'done' and due_at < ${now})::int as overdue,
             count(*) filter (where state = 'done' and done_at >= ${from} and done_at < ${to})::int as done
      from hotline.callbacks`.execute(db),
  ]);
  const t = totals.rows[0]!;
  const c = callbacks.rows[0]!;
  const n = (v: number | string) => Number(v);
  return {
    calls: n(t.calls),
    inbound: n(t.inbound),
    outbound: n(t.outbound),
    totalSeconds: n(t.seconds),
    byTopic: Object.fromEntries(topics.rows.map((r) => [r.key, n(r.n)])),
    byOutcome: Object.fromEntries(outcomes.rows.map((r) => [r.key, n(r.n)])),
    feedbackCreated: n(t.feedback),
    callbacksOpen: n(c.open),
    callbacksOverdue: n(c.overdue),
    callbacksDone: n(c.done),
  };
}
