/**
 * Outbound delivery (docs/sync.md): every change of a portal dossier becomes an entry of the feed read
 * by the competent agency's system (`GET /api/v1/sync/inbox`), and is POSTed, signed, to the endpoints
 * those systems registered.
 *
 * - Entries: of a dossier (unique on code and revision) or of a feedback item routed to an agency (unique
 *   on code, revision and agency: `feedback.routed`, made by the feedback module), so the outbox
 *   delivering an event twice adds nothing. A client reads, and its endpoints receive, the kinds its
 *   scopes allow: `sync` dossiers, `feedback` feedback items (migration 0095).
 *   The cursor `seq` is taken from sync.outbound_sequence's one row while its lock is held to commit:
 *   entries commit in sequence order, a reader never sees N+1 before N (see the migration 0042).
 * - Positions: per client, moved forward only (`greatest` in the upsert: an older ack changes nothing).
 * - Webhooks: one delivery row per (subscription, entry), made in the entry's transaction with an outbox
 *   message; the outbox handler takes a lease on the row, POSTs, records the attempt, and schedules the
 *   next try (a new outbox message due after the backoff) or marks it delivered or dead.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { backoffMs, enqueue, enqueueEach } from '../../platform/outbox/index.ts';
import {
  type ApplicantDetails,
  dongBoHoSoMC,
  endpointProblem,
  newWebhookSecret,
  type PortalDossier,
  signWebhook,
} from './domain/outbound.ts';
import { postWebhook, type SendResult } from './webhook-sender.ts';

export const WEBHOOK_TOPIC = 'sync.webhook-delivery';

export interface WebhookSettings {
  /** Deadline of one POST (default 10 s). */
  timeoutMs: number;
  /** Tries before the dead letter (default 12: about 14 hours with the defaults below). */
  maxAttempts: number;
  /** Backoff: try n waits base × 2^(n−1), ±20%, at most `retryMaxMs` (default 30 s … 6 h). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Allow endpoints on loopback and private networks (not in production by default). */
  allowPrivate: boolean;
  /** Only https endpoints (production). */
  httpsOnly: boolean;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  timeoutMs: 10_000,
  maxAttempts: 12,
  retryBaseMs: 30_000,
  retryMaxMs: 6 * 3_600_000,
  allowPrivate: true,
  httpsOnly: false,
};

/** The change the dossiers module announced (its `StatusChange`, the fields used here). */
export interface PortalChange {
  topic: string;
  code: string;
  action: string;
  to: { status: number };
  at: string;
  dueAt: string;
  competentAgencyCode: string;
  applicantAccountId: string;
  revision: number;
  reason?: string;
}

export interface OutboundDeps {
  db: AnyDb;
  /** An agency and those above it, nearest first (agencies module). */
  lineageOf(code: string): Promise<string[]>;
  /** The dossier as the dossiers module gives it to other modules. */
  dossier(code: string): Promise<PortalDossier | undefined>;
  /** A dossier's file (dossiers module), without access check. */
  file(
    code: string,
    attachmentId: string,
  ): Promise<{ stream: NodeJS.ReadableStream; fileName: string; mediaType: string } | undefined>;
  /** The applicant's ID number and verified contacts (identity module). */
  applicantOf?(accountId: string): Promise<ApplicantDetails | undefined>;
  agencyName(code: string): Promise<string | undefined>;
  /** For files' download links. */
  publicUrl: string;
  /** Key for sealing webhook secrets at rest. */
  sealingKey(): Promise<Buffer>;
  /** A client's scopes now (identity; none when it is gone): feedback entries only while it holds `feedback`. */
  clientScopes?(clientId: string): Promise<string[]>;
  settings: WebhookSettings;
  /** Deliver now (the outbox dispatcher's kick) after a commit that queued deliveries. */
  kick?(): void;
  now?(): Date;
}

export interface Machine {
  clientId: string;
  agencyCodes: string[];
  /** The token's scopes: which kinds of entries it reads (absent: dossiers only). */
  scopes?: string[] | undefined;
}

/** The kinds of feed entries. */
export const ENTRY_KINDS = ['dossier', 'feedback'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Which kinds of entries the scopes allow: `sync` dossiers, `feedback` feedback items. */
export function kindsOfScopes(scopes: readonly string[] | undefined): EntryKind[] {
  if (scopes === undefined) return ['dossier'];
  return [
    ...(scopes.includes('sync') ? (['dossier'] as const) : []),
    ...(scopes.includes('feedback') ? (['feedback'] as const) : []),
  ];
}

export interface DossierFeedEntry {
  cursor: number;
  type: string;
  MaHoSo: string;
  revision: number;
  action: string;
  TrangThaiHoSo: number;
  occurredAt: string;
  competentAgencyCode: string;
  record: Record<string, unknown>;
}

/** A feedback item routed to an agency (`feedback.routed`); the record is the feedback module's. */
export interface FeedbackFeedEntry {
  cursor: number;
  type: 'feedback.routed';
  code: string;
  revision: number;
  action: string;
  occurredAt: string;
  agencyCode: string;
  record: Record<string, unknown>;
}

export type FeedEntry = DossierFeedEntry | FeedbackFeedEntry;

/** What the feedback module announces when an item is routed to an agency (forwarded or passed). */
export interface FeedbackRouted {
  /** The item's code, PAKN-YYYY-NNNNNNN. */
  code: string;
  /** The item's revision after the routing. */
  revision: number;
  /** The agency it is routed to. */
  agencyCode: string;
  /** forward (by the Government Office) or pass (by another agency). */
  action: string;
  at: string;
  /** The item as the agency's system gets it (built by the feedback module). */
  record: Record<string, unknown>;
}

interface EntryRow {
  seq: string | number;
  kind: EntryKind;
  dossier_code: string;
  revision: number;
  event: string;
  action: string;
  status: number | null;
  competent_agency_code: string;
  record: Record<string, unknown>;
  occurred_at: Date;
}

const entryOf = (r: EntryRow): FeedEntry =>
  r.kind === 'feedback'
    ? {
        cursor: Number(r.seq),
        type: 'feedback.routed',
        code: r.dossier_code,
        revision: r.revision,
        action: r.action,
        occurredAt: new Date(r.occurred_at).toISOString(),
        agencyCode: r.competent_agency_code,
        record: r.record,
      }
    : {
        cursor: Number(r.seq),
        type: r.event,
        MaHoSo: r.dossier_code,
        revision: r.revision,
        action: r.action,
        TrangThaiHoSo: r.status ?? 0,
        occurredAt: new Date(r.occurred_at).toISOString(),
        competentAgencyCode: r.competent_agency_code,
        record: r.record,
      };

/** A new entry of either kind (see `append`). */
interface NewEntry {
  kind: EntryKind;
  code: string;
  revision: number;
  event: string;
  action: string;
  status: number | null;
  agencyCode: string;
  lineage: string[];
  record: Record<string, unknown>;
  occurredAt: Date;
}

export const MAX_FEED_LIMIT = 500;

export function createOutboundService(deps: OutboundDeps) {
  const { db, settings } = deps;

  async function seal(secret: string): Promise<string> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', await deps.sealingKey(), iv);
    const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    return `v1.${iv.toString('base64')}.${c.getAuthTag().toString('base64')}.${body.toString('base64')}`;
  }
  async function unseal(sealed: string): Promise<string> {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || !body) throw new Error('webhook secret: unknown sealing');
    const d = createDecipheriv('aes-256-gcm', await deps.sealingKey(), Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
  }

  async function lastSeq(): Promise<number> {
    const r = await sql<{
      last_seq: string;
    }>`select last_seq from sync.outbound_sequence where id = 1`.execute(db);
    return Number(r.rows[0]?.last_seq ?? 0);
  }

  /** What a client reads: entries whose lineage holds one of its agencies (theirs and below). */
  function codesOf(machine: Machine): string[] {
    return machine.agencyCodes.length > 0 ? machine.agencyCodes : ['-'];
  }
  /** … and of the kinds its scopes allow. */
  function kindsOf(machine: Machine): string[] {
    const kinds = kindsOfScopes(machine.scopes);
    return kinds.length > 0 ? kinds : ['-'];
  }

  /**
   * One entry and its webhook deliveries. One statement, so one implicit transaction: the sequence row is
   * locked (FOR UPDATE) until it commits, which orders the commits of entries by their numbers; the number
   * is used, and the sequence moved, only if the entry is new (an event delivered twice at once leaves no
   * gap: the unique indexes of each kind refuse the second). Then one delivery per matching endpoint that
   * takes this kind, each with its outbox message.
   */
  async function append(e: NewEntry): Promise<number | undefined> {
    const made = await sql<{ seq: string | null; deliveries: number }>`
      with next as (
        select last_seq + 1 as seq from sync.outbound_sequence where id = 1 for update
      ),
      entry as (
        insert into sync.outbound_entries
          (seq, kind, dossier_code, revision, event, action, status, competent_agency_code, lineage, record, occurred_at)
        select next.seq, ${e.kind}, ${e.code}, ${e.revision}, ${e.event}, ${e.action}, ${e.status},
               ${e.agencyCode}, ${e.lineage}::text[], ${JSON.stringify(e.record)}::jsonb, ${e.occurredAt}
          from next
        on conflict do nothing
        returning seq
      ),
      moved as (
        update sync.outbound_sequence set last_seq = entry.seq from entry where id = 1
      ),
      delivery as (
        insert into sync.webhook_deliveries (subscription_id, entry_seq)
        select w.id, entry.seq from sync.webhook_subscriptions w, entry
         where w.active and w.agency_codes && ${e.lineage}::text[] and ${e.kind} = any(w.kinds)
        returning id
      ),
      message as (
        ${enqueueEach(WEBHOOK_TOPIC, sql`select jsonb_build_object('deliveryId', id) from delivery`)}
      )
      select (select seq from entry) as seq, (select count(*) from delivery)::int as deliveries`.execute(db);
    const row = made.rows[0];
    if (!row || row.seq === null) return undefined;
    if (row.deliveries > 0) deps.kick?.();
    return Number(row.seq);
  }

  const service = {
    /**
     * The outbox listener: one feed entry per (dossier, revision), with its webhook deliveries.
     * Idempotent: a second call for the same change adds nothing.
     */
    async record(change: PortalChange): Promise<number | undefined> {
      const seen = await sql`select 1 from sync.outbound_entries
                              where kind = 'dossier' and dossier_code = ${change.code} and revision = ${change.revision}`.execute(
        db,
      );
      if (seen.rows.length > 0) return undefined;
      const dossier = await deps.dossier(change.code);
      if (!dossier) throw new Error(`outbound: dossier ${change.code} not found`);
      const lineage = await deps.lineageOf(change.competentAgencyCode);
      if (lineage.length === 0) lineage.push(change.competentAgencyCode);
      const applicant = await deps.applicantOf?.(change.applicantAccountId).catch(() => undefined);
      const record = dongBoHoSoMC(
        dossier,
        {
          action: change.action,
          status: change.to.status,
          at: new Date(change.at),
          dueAt: new Date(change.dueAt),
          revision: change.revision,
          reason: change.reason,
        },
        {
          ...(applicant ? { applicant } : {}),
          competentAgencyName: await deps.agencyName(change.competentAgencyCode).catch(() => undefined),
          fileUrl: (id) =>
            `${deps.publicUrl}/api/v1/sync/inbox/files/${encodeURIComponent(change.code)}/${encodeURIComponent(id)}`,
        },
      );
      const event = change.topic === 'dossier.extended' ? 'dossier.extended' : 'dossier.status-changed';
      return append({
        kind: 'dossier',
        code: change.code,
        revision: change.revision,
        event,
        action: change.action,
        status: change.to.status,
        agencyCode: change.competentAgencyCode,
        lineage,
        record,
        occurredAt: new Date(change.at),
      });
    },

    /**
     * The feedback module's listener: one feed entry per (item, revision, agency routed to), with its
     * webhook deliveries to endpoints that take feedback. Idempotent like `record`.
     */
    async recordFeedback(routed: FeedbackRouted): Promise<number | undefined> {
      const seen = await sql`select 1 from sync.outbound_entries
                              where kind = 'feedback' and dossier_code = ${routed.code}
                                and revision = ${routed.revision} and competent_agency_code = ${routed.agencyCode}`.execute(
        db,
      );
      if (seen.rows.length > 0) return undefined;
      const lineage = await deps.lineageOf(routed.agencyCode);
      if (lineage.length === 0) lineage.push(routed.agencyCode);
      return append({
        kind: 'feedback',
        code: routed.code,
        revision: routed.revision,
        event: 'feedback.routed',
        action: routed.action,
        status: null,
        agencyCode: routed.agencyCode,
        lineage,
        record: routed.record,
        occurredAt: new Date(routed.at),
      });
    },

    /** Entries of the client's agencies after `after` (default: its acknowledged position), oldest first. */
    async inbox(machine: Machine, options: { after?: number | undefined; limit?: number | undefined }) {
      const limit = Math.min(MAX_FEED_LIMIT, Math.max(1, options.limit ?? 100));
      const after = options.after ?? (await service.position(machine.clientId)).acknowledged;
      // Read before the entries: every entry up to `top` is visible to the next statement (commit order).
      const top = await lastSeq();
      const r = await sql<EntryRow>`
        select seq, kind, dossier_code, revision, event, action, status, competent_agency_code, record, occurred_at
          from sync.outbound_entries
         where seq > ${after} and lineage && ${codesOf(machine)}::text[]
           and kind = any(${kindsOf(machine)}::text[])
         order by seq limit ${limit}`.execute(db);
      const entries = r.rows.map(entryOf);
      const last = entries.at(-1)?.cursor ?? after;
      // A short page has seen everything up to `top`: the cursor may pass other agencies' entries.
      const next = entries.length === limit ? last : Math.max(last, top, after);
      return { entries, next, more: entries.length === limit };
    },

    async position(clientId: string) {
      const r = await sql<{ acked_seq: string; acked_at: Date }>`
        select acked_seq, acked_at from sync.inbox_positions where client_id = ${clientId}`.execute(db);
      return { acknowledged: Number(r.rows[0]?.acked_seq ?? 0), at: r.rows[0]?.acked_at ?? null };
    },

    /** Moves the client's position to `cursor` if that is forward; an older cursor changes nothing. */
    async ack(machine: Machine, cursor: number) {
      if (!Number.isSafeInteger(cursor) || cursor < 0)
        throw new ValidationError('cursor phải là số nguyên không âm.', [
          { path: 'cursor', message: 'integer ≥ 0' },
        ]);
      if (cursor > (await lastSeq()))
        throw new ValidationError('cursor lớn hơn vị trí mới nhất của luồng hồ sơ.', [
          { path: 'cursor', message: 'beyond the newest entry' },
        ]);
      const r = await sql<{ acked_seq: string }>`
        insert into sync.inbox_positions (client_id, acked_seq) values (${machine.clientId}, ${cursor})
        on conflict (client_id) do update
           set acked_seq = greatest(sync.inbox_positions.acked_seq, excluded.acked_seq),
               acked_at = case when excluded.acked_seq > sync.inbox_positions.acked_seq
                               then now() else sync.inbox_positions.acked_at end
        returning acked_seq`.execute(db);
      return { acknowledged: Number(r.rows[0]!.acked_seq) };
    },

    // ——— webhook subscriptions ———

    async subscribe(input: {
      clientId: string;
      agencyCodes: string[];
      url: string;
      createdBy: string;
      /** The kinds of entries it receives (the client's scopes: kindsOfScopes); default dossiers. */
      kinds?: EntryKind[] | undefined;
    }) {
      const url = input.url.trim();
      const problem = endpointProblem(url, { httpsOnly: settings.httpsOnly });
      if (problem) throw new ValidationError(problem, [{ path: 'url', message: problem }]);
      if (input.agencyCodes.length === 0)
        throw new ValidationError('Ứng dụng chưa được gán cơ quan nào.', [
          { path: 'agencyCodes', message: 'the client has no agencies' },
        ]);
      const kinds = input.kinds ?? ['dossier'];
      if (kinds.length === 0)
        throw new ValidationError('Ứng dụng không có phạm vi sync hay feedback.', [
          { path: 'scopes', message: 'the client has neither scope sync nor feedback' },
        ]);
      const secret = newWebhookSecret();
      const r = await sql<{ id: string }>`
        insert into sync.webhook_subscriptions (client_id, url, agency_codes, secret_sealed, created_by, kinds)
        values (${input.clientId}, ${url}, ${input.agencyCodes}::text[], ${await seal(secret)}, ${input.createdBy},
                ${kinds}::text[])
        on conflict (client_id, url) do update
           set active = true, secret_sealed = excluded.secret_sealed, agency_codes = excluded.agency_codes,
               kinds = excluded.kinds,
               created_by = excluded.created_by, created_at = now()
         where not sync.webhook_subscriptions.active
        returning id`.execute(db);
      if (r.rows.length === 0)
        throw new ValidationError('Địa chỉ này đã được đăng ký cho ứng dụng.', [
          { path: 'url', message: 'already registered' },
        ]);
      return { id: r.rows[0]!.id, url, agencyCodes: input.agencyCodes, kinds, secret };
    },

    async subscriptions(clientId?: string) {
      const r = await sql<{
        id: string;
        client_id: string;
        url: string;
        agency_codes: string[];
        kinds: string[];
        active: boolean;
        created_at: Date;
        created_by: string;
        pending: string;
        delivered: string;
        dead: string;
      }>`
        select s.id, s.client_id, s.url, s.agency_codes, s.kinds, s.active, s.created_at, s.created_by,
               count(d.id) filter (where d.status = 'pending') as pending,
               count(d.id) filter (where d.status = 'delivered') as delivered,
               count(d.id) filter (where d.status = 'dead') as dead
          from sync.webhook_subscriptions s left join sync.webhook_deliveries d on d.subscription_id = s.id
         where ${clientId ?? null}::text is null or s.client_id = ${clientId ?? null}
         group by s.id order by s.client_id, s.created_at`.execute(db);
      return r.rows.map((s) => ({
        id: s.id,
        clientId: s.client_id,
        url: s.url,
        agencyCodes: s.agency_codes,
        kinds: s.kinds,
        active: s.active,
        createdAt: s.created_at,
        createdBy: s.created_by,
        pending: Number(s.pending),
        delivered: Number(s.delivered),
        dead: Number(s.dead),
      }));
    },

    /** Stops a subscription (its pending deliveries are no longer tried); only the owner's, else 404. */
    async unsubscribe(clientId: string | undefined, id: string) {
      if (!/^[0-9a-f-]{36}$/.test(id)) throw new NotFoundError('Không có đăng ký này.');
      const r = await sql`update sync.webhook_subscriptions set active = false
                           where id = ${id} and (${clientId ?? null}::text is null or client_id = ${clientId ?? null})
                           returning id`.execute(db);
      if (r.rows.length === 0) throw new NotFoundError('Không có đăng ký này.');
    },

    // ——— deliveries ———

    /** The outbox handler: one try of one delivery, if it is due and nobody else is trying it. */
    async deliver(deliveryId: number): Promise<SendResult | undefined> {
      const leaseMs = settings.timeoutMs + 30_000;
      const claimed = await sql<
        EntryRow & {
          id: string;
          attempts: number;
          url: string;
          secret_sealed: string;
          leased_until: Date;
          client_id: string;
        }
      >`
        update sync.webhook_deliveries d
           set leased_until = date_trunc('milliseconds', clock_timestamp() + ${`${leaseMs} milliseconds`}::interval),
               attempts = d.attempts + 1
          from sync.webhook_subscriptions s, sync.outbound_entries e
         where d.id = ${deliveryId} and d.status = 'pending' and d.next_attempt_at <= now()
           and (d.leased_until is null or d.leased_until < now())
           and s.id = d.subscription_id and s.active and e.seq = d.entry_seq
        returning d.id, d.attempts, d.leased_until, s.url, s.secret_sealed, s.client_id,
                  e.seq, e.kind, e.dossier_code, e.revision, e.event, e.action, e.status, e.competent_agency_code,
                  e.record, e.occurred_at`.execute(db);
      const row = claimed.rows[0];
      if (!row) return undefined;
      const entry = entryOf(row);
      const id = `entry_${entry.cursor}`;
      const timestamp = Math.floor((deps.now?.() ?? new Date()).getTime() / 1000);
      const body = JSON.stringify({
        type: entry.type,
        timestamp: new Date(timestamp * 1000).toISOString(),
        data: entry,
      });
      const started = new Date();
      // A feedback item (with the submitter's contact) goes only to a client that still holds the scope.
      const refused =
        row.kind === 'feedback' && deps.clientScopes
          ? !(await deps.clientScopes(row.client_id)).includes('feedback')
          : false;
      const result: SendResult = refused
        ? {
            ok: false,
            statusCode: null,
            latencyMs: 0,
            error: 'ứng dụng không còn phạm vi feedback: không gửi (client no longer has scope feedback)',
          }
        : await postWebhook(
            row.url,
            {
              'webhook-id': id,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': signWebhook(await unseal(row.secret_sealed), id, timestamp, body),
            },
            body,
            { timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivate },
          );
      const wait = backoffMs(row.attempts, settings.retryBaseMs, settings.retryMaxMs);
      const outcome = result.ok
        ? 'delivered'
        : refused || row.attempts >= settings.maxAttempts
          ? 'dead'
          : 'retry';
      await db.transaction().execute(async (trx) => {
        await sql`insert into sync.webhook_attempts (delivery_id, attempt, started_at, latency_ms, status_code, error)
                  values (${deliveryId}, ${row.attempts}, ${started}, ${result.latencyMs}, ${result.statusCode},
                          ${result.error})`.execute(trx);
        // Only while this lease holds: a redelivery meanwhile started another try, which owns the row.
        const updated = await sql`
          update sync.webhook_deliveries
             set leased_until = null, last_status_code = ${result.statusCode}, last_error = ${result.error},
                 status = ${outcome === 'retry' ? 'pending' : outcome},
                 delivered_at = case when ${outcome} = 'delivered' then now() else delivered_at end,
                 dead_at = case when ${outcome} = 'dead' then now() else dead_at end,
                 next_attempt_at = case when ${outcome} = 'retry'
                                        then now() + ${`${wait} milliseconds`}::interval else next_attempt_at end
           where id = ${deliveryId} and leased_until = ${row.leased_until}
          returning id`.execute(trx);
        if (updated.rows.length > 0 && outcome === 'retry')
          await enqueue(trx, WEBHOOK_TOPIC, { deliveryId }, { delayMs: wait });
      });
      return result;
    },

    /** Puts a dead (or failed, waiting) delivery back to be tried now, with a fresh count of tries. */
    async redeliver(deliveryId: number, actor: string) {
      const done = await db.transaction().execute(async (trx) => {
        const r = await sql`
          update sync.webhook_deliveries
             set status = 'pending', attempts = 0, next_attempt_at = now(), leased_until = null, dead_at = null
           where id = ${deliveryId} and status in ('dead', 'pending')
          returning id`.execute(trx);
        if (r.rows.length === 0) return false;
        await enqueue(trx, WEBHOOK_TOPIC, { deliveryId });
        await appendAudit(trx, {
          actor,
          action: 'sync.webhook-redeliver',
          subject: `webhook-delivery:${deliveryId}`,
          data: {},
        });
        return true;
      });
      if (!done) throw new NotFoundError('Không có lần gửi nào đang lỗi hoặc đã bỏ với mã này.');
      deps.kick?.();
    },

    /** Latest deliveries (all, or only the dead letters), newest first, with the entry and endpoint. */
    async deliveries(options: {
      status?: 'dead' | 'pending' | 'delivered';
      limit?: number;
      clientId?: string;
    }) {
      const limit = Math.min(500, options.limit ?? 50);
      const r = await sql<{
        id: string;
        status: string;
        attempts: number;
        next_attempt_at: Date;
        last_status_code: number | null;
        last_error: string | null;
        delivered_at: Date | null;
        dead_at: Date | null;
        created_at: Date;
        client_id: string;
        url: string;
        seq: string;
        dossier_code: string;
        action: string;
        latency_ms: number | null;
      }>`
        select d.id, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.delivered_at,
               d.dead_at, d.created_at, s.client_id, s.url, e.seq, e.dossier_code, e.action,
               (select a.latency_ms from sync.webhook_attempts a where a.delivery_id = d.id order by a.id desc limit 1)
                 as latency_ms
          from sync.webhook_deliveries d
          join sync.webhook_subscriptions s on s.id = d.subscription_id
          join sync.outbound_entries e on e.seq = d.entry_seq
         where (${options.status ?? null}::text is null or d.status = ${options.status ?? null})
           and (${options.clientId ?? null}::text is null or s.client_id = ${options.clientId ?? null})
         order by ${options.status === 'dead' ? sql`d.dead_at desc,` : sql``} d.id desc
         limit ${limit}`.execute(db);
      return r.rows.map((d) => ({
        id: Number(d.id),
        status: d.status as 'pending' | 'delivered' | 'dead',
        attempts: d.attempts,
        nextAttemptAt: d.next_attempt_at,
        lastStatusCode: d.last_status_code,
        lastError: d.last_error,
        lastLatencyMs: d.latency_ms,
        deliveredAt: d.delivered_at,
        deadAt: d.dead_at,
        createdAt: d.created_at,
        clientId: d.client_id,
        url: d.url,
        cursor: Number(d.seq),
        dossierCode: d.dossier_code,
        action: d.action,
      }));
    },

    async attempts(deliveryId: number) {
      const r = await sql<{
        attempt: number;
        started_at: Date;
        latency_ms: number;
        status_code: number | null;
        error: string | null;
      }>`select attempt, started_at, latency_ms, status_code, error from sync.webhook_attempts
          where delivery_id = ${deliveryId} order by id`.execute(db);
      return r.rows;
    },

    /**
     * Safety net (recurring job): a pending delivery long past its time with no live lease gets a new
     * outbox message (the claim makes a duplicate harmless).
     */
    async sweep(): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const r = await sql<{ id: string }>`
          select d.id from sync.webhook_deliveries d join sync.webhook_subscriptions s on s.id = d.subscription_id
           where d.status = 'pending' and s.active and d.next_attempt_at < now() - interval '10 minutes'
             and (d.leased_until is null or d.leased_until < now())
           order by d.next_attempt_at limit 1000`.execute(trx);
        for (const d of r.rows) await enqueue(trx, WEBHOOK_TOPIC, { deliveryId: Number(d.id) });
        return r.rows.length;
      });
    },

    /** A dossier's file (check `mayRead` first). */
    file: (code: string, attachmentId: string) => deps.file(code, attachmentId),

    /** May this client download files of the dossier (its competent agency is theirs or below)? */
    async mayRead(machine: Machine, code: string): Promise<boolean> {
      const r = await sql`select 1 from sync.outbound_entries
                           where kind = 'dossier' and dossier_code = ${code} and lineage && ${codesOf(machine)}::text[]
                           limit 1`.execute(db);
      return r.rows.length > 0;
    },
  };
  return service;
}

export type OutboundService = ReturnType<typeof createOutboundService>;
