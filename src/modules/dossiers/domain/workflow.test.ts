import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE_STOP_V1, publishedProcesses } from './processes.ts';
import {
  type ActorRole,
  allowedActions,
  type ClockEffect,
  type ClockMode,
  type Decision,
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

/**
 * Properties of `decide` read against the process definitions themselves — every published one, and
 * random ones — rather than against a copy of its rule. What a definition declares (its states, each
 * action's `from`, `to` and `roles`, each state's clock and whether it is terminal) is looked up in the
 * definition as data: one row per move it lists.
 */
describe('decide: properties against the definitions', () => {
  /** A move a definition lists: in state `from`, `role` may take `action`, and it leads to `to`. */
  type Move = { from: string; action: string; role: ActorRole; to: string };
  const movesOf = (d: ProcessDefinition): Move[] =>
    Object.entries(d.actions).flatMap(([action, a]) =>
      a.from.flatMap((from) => a.roles.map((role) => ({ from, action, role, to: a.to ?? from }))),
    );
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
  const everyone = roles(...ALL_ROLES);

  const published = publishedProcesses();
  const label = { vi: 'x', en: 'x' };
  /** Any small definition: up to six states, any clocks, actions from any states to any state by any roles. */
  const randomDefinition: fc.Arbitrary<ProcessDefinition> = fc.integer({ min: 1, max: 6 }).chain((n) => {
    const states = Array.from({ length: n }, (_, i) => `s${i}`);
    const action = fc.record({
      from: fc.subarray(states, { minLength: 1 }),
      to: fc.option(fc.constantFrom(...states), { nil: undefined }),
      roles: fc.subarray(ALL_ROLES, { minLength: 1 }),
    });
    return fc
      .tuple(
        fc.array(fc.constantFrom<ClockMode>('running', 'paused', 'stopped'), { minLength: n, maxLength: n }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), action),
      )
      .map(([clocks, actions]) => ({
        id: 'random',
        version: 1,
        label,
        initial: 's0',
        states: Object.fromEntries(
          states.map((s, i) => [s, { label, status: 4 as const, clock: clocks[i]!, terminal: false }]),
        ),
        actions: Object.fromEntries(
          Object.entries(actions).map(([name, a]) => [
            name,
            { label, from: a.from, ...(a.to ? { to: a.to } : {}), roles: a.roles, needs: [], history: name },
          ]),
        ),
        roleSites: def.roleSites,
      }));
  });

  /**
   * A walk from the initial state. Each step is one of: a move the definition lists out of the current
   * state, taken by random roles plus the move's own (so walks go deep); an action listed out of the
   * current state, by random roles; any action, including ones no definition has, by random roles.
   * `check` sees every decision; an accepted one moves the walk on.
   */
  type Step = ['move' | 'listed' | 'any', number, string, ReadonlySet<ActorRole>];
  const roleSet = fc.subarray(ALL_ROLES).map((r) => roles(...r));
  const walk = fc.array(
    fc.tuple(
      fc.constantFrom('move' as const, 'listed' as const, 'any' as const),
      fc.nat(),
      fc.constantFrom('unknown-action', 'toString', '__proto__'),
      roleSet,
    ),
    { maxLength: 40 },
  );
  function run(
    d: ProcessDefinition,
    steps: readonly Step[],
    check: (state: string, action: string, r: ReadonlySet<ActorRole>, decision: Decision) => void,
  ) {
    let state = d.initial;
    for (const [kind, n, other, random] of steps) {
      const here = movesOf(d).filter((m) => m.from === state);
      let action = other;
      let r = random;
      if (kind === 'move' && here.length > 0) {
        const m = here[n % here.length]!;
        action = m.action;
        r = new Set([...random, m.role]);
      } else if (kind === 'listed' && here.length > 0) {
        const names = sorted(here.map((m) => m.action));
        action = names[n % names.length]!;
      } else if (kind === 'any') {
        const names = [...Object.keys(d.actions), other];
        action = names[n % names.length]!;
      }
      const decision = decide(d, state, action, r);
      check(state, action, r, decision);
      if (decision.ok) state = decision.to;
    }
  }

  it('an action is accepted exactly when the definition lists it for the state and one of the roles, and leads where it says', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...published), randomDefinition), walk, (d, steps) =>
        run(d, steps, (state, action, r, decision) => {
          expect(Object.hasOwn(d.states, state)).toBe(true);
          const here = movesOf(d).filter((m) => m.from === state);
          const forAction = here.filter((m) => m.action === action);
          const mine = forAction.filter((m) => r.has(m.role));
          expect(decision.ok).toBe(mine.length > 0);
          if (decision.ok) {
            expect(sorted(mine.map((m) => m.to))).toEqual([decision.to]);
            expect(decision.from).toBe(state);
            expect(decision.status).toBe(d.states[decision.to]!.status);
            expect(decision.definition).toBe(d.actions[action]);
          } else {
            expect(decision.state).toBe(state);
            expect(decision.status).toBe(d.states[state]!.status);
            expect(decision.reason).toBe(forAction.length === 0 ? 'not-allowed' : 'role-required');
            expect(sorted(decision.allowedActions)).toEqual(
              sorted(here.filter((m) => r.has(m.role)).map((m) => m.action)),
            );
            expect(sorted(decision.requiredRoles)).toEqual(
              decision.reason === 'role-required' ? sorted(forAction.map((m) => m.role)) : [],
            );
          }
        }),
      ),
    );
  });

  it('a terminal state lists no action, refuses every one and is never left; every other state has a way on', () => {
    for (const d of published) {
      for (const [s, st] of Object.entries(d.states)) {
        const out = movesOf(d).filter((m) => m.from === s);
        expect(out.length === 0, `${d.id}@${d.version} ${s}`).toBe(st.terminal);
        if (!st.terminal) continue;
        expect(allowedActions(d, s)).toEqual([]);
        for (const a of [...Object.keys(d.actions), 'unknown-action'])
          expect(decide(d, s, a, everyone)).toMatchObject({
            ok: false,
            reason: 'not-allowed',
            allowedActions: [],
          });
      }
    }
    fc.assert(
      fc.property(fc.constantFrom(...published), walk, (d, steps) => {
        let ended: string | undefined;
        run(d, steps, (state, _a, _r, decision) => {
          if (ended !== undefined) expect(state).toBe(ended);
          if (d.states[state]!.terminal) {
            expect(decision.ok).toBe(false);
            ended = state;
          }
        });
      }),
    );
  });

  it('the clock pauses, resumes and stops exactly where the definition’s states say', () => {
    const after: Record<ClockEffect, (c: ClockMode) => ClockMode> = {
      pause: () => 'paused',
      resume: () => 'running',
      stop: () => 'stopped',
      none: (c) => c,
    };
    fc.assert(
      fc.property(fc.constantFrom(...published), walk, (d, steps) => {
        // The clock as the decisions say it goes, from the initial state's; always the state's own.
        let clock = d.states[d.initial]!.clock;
        run(d, steps, (_state, _a, _r, decision) => {
          if (!decision.ok) return;
          const from = d.states[decision.from]!.clock;
          const to = d.states[decision.to]!.clock;
          expect(decision.clock === 'none').toBe(from === to);
          clock = after[decision.clock](clock);
          expect(clock).toBe(to);
        });
      }),
    );
  });

  it('every state the definition declares is reached from the start through decide, and from each an end', () => {
    const next = (d: ProcessDefinition, s: string) =>
      Object.keys(d.actions).flatMap((a) => {
        const decision = decide(d, s, a, everyone);
        return decision.ok ? [decision.to] : [];
      });
    const closure = (d: ProcessDefinition, from: string) => {
      const seen = new Set([from]);
      const queue = [from];
      while (queue.length > 0) {
        for (const t of next(d, queue.shift()!)) {
          if (!seen.has(t)) {
            seen.add(t);
            queue.push(t);
          }
        }
      }
      return seen;
    };
    for (const d of published) {
      const reached = closure(d, d.initial);
      expect(sorted(reached)).toEqual(sorted(Object.keys(d.states)));
      expect(sorted(reachableStates(d))).toEqual(sorted(reached));
      for (const s of Object.keys(d.states))
        expect(
          [...closure(d, s)].some((t) => d.states[t]!.terminal),
          `${d.id}@${d.version}: ${s} can end`,
        ).toBe(true);
    }
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
