/**
 * VietQR: the NAPAS EMVCo merchant-presented QR payload (payments.md). A string of tag-length-value fields
 * (tag 2 digits, length 2 digits, value), with nested TLV in 38 (merchant account) and 62 (additional data),
 * closed by 63 = CRC-16/CCITT-FALSE over everything before it including `6304`.
 *
 *   00 = 01                 payload format
 *   01 = 11 | 12            static (reusable) | dynamic (one time, with an amount)
 *   38 = 00 A000000727      NAPAS
 *        01 {00 BIN, 01 account or card number}
 *        02 QRIBFTTA | QRIBFTTC   transfer to an account | to a card
 *   53 = 704 (VND), 54 = amount (digits), 58 = VN, 59 = name, 60 = city
 *   62 = 01 bill number, 08 purpose (the transfer content)
 *   63 = CRC, 4 uppercase hex digits
 *
 * Text in the payload (purpose, bill, name, city) is ASCII: lengths count characters and banks' apps show
 * and forward the content as ASCII. Choice: `build` normalises Vietnamese text (NFD, combining marks
 * removed, đ → d, Đ → D: "Thanh toán hồ sơ" → "Thanh toan ho so") and refuses what is still not printable
 * ASCII afterwards, and refuses a value longer than the EMVCo maximum (25 for 59 and the 62 sub-fields, 15
 * for 60) rather than cut it silently: a cut purpose could lose the payment reference. `parseVietQr` is
 * liberal about lengths (whatever the TLV says) but refuses any non-ASCII character and any structural
 * fault, so a wrong inner length with a right CRC is caught (the "widely copied" sample ending 6304F4E5
 * claims 12 characters for a 13-digit account).
 */
import { ValidationError } from '../../../platform/errors/index.ts';

export const NAPAS_GUID = 'A000000727';
export const SERVICE_TO_ACCOUNT = 'QRIBFTTA';
export const SERVICE_TO_CARD = 'QRIBFTTC';
/** EMVCo maximum lengths of the free-text fields. */
export const MAX_PURPOSE = 25;
export const MAX_BILL = 25;
export const MAX_NAME = 25;
export const MAX_CITY = 15;
/** 54: at most 13 characters. */
const MAX_AMOUNT_DIGITS = 13;

export interface VietQrInput {
  /** true: 12, one time, with the amount; false: 11, reusable. */
  dynamic: boolean;
  to: 'account' | 'card';
  /** The bank's 6-digit BIN (NAPAS acquirer id). */
  bin: string;
  /** Account number (to account) or card number (to card). */
  account: string;
  /** Integer đồng; required when dynamic. */
  amount?: number | undefined;
  /** 62/08, the transfer content (the payment reference). */
  purpose?: string | undefined;
  /** 62/01. */
  bill?: string | undefined;
  /** 59. */
  name?: string | undefined;
  /** 60. */
  city?: string | undefined;
}

/** A parsed payload: the input it was built from (text as it stands in the payload) and its CRC. */
export interface VietQr {
  dynamic: boolean;
  to: 'account' | 'card';
  bin: string;
  account: string;
  amount?: number;
  purpose?: string;
  bill?: string;
  name?: string;
  city?: string;
  crc: string;
}

export type VietQrProblemCode = 'crc' | 'length' | 'missing' | 'duplicate' | 'value' | 'amount' | 'charset';

export interface VietQrProblem {
  code: VietQrProblemCode;
  /** The tag path, e.g. `38/01/01`; empty for the whole payload. */
  tag: string;
  /** Vietnamese, then English. */
  message: string;
}

export type VietQrParse = { ok: true; qr: VietQr } | { ok: false; problems: VietQrProblem[] };

// ---------------------------------------------------------------------------------------------------------
// CRC

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) of the UTF-8 bytes, 4 uppercase hex. */
export function crc16ccittFalse(s: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(s, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

// ---------------------------------------------------------------------------------------------------------
// Text

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Vietnamese text as ASCII: diacritics removed (NFD, combining marks dropped), đ → d, Đ → D, spaces
 * collapsed and trimmed. Other non-ASCII characters are left for the caller to refuse.
 */
export function asciiText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// Build

const tlv = (tag: string, value: string) => {
  if (value.length > 99) throw new RangeError(`TLV ${tag} longer than 99`);
  return `${tag}${String(value.length).padStart(2, '0')}${value}`;
};

function textField(
  value: string | undefined,
  path: string,
  max: number,
  label: { vi: string; en: string },
  errors: Array<{ path: string; message: string }>,
): string | undefined {
  if (value === undefined) return undefined;
  const text = asciiText(value);
  if (text === '') return undefined;
  if (!PRINTABLE_ASCII.test(text))
    errors.push({
      path,
      message: `${label.vi} chỉ được dùng chữ cái Latinh, chữ số và dấu câu thông thường / ${label.en}: ASCII letters, digits and punctuation only`,
    });
  else if (text.length > max)
    errors.push({
      path,
      message: `${label.vi} dài quá ${max} ký tự / ${label.en}: at most ${max} characters`,
    });
  return text;
}

/** The VietQR payload string. Throws ValidationError (with field paths) for a bad input. */
export function buildVietQr(input: VietQrInput): string {
  const errors: Array<{ path: string; message: string }> = [];
  if (!/^\d{6}$/.test(input.bin))
    errors.push({ path: 'bin', message: 'Mã BIN ngân hàng phải gồm 6 chữ số / bank BIN: 6 digits' });
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.account))
    errors.push({
      path: 'account',
      message:
        'Số tài khoản/số thẻ phải gồm 1–19 chữ cái hoặc chữ số / account or card number: 1–19 letters or digits',
    });
  if (input.amount !== undefined) {
    if (
      !Number.isSafeInteger(input.amount) ||
      input.amount < 1 ||
      String(input.amount).length > MAX_AMOUNT_DIGITS
    )
      errors.push({
        path: 'amount',
        message:
          'Số tiền phải là số đồng nguyên dương (tối đa 13 chữ số) / amount: a positive whole number of đồng, at most 13 digits',
      });
  } else if (input.dynamic)
    errors.push({ path: 'amount', message: 'Mã QR động cần số tiền / a dynamic QR needs an amount' });
  const purpose = textField(
    input.purpose,
    'purpose',
    MAX_PURPOSE,
    { vi: 'Nội dung chuyển khoản', en: 'purpose' },
    errors,
  );
  const bill = textField(input.bill, 'bill', MAX_BILL, { vi: 'Số hóa đơn', en: 'bill number' }, errors);
  const name = textField(input.name, 'name', MAX_NAME, { vi: 'Tên người nhận', en: 'name' }, errors);
  const city = textField(input.city, 'city', MAX_CITY, { vi: 'Thành phố', en: 'city' }, errors);
  if (errors.length > 0)
    throw new ValidationError(
      `Không tạo được mã VietQR: ${errors.map((e) => e.message).join('; ')} / cannot build the VietQR payload`,
      errors,
    );

  const merchant =
    tlv('00', NAPAS_GUID) +
    tlv('01', tlv('00', input.bin) + tlv('01', input.account)) +
    tlv('02', input.to === 'account' ? SERVICE_TO_ACCOUNT : SERVICE_TO_CARD);
  const additional =
    (bill === undefined ? '' : tlv('01', bill)) + (purpose === undefined ? '' : tlv('08', purpose));
  const body =
    tlv('00', '01') +
    tlv('01', input.dynamic ? '12' : '11') +
    tlv('38', merchant) +
    tlv('53', '704') +
    (input.amount === undefined ? '' : tlv('54', String(input.amount))) +
    tlv('58', 'VN') +
    (name === undefined ? '' : tlv('59', name)) +
    (city === undefined ? '' : tlv('60', city)) +
    (additional === '' ? '' : tlv('62', additional)) +
    '6304';
  return body + crc16ccittFalse(body);
}

// ---------------------------------------------------------------------------------------------------------
// Parse

const join = (parent: string, tag: string) => (parent === '' ? tag : `${parent}/${tag}`);

/** The fields of a TLV string, or undefined (with a problem) when a tag or a length is malformed. */
function readTlv(s: string, parent: string, problems: VietQrProblem[]): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let i = 0;
  while (i < s.length) {
    const head = s.slice(i, i + 4);
    if (!/^\d{4}$/.test(head)) {
      problems.push({
        code: 'length',
        tag: parent,
        message: `Trường ${parent || 'gốc'}: thẻ hoặc độ dài không đúng tại vị trí ${i} / ${parent || 'top level'}: malformed tag or length at ${i}`,
      });
      return undefined;
    }
    const tag = head.slice(0, 2);
    const length = Number(head.slice(2));
    const value = s.slice(i + 4, i + 4 + length);
    if (value.length !== length) {
      problems.push({
        code: 'length',
        tag: join(parent, tag),
        message: `Trường ${join(parent, tag)} khai báo ${length} ký tự nhưng chỉ còn ${value.length} / ${join(parent, tag)} claims ${length} characters, ${value.length} left`,
      });
      return undefined;
    }
    if (fields.has(tag)) {
      problems.push({
        code: 'duplicate',
        tag: join(parent, tag),
        message: `Trường ${join(parent, tag)} lặp lại / ${join(parent, tag)} repeated`,
      });
      return undefined;
    }
    fields.set(tag, value);
    i += 4 + length;
  }
  return fields;
}

function required(
  fields: Map<string, string>,
  path: string,
  tag: string,
  problems: VietQrProblem[],
): string | undefined {
  const v = fields.get(tag);
  if (v === undefined)
    problems.push({
      code: 'missing',
      tag: join(path, tag),
      message: `Thiếu trường ${join(path, tag)} / ${join(path, tag)} missing`,
    });
  return v;
}

function expectValue(
  value: string | undefined,
  tag: string,
  allowed: readonly string[],
  problems: VietQrProblem[],
): void {
  if (value !== undefined && !allowed.includes(value))
    problems.push({
      code: 'value',
      tag,
      message: `Trường ${tag} phải là ${allowed.join(' hoặc ')}, không phải "${value}" / ${tag} must be ${allowed.join(' or ')}, not "${value}"`,
    });
}

/** The structured content of a VietQR payload, or every problem found. */
export function parseVietQr(payload: string): VietQrParse {
  const problems: VietQrProblem[] = [];
  if (!PRINTABLE_ASCII.test(payload)) {
    problems.push({
      code: 'charset',
      tag: '',
      message: 'Mã chứa ký tự ngoài ASCII / payload has non-ASCII characters',
    });
    return { ok: false, problems };
  }
  const crcMatch = /6304([0-9A-Fa-f]{4})$/.exec(payload);
  if (!crcMatch) {
    problems.push({
      code: 'missing',
      tag: '63',
      message: 'Thiếu mã kiểm tra CRC ở cuối (6304XXXX) / CRC (6304XXXX) missing at the end',
    });
    return { ok: false, problems };
  }
  const crc = crcMatch[1]!.toUpperCase();
  const expected = crc16ccittFalse(payload.slice(0, -4));
  if (crc !== expected) {
    problems.push({
      code: 'crc',
      tag: '63',
      message: `CRC sai: ${crc}, đúng là ${expected} / bad CRC: ${crc}, expected ${expected}`,
    });
    return { ok: false, problems };
  }
  const top = readTlv(payload, '', problems);
  if (!top) return { ok: false, problems };
  if ([...top.keys()].at(-1) !== '63')
    problems.push({
      code: 'value',
      tag: '63',
      message: 'Trường 63 (CRC) phải ở cuối / 63 (CRC) must be last',
    });

  expectValue(required(top, '', '00', problems), '00', ['01'], problems);
  const method = required(top, '', '01', problems);
  expectValue(method, '01', ['11', '12'], problems);
  expectValue(required(top, '', '53', problems), '53', ['704'], problems);
  expectValue(required(top, '', '58', problems), '58', ['VN'], problems);

  let bin: string | undefined;
  let account: string | undefined;
  let service: string | undefined;
  const merchantRaw = required(top, '', '38', problems);
  if (merchantRaw !== undefined) {
    const merchant = readTlv(merchantRaw, '38', problems);
    if (merchant) {
      expectValue(required(merchant, '38', '00', problems), '38/00', [NAPAS_GUID], problems);
      service = required(merchant, '38', '02', problems);
      expectValue(service, '38/02', [SERVICE_TO_ACCOUNT, SERVICE_TO_CARD], problems);
      const beneficiaryRaw = required(merchant, '38', '01', problems);
      if (beneficiaryRaw !== undefined) {
        const beneficiary = readTlv(beneficiaryRaw, '38/01', problems);
        if (beneficiary) {
          bin = required(beneficiary, '38/01', '00', problems);
          account = required(beneficiary, '38/01', '01', problems);
          if (bin !== undefined && !/^\d{6}$/.test(bin))
            problems.push({
              code: 'value',
              tag: '38/01/00',
              message: `BIN phải gồm 6 chữ số, không phải "${bin}" / BIN must be 6 digits`,
            });
          if (account === '')
            problems.push({
              code: 'value',
              tag: '38/01/01',
              message: 'Số tài khoản trống / empty account number',
            });
        }
      }
    }
  }

  let amount: number | undefined;
  const amountRaw = top.get('54');
  if (amountRaw !== undefined) {
    if (/^[1-9]\d*$/.test(amountRaw) && amountRaw.length <= MAX_AMOUNT_DIGITS) amount = Number(amountRaw);
    else
      problems.push({
        code: 'amount',
        tag: '54',
        message: `Số tiền "${amountRaw}" phải là số đồng nguyên dương, chỉ gồm chữ số / amount "${amountRaw}" must be a positive whole number of đồng, digits only`,
      });
  }

  let purpose: string | undefined;
  let bill: string | undefined;
  const additionalRaw = top.get('62');
  if (additionalRaw !== undefined) {
    const additional = readTlv(additionalRaw, '62', problems);
    if (additional) {
      purpose = additional.get('08');
      bill = additional.get('01');
    }
  }

  if (problems.length > 0 || bin === undefined || account === undefined) return { ok: false, problems };
  const qr: VietQr = {
    dynamic: method === '12',
    to: service === SERVICE_TO_CARD ? 'card' : 'account',
    bin,
    account,
    crc,
  };
  if (amount !== undefined) qr.amount = amount;
  if (purpose !== undefined) qr.purpose = purpose;
  if (bill !== undefined) qr.bill = bill;
  const name = top.get('59');
  const city = top.get('60');
  if (name !== undefined) qr.name = name;
  if (city !== undefined) qr.city = city;
  return { ok: true, qr };
}
