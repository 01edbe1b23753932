import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock/index.ts';
import { createCache, nextVietnamMidnight, remembered } from './cache.ts';

/** A clock the test moves. */
function movableClock(at: string) {
  let t = new Date(at).getTime();
  const clock: Clock = { now: () => new Date(t) };
  return { clock, set: (to: string) => (t = new Date(to).getTime()), advance: (ms: number) => (t += ms) };
}

describe('the next midnight in Vietnam', () => {
  it('is 17:00 UTC, the same UTC day before it and the next one from it', () => {
    expect(nextVietnamMidnight(new Date('2026-06-30T16:59:59.999Z')).toISOString()).toBe(
      '2026-06-30T17:00:00.000Z',
    );
    expect(nextVietnamMidnight(new Date('2026-06-30T17:00:00.000Z')).toISOString()).toBe(
      '2026-07-01T17:00:00.000Z',
    );
    expect(nextVietnamMidnight(new Date('2026-06-30T01:00:00Z')).toISOString()).toBe(
      '2026-06-30T17:00:00.000Z',
    );
  });
});

describe('a cache with a time to live per key', () => {
  it('lets each entry expire on its own, not all at once', () => {
    const { clock, advance } = movableClock('2026-03-02T03:00:00Z');
    const cache = createCache<string, { v: number }>({ max: 10, ttlMs: 60_000, clock });
    cache.set('a', { v: 1 });
    advance(30_000);
    cache.set('b', { v: 2 });
    advance(29_999);
    expect(cache.get('a')).toEqual({ v: 1 });
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual({ v: 2 });
    advance(30_000);
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps an entry no later than the end given for it', () => {
    const { clock, advance } = movableClock('2026-03-02T03:00:00Z');
    const cache = createCache<string, { v: number }>({ max: 10, ttlMs: 60_000, clock });
    cache.set('a', { v: 1 }, clock.now().getTime() + 10_000);
    advance(9_999);
    expect(cache.get('a')).toEqual({ v: 1 });
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    cache.set('gone', { v: 0 }, clock.now());
    expect(cache.get('gone')).toBeUndefined();
  });

  it('lets the least recently used entry go when full, and only that one', () => {
    const { clock } = movableClock('2026-03-02T03:00:00Z');
    const cache = createCache<string, { v: number }>({ max: 2, ttlMs: 60_000, clock });
    cache.set('a', { v: 1 });
    cache.set('b', { v: 2 });
    cache.get('a');
    cache.set('c', { v: 3 });
    expect(cache.get('a')).toEqual({ v: 1 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toEqual({ v: 3 });
  });

  it('ends an answer "as of today" at midnight, Vietnam time, however long its time to live', () => {
    const { clock, set } = movableClock('2026-06-30T16:55:00Z'); // 23:55 in Vietnam
    const cache = createCache<string, { units: string }>({
      max: 10,
      ttlMs: 3_600_000,
      endOfDay: true,
      clock,
    });
    cache.set('units', { units: 'Hà Giang' });
    set('2026-06-30T16:59:59.999Z');
    expect(cache.get('units')).toEqual({ units: 'Hà Giang' });
    set('2026-06-30T17:00:00.000Z'); // 00:00 on 1 July in Vietnam
    expect(cache.get('units')).toBeUndefined();
  });
});

describe('a remembered load', () => {
  it('shares one load per key while fresh, asks again after, and keeps no failure', async () => {
    const { clock, advance } = movableClock('2026-03-02T03:00:00Z');
    let calls = 0;
    const load = remembered({ max: 10, ttlMs: 1_000, clock }, async (k: string) => {
      calls++;
      if (k === 'bad' && calls === 4) throw new Error('unreachable');
      return `${k}${calls}`;
    });
    expect(await load('x')).toBe('x1');
    expect(await load('x')).toBe('x1');
    expect(await load('y')).toBe('y2');
    advance(1_000);
    expect(await load('x')).toBe('x3');
    await expect(load('bad')).rejects.toThrow('unreachable');
    expect(await load('bad')).toBe('bad5');
  });
});
