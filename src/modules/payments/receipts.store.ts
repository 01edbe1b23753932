/**
 * Electronic receipts (biên lai điện tử): issued in the transaction that settles the payment, one per
 * kind of money — phí and lệ phí on separate receipts, a fine with its surcharge on one, a
 * social-insurance contribution on one. The number is the next of the agency's series for the year,
 * taken from a counter row in the same transaction: a rollback gives it back, so numbers have no gaps.
 */
import { sql } from 'kysely';
import { vietnamDate } from '../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../platform/db/index.ts';
import type { LineKind, Payment } from './payments.repository.ts';
import type { Payee } from './registry.repository.ts';

export type ReceiptKind = 'phi' | 'le-phi' | 'fine' | 'social-insurance';

const KIND_OF: Record<LineKind, ReceiptKind> = {
  phi: 'phi',
  'le-phi': 'le-phi',
  fine: 'fine',
  surcharge: 'fine',
  'social-insurance': 'social-insurance',
};
const LETTER: Record<ReceiptKind, string> = { phi: 'P', 'le-phi': 'L', fine: 'X', 'social-insurance': 'B' };

/** "UBND01P/26E": the agency's series, the kind's letter, the year, E for electronic. */
export function seriesOf(payeeSeries: string, kind: ReceiptKind, year: number): string {
  return `${payeeSeries}${LETTER[kind]}/${String(year % 100).padStart(2, '0')}E`;
}

export interface Receipt {
  id: string;
  paymentId: string;
  kind: ReceiptKind;
  agencyCode: string;
  year: number;
  series: string;
  number: number;
  amount: number;
  issuedAt: Date;
}

export async function issueReceipts(
  trx: AnyTransaction,
  p: Payment,
  payee: Payee,
  at: Date,
): Promise<Receipt[]> {
  const sums = new Map<ReceiptKind, number>();
  for (const l of p.lines) sums.set(KIND_OF[l.kind], (sums.get(KIND_OF[l.kind]) ?? 0) + l.amount);
  const year = Number(vietnamDate(at).slice(0, 4));
  const out: Receipt[] = [];
  for (const [kind, amount] of sums) {
    const series = seriesOf(payee.receiptSeries, kind, year);
    // The next number and the receipt in one statement: the counter row stays locked to the commit.
    const r = await sql<{ id: string; number: number }>`
      with c as (
        insert into payments.receipt_counters (agency_code, year, series, last_number)
        values (${payee.agencyCode}, ${year}, ${series}, 1)
        on conflict (agency_code, year, series) do update set last_number = payments.receipt_counters.last_number + 1
        returning last_number)
      insert into payments.receipts (payment_id, kind, agency_code, year, series, number, amount, issued_at)
      select ${p.id}, ${kind}, ${payee.agencyCode}, ${year}, ${series}, c.last_number, ${amount}, ${at} from c
      returning id, number`.execute(trx);
    const number = r.rows[0]!.number;
    out.push({
      id: r.rows[0]!.id,
      paymentId: p.id,
      kind,
      agencyCode: payee.agencyCode,
      year,
      series,
      number,
      amount,
      issuedAt: at,
    });
  }
  return out;
}

export async function receiptsOf(db: AnyDb, paymentId: string): Promise<Receipt[]> {
  const r = await sql<{
    id: string;
    payment_id: string;
    kind: ReceiptKind;
    agency_code: string;
    year: number;
    series: string;
    number: number;
    amount: string;
    issued_at: Date;
  }>`select * from payments.receipts where payment_id = ${paymentId} order by kind`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    paymentId: x.payment_id,
    kind: x.kind,
    agencyCode: x.agency_code,
    year: x.year,
    series: x.series,
    number: x.number,
    amount: Number(x.amount),
    issuedAt: x.issued_at,
  }));
}
