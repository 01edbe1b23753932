/**
 * For payment tests: a portal listening on a real port (intermediaries call it back), sim/bank in this
 * process registered as an intermediary with its own secret, the demo payees and partner DEMO-HN, and
 * the 1.0.6 INIT a partner sends.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type FaultMode, startBank } from '../../sim/bank/server.ts';
import type { Portal } from '../../src/bootstrap.ts';
import { seedDemoPayments } from '../../src/modules/payments/demo.ts';
import { DEMO_PARTNER, upsertIntermediary } from '../../src/modules/payments/index.ts';
import { testPortal } from './portal.ts';

export type Bank = Awaited<ReturnType<typeof startBank>>;

export interface PaymentsWorld {
  portal: Portal;
  url: string;
  bank: Bank;
  bankCode: string;
  close(): Promise<void>;
}

export async function paymentsWorld(
  options: { faults?: FaultMode[]; env?: Record<string, string> } = {},
): Promise<PaymentsWorld> {
  const portal = await testPortal({ env: options.env ?? {} });
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const address = portal.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const bankCode = 'TESTBANK';
  const secret = randomBytes(18).toString('base64url');
  const bank = await startBank({
    code: bankCode,
    secret,
    bin: '970436',
    collectionAccount: '0011000999888',
    callbackUrl: `${url}/paygate/v1/callback/${bankCode}`,
    transferUrl: `${url}/paygate/v1/transfer/${bankCode}`,
    retryBaseMs: 20,
    maxTries: 6,
    delayMs: 300,
    port: 0,
    log: () => undefined,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  await seedDemoPayments(portal.database.db, {
    intermediaries: [
      {
        code: bankCode,
        name: 'Ngân hàng thử',
        kind: 'bank',
        baseUrl: bank.url,
        secret,
        partnerCode: 'CONGDVC',
        qr: { bin: '970436', account: '0011000999888', accountName: 'CONG DVC' },
      },
    ],
  });
  await upsertIntermediary(portal.database.db, {
    code: 'OTHERBANK',
    name: 'Ngân hàng khác (không chạy)',
    kind: 'e-wallet',
    baseUrl: 'http://127.0.0.1:9',
    secret: 'another-secret-of-a-bank',
    partnerCode: 'CONGDVC',
    qr: null,
  });
  return {
    portal,
    url,
    bank,
    bankCode,
    async close() {
      await bank.close();
      await portal.close();
    },
  };
}

/** lowercase hex SHA-256 of the fields joined with | and the secret last (protocol 1.0.6). */
export const maXacThuc = (fields: string[], secret: string) =>
  createHash('sha256')
    .update([...fields, secret].join('|'))
    .digest('hex');

const vnNow = () => {
  const v = new Date(Date.now() + 7 * 3600_000).toISOString();
  return v.slice(0, 19).replace(/[-T:]/g, '');
};

/** A partner's INIT as DEMO-HN sends it (secret given, or the demo's). */
export function partnerInit(
  ref: string,
  amount: number,
  options: { secret?: string; receipt?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const m = {
    LoaiBanTin: 'INIT',
    PhienBan: '1.0.6',
    MaDoiTac: DEMO_PARTNER.code,
    MaThamChieu: ref,
    SoTien: String(amount),
    LoaiHinhThanhToan: 'PAY',
    MaKenhThanhToan: '1',
    MaThietBi: '1',
    NgonNgu: 'vi-VN',
    MaTienTe: 'VND',
    MaNganHang: 'PAYMENT',
    ThongTinGiaoDich: `THANH TOAN HO SO ${ref}`,
    ThoiGianGD: vnNow(),
    Ip: '127.0.0.1',
  };
  return {
    ...m,
    MaXacThuc: maXacThuc(Object.values(m), options.secret ?? DEMO_PARTNER.secret),
    ThongTinBienLai: options.receipt ?? {
      MaDichVu: '2',
      MaHoSo: ref,
      PhiLePhi: [
        {
          LoaiPhiLePhi: 'Phi',
          MaPhiLePhi: 'P1',
          TenPhiLePhi: 'Phí thẩm định',
          SoTien: String(amount - 1000),
        },
        { LoaiPhiLePhi: 'LePhi', MaPhiLePhi: 'L1', TenPhiLePhi: 'Lệ phí cấp giấy', SoTien: '1000' },
      ],
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read protocol answers field by field
export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: r.status, body: parsed };
}
