/**
 * Merging duplicates and answering once (issue 19, item 2). The Government Office marks an item as a
 * duplicate of another sent by the same person or about the same subject (the same dossier or procedure):
 * the duplicate takes status `merged`, its clocks stop, and its submitter follows the kept item and rates
 * its answer once that is published or withheld. A merged item is never published on its own; an item that
 * others were merged into is not merged itself (no chains). Each step runs inside the action's transaction
 * (feedback.service.ts `apply`), on rows locked here; `feedback.merges` takes an item once.
 */
import { type Kysely, sql } from 'kysely';
import { ConflictError, ValidationError } from '../../platform/errors/index.ts';
import type { FeedbackStatus } from '../../platform/kernel/index.ts';
import type { ItemRow } from './feedback.repository.ts';
import type { FeedbackTables } from './feedback.tables.ts';

type Db = Kysely<FeedbackTables>;

const invalid = (message: string) => new ValidationError(message, [{ path: 'into', message }]);

/** Statuses an item cannot be merged into. */
const NOT_KEPT: readonly FeedbackStatus[] = ['merged', 'refused'];

/**
 * Records `item` as a duplicate of the item coded `into`, both rows locked (in code order, so two merges
 * never wait on each other crosswise). Throws a ValidationError on `into` when the merge has no ground.
 */
export async function mergeInto(trx: Db, item: ItemRow, into: string, accountId: string, now: Date) {
  const rows = await trx
    .selectFrom('feedback.items')
    .selectAll()
    .where('code', 'in', [item.code, into])
    .orderBy('code')
    .forUpdate()
    .execute();
  const kept = rows.find((r) => r.code === into);
  if (!kept) throw invalid(`Không có phản ánh ${into} / no such item`);
  if (kept.id === item.id) throw invalid('Không thể gộp phản ánh vào chính nó / not into itself');
  if (NOT_KEPT.includes(kept.status))
    throw invalid(
      `Phản ánh ${into} đã bị từ chối hoặc đã gộp vào phản ánh khác / ${into} was refused or merged itself`,
    );
  const children = await trx
    .selectFrom('feedback.merges')
    .select('item_id')
    .where('kept_item_id', '=', item.id)
    .limit(1)
    .execute();
  if (children.length > 0)
    throw invalid(
      `Đã có phản ánh gộp vào ${item.code}; hãy gộp phản ánh khác vào ${item.code} / others were merged into ${item.code}`,
    );
  const ground = groundOf(item, kept);
  if (!ground)
    throw invalid(
      'Chỉ gộp phản ánh cùng người gửi hoặc cùng hồ sơ, thủ tục / only items from the same sender or about the same dossier or procedure',
    );
  const r = await trx
    .insertInto('feedback.merges')
    .values({ item_id: item.id, kept_item_id: kept.id, ground, merged_by: accountId, merged_at: now })
    .onConflict((oc) => oc.column('item_id').doNothing())
    .returning('item_id')
    .executeTakeFirst();
  if (!r)
    throw new ConflictError('Phản ánh đã được gộp / already merged', {
      state: 'merged',
      allowedActions: [],
    });
}

/** same-submitter, same-subject (the same dossier, or the same procedure), or none. */
export function groundOf(
  a: Pick<ItemRow, 'submitter_key' | 'dossier_code' | 'procedure_code'>,
  b: Pick<ItemRow, 'submitter_key' | 'dossier_code' | 'procedure_code'>,
): 'same-submitter' | 'same-subject' | undefined {
  if (a.submitter_key === b.submitter_key) return 'same-submitter';
  if (a.dossier_code !== null && a.dossier_code === b.dossier_code) return 'same-subject';
  if (a.procedure_code !== null && a.procedure_code === b.procedure_code) return 'same-subject';
  return undefined;
}

/** Whether the item a merged item follows is published or withheld (its answer may then be rated). */
export async function keptItemClosed(db: Db, itemId: string): Promise<boolean> {
  const r = await db
    .selectFrom('feedback.merges as m')
    .innerJoin('feedback.items as k', 'k.id', 'm.kept_item_id')
    .select('k.status')
    .where('m.item_id', '=', itemId)
    .executeTakeFirst();
  return r?.status === 'published' || r?.status === 'withheld';
}

/**
 * Writes an answer unless this agency (or the Government Office, agency null) answered the item already —
 * `answers_item_agency_uq`; a second answer fails the whole transaction with a conflict.
 */
export async function answerOnce(
  trx: Db,
  a: {
    item_id: string;
    agency_code: string | null;
    body: string;
    /** The officer; null when an agency system answered through the API (then its client and key). */
    answered_by: string | null;
    answered_by_client?: string | null;
    idempotency_key?: string | null;
    answered_at: Date;
  },
) {
  // Either unique key refuses a second answer: one per agency and item, one per client and key.
  const r = await sql<{ id: number }>`
    insert into feedback.answers (item_id, agency_code, body, answered_by, answered_by_client, idempotency_key,
      answered_at)
    values (${a.item_id}, ${a.agency_code}, ${a.body}, ${a.answered_by}, ${a.answered_by_client ?? null},
      ${a.idempotency_key ?? null}, ${a.answered_at})
    on conflict do nothing returning id`.execute(trx);
  if (r.rows.length === 0)
    throw new ConflictError('Phản ánh này đã được trả lời / this item was answered already', {
      state: 'answered',
      allowedActions: [],
    });
}

/** What a merged item's pages show: the kept item, and its answers once it is published or withheld. */
export async function keptItemOf(db: Db, itemId: string) {
  const kept = await db
    .selectFrom('feedback.merges as m')
    .innerJoin('feedback.items as k', 'k.id', 'm.kept_item_id')
    .select(['k.id', 'k.code', 'k.title', 'k.status', 'm.merged_at'])
    .where('m.item_id', '=', itemId)
    .executeTakeFirst();
  if (!kept) return undefined;
  const closed = kept.status === 'published' || kept.status === 'withheld';
  const answers = closed
    ? await db
        .selectFrom('feedback.answers')
        .select(['id', 'agency_code', 'body', 'answered_at'])
        .where('item_id', '=', kept.id)
        .orderBy('id')
        .execute()
    : [];
  return {
    code: kept.code,
    title: kept.title,
    status: kept.status,
    mergedAt: kept.merged_at,
    closed,
    answers,
  };
}

/** The items merged into this one, oldest merge first. */
export async function mergedInto(db: Db, keptItemId: string) {
  return db
    .selectFrom('feedback.merges as m')
    .innerJoin('feedback.items as i', 'i.id', 'm.item_id')
    .select(['i.code', 'i.title', 'm.ground', 'm.merged_at'])
    .where('m.kept_item_id', '=', keptItemId)
    .orderBy('m.merged_at')
    .orderBy('i.code')
    .execute();
}
