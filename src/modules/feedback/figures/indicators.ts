/**
 * Indicators 5.1–5.3 of Decision 766/QĐ-TTg from summed rollups, and the figures table's columns and labels
 * (docs/feedback.md, "Figures"). Rates are percentages to one decimal, null when nothing is counted. The
 * reference gives group 5 its 18 points but not how they split between 5.1–5.4, so no points are given. Pure.
 */
import { FEEDBACK_STATUS_NAMES } from '../../../platform/kernel/index.ts';
import { GOVERNMENT_OFFICE } from '../feedback.ports.ts';
import { CATEGORIES, type Category } from '../feedback.tables.ts';

export interface Counts {
  submitted: number;
  refused: number;
  forwarded: number;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  published: number;
  satisfied: number;
  unsatisfied: number;
  /** Waiting for the agency at the end of the period. */
  openAtEnd: number;
  /** Of those, past the handling limit. */
  overdueAtEnd: number;
}

export const COUNT_KEYS = [
  'submitted',
  'refused',
  'forwarded',
  'answered',
  'answeredOnTime',
  'answeredLate',
  'published',
  'satisfied',
  'unsatisfied',
  'openAtEnd',
  'overdueAtEnd',
] as const satisfies readonly (keyof Counts)[];

export const ZERO: Counts = Object.freeze({
  submitted: 0,
  refused: 0,
  forwarded: 0,
  answered: 0,
  answeredOnTime: 0,
  answeredLate: 0,
  published: 0,
  satisfied: 0,
  unsatisfied: 0,
  openAtEnd: 0,
  overdueAtEnd: 0,
});

export function add(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const k of COUNT_KEYS) out[k] = a[k] + b[k];
  return out;
}

/** part ÷ whole as a percentage to one decimal; null when whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/**
 * 5.2, handled on time: items answered by the handling limit ÷ (items answered in the period + items still
 * waiting and past the limit at its end).
 */
export const onTimeRate = (c: Counts) => percent(c.answeredOnTime, c.answered + c.overdueAtEnd);

/**
 * 5.3, satisfaction: items answered on time and rated satisfied ÷ (those + items answered on time and rated
 * not satisfied + items answered late, rated or not + items waiting past the limit at the period's end).
 */
export const satisfactionRate = (c: Counts) =>
  percent(c.satisfied, c.satisfied + c.unsatisfied + c.overdueAtEnd);

/** Items an agency received: submitted to the Government Office, or forwarded or passed to an agency. */
export const received = (c: Counts) => c.submitted + c.forwarded;

export interface AgencyIndicators {
  agency: string;
  received: number;
  /** 5.1: items received by category, and each one's share of them. */
  byCategory: Record<Category, { count: number; share: number | null }>;
  /** 5.2 */
  onTime: { answered: number; answeredOnTime: number; overdueAtEnd: number; rate: number | null };
  /** 5.3 */
  satisfaction: { satisfied: number; unsatisfied: number; overdueAtEnd: number; rate: number | null };
}

/** The indicators of one agency from its counts per category. */
export function indicatorsOf(
  agency: string,
  perCategory: Partial<Record<Category, Counts>>,
): AgencyIndicators {
  const all = CATEGORIES.reduce((acc, c) => add(acc, perCategory[c] ?? ZERO), ZERO);
  const total = received(all);
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => {
      const n = received(perCategory[c] ?? ZERO);
      return [c, { count: n, share: percent(n, total) }];
    }),
  ) as AgencyIndicators['byCategory'];
  return {
    agency,
    received: total,
    byCategory,
    onTime: {
      answered: all.answered,
      answeredOnTime: all.answeredOnTime,
      overdueAtEnd: all.overdueAtEnd,
      rate: onTimeRate(all),
    },
    satisfaction: {
      satisfied: all.satisfied,
      unsatisfied: all.unsatisfied,
      overdueAtEnd: all.overdueAtEnd,
      rate: satisfactionRate(all),
    },
  };
}

export type Label = { vi: string; en: string };

export const COLUMN_LABELS: Record<(typeof COUNT_KEYS)[number] | 'onTimeRate' | 'satisfactionRate', Label> = {
  submitted: { vi: 'Mới tiếp nhận (VPCP)', en: 'Submitted' },
  refused: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  forwarded: { vi: 'Được chuyển xử lý', en: 'Forwarded' },
  answered: { vi: 'Đã trả lời', en: 'Answered' },
  answeredOnTime: { vi: 'Trả lời đúng hạn', en: 'Answered on time' },
  answeredLate: { vi: 'Trả lời quá hạn', en: 'Answered late' },
  published: { vi: 'Đã công khai', en: 'Published' },
  satisfied: { vi: 'Hài lòng', en: 'Satisfied' },
  unsatisfied: { vi: 'Không hài lòng', en: 'Not satisfied' },
  openAtEnd: { vi: 'Đang xử lý cuối kỳ', en: 'Open at period end' },
  overdueAtEnd: { vi: 'Quá hạn cuối kỳ', en: 'Overdue at period end' },
  onTimeRate: { vi: 'Tỷ lệ đúng hạn (%)', en: 'On time (%)' },
  satisfactionRate: { vi: 'Tỷ lệ hài lòng (%)', en: 'Satisfaction (%)' },
};

export const CATEGORY_LABELS: Record<Category, Label> = {
  regulation: { vi: 'Quy định hành chính', en: 'Administrative regulations' },
  'dossier-handling': { vi: 'Giải quyết hồ sơ', en: 'Dossier handling' },
  other: { vi: 'Khác', en: 'Other' },
};

/** What groupBy=status lists: the movements of the period and the stock at its end. */
export const STATUS_ROWS: readonly { key: keyof Counts; label: Label }[] = [
  { key: 'submitted', label: FEEDBACK_STATUS_NAMES.submitted },
  { key: 'refused', label: FEEDBACK_STATUS_NAMES.refused },
  { key: 'forwarded', label: FEEDBACK_STATUS_NAMES.forwarded },
  { key: 'answered', label: COLUMN_LABELS.answered },
  { key: 'published', label: FEEDBACK_STATUS_NAMES.published },
  { key: 'openAtEnd', label: COLUMN_LABELS.openAtEnd },
  { key: 'overdueAtEnd', label: COLUMN_LABELS.overdueAtEnd },
];

export function agencyLabel(code: string): Label {
  return code === GOVERNMENT_OFFICE
    ? { vi: 'Văn phòng Chính phủ (CP)', en: 'Government Office (CP)' }
    : { vi: code, en: code };
}

export function monthLabel(key: string): Label {
  const [y, m] = key.split('-');
  return { vi: `Tháng ${m}/${y}`, en: `${y}-${m}` };
}
