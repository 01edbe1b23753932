/**
 * What each sync batch leaves for the monitoring page, in ONE set-based statement per batch (ingestion is
 * the hot path: no per-row writes), run once the batch is stored, as its own transaction, so that the
 * rows it locks — the agency's hour bucket and its status row, shared by concurrent batches of the same
 * agency — are held only for that statement:
 *
 *  - sync.batch_stats: accepted / duplicate / rejected / pending, lag (sum, max, p95) per agency × hour ×
 *    client, incremented;
 *  - sync.agency_status: last sync, last client, last p95 lag (refreshed at most once a minute unless the
 *    batch has rejections: the row is shared by the agency's concurrent batches), and the count of
 *    rejections ever, which numbers them;
 *  - sync.rejections: the rejected items with their reasons in a ring of RING slots per agency (slot =
 *    number mod RING, overwritten in place): a misbehaving system cannot fill the disk, and nothing has to
 *    be deleted.
 */
import { type Kysely, sql } from 'kysely';
import type { SyncTables } from './sync.tables.ts';

/** Rejected items kept per agency. */
export const RING = 1000;
/**
 * An agency's status row is shared by all its systems' concurrent batches: it is written (and locked
 * until the commit) only by a batch with rejections — they need its counter — or when it is older than
 * this. Its last sync and lag are therefore at most this old; the hour buckets, one per client, are exact.
 */
export const STATUS_EVERY_MS = 60_000;
const REASON_MAX = 1000;

export interface AgencyTally {
  agencyCode: string;
  accepted: number;
  duplicate: number;
  rejected: number;
  pending: number;
  /** Receipt time minus event time of the accepted items, in milliseconds. */
  lagsMs: number[];
}

export interface RejectedItem {
  agencyCode: string;
  list: 'dossiers' | 'history';
  index: number;
  code: string | null;
  reason: string;
}

export interface BatchRecord {
  now: Date;
  clientId: string;
  clientName: string;
  tallies: AgencyTally[];
  rejected: RejectedItem[];
}

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * `asyncCommit`: the statement is its own transaction (not part of the batch's) and commits without
 * waiting for the WAL flush (synchronous_commit off for this transaction only).
 */
export async function recordBatch(
  db: Kysely<SyncTables>,
  batch: BatchRecord,
  options: { asyncCommit?: boolean } = {},
): Promise<void> {
  const tallies = [...batch.tallies].sort((a, b) => (a.agencyCode < b.agencyCode ? -1 : 1));
  if (tallies.length === 0) return;
  const hour = new Date(Math.floor(batch.now.getTime() / 3_600_000) * 3_600_000);
  const stats = tallies.map((t) => {
    const lags = t.lagsMs.map((l) => Math.max(0, Math.round(l))).sort((a, b) => a - b);
    return {
      ...t,
      lagCount: lags.length,
      lagSum: lags.reduce((a, b) => a + b, 0),
      lagMax: lags.length > 0 ? lags[lags.length - 1]! : null,
      lagP95: percentile(lags, 95),
    };
  });
  // Each rejection's number within its agency in this batch (1…n); only the last RING can be kept.
  const ordinal = new Map<string, number>();
  const rejected = batch.rejected.map((r) => {
    const o = (ordinal.get(r.agencyCode) ?? 0) + 1;
    ordinal.set(r.agencyCode, o);
    return { ...r, o };
  });
  const kept = rejected.filter((r) => r.o > (ordinal.get(r.agencyCode) ?? 0) - RING);
  const client = batch.clientId;
  const name = batch.clientName.slice(0, 300);
  const ring = kept.length > 0;
  await sql`
    with input as (
      select * from unnest(${stats.map((s) => s.agencyCode)}::text[], ${stats.map((s) => s.accepted)}::int8[],
                           ${stats.map((s) => s.duplicate)}::int8[], ${stats.map((s) => s.rejected)}::int8[],
                           ${stats.map((s) => s.pending)}::int8[], ${stats.map((s) => s.lagCount)}::int8[],
                           ${stats.map((s) => s.lagSum)}::int8[], ${stats.map((s) => s.lagMax)}::int8[],
                           ${stats.map((s) => s.lagP95)}::int8[])
             as t(a, ac, du, re, pe, lc, ls, lm, lp)),
    stats as (
      insert into sync.batch_stats as s (agency_code, hour, client_id, client_name, batches, accepted, duplicate,
             rejected, pending, lag_count, lag_sum_ms, lag_max_ms, lag_p95_ms, last_at, last_lag_p95_ms)
      select a, ${hour}, ${client}, ${name}, 1, ac, du, re, pe, lc, ls, lm, lp, ${batch.now}, lp from input order by a
      on conflict on constraint batch_stats_pk do update set
             client_name = excluded.client_name, batches = s.batches + 1,
             accepted = s.accepted + excluded.accepted, duplicate = s.duplicate + excluded.duplicate,
             rejected = s.rejected + excluded.rejected, pending = s.pending + excluded.pending,
             lag_count = s.lag_count + excluded.lag_count, lag_sum_ms = s.lag_sum_ms + excluded.lag_sum_ms,
             lag_max_ms = greatest(s.lag_max_ms, excluded.lag_max_ms),
             lag_p95_ms = greatest(s.lag_p95_ms, excluded.lag_p95_ms),
             last_lag_p95_ms = case when excluded.last_at >= s.last_at and excluded.last_lag_p95_ms is not null
                                    then excluded.last_lag_p95_ms else s.last_lag_p95_ms end,
             last_at = greatest(s.last_at, excluded.last_at)
      returning 1),
    fresh as (
      insert into sync.agency_status (agency_code, first_at, last_at, last_client_id, last_lag_p95_ms, rejected_total)
      select a, ${batch.now}, ${batch.now}, ${client}, lp, re from input order by a
      on conflict on constraint agency_status_pk do nothing
      returning agency_code, rejected_total),
    due as (
      -- Locked in key order, as every other shared row of the batch (no deadlock between batches).
      select g.agency_code from sync.agency_status g join input i on i.a = g.agency_code
       where i.re > 0 or g.last_at < ${new Date(batch.now.getTime() - STATUS_EVERY_MS)}
       order by g.agency_code for update of g),
    touched as (
      update sync.agency_status as g set
             last_client_id = case when ${batch.now} >= g.last_at then ${client} else g.last_client_id end,
             last_lag_p95_ms = case when ${batch.now} >= g.last_at and i.lp is not null then i.lp else g.last_lag_p95_ms end,
             last_at = greatest(g.last_at, ${batch.now}),
             rejected_total = g.rejected_total + i.re
        from input i
       where g.agency_code = i.a and g.agency_code in (select agency_code from due)
      returning g.agency_code, g.rejected_total),
    status as (select * from fresh union all select * from touched)
    ${
      ring
        ? sql`, ring as (
      insert into sync.rejections as r (agency_code, slot, seq, rejected_at, client_id, client_name, list, item_index,
             dossier_code, reason)
      select x.a, ((g.rejected_total - i.re + x.o) % ${RING})::int4, g.rejected_total - i.re + x.o, ${batch.now},
             ${client}, ${name}, x.l, x.i, x.c, x.r
        from unnest(${kept.map((r) => r.agencyCode)}::text[], ${kept.map((r) => r.o)}::int8[],
                    ${kept.map((r) => r.list)}::text[], ${kept.map((r) => r.index)}::int4[],
                    ${kept.map((r) => r.code?.slice(0, 60) ?? null)}::text[],
                    ${kept.map((r) => r.reason.slice(0, REASON_MAX))}::text[]) as x(a, o, l, i, c, r)
        join status g on g.agency_code = x.a
        join input i on i.a = x.a
       order by 1, 2
      on conflict on constraint rejections_pk do update set
             seq = excluded.seq, rejected_at = excluded.rejected_at, client_id = excluded.client_id,
             client_name = excluded.client_name, list = excluded.list, item_index = excluded.item_index,
             dossier_code = excluded.dossier_code, reason = excluded.reason
      returning 1)`
        : sql``
    }
    select (select count(*) from stats) as buckets, (select count(*) from status) as agencies${
      ring ? sql`, (select count(*) from ring) as rejections` : sql``
    }${options.asyncCommit ? sql` from (select set_config('synchronous_commit', 'off', true)) as async_commit` : sql``}`.execute(
    db,
  );
}
