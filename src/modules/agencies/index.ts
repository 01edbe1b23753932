/** The agencies module: administrative units (versioned), agencies, identifier codes. */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import { agenciesApiRoutes } from './agencies.routes.ts';
import { type AgenciesService, createAgenciesService } from './agencies.service.ts';
import type { AgenciesTables } from './agencies.tables.ts';
import { agenciesPages } from './pages/agencies.pages.tsx';

export { agenciesReferenceData } from './agencies.reference.ts';
export type {
  AdminLevel,
  AdminUnit,
  AdminUnitDetail,
  AdminUnitFilter,
  AdminUnitList,
  AgenciesService,
  Agency,
  AgencyDetail,
  AgencyIdentifier,
} from './agencies.service.ts';
export { ADMIN_LEVELS, ADMIN_UNIT_LIMIT_MAX } from './agencies.service.ts';
export type { OfficeHoursJson } from './agencies.tables.ts';
export { agencyKindLabel, unitKindLabel } from './pages/labels.ts';

export function createAgenciesModule(deps: { db: AnyDb; clock: Clock }) {
  const db: Kysely<AgenciesTables> = scoped<AgenciesTables>(deps.db);
  const service = createAgenciesService({ db, clock: deps.clock });
  return {
    service,
    async routes(app: AppInstance) {
      await app.register(agenciesApiRoutes, { service });
      await app.register(agenciesPages, { service });
    },
  };
}

export type AgenciesModule = ReturnType<typeof createAgenciesModule> & { service: AgenciesService };
