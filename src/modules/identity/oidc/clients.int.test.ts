/** The client-registration API, end to end: real tokens from the provider, real sign-ins by the clients. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { registerOidcClient } from './clients.ts';

let portal: Portal;

async function token(clientId: string, secret: string, scope: string) {
  return portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `grant_type=client_credentials&scope=${scope}`,
  });
}

async function adminToken(clientId: string) {
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId,
    name: 'Công cụ quản trị định danh',
    machine: true,
    agencyCodes: ['CP'],
    scope: 'clients',
  });
  const r = await token(clientId, clientSecret, 'clients');
  expect(r.statusCode).toBe(200);
  return r.json().access_token as string;
}

const api = (bearer: string | undefined, method: string, url: string, payload?: unknown) =>
  portal.app.inject({
    method: method as 'GET',
    url,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

let admin: string;
beforeAll(async () => {
  portal = await testPortal();
  admin = await adminToken('iam-tools');
});
afterAll(() => portal.close());

describe('POST /api/v1/oidc-clients', () => {
  it('registers a machine client whose secret then gets a token scoped to its agencies', async () => {
    const r = await api(admin, 'POST', '/api/v1/oidc-clients', {
      clientId: 'motcua-hanoi',
      name: 'Hệ thống một cửa điện tử Hà Nội',
      kind: 'machine',
      agencyCodes: ['ubnd-01'],
      scopes: ['sync'],
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers.location).toBe('/api/v1/oidc-clients/motcua-hanoi');
    const body = r.json();
    expect(body.client).toMatchObject({ kind: 'machine', agencyCodes: ['UBND-01'], scopes: ['sync'] });
    expect(body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const t = await token('motcua-hanoi', body.clientSecret, 'sync');
    expect(t.statusCode, t.body).toBe(200);
    // The secret is never given out again.
    const again = await api(admin, 'GET', '/api/v1/oidc-clients/motcua-hanoi');
    expect(again.json()).not.toHaveProperty('clientSecret');
    expect(again.body).not.toContain(body.clientSecret);
    const audit = await sql<{ action: string; actor: string }>`
      select action, actor from platform.audit_log where subject = 'oidc-client:motcua-hanoi'`.execute(
      portal.database.db,
    );
    expect(audit.rows).toEqual([{ action: 'oidc-client.register', actor: 'client:iam-tools' }]);
  });

  it('registers a sign-in portal that the provider accepts', async () => {
    const r = await api(admin, 'POST', '/api/v1/oidc-clients', {
      clientId: 'dvc-haiphong',
      name: 'Cổng dịch vụ công Hải Phòng',
      kind: 'portal',
      redirectUris: ['https://dichvucong.haiphong.gov.vn/dang-nhap/callback'],
      postLogoutRedirectUris: ['https://dichvucong.haiphong.gov.vn/'],
      backchannelLogoutUri: 'https://dichvucong.haiphong.gov.vn/dang-xuat/backchannel',
    });
    expect(r.statusCode, r.body).toBe(201);
    // The authorization endpoint knows the client: it sends the person to sign in, not to an error.
    const auth = await portal.app.inject({
      method: 'GET',
      url: `/oidc/auth?client_id=dvc-haiphong&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://dichvucong.haiphong.gov.vn/dang-nhap/callback')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&state=s`,
    });
    expect(auth.statusCode).toBe(303);
    expect(auth.headers.location).toMatch(/^\/uy-quyen\//);
  });

  it('refuses bad input with the fields named, and a taken client_id with 409; nothing is stored', async () => {
    const before = (await api(admin, 'GET', '/api/v1/oidc-clients')).json().items.length;
    const bad = await api(admin, 'POST', '/api/v1/oidc-clients', {
      clientId: 'cong-xau',
      name: 'Cổng',
      kind: 'portal',
      redirectUris: ['http://evil.example/callback'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toContainEqual(expect.objectContaining({ path: 'redirectUris' }));
    const noAgency = await api(admin, 'POST', '/api/v1/oidc-clients', {
      clientId: 'he-thong-x',
      name: 'X',
      kind: 'machine',
      agencyCodes: ['KHONG-CO'],
      scopes: ['sync'],
    });
    expect(noAgency.statusCode).toBe(400);
    expect(noAgency.json().errors[0]).toMatchObject({
      path: 'agencyCodes',
      message: 'Không có cơ quan mã KHONG-CO.',
    });
    const schema = await api(admin, 'POST', '/api/v1/oidc-clients', { clientId: 'A!', kind: 'x' });
    expect(schema.statusCode).toBe(400);
    const taken = await api(admin, 'POST', '/api/v1/oidc-clients', {
      clientId: 'iam-tools',
      name: 'Trùng',
      kind: 'machine',
      agencyCodes: ['CP'],
      scopes: ['sync'],
    });
    expect(taken.statusCode).toBe(409);
    expect((await api(admin, 'GET', '/api/v1/oidc-clients')).json().items.length).toBe(before);
  });

  it('cannot hand on the right to manage clients', async () => {
    const r = await api(admin, 'POST', '/api/v1/oidc-clients', {
      clientId: 'leo-thang',
      name: 'Leo thang',
      kind: 'machine',
      agencyCodes: ['CP'],
      scopes: ['sync', 'clients'],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('scopes');
  });

  it('two registrations of the same client_id at once: one 201, one 409', async () => {
    const body = {
      clientId: 'dong-thoi',
      name: 'Đồng thời',
      kind: 'machine',
      agencyCodes: ['CP'],
      scopes: ['sync'],
    };
    const [a, b] = await Promise.all([
      api(admin, 'POST', '/api/v1/oidc-clients', body),
      api(admin, 'POST', '/api/v1/oidc-clients', body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
  });
});

describe('changing, rotating and removing', () => {
  it('PUT changes metadata and keeps the secret', async () => {
    const created = (
      await api(admin, 'POST', '/api/v1/oidc-clients', {
        clientId: 'motcua-hue',
        name: 'Một cửa Huế',
        kind: 'machine',
        agencyCodes: ['UBND-46'],
        scopes: ['sync'],
      })
    ).json();
    const r = await api(admin, 'PUT', '/api/v1/oidc-clients/motcua-hue', {
      name: 'Hệ thống một cửa thành phố Huế',
      kind: 'machine',
      agencyCodes: ['UBND-46'],
      scopes: ['sync', 'payments'],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().scopes).toEqual(['sync', 'payments']);
    expect((await token('motcua-hue', created.clientSecret, 'payments')).statusCode).toBe(200);
    expect(
      (await api(admin, 'PUT', '/api/v1/oidc-clients/khong-co', { name: 'x', kind: 'machine' })).statusCode,
    ).toBe(404);
  });

  it('a new secret works at once and the old one stops', async () => {
    const created = (
      await api(admin, 'POST', '/api/v1/oidc-clients', {
        clientId: 'xoay-khoa',
        name: 'Xoay khóa',
        kind: 'machine',
        agencyCodes: ['CP'],
        scopes: ['sync'],
      })
    ).json();
    const r = await api(admin, 'POST', '/api/v1/oidc-clients/xoay-khoa/secret');
    expect(r.statusCode).toBe(200);
    const fresh = r.json().clientSecret;
    expect(fresh).not.toBe(created.clientSecret);
    expect((await token('xoay-khoa', created.clientSecret, 'sync')).statusCode).toBe(401);
    expect((await token('xoay-khoa', fresh, 'sync')).statusCode).toBe(200);
  });

  it('removing a client makes its live tokens useless', async () => {
    const other = await adminToken('iam-tools-2');
    expect((await api(other, 'GET', '/api/v1/oidc-clients')).statusCode).toBe(200);
    expect((await api(admin, 'DELETE', '/api/v1/oidc-clients/iam-tools-2')).statusCode).toBe(204);
    const after = await api(other, 'GET', '/api/v1/oidc-clients');
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((await api(admin, 'DELETE', '/api/v1/oidc-clients/iam-tools-2')).statusCode).toBe(404);
  });
});

describe('who may call it', () => {
  it('no token: 401 with a Bearer challenge; a token without the scope: 403 insufficient_scope', async () => {
    const none = await api(undefined, 'GET', '/api/v1/oidc-clients');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.headers['content-type']).toContain('application/problem+json');
    const { clientSecret } = await registerOidcClient(portal.database.db, {
      clientId: 'chi-dong-bo',
      name: 'Chỉ đồng bộ',
      machine: true,
      agencyCodes: ['UBND-01'],
      scope: 'sync',
    });
    const sync = (await token('chi-dong-bo', clientSecret, 'sync')).json().access_token;
    for (const [method, url] of [
      ['GET', '/api/v1/oidc-clients'],
      ['POST', '/api/v1/oidc-clients'],
      ['GET', '/api/v1/oidc-clients/iam-tools'],
      ['PUT', '/api/v1/oidc-clients/iam-tools'],
      ['POST', '/api/v1/oidc-clients/iam-tools/secret'],
      ['DELETE', '/api/v1/oidc-clients/iam-tools'],
    ] as const) {
      const r = await api(sync, method, url, method === 'POST' || method === 'PUT' ? {} : undefined);
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(r.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="clients"');
    }
  });
});

describe('machineLogin (for protocols that sign in with a username and password)', () => {
  it('accepts a machine client with its secret, and nothing else', async () => {
    const { createIdentityModule } = await import('../index.ts');
    const { createRateLimiter, createSecrets } = await import('../../../platform/security/index.ts');
    const { systemClock } = await import('../../../platform/clock/index.ts');
    const db = portal.database.db;
    const identity = await createIdentityModule({
      db,
      clock: systemClock,
      secrets: createSecrets(db),
      limiter: createRateLimiter(db),
      secureCookies: false,
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
      production: false,
      lineageOf: async (code) => [code],
      subtreeOf: async (code) => [{ code, name: code }],
    });
    const { clientSecret } = await registerOidcClient(db, {
      clientId: 'motcua-danang',
      name: 'Một cửa Đà Nẵng',
      machine: true,
      agencyCodes: ['UBND-48'],
      scope: 'sync',
    });
    expect(await identity.machineLogin('motcua-danang', clientSecret)).toEqual({
      clientId: 'motcua-danang',
      clientName: 'Một cửa Đà Nẵng',
      scopes: ['sync'],
      agencyCodes: ['UBND-48'],
    });
    expect(await identity.machineLogin('motcua-danang', `${clientSecret}x`)).toBeUndefined();
    expect(await identity.machineLogin('khong-co', clientSecret)).toBeUndefined();
    // A sign-in portal is not a machine client, whatever its secret.
    const portalClient = await registerOidcClient(db, {
      clientId: 'cong-danang',
      name: 'Cổng Đà Nẵng',
      redirectUris: ['https://dichvucong.danang.gov.vn/cb'],
    });
    expect(await identity.machineLogin('cong-danang', portalClient.clientSecret)).toBeUndefined();
    // TraCuuTechID: the account id by personal ID or tax code.
    const { accountWithSession } = await import('../../../../test/helpers/sessions.ts');
    const citizen = await accountWithSession(portal, 'citizen', { personalId: '048090001122' });
    const business = await accountWithSession(portal, 'business', { taxCode: '0401234567' });
    expect(await identity.techIdOf({ personalId: '048090001122' })).toBe(citizen.id);
    expect(await identity.techIdOf({ taxCode: '0401234567' })).toBe(business.id);
    expect(await identity.techIdOf({ personalId: '048090009999' })).toBeUndefined();
    expect(await identity.techIdOf({ personalId: "1' or '1'='1" })).toBeUndefined();
  });
});
