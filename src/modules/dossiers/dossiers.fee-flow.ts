/**
 * A dossier's fee paid online (issue 17): the bill the applicant pays (REST bill source and the
 * "Nộp phí, lệ phí trực tuyến" link), and what follows a success the payments module tells
 * (`paymentReceived`, its `dossier-fee` effect, delivered at least once):
 * - a fee paid before (one-stop-prepaid, `awaiting-payment`): the dossier is submitted, its clock
 *   starting at the payment (the due date counted from then), and announced (`dossier.status-changed`,
 *   action `submit`: agency systems first hear of it now);
 * - a fee asked for at status 6: a system action back to processing, as the cashier's record-payment.
 * A success for a request that is no longer the open one (withdrawn, stopped, asked again) changes
 * nothing: the money stays in the ledger for a refund.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, NotFoundError } from '../../platform/errors/index.ts';
import type { STATUS } from '../../platform/kernel/index.ts';
import { enqueue } from '../../platform/outbox/index.ts';
import { dossierDue, stepDue } from './domain/deadline.ts';
import { findProcess } from './domain/processes.ts';
import { billOf, dueFee } from './dossiers.fee-steps.ts';
import type { FeeBill, FeePayment, FeePayments, PaymentNews } from './dossiers.fees.ts';
import type { WorkingTimeFor } from './dossiers.ports.ts';
import * as repo from './dossiers.repository.ts';
import { STATUS_CHANGED } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

const METHOD_TEXT: Record<string, string> = {
  online: 'trực tuyến',
  vietqr: 'chuyển khoản VietQR',
  cash: 'tiền mặt tại quầy',
};

export function createFeeFlow(deps: {
  db: Kysely<DossiersTables>;
  clock: Clock;
  workingTimeFor: WorkingTimeFor;
  payments?: FeePayments | undefined;
}) {
  const { db } = deps;

  /** The dossier if `accountId` is its applicant (or filed it); 404 otherwise, like a missing one. */
  async function owned(accountId: string | null, code: string) {
    const row = await repo.findDossier(db, code);
    if (
      !row ||
      !accountId ||
      (row.applicant_account_id !== accountId && row.filed_by_account_id !== accountId)
    )
      throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
    return row;
  }

  async function billFor(accountId: string | null, code: string): Promise<FeeBill> {
    const row = await owned(accountId, code);
    const due = await dueFee(db, row);
    if (!due)
      throw new ConflictError(
        `Hồ sơ ${code} không có khoản phí, lệ phí nào đang chờ nộp. / Nothing is due.`,
        {
          state: row.state,
        },
      );
    return billOf(row, due);
  }

  /** The system's move after a success, in one transaction; false when nothing was to change. */
  async function apply(row: repo.DossierRow, news: PaymentNews): Promise<boolean> {
    const definition = findProcess(row.process_id, row.process_version);
    if (!definition) return false;
    const due = await dueFee(db, row);
    if (!due || due.requestNo !== news.requestNo) return false;
    const how = METHOD_TEXT[news.method ?? ''] ?? 'trực tuyến';
    const content = `Đã nộp phí, lệ phí ${how} (mã thanh toán ${news.reference})`;
    const at = news.paidAt;
    const now = deps.clock.now();
    const revision = row.revision + 1;
    if (row.state === 'awaiting-payment') {
      // The clock starts at the payment, in the receiving unit's calendar of that day.
      const wt = await deps.workingTimeFor(row.receiving_agency_code, at);
      const time = { amount: Number(row.processing_amount), unit: row.processing_unit };
      const due = dossierDue(wt, { receivedAt: at, time, rule15h: row.rule_15h });
      const submitted = definition.states.submitted!;
      return db.transaction().execute(async (trx) => {
        const ok = await repo.updateDossierAtRevision(trx, row.code, row.revision, {
          state: 'submitted',
          status: submitted.status,
          submitted_at: at,
          original_due_at: due,
          due_at: due,
          state_entered_at: at,
          step_due_at: stepDue(wt, at, submitted.limit, due) ?? null,
          updated_at: now,
        });
        if (!ok) return false;
        await repo.insertHistory(
          trx,
          systemHistory(row, 'pay-fee', 'submitted', submitted.status, content, at, news),
        );
        await enqueue(
          trx,
          STATUS_CHANGED,
          {
            code: row.code,
            action: 'submit',
            from: null,
            to: { state: 'submitted', status: submitted.status },
            at: at.toISOString(),
            procedureCode: row.procedure_code,
            applicantAccountId: row.applicant_account_id,
            receivingAgencyCode: row.receiving_agency_code,
            competentAgencyCode: row.competent_agency_code,
            dueAt: due.toISOString(),
            revision,
          },
          { dedupeKey: `${row.code}@${revision}` },
        );
        await audit(trx, row, 'awaiting-payment', 'submitted', revision, news, now);
        return true;
      });
    }
    // Status 6 → processing, as the cashier's record-payment (one-stop v1's transition).
    const spec = definition.actions['record-payment']!;
    const to = spec.to!;
    const next = definition.states[to]!;
    return db.transaction().execute(async (trx) => {
      const ok = await repo.updateDossierAtRevision(trx, row.code, row.revision, {
        state: to,
        status: next.status,
        state_entered_at: at,
        step_due_at: next.limit === 'dossier-due' ? row.due_at : row.step_due_at,
        updated_at: now,
      });
      if (!ok) return false;
      await repo.insertHistory(trx, systemHistory(row, 'record-payment', to, next.status, content, at, news));
      await enqueue(
        trx,
        STATUS_CHANGED,
        {
          code: row.code,
          action: 'record-payment',
          from: { state: row.state, status: row.status },
          to: { state: to, status: next.status },
          at: at.toISOString(),
          procedureCode: row.procedure_code,
          applicantAccountId: row.applicant_account_id,
          receivingAgencyCode: row.receiving_agency_code,
          competentAgencyCode: row.competent_agency_code,
          dueAt: row.due_at.toISOString(),
          revision,
        },
        { dedupeKey: `${row.code}@${revision}` },
      );
      await audit(trx, row, row.state, to, revision, news, now);
      return true;
    });
  }

  return {
    /** The REST bill source (`POST /api/v1/payments {kind: 'dossier-fee', dossierCode}`): 404 / 409. */
    billFor,

    /** "Nộp phí, lệ phí trực tuyến": the bill made payable; answers the payment to check out. */
    async payNow(accountId: string, code: string): Promise<{ id: string; checkoutUrl: string }> {
      if (!deps.payments)
        throw new ConflictError(
          'Chưa mở thanh toán trực tuyến; vui lòng nộp tại quầy. / Online payment is not open.',
        );
      return deps.payments.create(await billFor(accountId, code));
    },

    /** The dossier's payments, for its applicant (404 otherwise). */
    async paymentsOf(accountId: string, code: string): Promise<FeePayment[]> {
      await owned(accountId, code);
      return deps.payments ? deps.payments.paymentsOf(code) : [];
    },

    /**
     * After a success (the payments module's `dossier-fee` effect, at least once): moves the dossier on
     * if the payment is for what it owes now; a repeat, or news for a request no longer open, changes
     * nothing. Answers whether it moved the dossier.
     */
    async paymentReceived(code: string, news: PaymentNews): Promise<boolean> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const row = await repo.findDossier(db, code);
        if (!row || (row.state !== 'awaiting-payment' && row.state !== 'payment-requested')) return false;
        if (await apply(row, news)) return true;
        // An officer's action got there first: read again (it may have moved on).
      }
      return false;
    },
  };
}

export type FeeFlow = ReturnType<typeof createFeeFlow>;

function systemHistory(
  row: repo.DossierRow,
  action: string,
  to: string,
  status: (typeof STATUS)[keyof typeof STATUS],
  content: string,
  at: Date,
  news: PaymentNews,
) {
  return {
    dossier_code: row.code,
    recorded_at: at,
    action,
    from_state: row.state,
    to_state: to,
    status,
    actor_kind: 'system' as const,
    actor_account_id: null,
    actor_name: 'Hệ thống',
    actor_title: null,
    department: null,
    agency_code: null,
    content,
    step_started_at: row.state_entered_at,
    step_due_at: row.step_due_at,
    form: null,
    details: JSON.stringify({
      paid: {
        paymentId: news.paymentId,
        reference: news.reference,
        amount: news.amount,
        method: news.method,
        requestNo: news.requestNo,
      },
    }),
  };
}

async function audit(
  trx: Transaction<DossiersTables>,
  row: repo.DossierRow,
  from: string,
  to: string,
  revision: number,
  news: PaymentNews,
  now: Date,
) {
  await appendAudit(
    trx,
    {
      actor: 'system:dossiers.payment',
      action: 'dossier.fee-paid',
      subject: `dossier:${row.code}`,
      data: { from, to, revision, payment: news.paymentId, reference: news.reference, amount: news.amount },
    },
    now,
  );
}
