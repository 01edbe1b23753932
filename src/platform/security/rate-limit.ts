/**
 * Rate limits shared by all processes: fixed windows counted in `platform.rate_limits` with one upsert
 * per attempt, committed without waiting for the disk. Subjects that are personal data (an ID number, a phone) are hashed into the key.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AnyDb } from '../db/index.ts';

export interface Limit {
  /** Name of the limit, e.g. login-ip. */
  name: string;
  max: number;
  windowSeconds: number;
}

export interface LimitVerdict {
  allowed: boolean;
  hits: number;
  retryAfterSeconds: number;
}

export function subjectKey(subject: string): string {
  return createHash('sha256').update(subject.normalize('NFC').toLowerCase()).digest('hex').slice(0, 32);
}

export function createRateLimiter(db: AnyDb, now: () => Date = () => new Date()) {
  let lastCleanup = 0;
  async function cleanup(at: Date) {
    if (at.getTime() - lastCleanup < 600_000) return;
    lastCleanup = at.getTime();
    await sql`delete from platform.rate_limits where window_start < ${new Date(at.getTime() - 86_400_000)}`.execute(
      db,
    );
  }
  function windowOf(limit: Limit, at: Date): { start: Date; end: Date } {
    const ms = limit.windowSeconds * 1000;
    const start = Math.floor(at.getTime() / ms) * ms;
    return { start: new Date(start), end: new Date(start + ms) };
  }
  return {
    /** Counts one attempt against the limit and says whether it is allowed. */
    async hit(limit: Limit, subject: string): Promise<LimitVerdict> {
      const at = now();
      const w = windowOf(limit, at);
      const key = `${limit.name}:${subjectKey(subject)}`;
      // Committed asynchronously (set_config(…, true) applies to this statement's own transaction): a
      // counter is not worth waiting for the WAL flush on every lookup, and what a database crash can
      // lose is the last fraction of a second of counts. Concurrency is unaffected: the upsert still
      // counts every attempt exactly once, in order, on the row lock.
      const r = await sql<{ hits: number }>`
        insert into platform.rate_limits (key, window_start, hits)
        select ${key}, ${w.start}, 1 from (select set_config('synchronous_commit', 'off', true)) as async_commit
        on conflict (key, window_start) do update set hits = platform.rate_limits.hits + 1
        returning hits`.execute(db);
      void cleanup(at).catch(() => undefined);
      const hits = r.rows[0]!.hits;
      return {
        allowed: hits <= limit.max,
        hits,
        retryAfterSeconds: Math.max(1, Math.ceil((w.end.getTime() - at.getTime()) / 1000)),
      };
    },
    /** How many attempts the subject has made in the current window, without counting one. */
    async peek(limit: Limit, subject: string): Promise<number> {
      const w = windowOf(limit, now());
      const key = `${limit.name}:${subjectKey(subject)}`;
      const r = await sql<{
        hits: number;
      }>`select hits from platform.rate_limits where key = ${key} and window_start = ${w.start}`.execute(db);
      return r.rows[0]?.hits ?? 0;
    },
    /**
     * Gives back an attempt counted by `hit` (a sign-in that turned out right): claiming first and
     * giving back after means concurrent attempts can never get past the limit together.
     */
    async release(limit: Limit, subject: string): Promise<void> {
      const w = windowOf(limit, now());
      const key = `${limit.name}:${subjectKey(subject)}`;
      await sql`update platform.rate_limits set hits = greatest(hits - 1, 0)
                 where key = ${key} and window_start = ${w.start}`.execute(db);
    },
    async reset(limit: Limit, subject: string): Promise<void> {
      const key = `${limit.name}:${subjectKey(subject)}`;
      await sql`delete from platform.rate_limits where key = ${key}`.execute(db);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
