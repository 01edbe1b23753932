import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegister, FIXED_PARTICIPANTS, MAX_INCOME, MIN_INCOME } from './participants.ts';
import { parseFaults, type RunningSocialInsurance, startSocialInsurance } from './server.ts';

const KEY = 'si-test-key-123';
let si: RunningSocialInsurance;
beforeAll(async () => {
  si = await startSocialInsurance({ apiKey: KEY, seed: 'unit', size: 2000, port: 0 });
});
afterAll(async () => {
  await si.close();
});

const get = (path: string, key: string | null = KEY, timeoutMs = 5000) =>
  fetch(`${si.url}${path}`, {
    headers: key ? { 'x-api-key': key } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
const post = (path: string, body: unknown, key: string | null = KEY) =>
  fetch(`${si.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the generated register', () => {
  it('is the same for the same seed, with valid, unique codes and plans', () => {
    const a = createRegister({ seed: 'x', size: 3000 });
    const b = createRegister({ seed: 'x', size: 3000 });
    const c = createRegister({ seed: 'y', size: 3000 });
    expect(a.at(1234)).toEqual(b.at(1234));
    expect(a.at(1234)).not.toEqual(c.at(1234));
    const codes = new Set<string>();
    const ids = new Set<string>();
    let other = 0;
    for (const p of a.all()) {
      expect(p.code).toMatch(/^\d{10}$/);
      expect(p.idNumber).toMatch(/^\d{12}$/);
      expect(p.name).toBe(p.name.normalize('NFC'));
      expect(p.plan.income % 50_000).toBe(0);
      expect(p.plan.income).toBeGreaterThanOrEqual(MIN_INCOME);
      expect(p.plan.income).toBeLessThanOrEqual(MAX_INCOME);
      expect([1, 3, 6, 12]).toContain(p.plan.months);
      expect(p.plan.supportedMonthsUsed).toBeGreaterThanOrEqual(0);
      expect(p.plan.supportedMonthsUsed).toBeLessThanOrEqual(130);
      if (p.plan.paidThrough !== null) expect(p.plan.paidThrough).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
      if (p.plan.supportGroup === 'other') other += 1;
      codes.add(p.code);
      ids.add(p.idNumber);
    }
    expect(codes.size).toBe(3000 + FIXED_PARTICIPANTS.length);
    expect(ids.size).toBe(codes.size);
    expect(other / codes.size).toBeGreaterThan(0.7);
  });
});

describe('the register over HTTP', () => {
  it('answers a participant by code, with the key', async () => {
    const r = await get('/api/v1/participants/0123456789');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      code: '0123456789',
      name: 'Nguyễn Văn Minh',
      idNumber: '001088012345',
      birthDate: '1988-05-12',
      province: '01',
      plan: {
        income: 2_000_000,
        months: 3,
        supportGroup: 'other',
        supportedMonthsUsed: 12,
        paidThrough: '2026-09',
      },
    });
    const generated = si.register.at(7);
    expect(await (await get(`/api/v1/participants/${generated.code}`)).json()).toMatchObject({
      code: generated.code,
      name: generated.name,
    });
    expect((await get('/api/v1/participants/0000000001')).status).toBe(404);
    expect((await get('/api/v1/participants/12ab')).status).toBe(400);
    expect((await get('/api/v1/participants/0123456789', null)).status).toBe(401);
    expect((await get('/api/v1/participants/0123456789', 'wrong-key-123')).status).toBe(401);
  });

  it('records a contribution once, moves the plan, refuses another body with the same reference', async () => {
    const body = {
      code: '0123456789',
      from: '2026-10',
      months: 3,
      income: 2_000_000,
      amount: 1_320_000 - 198_000,
      stateSupport: 198_000,
      paymentReference: 'DVC7K3M9Q2X4PZ',
      paidAt: '2026-12-07T09:30:00+07:00',
    };
    const r = await post('/api/v1/contributions', body);
    expect(r.status).toBe(201);
    const first = await r.json();
    expect(first).toMatchObject({
      code: '0123456789',
      from: '2026-10',
      to: '2026-12',
      supportedMonths: 3,
      paidThrough: '2026-12',
      supportedMonthsUsed: 15,
    });
    const again = await post('/api/v1/contributions', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect((await post('/api/v1/contributions', { ...body, amount: body.amount + 1 })).status).toBe(409);
    const p = (await (await get('/api/v1/participants/0123456789')).json()) as { plan: unknown };
    expect(p.plan).toMatchObject({ paidThrough: '2026-12', supportedMonthsUsed: 15 });
    const listed = (await (await get('/api/v1/contributions?code=0123456789')).json()) as {
      items: unknown[];
    };
    expect(listed.items).toEqual([first]);
    // The next period must start in 2027-01 now.
    const next = { ...body, paymentReference: 'DVC0000000001' };
    expect((await post('/api/v1/contributions', next)).status).toBe(422);
    expect((await post('/api/v1/contributions', { ...next, from: '2027-01' })).status).toBe(201);
  });

  it('supports only up to 120 months, at the group rate', async () => {
    // Trần Thị Hằng: near-poor (132,000 a month), 118 months used: 2 of 6 supported.
    const base = {
      code: '0123456790',
      from: '2026-11',
      months: 6,
      income: 1_500_000,
      paymentReference: 'DVC0000000002',
      paidAt: '2026-12-07T10:00:00+07:00',
    };
    const full = 330_000 * 6;
    const wrong = await post('/api/v1/contributions', {
      ...base,
      stateSupport: 132_000 * 6,
      amount: full - 792_000,
    });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { message: string }).message).toContain('264000');
    const r = await post('/api/v1/contributions', { ...base, stateSupport: 264_000, amount: full - 264_000 });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({
      supportedMonths: 2,
      supportedMonthsUsed: 120,
      paidThrough: '2027-04',
    });
    // Hoàng Văn Nam has used all 120: no support.
    const nam = {
      code: '0123456793',
      from: '2026-12',
      months: 1,
      income: 3_000_000,
      paymentReference: 'DVC0000000003',
      paidAt: '2026-12-07T10:00:00+07:00',
    };
    expect(
      (await post('/api/v1/contributions', { ...nam, stateSupport: 66_000, amount: 594_000 })).status,
    ).toBe(422);
    expect((await post('/api/v1/contributions', { ...nam, stateSupport: 0, amount: 660_000 })).status).toBe(
      201,
    );
  });

  it('refuses malformed contributions', async () => {
    const ok = {
      code: '0123456791',
      from: '2026-12',
      months: 1,
      income: 1_500_000,
      amount: 165_000,
      stateSupport: 165_000,
      paymentReference: 'DVC0000000004',
      paidAt: '2026-12-07T10:00:00+07:00',
    };
    for (const bad of [
      { ...ok, amount: 165_000.5, stateSupport: 164_999.5 },
      { ...ok, income: 1_000_000 },
      { ...ok, months: 0 },
      { ...ok, from: '2026-13' },
      { ...ok, code: '123' },
      { ...ok, paidAt: 'yesterday' },
    ])
      expect((await post('/api/v1/contributions', bad)).status).toBe(400);
    expect((await post('/api/v1/contributions', '{not json')).status).toBe(400);
    expect((await post('/api/v1/contributions', { ...ok, amount: 100_000 })).status).toBe(422);
    expect((await post('/api/v1/contributions', { ...ok, code: '0000000001' })).status).toBe(404);
    expect((await post('/api/v1/contributions', ok, null)).status).toBe(401);
    expect((await post('/api/v1/contributions', ok)).status).toBe(201);
  });

  it('misbehaves on purpose: unavailable, no answer, latency; set over HTTP too', async () => {
    expect(parseFaults('unavailable:0.3,latency:200')).toEqual({
      fault: 'unavailable',
      faultRate: 0.3,
      latencyMs: 200,
    });
    expect(() => parseFaults('explode')).toThrow(RangeError);
    si.configure({ fault: 'unavailable' });
    expect((await get('/api/v1/participants/0123456789')).status).toBe(503);
    si.configure({ fault: 'timeout' });
    await expect(get('/api/v1/participants/0123456789', KEY, 300)).rejects.toThrow();
    si.configure({ fault: 'none', latencyMs: 150 });
    const started = Date.now();
    expect((await get('/api/v1/participants/0123456789')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await post('/_sim/faults', { fault: 'unavailable', latencyMs: 0 }, null)).status).toBe(401);
    expect((await post('/_sim/faults', { fault: 'unavailable', latencyMs: 0 })).status).toBe(200);
    expect((await get('/api/v1/participants/0123456789')).status).toBe(503);
    expect((await post('/_sim/faults', { fault: 'none' })).status).toBe(200);
    expect((await get('/api/v1/participants/0123456789')).status).toBe(200);
    expect(await (await fetch(`${si.url}/health`)).json()).toMatchObject({ status: 'ok', seed: 'unit' });
  });
});
