/**
 * The per-account limit on officers' second factor: wrong authenticator codes are counted per account,
 * whatever address or sign-in they come from (a correct password starts a new challenge, not a new
 * count); ten in 24 hours lock the account's second factor for 24 hours, until an administrator of the
 * officer's agency releases it. Counted in the database by the shared limiter, so every process agrees;
 * each code is counted before it is compared, so parallel guesses cannot pass the limit together.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { formatVietnameseDate, vietnamDateTime } from '../../platform/clock/index.ts';
import { TooManyRequestsError } from '../../platform/errors/index.ts';
import type { FailureLimit, RateLimiter } from '../../platform/security/index.ts';
import type { IdentityTables } from './identity.tables.ts';

export const SECOND_FACTOR_LIMIT: FailureLimit = {
  name: 'second-factor-account',
  max: 10,
  windowSeconds: 3600,
  periodSeconds: 86_400,
  lockSeconds: 86_400,
};

/** "17:00 ngày 08/12/2026", Vietnam time. */
export function vietnamWhen(d: Date): string {
  const [date, time] = vietnamDateTime(d).split(' ') as [string, string];
  return `${time} ngày ${formatVietnameseDate(date)}`;
}

export function secondFactorLocked(until: Date, now: Date): TooManyRequestsError {
  return new TooManyRequestsError(
    `Xác thực hai bước của tài khoản đang tạm khóa vì mã xác thực bị nhập sai quá nhiều lần. Hãy liên hệ quản trị viên của cơ quan để mở khóa, hoặc thử lại sau ${vietnamWhen(until)}.`,
    Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  );
}

export type SecondFactorLock = ReturnType<typeof createSecondFactorLock>;

export function createSecondFactorLock(deps: {
  db: Kysely<IdentityTables>;
  clock: Clock;
  limiter: Pick<RateLimiter, 'lockOf' | 'locksOf' | 'fail' | 'forgive' | 'lock' | 'unlock'>;
}) {
  const { db, clock, limiter } = deps;
  const L = SECOND_FACTOR_LIMIT;

  async function lockNow(accountId: string): Promise<Date> {
    const now = clock.now();
    const until = await limiter.lock(L, accountId);
    if (until) {
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actor: 'system:identity',
            action: 'officer.second-factor-lock',
            subject: `account:${accountId}`,
            data: { failures: L.max, until: until.toISOString() },
          },
          now,
        ),
      );
      return until;
    }
    return (await limiter.lockOf(L, accountId)) ?? new Date(now.getTime() + L.lockSeconds * 1000);
  }

  return {
    /**
     * Claims one attempt for the account before its code is compared: refused when the account is
     * locked, or when the attempts in flight and the failures of the period already reach the limit.
     */
    async claim(accountId: string): Promise<{ failures: number }> {
      const locked = await limiter.lockOf(L, accountId);
      if (locked) throw secondFactorLocked(locked, clock.now());
      const claimed = await limiter.fail(L, accountId);
      if (claimed.failures > L.max) {
        await limiter.forgive(L, accountId);
        throw secondFactorLocked(await lockNow(accountId), clock.now());
      }
      return claimed;
    },
    /** The claimed attempt was right: it is not a failure. */
    async succeeded(accountId: string): Promise<void> {
      await limiter.forgive(L, accountId);
    },
    /** The claimed attempt was wrong (it stays counted); at the limit the account is locked and audited. */
    async failed(accountId: string, claimed: { failures: number }): Promise<Date | undefined> {
      return claimed.failures >= L.max ? lockNow(accountId) : undefined;
    },
    /** Which of these accounts are locked now, until when. */
    lockedUntil: (accountIds: string[]) => limiter.locksOf(L, accountIds),
    /** An administrator releases the lock (and the count of failures); audited when there was one. */
    async release(actorId: string, accountId: string): Promise<boolean> {
      const released = await limiter.unlock(L, accountId);
      if (released)
        await db.transaction().execute((trx) =>
          appendAudit(
            trx,
            {
              actor: `officer:${actorId}`,
              action: 'officer.second-factor-unlock',
              subject: `account:${accountId}`,
            },
            clock.now(),
          ),
        );
      return released;
    },
  };
}
