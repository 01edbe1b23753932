/**
 * Reference data (administrative units, agencies, calendar schedules) is loaded on every start,
 * idempotently: a data set is applied in one transaction with upserts, and recorded with the checksum
 * of its sources, so an unchanged data set costs one query and a changed one is re-applied.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AnyDb } from './database.ts';
import { checksumOf } from './migrate.ts';

const LOCK_KEY = 7_482_113_902;

export interface ReferenceDataSet {
  name: string;
  /** The source text(s) whose checksum decides whether to reload. */
  sources: string[];
  // biome-ignore lint/suspicious/noExplicitAny: each data set narrows with `scoped`
  load(trx: Transaction<any>): Promise<void>;
}

export async function applyReferenceData(db: AnyDb, set: ReferenceDataSet): Promise<boolean> {
  const checksum = checksumOf(set.sources.join('\u0000'));
  const current = await currentChecksum(db, set.name);
  if (current === checksum) return false;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_KEY)})`.execute(trx);
    if ((await currentChecksum(trx, set.name)) === checksum) return false;
    await set.load(trx);
    await sql`
      insert into platform.reference_data (name, checksum) values (${set.name}, ${checksum})
      on conflict (name) do update set checksum = excluded.checksum, loaded_at = now()`.execute(trx);
    return true;
  });
}

// biome-ignore lint/suspicious/noExplicitAny: platform table, untyped here
async function currentChecksum(db: Kysely<any>, name: string): Promise<string | undefined> {
  const r = await sql<{
    checksum: string;
  }>`select checksum from platform.reference_data where name = ${name}`.execute(db);
  return r.rows[0]?.checksum;
}
