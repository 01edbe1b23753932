/**
 * The dossiers module's scheduled jobs (platform `jobs`): the deadline watch — a warning to the officer
 * assigned (and the outbox topic `dossier.deadline` for anyone else who listens) when an open dossier is
 * due within one working day, an escalation when it is overdue, each once per due date — and next
 * month's partition of the processing history made ahead of time.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { queueNotification } from '../notifications/index.ts';
import { deadlineStatus, type WorkingTime } from './domain/deadline.ts';
import { vnWhen } from './dossiers.notify.ts';
import type { People } from './dossiers.ports.ts';

export const DEADLINE = 'dossier.deadline';

interface OpenRow {
  code: string;
  procedure_name: string;
  due_at: Date;
  receiving_agency_code: string;
  competent_agency_code: string;
  submitted_at: Date;
  assignee_account_id: string | null;
}

export function dossierJobs(deps: {
  db: AnyDb;
  people: People;
  workingTimeOf(row: { receiving_agency_code: string; submitted_at: Date }): Promise<WorkingTime>;
  publicUrl?: string;
}): JobDefinition[] {
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
            await enqueue(
              trx,
              DEADLINE,
              {
                code: row.code,
                kind: flag,
                dueAt: row.due_at.toISOString(),
                receivingAgencyCode: row.receiving_agency_code,
                competentAgencyCode: row.competent_agency_code,
                assigneeAccountId: row.assignee_account_id,
              },
              { dedupeKey: `${row.code}@${flag}@${row.due_at.toISOString()}` },
            );
            if (contact?.email)
              await queueNotification(trx, {
                channel: 'email',
                to: contact.email,
                template: flag === 'overdue' ? 'dossier.overdue' : 'dossier.due-soon',
                dedupeKey: `${row.code}@${flag}@${row.due_at.toISOString()}@email`,
                params: {
                  code: row.code,
                  procedure: row.procedure_name,
                  due: vnWhen(row.due_at),
                  link: `${deps.publicUrl ?? ''}/ho-so/${encodeURIComponent(row.code)}`,
                },
              });
          });
        }
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
