import { describe, expect, it } from 'vitest';
import type { OperatorConfig } from '../config/index.ts';
import { DataTable, DateText } from './components.tsx';
import { Layout, langHref } from './layout.tsx';
import type { ResolvedLink } from './navigation.ts';
import { inShell, renderDocument } from './render.ts';
import { EMPTY_NAV, type Shell } from './shell.ts';
import type { Viewer } from './viewer.ts';

const page = (props: {
  locale: 'vi' | 'en';
  title: string;
  path?: string;
  body?: string;
  shell?: Partial<Shell>;
}) =>
  renderDocument(
    inShell(
      { nav: EMPTY_NAV, viewer: null, operator: undefined, ...props.shell },
      <Layout locale={props.locale} title={props.title} path={props.path ?? '/'}>
        <p>{props.body ?? 'Nội dung'}</p>
      </Layout>,
    ),
  );

const HEADER: ResolvedLink[] = [
  {
    id: 'catalogue.procedures',
    href: '/thu-tuc',
    label: { vi: 'Thủ tục hành chính', en: 'Procedures' },
    count: 0,
  },
  {
    id: 'sync.lookup',
    href: '/tra-cuu-ho-so',
    label: { vi: 'Tra cứu hồ sơ', en: 'Track a dossier' },
    count: 0,
  },
];
const MINE: ResolvedLink = {
  id: 'dossiers.mine',
  href: '/ho-so-cua-toi',
  label: { vi: 'Hồ sơ của tôi', en: 'My dossiers' },
  count: 3,
  countLabel: { vi: 'hồ sơ cần bạn bổ sung hoặc nộp phí', en: 'dossiers waiting for you' },
};
const MINH: Viewer = {
  accountId: '00000000-0000-0000-0000-000000000001',
  kind: 'citizen',
  name: 'Nguyễn Văn Minh',
  accountHref: '/tai-khoan',
  signOutAction: '/dang-xuat',
};
const ACCOUNT_LINKS: ResolvedLink[] = [
  { id: 'identity.account', href: '/tai-khoan', label: { vi: 'Tài khoản', en: 'Account' }, count: 0 },
];

/** The element with this class, start tag to its end (no nesting of the same tag inside). */
function element(html: string, tag: string, cls: string): string {
  const start = html.indexOf(`<${tag} class="${cls}`);
  expect(start, `<${tag} class="${cls}…">`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf(`</${tag}>`, start) + tag.length + 3);
}

describe('Layout', () => {
  it('renders a Vietnamese document with the title, skip link, main landmark and assets', () => {
    const html = page({ locale: 'vi', title: 'Cơ quan' });
    expect(html.startsWith('<!doctype html><html lang="vi">')).toBe(true);
    expect(html).toContain('<title>Cơ quan — Cổng Dịch vụ công</title>');
    expect(html).toContain('<a class="skip-link" href="#noi-dung">Chuyển đến nội dung chính</a>');
    expect(html).toMatch(/<main id="noi-dung"/);
    expect(html).toContain('name="viewport"');
    expect(html).toContain('href="/assets/app.css"');
    expect(html).toMatch(/<script src="\/assets\/app.js" defer/);
    expect(html).toContain('Cổng DVC — nền tảng dịch vụ công mở');
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('renders the English shell with lang="en"', () => {
    const html = page({ locale: 'en', title: 'Agencies' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Skip to main content');
    expect(html).toContain('Administrative units');
    expect(html).toContain('<span>Sign in</span>');
  });

  it('builds the header from the registered entries, marking the current section', () => {
    const html = page({
      locale: 'vi',
      title: 'Chứng thực bản sao',
      path: '/thu-tuc/2.000815?date=2025-07-01&lang=vi',
      shell: { nav: { viewer: null, header: HEADER, account: [] } },
    });
    const bar = element(html, 'nav', 'main-nav');
    expect(bar).toContain('aria-label="Điều hướng chính"');
    expect(bar).toContain('<a href="/thu-tuc" aria-current="page"><span>Thủ tục hành chính</span></a>');
    expect(bar).toContain('<a href="/tra-cuu-ho-so"><span>Tra cứu hồ sơ</span></a>');
    expect(bar.indexOf('/thu-tuc')).toBeLessThan(bar.indexOf('/tra-cuu-ho-so'));
    expect(html).toContain('href="/thu-tuc/2.000815?date=2025-07-01&amp;lang=en"');
    // No entries, no bar (and nothing is hard-wired in the layout).
    expect(page({ locale: 'vi', title: 'x' })).not.toContain('class="main-nav"');
  });

  it('folds the navigation and the language switch behind a "Menu" <details> for phones', () => {
    const html = page({
      locale: 'vi',
      title: 'x',
      shell: { nav: { viewer: null, header: HEADER, account: [] } },
    });
    const menu = element(html, 'details', 'nav-menu');
    expect(menu).toMatch(/^<details class="nav-menu"><summary class="header-button">/);
    expect(menu).toContain('<span>Menu</span></summary>');
    expect(menu).toContain('<a href="/thu-tuc"><span>Thủ tục hành chính</span></a>');
    expect(menu).toContain('lang-switch--menu');
    expect(menu).toContain('hreflang="en"');
  });

  it('shows a count as a badge read with what it counts', () => {
    const html = page({
      locale: 'vi',
      title: 'x',
      shell: { viewer: MINH, nav: { viewer: MINH, header: [...HEADER, MINE], account: ACCOUNT_LINKS } },
    });
    const bar = element(html, 'nav', 'main-nav');
    expect(bar).toContain(
      '<a href="/ho-so-cua-toi"><span>Hồ sơ của tôi</span><span class="count-badge"><span aria-hidden="true">3</span><span class="visually-hidden"> (3 hồ sơ cần bạn bổ sung hoặc nộp phí)</span></span></a>',
    );
    // The closed phone menu says that something inside it is waiting.
    expect(element(html, 'details', 'nav-menu')).toContain(
      '<span class="menu-dot"><span class="visually-hidden"> (Hồ sơ của tôi: 3 cần chú ý)</span></span></summary>',
    );
    const many = page({
      locale: 'en',
      title: 'x',
      shell: { viewer: MINH, nav: { viewer: MINH, header: [{ ...MINE, count: 120 }], account: [] } },
    });
    expect(many).toContain(
      '<span aria-hidden="true">99+</span><span class="visually-hidden"> (120 dossiers waiting for you)</span>',
    );
  });

  it('offers "Đăng nhập" to someone signed out', () => {
    const html = page({ locale: 'vi', title: 'x' });
    expect(html).toMatch(
      /<a class="header-button header-button--sign-in" href="\/dang-nhap">.*<span>Đăng nhập<\/span><\/a>/,
    );
    expect(html).not.toContain('account-menu');
  });

  it('gives someone signed in an account menu that works without JavaScript, with a sign-out form', () => {
    const html = page({
      locale: 'vi',
      title: 'x',
      path: '/tai-khoan',
      shell: {
        viewer: MINH,
        nav: {
          viewer: MINH,
          header: HEADER,
          account: [
            ...ACCOUNT_LINKS,
            { id: 'portal.desk', href: '/quan-tri', label: { vi: 'Bàn làm việc', en: 'Desk' }, count: 0 },
          ],
        },
        csrfToken: 'token-123',
      },
    });
    expect(html).not.toContain('Đăng nhập</span>');
    const menu = element(html, 'details', 'account-menu');
    // <details>/<summary>: opens and closes without script; its button reads "Tài khoản: <name>".
    expect(menu).toMatch(
      /^<details class="account-menu"><summary class="header-button header-button--account"><svg[^>]*aria-hidden="true".*<\/svg><span class="account-menu__prefix">Tài khoản<\/span><span class="visually-hidden">: <\/span><span class="account-menu__name">Nguyễn Văn Minh<\/span><\/summary>/,
    );
    expect(menu).toContain('<a href="/tai-khoan" aria-current="page"><span>Tài khoản</span></a>');
    expect(menu).toContain('<a href="/quan-tri"><span>Bàn làm việc</span></a>');
    expect(menu).toContain(
      '<form method="post" action="/dang-xuat"><input type="hidden" name="_csrf" value="token-123"/><button type="submit" class="account-menu__sign-out">Đăng xuất</button></form>',
    );
    expect(menu.indexOf('/tai-khoan')).toBeLessThan(menu.indexOf('/quan-tri'));
    expect(menu.indexOf('/quan-tri')).toBeLessThan(menu.indexOf('Đăng xuất'));
  });

  it('links to the account page to sign out when the page has no token (error pages)', () => {
    const html = page({
      locale: 'en',
      title: 'x',
      shell: { viewer: MINH, nav: { viewer: MINH, header: [], account: [] } },
    });
    expect(element(html, 'details', 'account-menu')).toContain('<a href="/tai-khoan">Sign out</a>');
  });

  it('shows the operator’s contact details that are set, as tel: and mailto: links', () => {
    const operator: OperatorConfig = {
      name: 'Văn phòng Chính phủ',
      hotline: '1900 1234',
      email: 'hotro@dichvucong.example.vn',
      address: undefined,
      example: false,
    };
    const html = page({ locale: 'vi', title: 'x', shell: { operator } });
    const contact = element(html, 'section', 'site-footer__contact');
    expect(contact).toContain('<dt>Đơn vị vận hành:</dt><dd><span lang="vi">Văn phòng Chính phủ</span></dd>');
    expect(contact).toContain('<dt>Tổng đài hỗ trợ:</dt><dd><a href="tel:19001234">1900 1234</a></dd>');
    expect(contact).toContain(
      '<dt>Thư điện tử:</dt><dd><a href="mailto:hotro@dichvucong.example.vn">hotro@dichvucong.example.vn</a></dd>',
    );
    expect(contact).not.toContain('Địa chỉ');
    expect(contact).not.toContain('ví dụ');
    const demo = page({ locale: 'vi', title: 'x', shell: { operator: { ...operator, example: true } } });
    expect(element(demo, 'section', 'site-footer__contact')).toContain('Thông tin ví dụ của bản chạy thử');
  });

  it('says nothing about the operator when nothing is set: no placeholder', () => {
    const none: OperatorConfig = {
      name: undefined,
      hotline: undefined,
      email: undefined,
      address: undefined,
      example: false,
    };
    for (const operator of [none, undefined]) {
      const html = page({ locale: 'vi', title: 'x', shell: { operator } });
      expect(html).not.toContain('site-footer__contact');
      expect(html).not.toContain('cấu hình theo đơn vị vận hành');
      expect(html).not.toContain('Tổng đài hỗ trợ');
    }
  });

  it('links the look-up pages from the footer', () => {
    const html = page({ locale: 'vi', title: 'x' });
    const footer = html.slice(html.indexOf('<footer'));
    for (const href of ['/co-quan', '/don-vi-hanh-chinh', '/lich-lam-viec', '/tim-kiem', '/api/docs'])
      expect(footer).toContain(`<a href="${href}">`);
  });

  it('escapes text and attributes', () => {
    const html = page({ locale: 'vi', title: '<script>alert(1)</script>', body: '<b>"x" & y</b>' });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script>alert(1)&lt;/script> — Cổng Dịch vụ công');
    expect(html).toContain('&lt;b>&quot;x&quot; &amp; y&lt;/b>');
  });

  it('writes its Vietnamese in NFC', () => {
    const html = page({ locale: 'vi', title: 'Trang chủ' });
    expect(html).toBe(html.normalize('NFC'));
  });
});

describe('langHref', () => {
  it('sets lang and keeps other parameters', () => {
    expect(langHref('/tim-kiem?q=ha%20noi', 'en')).toBe('/tim-kiem?q=ha+noi&lang=en');
    expect(langHref('/?lang=en', 'vi')).toBe('/?lang=vi');
  });

  it('never leaves the site', () => {
    expect(langHref('//evil.example/x', 'en')).toBe('/?lang=en');
    expect(langHref('https://evil.example/', 'en')).toBe('/?lang=en');
  });
});

describe('components', () => {
  it('DateText shows dd/mm/yyyy with a machine-readable date', () => {
    expect(renderDocument(<DateText date="2025-07-01" />)).toContain(
      '<time datetime="2025-07-01">01/07/2025</time>',
    );
    expect(renderDocument(<DateText date={new Date('2025-06-30T18:00:00Z')} />)).toContain('01/07/2025');
  });

  it('DataTable renders a caption and headers, each cell labelled with its column (cards on phones), or the empty text', () => {
    const columns = [
      { header: 'Mã', cell: (r: { code: string }) => r.code },
      { header: 'Số', cell: () => 1, numeric: true },
    ];
    const html = renderDocument(
      <DataTable
        caption="Danh sách"
        columns={columns}
        rows={[{ code: '01' }]}
        rowKey={(r) => r.code}
        empty="Trống"
      />,
    );
    expect(html).toContain('<caption>Danh sách</caption>');
    expect(html).toContain('<th scope="col">Mã</th>');
    expect(html).toContain('<td data-label="Mã">01</td>');
    expect(html).toContain('<td class="num" data-label="Số">1</td>');
    const empty = renderDocument(
      <DataTable caption="Danh sách" columns={columns} rows={[]} rowKey={(r) => r.code} empty="Trống" />,
    );
    expect(empty).toContain('Trống');
  });
});
