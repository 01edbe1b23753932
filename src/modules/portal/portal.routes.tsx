/** The portal's own pages: home, site-wide search and the officers' desk. Hidden from the OpenAPI document. */

import type { AppInstance } from '../../platform/http/index.ts';
import { access } from '../../platform/http/index.ts';
import { nfc } from '../../platform/i18n/index.ts';
import { pageLocale, sendPage } from '../../platform/web/index.ts';
import type { AgenciesService } from '../agencies/index.ts';
import type { CatalogueService } from '../catalogue/index.ts';
import { DeskPage } from './pages/desk.page.tsx';
import { type Figures, HomePage, type PopularProcedure } from './pages/home.page.tsx';
import { SearchPage, type SearchResults } from './pages/search.page.tsx';
import { DESK_PATH } from './portal.navigation.ts';
import { HomeQuery, SearchQuery } from './portal.schemas.ts';

export interface PortalRoutesOptions {
  agencies: Pick<AgenciesService, 'listAgencies' | 'listAdminUnits' | 'figures'>;
  /** The procedure catalogue: the portal search finds procedures first. */
  catalogue?: Pick<CatalogueService, 'search'>;
}

const PROCEDURE_LIMIT = 10;

/** The most-used procedures on the home page. */
const POPULAR_LIMIT = 5;

const AGENCY_LIMIT = 50;

export async function portalRoutes(app: AppInstance, { agencies, catalogue }: PortalRoutesOptions) {
  app.get(
    '/',
    { config: { access: access.public }, schema: { hide: true, querystring: HomeQuery } },
    async (request, reply) => {
      // The figures and the most-used procedures are niceties: the home page opens without them.
      const [figures, popular, services] = await Promise.all([
        agencies.figures().catch((err: unknown): Figures | undefined => {
          request.log.warn({ err }, 'home page figures unavailable');
          return undefined;
        }),
        catalogue
          ? catalogue
              // No words: every published procedure, the most used first.
              .search({ limit: POPULAR_LIMIT, facets: false })
              .then((r) => r.items.map((p): PopularProcedure => ({ code: p.code, name: p.name })))
              .catch((err: unknown): PopularProcedure[] => {
                request.log.warn({ err }, 'home page procedures unavailable');
                return [];
              })
          : [],
        app.navigation.resolveHome(request),
      ]);
      return sendPage(
        request,
        reply,
        <HomePage
          locale={pageLocale(request)}
          path={request.url}
          figures={figures}
          popular={popular}
          services={services}
        />,
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

  // Any signed-in officer; each card shows only what the officer's roles allow.
  app.get(
    DESK_PATH,
    { config: { access: access.account('officer') }, schema: { hide: true, querystring: HomeQuery } },
    async (request, reply) => {
      const cards = await app.navigation.resolveDesk(request);
      return sendPage(
        request,
        reply,
        <DeskPage
          locale={pageLocale(request)}
          path={request.url}
          name={request.viewer?.name ?? ''}
          cards={cards}
        />,
      );
    },
  );
}
