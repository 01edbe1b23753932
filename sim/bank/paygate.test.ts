// The protocol's INIT and QUERY over HTTP, as the portal calls them (paygate.ts).
import { describe, expect, it } from 'vitest';
import {
  bank,
  created,
  init,
  initMessage,
  newRef,
  post,
  query,
  signOf,
  useBank,
} from './server.test-support.ts';

useBank();

// --------------------------------------------------------------------------------------------- INIT

describe('INIT', () => {
  it('takes a well-signed INIT and answers its own payment page', async () => {
    const p = await created();
    expect(p.UrlThanhToan).toBe(`${bank.url}/thanh-toan/${p.MaGiaoDich}`);
    expect(p.MaGiaoDich).toMatch(/^VCBSIM\d{6}[0-9A-Z]{8}$/);
    const tx = bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich);
    expect(tx).toMatchObject({ Loai: 'PAY', MaThamChieu: p.ref, SoTien: 180000, status: 'pending' });
  });

  it('refuses a bad checksum, a wrong field, another partner or bank', async () => {
    const ref = newRef();
    expect((await init(ref, 180000, { MaXacThuc: 'a'.repeat(64) })).error_code).toBe('01');
    // Tampered after signing: the amount is in the checksum.
    const m = initMessage(ref, 180000);
    const tampered = await (await post('/paygate/v1/init', { ...m, SoTien: 1000 })).json();
    expect(tampered.error_code).toBe('01');
    expect((await init(ref, 180000, { MaNganHang: 'OTHER' })).error_code).toBe('02');
    expect((await init(ref, 180000, { MaDoiTac: 'DEMO-HN' })).error_code).toBe('02');
    expect((await init(ref, 0)).error_code).toBe('02');
    expect((await init(ref, 1.5)).error_code).toBe('02');
    expect((await init(ref, 1000, { ThoiGianGD: '20261340100000' })).error_code).toBe('02');
    expect(bank.transactions().some((t) => t.MaThamChieu === ref)).toBe(false);
    const notJson = await fetch(`${bank.url}/paygate/v1/init`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('answers the same again for the same reference and amount, refuses another amount', async () => {
    const ref = newRef();
    const a = await init(ref, 50000);
    const b = await init(ref, 50000);
    expect(b).toEqual(a);
    const c = await init(ref, 60000);
    expect(c.error_code).toBe('03');
    expect(c.message).toMatch(/số tiền khác/);
    expect(bank.transactions().filter((t) => t.MaThamChieu === ref)).toHaveLength(1);
  });
});

// -------------------------------------------------------------------------------------------- QUERY

describe('QUERY', () => {
  it('answers each state, signed', async () => {
    const states: [string, string][] = [];
    const none = await query('DVCNOTHERE0000');
    expect(none).toMatchObject({ error_code: '0', TrangThaiGD: '04', SoTien: 0, MaGiaoDich: '' });
    states.push(['none', none.TrangThaiGD as string]);
    const p = await created();
    const pendingAnswer = await query(p.ref);
    expect(pendingAnswer).toMatchObject({
      LoaiBanTin: 'QUERY',
      MaDoiTac: 'CONGDVC',
      MaThamChieu: p.ref,
      TrangThaiGD: '01',
      SoTien: 180000,
      MaGiaoDich: p.MaGiaoDich,
    });
    const fields = [
      'LoaiBanTin',
      'MaDoiTac',
      'MaThamChieu',
      'TrangThaiGD',
      'SoTien',
      'MaGiaoDich',
      'ThoiGianGD',
    ];
    expect(pendingAnswer.MaXacThuc).toBe(signOf(pendingAnswer, fields));
    for (const [outcome, state] of [
      ['success', '00'],
      ['fail', '02'],
      ['cancel', '03'],
    ] as const) {
      const q = await created();
      bank.pay({ MaGiaoDich: q.MaGiaoDich }, outcome);
      const a = await query(q.ref);
      expect(a.TrangThaiGD).toBe(state);
      expect(a.MaXacThuc).toBe(signOf(a, fields));
    }
  });

  it('refuses a bad checksum', async () => {
    const a = await query(newRef(), { MaXacThuc: 'b'.repeat(64) });
    expect(a.error_code).toBe('01');
    expect(a.TrangThaiGD).toBeUndefined();
  });
});
