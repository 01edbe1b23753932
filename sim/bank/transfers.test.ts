// VietQR transfers to the collection account, over the API and the transfer pages (transactions.ts,
// page-routes.ts).
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  type Body,
  bank,
  portal,
  post,
  qr,
  signOf,
  TRANSFER,
  useBank,
} from './server.test-support.ts';

useBank();

// ------------------------------------------------------------------------------------------- VietQR

describe('VietQR transfers', () => {
  it('credits a dynamic QR to the collection account and notifies the portal, signed', async () => {
    const payload = qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' });
    const r = await post('/api/transfers', { payload });
    expect(r.status).toBe(200);
    const a = (await r.json()) as Body;
    expect(a).toMatchObject({ SoTien: 180000, NoiDung: 'DVC7K3M9Q2X4P' });
    await bank.idle();
    const got = portal.transfers();
    expect(got).toHaveLength(1);
    const m = got[0]!.body;
    expect(m).toMatchObject({
      LoaiBanTin: 'TRANSFER',
      MaDoiTac: 'CONGDVC',
      SoTaiKhoan: ACCOUNT,
      SoTien: 180000,
      NoiDung: 'DVC7K3M9Q2X4P',
      MaGiaoDich: a.MaGiaoDich,
      ThoiGianGD: '20260310100000',
    });
    expect(m.MaXacThuc).toBe(signOf(m, TRANSFER));
    expect(got[0]!.answered).toBe('00');
  });

  it('refuses a bad CRC, another bank or account, a static QR without amount — naming the problem', async () => {
    const good = qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' });
    const flip = good.endsWith('0000') ? `${good.slice(0, -4)}0001` : `${good.slice(0, -4)}0000`;
    const cases: [string, RegExp][] = [
      [flip, /CRC/],
      [qr({ bin: '970403', amount: 1000 }), /BIN 970403/],
      [qr({ account: '999999', amount: 1000 }), /account 999999/],
      [qr({}), /static QR needs the amount/],
      [
        '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E',
        /BIN 970403/,
      ],
    ];
    for (const [payload, problem] of cases) {
      const r = await post('/api/transfers', { payload });
      expect(r.status).toBe(400);
      expect(((await r.json()) as Body).message).toMatch(problem);
    }
    expect((await post('/api/transfers', {})).status).toBe(400);
    await bank.idle();
    expect(portal.transfers()).toHaveLength(0);
  });

  it('takes the amount (and content) for a static QR', async () => {
    const r = await post('/api/transfers', {
      payload: qr({}),
      amount: 25000,
      content: 'DVC7K3M9Q2X4PA nop phi',
    });
    expect(await r.json()).toMatchObject({ SoTien: 25000, NoiDung: 'DVC7K3M9Q2X4PA nop phi' });
    const dyn = await post('/api/transfers', { payload: qr({ amount: 1000, purpose: 'x' }), amount: 2000 });
    expect(dyn.status).toBe(400);
    await bank.idle();
    expect(portal.transfers().map((t) => t.body.SoTien)).toEqual([25000]);
  });

  it('the transfer page: paste, confirm, done; an amount field only for a static QR', async () => {
    const page = await (await fetch(`${bank.url}/chuyen-khoan`)).text();
    expect(page).toContain('<textarea');
    const form = (body: Record<string, string>) =>
      fetch(`${bank.url}/chuyen-khoan`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const payload = qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' });
    const confirm = await (await form({ payload })).text();
    expect(confirm).toContain('180.000 đ');
    expect(confirm).not.toContain('name="amount"');
    expect(portal.transfers()).toHaveLength(0);
    const staticConfirm = await (await form({ payload: qr({}) })).text();
    expect(staticConfirm).toContain('name="amount"');
    const bad = await form({ payload: `${payload.slice(0, -1)}X` });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('CRC');
    const done = await (await form({ payload, confirm: '1' })).text();
    expect(done).toContain('Chuyển khoản thành công');
    await bank.idle();
    expect(portal.transfers()).toHaveLength(1);
  });

  it('fault modes apply to transfers too (dropped)', async () => {
    bank.setFaults(['dropped'], 1);
    const r = await post('/api/transfers', { payload: qr({ amount: 5000, purpose: 'DVC7K3M9Q2X4PB' }) });
    expect(r.status).toBe(200);
    await bank.idle();
    expect(portal.transfers()).toHaveLength(0);
  });
});
