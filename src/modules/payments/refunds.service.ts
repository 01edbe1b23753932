/**
 * Refunds, whole or part, of a succeeded payment: requested by a cashier or accountant of the payee
 * agency (or of an agency above it) with a reason; `requested → succeeded | failed`.
 *
 * The request is one transaction: the payment row locked, what is left to refund checked (the database
 * checks it again: migration 0072's trigger), the refund row, the `refund-requested` set (Dr
 * `refunds:<agency>`, or Dr `payer-clearing` when the money is a bill paid twice; Cr `refunds-payable`),
 * the outbox message that sends REFUND to the intermediary, and the audit row. The intermediary is asked
 * at least once through the outbox, idempotently by the refund id (its MaHoanTien); its answer finishes
 * the refund: `refund-succeeded` (Dr `refunds-payable`, Cr `receivable:<i>`) or `refund-failed` (the
 * reverse of the request). Cash taken at the counter is handed back at once (Cr `cash:<agency>`).
 */
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../platform/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { type Dispatcher, enqueue } from '../../platform/outbox/index.ts';
import { postSet } from './ledger.store.ts';
import { lockById, type PaymentMethod, type PaymentRow } from './payments.repository.ts';
import type { IntermediaryPort } from './payments.service.ts';
import { intermediary as findIntermediary } from './registry.repository.ts';

export type RefundStatus = 'requested' | 'succeeded' | 'failed';

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  status: RefundStatus;
  reason: string;
  requestedBy: string | null;
  requestedAt: Date;
  finishedAt: Date | null;
  failure: string | null;
  txn: string | null;
  intermediary: string | null;
  method: PaymentMethod | null;
  fromClearing: boolean;
  bankMessage: string | null;
}

interface RefundRow {
  id: string;
  payment_id: string;
  amount: string | number;
  status: RefundStatus;
  reason: string;
  requested_by: string | null;
  requested_at: Date;
  finished_at: Date | null;
  failure: string | null;
  txn: string | null;
  intermediary: string | null;
  method: PaymentMethod | null;
  from_clearing: boolean;
  bank_message: string | null;
}

const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  paymentId: r.payment_id,
  amount: Number(r.amount),
  status: r.status,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  finishedAt: r.finished_at,
  failure: r.failure,
  txn: r.txn,
  intermediary: r.intermediary,
  method: r.method,
  fromClearing: r.from_clearing,
  bankMessage: r.bank_message,
});

export const REFUND_TOPIC = 'payments.refund.send';

export const REFUND_STATUS_TEXT: Record<RefundStatus, { vi: string; en: string }> = {
  requested: { vi: 'Đã yêu cầu hoàn', en: 'Requested' },
  succeeded: { vi: 'Đã hoàn tiền', en: 'Refunded' },
  failed: { vi: 'Hoàn tiền không thành công', en: 'Refund failed' },
};

export interface RefundsServiceDeps {
  db: AnyDb;
  clock: Clock;
  dispatcher: Dispatcher;
  bank: IntermediaryPort;
  /** Does the officer hold the role at the agency (granted there or above)? (identity) */
  can(accountId: string, role: 'cashier' | 'accountant', agencyCode: string): Promise<boolean>;
}

export interface RefundRequest {
  paymentId: string;
  amount: number;
  reason: string;
  officerId: string;
  /**
   * The money refunded when it is not the payment's own: a second payment of a paid bill (its
   * intermediary and transaction, from reconciliation); that money is in payer clearing.
   */
  second?: { intermediary: string; txn: string };
}

/** The account the payment's money came in on (receivable:<i> or cash:<agency>), from its success set. */
async function debitAccountOf(db: AnyDb, paymentId: string): Promise<string | undefined> {
  const r = await sql<{ account: string }>`
    select p.account from payments.postings p join payments.posting_sets s on s.id = p.set_id
     where s.key = ${`payment-succeeded:${paymentId}`} and p.debit > 0 limit 1`.execute(db);
  return r.rows[0]?.account;
}

export type RefundsService = ReturnType<typeof createRefundsService>;

export function createRefundsService(deps: RefundsServiceDeps) {
  const { db, clock } = deps;

  async function mayRefund(officerId: string, agency: string): Promise<boolean> {
    return (
      (await deps.can(officerId, 'cashier', agency)) || (await deps.can(officerId, 'accountant', agency))
    );
  }

  /** Finishes a requested refund (in `trx`, the refund row locked): its set, its audit row. */
  async function finishIn(
    trx: AnyTransaction,
    refundId: string,
    outcome: 'succeeded' | 'failed',
    message: string,
    actor: string,
  ): Promise<Refund | undefined> {
    const r = await sql<RefundRow>`select * from payments.refunds where id = ${refundId} for update`.execute(
      trx,
    );
    const row = r.rows[0];
    if (row?.status !== 'requested') return row ? toRefund(row) : undefined;
    const now = clock.now();
    const p = (
      await sql<PaymentRow>`select * from payments.payments where id = ${row.payment_id}`.execute(trx)
    ).rows[0]!;
    const amount = Number(row.amount);
    const charged = row.from_clearing ? 'payer-clearing' : `refunds:${p.payee_agency}`;
    if (outcome === 'succeeded') {
      const via = row.intermediary
        ? `receivable:${row.intermediary}`
        : ((await debitAccountOf(trx, p.id)) ?? `cash:${p.payee_agency}`);
      await postSet(
        trx,
        {
          kind: 'refund-succeeded',
          key: `refund-succeeded:${row.id}`,
          paymentId: p.id,
          refundId: row.id,
          memo: `Hoàn tiền ${p.reference}`,
          postings: [
            { account: 'refunds-payable', debit: amount, credit: 0 },
            { account: via, debit: 0, credit: amount },
          ],
        },
        now,
      );
    } else {
      await postSet(
        trx,
        {
          kind: 'refund-failed',
          key: `refund-failed:${row.id}`,
          paymentId: p.id,
          refundId: row.id,
          memo: `Hoàn tiền không thành công ${p.reference}: ${message}`.slice(0, 300),
          postings: [
            { account: 'refunds-payable', debit: amount, credit: 0 },
            { account: charged, debit: 0, credit: amount },
          ],
        },
        now,
      );
    }
    const done = await sql<RefundRow>`
      update payments.refunds set status = ${outcome}, finished_at = ${now}, bank_message = ${message.slice(0, 500)},
             failure = ${outcome === 'failed' ? message.slice(0, 500) : null}
       where id = ${row.id} returning *`.execute(trx);
    await appendAudit(
      trx,
      {
        actor,
        action: outcome === 'succeeded' ? 'payment.refund-succeeded' : 'payment.refund-failed',
        subject: `payment:${p.id}`,
        data: { refundId: row.id, reference: p.reference, amount, message },
      },
      now,
    );
    return toRefund(done.rows[0]!);
  }

  deps.dispatcher.register(REFUND_TOPIC, async (m) => {
    const { refundId } = m.payload as { refundId: string };
    const r = await sql<RefundRow & { reference: string }>`
      select r.*, p.reference from payments.refunds r join payments.payments p on p.id = r.payment_id
       where r.id = ${refundId}`.execute(db);
    const row = r.rows[0];
    if (row?.status !== 'requested' || !row.intermediary || !row.txn) return;
    const i = await findIntermediary(db, row.intermediary);
    if (!i) throw new Error(`refund ${refundId}: intermediary ${row.intermediary} is not registered`);
    // A network error or a 5xx throws: the outbox asks again (the bank answers a repeat by MaHoanTien).
    const answer = await deps.bank.refund(i, {
      reference: row.reference,
      txn: row.txn,
      refundId: row.id,
      amount: Number(row.amount),
      at: clock.now(),
    });
    await db
      .transaction()
      .execute((trx) =>
        finishIn(
          trx,
          row.id,
          answer.ok ? 'succeeded' : 'failed',
          answer.message,
          `system:payments.refund:${row.intermediary}`,
        ),
      );
  });

  return {
    mayRefund,

    /** What is left to refund of the payment's own money (its amount less refunds not failed). */
    async refundable(paymentId: string, txn?: string | null): Promise<number> {
      const r = await sql<{ amount: string; held: string; txn: string | null }>`
        select p.amount, p.intermediary_txn as txn,
               (select coalesce(sum(amount), 0) from payments.refunds f
                 where f.payment_id = p.id and f.status <> 'failed'
                   and coalesce(f.txn, '') = coalesce(${txn === undefined ? sql`p.intermediary_txn` : txn}, '')) as held
          from payments.payments p where p.id = ${paymentId} and p.status = 'succeeded'`.execute(db);
      const x = r.rows[0];
      return x ? Number(x.amount) - Number(x.held) : 0;
    },

    /** Refund requests of a payment, oldest first. */
    async of(paymentId: string): Promise<Refund[]> {
      const r = await sql<RefundRow>`
        select * from payments.refunds where payment_id = ${paymentId} order by requested_at, id`.execute(db);
      return r.rows.map(toRefund);
    },

    async get(id: string): Promise<Refund | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const r = await sql<RefundRow>`select * from payments.refunds where id = ${id}`.execute(db);
      return r.rows[0] ? toRefund(r.rows[0]) : undefined;
    },

    /** Requests a refund; answers it (a cash refund is already succeeded). */
    async request(req: RefundRequest): Promise<Refund> {
      const reason = req.reason.normalize('NFC').trim();
      if (!Number.isSafeInteger(req.amount) || req.amount <= 0)
        throw new ValidationError('Số tiền hoàn phải là số đồng nguyên dương / whole đồng above 0', [
          { path: 'amount', message: 'integer đồng above 0' },
        ]);
      if (reason.length < 1 || reason.length > 1000)
        throw new ValidationError('Vui lòng nêu lý do hoàn tiền (tối đa 1000 ký tự) / give a reason', [
          { path: 'reason', message: '1–1000 characters' },
        ]);
      const first =
        await sql<PaymentRow>`select * from payments.payments where id = ${req.paymentId}`.execute(db);
      if (!first.rows[0]) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      if (!(await mayRefund(req.officerId, first.rows[0].payee_agency)))
        throw new ForbiddenError(
          'Chỉ cán bộ thu phí hoặc kế toán của đơn vị thu được hoàn tiền / only the payee agency’s cashiers and accountants refund',
        );
      const now = clock.now();
      const actor = `officer:${req.officerId}`;
      const refund = await db.transaction().execute(async (trx) => {
        const p = await lockById(trx, req.paymentId);
        if (!p) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
        if (p.status !== 'succeeded')
          throw new ConflictError('Chỉ hoàn tiền khoản đã thanh toán / only a paid payment is refunded', {
            state: p.status,
          });
        const cash = !req.second && p.method === 'cash';
        const txn = req.second?.txn ?? (cash ? null : p.intermediary_txn);
        const intermediary = req.second?.intermediary ?? (cash ? null : p.intermediary);
        if (!cash && (!txn || !intermediary))
          throw new ConflictError('Không rõ giao dịch của trung gian để hoàn / no intermediary transaction', {
            state: p.status,
          });
        const fromClearing = req.second !== undefined || p.duplicate;
        const held = await sql<{ held: string }>`
          select coalesce(sum(amount), 0) as held from payments.refunds
           where payment_id = ${p.id} and status <> 'failed' and coalesce(txn, '') = ${txn ?? ''}`.execute(
          trx,
        );
        const left = Number(p.amount) - Number(held.rows[0]!.held);
        if (req.amount > left)
          throw new ConflictError(
            `Số tiền hoàn vượt số còn có thể hoàn (${left} đồng) / more than the ${left} đồng left to refund`,
            { state: p.status, refundable: left },
          );
        const ins = await sql<RefundRow>`
          insert into payments.refunds (payment_id, amount, status, reason, requested_by, requested_at, txn,
                                        intermediary, method, from_clearing)
          values (${p.id}, ${req.amount}, 'requested', ${reason}, ${req.officerId}, ${now}, ${txn}, ${intermediary},
                  ${req.second ? 'vietqr' : p.method}, ${fromClearing})
          returning *`.execute(trx);
        const row = ins.rows[0]!;
        await postSet(
          trx,
          {
            kind: 'refund-requested',
            key: `refund-requested:${row.id}`,
            paymentId: p.id,
            refundId: row.id,
            memo: reason.slice(0, 300),
            postings: [
              {
                account: fromClearing ? 'payer-clearing' : `refunds:${p.payee_agency}`,
                debit: req.amount,
                credit: 0,
              },
              { account: 'refunds-payable', debit: 0, credit: req.amount },
            ],
          },
          now,
        );
        if (!cash) await enqueue(trx, REFUND_TOPIC, { refundId: row.id }, { dedupeKey: row.id });
        await appendAudit(
          trx,
          {
            actor,
            action: 'payment.refund-requested',
            subject: `payment:${p.id}`,
            data: { refundId: row.id, reference: p.reference, amount: req.amount, reason, txn, fromClearing },
          },
          now,
        );
        // Cash taken at the counter is handed back there: finished in the same transaction.
        if (cash)
          return (await finishIn(
            trx,
            row.id,
            'succeeded',
            'Hoàn tiền mặt tại quầy / cash handed back',
            actor,
          ))!;
        return toRefund(row);
      });
      if (refund.status === 'requested') deps.dispatcher.kick();
      return refund;
    },
  };
}
