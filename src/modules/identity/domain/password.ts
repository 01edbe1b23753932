/**
 * Password policy and hashing, after NIST SP 800-63B and OWASP: a length range (counted in code points
 * after NFC), a blocklist of common passwords, no identifiers of the account; no composition rules.
 * Hashing with argon2id at OWASP's minimum parameters. Passwords are NFC-normalised before checking and
 * hashing, so one written with a decomposing Vietnamese input method still matches.
 */
import type { Algorithm } from '@node-rs/argon2';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** Identifiers shorter than this are not looked for in a password. */
export const IDENTIFIER_MIN_LENGTH = 4;

export type PasswordErrorCode = 'too-short' | 'too-long' | 'common' | 'contains-identifier';

export type PasswordCheck =
  | { ok: true }
  | { ok: false; code: PasswordErrorCode; message: string; messageEn: string };

const MESSAGES: Record<PasswordErrorCode, { vi: string; en: string }> = {
  'too-short': {
    vi: `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự. Một cụm từ dễ nhớ là lựa chọn tốt.`,
    en: `The password must have at least ${PASSWORD_MIN_LENGTH} characters. A memorable phrase works well.`,
  },
  'too-long': {
    vi: `Mật khẩu không được dài quá ${PASSWORD_MAX_LENGTH} ký tự.`,
    en: `The password must not be longer than ${PASSWORD_MAX_LENGTH} characters.`,
  },
  common: {
    vi: 'Mật khẩu này quá phổ biến và dễ bị đoán. Vui lòng chọn mật khẩu khác.',
    en: 'This password is too common and easy to guess. Please choose another.',
  },
  'contains-identifier': {
    vi: 'Mật khẩu không được chứa số định danh cá nhân, số điện thoại hoặc tên trong địa chỉ thư điện tử của bạn.',
    en: 'The password must not contain your personal identification number, phone number or e-mail name.',
  },
};

function fail(code: PasswordErrorCode): PasswordCheck {
  return { ok: false, code, message: MESSAGES[code].vi, messageEn: MESSAGES[code].en };
}

const fold = (s: string) => s.normalize('NFC').toLowerCase();
const codePoints = (s: string) => [...s].length;

let common: ReadonlySet<string> | undefined;

/** Whether the password is in the common-password list (≈49k entries of zxcvbn), case-insensitively. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map(fold));
  return common.has(fold(password));
}

/**
 * Checks a new password. `identifiers` are the account's own identifiers (personal identification
 * number, phone digits, e-mail local part — see `passwordIdentifiers`); those of at least 4 characters
 * must not appear in the password, compared case-insensitively.
 */
export function checkPassword(password: string, context: { identifiers: string[] }): PasswordCheck {
  const pw = password.normalize('NFC');
  const length = codePoints(pw);
  if (length < PASSWORD_MIN_LENGTH) return fail('too-short');
  if (length > PASSWORD_MAX_LENGTH) return fail('too-long');
  if (isCommonPassword(pw)) return fail('common');
  const folded = fold(pw);
  for (const raw of context.identifiers) {
    const id = fold(raw.trim());
    if (codePoints(id) >= IDENTIFIER_MIN_LENGTH && folded.includes(id)) return fail('contains-identifier');
  }
  return { ok: true };
}

/**
 * The identifiers `checkPassword` should look for, from what the account holds: the 12-digit number,
 * the phone's national (`0912345678`) and subscriber (`912345678`) digits, the e-mail local part.
 */
export function passwordIdentifiers(account: {
  personalId?: string | null | undefined;
  taxCode?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
}): string[] {
  const out: string[] = [];
  if (account.personalId) out.push(account.personalId.replace(/\s+/g, ''));
  if (account.taxCode) out.push(account.taxCode.replace(/\s+/g, ''));
  if (account.phone) {
    const digits = account.phone.replace(/\D/g, '');
    const nsn = digits.startsWith('84') && digits.length === 11 ? digits.slice(2) : digits.replace(/^0/, '');
    if (nsn) out.push(`0${nsn}`, nsn);
  }
  if (account.email) {
    const at = account.email.lastIndexOf('@');
    out.push(at >= 0 ? account.email.slice(0, at) : account.email);
  }
  return out.filter((s) => codePoints(s) >= IDENTIFIER_MIN_LENGTH);
}

/** `Algorithm.Argon2id`: the package declares a const enum that is empty at run time. */
const ARGON2ID = 2 as Algorithm;

/** argon2id, 19 MiB, 2 passes, 1 lane: OWASP Password Storage Cheat Sheet's minimum. */
export const PASSWORD_HASH_PARAMS = {
  algorithm: 'argon2id',
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

const hashOptions = {
  algorithm: ARGON2ID,
  memoryCost: PASSWORD_HASH_PARAMS.memoryCost,
  timeCost: PASSWORD_HASH_PARAMS.timeCost,
  parallelism: PASSWORD_HASH_PARAMS.parallelism,
  outputLen: PASSWORD_HASH_PARAMS.outputLen,
};

/** PHC string `$argon2id$v=19$m=19456,t=2,p=1$…` with a random 16-byte salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), hashOptions);
}

/** Whether the password matches; false (not an exception) for a string that is not an argon2 hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than PASSWORD_HASH_PARAMS (or is not argon2 at all). */
export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.algorithm !== ARGON2ID ||
      o.version !== 1 /* 0x13 */ ||
      o.memoryCost !== hashOptions.memoryCost ||
      o.timeCost !== hashOptions.timeCost ||
      o.parallelism !== hashOptions.parallelism ||
      o.outputLen !== hashOptions.outputLen
    );
  } catch {
    return true;
  }
}
