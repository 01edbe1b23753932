/**
 * The payment and refund state machines (the contract, "Payment"), as tables: code compares states by
 * these names (CONTRIBUTING.md §2).
 *
 * Payment: created → pending → succeeded | failed | expired | cancelled; created → expired | cancelled |
 * failed. Repeating the event that led to the current state is an idempotent no-op (a bank retrying a
 * callback, a second INIT). Money is never refused: a success reported after expired, cancelled or failed is
 * accepted as `succeeded` and flagged `late` for reconciliation, and a success on a payment still `created`
 * (a VietQR transfer that arrived before the portal marked it pending) is accepted too. Nothing leaves
 * `succeeded` except through a refund, which has its own machine.
 *
 * Refund: requested → succeeded | failed, repeats idempotent; the sum of refunds not failed never exceeds the
 * amount paid (`refundable`).
 */

export const PAYMENT_STATES = ['created', 'pending', 'succeeded', 'failed', 'expired', 'cancelled'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/**
 * send: the payment went to the intermediary (INIT accepted, or the VietQR shown);
 * succeed / fail: the intermediary's result (CONFIRM 00, QUERY 00; CONFIRM 51/99, QUERY 02);
 * expire: the portal's time limit passed; cancel: the payer or an officer cancelled (CONFIRM 24, QUERY 03).
 */
export const PAYMENT_EVENTS = ['send', 'succeed', 'fail', 'expire', 'cancel'] as const;
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

/** States nothing but a late success leaves. */
export const FINAL_PAYMENT_STATES: readonly PaymentState[] = ['succeeded', 'failed', 'expired', 'cancelled'];

interface Edge<S> {
  to: S;
  /** A success after the payment was already given up: accepted, flagged for reconciliation. */
  late?: true;
}

/** Every allowed (state, event); what is not here is refused. */
export const PAYMENT_TRANSITIONS: Readonly<
  Record<PaymentState, Partial<Record<PaymentEvent, Edge<PaymentState>>>>
> = {
  created: {
    send: { to: 'pending' },
    succeed: { to: 'succeeded' },
    fail: { to: 'failed' },
    expire: { to: 'expired' },
    cancel: { to: 'cancelled' },
  },
  pending: {
    send: { to: 'pending' },
    succeed: { to: 'succeeded' },
    fail: { to: 'failed' },
    expire: { to: 'expired' },
    cancel: { to: 'cancelled' },
  },
  succeeded: { succeed: { to: 'succeeded' } },
  failed: { fail: { to: 'failed' }, succeed: { to: 'succeeded', late: true } },
  expired: { expire: { to: 'expired' }, succeed: { to: 'succeeded', late: true } },
  cancelled: { cancel: { to: 'cancelled' }, succeed: { to: 'succeeded', late: true } },
};

export type Transition<S, E> =
  | {
      ok: true;
      to: S;
      /** false: the state stays (an idempotent repeat); nothing to write. */
      changed: boolean;
      late: boolean;
    }
  | {
      ok: false;
      from: S;
      event: E;
      /** What the state allows, for a ConflictError's allowed actions. */
      allowed: E[];
      /** Vietnamese, then English. */
      message: string;
    };

const PAYMENT_STATE_VI: Record<PaymentState, string> = {
  created: 'mới tạo',
  pending: 'chờ thanh toán',
  succeeded: 'đã thanh toán',
  failed: 'thất bại',
  expired: 'hết hạn',
  cancelled: 'đã hủy',
};

function step<S extends string, E extends string>(
  table: Readonly<Record<S, Partial<Record<E, Edge<S>>>>>,
  from: S,
  event: E,
  stateVi: Record<S, string>,
  what: { vi: string; en: string },
): Transition<S, E> {
  const edges = table[from];
  const edge = edges[event];
  if (!edge) {
    return {
      ok: false,
      from,
      event,
      allowed: Object.keys(edges) as E[],
      message: `${what.vi} đang ở trạng thái "${stateVi[from]}", không thể "${event}" / ${what.en} is ${from}: "${event}" is not allowed`,
    };
  }
  return { ok: true, to: edge.to, changed: edge.to !== from, late: edge.late === true };
}

/** The next state of a payment, or a refusal naming what is allowed. */
export function transition(from: PaymentState, event: PaymentEvent): Transition<PaymentState, PaymentEvent> {
  return step(PAYMENT_TRANSITIONS, from, event, PAYMENT_STATE_VI, {
    vi: 'Khoản thanh toán',
    en: 'the payment',
  });
}

// ---------------------------------------------------------------------------------------------------------
// Refunds

export const REFUND_STATES = ['requested', 'succeeded', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];
export const REFUND_EVENTS = ['succeed', 'fail'] as const;
export type RefundEvent = (typeof REFUND_EVENTS)[number];

export const REFUND_TRANSITIONS: Readonly<
  Record<RefundState, Partial<Record<RefundEvent, Edge<RefundState>>>>
> = {
  requested: { succeed: { to: 'succeeded' }, fail: { to: 'failed' } },
  succeeded: { succeed: { to: 'succeeded' } },
  failed: { fail: { to: 'failed' } },
};

const REFUND_STATE_VI: Record<RefundState, string> = {
  requested: 'đã yêu cầu',
  succeeded: 'đã hoàn',
  failed: 'hoàn thất bại',
};

/** The next state of a refund, or a refusal. */
export function refundTransition(
  from: RefundState,
  event: RefundEvent,
): Transition<RefundState, RefundEvent> {
  return step(REFUND_TRANSITIONS, from, event, REFUND_STATE_VI, {
    vi: 'Yêu cầu hoàn tiền',
    en: 'the refund',
  });
}

/**
 * What may still be refunded of a payment of `amount`: the amount less every refund not failed (requested
 * ones hold their amount). Throws RangeError on a non-integer amount or when the refunds already exceed the
 * amount (the books are wrong; never hide it).
 */
export function refundable(
  amount: number,
  refunds: ReadonlyArray<{ amount: number; state: RefundState }>,
): number {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`amount ${amount}: not whole đồng ≥ 0`);
  let held = 0;
  for (const r of refunds) {
    if (!Number.isSafeInteger(r.amount) || r.amount <= 0)
      throw new RangeError(`refund ${r.amount}: not whole đồng > 0`);
    if (r.state !== 'failed') held += r.amount;
  }
  if (held > amount) throw new RangeError(`refunds ${held} exceed the amount ${amount}`);
  return amount - held;
}
