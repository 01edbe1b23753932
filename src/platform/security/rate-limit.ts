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
  /**
   * `address`: the subject is a client's IP address, counted by block — an IPv4 address, or the /64
   * an IPv6 address belongs to (a single subscriber is given a whole /64 and can use any address in it).
   */
  per?: 'address';
}

/**
 * The block an IP address is counted under: an IPv4 address itself (an IPv4-mapped IPv6 address as
 * its IPv4 address), an IPv6 address as its /64 (`2001:db8:0:1::/64`). Anything else unchanged.
 */
export function addressBlock(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!;
  const halves = address.split('::');
  if (halves.length > 2) return ip;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  // An IPv4 tail (64:ff9b::192.0.2.1) takes the room of two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const missing = 8 - width(head) - width(tail);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return ip;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const first = groups.slice(0, 4);
  if (first.length < 4 || first.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return ip;
  return `${first.map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

const subjectOf = (limit: Limit, subject: string) =>
  limit.per === 'address' ? addressBlock(subject) : subject;

/** A subject's key in `platform.rate_limits` (and `platform.rate_limit_locks`) under a limit. */
export const keyOf = (limit: Limit, subject: string) =>
  `${limit.name}:${subjectKey(subjectOf(limit, subject))}`;

/**
 * A limit on failures per subject that locks it (an officer's account, a dossier code): failures are
 * counted in `windowSeconds` buckets and summed over the last `periodSeconds` (a sliding period, to one
 * bucket's precision), whatever address or process they come from; reaching `max` locks the subject for
 * `lockSeconds` or until `unlock`. A lock longer than the period starts the subject afresh when it ends.
 */
export interface FailureLimit extends Limit {
  periodSeconds: number;
  lockSeconds: number;
}

export interface FailureCount {
  /** Failures in the period, this one included. */
  failures: number;
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
    // Counts are kept two days (failure limits sum them over a period of up to a day); locks once over.
    await sql`delete from platform.rate_limits where window_start < ${new Date(at.getTime() - 2 * 86_400_000)}`.execute(
      db,
    );
    await sql`delete from platform.rate_limit_locks where locked_until < ${at}`.execute(db);
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
      const key = keyOf(limit, subject);
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
      const key = keyOf(limit, subject);
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
      const key = keyOf(limit, subject);
      await sql`update platform.rate_limits set hits = greatest(hits - 1, 0)
                 where key = ${key} and window_start = ${w.start}`.execute(db);
    },
    async reset(limit: Limit, subject: string): Promise<void> {
      const key = keyOf(limit, subject);
      await sql`delete from platform.rate_limits where key = ${key}`.execute(db);
    },

    /** When the subject's lock under a failure limit ends, or undefined when it is not locked. */
    async lockOf(limit: FailureLimit, subject: string): Promise<Date | undefined> {
      const key = keyOf(limit, subject);
      const r = await sql<{ until: Date | string }>`
        select locked_until as until from platform.rate_limit_locks
         where key = ${key} and locked_until > ${now()}`.execute(db);
      return r.rows[0] ? new Date(r.rows[0].until) : undefined;
    },

    /** The subjects (of a list) locked now under a failure limit, with when each lock ends. */
    async locksOf(limit: FailureLimit, subjects: string[]): Promise<Map<string, Date>> {
      if (subjects.length === 0) return new Map();
      const keys = new Map(subjects.map((s) => [keyOf(limit, s), s]));
      const r = await sql<{ key: string; until: Date | string }>`
        select key, locked_until as until from platform.rate_limit_locks
         where key = any(${[...keys.keys()]}::text[]) and locked_until > ${now()}`.execute(db);
      return new Map(r.rows.map((x) => [keys.get(x.key)!, new Date(x.until)]));
    },

    /**
     * Counts one failure (or one attempt, claimed before it is checked and given back with `forgive`
     * when it turns out right) and answers the failures in the period, this one included. Atomic: the
     * count of concurrent calls is each one's own, in order.
     */
    async fail(limit: FailureLimit, subject: string): Promise<FailureCount> {
      const at = now();
      const w = windowOf(limit, at);
      const key = keyOf(limit, subject);
      const since = new Date(w.start.getTime() - limit.periodSeconds * 1000 + limit.windowSeconds * 1000);
      const r = await sql<{ failures: number | string }>`
        with counted as (
          insert into platform.rate_limits (key, window_start, hits) values (${key}, ${w.start}, 1)
          on conflict (key, window_start) do update set hits = platform.rate_limits.hits + 1
          returning hits)
        select (select hits from counted) + coalesce((
          select sum(hits) from platform.rate_limits
           where key = ${key} and window_start >= ${since} and window_start < ${w.start}), 0) as failures`.execute(
        db,
      );
      void cleanup(at).catch(() => undefined);
      return { failures: Number(r.rows[0]!.failures) };
    },

    /** Gives back a failure counted by `fail` in the current window (the attempt was right after all). */
    async forgive(limit: FailureLimit, subject: string): Promise<void> {
      const w = windowOf(limit, now());
      const key = keyOf(limit, subject);
      await sql`update platform.rate_limits set hits = greatest(hits - 1, 0)
                 where key = ${key} and window_start = ${w.start}`.execute(db);
    },

    /**
     * Locks the subject for `lockSeconds`. Answers when the lock ends if this call locked it, undefined
     * if it was locked already (so that whoever must be told is told once per lock).
     */
    async lock(limit: FailureLimit, subject: string): Promise<Date | undefined> {
      const at = now();
      const key = keyOf(limit, subject);
      const until = new Date(at.getTime() + limit.lockSeconds * 1000);
      const r = await sql<{ until: Date | string }>`
        insert into platform.rate_limit_locks as l (key, limit_name, locked_at, locked_until)
        values (${key}, ${limit.name}, ${at}, ${until})
        on conflict (key) do update set locked_at = excluded.locked_at, locked_until = excluded.locked_until
          where l.locked_until <= ${at}
        returning locked_until as until`.execute(db);
      return r.rows[0] ? new Date(r.rows[0].until) : undefined;
    },

    /** Releases a lock and forgets the subject's failures. Answers whether it was locked. */
    async unlock(limit: FailureLimit, subject: string): Promise<boolean> {
      const key = keyOf(limit, subject);
      const r = await sql<{ until: Date | string }>`
        delete from platform.rate_limit_locks where key = ${key} returning locked_until as until`.execute(db);
      await sql`delete from platform.rate_limits where key = ${key}`.execute(db);
      return r.rows.some((x) => new Date(x.until) > now());
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export interface SharedCounterOptions {
  /** How often this process adds its counts to the shared table and reads back the totals (ms). */
  flushMs?: number;
  /**
   * A subject's counts in a window are shared (written to the table) once this process has counted it
   * this many times in the window (default 1: always). Below that they stay in memory: a citizen who
   * looks up once costs no database write, and N processes can let a subject through at most
   * N × (shareFrom − 1) times more than the limit before they see each other's counts.
   */
  shareFrom?: number;
  /**
   * At most this many subjects are kept in memory below `shareFrom` (default 100,000, all windows
   * together). Beyond it, during a flood of distinct addresses, a new subject is shared from its first
   * hit, as with `shareFrom` 1: memory stays bounded and every hit is still counted.
   */
  localMax?: number;
  onError?: (error: unknown) => void;
}

interface Tally {
  limit: Limit;
  /** The subject as counted here; hashed into the shared key only when shared. */
  subject: string;
  key?: string;
  windowStart: Date;
  windowEnd: number;
  /** The shared total as last read back (every process's counts up to then, ours included). */
  base: number;
  /** Counted here and being written now. */
  inflight: number;
  /** Counted here since. */
  pending: number;
  /** Shared from its first hit (the memory for subjects below `shareFrom` was full). */
  early?: boolean;
}

/**
 * A rate limiter for high-volume public endpoints (the dossier lookup): the same fixed windows and
 * table as `createRateLimiter`, but each process counts in memory and adds its counts to the shared
 * table in one statement every `flushMs` (default 250 ms), reading back the totals of every process.
 * A request is decided without a database round trip, on the shared total as last read plus what
 * this process counted since.
 *
 * What that trades: within one flush interval, processes do not see each other's counts, so N
 * processes can together let through up to N × the limit in the worst case (in practice the limit
 * plus what the others counted in the last quarter of a second); a crash loses the counts of the
 * last interval; with `shareFrom` above 1, counts below it stay in this process (see the option). Right
 * for a lookup limited to stop enumeration and abuse; not for sign-in, where every guess must be counted
 * before it is checked (`createRateLimiter`).
 */
export function createSharedCounterLimiter(
  db: AnyDb,
  now: () => Date = () => new Date(),
  options: SharedCounterOptions = {},
) {
  const flushMs = options.flushMs ?? 250;
  const tallies = new Map<string, Tally>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let closed = false;

  function schedule() {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushMs);
    timer.unref();
  }

  const shareFrom = Math.max(1, options.shareFrom ?? 1);
  const localMax = Math.max(0, options.localMax ?? 100_000);
  const shared = (t: Tally) => t.early === true || t.base + t.inflight + t.pending >= shareFrom;
  let lastSweep = 0;
  /** Counts of subjects not shared yet (below `shareFrom`), by the end of their window. */
  const local = new Map<number, Map<string, number>>();
  /** Subjects in `local`, all windows together. */
  let localSize = 0;
  /** Forgets the windows that are over (what was never shared there no longer matters). */
  function sweep(at: number) {
    lastSweep = at;
    for (const [end, window] of local)
      if (end <= at) {
        localSize -= window.size;
        local.delete(end);
      }
    for (const [id, t] of tallies)
      if (t.windowEnd <= at && t.inflight === 0 && (t.pending === 0 || !shared(t))) tallies.delete(id);
  }

  async function write(): Promise<void> {
    sweep(now().getTime());
    const batch: Array<Tally & { key: string }> = [];
    for (const t of tallies.values())
      if (t.pending > 0 && shared(t)) {
        t.key ??= `${t.limit.name}:${subjectKey(t.subject)}`;
        batch.push(t as Tally & { key: string });
      }
    if (batch.length === 0) return;
    for (const t of batch) {
      t.inflight = t.pending;
      t.pending = 0;
    }
    // Sorted keys: two processes flushing at once lock the rows in the same order.
    batch.sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStart.getTime() - b.windowStart.getTime(),
    );
    try {
      const r = await sql<{ key: string; ms: number | string; hits: number }>`
        insert into platform.rate_limits as r (key, window_start, hits)
        select k, w, h from (select set_config('synchronous_commit', 'off', true)) as async_commit,
               unnest(${batch.map((t) => t.key)}::text[], ${batch.map((t) => t.windowStart.toISOString())}::timestamptz[],
                      ${batch.map((t) => t.inflight)}::int[]) as u(k, w, h)
        on conflict (key, window_start) do update set hits = r.hits + excluded.hits
        returning key, (extract(epoch from window_start) * 1000)::int8 as ms, hits`.execute(db);
      const totals = new Map(r.rows.map((x) => [`${x.key}@${Number(x.ms)}`, x.hits]));
      for (const t of batch) {
        const total = totals.get(`${t.key}@${t.windowStart.getTime()}`);
        if (total !== undefined) t.base = total;
        else t.base += t.inflight;
        t.inflight = 0;
      }
    } catch (e) {
      // Counted again at the next flush rather than lost.
      for (const t of batch) {
        t.pending += t.inflight;
        t.inflight = 0;
      }
      throw e;
    }
  }

  function flush(): Promise<void> {
    if (flushing) return flushing.then(() => flush());
    flushing = write()
      .catch((e) => options.onError?.(e))
      .finally(() => {
        flushing = undefined;
        for (const t of tallies.values())
          if (t.pending > 0 && shared(t)) {
            schedule();
            break;
          }
      });
    return flushing;
  }

  return {
    /** Counts one attempt and says whether it is allowed, without waiting for the database. */
    async hit(limit: Limit, subject: string): Promise<LimitVerdict> {
      const at = now().getTime();
      const ms = limit.windowSeconds * 1000;
      const start = Math.floor(at / ms) * ms;
      if (at - lastSweep > 10_000) sweep(at);
      const normal = subjectOf(limit, subject).normalize('NFC').toLowerCase();
      const id = `${limit.name}:${normal}@${start}`;
      const retryAfterSeconds = Math.max(1, Math.ceil((start + ms - at) / 1000));
      let t = tallies.get(id);
      let counted = 0;
      let early = false;
      if (!t && shareFrom > 1) {
        // Below the threshold a subject is a bare count in its window's map (most of them stay there,
        // and a whole window's map is dropped at once when it is over).
        let window = local.get(start + ms);
        if (!window) {
          window = new Map();
          local.set(start + ms, window);
        }
        const before = window.get(id);
        counted = (before ?? 0) + 1;
        if (counted < shareFrom && (before !== undefined || localSize < localMax)) {
          if (before === undefined) localSize += 1;
          window.set(id, counted);
          return { allowed: counted <= limit.max, hits: counted, retryAfterSeconds };
        }
        if (before !== undefined) {
          window.delete(id);
          localSize -= 1;
        } else early = counted < shareFrom;
        counted -= 1;
      }
      if (!t) {
        t = {
          limit,
          subject: normal,
          windowStart: new Date(start),
          windowEnd: start + ms,
          base: 0,
          inflight: 0,
          pending: counted,
          ...(early ? { early } : {}),
        };
        tallies.set(id, t);
      }
      t.pending += 1;
      if (shared(t)) schedule();
      const hits = t.base + t.inflight + t.pending;
      return { allowed: hits <= limit.max, hits, retryAfterSeconds };
    },
    /** Writes what is counted now and may be shared (tests; shutdown). */
    flush,
    /** Subjects × windows counted in memory now. */
    tracked: () => localSize + tallies.size,
    /** Writes what is left and stops the timer. */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
    },
  };
}

export type SharedCounterLimiter = ReturnType<typeof createSharedCounterLimiter>;
