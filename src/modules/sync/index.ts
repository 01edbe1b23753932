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
import { createRateLimiter, createSharedCounterLimiter } from '../../platform/security/index.ts';
import { type AdapterDeps, createAdapterService, type MachineIdentity } from './adapter.service.ts';
import { lookupPages } from './pages/lookup.pages.tsx';
import { syncRoutes } from './sync.routes.ts';
import { createSyncService } from './sync.service.ts';
import type { SyncTables } from './sync.tables.ts';

export { formatDvcqgDate, parseDossierCode, parseDvcqgDate, STATUS_NAMES } from './domain/records.ts';
export type { BatchResult, ItemResult, SyncService } from './sync.service.ts';

export interface SyncModuleDeps extends Omit<AdapterDeps, 'sync' | 'ownerOf' | 'today'> {
  db: AnyDb;
  clock: Clock;
  /** From the agencies module: the agency holding an identifier code on a date (`getAgency`). */
  agencyOfIdentifier(identifier: string, date: string): Promise<string | undefined>;
  /** From the agencies module: an agency and those above it on a date, nearest first. */
  lineageOf(code: string, date?: string): Promise<string[]>;
  agencyName(code: string): Promise<string | undefined>;
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
  const lookupLimiter = createSharedCounterLimiter(deps.db, () => deps.clock.now());
  return {
    service,
    adapter,
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
        lookupLimiter,
        agencyName: deps.agencyName,
        lineageOf: (code) => deps.lineageOf(code),
      });
      await app.register(lookupPages, { sync: service, limiter: lookupLimiter, agencyName: deps.agencyName });
      app.addHook('onClose', () => lookupLimiter.close());
    },
  };
}

export type SyncModule = ReturnType<typeof createSyncModule>;
export type { MachineIdentity };
