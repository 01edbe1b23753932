/**
 * The late-payment surcharge of an administrative fine (rules.md "Administrative fines"; Law on Handling
 * Administrative Violations art. 78, Circular 18/2023/TT-BTC): the fine is due within 10 days of the
 * decision; after that 0.05 % of the unpaid amount per calendar day late, simple (not compounded), counted
 * from the day after the deadline to the day before payment.
 *
 * For decision date D and payment date P (Vietnam dates, 'YYYY-MM-DD'):
 *   deadline = D + 10 days; late days = max(0, P − D − 11); surcharge = round-half-up(amount × 5 × days / 10 000).
 * So paying on D + 10 or D + 11 costs nothing extra, and D + 12 costs one day.
 *
 * Suspension of enforcement, and a reduction or instalment request under review, stop the count: the caller
 * passes the days to leave out (`excludedDays`, 0 by default) since this module knows no such events.
 */
import { ValidationError } from '../../../platform/errors/index.ts';

export const FINE_PAYMENT_DAYS = 10;
/** 0.05 % per day = 5 per 10 000. */
export const SURCHARGE_PER_DAY_PER_10000 = 5;
/** A fine larger than this (one trillion đồng) is a data error. */
export const MAX_FINE = 1_000_000_000_000;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' calendar date; undefined unless a real date. */
export function dayNumber(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return t / DAY_MS;
}

/** The 'YYYY-MM-DD' of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface FineInput {
  /** Integer đồng, the unpaid amount of the decision. */
  amount: number;
  /** Date of the decision, 'YYYY-MM-DD'. */
  decidedOn: string;
  /** Date of payment (Vietnam date), 'YYYY-MM-DD', not before the decision. */
  paidOn: string;
  /** Days not counted (enforcement suspended, request under review); default 0. */
  excludedDays?: number;
}

export interface FineDue {
  /** The last day to pay without a surcharge, 'YYYY-MM-DD'. */
  deadline: string;
  lateDays: number;
  surcharge: number;
  total: number;
}

const bad = (path: string, vi: string, en: string) =>
  new ValidationError(`${vi} / ${en}`, [{ path, message: `${vi} / ${en}` }]);

/** Deadline, late days, surcharge and total of a fine paid on `paidOn`. Throws ValidationError on bad input. */
export function fineSurcharge(input: FineInput): FineDue {
  const { amount, decidedOn, paidOn, excludedDays = 0 } = input;
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_FINE)
    throw bad(
      'amount',
      'Số tiền phạt phải là số đồng nguyên, không âm',
      'the fine must be a whole, non-negative number of đồng',
    );
  const d = dayNumber(decidedOn);
  if (d === undefined)
    throw bad(
      'decidedOn',
      `Ngày quyết định "${decidedOn}" không hợp lệ (dạng YYYY-MM-DD)`,
      'invalid decision date (YYYY-MM-DD)',
    );
  const p = dayNumber(paidOn);
  if (p === undefined)
    throw bad(
      'paidOn',
      `Ngày nộp "${paidOn}" không hợp lệ (dạng YYYY-MM-DD)`,
      'invalid payment date (YYYY-MM-DD)',
    );
  if (p < d)
    throw bad(
      'paidOn',
      'Ngày nộp không được trước ngày quyết định',
      'the payment date cannot be before the decision date',
    );
  if (!Number.isSafeInteger(excludedDays) || excludedDays < 0)
    throw bad(
      'excludedDays',
      'Số ngày không tính phải là số nguyên không âm',
      'excluded days must be a whole number ≥ 0',
    );

  const lateDays = Math.max(0, p - d - (FINE_PAYMENT_DAYS + 1) - excludedDays);
  // BigInt: amount × 5 × days can pass 2^53 for large fines paid years late.
  const surcharge = Number(
    (BigInt(amount) * BigInt(SURCHARGE_PER_DAY_PER_10000) * BigInt(lateDays) + 5_000n) / 10_000n,
  );
  return { deadline: isoDate(d + FINE_PAYMENT_DAYS), lateDays, surcharge, total: amount + surcharge };
}
