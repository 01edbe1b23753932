/** Server-rendered views of the public catalogue. Every view works without JavaScript. */
import type { ComponentChildren } from 'preact';
import type { Locale } from '../../../platform/i18n/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { documentsOf } from '../../../platform/kernel/index.ts';
import { DateText, Layout, Notice, PageHeading } from '../../../platform/web/index.ts';
import type { CatalogueService, SearchResult } from '../catalogue.service.ts';
import { computeFee, describeFormula, FeeInputError, formatDong } from '../domain/fees.ts';
import {
  audienceLabel,
  channelLabel,
  FACET_TITLES,
  facetLabel,
  levelLabel,
  onlineLabel,
  paymentLabel,
  unitLabel,
} from './labels.ts';

export const ASSET_CSS = '/thu-tuc/tai-nguyen/catalogue.css';
export const ASSET_JS = '/thu-tuc/tai-nguyen/goi-y.js';

export type ProcedureDetail = Awaited<ReturnType<CatalogueService['getProcedure']>>;

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

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="procedure-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function ProcedurePage({
  locale,
  path,
  p,
  fee,
  preview,
}: {
  locale: Locale;
  path: string;
  p: ProcedureDetail;
  /** A fee worked out for the pages/copies the visitor typed (the certified-copy calculator). */
  fee?: { units?: number; quantity?: number } | undefined;
  /** An officer's preview of a version that is not public (its state, in words). */
  preview?: string | undefined;
}) {
  const c = p.content;
  const online = c.channels.some((ch) => ch.channel === 'online') && c.onlineLevel !== 'none';
  const docs = documentsOf(c);
  const tiered = c.channels
    .flatMap((ch) => ch.times.flatMap((t) => t.fees))
    .find((f) => f.formula.type === 'tiered');
  let feeResult: string | undefined;
  if (tiered && fee?.units !== undefined) {
    try {
      feeResult = formatDong(
        computeFee(tiered.formula, { units: fee.units, quantity: fee.quantity ?? 1 }),
        locale,
      );
    } catch (e) {
      feeResult = e instanceof FeeInputError ? e.message : undefined;
    }
  }
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={c.name}
      path={path}
      description={c.summary ?? c.name}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { label: p.code },
      ]}
    >
      <PageHeading title={c.name}>
        {locale === 'en' && c.nameEn ? (
          <p class="lead" lang="en">
            {c.nameEn}
          </p>
        ) : null}
        {c.summary ? <p class="lead">{c.summary}</p> : null}
      </PageHeading>
      {preview ? (
        <Notice
          kind="warning"
          title={tx(
            locale,
            `Bản xem trước: phiên bản ${p.version} (${preview})`,
            `Preview: version ${p.version} (${preview})`,
          )}
        >
          <p>
            {tx(locale, 'Công dân chưa thấy phiên bản này. ', 'Citizens do not see this version yet. ')}
            <a href={`/quan-tri/thu-tuc/${encodeURIComponent(p.code)}`}>
              {tx(locale, '← Quay lại quản trị thủ tục', '← Back to the procedure administration')}
            </a>
          </p>
        </Notice>
      ) : null}
      {p.state === 'pending-withdrawal' ? (
        <Notice
          kind="warning"
          title={tx(locale, 'Thủ tục sắp dừng công khai', 'This procedure is about to be withdrawn')}
        >
          <p>
            {tx(
              locale,
              'Cơ quan công bố đã đề nghị dừng công khai thủ tục này.',
              'The publishing agency has asked to withdraw it.',
            )}
          </p>
        </Notice>
      ) : null}
      <dl class="facts">
        <div>
          <dt>{tx(locale, 'Mã thủ tục', 'Code')}:</dt>
          <dd>
            <code>{p.code}</code> · {tx(locale, 'phiên bản', 'version')} {p.version} ·{' '}
            {tx(locale, 'công khai ngày', 'published')} <DateText date={new Date(p.publishedAt)} />
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Lĩnh vực', 'Sector')}:</dt>
          <dd>
            {p.sectors.map((s, i) => (
              <span key={s.code}>
                {i > 0 ? ', ' : ''}
                <a href={`/thu-tuc/linh-vuc/${encodeURIComponent(s.code)}`}>{s.name}</a>
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Cơ quan công bố', 'Published by')}:</dt>
          <dd>
            <a href={`/thu-tuc/co-quan/${encodeURIComponent(p.ownerAgency.code)}`}>{p.ownerAgency.name}</a>
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Cơ quan thực hiện', 'Handled by')}:</dt>
          <dd>{c.implementingAgencies.map((a) => a.name).join('; ')}</dd>
        </div>
        <div>
          <dt>{tx(locale, 'Cấp thực hiện', 'Level')}:</dt>
          <dd>{c.levels.map((l) => levelLabel(l, locale)).join(', ')}</dd>
        </div>
        <div>
          <dt>{tx(locale, 'Đối tượng thực hiện', 'Who applies')}:</dt>
          <dd>{c.audiences.map((a) => audienceLabel(a, locale)).join(', ')}</dd>
        </div>
        <div>
          <dt>{tx(locale, 'Mức độ dịch vụ', 'Online service')}:</dt>
          <dd>
            <span class={`badge badge--${c.onlineLevel}`}>{onlineLabel(c.onlineLevel, locale)}</span>
            {c.legacyLevel
              ? tx(
                  locale,
                  `(mức độ ${c.legacyLevel} theo Nghị định 43/2011/NĐ-CP)`,
                  `(level ${c.legacyLevel} under Decree 43/2011)`,
                )
              : null}
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Phí, lệ phí', 'Fees')}:</dt>
          <dd>{paymentLabel(c.payment, locale)}</dd>
        </div>
      </dl>
      <div class="procedure-actions">
        {online && !preview ? (
          <a class="button" href={`/ho-so/nop/${encodeURIComponent(p.code)}`}>
            {tx(locale, 'Nộp hồ sơ trực tuyến', 'File online')}
          </a>
        ) : (
          <p class="hint">
            {tx(
              locale,
              'Thủ tục này chưa nộp trực tuyến được; hãy nộp trực tiếp tại cơ quan thực hiện.',
              'This procedure cannot be filed online yet; apply in person.',
            )}
          </p>
        )}
        <a href={`/api/v1/procedures/${encodeURIComponent(p.code)}`}>
          {tx(locale, 'Dữ liệu (JSON)', 'Data (JSON)')}
        </a>
      </div>
      {c.after15hRule ? (
        <Notice title={tx(locale, 'Quy định tiếp nhận sau 15 giờ', 'The 15:00 rule')}>
          <p>
            {tx(
              locale,
              'Hồ sơ tiếp nhận sau 15 giờ được giải quyết trong ngày làm việc tiếp theo.',
              'A dossier received after 15:00 is handled on the next working day.',
            )}
          </p>
        </Notice>
      ) : null}

      <Section
        id="cach-thuc"
        title={tx(locale, 'Cách thức, thời hạn và phí, lệ phí', 'How to apply, time limits and fees')}
      >
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
        <section class="table-scroll" tabIndex={0} aria-label={tx(locale, 'Cách thức thực hiện', 'Channels')}>
          <table class="data-table">
            <caption>{tx(locale, 'Cách thức thực hiện', 'Channels')}</caption>
            <thead>
              <tr>
                <th scope="col">{tx(locale, 'Hình thức nộp', 'Channel')}</th>
                <th scope="col">{tx(locale, 'Thời hạn giải quyết', 'Time limit')}</th>
                <th scope="col">{tx(locale, 'Phí, lệ phí', 'Fees')}</th>
              </tr>
            </thead>
            <tbody>
              {c.channels.flatMap((ch) =>
                ch.times.map((t, i) => (
                  <tr key={`${ch.channel}-${i}`}>
                    <td data-label={tx(locale, 'Hình thức nộp', 'Channel')}>
                      {channelLabel(ch.channel, locale)}
                    </td>
                    <td data-label={tx(locale, 'Thời hạn giải quyết', 'Time limit')}>
                      {t.amount.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}{' '}
                      {unitLabel(t.unit, locale)}
                      {t.description ? <p class="hint">{t.description}</p> : null}
                    </td>
                    <td data-label={tx(locale, 'Phí, lệ phí', 'Fees')}>
                      {t.fees.length === 0 ? tx(locale, 'Không quy định', 'None stated') : null}
                      <ul>
                        {t.fees.map((f) => (
                          <li key={f.name}>
                            {/^(lệ phí|phí)/i.test(f.name)
                              ? ''
                              : `${f.kind === 'le-phi' ? tx(locale, 'Lệ phí', 'Charge') : tx(locale, 'Phí', 'Fee')}: `}
                            {f.name} — {describeFormula(f.formula, locale)}
                            {f.note ? <p class="hint">{f.note}</p> : null}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </section>
        {tiered ? (
          <form class="fee-calculator" method="get" action={`/thu-tuc/${encodeURIComponent(p.code)}`}>
            <div>
              <label for="trang">{tx(locale, 'Số trang bản chính', 'Pages of the original')}</label>
              <input
                id="trang"
                name="trang"
                type="number"
                min={1}
                max={100000}
                inputMode="numeric"
                value={fee?.units ?? ''}
              />
            </div>
            <div>
              <label for="ban">{tx(locale, 'Số bản sao', 'Copies')}</label>
              <input
                id="ban"
                name="ban"
                type="number"
                min={1}
                max={100000}
                inputMode="numeric"
                value={fee?.quantity ?? 1}
              />
            </div>
            {locale === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
            <button type="submit" class="button--secondary">
              {tx(locale, 'Tính lệ phí', 'Work out the fee')}
            </button>
            {feeResult ? (
              <p role="status">
                <strong>
                  {tx(locale, 'Lệ phí', 'Fee')}: {feeResult}
                </strong>
              </p>
            ) : null}
          </form>
        ) : null}
      </Section>

      <Section id="thanh-phan" title={tx(locale, 'Thành phần hồ sơ', 'Documents to provide')}>
        {c.cases.map((cs, i) => (
          <div key={cs.name}>
            {c.cases.length > 1 ? (
              <h3>
                {tx(locale, `Trường hợp ${i + 1}: `, `Case ${i + 1}: `)}
                {cs.name}
              </h3>
            ) : null}
            {cs.documents.length === 0 ? (
              <p class="empty">{tx(locale, 'Không phải nộp giấy tờ.', 'No documents needed.')}</p>
            ) : (
              <ul>
                {cs.documents.map((d) => (
                  <li key={d.code}>
                    {d.name}
                    {d.required ? '' : tx(locale, ' (nếu có)', ' (if any)')} —{' '}
                    {tx(
                      locale,
                      `bản chính: ${d.originals}, bản sao: ${d.copies}`,
                      `originals: ${d.originals}, copies: ${d.copies}`,
                    )}
                    {d.template ? (
                      <>
                        {' · '}
                        {d.template.url ? (
                          <a href={d.template.url}>{d.template.name}</a>
                        ) : (
                          <span>
                            {tx(locale, 'Mẫu: ', 'Form: ')}
                            {d.template.name}
                          </span>
                        )}
                      </>
                    ) : null}
                    {d.note ? <p class="hint">{d.note}</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
        <p class="hint">
          {tx(
            locale,
            `Khi nộp trực tuyến, tờ khai điện tử có ${docs.length} ô đính kèm, mỗi giấy tờ một ô. `,
            `Filed online, the e-form has ${docs.length} upload slots, one per document. `,
          )}
          <a href={`/thu-tuc/${encodeURIComponent(p.code)}/to-khai`}>
            {tx(locale, 'Xem tờ khai (bản in)', 'See the form (printable)')}
          </a>
        </p>
      </Section>

      {c.steps.length > 0 ? (
        <Section id="trinh-tu" title={tx(locale, 'Trình tự thực hiện', 'Steps')}>
          <ol class="steps">
            {c.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </Section>
      ) : null}
      {c.conditions.length > 0 ? (
        <Section id="dieu-kien" title={tx(locale, 'Yêu cầu, điều kiện', 'Requirements')}>
          <ul class="conditions">
            {c.conditions.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id="ket-qua" title={tx(locale, 'Kết quả thực hiện', 'Result')}>
        <ul>
          {c.results.map((r) => (
            <li key={r.name}>{r.name}</li>
          ))}
        </ul>
      </Section>
      {c.legalBasis.length > 0 ? (
        <Section id="can-cu" title={tx(locale, 'Căn cứ pháp lý', 'Legal basis')}>
          <ul>
            {c.legalBasis.map((l) => (
              <li key={l.number}>
                <strong>{l.number}</strong> — {l.title}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {p.bundles.length > 0 ? (
        <Section id="lien-thong" title={tx(locale, 'Thủ tục liên thông', 'Part of a life-event bundle')}>
          <ul>
            {p.bundles.map((b) => (
              <li key={b.code}>
                <a href={`/thu-tuc/lien-thong/${b.code}`}>{b.name}</a>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {c.sourceNote ? (
        <Section id="nguon" title={tx(locale, 'Nguồn số liệu', 'Sources')}>
          <p class="hint">{c.sourceNote}</p>
        </Section>
      ) : null}
      {p.versions.length > 1 ? (
        <Section id="phien-ban" title={tx(locale, 'Các phiên bản đã công khai', 'Published versions')}>
          <ul>
            {p.versions.map((v) => (
              <li key={v.version}>
                <a href={`/thu-tuc/${encodeURIComponent(p.code)}?phien-ban=${v.version}`}>
                  {tx(locale, 'Phiên bản', 'Version')} {v.version}
                </a>{' '}
                — <DateText date={new Date(v.publishedAt)} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </Layout>
  );
}

export function PrintableFormPage({ locale, path, p }: { locale: Locale; path: string; p: ProcedureDetail }) {
  const field = (f: ProcedureDetail['content']['form']['fields'][number]): ComponentChildren => {
    const label = locale === 'en' && f.label.en ? f.label.en : f.label.vi;
    if (f.type === 'group')
      return (
        <li key={f.key}>
          <strong>{label}</strong>
          {f.repeatable ? tx(locale, ' (có thể kê khai nhiều lần)', ' (may repeat)') : ''}
          <ul>{f.fields.map((x) => field(x as typeof f))}</ul>
        </li>
      );
    const kind =
      f.type === 'id-number'
        ? tx(locale, 'số định danh 12 chữ số', '12-digit ID number')
        : f.type === 'address'
          ? tx(locale, 'tỉnh, xã và địa chỉ chi tiết', 'province, commune and street')
          : f.type === 'date'
            ? tx(locale, 'ngày/tháng/năm', 'dd/mm/yyyy')
            : f.type === 'choice'
              ? f.options.map((o) => (locale === 'en' && o.label.en ? o.label.en : o.label.vi)).join(' / ')
              : f.type === 'file'
                ? tx(locale, 'đính kèm giấy tờ', 'attach the document')
                : '';
    return (
      <li key={f.key}>
        {label}
        {f.required ? ' *' : ''}
        {kind ? <span class="hint"> ({kind})</span> : null}: ……………………………………
      </li>
    );
  };
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={`${tx(locale, 'Tờ khai', 'Form')}: ${p.content.name}`}
      path={path}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { href: `/thu-tuc/${p.code}`, label: p.code },
        { label: tx(locale, 'Tờ khai', 'Form') },
      ]}
    >
      <PageHeading
        title={p.content.name}
        lead={tx(
          locale,
          'Các thông tin cần kê khai (tờ khai điện tử, bản in). Dấu * là bắt buộc.',
          'What the e-form asks for (printable). * means required.',
        )}
      />
      <ol>{p.content.form.fields.map(field)}</ol>
    </Layout>
  );
}

export function SectorsPage({
  locale,
  path,
  sectors,
}: {
  locale: Locale;
  path: string;
  sectors: Awaited<ReturnType<CatalogueService['sectors']>>;
}) {
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={tx(locale, 'Lĩnh vực thủ tục hành chính', 'Sectors')}
      path={path}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { label: tx(locale, 'Lĩnh vực', 'Sectors') },
      ]}
    >
      <PageHeading title={tx(locale, 'Lĩnh vực thủ tục hành chính', 'Sectors')} />
      <ul class="link-list">
        {sectors
          .filter((s) => s.procedures > 0)
          .map((s) => (
            <li key={s.code}>
              <a href={`/thu-tuc/linh-vuc/${encodeURIComponent(s.code)}`}>
                {locale === 'en' && s.nameEn ? s.nameEn : s.name}
              </a>
              <span class="link-list__meta">
                {s.procedures.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}{' '}
                {tx(locale, 'thủ tục', 'procedures')}
              </span>
            </li>
          ))}
      </ul>
    </Layout>
  );
}

export function BundlePage({
  locale,
  path,
  b,
}: {
  locale: Locale;
  path: string;
  b: Awaited<ReturnType<CatalogueService['bundle']>>;
}) {
  const name = locale === 'en' && b.nameEn ? b.nameEn : b.name;
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={name}
      path={path}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { label: tx(locale, 'Liên thông', 'Bundle') },
      ]}
    >
      <PageHeading title={name} lead={locale === 'en' && b.descriptionEn ? b.descriptionEn : b.description} />
      {b.legalBasis ? (
        <p class="hint">
          {tx(locale, 'Căn cứ', 'Basis')}: {b.legalBasis}
        </p>
      ) : null}
      <h2>{tx(locale, 'Các thủ tục trong nhóm', 'Procedures in the bundle')}</h2>
      <ol class="results">
        {b.members.map((m) => (
          <li key={m.code}>
            <h3>
              {m.published ? (
                <a href={`/thu-tuc/${encodeURIComponent(m.code)}`}>{m.name}</a>
              ) : (
                <span>{m.code}</span>
              )}
            </h3>
            <p class="meta">
              {tx(locale, 'Mã', 'Code')} {m.code}
              {m.content
                ? ` · ${onlineLabel(m.content.onlineLevel, locale)}`
                : tx(locale, ' · chưa công khai', ' · not published')}
            </p>
            {m.published ? (
              <p>
                <a href={`/ho-so/nop/${encodeURIComponent(m.code)}`}>
                  {tx(locale, 'Nộp hồ sơ thủ tục này', 'File this procedure')}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <Notice kind="info">
        <p>
          {tx(
            locale,
            'Nộp một lần cho cả nhóm thủ tục liên thông chưa mở trên Cổng; hiện bạn nộp từng thủ tục theo thứ tự trên.',
            'Filing the whole bundle at once is not open yet; file each procedure in the order above.',
          )}
        </p>
      </Notice>
    </Layout>
  );
}
