import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.ts';
import type { Database } from '../db/index.ts';
import { migrate } from '../db/index.ts';
import { createRateLimiter, createSharedCounterLimiter, subjectKey } from './rate-limit.ts';

let database: Database & { dispose(): Promise<void> };

beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

const at = new Date('2026-11-29T04:00:10Z');
const clock = () => at;

async function stored(name: string, subject: string): Promise<number> {
  const r = await sql<{ hits: number }>`select coalesce(sum(hits), 0)::int as hits from platform.rate_limits
     where key = ${`${name}:${subjectKey(subject)}`}`.execute(database.db);
  return r.rows[0]!.hits;
}

describe('exact rate limiter', () => {
  it('counts concurrent attempts exactly once each and refuses past the limit', async () => {
    const limiter = createRateLimiter(database.db, clock);
    const limit = { name: 'test-exact', max: 5, windowSeconds: 60 };
    const verdicts = await Promise.all(Array.from({ length: 8 }, () => limiter.hit(limit, '203.0.113.1')));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    expect(verdicts.map((v) => v.hits).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await stored('test-exact', '203.0.113.1')).toBe(8);
  });
});

describe('shared-counter rate limiter', () => {
  it('decides in memory, writes the counts in batches, and loses none', async () => {
    const limiter = createSharedCounterLimiter(database.db, clock, { flushMs: 60_000 });
    const limit = { name: 'test-shared', max: 3, windowSeconds: 60 };
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await limiter.hit(limit, '198.51.100.7'));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false, false]);
    expect(verdicts[3]!.retryAfterSeconds).toBe(50);
    await limiter.hit(limit, '198.51.100.8');
    // Nothing written yet: the interval has not passed.
    expect(await stored('test-shared', '198.51.100.7')).toBe(0);
    await limiter.flush();
    expect(await stored('test-shared', '198.51.100.7')).toBe(5);
    expect(await stored('test-shared', '198.51.100.8')).toBe(1);
    // A second flush with nothing new writes nothing more.
    await limiter.flush();
    expect(await stored('test-shared', '198.51.100.7')).toBe(5);
    await limiter.close();
  });

  it('processes see each other’s counts after a flush', async () => {
    const limit = { name: 'test-two-processes', max: 4, windowSeconds: 60 };
    const a = createSharedCounterLimiter(database.db, clock, { flushMs: 60_000 });
    const b = createSharedCounterLimiter(database.db, clock, { flushMs: 60_000 });
    for (let i = 0; i < 3; i++) expect((await a.hit(limit, '192.0.2.9')).allowed).toBe(true);
    await a.flush();
    // b has not counted this address yet; its first hit is decided locally, then its flush reads
    // back the shared total (a's 3 + b's 1).
    expect((await b.hit(limit, '192.0.2.9')).hits).toBe(1);
    await b.flush();
    const next = await b.hit(limit, '192.0.2.9');
    expect(next.hits).toBe(5);
    expect(next.allowed).toBe(false);
    await Promise.all([a.flush(), b.flush()]);
    expect(await stored('test-two-processes', '192.0.2.9')).toBe(5);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps a subject in memory until it is counted shareFrom times, then shares all its counts', async () => {
    let at = new Date('2025-07-01T03:00:10Z').getTime();
    const limiter = createSharedCounterLimiter(database.db, () => new Date(at), {
      flushMs: 60_000,
      shareFrom: 3,
    });
    const limit = { name: 'test-share-from', max: 4, windowSeconds: 60 };
    await limiter.hit(limit, '198.51.100.20');
    await limiter.hit(limit, '198.51.100.20');
    await limiter.hit(limit, '198.51.100.21');
    await limiter.flush();
    // Below the threshold: decided in memory, nothing written.
    expect(await stored('test-share-from', '198.51.100.20')).toBe(0);
    expect(await stored('test-share-from', '198.51.100.21')).toBe(0);
    // The third hit reaches it: the three are shared, and the limit still counts all of them.
    expect((await limiter.hit(limit, '198.51.100.20')).hits).toBe(3);
    await limiter.flush();
    expect(await stored('test-share-from', '198.51.100.20')).toBe(3);
    expect((await limiter.hit(limit, '198.51.100.20')).allowed).toBe(true);
    expect((await limiter.hit(limit, '198.51.100.20')).allowed).toBe(false);
    await limiter.flush();
    expect(await stored('test-share-from', '198.51.100.20')).toBe(5);
    // Once the window is over, what was never shared is forgotten: memory does not grow with visitors.
    expect(limiter.tracked()).toBe(2);
    at += 120_000;
    await limiter.hit(limit, '198.51.100.22');
    expect(limiter.tracked()).toBe(1);
    expect(await stored('test-share-from', '198.51.100.21')).toBe(0);
    await limiter.close();
  });

  it('keeps at most localMax subjects in memory below shareFrom; past it, a new subject is shared at once', async () => {
    let at = new Date('2025-07-01T04:00:10Z').getTime();
    const limiter = createSharedCounterLimiter(database.db, () => new Date(at), {
      flushMs: 60_000,
      shareFrom: 3,
      localMax: 2,
    });
    const limit = { name: 'test-local-max', max: 4, windowSeconds: 60 };
    await limiter.hit(limit, '198.51.100.30');
    await limiter.hit(limit, '198.51.100.31');
    // The memory is full: the third address is counted in the shared table from its first hit.
    expect((await limiter.hit(limit, '198.51.100.32')).hits).toBe(1);
    // Those already in memory go on counting there, up to the threshold.
    expect((await limiter.hit(limit, '198.51.100.30')).hits).toBe(2);
    await limiter.flush();
    expect(await stored('test-local-max', '198.51.100.30')).toBe(0);
    expect(await stored('test-local-max', '198.51.100.32')).toBe(1);
    expect(limiter.tracked()).toBe(3);
    // Reaching the threshold frees its place: the next new address stays in memory again.
    expect((await limiter.hit(limit, '198.51.100.30')).hits).toBe(3);
    await limiter.hit(limit, '198.51.100.33');
    await limiter.flush();
    expect(await stored('test-local-max', '198.51.100.30')).toBe(3);
    expect(await stored('test-local-max', '198.51.100.33')).toBe(0);
    // A new window starts with the memory empty.
    at += 120_000;
    await limiter.hit(limit, '198.51.100.34');
    await limiter.hit(limit, '198.51.100.35');
    await limiter.flush();
    expect(await stored('test-local-max', '198.51.100.35')).toBe(0);
    expect(limiter.tracked()).toBe(2);
    await limiter.close();
  });

  it('counts the addresses of one IPv6 /64 as one client (exact and shared limiters)', async () => {
    const exact = createRateLimiter(database.db, clock);
    const perAddress = { name: 'test-per-address', max: 2, windowSeconds: 60, per: 'address' as const };
    expect((await exact.hit(perAddress, '2001:db8:0:7::1')).allowed).toBe(true);
    expect((await exact.hit(perAddress, '2001:db8:0:7::2')).allowed).toBe(true);
    expect((await exact.hit(perAddress, '2001:db8:0:7:abcd::3')).allowed).toBe(false);
    expect((await exact.hit(perAddress, '2001:db8:0:8::1')).allowed).toBe(true);
    const shared = createSharedCounterLimiter(database.db, clock, { flushMs: 60_000, shareFrom: 2 });
    const lookups = { ...perAddress, name: 'test-per-address-shared' };
    expect((await shared.hit(lookups, '2001:db8:0:9::1')).hits).toBe(1);
    expect((await shared.hit(lookups, '2001:db8:0:9::ffff')).hits).toBe(2);
    expect((await shared.hit(lookups, '2001:db8:0:9:1:2:3:4')).allowed).toBe(false);
    await shared.flush();
    expect(await stored('test-per-address-shared', '2001:db8:0:9::/64')).toBe(3);
    await shared.close();
  });

  it('flushes on its own after the interval, concurrent hits included', async () => {
    const limiter = createSharedCounterLimiter(database.db, clock, { flushMs: 20 });
    const limit = { name: 'test-timer', max: 1000, windowSeconds: 60 };
    await Promise.all(Array.from({ length: 200 }, (_, i) => limiter.hit(limit, `10.0.${i % 7}.1`)));
    for (let i = 0; i < 100; i++) {
      const r = await sql<{
        hits: number;
      }>`select coalesce(sum(hits), 0)::int as hits from platform.rate_limits
         where key like 'test-timer:%'`.execute(database.db);
      if (r.rows[0]!.hits === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const total = await sql<{
      hits: number;
      keys: number;
    }>`select sum(hits)::int as hits, count(*)::int as keys
       from platform.rate_limits where key like 'test-timer:%'`.execute(database.db);
    expect(total.rows[0]).toEqual({ hits: 200, keys: 7 });
    await limiter.close();
  });
});

describe('failure limits that lock a subject', () => {
  const limit = {
    name: 'test-lock',
    max: 4,
    windowSeconds: 3600,
    periodSeconds: 86_400,
    lockSeconds: 86_400,
  };

  it('counts failures of every process over the period, locks once, and ends the lock by release or time', async () => {
    let t = new Date('2026-12-01T00:10:00Z');
    const clockT = () => t;
    // Two processes (two limiters on the same database).
    const a = createRateLimiter(database.db, clockT);
    const b = createRateLimiter(database.db, clockT);
    expect((await a.fail(limit, 'account-1')).failures).toBe(1);
    t = new Date('2026-12-01T09:00:00Z');
    expect((await b.fail(limit, 'account-1')).failures).toBe(2);
    // A claimed attempt that was right is given back.
    expect((await a.fail(limit, 'account-1')).failures).toBe(3);
    await a.forgive(limit, 'account-1');
    t = new Date('2026-12-01T20:00:00Z');
    const counts = await Promise.all([a.fail(limit, 'account-1'), b.fail(limit, 'account-1')]);
    expect(counts.map((c) => c.failures).sort()).toEqual([3, 4]);
    expect(await a.lockOf(limit, 'account-1')).toBeUndefined();
    // Locked once: the second lock answers that it was locked already.
    const until = await a.lock(limit, 'account-1');
    expect(until?.toISOString()).toBe('2026-12-02T20:00:00.000Z');
    expect(await b.lock(limit, 'account-1')).toBeUndefined();
    expect((await b.lockOf(limit, 'account-1'))?.toISOString()).toBe('2026-12-02T20:00:00.000Z');
    expect([...(await b.locksOf(limit, ['account-1', 'account-2'])).keys()]).toEqual(['account-1']);
    // Released by an administrator: unlocked and the failures forgotten.
    expect(await b.unlock(limit, 'account-1')).toBe(true);
    expect(await a.lockOf(limit, 'account-1')).toBeUndefined();
    expect((await a.fail(limit, 'account-1')).failures).toBe(1);
    // Locked again, and ended by time.
    await a.lock(limit, 'account-1');
    t = new Date('2026-12-02T20:00:01Z');
    expect(await a.lockOf(limit, 'account-1')).toBeUndefined();
    expect(await a.lock(limit, 'account-1')).toBeDefined();
  });

  it('sums only the windows of the period: failures older than it no longer count', async () => {
    let t = new Date('2026-12-05T00:30:00Z');
    const limiter = createRateLimiter(database.db, () => t);
    await limiter.fail(limit, 'code-1');
    await limiter.fail(limit, 'code-1');
    t = new Date('2026-12-05T23:59:00Z');
    expect((await limiter.fail(limit, 'code-1')).failures).toBe(3);
    t = new Date('2026-12-06T01:00:00Z');
    expect((await limiter.fail(limit, 'code-1')).failures).toBe(2);
  });
});
