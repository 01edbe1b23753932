/**
 * The sync module: dossier status synced from agencies' own one-stop-shop systems (REST API and the
 * DVCQG-compatible adapter), the public lookup of synced dossiers, rollups for oversight.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { vietnamDate, vietnamWhen } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import {
  createLockView,
  createRateLimiter,
  createSharedCounterLimiter,
} from '../../platform/security/index.ts';
import { type AdapterDeps, createAdapterService, type MachineIdentity } from './adapter.service.ts';
import { type ApplicantViewDeps, applicantView } from './applicant.view.ts';
import type { ApplicantDetails, PortalDossier } from './domain/outbound.ts';
import { createLookupGuard, LOOKUP_CODE_LIMIT } from './lookup-guard.ts';
import { monitorRoutes } from './monitor.routes.ts';
import { createMonitorService } from './monitor.service.ts';
import { outboundRoutes } from './outbound.routes.ts';
import {
  createOutboundService,
  DEFAULT_WEBHOOK_SETTINGS,
  type FeedbackRouted,
  type PortalChange,
  WEBHOOK_TOPIC,
  type WebhookSettings,
} from './outbound.service.ts';
import { lookupPages } from './pages/lookup.pages.tsx';
import { monitorPages } from './pages/monitor.pages.tsx';
import { type MachineClientInfo, webhookPages } from './pages/webhooks.pages.tsx';
import { syncNavigation } from './sync.navigation.ts';
import { syncRoutes } from './sync.routes.ts';
import { createSyncService, type SyncServiceDeps } from './sync.service.ts';
import type { SyncTables } from './sync.tables.ts';

export type { ApplicantViewDeps } from './applicant.view.ts';
export { signWebhook, verifyWebhook } from './domain/outbound.ts';
export { formatDvcqgDate, parseDvcqgDate } from './domain/records.ts';
export type { MonitorService } from './monitor.service.ts';
export type {
  FeedbackRouted,
  FeedEntry,
  OutboundService,
  PortalChange,
  WebhookSettings,
} from './outbound.service.ts';
export type { BatchResult, ItemResult, LookupFound, PortalDossier, SyncService } from './sync.service.ts';

/** Outbound delivery: what the sync module needs from the dossiers and identity modules and the outbox. */
export interface OutboundModuleDeps {
  /** The outbox: webhook deliveries are its messages (topic `sync.webhook-delivery`). */
  dispatcher: Dispatcher;
  /** A portal dossier as the dossiers module gives it to other modules (`exchangeRecord`). */
  dossier(code: string): Promise<PortalDossier | undefined>;
  /** A dossier's file (`exchangeFile`). */
  file(
    code: string,
    attachmentId: string,
  ): Promise<{ stream: NodeJS.ReadableStream; fileName: string; mediaType: string } | undefined>;
  /** The applicant's ID number and verified contacts, for SoGiayToChuHoSo, Email, SoDienThoai. */
  applicantOf?(accountId: string): Promise<ApplicantDetails | undefined>;
  /** The portal's public address (files' links). */
  publicUrl: string;
  /** Key for sealing webhook signing secrets at rest (an instance secret). */
  sealingKey(): Promise<Buffer>;
  /**
   * A machine client's scopes now (identity; [] when it is gone): a feedback entry, which carries the
   * submitter's contact, is POSTed only while the endpoint's client still holds `feedback` (else dead).
   */
  clientScopes?(clientId: string): Promise<string[]>;
  settings?: Partial<WebhookSettings>;
  /** For the admin page. */
  isSystemAdmin(accountId: string): Promise<boolean>;
  machineClients(): Promise<MachineClientInfo[]>;
}

export interface SyncModuleDeps extends Omit<AdapterDeps, 'sync' | 'ownerOf' | 'today'> {
  db: AnyDb;
  clock: Clock;
  /** From the agencies module: the agency holding an identifier code on a date (`getAgency`). */
  agencyOfIdentifier(identifier: string, date: string): Promise<string | undefined>;
  /** From the agencies module: an agency and those above it on a date, nearest first. */
  lineageOf(code: string, date?: string): Promise<string[]>;
  agencyName(code: string): Promise<string | undefined>;
  /** identity: every role the account holds at the agency or above it (monitoring scope). */
  rolesAt(accountId: string, agencyCode: string): Promise<ReadonlySet<string>>;
  /** identity: the agencies where the account holds any role. */
  grantAgencies(accountId: string): Promise<string[]>;
  /** agencies: the agency and every agency below it, with names. */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
  /** dossiers: portal-filed dossiers received by these agencies in the period (Vietnam dates), per agency. */
  portalReceived(agencyCodes: string[], from: string, to: string): Promise<Map<string, number>>;
  /** Batches ingested at once per process, and waiting, before 429 (default 4 and 8). */
  gate?: { concurrent: number; queued: number };
  /** Outbound delivery (pull feed and webhooks); without it the module only receives. */
  outbound?: OutboundModuleDeps;
  /** dossiers: the public lookup of a portal-filed dossier (see SyncServiceDeps). */
  portalLookup?: SyncServiceDeps['portalLookup'];
  /**
   * Who is told when a dossier code's public lookup is locked after too many wrong guesses
   * (lookup-guard.ts): the account that filed it on the portal (dossiers), else the proven holder of the
   * synced dossier's SoGiayToChuHoSo (identity's TechID of a number).
   */
  applicants?: {
    portalApplicantOf(code: string): Promise<string | undefined>;
    holderOf(query: { personalId?: string; taxCode?: string }): Promise<string | undefined>;
    /** A notifications template to an account holder's verified phone and e-mail, once per key. */
    tell(
      accountId: string,
      message: { template: string; params: Record<string, string>; dedupeKey: string },
    ): Promise<void>;
  };
  onError?(error: unknown): void;
}

export function createSyncModule(deps: SyncModuleDeps) {
  const db: Kysely<SyncTables> = scoped<SyncTables>(deps.db);
  const ownerOf = async (identifier: string, date: string) => {
    const agencyCode = await deps.agencyOfIdentifier(identifier, date);
    if (!agencyCode) return undefined;
    return { agencyCode, lineage: await deps.lineageOf(agencyCode, date) };
  };
  const service = createSyncService({
    db,
    clock: deps.clock,
    ownerOf,
    ...(deps.gate ? { gate: deps.gate } : {}),
    ...(deps.portalLookup ? { portalLookup: deps.portalLookup } : {}),
  });
  const monitor = createMonitorService({
    db,
    clock: deps.clock,
    rolesAt: deps.rolesAt,
    grantAgencies: deps.grantAgencies,
    lineageOf: (code) => deps.lineageOf(code),
    subtreeOf: deps.subtreeOf,
    agencyName: deps.agencyName,
    portalReceived: deps.portalReceived,
  });
  const adapter = createAdapterService({
    ...deps,
    sync: service,
    ownerOf,
    today: () => vietnamDate(deps.clock.now()),
  });
  // Adapter logins are limited exactly (every attempt counted before it is checked); public lookups
  // with counts kept in memory and shared through the same table every quarter of a second (no
  // database write on each lookup; platform/security/rate-limit.ts says what that trades).
  const limiter = createRateLimiter(deps.db, () => deps.clock.now());
  // An address's lookups are shared between processes from its second one in a window: most citizens
  // look up once, and writing a counter row for each of them was most of the database's work per lookup.
  const lookupLimiter = createSharedCounterLimiter(deps.db, () => deps.clock.now(), { shareFrom: 2 });
  // And per dossier code, exactly, whatever the address: wrong guesses lock the code (lookup-guard.ts).
  const lookupLocks = createLockView(deps.db, LOOKUP_CODE_LIMIT, () => deps.clock.now(), {
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  const guardedLookup = createLookupGuard({
    clock: deps.clock,
    limiter,
    locks: lookupLocks,
    lookup: (code, last4) => service.lookup(code, last4),
    onLocked: async (code, until) => {
      const a = deps.applicants;
      if (!a) return;
      let accountId = await a.portalApplicantOf(code);
      if (!accountId) {
        const synced = await service.findDossier(code);
        const id = (synced?.dossier.payload as { SoGiayToChuHoSo?: unknown } | undefined)?.SoGiayToChuHoSo;
        if (typeof id === 'string')
          accountId = await a.holderOf(/^\d{12}$/.test(id) ? { personalId: id } : { taxCode: id });
      }
      if (!accountId) return;
      await a.tell(accountId, {
        template: 'dossier.lookup-locked',
        params: { code, until: vietnamWhen(until) },
        dedupeKey: `lookup-locked:${code}:${until.getTime()}`,
      });
    },
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  const o = deps.outbound;
  const outbound = o
    ? createOutboundService({
        db: deps.db,
        lineageOf: (code) => deps.lineageOf(code),
        dossier: o.dossier,
        file: o.file,
        ...(o.applicantOf ? { applicantOf: o.applicantOf } : {}),
        agencyName: deps.agencyName,
        publicUrl: o.publicUrl,
        sealingKey: o.sealingKey,
        ...(o.clientScopes ? { clientScopes: o.clientScopes } : {}),
        settings: { ...DEFAULT_WEBHOOK_SETTINGS, ...o.settings },
        kick: () => o.dispatcher.kick(),
        now: () => deps.clock.now(),
      })
    : undefined;
  if (o && outbound) {
    o.dispatcher.register(WEBHOOK_TOPIC, async (message) => {
      await outbound.deliver((message.payload as { deliveryId: number }).deliveryId);
    });
  }
  return {
    service,
    adapter,
    /** Outbound delivery, when configured. */
    outbound,
    /** The dossiers module's status-change listener: one feed entry per change (idempotent). */
    async onPortalChange(change: PortalChange): Promise<void> {
      await outbound?.record(change);
    },
    /**
     * The feedback module's routing listener: one feed entry per item routed to an agency, delivered to
     * the systems with scope feedback (idempotent).
     */
    async onFeedbackRouted(routed: FeedbackRouted): Promise<void> {
      await outbound?.recordFeedback(routed);
    },
    monitor,
    /**
     * The dossiers module's `SyncedDossiers` port: an applicant's synced dossiers, named for the pages
     * (identity gives the account's proven ID number, the catalogue the agencies' names).
     */
    applicantView: (viewDeps: ApplicantViewDeps) => applicantView(service, viewDeps),
    /** "Tra cứu hồ sơ" in the header; sync monitoring and webhooks on the officers' desk. */
    navigation: syncNavigation({
      grantAgencies: deps.grantAgencies,
      ...(o && outbound
        ? {
            webhooks: {
              isSystemAdmin: o.isSystemAdmin,
              // Counted up to 500 (the webhook page lists them).
              deadLetters: async () => (await outbound.deliveries({ status: 'dead', limit: 500 })).length,
            },
          }
        : {}),
    }),
    /** Monthly history partitions made ahead; expired adapter sessions deleted. */
    jobs: [
      {
        name: 'sync.housekeeping',
        everySeconds: 6 * 3600,
        run: (now: Date) => service.housekeeping(now),
      },
      ...(outbound
        ? [
            {
              name: 'sync.webhook-sweep',
              everySeconds: 300,
              run: async () => {
                await outbound.sweep();
              },
            },
          ]
        : []),
    ] satisfies JobDefinition[],
    async routes(app: AppInstance) {
      await app.register(syncRoutes, {
        sync: service,
        adapter,
        limiter,
        lookupLimiter,
        guardedLookup,
        agencyName: deps.agencyName,
        lineageOf: (code) => deps.lineageOf(code),
      });
      await app.register(lookupPages, { limiter: lookupLimiter, guardedLookup, agencyName: deps.agencyName });
      app.addHook('onClose', () => lookupLimiter.close());
      app.addHook('onClose', async () => lookupLocks.close());
      if (o && outbound) {
        await app.register(outboundRoutes, { outbound });
        await app.register(webhookPages, {
          outbound,
          isSystemAdmin: o.isSystemAdmin,
          machineClients: o.machineClients,
        });
      }
      await app.register(monitorRoutes, { monitor });
      await app.register(monitorPages, { monitor });
    },
  };
}

export type SyncModule = ReturnType<typeof createSyncModule>;
export type { MachineIdentity };
