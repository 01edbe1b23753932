/**
 * The relying-party simulator (sim/relying-party) verifies the id_token's signature against the
 * portal's JWKS: an id_token whose payload was altered on the way (a man-in-the-middle between the
 * relying party and the token endpoint) signs nobody in. Real portal, real relying party, real HTTP.
 */
import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RelyingParty, startRelyingParty } from '../../../../sim/relying-party/relying-party.ts';
import { csrfOf, form, freePort, HttpBrowser } from '../../../../test/helpers/http-browser.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { hashPassword } from '../domain/index.ts';
import { registerOidcClient } from './clients.ts';

let portal: Portal;
let base: string;
let rp: RelyingParty;
let tamper = false;
const seen: string[] = [];

/** Alters the id_token's payload in the token endpoint's answer (header and signature kept). */
const manInTheMiddle: oidc.CustomFetch = async (url, options) => {
  seen.push(new URL(url).pathname);
  const r = await fetch(url, options as RequestInit);
  if (!tamper || !new URL(url).pathname.endsWith('/oidc/token')) return r;
  const body = (await r.json()) as { id_token: string };
  const [header, payload, signature] = body.id_token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  claims.SoDinhDanh = '001099000001';
  claims.HoVaTen = 'Người Khác';
  body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  return new Response(JSON.stringify(body), { status: r.status, headers: r.headers });
};

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  portal = await testPortal({ env: { PUBLIC_URL: base } });
  await portal.app.listen({ port, host: '127.0.0.1' });
  const rpPort = await freePort();
  const rpUrl = `http://127.0.0.1:${rpPort}`;
  await portal.database.db
    .insertInto('identity.accounts')
    .values({
      kind: 'citizen',
      display_name: 'Vũ Thị Lan',
      personal_id: '001190008888',
      birth_date: '1990-01-20',
      sex: 'female',
      phone: '+84901238888',
      phone_verified_at: new Date(),
      password_hash: await hashPassword('hoa-sen-trong-dam-2026'),
      proofed_at: new Date(),
      proofing_method: 'population-register',
      proofing_level: 1,
      proofing_reference: 'test',
    })
    .execute();
  await registerOidcClient(portal.database.db, {
    clientId: 'rp-mo-phong',
    clientSecret: 'secret-of-the-simulated-relying-party-01',
    name: 'Cổng tỉnh mô phỏng',
    redirectUris: [`${rpUrl}/callback`],
    postLogoutRedirectUris: [`${rpUrl}/`],
  });
  rp = await startRelyingParty({
    issuer: new URL(base),
    clientId: 'rp-mo-phong',
    clientSecret: 'secret-of-the-simulated-relying-party-01',
    port: rpPort,
    publicUrl: rpUrl,
    fetch: manInTheMiddle,
  });
});
afterAll(async () => {
  await rp?.close();
  await portal?.close();
});

/** Signs in at the relying party through the portal; the relying party's answer to its callback. */
async function signInThroughRelyingParty(): Promise<Response> {
  const browser = new HttpBrowser(base);
  const start = await browser.fetch(`${rp.url}/login`);
  let step = await browser.follow(start.headers.get('location')!);
  step = await browser.follow(
    step.url,
    form({
      _csrf: csrfOf(await step.response.text()),
      identifier: '001190008888',
      password: 'hoa-sen-trong-dam-2026',
    }),
  );
  if (!step.url.startsWith(rp.url)) {
    const consent = await step.response.text();
    const uid = /\/uy-quyen\/([A-Za-z0-9_-]+)\/dong-y/.exec(consent)![1]!;
    step = await browser.follow(`${base}/uy-quyen/${uid}/dong-y`, form({ _csrf: csrfOf(consent) }));
  }
  expect(step.url.startsWith(`${rp.url}/callback`)).toBe(true);
  return browser.fetch(step.url);
}

describe('the relying-party simulator', () => {
  it('signs a person in with an id_token whose signature it checked against the portal JWKS', async () => {
    tamper = false;
    const r = await signInThroughRelyingParty();
    expect(r.status).toBe(303);
    expect(seen).toContain('/oidc/jwks');
  });

  it('refuses an id_token whose payload was altered on the way', async () => {
    tamper = true;
    const r = await signInThroughRelyingParty();
    expect(r.status).toBe(401);
    expect(await r.text()).toContain('Không xác minh được thông tin đăng nhập');
  });
});
