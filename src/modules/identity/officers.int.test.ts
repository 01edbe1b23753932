import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { systemClock } from '../../platform/clock/index.ts';
import { scoped } from '../../platform/db/index.ts';
import { createAgenciesModule } from '../agencies/index.ts';
import type { IdentityTables } from './identity.tables.ts';
import { createOfficersService } from './officers.service.ts';

let portal: Portal;
let officers: ReturnType<typeof createOfficersService>;
let root: string;

beforeAll(async () => {
  portal = await testPortal();
  const agencies = createAgenciesModule({ db: portal.database.db, clock: systemClock });
  officers = createOfficersService({
    db: scoped<IdentityTables>(portal.database.db),
    clock: systemClock,
    lineageOf: (code) => agencies.service.lineageOf(code),
  });
  // The installation's first administrator, as an operator would seed it.
  const db = portal.database.db;
  const r = await sql<{
    id: string;
  }>`insert into identity.accounts (kind, display_name, email) values ('officer', 'Quản trị hệ thống', 'admin@example.vn') returning id`.execute(
    db,
  );
  root = r.rows[0]!.id;
  await sql`insert into identity.officers (account_id, agency_code) values (${root}, 'VPCP')`.execute(db);
  await sql`insert into identity.role_grants (account_id, agency_code, role) values (${root}, 'CP', 'system-admin')`.execute(
    db,
  );
});
afterAll(async () => {
  await portal.close();
});

describe('roles inherited down the agency tree', () => {
  it('lets an agency administrator create officers below their agency and nowhere else', async () => {
    const { accountId: hanoiAdmin } = await officers.createOfficer(root, {
      agencyCode: 'UBND-01',
      displayName: 'Phạm Quản Trị',
      email: 'quantri.hanoi@example.vn',
      roles: ['agency-admin'],
    });
    const { accountId: receiver } = await officers.createOfficer(hanoiAdmin, {
      agencyCode: 'TTPVHCC-01',
      displayName: 'Đỗ Tiếp Nhận',
      email: 'tiepnhan.hanoi@example.vn',
      title: 'Chuyên viên',
      department: 'Bộ phận Một cửa',
      roles: ['receiver'],
    });
    expect(await officers.can(receiver, 'receiver', 'TTPVHCC-01')).toBe(true);
    expect(await officers.can(receiver, 'receiver', 'TTPVHCC-79')).toBe(false);
    expect(await officers.can(hanoiAdmin, 'agency-admin', 'TTPVHCC-01')).toBe(true);
    expect(await officers.can(hanoiAdmin, 'agency-admin', 'UBND-79')).toBe(false);
    expect(await officers.can(root, 'system-admin', 'TTPVHCC-79')).toBe(true);

    await expect(
      officers.createOfficer(hanoiAdmin, {
        agencyCode: 'UBND-79',
        displayName: 'X',
        email: 'x@example.vn',
        roles: ['receiver'],
      }),
    ).rejects.toThrow(/không có quyền/);
    await expect(officers.grant(hanoiAdmin, receiver, 'system-admin', 'UBND-01')).rejects.toThrow(
      /không có quyền/,
    );
    await expect(officers.grant(hanoiAdmin, receiver, 'vpcp-supervisor', 'UBND-01')).rejects.toThrow(
      /không có quyền/,
    );

    await officers.grant(hanoiAdmin, receiver, 'processor', 'TTPVHCC-01');
    await officers.grant(hanoiAdmin, receiver, 'processor', 'TTPVHCC-01');
    expect(await officers.can(receiver, 'processor', 'TTPVHCC-01')).toBe(true);
    await officers.revoke(hanoiAdmin, receiver, 'processor', 'TTPVHCC-01');
    expect(await officers.can(receiver, 'processor', 'TTPVHCC-01')).toBe(false);
    const audit = await sql<{ action: string }>`select action from platform.audit_log order by id`.execute(
      portal.database.db,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'officer.create',
      'officer.create',
      'role.grant',
      'role.revoke',
    ]);
  });
});

describe('officer sign-in with a second factor', () => {
  it('enrols an authenticator on first sign-in, refuses a replayed code, and keeps a short session', async () => {
    await officers.createOfficer(root, {
      agencyCode: 'TTPVHCC-79',
      displayName: 'Võ Văn Xử Lý',
      email: 'xuly.hcm@example.vn',
      roles: ['processor'],
      password: 'can-bo-thanh-pho-2026',
    });
    const client = new FormClient(portal.app, '198.51.100.50');
    await client.get('/dang-nhap');
    const first = await client.post('/dang-nhap', {
      identifier: 'xuly.hcm@example.vn',
      password: 'can-bo-thanh-pho-2026',
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/dang-nhap/xac-thuc');
    expect(client.cookies.get('sid')).toBeUndefined();
    const page = await client.get('/dang-nhap/xac-thuc');
    expect(page.body).toContain('Thiết lập lần đầu');
    const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replace(/ /g, '');
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    });
    const wrong = await client.post('/dang-nhap/xac-thuc', {
      code: totp.generate() === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Mã xác thực không đúng');
    const code = totp.generate();
    const ok = await client.post('/dang-nhap/xac-thuc', { code });
    expect(ok.statusCode).toBe(303);
    expect(client.cookies.get('sid')).toBeDefined();
    const account = await client.get('/tai-khoan');
    expect(account.body).toContain('Võ Văn Xử Lý');
    const session = await sql<{ idle_timeout_seconds: number }>`
      select s.idle_timeout_seconds from identity.sessions s join identity.accounts a on a.id = s.account_id
       where a.email = 'xuly.hcm@example.vn' and s.revoked_at is null`.execute(portal.database.db);
    expect(session.rows[0]!.idle_timeout_seconds).toBe(15 * 60);

    // Same code again, in a second browser: refused (the step was used).
    const other = new FormClient(portal.app, '198.51.100.51');
    await other.get('/dang-nhap');
    await other.post('/dang-nhap', { identifier: 'xuly.hcm@example.vn', password: 'can-bo-thanh-pho-2026' });
    const enrolled = await other.get('/dang-nhap/xac-thuc');
    expect(enrolled.body).not.toContain('Thiết lập lần đầu');
    const replay = await other.post('/dang-nhap/xac-thuc', { code });
    expect(replay.statusCode).toBe(400);
    expect(other.cookies.get('sid')).toBeUndefined();
  });
});

describe('what other modules ask about an officer', () => {
  it('rolesAt gives the roles held at an agency, from grants there or above it; profileOf the history fields', async () => {
    const { accountWithSession } = await import('../../../test/helpers/sessions.ts');
    const o = await accountWithSession(portal, 'officer', {
      displayName: 'Trần Văn Bình',
      title: 'Chuyên viên',
      agency: 'TTPVHCC-01',
      grants: [
        ['UBND-01', 'approver'],
        ['TTPVHCC-01', 'receiver'],
        ['TTPVHCC-79', 'processor'],
      ],
    });
    expect([...(await officers.rolesAt(o.id, 'TTPVHCC-01'))].sort()).toEqual(['approver', 'receiver']);
    expect([...(await officers.rolesAt(o.id, 'UBND-01'))]).toEqual(['approver']);
    expect([...(await officers.rolesAt(o.id, 'TTPVHCC-79'))]).toEqual(['processor']);
    expect((await officers.rolesAt(o.id, 'UBND-46')).size).toBe(0);
    expect(await officers.profileOf(o.id)).toEqual({
      name: 'Trần Văn Bình',
      title: 'Chuyên viên',
      department: null,
    });
    expect(await officers.profileOf('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('holdersOf names who holds a role at an agency, nearest grant first, revoked grants left out', async () => {
    const { accountWithSession } = await import('../../../test/helpers/sessions.ts');
    const city = await accountWithSession(portal, 'officer', {
      agency: 'UBND-46',
      grants: [['UBND-46', 'approver']],
    });
    const centre = await accountWithSession(portal, 'officer', {
      agency: 'TTPVHCC-46',
      grants: [
        ['TTPVHCC-46', 'approver'],
        ['UBND-46', 'approver'],
      ],
    });
    const gone = await accountWithSession(portal, 'officer', {
      agency: 'TTPVHCC-46',
      grants: [['TTPVHCC-46', 'approver']],
    });
    await sql`update identity.role_grants set revoked_at = now() where account_id = ${gone.id}`.execute(
      portal.database.db,
    );
    expect(await officers.holdersOf('approver', 'TTPVHCC-46')).toEqual([
      { accountId: centre.id, agencyCode: 'TTPVHCC-46', depth: 0 },
      { accountId: city.id, agencyCode: 'UBND-46', depth: 1 },
    ]);
    expect((await officers.holdersOf('approver', 'UBND-46')).map((h) => h.accountId).sort()).toEqual(
      [centre.id, city.id].sort(),
    );
    expect(await officers.holdersOf('approver', 'UBND-79')).toEqual([]);
    expect(await officers.holdersOf('approver', 'NO-SUCH')).toEqual([]);
  });
});
