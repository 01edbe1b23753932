/**
 * The payment platform's decisions. A bill becomes a payment (one open payment per bill); the payer
 * chooses an intermediary (INIT, the payment is pending) or a VietQR transfer; the intermediary's news
 * (a CONFIRM, a transfer notice, the answer to a QUERY, a line of its settlement file) settles it. Every
 * change of state is one transaction: the row, its event, its ledger postings, its receipts, its outbox
 * messages (what follows from the payment: the dossier moves on, the police or social security are told,
 * the payer is told) and its audit row. Money that arrives is never refused: a success after expiry is
 * kept (late), a second payment of a paid bill is kept in payer clearing until refunded (duplicate).
 */
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../platform/db/index.ts';
import { ConflictError, NotFoundError, UpstreamError, ValidationError } from '../../platform/errors/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import { unmatchedTransfer } from './domain/ledger.ts';
import { postSet } from './ledger.store.ts';
import {
  addEvent,
  billPaid,
  byId,
  byReference,
  insertOrOpen,
  lockById,
  type NewPayment,
  OPEN_STATUSES,
  type Payment,
  type PaymentMethod,
  type PaymentRow,
  type PaymentStatus,
  toPayment,
} from './payments.repository.ts';
import { createSettlement, type Effect, type SettleOutcome } from './settlement.ts';

export type { Effect, SettleOutcome } from './settlement.ts';

import {
  intermediary as findIntermediary,
  payee as findPayee,
  type Intermediary,
  type Payee,
  payeeAmong,
} from './registry.repository.ts';

/** What an intermediary answers to QUERY, in the portal's words. */
export interface QueryAnswer {
  state: 'succeeded' | 'pending' | 'failed' | 'cancelled' | 'not-found';
  amount: number | null;
  txn: string | null;
  at: Date | null;
}

/** How the portal talks to an intermediary (protocol 1.0.6 shape over HTTP; see intermediary.client.ts). */
export interface IntermediaryPort {
  init(
    i: Intermediary,
    p: Payment,
    opts: { returnUrl: string; ip: string; at: Date },
  ): Promise<{ url: string; txn: string | null }>;
  query(i: Intermediary, reference: string, at: Date): Promise<QueryAnswer>;
  refund(
    i: Intermediary,
    r: { reference: string; txn: string; refundId: string; amount: number; at: Date },
  ): Promise<{ ok: boolean; message: string }>;
  settlement(i: Intermediary, day: string, at: Date): Promise<string>;
}

export interface PaymentsServiceDeps {
  db: AnyDb;
  clock: Clock;
  dispatcher: Dispatcher;
  bank: IntermediaryPort;
  publicUrl: string;
  /** The agency and its ancestors, nearest first: a bill is collected by the nearest onboarded payee. */
  lineageOf(agencyCode: string): Promise<string[]>;
  /** How long a bill may stay unpaid (default 24 hours). */
  lifetimeMinutes?: number;
  /** The crash tests' hook: kills the process at the point named (PAYMENTS_CRASH_AT), else nothing. */
  crash?: (point: 'after-ledger') => void;
}

const MAX_AMOUNT = 1_000_000_000_000;

function checkLines(lines: NewPayment['lines']): void {
  if (lines.length === 0 || lines.length > 50)
    throw new ValidationError('Khoản phải nộp phải có từ 1 đến 50 dòng / 1–50 lines', [
      { path: 'lines', message: '1–50 lines' },
    ]);
  let total = 0;
  lines.forEach((l, i) => {
    if (!Number.isSafeInteger(l.amount) || l.amount <= 0 || l.amount > MAX_AMOUNT)
      throw new ValidationError('Số tiền mỗi khoản phải là số đồng nguyên dương / whole đồng above 0', [
        { path: `lines.${i}.amount`, message: 'integer đồng above 0' },
      ]);
    total += l.amount;
  });
  if (total > MAX_AMOUNT)
    throw new ValidationError('Tổng số tiền vượt giới hạn / total too large', [
      { path: 'lines', message: 'total at most 10^12' },
    ]);
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;

export function createPaymentsService(deps: PaymentsServiceDeps) {
  const { db, clock } = deps;
  const lifetime = deps.lifetimeMinutes ?? 24 * 60;
  const { effects, settleIn, closeIn, confirmIn } = createSettlement({ db, clock });

  async function payeeOf(agencyCode: string): Promise<Payee | undefined> {
    const direct = await findPayee(db, agencyCode);
    if (direct) return direct;
    return payeeAmong(db, await deps.lineageOf(agencyCode).catch(() => [agencyCode]));
  }

  async function requireIntermediary(code: string): Promise<Intermediary> {
    const i = await findIntermediary(db, code);
    if (!i?.active)
      throw new ValidationError('Không có trung gian thanh toán này / no such intermediary', [
        { path: 'intermediary', message: 'unknown or inactive intermediary' },
      ]);
    return i;
  }

  return {
    /** Registers what follows a successful payment of some kinds (an outbox handler per effect). */
    addEffect(e: Effect): void {
      effects.push(e);
      deps.dispatcher.register(`payments.effect.${e.name}`, async (m) => {
        const { paymentId } = m.payload as { paymentId: string };
        const row = await byId(db, paymentId);
        if (row && row.status === 'succeeded' && !row.duplicate) {
          deps.crash?.('after-ledger');
          await e.run(toPayment(row));
        }
      });
    },

    /** A bill to pay: the open payment of its bill key, or a new one (`created`). Refused when paid. */
    async create(
      input: Omit<NewPayment, 'expiresAt'> & { expiresAt?: Date },
    ): Promise<{ payment: Payment; created: boolean }> {
      checkLines(input.lines);
      const payee = await payeeOf(input.payeeAgency);
      if (!payee)
        throw new ConflictError(
          'Cơ quan này chưa đăng ký thu trực tuyến; vui lòng nộp tại quầy / this agency does not collect online yet',
          { state: 'not-onboarded' },
        );
      const paid = await billPaid(db, input.billKey);
      if (paid)
        throw new ConflictError('Khoản này đã được nộp / this bill has been paid', {
          state: 'paid',
          payment: paid.id,
          reference: paid.reference,
        });
      const now = clock.now();
      const { row, created } = await db.transaction().execute(async (trx) => {
        const out = await insertOrOpen(trx, {
          ...input,
          payeeAgency: payee.agencyCode,
          expiresAt: input.expiresAt ?? new Date(now.getTime() + lifetime * 60_000),
        });
        if (out.created) {
          await addEvent(trx, {
            paymentId: out.row.id,
            from: null,
            to: 'created',
            source: input.kind === 'partner' ? 'partner' : 'payer',
            at: now,
          });
          await appendAudit(
            trx,
            {
              actor: input.payer.accountId
                ? `user:${input.payer.accountId}`
                : `system:payments.${input.kind}`,
              action: 'payment.created',
              subject: `payment:${out.row.id}`,
              data: {
                reference: out.row.reference,
                kind: input.kind,
                subject: input.subject,
                amount: Number(out.row.amount),
              },
            },
            now,
          );
        }
        return out;
      });
      return { payment: toPayment(row), created };
    },

    async get(id: string): Promise<Payment> {
      const row = /^[0-9a-f-]{36}$/i.test(id) ? await byId(db, id) : undefined;
      if (!row) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      return toPayment(row);
    },

    async byReference(reference: string): Promise<Payment | undefined> {
      const row = await byReference(db, reference);
      return row ? toPayment(row) : undefined;
    },

    /** The payer chose an intermediary: INIT there, the payment is pending; answers where to pay. */
    async checkout(id: string, code: string, ip: string): Promise<string> {
      const i = await requireIntermediary(code);
      const row = await byId(db, id);
      if (!row) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      const now = clock.now();
      if (!OPEN_STATUSES.includes(row.status))
        throw new ConflictError('Giao dịch đã kết thúc / the payment is over', { state: row.status });
      if (row.expires_at <= now) {
        await db.transaction().execute(async (trx) => {
          const locked = await lockById(trx, id);
          if (locked) await closeIn(trx, locked, 'expired', 'expiry', now);
        });
        throw new ConflictError('Giao dịch đã hết hạn; vui lòng tạo lại / the payment expired', {
          state: 'expired',
        });
      }
      const returnUrl = `${deps.publicUrl}/thanh-toan/${row.id}/ket-qua`;
      let answer: { url: string; txn: string | null };
      try {
        answer = await deps.bank.init(i, toPayment(row), { returnUrl, ip, at: now });
      } catch (e) {
        throw new UpstreamError(
          `${i.name} không phản hồi; vui lòng thử lại hoặc chọn cách khác / ${i.name} did not answer`,
          { cause: e instanceof Error ? e.message : String(e) },
        );
      }
      await db.transaction().execute(async (trx) => {
        const locked = await lockById(trx, id);
        if (!locked || !OPEN_STATUSES.includes(locked.status)) return;
        await sql`update payments.payments set status = 'pending', method = 'online', intermediary = ${i.code},
                    intermediary_txn = ${answer.txn}, updated_at = ${now} where id = ${id}`.execute(trx);
        await addEvent(trx, {
          paymentId: id,
          from: locked.status,
          to: 'pending',
          source: 'payer',
          at: now,
          details: { intermediary: i.code, txn: answer.txn },
        });
      });
      return answer.url;
    },

    /** The payer will transfer by VietQR through `code`: pending with that intermediary. */
    async awaitTransfer(id: string, code: string): Promise<{ payment: Payment; intermediary: Intermediary }> {
      const i = await requireIntermediary(code);
      if (!i.qr)
        throw new ValidationError('Trung gian này không nhận chuyển khoản VietQR / no VietQR here', [
          { path: 'intermediary', message: 'no collection account' },
        ]);
      const now = clock.now();
      const p = await db.transaction().execute(async (trx) => {
        const row = await lockById(trx, id);
        if (!row) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
        if (!OPEN_STATUSES.includes(row.status))
          throw new ConflictError('Giao dịch đã kết thúc / the payment is over', { state: row.status });
        if (row.status === 'pending' && row.intermediary === i.code && row.method === 'vietqr')
          return toPayment(row);
        const r = await sql<PaymentRow>`
          update payments.payments set status = 'pending', method = 'vietqr', intermediary = ${i.code},
                 intermediary_txn = null, updated_at = ${now} where id = ${id} returning *`.execute(trx);
        await addEvent(trx, {
          paymentId: id,
          from: row.status,
          to: 'pending',
          source: 'payer',
          at: now,
          details: { vietqr: i.code },
        });
        return toPayment(r.rows[0]!);
      });
      return { payment: p, intermediary: i };
    },

    /** A CONFIRM from an intermediary (already checked for its checksum by the route). */
    async confirm(
      code: string,
      msg: {
        reference: string;
        amount: number;
        txn: string;
        result: 'succeeded' | 'failed' | 'cancelled';
        at: Date;
      },
      /** Written in the same transaction with what was decided (the record of the callback). */
      record?: (trx: AnyTransaction, outcome: SettleOutcome) => Promise<void>,
    ): Promise<SettleOutcome> {
      return db.transaction().execute(async (trx) => {
        const s = await confirmIn(trx, code, msg);
        await record?.(trx, s);
        return s;
      });
    },

    /** A bank transfer to a collection account (VietQR), matched by the reference in its content. */
    async transfer(
      code: string,
      t: { account: string; amount: number; content: string; txn: string; reference: string | undefined },
    ): Promise<{
      outcome: 'matched' | 'unmatched' | 'amount-differs' | 'already-paid' | 'repeat';
      payment?: Payment;
    }> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const ins = await sql<{ txn: string }>`
          insert into payments.transfers (intermediary, txn, account, amount, content, received_at, outcome)
          values (${code}, ${t.txn}, ${t.account}, ${t.amount}, ${t.content}, ${now}, 'unmatched')
          on conflict (intermediary, txn) do nothing returning txn`.execute(trx);
        if (ins.rows.length === 0) return { outcome: 'repeat' as const };
        const settled = t.reference
          ? await settleIn(trx, {
              reference: t.reference,
              amount: t.amount,
              via: { method: 'vietqr', intermediary: code, txn: t.txn },
              source: 'transfer',
              at: now,
            })
          : ({ outcome: 'unknown' } as const);
        const outcome =
          settled.outcome === 'applied'
            ? settled.payment.duplicate
              ? ('already-paid' as const)
              : ('matched' as const)
            : settled.outcome === 'already' || settled.outcome === 'duplicate-money'
              ? ('already-paid' as const)
              : settled.outcome === 'amount-differs'
                ? ('amount-differs' as const)
                : ('unmatched' as const);
        const paymentId = 'payment' in settled ? settled.payment.id : null;
        await sql`update payments.transfers set outcome = ${outcome}, payment_id = ${paymentId}
                   where intermediary = ${code} and txn = ${t.txn}`.execute(trx);
        if (outcome === 'unmatched' || outcome === 'amount-differs') {
          await postSet(
            trx,
            {
              ...unmatchedTransfer({
                intermediary: code,
                amount: t.amount,
                ...(paymentId ? { paymentId } : {}),
              }),
              key: `transfer:${code}:${t.txn}`,
              memo: `Chuyển khoản không khớp: ${t.content}`.slice(0, 300),
            },
            now,
          );
          await appendAudit(
            trx,
            {
              actor: `system:payments.transfer`,
              action: 'payment.transfer-unmatched',
              subject: `transfer:${code}:${t.txn}`,
              data: { amount: t.amount, content: t.content, outcome },
            },
            now,
          );
        }
        return { outcome, ...('payment' in settled ? { payment: settled.payment } : {}) };
      });
    },

    /** Asks the intermediary about a payment and applies what it says; answers the payment after. */
    async requery(id: string): Promise<Payment> {
      const row = await byId(db, id);
      if (!row) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      if (!row.intermediary || row.status === 'succeeded' || row.method === 'cash') return toPayment(row);
      const i = await findIntermediary(db, row.intermediary);
      if (!i) return toPayment(row);
      const now = clock.now();
      const a = await deps.bank.query(i, row.reference, now);
      return db.transaction().execute(async (trx) => {
        if (a.state === 'succeeded') {
          const s = await settleIn(trx, {
            reference: row.reference,
            amount: a.amount ?? Number(row.amount),
            via: { method: row.method ?? 'online', intermediary: i.code, txn: a.txn },
            source: 'query',
            at: now,
          });
          if ('payment' in s) return s.payment;
        }
        const locked = (await lockById(trx, id))!;
        if ((a.state === 'failed' || a.state === 'cancelled') && locked.intermediary === i.code)
          return closeIn(trx, locked, a.state, 'query', now, { intermediary: i.code });
        if (locked.expires_at <= now && OPEN_STATUSES.includes(locked.status) && a.state !== 'pending')
          return closeIn(trx, locked, 'expired', 'expiry', now);
        return toPayment(locked);
      });
    },

    /**
     * A success only the intermediary's settlement file shows (reconciliation: the CONFIRM was lost):
     * applied as news from the file, like any other source (late when the payment had closed).
     */
    async settleFromFile(
      code: string,
      line: { reference: string; amount: number; txn: string; method: PaymentMethod },
    ): Promise<SettleOutcome> {
      return db.transaction().execute((trx) =>
        settleIn(trx, {
          reference: line.reference,
          amount: line.amount,
          via: { method: line.method, intermediary: code, txn: line.txn },
          source: 'settlement',
          at: clock.now(),
        }),
      );
    },

    /** Payments open past their time: asked about once more (pending ones), then expired. */
    async expireDue(limit = 200): Promise<number> {
      const now = clock.now();
      const due = await sql<{ id: string; status: PaymentStatus; intermediary: string | null }>`
        select id, status, intermediary from payments.payments
         where status in ('created', 'pending') and expires_at <= ${now}
         order by expires_at limit ${limit}`.execute(db);
      let n = 0;
      for (const d of due.rows) {
        if (d.status === 'pending' && d.intermediary) {
          const p = await this.requery(d.id).catch(() => undefined);
          if (p && p.status !== 'expired') continue;
          if (p) {
            n++;
            continue;
          }
        }
        await db.transaction().execute(async (trx) => {
          const row = await lockById(trx, d.id);
          if (row && OPEN_STATUSES.includes(row.status) && row.expires_at <= now) {
            await closeIn(trx, row, 'expired', 'expiry', now);
            n++;
          }
        });
      }
      return n;
    },

    /** Pending payments of a certain age, asked about again (the re-query sweep). */
    async requeryPending(
      olderThanMinutes: number,
      youngerThanMinutes: number | null,
      limit = 200,
    ): Promise<number> {
      const now = clock.now();
      const rows = await sql<{ id: string }>`
        select id from payments.payments
         where status = 'pending' and method <> 'cash'
           and updated_at <= ${new Date(now.getTime() - olderThanMinutes * 60_000)}
           ${youngerThanMinutes === null ? sql`` : sql`and updated_at > ${new Date(now.getTime() - youngerThanMinutes * 60_000)}`}
         order by updated_at limit ${limit}`.execute(db);
      let changed = 0;
      for (const r of rows.rows) {
        const p = await this.requery(r.id).catch(() => undefined);
        if (p && p.status !== 'pending') changed++;
      }
      return changed;
    },

    /** Cash at the counter, recorded by a cashier of the payee agency (the same ledger). */
    async recordCash(id: string, officerId: string, cashAgency: string): Promise<Payment> {
      const row = await byId(db, id);
      if (!row) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      if (row.status === 'succeeded')
        throw new ConflictError('Khoản này đã được nộp / already paid', { state: 'succeeded' });
      const s = await db.transaction().execute((trx) =>
        settleIn(trx, {
          reference: row.reference,
          amount: Number(row.amount),
          via: { method: 'cash', cashAgency, txn: null },
          source: 'officer',
          who: officerId,
          at: clock.now(),
        }),
      );
      if (!('payment' in s)) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
      return s.payment;
    },

    /**
     * Cash paid at the counter for a bill (the cashier's "record payment"): the bill's open payment, or a
     * new one, settled as cash in the same ledger. Answers the payment (already paid: the first one).
     */
    async recordCashFor(
      bill: Omit<NewPayment, 'expiresAt'>,
      officerId: string,
      cashAgency: string,
    ): Promise<Payment> {
      const paid = await billPaid(db, bill.billKey);
      if (paid) return toPayment(paid);
      const { payment } = await this.create(bill);
      return this.recordCash(payment.id, officerId, cashAgency);
    },

    /** The payer gave up (the checkout's cancel button). */
    async cancel(id: string, who?: string): Promise<Payment> {
      return db.transaction().execute(async (trx) => {
        const row = await lockById(trx, id);
        if (!row) throw new NotFoundError('Không tìm thấy giao dịch / payment not found');
        return closeIn(trx, row, 'cancelled', 'payer', clock.now(), {}, who);
      });
    },
  };
}
