/**
 * The public lookup limited per dossier code (issue 14, item 5): besides the limit per address, wrong
 * last-4 guesses are counted per code in the database, whatever address they come from; ten in an hour
 * lock that code's lookup for an hour (429, a Vietnamese page), and the applicant is told once per lock.
 *
 * A code that does not exist counts like one that does (the answer must not tell them apart). The right
 * 4 characters of a locked code are refused too: the lock is on the code, not on the guesser. Failures
 * are counted after the check (one write per wrong guess, none for a right one); concurrent guesses from
 * many addresses can pass the limit by as many as are in flight together, each still limited per address.
 * Whether a code is locked is read from memory (a lock view read again every 250 ms): a lock taken by
 * another process is seen within that time.
 */
import type { Clock } from '../../platform/clock/index.ts';
import type { FailureLimit, LockView, RateLimiter } from '../../platform/security/index.ts';

export const LOOKUP_CODE_LIMIT: FailureLimit = {
  name: 'sync-lookup-code',
  max: 10,
  windowSeconds: 300,
  periodSeconds: 3600,
  lockSeconds: 3600,
};

export type GuardedLookup<T> =
  | { kind: 'found'; found: T }
  | { kind: 'not-found' }
  | { kind: 'locked'; until: Date; retryAfterSeconds: number };

export function createLookupGuard<T>(deps: {
  clock: Clock;
  limiter: Pick<RateLimiter, 'lockOf' | 'fail' | 'lock'>;
  /**
   * The limit's locks held in memory (platform/security lock-view.ts): a right guess costs no round trip
   * to the locks table. Without one, or when it does not know, the table is asked.
   */
  locks?: LockView;
  lookup(code: string, last4: string): Promise<T | undefined>;
  /** The code was just locked: tell its applicant (once per lock). Failures here do not fail the lookup. */
  onLocked?(code: string, until: Date): Promise<void>;
  onError?(error: unknown): void;
}) {
  const L = LOOKUP_CODE_LIMIT;
  const locked = (until: Date): GuardedLookup<T> => ({
    kind: 'locked',
    until,
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - deps.clock.now().getTime()) / 1000)),
  });
  return async (code: string, last4: string): Promise<GuardedLookup<T>> => {
    const known = deps.locks?.lockedUntil(code);
    const until = known === undefined ? await deps.limiter.lockOf(L, code) : known;
    if (until) return locked(until);
    const found = await deps.lookup(code, last4);
    if (found) return { kind: 'found', found };
    const { failures } = await deps.limiter.fail(L, code);
    if (failures >= L.max) {
      const lockedNow = await deps.limiter.lock(L, code);
      if (lockedNow) deps.locks?.note(code, lockedNow);
      if (lockedNow && deps.onLocked)
        await deps.onLocked(code, lockedNow).catch((e: unknown) => deps.onError?.(e));
    }
    return { kind: 'not-found' };
  };
}
