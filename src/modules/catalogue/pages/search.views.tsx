/**
 * Server-rendered views of catalogue search: the search form, the facets, the result list and the
 * search page (the whole catalogue, a sector's or an agency's listing). Every view works without
 * JavaScript; the suggestion script only enhances the form.
 */
import type { Locale } from '../../../platform/i18n/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading } from '../../../platform/web/index.ts';
import type { SearchResult } from '../catalogue.service.ts';
import { ASSET_CSS, ASSET_JS } from './assets.ts';
import { FACET_TITLES, facetLabel, levelLabel, onlineLabel } from './labels.ts';

export interface SearchFilters {
  q: string;
  sector?: string | undefined;
  agency?: string | undefined;
  province?: string | undefined;
  level?: string | undefined;
  audience?: string | undefined;
  online?: string | undefined;
}

const FILTER_KEYS = ['sector', 'agency', 'province', 'level', 'audience', 'online'] as const;

/** A search URL with the current filters, one changed (undefined removes it). */
export function searchHref(
  base: string,
  f: SearchFilters,
  change: Partial<SearchFilters> = {},
  locale?: Locale,
  cursor?: string,
) {
  const p = new URLSearchParams();
  const all = { ...f, ...change };
  if (all.q) p.set('q', all.q);
  for (const k of FILTER_KEYS) if (all[k]) p.set(k, all[k]!);
  if (locale === 'en') p.set('lang', 'en');
  if (cursor) p.set('cursor', cursor);
  const qs = p.toString();
  return qs ? `${base}?${qs}` : base;
}

export function ProcedureSearchForm({
  locale,
  q,
  action = '/thu-tuc',
  hidden = {},
}: {
  locale: Locale;
  q: string;
  action?: string;
  hidden?: Record<string, string | undefined>;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the older phone browsers we support
    <form class="search-form catalogue-search" action={action} method="get" role="search">
      <label for="q-thu-tuc">
        {tx(locale, 'Tìm thủ tục hành chính', 'Find an administrative procedure')}
      </label>
      <p id="q-thu-tuc-goi-y" class="hint">
        {tx(
          locale,
          'Gõ có dấu hoặc không dấu, ví dụ: “chung thuc ban sao”, “đăng ký khai sinh”, “doi gplx”, hoặc mã thủ tục “2.000815”.',
          'With or without Vietnamese accents, e.g. “chung thuc ban sao”, “đăng ký khai sinh”, “doi gplx”, or a code “2.000815”.',
        )}
      </p>
      <div class="search-box">
        <input
          type="search"
          id="q-thu-tuc"
          name="q"
          value={q}
          maxLength={200}
          aria-describedby="q-thu-tuc-goi-y"
          autocomplete="off"
          enterKeyHint="search"
          data-suggest="true"
        />
        {Object.entries(hidden).map(([k, v]) =>
          v ? <input key={k} type="hidden" name={k} value={v} /> : null,
        )}
        {locale === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
        <button type="submit">{tx(locale, 'Tìm kiếm', 'Search')}</button>
      </div>
    </form>
  );
}

function Facets({
  locale,
  base,
  filters,
  result,
  fixed,
}: {
  locale: Locale;
  base: string;
  filters: SearchFilters;
  result: SearchResult;
  /** Filters set by the page itself (a sector or agency listing): removing one goes to the whole catalogue. */
  fixed: readonly string[];
}) {
  const groups = FILTER_KEYS.filter((k) => result.facets[k].length > 0 || filters[k]);
  if (groups.length === 0) return null;
  return (
    <nav class="facets" aria-labelledby="bo-loc">
      <h2 id="bo-loc">{tx(locale, 'Lọc kết quả', 'Filter results')}</h2>
      {groups.map((k) => (
        <section key={k}>
          <h3>{FACET_TITLES[k]![locale]}</h3>
          <ul>
            {filters[k] ? (
              <li class="selected">
                {facetLabel(
                  k,
                  filters[k]!,
                  result.facets[k].find((f) => f.value === filters[k])?.label ?? filters[k]!,
                  locale,
                )}{' '}
                <a
                  href={searchHref(
                    fixed.includes(k) ? '/thu-tuc' : base,
                    filters,
                    { [k]: undefined },
                    locale,
                  )}
                >
                  {tx(locale, '(bỏ lọc)', '(remove)')}
                </a>
              </li>
            ) : (
              result.facets[k].slice(0, 12).map((f) => (
                <li key={f.value}>
                  <a href={searchHref(base, filters, { [k]: f.value }, locale)}>
                    {facetLabel(k, f.value, f.label, locale)}
                  </a>{' '}
                  <span class="count">({f.count.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')})</span>
                </li>
              ))
            )}
          </ul>
        </section>
      ))}
    </nav>
  );
}

export function ResultList({ locale, result }: { locale: Locale; result: SearchResult }) {
  return (
    <ol class="results">
      {result.items.map((i) => (
        <li key={i.code}>
          <h3>
            <a href={`/thu-tuc/${encodeURIComponent(i.code)}${locale === 'en' ? '?lang=en' : ''}`} lang="vi">
              {i.name}
            </a>
          </h3>
          <p class="meta">
            <span class={`badge badge--${i.onlineLevel}`}>{onlineLabel(i.onlineLevel, locale)}</span>
            {tx(locale, 'Mã', 'Code')} {i.code} · {i.sectors.map((s) => s.name).join(', ')} ·{' '}
            {i.levels.map((l) => levelLabel(l, locale)).join(', ')}
            {i.localVersions > 0
              ? tx(
                  locale,
                  ` · có phiên bản địa phương tại ${i.localVersions} tỉnh, thành phố (chọn tỉnh để xem)`,
                  ` · local versions in ${i.localVersions} provinces (choose a province to see them)`,
                )
              : ''}
          </p>
        </li>
      ))}
    </ol>
  );
}

export function SearchPage(props: {
  locale: Locale;
  path: string;
  base: string;
  title: string;
  lead?: string;
  filters: SearchFilters;
  result: SearchResult;
  bundles: Array<{ code: string; name: string; nameEn: string | null }>;
  crumbs: Array<{ href?: string; label: string }>;
  fixed?: Record<string, string | undefined>;
  /** Filters fixed by the page (sector or agency listing). */
  fixedKeys?: readonly string[];
}) {
  const { locale, filters, result } = props;
  const n = result.total.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB');
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={props.title}
      path={props.path}
      breadcrumbs={props.crumbs}
    >
      <PageHeading title={props.title} {...(props.lead ? { lead: props.lead } : {})} />
      <ProcedureSearchForm locale={locale} q={filters.q} action={props.base} hidden={props.fixed ?? {}} />
      {result.interpretedAs ? (
        <Notice
          title={tx(
            locale,
            `Kết quả cho “${result.interpretedAs}”`,
            `Showing results for “${result.interpretedAs}”`,
          )}
        >
          <p>
            {tx(
              locale,
              `Không có thủ tục nào chứa đúng “${result.q}”; đã tìm theo từ gần nhất.`,
              `No procedure contains exactly “${result.q}”; the nearest words were used.`,
            )}
          </p>
        </Notice>
      ) : null}
      {props.bundles.length > 0 ? (
        <Notice title={tx(locale, 'Nhóm thủ tục liên thông', 'Life-event bundles')}>
          <ul>
            {props.bundles.map((b) => (
              <li key={b.code}>
                <a href={`/thu-tuc/lien-thong/${b.code}`}>
                  {locale === 'en' && b.nameEn ? b.nameEn : b.name}
                </a>
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <div class="catalogue-layout">
        <Facets
          locale={locale}
          base={props.base}
          filters={filters}
          result={result}
          fixed={props.fixedKeys ?? []}
        />
        <section aria-labelledby="ket-qua" class="results-section">
          <h2 id="ket-qua">
            {filters.q
              ? tx(locale, `${n} thủ tục phù hợp`, `${n} matching procedures`)
              : tx(locale, `${n} thủ tục`, `${n} procedures`)}
          </h2>
          {result.items.length === 0 ? (
            <Notice
              kind="warning"
              title={tx(locale, 'Không tìm thấy thủ tục phù hợp', 'No matching procedure')}
            >
              <p>
                {tx(
                  locale,
                  'Hãy thử từ khóa ngắn hơn, bỏ bớt bộ lọc hoặc tìm theo mã thủ tục.',
                  'Try fewer words, remove a filter, or search by procedure code.',
                )}
              </p>
            </Notice>
          ) : (
            <ResultList locale={locale} result={result} />
          )}
          {result.nextCursor ? (
            <p class="pager">
              <a href={searchHref(props.base, filters, {}, locale, result.nextCursor)} rel="next">
                {tx(locale, 'Trang sau →', 'Next page →')}
              </a>
            </p>
          ) : null}
        </section>
      </div>
      <script src={ASSET_JS} defer />
    </Layout>
  );
}
