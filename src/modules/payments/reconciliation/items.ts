/**
 * Reconciliation items (a difference between the portal and a settlement file, and how it was resolved):
 * their shapes and words, how rows become items, and the correction set of a write-off.
 */
import { sql } from 'kysely';
import { addDays } from '../../../platform/clock/index.ts';
import type { AnyTransaction } from '../../../platform/db/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { type Posting, postSet } from '../ledger.store.ts';
import type { PaymentRow } from '../payments.repository.ts';
import type { SettlementLine } from './settlement-file.ts';

export type ItemKind =
  | 'missing-at-intermediary'
  | 'missing-at-portal'
  | 'amount-differs'
  | 'status-differs'
  | 'duplicate';
export type ResolutionKind = 'refund' | 'accept' | 'requery' | 'write-off';

export interface ReconciliationItem {
  id: string;
  intermediary: string;
  day: string;
  key: string;
  kind: ItemKind;
  paymentId: string | null;
  payeeAgency: string | null;
  refundId: string | null;
  txn: string | null;
  reference: string | null;
  type: 'PAY' | 'TRANSFER' | 'REFUND' | null;
  portalAmount: number | null;
  intermediaryAmount: number | null;
  portalStatus: string | null;
  intermediaryStatus: string | null;
  at: Date | null;
  note: string;
  state: 'open' | 'resolved';
  resolutionKind: ResolutionKind | 'applied' | null;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
}

export interface ImportOutcome {
  /** new: the first file of the day; same: this content was imported before (nothing stored); new-version. */
  outcome: 'new' | 'same' | 'new-version';
  fileId: number;
  version: number;
  sha256: string;
  lines: number;
  matched: number;
  mismatched: number;
}

export const KIND_TEXT: Record<ItemKind, { vi: string; en: string }> = {
  'missing-at-intermediary': { vi: 'Cổng có, trung gian không có', en: 'Missing at the intermediary' },
  'missing-at-portal': { vi: 'Trung gian có, Cổng không có', en: 'Missing at the portal' },
  'amount-differs': { vi: 'Số tiền khác nhau', en: 'Amounts differ' },
  'status-differs': { vi: 'Trạng thái khác nhau', en: 'Statuses differ' },
  duplicate: { vi: 'Nộp hai lần (tiền chờ hoàn trả)', en: 'Paid twice (payer clearing)' },
};

export const RESOLUTION_TEXT: Record<ResolutionKind | 'applied', { vi: string; en: string }> = {
  accept: { vi: 'Chấp nhận, không điều chỉnh', en: 'Accept, no adjustment' },
  requery: { vi: 'Hỏi lại trung gian (QUERY)', en: 'Ask the intermediary again' },
  refund: { vi: 'Hoàn trả người nộp', en: 'Refund the payer' },
  'write-off': { vi: 'Ghi giảm (bút toán điều chỉnh)', en: 'Write off (correction set)' },
  applied: { vi: 'Cổng đã ghi nhận theo tệp đối soát', en: 'Applied from the settlement file' },
};

export interface ItemRow {
  id: string;
  intermediary: string;
  day: string;
  key: string;
  kind: ItemKind;
  payment_id: string | null;
  payee_agency: string | null;
  refund_id: string | null;
  txn: string | null;
  reference: string | null;
  type: 'PAY' | 'TRANSFER' | 'REFUND' | null;
  portal_amount: string | null;
  intermediary_amount: string | null;
  portal_status: string | null;
  intermediary_status: string | null;
  at: Date | null;
  note: string;
  state: 'open' | 'resolved';
  resolution_kind: ResolutionKind | 'applied' | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

export const toItem = (r: ItemRow): ReconciliationItem => ({
  id: r.id,
  intermediary: r.intermediary,
  day: r.day,
  key: r.key,
  kind: r.kind,
  paymentId: r.payment_id,
  payeeAgency: r.payee_agency,
  refundId: r.refund_id,
  txn: r.txn,
  reference: r.reference,
  type: r.type,
  portalAmount: num(r.portal_amount),
  intermediaryAmount: num(r.intermediary_amount),
  portalStatus: r.portal_status,
  intermediaryStatus: r.intermediary_status,
  at: r.at,
  note: r.note,
  state: r.state,
  resolutionKind: r.resolution_kind,
  resolution: r.resolution,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
});

export const ITEM_SELECT = sql`select i.*, to_char(i.day, 'YYYY-MM-DD') as day, p.payee_agency
  from payments.reconciliation_items i left join payments.payments p on p.id = i.payment_id`;

/** What one comparison found, before it is written. */
export interface Finding {
  key: string;
  kind: ItemKind;
  line?: SettlementLine;
  payment?: PaymentRow;
  refundId?: string | null;
  portalAmount: number | null;
  portalStatus: string | null;
  note: string;
  applied?: boolean;
}

/** The instants [from, to) of a Vietnam day. */
export const dayBounds = (day: string) => ({
  from: new Date(`${day}T00:00:00+07:00`),
  to: new Date(`${addDays(day, 1)}T00:00:00+07:00`),
});

/**
 * The correction set of a write-off: money the portal counted on that the intermediary never settled
 * is taken off the agency's revenue (Dr refunds:<agency>, Cr receivable:<i>); for an amount that
 * differs, the settled amount is posted and the difference either written off (less came) or kept in
 * payer clearing (more came).
 */
export async function writeOff(trx: AnyTransaction, item: ReconciliationItem, now: Date): Promise<void> {
  const agency = item.payeeAgency;
  const receivable = `receivable:${item.intermediary}`;
  let postings: Posting[] = [];
  if (item.kind === 'missing-at-intermediary' && agency && item.portalAmount) {
    postings = [
      { account: `refunds:${agency}`, debit: item.portalAmount, credit: 0 },
      { account: receivable, debit: 0, credit: item.portalAmount },
    ];
  } else if (
    item.kind === 'amount-differs' &&
    item.portalStatus === 'succeeded' &&
    item.type !== 'REFUND' &&
    agency &&
    item.portalAmount &&
    item.intermediaryAmount
  ) {
    const settled = Math.min(item.portalAmount, item.intermediaryAmount);
    const diff = item.intermediaryAmount - item.portalAmount;
    postings =
      diff > 0
        ? [
            { account: 'treasury', debit: item.intermediaryAmount, credit: 0 },
            { account: receivable, debit: 0, credit: settled },
            { account: 'payer-clearing', debit: 0, credit: diff },
          ]
        : [
            { account: 'treasury', debit: settled, credit: 0 },
            { account: `refunds:${agency}`, debit: -diff, credit: 0 },
            { account: receivable, debit: 0, credit: item.portalAmount },
          ];
  } else
    throw new ValidationError(
      'Ghi giảm chỉ dùng cho khoản trung gian không có hoặc lệch số tiền / write-off is for missing or differing amounts',
      [],
    );
  await postSet(
    trx,
    {
      kind: 'correction',
      key: `write-off:${item.id}`,
      paymentId: item.paymentId ?? undefined,
      memo: `Ghi giảm theo đối soát ${item.intermediary} ngày ${item.day}: ${item.txn ?? item.reference ?? ''}`,
      postings,
    },
    now,
  );
}
