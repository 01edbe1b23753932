/**
 * The officers' desk `/quan-tri` on the whole portal: each officer sees the cards their roles open, with
 * the counts waiting behind them; an officer without a role sees why the desk is empty; anyone else is
 * kept out the way the route's access says (signed out: sign in and come back; a citizen: 404). And the
 * header's account menu offers the desk to officers only.
 */
import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { hashPassword } from '../identity/domain/index.ts';

let portal: Portal;
/** Session cookies by name. */
const people = new Map<string, string>();

async function officer(name: string, grants: Array<[string, string]>) {
  const { token } = await accountWithSession(portal, 'officer', {
    displayName: name,
    agency: 'UBND-01',
    grants,
  });
  people.set(name, token);
}

function as(name: string): FormClient {
  const c = new FormClient(portal.app);
  c.cookies.set('sid', people.get(name)!);
  return c;
}

/**
 * The cards of the desk, by their id, each with its links' text (label and count). The dossiers
 * module's cards are left out: its own tests check them.
 */
function cardsOf(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(
    /<section class="desk-card" aria-labelledby="ban-lam-viec-([a-z.-]+)">([\s\S]*?)<\/section>/g,
  )) {
    const links = [
      ...m[2]!.matchAll(
        /<a href="([^"]+)"><span class="desk-card__label">([^<]+)<\/span>(?:<span class="desk-count desk-count--([a-z]+)">([\d.]+))?/g,
      ),
    ];
    if (m[1]!.startsWith('dossiers')) continue;
    out[m[1]!] = links.map((l) => `${l[1]} ${l[2]}${l[4] !== undefined ? ` [${l[4]} ${l[3]}]` : ''}`);
  }
  return out;
}

async function desk(name: string) {
  const r = await as(name).get('/quan-tri');
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  return { html: r.body, cards: cardsOf(r.body) };
}

const CODE = '1.001193.000.00.00.H26';

beforeAll(async () => {
  portal = await testPortal();
  await officer('one-stop', [
    ['UBND-01', 'receiver'],
    ['UBND-01', 'processor'],
  ]);
  await officer('agency-admin', [['UBND-01', 'agency-admin']]);
  await officer('vpcp', [['CP', 'vpcp-supervisor']]);
  await officer('system-admin', [['CP', 'system-admin']]);
  await officer('hotline', [['CP', 'hotline-operator']]);
  await officer('no-role', []);
  const { token } = await accountWithSession(portal, 'citizen', { displayName: 'Nguyễn Văn Minh' });
  people.set('citizen', token);
});
afterAll(async () => {
  await portal.close();
});

describe('the officers’ desk', () => {
  it('shows a one-stop officer monitoring and the account look-up, nothing they may not open', async () => {
    const { html, cards } = await desk('one-stop');
    expect(Object.keys(cards).sort()).toEqual(['feedback-handling', 'identity-lookup', 'sync-monitoring']);
    // A processor handles the feedback the Government Office forwards to the agency.
    expect(cards['feedback-handling']).toEqual(['/quan-tri/phan-anh-kien-nghi Phản ánh chờ xử lý [0 zero]']);
    expect(cards['identity-lookup']).toEqual(['/quan-tri/tra-cuu-tai-khoan Tra cứu tài khoản']);
    expect(cards['sync-monitoring']).toEqual(['/quan-tri/dong-bo Giám sát đồng bộ hồ sơ']);
    expect(html).toContain('<h1>Bàn làm việc</h1>');
    expect(html).toContain('Xin chào one-stop.');
    // Each card's pages open for this officer.
    for (const href of ['/quan-tri/tra-cuu-tai-khoan', '/quan-tri/dong-bo'])
      expect((await as('one-stop').get(href)).statusCode, href).toBe(200);
    expect((await as('one-stop').get('/quan-tri/can-bo')).statusCode).toBe(404);
  });

  it('shows an agency administrator procedures with counts, officers, monitoring and the offices’ certificates', async () => {
    const before = await desk('agency-admin');
    expect(Object.keys(before.cards).sort()).toEqual([
      'catalogue-admin',
      'documents-counter',
      'feedback-handling',
      'identity-officers',
      'sync-monitoring',
    ]);
    // Not a certifier: of the certified copies, only the offices' certificates (to revoke).
    expect(before.cards['documents-counter']).toEqual([
      '/quan-tri/chung-thuc/chung-thu-so Chứng thư số của cơ quan',
    ]);
    expect(before.cards['catalogue-admin']).toEqual([
      '/quan-tri/thu-tuc Dự thảo đang soạn [0 zero]',
      '/quan-tri/thu-tuc Đang chờ Văn phòng Chính phủ công khai [0 zero]',
      '/quan-tri/thu-tuc Đang chờ dừng công khai [0 zero]',
      '/quan-tri/thu-tuc/moi Tạo thủ tục mới',
    ]);
    expect(before.cards['identity-officers']).toEqual(['/quan-tri/can-bo Cán bộ của cơ quan']);

    // A new version of a Hà Nội procedure: one draft.
    const admin = as('agency-admin');
    await admin.get(`/quan-tri/thu-tuc/${CODE}`);
    expect((await admin.post(`/quan-tri/thu-tuc/${CODE}/phien-ban-moi`, {})).statusCode).toBe(303);
    expect((await desk('agency-admin')).cards['catalogue-admin']?.[0]).toBe(
      '/quan-tri/thu-tuc Dự thảo đang soạn [1 normal]',
    );
    // Sent for testing: it waits for the Government Office, whose desk counts it.
    expect((await desk('vpcp')).cards['catalogue-admin']?.[0]).toBe(
      '/quan-tri/thu-tuc/hang-cho Phiên bản chờ công khai [0 zero]',
    );
    await admin.get(`/quan-tri/thu-tuc/${CODE}`);
    expect((await admin.post(`/quan-tri/thu-tuc/${CODE}/phien-ban/2/submit`, {})).statusCode).toBe(303);
    expect((await desk('agency-admin')).cards['catalogue-admin']?.slice(0, 2)).toEqual([
      '/quan-tri/thu-tuc Dự thảo đang soạn [0 zero]',
      '/quan-tri/thu-tuc Đang chờ Văn phòng Chính phủ công khai [1 normal]',
    ]);
    const vpcp = await desk('vpcp');
    expect(Object.keys(vpcp.cards).sort()).toEqual([
      'catalogue-admin',
      'feedback-handling',
      'sync-monitoring',
    ]);
    expect(vpcp.cards['catalogue-admin']).toEqual([
      '/quan-tri/thu-tuc/hang-cho Phiên bản chờ công khai [1 warning]',
      '/quan-tri/thu-tuc/hang-cho Đề nghị dừng công khai chờ duyệt [0 zero]',
      '/quan-tri/thu-tuc Quản trị thủ tục',
    ]);
    expect(vpcp.html).toContain('1<span class="visually-hidden"> (cần chú ý)</span>');
  });

  it('shows the system administrator officers, look-up, applications and webhooks', async () => {
    const { cards } = await desk('system-admin');
    expect(Object.keys(cards).sort()).toEqual([
      'identity-applications',
      'identity-lookup',
      'identity-officers',
      'notifications-delivery',
      'sync-monitoring',
    ]);
    expect(cards['notifications-delivery']).toEqual([
      '/quan-tri/tin-nhan Tin không gửi được (7 ngày qua) [0 zero]',
    ]);
    expect(cards['identity-applications']).toEqual(['/quan-tri/ung-dung Ứng dụng và hệ thống kết nối']);
    expect(cards['sync-monitoring']).toEqual([
      '/quan-tri/dong-bo Giám sát đồng bộ hồ sơ',
      '/quan-tri/dong-bo/webhook Gửi hồ sơ đến hệ thống của cơ quan (webhook): lần gửi đã bỏ [0 zero]',
    ]);
    for (const href of [
      '/quan-tri/ung-dung',
      '/quan-tri/dong-bo/webhook',
      '/quan-tri/can-bo',
      '/quan-tri/tin-nhan',
    ])
      expect((await as('system-admin').get(href)).statusCode, href).toBe(200);
  });

  it('shows a hotline operator the hotline desk, the account look-up and monitoring', async () => {
    const { cards } = await desk('hotline');
    expect(Object.keys(cards).sort()).toEqual(['hotline-desk', 'identity-lookup', 'sync-monitoring']);
    expect(cards['hotline-desk']).toEqual([
      '/quan-tri/tong-dai Cuộc gọi hôm nay [0 zero]',
      '/quan-tri/tong-dai/goi-lai Chờ gọi lại [0 zero]',
    ]);
    for (const href of ['/quan-tri/tong-dai', '/quan-tri/tong-dai/goi-lai'])
      expect((await as('hotline').get(href)).statusCode, href).toBe(200);
    expect((await as('vpcp').get('/quan-tri/tong-dai')).statusCode).toBe(404);
  });

  it('tells an officer without any role why the desk is empty', async () => {
    const { html, cards } = await desk('no-role');
    expect(cards).toEqual({});
    expect(html).toContain('Bạn chưa được giao vai trò nào');
    expect(html).toContain('<a href="/tai-khoan">');
  });

  it('speaks English with ?lang=en', async () => {
    const r = await as('one-stop').get('/quan-tri?lang=en');
    expect(r.body).toContain('<html lang="en">');
    expect(r.body).toContain('<h1>Officer’s desk</h1>');
    expect(r.body).toContain('Look up an account');
  });

  it('sends someone signed out to sign in and back; a citizen gets 404', async () => {
    const anonymous = await new FormClient(portal.app).get('/quan-tri');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/dang-nhap?tiep=%2Fquan-tri');
    const citizen = await as('citizen').get('/quan-tri');
    expect(citizen.statusCode).toBe(404);
    expect(citizen.body).toContain('Không tìm thấy trang');
  });

  it('offers the desk in the account menu to officers only, with "Tài khoản" and a working sign-out', async () => {
    const officerMenu = (await as('one-stop').get('/thu-tuc')).body;
    const menu = officerMenu.slice(officerMenu.indexOf('<details class="account-menu">'));
    expect(menu).toContain('<a href="/tai-khoan"><span>Tài khoản</span></a>');
    expect(menu).toContain('<a href="/quan-tri"><span>Bàn làm việc</span></a>');
    const citizenPage = (await as('citizen').get('/thu-tuc')).body;
    expect(citizenPage).toContain('<span class="account-menu__name">Nguyễn Văn Minh</span>');
    expect(citizenPage).not.toContain('href="/quan-tri"');
    // The header: the catalogue's and the sync module's links.
    expect(citizenPage).toContain(
      '<a href="/thu-tuc" aria-current="page"><span>Thủ tục hành chính</span></a>',
    );
    expect(citizenPage).toContain('<a href="/tra-cuu-ho-so"><span>Tra cứu hồ sơ</span></a>');

    // The menu's sign-out form ends the session (its token is the page's).
    const c = as('citizen');
    await c.get('/thu-tuc');
    const out = await c.post('/dang-xuat', {});
    expect(out.statusCode).toBe(303);
    expect((await c.get('/tai-khoan')).statusCode).toBe(303);
  });

  it('lands an officer on the desk after the second factor (or where ?tiep= says), a citizen on the account page', async () => {
    const password = 'mat-khau-kiem-thu-2026';
    const secret = 'JBSWY3DPEHPK3PXP';
    const db = portal.database.db;
    for (const email of ['ban.lam.viec@example.vn', 'ban.lam.viec.2@example.vn']) {
      const a = await sql<{ id: string }>`
        insert into identity.accounts (kind, display_name, email, email_verified_at, password_hash)
        values ('officer', ${email}, ${email}, now(), ${await hashPassword(password)}) returning id`.execute(
        db,
      );
      await sql`insert into identity.officers (account_id, agency_code, totp_secret, totp_enrolled_at)
                values (${a.rows[0]!.id}, 'UBND-01', ${secret}, now())`.execute(db);
    }
    const code = () =>
      new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
    const signIn = async (email: string, next: string) => {
      const c = new FormClient(portal.app, '203.0.113.77');
      await c.get(`/dang-nhap${next}`);
      const first = await c.post(`/dang-nhap${next}`, { identifier: email, password });
      expect(first.headers.location).toBe(`/dang-nhap/xac-thuc${next}`);
      await c.get(`/dang-nhap/xac-thuc${next}`);
      return c.post(`/dang-nhap/xac-thuc${next}`, { code: code() });
    };
    const landed = await signIn('ban.lam.viec@example.vn', '');
    expect(landed.statusCode).toBe(303);
    expect(landed.headers.location).toBe('/quan-tri');
    const asked = await signIn('ban.lam.viec.2@example.vn', '?tiep=%2Fquan-tri%2Fdong-bo');
    expect(asked.headers.location).toBe('/quan-tri/dong-bo');

    await accountWithSession(portal, 'citizen', { personalId: '001090054321' });
    await sql`update identity.accounts set password_hash = ${await hashPassword(password)}
              where personal_id = '001090054321'`.execute(db);
    const citizen = new FormClient(portal.app, '203.0.113.78');
    await citizen.get('/dang-nhap');
    const r = await citizen.post('/dang-nhap', { identifier: '001090054321', password });
    expect(r.headers.location).toBe('/tai-khoan');
  });
});
