/**
 * What a dossier awaiting payment (status 6, "Chờ thực hiện nghĩa vụ tài chính") asks of the applicant:
 * the amount in đồng and what it is for. The processor confirms or corrects it when asking for payment;
 * the portal suggests it from the procedure's fee lines (catalogue `computeFee`) with what the e-form
 * declared — the pages (soTrang) and copies (soBan) of a certified copy. Until online payment lands, the
 * applicant pays at the receiving unit's counter and a cashier records it.
 */
import { ValidationError } from '../../platform/errors/index.ts';
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

/** "10.000 đồng" (platform/i18n). */
export { dong } from '../../platform/i18n/index.ts';

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

/** A payment as the processor asked for it: whole đồng, and what it is for (400 otherwise). */
export function checkedPayment(given: PaymentRequest): PaymentRequest & { suggested: false } {
  const items = given.items.normalize('NFC').trim();
  if (!Number.isSafeInteger(given.amount) || given.amount < 0 || given.amount > MAX_AMOUNT)
    throw new ValidationError('Số tiền phải là số đồng nguyên, không âm.', [
      { path: 'payment.amount', message: 'integer đồng, 0 or more' },
    ]);
  if (items === '' || items.length > 1000)
    throw new ValidationError('Cần ghi khoản phải nộp (phí, lệ phí gì), tối đa 1.000 ký tự.', [
      { path: 'payment.items', message: '1–1000 characters' },
    ]);
  return { amount: given.amount, items, suggested: false };
}

/** A payment asked for without an amount: what the fee lines come to (400 when they cannot say). */
export function suggestedPayment(
  fees: readonly FeeLineRef[],
  formData: Record<string, unknown>,
): PaymentRequest & { suggested: true } {
  const s = suggestPayment(fees, formData);
  if (s.amount === undefined)
    throw new ValidationError('Cần nhập số tiền phải nộp: không tính được từ biểu phí của thủ tục.', [
      { path: 'payment.amount', message: 'required for this procedure' },
    ]);
  return { amount: s.amount, items: s.items || 'Phí, lệ phí giải quyết thủ tục', suggested: true };
}
