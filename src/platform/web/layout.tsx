/**
 * The page shell every server-rendered page sits in: document head, skip link, portal header with the
 * main navigation and the language switch, breadcrumbs, `<main id="noi-dung">` and the footer.
 * Vietnamese first, English second; the shell's own words live in `SHELL_TEXT` below.
 */
import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { Locale, Text } from '../i18n/index.ts';
import { ViewerContext } from './viewer.ts';

export const SITE_NAME = 'Cổng Dịch vụ công';

/** The words of the shell, in both languages. */
export const SHELL_TEXT = {
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  account: { vi: 'Tài khoản', en: 'Account' },
  tagline: { vi: 'Cổng DVC — nền tảng dịch vụ công mở', en: 'Cổng DVC — an open public-service platform' },
  skipLink: { vi: 'Chuyển đến nội dung chính', en: 'Skip to main content' },
  mainNav: { vi: 'Điều hướng chính', en: 'Main navigation' },
  navHome: { vi: 'Trang chủ', en: 'Home' },
  navProcedures: { vi: 'Thủ tục hành chính', en: 'Procedures' },
  navAgencies: { vi: 'Cơ quan', en: 'Agencies' },
  navAdminUnits: { vi: 'Đơn vị hành chính', en: 'Administrative units' },
  navCalendar: { vi: 'Lịch làm việc', en: 'Working calendar' },
  navApi: { vi: 'API', en: 'API' },
  languageNav: { vi: 'Chọn ngôn ngữ', en: 'Choose language' },
  breadcrumbs: { vi: 'Vị trí trang', en: 'Breadcrumb' },
  footerAbout: {
    vi: 'Cổng Dịch vụ công được xây dựng trên Cổng DVC, phần mềm mã nguồn mở phát hành theo giấy phép AGPL-3.0-or-later: mọi cơ quan, tổ chức đều có thể sử dụng, kiểm tra và đóng góp.',
    en: 'This portal runs on Cổng DVC, open-source software released under the AGPL-3.0-or-later licence: any agency or organisation may use, inspect and improve it.',
  },
  footerOperatorLabel: { vi: 'Đơn vị vận hành', en: 'Operated by' },
  footerHotlineLabel: { vi: 'Tổng đài hỗ trợ', en: 'Support hotline' },
  footerEmailLabel: { vi: 'Thư điện tử hỗ trợ', en: 'Support e-mail' },
  footerPlaceholder: { vi: 'cấu hình theo đơn vị vận hành', en: 'set by the operating agency' },
  footerLinks: { vi: 'Dành cho nhà phát triển', en: 'For developers' },
  footerApiDocs: { vi: 'Tài liệu API', en: 'API documentation' },
  footerOpenApi: { vi: 'Đặc tả OpenAPI', en: 'OpenAPI description' },
  footerStatus: { vi: 'Trạng thái hệ thống', en: 'System status' },
} as const satisfies Record<string, Text>;

export type ShellTextKey = keyof typeof SHELL_TEXT;

/** One word of the shell in the given language. */
export function shellText(key: ShellTextKey, locale: Locale): string {
  return SHELL_TEXT[key][locale];
}

export interface NavItem {
  href: string;
  label: ShellTextKey;
}

export const MAIN_NAV: readonly NavItem[] = [
  { href: '/', label: 'navHome' },
  { href: '/thu-tuc', label: 'navProcedures' },
  { href: '/co-quan', label: 'navAgencies' },
  { href: '/don-vi-hanh-chinh', label: 'navAdminUnits' },
  { href: '/lich-lam-viec', label: 'navCalendar' },
  { href: '/api/docs', label: 'navApi' },
];

export interface Breadcrumb {
  /** Absent for the current page (the last crumb). */
  href?: string;
  label: string;
}

export interface LayoutProps {
  locale: Locale;
  /** The page's own title; the document title becomes "title — Cổng Dịch vụ công". */
  title: string;
  /** The current request path (with its query string), e.g. `request.url`. */
  path: string;
  children: ComponentChildren;
  /** Crumbs after "Trang chủ", which is added in front. */
  breadcrumbs?: Breadcrumb[];
  description?: string;
  /** A module's own stylesheets (same origin), after the shell's. */
  stylesheets?: readonly string[];
}

/** The path part of a request URL, or "/" for anything that is not a same-site path. */
function safePath(path: string): URL {
  const base = 'http://portal.invalid';
  const candidate = path.startsWith('/') && !path.startsWith('//') ? path : '/';
  try {
    return new URL(candidate, base);
  } catch {
    return new URL('/', base);
  }
}

/** The same page in another language: keeps the path and query, sets `lang`. */
export function langHref(path: string, locale: Locale): string {
  const url = safePath(path);
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

function isCurrent(itemHref: string, pathname: string): boolean {
  if (itemHref === '/') return pathname === '/';
  return pathname === itemHref || pathname.startsWith(`${itemHref}/`);
}

function AccountLink({ locale }: { locale: Locale }) {
  const viewer = useContext(ViewerContext);
  if (viewer) {
    return (
      <a class="account-link" href={viewer.accountHref}>
        <span class="visually-hidden">{shellText('account', locale)}: </span>
        {viewer.name}
      </a>
    );
  }
  return (
    <a class="account-link" href="/dang-nhap">
      {shellText('signIn', locale)}
    </a>
  );
}

function Header({ locale, pathname, path }: { locale: Locale; pathname: string; path: string }) {
  return (
    <header class="site-header">
      <div class="site-header__top container">
        <a class="brand" href="/">
          <span class="brand__mark" aria-hidden="true">
            DVC
          </span>
          <span class="brand__text">
            <span class="brand__name" lang="vi">
              {SITE_NAME}
            </span>
            <span class="brand__tagline">{shellText('tagline', locale)}</span>
          </span>
        </a>
        <div class="header-tools">
          <AccountLink locale={locale} />
          <nav class="lang-switch" aria-label={shellText('languageNav', locale)}>
            <ul>
              <li>
                <a
                  href={langHref(path, 'vi')}
                  lang="vi"
                  hreflang="vi"
                  aria-current={locale === 'vi' ? 'true' : undefined}
                >
                  Tiếng Việt
                </a>
              </li>
              <li>
                <a
                  href={langHref(path, 'en')}
                  lang="en"
                  hreflang="en"
                  aria-current={locale === 'en' ? 'true' : undefined}
                >
                  English
                </a>
              </li>
            </ul>
          </nav>
        </div>
      </div>
      <nav class="main-nav" aria-label={shellText('mainNav', locale)}>
        <ul class="container">
          {MAIN_NAV.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={isCurrent(item.href, pathname) ? 'page' : undefined}>
                {shellText(item.label, locale)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

function Breadcrumbs({ locale, items }: { locale: Locale; items: Breadcrumb[] }) {
  const all: Breadcrumb[] = [{ href: '/', label: shellText('navHome', locale) }, ...items];
  return (
    <nav class="breadcrumbs container" aria-label={shellText('breadcrumbs', locale)}>
      <ol>
        {all.map((crumb, i) => {
          const last = i === all.length - 1;
          return (
            <li key={`${i}-${crumb.label}`}>
              {crumb.href !== undefined && !last ? (
                <a href={crumb.href}>{crumb.label}</a>
              ) : (
                <span aria-current={last ? 'page' : undefined}>{crumb.label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function Footer({ locale }: { locale: Locale }) {
  const placeholder = shellText('footerPlaceholder', locale);
  return (
    <footer class="site-footer">
      <div class="container site-footer__grid">
        <div class="site-footer__about">
          <p class="site-footer__name" lang="vi">
            {SITE_NAME}
          </p>
          <p>{shellText('footerAbout', locale)}</p>
        </div>
        <div>
          <dl class="site-footer__contact">
            <div>
              <dt>{shellText('footerOperatorLabel', locale)}:</dt>
              <dd>{placeholder}</dd>
            </div>
            <div>
              <dt>{shellText('footerHotlineLabel', locale)}:</dt>
              <dd>{placeholder}</dd>
            </div>
            <div>
              <dt>{shellText('footerEmailLabel', locale)}:</dt>
              <dd>{placeholder}</dd>
            </div>
          </dl>
        </div>
        <nav aria-label={shellText('footerLinks', locale)}>
          <p class="site-footer__heading">{shellText('footerLinks', locale)}</p>
          <ul>
            <li>
              <a href="/api/docs">{shellText('footerApiDocs', locale)}</a>
            </li>
            <li>
              <a href="/api/openapi.json">{shellText('footerOpenApi', locale)}</a>
            </li>
            <li>
              <a href="/health/ready">{shellText('footerStatus', locale)}</a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}

/** The full HTML document of a page. Render it with `sendPage` (which adds the doctype). */
export function Layout({
  locale,
  title,
  path,
  children,
  breadcrumbs,
  description,
  stylesheets,
}: LayoutProps) {
  const pathname = safePath(path).pathname;
  const documentTitle = title === SITE_NAME ? SITE_NAME : `${title} — ${SITE_NAME}`;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{documentTitle}</title>
        {description !== undefined ? <meta name="description" content={description} /> : null}
        <meta name="theme-color" content="#a4161a" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/app.css" />
        {(stylesheets ?? []).map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
        <script src="/assets/app.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#noi-dung">
          {shellText('skipLink', locale)}
        </a>
        <Header locale={locale} pathname={pathname} path={path} />
        {breadcrumbs !== undefined && breadcrumbs.length > 0 ? (
          <Breadcrumbs locale={locale} items={breadcrumbs} />
        ) : null}
        <main id="noi-dung" class="container main" tabIndex={-1}>
          {children}
        </main>
        <Footer locale={locale} />
      </body>
    </html>
  );
}
