/**
 * Agencies that handle feedback in their own software, over real HTTP and the whole portal: a machine
 * client with scope feedback gets the items forwarded to its agency as `feedback.routed` through sync's
 * feed and a signed webhook to a receiver started here (once, even when the outbox delivers twice), fetches
 * the files with its token, acknowledges, answers once per Idempotency-Key (also when the retries race) and
 * returns items; every step audited as the client. Another scope is 403, another agency 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../../platform/db/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { registerOidcClient } from '../identity/index.ts';
import { verifyWebhook } from '../sync/index.ts';
import { createAgencySystemsService } from './agency-systems/agency-systems.service.ts';
import type { FeedbackTables } from './feedback.tables.ts';
import { type FeedbackHarness, feedbackHarness, signedIn, vn } from './feedback.test-support.ts';

let h: FeedbackHarness;
const tokens: Record<string, string> = {};

// ——— a real HTTP receiver: records every request, answers 200 ———
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let receiver: http.Server;
let receiverBase: string;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function client(name: string, agencyCodes: string[], scope: string) {
  const { clientSecret } = await registerOidcClient(h.database.db, {
    clientId: name,
    name: `Phần mềm ${name}`,
    machine: true,
    agencyCodes,
    scope,
  });
  const r = await h.app.inject({
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

async function machine(
  name: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return h.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${tokens[name]}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

/** Runs the outbox until `done` holds: routed → feed entry and delivery → the POST. */
async function drain(done: () => Promise<boolean> | boolean, rounds = 20) {
  for (let i = 0; i < rounds; i++) {
    await h.dispatcher.runOnce();
    if (await done()) return;
  }
  throw new Error('the outbox did not get there');
}

const hooksAt = (path: string) => received.filter((r) => r.path === path);

let vpcp: { id: string; cookie: string };
let citizen: { id: string; cookie: string };
let code: string;
let secret: string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  h = await feedbackHarness(vn('2026-12-14 09:00'));
  vpcp = await signedIn(h.database, 'officer', [['CP', 'vpcp-supervisor']]);
  citizen = await signedIn(h.database, 'citizen');
  await client('pakn-btp', ['BTP'], 'feedback');
  await client('pakn-bnv', ['BNV'], 'feedback');
  await client('pakn-bca', ['BCA'], 'feedback');
  await client('mot-cua-btp', ['BTP'], 'sync');
});
afterAll(async () => {
  await h?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('an item forwarded to an agency reaches its own software', () => {
  it('by a signed webhook and the feed, with content, files and contact; once, and only to scope feedback', async () => {
    const hook = await machine('pakn-btp', 'POST', '/api/v1/sync/webhooks', {
      url: `${receiverBase}/pakn-btp`,
    });
    expect(hook.statusCode, hook.body).toBe(201);
    expect(hook.json().kinds).toEqual(['feedback']);
    secret = hook.json().secret;
    const dossierHook = await machine('mot-cua-btp', 'POST', '/api/v1/sync/webhooks', {
      url: `${receiverBase}/mot-cua-btp`,
    });
    expect(dossierHook.json().kinds).toEqual(['dossier']);

    const sent = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: { 'content-type': 'application/json', cookie: citizen.cookie, 'idempotency-key': 'as-1' },
      payload: {
        title: 'Chứng thực bản sao phải chờ quá lâu',
        content: 'Tôi nộp hồ sơ chứng thực nhưng phải chờ ba ngày.',
        category: 'dossier-handling',
        procedureCode: '2.000505',
        address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội',
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    code = sent.json().code;
    const file = await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${code}/attachments?name=${encodeURIComponent('biên-nhận.pdf')}`,
      headers: { cookie: citizen.cookie, 'content-type': 'application/octet-stream' },
      payload: PDF,
    });
    expect(file.statusCode, file.body).toBe(201);
    const forwarded = await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${code}/actions`,
      headers: { 'content-type': 'application/json', cookie: vpcp.cookie },
      payload: { action: 'forward', agencies: ['BTP', 'BNV'] },
    });
    expect(forwarded.statusCode, forwarded.body).toBe(200);

    await drain(() => hooksAt('/pakn-btp').length > 0);
    const [post] = hooksAt('/pakn-btp');
    const headers = {
      id: String(post!.headers['webhook-id']),
      timestamp: String(post!.headers['webhook-timestamp']),
      signature: String(post!.headers['webhook-signature']),
    };
    expect(verifyWebhook(secret, headers, post!.body, h.clock.now().getTime())).toBe(true);
    expect(verifyWebhook(secret, headers, post!.body.replace('BTP', 'BCA'), h.clock.now().getTime())).toBe(
      false,
    );
    const event = JSON.parse(post!.body);
    expect(event.type).toBe('feedback.routed');
    expect(event.data).toMatchObject({ type: 'feedback.routed', code, agencyCode: 'BTP', action: 'forward' });
    const record = event.data.record;
    expect(record).toMatchObject({
      code,
      title: 'Chứng thực bản sao phải chờ quá lâu',
      content: 'Tôi nộp hồ sơ chứng thực nhưng phải chờ ba ngày.',
      category: 'dossier-handling',
      procedureCode: '2.000505',
      agencyCode: 'BTP',
      via: 'vpcp',
      submitter: { name: expect.any(String), email: null, address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội' },
    });
    expect(record.deadlines).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'handle', state: 'running' })]),
    );
    expect(record.attachments).toEqual([
      expect.objectContaining({
        fileName: 'biên-nhận.pdf',
        mediaType: 'application/pdf',
        url: expect.any(String),
      }),
    ]);

    // The file, by its link, with the client's token; not to an agency the item is not routed to.
    const path = new URL(record.attachments[0].url).pathname;
    const got = await machine('pakn-btp', 'GET', path);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect((await machine('pakn-bca', 'GET', path)).statusCode).toBe(404);

    // The pull feed: BTP's system reads BTP's entry, BNV's its own; the dossiers' system no feedback.
    const feed = (await machine('pakn-btp', 'GET', '/api/v1/sync/inbox?after=0')).json();
    expect(feed.entries.map((e: { code: string; agencyCode: string }) => [e.code, e.agencyCode])).toEqual([
      [code, 'BTP'],
    ]);
    const bnv = (await machine('pakn-bnv', 'GET', '/api/v1/sync/inbox?after=0')).json();
    expect(bnv.entries.map((e: { agencyCode: string }) => e.agencyCode)).toEqual(['BNV']);
    const dossiers = await machine('mot-cua-btp', 'GET', '/api/v1/sync/inbox?after=0');
    expect(dossiers.statusCode).toBe(200);
    expect(dossiers.json().entries).toEqual([]);
    expect(hooksAt('/mot-cua-btp')).toEqual([]);

    // The outbox delivering the routing again adds no entry and no POST.
    const messages = await sql<{ payload: unknown }>`
      select payload from platform.outbox where topic = 'feedback.routed'`.execute(h.database.db);
    expect(messages.rows).toHaveLength(2);
    for (const m of messages.rows) await enqueue(h.database.db, 'feedback.routed', m.payload);
    await drain(async () => {
      const left = await sql<{ n: number }>`
        select count(*)::int as n from platform.outbox
         where topic = 'feedback.routed' and status = 'pending'`.execute(h.database.db);
      return left.rows[0]!.n === 0;
    });
    await h.dispatcher.runOnce();
    const entries = await sql<{ n: number }>`
      select count(*)::int as n from sync.outbound_entries where dossier_code = ${code}`.execute(
      h.database.db,
    );
    expect(entries.rows[0]!.n).toBe(2);
    expect(hooksAt('/pakn-btp')).toHaveLength(1);
  });
});

describe('the agency API', () => {
  it('answers another scope 403, no token 401, and another agency 404 for everything', async () => {
    expect((await machine('mot-cua-btp', 'GET', '/api/v1/agency/feedback')).statusCode).toBe(403);
    expect(
      (await machine('mot-cua-btp', 'POST', `/api/v1/agency/feedback/${code}/acknowledge`, {})).statusCode,
    ).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/agency/feedback' })).statusCode).toBe(401);
    const list = await machine('pakn-bca', 'GET', '/api/v1/agency/feedback');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([]);
    // Bad input is a problem by the field, never a 500.
    expect((await machine('pakn-bca', 'GET', '/api/v1/agency/feedback?since=h%C3%B4m-qua')).statusCode).toBe(
      400,
    );
    const cursor = await machine('pakn-bca', 'GET', '/api/v1/agency/feedback?cursor=kh%C3%B4ng');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    expect((await machine('pakn-bca', 'GET', `/api/v1/agency/feedback/${code}`)).statusCode).toBe(404);
    expect(
      (await machine('pakn-bca', 'POST', `/api/v1/agency/feedback/${code}/acknowledge`, {})).statusCode,
    ).toBe(404);
    const answer = await machine(
      'pakn-bca',
      'POST',
      `/api/v1/agency/feedback/${code}/answer`,
      { text: 'Không phải của chúng tôi.' },
      { 'idempotency-key': 'bca-1' },
    );
    expect(answer.statusCode).toBe(404);
    expect(
      (await machine('pakn-bca', 'POST', `/api/v1/agency/feedback/${code}/return`, { reason: 'Sai cơ quan' }))
        .statusCode,
    ).toBe(404);
    // Naming an agency that is not its own does not help.
    expect(
      (await machine('pakn-bca', 'GET', `/api/v1/agency/feedback/${code}?asAgency=BTP`)).statusCode,
    ).toBe(404);
    const answers = await sql<{ n: number }>`select count(*)::int as n from feedback.answers`.execute(
      h.database.db,
    );
    expect(answers.rows[0]!.n).toBe(0);
  });

  it('lists, acknowledges (external), and answers once per Idempotency-Key, even when retries race', async () => {
    const list = await machine('pakn-btp', 'GET', '/api/v1/agency/feedback?state=forwarded');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        code,
        agencyCode: 'BTP',
        routeState: 'forwarded',
        handleDue: expect.any(String),
      }),
    ]);
    const one = await machine('pakn-btp', 'GET', `/api/v1/agency/feedback/${code}`);
    expect(one.json()).toMatchObject({ agencyCode: 'BTP', routeState: 'forwarded', status: 'forwarded' });

    const ack = await machine('pakn-btp', 'POST', `/api/v1/agency/feedback/${code}/acknowledge`, {});
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ code, agencyCode: 'BTP', routeState: 'external', status: 'external' });
    expect(ack.json().statusName).toBe('Gửi đơn vị khác bằng phần mềm riêng');
    const again = await machine('pakn-btp', 'POST', `/api/v1/agency/feedback/${code}/acknowledge`, {});
    expect(again.json()).toMatchObject({ routeState: 'external' });

    const text =
      'Sở Tư pháp đã chấn chỉnh việc tiếp nhận hồ sơ chứng thực; hồ sơ của ông bà được trả trong ngày.';
    const answer = () =>
      machine(
        'pakn-btp',
        'POST',
        `/api/v1/agency/feedback/${code}/answer`,
        { text },
        { 'idempotency-key': 'tl-1' },
      );
    const raced = await Promise.all([answer(), answer(), answer()]);
    expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    for (const r of raced)
      expect(r.json()).toMatchObject({ code, agencyCode: 'BTP', routeState: 'answered' });
    const later = await answer();
    expect(later.statusCode).toBe(200);
    const stored = await sql<{ body: string; answered_by: string | null; answered_by_client: string }>`
      select body, answered_by, answered_by_client from feedback.answers`.execute(h.database.db);
    expect(stored.rows).toEqual([{ body: text, answered_by: null, answered_by_client: 'pakn-btp' }]);
    // The same key for another answer is a conflict; a missing key or text is refused by the field.
    const other = await machine(
      'pakn-btp',
      'POST',
      `/api/v1/agency/feedback/${code}/answer`,
      { text: 'Một câu trả lời khác.' },
      { 'idempotency-key': 'tl-1' },
    );
    expect(other.statusCode).toBe(409);
    const noKey = await machine('pakn-btp', 'POST', `/api/v1/agency/feedback/${code}/answer`, { text });
    expect(noKey.statusCode).toBe(400);
    const blank = await machine(
      'pakn-btp',
      'POST',
      `/api/v1/agency/feedback/${code}/answer`,
      { text: '   ' },
      { 'idempotency-key': 'tl-2' },
    );
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([expect.objectContaining({ path: 'text' })]);

    // The Government Office sees the agency's answer, each step in the history and the audit log.
    const view = await h.app.inject({
      url: `/api/v1/feedback/${code}/handling`,
      headers: { cookie: vpcp.cookie },
    });
    expect(view.json().answers).toEqual([expect.objectContaining({ agency: 'BTP', body: text })]);
    expect(view.json().status).toBe('forwarded'); // BNV has not answered yet
    const audit = await sql<{ action: string }>`
      select action from platform.audit_log where actor = 'client:pakn-btp' and subject = ${`feedback:${code}`}
      order by id`.execute(h.database.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['feedback.hand-off', 'feedback.answer']);
    const events = await sql<{ action: string; agency_code: string }>`
      select e.action, e.agency_code from feedback.events e join feedback.items i on i.id = e.item_id
       where i.code = ${code} and e.actor = 'client:pakn-btp' order by e.id`.execute(h.database.db);
    expect(events.rows).toEqual([
      { action: 'hand-off', agency_code: 'BTP' },
      { action: 'answer', agency_code: 'BTP' },
    ]);
  });

  it('answers a retry that lost the race to the first answer with that answer', async () => {
    // Both calls read the item before either writes (a barrier in front of the step, no timing): the
    // second's write finds the item moved on and must answer with the first's answer, not a conflict.
    const sent = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: { 'content-type': 'application/json', cookie: citizen.cookie, 'idempotency-key': 'as-2' },
      payload: {
        title: 'Thủ tục đăng ký khai sinh',
        content: 'Yêu cầu giấy tờ không có trong quy định.',
        category: 'regulation',
      },
    });
    const item = sent.json().code as string;
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${item}/actions`,
      headers: { 'content-type': 'application/json', cookie: vpcp.cookie },
      payload: { action: 'forward', agencies: ['BTP'] },
    });
    let waiting = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const systems = createAgencySystemsService({
      db: scoped<FeedbackTables>(h.database.db),
      feedback: {
        deadlines: h.service.deadlines,
        apply: async (...args: Parameters<typeof h.service.apply>) => {
          if (++waiting === 2) release();
          await gate;
          return h.service.apply(...args);
        },
      },
      subtreeOf: async () => [],
      publicUrl: 'http://localhost',
      blob: async () => undefined,
    });
    const system = { clientId: 'pakn-btp', agencyCodes: ['BTP'] };
    const text = 'Giấy tờ này không bắt buộc; Sở đã hướng dẫn bộ phận một cửa.';
    const results = await Promise.all([
      systems.answer(system, item, text, 'race-1'),
      systems.answer(system, item, text, 'race-1'),
    ]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    const n = await sql<{ n: number }>`
      select count(*)::int as n from feedback.answers a join feedback.items i on i.id = a.item_id
       where i.code = ${item}`.execute(h.database.db);
    expect(n.rows[0]!.n).toBe(1);
  });

  it('returns an acknowledged item to the Government Office with a reason', async () => {
    expect(
      (await machine('pakn-bnv', 'POST', `/api/v1/agency/feedback/${code}/acknowledge`, {})).statusCode,
    ).toBe(200);
    const blank = await machine('pakn-bnv', 'POST', `/api/v1/agency/feedback/${code}/return`, {
      reason: ' ',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    const back = await machine('pakn-bnv', 'POST', `/api/v1/agency/feedback/${code}/return`, {
      reason: 'Nội dung thuộc thẩm quyền của Bộ Tư pháp.',
    });
    expect(back.statusCode, back.body).toBe(200);
    // BTP answered, BNV returned: nothing is with agencies any more, so the item waits for publication.
    expect(back.json()).toMatchObject({ agencyCode: 'BNV', routeState: 'returned', status: 'answered' });
    const late = await machine(
      'pakn-bnv',
      'POST',
      `/api/v1/agency/feedback/${code}/answer`,
      { text: 'Trả lời muộn.' },
      { 'idempotency-key': 'bnv-1' },
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().allowedActions).toEqual([]);
    const list = await machine('pakn-bnv', 'GET', '/api/v1/agency/feedback?state=returned');
    expect(list.json().items.map((i: { code: string }) => i.code)).toEqual([code]);
  });

  it('stops sending items to an endpoint whose client lost the scope feedback', async () => {
    await client('pakn-btp-cu', ['BTP'], 'feedback');
    const hook = await machine('pakn-btp-cu', 'POST', '/api/v1/sync/webhooks', {
      url: `${receiverBase}/pakn-btp-cu`,
    });
    expect(hook.statusCode).toBe(201);
    await sql`update identity.oidc_payloads set payload = jsonb_set(payload, '{scope}', '"sync"')
               where model = 'Client' and id = 'pakn-btp-cu'`.execute(h.database.db);
    const sent = await h.app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: { 'content-type': 'application/json', cookie: citizen.cookie, 'idempotency-key': 'as-3' },
      payload: { title: 'Phí chứng thực', content: 'Thu phí cao hơn quy định.', category: 'other' },
    });
    const item = sent.json().code as string;
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${item}/actions`,
      headers: { 'content-type': 'application/json', cookie: vpcp.cookie },
      payload: { action: 'forward', agencies: ['BTP'] },
    });
    await drain(() => hooksAt('/pakn-btp').some((r) => r.body.includes(item)));
    await drain(async () => {
      const d = await sql<{ status: string }>`
        select d.status from sync.webhook_deliveries d join sync.webhook_subscriptions s on s.id = d.subscription_id
         where s.client_id = 'pakn-btp-cu'`.execute(h.database.db);
      return d.rows.length > 0 && d.rows.every((r) => r.status !== 'pending');
    });
    const deliveries = await sql<{ status: string; last_error: string }>`
      select d.status, d.last_error from sync.webhook_deliveries d
        join sync.webhook_subscriptions s on s.id = d.subscription_id where s.client_id = 'pakn-btp-cu'`.execute(
      h.database.db,
    );
    // This item's and the one forwarded before whose routing was still in the outbox: none sent.
    expect(deliveries.rows.length).toBeGreaterThan(0);
    for (const d of deliveries.rows)
      expect(d).toEqual({ status: 'dead', last_error: expect.stringContaining('phạm vi feedback') });
    expect(hooksAt('/pakn-btp-cu')).toEqual([]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await h.app.inject('/api/openapi.json')).json();
    for (const p of [
      '/api/v1/agency/feedback',
      '/api/v1/agency/feedback/{code}',
      '/api/v1/agency/feedback/{code}/acknowledge',
      '/api/v1/agency/feedback/{code}/answer',
      '/api/v1/agency/feedback/{code}/return',
      '/api/v1/agency/feedback/{code}/attachments/{id}',
    ])
      expect(doc.paths[p], p).toBeDefined();
    const answer = doc.paths['/api/v1/agency/feedback/{code}/answer'].post;
    expect(answer.parameters.map((x: { name: string }) => x.name)).toContain('idempotency-key');
    expect(Object.keys(answer.responses)).toEqual(expect.arrayContaining(['200', '201']));
    expect(JSON.stringify(doc.paths['/api/v1/sync/inbox'].get.responses)).toContain('feedback.routed');
  });
});
