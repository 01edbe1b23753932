/**
 * Feedback's queries. Every function takes the database or the current transaction first; `find*` may
 * return nothing, `get*` throws. The public side reads only `feedback.published`.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { FeedbackStatus } from '../../platform/kernel/index.ts';
import type { Route } from './domain/workflow.ts';
import type { Category, FeedbackTables, ItemTable, StoredPause } from './feedback.tables.ts';

type Db = Kysely<FeedbackTables>;
export type ItemRow = Selectable<ItemTable>;

/** The next item code, PAKN-YYYY-NNNNNNN (numbers are never reused, gaps are fine). */
export async function allocateCode(trx: Db, year: number): Promise<string> {
  const r = await sql<{ n: string | number }>`select nextval('feedback.item_number_seq') as n`.execute(trx);
  return `PAKN-${year}-${String(r.rows[0]!.n).padStart(7, '0')}`;
}

export interface NewItem {
  code: string;
  title: string;
  content: string;
  category: Category;
  procedure_code: string | null;
  dossier_code: string | null;
  concerned_agency: string | null;
  channel: 'web' | 'api' | 'hotline';
  submitter_account_id: string | null;
  submitter_key: string;
  submitter_name: string;
  submitter_phone: string | null;
  submitter_email: string | null;
  submitter_address: string | null;
  idempotency_key: string;
  regime: string;
  submitted_at: Date;
}

/** Inserts the item unless the submitter already used the idempotency key; undefined then. */
export async function insertItem(trx: Db, item: NewItem): Promise<ItemRow | undefined> {
  return trx
    .insertInto('feedback.items')
    .values({ ...item, status: 'submitted', pauses: '[]' })
    .onConflict((oc) => oc.columns(['submitter_key', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findByIdempotencyKey(
  db: Db,
  submitterKey: string,
  key: string,
): Promise<ItemRow | undefined> {
  return db
    .selectFrom('feedback.items')
    .selectAll()
    .where('submitter_key', '=', submitterKey)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function findItem(db: Db, code: string): Promise<ItemRow | undefined> {
  return db.selectFrom('feedback.items').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The item, locked for the rest of the transaction. */
export async function lockItem(trx: Db, code: string): Promise<ItemRow | undefined> {
  return trx.selectFrom('feedback.items').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function routesOf(db: Db, itemId: string) {
  return db
    .selectFrom('feedback.routes')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('routed_at')
    .orderBy('agency_code')
    .execute();
}

export interface ItemPatch {
  status: FeedbackStatus;
  accepted_at?: Date;
  refused_at?: Date;
  asked_at?: Date;
  forwarded_at?: Date;
  answered_at?: Date;
  closed_at?: Date;
  pauses?: StoredPause[];
  reason?: string;
  rated_satisfied?: boolean;
  rated_at?: Date;
  content?: string;
}

/** Applies the patch only at `revision` (the one the decision was made on); false if it moved since. */
export async function updateItemAt(
  trx: Db,
  id: string,
  revision: number,
  patch: ItemPatch,
): Promise<boolean> {
  const { pauses, ...rest } = patch;
  const r = await trx
    .updateTable('feedback.items')
    .set({ ...rest, ...(pauses ? { pauses: JSON.stringify(pauses) } : {}), revision: revision + 1 })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Writes the routes that differ from `before` (new ones, changed states). */
export async function saveRoutes(
  trx: Db,
  itemId: string,
  before: readonly Route[],
  after: readonly Route[],
  now: Date,
): Promise<void> {
  for (const r of after) {
    const old = before.find((b) => b.agency === r.agency);
    if (old && old.state === r.state && old.via === r.via) continue;
    const fresh = !old || r.state === 'forwarded';
    await trx
      .insertInto('feedback.routes')
      .values({
        item_id: itemId,
        agency_code: r.agency,
        state: r.state,
        via: r.via,
        routed_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['item_id', 'agency_code'])
          .doUpdateSet({ state: r.state, via: r.via, updated_at: now, ...(fresh ? { routed_at: now } : {}) }),
      )
      .execute();
  }
}

export async function insertEvent(
  trx: Db,
  e: {
    item_id: string;
    at: Date;
    actor: string;
    action: FeedbackTables['feedback.events']['action'];
    from_status: FeedbackStatus | null;
    to_status: FeedbackStatus;
    agency_code: string | null;
    data: Record<string, unknown>;
  },
): Promise<void> {
  await trx
    .insertInto('feedback.events')
    .values({ ...e, data: JSON.stringify(e.data) })
    .execute();
}

export async function eventsOf(db: Db, itemId: string) {
  return db.selectFrom('feedback.events').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
}

export async function answersOf(db: Db, itemId: string) {
  return db.selectFrom('feedback.answers').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
}

export interface PublishedRow {
  item_id: string;
  code: string;
  title: string;
  content: string;
  category: Category;
  procedure_code: string | null;
  agency_codes: string[];
  answer: string;
  submitted_at: Date;
  answered_at: Date;
  published_at: Date;
  handled_on_time: boolean;
  handling_tenths: number;
  handling_limit_days: number;
}

/** The public row of a published item; `folded` are the folded title, content and answer. */
export async function insertPublished(
  trx: Db,
  p: PublishedRow,
  folded: { title: string; content: string; answer: string },
): Promise<void> {
  await sql`
    insert into feedback.published (item_id, code, title, content, category, procedure_code, agency_codes, answer,
      submitted_at, answered_at, published_at, handled_on_time, handling_tenths, handling_limit_days, document)
    values (${p.item_id}, ${p.code}, ${p.title}, ${p.content}, ${p.category}, ${p.procedure_code},
      ${p.agency_codes}::text[],
      ${p.answer}, ${p.submitted_at}, ${p.answered_at}, ${p.published_at}, ${p.handled_on_time},
      ${p.handling_tenths}, ${p.handling_limit_days},
      setweight(to_tsvector('simple', ${folded.title}), 'A') || setweight(to_tsvector('simple', ${folded.content}), 'B')
        || setweight(to_tsvector('simple', ${folded.answer}), 'C'))
    on conflict (item_id) do nothing`.execute(trx);
}

const PUBLIC_COLUMNS = [
  'code',
  'title',
  'content',
  'category',
  'procedure_code',
  'agency_codes',
  'answer',
  'submitted_at',
  'answered_at',
  'published_at',
  'handled_on_time',
  'handling_tenths',
  'handling_limit_days',
] as const;

export async function findPublished(db: Db, code: string) {
  return db
    .selectFrom('feedback.published')
    .select(PUBLIC_COLUMNS)
    .where('code', '=', code)
    .executeTakeFirst();
}

export interface PublishedQuery {
  /** A to_tsquery('simple') text (search-text.ts), or null for all. */
  tsquery: string | null;
  agency?: string | undefined;
  procedure?: string | undefined;
  category?: Category | undefined;
  limit: number;
  /** Keyset: items published before this (published_at, code). */
  after?: { publishedAt: Date; code: string } | undefined;
}

/** Published items, newest first. */
export async function searchPublished(db: Db, q: PublishedQuery) {
  let query = db.selectFrom('feedback.published').select(PUBLIC_COLUMNS);
  if (q.tsquery !== null) query = query.where(sql<boolean>`document @@ to_tsquery('simple', ${q.tsquery})`);
  if (q.agency) query = query.where(sql<boolean>`agency_codes @> array[${q.agency}]::text[]`);
  if (q.procedure) query = query.where('procedure_code', '=', q.procedure);
  if (q.category) query = query.where('category', '=', q.category);
  if (q.after)
    query = query.where(sql<boolean>`(published_at, code) < (${q.after.publishedAt}, ${q.after.code})`);
  return query.orderBy('published_at', 'desc').orderBy('code', 'desc').limit(q.limit).execute();
}

// One-time codes of anonymous submitters.

export async function insertContactCode(
  trx: Db,
  c: { destination: string; channel: 'sms' | 'email'; code_hash: string; created_at: Date; expires_at: Date },
): Promise<string> {
  const r = await trx
    .insertInto('feedback.contact_codes')
    .values(c)
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Counts an attempt on a live challenge for `destination`, in one statement (parallel guesses cannot get
 * past the limit); the challenge as it is after counting, or undefined if it is dead.
 */
export async function countContactAttempt(
  db: Db,
  id: string,
  destination: string,
  now: Date,
  maxAttempts: number,
) {
  return db
    .updateTable('feedback.contact_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('destination', '=', destination)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning(['id', 'code_hash', 'attempts'])
    .executeTakeFirst();
}

/** Marks the challenge used, once; false if it was used already. */
export async function takeContactCode(trx: Db, id: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('feedback.contact_codes')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Lists for officers and submitters (bounded; newest submissions first within what waits).

// Lists carry whole item rows: deadlines are computed from them, without a query per row.

/** Items waiting for the Government Office (triage, returned, answered), oldest first. */
export async function listWaitingForOffice(db: Db, statuses: readonly FeedbackStatus[], limit: number) {
  if (statuses.length === 0) return [];
  return db
    .selectFrom('feedback.items')
    .selectAll()
    .where('status', 'in', [...statuses])
    .orderBy('submitted_at')
    .limit(limit)
    .execute();
}

/** Items with an active route to one of `agencies`, oldest routing first. */
export async function listRoutedTo(db: Db, agencies: readonly string[], limit: number) {
  if (agencies.length === 0) return [];
  return db
    .selectFrom('feedback.routes as r')
    .innerJoin('feedback.items as i', 'i.id', 'r.item_id')
    .selectAll('i')
    .select(['r.agency_code', 'r.state as route_state', 'r.routed_at'])
    .where('r.agency_code', 'in', [...agencies])
    .where('r.state', 'in', ['forwarded', 'handling', 'external'])
    .orderBy('r.routed_at')
    .limit(limit)
    .execute();
}

export async function listOfSubmitter(db: Db, accountId: string, limit: number) {
  return db
    .selectFrom('feedback.items')
    .selectAll()
    .where('submitter_account_id', '=', accountId)
    .orderBy('submitted_at', 'desc')
    .limit(limit)
    .execute();
}

/** Published items most like a text (an OR query), best first; what the form suggests before sending. */
export async function similarPublished(db: Db, tsquery: string, limit: number) {
  return db
    .selectFrom('feedback.published')
    .select(PUBLIC_COLUMNS)
    .where(sql<boolean>`document @@ to_tsquery('simple', ${tsquery})`)
    .orderBy(sql`ts_rank(document, to_tsquery('simple', ${tsquery}))`, 'desc')
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertAttachment(
  trx: Db,
  a: {
    item_id: string;
    file_name: string;
    media_type: string;
    size_bytes: number;
    sha256: string;
    blob_key: string;
    uploaded_at: Date;
  },
) {
  return trx
    .insertInto('feedback.attachments')
    .values(a)
    .returning(['id', 'file_name', 'media_type', 'size_bytes'])
    .executeTakeFirstOrThrow();
}

export async function attachmentsOf(db: Db, itemId: string) {
  return db
    .selectFrom('feedback.attachments')
    .select(['id', 'file_name', 'media_type', 'size_bytes', 'sha256', 'blob_key', 'uploaded_at'])
    .where('item_id', '=', itemId)
    .orderBy('uploaded_at')
    .execute();
}
