import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConfirmAnswer,
  type ConfirmMessage,
  checksum,
  confirmAnswerChecksum,
  confirmChecksum,
  type InitMessage,
  initChecksum,
  parseVnTimestamp,
  type QueryAnswer,
  type QueryMessage,
  queryAnswerChecksum,
  queryChecksum,
  type ReceiptMessage,
  type RefundMessage,
  receiptChecksum,
  refundChecksum,
  type SettlementMessage,
  settlementChecksum,
  sign,
  type TransferMessage,
  transferChecksum,
  verifyConfirm,
  verifyConfirmAnswer,
  verifyInit,
  verifyQuery,
  verifyQueryAnswer,
  verifyReceipt,
  verifyRefund,
  verifySettlement,
  verifyTransfer,
  vnTimestamp,
} from './checksum.ts';

const SECRET = 'demo-paygate-secret-do-not-use-in-production';
/** Independent of the code under test: node:crypto on the literal string the protocol says to hash. */
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const init: Omit<InitMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'INIT',
  PhienBan: '1.0.6',
  MaDoiTac: 'CONGDVC',
  MaThamChieu: 'DVC7K3M9Q2X4PZ',
  SoTien: '180000',
  LoaiHinhThanhToan: 'PAY',
  MaKenhThanhToan: '1',
  MaThietBi: '1',
  NgonNgu: 'vi-VN',
  MaTienTe: 'VND',
  MaNganHang: 'SIMBANK',
  ThongTinGiaoDich: 'THANH TOAN HO SO H12.34-250101-0001',
  ThoiGianGD: '20250701093000',
  Ip: '203.0.113.7',
  UrlTraVe: 'https://dichvucong.example/thanh-toan/ket-qua',
};

const confirm: Omit<ConfirmMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'CONFIRM',
  MaLoi: '00',
  MaDoiTac: 'CONGDVC',
  MaThamChieu: 'DVC7K3M9Q2X4PZ',
  SoTien: '180000',
  MaTienTe: 'VND',
  MaGiaoDich: 'SB000123',
  MaNganHang: 'SIMBANK',
  ThoiGianGD: '20250701093512',
  ThongTinGiaoDich: 'THANH TOAN HO SO H12.34-250101-0001',
};
const confirmAnswer: Omit<ConfirmAnswer, 'MaXacThuc'> = {
  MaLoi: '00',
  MoTaLoi: 'Thành công',
  MaDoiTac: 'CONGDVC',
  MaThamChieu: 'DVC7K3M9Q2X4PZ',
  ThoiGianGD: '20250701093513',
};
const query: Omit<QueryMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'QUERY',
  PhienBan: '1.0.6',
  MaDoiTac: 'CONGDVC',
  MaThamChieu: 'DVC7K3M9Q2X4PZ',
  ThoiGianGD: '20250701100000',
};
const queryAnswer: Omit<QueryAnswer, 'MaXacThuc'> = {
  error_code: '0',
  LoaiBanTin: 'QUERY',
  MaDoiTac: 'CONGDVC',
  MaThamChieu: 'DVC7K3M9Q2X4PZ',
  TrangThaiGD: '00',
  SoTien: '180000',
  MaGiaoDich: 'SB000123',
  ThoiGianGD: '20250701093512',
};
const transfer: Omit<TransferMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'TRANSFER',
  MaDoiTac: 'CONGDVC',
  SoTaiKhoan: '0011012345678',
  SoTien: '180000',
  NoiDung: 'DVC7K3M9Q2X4PZ chuyen tien',
  MaGiaoDich: 'FT2518200001',
  ThoiGianGD: '20250701094500',
};
const refund: Omit<RefundMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'REFUND',
  PhienBan: '1.0.6',
  MaDoiTac: 'CONGDVC',
  MaThamChieu: 'DVC7K3M9Q2X4PZ',
  MaGiaoDich: 'SB000123',
  MaHoanTien: 'RF0001',
  SoTienHoan: '50000',
  ThoiGianGD: '20250702080000',
};
const settlement: Omit<SettlementMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'SETTLEMENT',
  MaDoiTac: 'CONGDVC',
  NgayDoiSoat: '20250701',
  ThoiGianGD: '20250702010000',
};
const receipt: Omit<ReceiptMessage, 'MaXacThuc'> = {
  LoaiBanTin: 'RECEIPT',
  PhienBan: '1.0.6',
  MaDoiTac: 'DEMO-HN',
  MaThamChieu: 'HS-0001',
  ThoiGianGD: '20250701100000',
};

describe('checksum (MaXacThuc)', () => {
  it('is the lowercase hex SHA-256 of the fields and the secret joined with |', () => {
    expect(checksum(['QUERY', '1.0.6', 'DEMO-HN', 'HS-0001', '20250701100000'], 's3cret')).toBe(
      sha('QUERY|1.0.6|DEMO-HN|HS-0001|20250701100000|s3cret'),
    );
    expect(checksum([], 'k')).toBe(sha('k'));
    expect(checksum(['a'], 'k')).toMatch(/^[0-9a-f]{64}$/);
  });

  // Each message: the literal string the contract lists, hashed independently.
  const cases = [
    {
      name: 'INIT',
      sum: () => initChecksum(init, SECRET),
      literal:
        'INIT|1.0.6|CONGDVC|DVC7K3M9Q2X4PZ|180000|PAY|1|1|vi-VN|VND|SIMBANK|THANH TOAN HO SO H12.34-250101-0001|20250701093000|203.0.113.7',
    },
    {
      name: 'CONFIRM',
      sum: () => confirmChecksum(confirm, SECRET),
      literal:
        'CONFIRM|00|CONGDVC|DVC7K3M9Q2X4PZ|180000|VND|SB000123|SIMBANK|20250701093512|THANH TOAN HO SO H12.34-250101-0001',
    },
    {
      name: 'CONFIRM answer',
      sum: () => confirmAnswerChecksum(confirmAnswer, SECRET),
      literal: '00|CONGDVC|DVC7K3M9Q2X4PZ|20250701093513',
    },
    {
      name: 'QUERY',
      sum: () => queryChecksum(query, SECRET),
      literal: 'QUERY|1.0.6|CONGDVC|DVC7K3M9Q2X4PZ|20250701100000',
    },
    {
      name: 'QUERY answer',
      sum: () => queryAnswerChecksum(queryAnswer, SECRET),
      literal: 'QUERY|CONGDVC|DVC7K3M9Q2X4PZ|00|180000|SB000123|20250701093512',
    },
    {
      name: 'TRANSFER',
      sum: () => transferChecksum(transfer, SECRET),
      literal: 'TRANSFER|CONGDVC|0011012345678|180000|DVC7K3M9Q2X4PZ chuyen tien|FT2518200001|20250701094500',
    },
    {
      name: 'REFUND',
      sum: () => refundChecksum(refund, SECRET),
      literal: 'REFUND|1.0.6|CONGDVC|DVC7K3M9Q2X4PZ|SB000123|RF0001|50000|20250702080000',
    },
    {
      name: 'SETTLEMENT',
      sum: () => settlementChecksum(settlement, SECRET),
      literal: 'SETTLEMENT|CONGDVC|20250701|20250702010000',
    },
    {
      name: 'RECEIPT',
      sum: () => receiptChecksum(receipt, SECRET),
      literal: 'RECEIPT|1.0.6|DEMO-HN|HS-0001|20250701100000',
    },
  ];
  for (const c of cases)
    it(`${c.name}: the contract's fields in the contract's order`, () => {
      expect(c.sum()).toBe(sha(`${c.literal}|${SECRET}`));
    });

  it('leaves UrlTraVe and ThongTinBienLai out of the INIT checksum', () => {
    const withReceipt = {
      ...init,
      UrlTraVe: 'https://elsewhere.example',
      ThongTinBienLai: { MaDichVu: '2' },
    };
    expect(initChecksum(withReceipt, SECRET)).toBe(initChecksum(init, SECRET));
  });
});

describe('verifiers', () => {
  // Each verifier with a signed message, and every one of its checksum fields changed in turn.
  interface Case {
    name: string;
    msg: { MaXacThuc: string } & object;
    verify: (m: unknown, secret: string) => boolean;
    unsigned: string[];
  }
  const entry = <T extends { MaXacThuc: string }>(
    name: string,
    msg: T,
    verify: (m: T, secret: string) => boolean,
    unsigned: string[] = [],
  ): Case => ({ name, msg, verify: (m, secret) => verify(m as T, secret), unsigned });
  const verifiers: Case[] = [
    entry('INIT', sign<InitMessage>(init, SECRET, initChecksum), verifyInit),
    entry('CONFIRM', sign<ConfirmMessage>(confirm, SECRET, confirmChecksum), verifyConfirm),
    entry(
      'CONFIRM answer',
      sign<ConfirmAnswer>(confirmAnswer, SECRET, confirmAnswerChecksum),
      verifyConfirmAnswer,
      ['MoTaLoi'],
    ),
    entry('QUERY', sign<QueryMessage>(query, SECRET, queryChecksum), verifyQuery),
    entry('QUERY answer', sign<QueryAnswer>(queryAnswer, SECRET, queryAnswerChecksum), verifyQueryAnswer, [
      'error_code',
    ]),
    entry('TRANSFER', sign<TransferMessage>(transfer, SECRET, transferChecksum), verifyTransfer),
    entry('REFUND', sign<RefundMessage>(refund, SECRET, refundChecksum), verifyRefund),
    entry('SETTLEMENT', sign<SettlementMessage>(settlement, SECRET, settlementChecksum), verifySettlement),
    entry('RECEIPT', sign<ReceiptMessage>(receipt, SECRET, receiptChecksum), verifyReceipt),
  ];

  for (const v of verifiers) {
    const verify = v.verify;
    it(`${v.name}: accepts the signed message, refuses another secret or any changed field`, () => {
      expect(verify(v.msg, SECRET)).toBe(true);
      expect(verify({ ...v.msg, MaXacThuc: v.msg.MaXacThuc.toUpperCase() }, SECRET)).toBe(true);
      expect(verify(v.msg, `${SECRET}x`)).toBe(false);
      expect(verify({ ...v.msg, MaXacThuc: '' }, SECRET)).toBe(false);
      expect(verify({ ...v.msg, MaXacThuc: `${v.msg.MaXacThuc}0` }, SECRET)).toBe(false);
      for (const [field, value] of Object.entries(v.msg)) {
        if (field === 'MaXacThuc' || field === 'UrlTraVe' || typeof value !== 'string') continue;
        if (v.unsigned.includes(field)) continue;
        expect(verify({ ...v.msg, [field]: `${value}1` }, SECRET), `${v.name}.${field}`).toBe(false);
      }
    });
  }
});

describe('Vietnam time', () => {
  it('writes yyyyMMddHHmmss at UTC+7', () => {
    expect(vnTimestamp(new Date('2025-07-01T02:30:05Z'))).toBe('20250701093005');
    // 17:00 UTC on 31 December is already the new year in Hà Nội.
    expect(vnTimestamp(new Date('2025-12-31T17:00:00Z'))).toBe('20260101000000');
    expect(vnTimestamp(new Date('2025-12-31T16:59:59Z'))).toBe('20251231235959');
    expect(() => vnTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('reads it back strictly', () => {
    expect(parseVnTimestamp('20260101000000')?.toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(parseVnTimestamp('20240229120000')?.toISOString()).toBe('2024-02-29T05:00:00.000Z');
    for (const bad of [
      '20250229120000', // not a leap year
      '20250431120000',
      '20251301000000',
      '20250001000000',
      '20250100000000',
      '20250101240000',
      '20250101006000',
      '20250101000060',
      '2025010100000',
      '202501010000000',
      '2025-01-01T00:',
      ' 20250101000000',
      '00500101000000', // year 50 is not 1950
    ])
      expect(parseVnTimestamp(bad), bad).toBeUndefined();
  });

  it('round-trips any second', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(9000, 0, 1) / 1000 }), (s) => {
        const d = new Date(s * 1000);
        const text = vnTimestamp(d);
        expect(text).toMatch(/^\d{14}$/);
        expect(parseVnTimestamp(text)?.getTime()).toBe(d.getTime());
      }),
      { seed: 17 },
    );
  });
});
