/**
 * How news of money settles a payment, in the caller's transaction: the locked row, its change of state
 * and event, the ledger's postings, the receipts, the outbox messages of what follows (the effects) and
 * the audit row. Money that arrives is never refused: a success after expiry is kept (late); money for
 * a bill already paid, or a payment paid twice, goes to payer clearing until it is refunded.
 */
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import { createCache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../platform/db/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { paymentSucceeded, unmatchedTransfer } from './domain/ledger.ts';
import { transition } from './domain/states.ts';
import { postSet } from './ledger.store.ts';
import {
  addEvent,
  type EventSource,
  lockByReference,
  type Payment,
  type PaymentKind,
  type PaymentMethod,
  type PaymentRow,
  type PaymentStatus,
  toPayment,
} from './payments.repository.ts';
import { issueReceipts } from './receipts.store.ts';
import { payee as findPayee, type Payee } from './registry.repository.ts';

export interface Effect {
  /** Unique, stable: the outbox topic is payments.effect.<name>. */
  name: string;
  kinds: readonly PaymentKind[];
  run(payment: Payment): Promise<void>;
}

export type SettleOutcome =
  | { outcome: 'applied'; payment: Payment }
  | { outcome: 'already'; payment: Payment }
  | { outcome: 'duplicate-money'; payment: Payment }
  | { outcome: 'unknown' }
  | { outcome: 'amount-differs'; payment: Payment }
  | { outcome: 'refused'; payment: Payment };

const actorOf = (source: EventSource, who?: string): string =>
  who
    ? source === 'officer'
      ? `officer:${who}`
      : source === 'payer'
        ? `user:${who}`
        : `client:${who}`
    : `system:payments.${source}`;

/** The payment locked, with the reference of another payment that already paid its bill (if any). */
async function lockWithBill(
  trx: AnyTransaction,
  reference: string,
): Promise<(PaymentRow & { paid_by: string | null }) | undefined> {
  const r = await sql<PaymentRow & { paid_by: string | null }>`
    select p.*, (select o.reference from payments.payments o
                  where o.bill_key = p.bill_key and o.status = 'succeeded' and not o.duplicate and o.id <> p.id
                  order by o.succeeded_at limit 1) as paid_by
      from payments.payments p where p.reference = ${reference} for update of p`.execute(trx);
  return r.rows[0];
}

/** Money in for a bill already paid: kept in payer clearing until it is refunded. */
function moneyToClearing(
  via: { intermediary?: string | undefined; cashAgency?: string | undefined },
  amount: number,
  paymentId: string,
) {
  if (via.intermediary) return unmatchedTransfer({ intermediary: via.intermediary, amount, paymentId });
  return {
    kind: 'unmatched-transfer' as const,
    paymentId,
    postings: [
      { account: `cash:${via.cashAgency}`, debit: amount, credit: 0 },
      { account: 'payer-clearing', debit: 0, credit: amount },
    ],
  };
}

export function createSettlement(deps: { db: AnyDb; clock: Clock }) {
  const { clock } = deps;
  const effects: Effect[] = [];

  async function effectsFor(trx: AnyTransaction, p: PaymentRow): Promise<void> {
    for (const e of effects) {
      if (!e.kinds.includes(p.kind)) continue;
      await enqueue(
        trx,
        `payments.effect.${e.name}`,
        { paymentId: p.id },
        { dedupeKey: `${e.name}:${p.id}` },
      );
    }
  }

  /**
   * The intermediary says the money for `reference` arrived (`amount`, its transaction `txn`). In the
   * caller's transaction (a transfer notice records its own row in the same one).
   */
  async function settleIn(
    trx: AnyTransaction,
    input: {
      reference: string;
      amount: number;
      via: { method: PaymentMethod; intermediary?: string; txn?: string | null; cashAgency?: string };
      source: EventSource;
      who?: string;
      at: Date;
    },
  ): Promise<SettleOutcome> {
    const row = await lockWithBill(trx, input.reference);
    if (!row) return { outcome: 'unknown' };
    if (row.status === 'succeeded') {
      const same =
        (row.intermediary ?? null) === (input.via.intermediary ?? null) &&
        (input.via.txn == null || row.intermediary_txn == null || row.intermediary_txn === input.via.txn);
      if (same) return { outcome: 'already', payment: toPayment(row) };
      // The same payment paid a second time (another intermediary or transaction): keep the money.
      await postSet(
        trx,
        {
          ...moneyToClearing(input.via, input.amount, row.id),
          key: `second:${input.via.intermediary ?? 'cash'}:${input.via.txn ?? input.reference}`,
          memo: `Thanh toán lần hai cho ${row.reference}`,
        },
        input.at,
      );
      await addEvent(trx, {
        paymentId: row.id,
        from: 'succeeded',
        to: 'succeeded',
        source: input.source,
        at: input.at,
        details: {
          secondPayment: { intermediary: input.via.intermediary, txn: input.via.txn, amount: input.amount },
        },
      });
      await appendAudit(
        trx,
        {
          actor: actorOf(input.source, input.who),
          action: 'payment.paid-twice',
          subject: `payment:${row.id}`,
          data: {
            reference: row.reference,
            intermediary: input.via.intermediary,
            txn: input.via.txn,
            amount: input.amount,
          },
        },
        input.at,
      );
      return { outcome: 'duplicate-money', payment: toPayment(row) };
    }
    if (input.amount !== Number(row.amount)) return { outcome: 'amount-differs', payment: toPayment(row) };
    const step = transition(row.status, 'succeed');
    if (!step.ok) return { outcome: 'refused', payment: toPayment(row) };
    const late = step.late;
    const paidBefore = row.paid_by ? { reference: row.paid_by } : undefined;
    const duplicate = paidBefore !== undefined;
    // The change and its event in one statement (one round trip fewer on the callback's path).
    const details = {
      method: input.via.method,
      intermediary: input.via.intermediary,
      txn: input.via.txn,
      late,
      duplicate,
    };
    const updated = await sql<PaymentRow>`
      with u as (
        update payments.payments
           set status = 'succeeded', succeeded_at = ${input.at}, updated_at = ${input.at}, late = ${late},
               duplicate = ${duplicate}, method = ${input.via.method},
               intermediary = ${input.via.intermediary ?? null}, intermediary_txn = ${input.via.txn ?? null}
         where id = ${row.id}
         returning *),
      e as (
        insert into payments.events (payment_id, at, from_status, to_status, source, details)
        select u.id, ${input.at}, ${row.status}, 'succeeded', ${input.source}, ${JSON.stringify(details)}::jsonb from u)
      select * from u`.execute(trx);
    const p = updated.rows[0]!;
    if (duplicate) {
      await postSet(
        trx,
        {
          ...moneyToClearing(input.via, input.amount, p.id),
          key: `payment-succeeded:${p.id}`,
          memo: `Khoản ${p.bill_key} đã được nộp bởi ${paidBefore.reference}`,
        },
        input.at,
      );
    } else {
      const payee = await payeeCached(trx, p.payee_agency);
      if (!payee) throw new Error(`payee ${p.payee_agency} is not onboarded`);
      await postSet(
        trx,
        {
          ...paymentSucceeded(
            {
              id: p.id,
              amount: Number(p.amount),
              agency: payee.agencyCode,
              budgetChapter: payee.budgetChapter,
              lines: toPayment(p).lines,
            },
            input.via.intermediary
              ? { intermediary: input.via.intermediary }
              : { cashAgency: input.via.cashAgency ?? '' },
          ),
          key: `payment-succeeded:${p.id}`,
          memo: p.description,
        },
        input.at,
      );
      await issueReceipts(trx, toPayment(p), payee, input.at);
      // What follows from the payment: bills of this bill key still open are void.
      await sql`update payments.payments set status = 'cancelled', updated_at = ${input.at}
                 where bill_key = ${p.bill_key} and id <> ${p.id} and status in ('created', 'pending')`.execute(
        trx,
      );
      await effectsFor(trx, p);
    }
    await appendAudit(
      trx,
      {
        actor: actorOf(input.source, input.who),
        action: duplicate ? 'payment.succeeded-duplicate' : 'payment.succeeded',
        subject: `payment:${p.id}`,
        data: {
          reference: p.reference,
          amount: input.amount,
          method: input.via.method,
          intermediary: input.via.intermediary,
          txn: input.via.txn,
          late,
        },
      },
      input.at,
    );
    return { outcome: 'applied', payment: toPayment(p) };
  }

  /** A payment that did not go through (the payer cancelled, the bank declined, it lapsed). */
  async function closeIn(
    trx: AnyTransaction,
    row: PaymentRow,
    to: Exclude<PaymentStatus, 'succeeded' | 'created' | 'pending'>,
    source: EventSource,
    at: Date,
    details: object = {},
    who?: string,
  ): Promise<Payment> {
    const step = transition(row.status, to === 'failed' ? 'fail' : to === 'expired' ? 'expire' : 'cancel');
    if (!step.ok || !step.changed) return toPayment(row);
    const r = await sql<PaymentRow>`
      update payments.payments set status = ${to}, updated_at = ${at}
       where id = ${row.id} and status in ('created', 'pending') returning *`.execute(trx);
    const p = r.rows[0] ?? row;
    await addEvent(trx, { paymentId: row.id, from: row.status, to, source, at, details });
    await appendAudit(
      trx,
      {
        actor: actorOf(source, who),
        action: `payment.${to}`,
        subject: `payment:${row.id}`,
        data: { reference: row.reference, ...details },
      },
      at,
    );
    return toPayment(p);
  }

  async function confirmIn(
    trx: AnyTransaction,
    code: string,
    msg: { reference: string; amount: number; txn: string; result: 'succeeded' | 'failed' | 'cancelled' },
  ): Promise<SettleOutcome> {
    if (msg.result === 'succeeded')
      return settleIn(trx, {
        reference: msg.reference,
        amount: msg.amount,
        via: { method: 'online', intermediary: code, txn: msg.txn },
        source: 'callback',
        at: clock.now(),
      });
    const row = await lockByReference(trx, msg.reference);
    if (!row) return { outcome: 'unknown' };
    // Only the intermediary the payment is waiting on may close it: a stale "cancelled" from another
    // does not void the one the payer is paying now.
    if (row.intermediary !== code || row.status === 'succeeded')
      return { outcome: 'refused', payment: toPayment(row) };
    const p = await closeIn(trx, row, msg.result, 'callback', clock.now(), {
      intermediary: code,
      txn: msg.txn,
    });
    return { outcome: 'applied', payment: p };
  }

  /**
   * Payees change rarely (an agency onboarded, a chapter corrected): kept a minute in the process. Read
   * through the caller's transaction on a miss (on PGlite the shared connection is the transaction's).
   */
  const payees = createCache<string, Payee>({ max: 1000, ttlMs: 60_000, clock });
  async function payeeCached(trx: AnyTransaction, code: string): Promise<Payee | undefined> {
    const hit = payees.get(code);
    if (hit) return hit;
    const found = await findPayee(trx, code);
    if (found) payees.set(code, found);
    return found;
  }

  return { effects, settleIn, closeIn, confirmIn };
}
