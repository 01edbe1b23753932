/**
 * Feedback's service: submission (with an account, or anonymous with a contact proven by a one-time code,
 * rate limited), the workflow's actions (a pure decide(), then an update applied only at the expected
 * revision with the routes, event, answer, published row and audit row in one transaction), and what each
 * caller may read: the public only published items without contact data.
 */
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { type BlobStore, SNIFF_BYTES, sniff } from '../../platform/files/index.ts';
import type { RateLimiter, Secrets } from '../../platform/security/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import { queueRouted } from './agency-systems/routed.ts';
import { createContactCodes, LIMITS, parseContact } from './contact-codes.ts';
import {
  DEFAULT_REGIME,
  type Deadline,
  deadlinesOf,
  handlingDays,
  type Regime,
  type Timeline,
  worstOpen,
} from './domain/deadlines.ts';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPES,
  ATTACHMENTS_PER_ITEM,
  attachmentTypeOf,
} from './domain/file-kind.ts';
import { foldText, similarQueryOf, tsQueryOf } from './domain/search-text.ts';
import {
  type Actor,
  allowedActions,
  type Command,
  decide,
  type FeedbackAction,
  type Route,
} from './domain/workflow.ts';
import { type Caller, maySeeItem, roleFor, type Standing, standingOf } from './feedback.policies.ts';
import { AGENCY_HANDLER_ROLES, type FeedbackPorts, GOVERNMENT_OFFICE } from './feedback.ports.ts';
import * as repo from './feedback.repository.ts';
import { createSubmission, fieldProblem } from './feedback.submission.ts';
import type { Category, FeedbackTables, StoredPause } from './feedback.tables.ts';
import { answerOnce, keptItemClosed, keptItemOf, mergedInto, mergeInto } from './merge.ts';

export type { SubmitCaller, SubmitInput } from './feedback.submission.ts';

export interface FeedbackServiceDeps {
  db: AnyDb;
  /** Where attachments' content is kept (platform/files). */
  blobs: BlobStore;
  clock: Clock;
  limiter: RateLimiter;
  secrets: Secrets;
  ports: FeedbackPorts;
  regime?: Regime;
  /** Tests only: a fixed one-time code. */
  newCode?: () => string;
  /** Queue `feedback.routed` for agencies' own systems when an item is routed (agency-systems/routed.ts). */
  announceRoutes?: boolean;
}

/** While an item may still take attachments from its submitter. */
const ATTACHABLE: readonly string[] = ['submitted', 'supplemented', 'awaiting-info'];

/** The stream's bytes, or undefined past `max` (the rest is drained). */
async function readAtMost(stream: Readable, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) {
      stream.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What the Government Office's queue shows. */
const OFFICE_QUEUE = ['submitted', 'supplemented', 'accepted', 'returned', 'answered'] as const;

export function timelineOf(item: repo.ItemRow): Timeline {
  return {
    submittedAt: item.submitted_at,
    acceptedAt: item.accepted_at,
    refusedAt: item.refused_at,
    askedAt: item.asked_at,
    forwardedAt: item.forwarded_at,
    answeredAt: item.answered_at,
    closedAt: item.closed_at,
    mergedAt: item.status === 'merged' ? item.closed_at : null,
    pauses: (item.pauses as StoredPause[]).map((p) => ({
      from: new Date(p.from),
      to: p.to ? new Date(p.to) : null,
    })),
  };
}

const toRoute = (r: { agency_code: string; state: Route['state']; via: Route['via'] }): Route => ({
  agency: r.agency_code,
  state: r.state,
  via: r.via,
});

export function createFeedbackService(deps: FeedbackServiceDeps) {
  const db = scoped<FeedbackTables>(deps.db);
  const { clock, ports } = deps;
  const regime = deps.regime ?? DEFAULT_REGIME;
  const codes = createContactCodes({
    db,
    clock,
    limiter: deps.limiter,
    secrets: deps.secrets,
    sendCode: ports.sendCode,
    ...(deps.newCode ? { newCode: deps.newCode } : {}),
  });

  const { submit } = createSubmission({ db, clock, ports, regime, codes, blobs: deps.blobs });

  // --- Actions ----------------------------------------------------------------------------------------------

  async function load(code: string, caller: Caller) {
    const item = await repo.findItem(db, code);
    if (!item) throw new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    const routes = (await repo.routesOf(db, item.id)).map(toRoute);
    const standing = await standingOf(
      ports,
      caller,
      item,
      routes.map((r) => r.agency),
    );
    return { item, routes, standing };
  }

  async function act(code: string, given: Command, caller: Caller) {
    const command = withAgencyCodes(given);
    const { item, routes, standing } = await load(code, { ...caller, agency: caller.agency?.toUpperCase() });
    if (!maySeeItem(standing))
      throw new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    const role = roleFor(standing, command.action);
    const actor: Actor = role === 'agency' && standing.agency ? { role, agency: standing.agency } : { role };
    return apply(item, routes, command, actor, {
      label: `user:${caller.accountId}`,
      accountId: caller.accountId,
    });
  }

  /**
   * Decides `command` for `actor` on the item as read, then writes it at the read revision: the item, its
   * routes, the answer, the event, the published row and the audit row, in one transaction (`inside` adds a
   * step to it, e.g. using up a one-time code).
   */
  async function apply(
    item: repo.ItemRow,
    routes: Route[],
    command: Command,
    actor: Actor,
    by: {
      label: string;
      accountId: string | null;
      /** An agency system acting through the API (its answer is the client's, with its key). */
      clientId?: string;
      idempotencyKey?: string;
    },
    inside?: (trx: Kysely<FeedbackTables>, now: Date) => Promise<void>,
  ) {
    const code = item.code;
    const role = actor.role;
    const state = {
      status: item.status,
      routes,
      rated: item.rated_at !== null,
      keptClosed: item.status === 'merged' && (await keptItemClosed(db, item.id)),
    };
    const d = decide(state, command, actor);
    if (!d.ok) {
      if (d.kind === 'forbidden') throw new ForbiddenError(d.message);
      if (d.kind === 'invalid')
        throw new ValidationError(d.message, [{ path: fieldOf(command), message: d.message }]);
      throw new ConflictError(d.message, { state: item.status, allowedActions: [...d.allowed] });
    }
    if (command.action === 'forward' || command.action === 'pass') {
      const targets = command.action === 'forward' ? command.agencies : [command.to];
      for (const a of targets)
        if (!(await ports.agencyExists(a.trim())))
          throw new ValidationError(`Không có cơ quan ${a} / unknown agency`, [
            { path: 'agencies', message: 'unknown agency' },
          ]);
    }
    const now = clock.now();
    const patch = patchFor(item, command, d.status, now);
    const label = by.label;
    const data = dataOf(command);
    const published = d.status === 'published' ? await publicRow(item, now) : undefined;
    await db.transaction().execute(async (trx) => {
      if (inside) await inside(trx, now);
      if (command.action === 'merge') await mergeInto(trx, item, command.into, by.accountId!, now);
      if (!(await repo.updateItemAt(trx, item.id, item.revision, patch)))
        throw new ConflictError('Phản ánh vừa được cập nhật, vui lòng tải lại / the item changed meanwhile', {
          state: item.status,
          allowedActions: [],
        });
      await repo.saveRoutes(trx, item.id, routes, d.routes, now);
      if (deps.announceRoutes)
        await queueRouted(
          trx,
          { code, revision: item.revision + 1, action: command.action, at: now },
          routes,
          d.routes,
        );
      if (command.action === 'answer')
        await answerOnce(trx, {
          item_id: item.id,
          agency_code: role === 'agency' ? (actor.agency ?? null) : null,
          body: command.text.trim(),
          answered_by: by.accountId,
          answered_by_client: by.clientId ?? null,
          idempotency_key: by.idempotencyKey ?? null,
          answered_at: now,
        });
      await repo.insertEvent(trx, {
        item_id: item.id,
        at: now,
        actor: label,
        action: command.action,
        from_status: item.status,
        to_status: d.status,
        agency_code: role === 'agency' ? (actor.agency ?? null) : null,
        data,
      });
      if (published) await repo.insertPublished(trx, published.row, published.folded);
      await appendAudit(
        trx,
        {
          actor: label,
          action: `feedback.${command.action}`,
          subject: `feedback:${code}`,
          data: { ...data, to: d.status },
        },
        now,
      );
    });
    return { code, status: d.status };
  }

  /**
   * An anonymous submitter follows their item: the item's code, the contact it was sent with and a new
   * one-time code sent there. Anything that does not match answers 404, as for an unknown item (attempts
   * are limited per address). With `satisfied`, the answer is rated at the same time; with `text`, the
   * information asked for is supplemented, and the code is used up; reading alone leaves it usable for one
   * action within its lifetime (each use counts an attempt).
   */
  async function follow(
    code: string,
    input: {
      contact: string;
      challengeId: string;
      code: string;
      satisfied?: boolean | undefined;
      text?: string | undefined;
    },
    ip: string,
  ) {
    await codes.limit(LIMITS.codeVerifyIp, ip);
    const item = await repo.findItem(db, code);
    const contact = parseContact(input.contact);
    const hidden = new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    if (!item || !contact || item.submitter_account_id !== null) throw hidden;
    if (item.submitter_phone !== contact.destination && item.submitter_email !== contact.destination)
      throw hidden;
    await codes.verify(input.challengeId, contact, input.code, ip);
    const routes = (await repo.routesOf(db, item.id)).map(toRoute);
    const by = { label: `contact:${contact.channel}`, accountId: null };
    const take = (trx: Kysely<FeedbackTables>) => codes.take(trx, input.challengeId);
    if (input.satisfied !== undefined)
      await apply(
        item,
        routes,
        { action: 'rate', satisfied: input.satisfied },
        { role: 'submitter' },
        by,
        take,
      );
    else if (input.text !== undefined)
      await apply(item, routes, { action: 'supplement', text: input.text }, { role: 'submitter' }, by, take);
    // Reading only: the code stays usable (until it expires or its attempts run out) for one action after.
    const fresh = (await repo.findItem(db, code))!;
    const [answers, events, kept] = await Promise.all([
      repo.answersOf(db, fresh.id),
      repo.eventsOf(db, fresh.id),
      fresh.status === 'merged' ? keptItemOf(db, fresh.id) : Promise.resolve(undefined),
    ]);
    return { item: fresh, answers, events, kept, deadlines: await deadlines(fresh) };
  }

  /** The published row: the answers so far joined, on time against the handling limit. */
  async function publicRow(item: repo.ItemRow, now: Date) {
    const answers = await repo.answersOf(db, item.id);
    const answer = answers.map((a) => a.body).join('\n\n');
    const wt = await ports.workingTime(item.submitted_at);
    const handle = deadlinesOf(wt, regimeOf(item), timelineOf(item), now).find((x) => x.kind === 'handle');
    const agencies = [
      ...new Set([
        ...answers.map((a) => a.agency_code).filter((a): a is string => a !== null),
        ...(item.concerned_agency ? [item.concerned_agency] : []),
      ]),
    ];
    return {
      row: {
        item_id: item.id,
        code: item.code,
        title: item.title,
        content: item.content,
        category: item.category,
        procedure_code: item.procedure_code,
        agency_codes: agencies,
        answer,
        submitted_at: item.submitted_at,
        answered_at: item.answered_at ?? now,
        published_at: now,
        handled_on_time: handle?.state === 'met',
        handling_tenths: Math.round((handlingDays(wt, timelineOf(item), now) ?? 0) * 10),
        handling_limit_days: regimeOf(item).handleWithin,
      },
      folded: { title: foldText(item.title), content: foldText(item.content), answer: foldText(answer) },
    };
  }

  // --- Reading ----------------------------------------------------------------------------------------------

  const regimeOf = (item: repo.ItemRow): Regime => ({ ...regime, ...(item.regime as Regime) });

  /** Everything about the item for those who may see it (404 otherwise), with its deadlines and actions. */
  async function getForCaller(code: string, caller: Caller) {
    const { item, routes, standing } = await load(code, caller);
    if (!maySeeItem(standing))
      throw new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    const [answers, events, attachments, kept, merged] = await Promise.all([
      repo.answersOf(db, item.id),
      repo.eventsOf(db, item.id),
      repo.attachmentsOf(db, item.id),
      item.status === 'merged' ? keptItemOf(db, item.id) : Promise.resolve(undefined),
      mergedInto(db, item.id),
    ]);
    return {
      item,
      routes,
      answers,
      events,
      attachments,
      /** For a merged item: the item it follows (with its answers once published or withheld). */
      kept,
      /** The items merged into this one. */
      merged,
      deadlines: await deadlines(item),
      actions: actionsFor(item, routes, standing, kept?.closed ?? false),
    };
  }

  function actionsFor(
    item: repo.ItemRow,
    routes: Route[],
    standing: Standing,
    keptClosed: boolean,
  ): FeedbackAction[] {
    const state = { status: item.status, routes, rated: item.rated_at !== null, keptClosed };
    const out = new Set<FeedbackAction>();
    for (const role of standing.roles)
      for (const a of allowedActions(
        state,
        role === 'agency' && standing.agency ? { role, agency: standing.agency } : { role },
      ))
        out.add(a);
    return [...out];
  }

  async function deadlines(item: repo.ItemRow): Promise<Deadline[]> {
    const wt = await ports.workingTime(item.submitted_at);
    return deadlinesOf(wt, regimeOf(item), timelineOf(item), clock.now());
  }

  /** Published items only, newest first; never contact data. */
  async function search(q: {
    q?: string | undefined;
    agency?: string | undefined;
    procedure?: string | undefined;
    category?: Category | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  }) {
    const limit = Math.min(Math.max(q.limit ?? 20, 1), 100);
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const tsquery = q.q ? tsQueryOf(q.q) : null;
    const rows = await repo.searchPublished(db, {
      tsquery,
      agency: q.agency,
      procedure: q.procedure,
      category: q.category,
      limit: limit + 1,
      after,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor(last.published_at, last.code) : null,
    };
  }

  /**
   * Attaches a file to an item, by its submitter (signed in) while it waits for triage or information:
   * the type by content (JPG, PDF, DOC, DOCX, XLS, XLSX), at most 10 MB and 5 files.
   */
  async function attach(code: string, caller: Caller, file: { fileName: string; content: Readable }) {
    const { item, standing } = await load(code, caller);
    if (!standing.roles.includes('submitter')) {
      file.content.resume();
      throw new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    }
    if (!ATTACHABLE.includes(item.status)) {
      file.content.resume();
      throw new ConflictError(
        'Chỉ đính kèm khi phản ánh đang chờ tiếp nhận hoặc bổ sung / not attachable now',
        {
          state: item.status,
          allowedActions: [],
        },
      );
    }
    const existing = await repo.attachmentsOf(db, item.id);
    if (existing.length >= ATTACHMENTS_PER_ITEM) {
      file.content.resume();
      throw fieldProblem([
        {
          path: 'file',
          message: `Tối đa ${ATTACHMENTS_PER_ITEM} tệp / at most ${ATTACHMENTS_PER_ITEM} files`,
        },
      ]);
    }
    const content = await readAtMost(file.content, ATTACHMENT_MAX_BYTES);
    if (content === undefined)
      throw fieldProblem([{ path: 'file', message: 'Tệp lớn hơn 10 MB / the file is larger than 10 MB' }]);
    const type =
      content.length === 0 ? undefined : attachmentTypeOf(sniff(content.subarray(0, SNIFF_BYTES)), content);
    if (!type)
      throw fieldProblem([
        {
          path: 'file',
          message: 'Chỉ nhận tệp JPG, PDF, DOC, DOCX, XLS, XLSX / only JPG, PDF, DOC, DOCX, XLS, XLSX',
        },
      ]);
    const blob = await deps.blobs.put(Readable.from([content]), {
      maxBytes: ATTACHMENT_MAX_BYTES,
      accept: (t) => t !== undefined,
    });
    const now = clock.now();
    const name = storedFileName(file.fileName || `tep.${ATTACHMENT_TYPES[type]}`);
    try {
      return await db.transaction().execute(async (trx) => {
        const row = await repo.insertAttachment(trx, {
          item_id: item.id,
          file_name: name,
          media_type: type,
          size_bytes: blob.sizeBytes,
          sha256: blob.sha256,
          blob_key: blob.key,
          uploaded_at: now,
        });
        await appendAudit(
          trx,
          {
            actor: `user:${caller.accountId}`,
            action: 'feedback.attach',
            subject: `feedback:${code}`,
            data: { file: name, type, sha256: blob.sha256 },
          },
          now,
        );
        return row;
      });
    } catch (e) {
      await deps.blobs.delete(blob.key);
      throw e;
    }
  }

  /** An attachment's content, for those who may see the item (404 otherwise). */
  async function attachment(code: string, caller: Caller, id: string) {
    const { item, standing } = await load(code, caller);
    if (!maySeeItem(standing))
      throw new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    const a = (await repo.attachmentsOf(db, item.id)).find((x) => x.id === id);
    const content = a ? await deps.blobs.get(a.blob_key) : undefined;
    if (!a || !content) throw new NotFoundError('Không tìm thấy tệp / file not found');
    return { ...a, content };
  }

  /** Published items like what is being written (before sending: perhaps it was answered already). */
  async function similar(text: string, limit = 5) {
    const q = similarQueryOf(text.slice(0, 1000));
    return q === null ? [] : repo.similarPublished(db, q, Math.min(Math.max(limit, 1), 10));
  }

  async function publicView(code: string) {
    const p = await repo.findPublished(db, code);
    if (!p) throw new NotFoundError(`Không tìm thấy phản ánh ${code} / feedback not found`);
    return p;
  }

  /** What waits for this officer: the Government Office's queue and the routes of their agencies. */
  async function inbox(accountId: string) {
    const office = await ports.can(accountId, 'vpcp-supervisor', GOVERNMENT_OFFICE);
    const agencies = new Set<string>();
    for (const role of AGENCY_HANDLER_ROLES)
      for (const a of await ports.agenciesWhere(accountId, role)) agencies.add(a);
    const [waiting, routed] = await Promise.all([
      office ? repo.listWaitingForOffice(db, OFFICE_QUEUE, 200) : Promise.resolve([]),
      repo.listRoutedTo(db, [...agencies], 200),
    ]);
    const rows = [
      ...waiting.map((r) => ({ ...r, agency: null as string | null })),
      ...routed.map((r) => ({ ...r, agency: r.agency_code as string | null })),
    ];
    return withDeadlines(rows);
  }

  /** The submitter's own items, newest first. */
  async function mine(accountId: string) {
    return withDeadlines(
      (await repo.listOfSubmitter(db, accountId, 200)).map((r) => ({ ...r, agency: null })),
    );
  }

  /** Each row with its nearest open deadline and the worst open state (one calendar for the list). */
  async function withDeadlines<T extends repo.ItemRow>(rows: T[]) {
    if (rows.length === 0) return [];
    const now = clock.now();
    const wt = await ports.workingTime(now);
    return rows.map((r) => {
      const ds = deadlinesOf(wt, regimeOf(r), timelineOf(r), now);
      // The nearest open deadline is the one to act on.
      const open = ds.filter((d) => d.doneAt === null).sort((a, b) => a.due.getTime() - b.due.getTime());
      return { ...r, deadline: open[0] ?? null, worst: worstOpen(ds) };
    });
  }

  return {
    /** For the module's own operations (answers to many items, templates): the item and caller's standing. */
    loadItem: load,
    /** For the module's own operations: decides and writes one command, as `act` does. */
    applyCommand: apply,
    withDeadlines,
    inbox,
    mine,
    requestCode: (contact: string, ip: string) => codes.request(contact, ip),
    submit,
    act,
    getForCaller,
    search,
    similar,
    follow,
    attach,
    attachment,
    publicView,
    /** Whether an item with this code exists (for the hotline desk's links; no access check). */
    exists: async (code: string) => (await repo.findItem(db, code)) !== undefined,
    /** For agency systems (agency-systems/): a decided step on an item as read, and its deadlines. */
    apply,
    deadlines,
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;

/** Agency codes as the agencies module keeps them (upper case). */
function withAgencyCodes(c: Command): Command {
  if (c.action === 'forward') return { ...c, agencies: c.agencies.map((a) => a.trim().toUpperCase()) };
  if (c.action === 'pass') return { ...c, to: c.to.trim().toUpperCase() };
  return c;
}

function fieldOf(c: Command): string {
  switch (c.action) {
    case 'refuse':
    case 'return':
    case 'withhold':
    case 'pass':
      return 'reason';
    case 'ask-info':
      return 'question';
    case 'forward':
      return 'agencies';
    default:
      return 'text';
  }
}

function dataOf(c: Command): Record<string, unknown> {
  const { action: _, ...rest } = c;
  return rest as Record<string, unknown>;
}

function patchFor(
  item: repo.ItemRow,
  c: Command,
  status: repo.ItemPatch['status'],
  now: Date,
): repo.ItemPatch {
  const pauses = item.pauses as StoredPause[];
  switch (c.action) {
    case 'accept':
      return { status, accepted_at: now };
    case 'refuse':
      return { status, refused_at: now, reason: c.reason.trim() };
    case 'ask-info':
      return {
        status,
        ...(item.asked_at ? {} : { asked_at: now }),
        pauses: [...pauses, { from: now.toISOString(), to: null }],
      };
    case 'supplement':
      return { status, pauses: pauses.map((p) => (p.to === null ? { ...p, to: now.toISOString() } : p)) };
    case 'forward':
      return { status, ...(item.forwarded_at ? {} : { forwarded_at: now }) };
    case 'publish':
      return { status, closed_at: now };
    case 'withhold':
      return { status, closed_at: now, reason: c.reason.trim() };
    case 'merge':
      return { status, closed_at: now };
    case 'rate':
      return { status, rated_satisfied: c.satisfied, rated_at: now };
    default:
      return status === 'answered' && !item.answered_at ? { status, answered_at: now } : { status };
  }
}

const encodeCursor = (at: Date, code: string) =>
  Buffer.from(`${at.toISOString()}|${code}`).toString('base64url');
function decodeCursor(cursor: string): { publishedAt: Date; code: string } {
  const [at, code] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const d = new Date(at ?? '');
  if (!code || Number.isNaN(d.getTime()))
    throw new ValidationError('Con trỏ không hợp lệ / bad cursor', [{ path: 'cursor', message: 'invalid' }]);
  return { publishedAt: d, code };
}
