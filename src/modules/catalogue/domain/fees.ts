/**
 * Fees (phí) and charges (lệ phí) of a procedure: a line names what is charged and how much, either a
 * fixed amount or a formula. Amounts are integer đồng. `computeFee` is pure: the dossiers and payments
 * modules call it with what the applicant declared (pages, copies, declared value…).
 *
 * Formulas:
 *  - free: nothing to pay (miễn phí / không thu).
 *  - fixed: one amount per dossier.
 *  - per-unit: an amount per unit (per copy, per case, per vehicle…), times the quantity.
 *  - tiered: a rate per page that changes with the page number, capped per item, times the number of
 *    items. The certified copy from the original (Circular 226/2016/TT-BTC): 2,000 đ per page for pages
 *    1–2, 1,000 đ per page from page 3, at most 200,000 đ per copy, pages counted on the original.
 *  - percent: a share (in basis points) of a base the applicant declares, the base clamped to bounds and
 *    the result rounded half up to the đồng (voluntary social insurance: 22% of a chosen income).
 *  - as-decided: the amount is set by a decision (a traffic fine), not by the catalogue.
 */

export type FeeFormula =
  | { type: 'free' }
  | { type: 'fixed'; amount: number }
  | { type: 'per-unit'; amount: number; unit: string }
  | {
      type: 'tiered';
      /** What a rate is counted in (page). */
      unit: string;
      /** What the cap applies to and the total is multiplied by (copy). */
      item: string;
      /** Sorted by `from`, the first from 1: the rate applies to units from `from` on. */
      tiers: Array<{ from: number; rate: number }>;
      /** At most this much per item; null: no cap. */
      capPerItem: number | null;
    }
  | {
      type: 'percent';
      /** 2200 = 22%. */
      basisPoints: number;
      /** What the base is (thu nhập tháng, giá trị tài sản…). */
      base: string;
      minBase: number | null;
      maxBase: number | null;
    }
  | { type: 'as-decided'; description: string };

export type FeeKind = 'phi' | 'le-phi';

export interface FeeLine {
  kind: FeeKind;
  name: string;
  formula: FeeFormula;
  note?: string | undefined;
}

/** What the applicant declares for the formula that needs it. */
export interface FeeInput {
  /** tiered: units per item (pages of the original). */
  units?: number;
  /** tiered: number of items (copies); per-unit: the quantity. */
  quantity?: number;
  /** percent: the declared base (income, value). */
  base?: number;
  /** as-decided: the amount of the decision. */
  decidedAmount?: number;
}

export class FeeInputError extends Error {
  override name = 'FeeInputError';
  constructor(
    message: string,
    readonly field: keyof FeeInput,
  ) {
    super(message);
  }
}

const MAX_AMOUNT = 1e12; // one trillion đồng: larger is a data error

function count(input: FeeInput, field: 'units' | 'quantity', label: string): number {
  const v = input[field];
  if (v === undefined) throw new FeeInputError(`Cần nhập ${label}.`, field);
  if (!Number.isSafeInteger(v) || v < 1 || v > 100_000)
    throw new FeeInputError(`${label} phải là số nguyên từ 1 đến 100.000.`, field);
  return v;
}

function money(input: FeeInput, field: 'base' | 'decidedAmount', label: string): number {
  const v = input[field];
  if (v === undefined) throw new FeeInputError(`Cần nhập ${label}.`, field);
  if (!Number.isSafeInteger(v) || v < 0 || v > MAX_AMOUNT)
    throw new FeeInputError(`${label} phải là số đồng nguyên, không âm.`, field);
  return v;
}

/** The amount of one item of a tiered formula for `units` units (before the cap). */
export function tieredItemAmount(
  tiers: ReadonlyArray<{ from: number; rate: number }>,
  units: number,
): number {
  let total = 0;
  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i]!;
    const next = tiers[i + 1]?.from ?? Number.POSITIVE_INFINITY;
    if (units < tier.from) break;
    const inTier = Math.min(units, next - 1) - tier.from + 1;
    total += inTier * tier.rate;
  }
  return total;
}

/** The amount to pay for one fee line, in đồng. Throws FeeInputError when an input is missing or bad. */
export function computeFee(formula: FeeFormula, input: FeeInput = {}): number {
  switch (formula.type) {
    case 'free':
      return 0;
    case 'fixed':
      return formula.amount;
    case 'per-unit':
      return formula.amount * count(input, 'quantity', `số ${formula.unit}`);
    case 'tiered': {
      const units = count(input, 'units', `số ${formula.unit}`);
      const items = count(input, 'quantity', `số ${formula.item}`);
      const one = tieredItemAmount(formula.tiers, units);
      const capped = formula.capPerItem === null ? one : Math.min(one, formula.capPerItem);
      return capped * items;
    }
    case 'percent': {
      let base = money(input, 'base', formula.base);
      if (formula.minBase !== null && base < formula.minBase)
        throw new FeeInputError(
          `${formula.base} không được thấp hơn ${formatDong(formula.minBase)}.`,
          'base',
        );
      if (formula.maxBase !== null) base = Math.min(base, formula.maxBase);
      // Integer arithmetic: base × bp / 10 000, rounded half up.
      return Math.floor((base * formula.basisPoints + 5_000) / 10_000);
    }
    case 'as-decided':
      return money(input, 'decidedAmount', 'số tiền theo quyết định');
  }
}

/** Problems of a formula itself (at save): negative amounts, unsorted tiers, bounds the wrong way. */
export function formulaProblems(formula: FeeFormula): string[] {
  const out: string[] = [];
  const amount = (v: number, what: string) => {
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_AMOUNT)
      out.push(`${what} phải là số đồng nguyên, không âm`);
  };
  switch (formula.type) {
    case 'free':
      break;
    case 'fixed':
      amount(formula.amount, 'Số tiền');
      break;
    case 'per-unit':
      amount(formula.amount, 'Đơn giá');
      if (formula.unit.trim() === '') out.push('Thiếu đơn vị tính');
      break;
    case 'tiered':
      if (formula.tiers.length === 0) out.push('Biểu phí bậc thang phải có ít nhất một bậc');
      else if (formula.tiers[0]!.from !== 1) out.push('Bậc đầu tiên phải bắt đầu từ 1');
      for (let i = 0; i < formula.tiers.length; i++) {
        const t = formula.tiers[i]!;
        amount(t.rate, `Mức thu bậc ${i + 1}`);
        if (!Number.isSafeInteger(t.from) || t.from < 1) out.push(`Bậc ${i + 1}: "từ" phải là số nguyên ≥ 1`);
        if (i > 0 && t.from <= formula.tiers[i - 1]!.from) out.push('Các bậc phải tăng dần');
      }
      if (formula.capPerItem !== null) amount(formula.capPerItem, 'Mức trần');
      break;
    case 'percent':
      if (
        !Number.isSafeInteger(formula.basisPoints) ||
        formula.basisPoints < 0 ||
        formula.basisPoints > 10_000
      )
        out.push('Tỷ lệ phải từ 0 đến 100%');
      if (formula.minBase !== null) amount(formula.minBase, 'Mức tối thiểu');
      if (formula.maxBase !== null) amount(formula.maxBase, 'Mức tối đa');
      if (formula.minBase !== null && formula.maxBase !== null && formula.minBase > formula.maxBase)
        out.push('Mức tối thiểu lớn hơn mức tối đa');
      break;
    case 'as-decided':
      if (formula.description.trim() === '') out.push('Cần mô tả căn cứ xác định số tiền');
      break;
  }
  return out;
}

export function formatDong(amount: number, locale: 'vi' | 'en' = 'vi'): string {
  const n = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(amount);
  return locale === 'vi' ? `${n} đồng` : `VND ${n}`;
}

/** A sentence that says the formula, for the procedure page. */
export function describeFormula(formula: FeeFormula, locale: 'vi' | 'en' = 'vi'): string {
  const d = (n: number) => formatDong(n, locale);
  const vi = locale === 'vi';
  switch (formula.type) {
    case 'free':
      return vi ? 'Không thu' : 'Free of charge';
    case 'fixed':
      return d(formula.amount);
    case 'per-unit':
      return vi ? `${d(formula.amount)}/${formula.unit}` : `${d(formula.amount)} per ${formula.unit}`;
    case 'tiered': {
      const parts = formula.tiers.map((t, i) => {
        const next = formula.tiers[i + 1]?.from;
        const rate = vi ? `${d(t.rate)}/${formula.unit}` : `${d(t.rate)} per ${formula.unit}`;
        if (next === undefined)
          return vi
            ? `${rate} từ ${formula.unit} thứ ${t.from} trở đi`
            : `${rate} from ${formula.unit} ${t.from} on`;
        if (next - 1 === t.from)
          return vi ? `${rate} cho ${formula.unit} thứ ${t.from}` : `${rate} for ${formula.unit} ${t.from}`;
        return vi
          ? `${rate} cho ${formula.unit} thứ ${t.from} đến thứ ${next - 1}`
          : `${rate} for ${formula.unit}s ${t.from} to ${next - 1}`;
      });
      const cap =
        formula.capPerItem === null
          ? ''
          : vi
            ? `; tối đa ${d(formula.capPerItem)}/${formula.item}`
            : `; at most ${d(formula.capPerItem)} per ${formula.item}`;
      return `${parts.join('; ')}${cap}`;
    }
    case 'percent': {
      const pct = `${(formula.basisPoints / 100).toLocaleString(vi ? 'vi-VN' : 'en-GB')}%`;
      const bounds: string[] = [];
      if (formula.minBase !== null)
        bounds.push(vi ? `thấp nhất ${d(formula.minBase)}` : `at least ${d(formula.minBase)}`);
      if (formula.maxBase !== null)
        bounds.push(vi ? `cao nhất ${d(formula.maxBase)}` : `at most ${d(formula.maxBase)}`);
      return vi
        ? `${pct} ${formula.base}${bounds.length ? ` (${formula.base} ${bounds.join(', ')})` : ''}`
        : `${pct} of ${formula.base}${bounds.length ? ` (${bounds.join(', ')})` : ''}`;
    }
    case 'as-decided':
      return formula.description;
  }
}

/** The certified-copy fee of Circular 226/2016/TT-BTC, as data (used by the seed and the tests). */
export const CERTIFIED_COPY_FORMULA: FeeFormula = {
  type: 'tiered',
  unit: 'trang',
  item: 'bản',
  tiers: [
    { from: 1, rate: 2_000 },
    { from: 3, rate: 1_000 },
  ],
  capPerItem: 200_000,
};
