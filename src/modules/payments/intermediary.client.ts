/**
 * The portal as a partner of its intermediaries: INIT, QUERY, REFUND and SETTLEMENT over HTTP in the
 * protocol 1.0.6 shape, each signed with the intermediary's secret; answers are checked for theirs where
 * the protocol signs them (QUERY). A wrong or unsigned answer is an error, never a result.
 */
import {
  type InitMessage,
  initChecksum,
  PLATFORM_PARTNER_CODE,
  PROTOCOL_VERSION,
  type QueryAnswer as QueryAnswerMessage,
  type QueryMessage,
  queryChecksum,
  type RefundMessage,
  refundChecksum,
  type SettlementMessage,
  settlementChecksum,
  sign,
  verifyQueryAnswer,
  vnTimestamp,
} from './domain/checksum.ts';
import type { IntermediaryPort, QueryAnswer } from './payments.service.ts';
import type { Intermediary } from './registry.repository.ts';

/** ASCII for the intermediary's text fields: no diacritics, no control characters, at most `max`. */
export function asciiText(s: string, max = 200): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

const STATES: Record<string, QueryAnswer['state']> = {
  '00': 'succeeded',
  '01': 'pending',
  '02': 'failed',
  '03': 'cancelled',
  '04': 'not-found',
};

export function httpIntermediaries(opts: { timeoutMs?: number } = {}): IntermediaryPort {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    async init(i: Intermediary, p, { returnUrl, ip, at }) {
      const msg = sign<InitMessage>(
        {
          LoaiBanTin: 'INIT',
          PhienBan: PROTOCOL_VERSION,
          MaDoiTac: i.partnerCode || PLATFORM_PARTNER_CODE,
          MaThamChieu: p.reference,
          SoTien: String(p.amount),
          LoaiHinhThanhToan: 'PAY',
          MaKenhThanhToan: '1',
          MaThietBi: '1',
          NgonNgu: 'vi-VN',
          MaTienTe: 'VND',
          MaNganHang: i.code,
          ThongTinGiaoDich: asciiText(p.description, 200) || `THANH TOAN ${p.reference}`,
          ThoiGianGD: vnTimestamp(at),
          Ip: ip,
          UrlTraVe: returnUrl,
        },
        i.secret,
        initChecksum,
      );
      const r = await post(`${i.baseUrl}/paygate/v1/init`, msg, timeoutMs);
      const body = (await r.json().catch(() => ({}))) as { error_code?: string; message?: string };
      if (!r.ok || body.error_code !== '0' || typeof body.message !== 'string')
        throw new Error(
          `INIT at ${i.code}: HTTP ${r.status} ${body.error_code ?? ''} ${String(body.message ?? '').slice(0, 200)}`,
        );
      const m = JSON.parse(body.message) as { UrlThanhToan?: unknown; MaGiaoDich?: unknown };
      if (typeof m.UrlThanhToan !== 'string' || !/^https?:\/\//.test(m.UrlThanhToan))
        throw new Error(`INIT at ${i.code}: no payment URL`);
      return { url: m.UrlThanhToan, txn: typeof m.MaGiaoDich === 'string' ? m.MaGiaoDich : null };
    },

    async query(i, reference, at) {
      const msg = sign<QueryMessage>(
        {
          LoaiBanTin: 'QUERY',
          PhienBan: PROTOCOL_VERSION,
          MaDoiTac: i.partnerCode,
          MaThamChieu: reference,
          ThoiGianGD: vnTimestamp(at),
        },
        i.secret,
        queryChecksum,
      );
      const r = await post(`${i.baseUrl}/paygate/v1/query`, msg, timeoutMs);
      const a = (await r.json().catch(() => ({}))) as Partial<QueryAnswerMessage>;
      if (!r.ok || a.error_code !== '0')
        throw new Error(`QUERY at ${i.code}: HTTP ${r.status} ${a.error_code ?? ''}`);
      if (a.MaThamChieu !== reference || !verifyQueryAnswer(a as QueryAnswerMessage, i.secret))
        throw new Error(`QUERY at ${i.code}: the answer's MaXacThuc does not match`);
      const state = STATES[a.TrangThaiGD ?? ''];
      if (!state) throw new Error(`QUERY at ${i.code}: unknown TrangThaiGD ${a.TrangThaiGD}`);
      const amount = a.SoTien && /^\d{1,13}$/.test(a.SoTien) ? Number(a.SoTien) : null;
      return { state, amount, txn: a.MaGiaoDich || null, at: null };
    },

    async refund(i, r) {
      const msg = sign<RefundMessage>(
        {
          LoaiBanTin: 'REFUND',
          PhienBan: PROTOCOL_VERSION,
          MaDoiTac: i.partnerCode,
          MaThamChieu: r.reference,
          MaGiaoDich: r.txn,
          MaHoanTien: r.refundId,
          SoTienHoan: String(r.amount),
          ThoiGianGD: vnTimestamp(r.at),
        },
        i.secret,
        refundChecksum,
      );
      const res = await post(`${i.baseUrl}/paygate/v1/refund`, msg, timeoutMs);
      const a = (await res.json().catch(() => ({}))) as { MaLoi?: string; MoTaLoi?: string };
      if (res.status >= 500) throw new Error(`REFUND at ${i.code}: HTTP ${res.status}`);
      return { ok: a.MaLoi === '00', message: a.MoTaLoi ?? `HTTP ${res.status}` };
    },

    async settlement(i, day, at) {
      const msg = sign<SettlementMessage>(
        {
          LoaiBanTin: 'SETTLEMENT',
          MaDoiTac: i.partnerCode,
          NgayDoiSoat: day.replaceAll('-', ''),
          ThoiGianGD: vnTimestamp(at),
        },
        i.secret,
        settlementChecksum,
      );
      const r = await post(`${i.baseUrl}/paygate/v1/settlement`, msg, timeoutMs);
      if (!r.ok) throw new Error(`SETTLEMENT at ${i.code}: HTTP ${r.status}`);
      return r.text();
    },
  };
}
