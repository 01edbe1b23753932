/**
 * The dossiers module: online dossiers — submission (idempotent, numbered per receiving unit and day),
 * routing to the competent agency, the one-stop workflow, deadlines in working time. Pages, routes,
 * forms 01–05, the officer inbox and notifications are still to come (docs/dossiers.md).
 */
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import { createDossiersService, type DossiersServiceDeps } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

export type { DeadlineStatus, ProcessingTime, WorkingTime } from './domain/deadline.ts';
export { formatDossierCode, parseDossierCode } from './domain/dossier-code.ts';
export { DEFAULT_PROCESS, findProcess, publishedProcesses } from './domain/processes.ts';
export {
  type ActorRole,
  allowedActions,
  decide,
  type ProcessDefinition,
  STATUS_NAMES,
  type StatusCode,
} from './domain/workflow.ts';
export {
  type AgencyDirectory,
  agencyDirectoryFrom,
  type People,
  type ProcedureForFiling,
  type ProcedureSource,
  procedureSourceFrom,
  type WorkingTimeFor,
  workingTimeFrom,
} from './dossiers.ports.ts';
export {
  type ActInput,
  type DossiersService,
  type DossierView,
  EXTENDED,
  STATUS_CHANGED,
  type SubmitInput,
} from './dossiers.service.ts';

export function createDossiersModule(deps: Omit<DossiersServiceDeps, 'db'> & { db: AnyDb }) {
  const service = createDossiersService({ ...deps, db: scoped<DossiersTables>(deps.db) });
  return { service };
}
