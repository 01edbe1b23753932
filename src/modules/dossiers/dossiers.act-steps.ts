/**
 * The steps of a workflow action (`DossiersService.act`) that decide without I/O: the revision the
 * caller saw, the process definition's decision, the action's input, the role acted in, and the clock
 * after the action (pauses, due dates).
 */
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors/index.ts';
import {
  dossierDue,
  type Extension,
  extensionProblem,
  pausedWorkingMinutes,
  stepDue,
  type WorkingTime,
} from './domain/deadline.ts';
import {
  type ActorRole,
  allowedActions,
  type Decision,
  decide,
  OFFICER_ROLES,
  type OfficerRole,
  type ProcessDefinition,
} from './domain/workflow.ts';
import type * as repo from './dossiers.repository.ts';
import type { ActInput } from './dossiers.service.ts';
import { MAX_TEXT, text } from './dossiers.submit-checks.ts';

/** A transition the process definition allows. */
export type Allowed = Extract<Decision, { ok: true }>;

/** The allowed actions now, for a 409's details. */
export const conflictDetailsOf = (
  row: repo.DossierRow,
  definition: ProcessDefinition,
  roles: Set<ActorRole>,
) => ({
  state: row.state,
  status: row.status,
  allowedActions: allowedActions(definition, row.state, roles),
});

/** 409 when the caller acted on an older revision of the dossier than the current one. */
export function checkRevision(
  row: repo.DossierRow,
  definition: ProcessDefinition,
  roles: Set<ActorRole>,
  expectedRevision: number | undefined,
) {
  if (expectedRevision !== undefined && expectedRevision !== row.revision) {
    throw new ConflictError(`Hồ sơ ${row.code} đã thay đổi (phiên bản ${row.revision}); hãy tải lại.`, {
      ...conflictDetailsOf(row, definition, roles),
      revision: row.revision,
    });
  }
}

/** The process definition's decision; a refusal is 403 (a role is missing) or 409 (not now). */
export function decideOrRefuse(
  row: repo.DossierRow,
  definition: ProcessDefinition,
  roles: Set<ActorRole>,
  action: string,
) {
  const decision = decide(definition, row.state, action, roles);
  if (!decision.ok) {
    if (decision.reason === 'role-required') {
      throw new ForbiddenError(
        `Thao tác "${action}" cần vai trò ${decision.requiredRoles.join(' hoặc ')} đối với hồ sơ này.`,
        { state: decision.state, allowedActions: [...decision.allowedActions] },
      );
    }
    throw new ConflictError(
      `Không thể "${action}" khi hồ sơ ở trạng thái "${definition.states[row.state]!.label.vi}" (${row.state}).`,
      { state: decision.state, status: decision.status, allowedActions: [...decision.allowedActions] },
    );
  }
  return decision;
}

/** The reason, note and new due date, bounded, and present when the action needs them (400 if not). */
export function checkActionInput(
  spec: Allowed['definition'],
  input: ActInput,
  row: repo.DossierRow,
  now: Date,
) {
  const reason = text(input.reason, 'reason', MAX_TEXT);
  const note = text(input.note, 'note', MAX_TEXT);
  if (spec.needs.includes('reason') && !reason)
    throw new ValidationError('Cần nêu lý do.', [{ path: 'reason', message: 'required' }]);
  const newDueAt = input.newDueAt;
  if (spec.needs.includes('new-due-date')) {
    const problem = newDueAt ? extensionProblem(row.due_at, newDueAt, now) : 'Cần ngày hẹn trả mới.';
    if (problem) throw new ValidationError(problem, [{ path: 'newDueAt', message: problem }]);
  }
  return { reason, note, newDueAt };
}

/** The role the actor acts in: the first of the action's roles they hold (undefined: the applicant). */
export function officerRoleOf(spec: Allowed['definition'], roles: Set<ActorRole>): OfficerRole | undefined {
  const role = spec.roles.find((r) => roles.has(r))!;
  return (OFFICER_ROLES as readonly string[]).includes(role) ? (role as OfficerRole) : undefined;
}

/**
 * The clock after the action: a pause opens, or the open pause closes (resumed, or ended with the
 * dossier); the due date again when a pause closed or an extension was granted; the step's due date.
 */
export function timingAfter(
  row: repo.DossierRow,
  definition: ProcessDefinition,
  decision: Allowed,
  wt: WorkingTime,
  now: Date,
  closedPauses: Awaited<ReturnType<typeof repo.findClosedPauses>>,
  extensionRows: Awaited<ReturnType<typeof repo.findExtensions>>,
  newDueAt: Date | undefined,
) {
  const extensions: Extension[] = extensionRows.map((e) => ({
    grantedAt: e.granted_at,
    newDue: e.new_due_at,
  }));
  if (newDueAt) extensions.push({ grantedAt: now, newDue: newDueAt });
  const closing = row.paused_since !== null && (decision.clock === 'resume' || decision.clock === 'stop');
  const pauseMinutes = closing ? pausedWorkingMinutes(wt, [{ from: row.paused_since!, to: now }]) : 0;
  const pauses = closing ? [...closedPauses, { from: row.paused_since!, to: now }] : closedPauses;
  const dueAt =
    closing || newDueAt
      ? dossierDue(wt, {
          receivedAt: row.submitted_at,
          time: { amount: Number(row.processing_amount), unit: row.processing_unit },
          rule15h: row.rule_15h,
          pauses,
          extensions,
        })
      : row.due_at;
  const moved = decision.to !== decision.from;
  const next = definition.states[decision.to]!;
  const stepDueAt = moved
    ? (stepDue(wt, now, next.limit, dueAt) ?? null)
    : next.limit === 'dossier-due'
      ? dueAt
      : row.step_due_at;
  return { closing, pauseMinutes, dueAt, moved, next, stepDueAt };
}
