/**
 * The public lookup of a dossier filed on the portal (Tra cứu hồ sơ): by its code and the last 4
 * characters of the applicant's ID number (personal ID number or tax code), as the receipt (form 01)
 * tells the applicant. The sync module's lookup asks here first and then among synced dossiers, behind
 * one rate limit. A code that does not exist and 4 characters that do not match answer alike.
 */
import type { Kysely } from 'kysely';
import { CHANNEL_CODES, parseDossierCode, type StatusCode } from '../../platform/kernel/index.ts';
import type { DossiersTables } from './dossiers.tables.ts';

export interface PublicDossier {
  code: string;
  procedureCode: string;
  procedureName: string;
  /** The competent agency. */
  agencyCode: string;
  status: StatusCode;
  /** KenhThucHien: 1 in person, 2 online, 3 by post. */
  channel: 1 | 2 | 3;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date;
  finishedAt: Date | null;
  returnedAt: Date | null;
  history: Array<{
    at: Date;
    /** Unique within the dossier. */
    key: string;
    status: StatusCode;
    content: string;
    department: string | null;
    handlerName: string | null;
    handlerTitle: string | null;
  }>;
}

export async function publicLookup(
  db: Kysely<DossiersTables>,
  code: string,
  last4: string,
): Promise<PublicDossier | undefined> {
  if (!parseDossierCode(code) || !/^[0-9A-Za-z]{4}$/.test(last4)) return undefined;
  const d = await db.selectFrom('dossiers.dossiers').selectAll().where('code', '=', code).executeTakeFirst();
  if (!d?.applicant_id_number || d.applicant_id_number.slice(-4).toUpperCase() !== last4.toUpperCase())
    return undefined;
  const history = await db
    .selectFrom('dossiers.history')
    .select([
      'id',
      'recorded_at',
      'status',
      'content',
      'department',
      'actor_kind',
      'actor_name',
      'actor_title',
    ])
    .where('dossier_code', '=', code)
    .orderBy('recorded_at')
    .orderBy('id')
    .limit(500)
    .execute();
  return {
    code: d.code,
    procedureCode: d.procedure_code,
    procedureName: d.procedure_name,
    agencyCode: d.competent_agency_code,
    status: d.status,
    channel: CHANNEL_CODES[d.channel],
    submittedAt: d.submitted_at,
    receivedAt: d.received_at,
    dueAt: d.due_at,
    finishedAt: d.finished_at,
    returnedAt: d.returned_at,
    history: history.map((h) => ({
      at: h.recorded_at,
      key: String(h.id),
      status: h.status,
      content: h.content,
      department: h.department,
      // Officers are named as the history records them; the applicant is not named to the public.
      handlerName: h.actor_kind === 'officer' ? h.actor_name : null,
      handlerTitle: h.actor_kind === 'officer' ? h.actor_title : null,
    })),
  };
}
