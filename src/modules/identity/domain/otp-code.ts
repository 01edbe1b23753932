/**
 * One-time codes sent by SMS or e-mail: 6 random digits, stored only as HMAC-SHA-256(pepper, code) so a
 * leaked table does not give the codes away (the pepper lives elsewhere — platform/security/secrets),
 * compared in constant time.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const OTP_CODE_DIGITS = 6;
/** The pepper must carry at least 128 bits. */
export const OTP_PEPPER_MIN_BYTES = 16;

const SIX_DIGITS = /^\d{6}$/;

/** 6 digits, uniformly from 000000 to 999999 (`crypto.randomInt`, a CSPRNG without modulo bias). */
export function newOtpCode(): string {
  return String(randomInt(0, 10 ** OTP_CODE_DIGITS)).padStart(OTP_CODE_DIGITS, '0');
}

function keyOf(pepper: string | Uint8Array): Buffer {
  const key = typeof pepper === 'string' ? Buffer.from(pepper, 'utf8') : Buffer.from(pepper);
  if (key.length < OTP_PEPPER_MIN_BYTES)
    throw new RangeError(`the pepper must have at least ${OTP_PEPPER_MIN_BYTES} bytes`);
  return key;
}

/** HMAC-SHA-256 of the code under the pepper, lower-case hex (64 characters). Throws unless 6 digits. */
export function hashOtpCode(code: string, pepper: string | Uint8Array): string {
  if (!SIX_DIGITS.test(code)) throw new RangeError('a one-time code has 6 digits');
  return createHmac('sha256', keyOf(pepper)).update(code, 'utf8').digest('hex');
}

/**
 * Whether `code` (as typed: spaces are ignored) is the one hashed in `hash`. The comparison of the
 * HMACs takes constant time; a code that is not 6 digits or a malformed hash is simply false.
 */
export function otpCodeMatches(hash: string, code: string, pepper: string | Uint8Array): boolean {
  const typed = code.replace(/\s+/g, '');
  const key = keyOf(pepper);
  if (!SIX_DIGITS.test(typed) || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = createHmac('sha256', key).update(typed, 'utf8').digest();
  return timingSafeEqual(expected, actual);
}
