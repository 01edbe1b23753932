/**
 * The sync module: dossier status synced from agencies' own one-stop-shop systems (REST API and the
 * DVCQG-compatible adapter), the public lookup of synced dossiers, rollups for oversight.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { vietnamDate } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import { createRateLimiter } from '../../platform/security/index.ts';
import { type AdapterDeps, createAdapterService, type MachineIdentity } from './adapter.service.ts';
import { monitorRoutes } from './monitor.routes.ts';
import { createMonitorService } from './monitor.service.ts';
import { lookupPages } from './pages/lookup.pages.tsx';
import { monitorPages } from './pages/monitor.pages.tsx';
import { syncRoutes } from './sync.routes.ts';
import { createSyncService } from './sync.service.ts';
import type { SyncTables } from './sync.tables.ts';

export { formatDvcqgDate, parseDossierCode, parseDvcqgDate, STATUS_NAMES } from './domain/records.ts';
export type { MonitorService } from './monitor.service.ts';
export type { BatchResult, ItemResult, SyncService } from './sync.service.ts';

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
  // Public lookups are rate limited per IP with the platform's shared limiter (one table for all
  // processes).
  const limiter = createRateLimiter(deps.db, () => deps.clock.now());
  return {
    service,
    adapter,
    monitor,
    /** Monthly history partitions made ahead; expired adapter sessions deleted. */
    jobs: [
      {
        name: 'sync.housekeeping',
        everySeconds: 6 * 3600,
        run: (now: Date) => service.housekeeping(now),
      },
    ] satisfies JobDefinition[],
    async routes(app: AppInstance) {
      await app.register(syncRoutes, {
        sync: service,
        adapter,
        limiter,
        agencyName: deps.agencyName,
        lineageOf: (code) => deps.lineageOf(code),
      });
      await app.register(lookupPages, { sync: service, limiter, agencyName: deps.agencyName });
      await app.register(monitorRoutes, { monitor });
      await app.register(monitorPages, { monitor });
    },
  };
}

export type SyncModule = ReturnType<typeof createSyncModule>;
export type { MachineIdentity };
