import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, onPostgres } from '../../../test/helpers/database.ts';
import { DataDirLockedError, lockDataDir } from './data-lock.ts';
import type { Database } from './database.ts';
import { MIGRATIONS_DIR, MigrationError, migrate } from './migrate.ts';
import { applyReferenceData } from './reference-data.ts';

let database: Database & { dispose(): Promise<void> };

beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database);
});
afterAll(async () => {
  await database.dispose();
});

describe('type parsing is the same on PGlite and PostgreSQL', () => {
  it('int8 → number (bigint past 2^53), date → YYYY-MM-DD, numeric → string, timestamptz → Date', async () => {
    const r = await sql<{
      a: unknown;
      b: unknown;
      c: unknown;
      d: unknown;
      n: unknown;
      t: unknown;
      j: unknown;
    }>`
      select 5::int8 as a, count(*) as b, 9007199254740993::int8 as c, '2025-07-01'::date as d,
             1.50::numeric as n, '2026-01-01T00:00:00Z'::timestamptz as t, '{"x":[1]}'::jsonb as j`.execute(
      database.db,
    );
    const row = r.rows[0]!;
    expect(row.a).toBe(5);
    expect(row.b).toBe(1);
    expect(row.c).toBe(9007199254740993n);
    expect(row.d).toBe('2025-07-01');
    expect(row.n).toBe('1.50');
    expect(row.t).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(row.j).toEqual({ x: [1] });
  });
});

describe('transactions', () => {
  beforeAll(async () => {
    await sql`create table if not exists public.t_counter (id int primary key, n int not null)`.execute(
      database.db,
    );
    await sql`insert into public.t_counter values (1, 0) on conflict do nothing`.execute(database.db);
  });

  it('commit keeps writes, an error rolls back everything', async () => {
    await database.db.transaction().execute(async (trx) => {
      await sql`update public.t_counter set n = n + 1 where id = 1`.execute(trx);
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`update public.t_counter set n = n + 100 where id = 1`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`update public.t_counter set n = n + 100 where id = 1`.execute(trx);
        await sql`select 1/0`.execute(trx);
      }),
    ).rejects.toThrow();
    const r = await sql<{ n: number }>`select n from public.t_counter where id = 1`.execute(database.db);
    expect(r.rows[0]!.n).toBe(1);
  });

  it('concurrent transactions do not lose updates', async () => {
    const before = (
      await sql<{ n: number }>`select n from public.t_counter where id = 1`.execute(database.db)
    ).rows[0]!.n;
    await Promise.all(
      Array.from({ length: 40 }, () =>
        database.db.transaction().execute(async (trx) => {
          const r = await sql<{ n: number }>`select n from public.t_counter where id = 1 for update`.execute(
            trx,
          );
          await sql`update public.t_counter set n = ${r.rows[0]!.n + 1} where id = 1`.execute(trx);
        }),
      ),
    );
    const after = (await sql<{ n: number }>`select n from public.t_counter where id = 1`.execute(database.db))
      .rows[0]!.n;
    expect(after).toBe(before + 40);
  });

  it('queries outside the transaction wait for it and see committed data only', async () => {
    const seen: number[] = [];
    await Promise.all([
      database.db.transaction().execute(async (trx) => {
        await sql`update public.t_counter set n = -5 where id = 1`.execute(trx);
        await new Promise((r) => setTimeout(r, 30));
        await sql`update public.t_counter set n = 7 where id = 1`.execute(trx);
      }),
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        const r = await sql<{ n: number }>`select n from public.t_counter where id = 1`.execute(database.db);
        seen.push(r.rows[0]!.n);
      })(),
    ]);
    expect(seen[0]).not.toBe(-5);
  });

  it('supports savepoints', async () => {
    const trx = await database.db.startTransaction().execute();
    await sql`update public.t_counter set n = 1000 where id = 1`.execute(trx);
    const sp = await trx.savepoint('sp1').execute();
    await sql`update public.t_counter set n = 2000 where id = 1`.execute(sp);
    await sp.rollbackToSavepoint('sp1').execute();
    await trx.commit().execute();
    const r = await sql<{ n: number }>`select n from public.t_counter where id = 1`.execute(database.db);
    expect(r.rows[0]!.n).toBe(1000);
  });

  it('reports affected rows', async () => {
    const r = await sql`update public.t_counter set n = n where id = 1`.execute(database.db);
    expect(r.numAffectedRows).toBe(1n);
  });
});

describe('migrations', () => {
  function copyMigrations(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR))
      fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    return dir;
  }

  it('are idempotent: a second run applies nothing', async () => {
    const again = await migrate(database);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(fs.readdirSync(MIGRATIONS_DIR).length);
  });

  it('refuse to start when an applied migration has changed, naming it', async () => {
    const dir = copyMigrations();
    const first = fs.readdirSync(dir).sort()[0]!;
    fs.appendFileSync(path.join(dir, first), '\n-- edited after it was applied\n');
    await expect(migrate(database, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(database, dir)).rejects.toThrow(new RegExp(`${first}.*has changed`));
  });

  it('refuse to start when an applied migration is missing', async () => {
    const dir = copyMigrations();
    const files = fs.readdirSync(dir).sort();
    fs.rmSync(path.join(dir, files[1]!));
    await expect(migrate(database, dir)).rejects.toThrow(/missing/);
  });

  it('apply a new migration in a transaction, and roll back a failing one entirely', async () => {
    const dir = copyMigrations();
    fs.writeFileSync(
      path.join(dir, '9998_test_create-good.sql'),
      'create table public.t_good (id int primary key);\ninsert into public.t_good values (1);\n',
    );
    fs.writeFileSync(
      path.join(dir, '9999_test_create-bad.sql'),
      'create table public.t_bad (id int primary key);\nselect no_such_function();\n',
    );
    await expect(migrate(database, dir)).rejects.toThrow(/9999_test_create-bad.sql failed/);
    const good = await sql<{ n: number }>`select count(*) as n from public.t_good`.execute(database.db);
    expect(good.rows[0]!.n).toBe(1);
    const bad = await sql<{ r: string | null }>`select to_regclass('public.t_bad')::text as r`.execute(
      database.db,
    );
    expect(bad.rows[0]!.r).toBeNull();
    const recorded = await sql<{
      n: number;
    }>`select count(*) as n from platform.schema_migrations where version = 9999`.execute(database.db);
    expect(recorded.rows[0]!.n).toBe(0);
  });
});

describe('reference data', () => {
  it('loads once per checksum and reloads when the source changes', async () => {
    await sql`create table if not exists public.t_ref (k text primary key, v text)`.execute(database.db);
    let loads = 0;
    const make = (v: string) => ({
      name: 'test.ref',
      sources: [v],
      // biome-ignore lint/suspicious/noExplicitAny: test
      async load(trx: any) {
        loads++;
        await sql`insert into public.t_ref values ('a', ${v}) on conflict (k) do update set v = excluded.v`.execute(
          trx,
        );
      },
    });
    expect(await applyReferenceData(database.db, make('one'))).toBe(true);
    expect(await applyReferenceData(database.db, make('one'))).toBe(false);
    expect(await applyReferenceData(database.db, make('two'))).toBe(true);
    expect(loads).toBe(2);
    const r = await sql<{ v: string }>`select v from public.t_ref where k = 'a'`.execute(database.db);
    expect(r.rows[0]!.v).toBe('two');
  });
});

describe.skipIf(onPostgres)('the embedded data directory', () => {
  it('is locked against a second process, and a stale lock is taken over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-'));
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/in use by another Cổng DVC process/);
    lock.release();
    // A lock left by a process that no longer exists.
    fs.writeFileSync(
      path.join(dir, 'portal.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), since: 'x' }),
    );
    const again = lockDataDir(dir);
    again.release();
    expect(fs.existsSync(path.join(dir, 'portal.lock'))).toBe(false);
  });
});
