import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE_STOP_V1 } from './processes.ts';
import {
  type ActorRole,
  allowedActions,
  decide,
  definitionProblems,
  OFFICER_ROLES,
  type ProcessDefinition,
  reachableStates,
  rolesNamed,
} from './workflow.ts';

const def = ONE_STOP_V1;
const roles = (...r: ActorRole[]) => new Set<ActorRole>(r);
const ALL_ROLES: ActorRole[] = [...OFFICER_ROLES, 'applicant'];
const STATES = Object.keys(def.states);
const ACTIONS = Object.keys(def.actions);

/**
 * The one-stop process written out by hand, independently of the definition: state → action →
 * [next state, roles that may take it]. Everything not listed must be refused.
 */
const EXPECTED: Record<string, Record<string, [string, ActorRole[]]>> = {
  submitted: {
    receive: ['received', ['receiver']],
    refuse: ['refused', ['receiver']],
    withdraw: ['withdrawn', ['applicant']],
  },
  received: {
    forward: ['processing', ['receiver']],
    withdraw: ['withdrawn', ['applicant']],
    extend: ['received', ['processor', 'approver']],
  },
  processing: {
    'request-supplement': ['supplement-requested', ['processor']],
    'request-payment': ['payment-requested', ['processor']],
    approve: ['resolved', ['approver']],
    reject: ['resolved', ['approver']],
    stop: ['stopped', ['processor', 'approver']],
    withdraw: ['withdrawn', ['applicant']],
    extend: ['processing', ['processor', 'approver']],
  },
  'supplement-requested': {
    'supplement-received': ['processing', ['applicant', 'receiver']],
    stop: ['stopped', ['processor', 'approver']],
    withdraw: ['withdrawn', ['applicant']],
    extend: ['supplement-requested', ['processor', 'approver']],
  },
  'payment-requested': {
    'record-payment': ['processing', ['cashier']],
    stop: ['stopped', ['processor', 'approver']],
    withdraw: ['withdrawn', ['applicant']],
    extend: ['payment-requested', ['processor', 'approver']],
  },
  resolved: { 'return-result': ['returned', ['receiver']] },
  refused: {},
  withdrawn: {},
  stopped: {},
  returned: {},
};

describe('the one-stop definition', () => {
  it('is well formed', () => {
    expect(definitionProblems(def)).toEqual([]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...STATES].sort());
  });

  it('maps its states onto the ten status codes, each code used', () => {
    const byState = Object.fromEntries(STATES.map((s) => [s, def.states[s]!.status]));
    expect(byState).toEqual({
      submitted: 1,
      received: 2,
      refused: 3,
      processing: 4,
      'supplement-requested': 5,
      'payment-requested': 6,
      withdrawn: 7,
      stopped: 8,
      resolved: 9,
      returned: 10,
    });
  });

  it('names the forms of the issue on the actions that produce them', () => {
    const forms = Object.fromEntries(
      ACTIONS.filter((a) => def.actions[a]!.form).map((a) => [a, def.actions[a]!.form]),
    );
    expect(forms).toEqual({ 'request-supplement': '02', refuse: '03', extend: '04', stop: '05' });
  });

  it('checks receivers and cashiers at the receiving unit, processors and approvers at the competent agency', () => {
    expect(def.roleSites).toEqual({
      receiver: 'receiving',
      cashier: 'receiving',
      processor: 'competent',
      approver: 'competent',
    });
    expect(rolesNamed(def).sort()).toEqual(['approver', 'cashier', 'processor', 'receiver']);
  });
});

describe('decide: every state × action × role', () => {
  for (const state of STATES) {
    for (const action of ACTIONS) {
      const expected = EXPECTED[state]![action];
      for (const role of ALL_ROLES) {
        const allowed = expected?.[1].includes(role) === true;
        it(`${state} —${action}→ as ${role}: ${allowed ? `allowed → ${expected![0]}` : 'refused'}`, () => {
          const d = decide(def, state, action, roles(role));
          if (allowed) {
            expect(d).toMatchObject({ ok: true, from: state, to: expected![0] });
            if (d.ok) expect(d.status).toBe(def.states[expected![0]]!.status);
          } else {
            expect(d.ok).toBe(false);
            if (d.ok) return;
            expect(d.state).toBe(state);
            expect(d.status).toBe(def.states[state]!.status);
            // 409 when the action does not exist here, 403 when it does but not for this role.
            expect(d.reason).toBe(expected === undefined ? 'not-allowed' : 'role-required');
            const mine = Object.entries(EXPECTED[state]!)
              .filter(([, [, r]]) => r.includes(role))
              .map(([a]) => a);
            expect([...d.allowedActions].sort()).toEqual(mine.sort());
            if (d.reason === 'role-required')
              expect([...d.requiredRoles].sort()).toEqual([...expected![1]].sort());
          }
        });
      }
    }
  }
});

describe('decide: details', () => {
  it('names the state and the allowed actions when refusing (the 409 body)', () => {
    const d = decide(def, 'returned', 'approve', roles('approver', 'receiver'));
    expect(d).toEqual({
      ok: false,
      reason: 'not-allowed',
      action: 'approve',
      state: 'returned',
      status: 10,
      allowedActions: [],
      requiredRoles: [],
    });
    const e = decide(def, 'processing', 'receive', roles('receiver', 'processor'));
    expect(e).toMatchObject({ ok: false, reason: 'not-allowed', state: 'processing' });
    if (!e.ok)
      expect([...e.allowedActions].sort()).toEqual([
        'extend',
        'request-payment',
        'request-supplement',
        'stop',
      ]);
  });

  it('refuses an unknown action like one not allowed here, without throwing', () => {
    expect(decide(def, 'submitted', 'teleport', roles('receiver'))).toMatchObject({
      ok: false,
      reason: 'not-allowed',
      allowedActions: ['receive', 'refuse'],
    });
    expect(decide(def, 'submitted', 'toString', roles('receiver')).ok).toBe(false);
    expect(decide(def, 'submitted', '__proto__', roles('receiver')).ok).toBe(false);
  });

  it('throws for a state the definition does not have (a corrupt row, not a user error)', () => {
    expect(() => decide(def, 'limbo', 'receive', roles('receiver'))).toThrow(RangeError);
    expect(() => decide(def, 'constructor', 'receive', roles('receiver'))).toThrow(RangeError);
    expect(() => allowedActions(def, 'limbo')).toThrow(RangeError);
  });

  it('says what the clock does', () => {
    const clock = (state: string, action: string, ...r: ActorRole[]) => {
      const d = decide(def, state, action, roles(...r));
      return d.ok ? d.clock : 'refused';
    };
    expect(clock('submitted', 'receive', 'receiver')).toBe('none');
    expect(clock('submitted', 'refuse', 'receiver')).toBe('stop');
    expect(clock('processing', 'request-supplement', 'processor')).toBe('pause');
    expect(clock('supplement-requested', 'supplement-received', 'applicant')).toBe('resume');
    expect(clock('supplement-requested', 'stop', 'processor')).toBe('stop');
    expect(clock('supplement-requested', 'withdraw', 'applicant')).toBe('stop');
    expect(clock('supplement-requested', 'extend', 'approver')).toBe('none');
    expect(clock('processing', 'request-payment', 'processor')).toBe('none');
    expect(clock('processing', 'approve', 'approver')).toBe('stop');
    expect(clock('resolved', 'return-result', 'receiver')).toBe('none');
  });

  it('records the outcome of approval steps and what each action needs', () => {
    expect(def.actions.approve!.outcome).toBe('approved');
    expect(def.actions.reject!.outcome).toBe('rejected');
    for (const a of ['refuse', 'reject', 'stop', 'request-supplement', 'extend'])
      expect(def.actions[a]!.needs).toContain('reason');
    expect(def.actions.extend!.needs).toContain('new-due-date');
  });

  it('lists allowed actions for everyone, or for the given roles', () => {
    expect(allowedActions(def, 'processing').sort()).toEqual(Object.keys(EXPECTED.processing!).sort());
    expect(allowedActions(def, 'processing', roles('applicant'))).toEqual(['withdraw']);
    expect(allowedActions(def, 'processing', roles())).toEqual([]);
  });
});

describe('decide: properties', () => {
  const action = fc.constantFrom(...ACTIONS, 'unknown-action');
  const roleSet = fc.subarray(ALL_ROLES).map((r) => roles(...r));
  const walk = fc.array(fc.tuple(action, roleSet), { maxLength: 40 });

  it('a walk stays inside the definition; a terminal state is never left', () => {
    fc.assert(
      fc.property(walk, (steps) => {
        let state = def.initial;
        for (const [a, r] of steps) {
          const wasTerminal = def.states[state]!.terminal;
          const d = decide(def, state, a, r);
          if (wasTerminal) expect(d.ok).toBe(false);
          if (d.ok) state = d.to;
          expect(Object.hasOwn(def.states, state)).toBe(true);
        }
      }),
    );
  });

  it('allowed exactly when the action leaves this state and one of the roles may take it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATES), action, roleSet, (state, a, r) => {
        const d = decide(def, state, a, r);
        const spec = def.actions[a];
        const expected =
          spec !== undefined &&
          Object.hasOwn(def.actions, a) &&
          spec.from.includes(state) &&
          spec.roles.some((x) => r.has(x));
        expect(d.ok).toBe(expected);
        if (!d.ok) {
          for (const x of d.allowedActions) expect(decide(def, state, x, r).ok).toBe(true);
        }
      }),
    );
  });

  it('the clock is paused exactly in the supplement state (status 5), and only a pause enters it', () => {
    fc.assert(
      fc.property(walk, (steps) => {
        let state = def.initial;
        for (const [a, r] of steps) {
          const d = decide(def, state, a, r);
          if (!d.ok) continue;
          const paused = def.states[d.to]!.clock === 'paused';
          expect(paused).toBe(def.states[d.to]!.status === 5);
          if (paused && d.from !== d.to) expect(d.clock).toBe('pause');
          if (def.states[d.from]!.clock === 'paused' && !paused)
            expect(['resume', 'stop']).toContain(d.clock);
          state = d.to;
        }
      }),
    );
  });

  it('every state is reachable from the start and can still reach an end', () => {
    expect([...reachableStates(def)].sort()).toEqual([...STATES].sort());
    // A random walk that always takes some allowed action ends in a terminal state within a few steps.
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), (choices) => {
        let state = def.initial;
        const everyone = roles(...ALL_ROLES);
        for (const c of choices) {
          const moves = allowedActions(def, state, everyone).filter(
            (a) => (def.actions[a]!.to ?? state) !== state,
          );
          if (moves.length === 0) break;
          const d = decide(def, state, moves[c % moves.length]!, everyone);
          if (d.ok) state = d.to;
        }
        // Not guaranteed to end, but a state with no moves must be terminal.
        if (
          allowedActions(def, state, everyone).filter((a) => (def.actions[a]!.to ?? state) !== state)
            .length === 0
        )
          expect(def.states[state]!.terminal).toBe(true);
      }),
    );
  });
});

describe('definitionProblems catches broken definitions', () => {
  const mutate = (
    f: (d: { -readonly [K in keyof ProcessDefinition]: unknown }) => void,
  ): ProcessDefinition => {
    const copy = structuredClone(def) as unknown as { -readonly [K in keyof ProcessDefinition]: unknown };
    f(copy);
    return copy as unknown as ProcessDefinition;
  };
  type Mutable = Record<string, Record<string, unknown>>;

  it('an action out of a terminal state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATES.filter((s) => def.states[s]!.terminal)),
        fc.constantFrom(...ACTIONS),
        (terminal, a) => {
          const broken = mutate((d) => {
            const action = (d.actions as Mutable)[a]!;
            action.from = [...(action.from as string[]), terminal];
          });
          expect(definitionProblems(broken).join('\n')).toContain(`leads out of terminal state ${terminal}`);
        },
      ),
    );
  });

  it('an unreachable state, a dead end, a pause outside status 5, an unknown state or role', () => {
    const unreachable = mutate((d) => {
      (d.states as Mutable).limbo = {
        label: { vi: 'x', en: 'x' },
        status: 4,
        clock: 'running',
        terminal: false,
      };
      (d.actions as Mutable).leave = {
        label: { vi: 'x', en: 'x' },
        from: ['limbo'],
        to: 'stopped',
        roles: ['processor'],
        needs: [],
        history: 'x',
      };
    });
    expect(definitionProblems(unreachable)).toContain('limbo: not reachable from submitted');

    const deadEnd = mutate((d) => {
      (d.actions as Mutable)['return-result']!.to = 'resolved';
    });
    expect(definitionProblems(deadEnd)).toContain('resolved: no way to a terminal state');

    const pausedPayment = mutate((d) => {
      (d.states as Mutable)['payment-requested']!.clock = 'paused';
    });
    expect(definitionProblems(pausedPayment)).toContain(
      'payment-requested: the clock may pause only while a supplement is requested (status 5)',
    );

    const unknown = mutate((d) => {
      (d.actions as Mutable).receive!.to = 'nowhere';
      (d.actions as Mutable).forward!.roles = ['janitor'];
    });
    expect(definitionProblems(unknown)).toEqual([
      'receive: to unknown state nowhere',
      'forward: unknown role janitor',
    ]);

    const runningTerminal = mutate((d) => {
      (d.states as Mutable).returned!.clock = 'running';
      (d.states as Mutable).returned!.status = 11;
    });
    expect(definitionProblems(runningTerminal)).toEqual([
      'returned: bad status 11',
      'returned: a terminal state stops the clock',
    ]);
  });
});
