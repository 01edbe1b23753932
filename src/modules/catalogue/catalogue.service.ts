/**
 * The procedure catalogue, composed of its jobs: public search (search.service.ts), reading
 * (reading.service.ts), the officers' authoring and lifecycle (authoring.service.ts) and imports
 * (import.service.ts), over the reference lists they share (reference-lists.ts) and the checks made
 * before a write (procedure-checks.ts). The route says who may call; the services check the role at the
 * procedure's own agency, and a procedure outside the officer's scope answers 404 like one that does
 * not exist.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { createCatalogueAuthoring } from './authoring.service.ts';
import type { CatalogueTables } from './catalogue.tables.ts';
import type { CatalogueRole } from './domain/lifecycle.ts';
import { createCatalogueImport } from './import.service.ts';
import { createProcedureChecks } from './procedure-checks.ts';
import { createCatalogueReading } from './reading.service.ts';
import { type AgencyInfo, createReferenceLists } from './reference-lists.ts';
import { createCatalogueSearch } from './search.service.ts';

export { contentHash, nfcDeep } from './procedure-checks.ts';
export type { AgencyInfo } from './reference-lists.ts';
export {
  type Facet,
  facetOrder,
  ranksOf,
  type SearchItem,
  type SearchParams,
  type SearchResult,
} from './search.service.ts';

export interface CatalogueServiceDeps {
  db: Kysely<CatalogueTables>;
  clock: Clock;
  /** From the identity module: does the account hold the role at the agency (or above it)? */
  can(accountId: string, role: CatalogueRole, agencyCode: string): Promise<boolean>;
  /** From the identity module: agencies where the account was granted the role. */
  agenciesWhere(accountId: string, role: CatalogueRole): Promise<string[]>;
  /** From the agencies module: agencies valid today. */
  agencies(): Promise<AgencyInfo[]>;
  /** From the agencies module: provinces valid today. */
  provinces(): Promise<Array<{ code: string; name: string }>>;
  /** From the agencies module: an agency and every agency below it. */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;

export function createCatalogueService(deps: CatalogueServiceDeps) {
  const { db, clock } = deps;
  const lists = createReferenceLists(deps);
  const checks = createProcedureChecks({ db, lists, can: deps.can });
  const authoring = createCatalogueAuthoring({ ...deps, lists, checks });
  return {
    ...createCatalogueSearch({ db, clock, lists }),
    ...createCatalogueReading({ db, lists, checks }),
    ...authoring,
    ...createCatalogueImport({ ...deps, lists, checks, authoring }),
    validate: checks.validate,
  };
}
