/**
 * `feedback.routed`: when an item is forwarded to an agency (by the Government Office) or passed to one (by
 * another agency), a message is queued in the transaction that writes the route (the outbox); after commit
 * the handler builds the item as the agency's own software gets it (`routedRecord`) and gives it to the
 * listeners — in app.ts the sync module, which adds it to the outbound feed and its webhooks, the same
 * delivery as dossiers (docs/feedback.md, "Agency systems").
 *
 * The record carries the submitter's name and contact (the form's fields, reference/oversight.md): the
 * agency handles the item in its own software and may have to reach the submitter from there (to clarify,
 * to answer). They go only to clients with scope `feedback` for the agency (or above it) the item is routed
 * to, never to the public; sync checks the scope again when it POSTs.
 */
import type { Kysely } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';
import { enqueue, type OutboxMessage } from '../../../platform/outbox/index.ts';
import type { Deadline } from '../domain/deadlines.ts';
import type { Route } from '../domain/workflow.ts';
import * as repo from '../feedback.repository.ts';
import type { FeedbackTables } from '../feedback.tables.ts';

export const ROUTED_TOPIC = 'feedback.routed';

/** The outbox message: which route, at which revision of the item. */
export interface RoutedMessage {
  code: string;
  revision: number;
  agencyCode: string;
  action: string;
  via: Route['via'];
  at: string;
}

/** What the listeners get (sync's `FeedbackRouted`). */
export interface RoutedEvent {
  code: string;
  revision: number;
  agencyCode: string;
  action: string;
  at: string;
  record: Record<string, unknown>;
}

/** The routes that are new, or forwarded again, between `before` and `after`. */
export function newlyRouted(before: readonly Route[], after: readonly Route[]): Route[] {
  return after.filter((r) => {
    if (r.state !== 'forwarded') return false;
    const old = before.find((b) => b.agency === r.agency);
    return old?.state !== 'forwarded' || old.via !== r.via;
  });
}

/** In the step's transaction: one message per agency the item is newly routed to. */
export async function queueRouted(
  trx: AnyDb,
  step: { code: string; revision: number; action: string; at: Date },
  before: readonly Route[],
  after: readonly Route[],
): Promise<void> {
  for (const r of newlyRouted(before, after)) {
    const message: RoutedMessage = {
      code: step.code,
      revision: step.revision,
      agencyCode: r.agency,
      action: step.action,
      via: r.via,
      at: step.at.toISOString(),
    };
    await enqueue(trx, ROUTED_TOPIC, message, {
      dedupeKey: `${step.code}:${step.revision}:${r.agency}`,
    });
  }
}

/** Where an agency system fetches the item's files and acts on it (the agency API). */
export const agencyApiPath = (code: string) => `/api/v1/agency/feedback/${encodeURIComponent(code)}`;

/**
 * The item as the agency's software gets it: content, category, procedure and dossier, supplements,
 * attachments with links the client fetches with its token, deadlines, and the submitter's contact (to
 * answer them). Read after commit; the facts of the routing are the message's.
 */
export async function routedRecord(
  db: Kysely<FeedbackTables>,
  item: repo.ItemRow,
  routing: { agencyCode: string; via: Route['via']; at: string },
  deadlines: readonly Deadline[],
  publicUrl: string,
): Promise<Record<string, unknown>> {
  const [attachments, events] = await Promise.all([
    repo.attachmentsOf(db, item.id),
    repo.eventsOf(db, item.id),
  ]);
  const api = `${publicUrl}${agencyApiPath(item.code)}`;
  return {
    code: item.code,
    title: item.title,
    content: item.content,
    category: item.category,
    procedureCode: item.procedure_code,
    dossierCode: item.dossier_code,
    concernedAgency: item.concerned_agency,
    channel: item.channel,
    submittedAt: item.submitted_at.toISOString(),
    agencyCode: routing.agencyCode,
    via: routing.via,
    routedAt: routing.at,
    supplements: events
      .filter((e) => e.action === 'supplement')
      .map((e) => ({ at: e.at.toISOString(), text: (e.data as { text?: string }).text ?? '' })),
    attachments: attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      mediaType: a.media_type,
      sizeBytes: Number(a.size_bytes),
      sha256: a.sha256,
      url: `${api}/attachments/${encodeURIComponent(a.id)}`,
    })),
    deadlines: deadlines.map((d) => ({ kind: d.kind, due: d.due.toISOString(), state: d.state })),
    submitter: {
      name: item.submitter_name,
      phone: item.submitter_phone,
      email: item.submitter_email,
      address: item.submitter_address,
    },
    links: {
      self: api,
      acknowledge: `${api}/acknowledge`,
      answer: `${api}/answer`,
      return: `${api}/return`,
    },
  };
}

/**
 * The outbox handler: the record, then every listener (at least once: listeners are idempotent on
 * code, revision and agency; one that throws makes the outbox retry the message).
 */
export function routedHandler(deps: {
  db: Kysely<FeedbackTables>;
  publicUrl: string;
  deadlines(item: repo.ItemRow): Promise<Deadline[]>;
  listeners: ReadonlyArray<(event: RoutedEvent) => Promise<void>>;
}) {
  return async (message: OutboxMessage) => {
    const m = message.payload as RoutedMessage;
    const item = await repo.findItem(deps.db, m.code);
    if (!item) throw new Error(`feedback.routed: item ${m.code} not found`);
    const record = await routedRecord(deps.db, item, m, await deps.deadlines(item), deps.publicUrl);
    const event: RoutedEvent = {
      code: m.code,
      revision: m.revision,
      agencyCode: m.agencyCode,
      action: m.action,
      at: m.at,
      record,
    };
    for (const listener of deps.listeners) await listener(event);
  };
}
