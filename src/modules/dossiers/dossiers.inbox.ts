/**
 * The officers' inbox: the dossiers at the agencies where an officer holds a role of the process
 * (receivers and cashiers at receiving units, processors and approvers at competent agencies), by tab,
 * with each tab's count and a search; and the number of dossiers waiting for an applicant.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import { deadlineStatus, type WorkingTime } from './domain/deadline.ts';
import type { OfficerRole } from './domain/workflow.ts';
import { type DossierRow, overdueWhere } from './dossiers.repository.ts';
import type { DossiersService } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

/** States in which the dossier waits for its applicant: a supplement to send, a payment to make. */
const APPLICANT_TURN = ['supplement-requested', 'payment-requested', 'awaiting-payment'];

/**
 * What an officer typed in the inbox's search box: a dossier code (or its start), an ID number (9–12
 * digits, or a tax code with its branch suffix), or words of a name.
 */
export function searchOf(
  q: string | undefined,
):
  | { kind: 'code'; value: string }
  | { kind: 'id'; value: string }
  | { kind: 'name'; words: string[] }
  | undefined {
  const t = (q ?? '')
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 100);
  if (t === '') return undefined;
  if (/^\d{9,12}(-\d{3})?$/.test(t)) return { kind: 'id', value: t };
  if (/^[0-9A-Za-z]{1,13}(\.[0-9A-Za-z]{1,13})+(-[0-9-]*)?$/.test(t))
    return { kind: 'code', value: t.toUpperCase() };
  const words = foldVietnamese(t).split(' ').filter(Boolean).slice(0, 6);
  return words.length > 0 ? { kind: 'name', words } : undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type InboxTab = 'new' | 'mine' | 'due-soon' | 'overdue' | 'escalated' | 'open' | 'all';
export const INBOX_TABS: readonly InboxTab[] = [
  'new',
  'mine',
  'due-soon',
  'overdue',
  'escalated',
  'open',
  'all',
];

export interface ListItem {
  code: string;
  procedureName: string;
  applicantName: string;
  state: string;
  status: number;
  submittedAt: Date;
  dueAt: Date;
  finishedAt: Date | null;
  returnedAt: Date | null;
  pausedSince: Date | null;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  assigneeAccountId: string | null;
  /** The officers' inbox: the highest escalation level sent to the leaders (0: none). */
  escalationLevel?: number;
}

export const toItem = (r: DossierRow): ListItem => ({
  code: r.code,
  procedureName: r.procedure_name,
  applicantName: r.applicant_name,
  state: r.state,
  status: r.status,
  submittedAt: r.submitted_at,
  dueAt: r.due_at,
  finishedAt: r.finished_at,
  returnedAt: r.returned_at,
  pausedSince: r.paused_since,
  receivingAgencyCode: r.receiving_agency_code,
  competentAgencyCode: r.competent_agency_code,
  assigneeAccountId: r.assignee_account_id ?? null,
});

export interface InboxDeps {
  db: Kysely<DossiersTables>;
  clock: Clock;
  service: Pick<DossiersService, 'workingTimeOf'>;
  /** Agencies (with their subtrees) where the account holds each officer role. */
  officerScope(accountId: string): Promise<Record<OfficerRole, string[]>>;
}

export function createInbox({ db, clock, service, officerScope }: InboxDeps) {
  /** The inbox's rows of a tab for an officer's scope (and a search); undefined when the scope is empty. */
  function inboxQuery(
    scope: Record<OfficerRole, string[]>,
    accountId: string,
    tab: InboxTab,
    now: Date,
    options: { agency?: string | undefined; q?: string | undefined },
  ) {
    let receiving = [...new Set([...scope.receiver, ...scope.cashier])];
    let competent = [...new Set([...scope.processor, ...scope.approver])];
    if (options.agency) {
      receiving = receiving.filter((c) => c === options.agency);
      competent = competent.filter((c) => c === options.agency);
    }
    if (receiving.length === 0 && competent.length === 0) return undefined;
    let q = db
      .selectFrom('dossiers.dossiers')
      // A filing waiting for its fee is not the agency's yet (one-stop-prepaid): not in the inbox.
      .where('state', '<>', 'awaiting-payment')
      .where((eb) =>
        eb.or([
          ...(receiving.length > 0 ? [eb('receiving_agency_code', 'in', receiving)] : []),
          ...(competent.length > 0 ? [eb('competent_agency_code', 'in', competent)] : []),
        ]),
      );
    const search = searchOf(options.q);
    if (search?.kind === 'code') q = q.where('code', 'like', `${escapeLike(search.value)}%`);
    else if (search?.kind === 'id') q = q.where('applicant_id_number', '=', search.value);
    else if (search?.kind === 'name')
      for (const w of search.words) q = q.where('applicant_name_folded', 'like', `%${escapeLike(w)}%`);
    switch (tab) {
      case 'new':
        return q.where('state', '=', 'submitted').orderBy('submitted_at');
      case 'mine':
        return q
          .where('assignee_account_id', '=', accountId)
          .where('finished_at', 'is', null)
          .orderBy('due_at');
      case 'overdue':
        return q.where(overdueWhere(now)).orderBy('due_at');
      case 'due-soon':
        // Within one working day: a calendar window first, then the working-time check (`dueSoon`).
        return q
          .where('finished_at', 'is', null)
          .where('paused_since', 'is', null)
          .where('due_at', '>=', now)
          .where('due_at', '<', new Date(now.getTime() + 5 * 86_400_000))
          .orderBy('due_at');
      case 'escalated':
        // Open dossiers reported to the leaders as overdue (the deadline watch), the latest due first.
        return q
          .where('finished_at', 'is', null)
          .where('returned_at', 'is', null)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('dossiers.escalations as e')
                .select('e.level')
                .whereRef('e.dossier_code', '=', 'dossiers.dossiers.code'),
            ),
          )
          .orderBy('due_at');
      case 'open':
        return q.where('finished_at', 'is', null).where('returned_at', 'is', null).orderBy('due_at');
      case 'all':
        return q.orderBy('submitted_at', 'desc');
    }
  }

  /** The rows whose due date is within one working day of the receiving unit (the "due soon" flag). */
  async function dueSoon(rows: DossierRow[], now: Date): Promise<DossierRow[]> {
    const wts = new Map<string, WorkingTime>();
    const kept: DossierRow[] = [];
    for (const r of rows) {
      let wt = wts.get(r.receiving_agency_code);
      if (!wt) {
        wt = await service.workingTimeOf(r);
        wts.set(r.receiving_agency_code, wt);
      }
      if (deadlineStatus(wt, { due: r.due_at, now }).flag === 'due-soon') kept.push(r);
    }
    return kept;
  }

  return {
    /**
     * The officer's inbox: dossiers at the agencies where they hold a role of the process (receivers and
     * cashiers at receiving units, processors and approvers at competent agencies), by tab, optionally
     * narrowed by a search (`q`: a dossier code or its start, the applicant's ID number, or words of the
     * applicant's name with or without diacritics).
     */
    async inbox(
      accountId: string,
      tab: InboxTab,
      options: { limit?: number; agency?: string; q?: string | undefined } = {},
    ) {
      const scope = await officerScope(accountId);
      const now = clock.now();
      const q = inboxQuery(scope, accountId, tab, now, options);
      if (!q) return { items: [] as ListItem[], scope };
      const limit = Math.min(options.limit ?? 100, 500);
      let rows = await q.selectAll().limit(limit).execute();
      if (tab === 'due-soon') rows = await dueSoon(rows, now);
      const levels = new Map<string, number>();
      if (rows.length > 0)
        for (const e of await db
          .selectFrom('dossiers.escalations')
          .select(['dossier_code', (eb) => eb.fn.max('level').as('level')])
          .where(
            'dossier_code',
            'in',
            rows.map((r) => r.code),
          )
          .groupBy('dossier_code')
          .execute())
          levels.set(e.dossier_code, Number(e.level));
      return {
        items: rows.map((r) => ({ ...toItem(r), escalationLevel: levels.get(r.code) ?? 0 })),
        scope,
      };
    },

    /** How many dossiers each tab of the inbox holds (with the same search), for the tabs and the desk. */
    async inboxCounts(
      accountId: string,
      options: { q?: string | undefined } = {},
    ): Promise<Record<InboxTab, number>> {
      const scope = await officerScope(accountId);
      const now = clock.now();
      const out = {} as Record<InboxTab, number>;
      for (const tab of INBOX_TABS) {
        const q = inboxQuery(scope, accountId, tab, now, options);
        if (!q) out[tab] = 0;
        else if (tab === 'due-soon')
          out[tab] = (await dueSoon(await q.selectAll().limit(2000).execute(), now)).length;
        else
          out[tab] = Number(
            (
              await q
                .clearOrderBy()
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirst()
            )?.n ?? 0,
          );
      }
      return out;
    },

    /**
     * The applicant's dossiers waiting for them (a supplement asked for, a payment to make): the number
     * beside "Hồ sơ của tôi".
     */
    async waitingForApplicant(accountId: string): Promise<number> {
      const r = await db
        .selectFrom('dossiers.dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([eb('applicant_account_id', '=', accountId), eb('filed_by_account_id', '=', accountId)]),
        )
        .where('state', 'in', APPLICANT_TURN)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}
