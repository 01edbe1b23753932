/** Site-wide search results: agencies and provinces/cities, diacritics optional. */

import type { Locale, Text } from '../../../platform/i18n/index.ts';
import { Layout, LinkList, type LinkListItem, Notice, PageHeading } from '../../../platform/web/index.ts';
import {
  type AdminUnit,
  type AgenciesService,
  agencyKindLabel,
  unitKindLabel,
} from '../../agencies/index.ts';
import type { SearchResult as ProcedureResults } from '../../catalogue/index.ts';
import { SearchForm } from './search-form.tsx';

export type AgencyHit = Awaited<ReturnType<AgenciesService['listAgencies']>>['items'][number];

export interface SearchResults {
  agencies: AgencyHit[];
  units: AdminUnit[];
  /** The most agencies asked for; reaching it means there may be more. */
  agencyLimit: number;
  /** Procedures of the catalogue, best first (absent when the catalogue is not wired). */
  procedures?: ProcedureResults;
}

const WORDS = {
  title: { vi: 'Tìm kiếm', en: 'Search' },
  resultsTitle: { vi: 'Kết quả tìm kiếm', en: 'Search results' },
  lead: {
    vi: 'Tìm thủ tục hành chính, cơ quan nhà nước và tỉnh, thành phố theo tên hoặc mã.',
    en: 'Find administrative procedures, state agencies, provinces and cities by name or code.',
  },
  procedures: { vi: 'Thủ tục hành chính', en: 'Administrative procedures' },
  noProcedures: { vi: 'Không có thủ tục nào phù hợp.', en: 'No matching procedure.' },
  allProcedures: {
    vi: 'Xem tất cả thủ tục phù hợp, lọc theo lĩnh vực, cơ quan',
    en: 'See all matching procedures, with filters',
  },
  readAs: { vi: 'Đã tìm theo', en: 'Searched for' },
  emptyQuery: { vi: 'Bạn muốn tìm gì?', en: 'What are you looking for?' },
  emptyQueryBody: {
    vi: 'Nhập tên hoặc mã của cơ quan, tỉnh, thành phố vào ô tìm kiếm. Có thể gõ không dấu: “ha noi” sẽ tìm thấy Hà Nội.',
    en: 'Type the name or code of an agency, province or city. Accents are optional: “ha noi” finds Hà Nội.',
  },
  agencies: { vi: 'Cơ quan', en: 'Agencies' },
  units: { vi: 'Tỉnh, thành phố', en: 'Provinces and cities' },
  noAgencies: { vi: 'Không có cơ quan nào phù hợp.', en: 'No matching agency.' },
  noUnits: { vi: 'Không có tỉnh, thành phố nào phù hợp.', en: 'No matching province or city.' },
  nothing: { vi: 'Không tìm thấy kết quả phù hợp', en: 'Nothing found' },
  nothingBody: {
    vi: 'Hãy thử từ khóa ngắn hơn, kiểm tra chính tả hoặc tìm theo mã (ví dụ “BTC”, “01”).',
    en: 'Try a shorter word, check the spelling or search by code (e.g. “BTC”, “01”).',
  },
  more: {
    vi: 'Chỉ hiển thị các kết quả đầu tiên; hãy nhập từ khóa cụ thể hơn để thu hẹp kết quả.',
    en: 'Only the first results are shown; type a more specific word to narrow them down.',
  },
  code: { vi: 'Mã', en: 'Code' },
  identifier: { vi: 'Mã định danh', en: 'Identifier' },
} as const satisfies Record<string, Text>;

/** In English a name without an English form stays Vietnamese, marked so screen readers say it right. */
function localName(name: string, nameEn: string | null, locale: Locale): { label: string; lang?: string } {
  if (locale === 'en') return nameEn !== null ? { label: nameEn } : { label: name, lang: 'vi' };
  return { label: name };
}

function agencyItem(a: AgencyHit, locale: Locale): LinkListItem {
  const parts = [`${WORDS.code[locale]} ${a.code}`, agencyKindLabel(a.kind, locale)];
  if (a.identifiers.length > 0) parts.push(`${WORDS.identifier[locale]} ${a.identifiers.join(', ')}`);
  return {
    href: `/co-quan/${encodeURIComponent(a.code)}`,
    ...localName(a.name, a.nameEn, locale),
    meta: parts.join(' · '),
  };
}

function unitItem(u: AdminUnit, locale: Locale): LinkListItem {
  return {
    href: `/don-vi-hanh-chinh/${encodeURIComponent(u.code)}`,
    ...localName(u.name, u.nameEn, locale),
    meta: `${WORDS.code[locale]} ${u.code} · ${unitKindLabel(u.kind, locale)}`,
  };
}

export function SearchPage({
  locale,
  path,
  q,
  results,
}: {
  locale: Locale;
  path: string;
  /** The trimmed query; empty when nothing was asked. */
  q: string;
  /** Undefined when there was no query. */
  results: SearchResults | undefined;
}) {
  const title = q === '' ? WORDS.title[locale] : `${WORDS.resultsTitle[locale]}: ${q}`;
  return (
    <Layout locale={locale} title={title} path={path} breadcrumbs={[{ label: WORDS.title[locale] }]}>
      <PageHeading
        title={q === '' ? WORDS.title[locale] : WORDS.resultsTitle[locale]}
        lead={WORDS.lead[locale]}
      />
      <SearchForm locale={locale} q={q} />
      {results === undefined ? (
        <Notice title={WORDS.emptyQuery[locale]}>
          <p>{WORDS.emptyQueryBody[locale]}</p>
        </Notice>
      ) : (
        <SearchResultsView locale={locale} q={q} results={results} />
      )}
    </Layout>
  );
}

function SearchResultsView({ locale, q, results }: { locale: Locale; q: string; results: SearchResults }) {
  const procedures = results.procedures;
  const nothing =
    results.agencies.length === 0 && results.units.length === 0 && (procedures?.items.length ?? 0) === 0;
  return (
    <div class="search-results">
      {nothing ? (
        <Notice kind="warning" title={`${WORDS.nothing[locale]}: “${q}”`}>
          <p>{WORDS.nothingBody[locale]}</p>
        </Notice>
      ) : null}
      {procedures !== undefined ? (
        <section class="section" aria-labelledby="ket-qua-thu-tuc">
          <h2 id="ket-qua-thu-tuc">
            {WORDS.procedures[locale]} ({procedures.total})
          </h2>
          {procedures.interpretedAs ? (
            <p class="hint">
              {WORDS.readAs[locale]}: “{procedures.interpretedAs}”
            </p>
          ) : null}
          <LinkList
            items={procedures.items.map((p) => ({
              href: `/thu-tuc/${encodeURIComponent(p.code)}`,
              label: p.name,
              lang: 'vi',
              meta: `${WORDS.code[locale]} ${p.code} · ${p.sectors.map((x) => x.name).join(', ')}`,
            }))}
            empty={WORDS.noProcedures[locale]}
          />
          {procedures.total > procedures.items.length ? (
            <p>
              <a href={`/thu-tuc?q=${encodeURIComponent(q)}`}>{WORDS.allProcedures[locale]}</a>
            </p>
          ) : null}
        </section>
      ) : null}
      <section class="section" aria-labelledby="ket-qua-don-vi">
        <h2 id="ket-qua-don-vi">
          {WORDS.units[locale]} ({results.units.length})
        </h2>
        <LinkList items={results.units.map((u) => unitItem(u, locale))} empty={WORDS.noUnits[locale]} />
      </section>
      <section class="section" aria-labelledby="ket-qua-co-quan">
        <h2 id="ket-qua-co-quan">
          {WORDS.agencies[locale]} ({results.agencies.length})
        </h2>
        <LinkList
          items={results.agencies.map((a) => agencyItem(a, locale))}
          empty={WORDS.noAgencies[locale]}
        />
        {results.agencies.length >= results.agencyLimit ? <p class="hint">{WORDS.more[locale]}</p> : null}
      </section>
    </div>
  );
}
