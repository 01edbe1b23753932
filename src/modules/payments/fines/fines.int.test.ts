/**
 * Traffic fines on a whole portal listening on a real port, with the police's system (sim/police) and a
 * bank (sim/bank) in this process: the police register their decisions with a client-credentials token
 * over HTTP; the same PUT again is 200 and another is 409; anyone looks a decision up by its number and
 * the ID number or the plate (a wrong pair is 404 like an unknown number, the name masked, the ID never
 * shown); the bill carries the surcharge of the day; paying by a VietQR transfer (the payload the checkout
 * page shows) or on the bank's page settles it; the police's system is told once.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBank, startBank } from '../../../../sim/bank/server.ts';
import { type RunningPolice, startPolice } from '../../../../sim/police/server.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { registerOidcClient } from '../../identity/index.ts';
import { DEMO_PAYEES } from '../demo.ts';
import { upsertIntermediary, upsertPayee } from '../registry.repository.ts';

const BANK = 'BANKSIM';
const MINH_ID = '001088012345';
let now = new Date('2026-12-07T03:00:00Z'); // 10:00 on 7 December 2026 in Vietnam
let portal: Portal;
let police: RunningPolice;
let bank: RunningBank;
let portalUrl: string;
const webhookSecret = randomBytes(16).toString('hex');
const bankSecret = randomBytes(16).toString('hex');
const client = { id: 'csgt-ha-noi', secret: randomBytes(24).toString('base64url') };

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function token(clientId: string, secret: string, scope: string): Promise<string> {
  const r = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `grant_type=client_credentials&scope=${scope}`,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().access_token;
}

const decision = (over: Record<string, unknown> = {}) => ({
  decidedOn: '2026-11-30',
  violator: { name: 'Trần Thị Thử', idNumber: '001199000001' },
  plate: '30K-999.01',
  violation: 'Dừng xe, đỗ xe không đúng nơi quy định',
  place: 'Phố Huế, Hà Nội',
  violatedAt: '2026-11-29T08:00:00+07:00',
  amount: 1_000_000,
  agency: { code: 'BCA', name: 'Phòng Cảnh sát giao thông Công an TP Hà Nội' },
  treasury: { account: '7111000123456', bankBin: '970415', name: 'Kho bạc Nhà nước khu vực I' },
  ...over,
});

const put = (number: string, body: unknown, bearer?: string) =>
  portal.app.inject({
    method: 'PUT',
    url: `/api/v1/fines/${encodeURIComponent(number)}`,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    payload: body as object,
  });

const lookup = (q: Record<string, string>) =>
  portal.app.inject({ method: 'GET', url: `/api/v1/fines/lookup?${new URLSearchParams(q)}` });

let keyCounter = 0;
const bill = (body: Record<string, unknown>) =>
  portal.app.inject({
    method: 'POST',
    url: '/api/v1/payments',
    headers: { 'idempotency-key': `fine-test-${++keyCounter}` },
    payload: body,
  });

/** The VietQR text the checkout's transfer page shows (its `data-vietqr` textarea). */
async function vietQrPayload(paymentId: string): Promise<string> {
  const page = await portal.app.inject({
    method: 'GET',
    url: `/thanh-toan/${paymentId}/vietqr?ngan-hang=${BANK}`,
  });
  expect(page.statusCode, page.body).toBe(200);
  const m = /<textarea[^>]*data-vietqr[^>]*>([^<]+)<\/textarea>/.exec(page.body);
  expect(m, 'the data-vietqr textarea').not.toBeNull();
  return m![1]!.trim();
}

beforeAll(async () => {
  const port = await freePort();
  portalUrl = `http://127.0.0.1:${port}`;
  police = await startPolice({
    port: 0,
    count: 5,
    webhookSecret,
    portalUrl,
    clientId: client.id,
    clientSecret: client.secret,
    today: () => '2026-12-07',
    warn: () => undefined,
  });
  portal = await testPortal({
    clock: { now: () => now },
    env: { PUBLIC_URL: portalUrl, POLICE_URL: police.url, POLICE_WEBHOOK_SECRET: webhookSecret },
  });
  await portal.app.listen({ port, host: '127.0.0.1' });
  bank = await startBank({
    code: BANK,
    secret: bankSecret,
    bin: '970436',
    collectionAccount: '0011000999888',
    callbackUrl: `${portalUrl}/paygate/v1/callback/${BANK}`,
    transferUrl: `${portalUrl}/paygate/v1/transfer/${BANK}`,
    retryBaseMs: 50,
  });
  for (const p of DEMO_PAYEES) await upsertPayee(portal.database.db, p);
  await upsertIntermediary(portal.database.db, {
    code: BANK,
    name: 'Ngân hàng mô phỏng',
    kind: 'bank',
    baseUrl: bank.url,
    secret: bankSecret,
    partnerCode: 'CONGDVC',
    qr: { bin: '970436', account: '0011000999888', accountName: 'CONG DICH VU CONG QUOC GIA' },
  });
});

afterAll(async () => {
  await bank?.close();
  await police?.close();
  await portal?.close();
});

describe('registration by the police system (client credentials, scope fines)', () => {
  it("registers the sim's decisions over HTTP with its token: all new, then all the same again", async () => {
    await registerOidcClient(portal.database.db, {
      clientId: client.id,
      clientSecret: client.secret,
      name: 'Hệ thống xử phạt CSGT Hà Nội (thử)',
      machine: true,
      agencyCodes: ['BCA'],
      scope: 'fines',
    });
    const first = await police.registerAll();
    expect(first.registered).toBe(police.decisions().length);
    expect(first.failed).toBe(0);
    const again = await police.registerAll();
    expect(again.failed).toBe(0);
    const rows = await portal.database.db
      .selectFrom('payments.fines' as never)
      .select(['decision_number' as never, 'registered_by' as never])
      .execute();
    expect(rows).toHaveLength(police.decisions().length);
    expect(new Set(rows.map((r) => (r as { registered_by: string }).registered_by))).toEqual(
      new Set([client.id]),
    );
  });

  it('answers 201, 200 for the same body again, 409 for another, 400 malformed, 401 without a token', async () => {
    const t = await token(client.id, client.secret, 'fines');
    const first = await put('77/QĐ-XPHC', decision(), t);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ decisionNumber: '77/QĐ-XPHC', created: true });
    const same = await put('77/QĐ-XPHC', decision(), t);
    expect(same.statusCode).toBe(200);
    expect(same.json().created).toBe(false);
    const other = await put('77/QĐ-XPHC', decision({ amount: 1_500_000 }), t);
    expect(other.statusCode).toBe(409);
    expect((await lookup({ number: '77/QĐ-XPHC', idNumber: '001199000001' })).json().amount).toBe(1_000_000);
    expect((await put('77/QĐ-XPHC', decision({ amount: 0 }), t)).statusCode).toBe(400);
    expect((await put('not a number', decision(), t)).statusCode).toBe(400);
    expect((await put('78/QĐ-XPHC', decision({ decidedOn: '2026-02-30' }), t)).statusCode).toBe(400);
    expect((await put('79/QĐ-XPHC', decision())).statusCode).toBe(401);
  });

  it('refuses a client without scope fines, and an agency the client does not act for', async () => {
    const { clientSecret } = await registerOidcClient(portal.database.db, {
      clientId: 'motcua-khac',
      name: 'Một cửa khác',
      machine: true,
      agencyCodes: ['UBND-01'],
      scope: 'sync',
    });
    const syncToken = await token('motcua-khac', clientSecret, 'sync');
    expect((await put('80/QĐ-XPHC', decision(), syncToken)).statusCode).toBe(403);
    const t = await token(client.id, client.secret, 'fines');
    const r = await put('81/QĐ-XPHC', decision({ agency: { code: 'UBND-79', name: 'UBND TP HCM' } }), t);
    expect(r.statusCode).toBe(403);
  });
});

describe('the public lookup', () => {
  it('finds a decision by number and ID number: surcharge as of today, the name masked, no ID number', async () => {
    const r = await lookup({ number: '1234/QĐ-XPHC', idNumber: MINH_ID });
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json();
    expect(f).toMatchObject({
      decisionNumber: '1234/QĐ-XPHC',
      decidedOn: '2026-11-20',
      violatorName: 'N*** V*** M***',
      amount: 4_000_000,
      deadline: '2026-11-30',
      asOf: '2026-12-07',
      lateDays: 6,
      surcharge: 12_000,
      total: 4_012_000,
      paid: null,
    });
    expect(r.body).not.toContain(MINH_ID);
    expect(r.body).not.toContain('Nguyễn Văn Minh');
  });

  it('finds it by the plate however it is typed; a wrong pair is 404 exactly like an unknown number', async () => {
    const byPlate = await lookup({ number: '1236/qđ-xphc', plate: '29e 45678' });
    expect(byPlate.statusCode, byPlate.body).toBe(200);
    expect(byPlate.json()).toMatchObject({ lateDays: 52, surcharge: 20_800, total: 820_800 });
    const wrongId = await lookup({ number: '1234/QĐ-XPHC', idNumber: '001090012004' });
    const wrongPlate = await lookup({ number: '1234/QĐ-XPHC', plate: '29E-456.78' });
    const unknown = await lookup({ number: '9999/QĐ-XPHC', idNumber: MINH_ID });
    for (const r of [wrongId, wrongPlate, unknown]) expect(r.statusCode).toBe(404);
    expect(wrongId.json().detail).toBe(unknown.json().detail);
    expect(wrongPlate.json().detail).toBe(unknown.json().detail);
    expect((await lookup({ number: '1234/QĐ-XPHC' })).statusCode).toBe(400);
  });

  it('shows the page from the home page: look up, the decision, the button to pay', async () => {
    const home = await portal.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('href="/nop-phat"');
    const page = await portal.app.inject({
      method: 'GET',
      url: `/nop-phat?${new URLSearchParams({ so: '1234/QĐ-XPHC', cccd: MINH_ID })}`,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('N*** V*** M***');
    expect(page.body).toContain('action="/nop-phat/thanh-toan"');
    expect(page.body).not.toContain('Nguyễn Văn Minh');
    const wrong = await portal.app.inject({
      method: 'GET',
      url: `/nop-phat?${new URLSearchParams({ so: '1234/QĐ-XPHC', 'bien-so': '29E-456.78' })}`,
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).not.toContain('action="/nop-phat/thanh-toan"');
  });
});

describe('paying', () => {
  it('bills the fine and the surcharge of the day, valid until the Vietnam day ends', async () => {
    const r = await bill({ kind: 'fine', decisionNumber: '1235/QĐ-XPHC', plate: '30A-123.45' });
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p.lines).toEqual([expect.objectContaining({ kind: 'fine', amount: 1_000_000 })]);
    expect(p.payee).toBe('BCA');
    expect(p.expiresAt).toBe('2026-12-07T17:00:00.000Z');
    const wrong = await bill({ kind: 'fine', decisionNumber: '1235/QĐ-XPHC', idNumber: '001090012004' });
    expect(wrong.statusCode).toBe(404);
  });

  it('pays 1234 by VietQR (the payload of the transfer page) and tells the police once', async () => {
    const r = await bill({ kind: 'fine', decisionNumber: '1234/QĐ-XPHC', idNumber: MINH_ID });
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p.amount).toBe(4_012_000);
    expect(p.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ['fine', 4_000_000],
      ['surcharge', 12_000],
    ]);
    const payload = await vietQrPayload(p.id);
    bank.transfer(payload);
    await bank.idle();
    const after = await portal.app.inject({ method: 'GET', url: `/api/v1/payments/${p.id}` });
    expect(after.json().status).toBe('succeeded');

    await portal.dispatcher.runOnce();
    await portal.dispatcher.runOnce();
    const notices = police
      .paidNotices()
      .filter((n) => (n.notice as { decisionNumber?: string } | null)?.decisionNumber === '1234/QĐ-XPHC');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      outcome: 'paid',
      notice: { amount: 4_000_000, surcharge: 12_000, total: 4_012_000, paymentReference: p.reference },
    });
    expect(police.decision('1234/QĐ-XPHC')?.paid).not.toBeNull();

    const looked = (await lookup({ number: '1234/QĐ-XPHC', idNumber: MINH_ID })).json();
    expect(looked.paid).toMatchObject({ reference: p.reference, amount: 4_012_000 });
    const again = await bill({ kind: 'fine', decisionNumber: '1234/QĐ-XPHC', idNumber: MINH_ID });
    expect(again.statusCode).toBe(409);
  });

  it('a bill made yesterday and not started is replaced by one with today’s surcharge', async () => {
    const first = await bill({ kind: 'fine', decisionNumber: '1236/QĐ-XPHC', plate: '29E-456.78' });
    expect(first.json().amount).toBe(820_800);
    now = new Date('2026-12-08T03:00:00Z');
    try {
      const second = await bill({ kind: 'fine', decisionNumber: '1236/QĐ-XPHC', plate: '29E-456.78' });
      expect(second.statusCode, second.body).toBe(201);
      expect(second.json().amount).toBe(821_200); // 53 days: 800,000 × 0.05 % × 53 = 21,200
      const old = await portal.app.inject({ method: 'GET', url: `/api/v1/payments/${first.json().id}` });
      expect(old.json().status).toBe('cancelled');
    } finally {
      now = new Date('2026-12-07T03:00:00Z');
    }
  });
});
