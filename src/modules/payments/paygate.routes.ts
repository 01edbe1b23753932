/**
 * The payment platform's face to agency one-stop systems: protocol 1.0.6 as `payments.md` gives it.
 *   POST /paygate/v1/init     INIT → {error_code: "0", message: "{\"UrlThanhToan\": …}"}
 *   POST /paygate/v1/query    QUERY → the state (TrangThaiGD) with the platform's MaXacThuc
 *   POST /paygate/v1/receipt  RECEIPT → the electronic receipt (PDF)
 * and, when a partner's payment succeeds, CONFIRM to the partner's registered URL through the outbox,
 * retried until the partner answers MaLoi "00" with a valid MaXacThuc.
 * error_code: 0 accepted · 01 bad MaXacThuc · 02 unknown or inactive partner · 03 a field is wrong ·
 * 04 MaThamChieu already used with another amount · 05 no such transaction · 99 try again.
 */
import { type Static, Type } from 'typebox';
import type { AnyDb } from '../../platform/db/index.ts';
import { ConflictError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import {
  type ConfirmAnswer,
  type ConfirmMessage,
  confirmChecksum,
  type InitMessage,
  PROTOCOL_VERSION,
  type QueryAnswer,
  type QueryMessage,
  queryAnswerChecksum,
  type ReceiptInfo,
  type ReceiptMessage,
  sign,
  verifyConfirmAnswer,
  verifyInit,
  verifyQuery,
  verifyReceipt,
  vnTimestamp,
} from './domain/checksum.ts';
import { byPartnerRef, type Payment, type PaymentLine, toPayment } from './payments.repository.ts';
import type { PaymentsService } from './payments.service.ts';
import { partner as findPartner } from './registry.repository.ts';

const S = (max: number) => Type.String({ maxLength: max });
const O = (max: number) => Type.Optional(Type.String({ maxLength: max }));

const FeeLine = Type.Object({ LoaiPhiLePhi: S(10), MaPhiLePhi: S(50), TenPhiLePhi: S(300), SoTien: S(20) });
const ReceiptInfoSchema = Type.Object(
  {
    MaDichVu: O(2),
    MaDonVi: O(50),
    TenDonVi: O(300),
    MaHoSo: O(60),
    MaDVC: O(50),
    TenDVC: O(300),
    MaTTHC: O(50),
    TenTTHC: O(500),
    MaLoaiHinhThuPhat: O(50),
    TenLoaiHinhThuPhat: O(300),
    MaCoQuanQD: O(50),
    TenCoQuanQD: O(300),
    KhoBac: O(100),
    NgayQD: O(20),
    SoQD: O(60),
    ThoiGianViPham: O(20),
    DiaDiemViPham: O(300),
    TenNguoiViPham: O(200),
    TaiKhoanThuNSNN: O(50),
    TKThuHuong: O(50),
    MaNHThuHuong: O(20),
    TenTKThuHuong: O(200),
    HoTenNguoiNop: O(200),
    SoCMNDNguoiNop: O(20),
    DiaChiNguoiNop: O(300),
    HuyenNguoiNop: O(100),
    TinhNguoiNop: O(100),
    NoiDungThanhToan: O(500),
    PhiLePhi: Type.Optional(Type.Array(FeeLine, { maxItems: 50 })),
    DSKhoanNop: Type.Optional(Type.Array(Type.Object({ NoiDung: S(300), SoTien: S(20) }), { maxItems: 50 })),
  },
  { additionalProperties: true },
);

export const InitBody = Type.Object({
  LoaiBanTin: S(20),
  PhienBan: S(10),
  MaDoiTac: S(50),
  MaThamChieu: S(100),
  SoTien: S(20),
  LoaiHinhThanhToan: S(20),
  MaKenhThanhToan: S(10),
  MaThietBi: S(10),
  NgonNgu: S(10),
  MaTienTe: S(10),
  MaNganHang: S(50),
  ThongTinGiaoDich: S(500),
  ThoiGianGD: S(20),
  Ip: S(64),
  MaXacThuc: S(128),
  ThongTinBienLai: Type.Optional(ReceiptInfoSchema),
});

const QueryBody = Type.Object({
  LoaiBanTin: S(20),
  PhienBan: S(10),
  MaDoiTac: S(50),
  MaThamChieu: S(100),
  ThoiGianGD: S(20),
  MaXacThuc: S(128),
});

const InitAnswer = Type.Object({ error_code: Type.String(), message: Type.String() });
const QueryAnswerSchema = Type.Object({
  error_code: Type.String(),
  message: Type.Optional(Type.String()),
  LoaiBanTin: Type.Optional(Type.String()),
  MaDoiTac: Type.Optional(Type.String()),
  MaThamChieu: Type.Optional(Type.String()),
  TrangThaiGD: Type.Optional(Type.String()),
  SoTien: Type.Optional(Type.String()),
  MaGiaoDich: Type.Optional(Type.String()),
  ThoiGianGD: Type.Optional(Type.String()),
  MaXacThuc: Type.Optional(Type.String()),
});

const fail = (code: string, message: string) => ({ error_code: code, message });
const AMOUNT = /^[1-9]\d{0,12}$/;

/** The lines of a partner's payment from its receipt data, or one line; they must add up to SoTien. */
export function partnerLines(
  amount: number,
  info: ReceiptInfo | undefined,
  description: string,
): PaymentLine[] | string {
  const fine = info?.MaDichVu === '1';
  let lines: PaymentLine[];
  if (info?.PhiLePhi && info.PhiLePhi.length > 0) {
    lines = [];
    for (const [i, l] of info.PhiLePhi.entries()) {
      if (!AMOUNT.test(l.SoTien)) return `ThongTinBienLai.PhiLePhi.${i}.SoTien`;
      if (l.LoaiPhiLePhi !== 'Phi' && l.LoaiPhiLePhi !== 'LePhi')
        return `ThongTinBienLai.PhiLePhi.${i}.LoaiPhiLePhi`;
      lines.push({
        kind: l.LoaiPhiLePhi === 'Phi' ? 'phi' : 'le-phi',
        code: l.MaPhiLePhi || String(i + 1),
        name: l.TenPhiLePhi || description,
        amount: Number(l.SoTien),
      });
    }
  } else if (info?.DSKhoanNop && info.DSKhoanNop.length > 0) {
    lines = [];
    for (const [i, l] of info.DSKhoanNop.entries()) {
      if (!AMOUNT.test(l.SoTien)) return `ThongTinBienLai.DSKhoanNop.${i}.SoTien`;
      lines.push({
        kind: fine ? 'fine' : 'le-phi',
        code: String(i + 1),
        name: l.NoiDung || description,
        amount: Number(l.SoTien),
      });
    }
  } else {
    lines = [{ kind: fine ? 'fine' : 'le-phi', code: '1', name: description, amount }];
  }
  return lines.reduce((s, l) => s + l.amount, 0) === amount ? lines : 'SoTien';
}

const TRANG_THAI: Record<Payment['status'], string> = {
  succeeded: '00',
  created: '01',
  pending: '01',
  failed: '02',
  cancelled: '03',
  expired: '03',
};

export async function paygateRoutes(
  app: AppInstance,
  deps: {
    db: AnyDb;
    service: PaymentsService;
    publicUrl: string;
    now(): Date;
    /** The payment's receipts as one PDF (the first when several). */
    receiptPdf(paymentId: string): Promise<Uint8Array | undefined>;
  },
) {
  app.post<{ Body: Static<typeof InitBody> }>(
    '/paygate/v1/init',
    {
      config: { access: access.public },
      schema: {
        summary:
          'INIT (giao thức 1.0.6): hệ thống một cửa tạo giao dịch / an agency system creates a payment',
        tags: ['payments'],
        body: InitBody,
        response: { 200: InitAnswer },
      },
    },
    async (request) => {
      const m = request.body as InitMessage;
      const partner = await findPartner(deps.db, m.MaDoiTac);
      if (!partner?.active) return fail('02', 'Đối tác không hợp lệ / unknown partner');
      if (!verifyInit(m, partner.secret)) {
        request.log.warn({ partner: m.MaDoiTac, ref: m.MaThamChieu }, 'paygate: INIT with a bad MaXacThuc');
        return fail('01', 'Sai mã xác thực / bad MaXacThuc');
      }
      if (m.LoaiBanTin !== 'INIT' || m.PhienBan !== PROTOCOL_VERSION)
        return fail('03', 'LoaiBanTin/PhienBan');
      if (m.MaTienTe !== 'VND') return fail('03', 'MaTienTe');
      if (m.LoaiHinhThanhToan !== 'PAY') return fail('03', 'LoaiHinhThanhToan');
      if (!/^[!-~]{1,100}$/.test(m.MaThamChieu)) return fail('03', 'MaThamChieu');
      if (!AMOUNT.test(m.SoTien)) return fail('03', 'SoTien');
      const amount = Number(m.SoTien);
      const existing = await byPartnerRef(deps.db, partner.code, m.MaThamChieu);
      if (existing) {
        if (Number(existing.amount) !== amount)
          return fail('04', 'MaThamChieu đã dùng với số tiền khác / reference used with another amount');
        return {
          error_code: '0',
          message: JSON.stringify({
            UrlThanhToan: `${deps.publicUrl}/thanh-toan/${existing.id}`,
            MaGiaoDich: existing.reference,
          }),
        };
      }
      const info = m.ThongTinBienLai;
      const description = (
        info?.NoiDungThanhToan ||
        m.ThongTinGiaoDich ||
        `Thanh toán ${m.MaThamChieu}`
      ).slice(0, 500);
      const lines = partnerLines(amount, info, description);
      if (typeof lines === 'string') return fail('03', lines);
      try {
        const { payment } = await deps.service.create({
          kind: 'partner',
          subject: `${partner.code}:${m.MaThamChieu}`,
          billKey: `partner:${partner.code}:${m.MaThamChieu}`,
          lines,
          description,
          payeeAgency: partner.agencyCode,
          payer: { name: info?.HoTenNguoiNop ?? null, idNumber: info?.SoCMNDNguoiNop ?? null },
          partnerCode: partner.code,
          partnerRef: m.MaThamChieu,
          details: { receiptInfo: info ?? {}, dossierCode: info?.MaHoSo ?? null },
        });
        return {
          error_code: '0',
          message: JSON.stringify({
            UrlThanhToan: `${deps.publicUrl}/thanh-toan/${payment.id}`,
            MaGiaoDich: payment.reference,
          }),
        };
      } catch (e) {
        if (e instanceof ConflictError) return fail('04', e.message);
        throw e;
      }
    },
  );

  async function checkedQuery(m: QueryMessage | ReceiptMessage, verify: (m: never, s: string) => boolean) {
    const partner = await findPartner(deps.db, m.MaDoiTac);
    if (!partner?.active) return { error: fail('02', 'Đối tác không hợp lệ / unknown partner') };
    if (!verify(m as never, partner.secret)) return { error: fail('01', 'Sai mã xác thực / bad MaXacThuc') };
    const row = await byPartnerRef(deps.db, partner.code, m.MaThamChieu);
    if (!row) return { error: fail('05', 'Không có giao dịch / no such transaction') };
    return { partner, payment: toPayment(row) };
  }

  app.post<{ Body: Static<typeof QueryBody> }>(
    '/paygate/v1/query',
    {
      config: { access: access.public },
      schema: {
        summary: 'QUERY (giao thức 1.0.6): trạng thái giao dịch / the state of a transaction',
        tags: ['payments'],
        body: QueryBody,
        response: { 200: QueryAnswerSchema },
      },
    },
    async (request) => {
      const m = request.body as QueryMessage;
      const r = await checkedQuery(m, verifyQuery as never);
      if ('error' in r) return r.error;
      const p = r.payment;
      const answer = sign<QueryAnswer>(
        {
          error_code: '0',
          LoaiBanTin: 'QUERY',
          MaDoiTac: r.partner.code,
          MaThamChieu: m.MaThamChieu,
          TrangThaiGD: TRANG_THAI[p.status],
          SoTien: String(p.amount),
          MaGiaoDich: p.reference,
          ThoiGianGD: vnTimestamp(p.succeededAt ?? deps.now()),
        },
        r.partner.secret,
        queryAnswerChecksum,
      );
      return answer;
    },
  );

  app.post<{ Body: Static<typeof QueryBody> }>(
    '/paygate/v1/receipt',
    {
      config: { access: access.public },
      schema: {
        summary: 'Biên lai điện tử (giao thức 1.0.6) / the electronic receipt of a transaction (PDF)',
        tags: ['payments'],
        body: QueryBody,
        produces: ['application/pdf', 'application/json'],
      },
    },
    async (request, reply) => {
      const m = request.body as ReceiptMessage;
      const r = await checkedQuery(m, verifyReceipt as never);
      if ('error' in r) return reply.send(r.error);
      if (r.payment.status !== 'succeeded')
        return reply.send(fail('06', 'Giao dịch chưa thành công / not paid'));
      const pdf = await deps.receiptPdf(r.payment.id);
      if (!pdf) return reply.send(fail('05', 'Chưa có biên lai / no receipt'));
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="bien-lai-${r.payment.reference}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );
}

/** CONFIRM to the partner (the outbox retries until it answers "00" with a valid MaXacThuc). */
export function partnerConfirmEffect(deps: { db: AnyDb; now(): Date; timeoutMs?: number }) {
  return {
    name: 'partner-confirm',
    kinds: ['partner'] as const,
    async run(p: Payment) {
      const partner = await findPartner(deps.db, p.partnerCode ?? '');
      if (!partner?.confirmUrl) return;
      const msg = sign<ConfirmMessage>(
        {
          LoaiBanTin: 'CONFIRM',
          MaLoi: '00',
          MaDoiTac: partner.code,
          MaThamChieu: p.partnerRef ?? '',
          SoTien: String(p.amount),
          MaTienTe: 'VND',
          MaGiaoDich: p.reference,
          MaNganHang: p.intermediary ?? (p.method === 'cash' ? 'TIENMAT' : ''),
          ThoiGianGD: vnTimestamp(p.succeededAt ?? deps.now()),
          ThongTinGiaoDich: p.description.slice(0, 500),
        },
        partner.secret,
        confirmChecksum,
      );
      const r = await fetch(partner.confirmUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(msg),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
      const a = (await r.json().catch(() => ({}))) as Partial<ConfirmAnswer>;
      if (!r.ok || a.MaLoi !== '00' || !verifyConfirmAnswer(a as ConfirmAnswer, partner.secret))
        throw new Error(`CONFIRM to ${partner.code}: HTTP ${r.status} MaLoi ${a.MaLoi ?? '-'}`);
    },
  };
}
