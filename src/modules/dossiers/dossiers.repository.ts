/** Queries on the dossiers module's tables. Every function takes the database or the transaction first. */
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type {
  AttachmentTable,
  DossiersTables,
  DossierTable,
  ExtensionTable,
  HistoryTable,
} from './dossiers.tables.ts';

type Db = Kysely<DossiersTables>;
export type DossierRow = Selectable<DossierTable>;
export type HistoryRow = Selectable<HistoryTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type ExtensionRow = Selectable<ExtensionTable>;

/**
 * The next sequence number of `identifier` on `day`. The upsert takes the counter row's lock until the
 * transaction ends: concurrent submissions to one unit queue here, and a submission that rolls back
 * rolls its number back with it — no gap, no duplicate.
 */
export async function allocateSequence(trx: Db, identifier: string, day: string): Promise<number> {
  const r = await sql<{ last_value: number }>`
    insert into dossiers.code_counters as c (agency_identifier, day, last_value)
    values (${identifier}, ${day}::date, 1)
    on conflict (agency_identifier, day) do update set last_value = c.last_value + 1
    returning c.last_value`.execute(trx);
  return r.rows[0]!.last_value;
}

/**
 * Claims an idempotency key for this transaction. False when the key is already taken: on PostgreSQL
 * the insert first waits for a concurrent transaction holding the same key, so a false means that
 * transaction committed (its dossier is readable now).
 */
export async function claimSubmissionKey(
  trx: Db,
  accountId: string,
  key: string,
  requestHash: string,
): Promise<boolean> {
  const r = await trx
    .insertInto('dossiers.submission_keys')
    .values({ account_id: accountId, key, request_hash: requestHash, dossier_code: null })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findSubmissionKey(db: Db, accountId: string, key: string) {
  return db
    .selectFrom('dossiers.submission_keys')
    .select(['request_hash', 'dossier_code'])
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function setSubmissionKeyDossier(trx: Db, accountId: string, key: string, code: string) {
  await trx
    .updateTable('dossiers.submission_keys')
    .set({ dossier_code: code })
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .execute();
}

export async function insertDossier(trx: Db, row: Insertable<DossierTable>): Promise<void> {
  await trx.insertInto('dossiers.dossiers').values(row).execute();
}

export async function findDossier(db: Db, code: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers.dossiers').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Applies an action's changes if the dossier is still at `revision` (and moves it to the next one);
 * false when another action got there first.
 */
export async function updateDossierAtRevision(
  trx: Db,
  code: string,
  revision: number,
  changes: Omit<Updateable<DossierTable>, 'revision' | 'code'>,
): Promise<boolean> {
  const r = await trx
    .updateTable('dossiers.dossiers')
    .set({ ...changes, revision: revision + 1 })
    .where('code', '=', code)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function insertHistory(trx: Db, row: Insertable<HistoryTable>): Promise<void> {
  await trx.insertInto('dossiers.history').values(row).execute();
}

export async function findHistory(db: Db, code: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('dossiers.history')
    .selectAll()
    .where('dossier_code', '=', code)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

export async function insertAttachments(trx: Db, rows: Insertable<AttachmentTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('dossiers.attachments').values(rows).execute();
}

/**
 * Marks staged uploads as attached to the dossier, in the transaction that attaches them: only uploads
 * not yet attached are taken (an upload is attached once), and the orphan-upload cleanup, which deletes
 * only unattached rows it has locked, can never delete a file a dossier refers to. False when one of
 * them is gone or already attached (the caller rolls back).
 */
export async function claimUploads(trx: Db, ids: readonly string[], code: string): Promise<boolean> {
  if (ids.length === 0) return true;
  const r = await trx
    .updateTable('dossiers.uploads')
    .set({ used_by_dossier: code })
    .where('id', 'in', [...ids])
    .where('used_by_dossier', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== new Set(ids).size) return false;
  // A file taken from the wallet: its attachment (the same blob) records where it came from (0080).
  await sql`
    update dossiers.attachments a
       set wallet_item_id = u.wallet_item_id, reused = true, verification = u.verification
      from dossiers.uploads u
     where u.id in (${sql.join([...ids])}) and u.wallet_item_id is not null
       and a.dossier_code = ${code} and a.blob_key = u.blob_key`.execute(trx);
  return true;
}

export async function findAttachments(db: Db, code: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom('dossiers.attachments')
    .selectAll()
    .where('dossier_code', '=', code)
    .where('deleted_at', 'is', null)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
}

/** Closed pauses of a dossier, oldest first. */
export async function findClosedPauses(db: Db, code: string): Promise<Array<{ from: Date; to: Date }>> {
  const rows = await db
    .selectFrom('dossiers.clock_pauses')
    .select(['started_at', 'ended_at'])
    .where('dossier_code', '=', code)
    .where('ended_at', 'is not', null)
    .orderBy('started_at')
    .execute();
  return rows.map((r) => ({ from: r.started_at, to: r.ended_at! }));
}

export async function openPause(trx: Db, code: string, at: Date, reason: string): Promise<void> {
  await trx
    .insertInto('dossiers.clock_pauses')
    .values({ dossier_code: code, started_at: at, reason })
    .execute();
}

export async function closePause(trx: Db, code: string, at: Date, workingMinutes: number): Promise<void> {
  await trx
    .updateTable('dossiers.clock_pauses')
    .set({ ended_at: at, working_minutes: workingMinutes })
    .where('dossier_code', '=', code)
    .where('ended_at', 'is', null)
    .execute();
}

export async function findExtensions(db: Db, code: string): Promise<ExtensionRow[]> {
  return db
    .selectFrom('dossiers.extensions')
    .selectAll()
    .where('dossier_code', '=', code)
    .orderBy('granted_at')
    .orderBy('id')
    .execute();
}

export async function insertExtension(trx: Db, row: Insertable<ExtensionTable>): Promise<void> {
  await trx.insertInto('dossiers.extensions').values(row).execute();
}

/**
 * "Overdue" as a filter on `dossiers.dossiers`: the SQL twin of domain/deadline.ts `isOverdue` (open,
 * and past due — as of the pause while the clock is paused). dossiers.int.test.ts holds the two equal.
 */
export function overdueWhere(now: Date) {
  return sql<boolean>`(finished_at is null and returned_at is null
    and ((paused_since is null and due_at < ${now}) or (paused_since is not null and due_at < paused_since)))`;
}
