/** Recurring jobs across processes: each due run happens once, failures are kept, crashed leases expire. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.ts';
import { type Database, migrate } from '../db/index.ts';
import { createScheduler } from './jobs.ts';

let database: Database & { dispose(): Promise<void> };
beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

const clockAt = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (t: string) => (now = new Date(t)) };
};

describe('the scheduler', () => {
  it('runs a due job once even when two processes try at the same moment, then waits for the interval', async () => {
    const clock = clockAt('2026-11-30T01:00:00Z');
    let runs = 0;
    const job = {
      name: 'test.count',
      everySeconds: 3600,
      async run() {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
      },
    };
    const a = createScheduler(database.db, { clock });
    const b = createScheduler(database.db, { clock });
    a.register(job);
    b.register(job);
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(runs).toBe(1);
    expect([...ranA, ...ranB]).toEqual(['test.count']);
    clock.set('2026-11-30T01:59:59Z');
    expect([...(await a.runDue()), ...(await b.runDue())]).toEqual([]);
    clock.set('2026-11-30T02:00:00Z');
    expect(await b.runDue()).toEqual(['test.count']);
    expect(runs).toBe(2);
    const [state] = await a.states();
    expect(state).toMatchObject({ name: 'test.count', runs: 2, failures: 0, lastError: null });
    expect(state!.nextRunAt.toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });

  it('keeps the error of a failed run and tries again at the next interval', async () => {
    const clock = clockAt('2026-11-30T01:00:00Z');
    const errors: string[] = [];
    const s = createScheduler(database.db, { clock, onError: (name) => errors.push(name) });
    let fail = true;
    s.register({
      name: 'test.flaky',
      everySeconds: 60,
      async run() {
        if (fail) throw new Error('hệ thống của cơ quan không trả lời');
      },
    });
    expect(await s.runDue()).toEqual(['test.flaky']);
    expect(errors).toEqual(['test.flaky']);
    let state = (await s.states()).find((x) => x.name === 'test.flaky')!;
    expect(state).toMatchObject({ failures: 1, lastError: 'hệ thống của cơ quan không trả lời' });
    fail = false;
    clock.set('2026-11-30T01:01:00Z');
    await s.runDue();
    state = (await s.states()).find((x) => x.name === 'test.flaky')!;
    expect(state).toMatchObject({ runs: 2, failures: 1, lastError: null });
  });

  it('takes over a job whose process died mid-run once the lease has expired', async () => {
    const clock = clockAt('2026-11-30T05:00:00Z');
    const s = createScheduler(database.db, { clock });
    let runs = 0;
    s.register({ name: 'test.crashed', everySeconds: 60, leaseSeconds: 300, run: async () => void runs++ });
    await s.runDue();
    // Another process claimed it and died: its lease is still live, then it expires.
    clock.set('2026-11-30T05:02:00Z');
    await sql`update platform.scheduled_jobs set locked_until = ${new Date('2026-11-30T05:06:00Z')}, locked_by = 'dead:1:x'
              where name = 'test.crashed'`.execute(database.db);
    expect(await s.runDue()).toEqual([]);
    clock.set('2026-11-30T05:06:01Z');
    expect(await s.runDue()).toEqual(['test.crashed']);
    expect(runs).toBe(2);
  });

  it('refuses to register one job twice', () => {
    const s = createScheduler(database.db, { clock: clockAt('2026-11-30T01:00:00Z') });
    s.register({ name: 'test.once', everySeconds: 60, run: async () => undefined });
    expect(() => s.register({ name: 'test.once', everySeconds: 60, run: async () => undefined })).toThrow(
      /twice/,
    );
  });
});
