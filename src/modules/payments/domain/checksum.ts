/**
 * Protocol 1.0.6 `MaXacThuc` (payments.md; the contract, /work/notes/payments-contract.md): the lowercase hex
 * SHA-256 of the message's listed fields joined with `|`, with the partner's (or the intermediary's) secret
 * appended as the last field. One generic `checksum`, one field list per message, and a timing-safe
 * verifier per message. Every field is a string, exactly as it travels in the JSON (amounts as digits).
 *
 * A `|` inside a field value is not escaped by the protocol, so "a|b","c" and "a","b|c" hash alike: the
 * routes check each field's format (digits, the reference pattern…) before a message is trusted.
 *
 * Times are `yyyyMMddHHmmss` in Vietnam time (UTC+7, no daylight saving time): `vnTimestamp` and
 * `parseVnTimestamp`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const PROTOCOL_VERSION = '1.0.6';
/** The platform's partner code at every intermediary. */
export const PLATFORM_PARTNER_CODE = 'CONGDVC';

/** `sha256(fields.join('|') + '|' + secret)`, lowercase hex. */
export function checksum(fields: readonly string[], secret: string): string {
  return createHash('sha256')
    .update([...fields, secret].join('|'), 'utf8')
    .digest('hex');
}

/** Constant-time comparison of a received `MaXacThuc` with the expected one (hex case ignored). */
export function checksumMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  if (a.length !== b.length) {
    // Still spend a comparison, so the length is the only thing the timing tells.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

type Unsigned<T> = Omit<T, 'MaXacThuc'>;

// ---------------------------------------------------------------------------------------------------------
// Messages (field names exactly as in the contract; all strings)

/** One fee or charge of the receipt (`ThongTinBienLai.PhiLePhi`). */
export interface ReceiptFeeLine {
  LoaiPhiLePhi: string;
  MaPhiLePhi: string;
  TenPhiLePhi: string;
  SoTien: string;
}

/** Receipt data sent with INIT (`ThongTinBienLai`); not part of the checksum. */
export interface ReceiptInfo {
  /** "1" administrative fine, "2" dossier fee. */
  MaDichVu?: string;
  MaDonVi?: string;
  TenDonVi?: string;
  MaHoSo?: string;
  MaDVC?: string;
  TenDVC?: string;
  MaTTHC?: string;
  TenTTHC?: string;
  MaLoaiHinhThuPhat?: string;
  TenLoaiHinhThuPhat?: string;
  MaCoQuanQD?: string;
  TenCoQuanQD?: string;
  KhoBac?: string;
  NgayQD?: string;
  SoQD?: string;
  ThoiGianViPham?: string;
  DiaDiemViPham?: string;
  TenNguoiViPham?: string;
  TaiKhoanThuNSNN?: string;
  TKThuHuong?: string;
  MaNHThuHuong?: string;
  TenTKThuHuong?: string;
  HoTenNguoiNop?: string;
  SoCMNDNguoiNop?: string;
  DiaChiNguoiNop?: string;
  HuyenNguoiNop?: string;
  TinhNguoiNop?: string;
  NoiDungThanhToan?: string;
  PhiLePhi?: ReceiptFeeLine[];
  DSKhoanNop?: Array<{ NoiDung: string; SoTien: string }>;
}

/** INIT: create a payment (agency system → platform, platform → intermediary). */
export interface InitMessage {
  LoaiBanTin: string;
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  SoTien: string;
  LoaiHinhThanhToan: string;
  MaKenhThanhToan: string;
  MaThietBi: string;
  NgonNgu: string;
  MaTienTe: string;
  MaNganHang: string;
  ThongTinGiaoDich: string;
  ThoiGianGD: string;
  Ip: string;
  MaXacThuc: string;
  /** Where the payer's browser goes afterwards; not in the checksum, never the source of the result. */
  UrlTraVe?: string;
  ThongTinBienLai?: ReceiptInfo;
}

/** CONFIRM: the result of a payment (intermediary → platform, platform → agency system). */
export interface ConfirmMessage {
  LoaiBanTin: string;
  MaLoi: string;
  MaDoiTac: string;
  MaThamChieu: string;
  SoTien: string;
  MaTienTe: string;
  MaGiaoDich: string;
  MaNganHang: string;
  ThoiGianGD: string;
  ThongTinGiaoDich: string;
  MaXacThuc: string;
}

/** The receiver's answer to CONFIRM (and to TRANSFER). */
export interface ConfirmAnswer {
  MaLoi: string;
  MoTaLoi: string;
  MaDoiTac: string;
  MaThamChieu: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** QUERY: the state of one transaction. */
export interface QueryMessage {
  LoaiBanTin: string;
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** The intermediary's answer to QUERY. `TrangThaiGD`: 00 success, 01 pending, 02 failed, 03 cancelled, 04 not found. */
export interface QueryAnswer {
  error_code: string;
  LoaiBanTin: string;
  MaDoiTac: string;
  MaThamChieu: string;
  TrangThaiGD: string;
  SoTien: string;
  MaGiaoDich: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** TRANSFER: a VietQR transfer credited to the collection account (payer's bank → platform). */
export interface TransferMessage {
  LoaiBanTin: string;
  MaDoiTac: string;
  SoTaiKhoan: string;
  SoTien: string;
  NoiDung: string;
  MaGiaoDich: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** REFUND: whole or part of a payment (platform → intermediary); idempotent by `MaHoanTien`. */
export interface RefundMessage {
  LoaiBanTin: string;
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  MaGiaoDich: string;
  MaHoanTien: string;
  SoTienHoan: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** SETTLEMENT: the intermediary's settlement file of one Vietnam day (`NgayDoiSoat` yyyyMMdd). */
export interface SettlementMessage {
  LoaiBanTin: string;
  MaDoiTac: string;
  NgayDoiSoat: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

/** RECEIPT: the electronic receipt of a transaction; the same checksum shape as QUERY (payments.md). */
export interface ReceiptMessage {
  LoaiBanTin: string;
  PhienBan: string;
  MaDoiTac: string;
  MaThamChieu: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

// ---------------------------------------------------------------------------------------------------------
// The checksum fields of each message, in protocol order (the secret is appended by `checksum`)

export const initFields = (m: Unsigned<InitMessage>): string[] => [
  m.LoaiBanTin,
  m.PhienBan,
  m.MaDoiTac,
  m.MaThamChieu,
  m.SoTien,
  m.LoaiHinhThanhToan,
  m.MaKenhThanhToan,
  m.MaThietBi,
  m.NgonNgu,
  m.MaTienTe,
  m.MaNganHang,
  m.ThongTinGiaoDich,
  m.ThoiGianGD,
  m.Ip,
];

export const confirmFields = (m: Unsigned<ConfirmMessage>): string[] => [
  m.LoaiBanTin,
  m.MaLoi,
  m.MaDoiTac,
  m.MaThamChieu,
  m.SoTien,
  m.MaTienTe,
  m.MaGiaoDich,
  m.MaNganHang,
  m.ThoiGianGD,
  m.ThongTinGiaoDich,
];

export const confirmAnswerFields = (m: Unsigned<ConfirmAnswer>): string[] => [
  m.MaLoi,
  m.MaDoiTac,
  m.MaThamChieu,
  m.ThoiGianGD,
];

export const queryFields = (m: Unsigned<QueryMessage>): string[] => [
  m.LoaiBanTin,
  m.PhienBan,
  m.MaDoiTac,
  m.MaThamChieu,
  m.ThoiGianGD,
];

export const queryAnswerFields = (m: Unsigned<QueryAnswer>): string[] => [
  m.LoaiBanTin,
  m.MaDoiTac,
  m.MaThamChieu,
  m.TrangThaiGD,
  m.SoTien,
  m.MaGiaoDich,
  m.ThoiGianGD,
];

export const transferFields = (m: Unsigned<TransferMessage>): string[] => [
  m.LoaiBanTin,
  m.MaDoiTac,
  m.SoTaiKhoan,
  m.SoTien,
  m.NoiDung,
  m.MaGiaoDich,
  m.ThoiGianGD,
];

export const refundFields = (m: Unsigned<RefundMessage>): string[] => [
  m.LoaiBanTin,
  m.PhienBan,
  m.MaDoiTac,
  m.MaThamChieu,
  m.MaGiaoDich,
  m.MaHoanTien,
  m.SoTienHoan,
  m.ThoiGianGD,
];

export const settlementFields = (m: Unsigned<SettlementMessage>): string[] => [
  m.LoaiBanTin,
  m.MaDoiTac,
  m.NgayDoiSoat,
  m.ThoiGianGD,
];

export const receiptFields = (m: Unsigned<ReceiptMessage>): string[] => [
  m.LoaiBanTin,
  m.PhienBan,
  m.MaDoiTac,
  m.MaThamChieu,
  m.ThoiGianGD,
];

// ---------------------------------------------------------------------------------------------------------
// Builders (the MaXacThuc of a message) and verifiers (does the received MaXacThuc match?)

export const initChecksum = (m: Unsigned<InitMessage>, secret: string) => checksum(initFields(m), secret);
export const confirmChecksum = (m: Unsigned<ConfirmMessage>, secret: string) =>
  checksum(confirmFields(m), secret);
export const confirmAnswerChecksum = (m: Unsigned<ConfirmAnswer>, secret: string) =>
  checksum(confirmAnswerFields(m), secret);
export const queryChecksum = (m: Unsigned<QueryMessage>, secret: string) => checksum(queryFields(m), secret);
export const queryAnswerChecksum = (m: Unsigned<QueryAnswer>, secret: string) =>
  checksum(queryAnswerFields(m), secret);
export const transferChecksum = (m: Unsigned<TransferMessage>, secret: string) =>
  checksum(transferFields(m), secret);
export const refundChecksum = (m: Unsigned<RefundMessage>, secret: string) =>
  checksum(refundFields(m), secret);
export const settlementChecksum = (m: Unsigned<SettlementMessage>, secret: string) =>
  checksum(settlementFields(m), secret);
export const receiptChecksum = (m: Unsigned<ReceiptMessage>, secret: string) =>
  checksum(receiptFields(m), secret);

export const verifyInit = (m: InitMessage, secret: string) =>
  checksumMatches(initChecksum(m, secret), m.MaXacThuc);
export const verifyConfirm = (m: ConfirmMessage, secret: string) =>
  checksumMatches(confirmChecksum(m, secret), m.MaXacThuc);
export const verifyConfirmAnswer = (m: ConfirmAnswer, secret: string) =>
  checksumMatches(confirmAnswerChecksum(m, secret), m.MaXacThuc);
export const verifyQuery = (m: QueryMessage, secret: string) =>
  checksumMatches(queryChecksum(m, secret), m.MaXacThuc);
export const verifyQueryAnswer = (m: QueryAnswer, secret: string) =>
  checksumMatches(queryAnswerChecksum(m, secret), m.MaXacThuc);
export const verifyTransfer = (m: TransferMessage, secret: string) =>
  checksumMatches(transferChecksum(m, secret), m.MaXacThuc);
export const verifyRefund = (m: RefundMessage, secret: string) =>
  checksumMatches(refundChecksum(m, secret), m.MaXacThuc);
export const verifySettlement = (m: SettlementMessage, secret: string) =>
  checksumMatches(settlementChecksum(m, secret), m.MaXacThuc);
export const verifyReceipt = (m: ReceiptMessage, secret: string) =>
  checksumMatches(receiptChecksum(m, secret), m.MaXacThuc);

/** The message with its `MaXacThuc` filled in: `sign(msg, secret, initChecksum)`. */
export function sign<T extends { MaXacThuc: string }>(
  message: Unsigned<T>,
  secret: string,
  builder: (m: Unsigned<T>, secret: string) => string,
): T {
  return { ...message, MaXacThuc: builder(message, secret) } as T;
}

// ---------------------------------------------------------------------------------------------------------
// Vietnam time: UTC+7 all year (no daylight saving time)

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `yyyyMMddHHmmss` of the instant in Vietnam time. */
export function vnTimestamp(date: Date): string {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError('Thời điểm không hợp lệ / invalid date');
  const v = new Date(t + VN_OFFSET_MS);
  return (
    pad(v.getUTCFullYear(), 4) +
    pad(v.getUTCMonth() + 1) +
    pad(v.getUTCDate()) +
    pad(v.getUTCHours()) +
    pad(v.getUTCMinutes()) +
    pad(v.getUTCSeconds())
  );
}

/** The instant of a `yyyyMMddHHmmss` Vietnam time; undefined unless exactly 14 digits naming a real moment. */
export function parseVnTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  // Date.UTC rolls 31 April over to 1 May and maps years 0–99 to 1900–1999: refuse both.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return new Date(utc - VN_OFFSET_MS);
}
