/**
 * Issue 14: the hostile inputs that answered 500 — each must now be refused at the edge with a 400
 * naming the field (problem+json for programs, the Vietnamese error page for people), never a 5xx, and
 * the portal must stay ready. Plus: text that passes is stored in NFC.
 */
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../src/bootstrap.ts';
import { registerOidcClient } from '../src/modules/identity/index.ts';
import { testPortal } from './helpers/portal.ts';
import { accountWithSession } from './helpers/sessions.ts';

let portal: Portal;
let machine = '';
let citizen = '';

async function machineToken(name: string, scope: string): Promise<string> {
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: name,
    name: `Hệ thống một cửa ${name}`,
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
  return r.json().access_token;
}

beforeAll(async () => {
  portal = await testPortal();
  machine = await machineToken('hostile-ha-noi', 'sync clients');
  citizen = (await accountWithSession(portal, 'citizen')).token;
});
afterAll(async () => {
  await portal?.close();
});

const json = (payload: string) => ({ 'content-type': 'application/json', payload });
const bearer = () => ({ authorization: `Bearer ${machine}` });
const signedIn = () => ({ cookie: `sid=${citizen}` });
const html = { accept: 'text/html' };
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

/** A dossier submission (the JSON API) with `extra` spliced into a valid-looking body. */
function submission(extra: string): InjectOptions {
  const { payload, ...headers } = json(
    `{"procedureCode":"2.000815","place":{"provinceCode":"01"},"formData":{"hoTen":"An"},${extra}}`,
  );
  return {
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { ...headers, ...signedIn(), 'idempotency-key': `k-${Math.random()}` },
    payload,
  };
}

interface Case {
  name: string;
  request: () => InjectOptions;
  /** The field the answer must name. */
  field: string;
  page?: boolean;
}

const CASES: Case[] = [
  { name: 'agencies ?q=%00', request: () => ({ url: '/api/v1/agencies?q=%00' }), field: 'query.q' },
  { name: 'admin units ?q=%00', request: () => ({ url: '/api/v1/admin-units?q=%00' }), field: 'query.q' },
  {
    name: 'procedures ?q=%00',
    request: () => ({ url: '/api/v1/procedures?q=a%00b' }),
    field: 'query.q',
  },
  {
    name: 'procedure suggestions ?q=%00',
    request: () => ({ url: '/api/v1/procedures/suggest?q=%00' }),
    field: 'query.q',
  },
  {
    name: 'agency page search',
    request: () => ({ url: '/co-quan?q=%00', headers: html }),
    field: 'query.q',
    page: true,
  },
  {
    name: 'admin-unit page search',
    request: () => ({ url: '/don-vi-hanh-chinh?q=%00', headers: html }),
    field: 'query.q',
    page: true,
  },
  {
    name: 'site search page',
    request: () => ({ url: '/tim-kiem?q=%00', headers: html }),
    field: 'query.q',
    page: true,
  },
  {
    name: 'catalogue page search',
    request: () => ({ url: '/thu-tuc?q=%00', headers: html }),
    field: 'query.q',
    page: true,
  },
  {
    name: 'dossier summary with NUL',
    request: () => submission('"summary":"a\\u0000b"'),
    field: 'body.summary',
  },
  {
    name: 'dossier summary with a lone surrogate',
    request: () => submission('"summary":"a\\ud800b"'),
    field: 'body.summary',
  },
  {
    name: 'formData with NUL',
    request: () => submission('"case":"x","formData":{"diaChi":"\\u0000"}'),
    field: 'body.formData.diaChi',
  },
  {
    name: 'formData key with a lone surrogate',
    request: () => submission('"case":"x","formData":{"a":{"\\udc00":1}}'),
    field: 'body.formData.a.\\udc00',
  },
  {
    name: 'procedureVersion 2^53',
    request: () => submission('"procedureVersion":9007199254740992'),
    field: 'body.procedureVersion',
  },
  {
    name: '100,000-deep formData',
    request: () => submission(`"case":"x","formData":{"x":${deep(100_000)}}`),
    field: 'body.formData.x.0.0.0',
  },
  {
    name: 'sync inbox ?after=1e23',
    request: () => ({ url: '/api/v1/sync/inbox?after=1e23', headers: bearer() }),
    field: 'query.after',
  },
  {
    name: 'webhook URL with NUL',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sync/webhooks',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: '{"url":"https://motcua.example.vn/hook\\u0000"}',
    }),
    field: 'body.url',
  },
  {
    name: 'OIDC client_id with NUL (authorization endpoint)',
    request: () => ({ url: '/oidc/auth?client_id=%00&response_type=code&scope=openid' }),
    field: 'query.client_id',
  },
  {
    name: 'OIDC client_id with NUL (client registration API)',
    request: () => ({
      method: 'POST',
      url: '/api/v1/oidc-clients',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: '{"clientId":"cong-tinh\\u0000","name":"x"}',
    }),
    field: 'body.clientId',
  },
  {
    name: 'OIDC client id path with NUL',
    request: () => ({ url: '/api/v1/oidc-clients/a%00', headers: bearer() }),
    field: 'params.clientId',
  },
  {
    name: 'adapter madonvi with NUL',
    request: () => ({
      method: 'POST',
      url: '/adapter/dvcqg/service',
      headers: { 'content-type': 'application/json' },
      payload: '{"session":"s","madonvi":"000.00.00.H26\\u0000","service":"TraCuuHoSo","mahoso":"x"}',
    }),
    field: 'body.madonvi',
  },
  {
    name: 'adapter login with a lone surrogate',
    request: () => ({
      method: 'POST',
      url: '/adapter/dvcqg/auth',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":"\\ud83d","password":"x"}',
    }),
    field: 'body.username',
  },
  {
    name: 'registration name with NUL',
    request: () => ({
      method: 'POST',
      url: '/dang-ky',
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=citizen&displayName=Nguy%E1%BB%85n%00An&_csrf=x',
    }),
    field: 'body.displayName',
    page: true,
  },
  {
    name: 'dossier page /ho-so/%00',
    request: () => ({ url: '/ho-so/%00', headers: { ...html, ...signedIn() } }),
    field: 'params.code',
    page: true,
  },
  {
    name: 'public lookup page',
    request: () => ({ url: '/tra-cuu-ho-so?ma=%00&so=1234', headers: html }),
    field: 'query.ma',
    page: true,
  },
  {
    name: 'lookup API code with NUL',
    request: () => ({ url: '/api/v1/lookup/%00?last4=1234' }),
    field: 'params.code',
  },
  {
    name: 'synced dossier code with NUL',
    request: () => ({ url: '/api/v1/sync/dossiers/%00', headers: bearer() }),
    field: 'params.code',
  },
  {
    name: 'sync batch nested too deep outside the lists',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sync/dossiers',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: `{"dossiers":[],"x":${deep(20_000)}}`,
    }),
    field: 'body.x',
  },
  {
    name: 'a __proto__ key',
    request: () => submission('"case":"x","formData":{"__proto__":{"admin":true}}'),
    field: 'body.formData.__proto__',
  },
];

describe('hostile input is refused at the edge with a 400 naming the field', () => {
  it.each(CASES)('$name', async (c) => {
    const r = await portal.app.inject(c.request());
    expect(r.statusCode, r.body.slice(0, 500)).toBe(400);
    if (c.page) {
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('Yêu cầu không hợp lệ');
      expect(r.body).toContain(c.field);
    } else {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = r.json();
      expect(problem.status).toBe(400);
      expect(problem.errors?.[0]?.path, r.body.slice(0, 500)).toMatch(
        new RegExp(`^${c.field.replace(/[.\\]/g, '\\$&')}`),
      );
      expect(problem.detail).toContain(c.field.split('.').slice(0, 2).join('.'));
    }
  });

  it('the adapter’s refusal still carries the protocol’s error_code and message', async () => {
    const r = await portal.app.inject(CASES.find((c) => c.name === 'adapter madonvi with NUL')!.request());
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error_code: 4, message: expect.stringContaining('body.madonvi') });
  });

  it('leaves the portal ready', async () => {
    const r = await portal.app.inject({ url: '/health/ready' });
    expect(r.statusCode).toBe(200);
  });
});

describe('text is stored in NFC', () => {
  it('a webhook URL and a synced applicant’s name sent decomposed are stored composed', async () => {
    const decomposed = 'Nguye\u0302\u0303n Văn An'.normalize('NFD');
    expect(decomposed).not.toBe(decomposed.normalize('NFC'));
    const code = '000.00.00.H26-250701-0901';
    const r = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/sync/dossiers',
      headers: bearer(),
      payload: {
        dossiers: [
          {
            MaHoSo: code,
            MaTTHC: '1.001776',
            TenTTHC: 'Đăng ký khai sinh'.normalize('NFD'),
            ChuHoSo: decomposed,
            SoGiayToChuHoSo: '001190001234',
            TrangThaiHoSo: '2',
            KenhThucHien: '2',
            NgayNopHoSo: '20250701080000',
            NgayTiepNhan: '20250701090000',
          },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().summary.accepted).toBe(1);
    const row = await sql<{ name: string | null; owner: string | null }>`
      select procedure_name as name, payload->>'ChuHoSo' as owner from sync.dossiers where code = ${code}`.execute(
      portal.database.db,
    );
    expect(row.rows[0]?.name).toBe('Đăng ký khai sinh'.normalize('NFC'));
    expect(row.rows[0]?.owner).toBe(decomposed.normalize('NFC'));
  });
});
