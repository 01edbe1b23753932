import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseCalendarOverridesCsv } from '../../../platform/calendar/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../../platform/kernel/index.ts';
import type { WorkingTime } from './deadline.ts';
import { calendarLowerBoundMs, ESCALATION_RULES, escalationLevel } from './escalation.ts';

const CSV = path.resolve(import.meta.dirname, '../../../../db/reference/calendar-overrides.csv');
const wt: WorkingTime = {
  calendar: createWorkingCalendar({ overrides: parseCalendarOverridesCsv(fs.readFileSync(CSV, 'utf8')) }),
  hours: DEFAULT_OFFICE_HOURS,
};
const vn = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+07:00`);
const level = (due: string, now: string, extra: { paused?: string; finished?: string } = {}) =>
  escalationLevel(wt, {
    due: vn(due),
    now: vn(now),
    pausedSince: extra.paused ? vn(extra.paused) : null,
    finishedAt: extra.finished ? vn(extra.finished) : null,
  });

// Tuesday 24 November 2026; 28–29 November a weekend; 1 January 2027 a holiday (Friday).
describe('escalation of an overdue dossier to the leaders', () => {
  it('level 1 as soon as the due date has passed, not before', () => {
    expect(level('2026-11-24 17:00', '2026-11-24 16:59')).toBe(0);
    expect(level('2026-11-24 17:00', '2026-11-24 17:00')).toBe(0);
    expect(level('2026-11-24 17:00', '2026-11-24 17:01')).toBe(1);
    // At night: past the due date, though no working minute has gone by.
    expect(level('2026-11-24 17:00', '2026-11-24 23:00')).toBe(1);
  });

  it('level 2 after three working days past the due date, weekends not counted', () => {
    // Due Wednesday 17:00: Thursday, Friday, Monday are the three working days.
    expect(level('2026-11-25 17:00', '2026-11-30 16:59')).toBe(1);
    expect(level('2026-11-25 17:00', '2026-11-30 17:00')).toBe(2);
    // Five calendar days over a weekend are still only 2.5 working days.
    expect(level('2026-11-26 12:00', '2026-12-01 11:00')).toBe(1);
    expect(level('2026-11-26 12:00', '2026-12-01 12:00')).toBe(2);
  });

  it('does not count a public holiday', () => {
    // Due Wednesday 30 December 2026 17:00; 1 January 2027 is New Year's Day.
    expect(level('2026-12-30 17:00', '2027-01-04 17:00')).toBe(1);
    expect(level('2026-12-30 17:00', '2027-01-05 17:00')).toBe(2);
  });

  it('leaves a paused or finished dossier alone', () => {
    expect(level('2026-11-24 17:00', '2026-12-10 10:00', { paused: '2026-11-24 10:00' })).toBe(0);
    expect(level('2026-11-24 17:00', '2026-12-10 10:00', { paused: '2026-11-25 10:00' })).toBe(0);
    expect(level('2026-11-24 17:00', '2026-12-10 10:00', { finished: '2026-11-30 10:00' })).toBe(0);
  });

  it('never decreases as time goes on, and the calendar bound never misses a level', () => {
    const start = vn('2026-11-02 00:00').getTime();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        fc.integer({ min: 0, max: 60 * 24 * 20 }),
        fc.integer({ min: 0, max: 60 * 24 * 20 }),
        (dueMin, a, b) => {
          const due = new Date(start + dueMin * 60_000);
          const t1 = new Date(due.getTime() + Math.min(a, b) * 60_000);
          const t2 = new Date(due.getTime() + Math.max(a, b) * 60_000);
          const l1 = escalationLevel(wt, { due, now: t1 });
          const l2 = escalationLevel(wt, { due, now: t2 });
          expect(l2).toBeGreaterThanOrEqual(l1);
          for (const r of ESCALATION_RULES)
            if (l2 >= r.level)
              expect(t2.getTime() - due.getTime()).toBeGreaterThanOrEqual(calendarLowerBoundMs(r));
        },
      ),
      { numRuns: 300 },
    );
  });
});
