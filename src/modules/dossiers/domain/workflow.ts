/**
 * The dossier workflow as a small declarative state machine (CONTRIBUTING.md §2: one per procedure, no general
 * engine). A process definition is data: states, each mapped onto one of the ten national status codes
 * (TrangThaiHoSo, docs/dossiers.md) with what the processing clock does in it and the time limit of the
 * step; actions, each with the states it may be taken from, the state it leads to (or none: the state
 * stays, e.g. an extension), the roles that may take it and what it needs (a reason, a new due date).
 * Definitions are versioned: a dossier keeps the (id, version) it started with, so a published version
 * never changes (a test pins each one).
 *
 * `decide` is the whole policy of a transition and has no I/O: the service gives it the dossier's state
 * and the roles the actor holds on this dossier, and turns a refusal into 409 (not allowed in this state,
 * naming the state and the actions that are) or 403 (allowed here, but not for these roles).
 */

import { STATUS, STATUS_CODES, type StatusCode } from '../../../platform/kernel/index.ts';

/** Officer roles a process definition may name (a subset of the identity module's roles). */
export const OFFICER_ROLES = ['receiver', 'processor', 'approver', 'cashier'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
/** `applicant`: the account the dossier belongs to, or a delegate acting for that business. */
export type ActorRole = OfficerRole | 'applicant';

/** Where an officer role is checked: at the receiving unit (one-stop desk) or the competent agency. */
export type RoleSite = 'receiving' | 'competent';

/**
 * The processing clock in a state: `running` (working time counts toward the due date), `paused` (an
 * open supplement request: it does not count) or `stopped` (processing has ended).
 */
export type ClockMode = 'running' | 'paused' | 'stopped';

export type StepUnit = 'working-day' | 'working-hour' | 'day';

/** How long a step may take: a fixed time, or until the dossier's own due date. */
export type StepLimit = { readonly amount: number; readonly unit: StepUnit } | 'dossier-due';

/** What an action needs besides the actor: a reason (forms 02–05), a new due date (form 04). */
export type ActionNeed = 'reason' | 'new-due-date';

/** Standard forms of Circular 01/2018/TT-VPCP an action produces. */
export type FormCode = '02' | '03' | '04' | '05';

export interface Label {
  readonly vi: string;
  readonly en: string;
}

export interface StateDefinition {
  readonly label: Label;
  readonly status: StatusCode;
  readonly clock: ClockMode;
  /** Terminal: no action leads out of it. */
  readonly terminal: boolean;
  /** The step's time limit; absent for terminal states and for waits on the applicant. */
  readonly limit?: StepLimit;
}

export interface ActionDefinition {
  readonly label: Label;
  readonly from: readonly string[];
  /** The state it leads to; absent: the state stays (an extension). */
  readonly to?: string;
  readonly roles: readonly ActorRole[];
  readonly needs: readonly ActionNeed[];
  readonly form?: FormCode;
  /** The decision an approval step records on the dossier. */
  readonly outcome?: 'approved' | 'rejected';
  /** What the processing history says was done (NoiDungXuLy) when the officer writes nothing. */
  readonly history: string;
}

export interface ProcessDefinition {
  readonly id: string;
  readonly version: number;
  readonly label: Label;
  readonly initial: string;
  readonly states: Readonly<Record<string, StateDefinition>>;
  readonly actions: Readonly<Record<string, ActionDefinition>>;
  readonly roleSites: Readonly<Record<OfficerRole, RoleSite>>;
}

/** What the clock does across a transition. */
export type ClockEffect = 'pause' | 'resume' | 'stop' | 'none';

export type Decision =
  | {
      readonly ok: true;
      readonly action: string;
      readonly from: string;
      readonly to: string;
      readonly status: StatusCode;
      readonly clock: ClockEffect;
      readonly definition: ActionDefinition;
    }
  | {
      readonly ok: false;
      /**
       * `not-allowed`: the action cannot be taken in this state (409); `role-required`: it can, but not by
       * this actor (403).
       */
      readonly reason: 'not-allowed' | 'role-required';
      readonly action: string;
      readonly state: string;
      readonly status: StatusCode;
      /** The actions this actor may take now (empty in a terminal state). */
      readonly allowedActions: readonly string[];
      /** For `role-required`: the roles that may take the action. */
      readonly requiredRoles: readonly ActorRole[];
    };

const hasOwn = (o: object, k: string) => Object.hasOwn(o, k);

function stateOf(definition: ProcessDefinition, state: string): StateDefinition {
  if (!hasOwn(definition.states, state)) {
    throw new RangeError(`state ${state} is not in process ${definition.id} v${definition.version}`);
  }
  return definition.states[state]!;
}

/** Actions that may be taken in `state`; with `roles`, only those one of the roles may take. */
export function allowedActions(
  definition: ProcessDefinition,
  state: string,
  roles?: ReadonlySet<ActorRole>,
): string[] {
  stateOf(definition, state);
  return Object.entries(definition.actions)
    .filter(([, a]) => a.from.includes(state) && (roles === undefined || a.roles.some((r) => roles.has(r))))
    .map(([name]) => name);
}

function clockEffect(from: ClockMode, to: ClockMode): ClockEffect {
  if (from === to) return 'none';
  if (to === 'paused') return 'pause';
  if (to === 'stopped') return 'stop';
  return from === 'paused' ? 'resume' : 'none';
}

/**
 * The next state if `roles` may take `action` in `state`, or a refusal naming the state and what is
 * allowed. Throws RangeError only for a state the definition does not have (a corrupt dossier row).
 */
export function decide(
  definition: ProcessDefinition,
  state: string,
  action: string,
  roles: ReadonlySet<ActorRole>,
): Decision {
  const current = stateOf(definition, state);
  const a = hasOwn(definition.actions, action) ? definition.actions[action]! : undefined;
  const refuse = (reason: 'not-allowed' | 'role-required'): Decision => ({
    ok: false,
    reason,
    action,
    state,
    status: current.status,
    allowedActions: allowedActions(definition, state, roles),
    requiredRoles: reason === 'role-required' && a ? a.roles : [],
  });
  if (a === undefined || !a.from.includes(state)) return refuse('not-allowed');
  if (!a.roles.some((r) => roles.has(r))) return refuse('role-required');
  const to = a.to ?? state;
  const next = stateOf(definition, to);
  return {
    ok: true,
    action,
    from: state,
    to,
    status: next.status,
    clock: clockEffect(current.clock, next.clock),
    definition: a,
  };
}

/** States reachable from the initial state by any sequence of actions. */
export function reachableStates(definition: ProcessDefinition): Set<string> {
  const seen = new Set<string>([definition.initial]);
  const queue = [definition.initial];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const a of Object.values(definition.actions)) {
      const to = a.to ?? s;
      if (a.from.includes(s) && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

/**
 * What is wrong with a definition (empty: it may be used). Checked: names, the initial state, every
 * action's states and roles, status codes, terminal states (stopped clock, nothing leads out), every
 * state reachable from the initial one and able to reach a terminal one, the clock paused only while a
 * supplement is requested (status 5), step limits.
 */
export function definitionProblems(definition: ProcessDefinition): string[] {
  const problems: string[] = [];
  const states = definition.states;
  const name = /^[a-z][a-z0-9-]{0,39}$/;
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(definition.id)) problems.push(`bad process id ${definition.id}`);
  if (!Number.isInteger(definition.version) || definition.version < 1) problems.push('version must be ≥ 1');
  if (!hasOwn(states, definition.initial))
    problems.push(`initial state ${definition.initial} is not defined`);
  for (const [s, def] of Object.entries(states)) {
    if (!name.test(s)) problems.push(`bad state name ${s}`);
    if (!(STATUS_CODES as readonly number[]).includes(def.status))
      problems.push(`${s}: bad status ${def.status}`);
    if (def.terminal && def.clock !== 'stopped') problems.push(`${s}: a terminal state stops the clock`);
    if (
      !def.terminal &&
      def.clock === 'stopped' &&
      !Object.values(definition.actions).some((a) => a.from.includes(s))
    )
      problems.push(`${s}: not terminal but nothing leads out`);
    if (def.clock === 'paused' && def.status !== STATUS.supplement)
      problems.push(`${s}: the clock may pause only while a supplement is requested (status 5)`);
    if (def.terminal && def.limit !== undefined) problems.push(`${s}: a terminal state has no time limit`);
    if (typeof def.limit === 'object' && !(Number.isFinite(def.limit.amount) && def.limit.amount > 0))
      problems.push(`${s}: a step limit must be a positive amount`);
  }
  for (const [a, def] of Object.entries(definition.actions)) {
    if (!name.test(a)) problems.push(`bad action name ${a}`);
    if (def.from.length === 0) problems.push(`${a}: no state to take it from`);
    for (const s of def.from) {
      if (!hasOwn(states, s)) problems.push(`${a}: from unknown state ${s}`);
      else if (states[s]!.terminal) problems.push(`${a}: leads out of terminal state ${s}`);
    }
    if (def.to !== undefined && !hasOwn(states, def.to)) problems.push(`${a}: to unknown state ${def.to}`);
    if (def.roles.length === 0) problems.push(`${a}: nobody may take it`);
    for (const r of def.roles) {
      if (r !== 'applicant' && !(OFFICER_ROLES as readonly string[]).includes(r))
        problems.push(`${a}: unknown role ${r}`);
    }
    if (def.form === '04' && !def.needs.includes('new-due-date'))
      problems.push(`${a}: form 04 needs a new due date`);
  }
  for (const r of OFFICER_ROLES) {
    if (definition.roleSites[r] !== 'receiving' && definition.roleSites[r] !== 'competent')
      problems.push(`role ${r} has no site`);
  }
  if (problems.length > 0) return problems;
  const reachable = reachableStates(definition);
  for (const s of Object.keys(states))
    if (!reachable.has(s)) problems.push(`${s}: not reachable from ${definition.initial}`);
  // Every state can still end: walk the actions backwards from the terminal states.
  const ending = new Set(Object.keys(states).filter((s) => states[s]!.terminal));
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of Object.values(definition.actions)) {
      for (const s of a.from) {
        if (!ending.has(s) && ending.has(a.to ?? s)) {
          ending.add(s);
          grew = true;
        }
      }
    }
  }
  for (const s of Object.keys(states)) if (!ending.has(s)) problems.push(`${s}: no way to a terminal state`);
  return problems;
}

/** Officer roles the definition names (for looking up what an actor holds on a dossier). */
export function rolesNamed(definition: ProcessDefinition): OfficerRole[] {
  const roles = new Set<OfficerRole>();
  for (const a of Object.values(definition.actions))
    for (const r of a.roles) if (r !== 'applicant') roles.add(r);
  return [...roles];
}

/**
 * What entering a state means for the dossier, by the national status the state maps onto: the
 * service asks these instead of comparing status numbers.
 */
export const statusMeaning = {
  /** Received at the one-stop desk (status 2): the receipt time is set once. */
  received: (s: { readonly status: StatusCode }) => s.status === STATUS.received,
  /** The applicant is asked to pay (status 6): the amount goes with the action. */
  asksForPayment: (s: { readonly status: StatusCode }) => s.status === STATUS.payment,
  /** The result is handed over (status 10). */
  resultReturned: (s: { readonly status: StatusCode }) => s.status === STATUS.returned,
  /** The result is out, processed or handed over (status 9 or 10): the applicant may rate it. */
  hasResult: (s: { readonly status: StatusCode }) =>
    s.status === STATUS.processed || s.status === STATUS.returned,
} as const;
