import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CERTIFIED_COPY_FORMULA,
  computeFee,
  describeFormula,
  type FeeFormula,
  FeeInputError,
  formulaProblems,
  tieredItemAmount,
} from './fees.ts';

const copy = (pages: number, copies = 1) =>
  computeFee(CERTIFIED_COPY_FORMULA, { units: pages, quantity: copies });

describe('certified copy from the original (Circular 226/2016/TT-BTC)', () => {
  it('charges 2,000 đ per page for pages 1–2 and 1,000 đ per page from page 3', () => {
    expect(copy(1)).toBe(2_000);
    expect(copy(2)).toBe(4_000);
    expect(copy(3)).toBe(5_000);
    expect(copy(10)).toBe(12_000);
  });

  it('caps one copy at 200,000 đ (reached at page 198)', () => {
    expect(copy(197)).toBe(199_000);
    expect(copy(198)).toBe(200_000);
    expect(copy(199)).toBe(200_000);
    expect(copy(5_000)).toBe(200_000);
  });

  it('charges each copy', () => {
    expect(copy(3, 4)).toBe(20_000);
    expect(copy(500, 2)).toBe(400_000);
  });

  it('needs the pages and the copies', () => {
    expect(() => computeFee(CERTIFIED_COPY_FORMULA, { quantity: 1 })).toThrow(FeeInputError);
    expect(() => computeFee(CERTIFIED_COPY_FORMULA, { units: 0, quantity: 1 })).toThrow(/số nguyên/);
    expect(() => computeFee(CERTIFIED_COPY_FORMULA, { units: 1.5, quantity: 1 })).toThrow(FeeInputError);
  });

  it('is described in words', () => {
    expect(describeFormula(CERTIFIED_COPY_FORMULA)).toBe(
      '2.000 đồng/trang cho trang thứ 1 đến thứ 2; 1.000 đồng/trang từ trang thứ 3 trở đi; tối đa 200.000 đồng/bản',
    );
  });
});

describe('certified copy: properties', () => {
  const pages = fc.integer({ min: 1, max: 5_000 });
  const copies = fc.integer({ min: 1, max: 50 });

  it('equals the closed form min(200,000, 2,000·min(p,2) + 1,000·max(p−2,0)) × copies', () => {
    fc.assert(
      fc.property(pages, copies, (p, c) => {
        const expected = Math.min(200_000, 2_000 * Math.min(p, 2) + 1_000 * Math.max(p - 2, 0)) * c;
        expect(copy(p, c)).toBe(expected);
      }),
    );
  });

  it('never decreases with more pages, and never exceeds the cap per copy', () => {
    fc.assert(
      fc.property(pages, copies, (p, c) => {
        expect(copy(p + 1, c)).toBeGreaterThanOrEqual(copy(p, c));
        expect(copy(p, c)).toBeLessThanOrEqual(200_000 * c);
      }),
    );
  });

  it('is linear in the number of copies', () => {
    fc.assert(
      fc.property(pages, copies, (p, c) => {
        expect(copy(p, c)).toBe(copy(p, 1) * c);
      }),
    );
  });
});

describe('tiered formulas in general', () => {
  const tiersArb = fc
    .uniqueArray(fc.integer({ min: 2, max: 500 }), { maxLength: 5 })
    .chain((starts) =>
      fc.tuple(
        fc.constant([1, ...starts.sort((a, b) => a - b)]),
        fc.array(fc.integer({ min: 0, max: 50_000 }), {
          minLength: starts.length + 1,
          maxLength: starts.length + 1,
        }),
      ),
    )
    .map(([froms, rates]) => froms.map((from, i) => ({ from, rate: rates[i]! })));

  it('sum of per-unit rates: the item amount is the sum over each unit of the rate of its tier', () => {
    fc.assert(
      fc.property(tiersArb, fc.integer({ min: 1, max: 1_000 }), (tiers, units) => {
        let expected = 0;
        for (let u = 1; u <= units; u++) expected += [...tiers].reverse().find((t) => t.from <= u)!.rate;
        expect(tieredItemAmount(tiers, units)).toBe(expected);
      }),
    );
  });

  it('valid tiers have no problems; unsorted tiers are refused', () => {
    fc.assert(
      fc.property(tiersArb, (tiers) => {
        const f: FeeFormula = { type: 'tiered', unit: 'trang', item: 'bản', tiers, capPerItem: null };
        expect(formulaProblems(f)).toEqual([]);
      }),
    );
    expect(
      formulaProblems({
        type: 'tiered',
        unit: 'trang',
        item: 'bản',
        tiers: [
          { from: 1, rate: 1 },
          { from: 1, rate: 2 },
        ],
        capPerItem: null,
      }),
    ).toContain('Các bậc phải tăng dần');
  });
});

describe('other formulas', () => {
  it('fixed, free and per-unit', () => {
    expect(computeFee({ type: 'fixed', amount: 135_000 })).toBe(135_000);
    expect(computeFee({ type: 'free' })).toBe(0);
    expect(computeFee({ type: 'per-unit', amount: 10_000, unit: 'trường hợp' }, { quantity: 3 })).toBe(
      30_000,
    );
    expect(() => computeFee({ type: 'per-unit', amount: 10_000, unit: 'bản' })).toThrow('Cần nhập số bản.');
  });

  const VOLUNTARY_SI: FeeFormula = {
    type: 'percent',
    basisPoints: 2_200,
    base: 'thu nhập tháng lựa chọn',
    minBase: 1_500_000,
    maxBase: 46_800_000,
  };

  it('percent: voluntary social insurance is 22% of the chosen income, 330,000 – 10,296,000 đ a month', () => {
    expect(computeFee(VOLUNTARY_SI, { base: 1_500_000 })).toBe(330_000);
    expect(computeFee(VOLUNTARY_SI, { base: 46_800_000 })).toBe(10_296_000);
    expect(computeFee(VOLUNTARY_SI, { base: 90_000_000 })).toBe(10_296_000);
    expect(() => computeFee(VOLUNTARY_SI, { base: 1_000_000 })).toThrow(/không được thấp hơn 1\.500\.000/);
  });

  it('percent rounds half up to the đồng and stays within the bounds', () => {
    expect(
      computeFee(
        { type: 'percent', basisPoints: 50, base: 'giá trị', minBase: null, maxBase: null },
        { base: 101 },
      ),
    ).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 1_500_000, max: 200_000_000 }), (income) => {
        const fee = computeFee(VOLUNTARY_SI, { base: income });
        expect(fee).toBeGreaterThanOrEqual(330_000);
        expect(fee).toBeLessThanOrEqual(10_296_000);
        expect(Math.abs(fee - Math.min(income, 46_800_000) * 0.22)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('as-decided takes the amount of the decision', () => {
    const fine: FeeFormula = { type: 'as-decided', description: 'Theo quyết định xử phạt' };
    expect(computeFee(fine, { decidedAmount: 4_000_000 })).toBe(4_000_000);
    expect(() => computeFee(fine)).toThrow(FeeInputError);
  });

  it('refuses bad formulas at save', () => {
    expect(formulaProblems({ type: 'fixed', amount: -1 })).toHaveLength(1);
    expect(formulaProblems({ type: 'fixed', amount: 1.5 })).toHaveLength(1);
    expect(
      formulaProblems({ type: 'percent', basisPoints: 20_000, base: 'x', minBase: 10, maxBase: 5 }),
    ).toHaveLength(2);
  });
});
