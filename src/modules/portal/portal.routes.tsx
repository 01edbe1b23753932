/** The portal's own pages: home and site-wide search. Hidden from the OpenAPI document. */

import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import { nfc } from '../../platform/i18n/index.ts';
import { pageLocale, sendPage } from '../../platform/web/index.ts';
import type { AgenciesService } from '../agencies/index.ts';
import type { CatalogueService } from '../catalogue/index.ts';
import { type Figures, HomePage } from './pages/home.page.tsx';
import { SearchPage, type SearchResults } from './pages/search.page.tsx';
import { HomeQuery, SearchQuery } from './portal.schemas.ts';

export interface PortalRoutesOptions {
  agencies: Pick<AgenciesService, 'listAgencies' | 'listAdminUnits' | 'figures'>;
  /** The procedure catalogue: the portal search finds procedures first. */
  catalogue?: Pick<CatalogueService, 'search'>;
}

const PROCEDURE_LIMIT = 10;

const AGENCY_LIMIT = 50;

export async function portalRoutes(app: AppInstance, { agencies, catalogue }: PortalRoutesOptions) {
  app.get(
    '/',
    { config: { access: access.public }, schema: { hide: true, querystring: HomeQuery } },
    async (request, reply) => {
      let figures: Figures | undefined;
      try {
        figures = await agencies.figures();
      } catch (err) {
        // The home page must open even when the figures cannot be read; they are a nicety.
        request.log.warn({ err }, 'home page figures unavailable');
      }
      return sendPage(
        request,
        reply,
        <HomePage locale={pageLocale(request)} path={request.url} figures={figures} />,
      );
    },
  );

  app.get(
    '/tim-kiem',
    { config: { access: access.public }, schema: { hide: true, querystring: SearchQuery } },
    async (request, reply) => {
      const q = nfc(request.query.q ?? '').trim();
      let results: SearchResults | undefined;
      if (q !== '') {
        const [agencyList, unitList, procedures] = await Promise.all([
          agencies.listAgencies({ q, limit: AGENCY_LIMIT }),
          agencies.listAdminUnits({ q, level: 'province' }),
          catalogue?.search({ q, limit: PROCEDURE_LIMIT, facets: false }),
        ]);
        results = {
          agencies: agencyList.items,
          units: unitList.items,
          agencyLimit: AGENCY_LIMIT,
          ...(procedures ? { procedures } : {}),
        };
      }
      return sendPage(
        request,
        reply,
        <SearchPage locale={pageLocale(request)} path={request.url} q={q} results={results} />,
      );
    },
  );
}
