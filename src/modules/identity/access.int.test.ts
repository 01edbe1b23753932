/**
 * The authorisation matrix: every route the portal registers, called as every kind of caller. What
 * the server decided (published on the access channel) must be what the route declared, and the answer
 * must be the one that goes with it: sign-in redirect or 401, 404, 403 for a missing scope, and never a
 * 5xx. A few routes are also pinned to an explicit list of who may call them, so that a declaration
 * loosened by mistake fails here.
 */
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import type { RouteAccess } from '../../platform/http/index.ts';
import { ACCESS_CHANNEL, type AccessDecision, type AccessEvent } from './access.ts';
import { ROLES } from './identity.tables.ts';
import { registerOidcClient } from './oidc/clients.ts';

interface Caller {
  name: string;
  cookie?: string;
  bearer?: string;
  kind?: 'citizen' | 'business' | 'organisation' | 'officer';
  assurance?: 1 | 2;
  roles?: readonly string[];
  scopes?: readonly string[];
}

let portal: Portal;
const callers: Caller[] = [{ name: 'anonymous' }];
const events = new Map<string, AccessDecision>();
const listener = (message: unknown) => {
  const e = message as AccessEvent;
  events.set(e.requestId, e.decision);
};

async function person(
  name: string,
  kind: NonNullable<Caller['kind']>,
  extra: { roles?: string[]; assurance?: 1 | 2 } = {},
) {
  const grants = (extra.roles ?? []).map((role): [string, string] => [
    role === 'system-admin' || role === 'vpcp-supervisor' ? 'CP' : 'UBND-01',
    role,
  ]);
  const { token } = await accountWithSession(portal, kind, {
    displayName: name,
    grants,
    ...(extra.assurance ? { assurance: extra.assurance } : {}),
  });
  const assurance = extra.assurance ?? (kind === 'officer' ? 2 : 1);
  callers.push({ name, cookie: `sid=${token}`, kind, assurance, roles: extra.roles ?? [] });
}

async function machine(name: string, scope: string) {
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: name,
    name,
    machine: true,
    agencyCodes: ['UBND-01'],
    scope,
  });
  const r = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${name}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  expect(r.statusCode, r.body).toBe(200);
  callers.push({ name, bearer: r.json().access_token, scopes: scope.split(' ') });
}

/** What a caller should get from a route, from the declaration alone. */
function expected(access: RouteAccess, c: Caller): AccessDecision {
  switch (access.who) {
    case 'public':
      return 'allowed';
    case 'account':
      if (!c.kind) return 'unauthenticated';
      return !access.kinds || access.kinds.includes(c.kind) ? 'allowed' : 'forbidden';
    case 'officer':
      if (!c.kind) return 'unauthenticated';
      if (c.kind !== 'officer' || c.assurance !== 2) return 'forbidden';
      return access.roles.some((r) => c.roles?.includes(r)) ? 'allowed' : 'forbidden';
    case 'machine':
      if (!c.bearer) return 'unauthenticated';
      return access.scope.split(' ').some((s) => c.scopes?.includes(s)) ? 'allowed' : 'insufficient-scope';
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const sampleUrl = (url: string) =>
  url.replace(/\*$/, 'jwks').replace(/:([A-Za-z]+)/g, (_m, name: string) => `khong-ton-tai-${name}`);

beforeAll(async () => {
  portal = await testPortal();
  await person('citizen', 'citizen');
  await person('business', 'business');
  await person('organisation', 'organisation');
  for (const role of ROLES) await person(`officer-${role}`, 'officer', { roles: [role] });
  // A session that somehow lacks the second factor gets nothing officers-only.
  await person('officer-without-second-factor', 'officer', { roles: ['system-admin'], assurance: 1 });
  await machine('machine-clients', 'clients');
  await machine('machine-sync', 'sync');
  await machine('machine-feedback', 'feedback');
  callers.push({ name: 'machine-bad-token', bearer: randomBytes(32).toString('base64url'), scopes: [] });
  subscribe(ACCESS_CHANNEL, listener);
});
afterAll(async () => {
  unsubscribe(ACCESS_CHANNEL, listener);
  await portal.close();
});

describe('the authorisation matrix: every route × every caller', () => {
  it('every route declares its access, and each answer matches the declaration', async () => {
    const routes = portal.app.declaredRoutes.filter((r) => METHODS.includes(r.method));
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let n = 0;
    for (const route of routes) {
      for (const c of callers) {
        // A machine token with a bad value must not count as a valid one.
        const expect_ =
          c.name === 'machine-bad-token' && route.access.who === 'machine'
            ? 'unauthenticated'
            : expected(route.access, c);
        const requestId = `matrix-${++n}`;
        const r = await portal.app.inject({
          method: route.method as 'GET',
          url: sampleUrl(route.url),
          headers: {
            'x-request-id': requestId,
            accept: 'text/html',
            ...(c.cookie ? { cookie: c.cookie } : {}),
            ...(c.bearer ? { authorization: `Bearer ${c.bearer}` } : {}),
            ...(route.method === 'GET' || route.method === 'DELETE'
              ? {}
              : { 'content-type': 'application/x-www-form-urlencoded' }),
          },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '' }),
        });
        const got = events.get(requestId);
        const where = `${route.method} ${route.url} as ${c.name}`;
        if (got !== expect_) failures.push(`${where}: decided ${got}, declared ${expect_}`);
        if (r.statusCode >= 500) failures.push(`${where}: ${r.statusCode}`);
        const page = !/^\/(api|oidc|\.well-known|health|metrics)/.test(route.url);
        if (expect_ === 'forbidden' && r.statusCode !== 404)
          failures.push(`${where}: ${r.statusCode}, not 404`);
        if (expect_ === 'insufficient-scope' && r.statusCode !== 403)
          failures.push(`${where}: ${r.statusCode}, not 403`);
        if (expect_ === 'unauthenticated') {
          const ok = page
            ? r.statusCode === 303 && String(r.headers.location).startsWith('/dang-nhap')
            : r.statusCode === 401;
          if (!ok) failures.push(`${where}: ${r.statusCode} ${r.headers.location ?? ''}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('pins who may use the routes that matter most', () => {
    const who = (method: string, url: string) => {
      const route = portal.app.declaredRoutes.find((r) => r.method === method && r.url === url);
      if (!route) throw new Error(`no route ${method} ${url}`);
      return callers.filter((c) => expected(route.access, c) === 'allowed').map((c) => c.name);
    };
    const people = callers.filter((c) => c.kind).map((c) => c.name);
    expect(who('GET', '/quan-tri/ung-dung')).toEqual(['officer-system-admin']);
    expect(who('POST', '/quan-tri/ung-dung')).toEqual(['officer-system-admin']);
    expect(who('GET', '/quan-tri/can-bo')).toEqual(['officer-agency-admin', 'officer-system-admin']);
    expect(who('POST', '/quan-tri/can-bo/:accountId/mo-khoa')).toEqual([
      'officer-agency-admin',
      'officer-system-admin',
    ]);
    expect(who('GET', '/tai-khoan')).toEqual(people);
    expect(who('POST', '/tai-khoan/uy-quyen')).toEqual(['business', 'organisation']);
    // Everyone signed in has an inbox and a choice of channels (its records are theirs only: inbox.int.test.ts).
    for (const [method, url] of [
      ['GET', '/thong-bao'],
      ['GET', '/thong-bao/:id'],
      ['GET', '/tai-khoan/thong-bao'],
      ['POST', '/tai-khoan/thong-bao'],
    ] as const)
      expect(who(method, url)).toEqual(people);
    expect(who('POST', '/tai-khoan/uy-quyen/:id/chap-nhan')).toEqual(['citizen']);
    for (const [method, url] of [
      ['GET', '/api/v1/oidc-clients'],
      ['POST', '/api/v1/oidc-clients'],
      ['PUT', '/api/v1/oidc-clients/:clientId'],
      ['DELETE', '/api/v1/oidc-clients/:clientId'],
      ['POST', '/api/v1/oidc-clients/:clientId/secret'],
    ] as const)
      expect(who(method, url)).toEqual(['machine-clients']);
    expect(who('GET', '/api/v1/agencies')).toEqual(callers.map((c) => c.name));
  });
});
