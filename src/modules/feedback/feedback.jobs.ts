/**
 * The deadline watch (issue 19, item 2): a recurring job that looks at every open item's clocks
 * (domain/deadlines.ts). When a clock enters `warning`, the handlers responsible for it are told once; when
 * it is `overdue`, it is escalated once — the agency's leaders (its nearest approvers) and the Government
 * Office's supervisors are told, and the item is marked escalated (shown on its page and in the inbox).
 * Who is responsible: the agencies with an active route for the handling clock while the item is with
 * agencies; the Government Office (CP) otherwise. "Once" is the database's: `feedback.deadline_alerts` takes
 * one row per (item, clock, level), inserted in the transaction that queues the messages, so two runs at
 * once (or a run again after a crash) tell nobody twice.
 */
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import { vietnamWhen } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import { DEFAULT_REGIME, type Deadline, deadlinesOf, type Regime } from './domain/deadlines.ts';
import { ACTIVE_ROUTE_STATES, FINAL_STATUSES, type RouteState } from './domain/workflow.ts';
import {
  AGENCY_HANDLER_ROLES,
  type FeedbackAlerts,
  type FeedbackPorts,
  GOVERNMENT_OFFICE,
} from './feedback.ports.ts';
import type { ItemRow } from './feedback.repository.ts';
import { timelineOf } from './feedback.service.ts';
import type { FeedbackTables } from './feedback.tables.ts';
import { OFFICE_INBOX } from './pages/paths.ts';

/** Items read at a time; a run goes through every open item, oldest first, a batch after another. */
const BATCH = 500;

const CLOCK_NAMES: Record<Deadline['kind'], string> = {
  refuse: 'hạn tiếp nhận',
  'ask-info': 'hạn yêu cầu bổ sung',
  handle: 'hạn xử lý',
  publish: 'hạn công khai',
};

export interface FeedbackJobsDeps {
  db: AnyDb;
  ports: Pick<FeedbackPorts, 'workingTime'> & { alerts: FeedbackAlerts };
  regime?: Regime | undefined;
  /** The portal's address, for links in messages (relative links without it). */
  publicUrl?: string | undefined;
  /** Items read at a time (tests: small). */
  batch?: number;
}

interface Alert {
  item: ItemRow;
  deadline: Deadline;
  level: 'warning' | 'overdue';
  agencies: string[];
}

export function feedbackJobs(deps: FeedbackJobsDeps): JobDefinition[] {
  return [
    {
      name: 'feedback.deadline-watch',
      everySeconds: 900,
      leaseSeconds: 600,
      async run(now) {
        await watchDeadlines(deps, now);
      },
    },
  ];
}

/** One pass of the watch; returns the alerts this pass sent (those another pass sent first are not). */
export async function watchDeadlines(deps: FeedbackJobsDeps, now: Date): Promise<number> {
  let sent = 0;
  const people = new Map<string, string[]>();
  const contacts = new Map<string, { phone: string | null; email: string | null } | undefined>();
  let after: { submittedAt: Date; id: string } | undefined;
  for (;;) {
    const { alerts, last } = await dueAlerts(deps, now, after);
    sent += await sendAlerts(deps, now, alerts, people, contacts);
    if (!last) return sent;
    after = last;
  }
}

async function sendAlerts(
  deps: FeedbackJobsDeps,
  now: Date,
  alerts: Alert[],
  people: Map<string, string[]>,
  contacts: Map<string, { phone: string | null; email: string | null } | undefined>,
): Promise<number> {
  const db = scoped<FeedbackTables>(deps.db);
  let sent = 0;
  for (const a of alerts) {
    // Everything read through the shared connection is read before the transaction (PGlite has one).
    const recipients = await recipientsOf(deps.ports.alerts, a, people);
    for (const id of recipients)
      if (!contacts.has(id)) contacts.set(id, await deps.ports.alerts.contactOf(id));
    const won = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('feedback.deadline_alerts')
        .values({
          item_id: a.item.id,
          clock: a.deadline.kind,
          level: a.level,
          due_at: a.deadline.due,
          agency_codes: a.agencies,
          recipients,
          sent_at: now,
        })
        .onConflict((oc) => oc.columns(['item_id', 'clock', 'level']).doNothing())
        .returning('item_id')
        .executeTakeFirst();
      if (!row) return false;
      if (a.level === 'overdue') {
        await sql`update feedback.items set escalated_at = coalesce(escalated_at, ${now})
                  where id = ${a.item.id}`.execute(trx);
        await appendAudit(
          trx,
          {
            actor: 'system:feedback.deadline-watch',
            action: 'feedback.escalate',
            subject: `feedback:${a.item.code}`,
            data: {
              clock: a.deadline.kind,
              due: a.deadline.due.toISOString(),
              agencies: a.agencies,
              recipients,
            },
          },
          now,
        );
      }
      const params = {
        code: a.item.code,
        title: a.item.title,
        clock: CLOCK_NAMES[a.deadline.kind],
        due: vietnamWhen(a.deadline.due),
        agency: a.agencies.join(', '),
        link: `${deps.publicUrl ?? ''}${OFFICE_INBOX}/${encodeURIComponent(a.item.code)}`,
      };
      for (const accountId of recipients) {
        const c = contacts.get(accountId);
        await deps.ports.alerts.notify(trx, {
          accountId,
          template: a.level === 'overdue' ? 'feedback.escalated' : 'feedback.deadline-warning',
          params,
          sms: c?.phone ?? null,
          email: c?.email ?? null,
          dedupeKey: `feedback:${a.item.code}:${a.deadline.kind}:${a.level}`,
        });
      }
      return true;
    });
    if (won) sent++;
  }
  return sent;
}

/**
 * The warnings and escalations due now that have not been sent, among the next batch of open items after
 * `after` (keyset on submitted_at, id); `last` is where the next batch starts (none: this was the last).
 */
async function dueAlerts(
  deps: FeedbackJobsDeps,
  now: Date,
  after: { submittedAt: Date; id: string } | undefined,
): Promise<{ alerts: Alert[]; last?: { submittedAt: Date; id: string } }> {
  const db = scoped<FeedbackTables>(deps.db);
  let query = db
    .selectFrom('feedback.items')
    .selectAll()
    .where('status', 'not in', [...FINAL_STATUSES]);
  if (after) query = query.where(sql<boolean>`(submitted_at, id) > (${after.submittedAt}, ${after.id})`);
  const size = deps.batch ?? BATCH;
  const items = await query.orderBy('submitted_at').orderBy('id').limit(size).execute();
  if (items.length === 0) return { alerts: [] };
  const tail = items[items.length - 1]!;
  const last = items.length === size ? { submittedAt: tail.submitted_at, id: tail.id } : undefined;
  const ids = items.map((i) => i.id);
  const [sentRows, routeRows] = await Promise.all([
    db
      .selectFrom('feedback.deadline_alerts')
      .select(['item_id', 'clock', 'level'])
      .where('item_id', 'in', ids)
      .execute(),
    db
      .selectFrom('feedback.routes')
      .select(['item_id', 'agency_code', 'state'])
      .where('item_id', 'in', ids)
      .where('state', 'in', [...ACTIVE_ROUTE_STATES])
      .execute(),
  ]);
  const sent = new Set(sentRows.map((r) => `${r.item_id}|${r.clock}|${r.level}`));
  const active = new Map<string, string[]>();
  for (const r of routeRows as Array<{ item_id: string; agency_code: string; state: RouteState }>)
    active.set(r.item_id, [...(active.get(r.item_id) ?? []), r.agency_code]);
  const wt = await deps.ports.workingTime(now);
  const out: Alert[] = [];
  for (const item of items) {
    const regime = { ...(deps.regime ?? DEFAULT_REGIME), ...(item.regime as Regime) };
    for (const d of deadlinesOf(wt, regime, timelineOf(item), now)) {
      if (d.doneAt !== null || (d.state !== 'warning' && d.state !== 'overdue')) continue;
      const level = d.state === 'overdue' ? 'overdue' : 'warning';
      if (sent.has(`${item.id}|${d.kind}|${level}`)) continue;
      const routed = active.get(item.id) ?? [];
      const agencies = d.kind === 'handle' && routed.length > 0 ? [...routed].sort() : [GOVERNMENT_OFFICE];
      out.push({ item, deadline: d, level, agencies });
    }
  }
  return last ? { alerts: out, last } : { alerts: out };
}

/**
 * Warning: the handlers of each responsible agency (its nearest processors, else its nearest other handlers;
 * the supervisors for CP). Escalation: each agency's leaders (nearest approvers) and the Government Office's
 * supervisors.
 */
async function recipientsOf(alerts: FeedbackAlerts, a: Alert, cache: Map<string, string[]>) {
  const nearest = async (role: string, agency: string) => {
    const key = `${role}@${agency}`;
    let ids = cache.get(key);
    if (!ids) {
      const holders = await alerts.holdersOf(role, agency);
      const depth = Math.min(...holders.map((h) => h.depth));
      ids = holders.filter((h) => h.depth === depth).map((h) => h.accountId);
      cache.set(key, ids);
    }
    return ids;
  };
  const out = new Set<string>();
  const office = await nearest('vpcp-supervisor', GOVERNMENT_OFFICE);
  for (const agency of a.agencies) {
    if (agency === GOVERNMENT_OFFICE) {
      for (const id of office) out.add(id);
      continue;
    }
    if (a.level === 'warning') {
      let ids: string[] = [];
      for (const role of AGENCY_HANDLER_ROLES) {
        ids = await nearest(role, agency);
        if (ids.length > 0) break;
      }
      for (const id of ids) out.add(id);
    } else {
      for (const id of await nearest('approver', agency)) out.add(id);
    }
  }
  if (a.level === 'overdue') for (const id of office) out.add(id);
  return [...out].slice(0, 200);
}
