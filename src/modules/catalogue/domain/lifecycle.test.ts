import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  type CatalogueRole,
  isPublic,
  type LifecycleAction,
  TRANSITIONS,
  transition,
  type VersionState,
} from './lifecycle.ts';

const ADMIN = new Set<CatalogueRole>(['agency-admin']);
const VPCP = new Set<CatalogueRole>(['vpcp-supervisor']);
const NOBODY = new Set<CatalogueRole>();

describe('publication lifecycle', () => {
  it('goes draft → testing → published → pending withdrawal → withdrawn with the right roles', () => {
    let s: VersionState = 'draft';
    const step = (a: LifecycleAction, roles: Set<CatalogueRole>) => {
      const r = transition(s, a, roles);
      if (!r.ok) throw new Error(`${a} refused from ${s}`);
      s = r.to;
    };
    step('submit', ADMIN);
    expect(s).toBe('testing');
    step('publish', VPCP);
    expect(s).toBe('published');
    step('request-withdrawal', ADMIN);
    expect(s).toBe('pending-withdrawal');
    expect(isPublic(s)).toBe(true);
    step('approve-withdrawal', VPCP);
    expect(s).toBe('withdrawn');
    expect(isPublic(s)).toBe(false);
  });

  it('an agency admin cannot publish; the Government Office cannot edit or submit', () => {
    expect(transition('testing', 'publish', ADMIN)).toEqual({
      ok: false,
      reason: 'role',
      allowed: ['return'],
    });
    expect(transition('draft', 'edit', VPCP)).toMatchObject({ ok: false, reason: 'role' });
    expect(transition('draft', 'submit', VPCP)).toMatchObject({ ok: false, reason: 'role' });
    expect(transition('pending-withdrawal', 'approve-withdrawal', ADMIN)).toMatchObject({
      ok: false,
      reason: 'role',
    });
  });

  it('an action from the wrong state names the actions allowed', () => {
    expect(transition('published', 'publish', VPCP)).toEqual({ ok: false, reason: 'state', allowed: [] });
    expect(transition('published', 'submit', ADMIN)).toEqual({
      ok: false,
      reason: 'state',
      allowed: ['request-withdrawal'],
    });
  });

  it('withdrawn and superseded versions are final', () => {
    for (const s of ['withdrawn', 'superseded'] as const) {
      expect(allowedActions(s, new Set<CatalogueRole>(['agency-admin', 'vpcp-supervisor']))).toEqual([]);
    }
  });

  it('property: any sequence of actions by anyone only ever reaches declared states, and nothing without a role', () => {
    const actions = Object.keys(TRANSITIONS) as LifecycleAction[];
    const roleSets = [ADMIN, VPCP, NOBODY];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...actions), fc.integer({ min: 0, max: 2 })), { maxLength: 30 }),
        (steps) => {
          let s: VersionState = 'draft';
          for (const [a, r] of steps) {
            const roles = roleSets[r]!;
            const out = transition(s, a, roles);
            if (roles === NOBODY) expect(out.ok).toBe(false);
            if (out.ok) {
              expect(TRANSITIONS[a].some((t) => t.from === s && t.to === out.to)).toBe(true);
              s = out.to;
            }
          }
          expect(['draft', 'testing', 'published', 'pending-withdrawal', 'withdrawn']).toContain(s);
        },
      ),
    );
  });
});
