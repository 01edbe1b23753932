/** The home page: search, the main services, live figures. */

import type { Locale, Text } from '../../../platform/i18n/index.ts';
import { DateText, Layout } from '../../../platform/web/index.ts';
import type { AgenciesService } from '../../agencies/index.ts';
import { SearchForm } from './search-form.tsx';

export type Figures = Awaited<ReturnType<AgenciesService['figures']>>;

const WORDS = {
  title: { vi: 'Trang chủ', en: 'Home' },
  description: {
    vi: 'Cổng Dịch vụ công: tra cứu cơ quan nhà nước, đơn vị hành chính, lịch làm việc và hạn giải quyết hồ sơ.',
    en: 'Public Service Portal: look up state agencies, administrative units, working days and processing deadlines.',
  },
  heading: { vi: 'Chào mừng bạn đến với Cổng Dịch vụ công', en: 'Welcome to the Public Service Portal' },
  lead: {
    vi: 'Tra cứu cơ quan nhà nước, đơn vị hành chính sau sắp xếp năm 2025, lịch làm việc và hạn giải quyết hồ sơ.',
    en: 'Look up state agencies, administrative units after the 2025 reorganisation, working days and processing deadlines.',
  },
  services: { vi: 'Dịch vụ chính', en: 'Main services' },
  figures: { vi: 'Số liệu tổng hợp', en: 'Key figures' },
  figuresDate: { vi: 'Số liệu tại ngày', en: 'Figures as of' },
  provinces: { vi: 'tỉnh, thành phố trực thuộc trung ương', en: 'provinces and centrally-run cities' },
  ministries: { vi: 'bộ, cơ quan ngang bộ', en: 'ministries and ministerial-level agencies' },
  agencies: { vi: 'cơ quan, đơn vị trên Cổng', en: 'agencies on the portal' },
  oneStopCentres: { vi: 'trung tâm phục vụ hành chính công', en: 'public administrative service centres' },
} as const satisfies Record<string, Text>;

interface ServiceCard {
  href: string;
  title: Text;
  body: Text;
}

/** Only pages that exist. */
const SERVICES: readonly ServiceCard[] = [
  {
    href: '/thu-tuc',
    title: { vi: 'Thủ tục hành chính', en: 'Administrative procedures' },
    body: {
      vi: 'Tra cứu thủ tục: giấy tờ cần nộp, phí, lệ phí, thời hạn giải quyết, cơ quan thực hiện; tìm có dấu hoặc không dấu.',
      en: 'Look up procedures: documents, fees, time limits and the agency that handles them; search with or without accents.',
    },
  },
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
      vi: 'Danh mục tỉnh, thành phố theo từng thời điểm; tra cứu việc sắp xếp, hợp nhất đơn vị hành chính từ ngày 01/07/2025.',
      en: 'Provinces and cities at any date; look up the merger of administrative units in effect from 1 July 2025.',
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
      vi: 'Tài liệu API mở (OpenAPI 3.1) để hệ thống một cửa của bộ, ngành, địa phương kết nối và khai thác dữ liệu.',
      en: 'Open API documentation (OpenAPI 3.1) for the one-stop-shop systems of ministries and provinces to connect and use the data.',
    },
  },
];

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

/** `figures` is undefined when they could not be read; the page still works. */
export function HomePage({
  locale,
  path,
  figures,
}: {
  locale: Locale;
  path: string;
  figures: Figures | undefined;
}) {
  return (
    <Layout locale={locale} title={WORDS.title[locale]} path={path} description={WORDS.description[locale]}>
      <section class="hero" aria-labelledby="chao-mung">
        <h1 id="chao-mung">{WORDS.heading[locale]}</h1>
        <p class="lead">{WORDS.lead[locale]}</p>
        <SearchForm locale={locale} />
      </section>

      <section class="section" aria-labelledby="dich-vu">
        <h2 id="dich-vu">{WORDS.services[locale]}</h2>
        <ul class="cards">
          {SERVICES.map((s) => (
            <li key={s.href}>
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

      {figures !== undefined ? <FiguresSection locale={locale} figures={figures} /> : null}
    </Layout>
  );
}
