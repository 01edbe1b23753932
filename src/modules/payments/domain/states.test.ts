import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PAYMENT_EVENTS,
  PAYMENT_STATES,
  type PaymentEvent,
  type PaymentState,
  REFUND_EVENTS,
  REFUND_STATES,
  type RefundEvent,
  type RefundState,
  refundable,
  refundTransition,
  transition,
} from './states.ts';

/**
 * The expected outcome of every (state, event), written out by hand from the contract rather than derived
 * from the table: `x` refused, `=` idempotent no-op, a state name: moves there, `late` accepted as succeeded
 * and flagged.
 */
const PAYMENT_EXPECTED: Record<PaymentState, Record<PaymentEvent, string>> = {
  //           send        succeed       fail       expire      cancel
  created: { send: 'pending', succeed: 'succeeded', fail: 'failed', expire: 'expired', cancel: 'cancelled' },
  pending: { send: '=', succeed: 'succeeded', fail: 'failed', expire: 'expired', cancel: 'cancelled' },
  succeeded: { send: 'x', succeed: '=', fail: 'x', expire: 'x', cancel: 'x' },
  failed: { send: 'x', succeed: 'late', fail: '=', expire: 'x', cancel: 'x' },
  expired: { send: 'x', succeed: 'late', fail: 'x', expire: '=', cancel: 'x' },
  cancelled: { send: 'x', succeed: 'late', fail: 'x', expire: 'x', cancel: '=' },
};

describe('payment state machine: every state × event', () => {
  for (const from of PAYMENT_STATES)
    for (const event of PAYMENT_EVENTS) {
      const want = PAYMENT_EXPECTED[from][event];
      it(`${from} + ${event} → ${want}`, () => {
        const r = transition(from, event);
        if (want === 'x') {
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.allowed).not.toContain(event);
            expect(r.allowed.length).toBeGreaterThan(0);
            expect(r.message).toMatch(/ \/ /);
          }
        } else if (want === '=') expect(r).toEqual({ ok: true, to: from, changed: false, late: false });
        else if (want === 'late') expect(r).toEqual({ ok: true, to: 'succeeded', changed: true, late: true });
        else expect(r).toEqual({ ok: true, to: want, changed: true, late: false });
      });
    }

  it('a refusal lists exactly the events that are allowed', () => {
    for (const from of PAYMENT_STATES) {
      const allowed = PAYMENT_EVENTS.filter((e) => PAYMENT_EXPECTED[from][e] !== 'x');
      for (const event of PAYMENT_EVENTS) {
        const r = transition(from, event);
        if (!r.ok) expect([...r.allowed].sort()).toEqual([...allowed].sort());
      }
    }
  });

  it('money is never lost: from any history, a success ends in succeeded, and nothing leaves succeeded', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PAYMENT_EVENTS), { maxLength: 12 }), (events) => {
        let state: PaymentState = 'created';
        for (const e of events) {
          const r = transition(state, e);
          if (r.ok) state = r.to;
        }
        const last = transition(state, 'succeed');
        expect(last.ok && last.to).toBe('succeeded');
        if (state === 'succeeded')
          for (const e of PAYMENT_EVENTS) {
            const r = transition(state, e);
            expect(!r.ok || r.to === 'succeeded').toBe(true);
          }
      }),
      { seed: 17 },
    );
  });
});

const REFUND_EXPECTED: Record<RefundState, Record<RefundEvent, string>> = {
  requested: { succeed: 'succeeded', fail: 'failed' },
  succeeded: { succeed: '=', fail: 'x' },
  failed: { succeed: 'x', fail: '=' },
};

describe('refund state machine: every state × event', () => {
  for (const from of REFUND_STATES)
    for (const event of REFUND_EVENTS) {
      const want = REFUND_EXPECTED[from][event];
      it(`${from} + ${event} → ${want}`, () => {
        const r = refundTransition(from, event);
        if (want === 'x') expect(r).toMatchObject({ ok: false, from, event });
        else if (want === '=') expect(r).toEqual({ ok: true, to: from, changed: false, late: false });
        else expect(r).toEqual({ ok: true, to: want, changed: true, late: false });
      });
    }
});

describe('refundable', () => {
  it('the amount less the refunds not failed', () => {
    expect(refundable(180_000, [])).toBe(180_000);
    expect(
      refundable(180_000, [
        { amount: 50_000, state: 'succeeded' },
        { amount: 30_000, state: 'requested' },
        { amount: 100_000, state: 'failed' },
      ]),
    ).toBe(100_000);
    expect(refundable(180_000, [{ amount: 180_000, state: 'requested' }])).toBe(0);
  });

  it('refuses refunds beyond the amount and bad numbers', () => {
    expect(() => refundable(100, [{ amount: 101, state: 'succeeded' }])).toThrow(RangeError);
    expect(() =>
      refundable(100, [
        { amount: 60, state: 'succeeded' },
        { amount: 41, state: 'requested' },
      ]),
    ).toThrow(RangeError);
    expect(() => refundable(100, [{ amount: 0, state: 'requested' }])).toThrow(RangeError);
    expect(() => refundable(100, [{ amount: 1.5, state: 'requested' }])).toThrow(RangeError);
    expect(() => refundable(-1, [])).toThrow(RangeError);
  });

  it('never negative, and failed refunds free their amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(
          fc.record({
            amount: fc.integer({ min: 1, max: 10_000_000 }),
            state: fc.constantFrom(...REFUND_STATES),
          }),
        ),
        (amount, refunds) => {
          const held = refunds.filter((r) => r.state !== 'failed').reduce((s, r) => s + r.amount, 0);
          if (held > amount) expect(() => refundable(amount, refunds)).toThrow(RangeError);
          else {
            expect(refundable(amount, refunds)).toBe(amount - held);
            const withFailed = [...refunds, { amount: amount + 1, state: 'failed' as const }];
            expect(refundable(amount, withFailed)).toBe(refundable(amount, refunds));
          }
        },
      ),
      { seed: 17 },
    );
  });
});
