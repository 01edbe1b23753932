/**
 * Feedback for agencies that handle it in their own software (docs/feedback.md, "Agency systems"): the
 * agency's system (a machine client with scope `feedback`, limited to its agencies and those below them)
 * lists the items routed to it, reads one with its files, acknowledges it (its route goes to `external`:
 * handled in its own software), answers it (once per Idempotency-Key) or returns it to the Government
 * Office. Each step is the workflow's own (decide() through the feedback service's `apply`) with the actor
 * `agency` for the route's agency, written with its event and audit row as `client:<id>`. An item not
 * routed to the client's agencies answers 404, as if it did not exist.
 */
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import type { Deadline } from '../domain/deadlines.ts';
import { ACTIVE_ROUTE_STATES, type Command, type Route, type RouteState } from '../domain/workflow.ts';
import * as repo from '../feedback.repository.ts';
import type { FeedbackService } from '../feedback.service.ts';
import type { FeedbackTables } from '../feedback.tables.ts';
import * as agencyRepo from './agency-systems.repository.ts';
import { routedRecord } from './routed.ts';

/** The caller: the machine client and the agencies it was registered for. */
export interface AgencySystem {
  clientId: string;
  agencyCodes: readonly string[];
}

export interface AgencySystemsDeps {
  db: Kysely<FeedbackTables>;
  feedback: Pick<FeedbackService, 'apply' | 'deadlines'>;
  /** An agency and every agency below it (agencies module). */
  subtreeOf(code: string): Promise<string[]>;
  /** The portal's public address (files' links). */
  publicUrl: string;
  /** The attachments' content. */
  blob(key: string): Promise<Readable | undefined>;
}

export const MAX_LIST = 200;

const hidden = (code: string) => new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);

const toRoute = (r: { agency_code: string; state: RouteState; via: Route['via'] }): Route => ({
  agency: r.agency_code,
  state: r.state,
  via: r.via,
});

/** A unique violation (PostgreSQL and PGlite both report SQLSTATE 23505). */
const isUniqueViolation = (e: unknown) => (e as { code?: unknown } | null)?.code === '23505';

export function createAgencySystemsService(deps: AgencySystemsDeps) {
  const { db } = deps;

  /** The agencies whose routes the system may see and act on: its own and those below them. */
  async function agenciesOf(system: AgencySystem): Promise<Set<string>> {
    const all = new Set<string>();
    for (const code of system.agencyCodes) {
      all.add(code);
      for (const below of await deps.subtreeOf(code)) all.add(below);
    }
    return all;
  }

  /**
   * The item and the route the system acts on: `asAgency` if given (one of its agencies), else its active
   * route (or its latest). 404 when the item is not routed to its agencies.
   */
  async function load(system: AgencySystem, code: string, asAgency?: string) {
    const item = await repo.findItem(db, code);
    if (!item) throw hidden(code);
    const rows = await repo.routesOf(db, item.id);
    const mine = await agenciesOf(system);
    const wanted = asAgency?.trim().toUpperCase();
    const candidates = rows.filter(
      (r) => mine.has(r.agency_code) && (wanted === undefined || r.agency_code === wanted),
    );
    const route =
      candidates.find((r) => ACTIVE_ROUTE_STATES.includes(r.state)) ??
      [...candidates].sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime())[0];
    if (!route) throw hidden(code);
    return { item, routes: rows.map(toRoute), route };
  }

  const by = (system: AgencySystem, idempotencyKey?: string) => ({
    label: `client:${system.clientId}`,
    accountId: null,
    clientId: system.clientId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

  async function step(system: AgencySystem, code: string, command: Command, asAgency?: string, key?: string) {
    const { item, routes, route } = await load(system, code, asAgency);
    const done = await deps.feedback.apply(
      item,
      routes,
      command,
      { role: 'agency', agency: route.agency_code },
      by(system, key),
    );
    return { code: done.code, status: done.status, agencyCode: route.agency_code };
  }

  /** The route's state after a step (read back). */
  async function routeState(code: string, agency: string): Promise<RouteState | undefined> {
    const item = await repo.findItem(db, code);
    if (!item) return undefined;
    return (await repo.routesOf(db, item.id)).find((r) => r.agency_code === agency)?.state;
  }

  return {
    /** Routes to the system's agencies, least recently changed first (keyset on the change). */
    async list(
      system: AgencySystem,
      q: {
        state?: RouteState | undefined;
        since?: Date | undefined;
        limit?: number | undefined;
        cursor?: string | undefined;
      },
    ) {
      const limit = Math.min(Math.max(q.limit ?? 50, 1), MAX_LIST);
      const rows = await agencyRepo.listRoutes(db, {
        agencies: [...(await agenciesOf(system))],
        state: q.state,
        since: q.since,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const items = [];
      for (const r of page) {
        const handle = (await deps.feedback.deadlines(r)).find((d) => d.kind === 'handle');
        items.push({ row: r, handle });
      }
      const last = page.at(-1);
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor(last.route_updated_at, last.code, last.agency_code)
            : null,
      };
    },

    /** One item as the system gets it in `feedback.routed`, with its route, its answers and its deadlines. */
    async get(system: AgencySystem, code: string, asAgency?: string) {
      const { item, route } = await load(system, code, asAgency);
      const deadlines: Deadline[] = await deps.feedback.deadlines(item);
      const record = await routedRecord(
        db,
        item,
        { agencyCode: route.agency_code, via: route.via, at: route.routed_at.toISOString() },
        deadlines,
        deps.publicUrl,
      );
      const answers = (await repo.answersOf(db, item.id)).filter((a) => a.agency_code === route.agency_code);
      return { record, item, route, answers };
    },

    /** The route goes to `external` (handled in the agency's own software); again: nothing changes. */
    async acknowledge(system: AgencySystem, code: string, asAgency?: string) {
      const { item, route } = await load(system, code, asAgency);
      if (route.state === 'external')
        return { code, status: item.status, agencyCode: route.agency_code, routeState: route.state };
      const done = await step(system, code, { action: 'hand-off' }, route.agency_code);
      return { ...done, routeState: (await routeState(code, done.agencyCode)) ?? 'external' };
    },

    /**
     * The agency's answer, once per (client, Idempotency-Key): a retry, even concurrent, answers with the
     * first; the same key with another item or text is a conflict. The database's unique key decides.
     */
    async answer(system: AgencySystem, code: string, text: string, key: string, asAgency?: string) {
      const body = text.normalize('NFC').trim();
      if (body === '' || body.length > 20_000)
        throw new ValidationError('Cần nhập nội dung trả lời (tối đa 20000 ký tự) / an answer is required', [
          { path: 'text', message: 'Cần nhập nội dung trả lời / an answer is required' },
        ]);
      const replay = async () => {
        const prior = await agencyRepo.findAnswerByKey(db, system.clientId, key);
        if (!prior) return undefined;
        const item = await repo.findItem(db, code);
        if (!item || prior.item_id !== item.id || prior.body !== body)
          throw new ConflictError(
            'Idempotency-Key này đã dùng cho trả lời khác / this key was used for another answer',
            {
              state: 'key-reused',
            },
          );
        return {
          created: false,
          code,
          status: item.status,
          agencyCode: prior.agency_code ?? '',
          routeState: (await routeState(code, prior.agency_code ?? '')) ?? 'answered',
          answeredAt: prior.answered_at,
        };
      };
      const seen = await replay();
      if (seen) return seen;
      try {
        const done = await step(system, code, { action: 'answer', text: body }, asAgency, key);
        const mine = await agencyRepo.findAnswerByKey(db, system.clientId, key);
        return {
          created: true,
          ...done,
          routeState: (await routeState(code, done.agencyCode)) ?? 'answered',
          answeredAt: mine?.answered_at ?? new Date(),
        };
      } catch (e) {
        // A concurrent retry won (the item moved on, or the key's unique index refused the second answer).
        if (e instanceof ConflictError || isUniqueViolation(e)) {
          const again = await replay();
          if (again) return again;
        }
        throw e;
      }
    },

    /** Back to the Government Office, with a reason (not the agency's to handle). */
    async returnToOffice(system: AgencySystem, code: string, reason: string, asAgency?: string) {
      const done = await step(system, code, { action: 'return', reason: reason.normalize('NFC') }, asAgency);
      return { ...done, routeState: (await routeState(code, done.agencyCode)) ?? 'returned' };
    },

    /** An attachment of an item routed to the system's agencies (404 otherwise). */
    async attachment(system: AgencySystem, code: string, id: string) {
      const { item } = await load(system, code);
      const a = (await repo.attachmentsOf(db, item.id)).find((x) => x.id === id);
      const content = a ? await deps.blob(a.blob_key) : undefined;
      if (!a || !content) throw new NotFoundError('Không tìm thấy tệp / file not found');
      return { fileName: a.file_name, mediaType: a.media_type, content };
    },
  };
}

export type AgencySystemsService = ReturnType<typeof createAgencySystemsService>;

const encodeCursor = (at: Date, code: string, agency: string) =>
  Buffer.from(`${at.toISOString()}|${code}|${agency}`).toString('base64url');

function decodeCursor(cursor: string) {
  const [at, code, agency] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const updatedAt = new Date(at ?? '');
  if (!code || !agency || Number.isNaN(updatedAt.getTime()))
    throw new ValidationError('Con trỏ không hợp lệ / bad cursor', [{ path: 'cursor', message: 'invalid' }]);
  return { updatedAt, code, agency };
}
