/**
 * Answers kept for a while in this process, in one well-kept cache (lru-cache): each entry expires on
 * its own (a time to live per key, never "clear everything"), the least recently used goes first when
 * the cache is full, and an answer "as of today" also ends at the next midnight, Vietnam time, so a
 * change effective tomorrow (a unit reorganisation, an agency renamed) is seen from its first minute.
 * Time is the project's clock, so tests can move it.
 */
import { LRUCache } from 'lru-cache';
import { type Clock, systemClock, VIETNAM_OFFSET_MINUTES } from '../clock/index.ts';

const DAY_MS = 86_400_000;

/** The instant of the next midnight in Vietnam (UTC+7) after `instant` (00:00 itself: the day after). */
export function nextVietnamMidnight(instant: Date): Date {
  const offset = VIETNAM_OFFSET_MINUTES * 60_000;
  const local = instant.getTime() + offset;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) + DAY_MS - offset);
}

export interface CacheOptions {
  /** Entries kept at most; when full, the least recently used goes. */
  max: number;
  /** How long an entry is kept after it was written. */
  ttlMs: number;
  /** The entry holds an answer "as of today": it also ends at the next midnight, Vietnam time. */
  endOfDay?: boolean | undefined;
  clock?: Clock | undefined;
}

/**
 * A cache of values by key. `set(key, value, until)` keeps the entry until an instant when it is sooner
 * than the cache's own time to live (and its end of day); an entry is served while now < its end.
 */
export function createCache<K extends {}, V extends {}>(options: CacheOptions) {
  const clock = options.clock ?? systemClock;
  const lru = new LRUCache<K, V>({
    max: options.max,
    ttl: options.ttlMs,
    // The clock, not performance.now(): tests pin and move it. No resolution: read it on every look-up.
    perf: { now: () => clock.now().getTime() },
    ttlResolution: 0,
  });
  /** The entry's end as a time to live: lru-cache serves while now − start ≤ ttl; we serve while now < end. */
  function ttlUntil(end: number, now: number): number {
    return end - now - 1;
  }
  return {
    /** The fresh entry, if any. `allowStale` also returns one past its end that is still held. */
    get(key: K, o: { allowStale?: boolean } = {}): V | undefined {
      return lru.get(key, o.allowStale ? { allowStale: true } : undefined);
    },
    /** Keeps the value (not at all when its end has already come). */
    set(key: K, value: V, until?: Date | number): void {
      const now = clock.now().getTime();
      let end = now + options.ttlMs;
      if (options.endOfDay) end = Math.min(end, nextVietnamMidnight(new Date(now)).getTime());
      if (until !== undefined) end = Math.min(end, typeof until === 'number' ? until : until.getTime());
      const ttl = ttlUntil(end, now);
      if (ttl <= 0) {
        lru.delete(key);
        return;
      }
      lru.set(key, value, { ttl });
    },
    delete(key: K): void {
      lru.delete(key);
    },
    get size(): number {
      return lru.size;
    },
  };
}

export type Cache<K extends {}, V extends {}> = ReturnType<typeof createCache<K, V>>;

/**
 * `load` remembered per arguments (compared as JSON): the promised answer is shared by every caller
 * while it is fresh; a failed load is not kept (the next call asks again).
 */
export function remembered<A extends unknown[], V>(
  options: CacheOptions,
  load: (...args: A) => Promise<V>,
): (...args: A) => Promise<V> {
  const cache = createCache<string, Promise<V>>(options);
  return (...args: A) => {
    const key = JSON.stringify(args);
    const hit = cache.get(key);
    if (hit) return hit;
    const value = load(...args);
    cache.set(key, value);
    value.catch(() => {
      if (cache.get(key, { allowStale: true }) === value) cache.delete(key);
    });
    return value;
  };
}
