/**
 * Officers' second factor is limited per account (issue 14, item 5): ten wrong authenticator codes,
 * from any number of addresses and sign-ins, lock it; a correct password does not start the count
 * again; the officer is told in Vietnamese; an administrator of the officer's agency releases it from
 * the officers page; lock and release are audited.
 */
import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { hashPassword } from './domain/index.ts';

let portal: Portal;
let officerId: string;
const EMAIL = 'khoa.ma@example.vn';
const PASSWORD = 'mot-cua-lien-thong-2026';
const SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const totp = new OTPAuth.TOTP({
  secret: OTPAuth.Secret.fromBase32(SECRET),
  digits: 6,
  period: 30,
  algorithm: 'SHA1',
});

/** A code the authenticator shows at no step near now (the check accepts one step either side). */
function wrongCode(): string {
  const near = new Set([-1, 0, 1].map((d) => totp.generate({ timestamp: Date.now() + d * 30_000 })));
  let n = 123456;
  while (near.has(String(n))) n += 1;
  return String(n);
}

beforeAll(async () => {
  portal = await testPortal();
  const db = portal.database.db;
  const a = await db
    .insertInto('identity.accounts')
    .values({
      kind: 'officer',
      display_name: 'Lý Thị Khóa',
      email: EMAIL,
      email_verified_at: new Date(),
      password_hash: await hashPassword(PASSWORD),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  officerId = a.id;
  await db
    .insertInto('identity.officers')
    .values({
      account_id: a.id,
      agency_code: 'UBND-01',
      title: null,
      department: null,
      totp_secret: SECRET,
      totp_enrolled_at: new Date(),
      totp_last_step: null,
      created_by: null,
    })
    .execute();
});
afterAll(async () => {
  await portal?.close();
});

/** Signs in with the (right) password from an address; the browser is then at the code step. */
async function passwordFrom(ip: string): Promise<FormClient> {
  const client = new FormClient(portal.app, ip);
  await client.get('/dang-nhap');
  const r = await client.post('/dang-nhap', { identifier: EMAIL, password: PASSWORD });
  expect(r.headers.location).toBe('/dang-nhap/xac-thuc');
  await client.get('/dang-nhap/xac-thuc');
  return client;
}

async function audited(action: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from platform.audit_log
    where action = ${action} and subject = ${`account:${officerId}`}`.execute(portal.database.db);
  return r.rows[0]!.n;
}

describe('the second factor limited per officer account', () => {
  it('locks after ten wrong codes from several addresses, whatever the correct passwords in between', async () => {
    const answers: number[] = [];
    let last = '';
    // Four addresses, each signing in with the right password and trying three codes.
    for (const ip of ['203.0.113.21', '198.51.100.22', '192.0.2.23', '2001:db8:5::24']) {
      const client = await passwordFrom(ip);
      for (let i = 0; i < 3 && answers.length < 10; i++) {
        const r = await client.post('/dang-nhap/xac-thuc', { code: wrongCode() });
        answers.push(r.statusCode);
        last = r.body;
      }
    }
    expect(answers).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 429]);
    expect(last).toContain('Xác thực hai bước của tài khoản đang tạm khóa');
    expect(await audited('officer.second-factor-lock')).toBe(1);

    // From a new address, the right password and the right code: still locked.
    const fresh = await passwordFrom('203.0.113.99');
    const right = await fresh.post('/dang-nhap/xac-thuc', { code: totp.generate() });
    expect(right.statusCode).toBe(429);
    expect(right.body).toContain('liên hệ quản trị viên của cơ quan để mở khóa');
    expect(fresh.cookies.get('sid')).toBeUndefined();
  });

  it('an administrator of another province cannot release it; the officer’s own administrator can', async () => {
    const stranger = await accountWithSession(portal, 'officer', { grants: [['UBND-79', 'agency-admin']] });
    const other = new FormClient(portal.app, '198.51.100.70');
    other.cookies.set('sid', stranger.token);
    await other.get('/quan-tri/can-bo');
    const refused = await other.post(`/quan-tri/can-bo/${officerId}/mo-khoa`, {});
    expect(refused.statusCode).toBe(404);

    const admin = await accountWithSession(portal, 'officer', { grants: [['UBND-01', 'agency-admin']] });
    const client = new FormClient(portal.app, '198.51.100.71');
    client.cookies.set('sid', admin.token);
    const page = await client.get('/quan-tri/can-bo');
    expect(page.body).toContain('Tạm khóa (nhập sai mã quá nhiều lần) đến');
    const released = await client.post(`/quan-tri/can-bo/${officerId}/mo-khoa`, {});
    expect(released.statusCode).toBe(200);
    expect(released.body).toContain('Đã mở khóa xác thực hai bước cho Lý Thị Khóa');
    expect(released.body).not.toContain('Tạm khóa (nhập sai mã quá nhiều lần) đến');
    expect(await audited('officer.second-factor-unlock')).toBe(1);

    const officer = await passwordFrom('203.0.113.21');
    const ok = await officer.post('/dang-nhap/xac-thuc', { code: totp.generate() });
    expect(ok.statusCode).toBe(303);
    expect(officer.cookies.get('sid')).toBeDefined();
  });
});
