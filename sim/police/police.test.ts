import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DECISION_NUMBER, FIXED_DECISIONS, generateDecisions, PLATE } from './decisions.ts';
import { type RunningPolice, sign, startPolice } from './server.ts';

const CLIENT_ID = 'canh-sat-giao-thong';
const CLIENT_SECRET = 'police-client-secret-123';
const WEBHOOK_SECRET = 'police-webhook-secret-456';

interface FakePortal {
  url: string;
  tokenRequests: number;
  /** Decoded decision number → bodies received (every PUT that reached the handler with a good token). */
  puts: Array<{ number: string; rawPath: string; body: Record<string, unknown> }>;
  /** Answer 503 this many times first, per decision number. */
  failFirst: Map<string, number>;
  /** Drop the connection this many times first. */
  dropFirst: Map<string, number>;
  /** Answer this status, always. */
  refuse: Map<string, number>;
  expiresIn: number;
  /** Tokens the portal accepts. */
  valid: Set<string>;
  maxInFlight: number;
  close(): Promise<void>;
}

/** A small portal: the token endpoint (Basic auth, scope fines) and the PUT of a decision. */
async function fakePortal(): Promise<FakePortal> {
  let inFlight = 0;
  const registered = new Map<string, string>();
  const portal: Omit<FakePortal, 'url' | 'close'> = {
    tokenRequests: 0,
    puts: [],
    failFirst: new Map(),
    dropFirst: new Map(),
    refuse: new Map(),
    expiresIn: 3600,
    valid: new Set(),
    maxInFlight: 0,
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && req.url === '/oidc/token') {
      portal.tokenRequests += 1;
      const basic = Buffer.from(
        (req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      ).toString();
      const [id, secret] = basic.split(':').map(decodeURIComponent);
      if (id !== CLIENT_ID || secret !== CLIENT_SECRET) return json(401, { error: 'invalid_client' });
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'client_credentials')
        return json(400, { error: 'unsupported_grant_type' });
      if (form.get('scope') !== 'fines') return json(400, { error: 'invalid_scope' });
      const token = `tok-${portal.tokenRequests}`;
      portal.valid.add(token);
      return json(200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: portal.expiresIn,
        scope: 'fines',
      });
    }
    const m = /^\/api\/v1\/fines\/([^/]+)$/.exec(req.url ?? '');
    if (req.method === 'PUT' && m) {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!portal.valid.has(token)) return json(401, { error: 'invalid_token' });
      const number = decodeURIComponent(m[1]!);
      inFlight += 1;
      portal.maxInFlight = Math.max(portal.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      const drops = portal.dropFirst.get(number) ?? 0;
      if (drops > 0) {
        portal.dropFirst.set(number, drops - 1);
        return req.socket.destroy();
      }
      const fails = portal.failFirst.get(number) ?? 0;
      if (fails > 0) {
        portal.failFirst.set(number, fails - 1);
        return json(503, { error: 'unavailable' });
      }
      const refused = portal.refuse.get(number);
      if (refused) return json(refused, { error: 'refused' });
      portal.puts.push({ number, rawPath: m[1]!, body: JSON.parse(raw) });
      const before = registered.get(number);
      if (before === undefined) {
        registered.set(number, raw);
        return json(201, { decisionNumber: number });
      }
      return before === raw ? json(200, { decisionNumber: number }) : json(409, { error: 'differs' });
    }
    json(404, { error: 'not-found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return Object.assign(portal, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  });
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function setUp(extra: Partial<Parameters<typeof startPolice>[0]> = {}) {
  const portal = await fakePortal();
  cleanup.push(portal.close);
  const police = await startPolice({
    seed: 'unit',
    count: 20,
    portalUrl: portal.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    adminKey: 'police-admin-key-789',
    retry: { tries: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
  cleanup.push(police.close);
  return { portal, police };
}

const admin = (police: RunningPolice, path: string, init: RequestInit = {}, key = 'police-admin-key-789') =>
  fetch(`${police.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });

describe('the generated decisions', () => {
  it('are the same for the same seed, well-formed, numbered apart from the demo ones', () => {
    const a = generateDecisions('x', 300);
    expect(generateDecisions('x', 300)).toEqual(a);
    expect(generateDecisions('y', 300)).not.toEqual(a);
    const numbers = new Set([...a, ...FIXED_DECISIONS].map((d) => d.decisionNumber));
    expect(numbers.size).toBe(303);
    for (const d of [...a, ...FIXED_DECISIONS]) {
      expect(d.decisionNumber).toMatch(DECISION_NUMBER);
      expect(d.plate).toMatch(PLATE);
      expect(d.violator.idNumber).toMatch(/^\d{12}$/);
      expect(d.violator.name).toBe(d.violator.name.normalize('NFC'));
      expect(Number.isSafeInteger(d.amount) && d.amount > 0).toBe(true);
      expect(d.decidedOn >= '2026-09-01' && d.decidedOn <= '2026-12-06').toBe(true);
      expect(Number.isNaN(Date.parse(d.violatedAt))).toBe(false);
      expect(d.violatedAt.slice(0, 10) <= d.decidedOn).toBe(true);
    }
  });
});

describe('registration with the portal', () => {
  it('registers every decision at start: one token, at most 4 at a time, the body of the contract', async () => {
    const { portal, police } = await setUp({ registerOnStart: true, agency: { code: 'CATP-HN' } });
    const report = await police.startup!;
    expect(report).toEqual({ registered: 23, failed: 0, skipped: 0 });
    expect(portal.tokenRequests).toBe(1);
    expect(portal.puts).toHaveLength(23);
    expect(portal.maxInFlight).toBeGreaterThan(1);
    expect(portal.maxInFlight).toBeLessThanOrEqual(4);
    const minh = portal.puts.find((p) => p.number === '1234/QĐ-XPHC')!;
    expect(minh.rawPath).toBe(encodeURIComponent('1234/QĐ-XPHC'));
    expect(minh.body).toEqual({
      decidedOn: '2026-11-20',
      violator: { name: 'Nguyễn Văn Minh', idNumber: '001088012345' },
      plate: '30A-123.45',
      violation: 'Không chấp hành hiệu lệnh của đèn tín hiệu giao thông',
      place: 'Ngã tư Kim Mã – Liễu Giai, Phường Ngọc Hà, Hà Nội',
      violatedAt: '2026-11-18T07:45:00+07:00',
      amount: 4_000_000,
      agency: { code: 'CATP-HN', name: 'Phòng Cảnh sát giao thông Công an TP Hà Nội' },
      treasury: { account: '7111000123456', bankBin: '970415', name: 'Kho bạc Nhà nước khu vực I' },
    });
    expect(police.decision('1234/QĐ-XPHC')!.registration).toMatchObject({ state: 'registered', status: 201 });
    // Again on demand: the same token, the portal answers 200.
    const again = await admin(police, '/_sim/register', { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ registered: 23, failed: 0, skipped: 0 });
    expect(portal.tokenRequests).toBe(1);
    expect(police.decision('1234/QĐ-XPHC')!.registration).toMatchObject({ state: 'registered', status: 200 });
  });

  it('retries 5xx and dropped connections with backoff, stops at a 4xx', async () => {
    const warnings: string[] = [];
    const { portal, police } = await setUp({ count: 3, warn: (l) => warnings.push(l) });
    portal.failFirst.set('1234/QĐ-XPHC', 2);
    portal.dropFirst.set('1235/QĐ-XPHC', 1);
    portal.refuse.set('1236/QĐ-XPHC', 409);
    portal.failFirst.set('2001/QĐ-XPHC', 10);
    expect(await police.registerAll()).toEqual({ registered: 4, failed: 2, skipped: 0 });
    expect(police.decision('1234/QĐ-XPHC')!.registration).toMatchObject({ state: 'registered', attempts: 3 });
    expect(police.decision('1235/QĐ-XPHC')!.registration).toMatchObject({ state: 'registered', attempts: 2 });
    expect(police.decision('1236/QĐ-XPHC')!.registration).toMatchObject({
      state: 'failed',
      status: 409,
      attempts: 1,
    });
    expect(police.decision('2001/QĐ-XPHC')!.registration).toMatchObject({
      state: 'failed',
      status: 503,
      attempts: 4,
    });
    expect(portal.failFirst.get('2001/QĐ-XPHC')).toBe(6);
    const logged = warnings.join('\n');
    expect(logged).toContain('1236/QĐ-XPHC: refused 409');
    expect(logged).toContain('2001/QĐ-XPHC: gave up after 4 attempts');
  });

  it('keeps the token until shortly before it expires, and gets a new one when it is refused', async () => {
    let clock = 1_000_000;
    const { portal, police } = await setUp({ count: 0, now: () => clock });
    portal.expiresIn = 600;
    await police.registerAll();
    clock += 500_000; // 500 s of 600: still good (renewed 30 s before)
    await police.registerAll();
    expect(portal.tokenRequests).toBe(1);
    clock += 75_000; // 575 s: inside the last 30 s
    await police.registerAll();
    expect(portal.tokenRequests).toBe(2);
    // The portal forgets its tokens: one 401, a new token, registered.
    portal.valid.clear();
    expect(await police.registerAll()).toEqual({ registered: 3, failed: 0, skipped: 0 });
    expect(portal.tokenRequests).toBe(3);
  });

  it('stops the whole run when the token is refused', async () => {
    const warnings: string[] = [];
    const { portal, police } = await setUp({
      clientSecret: 'wrong-secret-0000',
      registerOnStart: true,
      warn: (l) => warnings.push(l),
    });
    const report = await police.startup!;
    expect(report).toMatchObject({ registered: 0, failed: 0, skipped: 23 });
    expect(report.stopped).toMatch(/401/);
    expect(portal.tokenRequests).toBe(1);
    expect(portal.puts).toHaveLength(0);
    expect(warnings.join('\n')).toMatch(/stopped/);
  });

  it('creates a decision and registers it at once (admin only)', async () => {
    const { portal, police } = await setUp({ count: 0, today: () => '2026-12-07' });
    const body = {
      violator: { name: 'Lê Thị Hoa', idNumber: '079190012002' },
      plate: '51G-678.90',
      violation: 'Dừng xe, đỗ xe không đúng nơi quy định',
      amount: 1_000_000,
    };
    expect(
      (
        await admin(
          police,
          '/_sim/decisions',
          { method: 'POST', body: JSON.stringify(body) },
          'nope-nope-nope',
        )
      ).status,
    ).toBe(401);
    const r = await admin(police, '/_sim/decisions', { method: 'POST', body: JSON.stringify(body) });
    expect(r.status).toBe(201);
    const created = (await r.json()) as { decisionNumber: string; decidedOn: string; registration: unknown };
    expect(created).toMatchObject({
      decisionNumber: '2001/QĐ-XPHC',
      decidedOn: '2026-12-07',
      registration: { state: 'registered', status: 201 },
      paid: null,
    });
    expect(portal.puts.map((p) => p.number)).toEqual(['2001/QĐ-XPHC']);
    const same = await admin(police, '/_sim/decisions', {
      method: 'POST',
      body: JSON.stringify({ ...body, decisionNumber: '2001/QĐ-XPHC' }),
    });
    expect(same.status).toBe(409);
    const bad = await admin(police, '/_sim/decisions', {
      method: 'POST',
      body: JSON.stringify({ ...body, plate: 'x' }),
    });
    expect(bad.status).toBe(400);
    portal.refuse.set('77/QĐ-XPHC', 400);
    const refused = await admin(police, '/_sim/decisions', {
      method: 'POST',
      body: JSON.stringify({ ...body, decisionNumber: '77/QĐ-XPHC' }),
    });
    expect(refused.status).toBe(502);
    expect(await refused.json()).toMatchObject({ registration: { state: 'failed', status: 400 } });
  });
});

describe('paid notices', () => {
  const notice = {
    decisionNumber: '1234/QĐ-XPHC',
    paidAt: '2026-12-07T10:15:00+07:00',
    amount: 4_000_000,
    surcharge: 12_000,
    total: 4_012_000,
    paymentReference: 'DVC7K3M9Q2X4PZ',
  };
  const tell = (police: RunningPolice, body: string, signature: string | null) =>
    fetch(`${police.url}/api/v1/fines/paid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) },
      body,
    });

  it('checks the signature over the raw body, marks the decision paid once', async () => {
    const police = await startPolice({
      count: 0,
      webhookSecret: WEBHOOK_SECRET,
      adminKey: 'police-admin-key-789',
    });
    cleanup.push(police.close);
    const raw = `{ "decisionNumber": "1234/QĐ-XPHC", "paidAt": "2026-12-07T10:15:00+07:00", "amount": 4000000,
      "surcharge": 12000, "total": 4012000, "paymentReference": "DVC7K3M9Q2X4PZ" }`;
    expect((await tell(police, raw, null)).status).toBe(401);
    expect((await tell(police, raw, sign(raw, 'another-secret-000'))).status).toBe(401);
    // Signed over another serialisation of the same JSON: not the raw body.
    expect((await tell(police, raw, sign(JSON.stringify(JSON.parse(raw)), WEBHOOK_SECRET))).status).toBe(401);
    expect((await tell(police, raw, 'sha256=zz')).status).toBe(401);
    expect(police.decision('1234/QĐ-XPHC')!.paid).toBeNull();

    const ok = await tell(police, raw, sign(raw, WEBHOOK_SECRET).toUpperCase().replace('SHA256=', 'sha256='));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ decisionNumber: '1234/QĐ-XPHC', paid: true, duplicate: false });
    const again = await tell(police, raw, sign(raw, WEBHOOK_SECRET));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });

    const other = JSON.stringify({ ...notice, paymentReference: 'DVC0000000009' });
    expect((await tell(police, other, sign(other, WEBHOOK_SECRET))).status).toBe(409);

    const shown = await fetch(`${police.url}/api/v1/decisions/${encodeURIComponent('1234/QĐ-XPHC')}`);
    expect(await shown.json()).toMatchObject({
      decisionNumber: '1234/QĐ-XPHC',
      plate: '30A-123.45',
      paid: { paymentReference: 'DVC7K3M9Q2X4PZ', total: 4_012_000, surcharge: 12_000 },
    });
    expect((await fetch(`${police.url}/api/v1/decisions/${encodeURIComponent('9/QĐ-XPHC')}`)).status).toBe(
      404,
    );
    expect((await fetch(`${police.url}/_sim/paid`)).status).toBe(401);
    const listed = (await (await admin(police, '/_sim/paid')).json()) as {
      items: Array<{ outcome: string }>;
    };
    expect(listed.items.map((i) => i.outcome)).toEqual(['paid', 'duplicate', 'conflict']);
  });

  it('refuses a notice that does not add up, an unknown decision, or while faulty', async () => {
    const police = await startPolice({
      count: 0,
      webhookSecret: WEBHOOK_SECRET,
      clientSecret: CLIENT_SECRET,
    });
    cleanup.push(police.close);
    const send = (n: unknown) => {
      const raw = JSON.stringify(n);
      return tell(police, raw, sign(raw, WEBHOOK_SECRET));
    };
    const recent = {
      ...notice,
      decisionNumber: '1235/QĐ-XPHC',
      amount: 1_000_000,
      surcharge: 0,
      total: 1_000_000,
    };
    expect((await send({ ...recent, amount: 900_000, total: 900_000 })).status).toBe(422);
    expect((await send({ ...recent, total: 1_000_001 })).status).toBe(422);
    expect((await send({ ...recent, decisionNumber: '99999/QĐ-XPHC' })).status).toBe(404);
    expect((await send({ ...recent, amount: '1000000' })).status).toBe(400);
    // The admin key defaults to the client secret.
    const fault = await admin(
      police,
      '/_sim/faults',
      { method: 'POST', body: '{"paid":"unavailable"}' },
      CLIENT_SECRET,
    );
    expect(fault.status).toBe(200);
    expect((await send(recent)).status).toBe(503);
    police.configure({ paid: 'none' });
    expect((await send(recent)).status).toBe(200);
    expect(police.decision('1235/QĐ-XPHC')!.paid).toMatchObject({ total: 1_000_000 });
  });
});
