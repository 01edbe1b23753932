/**
 * The feedback item's state machine (phản ánh, kiến nghị; reference/oversight.md), as tables: code compares
 * statuses by the kernel's names (src/platform/kernel/feedback-status.ts), never by position.
 *
 * Who acts:
 *  - `submitter` — the citizen or business who sent the item (with an account, or anonymous and verified by
 *    a one-time code); `hotline` — an operator logging it for a caller;
 *  - `vpcp` — a Government Office supervisor (role vpcp-supervisor at CP): triage, publication;
 *  - `agency` — an officer of an agency the item is routed to (acting for that agency);
 *  - `public` — anyone else: reads published items, acts on nothing.
 *
 * The Government Office triages a new (or supplemented) item: accept, refuse with a reason, ask for more
 * information (the clock stops until the submitter supplements), forward to one or more agencies. Each
 * agency the item is routed to has its own route: it receives the item, hands it off to its own software,
 * answers, returns it to the Government Office, or passes it to another agency. The item's status while it
 * is with agencies is derived from its routes; when no route is active it is `answered` (some agency
 * answered) or `returned` (none did). The Government Office publishes the answer or withholds it with a
 * reason; the submitter rates the answer once (satisfied or not). While it waits for the Government Office
 * (before forwarding, or returned) a duplicate may be merged into another item: it stops there (`merged`),
 * and its submitter rates the kept item's answer once that is published or withheld.
 *
 * Pure: no I/O; the service applies a decision at the expected revision.
 */
import { FEEDBACK_STATUS_NAMES, type FeedbackStatus } from '../../../platform/kernel/index.ts';

export const FEEDBACK_ROLES = ['submitter', 'hotline', 'vpcp', 'agency', 'public'] as const;
export type FeedbackRole = (typeof FEEDBACK_ROLES)[number];

export const FEEDBACK_ACTIONS = [
  'submit',
  'accept',
  'refuse',
  'ask-info',
  'supplement',
  'forward',
  'receive',
  'hand-off',
  'answer',
  'return',
  'pass',
  'publish',
  'withhold',
  'rate',
  'merge',
] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

/** What an agency's route of the item is at. */
export const ROUTE_STATES = ['forwarded', 'handling', 'external', 'answered', 'returned', 'passed'] as const;
export type RouteState = (typeof ROUTE_STATES)[number];
/** Routes that still wait for the agency. */
export const ACTIVE_ROUTE_STATES: readonly RouteState[] = ['forwarded', 'handling', 'external'];

export interface Route {
  readonly agency: string;
  readonly state: RouteState;
  /** Forwarded by the Government Office, or passed on by another agency. */
  readonly via: 'vpcp' | 'pass';
}

export interface ItemState {
  /** null: the item does not exist yet (only `submit`). */
  readonly status: FeedbackStatus | null;
  readonly routes: readonly Route[];
  readonly rated: boolean;
  /** For a merged item: the item it was merged into is published or withheld (its answer may be rated). */
  readonly keptClosed?: boolean;
}

export interface Actor {
  readonly role: FeedbackRole;
  /** For `agency`: the agency the officer acts for. */
  readonly agency?: string;
}

export type Command =
  | { readonly action: 'submit' }
  | { readonly action: 'accept' }
  | { readonly action: 'refuse'; readonly reason: string }
  | { readonly action: 'ask-info'; readonly question: string }
  | { readonly action: 'supplement'; readonly text: string }
  | { readonly action: 'forward'; readonly agencies: readonly string[] }
  | { readonly action: 'receive' }
  | { readonly action: 'hand-off' }
  | { readonly action: 'answer'; readonly text: string }
  | { readonly action: 'return'; readonly reason: string }
  | { readonly action: 'pass'; readonly to: string; readonly reason: string }
  | { readonly action: 'publish' }
  | { readonly action: 'withhold'; readonly reason: string }
  | { readonly action: 'rate'; readonly satisfied: boolean }
  /** Marks the item a duplicate of `into` (the service checks the ground: same submitter or subject). */
  | { readonly action: 'merge'; readonly into: string };

/** Who may take each action at all (a role not listed is forbidden, whatever the status). */
export const ACTION_ROLES: Readonly<Record<FeedbackAction, readonly FeedbackRole[]>> = {
  submit: ['submitter', 'hotline'],
  accept: ['vpcp'],
  refuse: ['vpcp'],
  'ask-info': ['vpcp'],
  supplement: ['submitter'],
  forward: ['vpcp'],
  receive: ['agency'],
  'hand-off': ['agency'],
  answer: ['vpcp', 'agency'],
  return: ['agency'],
  pass: ['agency'],
  publish: ['vpcp'],
  withhold: ['vpcp'],
  rate: ['submitter'],
  merge: ['vpcp'],
};

const TRIAGE: FeedbackAction[] = ['accept', 'refuse', 'ask-info', 'forward', 'merge'];
const WITH_AGENCIES: FeedbackAction[] = ['receive', 'hand-off', 'answer', 'return', 'pass'];

/**
 * Every action each status allows, to the roles of ACTION_ROLES, except `answer`, which the Government
 * Office takes only in `accepted` and `returned` and agencies only on their own active route.
 */
export const STATUS_ACTIONS: Readonly<Record<FeedbackStatus, readonly FeedbackAction[]>> = {
  submitted: TRIAGE,
  supplemented: TRIAGE,
  'awaiting-info': ['supplement', 'merge'],
  accepted: ['ask-info', 'forward', 'answer', 'merge'],
  refused: [],
  forwarded: WITH_AGENCIES,
  passed: WITH_AGENCIES,
  handling: WITH_AGENCIES,
  external: WITH_AGENCIES,
  returned: ['forward', 'answer', 'merge'],
  answered: ['publish', 'withhold'],
  published: ['rate'],
  withheld: ['rate'],
  // A duplicate follows the item it was merged into: its submitter rates that item's answer once it is
  // published or withheld (`keptClosed`); nothing else moves it.
  merged: ['rate'],
};

/** Each agency action, the route states it starts from. */
const ROUTE_FROM: Readonly<Partial<Record<FeedbackAction, readonly RouteState[]>>> = {
  receive: ['forwarded'],
  'hand-off': ['forwarded', 'handling'],
  answer: ['forwarded', 'handling', 'external'],
  // An agency's own software may find, after taking the item (external), that it is not theirs.
  return: ['forwarded', 'handling', 'external'],
  pass: ['forwarded', 'handling'],
};
const ROUTE_TO: Readonly<Partial<Record<FeedbackAction, RouteState>>> = {
  receive: 'handling',
  'hand-off': 'external',
  answer: 'answered',
  return: 'returned',
  pass: 'passed',
};

/** Statuses in which nothing waits for the Government Office or an agency. */
export const FINAL_STATUSES: readonly FeedbackStatus[] = ['refused', 'published', 'withheld', 'merged'];
/** Statuses visible to the public. */
export const PUBLIC_STATUSES: readonly FeedbackStatus[] = ['published'];

export type Decision =
  | {
      readonly ok: true;
      readonly status: FeedbackStatus;
      readonly routes: readonly Route[];
      /** The clock stops (ask-info) or runs again (supplement). */
      readonly clock?: 'stop' | 'resume';
      readonly rated: boolean;
    }
  | {
      readonly ok: false;
      /** forbidden: the role never takes this action; conflict: not in this status (or on this route). */
      readonly kind: 'forbidden' | 'conflict' | 'invalid';
      readonly allowed: readonly FeedbackAction[];
      /** Vietnamese, then English. */
      readonly message: string;
    };

const statusVi = (s: FeedbackStatus | null) => (s === null ? 'chưa gửi' : FEEDBACK_STATUS_NAMES[s].vi);

/** The item's status while it is with agencies, from its routes. */
export function statusFromRoutes(routes: readonly Route[]): FeedbackStatus {
  const active = routes.filter((r) => ACTIVE_ROUTE_STATES.includes(r.state));
  if (active.length > 0) {
    if (active.some((r) => r.state === 'handling')) return 'handling';
    if (active.some((r) => r.state === 'external')) return 'external';
    if (active.some((r) => r.via === 'pass')) return 'passed';
    return 'forwarded';
  }
  return routes.some((r) => r.state === 'answered') ? 'answered' : 'returned';
}

function routeOf(state: ItemState, actor: Actor): Route | undefined {
  return actor.agency === undefined ? undefined : state.routes.find((r) => r.agency === actor.agency);
}

/** The actions `actor` may take on the item now (what a conflict names, what a page offers). */
export function allowedActions(state: ItemState, actor: Actor): FeedbackAction[] {
  if (state.status === null) return ACTION_ROLES.submit.includes(actor.role) ? ['submit'] : [];
  const status = state.status;
  return STATUS_ACTIONS[status].filter((action) => {
    if (!ACTION_ROLES[action].includes(actor.role)) return false;
    if (action === 'rate' && state.rated) return false;
    if (action === 'rate' && status === 'merged' && !state.keptClosed) return false;
    if (actor.role === 'agency') {
      const route = routeOf(state, actor);
      return route !== undefined && (ROUTE_FROM[action] ?? []).includes(route.state);
    }
    if (action === 'answer') return status === 'accepted' || status === 'returned';
    return true;
  });
}

const blank = (s: string) => s.trim() === '';

function refuse(
  kind: 'forbidden' | 'conflict' | 'invalid',
  state: ItemState,
  action: FeedbackAction,
  allowed: readonly FeedbackAction[],
  detail?: string,
): Decision {
  const message =
    detail ??
    (kind === 'forbidden'
      ? `Bạn không có quyền thực hiện thao tác “${action}” với phản ánh này / not permitted: ${action}`
      : `Không thể “${action}” khi phản ánh ở trạng thái “${statusVi(state.status)}” / ${action} is not allowed in status ${state.status ?? 'none'}`);
  return { ok: false, kind, allowed, message };
}

/** Decides a command on the item; nothing is written here. */
export function decide(state: ItemState, command: Command, actor: Actor): Decision {
  const { action } = command;
  const allowed = allowedActions(state, actor);
  if (!ACTION_ROLES[action].includes(actor.role)) return refuse('forbidden', state, action, allowed);
  if (!allowed.includes(action)) return refuse('conflict', state, action, allowed);
  const ok = (status: FeedbackStatus, routes = state.routes, extra: { clock?: 'stop' | 'resume' } = {}) =>
    ({ ok: true, status, routes, rated: state.rated, ...extra }) as const;
  switch (command.action) {
    case 'submit':
      return ok('submitted', []);
    case 'accept':
      return ok('accepted');
    case 'refuse':
      if (blank(command.reason))
        return refuse('invalid', state, action, allowed, 'Cần nêu lý do từ chối / a reason is required');
      return ok('refused');
    case 'ask-info':
      if (blank(command.question))
        return refuse(
          'invalid',
          state,
          action,
          allowed,
          'Cần nêu nội dung cần bổ sung / a question is required',
        );
      return ok('awaiting-info', state.routes, { clock: 'stop' });
    case 'supplement':
      if (blank(command.text))
        return refuse('invalid', state, action, allowed, 'Cần nhập nội dung bổ sung / text is required');
      return ok('supplemented', state.routes, { clock: 'resume' });
    case 'forward': {
      const agencies = [...new Set(command.agencies.map((a) => a.trim()).filter((a) => a !== ''))];
      if (agencies.length === 0)
        return refuse('invalid', state, action, allowed, 'Cần chọn ít nhất một cơ quan / choose an agency');
      const kept = state.routes.filter((r) => !agencies.includes(r.agency));
      const routes = [
        ...kept,
        ...agencies.map((agency): Route => ({ agency, state: 'forwarded', via: 'vpcp' })),
      ];
      return ok(statusFromRoutes(routes), routes);
    }
    case 'answer':
      if (blank(command.text))
        return refuse('invalid', state, action, allowed, 'Cần nhập nội dung trả lời / an answer is required');
      if (actor.role === 'vpcp') return ok('answered');
      return agencyStep(state, actor, 'answered');
    case 'return':
      if (blank(command.reason))
        return refuse('invalid', state, action, allowed, 'Cần nêu lý do trả lại / a reason is required');
      return agencyStep(state, actor, 'returned');
    case 'receive':
    case 'hand-off':
      return agencyStep(state, actor, ROUTE_TO[command.action]!);
    case 'pass': {
      const to = command.to.trim();
      if (blank(command.reason))
        return refuse('invalid', state, action, allowed, 'Cần nêu lý do chuyển / a reason is required');
      const existing = state.routes.find((r) => r.agency === to);
      if (to === '' || to === actor.agency || (existing && ACTIVE_ROUTE_STATES.includes(existing.state)))
        return refuse(
          'invalid',
          state,
          action,
          allowed,
          'Cơ quan nhận phải là cơ quan khác chưa xử lý phản ánh này / pass to another agency not already handling it',
        );
      const moved = state.routes
        .filter((r) => r.agency !== to)
        .map((r) => (r.agency === actor.agency ? { ...r, state: 'passed' as const } : r));
      const routes = [...moved, { agency: to, state: 'forwarded' as const, via: 'pass' as const }];
      return ok(statusFromRoutes(routes), routes);
    }
    case 'publish':
      return ok('published');
    case 'withhold':
      if (blank(command.reason))
        return refuse(
          'invalid',
          state,
          action,
          allowed,
          'Cần nêu lý do không công khai / a reason is required',
        );
      return ok('withheld');
    case 'rate':
      return { ok: true, status: state.status!, routes: state.routes, rated: true };
    case 'merge':
      if (blank(command.into))
        return refuse(
          'invalid',
          state,
          action,
          allowed,
          'Cần nhập mã phản ánh được giữ lại / the kept item is required',
        );
      return ok('merged');
  }
}

function agencyStep(state: ItemState, actor: Actor, to: RouteState): Decision {
  const routes = state.routes.map((r) => (r.agency === actor.agency ? { ...r, state: to } : r));
  return { ok: true, status: statusFromRoutes(routes), routes, rated: state.rated };
}
