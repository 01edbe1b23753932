import { describe, expect, it } from 'vitest';
import { DataTable, DateText } from './components.tsx';
import { Layout, langHref } from './layout.tsx';
import { renderDocument } from './render.ts';

const page = (props: { locale: 'vi' | 'en'; title: string; path?: string; body?: string }) =>
  renderDocument(
    <Layout locale={props.locale} title={props.title} path={props.path ?? '/'}>
      <p>{props.body ?? 'Nội dung'}</p>
    </Layout>,
  );

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
  });

  it('marks the current section and keeps the path in the language links', () => {
    const html = page({ locale: 'vi', title: 'Tìm kiếm', path: '/co-quan/BTC?date=2025-07-01&lang=vi' });
    expect(html).toContain('<a href="/co-quan" aria-current="page">Cơ quan</a>');
    expect(html).toContain('href="/co-quan/BTC?date=2025-07-01&amp;lang=en"');
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

  it('DataTable renders a caption and headers, or the empty text', () => {
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
    expect(html).toContain('<td class="num">1</td>');
    const empty = renderDocument(
      <DataTable caption="Danh sách" columns={columns} rows={[]} rowKey={(r) => r.code} empty="Trống" />,
    );
    expect(empty).toContain('Trống');
  });
});
