/**
 * Outbound delivery on a whole portal: dossiers filed and processed on the portal reach the competent
 * agency's system through the pull feed (DongBoHoSoMC records, files by link, cursor and acknowledgement,
 * no duplicates when the outbox delivers twice, other agencies see nothing) and through signed webhooks
 * to a real HTTP receiver started here (signature checked with node:crypto per the Standard Webhooks
 * spec, retries on 500 then success, dead letter, "Gửi lại" from the admin page).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import { judicialRecordFiling } from '../../../test/helpers/filings.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { registerOidcClient } from '../identity/index.ts';

let portal: Portal;
let citizen: TestAccount;
let receiverHN: TestAccount;
let admin: TestAccount;
let commune01: string;
const tokens: Record<string, string> = {};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

// ——— a real HTTP receiver: answers with the queued status codes (then 200), records every request ———
interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let answers: number[] = [];
let receiver: http.Server;
let receiverUrl: string;

async function client(name: string, agencyCodes: string[], scope = 'sync') {
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: name,
    name: `Hệ thống một cửa ${name}`,
    machine: true,
    agencyCodes,
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
  tokens[name] = r.json().access_token;
}

async function machine(name: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
  return portal.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens[name]}` },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
}

async function api(who: TestAccount, method: 'GET' | 'POST', url: string, body?: unknown, headers = {}) {
  return portal.app.inject({
    method,
    url,
    headers: {
      cookie: `sid=${who.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

async function upload(who: TestAccount, content: Buffer, name: string, documentCode?: string) {
  const r = await portal.app.inject({
    method: 'POST',
    url: `/api/v1/dossiers/uploads?name=${encodeURIComponent(name)}${documentCode ? `&documentCode=${documentCode}` : ''}`,
    headers: { cookie: `sid=${who.token}`, 'content-type': 'application/octet-stream' },
    payload: content,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

let keys = 0;
async function fileDossier(): Promise<string> {
  const a = await upload(citizen, PDF, 'tờ-khai.pdf', 'TK-LLTP');
  const b = await upload(citizen, PDF, 'uy-quyen.pdf', 'UQ');
  const r = await api(
    citizen,
    'POST',
    '/api/v1/dossiers',
    judicialRecordFiling([a, b], {
      summary: 'Xin cấp phiếu lý lịch tư pháp số 1',
      form: { noiCuTru: { province: '01', commune: commune01, street: 'Số 1 Tràng Tiền' } },
    }),
    { 'idempotency-key': `outbound-${++keys}` },
  );
  expect(r.statusCode, r.body).toBe(201);
  return r.json().code as string;
}

async function act(who: TestAccount, code: string, action: string, extra: Record<string, unknown> = {}) {
  const r = await api(who, 'POST', `/api/v1/dossiers/${code}/actions`, { action, ...extra });
  expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the outbox until `done` holds (retries are due a few tens of milliseconds later). */
async function drain(done: () => Promise<boolean> | boolean = () => false, rounds = 60) {
  for (let i = 0; i < rounds; i++) {
    await portal.dispatcher.runOnce();
    if (await done()) return;
    await sleep(25);
  }
}

async function inbox(name: string, query = '') {
  const r = await machine(name, 'GET', `/api/v1/sync/inbox${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    entries: Array<{
      cursor: number;
      MaHoSo: string;
      action: string;
      revision: number;
      // biome-ignore lint/suspicious/noExplicitAny: the DongBoHoSoMC record is read field by field below
      record: Record<string, any>;
    }>;
    next: number;
    more: boolean;
  };
}

/** Standard Webhooks, written out independently of the portal's code: HMAC-SHA256 over id.timestamp.body. */
function signatureValid(secret: string, r: Received): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.split('_')[1]!, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((s) => {
      const [version, sig] = s.split(',');
      const got = Buffer.from(sig ?? '', 'base64');
      return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  portal = await testPortal({
    env: { WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '3000' },
  });
  const r = await sql<{ code: string }>`
    select code from agencies.admin_units
    where level = 'commune' and parent_code = '01' and valid_to is null order by code limit 1`.execute(
    portal.database.db,
  );
  commune01 = r.rows[0]!.code;
  citizen = await accountWithSession(portal, 'citizen', {
    displayName: 'Nguyễn Văn Minh',
    personalId: '001088012345',
    phone: '+84911000001',
  });
  receiverHN = await accountWithSession(portal, 'officer', {
    displayName: 'Đỗ Tiếp Nhận',
    agency: 'TTPVHCC-01',
    grants: [['TTPVHCC-01', 'receiver']],
  });
  admin = await accountWithSession(portal, 'officer', {
    displayName: 'Quản Trị Hệ Thống',
    agency: 'CP',
    grants: [['CP', 'system-admin']],
  });
  await client('mot-cua-ha-noi', ['UBND-01']);
  await client('mot-cua-hcm', ['UBND-79']);
  await client('mot-cua-ha-noi-catalogue', ['UBND-01'], 'catalogue');
});
afterAll(async () => {
  await portal?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('the pull feed', () => {
  let code: string;

  it('turns a dossier filed on the portal into an entry for the competent agency, in DongBoHoSoMC fields', async () => {
    code = await fileDossier();
    await drain(async () => (await inbox('mot-cua-ha-noi', '?after=0')).entries.length > 0);
    const page = await inbox('mot-cua-ha-noi', '?after=0');
    expect(page.entries).toHaveLength(1);
    const e = page.entries[0]!;
    expect(e).toMatchObject({ MaHoSo: code, action: 'submit', revision: 1, type: 'dossier.status-changed' });
    expect(e.record).toMatchObject({
      MaHoSo: code,
      MaTTHC: '2.000505',
      TenTTHC: expect.stringContaining('lý lịch tư pháp'),
      TrangThaiHoSo: '1',
      KenhThucHien: '2',
      LoaiDoiTuong: '1',
      ChuHoSo: 'Nguyễn Văn Minh',
      SoGiayToChuHoSo: '001088012345',
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '001088012345' }],
      TrichYeuHoSo: 'Xin cấp phiếu lý lịch tư pháp số 1',
      NgayNopHoSo: expect.stringMatching(/^\d{14}$/),
      NgayHenTra: expect.stringMatching(/^\d{14}$/),
      NgayTiepNhan: null,
    });
    expect(e.record.TaiLieuNop).toHaveLength(2);
    const file = e.record.TaiLieuNop.find(
      (f: { TenTepDinhKem: string }) => f.TenTepDinhKem === 'tờ-khai.pdf',
    );
    expect(file).toMatchObject({
      MaThanhPhanHoSo: 'TK-LLTP',
      SHA256: createHash('sha256').update(PDF).digest('hex'),
      DuongDanTaiTepTin: expect.stringMatching(/\/api\/v1\/sync\/inbox\/files\//),
    });
    // The link works with the agency system's token, and only for that agency.
    const path = new URL(file.DuongDanTaiTepTin).pathname;
    const got = await machine('mot-cua-ha-noi', 'GET', path);
    expect(got.statusCode).toBe(200);
    expect(createHash('sha256').update(got.rawPayload).digest('hex')).toBe(file.SHA256);
    expect((await machine('mot-cua-hcm', 'GET', path)).statusCode).toBe(404);
    expect((await portal.app.inject({ url: path })).statusCode).toBe(401);
  });

  it('adds an entry for each officer action, supplement and withdrawal, oldest first', async () => {
    await act(receiverHN, code, 'receive');
    await act(citizen, code, 'withdraw', { reason: 'Không cần nữa' });
    await drain(async () => (await inbox('mot-cua-ha-noi', '?after=0')).entries.length >= 3);
    const page = await inbox('mot-cua-ha-noi', '?after=0');
    // Changes of one dossier made close together may be recorded in either order (the outbox delivers
    // a batch concurrently): the revision says which is newer.
    const byRevision = [...page.entries].sort((a, b) => a.revision - b.revision);
    expect(byRevision.map((x) => [x.action, x.revision, x.record.TrangThaiHoSo])).toEqual([
      ['submit', 1, '1'],
      ['receive', 2, '2'],
      ['withdraw', 3, '7'],
    ]);
    expect(byRevision[1]!.record.NgayTiepNhan).toMatch(/^\d{14}$/);
    expect(byRevision[0]!.record.NgayTiepNhan).toBeNull(); // as it stood at submission
    expect(byRevision[2]!.record.QuaTrinhXuLy.map((h: { TrangThai: string }) => h.TrangThai)).toEqual([
      '1',
      '2',
      '7',
    ]);
    const cursors = page.entries.map((x) => x.cursor);
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
    expect(page.next).toBe(cursors.at(-1));
  });

  it('adds nothing when the outbox delivers the same change again', async () => {
    const before = await inbox('mot-cua-ha-noi', '?after=0');
    await sql`update platform.outbox set status = 'pending', available_at = now(), attempts = 0
               where topic = 'dossier.status-changed'`.execute(portal.database.db);
    await drain(async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from platform.outbox
                    where topic = 'dossier.status-changed' and status = 'pending'`.execute(
        portal.database.db,
      );
      return r.rows[0]!.n === 0;
    });
    const after = await inbox('mot-cua-ha-noi', '?after=0');
    expect(after.entries.map((x) => x.cursor)).toEqual(before.entries.map((x) => x.cursor));
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from sync.outbound_entries where dossier_code = ${code}`.execute(
      portal.database.db,
    );
    expect(n.rows[0]!.n).toBe(3);
  });

  it('pages with limit and next; an acknowledging client sees each entry once; acks only move forward', async () => {
    const first = await inbox('mot-cua-ha-noi', '?limit=2');
    expect(first.entries).toHaveLength(2);
    expect(first.more).toBe(true);
    const second = await inbox('mot-cua-ha-noi', `?after=${first.next}&limit=2`);
    expect(second.entries).toHaveLength(1);
    expect(second.more).toBe(false);
    const third = second.entries[0]!.action;

    const ack = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/inbox/ack', { cursor: first.next });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toEqual({ acknowledged: first.next });
    // Without `after`: from the acknowledged position.
    expect((await inbox('mot-cua-ha-noi')).entries.map((x) => x.action)).toEqual([third]);
    await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/inbox/ack', { cursor: second.next });
    expect((await inbox('mot-cua-ha-noi')).entries).toEqual([]);
    // An older ack changes nothing.
    const old = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/inbox/ack', { cursor: 1 });
    expect(old.json()).toEqual({ acknowledged: second.next });
    expect((await inbox('mot-cua-ha-noi')).entries).toEqual([]);
    // Beyond the newest entry: refused.
    const beyond = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/inbox/ack', { cursor: 10_000_000 });
    expect(beyond.statusCode).toBe(400);

    // A new dossier appears after the acknowledged position, once.
    const next = await fileDossier();
    await drain(async () => (await inbox('mot-cua-ha-noi')).entries.length > 0);
    const fresh = await inbox('mot-cua-ha-noi');
    expect(fresh.entries.map((x) => [x.MaHoSo, x.action])).toEqual([[next, 'submit']]);
    await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/inbox/ack', { cursor: fresh.next });
    expect((await inbox('mot-cua-ha-noi')).entries).toEqual([]);
  });

  it('keeps the highest of concurrent acknowledgements', async () => {
    const top = (await inbox('mot-cua-ha-noi', '?after=0')).next;
    const cursors = Array.from({ length: 12 }, (_, i) => (i * 7) % (top + 1));
    const answers = await Promise.all(
      cursors.map((cursor) => machine('mot-cua-hcm', 'POST', '/api/v1/sync/inbox/ack', { cursor })),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const r = await sql<{ acked_seq: string }>`
      select acked_seq from sync.inbox_positions where client_id = 'mot-cua-hcm'`.execute(portal.database.db);
    expect(Number(r.rows[0]!.acked_seq)).toBe(Math.max(...cursors));
  });

  it('shows another agency’s system nothing; no token is 401, another scope 403', async () => {
    const hcm = await inbox('mot-cua-hcm', '?after=0');
    expect(hcm.entries).toEqual([]);
    // Its cursor may pass the other agencies' entries (nothing was skipped for it).
    expect(hcm.next).toBe((await inbox('mot-cua-ha-noi', '?after=0')).next);
    expect((await portal.app.inject({ url: '/api/v1/sync/inbox' })).statusCode).toBe(401);
    expect((await machine('mot-cua-ha-noi-catalogue', 'GET', '/api/v1/sync/inbox')).statusCode).toBe(403);
    expect(
      (await machine('mot-cua-ha-noi-catalogue', 'POST', '/api/v1/sync/inbox/ack', { cursor: 0 })).statusCode,
    ).toBe(403);
    expect(
      (await portal.app.inject({ method: 'POST', url: '/api/v1/sync/inbox/ack', payload: { cursor: 0 } }))
        .statusCode,
    ).toBe(401);
  });
});

describe('signed webhooks', () => {
  let secret: string;

  it('registers an endpoint for the caller’s agencies and shows the secret once', async () => {
    const r = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/webhooks', { url: receiverUrl });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ url: receiverUrl, agencyCodes: ['UBND-01'] });
    secret = r.json().secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const list = await machine('mot-cua-ha-noi', 'GET', '/api/v1/sync/webhooks');
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({ url: receiverUrl, active: true });
    expect(JSON.stringify(list.json())).not.toContain(secret.slice(6));
    expect((await machine('mot-cua-hcm', 'GET', '/api/v1/sync/webhooks')).json().items).toEqual([]);
    const bad = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/webhooks', { url: 'ftp://x.example' });
    expect(bad.statusCode).toBe(400);
    const twice = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/webhooks', { url: receiverUrl });
    expect(twice.statusCode).toBe(400);
    // Stopped, then registered again: active with a new secret.
    const other = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/webhooks', {
      url: `${receiverUrl}/2`,
    });
    expect(
      (await machine('mot-cua-hcm', 'DELETE', `/api/v1/sync/webhooks/${other.json().id}`)).statusCode,
    ).toBe(404);
    expect(
      (await machine('mot-cua-ha-noi', 'DELETE', `/api/v1/sync/webhooks/${other.json().id}`)).statusCode,
    ).toBe(204);
    const back = await machine('mot-cua-ha-noi', 'POST', '/api/v1/sync/webhooks', {
      url: `${receiverUrl}/2`,
    });
    expect(back.statusCode).toBe(201);
    expect(back.json().secret).not.toBe(other.json().secret);
    await machine('mot-cua-ha-noi', 'DELETE', `/api/v1/sync/webhooks/${back.json().id}`);
  });

  it('retries on 500 with backoff, then delivers; the signature verifies; every attempt is recorded', async () => {
    received.length = 0;
    answers = [500, 500];
    const code = await fileDossier();
    await drain(() => received.length >= 3);
    expect(received).toHaveLength(3);
    for (const r of received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(signatureValid(secret, r)).toBe(true);
      expect(signatureValid(`whsec_${Buffer.from('another key').toString('base64')}`, r)).toBe(false);
    }
    // One message: the same webhook-id on every try (receivers deduplicate on it).
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const body = JSON.parse(received[2]!.body);
    expect(body).toMatchObject({ type: 'dossier.status-changed', data: { MaHoSo: code, action: 'submit' } });
    expect(body.data.record.MaHoSo).toBe(code);
    expect(received[2]!.headers['webhook-id']).toBe(`entry_${body.data.cursor}`);
    // A tampered body does not verify.
    expect(signatureValid(secret, { ...received[2]!, body: received[2]!.body.replace(code, 'X') })).toBe(
      false,
    );

    const d = await sql<{ id: string; status: string; attempts: number }>`
      select d.id, d.status, d.attempts from sync.webhook_deliveries d
        join sync.outbound_entries e on e.seq = d.entry_seq where e.dossier_code = ${code}`.execute(
      portal.database.db,
    );
    expect(d.rows[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    const attempts = await sql<{ status_code: number; latency_ms: number; error: string | null }>`
      select status_code, latency_ms, error from sync.webhook_attempts where delivery_id = ${d.rows[0]!.id} order by id`.execute(
      portal.database.db,
    );
    expect(attempts.rows.map((a) => a.status_code)).toEqual([500, 500, 200]);
    expect(attempts.rows[0]!.error).toBe('HTTP 500');
    expect(attempts.rows.every((a) => a.latency_ms >= 0)).toBe(true);
  });

  it('gives up after the last try (dead letter); “Gửi lại” on the admin page delivers it', async () => {
    received.length = 0;
    answers = [500, 503, 500];
    const code = await fileDossier();
    const dead = async () => {
      const r = await sql<{ id: string }>`
        select d.id from sync.webhook_deliveries d join sync.outbound_entries e on e.seq = d.entry_seq
         where e.dossier_code = ${code} and d.status = 'dead'`.execute(portal.database.db);
      return r.rows[0] ? Number(r.rows[0].id) : undefined;
    };
    await drain(async () => (await dead()) !== undefined);
    const id = await dead();
    expect(id).toBeDefined();
    expect(received).toHaveLength(3);

    // Only system administrators see the page.
    expect(
      (await api(citizen, 'GET', '/quan-tri/dong-bo/webhook', undefined, { accept: 'text/html' })).statusCode,
    ).toBe(404);
    expect(
      (await api(receiverHN, 'GET', '/quan-tri/dong-bo/webhook', undefined, { accept: 'text/html' }))
        .statusCode,
    ).toBe(404);
    const browser = new FormClient(portal.app);
    browser.cookies.set('sid', admin.token);
    const page = await browser.get('/quan-tri/dong-bo/webhook');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Danh sách lỗi');
    expect(page.body).toContain(code);
    expect(page.body).toContain(receiverUrl);
    expect(page.body).toContain(`/quan-tri/dong-bo/webhook/gui-lai/${id}`);
    expect(page.body).toContain('Gửi lại');

    // Without the CSRF token: refused.
    const forged = await browser.post(`/quan-tri/dong-bo/webhook/gui-lai/${id}`, {}, { csrf: null });
    expect(forged.statusCode).toBe(403);
    expect(await dead()).toBe(id);

    await browser.get('/quan-tri/dong-bo/webhook');
    const again = await browser.post(`/quan-tri/dong-bo/webhook/gui-lai/${id}`, {});
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/quan-tri/dong-bo/webhook?gui-lai=${id}`);
    await drain(() => received.length >= 4);
    expect(received).toHaveLength(4);
    expect(signatureValid(secret, received[3]!)).toBe(true);
    const row = await sql<{
      status: string;
    }>`select status from sync.webhook_deliveries where id = ${id}`.execute(portal.database.db);
    expect(row.rows[0]!.status).toBe('delivered');
    const audit = await sql<{ n: number }>`select count(*)::int as n from platform.audit_log
                                            where action = 'sync.webhook-redeliver'`.execute(
      portal.database.db,
    );
    expect(audit.rows[0]!.n).toBe(1);
    // A delivered one cannot be "redelivered".
    await browser.get('/quan-tri/dong-bo/webhook');
    expect((await browser.post(`/quan-tri/dong-bo/webhook/gui-lai/${id}`, {})).statusCode).toBe(404);
  });

  it('registers an endpoint for a system from the admin page, secret shown once', async () => {
    const browser = new FormClient(portal.app);
    browser.cookies.set('sid', admin.token);
    await browser.get('/quan-tri/dong-bo/webhook');
    const r = await browser.post('/quan-tri/dong-bo/webhook', {
      clientId: 'mot-cua-hcm',
      url: `${receiverUrl}/hcm`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/whsec_[A-Za-z0-9+/]+=*/);
    const list = await machine('mot-cua-hcm', 'GET', '/api/v1/sync/webhooks');
    expect(list.json().items).toMatchObject([{ url: `${receiverUrl}/hcm`, agencyCodes: ['UBND-79'] }]);
    const page = await browser.get('/quan-tri/dong-bo/webhook');
    expect(page.body).not.toMatch(/whsec_/);
  });

  it('does not follow redirects and gives up on a slow endpoint', async () => {
    const other = http.createServer((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { location: receiverUrl }).end();
      else setTimeout(() => res.writeHead(200).end(), 5_000).unref();
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const { postWebhook } = await import('./webhook-sender.ts');
    const base = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const redirected = await postWebhook(`${base}/redirect`, {}, '{}', {
      timeoutMs: 2000,
      allowPrivate: true,
    });
    expect(redirected).toMatchObject({ ok: false, statusCode: 302 });
    expect(redirected.error).toContain('redirect');
    const slow = await postWebhook(`${base}/slow`, {}, '{}', { timeoutMs: 100, allowPrivate: true });
    expect(slow).toMatchObject({ ok: false, statusCode: null });
    expect(slow.error).toContain('timeout');
    const blocked = await postWebhook(`${base}/x`, {}, '{}', { timeoutMs: 1000, allowPrivate: false });
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toContain('SSRF');
    const byName = await postWebhook('http://localhost:9/x', {}, '{}', {
      timeoutMs: 1000,
      allowPrivate: false,
    });
    expect(byName.error).toContain('SSRF');
    other.closeAllConnections();
    await new Promise((r) => other.close(r));
  });
});
