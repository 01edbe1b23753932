import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors/index.ts';
import {
  type ContributionInput,
  contributionMode,
  MAX_INCOME,
  monthlyContribution,
  type SupportGroup,
  supportPerMonth,
  voluntaryContribution,
} from './social-insurance.ts';

const base: ContributionInput = {
  income: 1_500_000,
  months: 1,
  supportGroup: 'other',
  supportedMonthsUsed: 0,
  paidThrough: '2025-06',
  today: '2025-07-15',
};
const pay = (over: Partial<ContributionInput>) => voluntaryContribution({ ...base, ...over });

describe('voluntary social insurance: amounts', () => {
  it('22 % of the chosen income, 330,000 – 10,296,000 a month; 20 × 2,340,000 is the ceiling', () => {
    expect(MAX_INCOME).toBe(46_800_000);
    expect(monthlyContribution(1_500_000)).toBe(330_000);
    expect(monthlyContribution(46_800_000)).toBe(10_296_000);
    // 22 % of 1,500,003 = 330,000.66 → 330,001; of 1,500,002 = 330,000.44 → 330,000.
    expect(monthlyContribution(1_500_003)).toBe(330_001);
    expect(monthlyContribution(1_500_002)).toBe(330_000);
  });

  it('State support per month by group: 165,000 / 165,000 / 132,000 / 99,000 / 66,000', () => {
    const groups: SupportGroup[] = ['poor', 'island', 'near-poor', 'ethnic-minority', 'other'];
    expect(groups.map(supportPerMonth)).toEqual([165_000, 165_000, 132_000, 99_000, 66_000]);
  });

  it('one month at the poverty line, group "other": 330,000 − 66,000 = 264,000', () => {
    expect(pay({})).toEqual({
      months: 1,
      monthly: 330_000,
      gross: 330_000,
      supportedMonths: 1,
      support: 66_000,
      amount: 264_000,
      from: '2025-07',
      to: '2025-07',
    });
  });

  it('12 months at 5,000,000, poor household: 13,200,000 − 1,980,000', () => {
    expect(pay({ income: 5_000_000, months: 12, supportGroup: 'poor' })).toMatchObject({
      gross: 13_200_000,
      support: 1_980_000,
      amount: 11_220_000,
      from: '2025-07',
      to: '2026-06',
    });
  });

  it('support only while fewer than 120 months were supported: a payment straddling month 120 gets it for the rest', () => {
    expect(pay({ months: 6, supportedMonthsUsed: 116 })).toMatchObject({
      supportedMonths: 4,
      support: 4 * 66_000,
      amount: 6 * 330_000 - 4 * 66_000,
    });
    expect(pay({ months: 6, supportedMonthsUsed: 114 })).toMatchObject({ supportedMonths: 6 });
    expect(pay({ months: 6, supportedMonthsUsed: 119 })).toMatchObject({ supportedMonths: 1 });
    expect(pay({ months: 6, supportedMonthsUsed: 120 })).toMatchObject({
      supportedMonths: 0,
      support: 0,
      amount: 1_980_000,
    });
    expect(pay({ months: 6, supportedMonthsUsed: 200 })).toMatchObject({ supportedMonths: 0, support: 0 });
  });

  it('at the top of the range, 5 years in advance', () => {
    expect(pay({ income: 46_800_000, months: 60, supportGroup: 'near-poor' })).toMatchObject({
      gross: 617_760_000,
      support: 60 * 132_000,
      amount: 617_760_000 - 7_920_000,
      from: '2025-07',
      to: '2030-06',
    });
  });
});

describe('voluntary social insurance: the period', () => {
  it('starts the month after paidThrough, across the year end', () => {
    expect(pay({ paidThrough: '2025-12', months: 3 })).toMatchObject({ from: '2026-01', to: '2026-03' });
    expect(pay({ paidThrough: '2025-11', months: 3 })).toMatchObject({ from: '2025-12', to: '2026-02' });
    expect(pay({ paidThrough: '2025-12', months: 12 })).toMatchObject({ from: '2026-01', to: '2026-12' });
  });

  it('starts in the current month when nothing was paid', () => {
    expect(pay({ paidThrough: null, today: '2025-12-31', months: 6 })).toMatchObject({
      from: '2025-12',
      to: '2026-05',
    });
    expect(pay({ paidThrough: null, today: '2024-02-29' })).toMatchObject({ from: '2024-02', to: '2024-02' });
  });

  it('names the modes', () => {
    expect([1, 3, 6, 12, 2, 60].map(contributionMode)).toEqual([
      'monthly',
      'quarterly',
      'half-yearly',
      'yearly',
      'advance',
      'advance',
    ]);
  });
});

describe('voluntary social insurance: validation', () => {
  const refused = (over: Partial<ContributionInput>) => {
    try {
      pay(over);
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      // Vietnamese first, English second.
      const [vi, en, ...rest] = (e as ValidationError).message.split(' / ');
      expect(rest).toEqual([]);
      expect(vi).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđọỏóòõịỉĩíìụủũúùỵỷỹýỳẹẻẽéè]/u);
      expect(en).toMatch(/^[a-z]/);
      return (e as ValidationError).extras.errors?.[0]?.path;
    }
    throw new Error('accepted');
  };
  it('income within 1,500,000 – 46,800,000 and whole', () => {
    expect(refused({ income: 1_499_999 })).toBe('income');
    expect(refused({ income: 46_800_001 })).toBe('income');
    expect(refused({ income: 2_000_000.5 })).toBe('income');
    expect(pay({ income: 46_800_000 }).monthly).toBe(10_296_000);
  });
  it('months 1–60, whole', () => {
    for (const months of [0, 61, -1, 1.5, Number.NaN])
      expect(refused({ months }), String(months)).toBe('months');
  });
  it('the group, the supported months, the dates', () => {
    expect(refused({ supportGroup: 'rich' as SupportGroup })).toBe('supportGroup');
    expect(refused({ supportedMonthsUsed: -1 })).toBe('supportedMonthsUsed');
    expect(refused({ supportedMonthsUsed: 0.5 })).toBe('supportedMonthsUsed');
    expect(refused({ paidThrough: '2025-13' })).toBe('paidThrough');
    expect(refused({ paidThrough: '2025-7' })).toBe('paidThrough');
    expect(refused({ today: '2025-02-30' })).toBe('today');
    expect(refused({ today: '2025-07' })).toBe('today');
  });
});

describe('voluntary social insurance: properties', () => {
  const input = fc.record({
    income: fc.integer({ min: 1_500_000, max: 46_800_000 }),
    months: fc.integer({ min: 1, max: 60 }),
    supportGroup: fc.constantFrom<SupportGroup>('poor', 'island', 'near-poor', 'ethnic-minority', 'other'),
    supportedMonthsUsed: fc.integer({ min: 0, max: 200 }),
    paidThrough: fc.option(
      fc
        .tuple(fc.integer({ min: 2000, max: 2090 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
      { nil: null },
    ),
    today: fc.constant('2025-07-15'),
  });
  const params = { seed: 17 };

  it('N months cost exactly the N single months paid one after another', () => {
    fc.assert(
      fc.property(input, (i) => {
        const all = voluntaryContribution(i);
        let used = i.supportedMonthsUsed;
        let paidThrough = i.paidThrough;
        let amount = 0;
        let support = 0;
        for (let k = 0; k < i.months; k++) {
          const one = voluntaryContribution({ ...i, months: 1, supportedMonthsUsed: used, paidThrough });
          if (k === 0) expect(one.from).toBe(all.from);
          amount += one.amount;
          support += one.support;
          used += one.supportedMonths;
          paidThrough = one.to;
        }
        expect(paidThrough).toBe(all.to);
        expect(amount).toBe(all.amount);
        expect(support).toBe(all.support);
        expect(all.amount + all.support).toBe(all.gross);
        expect(all.supportedMonths + Math.min(i.supportedMonthsUsed, 120)).toBeLessThanOrEqual(120);
      }),
      params,
    );
  });

  it('never pays less than the supported months leave, never more than gross', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = voluntaryContribution(i);
        expect(Number.isSafeInteger(r.amount)).toBe(true);
        expect(r.amount).toBeGreaterThan(0);
        expect(r.amount).toBeLessThanOrEqual(r.gross);
      }),
      params,
    );
  });
});
