/**
 * Tax code (mã số thuế). Three shapes are accepted in one field:
 *  - 10 digits `N1…N10` (an enterprise or organisation — or an individual registered before 1 July 2025):
 *    N10 is a check digit, c = 10 − (Σ wᵢ·Nᵢ mod 11) with weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on
 *    N1…N9, valid when c ≤ 9 and N10 = c; N3…N9 must not all be 0. No regulation publishes the
 *    algorithm: it is the one every validator uses.
 *  - `NNNNNNNNNN-NNN`: a branch or dependent unit, the parent's 10 digits and a suffix 001–999.
 *  - 12 digits: from 1 July 2025 (Circular 86/2024/TT-BTC) individuals and household businesses use their
 *    personal identification number, which has no check digit (see personal-id.ts).
 * Pure: no I/O.
 */
import { parsePersonalId } from './personal-id.ts';

export type TaxCodeKind = 'enterprise' | 'branch' | 'personal';

export type TaxCodeErrorCode = 'format' | 'check-digit' | 'zero-serial' | 'branch-suffix' | 'personal-id';

export interface TaxCodeInfo {
  ok: true;
  /** Canonical form: `0314409058`, `0314409058-002` or the 12 digits. */
  value: string;
  kind: TaxCodeKind;
  /** For a branch: the parent's 10-digit code. */
  parent?: string;
}

export interface TaxCodeError {
  ok: false;
  code: TaxCodeErrorCode;
  message: string;
  messageEn: string;
}

export type TaxCodeResult = TaxCodeInfo | TaxCodeError;

/** Weights of N1…N9 in the check digit. */
export const TAX_CODE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

const MESSAGES: Record<Exclude<TaxCodeErrorCode, 'personal-id'>, { vi: string; en: string }> = {
  format: {
    vi: 'Mã số thuế phải gồm 10 chữ số, 10 chữ số kèm mã đơn vị phụ thuộc dạng -NNN, hoặc 12 chữ số (số định danh cá nhân).',
    en: 'A tax code has 10 digits, 10 digits followed by -NNN for a dependent unit, or 12 digits (a personal identification number).',
  },
  'check-digit': {
    vi: 'Mã số thuế không đúng: chữ số kiểm tra (chữ số thứ 10) không khớp.',
    en: 'The tax code is wrong: the check digit (10th digit) does not match.',
  },
  'zero-serial': {
    vi: 'Mã số thuế không hợp lệ: các chữ số từ thứ 3 đến thứ 9 không thể đều bằng 0.',
    en: 'The tax code is invalid: digits 3 to 9 cannot all be 0.',
  },
  'branch-suffix': {
    vi: 'Mã đơn vị phụ thuộc (ba chữ số sau dấu gạch ngang) phải từ 001 đến 999.',
    en: 'The dependent-unit suffix (three digits after the hyphen) must be between 001 and 999.',
  },
};

function fail(code: Exclude<TaxCodeErrorCode, 'personal-id'>): TaxCodeError {
  return { ok: false, code, message: MESSAGES[code].vi, messageEn: MESSAGES[code].en };
}

/**
 * The check digit N10 for the first nine digits, or null when the computation gives 10 (no valid code
 * starts with these nine digits).
 */
export function taxCodeCheckDigit(first9: string): number | null {
  if (!/^\d{9}$/.test(first9)) throw new RangeError('taxCodeCheckDigit expects 9 digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += TAX_CODE_WEIGHTS[i]! * Number(first9[i]);
  const c = 10 - (sum % 11);
  return c <= 9 ? c : null;
}

function checkTen(ten: string): TaxCodeError | null {
  if (ten.slice(2, 9) === '0000000') return fail('zero-serial');
  if (taxCodeCheckDigit(ten.slice(0, 9)) !== Number(ten[9])) return fail('check-digit');
  return null;
}

/**
 * Parses a tax code as typed: spaces are removed and Unicode dashes read as `-`; anything else refused.
 * A 13-digit run without the hyphen is refused (write the branch as `NNNNNNNNNN-NNN`).
 */
export function parseTaxCode(input: string): TaxCodeResult {
  const s = input.replace(/\s+/g, '').replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-');
  let m = /^(\d{10})$/.exec(s);
  if (m) {
    const ten = m[1]!;
    return checkTen(ten) ?? { ok: true, value: ten, kind: 'enterprise' };
  }
  m = /^(\d{10})-(\d{3})$/.exec(s);
  if (m) {
    const [ten, suffix] = [m[1]!, m[2]!];
    const parentError = checkTen(ten);
    if (parentError) return parentError;
    if (suffix === '000') return fail('branch-suffix');
    return { ok: true, value: `${ten}-${suffix}`, kind: 'branch', parent: ten };
  }
  if (/^\d{12}$/.test(s)) {
    const id = parsePersonalId(s);
    if (!id.ok) return { ok: false, code: 'personal-id', message: id.message, messageEn: id.messageEn };
    return { ok: true, value: id.value, kind: 'personal' };
  }
  return fail('format');
}
