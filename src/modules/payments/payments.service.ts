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
import { createCache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../platform/db/index.ts';
import { ConflictError, NotFoundError, UpstreamError, ValidationError } from '../../platform/errors/index.ts';
import { type Dispatcher, enqueue } from '../../platform/outbox/index.ts';
import { paymentSucceeded, unmatchedTransfer } from './domain/ledger.ts';
import { transition } from './domain/states.ts';
import { postSet } from './ledger.store.ts';
import {
  addEvent,
  billPaid,
  byId,
  byReference,
  type EventSource,
  insertOrOpen,
  lockById,
  lockByReference,
  type NewPayment,
  OPEN_STATUSES,
  type Payment,
  type PaymentKind,
  type PaymentMethod,
  type PaymentRow,
  type PaymentStatus,
  toPayment,
} from './payments.repository.ts';
import { issueReceipts } from './receipts.store.ts';
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

const actorOf = (source: EventSource, who?: string): string =>
  who
    ? source === 'officer'
      ? `officer:${who}`
      : source === 'payer'
        ? `user:${who}`
        : `client:${who}`
    : `system:payments.${source}`;

export type PaymentsService = ReturnType<typeof createPaymentsService>;

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

export function createPaymentsService(deps: PaymentsServiceDeps) {
  const { db, clock } = deps;
  const lifetime = deps.lifetimeMinutes ?? 24 * 60;
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

    events: (id: string) => import('./payments.repository.ts').then((m) => m.eventsOf(db, id)),
  };
}
