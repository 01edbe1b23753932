// REFUND and SETTLEMENT: refunds in parts, idempotent, and the day's CSV file (paygate.ts).
import { describe, expect, it } from 'vitest';
import {
  bank,
  created,
  post,
  qr,
  refund,
  setClock,
  settlement,
  settlementRows,
  useBank,
} from './server.test-support.ts';

useBank();

// ------------------------------------------------------------------------------------------- REFUND

describe('REFUND', () => {
  it('refunds in parts up to the amount, idempotent by MaHoanTien', async () => {
    const p = await created(100000);
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-1', 30000)).toMatchObject({ MaLoi: '00' });
    // The same again: the same answer, nothing more refunded.
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-1', 30000)).toMatchObject({ MaLoi: '00' });
    // The same id for something else.
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-1', 40000)).toMatchObject({ MaLoi: '05' });
    // More than what is left (70 000).
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-2', 70001)).toMatchObject({ MaLoi: '03' });
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-2', 70000)).toMatchObject({ MaLoi: '00' });
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-3', 1)).toMatchObject({ MaLoi: '03' });
    const tx = bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich)!;
    expect(tx.refunds.map((r) => r.SoTienHoan)).toEqual([30000, 70000]);
  });

  it('refuses a bad checksum, an unknown payment, one that did not succeed', async () => {
    const p = await created();
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-X1', 1000)).toMatchObject({ MaLoi: '04' });
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-X2', 1000, { MaXacThuc: 'c'.repeat(64) })).toMatchObject({
      MaLoi: '01',
    });
    expect(await refund('DVCOTHER000000', p.MaGiaoDich, 'HT-X3', 1000)).toMatchObject({ MaLoi: '02' });
    expect(await refund(p.ref, 'VCBSIM000000NOSUCH00', 'HT-X4', 1000)).toMatchObject({ MaLoi: '02' });
    expect(bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich)!.refunds).toHaveLength(0);
  });
});

// --------------------------------------------------------------------------------------- SETTLEMENT

describe('SETTLEMENT', () => {
  it('lists the Vietnam day’s PAY (success and failure), TRANSFER and REFUND rows', async () => {
    // 23:30 on 14 March in Vietnam (16:30 UTC) and 00:30 on 15 March (17:30 UTC).
    setClock(new Date('2026-03-14T16:30:00Z'));
    try {
      const paid = await created(200000);
      bank.pay({ MaGiaoDich: paid.MaGiaoDich }, 'success');
      const failed = await created(50000);
      bank.pay({ MaGiaoDich: failed.MaGiaoDich }, 'fail');
      const waiting = await created(70000);
      const t = await post('/api/transfers', { payload: qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' }) });
      const transfer = (await t.json()) as { MaGiaoDich: string };
      setClock(new Date('2026-03-14T17:30:00Z'));
      expect(await refund(paid.ref, paid.MaGiaoDich, 'HT-S1', 20000)).toMatchObject({ MaLoi: '00' });
      await bank.idle();
      const day14 = await settlementRows('20260314');
      expect(day14).toEqual([
        [paid.MaGiaoDich, paid.ref, 'PAY', '200000', 'THANHCONG', '20260314233000'],
        [failed.MaGiaoDich, failed.ref, 'PAY', '50000', 'THATBAI', '20260314233000'],
        [transfer.MaGiaoDich, 'DVC7K3M9Q2X4P', 'TRANSFER', '180000', 'THANHCONG', '20260314233000'],
      ]);
      expect(day14.some((r) => r[1] === waiting.ref)).toBe(false);
      expect(await settlementRows('20260315')).toEqual([
        ['HT-S1', paid.ref, 'REFUND', '20000', 'THANHCONG', '20260315003000'],
      ]);
      expect(await settlementRows('20260313')).toEqual([]);
    } finally {
      setClock();
    }
  });

  it('refuses a bad checksum or day', async () => {
    expect((await settlement('20260314', { MaXacThuc: 'd'.repeat(64) })).status).toBe(400);
    expect((await settlement('2026-03-14')).status).toBe(400);
  });
});
