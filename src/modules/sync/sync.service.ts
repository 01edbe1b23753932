/**
 * Status sync: a batch of dossiers and history rows from an agency system is checked item by item
 * (shape, then ownership of the dossier code's identifier by one of the caller's agencies), the good
 * items are written in one transaction (sync.repository.ts), and each item gets its own answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import { remembered } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { TooManyRequestsError } from '../../platform/errors/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import { isCleanText, isRefusedItem, type RefusedItem } from '../../platform/input/index.ts';
import { parseDossierCode } from '../../platform/kernel/index.ts';
import { checkDossier, checkHistory, type DossierItem, type HistoryItem } from './domain/records.ts';
import { createGate, type Gate } from './gate.ts';
import { type AgencyTally, type BatchRecord, type RejectedItem, recordBatch } from './monitor.repository.ts';
import {
  applicantHash,
  type IngestBatch,
  type IngestResult,
  ingestBatch,
  ingestHistory,
} from './sync.repository.ts';
import type { SyncTables } from './sync.tables.ts';

export const MAX_BATCH = 1000;

export interface Caller {
  clientId: string;
  clientName: string;
  /** The agencies the client may sync for (and every agency below them). */
  agencyCodes: string[];
}

export interface ItemResult {
  index: number;
  code: string | null;
  result: 'accepted' | 'duplicate' | 'rejected';
  /** A history row kept until its dossier arrives. */
  pending?: boolean;
  /** DVCQG `isUpdating: "False"` on a dossier that exists. */
  exists?: boolean;
  reason?: string;
  /** The field that made the item unusable, when the edge refused it (`ChuHoSo`, `TaiLieuNop.0.TenTepDinhKem`). */
  field?: string;
}

/** An item refused at the edge (NUL, unpaired surrogate, too deep, unsafe number): its answer. */
function refusedAnswer(index: number, item: RefusedItem): ItemResult {
  const code = (item.value as { MaHoSo?: unknown } | null | undefined)?.MaHoSo;
  return {
    index,
    code: isCleanText(code) ? code.slice(0, 60) : null,
    result: 'rejected',
    reason: item.reason,
    ...(item.field ? { field: item.field } : {}),
  };
}

export interface BatchResult {
  dossiers: ItemResult[];
  history: ItemResult[];
  summary: { accepted: number; duplicate: number; rejected: number; pending: number; applied: number };
}

export interface SyncServiceDeps {
  db: Kysely<SyncTables>;
  clock: Clock;
  /**
   * The agency owning an identifier code on a date and its lineage (itself, then the agencies above),
   * from the agencies module; undefined when no agency holds the identifier that day.
   */
  ownerOf(identifier: string, date: string): Promise<{ agencyCode: string; lineage: string[] } | undefined>;
  /** Batches running at once in this process, and waiting; beyond, 429. */
  gate?: { concurrent: number; queued: number };
  /**
   * The dossiers module: a dossier filed on the portal, when `last4` match its applicant's ID number
   * (the public lookup finds portal-filed and synced dossiers alike).
   */
  portalLookup?(code: string, last4: string): Promise<PortalDossier | undefined>;
}

/** A dossier filed on the portal, as the public lookup shows it (the dossiers module's answer). */
export interface PortalDossier {
  code: string;
  procedureCode: string;
  procedureName: string;
  agencyCode: string;
  status: number;
  channel: number;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date;
  finishedAt: Date | null;
  returnedAt: Date | null;
  history: Array<{
    at: Date;
    key: string;
    status: number;
    content: string;
    department: string | null;
    handlerName: string | null;
    handlerTitle: string | null;
  }>;
}

/** What the public lookup shows of a dossier, wherever it was filed. */
export interface LookupFound {
  source: 'portal' | 'sync';
  dossier: {
    code: string;
    procedure_code: string;
    procedure_name: string | null;
    agency_code: string;
    status: number;
    channel: number;
    submitted_at: Date | null;
    received_at: Date | null;
    due_at: Date | null;
    finished_at: Date | null;
    returned_at: Date | null;
  };
  history: Array<{
    event_at: Date;
    event_key: string;
    status: number;
    content: string | null;
    department: string | null;
    handler_name: string | null;
    handler_title: string | null;
  }>;
}

function fromPortal(d: PortalDossier): LookupFound {
  return {
    source: 'portal',
    dossier: {
      code: d.code,
      procedure_code: d.procedureCode,
      procedure_name: d.procedureName,
      agency_code: d.agencyCode,
      status: d.status,
      channel: d.channel,
      submitted_at: d.submittedAt,
      received_at: d.receivedAt,
      due_at: d.dueAt,
      finished_at: d.finishedAt,
      returned_at: d.returnedAt,
    },
    history: d.history.map((h) => ({
      event_at: h.at,
      event_key: `portal:${h.key}`,
      status: h.status,
      content: h.content,
      department: h.department,
      handler_name: h.handlerName,
      handler_title: h.handlerTitle,
    })),
  };
}

const OWNER_TTL_MS = 5 * 60_000;

/**
 * Runs a batch's write again when PostgreSQL aborted it as a deadlock victim or a serialisation failure:
 * concurrent batches touching the same dossiers lock their rows in code order, but the order in which an
 * update visits rows is the planner's choice, not a promise. The write is idempotent, so running it again
 * is safe.
 */
async function retried<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw e;
    }
  }
}

export function createSyncService(deps: SyncServiceDeps) {
  const { db, clock } = deps;
  const gate: Gate = createGate(deps.gate ?? { concurrent: 4, queued: 8 });
  // Who owns an identifier on a date, remembered per identifier and date. A failure (the database
  // unreachable) is no answer: not kept, so the next batch asks again.
  const ownerOf = remembered(
    { max: 10_000, ttlMs: OWNER_TTL_MS, clock },
    (identifier: string, date: string) => deps.ownerOf(identifier, date),
  );

  /** Why the caller may not sync this code, or undefined when it may (with the owning agency). */
  async function authorise(
    caller: Caller,
    item: { code: string; identifier: string; codeDate: string },
  ): Promise<{ agencyCode: string } | { reason: string }> {
    const owner = await ownerOf(item.identifier, item.codeDate);
    if (!owner)
      return {
        reason: `Mã định danh ${item.identifier} không thuộc cơ quan nào vào ngày ${item.codeDate.split('-').reverse().join('/')}.`,
      };
    if (!owner.lineage.some((a) => caller.agencyCodes.includes(a)))
      return {
        reason: `Mã hồ sơ ${item.code} thuộc mã định danh ${item.identifier} (cơ quan ${owner.agencyCode}), không thuộc các cơ quan mà hệ thống ${caller.clientName} được phép đồng bộ.`,
      };
    return { agencyCode: owner.agencyCode };
  }

  async function ingest(
    caller: Caller,
    input: { dossiers?: unknown[]; history?: unknown[] },
    mode: IngestBatch['mode'] = 'upsert',
  ): Promise<BatchResult> {
    const now = clock.now();
    const rawDossiers = input.dossiers ?? [];
    const rawHistory = input.history ?? [];
    const dossiers: ItemResult[] = [];
    const history: ItemResult[] = [];
    const okDossiers: Array<{ index: number; item: DossierItem; agencyCode: string }> = [];
    const okHistory: Array<{ index: number; item: HistoryItem; agencyCode: string }> = [];
    // For the monitoring: which agency each item counts for (the owner of its code's identifier; the
    // caller's first agency when the code is unusable or not the caller's) and, once accepted, its lag.
    const fallback = caller.agencyCodes[0];
    const agencyOf = { dossiers: [] as Array<string | undefined>, history: [] as Array<string | undefined> };
    const codeOf = (raw: unknown) => {
      const c = (raw as { MaHoSo?: unknown } | null)?.MaHoSo;
      return typeof c === 'string' ? c.slice(0, 60) : null;
    };
    for (const [index, raw] of rawDossiers.entries()) {
      agencyOf.dossiers[index] = fallback;
      if (isRefusedItem(raw)) {
        dossiers[index] = refusedAnswer(index, raw);
        continue;
      }
      const c = checkDossier(raw, now);
      if (!c.ok) {
        dossiers[index] = { index, code: codeOf(raw), result: 'rejected', reason: c.reason };
        continue;
      }
      const a = await authorise(caller, c.item);
      if ('reason' in a) dossiers[index] = { index, code: c.item.code, result: 'rejected', reason: a.reason };
      else {
        agencyOf.dossiers[index] = a.agencyCode;
        okDossiers.push({ index, item: c.item, agencyCode: a.agencyCode });
      }
    }
    for (const [index, raw] of rawHistory.entries()) {
      agencyOf.history[index] = fallback;
      if (isRefusedItem(raw)) {
        history[index] = refusedAnswer(index, raw);
        continue;
      }
      const c = checkHistory(raw, now, caller.clientId);
      if (!c.ok) {
        history[index] = { index, code: codeOf(raw), result: 'rejected', reason: c.reason };
        continue;
      }
      const a = await authorise(caller, c.item);
      if ('reason' in a) history[index] = { index, code: c.item.code, result: 'rejected', reason: a.reason };
      else {
        agencyOf.history[index] = a.agencyCode;
        okHistory.push({ index, item: c.item, agencyCode: a.agencyCode });
      }
    }

    /** The monitoring's record of this batch (monitor.repository.ts), written where the batch is. */
    const monitoring = (): BatchRecord => {
      const tallies = new Map<string, AgencyTally>();
      const rejected: RejectedItem[] = [];
      const tally = (agencyCode: string) => {
        let t = tallies.get(agencyCode);
        if (!t) {
          t = { agencyCode, accepted: 0, duplicate: 0, rejected: 0, pending: 0, lagsMs: [] };
          tallies.set(agencyCode, t);
        }
        return t;
      };
      const eventAt = new Map<string, Date>();
      for (const d of okDossiers) eventAt.set(`d${d.index}`, d.item.at);
      for (const h of okHistory) eventAt.set(`h${h.index}`, h.item.at);
      for (const list of ['dossiers', 'history'] as const)
        for (const r of list === 'dossiers' ? dossiers : history) {
          if (!r) continue;
          const agency = agencyOf[list][r.index];
          if (!agency) continue;
          const t = tally(agency);
          if (r.exists) t.duplicate++;
          else if (r.result === 'rejected') {
            t.rejected++;
            rejected.push({ agencyCode: agency, list, index: r.index, code: r.code, reason: r.reason ?? '' });
          } else if (r.result === 'duplicate') t.duplicate++;
          else {
            t.accepted++;
            if (r.pending) t.pending++;
            const at = eventAt.get(`${list === 'dossiers' ? 'd' : 'h'}${r.index}`);
            if (at) t.lagsMs.push(now.getTime() - at.getTime());
          }
        }
      return {
        now,
        clientId: caller.clientId,
        clientName: caller.clientName,
        tallies: [...tallies.values()],
        rejected,
      };
    };

    const answerDossiers = (r: IngestResult) =>
      r.dossiers.forEach((outcome, i) => {
        const { index, item } = okDossiers[i]!;
        dossiers[index] =
          outcome === 'exists'
            ? {
                index,
                code: item.code,
                result: 'rejected',
                exists: true,
                reason: `Hồ sơ ${item.code} đã tồn tại.`,
              }
            : { index, code: item.code, result: outcome };
      });
    const answerHistory = (r: IngestResult, rows: typeof okHistory) =>
      r.history.forEach((outcome, i) => {
        const { index, item } = rows[i]!;
        history[index] =
          outcome === 'pending'
            ? { index, code: item.code, result: 'accepted', pending: true }
            : { index, code: item.code, result: outcome };
      });
    const locked = (rows: typeof okHistory) =>
      retried(() =>
        db.transaction().execute((trx) =>
          ingestBatch(trx, {
            client: caller.clientId,
            dossiers: okDossiers.map(({ item, agencyCode }) => ({ item, agencyCode })),
            history: rows.map((h) => h.item),
            mode,
            now,
          }),
        ),
      );

    let applied = 0;
    if (okDossiers.length + okHistory.length > 0) {
      const admitted = await gate.run(async () => {
        if (okDossiers.length > 0) {
          // Dossier records: every dossier of the batch under its lock, in one transaction.
          const r = await locked(okHistory);
          answerDossiers(r);
          answerHistory(r, okHistory);
          return r.applied;
        }
        // History rows only (the bulk of the traffic): one statement for those of known dossiers …
        const unique: typeof okHistory = [];
        const seen = new Set<string>();
        for (const h of okHistory) {
          const key = `${h.item.code}|${h.item.at.getTime()}|${h.item.eventKey}`;
          if (seen.has(key)) history[h.index] = { index: h.index, code: h.item.code, result: 'duplicate' };
          else {
            seen.add(key);
            unique.push(h);
          }
        }
        const outcomes = await retried(() =>
          ingestHistory(db, { client: caller.clientId, rows: unique.map((h) => h.item), now }),
        );
        const unknown: typeof okHistory = [];
        outcomes.forEach((outcome, i) => {
          const { index, item } = unique[i]!;
          if (outcome === 'unknown') unknown.push(unique[i]!);
          else history[index] = { index, code: item.code, result: outcome };
        });
        // … and the rows of dossiers not known yet under those dossiers' locks: kept until they arrive,
        // or applied if one arrived in the meantime.
        if (unknown.length > 0) answerHistory(await locked(unknown), unknown);
        return 0;
      });
      if (!admitted)
        throw new TooManyRequestsError(
          'Hệ thống đang nhận quá nhiều lô đồng bộ cùng lúc; vui lòng gửi lại sau ít giây.',
          1,
        );
      applied = admitted.value;
    }
    // The monitoring's record of the batch, rejections included, once the batch is stored: its own
    // statement, committed without waiting for the WAL flush (a count lost in a database crash is
    // harmless; the batch's rows are not, and were committed durably before).
    if (rawDossiers.length + rawHistory.length > 0)
      await recordBatch(db, monitoring(), { asyncCommit: true });
    const all = [...dossiers, ...history];
    return {
      dossiers,
      history,
      summary: {
        accepted: all.filter((r) => r.result === 'accepted').length,
        duplicate: all.filter((r) => r.result === 'duplicate').length,
        rejected: all.filter((r) => r.result === 'rejected').length,
        pending: all.filter((r) => r.pending).length,
        applied,
      },
    };
  }

  // The two reads of a lookup, compiled once: the public lookup is the sync module's busiest read, and
  // building the same query through the query builder on every request cost more than running it.
  const DOSSIER_BY_CODE = 'select * from sync.dossiers where code = $1';
  const HISTORY_OF =
    'select * from sync.history where dossier_code = $1 order by event_at, seq, status limit 500';
  type Dossier = Selectable<SyncTables['sync.dossiers']>;
  type History = Selectable<SyncTables['sync.history']>;

  async function dossierByCode(code: string): Promise<Dossier | undefined> {
    if (!parseDossierCode(code)) return undefined;
    return (await db.executeQuery<Dossier>(CompiledQuery.raw(DOSSIER_BY_CODE, [code]))).rows[0];
  }

  async function historyOf(code: string): Promise<History[]> {
    return (await db.executeQuery<History>(CompiledQuery.raw(HISTORY_OF, [code]))).rows;
  }

  /** A synced dossier's current state and history (undefined when unknown). */
  async function findDossier(code: string) {
    const d = await dossierByCode(code);
    if (!d) return undefined;
    return { dossier: d, history: await historyOf(code) };
  }

  /** The names machine clients had at their latest batch (monitoring counts, kept 90 days). */
  async function clientNames(pairs: Array<[agencyCode: string, clientId: string]>) {
    const out = new Map<string, string>();
    const wanted = [...new Map(pairs.map(([a, c]) => [`${a}|${c}`, [a, c] as const])).values()];
    for (const [agency, client] of wanted.slice(0, 50)) {
      if (out.has(client)) continue;
      const r = await db
        .selectFrom('sync.batch_stats')
        .select('client_name')
        .where('agency_code', '=', agency)
        .where('client_id', '=', client)
        .orderBy('hour', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (r) out.set(client, r.client_name);
    }
    return out;
  }

  const SESSION_HOURS = 8;
  const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

  return {
    ingest,
    findDossier,
    gateStats: () => gate.stats(),

    /**
     * Public lookup: the dossier only when the last 4 characters of the applicant's ID number match — one
     * synced from an agency's system (the 10 million of them, so the common case costs what it did), else
     * one filed on the portal. A portal dossier its agency's system syncs back shows that system's record:
     * the agency handles it there, so that record holds its latest state.
     */
    async lookup(code: string, last4: string): Promise<LookupFound | undefined> {
      const d = await dossierByCode(code);
      if (d?.applicant_id_last4 && d.applicant_id_last4.toUpperCase() === last4.toUpperCase())
        return { source: 'sync', dossier: d, history: await historyOf(code) };
      const portal = await deps.portalLookup?.(code, last4);
      return portal ? fromPortal(portal) : undefined;
    },

    /**
     * Synced dossiers of an applicant (a citizen's "my dossiers"): SoGiayToChuHoSo equal to their personal
     * ID number and, when a name is given, ChuHoSo equal to it without regard to case and diacritics (the
     * portal does not prove the ID number an account declares, and agency systems mistype numbers: both
     * must agree). Newest received first, on the index (applicant_id_hash, received_at desc).
     */
    async dossiersOfApplicant(personalId: string, options: { name?: string; limit?: number } = {}) {
      const rows = await db
        .selectFrom('sync.dossiers as d')
        .select([
          'd.code',
          'd.procedure_code',
          'd.procedure_name',
          'd.agency_code',
          'd.status',
          'd.status_at',
          'd.submitted_at',
          'd.received_at',
          'd.due_at',
          'd.source_client',
          sql<string | null>`d.payload->>'ChuHoSo'`.as('applicant_name'),
        ])
        .where('d.applicant_id_hash', '=', applicantHash(personalId))
        .orderBy('d.received_at', 'desc')
        .limit(Math.min(options.limit ?? 100, 500))
        .execute();
      const want = options.name === undefined ? undefined : foldVietnamese(options.name);
      const mine = rows.filter((r) => want === undefined || foldVietnamese(r.applicant_name ?? '') === want);
      const names = await clientNames(mine.map((r) => [r.agency_code, r.source_client]));
      return mine.map((r) => ({ ...r, source_client_name: names.get(r.source_client) ?? null }));
    },

    /** One synced dossier with its history, when it is this applicant's (as `dossiersOfApplicant`). */
    async dossierOfApplicant(personalId: string, code: string, options: { name?: string } = {}) {
      const found = await findDossier(code);
      if (!found || found.dossier.applicant_id_hash !== applicantHash(personalId)) return undefined;
      const payloadName = (found.dossier.payload as { ChuHoSo?: unknown }).ChuHoSo;
      if (
        options.name !== undefined &&
        foldVietnamese(typeof payloadName === 'string' ? payloadName : '') !== foldVietnamese(options.name)
      )
        return undefined;
      const names = await clientNames([[found.dossier.agency_code, found.dossier.source_client]]);
      return { ...found, sourceClientName: names.get(found.dossier.source_client) ?? null };
    },

    /** A new adapter session for a machine client that logged in; the token is shown once. */
    async openSession(caller: Caller & { scopes: string[] }) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
      await db
        .insertInto('sync.adapter_sessions')
        .values({
          token_hash: hashToken(token),
          client_id: caller.clientId,
          client_name: caller.clientName,
          scopes: caller.scopes,
          agency_codes: caller.agencyCodes,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      return { token, expiresAt };
    },

    async sessionCaller(token: string): Promise<(Caller & { scopes: string[] }) | undefined> {
      if (token.length < 20 || token.length > 200) return undefined;
      const s = await db
        .selectFrom('sync.adapter_sessions')
        .selectAll()
        .where('token_hash', '=', hashToken(token))
        .where('expires_at', '>', clock.now())
        .executeTakeFirst();
      return s
        ? { clientId: s.client_id, clientName: s.client_name, agencyCodes: s.agency_codes, scopes: s.scopes }
        : undefined;
    },

    /** Recurring work: next months' history partitions, expired adapter sessions, old monitoring counts. */
    async housekeeping(now: Date) {
      for (const months of [0, 1, 2]) {
        const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 15));
        // A month whose rows already sit in the default partition cannot get its own (PostgreSQL refuses);
        // it stays in the default one, and the months after it are still made.
        await sql`select sync.create_history_partition(${d.toISOString().slice(0, 10)}::date)`
          .execute(db)
          .catch(() => undefined);
      }
      await db.deleteFrom('sync.adapter_sessions').where('expires_at', '<', now).execute();
      // The monitoring's hourly counts are kept 90 days (the rejected items are a fixed-size ring).
      await db
        .deleteFrom('sync.batch_stats')
        .where('hour', '<', new Date(now.getTime() - 90 * 86_400_000))
        .execute();
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
