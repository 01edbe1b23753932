/**
 * The one-time codes of this module: a code sent by SMS or e-mail for registration, a password reset, a
 * new contact or step-up, checked with a limit of attempts and used once; the rate limits around them.
 * Used by the identity service and the registration and proofing service; not part of the module's API.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { TooManyRequestsError, ValidationError } from '../../platform/errors/index.ts';
import type { Limit, RateLimiter, Secrets } from '../../platform/security/index.ts';
import { queueNotification } from '../notifications/index.ts';
import { hashOtpCode, newOtpCode, normalizeEmail, normalizePhone, otpCodeMatches } from './domain/index.ts';
import * as repo from './identity.repository.ts';
import type { IdentityTables } from './identity.tables.ts';

export const OTP_MINUTES = 5;
export const OTP_MAX_ATTEMPTS = 5;

export const LIMITS = {
  loginIp: { name: 'login-ip', max: 30, windowSeconds: 900, per: 'address' },
  loginIdentifier: { name: 'login-id', max: 10, windowSeconds: 900 },
  otpSendDestination: { name: 'otp-send-to', max: 3, windowSeconds: 900 },
  otpSendIp: { name: 'otp-send-ip', max: 20, windowSeconds: 3600, per: 'address' },
  otpVerifyIp: { name: 'otp-verify-ip', max: 30, windowSeconds: 900, per: 'address' },
} satisfies Record<string, Limit>;

export interface RequestMeta {
  ip: string;
  userAgent?: string | undefined;
}

export type FieldErrors = Array<{ path: string; message: string }>;

/** A problem with one field, worded for the person filling in the form. */
export function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(message, [{ path, message }]);
}

/** Marks a one-time code used, once: a second use, even a concurrent one, is refused. */
export async function takeChallenge(trx: Kysely<IdentityTables>, id: string, now: Date): Promise<void> {
  if (!(await repo.takeChallenge(trx, id, now))) throw fieldError('code', 'Mã xác minh đã được sử dụng.');
}

export type Challenges = ReturnType<typeof createChallenges>;

export function createChallenges({
  db,
  clock,
  secrets,
  limiter,
}: {
  db: Kysely<IdentityTables>;
  clock: Clock;
  secrets: Secrets;
  limiter: RateLimiter;
}) {
  const pepper = () => secrets.get('otp-pepper');

  async function limit(l: Limit, subject: string): Promise<void> {
    const v = await limiter.hit(l, subject);
    if (!v.allowed) {
      throw new TooManyRequestsError(
        `Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(v.retryAfterSeconds / 60)} phút.`,
        v.retryAfterSeconds,
      );
    }
  }

  function parseContact(
    contact: string,
    errors: FieldErrors,
  ): { email: string | null; phone: string | null; channel: 'sms' | 'email' } | undefined {
    const text = contact.trim();
    if (text.includes('@')) {
      const e = normalizeEmail(text);
      if (!e.ok) errors.push({ path: 'contact', message: e.message });
      else return { email: e.value, phone: null, channel: 'email' };
    } else {
      const p = normalizePhone(text);
      if (!p.ok) errors.push({ path: 'contact', message: p.message });
      else return { email: null, phone: p.value, channel: 'sms' };
    }
    return undefined;
  }

  async function sendChallenge(
    trx: Transaction<IdentityTables>,
    c: {
      accountId: string | null;
      purpose: 'register' | 'reset-password' | 'change-contact' | 'second-factor';
      channel: 'sms' | 'email';
      destination: string;
      payload: Record<string, unknown>;
      send: boolean;
      /** The instance pepper, read before the transaction (on PGlite a read inside it would wait forever). */
      pepper: Buffer;
      /** The message (default `otp.<purpose>`). */
      template?: string;
    },
  ): Promise<string> {
    const code = newOtpCode();
    const id = await repo.insertChallenge(trx, {
      account_id: c.accountId,
      purpose: c.purpose,
      channel: c.channel,
      destination: c.destination,
      code_hash: hashOtpCode(code, c.pepper),
      payload: JSON.stringify(c.payload),
      expires_at: new Date(clock.now().getTime() + OTP_MINUTES * 60_000),
      consumed_at: null,
    });
    if (c.send) {
      await queueNotification(trx, {
        channel: c.channel,
        to: c.destination,
        template: c.template ?? `otp.${c.purpose}`,
        params: { code, minutes: String(OTP_MINUTES) },
      });
    }
    return id;
  }

  /** Checks a code against a live challenge; a wrong code counts an attempt. */
  async function consumeChallenge(
    challengeId: string,
    code: string,
    purpose: 'register' | 'reset-password' | 'change-contact' | 'second-factor',
    meta: RequestMeta,
  ) {
    await limit(LIMITS.otpVerifyIp, meta.ip);
    const expired = fieldError(
      'code',
      'Mã xác minh đã hết hạn hoặc không còn hiệu lực. Vui lòng yêu cầu mã mới.',
    );
    if (!/^[0-9a-f-]{36}$/.test(challengeId)) throw expired;
    const key = await pepper();
    // Every attempt is counted before the code is compared, in one statement: parallel guesses cannot
    // get past the limit of attempts.
    const ch = await repo.countChallengeAttempt(db, challengeId, purpose, clock.now(), OTP_MAX_ATTEMPTS);
    if (!ch) throw expired;
    const normalized = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(normalized) || !otpCodeMatches(ch.code_hash, normalized, key)) {
      const left = OTP_MAX_ATTEMPTS - ch.attempts;
      throw fieldError(
        'code',
        left > 0
          ? `Mã xác minh không đúng. Bạn còn ${left} lần thử.`
          : 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới.',
      );
    }
    return ch;
  }

  return {
    pepper,
    limit,
    parseContact,
    send: sendChallenge,
    consume: consumeChallenge,
    take: takeChallenge,
  };
}
