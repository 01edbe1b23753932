/**
 * The lock view: a failure limit's locks held in memory, read again from the table, so that a hot path
 * checks a subject without a round trip — and never answers "not locked" from a read it cannot trust.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.ts';
import type { Database } from '../db/index.ts';
import { migrate } from '../db/index.ts';
import { createLockView } from './lock-view.ts';
import { createRateLimiter, type FailureLimit } from './rate-limit.ts';

let database: Database & { dispose(): Promise<void> };
beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

const LIMIT: FailureLimit = {
  name: 'test-view',
  max: 2,
  windowSeconds: 60,
  periodSeconds: 600,
  lockSeconds: 3600,
};
let now = new Date('2026-12-07T03:00:00Z');
const clock = () => now;

describe('lock view', () => {
  it('knows nothing before its first read, then answers from memory what the table held', async () => {
    const limiter = createRateLimiter(database.db, clock);
    // Two processes: A takes the lock, B only reads.
    const a = createLockView(database.db, LIMIT, clock, { pollMs: 0 });
    const b = createLockView(database.db, LIMIT, clock, { pollMs: 0 });
    expect(b.lockedUntil('000.00.00.H26-261207-0001')).toBeUndefined();
    await b.refresh();
    expect(b.lockedUntil('000.00.00.H26-261207-0001')).toBeNull();

    await limiter.fail(LIMIT, '000.00.00.H26-261207-0001');
    await limiter.fail(LIMIT, '000.00.00.H26-261207-0001');
    const until = await limiter.lock(LIMIT, '000.00.00.H26-261207-0001');
    expect(until).toBeInstanceOf(Date);
    a.note('000.00.00.H26-261207-0001', until as Date);
    // A sees its own lock at once; B sees it at its next read, not before.
    await a.refresh();
    expect(a.lockedUntil('000.00.00.H26-261207-0001')).toEqual(until);
    expect(b.lockedUntil('000.00.00.H26-261207-0001')).toBeNull();
    await b.refresh();
    expect(b.lockedUntil('000.00.00.H26-261207-0001')).toEqual(until);
    expect(b.lockedUntil('000.00.00.H26-261207-0002')).toBeNull();

    // Released by an administrator: gone at the next read.
    await limiter.unlock(LIMIT, '000.00.00.H26-261207-0001');
    await b.refresh();
    expect(b.lockedUntil('000.00.00.H26-261207-0001')).toBeNull();
  });

  it('keeps a noted lock across a read that started before it, and ends it with the lock', async () => {
    const limiter = createRateLimiter(database.db, clock);
    const view = createLockView(database.db, LIMIT, clock, { pollMs: 0 });
    await view.refresh();
    for (let i = 0; i < 2; i++) await limiter.fail(LIMIT, 'noted');
    const until = (await limiter.lock(LIMIT, 'noted')) as Date;
    view.note('noted', until);
    expect(view.lockedUntil('noted')).toEqual(until);
    await view.refresh();
    expect(view.lockedUntil('noted')).toEqual(until);
    now = new Date(until.getTime() + 1000);
    await view.refresh();
    expect(view.lockedUntil('noted')).toBeNull();
  });

  it('says it does not know when its last read is too old, so the caller asks the table', async () => {
    const view = createLockView(database.db, LIMIT, clock, { pollMs: 0, staleAfterMs: 5_000 });
    await view.refresh();
    expect(view.lockedUntil('stale')).toBeNull();
    now = new Date(now.getTime() + 5_001);
    expect(view.lockedUntil('stale')).toBeUndefined();
  });
});
