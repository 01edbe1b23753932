/**
 * What other modules may know of a dossier to pass it on to the competent agency's own system (the
 * sync module's outbound feed): the change of status that the outbox announced, and a read of the
 * dossier with its files and history. No access check here: the caller decides who may receive it.
 */
import type { Kysely } from 'kysely';
import type { BlobStore } from '../../platform/files/index.ts';
import type { Channel, StatusCode } from '../../platform/kernel/index.ts';
import * as repo from './dossiers.repository.ts';
import type { ApplicantKind, DossiersTables } from './dossiers.tables.ts';

/** The payload of `dossier.status-changed` / `dossier.extended`, with the topic it came on. */
export interface StatusChange {
  topic: 'dossier.status-changed' | 'dossier.extended';
  code: string;
  action: string;
  from: { state: string; status: StatusCode } | null;
  to: { state: string; status: StatusCode };
  /** ISO time of the change. */
  at: string;
  procedureCode: string;
  applicantAccountId: string;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  /** ISO due date after the change. */
  dueAt: string;
  revision: number;
  reason?: string;
}

export interface DossierExchange {
  code: string;
  procedure: { code: string; version: number; name: string };
  state: string;
  status: StatusCode;
  outcome: 'approved' | 'rejected' | null;
  channel: Channel;
  applicant: { accountId: string; kind: ApplicantKind; name: string };
  summary: string | null;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  agencyIdentifier: string;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date;
  finishedAt: Date | null;
  returnedAt: Date | null;
  revision: number;
  formData: Record<string, unknown>;
  attachments: Array<{
    id: string;
    documentCode: string | null;
    purpose: 'application' | 'supplement' | 'result';
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    uploadedAt: Date;
    /** Taken from the applicant's wallet (the e-document store) rather than uploaded (0080). */
    fromWallet: boolean;
  }>;
  history: Array<{
    at: Date;
    action: string;
    status: StatusCode;
    actorKind: 'applicant' | 'officer' | 'system';
    actorName: string;
    actorTitle: string | null;
    department: string | null;
    content: string;
    stepStartedAt: Date;
    stepDueAt: Date | null;
  }>;
}

export function exchangeReader(deps: { db: Kysely<DossiersTables>; blobs: BlobStore }) {
  const { db } = deps;
  return {
    async record(code: string): Promise<DossierExchange | undefined> {
      const d = await repo.findDossier(db, code);
      if (!d) return undefined;
      const [files, history] = await Promise.all([
        repo.findAttachments(db, code),
        repo.findHistory(db, code),
      ]);
      return {
        code: d.code,
        procedure: { code: d.procedure_code, version: d.procedure_version, name: d.procedure_name },
        state: d.state,
        status: d.status,
        outcome: d.outcome,
        channel: d.channel,
        applicant: { accountId: d.applicant_account_id, kind: d.applicant_kind, name: d.applicant_name },
        summary: d.summary,
        receivingAgencyCode: d.receiving_agency_code,
        competentAgencyCode: d.competent_agency_code,
        agencyIdentifier: d.agency_identifier,
        submittedAt: d.submitted_at,
        receivedAt: d.received_at,
        dueAt: d.due_at,
        finishedAt: d.finished_at,
        returnedAt: d.returned_at,
        revision: d.revision,
        formData: d.form_data,
        attachments: files.map((f) => ({
          id: f.id,
          documentCode: f.document_code,
          purpose: f.purpose,
          fileName: f.file_name,
          mediaType: f.media_type,
          sizeBytes: Number(f.size_bytes),
          sha256: f.sha256,
          uploadedAt: f.uploaded_at,
          fromWallet: f.reused,
        })),
        history: history.map((h) => ({
          at: h.recorded_at,
          action: h.action,
          status: h.status,
          actorKind: h.actor_kind,
          actorName: h.actor_name,
          actorTitle: h.actor_title,
          department: h.department,
          content: h.content,
          stepStartedAt: h.step_started_at,
          stepDueAt: h.step_due_at,
        })),
      };
    },

    /** The content of one of the dossier's (not deleted) attachments, or undefined. */
    async file(code: string, attachmentId: string) {
      if (!/^[0-9a-f-]{36}$/.test(attachmentId)) return undefined;
      const a = await db
        .selectFrom('dossiers.attachments')
        .select(['blob_key', 'file_name', 'media_type'])
        .where('id', '=', attachmentId)
        .where('dossier_code', '=', code)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!a) return undefined;
      const stream = await deps.blobs.get(a.blob_key);
      return stream ? { stream, fileName: a.file_name, mediaType: a.media_type } : undefined;
    },
  };
}
