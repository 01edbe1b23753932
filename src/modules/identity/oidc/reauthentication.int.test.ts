/**
 * Honest re-authentication at the OpenID Connect provider (issue 14, item 4): `prompt=login` and
 * `max_age` make the person type their password again (and their authenticator code, for an officer),
 * the id_token's `auth_time` is when they really did, and an essential `acr` claim is treated like
 * `acr_values` (no loop between the provider and the interaction page). Over real HTTP, openid-client as
 * the relying party.
 */
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, form, freePort, HttpBrowser } from '../../../../test/helpers/http-browser.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { hashPassword } from '../domain/index.ts';
import { registerOidcClient } from './clients.ts';

let portal: Portal;
let base: string;
let config: oidc.Configuration;
const REDIRECT = 'https://dichvucong.tinh.example.vn/callback';
const CITIZEN = { identifier: '079190007777', password: 'song-huong-chay-mai-2026' };
const OFFICER = { identifier: 'can.bo.xac.thuc@example.vn', password: 'ban-lam-viec-mot-cua-2026' };
const OFFICER_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

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
      display_name: 'Phan Thị Huế',
      personal_id: CITIZEN.identifier,
      birth_date: '1990-06-01',
      sex: 'female',
      phone: '+84901237777',
      phone_verified_at: new Date(),
      password_hash: await hashPassword(CITIZEN.password),
      proofed_at: new Date(),
      proofing_method: 'population-register',
      proofing_level: 1,
      proofing_reference: 'test',
    })
    .execute();
  const officer = await db
    .insertInto('identity.accounts')
    .values({
      kind: 'officer',
      display_name: 'Trần Văn Bộ',
      email: OFFICER.identifier,
      email_verified_at: new Date(),
      password_hash: await hashPassword(OFFICER.password),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('identity.officers')
    .values({
      account_id: officer.id,
      agency_code: 'UBND-01',
      title: null,
      department: null,
      totp_secret: OFFICER_SECRET,
      totp_enrolled_at: new Date(),
      totp_last_step: null,
      created_by: null,
    })
    .execute();
  await registerOidcClient(db, {
    clientId: 'dvc-tinh-xac-thuc',
    clientSecret: 'secret-of-the-province-portal-reauth-0123',
    name: 'Cổng dịch vụ công tỉnh (xác thực lại)',
    redirectUris: [REDIRECT],
  });
  config = await oidc.discovery(
    new URL(base),
    'dvc-tinh-xac-thuc',
    'secret-of-the-province-portal-reauth-0123',
    undefined,
    { execute: [oidc.allowInsecureRequests] },
  );
});
afterAll(async () => {
  await portal?.close();
});

async function authorize(params: Record<string, string>) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  return { url: url.toString(), verifier, state };
}

/** Goes on from a page of the interaction to the relying party, consenting if asked; fails on any other page. */
async function throughConsent(browser: HttpBrowser, step: { url: string; response: Response }) {
  for (let i = 0; i < 3 && !step.url.startsWith(REDIRECT); i++) {
    const html = await step.response.text();
    const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(html)?.[1];
    if (!uid) throw new Error(`unexpected page at ${step.url}`);
    step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(html) }));
  }
  return step;
}

async function tokensAt(step: { url: string }, request: { verifier: string; state: string }) {
  const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
  });
  return tokens.claims()!;
}

async function passwordSignIn(
  browser: HttpBrowser,
  step: { url: string; response: Response },
  who: { identifier: string; password: string },
) {
  expect(step.url).toMatch(/\/dang-nhap\?/);
  return browser.follow(step.url, form({ _csrf: csrfOf(await step.response.text()), ...who }));
}

/** Makes the browser's portal and provider sessions look as if the sign-in was `seconds` ago. */
async function age(accountId: string, seconds: number) {
  const db = portal.database.db;
  await sql`update identity.sessions set authenticated_at = authenticated_at - make_interval(secs => ${seconds}),
              created_at = created_at - make_interval(secs => ${seconds})
            where account_id = ${accountId} and revoked_at is null`.execute(db);
  await sql`update identity.oidc_payloads
              set payload = jsonb_set(payload, '{loginTs}', to_jsonb((payload->>'loginTs')::int8 - ${seconds}::int8))
            where model = 'Session' and payload->>'accountId' = ${accountId}`.execute(db);
}

async function accountId(identifier: string) {
  const r = await sql<{ id: string }>`select id from identity.accounts
    where personal_id = ${identifier} or email = ${identifier}`.execute(portal.database.db);
  return r.rows[0]!.id;
}

async function signedInCitizen() {
  const browser = new HttpBrowser(base);
  const first = await authorize({});
  let step = await browser.follow(first.url);
  step = await throughConsent(browser, await passwordSignIn(browser, step, CITIZEN));
  const claims = await tokensAt(step, first);
  return { browser, claims };
}

describe('re-authentication asked by a relying party', () => {
  it('prompt=login asks for the password again; auth_time is when it was typed, not when the code was issued', async () => {
    const { browser, claims: before } = await signedInCitizen();
    const id = await accountId(CITIZEN.identifier);
    await age(id, 3600);
    const again = await authorize({ prompt: 'login' });
    let step = await browser.follow(again.url);
    // No code for the relying party without the password: the sign-in page, saying why.
    expect(step.url).toMatch(/\/dang-nhap\?lai=1&tiep=%2Fuy-quyen%2F/);
    const page = await step.response.clone().text();
    expect(page).toContain('yêu cầu đăng nhập lại');
    const typedAt = Math.floor(Date.now() / 1000);
    step = await throughConsent(browser, await passwordSignIn(browser, step, CITIZEN));
    const claims = await tokensAt(step, again);
    expect(claims.sub).toBe(before.sub);
    expect(claims.auth_time).toBeGreaterThanOrEqual(typedAt);
    const session = await sql<{ at: Date }>`select authenticated_at as at from identity.sessions
      where account_id = ${id} and revoked_at is null`.execute(portal.database.db);
    expect(session.rows).toHaveLength(1);
    expect(claims.auth_time).toBe(Math.floor(session.rows[0]!.at.getTime() / 1000));
  });

  it('max_age older than the sign-in asks for the password again; a recent enough one keeps the real auth_time', async () => {
    const { browser } = await signedInCitizen();
    const id = await accountId(CITIZEN.identifier);
    await age(id, 600);
    // This browser's session is the newest: earlier tests' sessions of the same citizen are still alive.
    const signedInAt = await sql<{ at: Date }>`select authenticated_at as at from identity.sessions
      where account_id = ${id} and revoked_at is null order by created_at desc limit 1`.execute(
      portal.database.db,
    );
    const realAuthTime = Math.floor(signedInAt.rows[0]!.at.getTime() / 1000);

    // Within max_age: straight back, auth_time the real (ten-minute-old) sign-in.
    const recent = await authorize({ max_age: '3600' });
    let step = await throughConsent(browser, await browser.follow(recent.url));
    expect((await tokensAt(step, recent)).auth_time).toBe(realAuthTime);

    // max_age=1: the password again, and auth_time moves only because it was typed.
    const strict = await authorize({ max_age: '1' });
    step = await browser.follow(strict.url);
    expect(step.url).toMatch(/\/dang-nhap\?lai=1&tiep=/);
    const typedAt = Math.floor(Date.now() / 1000);
    step = await throughConsent(browser, await passwordSignIn(browser, step, CITIZEN));
    const claims = await tokensAt(step, strict);
    expect(claims.auth_time).toBeGreaterThanOrEqual(typedAt);
  });

  it('an officer signing in again for prompt=login gives the authenticator code too', async () => {
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(OFFICER_SECRET),
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    });
    const browser = new HttpBrowser(base);
    const first = await authorize({ acr_values: 'LoA2' });
    let step = await passwordSignIn(browser, await browser.follow(first.url), OFFICER);
    expect(step.url).toMatch(/\/dang-nhap\/xac-thuc\?tiep=/);
    step = await browser.follow(
      step.url,
      form({ _csrf: csrfOf(await step.response.text()), code: totp.generate() }),
    );
    step = await throughConsent(browser, step);
    expect((await tokensAt(step, first)).acr).toBe('LoA2');
    const id = await accountId(OFFICER.identifier);
    await age(id, 3600);
    // The authenticator's code cannot be used twice: wait for a fresh step in the database instead of time.
    await sql`update identity.officers set totp_last_step = totp_last_step - 2 where account_id = ${id}`.execute(
      portal.database.db,
    );

    const again = await authorize({ prompt: 'login', acr_values: 'LoA2' });
    step = await passwordSignIn(browser, await browser.follow(again.url), OFFICER);
    // The password alone is not enough: the second factor is asked before going back.
    expect(step.url).toMatch(/\/dang-nhap\/xac-thuc\?tiep=%2Fuy-quyen%2F/);
    const typedAt = Math.floor(Date.now() / 1000);
    step = await browser.follow(
      step.url,
      form({ _csrf: csrfOf(await step.response.text()), code: totp.generate() }),
    );
    step = await throughConsent(browser, step);
    const claims = await tokensAt(step, again);
    expect(claims.acr).toBe('LoA2');
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.auth_time).toBeGreaterThanOrEqual(typedAt);
  });

  it('an essential acr claim for LoA2 without acr_values leads to step-up, not a loop', async () => {
    const { browser } = await signedInCitizen();
    const request = await authorize({
      claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'LoA2' } } }),
    });
    let step = await browser.follow(request.url);
    expect(step.url).toMatch(/\/dang-nhap\/nang-cap\?tiep=/);
    step = await browser.follow(step.url, form({ _csrf: csrfOf(await step.response.text()) }));
    const page = await step.response.text();
    await portal.dispatcher.runOnce();
    const sent = await sql<{ body: string }>`select body from notifications.messages
      where recipient = '+84901237777' order by id desc limit 1`.execute(portal.database.db);
    const code = /(\d{6})/.exec(sent.rows[0]!.body)![1]!;
    const challenge = /name="challenge" value="([^"]+)"/.exec(page)![1]!;
    const action = /<form method="post" action="(\/dang-nhap\/nang-cap[^"]*)"/
      .exec(page)![1]!
      .replaceAll('&amp;', '&');
    step = await browser.follow(
      new URL(action, base).toString(),
      form({ _csrf: csrfOf(page), challenge, code }),
    );
    step = await throughConsent(browser, step);
    expect((await tokensAt(step, request)).acr).toBe('LoA2');

    // An essential LoA1 is met by the LoA2 session and named as asked, again without a loop.
    const lower = await authorize({
      claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['LoA1'] } } }),
    });
    step = await throughConsent(browser, await browser.follow(lower.url));
    expect((await tokensAt(step, lower)).acr).toBe('LoA1');
  });

  it('an essential acr the portal does not offer ends with an error to the relying party, not a loop', async () => {
    const { browser } = await signedInCitizen();
    const request = await authorize({
      claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'LoA3' } } }),
    });
    const step = await browser.follow(request.url);
    expect(step.url.startsWith(REDIRECT)).toBe(true);
    expect(new URL(step.url).searchParams.get('error')).toBe('unmet_authentication_requirements');
  });
});
