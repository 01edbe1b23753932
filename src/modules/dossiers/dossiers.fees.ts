/**
 * A dossier's fee as a bill (issue 17, dossier fees): the procedure's fee lines (phí, lệ phí, with their
 * formulas) worked out for what the e-form declared, as the payments module's lines; the lines of a
 * payment the processor asks for; the bill key. Pure: no I/O.
 *
 * The rule when the processor asks for an amount of their own (request-payment): the fee lines are kept
 * when they add up to it; otherwise the bill is one line of the amount asked, named by what the processor
 * wrote, of the kind of the procedure's largest fee line (lệ phí when the procedure has none). The
 * processor's amount is what the applicant owes; the lines only split it between phí (the agency's
 * revenue) and lệ phí (the State budget), which the ledger posts apart.
 */
import { computeFee } from '../catalogue/index.ts';
import type { FeeLineRef } from './dossiers.payment.ts';

/** A line of a bill, as the payments module takes it (`PaymentLine` of kind phí or lệ phí). */
export interface FeeBillLine {
  kind: 'phi' | 'le-phi';
  code: string;
  name: string;
  /** Integer đồng, above 0. */
  amount: number;
}

/** The bill of a dossier's fee, as the payments module's `create` takes it (kind `dossier-fee`). */
export interface FeeBill {
  kind: 'dossier-fee';
  subject: string;
  billKey: string;
  lines: FeeBillLine[];
  description: string;
  payeeAgency: string;
  payer: { accountId: string; name: string; idNumber: string | null };
  details: Record<string, unknown>;
}

/** What the payments module says of a payment of a dossier's fee. */
export interface FeePayment {
  id: string;
  reference: string;
  billKey: string;
  amount: number;
  status: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'cancelled';
  method: 'online' | 'vietqr' | 'cash' | null;
  succeededAt: Date | null;
  /** The payments module's page of its result and receipts. */
  resultUrl: string;
}

/**
 * What the dossiers module needs of the payments module (wired in app.ts): whether an agency collects
 * online (an onboarded payee up its lineage), a bill made payable (one open payment per bill key), cash
 * recorded in the same ledger, and the payments of a dossier.
 */
export interface FeePayments {
  collectsOnline(agencyCode: string): Promise<boolean>;
  create(bill: FeeBill): Promise<{ id: string; checkoutUrl: string }>;
  /** Cash at the counter for the bill; answers the bill's payment (the earlier one if already paid). */
  recordCash(bill: FeeBill, officerId: string, cashAgency: string): Promise<FeePayment>;
  paymentsOf(code: string): Promise<FeePayment[]>;
}

/** What the payments module tells after a success (the `dossier-fee` effect). */
export interface PaymentNews {
  paymentId: string;
  reference: string;
  amount: number;
  method: string | null;
  /** The payment request's number, from the bill key (1 for a fee paid before). */
  requestNo: number;
  paidAt: Date;
}

/** `dossier-fee:<code>:<n>`: n is the number of the payment request (1 for a fee paid before filing). */
export const billKeyOf = (code: string, requestNo: number) => `dossier-fee:${code}:${requestNo}`;

/** The code and request number of a bill key; undefined when it is not a dossier fee's. */
export function parseBillKey(key: string): { code: string; requestNo: number } | undefined {
  const m = /^dossier-fee:(.+):([1-9]\d{0,5})$/.exec(key);
  return m ? { code: m[1]!, requestNo: Number(m[2]) } : undefined;
}

function count(formData: Record<string, unknown>, key: string): number | undefined {
  const v = formData[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : undefined;
}

/**
 * The procedure's fee lines for this e-form (pages `soTrang`, copies `soBan`, as dossiers.payment.ts
 * reads them), free and zero lines left out; undefined when a line needs what the e-form does not say
 * (a declared base, a decided amount). Codes: `<procedure>.<kind>.<n>` (n: the line's place, from 1).
 */
export function feeLinesOf(
  procedureCode: string,
  fees: readonly FeeLineRef[],
  formData: Record<string, unknown>,
): FeeBillLine[] | undefined {
  const units = count(formData, 'soTrang');
  const quantity = count(formData, 'soBan') ?? 1;
  const lines: FeeBillLine[] = [];
  for (const [i, f] of fees.entries()) {
    let amount: number;
    try {
      amount = computeFee(f.formula, { ...(units !== undefined ? { units } : {}), quantity });
    } catch {
      return undefined;
    }
    if (amount > 0)
      lines.push({ kind: f.kind, code: `${procedureCode}.${f.kind}.${i + 1}`, name: f.name, amount });
  }
  return lines;
}

export const linesTotal = (lines: readonly FeeBillLine[]) => lines.reduce((s, l) => s + l.amount, 0);

/**
 * The lines of a payment asked for (`amount`, what it is for `items`): the fee lines when they add up to
 * the amount, else one line of the amount (see the module comment); none for 0 đồng.
 */
export function requestLines(
  procedureCode: string,
  requestNo: number,
  feeLines: readonly FeeBillLine[] | undefined,
  fees: readonly FeeLineRef[],
  amount: number,
  items: string,
): FeeBillLine[] {
  if (amount <= 0) return [];
  if (feeLines && feeLines.length > 0 && linesTotal(feeLines) === amount) return [...feeLines];
  let kind: FeeBillLine['kind'] = 'le-phi';
  let largest = -1;
  for (const f of fees) {
    const fixed = f.formula.type === 'fixed' ? f.formula.amount : 0;
    const line = feeLines?.find((l) => l.name === f.name)?.amount ?? fixed;
    if (f.formula.type !== 'free' && line > largest) {
      largest = line;
      kind = f.kind;
    }
  }
  return [{ kind, code: `${procedureCode}.yeu-cau.${requestNo}`, name: items.slice(0, 300), amount }];
}
