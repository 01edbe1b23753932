/**
 * The locks of one failure limit, held in memory and read again from `platform.rate_limit_locks` every
 * `pollMs` (one query for all the limit's live locks, which are few: each is a subject under attack).
 * For a check on a hot path (the public lookup checks its code on every request): asking the table on
 * every request cost the lookup a third of its throughput (docs/benchmarks.md, session 7).
 *
 * What that trades: a lock taken by another process is seen here within `pollMs` (a lock taken by this
 * process, through `note`, at once); a release, within `pollMs`. If the table cannot be read for longer
 * than `staleAfterMs`, the view says it does not know, and the caller asks the table itself.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../db/index.ts';
import { type FailureLimit, keyOf } from './rate-limit.ts';

export interface LockView {
  /** When the subject's lock ends, `null` if it is not locked, `undefined` if the view does not know. */
  lockedUntil(subject: string): Date | null | undefined;
  /** A lock this process just took: seen at once, without waiting for the next read. */
  note(subject: string, until: Date): void;
  /** Reads the table now (the timer does it every `pollMs`). */
  refresh(): Promise<void>;
  close(): void;
}

export function createLockView(
  db: AnyDb,
  limit: FailureLimit,
  now: () => Date,
  options: { pollMs?: number; staleAfterMs?: number; onError?: (error: unknown) => void } = {},
): LockView {
  const pollMs = options.pollMs ?? 250;
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  let locks = new Map<string, Date>();
  let readAt: number | undefined; // when the table was last read (the clock's milliseconds)
  // Locks noted here, kept until a read that started after them (and so includes them) has finished.
  const noted = new Map<string, { until: Date; at: number }>();

  async function refresh() {
    const at = now();
    const r = await sql<{ key: string; until: Date | string }>`
      select key, locked_until as until from platform.rate_limit_locks
       where limit_name = ${limit.name} and locked_until > ${at}`.execute(db);
    locks = new Map(r.rows.map((x) => [x.key, new Date(x.until)]));
    readAt = at.getTime();
    for (const [key, n] of noted) if (n.at < at.getTime()) noted.delete(key);
  }

  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    refresh()
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        running = false;
      });
  };
  if (pollMs > 0) {
    timer = setInterval(tick, pollMs);
    timer.unref();
  }

  return {
    lockedUntil(subject) {
      const t = now().getTime();
      if (readAt === undefined || t - readAt > staleAfterMs) return undefined;
      const key = keyOf(limit, subject);
      const until = noted.get(key)?.until ?? locks.get(key);
      return until && until.getTime() > t ? until : null;
    },
    note(subject, until) {
      noted.set(keyOf(limit, subject), { until, at: now().getTime() });
    },
    refresh,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
