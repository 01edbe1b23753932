/** The procedure catalogue (CSDL TTHC): procedures and their versions, sectors, bundles, search. */
import type { Kysely } from 'kysely';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import { catalogueNavigation } from './catalogue.navigation.ts';
import { catalogueApiRoutes } from './catalogue.routes.ts';
import { type CatalogueServiceDeps, createCatalogueService } from './catalogue.service.ts';
import type { CatalogueTables } from './catalogue.tables.ts';
import { catalogueAdminPages } from './pages/admin.pages.tsx';
import { cataloguePages } from './pages/catalogue.pages.tsx';

export { type CatalogueNavigationDeps, catalogueNavigation } from './catalogue.navigation.ts';
export type { AgencyInfo, CatalogueService, SearchItem, SearchResult } from './catalogue.service.ts';
export {
  CERTIFIED_COPY_FORMULA,
  computeFee,
  describeFormula,
  type FeeFormula,
  type FeeInput,
} from './domain/fees.ts';
export type { FormField, FormSchema } from './domain/form-schema.ts';
export { type FormValueContext, formValueProblems } from './domain/form-values.ts';
export type { ProcedureContent } from './domain/procedure.ts';
export { catalogueReferenceData } from './seed/reference.ts';

import { layThuTucOf } from './catalogue.exchange.ts';

export function createCatalogueModule(deps: Omit<CatalogueServiceDeps, 'db'> & { db: AnyDb }) {
  const db: Kysely<CatalogueTables> = scoped<CatalogueTables>(deps.db);
  const service = createCatalogueService({ ...deps, db });
  return {
    service,
    /** "Thủ tục hành chính" in the header; procedure administration on the officers' desk. */
    navigation: catalogueNavigation({ service, agenciesWhere: deps.agenciesWhere }),
    /** A procedure in the national portal's LayThuTuc shape (sync's DVCQG adapter answers LayThuTuc with it). */
    layThuTuc: layThuTucOf(service),
    async routes(app: AppInstance) {
      await app.register(catalogueApiRoutes, { service });
      await app.register(cataloguePages, { service });
      await app.register(catalogueAdminPages, { service });
    },
  };
}
