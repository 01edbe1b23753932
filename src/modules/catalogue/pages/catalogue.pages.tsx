/**
 * Public pages of the catalogue: search with facets (/thu-tuc), the procedure page, its printable form,
 * listings by sector and by agency, life-event bundles, and the online-filing entry point. Hidden from
 * the OpenAPI document.
 */
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { NotFoundError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { nfc, tx } from '../../../platform/i18n/index.ts';
import { pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { ASSET_CSS, ASSET_JS } from './assets.ts';
import { PrintableFormPage, ProcedurePage } from './procedure.views.tsx';
import { type SearchFilters, SearchPage } from './search.views.tsx';
import { BundlePage, SectorsPage } from './sectors-bundles.views.tsx';

const Lang = Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')]));
const Filter = Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]*$' }));
const SearchPageQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  sector: Filter,
  agency: Filter,
  province: Type.Optional(Type.String({ pattern: '^([0-9]{2})?$' })),
  level: Filter,
  audience: Filter,
  online: Filter,
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  lang: Lang,
});
const CodeParams = Type.Object({
  code: Type.String({ maxLength: 40, pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$' }),
});
const ProcedurePageQuery = Type.Object({
  'phien-ban': Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  trang: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Literal('')])),
  ban: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Literal('')])),
  lang: Lang,
});
const LangOnly = Type.Object({ lang: Lang });
const FilterParams = Type.Object({ code: Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$' }) });
const BundleParams = Type.Object({ code: Type.String({ pattern: '^LT-[A-Z0-9-]{1,37}$' }) });

const read = (name: string) => fs.readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

const LEVELS = new Set(['central', 'province', 'commune']);
const AUDIENCES = new Set(['citizen', 'business', 'organisation', 'state-agency']);
const ONLINE = new Set(['full', 'partial', 'none']);

export async function cataloguePages(app: AppInstance, { service }: { service: CatalogueService }) {
  const css = read('catalogue.css');
  const js = read('suggest.js');
  const pub = { access: access.public };

  app.get(ASSET_CSS, { config: pub, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
  app.get(ASSET_JS, { config: pub, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(js),
  );

  /** One search page, for /thu-tuc and the sector and agency listings (their filter fixed by the path). */
  async function searchPage(
    request: FastifyRequest,
    reply: FastifyReply,
    query: Static<typeof SearchPageQuery>,
    page: {
      base: string;
      title: string;
      lead?: string;
      crumbs: Array<{ href?: string; label: string }>;
      fixed?: Partial<SearchFilters>;
    },
  ) {
    const locale = pageLocale(request);
    // Unknown values of closed lists are dropped (a hand-edited URL must not become an error page).
    const filters: SearchFilters = {
      q: nfc(query.q ?? '').trim(),
      sector: query.sector || undefined,
      agency: query.agency || undefined,
      province: query.province || undefined,
      level: query.level && LEVELS.has(query.level) ? query.level : undefined,
      audience: query.audience && AUDIENCES.has(query.audience) ? query.audience : undefined,
      online: query.online && ONLINE.has(query.online) ? query.online : undefined,
      ...page.fixed,
    };
    const result = await service.search({ ...filters, q: filters.q, limit: 20, cursor: query.cursor });
    const bundles = filters.q ? await service.matchingBundles(result.interpretedAs ?? filters.q) : [];
    return sendPage(
      request,
      reply,
      <SearchPage
        locale={locale}
        path={request.url}
        base={page.base}
        title={page.title}
        {...(page.lead ? { lead: page.lead } : {})}
        filters={filters}
        result={result}
        bundles={bundles}
        crumbs={page.crumbs}
        fixed={{}}
        fixedKeys={Object.keys(page.fixed ?? {})}
      />,
    );
  }

  app.get(
    '/thu-tuc',
    { config: pub, schema: { hide: true, querystring: SearchPageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      return searchPage(request, reply, request.query, {
        base: '/thu-tuc',
        title: tx(locale, 'Thủ tục hành chính', 'Administrative procedures'),
        lead: tx(
          locale,
          'Tra cứu thủ tục hành chính: giấy tờ cần nộp, phí, lệ phí, thời hạn giải quyết, cơ quan thực hiện và nộp hồ sơ trực tuyến.',
          'Look up administrative procedures: documents, fees, time limits, the agency that handles them, and online filing.',
        ),
        crumbs: [{ label: tx(locale, 'Thủ tục hành chính', 'Procedures') }],
      });
    },
  );

  app.get(
    '/thu-tuc/linh-vuc',
    { config: pub, schema: { hide: true, querystring: LangOnly } },
    async (request, reply) =>
      sendPage(
        request,
        reply,
        <SectorsPage locale={pageLocale(request)} path={request.url} sectors={await service.sectors()} />,
      ),
  );

  app.get(
    '/thu-tuc/linh-vuc/:code',
    { config: pub, schema: { hide: true, params: FilterParams, querystring: SearchPageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const sector = await service.sector(request.params.code);
      return searchPage(request, reply, request.query, {
        base: `/thu-tuc/linh-vuc/${encodeURIComponent(sector.code)}`,
        title: `${tx(locale, 'Lĩnh vực', 'Sector')}: ${locale === 'en' && sector.nameEn ? sector.nameEn : sector.name}`,
        crumbs: [
          { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
          { href: '/thu-tuc/linh-vuc', label: tx(locale, 'Lĩnh vực', 'Sectors') },
          { label: sector.name },
        ],
        fixed: { sector: sector.code },
      });
    },
  );

  app.get(
    '/thu-tuc/co-quan/:code',
    { config: pub, schema: { hide: true, params: FilterParams, querystring: SearchPageQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const code = request.params.code.toUpperCase();
      const name = await service.agencyName(code);
      if (!name) throw new NotFoundError(`Không có cơ quan mã ${code}.`);
      return searchPage(request, reply, request.query, {
        base: `/thu-tuc/co-quan/${encodeURIComponent(code)}`,
        title: `${tx(locale, 'Thủ tục của', 'Procedures of')} ${name}`,
        crumbs: [
          { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
          { label: name },
        ],
        fixed: { agency: code },
      });
    },
  );

  app.get(
    '/thu-tuc/lien-thong/:code',
    { config: pub, schema: { hide: true, params: BundleParams, querystring: LangOnly } },
    async (request, reply) =>
      sendPage(
        request,
        reply,
        <BundlePage
          locale={pageLocale(request)}
          path={request.url}
          b={await service.bundle(request.params.code)}
        />,
      ),
  );

  app.get(
    '/thu-tuc/:code',
    { config: pub, schema: { hide: true, params: CodeParams, querystring: ProcedurePageQuery } },
    async (request, reply) => {
      const q = request.query;
      const p = await service.getProcedure(request.params.code.toUpperCase(), { version: q['phien-ban'] });
      const fee =
        typeof q.trang === 'number'
          ? { units: q.trang, quantity: typeof q.ban === 'number' ? q.ban : 1 }
          : undefined;
      return sendPage(
        request,
        reply,
        <ProcedurePage locale={pageLocale(request)} path={request.url} p={p} fee={fee} />,
      );
    },
  );

  app.get(
    '/thu-tuc/:code/to-khai',
    { config: pub, schema: { hide: true, params: CodeParams, querystring: LangOnly } },
    async (request, reply) => {
      const p = await service.getProcedure(request.params.code.toUpperCase());
      return sendPage(
        request,
        reply,
        <PrintableFormPage locale={pageLocale(request)} path={request.url} p={p} />,
      );
    },
  );

  // Links from before online filing opened lead to it (the dossiers module's /ho-so/nop/{code}).
  app.get(
    '/nop-ho-so/:code',
    { config: pub, schema: { hide: true, params: CodeParams, querystring: LangOnly } },
    async (request, reply) => {
      const p = await service.getProcedure(request.params.code.toUpperCase());
      return reply.redirect(`/ho-so/nop/${encodeURIComponent(p.code)}`, 301);
    },
  );
}
