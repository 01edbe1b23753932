// The payment page where a person pays, cancels or fails (page-routes.ts, pages.ts).
import { describe, expect, it } from 'vitest';
import { bank, CONFIRM, clickPage, created, portal, signOf, useBank } from './server.test-support.ts';

useBank();

// -------------------------------------------------------------------------------- the payment page

describe('the payment page', () => {
  it('shows the merchant, the amount in đồng, the description and three buttons, without script', async () => {
    const p = await created();
    const r = await fetch(p.UrlThanhToan);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Cổng Dịch vụ công');
    expect(html).toContain('180.000 đ');
    expect(html).toContain(`THANH TOAN HO SO ${p.ref}`);
    expect(html).toContain('name="viewport"');
    expect(html).not.toContain('<script');
    expect(html).toMatch(/value="success"[^>]*>Thanh toán \/ Pay</);
    expect(html).toMatch(/value="cancel"[^>]*>Hủy \/ Cancel</);
    expect(html).toMatch(/value="fail"[^>]*>Báo lỗi thanh toán \/ Fail \(insufficient funds\)</);
    expect((await fetch(`${bank.url}/thanh-toan/NOSUCH1`)).status).toBe(404);
  });

  for (const [outcome, maLoi, status] of [
    ['success', '00', 'succeeded'],
    ['cancel', '24', 'cancelled'],
    ['fail', '51', 'failed'],
  ] as const)
    it(`${outcome}: records it, sends a signed CONFIRM with MaLoi ${maLoi} and sends the browser back`, async () => {
      const p = await created();
      const r = await clickPage(p.MaGiaoDich, outcome);
      expect(r.status).toBe(303);
      const back = new URL(r.headers.get('location') ?? '');
      expect(back.origin + back.pathname).toBe('http://portal.test/thanh-toan/ket-qua');
      expect(back.searchParams.get('ref')).toBe(p.ref);
      expect(back.searchParams.get('x')).toBe('1');
      await bank.idle();
      const got = portal.confirms();
      expect(got).toHaveLength(1);
      const c = got[0]!.body;
      expect(c).toMatchObject({
        LoaiBanTin: 'CONFIRM',
        MaLoi: maLoi,
        MaDoiTac: 'CONGDVC',
        MaThamChieu: p.ref,
        SoTien: 180000,
        MaTienTe: 'VND',
        MaGiaoDich: p.MaGiaoDich,
        MaNganHang: 'VCBSIM',
        ThoiGianGD: '20260310100000',
        ThongTinGiaoDich: `THANH TOAN HO SO ${p.ref}`,
      });
      expect(c.MaXacThuc).toBe(signOf(c, CONFIRM));
      expect(got[0]!.answered).toBe('00');
      expect(bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich)?.status).toBe(status);
      // Clicking again changes nothing and sends nothing.
      expect((await clickPage(p.MaGiaoDich, 'success')).status).toBe(303);
      await bank.idle();
      expect(portal.confirms()).toHaveLength(1);
      const page = await (await fetch(p.UrlThanhToan)).text();
      expect(page).not.toContain('value="success"');
    });
});
