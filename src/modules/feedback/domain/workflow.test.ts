import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_STATUSES, type FeedbackStatus, isFeedbackStatus } from '../../../platform/kernel/index.ts';
import {
  ACTION_ROLES,
  type Actor,
  type Command,
  decide,
  FEEDBACK_ACTIONS,
  FEEDBACK_ROLES,
  type FeedbackAction,
  type FeedbackRole,
  type ItemState,
  type Route,
  statusFromRoutes,
} from './workflow.ts';

/** A valid command for each action (the payloads the checks accept). */
const COMMAND: Record<FeedbackAction, Command> = {
  submit: { action: 'submit' },
  accept: { action: 'accept' },
  refuse: { action: 'refuse', reason: 'Không thuộc phạm vi' },
  'ask-info': { action: 'ask-info', question: 'Xin cho biết mã hồ sơ' },
  supplement: { action: 'supplement', text: 'Mã hồ sơ là …' },
  forward: { action: 'forward', agencies: ['C'] },
  receive: { action: 'receive' },
  'hand-off': { action: 'hand-off' },
  answer: { action: 'answer', text: 'Trả lời' },
  return: { action: 'return', reason: 'Không thuộc thẩm quyền' },
  pass: { action: 'pass', to: 'C', reason: 'Thuộc thẩm quyền cơ quan C' },
  publish: { action: 'publish' },
  withhold: { action: 'withhold', reason: 'Có thông tin cá nhân' },
  rate: { action: 'rate', satisfied: true },
  merge: { action: 'merge', into: 'PAKN-2026-0000001' },
};

const r = (agency: string, state: Route['state'], via: Route['via'] = 'vpcp'): Route => ({
  agency,
  state,
  via,
});

/** A consistent item in each status; the agency actor acts for the agency whose route is active. */
const CANONICAL: Record<FeedbackStatus | 'none', { routes: Route[]; agency: string }> = {
  none: { routes: [], agency: 'A' },
  submitted: { routes: [], agency: 'A' },
  supplemented: { routes: [], agency: 'A' },
  'awaiting-info': { routes: [], agency: 'A' },
  accepted: { routes: [], agency: 'A' },
  refused: { routes: [], agency: 'A' },
  forwarded: { routes: [r('A', 'forwarded')], agency: 'A' },
  passed: { routes: [r('A', 'passed'), r('B', 'forwarded', 'pass')], agency: 'B' },
  handling: { routes: [r('A', 'handling')], agency: 'A' },
  external: { routes: [r('A', 'external')], agency: 'A' },
  returned: { routes: [r('A', 'returned')], agency: 'A' },
  answered: { routes: [r('A', 'answered')], agency: 'A' },
  published: { routes: [r('A', 'answered')], agency: 'A' },
  withheld: { routes: [r('A', 'answered')], agency: 'A' },
  merged: { routes: [], agency: 'A' },
};

const AGENCY_ALL: FeedbackAction[] = ['receive', 'hand-off', 'answer', 'return', 'pass'];
/** The whole table, written out: (status, role) → the actions allowed and the status each leads to. */
const EXPECTED: Record<
  FeedbackStatus | 'none',
  Partial<Record<FeedbackRole, Partial<Record<FeedbackAction, FeedbackStatus>>>>
> = {
  none: { submitter: { submit: 'submitted' }, hotline: { submit: 'submitted' } },
  submitted: {
    vpcp: {
      accept: 'accepted',
      refuse: 'refused',
      'ask-info': 'awaiting-info',
      forward: 'forwarded',
      merge: 'merged',
    },
  },
  supplemented: {
    vpcp: {
      accept: 'accepted',
      refuse: 'refused',
      'ask-info': 'awaiting-info',
      forward: 'forwarded',
      merge: 'merged',
    },
  },
  'awaiting-info': { submitter: { supplement: 'supplemented' }, vpcp: { merge: 'merged' } },
  accepted: {
    vpcp: { 'ask-info': 'awaiting-info', forward: 'forwarded', answer: 'answered', merge: 'merged' },
  },
  refused: {},
  forwarded: {
    agency: {
      receive: 'handling',
      'hand-off': 'external',
      answer: 'answered',
      return: 'returned',
      pass: 'passed',
    },
  },
  passed: {
    agency: {
      receive: 'handling',
      'hand-off': 'external',
      answer: 'answered',
      return: 'returned',
      pass: 'passed',
    },
  },
  handling: { agency: { 'hand-off': 'external', answer: 'answered', return: 'returned', pass: 'passed' } },
  external: { agency: { answer: 'answered', return: 'returned' } },
  returned: { vpcp: { forward: 'forwarded', answer: 'answered', merge: 'merged' } },
  answered: { vpcp: { publish: 'published', withhold: 'withheld' } },
  published: { submitter: { rate: 'published' } },
  withheld: { submitter: { rate: 'withheld' } },
  // Rating waits for the kept item's answer (keptClosed; below).
  merged: {},
};

describe('the feedback state machine, every status × action × role', () => {
  const rows: [FeedbackStatus | 'none', FeedbackAction, FeedbackRole][] = [];
  for (const s of ['none', ...FEEDBACK_STATUSES] as const)
    for (const a of FEEDBACK_ACTIONS) for (const role of FEEDBACK_ROLES) rows.push([s, a, role]);

  it('covers 15 statuses (with “not yet submitted”) × 15 actions × 5 roles', () => {
    expect(rows).toHaveLength(15 * 15 * 5);
    expect(AGENCY_ALL.every((a) => ACTION_ROLES[a].includes('agency'))).toBe(true);
  });

  it.each(rows)('%s · %s · %s', (status, action, role) => {
    const c = CANONICAL[status];
    const state: ItemState = { status: status === 'none' ? null : status, routes: c.routes, rated: false };
    const actor: Actor = role === 'agency' ? { role, agency: c.agency } : { role };
    const d = decide(state, COMMAND[action], actor);
    const expected = EXPECTED[status][role]?.[action];
    if (expected !== undefined) {
      expect(d).toMatchObject({ ok: true, status: expected });
    } else {
      expect(d.ok).toBe(false);
      if (!d.ok) {
        expect(d.kind).toBe(ACTION_ROLES[action].includes(role) ? 'conflict' : 'forbidden');
        // The refusal names what this actor may do instead: exactly the table's row.
        expect([...d.allowed].sort()).toEqual(Object.keys(EXPECTED[status][role] ?? {}).sort());
        expect(d.message).toMatch(/ \/ /);
      }
    }
  });
});

describe('routing across agencies', () => {
  const vpcp: Actor = { role: 'vpcp' };
  const at = (agency: string): Actor => ({ role: 'agency', agency });
  const step = (s: ItemState, c: Command, a: Actor): ItemState => {
    const d = decide(s, c, a);
    if (!d.ok) throw new Error(d.message);
    return { status: d.status, routes: d.routes, rated: d.rated };
  };

  it('waits for every agency forwarded to; answered once none is active and one answered', () => {
    let s: ItemState = { status: 'submitted', routes: [], rated: false };
    s = step(s, { action: 'forward', agencies: ['A', 'B', 'A', ' '] }, vpcp);
    expect(s.routes.map((x) => x.agency)).toEqual(['A', 'B']);
    expect(s.status).toBe('forwarded');
    s = step(s, { action: 'receive' }, at('A'));
    expect(s.status).toBe('handling');
    s = step(s, { action: 'answer', text: 'Phần của A' }, at('A'));
    expect(s.status).toBe('forwarded');
    s = step(s, { action: 'return', reason: 'Không thuộc B' }, at('B'));
    expect(s.status).toBe('answered');
  });

  it('returns to the Government Office when every agency returns it; it forwards again', () => {
    let s: ItemState = { status: 'accepted', routes: [], rated: false };
    s = step(s, { action: 'forward', agencies: ['A'] }, vpcp);
    s = step(s, { action: 'return', reason: 'Không thuộc A' }, at('A'));
    expect(s.status).toBe('returned');
    s = step(s, { action: 'forward', agencies: ['A', 'C'] }, vpcp);
    expect(s.routes).toEqual([r('A', 'forwarded'), r('C', 'forwarded')]);
  });

  it('passes to another agency, not to itself nor to one already handling it', () => {
    let s: ItemState = { status: 'submitted', routes: [], rated: false };
    s = step(s, { action: 'forward', agencies: ['A', 'B'] }, vpcp);
    expect(decide(s, { action: 'pass', to: 'A', reason: 'x' }, at('A'))).toMatchObject({
      ok: false,
      kind: 'invalid',
    });
    expect(decide(s, { action: 'pass', to: 'B', reason: 'x' }, at('A'))).toMatchObject({
      ok: false,
      kind: 'invalid',
    });
    expect(decide(s, { action: 'pass', to: 'C', reason: ' ' }, at('A'))).toMatchObject({
      ok: false,
      kind: 'invalid',
    });
    s = step(s, { action: 'pass', to: 'C', reason: 'Thuộc C' }, at('A'));
    expect(s.routes).toEqual([r('A', 'passed'), r('B', 'forwarded'), r('C', 'forwarded', 'pass')]);
    expect(s.status).toBe('passed');
    // A no longer acts on it; C does.
    expect(decide(s, { action: 'answer', text: 'x' }, at('A'))).toMatchObject({
      ok: false,
      kind: 'conflict',
    });
    expect(step(s, { action: 'receive' }, at('C')).status).toBe('handling');
  });

  it('refuses an agency the item is not routed to, and reasons left blank', () => {
    const s: ItemState = { status: 'forwarded', routes: [r('A', 'forwarded')], rated: false };
    expect(decide(s, { action: 'receive' }, at('Z'))).toMatchObject({
      ok: false,
      kind: 'conflict',
      allowed: [],
    });
    expect(decide(s, { action: 'receive' }, { role: 'agency' })).toMatchObject({ ok: false, allowed: [] });
    const t: ItemState = { status: 'submitted', routes: [], rated: false };
    expect(decide(t, { action: 'refuse', reason: '  ' }, vpcp)).toMatchObject({ ok: false, kind: 'invalid' });
    expect(decide(t, { action: 'forward', agencies: [] }, vpcp)).toMatchObject({
      ok: false,
      kind: 'invalid',
    });
    expect(decide(t, { action: 'ask-info', question: '' }, vpcp)).toMatchObject({
      ok: false,
      kind: 'invalid',
    });
  });

  it('stops the clock when asking for information and restarts it on the supplement; rates once', () => {
    const d = decide({ status: 'submitted', routes: [], rated: false }, COMMAND['ask-info'], vpcp);
    expect(d).toMatchObject({ ok: true, clock: 'stop' });
    const e = decide({ status: 'awaiting-info', routes: [], rated: false }, COMMAND.supplement, {
      role: 'submitter',
    });
    expect(e).toMatchObject({ ok: true, clock: 'resume' });
    const merged: ItemState = { status: 'merged', routes: [], rated: false };
    expect(decide(merged, COMMAND.rate, { role: 'submitter' })).toMatchObject({
      ok: false,
      kind: 'conflict',
    });
    expect(decide({ ...merged, keptClosed: true }, COMMAND.rate, { role: 'submitter' })).toMatchObject({
      ok: true,
      status: 'merged',
      rated: true,
    });
    expect(
      decide({ ...merged, keptClosed: true, rated: true }, COMMAND.rate, { role: 'submitter' }),
    ).toMatchObject({ ok: false, kind: 'conflict' });
    expect(
      decide({ status: 'submitted', routes: [], rated: false }, { action: 'merge', into: ' ' }, vpcp),
    ).toMatchObject({ ok: false, kind: 'invalid' });
    const rated: ItemState = { status: 'published', routes: [], rated: true };
    expect(decide(rated, COMMAND.rate, { role: 'submitter' })).toMatchObject({ ok: false, kind: 'conflict' });
  });
});

const ACTIVE: readonly Route['state'][] = ['forwarded', 'handling', 'external'];

describe('any sequence of commands', () => {
  const actor = fc.record({
    role: fc.constantFrom(...FEEDBACK_ROLES),
    agency: fc.constantFrom('A', 'B', 'C', undefined),
  });
  const command = fc.oneof(
    fc.constantFrom(...Object.values(COMMAND)),
    fc.record({
      action: fc.constant('forward' as const),
      agencies: fc.array(fc.constantFrom('A', 'B', 'C'), { maxLength: 3 }),
    }),
    fc.record({
      action: fc.constant('pass' as const),
      to: fc.constantFrom('A', 'B', 'C'),
      reason: fc.constant('r'),
    }),
  );

  it('keeps the item consistent: routes agree with the status; publication follows an answer; one rating', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, actor), { maxLength: 40 }), (steps) => {
        let s: ItemState = { status: 'submitted', routes: [], rated: false };
        let answered = false;
        for (const [c, a] of steps) {
          const before = s;
          const d = decide(s, c, a as Actor);
          if (!d.ok) continue;
          s = { status: d.status, routes: d.routes, rated: d.rated };
          expect(isFeedbackStatus(s.status)).toBe(true);
          if (s.status === 'answered') answered = true;
          if (s.status === 'published' || s.status === 'withheld') expect(answered).toBe(true);
          if (before.rated) expect(c.action).not.toBe('rate');
          if (before.status === 'refused') throw new Error('a refused item moved');
          if (before.status === 'merged') expect(c.action).toBe('rate');
          if (s.status === 'merged') expect(s.routes.some((x) => ACTIVE.includes(x.state))).toBe(false);
          if (['forwarded', 'passed', 'handling', 'external'].includes(s.status!))
            expect(statusFromRoutes(s.routes)).toBe(s.status);
          // One route per agency.
          expect(new Set(s.routes.map((x) => x.agency)).size).toBe(s.routes.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
