/**
 * Dossier codes are unique and gapless per receiving unit and Vietnam day under real concurrency: the
 * number is taken inside the submission's transaction (a row lock on the unit's counter of the day), so a
 * submission that rolls back gives its number back. Runs on PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { prepareDatabase } from '../../bootstrap.ts';
import { type Database, openDatabase, scoped } from '../../platform/db/index.ts';
import { allocateSequence } from './dossiers.repository.ts';
import type { DossiersTables } from './dossiers.tables.ts';

let t: TestDatabase;
let database: Database;
const db = () => scoped<DossiersTables>(database.db);

beforeAll(async () => {
  t = await createTestDatabase({ prepared: true });
  database = await openDatabase({ ...t.options, ...(t.options.databaseUrl ? { poolMax: 10 } : {}) });
  await prepareDatabase(database, { agencyIdentifiersFile: undefined });
});
afterAll(async () => {
  await database?.close();
  await t?.drop();
});

class Abort extends Error {}

describe('the per-unit daily counter', () => {
  it('gives 50 concurrent transactions 1..n without gap or duplicate, though every fifth rolls back', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db()
          .transaction()
          .execute(async (trx) => {
            const n = await allocateSequence(trx, '000.00.00.H26', '2026-11-24');
            // Some work after the number was taken, which fails for every fifth submission.
            await new Promise((resolve) => setTimeout(resolve, i % 3));
            if (i % 5 === 4) throw new Abort();
            return n;
          }),
      ),
    );
    const committed = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => o.reason instanceof Abort)).toBe(
      true,
    );
    expect(committed).toHaveLength(40);
    expect([...committed].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const row = await db()
      .selectFrom('dossiers.code_counters')
      .select('last_value')
      .where('agency_identifier', '=', '000.00.00.H26')
      .where('day', '=', '2026-11-24')
      .executeTakeFirstOrThrow();
    expect(row.last_value).toBe(40);
  });

  it('counts each identifier and each day separately', async () => {
    const take = (identifier: string, day: string) =>
      db()
        .transaction()
        .execute((trx) => allocateSequence(trx, identifier, day));
    expect(await take('000.00.00.H26', '2026-11-25')).toBe(1);
    expect(await take('000.00.00.H29', '2026-11-24')).toBe(1);
    expect(await take('000.00.00.H26', '2026-11-24')).toBe(41);
  });
});
