/**
 * The intermediary protocol's calls from the portal (`POST /paygate/v1/…`, notes/payments-contract.md): INIT
 * opens a payment, QUERY tells its state, REFUND gives money back, SETTLEMENT answers the day's CSV file
 * (with the settlement faults applied). Every call is checked against the shared secret.
 */
import type http from 'node:http';
import { readJson, sendJson } from './http.ts';
import {
  amountOf,
  INIT_FIELDS,
  isText,
  isVietnamTime,
  QUERY_ANSWER_FIELDS,
  QUERY_FIELDS,
  REFUND_FIELDS,
  SETTLEMENT_FIELDS,
  sign,
  verify,
  vietnamDay,
  vietnamTime,
} from './protocol.ts';
import type { SimRefund } from './server.ts';
import type { Transactions } from './transactions.ts';

export interface PaygateDeps {
  code: string;
  secret: string;
  partner: string;
  now: () => Date;
  log: (line: string) => void;
  newId: () => string;
  store: Pick<Transactions, 'byId' | 'byReference' | 'refundIds'>;
}

/** The `/paygate/v1/` routes: answers every POST under that path (a 404 for an unknown call). */
export function createPaygate(deps: PaygateDeps) {
  const { code, secret, partner, now, log, newId } = deps;
  const { byId, byReference, refundIds } = deps.store;

  const initError = (error_code: string, message: string) => ({ error_code, message });

  function initAnswer(b: Record<string, unknown>, base: string) {
    if (!verify(b, INIT_FIELDS, secret)) return initError('01', 'Sai mã xác thực (MaXacThuc) / bad checksum');
    if (b.LoaiBanTin !== 'INIT') return initError('02', 'LoaiBanTin phải là INIT');
    if (b.PhienBan !== '1.0.6') return initError('02', 'PhienBan phải là 1.0.6');
    if (b.MaDoiTac !== partner)
      return initError('02', `MaDoiTac ${String(b.MaDoiTac)} không phải đối tác ở đây`);
    if (!isText(b.MaThamChieu, 50)) return initError('02', 'MaThamChieu: 1–50 ký tự');
    const amount = amountOf(b.SoTien);
    if (amount === undefined) return initError('02', 'SoTien: số nguyên đồng lớn hơn 0');
    if (b.LoaiHinhThanhToan !== 'PAY') return initError('02', 'LoaiHinhThanhToan phải là PAY');
    if (b.MaTienTe !== 'VND') return initError('02', 'MaTienTe phải là VND');
    if (b.MaNganHang !== code) return initError('02', `MaNganHang phải là ${code}`);
    if (!isVietnamTime(b.ThoiGianGD)) return initError('02', 'ThoiGianGD: yyyyMMddHHmmss');
    if (typeof b.ThongTinGiaoDich !== 'string' || b.ThongTinGiaoDich.length > 500)
      return initError('02', 'ThongTinGiaoDich: tối đa 500 ký tự');
    let returnUrl: string | undefined;
    if (b.UrlTraVe !== undefined && b.UrlTraVe !== '') {
      try {
        const u = new URL(String(b.UrlTraVe));
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
        returnUrl = u.toString();
      } catch {
        return initError('02', 'UrlTraVe: một địa chỉ http(s)');
      }
    }
    const reference = b.MaThamChieu;
    let tx = byReference.get(reference);
    if (tx) {
      if (tx.SoTien !== amount)
        return initError(
          '03',
          `MaThamChieu ${reference} đã khởi tạo với số tiền khác (${tx.SoTien}) / known reference, another amount`,
        );
      log(`INIT ${reference}: again, same answer`);
    } else {
      tx = {
        MaGiaoDich: newId(),
        Loai: 'PAY',
        MaThamChieu: reference,
        SoTien: amount,
        status: 'pending',
        ThongTinGiaoDich: b.ThongTinGiaoDich,
        ...(returnUrl ? { UrlTraVe: returnUrl } : {}),
        createdAt: now(),
        faults: [],
        refunds: [],
        init: b,
      };
      byId.set(tx.MaGiaoDich, tx);
      byReference.set(reference, tx);
      log(`INIT ${reference} ${amount} → ${tx.MaGiaoDich}`);
    }
    return {
      error_code: '0',
      message: JSON.stringify({
        UrlThanhToan: `${base}/thanh-toan/${tx.MaGiaoDich}`,
        MaGiaoDich: tx.MaGiaoDich,
      }),
    };
  }

  function queryAnswer(b: Record<string, unknown>) {
    if (!verify(b, QUERY_FIELDS, secret))
      return initError('01', 'Sai mã xác thực (MaXacThuc) / bad checksum');
    if (b.LoaiBanTin !== 'QUERY') return initError('02', 'LoaiBanTin phải là QUERY');
    if (b.MaDoiTac !== partner)
      return initError('02', `MaDoiTac ${String(b.MaDoiTac)} không phải đối tác ở đây`);
    if (!isText(b.MaThamChieu, 50)) return initError('02', 'MaThamChieu: 1–50 ký tự');
    const tx = byReference.get(b.MaThamChieu);
    const state = !tx
      ? '04'
      : tx.status === 'succeeded'
        ? '00'
        : tx.status === 'pending'
          ? '01'
          : tx.status === 'failed'
            ? '02'
            : '03';
    const a: Record<string, unknown> = {
      error_code: '0',
      LoaiBanTin: 'QUERY',
      MaDoiTac: partner,
      MaThamChieu: b.MaThamChieu,
      TrangThaiGD: state,
      SoTien: tx?.SoTien ?? 0,
      MaGiaoDich: tx?.MaGiaoDich ?? '',
      ThoiGianGD: vietnamTime(tx ? (tx.decidedAt ?? tx.createdAt) : now()),
    };
    a.MaXacThuc = sign(a, QUERY_ANSWER_FIELDS, secret);
    return a;
  }

  function refundAnswer(b: Record<string, unknown>) {
    const no = (MaLoi: string, MoTaLoi: string) => ({ MaLoi, MoTaLoi });
    if (!verify(b, REFUND_FIELDS, secret)) return no('01', 'Sai mã xác thực (MaXacThuc) / bad checksum');
    if (b.LoaiBanTin !== 'REFUND') return no('99', 'LoaiBanTin phải là REFUND');
    if (b.MaDoiTac !== partner) return no('99', `MaDoiTac ${String(b.MaDoiTac)} không phải đối tác ở đây`);
    if (!isText(b.MaHoanTien, 50)) return no('99', 'MaHoanTien: 1–50 ký tự');
    const amount = amountOf(b.SoTienHoan);
    if (amount === undefined) return no('99', 'SoTienHoan: số nguyên đồng lớn hơn 0');
    if (!isVietnamTime(b.ThoiGianGD)) return no('99', 'ThoiGianGD: yyyyMMddHHmmss');
    const tx = typeof b.MaGiaoDich === 'string' ? byId.get(b.MaGiaoDich) : undefined;
    if (!tx || (tx.Loai === 'PAY' && tx.MaThamChieu !== b.MaThamChieu))
      return no('02', 'Không tìm thấy giao dịch (MaThamChieu, MaGiaoDich) / no such transaction');
    const known = refundIds.get(b.MaHoanTien);
    if (known) {
      if (known.tx === tx && known.refund.SoTienHoan === amount)
        return {
          ...no('00', 'Đã hoàn tiền (yêu cầu lặp lại) / refunded (repeat)'),
          MaHoanTien: b.MaHoanTien,
        };
      return no('05', 'MaHoanTien đã dùng cho một yêu cầu khác / refund id already used otherwise');
    }
    if (tx.status !== 'succeeded')
      return no('04', 'Giao dịch chưa thành công, không thể hoàn / the payment did not succeed');
    const refunded = tx.refunds.reduce((s, r) => s + r.SoTienHoan, 0);
    if (amount > tx.SoTien - refunded)
      return no(
        '03',
        `Số tiền hoàn vượt quá số còn lại (${tx.SoTien - refunded}) / more than paid minus refunded`,
      );
    const at = now();
    const refund: SimRefund = {
      MaHoanTien: b.MaHoanTien,
      SoTienHoan: amount,
      ThoiGianGD: vietnamTime(at),
      at,
    };
    tx.refunds.push(refund);
    refundIds.set(b.MaHoanTien, { tx, refund });
    log(`REFUND ${b.MaHoanTien} ${amount} of ${tx.MaGiaoDich}`);
    return { ...no('00', 'Đã hoàn tiền / refunded'), MaHoanTien: b.MaHoanTien };
  }

  function settlementCsv(day: string): string {
    const rows: string[] = ['MaGiaoDich,MaThamChieu,Loai,SoTien,TrangThai,ThoiGianGD'];
    const csv = (v: string | number) => {
      const s = String(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const entries: { at: Date; cells: (string | number)[] }[] = [];
    for (const tx of byId.values()) {
      if (tx.decidedAt && vietnamDay(tx.decidedAt) === day && !tx.faults.includes('settlement-missing')) {
        const amount = tx.SoTien + (tx.faults.includes('settlement-amount') ? 1000 : 0);
        entries.push({
          at: tx.decidedAt,
          cells: [
            tx.MaGiaoDich,
            tx.MaThamChieu,
            tx.Loai,
            amount,
            tx.status === 'succeeded' ? 'THANHCONG' : 'THATBAI',
            vietnamTime(tx.decidedAt),
          ],
        });
      }
      for (const r of tx.refunds)
        if (vietnamDay(r.at) === day)
          entries.push({
            at: r.at,
            cells: [r.MaHoanTien, tx.MaThamChieu, 'REFUND', r.SoTienHoan, 'THANHCONG', r.ThoiGianGD],
          });
    }
    entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const e of entries) rows.push(e.cells.map(csv).join(','));
    return `${rows.join('\r\n')}\r\n`;
  }

  return async function paygate(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    base: string,
  ): Promise<void> {
    const b = await readJson(req, res);
    if (!b) return;
    switch (path) {
      case '/paygate/v1/init':
        return sendJson(res, 200, initAnswer(b, base));
      case '/paygate/v1/query':
        return sendJson(res, 200, queryAnswer(b));
      case '/paygate/v1/refund':
        return sendJson(res, 200, refundAnswer(b));
      case '/paygate/v1/settlement': {
        if (!verify(b, SETTLEMENT_FIELDS, secret))
          return sendJson(res, 400, {
            error_code: '01',
            message: 'Sai mã xác thực (MaXacThuc) / bad checksum',
          });
        if (b.LoaiBanTin !== 'SETTLEMENT' || b.MaDoiTac !== partner || !isVietnamTime(b.NgayDoiSoat, true))
          return sendJson(res, 400, {
            error_code: '02',
            message: 'LoaiBanTin SETTLEMENT, MaDoiTac, NgayDoiSoat yyyyMMdd / bad fields',
          });
        res
          .writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="doi-soat-${code}-${b.NgayDoiSoat}.csv"`,
          })
          .end(settlementCsv(b.NgayDoiSoat));
        return;
      }
    }
    return sendJson(res, 404, { error_code: '99', message: 'Không có dịch vụ này / no such call' });
  };
}
