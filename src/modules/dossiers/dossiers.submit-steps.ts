/**
 * The steps of a submission (`DossiersService.submit`) that decide without I/O: whether the procedure
 * takes this applicant and channel (and its processing time), the process definition the dossier follows,
 * the clock at submission (the due date, the first state and its step's limit), and what is written —
 * the dossier row, its first history row, its attachments, the outbox message and the audit row.
 */
import type { Insertable } from 'kysely';
import { ValidationError } from '../../platform/errors/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import type { Channel } from '../../platform/kernel/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import { dossierDue, type ProcessingTime, stepDue, type WorkingTime } from './domain/deadline.ts';
import { DEFAULT_PROCESS, findProcess, latestProcess, ONE_STOP_PREPAID_V1 } from './domain/processes.ts';
import type { ProcessDefinition, StateDefinition } from './domain/workflow.ts';
import type { FeeBillLine } from './dossiers.fees.ts';
import type { ProcedureForFiling } from './dossiers.ports.ts';
import type { Route } from './dossiers.routing.ts';
import type { SubmitInput } from './dossiers.service.ts';
import type { ApplicantKind, AttachmentTable, DossierTable, HistoryTable } from './dossiers.tables.ts';

/**
 * The processing time of the chosen channel (its first time counts); 400 when the procedure is not for
 * this kind of applicant, then when it does not take this channel.
 */
export function processingTimeFor(
  procedure: ProcedureForFiling,
  kind: ApplicantKind,
  channel: Channel,
): ProcessingTime {
  if (!procedure.audiences.includes(kind)) {
    throw new ValidationError('Thủ tục này không dành cho đối tượng của tài khoản.', [
      { path: 'applicant.kind', message: `the procedure is for ${procedure.audiences.join(', ')}` },
    ]);
  }
  const time = procedure.channels.find((c) => c.channel === channel)?.times[0];
  if (!time) {
    throw new ValidationError('Thủ tục này không nhận hồ sơ theo cách thức đã chọn.', [
      { path: 'channel', message: `offered: ${procedure.channels.map((c) => c.channel).join(', ')}` },
    ]);
  }
  return time;
}

/**
 * The process definition a dossier of this procedure follows: the one it names (a version, or the latest
 * of its id), else the default one-stop process. A name this build does not publish is a bug, not a 4xx.
 */
export function processFor(procedure: ProcedureForFiling, prepaid = false): ProcessDefinition {
  if (prepaid) return ONE_STOP_PREPAID_V1;
  const definition = procedure.process
    ? procedure.process.version === undefined
      ? latestProcess(procedure.process.id)
      : findProcess(procedure.process.id, procedure.process.version)
    : DEFAULT_PROCESS;
  if (!definition) throw new Error(`procedure ${procedure.code}: unknown process ${procedure.process?.id}`);
  return definition;
}

/** The clock at submission: it starts now, by the filing rules, in the receiving unit's calendar. */
export interface ClockAtSubmission {
  /** The dossier's due date (original and current). */
  due: Date;
  /** The process definition's first state. */
  initial: StateDefinition;
  /** When the first step should be done, if it has a limit. */
  stepDueAt: Date | null;
}

export function clockAtSubmission(
  wt: WorkingTime,
  now: Date,
  time: ProcessingTime,
  rule15h: boolean,
  definition: ProcessDefinition,
): ClockAtSubmission {
  const due = dossierDue(wt, { receivedAt: now, time, rule15h });
  const initial = definition.states[definition.initial]!;
  return { due, initial, stepDueAt: stepDue(wt, now, initial.limit, due) ?? null };
}

/** Everything a submission writes, worked out before the transaction. */
export interface Submission {
  input: SubmitInput;
  procedure: ProcedureForFiling;
  definition: ProcessDefinition;
  time: ProcessingTime;
  route: Route;
  now: Date;
  clock: ClockAtSubmission;
  /** The signed-in filer's profile when they file for a business; undefined when they are the applicant. */
  filer: { name: string } | undefined;
  /** The applicant's personal identification or tax number (the public lookup shows its last 4 characters). */
  idNumber: string | null;
  summary: string | undefined;
  /** A fee paid before (one-stop-prepaid): what is owed; the dossier waits for it in `awaiting-payment`. */
  prepaid?: { amount: number; items: string; lines: FeeBillLine[] } | undefined;
}

const applicantName = (s: Submission) => s.input.applicant.name.normalize('NFC').trim();

/** The dossier's row: in the process definition's first state, the clock started. */
export function dossierRowOf(s: Submission, code: string): Insertable<DossierTable> {
  const { input, procedure, definition, time, route, now } = s;
  const { applicant } = input;
  const { due, initial } = s.clock;
  return {
    code,
    procedure_code: procedure.code,
    procedure_version: procedure.version,
    procedure_name: procedure.name,
    process_id: definition.id,
    process_version: definition.version,
    state: definition.initial,
    status: initial.status,
    outcome: null,
    channel: input.channel,
    applicant_account_id: applicant.accountId,
    applicant_kind: applicant.kind,
    applicant_name: applicantName(s),
    applicant_id_number: s.idNumber,
    applicant_name_folded: foldVietnamese(applicant.name).slice(0, 300),
    filed_by_account_id: input.accountId,
    summary: s.summary ?? null,
    case_name: input.caseName?.normalize('NFC').trim().slice(0, 500) || null,
    receiving_agency_code: route.receiving.code,
    competent_agency_code: route.competent.code,
    agency_identifier: route.identifier,
    province_code: input.place.provinceCode,
    commune_code: input.place.communeCode ?? null,
    submitted_at: now,
    received_at: null,
    processing_amount: time.amount,
    processing_unit: time.unit,
    rule_15h: procedure.after15hRule,
    original_due_at: due,
    due_at: due,
    paused_since: null,
    state_entered_at: now,
    step_due_at: s.clock.stepDueAt,
    finished_at: null,
    returned_at: null,
    form_data: JSON.stringify(input.formData),
  };
}

/** The first history row: the applicant (or the business's delegate, named) filed it. */
export function submissionHistoryOf(s: Submission, code: string): Insertable<HistoryTable> {
  const { input, definition, now, filer } = s;
  return {
    dossier_code: code,
    recorded_at: now,
    action: 'submit',
    from_state: null,
    to_state: definition.initial,
    status: s.clock.initial.status,
    actor_kind: 'applicant',
    actor_account_id: input.accountId,
    actor_name: filer?.name ?? applicantName(s),
    actor_title: null,
    department: null,
    agency_code: null,
    content: s.prepaid
      ? 'Nộp hồ sơ trực tuyến, chờ nộp phí, lệ phí'
      : input.channel === 'online'
        ? 'Nộp hồ sơ trực tuyến'
        : 'Nộp hồ sơ',
    step_started_at: now,
    step_due_at: null,
    form: null,
    details: JSON.stringify({
      ...(filer ? { onBehalfOf: input.applicant.accountId } : {}),
      ...(s.prepaid ? { payment: { ...s.prepaid, requestNo: 1, before: true } } : {}),
    }),
  };
}

/** The application's files, as attachments of the dossier. */
export function applicationAttachmentsOf(s: Submission, code: string): Insertable<AttachmentTable>[] {
  return (s.input.attachments ?? []).map((a) => ({
    dossier_code: code,
    document_code: a.documentCode ?? null,
    purpose: 'application' as const,
    file_name: storedFileName(a.fileName),
    media_type: a.mediaType,
    size_bytes: a.sizeBytes,
    sha256: a.sha256,
    blob_key: a.blobKey,
    uploaded_by_account_id: s.input.accountId,
    deleted_at: null,
  }));
}

/** The status-changed message of a new dossier (revision 1, from nowhere to the first state). */
export function submittedEventOf(s: Submission, code: string) {
  return {
    code,
    action: 'submit',
    from: null,
    to: { state: s.definition.initial, status: s.clock.initial.status },
    at: s.now.toISOString(),
    procedureCode: s.procedure.code,
    applicantAccountId: s.input.applicant.accountId,
    receivingAgencyCode: s.route.receiving.code,
    competentAgencyCode: s.route.competent.code,
    dueAt: s.clock.due.toISOString(),
    revision: 1,
  };
}

/** The audit row of a submission: who filed what, where it went, when it is due. */
export function submissionAuditOf(s: Submission, code: string) {
  return {
    actor: `user:${s.input.accountId}`,
    action: 'dossier.submit',
    subject: `dossier:${code}`,
    data: {
      procedure: `${s.procedure.code}@${s.procedure.version}`,
      competent: s.route.competent.code,
      due: s.clock.due.toISOString(),
    },
  };
}
