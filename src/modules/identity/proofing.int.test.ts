/**
 * Identity proofing (issue 14, "Trust"): nobody becomes the holder of a personal identification number
 * by typing it. The population register (sim/population-register, a real HTTP server on a free port)
 * must match the number, name and date of birth, and the code goes to the phone it holds; an unproven
 * account that declared the number loses it to its proven holder (audited, told); only a proven account
 * sees what is held under its number, releases it to relying parties and acts at LoA2; a register that
 * cannot answer leaves a clear message and nothing written.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citizen } from '../../../sim/population-register/population.ts';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import { verifyAuditChain } from '../../platform/audit/index.ts';
import { registerOidcClient } from './oidc/clients.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let base: string;
const PASSWORD = 'cay-da-dau-lang-2026';
const REDIRECT = 'https://dichvucong.tinh.example.vn/callback';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  portal = await testPortal({ env: { PUBLIC_URL: base, REGISTER_TIMEOUT_MS: '400' } });
  await portal.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await portal?.close();
});

const db = () => portal.database.db;
const e164 = (national: string) => `+84${national.slice(1)}`;
let nextPerson = 1000;
/** A living person of the register with a phone, a different one each time. */
function person(): Citizen {
  const c = portal.registers.population.population.search(
    (p) => p.status === 'alive' && p.phone !== null,
    nextPerson,
  );
  nextPerson += 997;
  return c;
}

/** The last code sent to a destination, as its owner would read it. */
async function lastCode(to: string): Promise<string | undefined> {
  await portal.dispatcher.runOnce();
  const r = await sql<{ body: string }>`
    select body from notifications.messages where recipient = ${to} order by id desc limit 1`.execute(db());
  return /(\d{6})/.exec(r.rows[0]?.body ?? '')?.[1];
}

async function count(query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return Number((await query.execute(db())).rows[0]!.n);
}
const challenges = () => count(sql<{ n: number }>`select count(*) as n from identity.otp_challenges`);
const accounts = () => count(sql<{ n: number }>`select count(*) as n from identity.accounts`);

const form = (c: Citizen, extra: Record<string, string> = {}) => ({
  kind: 'citizen',
  displayName: c.fullName,
  personalId: c.personalId,
  birthDate: c.birthDate,
  password: PASSWORD,
  passwordConfirm: PASSWORD,
  ...extra,
});

/** Registers through the forms: the code is read where the register's phone receives it. */
async function registerAs(client: FormClient, c: Citizen) {
  await client.get('/dang-ky');
  const start = await client.post('/dang-ky', form(c));
  expect(start.statusCode, start.body).toBe(303);
  const verify = start.headers.location as string;
  await client.get(verify);
  const challenge = new URL(verify, 'http://x').searchParams.get('ma')!;
  const code = await lastCode(e164(c.phone!));
  expect(code).toBeDefined();
  return client.post(verify, { challenge, code: code! });
}

const signedIn = (a: TestAccount, url: string) =>
  portal.app.inject({ method: 'GET', url, headers: { cookie: `sid=${a.token}`, accept: 'text/html' } });

describe('registration proven against the population register', () => {
  it('sends the code to the phone the register holds, masked on screen, and records the proofing', async () => {
    const c = person();
    const client = new FormClient(portal.app, '192.0.2.201');
    await client.get('/dang-ky');
    // A typed phone is ignored: only the register's phone can receive the code.
    const start = await client.post('/dang-ky', form(c, { contact: '0987 654 321' }));
    expect(start.statusCode).toBe(303);
    const verify = start.headers.location as string;
    const masked = `${c.phone!.slice(0, 3)}****${c.phone!.slice(-3)}`;
    expect(new URL(verify, 'http://x').searchParams.get('den')).toBe(masked);
    const page = await client.get(verify);
    expect(page.body).toContain(
      `${masked} — số điện thoại bạn đã đăng ký trong Cơ sở dữ liệu quốc gia về dân cư`,
    );
    expect(await lastCode('+84987654321')).toBeUndefined();
    const code = await lastCode(e164(c.phone!));
    const done = await client.post(verify, {
      challenge: new URL(verify, 'http://x').searchParams.get('ma')!,
      code: code!,
    });
    expect(done.statusCode).toBe(303);
    const row = await sql<Record<string, unknown>>`
      select id, display_name, sex, birth_date::text as birth_date, phone, phone_verified_at, proofed_at,
             proofing_method, proofing_level, proofing_reference
        from identity.accounts where personal_id = ${c.personalId}`.execute(db());
    expect(row.rows).toHaveLength(1);
    const a = row.rows[0]!;
    expect(a).toMatchObject({
      display_name: c.fullName,
      sex: c.sex,
      birth_date: c.birthDate,
      phone: e164(c.phone!),
      proofing_method: 'population-register',
      proofing_level: 1,
    });
    expect(a.proofed_at).toBeInstanceOf(Date);
    expect(a.phone_verified_at).toBeInstanceOf(Date);
    expect(a.proofing_reference).toMatch(/^[0-9a-f-]{36}$/);
    const audit = await sql<{ action: string; data: Record<string, unknown> }>`
      select action, data from platform.audit_log where subject = ${`account:${a.id}`} order by id`.execute(
      db(),
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        action: 'account.prove-identity',
        data: expect.objectContaining({ method: 'population-register', level: 1 }),
      }),
      expect.objectContaining({
        action: 'account.register',
        data: { kind: 'citizen', proofing: 'population-register' },
      }),
    ]);
    const account = await client.get('/tai-khoan');
    expect(account.body).toContain('Đã xác thực với Cơ sở dữ liệu quốc gia về dân cư');
  });

  it('says by the field what the register disagrees with, and writes nothing', async () => {
    const c = person();
    const client = new FormClient(portal.app, '192.0.2.202');
    const before = { challenges: await challenges(), accounts: await accounts() };
    const cases: Array<[Record<string, string>, string, string]> = [
      [form(c, { displayName: `${c.fullName} Thị` }), 'displayName', 'Họ và tên không khớp'],
      [
        form(c, {
          birthDate:
            `${c.birthDate.slice(0, 4)}-01-01` === c.birthDate
              ? `${c.birthDate.slice(0, 4)}-01-02`
              : `${c.birthDate.slice(0, 4)}-01-01`,
        }),
        'birthDate',
        'Ngày sinh không khớp',
      ],
      [
        form(c, {
          personalId: `${c.personalId.slice(0, 6)}${c.personalId.slice(6) === '999999' ? '999998' : '999999'}`,
        }),
        'personalId',
        'Không tìm thấy số định danh',
      ],
      // Fixed people of the register (sim/population-register/README.md).
      [
        { ...form(c), displayName: 'Trần Văn Tâm', personalId: '001052012001', birthDate: '1952-02-14' },
        'personalId',
        'đã mất',
      ],
      [
        { ...form(c), displayName: 'Lê Thị Hoa', personalId: '079190012002', birthDate: '1990-09-02' },
        'personalId',
        'đã bị hủy',
      ],
      [
        { ...form(c), displayName: 'Phạm Thị Lan', personalId: '001195012003', birthDate: '1995-07-07' },
        'personalId',
        'chưa có số điện thoại di động',
      ],
    ];
    for (const [fields, field, words] of cases) {
      await client.get('/dang-ky');
      const r = await client.post('/dang-ky', fields);
      expect(r.statusCode, words).toBe(400);
      const said = new RegExp(`id="${field}-loi">([^<]+)<`).exec(r.body)?.[1] ?? '';
      expect(said, words).toContain(words);
      // What was typed is kept.
      expect(r.body).toContain(`value="${fields.personalId}"`);
    }
    expect(await challenges()).toBe(before.challenges);
    expect(await accounts()).toBe(before.accounts);
  });
});

describe('the identity-claim takeover', () => {
  it('an impostor with someone’s number and name cannot register: the code goes to the holder’s phone', async () => {
    const victim = person();
    const impostor = new FormClient(portal.app, '192.0.2.203');
    await impostor.get('/dang-ky');
    // Without the date of birth: refused by the register.
    const guess = await impostor.post(
      '/dang-ky',
      form(victim, { birthDate: '1970-01-01', contact: '0388 777 666' }),
    );
    expect(guess.statusCode).toBe(400);
    // With it (it is on many documents): the code still goes to the victim's phone, never to the impostor.
    await impostor.get('/dang-ky');
    const start = await impostor.post('/dang-ky', form(victim, { contact: '0388 777 666' }));
    expect(start.statusCode).toBe(303);
    const ch = await sql<{ destination: string }>`
      select destination from identity.otp_challenges order by created_at desc limit 1`.execute(db());
    expect(ch.rows[0]!.destination).toBe(e164(victim.phone!));
    expect(await lastCode('+84388777666')).toBeUndefined();
    const verify = start.headers.location as string;
    await impostor.get(verify);
    const wrong = await impostor.post(verify, {
      challenge: new URL(verify, 'http://x').searchParams.get('ma')!,
      code: '000000',
    });
    expect(wrong.statusCode).toBe(400);
    const held = await sql<{
      n: number;
    }>`select count(*) as n from identity.accounts where personal_id = ${victim.personalId}`.execute(db());
    expect(Number(held.rows[0]!.n)).toBe(0);
  });

  it('an unproven legacy claim is revoked when the real person proves the number: audited, its holder told and signed out', async () => {
    const victim = person();
    // Made before proofing existed: anyone could declare any number.
    const legacy = await accountWithSession(portal, 'citizen', {
      personalId: victim.personalId,
      displayName: victim.fullName,
      phone: '+84388000111',
      proven: false,
    });
    // A business's invitation to the number: the claimant does not see it, so cannot accept it…
    const business = await accountWithSession(portal, 'business');
    await sql`insert into identity.delegations (business_account_id, delegate_personal_id, all_procedures, valid_until)
              values (${business.id}, ${victim.personalId}, true, current_date + 30)`.execute(db());
    expect((await signedIn(legacy, '/tai-khoan')).body).not.toContain('Đề nghị ủy quyền gửi bạn');
    // …but one it accepted before proofing existed goes back to being an invitation, for the holder.
    const accepted = await sql<{ id: number }>`
      insert into identity.delegations (business_account_id, delegate_account_id, delegate_personal_id, all_procedures, valid_until, accepted_at)
      values (${(await accountWithSession(portal, 'business')).id}, ${legacy.id}, ${victim.personalId}, true, current_date + 30, now())
      returning id`.execute(db());
    const client = new FormClient(portal.app, '192.0.2.204');
    const done = await registerAs(client, victim);
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/tai-khoan?moi=1');
    const rows = await sql<{
      id: string;
      personal_id: string | null;
      identifier_revoked_at: Date | null;
      proofed_at: Date | null;
    }>`
      select id, personal_id, identifier_revoked_at, proofed_at from identity.accounts
       where id = ${legacy.id} or personal_id = ${victim.personalId}`.execute(db());
    const old = rows.rows.find((r) => r.id === legacy.id)!;
    const real = rows.rows.find((r) => r.id !== legacy.id)!;
    expect(real).toMatchObject({ personal_id: victim.personalId });
    expect(real.proofed_at).toBeInstanceOf(Date);
    expect(old.personal_id).toBeNull();
    expect(old.identifier_revoked_at).toBeInstanceOf(Date);
    // Audited (hash-chained), told, signed out.
    const audit = await sql<{ actor: string; data: Record<string, unknown> }>`
      select actor, data from platform.audit_log where action = 'account.revoke-identifier' and subject = ${`account:${legacy.id}`}`.execute(
      db(),
    );
    expect(audit.rows).toEqual([
      {
        actor: 'system:identity',
        data: { identifier: 'personal-id', reason: 'proven-by-holder', provenAccount: real.id },
      },
    ]);
    expect((await verifyAuditChain(db())).ok).toBe(true);
    await portal.dispatcher.runOnce();
    const told = await sql<{ template: string }>`
      select template from notifications.messages where recipient = '+84388000111' order by id desc limit 1`.execute(
      db(),
    );
    expect(told.rows[0]?.template).toBe('account.identifier-revoked');
    expect((await signedIn(legacy, '/tai-khoan')).statusCode).toBe(303);
    const reopened = await sql<{ delegate_account_id: string | null; accepted_at: Date | null }>`
      select delegate_account_id, accepted_at from identity.delegations where id = ${accepted.rows[0]!.id}`.execute(
      db(),
    );
    expect(reopened.rows[0]).toEqual({ delegate_account_id: null, accepted_at: null });
    expect((await client.get('/tai-khoan')).body).toContain('Đề nghị ủy quyền gửi bạn');
    // The old account's holder, signing in again (by phone or e-mail), reads why.
    const token = randomBytes(32).toString('base64url');
    await sql`insert into identity.sessions (token_hash, account_id, expires_at, idle_timeout_seconds)
      values (${createHash('sha256').update(token).digest('hex')}, ${legacy.id}, now() + interval '1 hour', 3600)`.execute(
      db(),
    );
    const page = await signedIn({ id: legacy.id, token }, '/tai-khoan');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('đã được thu hồi');
    expect(page.body).not.toContain(victim.personalId);
  });

  it('the real person proves their own existing account from the account page, and takes the number back', async () => {
    const victim = person();
    const impostor = await accountWithSession(portal, 'citizen', {
      personalId: victim.personalId,
      displayName: victim.fullName,
      phone: '+84388000222',
      proven: false,
    });
    // The victim's own account, refused the number as a duplicate back then: made with a mistyped one.
    const own = await accountWithSession(portal, 'citizen', {
      personalId: `${victim.personalId.slice(0, 6)}${victim.personalId.slice(6) === '000001' ? '000002' : '000001'}`,
      displayName: victim.fullName,
      phone: e164(victim.phone!),
      proven: false,
    });
    // Registering anew is refused: the register's phone already belongs to their own account.
    const fresh = await registerAs(new FormClient(portal.app, '192.0.2.205'), victim);
    expect(fresh.statusCode).toBe(400);
    expect(fresh.body).toContain('hãy đăng nhập rồi xác thực danh tính ở trang Tài khoản');
    // From the account page, then.
    const client = new FormClient(portal.app, '192.0.2.206');
    client.cookies.set('sid', own.token);
    const accountPage = await client.get('/tai-khoan');
    expect(accountPage.body).toContain('Chưa xác thực');
    expect(accountPage.body).toContain('href="/tai-khoan/xac-thuc-danh-tinh"');
    await client.get('/tai-khoan/xac-thuc-danh-tinh');
    const start = await client.post('/tai-khoan/xac-thuc-danh-tinh', {
      personalId: victim.personalId,
      displayName: victim.fullName,
      birthDate: victim.birthDate,
    });
    expect(start.statusCode, start.body).toBe(303);
    const verify = start.headers.location as string;
    expect(verify).toMatch(/^\/tai-khoan\/xac-thuc-danh-tinh\/ma\?ma=[0-9a-f-]{36}&den=/);
    await client.get(verify);
    const code = await lastCode(e164(victim.phone!));
    const done = await client.post(verify, {
      challenge: new URL(verify, 'http://x').searchParams.get('ma')!,
      code: code!,
    });
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/tai-khoan?xt=1');
    const rows = await sql<{ id: string; personal_id: string | null; proofed_at: Date | null }>`
      select id, personal_id, proofed_at from identity.accounts where id in (${own.id}, ${impostor.id})`.execute(
      db(),
    );
    expect(rows.rows.find((r) => r.id === own.id)).toMatchObject({ personal_id: victim.personalId });
    expect(rows.rows.find((r) => r.id === own.id)!.proofed_at).toBeInstanceOf(Date);
    expect(rows.rows.find((r) => r.id === impostor.id)!.personal_id).toBeNull();
    const audit = await sql<{ n: number }>`
      select count(*) as n from platform.audit_log where action = 'account.revoke-identifier' and subject = ${`account:${impostor.id}`}`.execute(
      db(),
    );
    expect(Number(audit.rows[0]!.n)).toBe(1);
    expect(await lastCode('+84388000222')).toBeUndefined(); // the notice has no code…
    const told = await sql<{ template: string }>`
      select template from notifications.messages where recipient = '+84388000222' order by id desc limit 1`.execute(
      db(),
    );
    expect(told.rows[0]?.template).toBe('account.identifier-revoked');
    expect((await client.get('/tai-khoan?xt=1')).body).toContain('Đã xác thực danh tính');
  });

  it('a proven holder keeps the number: nobody else can prove it away', async () => {
    const holder = person();
    await accountWithSession(portal, 'citizen', {
      personalId: holder.personalId,
      displayName: holder.fullName,
    });
    const r = await registerAs(new FormClient(portal.app, '192.0.2.207'), holder);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('đã có một tài khoản đã xác thực danh tính');
  });
});

describe('what only a proven account gets', () => {
  it('synced dossiers held under the number (identity’s personalIdOf answers only for proven accounts)', async () => {
    const c = person();
    const code = '000.00.00.H26-250801-0777';
    const { clientSecret } = await registerOidcClient(db(), {
      clientId: 'mot-cua-thu',
      name: 'Hệ thống một cửa thử',
      machine: true,
      agencyCodes: ['UBND-01'],
      scope: 'sync',
    });
    const t = await portal.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        authorization: `Basic ${Buffer.from(`mot-cua-thu:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials&scope=sync',
    });
    const pushed = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/sync/dossiers',
      headers: { authorization: `Bearer ${t.json().access_token}` },
      payload: {
        dossiers: [
          {
            MaHoSo: code,
            MaTTHC: '1.001776',
            TenTTHC: 'Đăng ký khai sinh',
            ChuHoSo: c.fullName,
            SoGiayToChuHoSo: c.personalId,
            LoaiDoiTuong: '1',
            KenhThucHien: '1',
            TrangThaiHoSo: '2',
            NgayNopHoSo: '20250801090000',
            NgayTiepNhan: '20250801090000',
            NgayHenTra: '20250805170000',
          },
        ],
      },
    });
    expect(pushed.json().summary).toMatchObject({ accepted: 1 });
    const claimant = await accountWithSession(portal, 'citizen', {
      personalId: c.personalId,
      displayName: c.fullName,
      proven: false,
    });
    expect((await signedIn(claimant, '/ho-so/cua-toi')).body).not.toContain(code);
    expect((await signedIn(claimant, `/ho-so/dong-bo/${code}`)).statusCode).toBe(404);
    await sql`update identity.accounts set proofed_at = now(), proofing_method = 'population-register', proofing_level = 1
              where id = ${claimant.id}`.execute(db());
    expect((await signedIn(claimant, '/ho-so/cua-toi')).body).toContain(code);
    expect((await signedIn(claimant, `/ho-so/dong-bo/${code}`)).statusCode).toBe(200);
  });

  it('acting at LoA2', async () => {
    const unproven = await accountWithSession(portal, 'citizen', { phone: '+84388000333', proven: false });
    const client = new FormClient(portal.app, '192.0.2.208');
    client.cookies.set('sid', unproven.token);
    await client.get('/dang-nhap/nang-cap');
    const refused = await client.post('/dang-nhap/nang-cap', {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('chưa được xác thực danh tính nên chưa dùng được mức xác thực cao (LoA2)');
    expect(await lastCode('+84388000333')).toBeUndefined();
    const proven = await accountWithSession(portal, 'citizen', { phone: '+84388000444' });
    client.cookies.set('sid', proven.token);
    await client.get('/dang-nhap/nang-cap');
    const sent = await client.post('/dang-nhap/nang-cap', {});
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(/^\/dang-nhap\/nang-cap\?ma=/);
  });

  it('SoDinhDanh released to relying parties, and the consent page says what is not', async () => {
    await registerOidcClient(db(), {
      clientId: 'dvc-tinh-thu',
      clientSecret: 'secret-of-the-province-portal-0123456789',
      name: 'Cổng dịch vụ công tỉnh (thử)',
      redirectUris: [REDIRECT],
    });
    const config = await oidc.discovery(
      new URL(base),
      'dvc-tinh-thu',
      'secret-of-the-province-portal-0123456789',
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const claimsFor = async (a: TestAccount) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const jar = new Map<string, string>([['sid', a.token]]);
      const go = async (u: string, init: RequestInit = {}) => {
        const r = await fetch(u, {
          ...init,
          redirect: 'manual',
          headers: {
            ...(init.headers as Record<string, string>),
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          },
        });
        for (const c of r.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const i = pair!.indexOf('=');
          jar.set(pair!.slice(0, i), pair!.slice(i + 1));
        }
        return r;
      };
      let current = url.toString();
      let r = await go(current);
      while (r.status >= 300 && r.status < 400 && !r.headers.get('location')!.startsWith(REDIRECT)) {
        current = new URL(r.headers.get('location')!, current).toString();
        r = await go(current);
      }
      const consent = await r.text();
      const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(consent)![1]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(consent)![1]!;
      current = `${base}/uy-quyen/${uid}/dong-y`;
      r = await go(current, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: csrf }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      while (!r.headers.get('location')!.startsWith(REDIRECT)) {
        current = new URL(r.headers.get('location')!, current).toString();
        r = await go(current);
      }
      const tokens = await oidc.authorizationCodeGrant(config, new URL(r.headers.get('location')!), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      return {
        consent,
        userinfo: await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub),
      };
    };
    const c = person();
    const unproven = await accountWithSession(portal, 'citizen', {
      personalId: c.personalId,
      displayName: c.fullName,
      proven: false,
    });
    const u = await claimsFor(unproven);
    expect(u.userinfo.SoDinhDanh).toBeUndefined();
    expect(u.userinfo.HoVaTen).toBe(c.fullName);
    expect(u.consent).toContain('Không chia sẻ: số định danh cá nhân, vì tài khoản chưa được xác thực');
    const d = person();
    const proven = await accountWithSession(portal, 'citizen', {
      personalId: d.personalId,
      displayName: d.fullName,
    });
    const p = await claimsFor(proven);
    expect(p.userinfo.SoDinhDanh).toBe(d.personalId);
    expect(p.consent).not.toContain('Không chia sẻ');
  });
});

describe('when the population register cannot answer', () => {
  it('timeouts, 5xx and malformed answers give a clear 503 page, the form kept, nothing written', async () => {
    const c = person();
    const client = new FormClient(portal.app, '192.0.2.209');
    const before = { challenges: await challenges(), accounts: await accounts() };
    const faults: Array<Parameters<typeof portal.registers.population.configure>[0]> = [
      { fault: 'timeout' },
      { fault: '5xx' },
      { fault: 'malformed' },
      { fault: 'malformed' },
      { fault: 'malformed' },
      { fault: 'malformed' },
      // An answer slower than REGISTER_TIMEOUT_MS (400 ms here) is as good as none.
      { fault: 'none', latencyMs: 700 },
    ];
    try {
      for (const f of faults) {
        portal.registers.population.configure({ latencyMs: 0, ...f });
        await client.get('/dang-ky');
        const r = await client.post('/dang-ky', form(c));
        expect(r.statusCode, JSON.stringify(f)).toBe(503);
        expect(r.body).toContain('Cơ sở dữ liệu quốc gia về dân cư đang không phản hồi');
        expect(r.body).toContain('Chưa có thông tin nào được lưu');
        expect(r.body).toContain(`value="${c.personalId}"`);
      }
      // Proving an existing account says the same.
      const own = await accountWithSession(portal, 'citizen', { proven: false });
      client.cookies.set('sid', own.token);
      await client.get('/tai-khoan/xac-thuc-danh-tinh');
      portal.registers.population.configure({ fault: '5xx', latencyMs: 0 });
      const r = await client.post('/tai-khoan/xac-thuc-danh-tinh', {
        personalId: c.personalId,
        displayName: c.fullName,
        birthDate: c.birthDate,
      });
      expect(r.statusCode).toBe(503);
      expect(r.body).toContain('Cơ sở dữ liệu quốc gia về dân cư đang không phản hồi');
      expect(await challenges()).toBe(before.challenges);
      expect(await accounts()).toBe(before.accounts + 1);
    } finally {
      portal.registers.population.configure({ fault: 'none', latencyMs: 0 });
    }
    // Back up: the same form goes through.
    client.cookies.delete('sid');
    expect((await registerAs(client, c)).statusCode).toBe(303);
  });
});

describe('businesses, against the business register', () => {
  it('registers a business whose legal representative is a proven citizen, and takes its tax code back from an unproven claim', async () => {
    // The register's fixed business (sim/business-register/README.md): Hoàng Văn Nam represents it.
    const biz = { taxCode: '0105550032', name: 'Công ty TNHH Hoàng Nam (dữ liệu thử)', rep: '001090012004' };
    const fields = {
      kind: 'business',
      taxCode: biz.taxCode,
      displayName: biz.name,
      representativeId: biz.rep,
      password: PASSWORD,
      passwordConfirm: PASSWORD,
    };
    const client = new FormClient(portal.app, '192.0.2.210');
    await client.get('/dang-ky');
    // The representative has no proven account yet.
    let r = await client.post('/dang-ky', fields);
    expect(r.statusCode).toBe(400);
    expect(/id="representativeId-loi">([^<]+)</.exec(r.body)?.[1]).toContain(
      'cần có tài khoản công dân đã xác thực',
    );
    await accountWithSession(portal, 'citizen', { personalId: biz.rep, displayName: 'Hoàng Văn Nam' });
    // Someone else as representative, a suspended business: refused by the field.
    await client.get('/dang-ky');
    r = await client.post('/dang-ky', { ...fields, representativeId: '001088012345' });
    expect(/id="representativeId-loi">([^<]+)</.exec(r.body)?.[1]).toContain('không phải của người đại diện');
    await client.get('/dang-ky');
    r = await client.post('/dang-ky', {
      ...fields,
      taxCode: '0105550025',
      displayName: 'Công ty Cổ phần Hải Âu (dữ liệu thử)',
    });
    expect(/id="taxCode-loi">([^<]+)</.exec(r.body)?.[1]).toContain('tạm ngừng kinh doanh');
    // An unproven account that declared the tax code.
    const squatter = await accountWithSession(portal, 'business', {
      taxCode: biz.taxCode,
      phone: '+84388000555',
      proven: false,
    });
    await client.get('/dang-ky');
    r = await client.post('/dang-ky', fields);
    expect(r.statusCode, r.body).toBe(303);
    const verify = r.headers.location as string;
    expect(verify).toContain('den=091****095&nguon=dn');
    await client.get(verify);
    const done = await client.post(verify, {
      challenge: new URL(verify, 'http://x').searchParams.get('ma')!,
      code: (await lastCode('+84911000095'))!,
    });
    expect(done.statusCode, done.body).toBe(303);
    const rows = await sql<{
      id: string;
      tax_code: string | null;
      proofing_method: string | null;
      kind: string;
    }>`
      select id, tax_code, proofing_method, kind from identity.accounts
       where id = ${squatter.id} or tax_code = ${biz.taxCode}`.execute(db());
    expect(rows.rows.find((x) => x.id === squatter.id)!.tax_code).toBeNull();
    expect(rows.rows.find((x) => x.id !== squatter.id)).toMatchObject({
      kind: 'business',
      tax_code: biz.taxCode,
      proofing_method: 'business-register',
    });
    await portal.dispatcher.runOnce();
    const told = await sql<{ template: string }>`
      select template from notifications.messages where recipient = '+84388000555' order by id desc limit 1`.execute(
      db(),
    );
    expect(told.rows[0]?.template).toBe('account.identifier-revoked');
  });
});
