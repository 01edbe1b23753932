/**
 * The synced dossiers of one applicant, as the dossiers module shows them on the applicant's pages
 * (its `SyncedDossiers` port): the sync module's rows with status names and the agency's name.
 */
import { statusName } from '../../platform/kernel/index.ts';
import type { SyncService } from './sync.service.ts';

export interface ApplicantViewDeps {
  /** The proven personal ID number and name of an account (identity), or undefined. */
  personalIdOf(accountId: string): Promise<{ personalId: string; name: string } | undefined>;
  /** An agency's name (the catalogue's directory), or undefined. */
  agencyName(code: string): Promise<string | undefined>;
}

export function applicantView(
  service: Pick<SyncService, 'dossiersOfApplicant' | 'dossierOfApplicant'>,
  { personalIdOf, agencyName }: ApplicantViewDeps,
) {
  const nameOf = async (code: string) => (await agencyName(code).catch(() => undefined)) ?? null;
  return {
    async list(accountId: string, limit?: number) {
      const who = await personalIdOf(accountId);
      if (!who) return [];
      const rows = await service.dossiersOfApplicant(who.personalId, {
        name: who.name,
        ...(limit ? { limit } : {}),
      });
      return Promise.all(
        rows.map(async (d) => ({
          code: d.code,
          procedureCode: d.procedure_code,
          procedureName: d.procedure_name,
          agencyCode: d.agency_code,
          agencyName: await nameOf(d.agency_code),
          status: d.status,
          statusName: statusName(d.status),
          statusAt: d.status_at,
          submittedAt: d.submitted_at,
          receivedAt: d.received_at,
          dueAt: d.due_at,
          source: { clientId: d.source_client, name: d.source_client_name },
        })),
      );
    },
    async find(accountId: string, code: string) {
      const who = await personalIdOf(accountId);
      if (!who) return undefined;
      const found = await service.dossierOfApplicant(who.personalId, code, { name: who.name });
      if (!found) return undefined;
      const d = found.dossier;
      return {
        code: d.code,
        procedureCode: d.procedure_code,
        procedureName: d.procedure_name,
        agencyCode: d.agency_code,
        agencyName: await nameOf(d.agency_code),
        status: d.status,
        statusName: statusName(d.status),
        statusAt: d.status_at,
        submittedAt: d.submitted_at,
        receivedAt: d.received_at,
        dueAt: d.due_at,
        source: { clientId: d.source_client, name: found.sourceClientName },
        channel: d.channel,
        finishedAt: d.finished_at,
        returnedAt: d.returned_at,
        history: found.history.map((h) => ({
          at: h.event_at,
          status: h.status,
          statusName: statusName(h.status),
          content: h.content,
          department: h.department,
        })),
      };
    },
  };
}
