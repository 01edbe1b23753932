/**
 * Voluntary social insurance on a whole portal listening on a real port, with VSS (sim/social-insurance)
 * and a bank (sim/bank) in this process: the participant's plan and what each mode costs (the demo
 * participants of the sim's README: support near and at the 120-month limit), the bill, paying by a
 * VietQR transfer, and the contribution recorded at VSS once, with its acknowledgement kept here.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBank, startBank } from '../../../../sim/bank/server.ts';
import {
  type RunningSocialInsurance,
  startSocialInsurance,
} from '../../../../sim/social-insurance/server.ts';
import { testPortal } from '../../../../test/helpers/portal.ts';
import type { Portal } from '../../../bootstrap.ts';
import { DEMO_PAYEES } from '../demo.ts';
import { upsertIntermediary, upsertPayee } from '../registry.repository.ts';

const BANK = 'BANKSIM';
const now = new Date('2026-12-07T03:00:00Z'); // 10:00 on 7 December 2026 in Vietnam
let portal: Portal;
let vss: RunningSocialInsurance;
let bank: RunningBank;
const apiKey = randomBytes(12).toString('hex');
const bankSecret = randomBytes(16).toString('hex');

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const participant = (code: string) =>
  portal.app.inject({ method: 'GET', url: `/api/v1/social-insurance/${code}` });

let keyCounter = 0;
const bill = (body: Record<string, unknown>) =>
  portal.app.inject({
    method: 'POST',
    url: '/api/v1/payments',
    headers: { 'idempotency-key': `si-test-${++keyCounter}` },
    payload: { kind: 'social-insurance', ...body },
  });

beforeAll(async () => {
  const port = await freePort();
  const portalUrl = `http://127.0.0.1:${port}`;
  vss = await startSocialInsurance({ apiKey, port: 0, size: 200 });
  portal = await testPortal({
    clock: { now: () => now },
    env: { PUBLIC_URL: portalUrl, SOCIAL_INSURANCE_URL: vss.url, SOCIAL_INSURANCE_API_KEY: apiKey },
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
  await vss?.close();
  await portal?.close();
});

const option = (body: { options: Array<{ months: number; from: string }> }, months: number) =>
  body.options.find((o) => o.months === months);

describe('the participant and what each mode costs', () => {
  it('Minh: 3 months from 2026-10 at 2,000,000 = 1,320,000 − 198,000 = 1,122,000; name masked, no ID', async () => {
    const r = await participant('0123456789');
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.name).toBe('N*** V*** M***');
    expect(r.body).not.toContain('001088012345');
    expect(r.body).not.toContain('Nguyễn');
    expect(b.plan).toMatchObject({ income: 2_000_000, months: 3, paidThrough: '2026-09' });
    expect(option(b, 3)).toMatchObject({
      from: '2026-10',
      to: '2026-12',
      gross: 1_320_000,
      support: 198_000,
      amount: 1_122_000,
    });
  });

  it('Hằng, 118 months supported: only 2 of 6 months supported — 1,980,000 − 264,000 = 1,716,000', async () => {
    const b = (await participant('0123456790')).json();
    expect(b.supportedMonthsLeft).toBe(2);
    expect(option(b, 6)).toMatchObject({
      supportedMonths: 2,
      support: 264_000,
      amount: 1_716_000,
      from: '2026-11',
    });
  });

  it('Páo, poor: 50 % (165,000); Nam, 120 used: no support left; Lan, never paid: from this month', async () => {
    expect(option((await participant('0123456791')).json(), 1)).toMatchObject({
      support: 165_000,
      amount: 165_000,
    });
    expect(option((await participant('0123456793')).json(), 1)).toMatchObject({
      support: 0,
      amount: 660_000,
    });
    expect(option((await participant('0123456792')).json(), 12)).toMatchObject({
      from: '2026-12',
      gross: 13_200_000,
      support: 792_000,
      amount: 12_408_000,
    });
  });

  it('404 for an unknown code, 400 for a malformed one, 503 when VSS does not answer', async () => {
    expect((await participant('0999999999')).statusCode).toBe(404);
    expect((await participant('12345')).statusCode).toBe(400);
    vss.configure({ fault: 'unavailable', faultRate: 1 });
    try {
      expect((await participant('0123456789')).statusCode).toBe(503);
    } finally {
      vss.configure({ fault: 'none' });
    }
  });

  it('the page: from the home page, the code, the plan, the amount and the button to pay', async () => {
    expect((await portal.app.inject({ method: 'GET', url: '/' })).body).toContain('href="/bhxh-tu-nguyen"');
    const page = await portal.app.inject({ method: 'GET', url: '/bhxh-tu-nguyen?ma=0123456790&thang=6' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('T*** T*** H***');
    expect(page.body).toContain('1.716.000');
    expect(page.body).toContain('action="/bhxh-tu-nguyen/thanh-toan"');
  });
});

describe('paying a contribution', () => {
  it('bills the net amount on one line, billKey si:<code>:<from>, payee BHXH; bad income is 400', async () => {
    const r = await bill({ code: '0123456793', months: 1 });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      amount: 660_000,
      payee: 'BHXH',
      subject: '0123456793',
      lines: [{ kind: 'social-insurance', code: '0123456793', amount: 660_000 }],
    });
    expect((await bill({ code: '0123456793', months: 1, income: 1_000_000 })).statusCode).toBe(400);
    expect((await bill({ code: '0999999999', months: 1 })).statusCode).toBe(404);
  });

  it('pays Minh’s 3 months by VietQR; VSS records it once, the plan moves, the acknowledgement is kept', async () => {
    const r = await bill({ code: '0123456789', months: 3 });
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p.amount).toBe(1_122_000);
    const page = await portal.app.inject({
      method: 'GET',
      url: `/thanh-toan/${p.id}/vietqr?ngan-hang=${BANK}`,
    });
    const payload = /<textarea[^>]*data-vietqr[^>]*>([^<]+)<\/textarea>/.exec(page.body)![1]!.trim();
    bank.transfer(payload);
    await bank.idle();
    expect((await portal.app.inject({ method: 'GET', url: `/api/v1/payments/${p.id}` })).json().status).toBe(
      'succeeded',
    );
    await portal.dispatcher.runOnce();
    await portal.dispatcher.runOnce();
    const recorded = vss.contributions().filter((c) => c.code === '0123456789');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      from: '2026-10',
      months: 3,
      income: 2_000_000,
      amount: 1_122_000,
      stateSupport: 198_000,
      paymentReference: p.reference,
    });
    const row = (
      await sql<{ vss_record_id: string | null; gross: string; support: string; amount: string }>`
        select vss_record_id, gross, support, amount from payments.contributions where payment_id = ${p.id}`.execute(
        portal.database.db,
      )
    ).rows[0];
    expect(row).toMatchObject({ vss_record_id: recorded[0]!.id });
    expect([Number(row!.gross), Number(row!.support), Number(row!.amount)]).toEqual([
      1_320_000, 198_000, 1_122_000,
    ]);
    const moved = (await participant('0123456789')).json();
    expect(moved.plan.paidThrough).toBe('2026-12');
    expect(option(moved, 3)?.from).toBe('2027-01');
  });
});
