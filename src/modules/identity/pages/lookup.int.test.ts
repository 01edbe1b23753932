/** The officers' account look-up and the person's "who accessed my data" list. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/helpers/browser.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../../test/helpers/sessions.ts';
import type { Portal } from '../../../bootstrap.ts';

let portal: Portal;
let hotline: FormClient;
let citizen: FormClient;
let citizenId: string;

async function browserWith(token: string, ip: string) {
  const c = new FormClient(portal.app, ip);
  c.cookies.set('sid', token);
  return c;
}

beforeAll(async () => {
  portal = await testPortal();
  const h = await accountWithSession(portal, 'officer', {
    displayName: 'Lê Thu Hà',
    title: 'Tổng đài viên',
    agency: 'VPCP',
    grants: [['CP', 'hotline-operator']],
  });
  hotline = await browserWith(h.token, '192.0.2.201');
  const c = await accountWithSession(portal, 'citizen', {
    displayName: 'Phạm Minh Tuấn',
    personalId: '036088001234',
    phone: '+84903111222',
  });
  citizenId = c.id;
  citizen = await browserWith(c.token, '192.0.2.202');
});
afterAll(() => portal.close());

const logRows = async () =>
  (
    await sql<{ accessor_kind: string; accessor_name: string; purpose: string }>`
      select accessor_kind, accessor_name, purpose from identity.data_access_log where account_id = ${citizenId}`.execute(
      portal.database.db,
    )
  ).rows;

describe('looking up an account', () => {
  it('needs a reason; without one nothing is shown and nothing is logged', async () => {
    await hotline.get('/quan-tri/tra-cuu-tai-khoan');
    const r = await hotline.post('/quan-tri/tra-cuu-tai-khoan', { identifier: '0903 111 222', reason: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Ghi rõ lý do tra cứu');
    expect(r.body).not.toContain('Phạm Minh Tuấn');
    expect(await logRows()).toEqual([]);
  });

  it('shows the account and writes who, from where and why into the person’s list and the audit log', async () => {
    await hotline.get('/quan-tri/tra-cuu-tai-khoan');
    const r = await hotline.post('/quan-tri/tra-cuu-tai-khoan', {
      identifier: '0903 111 222',
      reason: 'Cuộc gọi 1900-0153: quên mật khẩu',
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Phạm Minh Tuấn');
    expect(r.body).toContain('036088001234');
    expect(await logRows()).toEqual([
      {
        accessor_kind: 'officer',
        accessor_name: 'Lê Thu Hà, Tổng đài viên — Văn phòng Chính phủ',
        purpose: 'Tra cứu tài khoản để hỗ trợ: Cuộc gọi 1900-0153: quên mật khẩu',
      },
    ]);
    const audit = await sql<{ n: number }>`
      select count(*) as n from platform.audit_log where action = 'account.lookup' and subject = ${`account:${citizenId}`}`.execute(
      portal.database.db,
    );
    expect(audit.rows[0]!.n).toBe(1);
    // The person reads it on their account page.
    const page = (await citizen.get('/tai-khoan')).body;
    expect(page).toContain('Lê Thu Hà, Tổng đài viên — Văn phòng Chính phủ');
    expect(page).toContain('Tra cứu tài khoản để hỗ trợ: Cuộc gọi 1900-0153: quên mật khẩu');
  });

  it('finds no officer accounts, and says so plainly for an unknown one', async () => {
    await hotline.get('/quan-tri/tra-cuu-tai-khoan');
    const r = await hotline.post('/quan-tri/tra-cuu-tai-khoan', {
      identifier: '001299999999',
      reason: 'Kiểm tra theo yêu cầu của người gọi',
    });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('Không tìm thấy tài khoản nào khớp.');
  });

  it('is limited per officer so it cannot be used to browse', async () => {
    await sql`update platform.rate_limits set hits = 60 where key like 'account-lookup:%'`.execute(
      portal.database.db,
    );
    await hotline.get('/quan-tri/tra-cuu-tai-khoan');
    const r = await hotline.post('/quan-tri/tra-cuu-tai-khoan', {
      identifier: '036088001234',
      reason: 'Cuộc gọi 1900-0154: hỏi hồ sơ',
    });
    expect(r.statusCode).toBe(429);
    expect(await logRows()).toHaveLength(1);
  });

  it('is not open to a citizen or to an officer without one of the roles', async () => {
    expect((await citizen.get('/quan-tri/tra-cuu-tai-khoan')).statusCode).toBe(404);
    const cashier = await accountWithSession(portal, 'officer', { grants: [['UBND-01', 'cashier']] });
    const c = await browserWith(cashier.token, '192.0.2.203');
    expect((await c.get('/quan-tri/tra-cuu-tai-khoan')).statusCode).toBe(404);
  });
});
