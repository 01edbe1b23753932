/**
 * Set-based ingestion: a handful of multi-row statements whatever the batch size (arrays passed as
 * parameters and expanded with unnest; history rows as one JSON parameter expanded with
 * json_to_recordset, cheaper to build than eleven arrays). Two paths:
 *
 * `ingestHistory` — history rows of dossiers already known, the bulk of the traffic: one statement, no
 * lock taken beforehand (see its comment).
 *
 * `ingestBatch` — dossier records, and history rows whose dossier is not known yet, inside the caller's
 * transaction:
 *  1. transaction-scoped advisory locks on the batch's dossier codes, taken in sorted order (batches that
 *     share dossiers queue behind each other, never deadlock; disjoint batches run in parallel);
 *  2. one read of the state of those dossiers;
 *  3. history rows of known dossiers into sync.history, of unknown ones into sync.pending_history, both
 *     `on conflict do nothing` on (dossier, moment, event key): what comes back was new;
 *  4. pending rows of dossiers arriving now moved into the history (one delete … returning → insert);
 *  5. one statement writing the records (inserts of new dossiers, updates of the others) and the status;
 *  6. rollups, keys sorted, incremented by the rows accepted here.
 * Only this path writes records, and every writer of a record holds its lock, so the record computed
 * from what was read in step 2 and what the batch brings is the one the row ends with. The status is also
 * moved by `ingestHistory` without the lock, so both paths write it only where theirs is later.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  type DossierItem,
  type HistoryItem,
  isLater,
  type StatusMark,
  vietnamDay,
} from './domain/records.ts';
import type { SyncTables } from './sync.tables.ts';

export type DossierOutcome = 'accepted' | 'duplicate' | 'exists';
export type HistoryOutcome = 'accepted' | 'pending' | 'duplicate';

export interface IngestBatch {
  client: string;
  /** Dossiers whose code the caller may sync for, with the agency owning the code's identifier. */
  dossiers: Array<{ item: DossierItem; agencyCode: string }>;
  history: HistoryItem[];
  /** `create-only`: a dossier that already exists is not touched (DVCQG `isUpdating: "False"`). */
  mode: 'upsert' | 'create-only';
  now: Date;
}

export interface IngestResult {
  dossiers: DossierOutcome[];
  history: HistoryOutcome[];
  /** Pending history rows applied because their dossier arrived. */
  applied: number;
}

interface State {
  exists: boolean;
  agencyCode: string;
  procedureCode: string;
  channel: number;
  mark: StatusMark;
  markChanged: boolean;
  payload: { at: Date; seq: number; key: string };
  newPayload?: { item: DossierItem; agencyCode: string };
  receivedDay?: string;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function applicantHash(id: string): string {
  return createHash('sha256').update(id.replace(/\s+/g, '').toUpperCase()).digest('hex');
}

/**
 * History items as the rows of a set `t` — i (the item's position), c (code), a (moment), q (sequence),
 * s (status), hn, ht, dp, ct (handler, title, department, content), sa, sd (step start and due), k (event
 * key) — sent as one JSON parameter.
 */
function historyRows(items: HistoryItem[]) {
  return sql`json_to_recordset(${JSON.stringify(
    items.map((h, i) => ({
      i,
      c: h.code,
      a: h.at.toISOString(),
      q: h.seq,
      s: h.status,
      hn: h.handlerName,
      ht: h.handlerTitle,
      dp: h.department,
      ct: h.content,
      sa: iso(h.stepStartedAt),
      sd: iso(h.stepDueAt),
      k: h.eventKey,
    })),
  )}::json) as t(i int4, c text, a timestamptz, q bigint, s smallint, hn text, ht text, dp text, ct text,
                 sa timestamptz, sd timestamptz, k text)`;
}

export type FastHistoryOutcome = 'accepted' | 'duplicate' | 'unknown';

/**
 * History rows only, of dossiers already known: ONE statement, in its own transaction, no lock taken
 * beforehand and no read round trip. It
 *  - inserts the rows whose dossier is known into sync.history (`on conflict do nothing`: what is
 *    inserted was new);
 *  - moves each of those dossiers' current status to the latest new row, where that row is later than
 *    the stored status (the update locks the status row; a concurrent writer's update is waited for and
 *    the condition checked again on its result, so the latest wins whatever the order of commits);
 *  - increments the rollups by the rows inserted;
 *  - answers, for each row that was not inserted, whether its dossier is unknown (such rows are left to
 *    `ingestBatch`, which parks them under the dossier's lock) or it was a duplicate.
 * `rows` must hold no two rows with the same (code, moment, event key).
 */
export async function ingestHistory(
  db: Kysely<SyncTables>,
  batch: { client: string; rows: HistoryItem[]; now: Date },
): Promise<FastHistoryOutcome[]> {
  const { rows } = batch;
  const outcomes: FastHistoryOutcome[] = rows.map(() => 'accepted');
  if (rows.length === 0) return outcomes;
  const r = await sql<{ i: number; unknown: boolean }>`
    with t as materialized (
      select * from ${historyRows(rows)}),
    known as materialized (
      select code, agency_code, procedure_code, channel from sync.dossier_status where code in (select c from t)),
    ins as (
      insert into sync.history (dossier_code, event_at, seq, status, handler_name, handler_title, department, content,
                                step_started_at, step_due_at, source_client, event_key, synced_at)
      select t.c, t.a, t.q, t.s, t.hn, t.ht, t.dp, t.ct, t.sa, t.sd, ${batch.client}, t.k, ${batch.now}
        from t join known on known.code = t.c
       order by t.c, t.a, t.k
      on conflict do nothing
      returning dossier_code, event_at, seq, status, event_key),
    latest as (
      select distinct on (dossier_code) dossier_code, event_at, seq, status
        from ins order by dossier_code, event_at desc, seq desc, status desc),
    moved as (
      update sync.dossier_status as d
         set status = l.status, status_at = l.event_at, status_seq = l.seq, last_synced_at = ${batch.now}
        from latest l
       where d.code = l.dossier_code and (l.event_at, l.seq, l.status) > (d.status_at, d.status_seq, d.status)
      returning 1),
    counted as (
      insert into sync.rollups as r (day, agency_code, procedure_code, channel, status, events)
      select ((i.event_at at time zone 'UTC') + interval '7 hours')::date, k.agency_code, k.procedure_code, k.channel,
             i.status, count(*)
        from ins i join known k on k.code = i.dossier_code
       -- After the status rows (as in ingestBatch): shared rows are locked in the same order by every writer.
       where (select count(*) from moved) >= 0
       group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict on constraint rollups_pk do update set events = r.events + excluded.events)
    select t.i, known.code is null as unknown
      from t left join known on known.code = t.c
     where known.code is null
        or not exists (select 1 from ins where ins.dossier_code = t.c and ins.event_at = t.a and ins.event_key = t.k)`.execute(
    db,
  );
  for (const x of r.rows) outcomes[x.i] = x.unknown ? 'unknown' : 'duplicate';
  return outcomes;
}

export async function ingestBatch(trx: Kysely<SyncTables>, batch: IngestBatch): Promise<IngestResult> {
  const codes = [
    ...new Set([...batch.dossiers.map((d) => d.item.code), ...batch.history.map((h) => h.code)]),
  ].sort();
  const result: IngestResult = { dossiers: [], history: [], applied: 0 };
  if (codes.length === 0) return result;

  // 1. Locks, in key order.
  await sql`select count(pg_advisory_xact_lock(k)) from (
              select distinct hashtextextended(c, 7) as k from unnest(${codes}::text[]) as c order by 1) as s`.execute(
    trx,
  );

  // 2. What is known of these dossiers.
  const rows = await sql<{
    code: string;
    agency_code: string;
    procedure_code: string;
    channel: number;
    status: number;
    status_ms: number | string;
    status_seq: number | string;
    payload_ms: number | string;
    payload_seq: number | string;
    payload_key: string;
  }>`select code, agency_code, procedure_code, channel, status, status_seq, payload_seq, payload_key,
              (extract(epoch from status_at) * 1000)::int8 as status_ms, (extract(epoch from payload_at) * 1000)::int8 as payload_ms
       from sync.dossiers where code = any(${codes}::text[])`.execute(trx);
  const states = new Map<string, State>();
  for (const r of rows.rows)
    states.set(r.code, {
      exists: true,
      agencyCode: r.agency_code,
      procedureCode: r.procedure_code,
      channel: r.channel,
      mark: { at: new Date(Number(r.status_ms)), seq: Number(r.status_seq), status: r.status },
      markChanged: false,
      payload: { at: new Date(Number(r.payload_ms)), seq: Number(r.payload_seq), key: r.payload_key },
    });

  for (const { item, agencyCode } of batch.dossiers) {
    const s = states.get(item.code);
    if (s?.exists && batch.mode === 'create-only') {
      result.dossiers.push('exists');
      continue;
    }
    if (!s) {
      states.set(item.code, {
        exists: false,
        agencyCode,
        procedureCode: item.procedureCode,
        channel: item.channel,
        mark: { at: item.at, seq: item.seq, status: item.status },
        markChanged: true,
        payload: { at: item.at, seq: item.seq, key: item.payloadKey },
        newPayload: { item, agencyCode },
        receivedDay: vietnamDay(item.receivedAt ?? item.submittedAt ?? item.at),
      });
      result.dossiers.push('accepted');
      continue;
    }
    if (s.payload.key === item.payloadKey) {
      result.dossiers.push('duplicate');
      continue;
    }
    result.dossiers.push('accepted');
    const newer = item.at.getTime() - s.payload.at.getTime() || item.seq - s.payload.seq;
    if (newer >= 0) {
      s.payload = { at: item.at, seq: item.seq, key: item.payloadKey };
      s.newPayload = { item, agencyCode };
      s.agencyCode = agencyCode;
      s.procedureCode = item.procedureCode;
      s.channel = item.channel;
    }
    const mark = { at: item.at, seq: item.seq, status: item.status };
    if (isLater(mark, s.mark)) {
      s.mark = mark;
      s.markChanged = true;
    }
  }

  // 3. History rows: known dossiers into the history, the others wait.
  const seen = new Set<string>();
  const known: number[] = [];
  const waiting: number[] = [];
  batch.history.forEach((h, i) => {
    const key = `${h.code}|${h.at.getTime()}|${h.eventKey}`;
    if (seen.has(key)) {
      result.history[i] = 'duplicate';
      return;
    }
    seen.add(key);
    (states.has(h.code) ? known : waiting).push(i);
  });
  const keyOf = (code: string, at: Date, eventKey: string) => `${code}|${at.getTime()}|${eventKey}`;
  const insertRows = async (table: 'history' | 'pending_history', idx: number[]) => {
    if (idx.length === 0) return new Set<string>();
    const hs = idx.map((i) => batch.history[i]!);
    const target = table === 'history' ? sql`sync.history` : sql`sync.pending_history`;
    const r = await sql<{ dossier_code: string; ms: number | string; event_key: string }>`
      insert into ${target} (dossier_code, event_at, seq, status, handler_name, handler_title, department, content,
                            step_started_at, step_due_at, source_client, event_key, synced_at)
      select c, a, q, s, hn, ht, dp, ct, sa, sd, ${batch.client}, k, ${batch.now}
        from ${historyRows(hs)}
       order by c, a, k
      on conflict do nothing
      returning dossier_code, (extract(epoch from event_at) * 1000)::int8 as ms, event_key`.execute(trx);
    return new Set(r.rows.map((x) => keyOf(x.dossier_code, new Date(Number(x.ms)), x.event_key)));
  };
  const inserted = await insertRows('history', known);
  const parked = await insertRows('pending_history', waiting);
  const events: Array<{ code: string; at: Date; seq: number; status: number }> = [];
  for (const i of known) {
    const h = batch.history[i]!;
    const isNew = inserted.has(keyOf(h.code, h.at, h.eventKey));
    result.history[i] = isNew ? 'accepted' : 'duplicate';
    if (isNew) events.push(h);
  }
  for (const i of waiting) {
    const h = batch.history[i]!;
    result.history[i] = parked.has(keyOf(h.code, h.at, h.eventKey)) ? 'pending' : 'duplicate';
  }

  // 4. Rows that waited for the dossiers arriving now.
  const arriving = [...states].filter(([, s]) => !s.exists).map(([code]) => code);
  if (arriving.length > 0) {
    const moved = await sql<{
      dossier_code: string;
      ms: number | string;
      seq: number | string;
      status: number;
    }>`
      with moved as (
        delete from sync.pending_history where dossier_code = any(${arriving}::text[]) returning *)
      insert into sync.history (dossier_code, event_at, seq, status, handler_name, handler_title, department, content,
                                step_started_at, step_due_at, source_client, event_key, synced_at)
      select dossier_code, event_at, seq, status, handler_name, handler_title, department, content,
             step_started_at, step_due_at, source_client, event_key, synced_at
        from moved order by dossier_code, event_at, event_key
      on conflict do nothing
      returning dossier_code, (extract(epoch from event_at) * 1000)::int8 as ms, seq, status`.execute(trx);
    result.applied = moved.rows.length;
    for (const m of moved.rows)
      events.push({ code: m.dossier_code, at: new Date(Number(m.ms)), seq: Number(m.seq), status: m.status });
  }
  for (const e of events) {
    const s = states.get(e.code)!;
    const mark = { at: e.at, seq: e.seq, status: e.status };
    if (isLater(mark, s.mark)) {
      s.mark = mark;
      s.markChanged = true;
    }
  }

  // 5. The record and the current status: one statement for the whole batch. The record's fields are
  // written from what was read under the lock (only this path writes them); the status only when it is
  // later than the stored one, since history rows of known dossiers move it without the lock
  // (`ingestHistory`).
  const fresh = [...states].filter(([, s]) => !s.exists);
  const changed = [...states].filter(([, s]) => s.exists && s.newPayload);
  // Most updates only move the status (a history row of a known dossier): a narrow statement for them.
  const moved = [...states].filter(([, s]) => s.exists && !s.newPayload && s.markChanged);
  if (fresh.length > 0 || changed.length > 0 || moved.length > 0) {
    const nf = fresh.map(([, s]) => s.newPayload!.item);
    const nc = changed.map(([, s]) => s.newPayload!.item);
    const last4 = (d: DossierItem) =>
      d.applicantId && d.applicantId.replace(/\s+/g, '').length >= 4
        ? d.applicantId.replace(/\s+/g, '').slice(-4)
        : null;
    const later = sql`(u.sat, u.sq, u.st) > (d.status_at, d.status_seq, d.status)`;
    await sql`
      with ins as (
        insert into sync.dossier_records (code, agency_identifier, agency_code, procedure_code, procedure_name,
               sector_code, channel, applicant_kind, applicant_id_last4, applicant_id_hash, submitted_at, received_at,
               due_at, finished_at, returned_at, payload, payload_at, payload_seq, payload_key, source_client,
               first_synced_at)
        select c, i, ag, pc, pn, sc, ch, ak, l4, ah, sub, rec, due, fin, ret, pl::jsonb, pat, pq, pk,
               ${batch.client}, ${batch.now}
          from unnest(${fresh.map(([c]) => c)}::text[], ${nf.map((d) => d.identifier)}::text[],
                      ${fresh.map(([, s]) => s.agencyCode)}::text[], ${nf.map((d) => d.procedureCode)}::text[],
                      ${nf.map((d) => d.procedureName)}::text[], ${nf.map((d) => d.sectorCode)}::text[],
                      ${nf.map((d) => d.channel)}::smallint[], ${nf.map((d) => d.applicantKind)}::smallint[],
                      ${nf.map(last4)}::text[], ${nf.map((d) => (d.applicantId ? applicantHash(d.applicantId) : null))}::text[],
                      ${nf.map((d) => iso(d.submittedAt))}::timestamptz[], ${nf.map((d) => iso(d.receivedAt))}::timestamptz[],
                      ${nf.map((d) => iso(d.dueAt))}::timestamptz[], ${nf.map((d) => iso(d.finishedAt))}::timestamptz[],
                      ${nf.map((d) => iso(d.returnedAt))}::timestamptz[], ${nf.map((d) => JSON.stringify(d.payload))}::text[],
                      ${fresh.map(([, s]) => s.payload.at.toISOString())}::timestamptz[],
                      ${fresh.map(([, s]) => s.payload.seq)}::bigint[], ${fresh.map(([, s]) => s.payload.key)}::text[])
               as t(c, i, ag, pc, pn, sc, ch, ak, l4, ah, sub, rec, due, fin, ret, pl, pat, pq, pk)
         order by c
        returning code),
      ins_status as (
        insert into sync.dossier_status (code, agency_code, procedure_code, channel, status, status_at, status_seq,
               last_synced_at)
        select c, ag, pc, ch, st, sat, sq, ${batch.now}
          from unnest(${fresh.map(([c]) => c)}::text[], ${fresh.map(([, s]) => s.agencyCode)}::text[],
                      ${fresh.map(([, s]) => s.procedureCode)}::text[], ${fresh.map(([, s]) => s.channel)}::smallint[],
                      ${fresh.map(([, s]) => s.mark.status)}::smallint[],
                      ${fresh.map(([, s]) => s.mark.at.toISOString())}::timestamptz[],
                      ${fresh.map(([, s]) => s.mark.seq)}::bigint[]) as t(c, ag, pc, ch, st, sat, sq)
         order by c),
      upd as (
        update sync.dossier_records as d set
               agency_code = u.ag, procedure_code = u.pc, procedure_name = u.pn, sector_code = u.sc, channel = u.ch,
               applicant_kind = u.ak, applicant_id_last4 = u.l4, applicant_id_hash = u.ah, submitted_at = u.sub,
               received_at = u.rec, due_at = u.due, finished_at = u.fin, returned_at = u.ret, payload = u.pl::jsonb,
               payload_at = u.pat, payload_seq = u.pq, payload_key = u.pk, source_client = ${batch.client}
          from unnest(${changed.map(([c]) => c)}::text[], ${changed.map(([, s]) => s.agencyCode)}::text[],
                      ${changed.map(([, s]) => s.procedureCode)}::text[], ${nc.map((d) => d.procedureName)}::text[],
                      ${nc.map((d) => d.sectorCode)}::text[], ${changed.map(([, s]) => s.channel)}::smallint[],
                      ${nc.map((d) => d.applicantKind)}::smallint[], ${nc.map(last4)}::text[],
                      ${nc.map((d) => (d.applicantId ? applicantHash(d.applicantId) : null))}::text[],
                      ${nc.map((d) => iso(d.submittedAt))}::timestamptz[], ${nc.map((d) => iso(d.receivedAt))}::timestamptz[],
                      ${nc.map((d) => iso(d.dueAt))}::timestamptz[], ${nc.map((d) => iso(d.finishedAt))}::timestamptz[],
                      ${nc.map((d) => iso(d.returnedAt))}::timestamptz[], ${nc.map((d) => JSON.stringify(d.payload))}::text[],
                      ${changed.map(([, s]) => s.payload.at.toISOString())}::timestamptz[],
                      ${changed.map(([, s]) => s.payload.seq)}::bigint[], ${changed.map(([, s]) => s.payload.key)}::text[])
               as u(c, ag, pc, pn, sc, ch, ak, l4, ah, sub, rec, due, fin, ret, pl, pat, pq, pk)
         where d.code = u.c),
      upd_status as (
        update sync.dossier_status as d set
               agency_code = u.ag, procedure_code = u.pc, channel = u.ch,
               status = case when ${later} then u.st else d.status end,
               status_at = case when ${later} then u.sat else d.status_at end,
               status_seq = case when ${later} then u.sq else d.status_seq end,
               last_synced_at = ${batch.now}
          from unnest(${changed.map(([c]) => c)}::text[], ${changed.map(([, s]) => s.agencyCode)}::text[],
                      ${changed.map(([, s]) => s.procedureCode)}::text[], ${changed.map(([, s]) => s.channel)}::smallint[],
                      ${changed.map(([, s]) => s.mark.status)}::smallint[],
                      ${changed.map(([, s]) => s.mark.at.toISOString())}::timestamptz[],
                      ${changed.map(([, s]) => s.mark.seq)}::bigint[]) as u(c, ag, pc, ch, st, sat, sq)
         where d.code = u.c),
      marks as (
        update sync.dossier_status as d set status = u.st, status_at = u.sat, status_seq = u.sq, last_synced_at = ${batch.now}
          from unnest(${moved.map(([c]) => c)}::text[], ${moved.map(([, s]) => s.mark.status)}::smallint[],
                      ${moved.map(([, s]) => s.mark.at.toISOString())}::timestamptz[], ${moved.map(([, s]) => s.mark.seq)}::bigint[])
               as u(c, st, sat, sq)
         where d.code = u.c and ${later})
      select count(*) as inserted from ins`.execute(trx);
  }

  // 6. Rollups, last (their rows are the most shared between concurrent batches: hold them briefly).
  const counts = new Map<string, number>();
  for (const e of events) {
    const s = states.get(e.code)!;
    const k = [vietnamDay(e.at), s.agencyCode, s.procedureCode, s.channel, e.status].join('\u0000');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (counts.size > 0) {
    const keys = [...counts.keys()].sort().map((k) => k.split('\u0000'));
    await sql`
      insert into sync.rollups as r (day, agency_code, procedure_code, channel, status, events)
      select * from unnest(${keys.map((k) => k[0])}::date[], ${keys.map((k) => k[1])}::text[],
                           ${keys.map((k) => k[2])}::text[], ${keys.map((k) => Number(k[3]))}::smallint[],
                           ${keys.map((k) => Number(k[4]))}::smallint[], ${keys.map((k) => counts.get(k.join('\u0000')))}::bigint[])
      on conflict on constraint rollups_pk do update set events = r.events + excluded.events`.execute(trx);
  }
  const received = new Map<string, number>();
  for (const [, s] of fresh) {
    const k = [s.receivedDay, s.agencyCode, s.procedureCode, s.channel].join('\u0000');
    received.set(k, (received.get(k) ?? 0) + 1);
  }
  if (received.size > 0) {
    const keys = [...received.keys()].sort().map((k) => k.split('\u0000'));
    await sql`
      insert into sync.received_rollups as r (day, agency_code, procedure_code, channel, dossiers)
      select * from unnest(${keys.map((k) => k[0])}::date[], ${keys.map((k) => k[1])}::text[],
                           ${keys.map((k) => k[2])}::text[], ${keys.map((k) => Number(k[3]))}::smallint[],
                           ${keys.map((k) => received.get(k.join('\u0000')))}::bigint[])
      on conflict on constraint received_rollups_pk do update set dossiers = r.dossiers + excluded.dossiers`.execute(
      trx,
    );
  }
  return result;
}
