/**
 * The figures' queries (db/migrations/0092): marks left by events, the spans derived from items, the daily
 * rollups recomputed from the spans, and the rollups read back for a period. Every function takes the
 * database or the current transaction first.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { Category, StoredPause } from '../feedback.tables.ts';
import type { Span, SpanAnswer, SpanEvent } from './spans.ts';

export interface Mark {
  item_id: string;
  event_id: number;
}

/** Up to `limit` marked items, oldest mark first. */
export async function marks(db: AnyDb, limit: number): Promise<Mark[]> {
  const r = await sql<{ item_id: string; event_id: string | number }>`
    select item_id, event_id from feedback.figure_marks order by event_id limit ${limit}`.execute(db);
  return r.rows.map((m) => ({ item_id: m.item_id, event_id: Number(m.event_id) }));
}

/** Clears a mark unless an event came after the one it was read at (that event's figures are still to do). */
export async function clearMark(trx: AnyDb, m: Mark): Promise<void> {
  await sql`delete from feedback.figure_marks where item_id = ${m.item_id} and event_id = ${m.event_id}`.execute(
    trx,
  );
}

/** Every item, marked: the next runs recompute all spans (and so all rollups they touch). */
export async function markAll(db: AnyDb): Promise<void> {
  await sql`
    insert into feedback.figure_marks (item_id, event_id)
    select item_id, max(id) from feedback.events group by item_id
    on conflict on constraint figure_marks_pk do update set event_id = excluded.event_id`.execute(db);
}

export interface ItemFacts {
  id: string;
  category: Category;
  status: string;
  regime: Record<string, number>;
  submitted_at: Date;
  refused_at: Date | null;
  forwarded_at: Date | null;
  closed_at: Date | null;
  pauses: StoredPause[];
  rated_satisfied: boolean | null;
  rated_at: Date | null;
}

export async function itemFacts(
  db: AnyDb,
  itemId: string,
): Promise<{ item: ItemFacts; events: SpanEvent[]; answers: SpanAnswer[] } | undefined> {
  const i = await sql<ItemFacts>`
    select id, category, status, regime, submitted_at, refused_at, forwarded_at, closed_at, pauses,
           rated_satisfied, rated_at
      from feedback.items where id = ${itemId}`.execute(db);
  const item = i.rows[0];
  if (!item) return undefined;
  const e = await sql<SpanEvent>`
    select at, action, agency_code, data from feedback.events where item_id = ${itemId} order by id`.execute(
    db,
  );
  const a = await sql<SpanAnswer>`
    select agency_code, answered_at from feedback.answers where item_id = ${itemId} order by id`.execute(db);
  const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    item: { ...item, regime: json(item.regime), pauses: json(item.pauses) },
    events: e.rows.map((x) => ({ ...x, data: json(x.data) })),
    answers: a.rows,
  };
}

interface SpanRow {
  agency_code: string;
  category: Category;
  received_at: Date;
  refused_at: Date | null;
  answered_at: Date | null;
  on_time: boolean | null;
  closed_at: Date | null;
  due_at: Date;
  paused_from: Date | null;
  published_at: Date | null;
  rated_at: Date | null;
  rated_satisfied: boolean | null;
}

export async function spansOfItem(trx: AnyDb, itemId: string): Promise<Span[]> {
  const r = await sql<SpanRow>`
    select agency_code, category, received_at, refused_at, answered_at, on_time, closed_at, due_at, paused_from,
           published_at, rated_at, rated_satisfied
      from feedback.figure_spans where item_id = ${itemId} order by received_at, agency_code`.execute(trx);
  return r.rows.map((s) => ({
    agency: s.agency_code,
    category: s.category,
    receivedAt: s.received_at,
    refusedAt: s.refused_at,
    answeredAt: s.answered_at,
    onTime: s.on_time,
    closedAt: s.closed_at,
    dueAt: s.due_at,
    pausedFrom: s.paused_from,
    publishedAt: s.published_at,
    ratedAt: s.rated_at,
    ratedSatisfied: s.rated_satisfied,
  }));
}

/** Replaces the item's spans. */
export async function replaceSpans(trx: AnyDb, itemId: string, spans: readonly Span[]): Promise<void> {
  await sql`delete from feedback.figure_spans where item_id = ${itemId}`.execute(trx);
  if (spans.length === 0) return;
  const values = spans.map(
    (
      s,
    ) => sql`(${itemId}::uuid, ${s.agency}, ${s.category}, ${s.receivedAt}::timestamptz, ${s.refusedAt}::timestamptz,
      ${s.answeredAt}::timestamptz, ${s.onTime}::boolean, ${s.closedAt}::timestamptz, ${s.dueAt}::timestamptz,
      ${s.pausedFrom}::timestamptz, ${s.publishedAt}::timestamptz, ${s.ratedAt}::timestamptz, ${s.ratedSatisfied}::boolean)`,
  );
  await sql`
    insert into feedback.figure_spans (item_id, agency_code, category, received_at, refused_at, answered_at, on_time,
      closed_at, due_at, paused_from, published_at, rated_at, rated_satisfied)
    values ${sql.join(values)}`.execute(trx);
}

/** The Vietnam day's bounds as SQL timestamptz values. */
const bounds = (day: string) => ({
  s: sql`(${day}::date::text || ' 00:00:00+07')::timestamptz`,
  e: sql`((${day}::date + 1)::text || ' 00:00:00+07')::timestamptz`,
});

/**
 * Recomputes the rollups of `day` from the spans, for `agencies` (all when null): the rows are deleted and
 * written again from what the spans say, so running it twice changes nothing.
 */
export async function recomputeDay(
  trx: AnyDb,
  day: string,
  agencies: readonly string[] | null,
): Promise<void> {
  if (agencies !== null && agencies.length === 0) return;
  const { s, e } = bounds(day);
  const only = (col: string) =>
    agencies === null ? sql`true` : sql`${sql.ref(col)} in (${sql.join(agencies.map((a) => sql`${a}`))})`;
  const within = (col: string) => sql`(${sql.ref(col)} >= ${s} and ${sql.ref(col)} < ${e})`;
  const open = sql`(received_at < ${e} and (closed_at is null or closed_at >= ${e}))`;
  await sql`delete from feedback.rollups where day = ${day}::date and ${only('agency_code')}`.execute(trx);
  await sql`
    insert into feedback.rollups as r (day, agency_code, category, submitted, refused, forwarded, answered,
      answered_on_time, answered_late, published, satisfied, unsatisfied, open_at_end, overdue_at_end)
    select ${day}::date, agency_code, category,
      count(*) filter (where agency_code = 'CP' and ${within('received_at')})::int,
      count(*) filter (where ${within('refused_at')})::int,
      count(*) filter (where agency_code <> 'CP' and ${within('received_at')})::int,
      count(*) filter (where ${within('answered_at')})::int,
      count(*) filter (where ${within('answered_at')} and on_time)::int,
      count(*) filter (where ${within('answered_at')} and not on_time)::int,
      count(*) filter (where ${within('published_at')})::int,
      count(*) filter (where ${within('rated_at')} and rated_satisfied and on_time)::int,
      count(*) filter (where (${within('rated_at')} and not rated_satisfied and on_time)
                          or (${within('answered_at')} and not on_time))::int,
      count(*) filter (where ${open})::int,
      count(*) filter (where ${open} and due_at < ${e}
                          and (paused_from is null or paused_from >= ${e} or due_at <= paused_from))::int
    from feedback.figure_spans
    where ${only('agency_code')}
      and ((received_at < ${e} and (closed_at is null or closed_at >= ${s}))
           or ${within('answered_at')} or ${within('published_at')} or ${within('rated_at')})
    group by agency_code, category
    on conflict on constraint rollups_pk do update set
      submitted = excluded.submitted, refused = excluded.refused, forwarded = excluded.forwarded,
      answered = excluded.answered, answered_on_time = excluded.answered_on_time,
      answered_late = excluded.answered_late, published = excluded.published, satisfied = excluded.satisfied,
      unsatisfied = excluded.unsatisfied, open_at_end = excluded.open_at_end, overdue_at_end = excluded.overdue_at_end`.execute(
    trx,
  );
  // A group whose every count is zero says nothing.
  await sql`
    delete from feedback.rollups
     where day = ${day}::date and ${only('agency_code')}
       and submitted + refused + forwarded + answered + published + satisfied + unsatisfied + open_at_end = 0`.execute(
    trx,
  );
}

/** The last day closed, and the first day any span starts (null without spans). */
export async function closingState(
  db: AnyDb,
): Promise<{ closedThrough: string | null; firstDay: string | null }> {
  const r = await sql<{ closed_through: string | null; first_day: string | null }>`
    select to_char(closed_through, 'YYYY-MM-DD') as closed_through,
           (select to_char(min(received_at) at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') from feedback.figure_spans) as first_day
      from feedback.figure_state where id = 1`.execute(db);
  return { closedThrough: r.rows[0]?.closed_through ?? null, firstDay: r.rows[0]?.first_day ?? null };
}

export async function setClosedThrough(trx: AnyDb, day: string): Promise<void> {
  await sql`update feedback.figure_state set closed_through = ${day}::date where id = 1`.execute(trx);
}

export interface RollupSum {
  key: string;
  submitted: number;
  refused: number;
  forwarded: number;
  answered: number;
  answered_on_time: number;
  answered_late: number;
  published: number;
  satisfied: number;
  unsatisfied: number;
}

export type Grouping = 'agency' | 'category' | 'month' | 'agency-category';

/**
 * The rollups of [from, to] summed by `group`, with the open and overdue counts at the end of `end` (the
 * period's last day, or today if it has not ended), for `agencies` (all when null).
 */
export async function periodSums(
  db: AnyDb,
  q: { from: string; to: string; end: string; group: Grouping; agencies: readonly string[] | null },
): Promise<(RollupSum & { open_at_end: number; overdue_at_end: number })[]> {
  const key =
    q.group === 'agency'
      ? sql`agency_code`
      : q.group === 'category'
        ? sql`category`
        : q.group === 'month'
          ? sql`to_char(day, 'YYYY-MM')`
          : sql`agency_code || '|' || category`;
  const only =
    q.agencies === null
      ? sql`true`
      : q.agencies.length === 0
        ? sql`false`
        : sql`agency_code in (${sql.join(q.agencies.map((a) => sql`${a}`))})`;
  const endDay =
    q.group === 'month'
      ? sql`(day = (date_trunc('month', day) + interval '1 month - 1 day')::date or day = ${q.end}::date)`
      : sql`day = ${q.end}::date`;
  const r = await sql<RollupSum & { open_at_end: number; overdue_at_end: number }>`
    select ${key} as key,
      sum(submitted)::int as submitted, sum(refused)::int as refused, sum(forwarded)::int as forwarded,
      sum(answered)::int as answered, sum(answered_on_time)::int as answered_on_time,
      sum(answered_late)::int as answered_late, sum(published)::int as published,
      sum(satisfied)::int as satisfied, sum(unsatisfied)::int as unsatisfied,
      coalesce(sum(open_at_end) filter (where ${endDay}), 0)::int as open_at_end,
      coalesce(sum(overdue_at_end) filter (where ${endDay}), 0)::int as overdue_at_end
    from feedback.rollups
    where day between ${q.from}::date and ${q.to}::date and ${only}
    group by 1 order by 1`.execute(db);
  return r.rows;
}

/** The agencies that have rollups in [from, to]. */
export async function agenciesIn(db: AnyDb, from: string, to: string): Promise<string[]> {
  const r = await sql<{ agency_code: string }>`
    select distinct agency_code from feedback.rollups where day between ${from}::date and ${to}::date
    order by agency_code`.execute(db);
  return r.rows.map((x) => x.agency_code);
}
