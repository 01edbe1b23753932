/**
 * A full OpenID Connect sign-in over real HTTP: openid-client as the relying party (a province portal),
 * a scripted browser following redirects, signing in on the portal's own page and consenting.
 */
import net from 'node:net';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { hashPassword } from '../domain/index.ts';
import { registerOidcClient } from './clients.ts';

let portal: Portal;
let base: string;
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
  portal = await testPortal({ env: { PUBLIC_URL: base } });
  await portal.app.listen({ port, host: '127.0.0.1' });
  const db = portal.database.db;
  await db
    .insertInto('identity.accounts')
    .values({
      kind: 'citizen',
      display_name: 'Lê Thị Hoa',
      personal_id: '079190001234',
      birth_date: '1990-04-30',
      sex: 'female',
      phone: '+84901234567',
      phone_verified_at: new Date(),
      password_hash: await hashPassword('mua-xuan-tren-pho-2026'),
      // Proven against the population register: her number is released, she may step up to LoA2.
      proofed_at: new Date(),
      proofing_method: 'population-register',
      proofing_level: 1,
      proofing_reference: 'test',
    })
    .execute();
  await registerOidcClient(db, {
    clientId: 'dvc-tinh-demo',
    clientSecret: 'secret-of-the-province-portal-0123456789',
    name: 'Cổng dịch vụ công tỉnh (thử nghiệm)',
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: ['https://dichvucong.tinh.example.vn/'],
  });
  await registerOidcClient(db, {
    clientId: 'motcua-hanoi',
    clientSecret: 'secret-of-the-one-stop-system-0123456789',
    name: 'Hệ thống một cửa Hà Nội',
    machine: true,
    agencyCodes: ['UBND-01'],
    scope: 'sync',
  });
});
afterAll(async () => {
  await portal?.close();
});

/** A browser that keeps cookies and follows redirects on the portal, stopping at the relying party. */
class Browser {
  jar = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const r = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return r;
  }
  /** Follows redirects until a page (200) or a URL outside the portal. */
  async follow(url: string, init: RequestInit = {}): Promise<{ url: string; response: Response }> {
    let current = url;
    let r = await this.fetch(current, init);
    for (let i = 0; i < 15 && r.status >= 300 && r.status < 400; i++) {
      current = new URL(r.headers.get('location')!, current).toString();
      if (!current.startsWith(base)) return { url: current, response: r };
      r = await this.fetch(current);
    }
    return { url: current, response: r };
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('the portal as an OpenID Connect provider', () => {
  it('publishes discovery with PKCE, LoA1/LoA2, client credentials and logout', async () => {
    const d = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
    expect(d.issuer).toBe(base);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.acr_values_supported).toEqual(['LoA1', 'LoA2']);
    expect(d.grant_types_supported).toContain('client_credentials');
    expect(d.backchannel_logout_supported).toBe(true);
    expect(d.end_session_endpoint).toBe(`${base}/oidc/session/end`);
    expect(d.claims_supported).toEqual(
      expect.arrayContaining(['SoDinhDanh', 'HoVaTen', 'LoaiTaiKhoan', 'MaSoDoanhNghiep']),
    );
  });

  it('signs a citizen in: authorization code + PKCE, consent, id_token, userinfo with the portal claims, logout', async () => {
    const config = await oidc.discovery(
      new URL(base),
      'dvc-tinh-demo',
      'secret-of-the-province-portal-0123456789',
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      acr_values: 'LoA1',
    });
    const browser = new Browser();
    // Not signed in: the portal's sign-in page.
    let step = await browser.follow(authUrl.toString());
    expect(step.url).toMatch(/\/dang-nhap\?tiep=%2Fuy-quyen%2F/);
    const loginHtml = await step.response.text();
    step = await browser.follow(
      step.url,
      form({ _csrf: csrfOf(loginHtml), identifier: '079190001234', password: 'mua-xuan-tren-pho-2026' }),
    );
    // Consent page lists the claims.
    expect(step.url).toMatch(/\/uy-quyen\//);
    const consent = await step.response.text();
    expect(consent).toContain('Cổng dịch vụ công tỉnh (thử nghiệm)');
    expect(consent).toContain('Số định danh cá nhân');
    const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(consent)![1]!;
    step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(consent) }));
    expect(step.url.startsWith(REDIRECT)).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const idClaims = tokens.claims()!;
    expect(idClaims.acr).toBe('LoA1');
    expect(idClaims.amr).toEqual(['pwd']);
    expect(typeof idClaims.auth_time).toBe('number');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    expect(userinfo).toMatchObject({
      LoaiTaiKhoan: 1,
      SoDinhDanh: '079190001234',
      HoVaTen: 'Lê Thị Hoa',
      NgayThangNamSinh: '1990-04-30',
      GioiTinh: 'Nữ',
      SoDienThoai: '0901234567',
      TechID: idClaims.sub,
    });

    // The citizen sees who received their data.
    const accountPage = await (await browser.fetch(`${base}/tai-khoan`)).text();
    expect(accountPage).toContain('Ai đã xem thông tin của tôi');
    expect(accountPage).toMatch(/Cổng dịch vụ công tỉnh \(thử nghiệm\)[\s\S]*Đọc thông tin tài khoản/);
    expect(accountPage).toContain('Số định danh cá nhân, Ngày sinh');

    // The code works once.
    await expect(
      oidc.authorizationCodeGrant(config, new URL(step.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      }),
    ).rejects.toThrow();

    // RP-initiated logout ends the provider session and the portal session.
    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://dichvucong.tinh.example.vn/',
    });
    const confirm = await browser.follow(end.toString());
    const page = await confirm.response.text();
    expect(page).toContain('Đăng xuất khỏi Cổng Dịch vụ công?');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1]!;
    const action = /<form[^>]*action="([^"]+)"/.exec(page)![1]!;
    const out = await browser.follow(new URL(action, base).toString(), form({ xsrf, logout: 'yes' }));
    expect(out.url).toBe('https://dichvucong.tinh.example.vn/');
    const account = await browser.fetch(`${base}/tai-khoan`);
    expect(account.status).toBe(303);
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = `${base}/oidc/auth?client_id=dvc-tinh-demo&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    const r = await fetch(url, { redirect: 'manual' });
    const params = new URL(r.headers.get('location') ?? 'x:').searchParams;
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toMatch(/PKCE/);
  });

  it('gives an agency system an access token with client credentials, and introspection shows its client', async () => {
    const config = await oidc.discovery(
      new URL(base),
      'motcua-hanoi',
      'secret-of-the-one-stop-system-0123456789',
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const t = await oidc.clientCredentialsGrant(config, { scope: 'sync' });
    expect(t.access_token).toBeTruthy();
    expect(t.scope).toBe('sync');
    const info = await oidc.tokenIntrospection(config, t.access_token);
    expect(info).toMatchObject({ active: true, client_id: 'motcua-hanoi', scope: 'sync' });
    await expect(
      oidc
        .discovery(new URL(base), 'motcua-hanoi', 'wrong-secret', undefined, {
          execute: [oidc.allowInsecureRequests],
        })
        .then((c) => oidc.clientCredentialsGrant(c, { scope: 'sync' })),
    ).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('steps a LoA1 session up to LoA2 with a code sent to the verified phone when the portal asks for LoA2', async () => {
    const { sql } = await import('kysely');
    const config = await oidc.discovery(
      new URL(base),
      'dvc-tinh-demo',
      'secret-of-the-province-portal-0123456789',
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const browser = new Browser();
    const authorize = async (acr: string) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        acr_values: acr,
      });
      return { url: url.toString(), verifier, state };
    };
    // First a LoA1 sign-in (password only), with consent.
    const first = await authorize('LoA1');
    let step = await browser.follow(first.url);
    step = await browser.follow(
      step.url,
      form({
        _csrf: csrfOf(await step.response.text()),
        identifier: '079190001234',
        password: 'mua-xuan-tren-pho-2026',
      }),
    );
    const consent = await step.response.text();
    const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(consent)![1]!;
    step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(consent) }));
    const t1 = await oidc.authorizationCodeGrant(config, new URL(step.url), {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
    });
    expect(t1.claims()!.acr).toBe('LoA1');

    // Now the portal asks for LoA2: the same browser is sent to the step-up page.
    const second = await authorize('LoA2');
    step = await browser.follow(second.url);
    expect(step.url).toMatch(/\/dang-nhap\/nang-cap\?tiep=/);
    step = await browser.follow(step.url, form({ _csrf: csrfOf(await step.response.text()) }));
    expect(step.url).toMatch(/\/dang-nhap\/nang-cap\?ma=/);
    const page = await step.response.text();
    await portal.dispatcher.runOnce();
    const sent = await sql<{
      body: string;
    }>`select body from notifications.messages where recipient = '+84901234567' order by id desc limit 1`.execute(
      portal.database.db,
    );
    const code = /(\d{6})/.exec(sent.rows[0]!.body)![1]!;
    const challenge = /name="challenge" value="([^"]+)"/.exec(page)![1]!;
    // The step-up form (the header's account menu has a sign-out form before it).
    const action = /<form method="post" action="(\/dang-nhap\/nang-cap[^"]*)"/
      .exec(page)![1]!
      .replaceAll('&amp;', '&');
    step = await browser.follow(
      new URL(action, base).toString(),
      form({ _csrf: csrfOf(page), challenge, code }),
    );
    expect(step.url.startsWith(REDIRECT)).toBe(true);
    const t2 = await oidc.authorizationCodeGrant(config, new URL(step.url), {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    expect(t2.claims()!.acr).toBe('LoA2');
    expect(t2.claims()!.amr).toEqual(['pwd', 'otp']);
  });

  it('hands relying parties whoever is signed in to the portal now, not an earlier person on the same browser', async () => {
    const db = portal.database.db;
    await db
      .insertInto('identity.accounts')
      .values({
        kind: 'citizen',
        display_name: 'Đỗ Văn Nam',
        personal_id: '001091004321',
        birth_date: '1991-02-11',
        sex: 'male',
        email: 'do.nam@example.vn',
        email_verified_at: new Date(),
        password_hash: await hashPassword('ben-thuyen-song-lo-2026'),
      })
      .execute();
    const config = await oidc.discovery(
      new URL(base),
      'dvc-tinh-demo',
      'secret-of-the-province-portal-0123456789',
      undefined,
      { execute: [oidc.allowInsecureRequests] },
    );
    const browser = new Browser();
    const signInThrough = async (identifier: string, password: string, expectLogin: boolean) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      let step = await browser.follow(url.toString());
      if (expectLogin) {
        const html = await step.response.text();
        step = await browser.follow(step.url, form({ _csrf: csrfOf(html), identifier, password }));
      }
      for (let i = 0; i < 4 && !step.url.startsWith(REDIRECT); i++) {
        const html = await step.response.text();
        // The provider ends the earlier person's session first (an auto-submitted form; posted by hand).
        const end = /<form method="post" action="([^"]*\/oidc\/session\/end\/confirm)"/.exec(html);
        if (end) {
          const fields = Object.fromEntries(
            [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [
              m[1]!,
              m[2]!,
            ]),
          );
          step = await browser.follow(end[1]!, form(fields));
          continue;
        }
        const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(html)?.[1];
        if (!uid) throw new Error(`unexpected page at ${step.url}`);
        step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(html) }));
      }
      expect(step.url.startsWith(REDIRECT), step.url).toBe(true);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      return tokens.claims()!.sub;
    };
    const first = await signInThrough('079190001234', 'mua-xuan-tren-pho-2026', true);
    // The first person's portal session ends (idle timeout); the provider's cookie is still there.
    await db
      .updateTable('identity.sessions')
      .set({ revoked_at: new Date() })
      .where('revoked_at', 'is', null)
      .execute();
    const login = await browser.follow(`${base}/dang-nhap`);
    const signedIn = await browser.follow(
      `${base}/dang-nhap`,
      form({
        _csrf: csrfOf(await login.response.text()),
        identifier: 'do.nam@example.vn',
        password: 'ben-thuyen-song-lo-2026',
      }),
    );
    expect(signedIn.url).toBe(`${base}/tai-khoan`);
    const second = await signInThrough('', '', false);
    const nam = await db
      .selectFrom('identity.accounts')
      .select('id')
      .where('personal_id', '=', '001091004321')
      .executeTakeFirstOrThrow();
    expect(second).not.toBe(first);
    expect(second).toBe(nam.id);
    // And the second person is still signed in to the portal.
    const account = await browser.follow(`${base}/tai-khoan`);
    expect(account.response.status).toBe(200);
    expect(await account.response.text()).toContain('Đỗ Văn Nam');
  });

  it('notifies a relying party by back-channel logout when the person signs out at the portal', async () => {
    const http = await import('node:http');
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await registerOidcClient(portal.database.db, {
      clientId: 'dvc-bcl',
      clientSecret: 'secret-of-the-bcl-portal-0123456789abcdef',
      name: 'Cổng nhận thông báo đăng xuất',
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: ['https://dichvucong.tinh.example.vn/'],
      backchannelLogoutUri: `http://127.0.0.1:${port}/bcl`,
    });
    const config = await oidc.discovery(
      new URL(base),
      'dvc-bcl',
      'secret-of-the-bcl-portal-0123456789abcdef',
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const browser = new Browser();
    let step = await browser.follow(url.toString());
    step = await browser.follow(
      step.url,
      form({
        _csrf: csrfOf(await step.response.text()),
        identifier: '079190001234',
        password: 'mua-xuan-tren-pho-2026',
      }),
    );
    const consent = await step.response.text();
    const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(consent)![1]!;
    step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(consent) }));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const sid = tokens.claims()!.sid;
    expect(typeof sid).toBe('string');
    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://dichvucong.tinh.example.vn/',
    });
    const confirm = await browser.follow(end.toString());
    const page = await confirm.response.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1]!;
    const action = /<form[^>]*action="([^"]+)"/.exec(page)![1]!;
    await browser.follow(new URL(action, base).toString(), form({ xsrf, logout: 'yes' }));
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    server.close();
    expect(received).toHaveLength(1);
    const logoutToken = new URLSearchParams(received[0]).get('logout_token')!;
    const payload = JSON.parse(Buffer.from(logoutToken.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ iss: base, aud: 'dvc-bcl', sid });
    expect(payload.events).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);
  });

  it('ends the single-sign-on session when the person signs out of the portal (shared computers)', async () => {
    const config = await oidc.discovery(
      new URL(base),
      'dvc-tinh-demo',
      'secret-of-the-province-portal-0123456789',
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const authorize = async () =>
      oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT,
          scope: 'openid',
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
          code_challenge_method: 'S256',
          state: oidc.randomState(),
        })
        .toString();
    const browser = new Browser();
    let step = await browser.follow(await authorize());
    step = await browser.follow(
      step.url,
      form({
        _csrf: csrfOf(await step.response.text()),
        identifier: '079190001234',
        password: 'mua-xuan-tren-pho-2026',
      }),
    );
    if (step.url.includes('/uy-quyen/')) {
      const consent = await step.response.text();
      const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(consent)![1]!;
      step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(consent) }));
    }
    expect(step.url.startsWith(REDIRECT)).toBe(true);
    // Signed in at the provider: a second request goes straight back to the relying party.
    expect((await browser.follow(await authorize())).url.startsWith(REDIRECT)).toBe(true);
    // Sign out of the portal …
    const account = await (await browser.fetch(`${base}/tai-khoan`)).text();
    await browser.follow(`${base}/dang-xuat`, form({ _csrf: csrfOf(account) }));
    // … and the next person at this browser must sign in.
    expect((await browser.follow(await authorize())).url).toMatch(/\/dang-nhap\?tiep=/);
  });
});
