import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citizen } from '../../../sim/population-register/population.ts';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { formatPhoneNational, hashPassword } from './domain/index.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
/** The register's people these tests register as (population register of the test portal, seed `test`). */
let an: Citizen;
let ba: Citizen;
let chi: Citizen;
/** An's phone as the register holds it, in E.164. */
let anPhone: string;
beforeAll(async () => {
  portal = await testPortal();
  const people = portal.registers.population.population;
  const usable = (c: Citizen) => c.status === 'alive' && c.phone !== null;
  an = people.search(usable, 100);
  ba = people.search(usable, 200);
  chi = people.search(usable, 300);
  anPhone = `+84${an.phone!.slice(1)}`;
  citizen.displayName = an.fullName;
  citizen.personalId = an.personalId;
  citizen.birthDate = an.birthDate;
});
afterAll(async () => {
  await portal.close();
});

/** The last code sent to a destination, as the citizen would read it on their phone. */
async function lastCode(to: string): Promise<string> {
  await portal.dispatcher.runOnce();
  const r = await sql<{ body: string }>`
    select body from notifications.messages where recipient = ${to} order by id desc limit 1`.execute(
    portal.database.db,
  );
  const m = /(\d{6})/.exec(r.rows[0]?.body ?? '');
  if (!m) throw new Error(`no code sent to ${to}`);
  return m[1]!;
}

/** The registration form of An (filled in once the register's people are known). */
const citizen = {
  kind: 'citizen',
  displayName: '',
  personalId: '',
  birthDate: '',
  password: 'hoa-sen-tren-ho-2026',
  passwordConfirm: 'hoa-sen-tren-ho-2026',
};

async function register(client: FormClient, fields: Record<string, string>, phone: string) {
  await client.get('/dang-ky');
  const r = await client.post('/dang-ky', fields);
  expect(r.statusCode, r.body).toBe(303);
  const verify = r.headers.location as string;
  expect(verify).toMatch(/^\/dang-ky\/xac-minh\?ma=[0-9a-f-]{36}&den=/);
  const page = await client.get(verify);
  // Where the code went, masked: a number in the national form, an address by its first letter.
  expect(page.body).toContain(
    phone.startsWith('+84')
      ? `đến số điện thoại 0${phone.slice(3, 5)}****${phone.slice(-3)}`
      : `đến địa chỉ thư điện tử ${phone[0]}***${phone.slice(phone.indexOf('@'))}`,
  );
  const challenge = new URL(verify, 'http://x').searchParams.get('ma')!;
  return { verify, challenge, code: await lastCode(phone) };
}

describe('registration', () => {
  it('creates a citizen account once the code sent to the register’s phone is confirmed, and signs in', async () => {
    const client = new FormClient(portal.app);
    const { verify, challenge, code } = await register(client, citizen, anPhone);
    const done = await client.post(verify, { challenge, code });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/tai-khoan?moi=1');
    const account = await client.get('/tai-khoan?moi=1');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain(an.fullName);
    expect(account.body).toContain(an.personalId);
    expect(account.body).toContain(`${formatPhoneNational(anPhone)} (đã xác minh)`);
    const audit = await sql<{
      n: number;
    }>`select count(*) as n from platform.audit_log where action = 'account.register'`.execute(
      portal.database.db,
    );
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('creates an organisation account by tax code and type; a tax code belongs to one account', async () => {
    const client = new FormClient(portal.app, '192.0.2.31');
    const fields = {
      kind: 'organisation',
      displayName: 'Trường Trung học phổ thông Chu Văn An',
      taxCode: '0100109106',
      contact: 'thpt.chuvanan@example.edu.vn',
      password: 'bang-vang-truong-xua-2026',
      passwordConfirm: 'bang-vang-truong-xua-2026',
    };
    await client.get('/dang-ky');
    const noType = await client.post('/dang-ky', fields);
    expect(noType.statusCode).toBe(400);
    expect(noType.body).toContain('Vui lòng chọn loại tổ chức');
    expect(noType.body).toContain('value="organisation" checked');
    const { verify, challenge, code } = await register(
      client,
      { ...fields, organisationType: 'other' },
      'thpt.chuvanan@example.edu.vn',
    );
    expect((await client.post(verify, { challenge, code })).statusCode).toBe(303);
    const page = (await client.get('/tai-khoan')).body;
    expect(page).toContain('Trường Trung học phổ thông Chu Văn An');
    expect(page).toContain('Tổ chức');
    expect(page).toContain('Ủy quyền thay mặt doanh nghiệp, tổ chức');
    const row = await sql<{ kind: string; organisation_type: string }>`
      select kind, organisation_type from identity.accounts where tax_code = '0100109106'`.execute(
      portal.database.db,
    );
    expect(row.rows).toEqual([{ kind: 'organisation', organisation_type: 'other' }]);
    // It signs in with its tax code.
    const again = new FormClient(portal.app, '192.0.2.32');
    await again.get('/dang-nhap');
    expect(
      (await again.post('/dang-nhap', { identifier: '0100109106', password: fields.password })).statusCode,
    ).toBe(303);
    // A business registers only with a tax code the business register holds.
    const biz = new FormClient(portal.app, '192.0.2.33');
    await biz.get('/dang-ky');
    const refused = await biz.post('/dang-ky', {
      ...fields,
      kind: 'business',
      displayName: 'Công ty Chu Văn An',
      representativeId: an.personalId,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Không tìm thấy mã số doanh nghiệp này');
  });

  it('explains invalid fields in Vietnamese, next to each field, and keeps what was typed', async () => {
    const client = new FormClient(portal.app);
    await client.get('/dang-ky');
    const before = portal.registers.population.requests();
    const r = await client.post('/dang-ky', {
      ...citizen,
      personalId: '001285012345',
      password: 'password123',
      passwordConfirm: 'x',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Có lỗi cần sửa');
    expect(r.body).toMatch(/id="personalId-loi"/);
    expect(r.body).toMatch(/id="password-loi"/);
    expect(r.body).toContain(`value="${an.fullName}"`);
    // Nothing was asked of the register, nothing sent, nothing created.
    expect(portal.registers.population.requests()).toBe(before);
    const sent = await sql<{
      n: number;
    }>`select count(*) as n from identity.otp_challenges where payload->>'personalId' = '001285012345'`.execute(
      portal.database.db,
    );
    expect(sent.rows[0]!.n).toBe(0);
  });

  it('tells of an existing proven account only after the code sent to the register’s phone is confirmed', async () => {
    const client = new FormClient(portal.app);
    const { verify, challenge, code } = await register(client, citizen, anPhone);
    const r = await client.post(verify, { challenge, code });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Số định danh cá nhân này đã có một tài khoản đã xác thực danh tính');
  });

  it('counts wrong codes and lets a code create one account even when submitted twice at once', async () => {
    const client = new FormClient(portal.app);
    const { verify, challenge, code } = await register(
      client,
      { ...citizen, personalId: ba.personalId, birthDate: ba.birthDate, displayName: ba.fullName },
      `+84${ba.phone!.slice(1)}`,
    );
    const wrong = await client.post(verify, { challenge, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Bạn còn 4 lần thử');
    const token = client.csrf();
    const twice = await Promise.all([
      client.post(verify, { challenge, code }, { csrf: token }),
      client.post(verify, { challenge, code }, { csrf: token }),
    ]);
    expect(twice.map((r) => r.statusCode).sort()).toEqual([303, 400]);
    const n = await sql<{
      n: number;
    }>`select count(*) as n from identity.accounts where personal_id = ${ba.personalId}`.execute(
      portal.database.db,
    );
    expect(n.rows[0]!.n).toBe(1);
  });

  it('limits how many codes go to one destination', async () => {
    const client = new FormClient(portal.app, '198.51.100.7');
    const fields = {
      ...citizen,
      personalId: chi.personalId,
      birthDate: chi.birthDate,
      displayName: chi.fullName,
    };
    for (let i = 0; i < 3; i++) {
      await client.get('/dang-ky');
      expect((await client.post('/dang-ky', fields)).statusCode).toBe(303);
    }
    await client.get('/dang-ky');
    const r = await client.post('/dang-ky', fields);
    expect(r.statusCode).toBe(429);
    expect(r.body).toContain('Bạn đã thử quá nhiều lần');
  });
});

describe('sign-in, lockout and sign-out', () => {
  it('signs in with the ID number, the phone or the e-mail, and signs out', async () => {
    for (const identifier of [an.personalId, an.phone!, formatPhoneNational(anPhone).replace(/^0/, '+84 ')]) {
      const client = new FormClient(portal.app);
      await client.get('/dang-nhap');
      const r = await client.post('/dang-nhap', { identifier, password: citizen.password });
      expect(r.statusCode, identifier).toBe(303);
      expect(r.headers.location).toBe('/tai-khoan');
      expect(client.cookies.get('sid')).toBeDefined();
      const page = await client.get('/tai-khoan');
      expect(page.body).toContain(an.fullName);
      await client.post('/dang-xuat', {});
      expect((await client.get('/tai-khoan')).statusCode).toBe(303);
    }
  });

  it('redirects only to local paths after sign-in', async () => {
    const client = new FormClient(portal.app);
    await client.get('/dang-nhap?tiep=%2F%2Fevil.example');
    const r = await client.post('/dang-nhap?tiep=%2F%2Fevil.example', {
      identifier: an.personalId,
      password: citizen.password,
    });
    expect(r.headers.location).toBe('/tai-khoan');
  });

  it('gives one message for a wrong password, an unknown account and a locked account', async () => {
    const client = new FormClient(portal.app, '192.0.2.44');
    await client.get('/dang-nhap');
    const unknown = await client.post('/dang-nhap', {
      identifier: '001099999999',
      password: 'whatever-password',
    });
    const messageOf = (body: string) =>
      /<div class="notice notice--error"[\s\S]*?<li>([^<]+)<\/li>/.exec(body)?.[1];
    const expected = messageOf(unknown.body);
    expect(expected).toMatch(/Đăng nhập không thành công/);
    for (let i = 0; i < 5; i++) {
      const r = await client.post('/dang-nhap', {
        identifier: an.personalId,
        password: `wrong-password-${i}`,
      });
      expect(r.statusCode).toBe(400);
      expect(messageOf(r.body)).toBe(expected);
    }
    // Locked now: even the right password is refused, with the same words.
    const locked = await client.post('/dang-nhap', {
      identifier: an.personalId,
      password: citizen.password,
    });
    expect(locked.statusCode).toBe(400);
    expect(messageOf(locked.body)).toBe(expected);
    const row = await sql<{
      locked_until: Date | null;
    }>`select locked_until from identity.accounts where personal_id = ${an.personalId}`.execute(
      portal.database.db,
    );
    expect(row.rows[0]!.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    await sql`update identity.accounts set locked_until = null where personal_id = ${an.personalId}`.execute(
      portal.database.db,
    );
  });

  it('lets no more guesses through than the limits allow, even when they arrive all at once', async () => {
    await sql`insert into identity.accounts (kind, display_name, personal_id, email, email_verified_at, password_hash)
              values ('citizen', 'Trần Thị Bình', '001190054321', 'binh@example.vn', now(), ${await hashPassword(citizen.password)})`.execute(
      portal.database.db,
    );
    const clients = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = new FormClient(portal.app, `198.51.100.${i + 10}`);
        await c.get('/dang-nhap');
        return c;
      }),
    );
    const answers = await Promise.all(
      clients.map((c, i) =>
        c.post('/dang-nhap', { identifier: '001190054321', password: `doan-mo-${i}-xyz` }),
      ),
    );
    const codes = answers.map((r) => r.statusCode).sort();
    // Ten attempts per identifier in the window: the other two are refused before any check.
    expect(codes.filter((c) => c === 429)).toHaveLength(2);
    expect(codes.filter((c) => c === 400)).toHaveLength(10);
    // Five failures lock the account, whatever came in at the same time.
    const row = await sql<{ locked_until: Date | null; failed_logins: number }>`
      select locked_until, failed_logins from identity.accounts where personal_id = '001190054321'`.execute(
      portal.database.db,
    );
    expect(row.rows[0]!.locked_until).not.toBeNull();
    // A right password is then refused too (the limit is reached before the lock is even looked at).
    const late = new FormClient(portal.app, '198.51.100.99');
    await late.get('/dang-nhap');
    const r = await late.post('/dang-nhap', { identifier: '001190054321', password: citizen.password });
    expect([400, 429]).toContain(r.statusCode);
    expect(late.cookies.get('sid')).toBeUndefined();
  });

  it('refuses a form without a valid CSRF token', async () => {
    const client = new FormClient(portal.app);
    await client.get('/dang-nhap');
    const none = await client.post(
      '/dang-nhap',
      { identifier: an.personalId, password: citizen.password },
      { csrf: null },
    );
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('Biểu mẫu đã hết hạn');
    const forged = await client.post(
      '/dang-nhap',
      { identifier: an.personalId, password: citizen.password },
      { csrf: 'forged-token' },
    );
    expect(forged.statusCode).toBe(403);
    // A token from another browser does not work either.
    const other = new FormClient(portal.app);
    await other.get('/dang-nhap');
    const stolen = await client.post(
      '/dang-nhap',
      { identifier: an.personalId, password: citizen.password },
      { csrf: other.csrf() },
    );
    expect(stolen.statusCode).toBe(403);
  });

  it('issues a new session id at sign-in', async () => {
    const client = new FormClient(portal.app);
    client.cookies.set('sid', 'A'.repeat(43));
    await client.get('/dang-nhap');
    await client.post('/dang-nhap', { identifier: an.personalId, password: citizen.password });
    expect(client.cookies.get('sid')).not.toBe('A'.repeat(43));
  });
});

describe('password reset', () => {
  it('sends a code only to a verified contact of the account, and answers the same way otherwise', async () => {
    const stranger = new FormClient(portal.app, '192.0.2.80');
    await stranger.get('/quen-mat-khau');
    const r1 = await stranger.post('/quen-mat-khau', { identifier: an.personalId, contact: '0900 000 001' });
    expect(r1.statusCode).toBe(303);
    expect(r1.headers.location).toMatch(/^\/quen-mat-khau\/dat-lai\?ma=/);
    // The page names the contact typed (masked), without saying whether it is the account's.
    expect((await stranger.get(r1.headers.location as string)).body).toContain(
      'Nếu số điện thoại 090****001 là liên hệ đã xác minh của tài khoản',
    );
    // An address edited by hand is not repeated on the page.
    const forged = await stranger.get(
      `${(r1.headers.location as string).replace(/&den=[^&]*/, '')}&den=${encodeURIComponent('Goi 1900 0000')}`,
    );
    expect(forged.body).not.toContain('Goi 1900');
    expect(forged.body).toContain('Nếu số điện thoại hoặc thư điện tử của bạn là liên hệ');
    await portal.dispatcher.runOnce();
    const none = await sql<{
      n: number;
    }>`select count(*) as n from notifications.messages where recipient = '+84900000001'`.execute(
      portal.database.db,
    );
    expect(none.rows[0]!.n).toBe(0);

    const owner = new FormClient(portal.app, '192.0.2.81');
    const signedIn = new FormClient(portal.app, '192.0.2.82');
    await signedIn.get('/dang-nhap');
    await signedIn.post('/dang-nhap', { identifier: an.personalId, password: citizen.password });
    await owner.get('/quen-mat-khau');
    const r2 = await owner.post('/quen-mat-khau', { identifier: an.personalId, contact: an.phone! });
    expect(r2.statusCode).toBe(303);
    const code = await lastCode(anPhone);
    const page = r2.headers.location as string;
    await owner.get(page);
    const challenge = new URL(page, 'http://x').searchParams.get('ma')!;
    const done = await owner.post(page, {
      challenge,
      code,
      password: 'song-hong-chay-mai-2027',
      passwordConfirm: 'song-hong-chay-mai-2027',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/dang-nhap?xong=1');
    // Every session ended; the new password works, the old one does not.
    expect((await signedIn.get('/tai-khoan')).statusCode).toBe(303);
    const again = new FormClient(portal.app, '192.0.2.83');
    await again.get('/dang-nhap');
    expect(
      (await again.post('/dang-nhap', { identifier: an.personalId, password: citizen.password })).statusCode,
    ).toBe(400);
    expect(
      (await again.post('/dang-nhap', { identifier: an.personalId, password: 'song-hong-chay-mai-2027' }))
        .statusCode,
    ).toBe(303);
  });
});

describe('change of contact details', () => {
  it('uses a new phone only after the code sent to it is confirmed, and tells the old one', async () => {
    const client = new FormClient(portal.app, '192.0.2.120');
    await client.get('/dang-nhap');
    await client.post('/dang-nhap', { identifier: an.personalId, password: 'song-hong-chay-mai-2027' });
    await client.get('/tai-khoan');
    const r = await client.post('/tai-khoan/lien-he', { contact: '0977 555 666' });
    expect(r.statusCode).toBe(303);
    const page = r.headers.location as string;
    expect((await client.get(page)).body).toContain('gửi mã 6 chữ số đến số điện thoại 097****666');
    const challenge = new URL(page, 'http://x').searchParams.get('ma')!;
    // Not changed yet.
    let phone = await sql<{
      phone: string;
    }>`select phone from identity.accounts where personal_id = ${an.personalId}`.execute(portal.database.db);
    expect(phone.rows[0]!.phone).toBe(anPhone);
    const code = await lastCode('+84977555666');
    const done = await client.post(page, { challenge, code });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/tai-khoan?lh=1');
    phone = await sql<{
      phone: string;
    }>`select phone from identity.accounts where personal_id = ${an.personalId}`.execute(portal.database.db);
    expect(phone.rows[0]!.phone).toBe('+84977555666');
    await portal.dispatcher.runOnce();
    const told = await sql<{
      template: string;
    }>`select template from notifications.messages where recipient = ${anPhone} order by id desc limit 1`.execute(
      portal.database.db,
    );
    expect(told.rows[0]!.template).toBe('account.contact-changed');
  });

  it('refuses a code meant for another account', async () => {
    const owner = new FormClient(portal.app, '192.0.2.121');
    await owner.get('/dang-nhap');
    await owner.post('/dang-nhap', { identifier: ba.personalId, password: citizen.password });
    await owner.get('/tai-khoan');
    const r = await owner.post('/tai-khoan/lien-he', { contact: 'moi.ba@example.vn' });
    const challenge = new URL(r.headers.location as string, 'http://x').searchParams.get('ma')!;
    const code = await lastCode('moi.ba@example.vn');
    const other = new FormClient(portal.app, '192.0.2.122');
    await other.get('/dang-nhap');
    await other.post('/dang-nhap', { identifier: an.personalId, password: 'song-hong-chay-mai-2027' });
    await other.get(`/tai-khoan/lien-he/xac-minh?ma=${challenge}`);
    const stolen = await other.post('/tai-khoan/lien-he/xac-minh', { challenge, code });
    expect(stolen.statusCode).toBe(400);
    const email = await sql<{
      email: string | null;
    }>`select email from identity.accounts where personal_id = ${an.personalId}`.execute(portal.database.db);
    expect(email.rows[0]!.email).toBeNull();
  });
});

describe('business representation', () => {
  it('lets a business authorise a citizen for listed procedures until a date, and revoke it', async () => {
    const { createDelegationsService } = await import('./delegations.service.ts');
    const { hashPassword } = await import('./domain/index.ts');
    const { scoped } = await import('../../platform/db/index.ts');
    const { systemClock } = await import('../../platform/clock/index.ts');
    const db = portal.database.db;
    const biz = await sql<{ id: string }>`
      insert into identity.accounts (kind, display_name, tax_code, email, email_verified_at, password_hash)
      values ('business', 'Công ty Cổ phần Sông Hồng', '0106789017', 'songhong@example.vn', now(), ${await hashPassword('doanh-nghiep-song-hong')})
      returning id`.execute(db);
    const businessId = biz.rows[0]!.id;
    const client = new FormClient(portal.app, '192.0.2.140');
    await client.get('/dang-nhap');
    expect(
      (await client.post('/dang-nhap', { identifier: '0106789017', password: 'doanh-nghiep-song-hong' }))
        .statusCode,
    ).toBe(303);
    await client.get('/tai-khoan');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const bad = await client.post('/tai-khoan/uy-quyen', {
      personalId: an.personalId,
      procedures: '2.000815, abc',
      validUntil: until,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Mã thủ tục &quot;abc&quot; không hợp lệ');
    const ok = await client.post('/tai-khoan/uy-quyen', {
      personalId: an.personalId,
      procedures: '2.000815',
      validUntil: until,
    });
    expect(ok.statusCode).toBe(303);
    // An invitation to an ID with no account reads exactly the same to the business.
    await client.get('/tai-khoan');
    expect(
      (
        await client.post('/tai-khoan/uy-quyen', {
          personalId: '001099000123',
          procedures: '',
          validUntil: until,
        })
      ).statusCode,
    ).toBe(303);
    let page = (await client.get('/tai-khoan')).body;
    expect(page).not.toContain(an.fullName);
    expect(page.match(/Chờ người được ủy quyền chấp nhận/g)).toHaveLength(2);

    const delegations = createDelegationsService({ db: scoped(db), clock: systemClock });
    const anRow = await sql<{
      id: string;
    }>`select id from identity.accounts where personal_id = ${an.personalId}`.execute(db);
    const anId = anRow.rows[0]!.id;
    // Nobody may act on an invitation.
    expect(await delegations.mayActFor(anId, businessId, '2.000815')).toBe(false);

    const citizenView = new FormClient(portal.app, '192.0.2.141');
    await citizenView.get('/dang-nhap');
    await citizenView.post('/dang-nhap', { identifier: an.personalId, password: 'song-hong-chay-mai-2027' });
    const invited = (await citizenView.get('/tai-khoan')).body;
    expect(invited).toContain('Đề nghị ủy quyền gửi bạn');
    expect(invited).toContain('Công ty Cổ phần Sông Hồng');
    const id = (await delegations.given(businessId)).find(
      (d) => d.delegate_personal_id === an.personalId,
    )!.id;
    // The business cannot accept for the person.
    await client.get('/tai-khoan');
    expect((await client.post(`/tai-khoan/uy-quyen/${id}/chap-nhan`, {})).statusCode).toBe(404);
    expect((await citizenView.post(`/tai-khoan/uy-quyen/${id}/chap-nhan`, {})).statusCode).toBe(303);
    await citizenView.get('/tai-khoan');
    expect((await citizenView.post(`/tai-khoan/uy-quyen/${id}/chap-nhan`, {})).statusCode).toBe(404);
    expect(await delegations.mayActFor(anId, businessId, '2.000815')).toBe(true);
    expect(await delegations.mayActFor(anId, businessId, '1.001776')).toBe(false);
    expect((await citizenView.get('/tai-khoan')).body).toContain('Bạn được ủy quyền thay mặt');
    page = (await client.get('/tai-khoan')).body;
    expect(page).toContain(`${an.fullName} (${an.personalId})`);
    expect(page).toContain('Đang hiệu lực');

    // Someone else cannot revoke it (404), the business can.
    const stranger = await citizenView.post(`/tai-khoan/uy-quyen/${id}/thu-hoi`, {});
    expect(stranger.statusCode).toBe(404);
    expect(await delegations.mayActFor(anId, businessId, '2.000815')).toBe(true);
    await client.get('/tai-khoan');
    expect((await client.post(`/tai-khoan/uy-quyen/${id}/thu-hoi`, {})).statusCode).toBe(303);
    expect(await delegations.mayActFor(anId, businessId, '2.000815')).toBe(false);
  });
});
