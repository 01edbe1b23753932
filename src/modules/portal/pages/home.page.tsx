/**
 * The home page leads with what people come for: find a procedure and file it (the search form and the
 * most-used procedures), and look a dossier up (code and the last four characters of the applicant's ID
 * number or tax code). Then the online services the modules register (paying, feedback… as they
 * arrive; "create an account" for someone signed out), the live figures, and the reference look-ups.
 */

import type { Locale, Text } from '../../../platform/i18n/index.ts';
import { DateText, Layout, type ResolvedHomeCard } from '../../../platform/web/index.ts';
import type { AgenciesService } from '../../agencies/index.ts';
import { SearchForm } from './search-form.tsx';

export type Figures = Awaited<ReturnType<AgenciesService['figures']>>;

/** A most-used procedure, for the short list under the search form. */
export interface PopularProcedure {
  code: string;
  name: string;
}

const WORDS = {
  title: { vi: 'Trang chủ', en: 'Home' },
  description: {
    vi: 'Cổng Dịch vụ công: tìm thủ tục hành chính, nộp hồ sơ trực tuyến, tra cứu tình trạng hồ sơ.',
    en: 'Public Service Portal: find administrative procedures, file online, track a dossier.',
  },
  heading: { vi: 'Bạn cần làm thủ tục gì?', en: 'What do you need to do?' },
  lead: {
    vi: 'Tìm thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi hồ sơ đã nộp.',
    en: 'Find an administrative procedure, file it online and follow your dossier.',
  },
  findHeading: { vi: 'Tìm thủ tục và nộp hồ sơ', en: 'Find a procedure and file it' },
  popular: { vi: 'Thủ tục được dùng nhiều', en: 'Most-used procedures' },
  allProcedures: { vi: 'Xem tất cả thủ tục hành chính', en: 'All administrative procedures' },
  lookupHeading: { vi: 'Tra cứu hồ sơ', en: 'Track a dossier' },
  lookupLead: {
    vi: 'Nhập mã hồ sơ ghi trên giấy tiếp nhận và 4 ký tự cuối của số định danh cá nhân (hoặc mã số thuế) của người nộp.',
    en: 'Type the dossier code from the receipt and the last 4 characters of the applicant’s personal ID number (or tax code).',
  },
  lookupCode: { vi: 'Mã hồ sơ', en: 'Dossier code' },
  lookupCodeHint: { vi: 'Ví dụ: 000.00.00.H26-250701-0001', en: 'For example 000.00.00.H26-250701-0001' },
  lookupLast4: {
    vi: '4 ký tự cuối số định danh hoặc mã số thuế',
    en: 'Last 4 characters of the ID number or tax code',
  },
  lookupSubmit: { vi: 'Tra cứu', en: 'Look up' },
  lookupPage: { vi: 'Mở trang tra cứu hồ sơ', en: 'Open the dossier tracking page' },
  services: { vi: 'Dịch vụ trực tuyến', en: 'Online services' },
  figures: { vi: 'Số liệu tổng hợp', en: 'Key figures' },
  figuresDate: { vi: 'Số liệu tại ngày', en: 'Figures as of' },
  provinces: { vi: 'tỉnh, thành phố trực thuộc trung ương', en: 'provinces and centrally-run cities' },
  ministries: { vi: 'bộ, cơ quan ngang bộ', en: 'ministries and ministerial-level agencies' },
  agencies: { vi: 'cơ quan, đơn vị trên Cổng', en: 'agencies on the portal' },
  oneStopCentres: { vi: 'trung tâm phục vụ hành chính công', en: 'public administrative service centres' },
  reference: { vi: 'Tra cứu thông tin', en: 'Reference information' },
} as const satisfies Record<string, Text>;

interface ReferenceCard {
  href: string;
  title: Text;
  body: Text;
}

/** The reference look-ups (also in the footer), after what people come for. */
const REFERENCE: readonly ReferenceCard[] = [
  {
    href: '/co-quan',
    title: { vi: 'Cơ quan nhà nước', en: 'State agencies' },
    body: {
      vi: 'Bộ, cơ quan ngang bộ, Ủy ban nhân dân và Trung tâm Phục vụ hành chính công các tỉnh, thành phố; mã định danh điện tử của cơ quan.',
      en: 'Ministries, ministerial-level agencies, provincial People’s Committees and public administrative service centres; agency identifier codes.',
    },
  },
  {
    href: '/don-vi-hanh-chinh',
    title: { vi: 'Đơn vị hành chính', en: 'Administrative units' },
    body: {
      vi: 'Danh mục tỉnh, thành phố theo từng thời điểm; việc sắp xếp, hợp nhất đơn vị hành chính từ ngày 01/07/2025.',
      en: 'Provinces and cities at any date; the merger of administrative units in effect from 1 July 2025.',
    },
  },
  {
    href: '/lich-lam-viec',
    title: { vi: 'Lịch làm việc và hạn giải quyết', en: 'Working calendar and deadlines' },
    body: {
      vi: 'Ngày làm việc, ngày nghỉ lễ, Tết và cách tính hạn giải quyết hồ sơ theo ngày làm việc.',
      en: 'Working days, public holidays and Tết, and how processing deadlines are counted in working days.',
    },
  },
  {
    href: '/api/docs',
    title: { vi: 'API cho hệ thống của cơ quan', en: 'API for agency systems' },
    body: {
      vi: 'Tài liệu API mở (OpenAPI 3.1) để hệ thống một cửa của bộ, ngành, địa phương kết nối.',
      en: 'Open API documentation (OpenAPI 3.1) for the one-stop-shop systems of ministries and provinces.',
    },
  },
];

function FindProcedure({ locale, popular }: { locale: Locale; popular: readonly PopularProcedure[] }) {
  return (
    <section class="task task--find" aria-labelledby="tim-thu-tuc">
      <h2 id="tim-thu-tuc">{WORDS.findHeading[locale]}</h2>
      <SearchForm locale={locale} />
      {popular.length > 0 ? (
        <>
          <h3 id="thu-tuc-pho-bien">{WORDS.popular[locale]}</h3>
          <ul class="popular" aria-labelledby="thu-tuc-pho-bien">
            {popular.map((p) => (
              <li key={p.code}>
                <a href={`/thu-tuc/${encodeURIComponent(p.code)}`} lang={locale === 'vi' ? undefined : 'vi'}>
                  {p.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="task__more">
        <a href="/thu-tuc">{WORDS.allProcedures[locale]}</a>
      </p>
    </section>
  );
}

/** A GET form to the lookup page, with the same field names (`ma`, `so`); it works without JavaScript. */
function TrackDossier({ locale }: { locale: Locale }) {
  return (
    <section class="task task--track" aria-labelledby="tra-cuu-ho-so">
      <h2 id="tra-cuu-ho-so">{WORDS.lookupHeading[locale]}</h2>
      <p id="tra-cuu-ho-so-goi-y" class="hint">
        {WORDS.lookupLead[locale]}
      </p>
      <form class="lookup-form" method="get" action="/tra-cuu-ho-so">
        <div class="lookup-form__field">
          <label for="tra-cuu-ma">{WORDS.lookupCode[locale]}</label>
          <p id="tra-cuu-ma-goi-y" class="hint">
            {WORDS.lookupCodeHint[locale]}
          </p>
          <input
            type="text"
            id="tra-cuu-ma"
            name="ma"
            maxLength={60}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            aria-describedby="tra-cuu-ho-so-goi-y tra-cuu-ma-goi-y"
            required
          />
        </div>
        <div class="lookup-form__field">
          <label for="tra-cuu-so">{WORDS.lookupLast4[locale]}</label>
          <input
            type="text"
            id="tra-cuu-so"
            name="so"
            maxLength={4}
            minLength={4}
            size={6}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            required
          />
        </div>
        <button type="submit">{WORDS.lookupSubmit[locale]}</button>
      </form>
      <p class="task__more">
        <a href="/tra-cuu-ho-so">{WORDS.lookupPage[locale]}</a>
      </p>
    </section>
  );
}

function CardList({
  id,
  heading,
  cards,
  locale,
}: {
  id: string;
  heading: string;
  cards: ReadonlyArray<{ key: string; href: string; title: Text; body: Text }>;
  locale: Locale;
}) {
  return (
    <section class="section" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <ul class="cards">
        {cards.map((s) => (
          <li key={s.key}>
            <article class="card">
              <h3>
                <a href={s.href}>{s.title[locale]}</a>
              </h3>
              <p>{s.body[locale]}</p>
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FiguresSection({ locale, figures }: { locale: Locale; figures: Figures }) {
  const number = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB');
  const rows: Array<{ key: string; label: string; value: number }> = [
    { key: 'provinces', label: WORDS.provinces[locale], value: figures.provinces },
    { key: 'ministries', label: WORDS.ministries[locale], value: figures.ministries },
    { key: 'agencies', label: WORDS.agencies[locale], value: figures.agencies },
    { key: 'one-stop-centres', label: WORDS.oneStopCentres[locale], value: figures.oneStopCentres },
  ];
  return (
    <section class="section" aria-labelledby="so-lieu">
      <h2 id="so-lieu">{WORDS.figures[locale]}</h2>
      <p class="hint">
        {WORDS.figuresDate[locale]} <DateText date={figures.date} />
      </p>
      <dl class="figures">
        {rows.map((r) => (
          <div key={r.key}>
            <dt>{r.label}</dt>
            <dd>{number.format(r.value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** `figures` is undefined when they could not be read, `popular` empty: the page still works. */
export function HomePage({
  locale,
  path,
  figures,
  popular = [],
  services = [],
}: {
  locale: Locale;
  path: string;
  figures: Figures | undefined;
  popular?: readonly PopularProcedure[];
  /** The modules' home entries for this viewer (navigation registry). */
  services?: readonly ResolvedHomeCard[];
}) {
  return (
    <Layout locale={locale} title={WORDS.title[locale]} path={path} description={WORDS.description[locale]}>
      <div class="hero">
        <h1>{WORDS.heading[locale]}</h1>
        <p class="lead">{WORDS.lead[locale]}</p>
        <div class="tasks">
          <FindProcedure locale={locale} popular={popular} />
          <TrackDossier locale={locale} />
        </div>
      </div>

      {services.length > 0 ? (
        <CardList
          id="dich-vu"
          heading={WORDS.services[locale]}
          locale={locale}
          cards={services.map((s) => ({ key: s.id, href: s.href, title: s.title, body: s.description }))}
        />
      ) : null}

      {figures !== undefined ? <FiguresSection locale={locale} figures={figures} /> : null}

      <CardList
        id="tra-cuu-thong-tin"
        heading={WORDS.reference[locale]}
        locale={locale}
        cards={REFERENCE.map((r) => ({ key: r.href, ...r }))}
      />
    </Layout>
  );
}
