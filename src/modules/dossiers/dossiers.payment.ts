/**
 * What a dossier awaiting payment (status 6, "Chờ thực hiện nghĩa vụ tài chính") asks of the applicant:
 * the amount in đồng and what it is for. The processor confirms or corrects it when asking for payment;
 * the portal suggests it from the procedure's fee lines (catalogue `computeFee`) with what the e-form
 * declared — the pages (soTrang) and copies (soBan) of a certified copy. Until online payment lands, the
 * applicant pays at the receiving unit's counter and a cashier records it.
 */
import { computeFee, type FeeFormula } from '../catalogue/index.ts';

export interface FeeLineRef {
  kind: 'phi' | 'le-phi';
  name: string;
  formula: FeeFormula;
}

export interface PaymentRequest {
  /** Integer đồng. */
  amount: number;
  /** What it is for, as the applicant reads it. */
  items: string;
}

/** The e-form's answer of a count (pages, copies): a whole number from 1, or undefined. */
function count(formData: Record<string, unknown>, key: string): number | undefined {
  const v = formData[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : undefined;
}

/**
 * The amount the fee lines come to for this e-form, and their names; `amount` is undefined when a line
 * needs what the e-form does not say (a declared base, a decided amount): the processor enters it.
 */
export function suggestPayment(
  fees: readonly FeeLineRef[],
  formData: Record<string, unknown>,
): { amount: number | undefined; items: string } {
  const units = count(formData, 'soTrang');
  const quantity = count(formData, 'soBan') ?? 1;
  let amount: number | undefined = 0;
  for (const f of fees) {
    try {
      amount =
        amount === undefined
          ? undefined
          : amount + computeFee(f.formula, { ...(units !== undefined ? { units } : {}), quantity });
    } catch {
      amount = undefined;
    }
  }
  const items = fees
    .filter((f) => f.formula.type !== 'free')
    .map((f) => f.name)
    .join('; ');
  return { amount, items };
}

/** "10.000 đồng" */
export function dong(amount: number): string {
  return `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;
}

const MAX_AMOUNT = 1_000_000_000_000;

/** The processor's entry of an amount ("10.000", "10000", "10 000 đ") as integer đồng, or undefined. */
export function parseAmount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Vietnamese writes thousands with a dot and decimals with a comma: a comma has no place in đồng.
  const digits = text.replace(/[.\s_]|đồng|đ|VND/gi, '');
  if (!/^\d{1,13}$/.test(digits)) return undefined;
  const n = Number(digits);
  return n <= MAX_AMOUNT ? n : undefined;
}
