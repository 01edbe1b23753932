import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors/index.ts';
import { dayNumber, fineSurcharge, isoDate } from './fines.ts';

const fine = (decidedOn: string, paidOn: string, amount = 4_000_000) =>
  fineSurcharge({ amount, decidedOn, paidOn });

describe('fine surcharge: the boundaries', () => {
  it('the deadline is the decision date + 10 days', () => {
    expect(fine('2025-07-01', '2025-07-01').deadline).toBe('2025-07-11');
  });

  it('nothing extra on day 10 and day 11 (the day after the deadline is not yet counted)', () => {
    expect(fine('2025-07-01', '2025-07-11')).toEqual({
      deadline: '2025-07-11',
      lateDays: 0,
      surcharge: 0,
      total: 4_000_000,
    });
    expect(fine('2025-07-01', '2025-07-12')).toMatchObject({ lateDays: 0, surcharge: 0 });
  });

  it('one day on day 12: 0.05 % of 4,000,000 = 2,000', () => {
    expect(fine('2025-07-01', '2025-07-13')).toEqual({
      deadline: '2025-07-11',
      lateDays: 1,
      surcharge: 2_000,
      total: 4_002_000,
    });
  });

  it('the same day as the decision and every day up to 11 cost nothing', () => {
    for (let k = 0; k <= 11; k++)
      expect(fine('2025-07-01', isoDate(dayNumber('2025-07-01')! + k)).lateDays).toBe(0);
  });

  it('counts calendar days across month and year ends', () => {
    expect(fine('2025-12-25', '2026-01-04').deadline).toBe('2026-01-04');
    expect(fine('2025-12-25', '2026-01-06')).toMatchObject({ lateDays: 1, surcharge: 2_000 });
    expect(fine('2025-01-25', '2025-02-04').deadline).toBe('2025-02-04');
    expect(fine('2025-01-25', '2025-03-01')).toMatchObject({ lateDays: 24 });
  });

  it('leap days count', () => {
    expect(fine('2024-02-20', '2024-02-20').deadline).toBe('2024-03-01');
    expect(fine('2025-02-20', '2025-02-20').deadline).toBe('2025-03-02');
    // 2024-02-20 + 12 = 2024-03-03 (29 February counted); 2025: 2025-03-04.
    expect(fine('2024-02-20', '2024-03-03').lateDays).toBe(1);
    expect(fine('2025-02-20', '2025-03-03').lateDays).toBe(0);
    expect(fine('2024-01-01', '2025-01-01').lateDays).toBe(366 - 11);
  });

  it('rounds half up to the đồng', () => {
    // 1,000 × 5 × 1 / 10,000 = 0.5 → 1; 999 → 0.4995 → 0; 3,000 × 3 days → 4.5 → 5.
    expect(fine('2025-07-01', '2025-07-13', 1_000).surcharge).toBe(1);
    expect(fine('2025-07-01', '2025-07-13', 999).surcharge).toBe(0);
    expect(fine('2025-07-01', '2025-07-15', 3_000).surcharge).toBe(5);
    expect(fine('2025-07-01', '2025-07-15', 2_999).surcharge).toBe(4);
  });

  it('stays exact for large amounts paid years late', () => {
    const r = fineSurcharge({ amount: 999_999_999_999, decidedOn: '2000-01-01', paidOn: '2099-12-31' });
    const days = dayNumber('2099-12-31')! - dayNumber('2000-01-01')! - 11;
    expect(r.lateDays).toBe(days);
    expect(BigInt(r.surcharge)).toBe((999_999_999_999n * 5n * BigInt(days) + 5_000n) / 10_000n);
  });

  it('leaves out excluded days (suspension, request under review)', () => {
    expect(
      fineSurcharge({ amount: 4_000_000, decidedOn: '2025-07-01', paidOn: '2025-07-21', excludedDays: 3 }),
    ).toMatchObject({
      lateDays: 6,
      surcharge: 12_000,
    });
    expect(
      fineSurcharge({ amount: 1, decidedOn: '2025-07-01', paidOn: '2025-07-13', excludedDays: 5 }).lateDays,
    ).toBe(0);
  });
});

describe('fine surcharge: validation', () => {
  const path = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).message).toMatch(/ \/ /);
      return (e as ValidationError).extras.errors?.[0]?.path;
    }
    throw new Error('accepted');
  };
  it('refuses bad dates, naming the field', () => {
    for (const d of [
      '2025-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-7-1',
      '01/07/2025',
      '',
      '2025-07-01T00:00',
    ])
      expect(
        path(() => fine(d, '2025-08-01')),
        d,
      ).toBe('decidedOn');
    expect(path(() => fine('2025-07-01', '2025-06-31'))).toBe('paidOn');
    expect(path(() => fine('2025-07-02', '2025-07-01'))).toBe('paidOn');
  });
  it('refuses non-integer, negative or absurd amounts', () => {
    for (const a of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e13])
      expect(
        path(() => fine('2025-07-01', '2025-08-01', a)),
        String(a),
      ).toBe('amount');
    expect(fine('2025-07-01', '2025-08-01', 0).total).toBe(0);
  });
  it('refuses bad excluded days', () => {
    expect(
      path(() =>
        fineSurcharge({ amount: 1, decidedOn: '2025-07-01', paidOn: '2025-07-01', excludedDays: -1 }),
      ),
    ).toBe('excludedDays');
  });
});

describe('fine surcharge: properties', () => {
  const date = fc.integer({ min: dayNumber('2000-01-01')!, max: dayNumber('2100-12-31')! });
  const amount = fc.integer({ min: 0, max: 1_000_000_000 });
  const params = { seed: 17 };

  it('never decreases as payment is later, and grows by at most one day’s rate (+1 for rounding) per day', () => {
    fc.assert(
      fc.property(amount, date, fc.integer({ min: 0, max: 2_000 }), (a, d, k) => {
        const one = fineSurcharge({ amount: a, decidedOn: isoDate(d), paidOn: isoDate(d + k) });
        const next = fineSurcharge({ amount: a, decidedOn: isoDate(d), paidOn: isoDate(d + k + 1) });
        expect(next.surcharge).toBeGreaterThanOrEqual(one.surcharge);
        expect(next.surcharge - one.surcharge).toBeLessThanOrEqual(Math.ceil((a * 5) / 10_000) + 1);
        expect(next.lateDays - one.lateDays).toBe(k >= 11 ? 1 : 0);
      }),
      params,
    );
  });

  it('is linear in the late days (within rounding): days × one day’s surcharge ± 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }).map((x) => x * 2),
        date,
        fc.integer({ min: 12, max: 3_000 }),
        (a, d, k) => {
          // a multiple of 2,000 makes one day's surcharge exact (a × 5 / 10 000 = a / 2 000)
          const exact = a - (a % 2_000);
          const r = fineSurcharge({ amount: exact, decidedOn: isoDate(d), paidOn: isoDate(d + k) });
          expect(r.surcharge).toBe((exact / 2_000) * r.lateDays);
          expect(r.total).toBe(exact + r.surcharge);
          const any = fineSurcharge({ amount: a + 1, decidedOn: isoDate(d), paidOn: isoDate(d + k) });
          expect(Math.abs(any.surcharge - ((a + 1) * 5 * any.lateDays) / 10_000)).toBeLessThanOrEqual(0.5);
        },
      ),
      params,
    );
  });

  it('is additive in the amount (within one đồng of rounding)', () => {
    fc.assert(
      fc.property(amount, amount, date, fc.integer({ min: 0, max: 3_000 }), (a, b, d, k) => {
        const s = (x: number) =>
          fineSurcharge({ amount: x, decidedOn: isoDate(d), paidOn: isoDate(d + k) }).surcharge;
        expect(Math.abs(s(a + b) - s(a) - s(b))).toBeLessThanOrEqual(1);
      }),
      params,
    );
  });
});
