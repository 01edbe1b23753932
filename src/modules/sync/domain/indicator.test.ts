import { describe, expect, it } from 'vitest';
import { daysBetween, reportsForPeriod, syncRate } from './indicator.ts';

describe('indicator 1.4: sync rate', () => {
  it('divides by the larger of reported and received', () => {
    expect(syncRate({ synced: 90, reported: 120, received: 30 })).toEqual({
      numerator: 90,
      denominator: 120,
      basis: 'reported',
      rate: 0.75,
      score: 0.75,
    });
    expect(syncRate({ synced: 40, reported: 20, received: 50 })).toMatchObject({
      denominator: 50,
      basis: 'received',
      rate: 0.8,
    });
  });

  it('without any report the portal-received count is the denominator; the score is capped at 100%', () => {
    expect(syncRate({ synced: 30, reported: null, received: 10 })).toMatchObject({
      denominator: 10,
      basis: 'received',
      rate: 3,
      score: 1,
    });
    expect(syncRate({ synced: 5, reported: null, received: 0 })).toMatchObject({
      denominator: 0,
      basis: 'none',
      rate: null,
      score: null,
    });
  });
});

describe('reported figures for a period', () => {
  const r = (from: string, to: string, dossiers: number) => ({ from, to, dossiers });

  it('counts reports inside the period, never two that overlap, and says what they cover', () => {
    const reports = [
      r('2025-06-01', '2025-06-30', 1000), // outside
      r('2025-07-01', '2025-07-31', 300),
      r('2025-07-01', '2025-07-15', 100), // overlaps the month: the longer one at the same start wins
      r('2025-07-20', '2025-08-05', 50), // overlaps July's report
      r('2025-08-01', '2025-08-31', 200),
      r('2025-09-01', '2025-10-31', 999), // ends after the period
    ];
    const x = reportsForPeriod(reports, { from: '2025-07-01', to: '2025-09-30' });
    expect(x.used).toEqual([r('2025-07-01', '2025-07-31', 300), r('2025-08-01', '2025-08-31', 200)]);
    expect(x.total).toBe(500);
    expect(x.coveredDays).toBe(62);
    expect(x.periodDays).toBe(92);
  });

  it('counts days inclusively', () => {
    expect(daysBetween('2025-07-01', '2025-07-01')).toBe(1);
    expect(daysBetween('2024-02-01', '2024-02-29')).toBe(29);
  });
});
