/**
 * What intermediaries tell the portal: CONFIRM (the result of a payment made on their page) at
 * POST /paygate/v1/callback/{code} and TRANSFER (a transfer credited to the portal's collection account,
 * VietQR) at POST /paygate/v1/transfer/{code}. Each is checked for its MaXacThuc with the intermediary's
 * secret, recorded in payments.inbound whatever it is (a forged one too), applied once, and answered in
 * the protocol's shape with the portal's own MaXacThuc:
 *   00 accepted (also a repeat of one already applied) · 01 bad checksum · 02 unknown reference ·
 *   03 amount differs · 99 try again.
 */
import { sql } from 'kysely';
import { type Static, Type } from 'typebox';
import { remembered } from '../../platform/cache/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import {
  type ConfirmAnswer,
  type ConfirmMessage,
  confirmAnswerChecksum,
  sign,
  type TransferMessage,
  verifyConfirm,
  verifyTransfer,
  vnTimestamp,
} from './domain/checksum.ts';
import { referenceIn } from './payments.repository.ts';
import type { PaymentsService, SettleOutcome } from './payments.service.ts';
import { intermediary as findIntermediary } from './registry.repository.ts';

const S = (max: number) => Type.String({ maxLength: max });

export const ConfirmBody = Type.Object({
  LoaiBanTin: S(20),
  MaLoi: S(10),
  MaDoiTac: S(50),
  MaThamChieu: S(100),
  SoTien: S(20),
  MaTienTe: S(10),
  MaGiaoDich: S(100),
  MaNganHang: S(50),
  ThoiGianGD: S(20),
  ThongTinGiaoDich: S(500),
  MaXacThuc: S(128),
});

export const TransferBody = Type.Object({
  LoaiBanTin: S(20),
  MaDoiTac: S(50),
  SoTaiKhoan: S(50),
  SoTien: S(20),
  NoiDung: S(500),
  MaGiaoDich: S(100),
  ThoiGianGD: S(20),
  MaXacThuc: S(128),
});

export const AnswerBody = Type.Object({
  MaLoi: Type.String(),
  MoTaLoi: Type.String(),
  MaDoiTac: Type.String(),
  MaThamChieu: Type.String(),
  ThoiGianGD: Type.String(),
  MaXacThuc: Type.String(),
});

const CODE = Type.Object({ code: Type.String({ pattern: '^[A-Z0-9]{2,20}$' }) });

const MEANING: Record<string, string> = {
  '00': 'Đã ghi nhận / accepted',
  '01': 'Sai mã xác thực / bad checksum',
  '02': 'Không tìm thấy giao dịch / unknown reference',
  '03': 'Số tiền không khớp / amount differs',
  '04': 'Sai định dạng / malformed',
  '99': 'Lỗi tạm thời, gửi lại sau / try again',
};

async function logInbound(
  db: AnyDb,
  e: {
    intermediary: string;
    kind: 'confirm' | 'transfer';
    reference: string | null;
    txn: string | null;
    valid: boolean;
    outcome: string;
    payload: unknown;
  },
) {
  await sql`insert into payments.inbound (intermediary, kind, reference, txn, valid, outcome, payload)
            values (${e.intermediary}, ${e.kind}, ${e.reference}, ${e.txn}, ${e.valid}, ${e.outcome},
                    ${JSON.stringify(e.payload)}::jsonb)`.execute(db);
}

const amountOf = (s: string): number | undefined => (/^\d{1,13}$/.test(s) ? Number(s) : undefined);

export async function callbackRoutes(
  app: AppInstance,
  deps: {
    db: AnyDb;
    service: PaymentsService;
    now(): Date;
    /** The crash tests' hook: kills the process at the point named (PAYMENTS_CRASH_AT), else nothing. */
    crash?: (point: 'after-receive') => void;
  },
) {
  // Read on every callback; registrations change rarely (a new secret applies within 10 seconds).
  const intermediaryOf = remembered({ max: 200, ttlMs: 10_000 }, (code: string) =>
    findIntermediary(deps.db, code),
  );
  const answer = (
    code: string,
    partnerCode: string,
    reference: string,
    secret: string | undefined,
  ): ConfirmAnswer => {
    const unsigned = {
      MaLoi: code,
      MoTaLoi: MEANING[code] ?? '',
      MaDoiTac: partnerCode,
      MaThamChieu: reference,
      ThoiGianGD: vnTimestamp(deps.now()),
    };
    return secret
      ? sign<ConfirmAnswer>(unsigned, secret, confirmAnswerChecksum)
      : { ...unsigned, MaXacThuc: '' };
  };

  const codeOf = (s: SettleOutcome): string =>
    s.outcome === 'unknown' ? '02' : s.outcome === 'amount-differs' ? '03' : '00';

  app.post<{ Params: Static<typeof CODE>; Body: Static<typeof ConfirmBody> }>(
    '/paygate/v1/callback/:code',
    {
      config: { access: access.public },
      schema: {
        summary: 'CONFIRM từ trung gian thanh toán / CONFIRM from an intermediary (protocol 1.0.6)',
        tags: ['payments'],
        params: CODE,
        body: ConfirmBody,
        response: { 200: AnswerBody },
      },
    },
    async (request) => {
      const m = request.body as ConfirmMessage;
      const i = await intermediaryOf(request.params.code);
      const valid = !!i && i.active && m.LoaiBanTin === 'CONFIRM' && verifyConfirm(m, i.secret);
      const base = {
        intermediary: request.params.code,
        kind: 'confirm' as const,
        reference: m.MaThamChieu,
        txn: m.MaGiaoDich,
        payload: m,
      };
      if (!valid || !i) {
        await logInbound(deps.db, { ...base, valid: false, outcome: '01' });
        request.log.warn(
          { intermediary: request.params.code, reference: m.MaThamChieu },
          'payments: forged or unsigned CONFIRM refused',
        );
        return answer('01', m.MaDoiTac, m.MaThamChieu, i?.secret);
      }
      const amount = amountOf(m.SoTien);
      if (amount === undefined || m.MaTienTe !== 'VND') {
        await logInbound(deps.db, { ...base, valid: true, outcome: '04' });
        return answer('04', m.MaDoiTac, m.MaThamChieu, i.secret);
      }
      const result = m.MaLoi === '00' ? 'succeeded' : m.MaLoi === '24' ? 'cancelled' : 'failed';
      deps.crash?.('after-receive');
      const s = await deps.service.confirm(
        i.code,
        { reference: m.MaThamChieu, amount, txn: m.MaGiaoDich, result, at: deps.now() },
        (trx, outcome) =>
          logInbound(trx, { ...base, valid: true, outcome: `${codeOf(outcome)}:${outcome.outcome}` }),
      );
      return answer(codeOf(s), m.MaDoiTac, m.MaThamChieu, i.secret);
    },
  );

  app.post<{ Params: Static<typeof CODE>; Body: Static<typeof TransferBody> }>(
    '/paygate/v1/transfer/:code',
    {
      config: { access: access.public },
      schema: {
        summary: 'Báo có chuyển khoản VietQR / a transfer credited to the collection account (VietQR)',
        tags: ['payments'],
        params: CODE,
        body: TransferBody,
        response: { 200: AnswerBody },
      },
    },
    async (request) => {
      const m = request.body as TransferMessage;
      const i = await intermediaryOf(request.params.code);
      const valid = !!i && i.active && m.LoaiBanTin === 'TRANSFER' && verifyTransfer(m, i.secret);
      const reference = referenceIn(m.NoiDung);
      const base = {
        intermediary: request.params.code,
        kind: 'transfer' as const,
        reference: reference ?? null,
        txn: m.MaGiaoDich,
        payload: m,
      };
      if (!valid || !i) {
        await logInbound(deps.db, { ...base, valid: false, outcome: '01' });
        request.log.warn(
          { intermediary: request.params.code, txn: m.MaGiaoDich },
          'payments: forged or unsigned TRANSFER refused',
        );
        return answer('01', m.MaDoiTac, reference ?? '', i?.secret);
      }
      const amount = amountOf(m.SoTien);
      if (amount === undefined || amount === 0 || !i.qr || m.SoTaiKhoan !== i.qr.account) {
        await logInbound(deps.db, { ...base, valid: true, outcome: '04' });
        return answer('04', m.MaDoiTac, reference ?? '', i.secret);
      }
      const r = await deps.service.transfer(i.code, {
        account: m.SoTaiKhoan,
        amount,
        content: m.NoiDung,
        txn: m.MaGiaoDich,
        reference,
      });
      await logInbound(deps.db, { ...base, valid: true, outcome: `00:${r.outcome}` });
      // The money is in the account whatever it matched: the bank is done; mismatches are ours to settle.
      return answer('00', m.MaDoiTac, reference ?? '', i.secret);
    },
  );
}
