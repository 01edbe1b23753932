/**
 * One-time codes that prove an anonymous submitter's phone or e-mail: sent on request (rate limited per
 * address and per destination), checked with a limit of attempts, used by one submission. The same shape
 * as identity's challenges, kept in feedback's own table (identity's are not part of its API).
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { TooManyRequestsError, ValidationError } from '../../platform/errors/index.ts';
import type { Limit, RateLimiter, Secrets } from '../../platform/security/index.ts';
import type { FeedbackPorts } from './feedback.ports.ts';
import * as repo from './feedback.repository.ts';
import type { FeedbackTables } from './feedback.tables.ts';

export const CODE_MINUTES = 10;
export const CODE_MAX_ATTEMPTS = 5;

export const LIMITS = {
  codeSendDestination: { name: 'feedback-code-to', max: 3, windowSeconds: 900 },
  codeSendIp: { name: 'feedback-code-ip', max: 10, windowSeconds: 3600, per: 'address' },
  codeVerifyIp: { name: 'feedback-verify-ip', max: 30, windowSeconds: 900, per: 'address' },
  /** Submissions: a rate limit instead of a captcha service. */
  submitIp: { name: 'feedback-submit-ip', max: 10, windowSeconds: 3600, per: 'address' },
  submitContact: { name: 'feedback-submit-contact', max: 5, windowSeconds: 86_400 },
} satisfies Record<string, Limit>;

export interface Contact {
  channel: 'sms' | 'email';
  destination: string;
}

const fieldError = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

/** A phone number (Vietnamese, normalised to 0xxxxxxxxx) or an e-mail (lower case); undefined if neither. */
export function parseContact(text: string): Contact | undefined {
  const t = text.trim().normalize('NFC');
  if (t.includes('@')) {
    const e = t.toLowerCase();
    return /^[^\s@]{1,64}@[^\s@]{1,253}\.[a-z]{2,}$/.test(e) && e.length <= 254
      ? { channel: 'email', destination: e }
      : undefined;
  }
  const digits = t.replace(/[\s.()-]/g, '');
  const m = /^(?:\+84|84|0)([1-9]\d{8})$/.exec(digits);
  return m ? { channel: 'sms', destination: `0${m[1]}` } : undefined;
}

const hashCode = (code: string, pepper: Buffer) =>
  createHmac('sha256', pepper).update(code, 'utf8').digest('hex');

export function createContactCodes(deps: {
  db: Kysely<FeedbackTables>;
  clock: Clock;
  limiter: RateLimiter;
  secrets: Secrets;
  sendCode: FeedbackPorts['sendCode'];
  /** Tests only: a fixed code generator. */
  newCode?: () => string;
}) {
  const pepper = () => deps.secrets.get('feedback-code-pepper');
  const newCode = deps.newCode ?? (() => String(randomInt(0, 1_000_000)).padStart(6, '0'));

  async function limit(l: Limit, subject: string): Promise<void> {
    const v = await deps.limiter.hit(l, subject);
    if (!v.allowed)
      throw new TooManyRequestsError(
        `Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(v.retryAfterSeconds / 60)} phút. / Too many attempts.`,
        v.retryAfterSeconds,
      );
  }

  return {
    limit,
    /** Sends a code to `contact`; the challenge id the submission quotes with the code. */
    async request(contactText: string, ip: string): Promise<{ challengeId: string; contact: Contact }> {
      const contact = parseContact(contactText);
      if (!contact)
        throw fieldError(
          'contact',
          'Số điện thoại hoặc thư điện tử không hợp lệ. / Invalid phone or e-mail.',
        );
      await limit(LIMITS.codeSendIp, ip);
      await limit(LIMITS.codeSendDestination, contact.destination);
      const key = await pepper();
      const code = newCode();
      const now = deps.clock.now();
      const challengeId = await deps.db.transaction().execute(async (trx) => {
        const id = await repo.insertContactCode(trx, {
          destination: contact.destination,
          channel: contact.channel,
          code_hash: hashCode(code, key),
          created_at: now,
          expires_at: new Date(now.getTime() + CODE_MINUTES * 60_000),
        });
        await deps.sendCode(trx, {
          channel: contact.channel,
          to: contact.destination,
          code,
          minutes: CODE_MINUTES,
        });
        return id;
      });
      return { challengeId, contact };
    },
    /** Checks the code (an attempt is counted first); the challenge must then be taken in the submission. */
    async verify(challengeId: string, contact: Contact, code: string, ip: string): Promise<void> {
      await limit(LIMITS.codeVerifyIp, ip);
      const expired = fieldError(
        'code',
        'Mã xác minh đã hết hạn hoặc không còn hiệu lực. / The code has expired.',
      );
      if (!/^[0-9a-f-]{36}$/.test(challengeId)) throw expired;
      const key = await pepper();
      const ch = await repo.countContactAttempt(
        deps.db,
        challengeId,
        contact.destination,
        deps.clock.now(),
        CODE_MAX_ATTEMPTS,
      );
      if (!ch) throw expired;
      const typed = code.replace(/\s/g, '');
      const ok =
        /^\d{6}$/.test(typed) &&
        timingSafeEqual(Buffer.from(ch.code_hash, 'hex'), Buffer.from(hashCode(typed, key), 'hex'));
      if (!ok) {
        const left = CODE_MAX_ATTEMPTS - ch.attempts;
        throw fieldError(
          'code',
          left > 0
            ? `Mã xác minh không đúng. Bạn còn ${left} lần thử. / Wrong code.`
            : 'Mã xác minh không đúng. Vui lòng yêu cầu mã mới. / Wrong code.',
        );
      }
    },
    /** Uses the challenge, once, inside the submission's transaction. */
    async take(trx: Kysely<FeedbackTables>, challengeId: string): Promise<void> {
      if (!(await repo.takeContactCode(trx, challengeId, deps.clock.now())))
        throw fieldError('code', 'Mã xác minh đã được sử dụng. / The code was used already.');
    },
  };
}

export type ContactCodes = ReturnType<typeof createContactCodes>;
