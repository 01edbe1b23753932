/**
 * Every route fuzzed, on the database the suite runs on (PGlite, or PostgreSQL with DATABASE_URL):
 * requests drawn from the OpenAPI document's schemas (valid values with hostile ones mixed in) for the
 * API, hostile path parameters, queries and forms for the pages, each as the caller its route declares.
 * Never a 5xx; afterwards the portal is ready, the audit chain holds, and no record is half-written
 * (a sync batch stores exactly its good items; no history without its dossier).
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/bootstrap.ts';
import { registerOidcClient } from '../../src/modules/identity/index.ts';
import { verifyAuditChain } from '../../src/platform/audit/index.ts';
import type { RouteAccess } from '../../src/platform/http/index.ts';
import { testPortal } from '../helpers/portal.ts';
import { accountWithSession } from '../helpers/sessions.ts';
import { fromSchema, hostileJson, hostileString, hostileToken, type JsonSchema } from './arbitraries.ts';
import { FUZZ_RUNS, FUZZ_SEED, fuzzParameters } from './settings.ts';

const API_RUNS = Math.max(1, Math.round(FUZZ_RUNS * 0.75));
const PAGE_RUNS = Math.max(1, Math.round(FUZZ_RUNS / 3));

let portal: Portal;
const credentials = { machine: '', citizen: '', officer: '' };

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  body?: JsonSchema;
}

let operations: Operation[] = [];
let resolve: (ref: string) => JsonSchema | undefined = () => undefined;

beforeAll(async () => {
  portal = await testPortal();
  const scope = 'sync clients catalogue';
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: 'fuzz-ha-noi',
    name: 'Hệ thống một cửa Hà Nội (fuzz)',
    machine: true,
    agencyCodes: ['UBND-01'],
    scope,
  });
  const t = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`fuzz-ha-noi:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  credentials.machine = t.json().access_token;
  credentials.citizen = (await accountWithSession(portal, 'citizen')).token;
  const roles = [
    'receiver',
    'processor',
    'approver',
    'certifier',
    'cashier',
    'agency-admin',
    'vpcp-supervisor',
  ];
  credentials.officer = (
    await accountWithSession(portal, 'officer', {
      grants: [
        ['CP', 'system-admin'],
        ['CP', 'hotline-operator'],
        ...roles.map((r) => ['UBND-01', r] as [string, string]),
      ],
    })
  ).token;

  const doc = (await portal.app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Operation['parameters'];
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        }
      >
    >;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  resolve = (ref) => doc.components?.schemas?.[ref.replace('#/components/schemas/', '')];
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(op.requestBody?.content?.['application/json']?.schema
          ? { body: op.requestBody.content['application/json'].schema }
          : {}),
      })),
  );
});

afterAll(async () => {
  await portal?.close();
});

/** The credentials a route declares it wants (so that the fuzz gets past the door). */
function callerHeaders(access: RouteAccess | undefined): Record<string, string> {
  switch (access?.who) {
    case 'machine':
      return { authorization: `Bearer ${credentials.machine}` };
    case 'account':
      return { cookie: `sid=${credentials.citizen}` };
    case 'officer':
      return { cookie: `sid=${credentials.officer}` };
    default:
      return {};
  }
}

function accessOf(method: string, url: string): RouteAccess | undefined {
  return portal.app.declaredRoutes.find((r) => r.method === method && r.url === url)?.access;
}

/** Percent-encoding that also sends an unpaired surrogate, as the bytes a hostile client would (CESU-8). */
function percentEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (u >= 0xd800 && u <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (u >= 0xd800 && u <= 0xdfff)
      out += [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(s[i]!);
  }
  return out;
}

const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

function requestFor(
  op: Operation,
  values: { params: Record<string, unknown>; body: unknown; raw?: string },
): InjectOptions {
  let url = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = callerHeaders(
    accessOf(op.method, op.path.replace(/\{(\w+)\}/g, ':$1')),
  );
  for (const p of op.parameters) {
    const v = values.params[`${p.in}:${p.name}`];
    if (v === undefined) continue;
    if (p.in === 'path') url = url.replace(`{${p.name}}`, percentEncode(asText(v)) || 'x');
    else if (p.in === 'query') for (const x of [v].flat()) query.append(p.name, asText(x));
    else if (p.in === 'header' && /^[\t\x20-\x7e]*$/.test(asText(v))) headers[p.name] = asText(v);
  }
  url = url.replace(/\{\w+\}/g, 'x');
  const qs = query.toString();
  const options: InjectOptions = {
    method: op.method as InjectOptions['method'],
    url: qs ? `${url}?${qs}` : url,
    headers,
  };
  if (
    values.raw !== undefined ||
    (values.body !== undefined && op.method !== 'GET' && op.method !== 'DELETE')
  ) {
    headers['content-type'] = 'application/json';
    options.payload = values.raw ?? JSON.stringify(values.body);
  }
  return options;
}

async function expectNo5xx(options: InjectOptions) {
  const r = await portal.app.inject(options);
  if (r.statusCode >= 500)
    throw new Error(
      `${options.method ?? 'GET'} ${options.url} → ${r.statusCode} ${r.body.slice(0, 300)} (seed ${FUZZ_SEED})`,
    );
}

const deepText = fc.integer({ min: 60, max: 5_000 }).map((n) => `{"x":${'['.repeat(n)}${']'.repeat(n)}}`);

describe(`every API operation of the OpenAPI document (${API_RUNS} requests each, seed ${FUZZ_SEED})`, () => {
  it('never answers 5xx', async () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) {
      const params = fc.record(
        Object.fromEntries(op.parameters.map((p) => [`${p.in}:${p.name}`, fromSchema(p.schema, resolve)])),
        { requiredKeys: op.parameters.filter((p) => p.required).map((p) => `${p.in}:${p.name}`) },
      );
      const body = op.body ? fromSchema(op.body, resolve) : fc.constant(undefined);
      const raw = fc.option(fc.oneof(deepText, hostileString(200)), { freq: 8, nil: undefined });
      await fc.assert(
        fc.asyncProperty(params, body, raw, async (p, b, r) => {
          await expectNo5xx(
            requestFor(op, {
              params: p as Record<string, unknown>,
              body: b,
              ...(r !== undefined && op.body ? { raw: r } : {}),
            }),
          );
        }),
        fuzzParameters(API_RUNS),
      );
    }
  });
});

describe(`every page (${PAGE_RUNS} requests each)`, () => {
  it('never answers 5xx to hostile path parameters, queries and forms', async () => {
    const skip =
      /^\/(api|adapter|oidc|health|metrics|\.well-known|assets|dang-xuat)(\/|$)|^\*$|\/tai-nguyen\//;
    const pages = portal.app.declaredRoutes.filter(
      (r) => (r.method === 'GET' || r.method === 'POST') && !skip.test(r.url) && r.url !== '*',
    );
    expect(pages.length).toBeGreaterThan(40);
    const field = fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'q',
          'ma',
          'so',
          'lang',
          'page',
          'cursor',
          'tab',
          'code',
          'name',
          'displayName',
          '_csrf',
        ),
        hostileString(10),
      ),
      hostileString(80),
    );
    for (const page of pages) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(hostileToken, hostileString(40)), { minLength: 3, maxLength: 3 }),
          fc.array(field, { maxLength: 4 }),
          async (segments, fields) => {
            let i = 0;
            const path = page.url.replace(/:(\w+)/g, () => percentEncode(segments[i++ % 3]!) || 'x');
            const form = new URLSearchParams(fields.map(([k, v]) => [k, v])).toString();
            const headers = { ...callerHeaders(page.access), accept: 'text/html' };
            await expectNo5xx(
              page.method === 'GET'
                ? { method: 'GET', url: form ? `${path}?${form}` : path, headers }
                : {
                    method: 'POST',
                    url: path,
                    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                    payload: form,
                  },
            );
          },
        ),
        fuzzParameters(PAGE_RUNS),
      );
    }
  });
});

describe('sync batches mixing good and hostile items', () => {
  it('store exactly the good items, whatever the others are', async () => {
    let serial = 0;
    const good = fc.constant(null).map(() => {
      serial++;
      return {
        MaHoSo: `000.00.00.H26-250801-${String(serial).padStart(4, '0')}`,
        MaTTHC: '1.001776',
        ChuHoSo: 'Nguyễn Văn An',
        TrangThaiHoSo: '2',
        NgayNopHoSo: '20250801080000',
        NgayTiepNhan: '20250801090000',
      };
    });
    const poisoned = fc
      .tuple(good, fc.constantFrom('\u0000', '\ud800', 2 ** 53 + 2))
      .map(([d, poison]) => ({ ...d, ChuHoSo: poison }));
    const item = fc.oneof(
      good.map((d) => ({ kind: 'good' as const, d })),
      poisoned.map((d) => ({ kind: 'bad' as const, d })),
      hostileJson(3).map((d) => ({ kind: 'other' as const, d })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 12 }), async (items) => {
        const r = await portal.app.inject({
          method: 'POST',
          url: '/api/v1/sync/dossiers',
          headers: { authorization: `Bearer ${credentials.machine}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ dossiers: items.map((i) => i.d) }),
        });
        expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
        const results = r.json().dossiers as Array<{ result: string }>;
        items.forEach((it, i) => {
          if (it.kind === 'good') expect(results[i]!.result).toBe('accepted');
          if (it.kind === 'bad') expect(results[i]!.result).toBe('rejected');
        });
        const codes = items.filter((i) => i.kind !== 'other').map((i) => (i.d as { MaHoSo: string }).MaHoSo);
        const stored = await sql<{
          code: string;
        }>`select code from sync.dossiers where code = any(${codes})`.execute(portal.database.db);
        expect(new Set(stored.rows.map((x) => x.code))).toEqual(
          new Set(items.filter((i) => i.kind === 'good').map((i) => (i.d as { MaHoSo: string }).MaHoSo)),
        );
      }),
      fuzzParameters(Math.max(1, Math.round(FUZZ_RUNS / 2))),
    );
  });
});

describe('after the fuzz', () => {
  it('the portal is ready, the audit chain holds, no record is half-written', async () => {
    expect((await portal.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
    const chain = await verifyAuditChain(portal.database.db);
    expect(chain.ok).toBe(true);
    const orphans = await sql<{ n: number }>`
      select (select count(*)::int from sync.history h
               where not exists (select 1 from sync.dossiers d where d.code = h.dossier_code))
           + (select count(*)::int from dossiers.dossiers d
               where not exists (select 1 from dossiers.history h where h.dossier_code = d.code)) as n`.execute(
      portal.database.db,
    );
    expect(orphans.rows[0]!.n).toBe(0);
  });
});
