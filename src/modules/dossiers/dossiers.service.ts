import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors/index.ts';
import {
  type Channel,
  codeDay,
  formatDossierCode,
  STATUS_NAMES,
  type StatusCode,
} from '../../platform/kernel/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import { type DeadlineStatus, deadlineStatus, type WorkingTime } from './domain/deadline.ts';
import { findProcess } from './domain/processes.ts';
import type { Place } from './domain/routing.ts';
import {
  type ActorRole,
  allowedActions,
  type OfficerRole,
  type ProcessDefinition,
  statusMeaning,
} from './domain/workflow.ts';

import {
  type Allowed,
  checkActionInput,
  checkRevision,
  conflictDetailsOf,
  decideOrRefuse,
  officerRoleOf,
  timingAfter,
} from './dossiers.act-steps.ts';
import { cashAtCounter, feeOfFiling, paymentRequestedNotice } from './dossiers.fee-steps.ts';
import { type FeePayments, feeLinesOf, requestLines } from './dossiers.fees.ts';
import { checkedPayment, suggestedPayment } from './dossiers.payment.ts';
import { agencyOfRole, rolesOnDossier } from './dossiers.policies.ts';
import type { AgencyDirectory, People, ProcedureSource, WorkingTimeFor } from './dossiers.ports.ts';
import * as repo from './dossiers.repository.ts';
import { routeDossier } from './dossiers.routing.ts';
import { checkSubmit, MAX_TEXT, requestHash, text } from './dossiers.submit-checks.ts';
import {
  applicationAttachmentsOf,
  clockAtSubmission,
  dossierRowOf,
  processFor,
  processingTimeFor,
  type Submission,
  submissionAuditOf,
  submissionHistoryOf,
  submittedEventOf,
} from './dossiers.submit-steps.ts';
import type { ApplicantKind, DossiersTables, WalletVerdict } from './dossiers.tables.ts';

/** Outbox topic of every change of a dossier's state (notifications, sync, rollups react to it). */
export const STATUS_CHANGED = 'dossier.status-changed';
/** Outbox topic of an extension (form 04): the applicant is told the new date. */
export const EXTENDED = 'dossier.extended';

export interface AttachmentInput {
  documentCode?: string | undefined;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  blobKey: string;
  /** The staged upload (dossiers.uploads) the file comes from: claimed in the same transaction. */
  uploadId?: string | undefined;
}

export interface SubmitInput {
  /** Who submits (the signed-in account). */
  accountId: string;
  /** Whose dossier it is: the submitter, or the business (organisation) a delegate acts for. */
  applicant: { accountId: string; kind: ApplicantKind; name: string };
  /** Idempotency-Key header or the form's one-time token. */
  idempotencyKey: string;
  procedureCode: string;
  /** Default: the version published now. */
  procedureVersion?: number | undefined;
  channel: Channel;
  place: Place;
  summary?: string | undefined;
  /** The case (TRUONGHOP) filed under, by name, when the procedure lists documents per case. */
  caseName?: string | undefined;
  formData: Record<string, unknown>;
  /** Files already in the blob store (content type checked, hashed) to attach. */
  attachments?: AttachmentInput[] | undefined;
}

export interface ActInput {
  accountId: string;
  code: string;
  action: string;
  /** Required by refuse, request-supplement, reject, stop, extend. */
  reason?: string | undefined;
  /** What the history says was done (NoiDungXuLy); default: the action's standard text and the reason. */
  note?: string | undefined;
  /** For an extension (form 04). */
  newDueAt?: Date | undefined;
  /** The revision the actor saw (If-Match): a 409 if the dossier has moved on. */
  expectedRevision?: number | undefined;
  /**
   * Asking for payment (to status 6): the amount in đồng and what it is for, as the applicant will read
   * them; without it the amount the procedure's fee lines come to for the e-form (dossiers.payment.ts).
   */
  payment?: { amount: number; items: string } | undefined;
  /** Files that come with the action: the applicant's supplement, the officer's result. */
  attachments?: Array<AttachmentInput & { purpose: 'supplement' | 'result' }> | undefined;
}

export interface HistoryEntry {
  at: Date;
  action: string;
  fromState: string | null;
  toState: string;
  status: StatusCode;
  actor: {
    kind: 'applicant' | 'officer' | 'system';
    name: string;
    title: string | null;
    department: string | null;
  };
  agencyCode: string | null;
  content: string;
  stepStartedAt: Date;
  stepDueAt: Date | null;
  form: string | null;
  details: Record<string, unknown>;
}

export interface DossierView {
  code: string;
  procedure: { code: string; version: number; name: string };
  process: { id: string; version: number };
  state: string;
  stateLabel: { vi: string; en: string };
  status: StatusCode;
  statusName: { vi: string; en: string };
  outcome: 'approved' | 'rejected' | null;
  channel: Channel;
  applicant: { accountId: string; kind: ApplicantKind; name: string };
  filedBy: string;
  summary: string | null;
  /** The case (TRUONGHOP) filed under, if the procedure has cases. */
  caseName: string | null;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  place: { provinceCode: string | null; communeCode: string | null };
  submittedAt: Date;
  receivedAt: Date | null;
  processingTime: { amount: number; unit: string };
  rule15h: boolean;
  originalDueAt: Date;
  dueAt: Date;
  pausedSince: Date | null;
  pausedMinutes: number;
  pauseCount: number;
  extensionCount: number;
  stepDueAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  deadline: DeadlineStatus;
  formData: Record<string, unknown>;
  revision: number;
  /** The actions the reader may take now. */
  allowedActions: string[];
  history: HistoryEntry[];
  attachments: Array<{
    id: string;
    documentCode: string | null;
    purpose: string;
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    /** Taken from the applicant's wallet (DuocLayTuKhoDMQG): the item and the verdict when it was taken. */
    reuse?: { walletItemId: string; verification: WalletVerdict | null } | undefined;
  }>;
}

export interface DossiersServiceDeps {
  db: Kysely<DossiersTables>;
  clock: Clock;
  procedures: ProcedureSource;
  agencies: AgencyDirectory;
  people: People;
  workingTimeFor: WorkingTimeFor;
  /** Online payment of fees (payments module); without it fees are paid at the counter as before. */
  payments?: FeePayments | undefined;
  /** The portal's public address, for the payment link in `payment.requested`. */
  publicUrl?: string | undefined;
}

export type DossiersService = ReturnType<typeof createDossiersService>;

/** Claims the staged uploads the attachments come from; a 409 (and a rollback) when one is gone or taken. */
async function claimOrConflict(
  trx: Kysely<DossiersTables>,
  attachments: readonly AttachmentInput[] | undefined,
  code: string,
): Promise<void> {
  const ids = (attachments ?? []).flatMap((a) => (a.uploadId ? [a.uploadId] : []));
  if (!(await repo.claimUploads(trx, ids, code)))
    throw new ConflictError(
      'Một tệp đính kèm không còn (tệp tải lên quá 24 giờ mà chưa dùng sẽ bị xoá) hoặc đã thuộc một hồ sơ khác; hãy tải tệp lên lại.',
      { uploads: ids },
    );
}

const notFound = (code: string) => new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);

function processOf(row: repo.DossierRow): ProcessDefinition {
  const definition = findProcess(row.process_id, row.process_version);
  // A dossier names a definition that is not published in this build: data from a newer version.
  if (!definition)
    throw new Error(`dossier ${row.code}: process ${row.process_id}@${row.process_version} is unknown`);
  return definition;
}

function toHistory(r: repo.HistoryRow): HistoryEntry {
  return {
    at: r.recorded_at,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    status: r.status,
    actor: { kind: r.actor_kind, name: r.actor_name, title: r.actor_title, department: r.department },
    agencyCode: r.agency_code,
    content: r.content,
    stepStartedAt: r.step_started_at,
    stepDueAt: r.step_due_at,
    form: r.form,
    details: r.details,
  };
}

export function createDossiersService(deps: DossiersServiceDeps) {
  const { db, clock, procedures, agencies, people, workingTimeFor } = deps;

  /** The dossier's calendar: the receiving unit's office hours as they were at submission. */
  const workingTimeOf = (row: Pick<repo.DossierRow, 'receiving_agency_code' | 'submitted_at'>) =>
    workingTimeFor(row.receiving_agency_code, row.submitted_at);

  async function view(
    row: repo.DossierRow,
    roles: ReadonlySet<ActorRole>,
    wt: WorkingTime,
  ): Promise<DossierView> {
    const definition = processOf(row);
    const [history, attachments] = await Promise.all([
      repo.findHistory(db, row.code),
      repo.findAttachments(db, row.code),
    ]);
    const state = definition.states[row.state]!;
    return {
      code: row.code,
      procedure: { code: row.procedure_code, version: row.procedure_version, name: row.procedure_name },
      process: { id: row.process_id, version: row.process_version },
      state: row.state,
      stateLabel: state.label,
      status: row.status,
      statusName: STATUS_NAMES[row.status],
      outcome: row.outcome,
      channel: row.channel,
      applicant: { accountId: row.applicant_account_id, kind: row.applicant_kind, name: row.applicant_name },
      filedBy: row.filed_by_account_id,
      summary: row.summary,
      caseName: row.case_name ?? null,
      receivingAgencyCode: row.receiving_agency_code,
      competentAgencyCode: row.competent_agency_code,
      place: { provinceCode: row.province_code, communeCode: row.commune_code },
      submittedAt: row.submitted_at,
      receivedAt: row.received_at,
      processingTime: { amount: Number(row.processing_amount), unit: row.processing_unit },
      rule15h: row.rule_15h,
      originalDueAt: row.original_due_at,
      dueAt: row.due_at,
      pausedSince: row.paused_since,
      pausedMinutes: row.paused_minutes,
      pauseCount: row.pause_count,
      extensionCount: row.extension_count,
      stepDueAt: row.step_due_at,
      finishedAt: row.finished_at,
      returnedAt: row.returned_at,
      deadline: deadlineStatus(wt, {
        due: row.due_at,
        now: clock.now(),
        pausedSince: row.paused_since,
        finishedAt: row.finished_at,
      }),
      formData: row.form_data,
      revision: row.revision,
      allowedActions: allowedActions(definition, row.state, roles),
      history: history.map(toHistory),
      attachments: attachments.map((a) => ({
        id: a.id,
        documentCode: a.document_code,
        purpose: a.purpose,
        fileName: a.file_name,
        mediaType: a.media_type,
        sizeBytes: Number(a.size_bytes),
        sha256: a.sha256,
        ...(a.reused && a.wallet_item_id
          ? { reuse: { walletItemId: a.wallet_item_id, verification: a.verification } }
          : {}),
      })),
    };
  }

  /** The dossier and the reader's roles on it; 404 when it does not exist or is outside their scope. */
  async function load(accountId: string, code: string) {
    const row = await repo.findDossier(db, code);
    if (!row) throw notFound(code);
    const definition = processOf(row);
    const roles = await rolesOnDossier(people, accountId, row, definition);
    if (roles.size === 0) throw notFound(code);
    return { row, definition, roles };
  }

  async function existingFor(
    accountId: string,
    key: string,
    hash: string,
    found: { request_hash: string; dossier_code: string | null },
  ) {
    if (found.request_hash !== hash) {
      throw new ConflictError(
        'Mã Idempotency-Key này đã được dùng cho một hồ sơ khác; hãy dùng mã mới cho hồ sơ mới.',
        {
          idempotencyKey: key,
        },
      );
    }
    if (found.dossier_code === null)
      throw new ConflictError('Hồ sơ với mã này đang được nộp; hãy thử lại sau giây lát.');
    const { row, roles } = await load(accountId, found.dossier_code);
    return { dossier: await view(row, roles, await workingTimeOf(row)), created: false };
  }

  // ——— the steps of a submission (`submit`; the pure ones are in dossiers.submit-steps.ts) ———

  /** 403 when the signed-in account files for someone else without a delegation for this procedure. */
  async function checkMayFileFor(input: SubmitInput) {
    const { applicant } = input;
    if (applicant.accountId === input.accountId) return;
    const mayAct =
      applicant.kind !== 'citizen' &&
      (await people.mayActFor(input.accountId, applicant.accountId, input.procedureCode));
    if (!mayAct)
      throw new ForbiddenError('Bạn không được ủy quyền nộp thủ tục này thay cho tổ chức, doanh nghiệp.');
  }

  /** The published version of the procedure (the one asked for, or the latest); 404 when there is none. */
  async function publishedProcedure(input: SubmitInput) {
    const procedure = await procedures.find(input.procedureCode, input.procedureVersion);
    if (!procedure) throw new NotFoundError(`Không có thủ tục mã ${input.procedureCode} đang công khai.`);
    return procedure;
  }

  /**
   * Who files: the delegate's profile when they file for a business (the history names them), and the
   * applicant's identification or tax number, kept for the public lookup (its last 4 characters) and the
   * officers' search.
   */
  async function whoFiles(input: SubmitInput) {
    const { applicant } = input;
    const filer =
      applicant.accountId === input.accountId ? undefined : await people.profileOf(input.accountId);
    const held = await people.applicantProfile?.(applicant.accountId);
    const idNumber = (applicant.kind === 'citizen' ? held?.personalId : held?.taxCode) ?? null;
    return { filer, idNumber };
  }

  /**
   * The submission in one transaction: the idempotency key claimed first (a key already claimed makes it
   * a replay), the code numbered, the dossier, its history row and attachments inserted, the staged
   * uploads claimed, the key bound to the code, the outbox message and the audit row.
   */
  async function recordSubmission(
    trx: Transaction<DossiersTables>,
    s: Submission,
    hash: string,
    day: string,
  ) {
    const { input, route } = s;
    if (!(await repo.claimSubmissionKey(trx, input.accountId, input.idempotencyKey, hash))) {
      return { replay: await repo.findSubmissionKey(trx, input.accountId, input.idempotencyKey) };
    }
    const code = formatDossierCode(
      route.identifier,
      day,
      await repo.allocateSequence(trx, route.identifier, day),
    );
    await repo.insertDossier(trx, dossierRowOf(s, code));
    await repo.insertHistory(trx, submissionHistoryOf(s, code));
    await repo.insertAttachments(trx, applicationAttachmentsOf(s, code));
    await claimOrConflict(trx, input.attachments, code);
    await repo.setSubmissionKeyDossier(trx, input.accountId, input.idempotencyKey, code);
    // A dossier waiting for its fee is not announced (nor sent to agency systems) until it is paid.
    if (!s.prepaid) await enqueue(trx, STATUS_CHANGED, submittedEventOf(s, code), { dedupeKey: `${code}@1` });
    await appendAudit(trx, submissionAuditOf(s, code), s.now);
    return { code };
  }

  // ——— the steps of a workflow action (`act`; the pure ones are in dossiers.act-steps.ts) ———

  /** What the history, the audit row and the message say beyond the move (and the amount to pay). */
  async function detailsOf(
    row: repo.DossierRow,
    input: ActInput,
    timing: ReturnType<typeof timingAfter>,
    reason: string | undefined,
    newDueAt: Date | undefined,
  ) {
    const details: Record<string, unknown> = {};
    if (reason) details.reason = reason;
    if (newDueAt)
      Object.assign(details, { previousDueAt: row.due_at.toISOString(), newDueAt: newDueAt.toISOString() });
    if (timing.closing) details.pausedWorkingMinutes = timing.pauseMinutes;
    if (statusMeaning.asksForPayment(timing.next) && timing.moved) {
      const fees =
        (await procedures.find(row.procedure_code, row.procedure_version))?.channels.find(
          (c) => c.channel === row.channel,
        )?.fees ?? [];
      const asked =
        input.payment !== undefined ? checkedPayment(input.payment) : suggestedPayment(fees, row.form_data);
      // The request's number names its bill (dossier-fee:<code>:<n>); the lines rebuild the bill.
      const requestNo =
        (await repo.findHistory(db, row.code)).filter((h) => h.action === input.action).length + 1;
      const lines = requestLines(
        row.procedure_code,
        requestNo,
        feeLinesOf(row.procedure_code, fees, row.form_data),
        fees,
        asked.amount,
        asked.items,
      );
      details.payment = { ...asked, requestNo, lines };
    }
    return details;
  }

  /**
   * The action in one transaction, at the revision read: the dossier's new state, the attachments, the
   * pause or extension, the history row, the outbox messages and the audit row.
   */
  async function recordAction(
    trx: Transaction<DossiersTables>,
    a: {
      row: repo.DossierRow;
      definition: ProcessDefinition;
      roles: Set<ActorRole>;
      input: ActInput;
      decision: Allowed;
      timing: ReturnType<typeof timingAfter>;
      now: Date;
      reason: string | undefined;
      note: string | undefined;
      newDueAt: Date | undefined;
      officerRole: OfficerRole | undefined;
      profile: Awaited<ReturnType<People['profileOf']>>;
      details: Record<string, unknown>;
      /** Asking for payment: the applicant's `payment.requested`, in this transaction. */
      notice?: ((trx: Transaction<DossiersTables>) => Promise<void>) | undefined;
    },
  ) {
    const { row, definition, roles, input, decision, now, reason, note, newDueAt, officerRole, profile } = a;
    const { closing, pauseMinutes, dueAt, moved, next, stepDueAt } = a.timing;
    const spec = decision.definition;
    const details = a.details;
    const agencyCode = officerRole ? agencyOfRole(definition, officerRole, row) : null;
    const revision = row.revision + 1;
    const applied = await repo.updateDossierAtRevision(trx, row.code, row.revision, {
      state: decision.to,
      status: decision.status,
      ...(spec.outcome ? { outcome: spec.outcome } : {}),
      ...(statusMeaning.received(next) && row.received_at === null ? { received_at: now } : {}),
      ...(statusMeaning.resultReturned(next) ? { returned_at: now } : {}),
      ...(decision.clock === 'stop' ? { finished_at: now } : {}),
      ...(decision.clock === 'pause' ? { paused_since: now, pause_count: row.pause_count + 1 } : {}),
      ...(closing ? { paused_since: null, paused_minutes: row.paused_minutes + pauseMinutes } : {}),
      ...(newDueAt ? { extension_count: row.extension_count + 1 } : {}),
      due_at: dueAt,
      state_entered_at: moved ? now : row.state_entered_at,
      step_due_at: stepDueAt,
      updated_at: now,
    });
    if (!applied) {
      throw new ConflictError(
        `Hồ sơ ${row.code} vừa được xử lý bởi người khác; hãy tải lại.`,
        conflictDetailsOf(row, definition, roles),
      );
    }
    await repo.insertAttachments(
      trx,
      (input.attachments ?? []).map((a) => ({
        dossier_code: row.code,
        document_code: a.documentCode ?? null,
        purpose: a.purpose,
        file_name: storedFileName(a.fileName),
        media_type: a.mediaType,
        size_bytes: a.sizeBytes,
        sha256: a.sha256,
        blob_key: a.blobKey,
        uploaded_by_account_id: input.accountId,
        deleted_at: null,
      })),
    );
    await claimOrConflict(trx, input.attachments, row.code);
    if (decision.clock === 'pause') await repo.openPause(trx, row.code, now, reason ?? spec.history);
    if (closing) await repo.closePause(trx, row.code, now, pauseMinutes);
    if (newDueAt) {
      await repo.insertExtension(trx, {
        dossier_code: row.code,
        granted_at: now,
        granted_by_account_id: input.accountId,
        previous_due_at: row.due_at,
        new_due_at: newDueAt,
        reason: reason!,
      });
    }
    await repo.insertHistory(trx, {
      dossier_code: row.code,
      recorded_at: now,
      action: decision.action,
      from_state: decision.from,
      to_state: decision.to,
      status: decision.status,
      actor_kind: officerRole ? 'officer' : 'applicant',
      actor_account_id: input.accountId,
      actor_name: profile?.name ?? (officerRole ? 'Cán bộ' : row.applicant_name),
      actor_title: officerRole ? (profile?.title ?? null) : null,
      department: officerRole ? (profile?.department ?? null) : null,
      agency_code: agencyCode,
      content: note ?? (reason ? `${spec.history}: ${reason}` : spec.history).slice(0, MAX_TEXT),
      step_started_at: row.state_entered_at,
      step_due_at: row.step_due_at,
      form: spec.form ?? null,
      details: JSON.stringify(details),
    });
    const event = {
      code: row.code,
      action: decision.action,
      from: { state: decision.from, status: row.status },
      to: { state: decision.to, status: decision.status },
      at: now.toISOString(),
      procedureCode: row.procedure_code,
      applicantAccountId: row.applicant_account_id,
      receivingAgencyCode: row.receiving_agency_code,
      competentAgencyCode: row.competent_agency_code,
      dueAt: dueAt.toISOString(),
      revision,
      ...(reason ? { reason } : {}),
    };
    if (moved) await enqueue(trx, STATUS_CHANGED, event, { dedupeKey: `${row.code}@${revision}` });
    await a.notice?.(trx);
    if (newDueAt) await enqueue(trx, EXTENDED, event, { dedupeKey: `${row.code}@${revision}` });
    await appendAudit(
      trx,
      {
        actor: officerRole ? `officer:${input.accountId}` : `user:${input.accountId}`,
        action: `dossier.${decision.action}`,
        subject: `dossier:${row.code}`,
        data: { from: decision.from, to: decision.to, status: decision.status, revision, ...details },
      },
      now,
    );
  }

  return {
    /**
     * Files a dossier: routes it to the competent agency, numbers it, computes its due date, and records
     * the submission with its history row, audit row and outbox message in one transaction. The same
     * Idempotency-Key of the same account returns the dossier it made (`created: false`), even when the
     * repeats arrive at the same moment; the same key with a different request is a 409.
     */
    async submit(input: SubmitInput): Promise<{ dossier: DossierView; created: boolean }> {
      checkSubmit(input);
      const hash = requestHash(input);
      const seen = await repo.findSubmissionKey(db, input.accountId, input.idempotencyKey);
      if (seen) return existingFor(input.accountId, input.idempotencyKey, hash, seen);

      await checkMayFileFor(input);
      const procedure = await publishedProcedure(input);
      const time = processingTimeFor(procedure, input.applicant.kind, input.channel);
      const now = clock.now();
      const day = codeDay(now);
      const route = await routeDossier(agencies, procedure, input.place, day);
      const prepaid = await feeOfFiling(deps.payments, procedure, input, route.competent.code);
      const definition = processFor(procedure, prepaid !== undefined);
      const wt = await workingTimeFor(route.receiving.code, now);
      const started = clockAtSubmission(wt, now, time, procedure.after15hRule, definition);
      const { filer, idNumber } = await whoFiles(input);
      const summary = text(input.summary, 'summary', 1000);
      const submission: Submission = {
        input,
        procedure,
        definition,
        time,
        route,
        now,
        clock: started,
        filer,
        idNumber,
        summary,
        prepaid,
      };

      const outcome = await db.transaction().execute((trx) => recordSubmission(trx, submission, hash, day));
      if ('replay' in outcome) {
        if (!outcome.replay) throw new Error('submission key vanished');
        return existingFor(input.accountId, input.idempotencyKey, hash, outcome.replay);
      }
      // The submitter acts as the applicant (or the business's delegate) on what they just filed.
      const row = (await repo.findDossier(db, outcome.code))!;
      return { dossier: await view(row, new Set<ActorRole>(['applicant']), wt), created: true };
    },

    /**
     * Takes a workflow action on a dossier. 404 outside the actor's scope; 409 naming the state and the
     * allowed actions when the action is not allowed now (or the dossier moved on meanwhile); 403 when it
     * is allowed but not for the actor's roles; 400 when a reason or date it needs is missing.
     */
    async act(input: ActInput): Promise<DossierView> {
      const { row, definition, roles } = await load(input.accountId, input.code);
      checkRevision(row, definition, roles, input.expectedRevision);
      const decision = decideOrRefuse(row, definition, roles, input.action);
      const spec = decision.definition;
      const now = clock.now();
      const { reason, note, newDueAt } = checkActionInput(spec, input, row, now);
      const officerRole = officerRoleOf(spec, roles);
      const [wt, closedPauses, extensionRows, profile] = await Promise.all([
        workingTimeOf(row),
        repo.findClosedPauses(db, row.code),
        repo.findExtensions(db, row.code),
        people.profileOf(input.accountId),
      ]);
      const timing = timingAfter(row, definition, decision, wt, now, closedPauses, extensionRows, newDueAt);
      const details = await detailsOf(row, input, timing, reason, newDueAt);
      // Cash at the counter goes into the payments ledger first (refused when the fee was paid online).
      if (officerRole === 'cashier' && deps.payments) {
        const cash = await cashAtCounter(db, deps.payments, row, input.accountId);
        if (cash) details.cash = cash;
      }
      const notice = await paymentRequestedNotice(people, deps.payments, deps.publicUrl, row, details);
      await db.transaction().execute(async (trx) => {
        await recordAction(trx, {
          row,
          definition,
          roles,
          input,
          decision,
          timing,
          now,
          reason,
          note,
          newDueAt,
          officerRole,
          profile,
          details,
          notice,
        });
      });
      const updated = (await repo.findDossier(db, row.code))!;
      return view(updated, roles, wt);
    },

    /**
     * One dossier with its history, for the applicant, a delegate of the business it belongs to, or an
     * officer holding one of the process's roles where the dossier is; 404 for anyone else.
     */
    async get(accountId: string, code: string): Promise<DossierView> {
      const { row, roles } = await load(accountId, code);
      return view(row, roles, await workingTimeOf(row));
    },

    /** The dossier's row and the account's roles on it; 404 outside their scope (for the desk's features). */
    async scopeOf(accountId: string, code: string) {
      const { row, definition, roles } = await load(accountId, code);
      return { row, definition, roles: roles as ReadonlySet<ActorRole> };
    },

    /** The dossier's calendar (the receiving unit's, as at submission). */
    workingTimeOf,

    /**
     * Where a dossier of this procedure filed for this place would go today (the filing's place step and
     * "check your answers" show it before the applicant submits): the competent agency, the receiving
     * unit and the identifier its code would start with. Throws as `submit` would (400 for a place the
     * procedure cannot be filed for, 409 when the agency has no identifier yet).
     */
    async routeFor(procedureCode: string, place: Place) {
      const procedure = await procedures.find(procedureCode);
      if (!procedure) throw new NotFoundError(`Không có thủ tục mã ${procedureCode} đang công khai.`);
      return routeDossier(agencies, procedure, place, codeDay(clock.now()));
    },
  };
}
