/**
 * Contact details of an account: Vietnamese mobile numbers in E.164 and e-mail addresses, normalised so
 * that one person's number or address has one spelling, and masked for "we sent a code to …".
 * Pure: no I/O (IDN domains are converted with node:url's WHATWG/UTS #46 functions, which are pure).
 */
import { domainToASCII, domainToUnicode } from 'node:url';

export type PhoneErrorCode = 'empty' | 'format' | 'not-mobile' | 'foreign';
export type EmailErrorCode = 'empty' | 'format' | 'too-long';

export type ContactResult<C extends string> =
  | { ok: true; value: string }
  | { ok: false; code: C; message: string; messageEn: string };

const PHONE_MESSAGES: Record<PhoneErrorCode, { vi: string; en: string }> = {
  empty: { vi: 'Vui lòng nhập số điện thoại di động.', en: 'Please enter a mobile phone number.' },
  format: {
    vi: 'Số điện thoại di động không hợp lệ. Nhập 10 chữ số bắt đầu bằng 0, ví dụ 0912 345 678.',
    en: 'Invalid mobile number. Enter 10 digits starting with 0, e.g. 0912 345 678.',
  },
  'not-mobile': {
    vi: 'Đây không phải số điện thoại di động Việt Nam (đầu số 03, 05, 07, 08 hoặc 09).',
    en: 'This is not a Vietnamese mobile number (prefixes 03, 05, 07, 08 or 09).',
  },
  foreign: {
    vi: 'Chỉ nhận số điện thoại di động Việt Nam (+84).',
    en: 'Only Vietnamese mobile numbers (+84) are accepted.',
  },
};

const EMAIL_MESSAGES: Record<EmailErrorCode, { vi: string; en: string }> = {
  empty: { vi: 'Vui lòng nhập địa chỉ thư điện tử.', en: 'Please enter an e-mail address.' },
  format: {
    vi: 'Địa chỉ thư điện tử không hợp lệ. Ví dụ: nguyenvanan@example.vn (phần trước @ viết không dấu).',
    en: 'Invalid e-mail address. Example: nguyenvanan@example.vn (no diacritics before the @).',
  },
  'too-long': {
    vi: 'Địa chỉ thư điện tử quá dài (tối đa 254 ký tự, phần trước @ tối đa 64 ký tự).',
    en: 'The e-mail address is too long (at most 254 characters, 64 before the @).',
  },
};

function fail<C extends string>(messages: Record<C, { vi: string; en: string }>, code: C): ContactResult<C> {
  return { ok: false, code, message: messages[code].vi, messageEn: messages[code].en };
}

/** Separators people type inside phone numbers. */
const PHONE_SEPARATORS = /[\s.\-()/\u2010-\u2015]/g;
/**
 * Mobile prefixes since the 2018 renumbering (the 11-digit 01x numbers moved to 03x, 05x, 07x, 08x; 09x
 * unchanged): after the trunk 0, a first digit of 3, 5, 7, 8 or 9 and 8 more digits. Landlines use 02x
 * (10 digits after the 0). Which second digits are allocated to an operator is not checked.
 */
const MOBILE_NSN = /^[35789]\d{8}$/;

/**
 * Normalises a Vietnamese mobile number to E.164 (`+84912345678`). Accepts `0912 345 678`,
 * `+84 912 345 678`, `84912345678`, `0084…`, `+84 (0) 912…`, dots, dashes, spaces and parentheses.
 */
export function normalizePhone(input: string): ContactResult<PhoneErrorCode> {
  const s = input.normalize('NFKC').replace(PHONE_SEPARATORS, '');
  if (s === '') return fail(PHONE_MESSAGES, 'empty');
  if (!/^\+?\d+$/.test(s)) return fail(PHONE_MESSAGES, 'format');
  let nsn: string;
  if (s.startsWith('+') || s.startsWith('00')) {
    const intl = s.startsWith('+') ? s.slice(1) : s.slice(2);
    if (!intl.startsWith('84')) return fail(PHONE_MESSAGES, 'foreign');
    nsn = intl.slice(2);
  } else if (s.startsWith('84') && (s.length === 11 || s.length === 12)) {
    nsn = s.slice(2);
  } else if (s.startsWith('0')) {
    nsn = s.slice(1);
  } else {
    return fail(PHONE_MESSAGES, 'format');
  }
  if (nsn.length === 10 && nsn.startsWith('0')) nsn = nsn.slice(1); // +84 0912…: a trunk 0 kept by habit
  if (nsn.length === 10 && nsn.startsWith('2')) return fail(PHONE_MESSAGES, 'not-mobile'); // 02x landline
  if (nsn.length !== 9) return fail(PHONE_MESSAGES, 'format');
  if (!MOBILE_NSN.test(nsn)) return fail(PHONE_MESSAGES, 'not-mobile');
  return { ok: true, value: `+84${nsn}` };
}

function e164Nsn(e164: string): string {
  const r = normalizePhone(e164);
  if (!r.ok) throw new RangeError('expected a Vietnamese mobile number');
  return r.value.slice(3);
}

/** `+84912345678` → `0912 345 678`, the way it is written in Vietnam. */
export function formatPhoneNational(e164: string): string {
  const n = e164Nsn(e164);
  return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}

/**
 * `+84912345678` → `+84 91*****678`: the first two and last three digits of the national number, the
 * rest as a fixed run of five asterisks. Throws a RangeError if the number is not a valid mobile number.
 */
export function maskPhone(e164: string): string {
  const n = e164Nsn(e164);
  return `+84 ${n.slice(0, 2)}*****${n.slice(-3)}`;
}

/**
 * `+84911000001` → `091****001`: how the portal shows a number it took from a register, not from the
 * person (the national trunk 0, the first two digits, four asterisks, the last three). RangeError if not
 * a mobile number.
 */
export function maskPhoneNational(e164: string): string {
  const n = e164Nsn(e164);
  return `0${n.slice(0, 2)}****${n.slice(-3)}`;
}

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Normalises an e-mail address: trims, NFC, lower-cases (the portal treats addresses as
 * case-insensitive), and checks an RFC 5322 subset — a dot-atom local part in ASCII (no quoted strings,
 * no comments), a domain of at least two DNS labels with an alphabetic or IDN top-level label (no IP
 * literals). Internationalised domain names are accepted and kept in Unicode (`ví-dụ.vn`); lengths are
 * counted on the ASCII form: at most 64 before the @ and 254 in all.
 */
export function normalizeEmail(input: string): ContactResult<EmailErrorCode> {
  const s = input.trim().normalize('NFC').toLowerCase();
  if (s === '') return fail(EMAIL_MESSAGES, 'empty');
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return fail(EMAIL_MESSAGES, 'format');
  const local = s.slice(0, at);
  const domainInput = s.slice(at + 1);
  if (!LOCAL_PART.test(local)) return fail(EMAIL_MESSAGES, 'format');
  // Only the characters a domain may contain reach the UTS #46 mapping (which would otherwise fold
  // full stops, remove soft hyphens and the like silently).
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(domainInput)) return fail(EMAIL_MESSAGES, 'format');
  // IDNA2008 forbids a hyphen at either end of a label, in Unicode as in ASCII (WHATWG's domainToASCII
  // does not check it).
  if (domainInput.split('.').some((l) => l.startsWith('-') || l.endsWith('-')))
    return fail(EMAIL_MESSAGES, 'format');
  const ascii = domainToASCII(domainInput);
  if (ascii === '') return fail(EMAIL_MESSAGES, 'format');
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l)) || !TLD.test(labels.at(-1)!))
    return fail(EMAIL_MESSAGES, 'format');
  if (local.length > 64 || local.length + 1 + ascii.length > 254) return fail(EMAIL_MESSAGES, 'too-long');
  const domain = domainToUnicode(ascii).normalize('NFC');
  return { ok: true, value: `${local}@${domain}` };
}

/**
 * `nguyen@example.vn` → `n***@example.vn`: the first character of the local part and a fixed run of
 * three asterisks (the length is not shown); the domain in full. Throws a RangeError without an @.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) throw new RangeError('expected an e-mail address');
  const first = String.fromCodePoint(email.codePointAt(0)!);
  return `${first}***${email.slice(at)}`;
}
