/**
 * An intermediary's settlement file (sim/bank README, "Settlement file"): CSV with the header
 * `MaGiaoDich,MaThamChieu,Loai,SoTien,TrangThai,ThoiGianGD`, one row per transaction settled that Vietnam
 * day. Parsed strictly: a file with a row the portal cannot read is refused whole (reconciling half a
 * file would report its other half as missing).
 */
import { createHash } from 'node:crypto';
import { parseCsv } from '../../../platform/csv/index.ts';

export interface SettlementLine {
  lineNo: number;
  txn: string;
  reference: string | null;
  type: 'PAY' | 'TRANSFER' | 'REFUND';
  amount: number;
  status: 'THANHCONG' | 'THATBAI';
  at: Date | null;
}

export const SETTLEMENT_HEADER = ['MaGiaoDich', 'MaThamChieu', 'Loai', 'SoTien', 'TrangThai', 'ThoiGianGD'];

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** yyyyMMddHHmmss in Vietnam time → the instant. */
export function fromVnTimestamp(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function parseSettlement(csv: string): SettlementLine[] {
  const firstLine = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() !== SETTLEMENT_HEADER.join(','))
    throw new Error(`tệp đối soát: dòng tiêu đề phải là ${SETTLEMENT_HEADER.join(',')} / unexpected header`);
  return parseCsv(csv).map((r, i) => {
    const lineNo = i + 1;
    const bad = (what: string) =>
      new Error(`tệp đối soát, dòng ${lineNo}: ${what} không hợp lệ / settlement row ${lineNo}: bad ${what}`);
    const txn = (r.MaGiaoDich ?? '').trim();
    if (!/^[!-~]{1,60}$/.test(txn)) throw bad('MaGiaoDich');
    const ref = (r.MaThamChieu ?? '').trim();
    if (ref.length > 60) throw bad('MaThamChieu');
    const type = r.Loai;
    if (type !== 'PAY' && type !== 'TRANSFER' && type !== 'REFUND') throw bad('Loai');
    if (!/^[1-9]\d{0,12}$/.test(r.SoTien ?? '')) throw bad('SoTien');
    const status = r.TrangThai;
    if (status !== 'THANHCONG' && status !== 'THATBAI') throw bad('TrangThai');
    const at = r.ThoiGianGD ? fromVnTimestamp(r.ThoiGianGD) : null;
    if (r.ThoiGianGD && !at) throw bad('ThoiGianGD');
    return { lineNo, txn, reference: ref || null, type, amount: Number(r.SoTien), status, at };
  });
}
