/**
 * Who may open which administration page: every route against every kind of caller (the matrix),
 * through real sign-ins (officers with their second factor).
 */
import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/helpers/browser.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { hashPassword } from '../domain/index.ts';

let portal: Portal;
const SECRET = 'JBSWY3DPEHPK3PXP';
const PASSWORD = 'mat-khau-kiem-thu-2026';

async function officer(email: string, agency: string, grants: Array<[string, string]>) {
  const db = portal.database.db;
  const hash = await hashPassword(PASSWORD);
  const a = await sql<{ id: string }>`
    insert into identity.accounts (kind, display_name, email, email_verified_at, password_hash)
    values ('officer', ${email}, ${email}, now(), ${hash}) returning id`.execute(db);
  const id = a.rows[0]!.id;
  await sql`insert into identity.officers (account_id, agency_code, totp_secret, totp_enrolled_at) values (${id}, ${agency}, ${SECRET}, now())`.execute(
    db,
  );
  for (const [at, role] of grants) {
    await sql`insert into identity.role_grants (account_id, agency_code, role) values (${id}, ${at}, ${role})`.execute(
      db,
    );
  }
}

async function signIn(identifier: string, ip: string): Promise<FormClient> {
  const c = new FormClient(portal.app, ip);
  await c.get('/dang-nhap');
  const r = await c.post('/dang-nhap', { identifier, password: PASSWORD });
  if (r.headers.location === '/dang-nhap/xac-thuc') {
    await c.get('/dang-nhap/xac-thuc');
    // Each officer signs in once here (a code's time step is spent per officer).
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SECRET), digits: 6, period: 30 });
    const code = totp.generate();
    const done = await c.post('/dang-nhap/xac-thuc', { code });
    if (done.statusCode !== 303)
      throw new Error(`second factor failed for ${identifier}: ${done.statusCode}`);
  } else if (r.statusCode !== 303) throw new Error(`sign-in failed for ${identifier}: ${r.statusCode}`);
  return c;
}

const callers: Record<string, FormClient | undefined> = {};

beforeAll(async () => {
  portal = await testPortal();
  await officer('sysadmin@example.vn', 'VPCP', [['CP', 'system-admin']]);
  await officer('admin.hanoi@example.vn', 'UBND-01', [['UBND-01', 'agency-admin']]);
  await officer('admin.hcm@example.vn', 'UBND-79', [['UBND-79', 'agency-admin']]);
  await officer('receiver.hanoi@example.vn', 'TTPVHCC-01', [['TTPVHCC-01', 'receiver']]);
  await sql`insert into identity.accounts (kind, display_name, personal_id, email, email_verified_at, password_hash)
            values ('citizen', 'Công Dân', '001090000009', 'congdan@example.vn', now(), ${await hashPassword(PASSWORD)})`.execute(
    portal.database.db,
  );
  callers.anonymous = new FormClient(portal.app, '203.0.113.90');
  callers.citizen = await signIn('001090000009', '203.0.113.91');
  callers.receiver = await signIn('receiver.hanoi@example.vn', '203.0.113.92');
  callers.adminHanoi = await signIn('admin.hanoi@example.vn', '203.0.113.93');
  callers.adminHcm = await signIn('admin.hcm@example.vn', '203.0.113.94');
  callers.sysadmin = await signIn('sysadmin@example.vn', '203.0.113.95');
});
afterAll(async () => {
  await portal.close();
});

// 303 = sent to sign in; 404 = not for you (outside your scope answers 404, not 403).
const MATRIX: Array<[string, Record<string, number>]> = [
  [
    '/tai-khoan',
    { anonymous: 303, citizen: 200, receiver: 200, adminHanoi: 200, adminHcm: 200, sysadmin: 200 },
  ],
  [
    '/quan-tri/can-bo',
    { anonymous: 303, citizen: 404, receiver: 404, adminHanoi: 200, adminHcm: 200, sysadmin: 200 },
  ],
  [
    '/quan-tri/ung-dung',
    { anonymous: 303, citizen: 404, receiver: 404, adminHanoi: 404, adminHcm: 404, sysadmin: 200 },
  ],
];

describe('authorisation matrix of the administration pages', () => {
  for (const [route, expected] of MATRIX) {
    for (const [who, status] of Object.entries(expected)) {
      it(`${route} as ${who} → ${status}`, async () => {
        const r = await callers[who]!.get(route);
        expect(r.statusCode).toBe(status);
      });
    }
  }

  it('an agency administrator sees only the officers of their own subtree', async () => {
    const hanoi = await callers.adminHanoi!.get('/quan-tri/can-bo');
    expect(hanoi.body).toContain('receiver.hanoi@example.vn');
    expect(hanoi.body).not.toContain('admin.hcm@example.vn');
    const hcm = await callers.adminHcm!.get('/quan-tri/can-bo');
    expect(hcm.body).not.toContain('receiver.hanoi@example.vn');
  });

  it('an agency administrator creates an officer in their subtree, not in another province, and cannot grant system roles', async () => {
    const c = callers.adminHanoi!;
    await c.get('/quan-tri/can-bo');
    const ok = await c.post('/quan-tri/can-bo', {
      agency: 'TTPVHCC-01',
      displayName: 'Bùi Văn Mới',
      email: 'moi.hanoi@example.vn',
      roles: 'receiver',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Đã tạo tài khoản cán bộ Bùi Văn Mới');
    const outside = await c.post('/quan-tri/can-bo', {
      agency: 'TTPVHCC-79',
      displayName: 'X',
      email: 'x@example.vn',
      roles: 'receiver',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('không có quyền');
    const n = await sql<{
      n: number;
    }>`select count(*) as n from identity.accounts where email = 'x@example.vn'`.execute(portal.database.db);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('a system administrator registers a relying party and sees its secret once', async () => {
    const c = callers.sysadmin!;
    await c.get('/quan-tri/ung-dung');
    const r = await c.post('/quan-tri/ung-dung', {
      clientId: 'dvc-tinh-moi',
      name: 'Cổng dịch vụ công tỉnh mới',
      kind: 'portal',
      redirectUris: 'https://dvc.tinh-moi.example.vn/callback',
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/client_secret: <code>[A-Za-z0-9_-]{40,}<\/code>/);
    const d = await portal.app.inject('/.well-known/openid-configuration');
    expect(d.statusCode).toBe(200);
    const again = await portal.app.inject('/quan-tri/ung-dung');
    expect(again.body).not.toContain('client_secret: <code>');
  });

  it('links administrators to the pages they may use from their account page, and nobody else', async () => {
    expect((await callers.sysadmin!.get('/tai-khoan')).body).toContain('href="/quan-tri/ung-dung"');
    const hanoi = (await callers.adminHanoi!.get('/tai-khoan')).body;
    expect(hanoi).toContain('href="/quan-tri/can-bo"');
    expect(hanoi).not.toContain('href="/quan-tri/ung-dung"');
    // A receiver may only look accounts up (to help at the counter) and follow their agency's sync.
    const receiver = (await callers.receiver!.get('/tai-khoan')).body;
    expect(receiver.match(/href="\/quan-tri\/[^"]*"/g)).toEqual([
      'href="/quan-tri/tra-cuu-tai-khoan"',
      'href="/quan-tri/dong-bo"',
    ]);
    expect((await callers.citizen!.get('/tai-khoan')).body).not.toContain('/quan-tri/');
  });
});
