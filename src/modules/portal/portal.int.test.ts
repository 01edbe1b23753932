import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/index.ts';
import { NotFoundError } from '../../platform/errors/index.ts';
import { problemPlugin } from '../../platform/http/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import { webPlugin } from '../../platform/web/index.ts';
import type { AdminUnit } from '../agencies/index.ts';
import { type PortalRoutesOptions, portalRoutes } from './index.ts';

type Fake = PortalRoutesOptions['agencies'];
type AgencyHit = Awaited<ReturnType<Fake['listAgencies']>>['items'][number];

const unit = (code: string, name: string, nameEn: string): AdminUnit => ({
  code,
  level: 'province',
  name,
  nameEn,
  kind: code === '01' ? 'city' : 'province',
  provinceCode: code,
  region: null,
  parentCode: null,
  validFrom: '2025-07-01',
  validTo: null,
  legalBasis: null,
  note: null,
});

const agency = (
  code: string,
  name: string,
  nameEn: string | null,
  identifiers: string[] = [],
): AgencyHit => ({
  code,
  shortName: null,
  name,
  nameEn,
  kind: code.startsWith('UBND') ? 'people-committee' : 'ministry',
  level: code.startsWith('UBND') ? 'province' : 'central',
  parentCode: 'CP',
  adminUnitCode: null,
  validFrom: null,
  validTo: null,
  note: null,
  identifiers,
});

const UNITS = [unit('01', 'Hà Nội', 'Ha Noi City'), unit('66', 'Đắk Lắk', 'Dak Lak Province')];
const AGENCIES = [
  agency('BTC', 'Bộ Tài chính', 'Ministry of Finance', ['000.00.00.G12']),
  agency('UBND-01', 'Ủy ban nhân dân thành phố Hà Nội', null),
];

/** A stand-in for the agencies service: folds the query the way the real one does. */
function fakeAgencies() {
  const calls: Array<{ fn: string; q: string | undefined }> = [];
  const matches = (name: string, q: string | undefined) =>
    q === undefined || foldVietnamese(name).includes(foldVietnamese(q));
  const fake: Fake & { failFigures: boolean } = {
    failFigures: false,
    async listAgencies(filter) {
      calls.push({ fn: 'listAgencies', q: filter.q });
      return { date: '2026-01-15', items: AGENCIES.filter((a) => matches(a.name, filter.q)) };
    },
    async listAdminUnits(filter) {
      calls.push({ fn: 'listAdminUnits', q: filter.q });
      const items = UNITS.filter((u) => matches(u.name, filter.q));
      return { date: '2026-01-15', total: items.length, items };
    },
    async figures() {
      if (fake.failFigures) throw new Error('database down');
      return { date: '2026-01-15', provinces: 34, ministries: 17, agencies: 1234, oneStopCentres: 34 };
    },
  };
  return { fake, calls };
}

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('portal pages', () => {
  const { fake, calls } = fakeAgencies();
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    await app.register(problemPlugin);
    await app.register(webPlugin, { config });
    await app.register(portalRoutes, { agencies: fake });
    app.get('/thu-loi', { schema: { hide: true } }, async () => {
      throw new NotFoundError('Không có hồ sơ mã <G01>.');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves the home page with the search form, service cards and figures', async () => {
    fake.failFigures = false;
    const res = await app.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.startsWith('<!doctype html><html lang="vi">')).toBe(true);
    expect(res.body).toContain('action="/tim-kiem"');
    expect(res.body).toContain('placeholder="Tìm thủ tục, cơ quan, tỉnh/thành phố… (có dấu hoặc không dấu)"');
    for (const href of ['/thu-tuc', '/co-quan', '/don-vi-hanh-chinh', '/lich-lam-viec', '/api/docs']) {
      expect(res.body).toContain(`<a href="${href}">`);
    }
    expect(res.body).toContain('1.234');
    expect(res.body).toContain('15/01/2026');
  });

  it('still opens the home page when the figures cannot be read', async () => {
    fake.failFigures = true;
    const res = await app.inject({ url: '/' });
    fake.failFigures = false;
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Số liệu tổng hợp');
  });

  it('lists agencies and provinces found, for a query without diacritics', async () => {
    calls.length = 0;
    const res = await app.inject({ url: '/tim-kiem?q=ha%20noi' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(calls).toEqual([
      { fn: 'listAgencies', q: 'ha noi' },
      { fn: 'listAdminUnits', q: 'ha noi' },
    ]);
    expect(res.body).toContain('<a href="/don-vi-hanh-chinh/01">Hà Nội</a>');
    expect(res.body).toContain('<a href="/co-quan/UBND-01">Ủy ban nhân dân thành phố Hà Nội</a>');
    expect(res.body).not.toContain('Bộ Tài chính</a>');
    expect(res.body).toContain('value="ha noi"');
  });

  it('shows the form and a hint when there is no query', async () => {
    calls.length = 0;
    for (const url of ['/tim-kiem', '/tim-kiem?q=%20%20']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Bạn muốn tìm gì?');
    }
    expect(calls).toEqual([]);
  });

  it('says so when nothing is found', async () => {
    const res = await app.inject({ url: '/tim-kiem?q=kh%C3%B4ng%20c%C3%B3' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Không tìm thấy kết quả phù hợp');
  });

  it('speaks English with ?lang=en and remembers it in a cookie', async () => {
    const res = await app.inject({ url: '/tim-kiem?q=tai%20chinh&lang=en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<a href="/co-quan/BTC">Ministry of Finance</a>');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^lang=en; /);
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Max-Age=31536000');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('HttpOnly');

    const next = await app.inject({ url: '/', headers: { cookie: 'lang=en' } });
    expect(next.body).toContain('<html lang="en">');
    expect(next.headers['set-cookie']).toBeUndefined();
  });

  it('rejects an over-long query with a 400 page', async () => {
    const res = await app.inject({ url: `/tim-kiem?q=${'a'.repeat(101)}`, headers: HTML });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Yêu cầu không hợp lệ');
  });

  it('renders a 404 error page with the detail and the request id', async () => {
    const res = await app.inject({ url: '/thu-loi', headers: { ...HTML, cookie: 'lang=vi' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="vi">');
    expect(res.body).toContain('Không tìm thấy trang');
    expect(res.body).toContain('Không có hồ sơ mã &lt;G01>.');
    expect(res.body).toContain('Mã yêu cầu');
    expect(res.body).toContain('<a class="button" href="/">');
  });

  it('answers an unknown page with the 404 page in English when asked', async () => {
    const res = await app.inject({ url: '/khong-co-trang-nay?lang=en', headers: HTML });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
    expect(res.body).toContain('Request id');
  });

  it('serves the stylesheet, the script and the referenced fonts only', async () => {
    const css = await app.inject({ url: '/assets/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toMatch(/font-family: ["']Be Vietnam Pro["']/);

    const js = await app.inject({ url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);

    const referenced = [...css.body.matchAll(/url\((\/assets\/fonts\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(referenced).toHaveLength(6);
    for (const url of referenced) {
      const font = await app.inject({ url });
      expect(font.statusCode, url).toBe(200);
      expect(font.headers['content-type']).toBe('font/woff2');
      expect(font.headers['cache-control']).toContain('immutable');
      expect(font.headers['cache-control']).toContain('max-age=31536000');
    }
    const other = await app.inject({ url: '/assets/fonts/be-vietnam-pro-latin-ext-400-normal.woff2' });
    expect(other.statusCode).toBe(404);
    // Encoded so that the path reaches the static handler un-normalised.
    for (const url of [
      '/assets/fonts/..%2f..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/assets/..%5c..%5c..%5cpackage.json',
    ]) {
      const traversal = await app.inject({ url });
      expect(traversal.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(traversal.body).not.toContain('"name": "cong-dvc"');
    }
  });
});
