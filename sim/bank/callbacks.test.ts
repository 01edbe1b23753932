// CONFIRM retries until the portal acknowledges, and the attempts listed at /_sim/ (callbacks.ts, admin.ts).
import { describe, expect, it } from 'vitest';
import { admin, type Body, bank, created, portal, post, useBank } from './server.test-support.ts';

useBank();

// ------------------------------------------------------------------------------------------ retries

describe('CONFIRM retries', () => {
  it('tries again until the portal acknowledges, with growing waits, and logs each answer', async () => {
    const p = await created();
    portal.script.push('99', 'http500', 'badsig', '99');
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got.map((g) => g.answered)).toEqual(['99', 'http500', 'badsig', '99', '00']);
    const gaps = got.slice(1).map((g, i) => g.at - got[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[3]).toBeGreaterThanOrEqual(75); // 10, 20, 40, 80 ms
    const attempts = bank.callbacks().filter((a) => a.MaGiaoDich === p.MaGiaoDich);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts.map((a) => a.acknowledged)).toEqual([false, false, false, false, true]);
    expect(attempts[2]!.answerVerified).toBe(false);
    expect(attempts[4]!.answerVerified).toBe(true);
    expect(attempts[1]!.httpStatus).toBe(500);
  });

  it('stops on "01", "02" or "03" and gives up after ten tries', async () => {
    for (const code of ['01', '02', '03']) {
      portal.received.length = 0;
      const p = await created();
      portal.script.push(code);
      bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
      await bank.idle();
      expect(portal.confirms()).toHaveLength(1);
    }
    portal.received.length = 0;
    const p = await created();
    portal.script.push(...Array(12).fill('99'));
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    expect(portal.confirms()).toHaveLength(10);
  }, 20_000);

  it('lists the attempts at /_sim/callbacks and the transactions at /_sim/transactions, with the key', async () => {
    const p = await created();
    const r = await post('/_sim/pay', { MaThamChieu: p.ref, outcome: 'fail' }, admin);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'failed', MaLoi: '51' });
    expect((await post('/_sim/pay', { MaThamChieu: p.ref, outcome: 'success' }, admin)).status).toBe(409);
    expect(
      (await post('/_sim/pay', { MaThamChieu: 'DVCNOSUCH00000', outcome: 'success' }, admin)).status,
    ).toBe(404);
    expect((await post('/_sim/pay', { MaThamChieu: p.ref, outcome: 'fail' })).status).toBe(401);
    await bank.idle();
    const cb = (await (await fetch(`${bank.url}/_sim/callbacks`, { headers: admin })).json()) as {
      items: { MaGiaoDich: string; answer: Body }[];
    };
    expect(cb.items.find((i) => i.MaGiaoDich === p.MaGiaoDich)?.answer).toMatchObject({ MaLoi: '00' });
    const tx = (await (await fetch(`${bank.url}/_sim/transactions`, { headers: admin })).json()) as {
      items: { MaGiaoDich: string }[];
    };
    expect(tx.items.some((t) => t.MaGiaoDich === p.MaGiaoDich)).toBe(true);
    expect((await fetch(`${bank.url}/_sim/transactions`)).status).toBe(401);
  });
});
