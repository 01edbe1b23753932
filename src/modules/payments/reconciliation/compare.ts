/**
 * The comparison of a settlement file's rows with what the portal recorded (pure: the caller reads the
 * rows' payments, refunds and known transactions first). Answers the mismatches found, the rows to post
 * as settlement (money the portal holds a receivable for), and how many rows matched.
 */
import type { PaymentRow } from '../payments.repository.ts';
import type { Finding } from './items.ts';
import type { SettlementLine } from './settlement-file.ts';

export function compareLines(
  code: string,
  lines: readonly SettlementLine[],
  ctx: {
    /** Payments by reference. */
    payments: ReadonlyMap<string, PaymentRow>;
    /** Refunds by id. */
    refunds: ReadonlyMap<string, { id: string; amount: number; status: string; payment_id: string }>;
    /** Transactions the portal recorded as money without a payment of their own (transfers, second payments). */
    known: ReadonlySet<string>;
    /** Transactions the portal just applied from this file. */
    applied: ReadonlySet<string>;
  },
): { findings: Finding[]; settle: Array<{ line: SettlementLine; refund: boolean }>; matched: number } {
  const { payments, refunds, known, applied } = ctx;
  const findings: Finding[] = [];
  const settle: Array<{ line: SettlementLine; refund: boolean }> = [];
  let matched = 0;
  for (const l of lines) {
    const key = `line:${l.type}:${l.txn}`;
    const base = { key, line: l };
    if (l.type === 'REFUND') {
      const r = refunds.get(l.txn);
      if (!r)
        findings.push({
          ...base,
          kind: 'missing-at-portal',
          portalAmount: null,
          portalStatus: null,
          note: 'Hoàn tiền không có trên Cổng / a refund the portal did not make',
        });
      else if (r.amount !== l.amount)
        findings.push({
          ...base,
          kind: 'amount-differs',
          refundId: r.id,
          portalAmount: r.amount,
          portalStatus: r.status,
          note: '',
        });
      else if (r.status !== 'succeeded')
        findings.push({
          ...base,
          kind: 'status-differs',
          refundId: r.id,
          portalAmount: r.amount,
          portalStatus: r.status,
          note: '',
        });
      else {
        matched++;
        settle.push({ line: l, refund: true });
      }
      continue;
    }
    const p = l.reference ? payments.get(l.reference) : undefined;
    const pAmount = p ? Number(p.amount) : null;
    if (l.status === 'THATBAI') {
      const portalSays =
        p && p.intermediary === code && (p.intermediary_txn === l.txn || p.intermediary_txn === null)
          ? p.status
          : null;
      if (p && (portalSays === 'succeeded' || portalSays === 'pending'))
        findings.push({
          ...base,
          kind: 'status-differs',
          payment: p,
          portalAmount: pAmount,
          portalStatus: p.status,
          note: '',
        });
      else matched++;
      continue;
    }
    if (!p) {
      const inClearing = known.has(l.txn);
      findings.push({
        ...base,
        kind: 'missing-at-portal',
        portalAmount: inClearing ? l.amount : null,
        portalStatus: null,
        note: inClearing
          ? 'Tiền đã về tài khoản chờ xử lý, không khớp khoản nộp nào / in payer clearing, matches no payment'
          : 'Cổng không biết giao dịch này / the portal does not know this transaction',
      });
      if (inClearing) settle.push({ line: l, refund: false });
      continue;
    }
    const ownTxn = p.intermediary === code && (p.intermediary_txn === l.txn || p.intermediary_txn === null);
    if (p.status !== 'succeeded') {
      findings.push({
        ...base,
        kind: pAmount !== l.amount ? 'amount-differs' : 'missing-at-portal',
        payment: p,
        portalAmount: pAmount,
        portalStatus: p.status,
        note: 'Cổng chưa ghi nhận thành công / the portal has no success',
      });
      continue;
    }
    if (!ownTxn) {
      if (known.has(l.txn)) {
        findings.push({
          ...base,
          kind: 'duplicate',
          payment: p,
          portalAmount: l.amount,
          portalStatus: p.status,
          note: 'Lần nộp thứ hai của khoản đã nộp: tiền ở tài khoản chờ xử lý / a second payment: the money is in payer clearing',
        });
        settle.push({ line: l, refund: false });
      } else
        findings.push({
          ...base,
          kind: 'missing-at-portal',
          payment: p,
          portalAmount: null,
          portalStatus: p.status,
          note: 'Giao dịch khác của khoản này, Cổng không ghi nhận / another transaction the portal did not record',
        });
      continue;
    }
    if (pAmount !== l.amount) {
      findings.push({
        ...base,
        kind: 'amount-differs',
        payment: p,
        portalAmount: pAmount,
        portalStatus: p.status,
        note: '',
      });
      continue;
    }
    settle.push({ line: l, refund: false });
    if (applied.has(l.txn))
      findings.push({
        ...base,
        kind: 'missing-at-portal',
        payment: p,
        portalAmount: pAmount,
        portalStatus: p.status,
        note: 'Mất thông báo CONFIRM; Cổng ghi nhận theo tệp / CONFIRM lost; applied from the file',
        applied: true,
      });
    else if (p.duplicate)
      findings.push({
        ...base,
        kind: 'duplicate',
        payment: p,
        portalAmount: pAmount,
        portalStatus: p.status,
        note: 'Khoản này đã được nộp bởi giao dịch khác: tiền ở tài khoản chờ xử lý / the bill was paid by another payment: payer clearing',
      });
    else matched++;
  }

  return { findings, settle, matched };
}
