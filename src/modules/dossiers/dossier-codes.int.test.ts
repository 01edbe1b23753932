/**
 * Dossier codes are unique and gapless per receiving unit and Vietnam day under real concurrency: the
 * number is taken inside the submission's transaction (a row lock on the unit's counter of the day), so a
 * submission that rolls back gives its number back. Runs on PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../../platform/db/index.ts';
import { allocateSequence } from './dossiers.repository.ts';
import type { SubmitInput } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import { dossiersHarness, type Harness, vn } from './dossiers.test-support.ts';

let h: Harness;
const db = () => scoped<DossiersTables>(h.database.db);

beforeAll(async () => {
  h = await dossiersHarness(vn('2026-12-01 09:00'));
});
afterAll(async () => {
  await h?.close();
});

function filing(options: { key?: string; blobKey?: string } = {}): SubmitInput {
  const a = h.account();
  return {
    accountId: a.id,
    applicant: { accountId: a.id, kind: 'citizen', name: a.name },
    idempotencyKey: options.key ?? randomUUID(),
    procedureCode: '2.000505',
    channel: 'online',
    place: { provinceCode: '01' },
    formData: {},
    ...(options.blobKey
      ? {
          attachments: [
            {
              fileName: 'a.pdf',
              mediaType: 'application/pdf',
              sizeBytes: 1,
              sha256: '0'.repeat(64),
              blobKey: options.blobKey,
            },
          ],
        }
      : {}),
  };
}

const sequences = (codes: string[]) => codes.map((c) => Number(c.slice(-4))).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

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

describe('submissions', () => {
  it('50 simultaneous submissions to one unit get 0001..0050; 10 that fail after taking a number leave no gap', async () => {
    // A blob key already used makes a submission fail inside its transaction, after the code was taken.
    h.clock.set('2026-12-01 09:00');
    await h.service.submit(filing({ blobKey: 'taken' }));
    h.clock.set('2026-12-02 09:00');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => h.service.submit(filing(i % 6 === 5 ? { blobKey: 'taken' } : {}))),
    );
    const codes = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.dossier.code] : []));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
    expect(codes).toHaveLength(50);
    expect(new Set(codes).size).toBe(50);
    for (const c of codes) expect(c).toMatch(/^000\.00\.00\.H26-261202-\d{4}$/);
    expect(sequences(codes)).toEqual(range(50));
    const stored = await sql<{ code: string }>`
      select code from dossiers.dossiers where code like '000.00.00.H26-261202-%'`.execute(h.database.db);
    expect(sequences(stored.rows.map((r) => r.code))).toEqual(range(50));
  });

  it('20 simultaneous repeats of one submission make one dossier and one number', async () => {
    h.clock.set('2026-12-03 09:00');
    const input = filing({ key: randomUUID() });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => h.service.submit(input)));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.dossier.code))).toEqual(new Set(['000.00.00.H26-261203-0001']));
    const next = await h.service.submit(filing());
    expect(next.dossier.code).toBe('000.00.00.H26-261203-0002');
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from dossiers.dossiers where applicant_account_id = ${input.applicant.accountId}`.execute(
      h.database.db,
    );
    expect(rows.rows[0]!.n).toBe(1);
  });
});
