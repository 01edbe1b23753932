/**
 * Queries of the agency-system API: the routes of the client's agencies and the answers a client gave with
 * an Idempotency-Key. The database (or transaction) first.
 */
import type { Kysely } from 'kysely';
import type { RouteState } from '../domain/workflow.ts';
import type { FeedbackTables } from '../feedback.tables.ts';

type Db = Kysely<FeedbackTables>;

export interface RouteListQuery {
  agencies: readonly string[];
  state?: RouteState | undefined;
  /** Routes changed at or after this moment. */
  since?: Date | undefined;
  /** Keyset: after this (updated_at, item code, agency). */
  after?: { updatedAt: Date; code: string; agency: string } | undefined;
  limit: number;
}

/** Routes to `agencies`, least recently changed first, with their item (whole rows: deadlines need them). */
export async function listRoutes(db: Db, q: RouteListQuery) {
  if (q.agencies.length === 0) return [];
  let query = db
    .selectFrom('feedback.routes as r')
    .innerJoin('feedback.items as i', 'i.id', 'r.item_id')
    .selectAll('i')
    .select([
      'r.agency_code',
      'r.state as route_state',
      'r.via',
      'r.routed_at',
      'r.updated_at as route_updated_at',
    ])
    .where('r.agency_code', 'in', [...q.agencies]);
  if (q.state) query = query.where('r.state', '=', q.state);
  if (q.since) query = query.where('r.updated_at', '>=', q.since);
  const after = q.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('r.updated_at', '>', after.updatedAt),
        eb.and([eb('r.updated_at', '=', after.updatedAt), eb('i.code', '>', after.code)]),
        eb.and([
          eb('r.updated_at', '=', after.updatedAt),
          eb('i.code', '=', after.code),
          eb('r.agency_code', '>', after.agency),
        ]),
      ]),
    );
  return query.orderBy('r.updated_at').orderBy('i.code').orderBy('r.agency_code').limit(q.limit).execute();
}

/** The answer a client gave with this Idempotency-Key, if any. */
export async function findAnswerByKey(db: Db, clientId: string, key: string) {
  return db
    .selectFrom('feedback.answers')
    .selectAll()
    .where('answered_by_client', '=', clientId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}
