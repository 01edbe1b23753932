/**
 * Voluntary social insurance (bảo hiểm xã hội tự nguyện): what a participant pays for a period.
 *
 * Sources (rules.md "Voluntary social insurance"):
 *  - Law on Social Insurance 2024 (Luật Bảo hiểm xã hội số 41/2024/QH15, in force 1 July 2025), art. 36
 *    (contribution 22 % of the chosen monthly income, from the rural poverty line to 20 × the reference
 *    level) and art. 37 (modes: monthly, every 3, 6 or 12 months, or up to 5 years at once in advance).
 *  - Decree 159/2025/NĐ-CP (State support: a share of 22 % × the rural poverty line per month — 50 % poor
 *    households and island communes, 40 % near-poor, 30 % ethnic minorities, 20 % others — the highest that
 *    applies, for at most 120 months). Provinces may add their own support: not modelled here.
 *
 * Amounts change (poverty line, reference level): the constants below are the values at the time of writing
 * and are named so one place changes. All amounts are integer đồng.
 *
 * Rounding: 22 % of the income is rounded half up to the đồng per month, then multiplied by the months, so a
 * payment of N months is exactly N monthly payments.
 */
import { ValidationError } from '../../../platform/errors/index.ts';
import { dayNumber } from './fines.ts';

/** Rural poverty line (chuẩn nghèo khu vực nông thôn), the lowest income one may choose. */
export const RURAL_POVERTY_LINE = 1_500_000;
/** Reference level (mức tham chiếu) of the Law on Social Insurance 2024. */
export const REFERENCE_LEVEL = 2_340_000;
/** Highest chosen income: 20 × the reference level = 46,800,000. */
export const MAX_INCOME = 20 * REFERENCE_LEVEL;
export const MIN_INCOME = RURAL_POVERTY_LINE;
/** 22 % (Law on Social Insurance 2024, art. 36). */
export const CONTRIBUTION_BASIS_POINTS = 2_200;
/** Modes: monthly, every 3, 6 or 12 months (art. 37). */
export const MODES = [1, 3, 6, 12] as const;
/** Up to 5 years at once in advance (art. 37): any 1–60 months is accepted as an advance payment. */
export const MAX_ADVANCE_MONTHS = 60;
/** State support lasts at most 120 months (Decree 159/2025/NĐ-CP). */
export const MAX_SUPPORTED_MONTHS = 120;

export type SupportGroup = 'poor' | 'island' | 'near-poor' | 'ethnic-minority' | 'other';

/** Share of 22 % × the rural poverty line the State pays, in percent (Decree 159/2025/NĐ-CP). */
export const SUPPORT_PERCENT: Readonly<Record<SupportGroup, number>> = {
  poor: 50,
  island: 50,
  'near-poor': 40,
  'ethnic-minority': 30,
  other: 20,
};

/** State support per month: 165,000 / 132,000 / 99,000 / 66,000 đồng. */
export function supportPerMonth(group: SupportGroup): number {
  const base = (RURAL_POVERTY_LINE * CONTRIBUTION_BASIS_POINTS) / 10_000; // 330,000
  return Math.floor((base * SUPPORT_PERCENT[group] + 50) / 100);
}

/** 22 % of the chosen income for one month, half up to the đồng. */
export function monthlyContribution(income: number): number {
  return Math.floor((income * CONTRIBUTION_BASIS_POINTS + 5_000) / 10_000);
}

export interface ContributionInput {
  /** The chosen monthly income, integer đồng, MIN_INCOME – MAX_INCOME. */
  income: number;
  /** Months paid now: 1, 3, 6, 12 (the modes) or any 1–60 in advance. */
  months: number;
  supportGroup: SupportGroup;
  /** Months the participant has already been supported (VSS's count). */
  supportedMonthsUsed: number;
  /** Last month already paid, 'YYYY-MM', or null when nothing has been paid yet. */
  paidThrough: string | null;
  /** Today's date in Vietnam, 'YYYY-MM-DD' (the period starts this month when nothing was paid). */
  today: string;
}

export interface Contribution {
  months: number;
  /** 22 % of the income for one month. */
  monthly: number;
  /** monthly × months. */
  gross: number;
  /** Months of this payment the State supports. */
  supportedMonths: number;
  /** The State's share. */
  support: number;
  /** What the participant pays: gross − support. */
  amount: number;
  /** First and last month paid, 'YYYY-MM'. */
  from: string;
  to: string;
}

const GROUPS = Object.keys(SUPPORT_PERCENT) as SupportGroup[];
const dong = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

function invalid(path: string, vi: string, en: string): never {
  const message = `${vi} / ${en}`;
  throw new ValidationError(message, [{ path, message }]);
}

/** Months since year 0 of a 'YYYY-MM'; undefined unless valid. */
function monthIndex(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return Number(m[1]) * 12 + month - 1;
}

const monthText = (index: number) =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The contribution of one payment. Throws ValidationError (Vietnamese, then English) naming the field. */
export function voluntaryContribution(input: ContributionInput): Contribution {
  const { income, months, supportGroup, supportedMonthsUsed, paidThrough, today } = input;
  if (!Number.isSafeInteger(income))
    invalid(
      'income',
      'Thu nhập lựa chọn phải là số đồng nguyên',
      'the chosen income must be a whole number of đồng',
    );
  if (income < MIN_INCOME || income > MAX_INCOME)
    invalid(
      'income',
      `Thu nhập lựa chọn phải từ ${dong(MIN_INCOME)} đến ${dong(MAX_INCOME)} đồng`,
      `the chosen income must be between ${MIN_INCOME} and ${MAX_INCOME} đồng`,
    );
  if (!Number.isSafeInteger(months) || months < 1 || months > MAX_ADVANCE_MONTHS)
    invalid(
      'months',
      `Số tháng đóng phải là số nguyên từ 1 đến ${MAX_ADVANCE_MONTHS} (hằng tháng, 3, 6, 12 tháng hoặc đóng trước tối đa 5 năm)`,
      `months must be a whole number from 1 to ${MAX_ADVANCE_MONTHS} (monthly, 3, 6, 12 months or up to 5 years in advance)`,
    );
  if (!GROUPS.includes(supportGroup))
    invalid('supportGroup', 'Nhóm hỗ trợ không hợp lệ', `support group must be one of ${GROUPS.join(', ')}`);
  if (!Number.isSafeInteger(supportedMonthsUsed) || supportedMonthsUsed < 0)
    invalid(
      'supportedMonthsUsed',
      'Số tháng đã được hỗ trợ phải là số nguyên không âm',
      'supported months used must be a whole number ≥ 0',
    );
  const current = dayNumber(today) === undefined ? undefined : monthIndex(today.slice(0, 7));
  if (current === undefined)
    invalid('today', `Ngày hiện tại "${today}" không hợp lệ (dạng YYYY-MM-DD)`, 'invalid date (YYYY-MM-DD)');
  let first = current;
  if (paidThrough !== null) {
    const last = monthIndex(paidThrough);
    if (last === undefined)
      invalid(
        'paidThrough',
        `Tháng đã đóng đến "${paidThrough}" không hợp lệ (dạng YYYY-MM)`,
        'invalid paid-through month (YYYY-MM)',
      );
    first = last + 1;
  }

  const monthly = monthlyContribution(income);
  const gross = monthly * months;
  const supportedMonths = Math.min(months, Math.max(0, MAX_SUPPORTED_MONTHS - supportedMonthsUsed));
  const support = supportPerMonth(supportGroup) * supportedMonths;
  return {
    months,
    monthly,
    gross,
    supportedMonths,
    support,
    amount: gross - support,
    from: monthText(first),
    to: monthText(first + months - 1),
  };
}

/** The mode a number of months is paid in: one of MODES, or 'advance' for any other 1–60. */
export function contributionMode(
  months: number,
): 'monthly' | 'quarterly' | 'half-yearly' | 'yearly' | 'advance' {
  switch (months) {
    case 1:
      return 'monthly';
    case 3:
      return 'quarterly';
    case 6:
      return 'half-yearly';
    case 12:
      return 'yearly';
    default:
      return 'advance';
  }
}
