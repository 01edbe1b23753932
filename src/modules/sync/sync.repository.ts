/**
 * Set-based ingestion of one batch, inside the caller's transaction: a handful of multi-row statements
 * whatever the batch size (arrays passed as parameters and expanded with unnest; the history rows as one
 * JSON parameter expanded with json_to_recordset, cheaper to build than eleven arrays).
 *
 *  1. transaction-scoped advisory locks on the batch's dossier codes, taken in sorted order (batches that
 *     share dossiers queue behind each other, never deadlock; disjoint batches run in parallel);
 *  2. one read of the current state of those dossiers;
 *  3. history rows of known dossiers into sync.history, of unknown ones into sync.pending_history, both
 *     `on conflict do nothing` on (dossier, moment, source, event key): what comes back was new;
 *  4. pending rows of dossiers arriving now moved into the history (one delete … returning → insert);
 *  5. one statement writing the current state: inserts of new dossiers and updates of the others;
 *  6. rollups, keys sorted, incremented by the rows accepted here.
 * Because every writer of a dossier holds its lock, the current state computed here from what was read
 * in step 2 and what this batch brings is the state the row ends with, whatever the order of arrival.
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
        from json_to_recordset(${JSON.stringify(
          hs.map((h) => ({
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
        )}::json)
             as t(c text, a timestamptz, q bigint, s smallint, hn text, ht text, dp text, ct text,
                  sa timestamptz, sd timestamptz, k text)
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

  // 5. The current state: one statement for the whole batch.
  const fresh = [...states].filter(([, s]) => !s.exists);
  const changed = [...states].filter(([, s]) => s.exists && s.newPayload);
  // Most updates only move the status (a history row of a known dossier): a narrow statement for them.
  const moved = [...states].filter(([, s]) => s.exists && !s.newPayload && s.markChanged);
  if (fresh.length > 0 || changed.length > 0 || moved.length > 0) {
    const p = (list: Array<[string, State]>) => list.map(([, s]) => s.newPayload?.item ?? null);
    const nf = p(fresh);
    const nc = p(changed);
    const last4 = (d: DossierItem | null) =>
      d?.applicantId && d.applicantId.replace(/\s+/g, '').length >= 4
        ? d.applicantId.replace(/\s+/g, '').slice(-4)
        : null;
    await sql`
      with ins as (
        insert into sync.dossiers (code, agency_identifier, agency_code, procedure_code, procedure_name, sector_code,
               channel, applicant_kind, applicant_id_last4, applicant_id_hash, submitted_at, received_at, due_at,
               finished_at, returned_at, status, status_at, status_seq, payload, payload_at, payload_seq, payload_key,
               source_client, first_synced_at, last_synced_at)
        select c, i, ag, pc, pn, sc, ch, ak, l4, ah, sub, rec, due, fin, ret, st, sat, sq, pl::jsonb, pat, pq, pk,
               ${batch.client}, ${batch.now}, ${batch.now}
          from unnest(${fresh.map(([c]) => c)}::text[], ${nf.map((d) => d!.identifier)}::text[],
                      ${fresh.map(([, s]) => s.agencyCode)}::text[], ${nf.map((d) => d!.procedureCode)}::text[],
                      ${nf.map((d) => d!.procedureName)}::text[], ${nf.map((d) => d!.sectorCode)}::text[],
                      ${nf.map((d) => d!.channel)}::smallint[], ${nf.map((d) => d!.applicantKind)}::smallint[],
                      ${nf.map(last4)}::text[], ${nf.map((d) => (d!.applicantId ? applicantHash(d!.applicantId) : null))}::text[],
                      ${nf.map((d) => iso(d!.submittedAt))}::timestamptz[], ${nf.map((d) => iso(d!.receivedAt))}::timestamptz[],
                      ${nf.map((d) => iso(d!.dueAt))}::timestamptz[], ${nf.map((d) => iso(d!.finishedAt))}::timestamptz[],
                      ${nf.map((d) => iso(d!.returnedAt))}::timestamptz[], ${fresh.map(([, s]) => s.mark.status)}::smallint[],
                      ${fresh.map(([, s]) => s.mark.at.toISOString())}::timestamptz[], ${fresh.map(([, s]) => s.mark.seq)}::bigint[],
                      ${nf.map((d) => JSON.stringify(d!.payload))}::text[], ${fresh.map(([, s]) => s.payload.at.toISOString())}::timestamptz[],
                      ${fresh.map(([, s]) => s.payload.seq)}::bigint[], ${fresh.map(([, s]) => s.payload.key)}::text[])
               as t(c, i, ag, pc, pn, sc, ch, ak, l4, ah, sub, rec, due, fin, ret, st, sat, sq, pl, pat, pq, pk)
         order by c
        returning 1),
      upd as (
        update sync.dossiers as d set
               status = u.st, status_at = u.sat, status_seq = u.sq, last_synced_at = ${batch.now},
               agency_code = case when u.has then u.ag else d.agency_code end,
               procedure_code = case when u.has then u.pc else d.procedure_code end,
               procedure_name = case when u.has then u.pn else d.procedure_name end,
               sector_code = case when u.has then u.sc else d.sector_code end,
               channel = case when u.has then u.ch else d.channel end,
               applicant_kind = case when u.has then u.ak else d.applicant_kind end,
               applicant_id_last4 = case when u.has then u.l4 else d.applicant_id_last4 end,
               applicant_id_hash = case when u.has then u.ah else d.applicant_id_hash end,
               submitted_at = case when u.has then u.sub else d.submitted_at end,
               received_at = case when u.has then u.rec else d.received_at end,
               due_at = case when u.has then u.due else d.due_at end,
               finished_at = case when u.has then u.fin else d.finished_at end,
               returned_at = case when u.has then u.ret else d.returned_at end,
               payload = case when u.has then u.pl::jsonb else d.payload end,
               payload_at = u.pat, payload_seq = u.pq, payload_key = u.pk,
               source_client = case when u.has then ${batch.client} else d.source_client end
          from unnest(${changed.map(([c]) => c)}::text[], ${nc.map((d) => d !== null)}::boolean[],
                      ${changed.map(([, s]) => s.agencyCode)}::text[], ${changed.map(([, s]) => s.procedureCode)}::text[],
                      ${nc.map((d) => d?.procedureName ?? null)}::text[], ${nc.map((d) => d?.sectorCode ?? null)}::text[],
                      ${changed.map(([, s]) => s.channel)}::smallint[], ${nc.map((d) => d?.applicantKind ?? null)}::smallint[],
                      ${nc.map(last4)}::text[], ${nc.map((d) => (d?.applicantId ? applicantHash(d.applicantId) : null))}::text[],
                      ${nc.map((d) => iso(d?.submittedAt))}::timestamptz[], ${nc.map((d) => iso(d?.receivedAt))}::timestamptz[],
                      ${nc.map((d) => iso(d?.dueAt))}::timestamptz[], ${nc.map((d) => iso(d?.finishedAt))}::timestamptz[],
                      ${nc.map((d) => iso(d?.returnedAt))}::timestamptz[], ${changed.map(([, s]) => s.mark.status)}::smallint[],
                      ${changed.map(([, s]) => s.mark.at.toISOString())}::timestamptz[], ${changed.map(([, s]) => s.mark.seq)}::bigint[],
                      ${nc.map((d) => (d ? JSON.stringify(d.payload) : null))}::text[], ${changed.map(([, s]) => s.payload.at.toISOString())}::timestamptz[],
                      ${changed.map(([, s]) => s.payload.seq)}::bigint[], ${changed.map(([, s]) => s.payload.key)}::text[])
               as u(c, has, ag, pc, pn, sc, ch, ak, l4, ah, sub, rec, due, fin, ret, st, sat, sq, pl, pat, pq, pk)
         where d.code = u.c
        returning 1),
      marks as (
        update sync.dossiers as d set status = u.st, status_at = u.sat, status_seq = u.sq, last_synced_at = ${batch.now}
          from unnest(${moved.map(([c]) => c)}::text[], ${moved.map(([, s]) => s.mark.status)}::smallint[],
                      ${moved.map(([, s]) => s.mark.at.toISOString())}::timestamptz[], ${moved.map(([, s]) => s.mark.seq)}::bigint[])
               as u(c, st, sat, sq)
         where d.code = u.c
        returning 1)
      select (select count(*) from ins) as inserted, (select count(*) from upd) + (select count(*) from marks) as updated`.execute(
      trx,
    );
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
