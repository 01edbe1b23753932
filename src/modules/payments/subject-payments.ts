/**
 * What other modules ask the payment platform about their own subjects: the payments of a subject (a
 * dossier's fees, newest first, with their bill keys), and whether an agency collects online (an
 * onboarded payee at the agency or above it).
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import type { PaymentKind, PaymentMethod, PaymentStatus } from './payments.repository.ts';
import { payeeAmong } from './registry.repository.ts';

export interface SubjectPayment {
  id: string;
  reference: string;
  billKey: string;
  amount: number;
  status: PaymentStatus;
  method: PaymentMethod | null;
  createdAt: Date;
  succeededAt: Date | null;
}

/** The payments of a subject of a kind (e.g. `dossier-fee`, the dossier's code), newest first. */
export async function paymentsOfSubject(
  db: AnyDb,
  kind: PaymentKind,
  subject: string,
): Promise<SubjectPayment[]> {
  const r = await sql<{
    id: string;
    reference: string;
    bill_key: string;
    amount: string | number;
    status: PaymentStatus;
    method: PaymentMethod | null;
    created_at: Date;
    succeeded_at: Date | null;
  }>`select id, reference, bill_key, amount, status, method, created_at, succeeded_at
       from payments.payments where kind = ${kind} and subject = ${subject}
      order by created_at desc limit 50`.execute(db);
  return r.rows.map((p) => ({
    id: p.id,
    reference: p.reference,
    billKey: p.bill_key,
    amount: Number(p.amount),
    status: p.status,
    method: p.method,
    createdAt: p.created_at,
    succeededAt: p.succeeded_at,
  }));
}

/** Does the agency (its lineage, nearest first) have an onboarded payee: can it collect online? */
export async function collectsOnline(db: AnyDb, lineage: readonly string[]): Promise<boolean> {
  return (await payeeAmong(db, [...lineage])) !== undefined;
}

/** The hosted checkout of a payment (payments' own page), and its result page with the receipts. */
export const checkoutPath = (paymentId: string) => `/thanh-toan/${encodeURIComponent(paymentId)}`;
export const resultPath = (paymentId: string) => `${checkoutPath(paymentId)}/ket-qua`;
