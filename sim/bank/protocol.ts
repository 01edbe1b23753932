/**
 * The intermediary protocol's arithmetic, the bank's own copy (a simulator never imports the portal's code):
 * protocol 1.0.6 `MaXacThuc` (lowercase hex SHA-256 of the fields joined with `|`, the secret last), the
 * message builders the bank signs and checks, Vietnam times, and VietQR (EMVCo TLV, CRC-16/CCITT-FALSE).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function checksum(fields: readonly (string | number)[], secret: string): string {
  return createHash('sha256')
    .update([...fields.map(String), secret].join('|'), 'utf8')
    .digest('hex');
}

export function sameChecksum(given: unknown, want: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

type Msg = Record<string, unknown>;
const f = (m: Msg, k: string) => (m[k] === undefined || m[k] === null ? '' : String(m[k]));

export const INIT_FIELDS = [
  'LoaiBanTin',
  'PhienBan',
  'MaDoiTac',
  'MaThamChieu',
  'SoTien',
  'LoaiHinhThanhToan',
  'MaKenhThanhToan',
  'MaThietBi',
  'NgonNgu',
  'MaTienTe',
  'MaNganHang',
  'ThongTinGiaoDich',
  'ThoiGianGD',
  'Ip',
] as const;
export const CONFIRM_FIELDS = [
  'LoaiBanTin',
  'MaLoi',
  'MaDoiTac',
  'MaThamChieu',
  'SoTien',
  'MaTienTe',
  'MaGiaoDich',
  'MaNganHang',
  'ThoiGianGD',
  'ThongTinGiaoDich',
] as const;
export const CONFIRM_ANSWER_FIELDS = ['MaLoi', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'] as const;
export const QUERY_FIELDS = ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'] as const;
export const QUERY_ANSWER_FIELDS = [
  'LoaiBanTin',
  'MaDoiTac',
  'MaThamChieu',
  'TrangThaiGD',
  'SoTien',
  'MaGiaoDich',
  'ThoiGianGD',
] as const;
export const REFUND_FIELDS = [
  'LoaiBanTin',
  'PhienBan',
  'MaDoiTac',
  'MaThamChieu',
  'MaGiaoDich',
  'MaHoanTien',
  'SoTienHoan',
  'ThoiGianGD',
] as const;
export const SETTLEMENT_FIELDS = ['LoaiBanTin', 'MaDoiTac', 'NgayDoiSoat', 'ThoiGianGD'] as const;
export const TRANSFER_FIELDS = [
  'LoaiBanTin',
  'MaDoiTac',
  'SoTaiKhoan',
  'SoTien',
  'NoiDung',
  'MaGiaoDich',
  'ThoiGianGD',
] as const;

/** The checksum of a message over the named fields (missing fields count as empty). */
export function sign(m: Msg, fields: readonly string[], secret: string): string {
  return checksum(
    fields.map((k) => f(m, k)),
    secret,
  );
}

export function verify(m: Msg, fields: readonly string[], secret: string): boolean {
  return sameChecksum(m.MaXacThuc, sign(m, fields, secret));
}

const VIETNAM_OFFSET_MS = 7 * 3600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `yyyyMMddHHmmss` in Vietnam time (UTC+7, no daylight saving). */
export function vietnamTime(at: Date): string {
  const d = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** `yyyyMMdd`, the Vietnam day of a moment. */
export const vietnamDay = (at: Date) => vietnamTime(at).slice(0, 8);

/** Is this a real `yyyyMMddHHmmss` (or with `dayOnly`, `yyyyMMdd`)? */
export function isVietnamTime(s: unknown, dayOnly = false): s is string {
  if (typeof s !== 'string' || !(dayOnly ? /^\d{8}$/ : /^\d{14}$/).test(s)) return false;
  const [y, mo, d] = [Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8))];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return false;
  if (dayOnly) return true;
  return Number(s.slice(8, 10)) < 24 && Number(s.slice(10, 12)) < 60 && Number(s.slice(12, 14)) < 60;
}

const MAX_AMOUNT = 1_000_000_000_000;

/** A non-empty string of at most `max` characters. */
export const isText = (v: unknown, max = 255): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/** A whole number of đồng above 0 (and below a thousand billion). */
export const isAmount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= MAX_AMOUNT;

/** Amounts arrive as JSON numbers; a string of digits is taken too (some partners send them so). */
export const amountOf = (v: unknown): number | undefined => {
  if (typeof v === 'string' && /^[1-9]\d{0,12}$/.test(v)) return Number(v);
  return isAmount(v) ? v : undefined;
};

/** `180.000 đ` */
export function dong(amount: number): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đ`;
}

// ---------------------------------------------------------------------------------------------- VietQR

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), 4 uppercase hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface Tlv {
  tag: string;
  value: string;
}

/** Tag-length-value items; throws an Error naming the problem. */
export function parseTlv(text: string, where = 'payload'): Tlv[] {
  const items: Tlv[] = [];
  let i = 0;
  while (i < text.length) {
    const head = text.slice(i, i + 4);
    if (!/^\d{4}$/.test(head)) throw new Error(`${where}: malformed tag or length at position ${i}`);
    const tag = head.slice(0, 2);
    const length = Number(head.slice(2));
    const value = text.slice(i + 4, i + 4 + length);
    if (value.length !== length)
      throw new Error(`${where}: tag ${tag} says ${length} characters but only ${value.length} remain`);
    items.push({ tag, value });
    i += 4 + length;
  }
  return items;
}

const tlv = (tag: string, value: string) => `${tag}${pad(value.length)}${value}`;

export interface VietQr {
  dynamic: boolean;
  bin: string;
  account: string;
  /** QRIBFTTA (to an account) or QRIBFTTC (to a card). */
  service: string;
  amount?: number;
  purpose?: string;
  name?: string;
  city?: string;
}

/** A VietQR payload (for tests and demos): to an account, with or without amount and purpose. */
export function buildVietQr(q: {
  bin: string;
  account: string;
  amount?: number;
  purpose?: string;
  service?: string;
}): string {
  const merchant =
    tlv('00', 'A000000727') +
    tlv('01', tlv('00', q.bin) + tlv('01', q.account)) +
    tlv('02', q.service ?? 'QRIBFTTA');
  let s =
    tlv('00', '01') +
    tlv('01', q.amount !== undefined ? '12' : '11') +
    tlv('38', merchant) +
    tlv('53', '704');
  if (q.amount !== undefined) s += tlv('54', String(q.amount));
  s += tlv('58', 'VN');
  if (q.purpose !== undefined) s += tlv('62', tlv('08', q.purpose));
  s += '6304';
  return s + crc16(s);
}

/** Parses and checks a VietQR payload; throws an Error whose message names what is wrong. */
export function parseVietQr(payload: string): VietQr {
  const text = payload.trim();
  if (text.length === 0) throw new Error('payload: empty');
  const m = /6304([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) throw new Error('CRC: the payload does not end with tag 63 (6304 + 4 hex digits)');
  const want = crc16(text.slice(0, -4));
  if (m[1]!.toUpperCase() !== want) throw new Error(`CRC: ${m[1]} is wrong (the content gives ${want})`);
  const items = parseTlv(text);
  const top = new Map<string, string>();
  for (const it of items) {
    if (top.has(it.tag)) throw new Error(`payload: tag ${it.tag} appears twice`);
    top.set(it.tag, it.value);
  }
  if (top.get('00') !== '01') throw new Error('tag 00 (payload format) must be 01');
  const init = top.get('01');
  if (init !== '11' && init !== '12')
    throw new Error('tag 01 (initiation method) must be 11 (static) or 12 (dynamic)');
  const merchantText = top.get('38');
  if (merchantText === undefined) throw new Error('tag 38 (NAPAS merchant account) is missing');
  const merchant = new Map(parseTlv(merchantText, 'tag 38').map((t) => [t.tag, t.value]));
  if (merchant.get('00') !== 'A000000727') throw new Error('tag 38/00 must be A000000727 (NAPAS)');
  const beneficiaryText = merchant.get('01');
  if (beneficiaryText === undefined) throw new Error('tag 38/01 (beneficiary) is missing');
  const beneficiary = new Map(parseTlv(beneficiaryText, 'tag 38/01').map((t) => [t.tag, t.value]));
  const bin = beneficiary.get('00');
  const account = beneficiary.get('01');
  if (!bin || !/^\d{6}$/.test(bin)) throw new Error('tag 38/01/00 (bank BIN) must be 6 digits');
  if (!account) throw new Error('tag 38/01/01 (account or card number) is missing');
  const service = merchant.get('02') ?? '';
  if (service !== 'QRIBFTTA' && service !== 'QRIBFTTC')
    throw new Error('tag 38/02 (service) must be QRIBFTTA (account) or QRIBFTTC (card)');
  if (top.get('53') !== '704') throw new Error('tag 53 (currency) must be 704 (VND)');
  if (top.has('58') && top.get('58') !== 'VN') throw new Error('tag 58 (country) must be VN');
  const q: VietQr = { dynamic: init === '12', bin, account, service };
  const amountText = top.get('54');
  if (amountText !== undefined) {
    if (!/^[1-9]\d{0,12}$/.test(amountText))
      throw new Error('tag 54 (amount) must be a whole number of đồng greater than 0');
    q.amount = Number(amountText);
  }
  if (q.dynamic && q.amount === undefined) throw new Error('tag 54 (amount) is missing from a dynamic QR');
  const extra = top.get('62');
  if (extra !== undefined) {
    const sub = new Map(parseTlv(extra, 'tag 62').map((t) => [t.tag, t.value]));
    const purpose = sub.get('08');
    if (purpose !== undefined) q.purpose = purpose;
  }
  const name = top.get('59');
  if (name !== undefined) q.name = name;
  const city = top.get('60');
  if (city !== undefined) q.city = city;
  return q;
}
