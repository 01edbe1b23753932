/**
 * Time-based one-time passwords (RFC 6238) for authenticator apps: HMAC-SHA-1, 6 digits, 30-second
 * steps — the parameters every app supports. A verified step is returned so the caller can store it and
 * refuse the same (or an earlier) step next time: a code works once.
 * Pure apart from the randomness of `newTotpSecret`.
 */
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

export const TOTP_ISSUER = 'Cổng DVC';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_SECRET_BYTES = 20;

/** A new random secret of 20 bytes (160 bits, RFC 4226's recommendation), base32 without padding. */
export function newTotpSecret(): string {
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

/**
 * The `otpauth://totp/…` URI to show as a QR code: `label` is the account as the app will list it
 * (e.g. a masked phone number or e-mail), the issuer defaults to "Cổng DVC". UTF-8, percent-encoded.
 */
export function totpUri(options: { issuer?: string; label: string; secret: string }): string {
  return new TOTP({
    issuer: (options.issuer ?? TOTP_ISSUER).normalize('NFC'),
    label: options.label.normalize('NFC'),
    secret: Secret.fromBase32(options.secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The 30-second step (RFC 6238's T) that a moment falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export type TotpVerification = { ok: true; step: number } | { ok: false };

/**
 * Checks a 6-digit code (spaces allowed, as apps show `123 456`) against the steps around `at` (default:
 * now): the current one and, with `window: 1` (the default), one step either side for clock drift.
 * A step ≤ `lastUsedStep` is refused (replay). On success, store the returned `step` as the new
 * `lastUsedStep`. Throws if `secret` is not base32.
 */
export function verifyTotp(
  secret: string,
  token: string,
  options: { at?: Date; window?: 0 | 1; lastUsedStep?: number } = {},
): TotpVerification {
  const code = token.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return { ok: false };
  const key = Secret.fromBase32(secret);
  const now = totpStep(options.at ?? new Date());
  const window = options.window ?? 1;
  const given = Buffer.from(code);
  // current step first, then the past (the usual direction of drift), then the future
  const candidates = [now, ...Array.from({ length: window }, (_, i) => [now - i - 1, now + i + 1]).flat()];
  for (const step of candidates) {
    if (step < 0 || (options.lastUsedStep !== undefined && step <= options.lastUsedStep)) continue;
    const expected = HOTP.generate({
      secret: key,
      algorithm: TOTP_ALGORITHM,
      digits: TOTP_DIGITS,
      counter: step,
    });
    if (timingSafeEqual(given, Buffer.from(expected))) return { ok: true, step };
  }
  return { ok: false };
}
