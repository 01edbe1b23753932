/**
 * The dossiers module's scheduled jobs (platform `jobs`): the deadline watch — a warning to the officer
 * assigned when an open dossier is due within one working day, a notice when it is overdue, each once per due date; and the escalation of
 * overdue dossiers to the leaders of the competent agency, once per dossier and level
 * (`domain/escalation.ts`), recorded in the dossier's history; next month's partition of the
 * processing history made ahead of time; and the cleanup of orphan uploads (files never attached to a
 * dossier) and abandoned drafts.
 */
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import { deadlineStatus, type WorkingTime } from './domain/deadline.ts';
import {
  calendarLowerBoundMs,
  ESCALATION_RULES,
  escalationLevel,
  TOP_ESCALATION_LEVEL,
} from './domain/escalation.ts';
import { vnWhen } from './dossiers.notify.ts';
import type { People } from './dossiers.ports.ts';

/** Outbox topic of blobs to remove from the store once the rows that named them are gone (committed). */
export const BLOB_DELETE = 'dossiers.blob-delete';

/** An upload not attached to any dossier is kept this long (unless an open draft names it). */
export const UPLOAD_RETENTION_MS = 24 * 3_600_000;
/** An open draft not saved for this long is abandoned: deleted, and its files with it. */
export const DRAFT_RETENTION_MS = 30 * 86_400_000;

interface OpenRow {
  code: string;
  procedure_name: string;
  due_at: Date;
  receiving_agency_code: string;
  competent_agency_code: string;
  submitted_at: Date;
  assignee_account_id: string | null;
}

interface OverdueRow extends OpenRow {
  state: string;
  status: number;
  state_entered_at: Date;
  step_due_at: Date | null;
  /** The highest level already sent (0: none). */
  sent: number;
}

export interface DossierJobsDeps {
  db: AnyDb;
  people: People;
  workingTimeOf(row: { receiving_agency_code: string; submitted_at: Date }): Promise<WorkingTime>;
  publicUrl?: string;
  /** An agency's name for the messages (agencies module); the code when absent. */
  agencyName?(code: string): Promise<string | undefined>;
}

/**
 * Escalates the overdue dossiers that have reached a level not yet sent: the leaders of the competent
 * agency get an e-mail, the dossier's history a row (by the system), the audit log a row — all in the
 * transaction that claims the level, so a level is sent once however often (or however many processes)
 * the job runs. Returns the levels sent.
 */
export async function escalateOverdue(deps: DossierJobsDeps, now: Date): Promise<number> {
  // Open dossiers past their due date whose next level may have come (a calendar bound; the working
  // time is checked below), the longest overdue first.
  const nextBound = sql.join(
    ESCALATION_RULES.map(
      (r, i) => sql`when ${i} then ${new Date(now.getTime() - calendarLowerBoundMs(r))}::timestamptz`,
    ),
    sql` `,
  );
  const r = await sql<OverdueRow>`
    select d.code, d.procedure_name, d.due_at, d.receiving_agency_code, d.competent_agency_code,
           d.submitted_at, d.assignee_account_id, d.state, d.status, d.state_entered_at, d.step_due_at,
           coalesce(e.level, 0)::int as sent
    from dossiers.dossiers d
    left join lateral (select max(level) as level from dossiers.escalations x where x.dossier_code = d.code) e
      on true
    where d.finished_at is null and d.returned_at is null and d.paused_since is null and d.due_at < ${now}
      and d.state <> 'awaiting-payment'
      and coalesce(e.level, 0) < ${TOP_ESCALATION_LEVEL}
      and d.due_at < case coalesce(e.level, 0) ${nextBound} end
    order by d.due_at limit 500`.execute(deps.db);
  const wts = new Map<string, WorkingTime>();
  const leadersByAgency = new Map<string, string[]>();
  let sent = 0;
  for (const row of r.rows) {
    let wt = wts.get(row.receiving_agency_code);
    if (!wt) {
      wt = await deps.workingTimeOf(row);
      wts.set(row.receiving_agency_code, wt);
    }
    const level = escalationLevel(wt, { due: row.due_at, now });
    if (level <= row.sent) continue;
    // Everything read through the shared connection is read before the transaction (PGlite has one).
    let leaders = leadersByAgency.get(row.competent_agency_code);
    if (!leaders) {
      leaders = ((await deps.people.leadersOf?.(row.competent_agency_code)) ?? []).slice(0, 200);
      leadersByAgency.set(row.competent_agency_code, leaders);
    }
    const contacts: Array<{ id: string; contact: Awaited<ReturnType<NonNullable<People['contactOf']>>> }> =
      [];
    for (const id of leaders) contacts.push({ id, contact: await deps.people.contactOf?.(id) });
    const assignee = row.assignee_account_id
      ? await deps.people.profileOf(row.assignee_account_id)
      : undefined;
    const agency = (await deps.agencyName?.(row.competent_agency_code)) ?? row.competent_agency_code;
    const due = vnWhen(row.due_at);
    const link = `${deps.publicUrl ?? ''}/ho-so/${encodeURIComponent(row.code)}`;
    const claimed = await deps.db.transaction().execute(async (trx) => {
      const won = await sql`
        insert into dossiers.escalations (dossier_code, level, due_at, agency_code, leader_account_ids, escalated_at)
        values (${row.code}, ${level}, ${row.due_at}, ${row.competent_agency_code}, ${leaders}::uuid[], ${now})
        on conflict do nothing returning 1`.execute(trx);
      if (won.rows.length === 0) return false;
      const content =
        leaders.length > 0
          ? `Hồ sơ quá hạn giải quyết (hẹn ${due}): đã báo cáo lãnh đạo cơ quan giải quyết (lần ${level}).`
          : `Hồ sơ quá hạn giải quyết (hẹn ${due}): cảnh báo lần ${level}; cơ quan giải quyết chưa có lãnh đạo được phân quyền phê duyệt để nhận báo cáo.`;
      await sql`
        insert into dossiers.history (dossier_code, recorded_at, action, from_state, to_state, status, actor_kind,
          actor_account_id, actor_name, agency_code, content, step_started_at, step_due_at, details)
        values (${row.code}, ${now}, 'escalate', ${row.state}, ${row.state}, ${row.status}, 'system', null,
          'Hệ thống', ${row.competent_agency_code}, ${content}, ${row.state_entered_at < now ? row.state_entered_at : now},
          ${row.step_due_at}, ${JSON.stringify({ level, dueAt: row.due_at.toISOString(), leaders: leaders.length })}::jsonb)`.execute(
        trx,
      );
      for (const { id, contact } of contacts)
        await notifyAccount(trx, {
          accountId: id,
          email: contact?.email ?? null,
          template: 'dossier.escalated',
          dedupeKey: `${row.code}@escalated@${level}@${id}`,
          params: {
            code: row.code,
            procedure: row.procedure_name,
            agency,
            due,
            level: String(level),
            assignee: assignee ? [assignee.name, assignee.title].filter(Boolean).join(', ') : 'chưa giao',
            link,
            inbox: `${deps.publicUrl ?? ''}/quan-tri/ho-so?tab=escalated`,
          },
        });
      await appendAudit(
        trx,
        {
          actor: 'system:deadline-watch',
          action: 'dossier.escalate',
          subject: `dossier:${row.code}`,
          data: { level, due: row.due_at.toISOString(), agency: row.competent_agency_code, leaders },
        },
        now,
      );
      return true;
    });
    if (claimed) sent++;
  }
  return sent;
}

/**
 * Deletes abandoned drafts (open, not saved for `draftRetentionMs`) and orphan uploads: rows of
 * `dossiers.uploads` never attached to a dossier, older than `uploadRetentionMs`, that no open draft
 * names and whose blob no attachment uses. Each batch of rows is deleted in a transaction that also
 * enqueues the removal of their blobs (`BLOB_DELETE`): the blobs go only after the rows' deletion has
 * committed, and an upload being attached at that moment is either claimed first (then kept: its row is
 * locked, and skipped) or gone first (then the attaching transaction fails with a 409 and rolls back).
 */
export async function cleanOrphanUploads(
  db: AnyDb,
  now: Date,
  options: { uploadRetentionMs?: number; draftRetentionMs?: number; batch?: number } = {},
): Promise<{ drafts: number; uploads: number }> {
  const draftsBefore = new Date(now.getTime() - (options.draftRetentionMs ?? DRAFT_RETENTION_MS));
  const uploadsBefore = new Date(now.getTime() - (options.uploadRetentionMs ?? UPLOAD_RETENTION_MS));
  const batch = options.batch ?? 500;
  const drafts = await sql`
    delete from dossiers.drafts where submitted_dossier is null and updated_at < ${draftsBefore}
    returning id`.execute(db);
  let uploads = 0;
  for (;;) {
    const keys = await db.transaction().execute(async (trx) => {
      const r = await sql<{ blob_key: string }>`
        with doomed as (
          select u.id from dossiers.uploads u
          where u.used_by_dossier is null and u.created_at < ${uploadsBefore}
            and not exists (select 1 from dossiers.attachments a where a.blob_key = u.blob_key)
            and not exists (
              select 1 from dossiers.drafts d
              where d.account_id = u.account_id and d.submitted_dossier is null
                and exists (select 1 from jsonb_each(d.form_data) f where f.value = to_jsonb(u.id::text)))
          order by u.created_at
          limit ${batch}
          for update of u skip locked)
        delete from dossiers.uploads x using doomed where x.id = doomed.id
        returning x.blob_key`.execute(trx);
      const gone = r.rows.map((x) => x.blob_key);
      if (gone.length > 0) await enqueue(trx, BLOB_DELETE, { keys: gone });
      return gone;
    });
    uploads += keys.length;
    if (keys.length < batch) break;
  }
  return { drafts: drafts.rows.length, uploads };
}

/**
 * The outbox handler of `BLOB_DELETE`: removes each blob, unless a row names it again (never the case
 * with fresh random keys; checked all the same). A blob already gone is fine; a failure is retried by
 * the outbox.
 */
export function blobDeleter(db: AnyDb, blobs: { delete(key: string): Promise<void> }) {
  return async (message: { payload: unknown }) => {
    const keys = ((message.payload as { keys?: unknown }).keys ?? []) as string[];
    if (keys.length === 0) return;
    const used = await sql<{ blob_key: string }>`
      select blob_key from dossiers.uploads where blob_key = any(${keys}::text[])
      union select blob_key from dossiers.attachments where blob_key = any(${keys}::text[])`.execute(db);
    const keep = new Set(used.rows.map((r) => r.blob_key));
    for (const key of keys) if (!keep.has(key)) await blobs.delete(key);
  };
}

export function dossierJobs(deps: DossierJobsDeps): JobDefinition[] {
  return [
    {
      name: 'dossiers.deadline-watch',
      everySeconds: 900,
      leaseSeconds: 600,
      async run(now) {
        // Open, running clocks due within five calendar days or already past; the working-time test below.
        const r = await sql<OpenRow>`
          select code, procedure_name, due_at, receiving_agency_code, competent_agency_code, submitted_at,
                 assignee_account_id
          from dossiers.dossiers d
          where finished_at is null and returned_at is null and paused_since is null
            and state <> 'awaiting-payment'
            and due_at < ${new Date(now.getTime() + 5 * 86_400_000)}
            and not exists (select 1 from dossiers.deadline_alerts a
                            where a.dossier_code = d.code and a.due_at = d.due_at
                              and a.kind = case when d.due_at < ${now} then 'overdue' else 'due-soon' end)
          order by due_at limit 500`.execute(deps.db);
        const wts = new Map<string, WorkingTime>();
        for (const row of r.rows) {
          let wt = wts.get(row.receiving_agency_code);
          if (!wt) {
            wt = await deps.workingTimeOf(row);
            wts.set(row.receiving_agency_code, wt);
          }
          const flag = deadlineStatus(wt, { due: row.due_at, now }).flag;
          if (flag !== 'due-soon' && flag !== 'overdue') continue;
          const contact = row.assignee_account_id
            ? await deps.people.contactOf?.(row.assignee_account_id)
            : undefined;
          await deps.db.transaction().execute(async (trx) => {
            const claimed = await sql`
              insert into dossiers.deadline_alerts (dossier_code, kind, due_at, sent_at)
              values (${row.code}, ${flag}, ${row.due_at}, ${now}) on conflict do nothing returning 1`.execute(
              trx,
            );
            if (claimed.rows.length === 0) return;
            if (row.assignee_account_id)
              await notifyAccount(trx, {
                accountId: row.assignee_account_id,
                email: contact?.email ?? null,
                template: flag === 'overdue' ? 'dossier.overdue' : 'dossier.due-soon',
                dedupeKey: `${row.code}@${flag}@${row.due_at.toISOString()}`,
                params: {
                  code: row.code,
                  procedure: row.procedure_name,
                  due: vnWhen(row.due_at),
                  link: `${deps.publicUrl ?? ''}/ho-so/${encodeURIComponent(row.code)}`,
                },
              });
          });
        }
        await escalateOverdue(deps, now);
      },
    },
    {
      name: 'dossiers.upload-cleanup',
      everySeconds: 3_600,
      async run(now) {
        await cleanOrphanUploads(deps.db, now);
      },
    },
    {
      name: 'dossiers.history-partitions',
      everySeconds: 86_400,
      async run(now) {
        // Next month's, ahead of its first row (a month whose rows are already in the default partition
        // cannot get its own partition without moving them).
        for (const offset of [1]) {
          const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
          await sql`select dossiers.create_history_partition(${month.toISOString().slice(0, 10)}::date)`.execute(
            deps.db,
          );
        }
      },
    },
  ];
}
