/**
 * The page shell every server-rendered page sits in: document head, skip link, portal header (brand,
 * language switch, the account menu or "Đăng nhập", and the main navigation built from the modules'
 * registered entries), breadcrumbs, `<main id="noi-dung">` and the footer (the operator's contact
 * details, look-up links, links for developers).
 *
 * Menus are `<details>` elements: they open and close without JavaScript. On phones (≤ 640 px) the main
 * navigation and the language switch fold behind a "Menu" button on the same row as the brand and the
 * account. Vietnamese first, English second; the shell's own words live in `SHELL_TEXT` below.
 */
import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { dialable, type OperatorConfig } from '../config/index.ts';
import type { Locale, Text } from '../i18n/index.ts';
import { CSRF_FIELD } from '../security/index.ts';
import type { ResolvedLink } from './navigation.ts';
import { EMPTY_NAV, ShellContext } from './shell.ts';
import type { Viewer } from './viewer.ts';

export const SITE_NAME = 'Cổng Dịch vụ công';

/** The words of the shell, in both languages. */
export const SHELL_TEXT = {
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  account: { vi: 'Tài khoản', en: 'Account' },
  signedInAs: { vi: 'Đang đăng nhập', en: 'Signed in as' },
  menu: { vi: 'Menu', en: 'Menu' },
  tagline: { vi: 'Cổng DVC — nền tảng dịch vụ công mở', en: 'Cổng DVC — an open public-service platform' },
  skipLink: { vi: 'Chuyển đến nội dung chính', en: 'Skip to main content' },
  mainNav: { vi: 'Điều hướng chính', en: 'Main navigation' },
  navHome: { vi: 'Trang chủ', en: 'Home' },
  languageNav: { vi: 'Chọn ngôn ngữ', en: 'Choose language' },
  breadcrumbs: { vi: 'Vị trí trang', en: 'Breadcrumb' },
  needsAttention: { vi: 'cần chú ý', en: 'need attention' },
  footerAbout: {
    vi: 'Cổng Dịch vụ công được xây dựng trên Cổng DVC, phần mềm mã nguồn mở phát hành theo giấy phép AGPL-3.0-or-later: mọi cơ quan, tổ chức đều có thể sử dụng, kiểm tra và đóng góp.',
    en: 'This portal runs on Cổng DVC, open-source software released under the AGPL-3.0-or-later licence: any agency or organisation may use, inspect and improve it.',
  },
  footerContact: { vi: 'Liên hệ hỗ trợ', en: 'Support' },
  footerOperatorLabel: { vi: 'Đơn vị vận hành', en: 'Operated by' },
  footerHotlineLabel: { vi: 'Tổng đài hỗ trợ', en: 'Support hotline' },
  footerEmailLabel: { vi: 'Thư điện tử', en: 'E-mail' },
  footerAddressLabel: { vi: 'Địa chỉ', en: 'Address' },
  footerExample: {
    vi: 'Thông tin ví dụ của bản chạy thử, không phải địa chỉ liên hệ thật.',
    en: 'Example details of the demo, not a real contact.',
  },
  footerLookup: { vi: 'Tra cứu', en: 'Look up' },
  footerAgencies: { vi: 'Cơ quan nhà nước', en: 'State agencies' },
  footerAdminUnits: { vi: 'Đơn vị hành chính', en: 'Administrative units' },
  footerCalendar: { vi: 'Lịch làm việc và hạn giải quyết', en: 'Working calendar and deadlines' },
  footerSearch: { vi: 'Tìm kiếm trên Cổng', en: 'Search the portal' },
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

/** Pages of the platform and of the agencies module, listed in the footer ("Tra cứu"). */
const LOOKUP_LINKS: ReadonlyArray<{ href: string; label: ShellTextKey }> = [
  { href: '/co-quan', label: 'footerAgencies' },
  { href: '/don-vi-hanh-chinh', label: 'footerAdminUnits' },
  { href: '/lich-lam-viec', label: 'footerCalendar' },
  { href: '/tim-kiem', label: 'footerSearch' },
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
  const target = safePath(itemHref).pathname;
  if (target === '/') return pathname === '/';
  return pathname === target || pathname.startsWith(`${target}/`);
}

/**
 * The number beside a link: shown as a badge (99+ above 99), read by screen readers with what it counts,
 * e.g. "Hồ sơ của tôi (3 hồ sơ cần bạn bổ sung hoặc nộp phí)".
 */
function CountBadge({ count, label, locale }: { count: number; label: Text | undefined; locale: Locale }) {
  if (count <= 0) return null;
  return (
    <span class="count-badge">
      <span aria-hidden="true">{count > 99 ? '99+' : String(count)}</span>
      <span class="visually-hidden">
        {' '}
        ({count}
        {label ? ` ${label[locale]}` : ''})
      </span>
    </span>
  );
}

function NavLinks({
  links,
  locale,
  pathname,
}: {
  links: readonly ResolvedLink[];
  locale: Locale;
  pathname: string;
}) {
  return (
    <>
      {links.map((link) => (
        <li key={link.id}>
          <a href={link.href} aria-current={isCurrent(link.href, pathname) ? 'page' : undefined}>
            <span>{link.label[locale]}</span>
            <CountBadge count={link.count} label={link.countLabel} locale={locale} />
          </a>
        </li>
      ))}
    </>
  );
}

function LanguageSwitch({ locale, path, variant }: { locale: Locale; path: string; variant: string }) {
  return (
    <nav class={`lang-switch lang-switch--${variant}`} aria-label={shellText('languageNav', locale)}>
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
  );
}

/** A small dot on a closed menu's button when something inside it carries a number. */
function AttentionDot({ links, locale }: { links: readonly ResolvedLink[]; locale: Locale }) {
  const counted = links.filter((l) => l.count > 0);
  if (counted.length === 0) return null;
  return (
    <span class="menu-dot">
      <span class="visually-hidden">
        {' '}
        ({counted.map((l) => `${l.label[locale]}: ${l.count}`).join(', ')}{' '}
        {shellText('needsAttention', locale)})
      </span>
    </span>
  );
}

function MenuIcon() {
  return (
    <svg class="menu-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
    </svg>
  );
}

function PersonIcon() {
  return (
    <svg class="person-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="2.2" />
      <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" stroke-width="2.2" />
    </svg>
  );
}

/** Phones only: the main navigation and the language switch behind a "Menu" button. */
function PhoneMenu({
  links,
  locale,
  pathname,
  path,
}: {
  links: readonly ResolvedLink[];
  locale: Locale;
  pathname: string;
  path: string;
}) {
  return (
    <details class="nav-menu">
      <summary class="header-button">
        <MenuIcon />
        <span>{shellText('menu', locale)}</span>
        <AttentionDot links={links} locale={locale} />
      </summary>
      <div class="nav-menu__panel">
        {links.length > 0 ? (
          <nav class="nav-menu__links" aria-label={shellText('mainNav', locale)}>
            <ul>
              <NavLinks links={links} locale={locale} pathname={pathname} />
            </ul>
          </nav>
        ) : null}
        <LanguageSwitch locale={locale} path={path} variant="menu" />
      </div>
    </details>
  );
}

/** The signed-in person's menu: their name; the modules' account links; signing out. */
function AccountMenu({
  viewer,
  links,
  csrfToken,
  locale,
  pathname,
}: {
  viewer: Viewer;
  links: readonly ResolvedLink[];
  csrfToken: string | undefined;
  locale: Locale;
  pathname: string;
}) {
  return (
    <details class="account-menu">
      <summary class="header-button header-button--account">
        <PersonIcon />
        {/* "Tài khoản: <name>" to screen readers; phones show "Tài khoản", wider screens the name. */}
        <span class="account-menu__prefix">{shellText('account', locale)}</span>
        <span class="visually-hidden">: </span>
        <span class="account-menu__name">{viewer.name}</span>
        <AttentionDot links={links} locale={locale} />
      </summary>
      <div class="account-menu__panel">
        <p class="account-menu__who">
          <span class="account-menu__label">{shellText('signedInAs', locale)}</span> {viewer.name}
        </p>
        <ul>
          <NavLinks links={links} locale={locale} pathname={pathname} />
          <li>
            {viewer.signOutAction && csrfToken ? (
              <form method="post" action={viewer.signOutAction}>
                <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                <button type="submit" class="account-menu__sign-out">
                  {shellText('signOut', locale)}
                </button>
              </form>
            ) : (
              // Pages rendered without a token (error pages): the account page has the sign-out form.
              <a href={viewer.accountHref}>{shellText('signOut', locale)}</a>
            )}
          </li>
        </ul>
      </div>
    </details>
  );
}

function Header({ locale, pathname, path }: { locale: Locale; pathname: string; path: string }) {
  const shell = useContext(ShellContext);
  const nav = shell?.nav ?? EMPTY_NAV;
  const viewer = shell?.viewer ?? null;
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
          <LanguageSwitch locale={locale} path={path} variant="wide" />
          <PhoneMenu links={nav.header} locale={locale} pathname={pathname} path={path} />
          {viewer ? (
            <AccountMenu
              viewer={viewer}
              links={nav.account}
              csrfToken={shell?.csrfToken}
              locale={locale}
              pathname={pathname}
            />
          ) : (
            <a class="header-button header-button--sign-in" href="/dang-nhap">
              <PersonIcon />
              <span>{shellText('signIn', locale)}</span>
            </a>
          )}
        </div>
      </div>
      {nav.header.length > 0 ? (
        <nav class="main-nav" aria-label={shellText('mainNav', locale)}>
          <ul class="container">
            <NavLinks links={nav.header} locale={locale} pathname={pathname} />
          </ul>
        </nav>
      ) : null}
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

/** The operator's contact details: only those configured; nothing at all when none is. */
function OperatorContact({ locale, operator }: { locale: Locale; operator: OperatorConfig | undefined }) {
  if (!operator) return null;
  const rows: Array<{ key: string; label: ShellTextKey; value: ComponentChildren }> = [];
  if (operator.name)
    rows.push({ key: 'name', label: 'footerOperatorLabel', value: <span lang="vi">{operator.name}</span> });
  if (operator.hotline)
    rows.push({
      key: 'hotline',
      label: 'footerHotlineLabel',
      value: <a href={`tel:${dialable(operator.hotline)}`}>{operator.hotline}</a>,
    });
  if (operator.email)
    rows.push({
      key: 'email',
      label: 'footerEmailLabel',
      value: <a href={`mailto:${operator.email}`}>{operator.email}</a>,
    });
  if (operator.address)
    rows.push({
      key: 'address',
      label: 'footerAddressLabel',
      value: <span lang="vi">{operator.address}</span>,
    });
  if (rows.length === 0) return null;
  return (
    <section class="site-footer__contact" aria-labelledby="lien-he-ho-tro">
      <p class="site-footer__heading" id="lien-he-ho-tro">
        {shellText('footerContact', locale)}
      </p>
      <dl>
        {rows.map((r) => (
          <div key={r.key}>
            <dt>{shellText(r.label, locale)}:</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
      </dl>
      {operator.example ? <p class="site-footer__note">{shellText('footerExample', locale)}</p> : null}
    </section>
  );
}

function Footer({ locale }: { locale: Locale }) {
  const shell = useContext(ShellContext);
  return (
    <footer class="site-footer">
      <div class="container site-footer__grid">
        <div class="site-footer__about">
          <p class="site-footer__name" lang="vi">
            {SITE_NAME}
          </p>
          <p>{shellText('footerAbout', locale)}</p>
        </div>
        <OperatorContact locale={locale} operator={shell?.operator} />
        <nav aria-labelledby="chan-trang-tra-cuu">
          <p class="site-footer__heading" id="chan-trang-tra-cuu">
            {shellText('footerLookup', locale)}
          </p>
          <ul>
            {LOOKUP_LINKS.map((l) => (
              <li key={l.href}>
                <a href={l.href}>{shellText(l.label, locale)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-labelledby="chan-trang-nha-phat-trien">
          <p class="site-footer__heading" id="chan-trang-nha-phat-trien">
            {shellText('footerLinks', locale)}
          </p>
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

/** The full HTML document of a page. Render it with `sendPage` (which adds the doctype and the shell). */
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
