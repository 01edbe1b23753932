/**
 * The steps of submission and of a workflow action that concern the fee (issue 17): whether a filing
 * pays first, what a dossier owes now (its bill, rebuilt from the history row that asked for it), cash
 * at the counter put into the payments ledger, and the applicant's `payment.requested` message.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import { AppError, ConflictError } from '../../platform/errors/index.ts';
import { dong } from '../../platform/i18n/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import {
  billKeyOf,
  type FeeBill,
  type FeeBillLine,
  type FeePayments,
  feeLinesOf,
  linesTotal,
} from './dossiers.fees.ts';
import type { People, ProcedureForFiling } from './dossiers.ports.ts';
import * as repo from './dossiers.repository.ts';
import type { SubmitInput } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

/** What a dossier owes now: the request's number, its lines and what it is for. */
export interface DueFee {
  requestNo: number;
  amount: number;
  items: string;
  lines: FeeBillLine[];
}

/**
 * The fee a filing pays before it is received, or undefined (paid after, or at the counter): the
 * procedure says `before`, its fee lines for the channel come to more than 0 for this e-form, and the
 * competent agency collects online (an onboarded payee up its lineage). Otherwise the dossier follows
 * one-stop v1 and the fee is asked for at status 6.
 */
export async function feeOfFiling(
  payments: FeePayments | undefined,
  procedure: ProcedureForFiling,
  input: Pick<SubmitInput, 'channel' | 'formData'>,
  competentAgency: string,
): Promise<{ amount: number; items: string; lines: FeeBillLine[] } | undefined> {
  if (!payments || procedure.payment !== 'before') return undefined;
  const fees = procedure.channels.find((c) => c.channel === input.channel)?.fees ?? [];
  const lines = feeLinesOf(procedure.code, fees, input.formData);
  if (!lines || linesTotal(lines) <= 0) return undefined;
  if (!(await payments.collectsOnline(competentAgency))) return undefined;
  return { amount: linesTotal(lines), items: lines.map((l) => l.name).join('; '), lines };
}

/** The fee the dossier owes in its present state (awaiting payment, or status 6), from its history. */
export async function dueFee(db: Kysely<DossiersTables>, row: repo.DossierRow): Promise<DueFee | undefined> {
  const asks =
    row.state === 'awaiting-payment'
      ? 'submit'
      : row.state === 'payment-requested'
        ? 'request-payment'
        : null;
  if (!asks) return undefined;
  const history = (await repo.findHistory(db, row.code)).filter((h) => h.action === asks);
  const last = history[history.length - 1];
  const p = last?.details.payment as
    | { amount?: number; items?: string; requestNo?: number; lines?: FeeBillLine[] }
    | undefined;
  if (!p || typeof p.amount !== 'number' || p.amount <= 0) return undefined;
  const items = p.items ?? 'Phí, lệ phí giải quyết thủ tục';
  const requestNo = p.requestNo ?? history.length;
  // A request from before online payment kept no lines: one lệ phí line of the amount.
  const lines = p.lines?.length
    ? p.lines
    : [
        {
          kind: 'le-phi' as const,
          code: `${row.procedure_code}.yeu-cau.${requestNo}`,
          name: items,
          amount: p.amount,
        },
      ];
  return { requestNo, amount: p.amount, items, lines };
}

/**
 * The bill of what the dossier owes. The payee is the competent agency: the fee is the revenue (phí) or
 * budget charge (lệ phí) of the agency that handles the matter, whichever desk takes the money; the
 * payments module collects for the nearest onboarded payee up its lineage.
 */
export function billOf(row: repo.DossierRow, due: DueFee): FeeBill {
  return {
    kind: 'dossier-fee',
    subject: row.code,
    billKey: billKeyOf(row.code, due.requestNo),
    lines: due.lines,
    description: `Phí, lệ phí hồ sơ ${row.code}: ${row.procedure_name}`.slice(0, 500),
    payeeAgency: row.competent_agency_code,
    payer: {
      accountId: row.applicant_account_id,
      name: row.applicant_name,
      idNumber: row.applicant_id_number,
    },
    details: { dossierCode: row.code, procedureCode: row.procedure_code, requestNo: due.requestNo },
  };
}

/**
 * Cash at the counter (the cashier's record-payment or pay-fee): recorded in the payments ledger at the
 * receiving unit's till. 409 when the fee was already paid online; nothing recorded (undefined) when
 * nothing is due in đồng or the agency does not collect through the portal (it keeps its own books).
 */
export async function cashAtCounter(
  db: Kysely<DossiersTables>,
  payments: FeePayments,
  row: repo.DossierRow,
  officerId: string,
): Promise<{ paymentId: string; reference: string } | undefined> {
  const due = await dueFee(db, row);
  if (!due) return undefined;
  let paid: Awaited<ReturnType<FeePayments['recordCash']>>;
  try {
    paid = await payments.recordCash(billOf(row, due), officerId, row.receiving_agency_code);
  } catch (e) {
    if (e instanceof AppError && e.status === 409 && e.extras.state === 'not-onboarded') return undefined;
    throw e;
  }
  if (paid.method !== 'cash')
    throw new ConflictError(
      `Hồ sơ ${row.code} đã được nộp phí, lệ phí trực tuyến (mã thanh toán ${paid.reference}); không thu tiền mặt lần nữa. / The fee was already paid online; no cash is taken.`,
      { state: 'paid-online', reference: paid.reference },
    );
  return { paymentId: paid.id, reference: paid.reference };
}

/**
 * Asking for payment: the applicant's `payment.requested` (amount, items, the link to pay), written in
 * the action's transaction. It replaces the generic status message for this action (dossiers.notify.ts
 * skips `request-payment`): one message that says both. The link pays online when the agency collects
 * online, else leads to the dossier page (how to pay at the counter).
 */
export async function paymentRequestedNotice(
  people: People,
  payments: FeePayments | undefined,
  publicUrl: string | undefined,
  row: repo.DossierRow,
  details: Record<string, unknown>,
): Promise<((trx: Transaction<DossiersTables>) => Promise<void>) | undefined> {
  const p = details.payment as { amount: number; items: string; requestNo: number } | undefined;
  if (!p || p.amount <= 0) return undefined;
  const [contact, online] = await Promise.all([
    people.contactOf?.(row.applicant_account_id),
    payments ? payments.collectsOnline(row.competent_agency_code) : Promise.resolve(false),
  ]);
  const page = `${publicUrl ?? ''}/ho-so/${encodeURIComponent(row.code)}`;
  return (trx) =>
    notifyAccount(trx as unknown as AnyDb, {
      accountId: row.applicant_account_id,
      sms: contact?.phone ?? null,
      email: contact?.email ?? null,
      template: 'payment.requested',
      params: {
        code: row.code,
        procedure: row.procedure_name,
        amount: dong(p.amount),
        items: p.items,
        link: online ? `${page}/nop-phi` : page,
      },
      dedupeKey: `payment.requested:${row.code}:${p.requestNo}`,
    });
}
