import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.ts';
import type { Database } from '../db/index.ts';
import { migrate } from '../db/index.ts';
import { backoffMs, createDispatcher, enqueue, type OutboxMessage } from './outbox.ts';

let database: Database & { dispose(): Promise<void> };

beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

const fast = { pollMs: 10, backoffBaseMs: 1, backoffMaxMs: 5, maxAttempts: 3 };

describe('outbox', () => {
  it('delivers a committed message once, and never one whose transaction rolled back', async () => {
    const d = createDispatcher(database.db, fast);
    const got: OutboxMessage[] = [];
    d.register('test.commit', async (m) => {
      got.push(m);
    });
    await database.db.transaction().execute(async (trx) => enqueue(trx, 'test.commit', { n: 1 }));
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueue(trx, 'test.commit', { n: 2 });
        throw new Error('business failure');
      }),
    ).rejects.toThrow();
    await d.runOnce();
    await d.runOnce();
    expect(got.map((m) => m.payload)).toEqual([{ n: 1 }]);
    expect((await d.stats()).pending).toBe(0);
  });

  it('retries with backoff, then dead-letters, and an operator can requeue', async () => {
    const d = createDispatcher(database.db, fast);
    let calls = 0;
    let fail = true;
    d.register('test.flaky', async () => {
      calls++;
      if (fail) throw new Error('receiver down');
    });
    await enqueue(database.db, 'test.flaky', { x: 1 });
    for (let i = 0; i < 20 && (await d.stats()).dead === 0; i++) {
      await d.runOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(calls).toBe(3);
    const dead = await sql<{ status: string; last_error: string; attempts: number }>`
      select status, last_error, attempts from platform.outbox where topic = 'test.flaky'`.execute(
      database.db,
    );
    expect(dead.rows[0]).toMatchObject({ status: 'dead', last_error: 'receiver down', attempts: 3 });
    expect((await d.stats()).dead).toBe(1);
    fail = false;
    expect(await d.requeueDead()).toBe(1);
    await d.runOnce();
    expect(calls).toBe(4);
    expect((await d.stats()).dead).toBe(0);
  });

  it('redelivers after a crashed dispatcher’s lease expires (at least once)', async () => {
    await enqueue(database.db, 'test.lease', { y: 1 });
    const row = async () =>
      (
        await sql<{ attempts: number; leased: boolean }>`
          select attempts, available_at > now() as leased from platform.outbox where topic = 'test.lease'`.execute(
          database.db,
        )
      ).rows[0]!;
    const until = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 500 && !(await done()); i++) await new Promise((r) => setTimeout(r, 20));
    };
    // A lease long enough that a loaded machine cannot outrun it between the two checks below.
    const crashed = createDispatcher(database.db, { ...fast, leaseMs: 1500 });
    crashed.register('test.lease', () => new Promise(() => undefined)); // hangs forever: the process "died"
    void crashed.runOnce();
    await until(async () => (await row()).attempts === 1);
    const other = createDispatcher(database.db, fast);
    const got: unknown[] = [];
    other.register('test.lease', async (m) => {
      got.push(m.payload);
    });
    if ((await row()).leased) {
      await other.runOnce();
      expect(got).toEqual([]); // still leased
    }
    await until(async () => !(await row()).leased);
    await other.runOnce();
    expect(got).toEqual([{ y: 1 }]);
  });

  it('enqueues a (topic, dedupe key) once', async () => {
    await enqueue(database.db, 'test.dedupe', { a: 1 }, { dedupeKey: 'k1' });
    await enqueue(database.db, 'test.dedupe', { a: 2 }, { dedupeKey: 'k1' });
    const r = await sql<{
      n: number;
    }>`select count(*) as n from platform.outbox where topic = 'test.dedupe'`.execute(database.db);
    expect(r.rows[0]!.n).toBe(1);
  });

  it('shows its lag: the age of the oldest pending message', async () => {
    await sql`insert into platform.outbox (topic, payload, created_at) values ('test.lag', '{}', now() - interval '90 seconds')`.execute(
      database.db,
    );
    const d = createDispatcher(database.db, fast);
    const s = await d.stats();
    expect(s.lagSeconds).toBeGreaterThanOrEqual(89);
    expect(s.pending).toBeGreaterThanOrEqual(1);
  });

  it('delivers each of many messages exactly once with two dispatchers racing', async () => {
    const seen = new Map<number, number>();
    const make = () => {
      const d = createDispatcher(database.db, { ...fast, batchSize: 7 });
      d.register('test.race', async (m) => {
        const n = (m.payload as { n: number }).n;
        seen.set(n, (seen.get(n) ?? 0) + 1);
      });
      return d;
    };
    for (let i = 0; i < 100; i++) await enqueue(database.db, 'test.race', { n: i });
    const [a, b] = [make(), make()];
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    await Promise.all([a.runOnce(), b.runOnce()]);
    expect(seen.size).toBe(100);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
  });
});

describe('backoff', () => {
  it('doubles per attempt within ±20%, capped', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(backoffMs(30, 1000, 60_000, () => 0.5)).toBe(60_000);
    expect(backoffMs(2, 1000, 60_000, () => 0)).toBe(1600);
    expect(backoffMs(2, 1000, 60_000, () => 1)).toBe(2400);
  });
});
