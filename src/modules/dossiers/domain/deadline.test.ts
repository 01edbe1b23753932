import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createWorkingCalendar,
  isWithinOfficeHours,
  parseCalendarOverridesCsv,
  workingMinutesBetween,
} from '../../../platform/calendar/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../../platform/kernel/index.ts';
import {
  addMonths,
  countingStart,
  type DeadlineInput,
  deadlineStatus,
  dossierDue,
  extensionProblem,
  isOverdue,
  pausedWorkingMinutes,
  stepDue,
  type WorkingTime,
} from './deadline.ts';

const CSV = path.resolve(import.meta.dirname, '../../../../db/reference/calendar-overrides.csv');
const wt: WorkingTime = {
  calendar: createWorkingCalendar({ overrides: parseCalendarOverridesCsv(fs.readFileSync(CSV, 'utf8')) }),
  hours: DEFAULT_OFFICE_HOURS,
};

/** 'YYYY-MM-DD HH:MM' in Vietnam time → instant, and back. */
const vn = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+07:00`);
const show = (d: Date): string =>
  new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const pause = (from: string, to: string) => ({ from: vn(from), to: vn(to) });
const due = (input: Omit<DeadlineInput, 'receivedAt'> & { receivedAt: string }) =>
  show(dossierDue(wt, { ...input, receivedAt: vn(input.receivedAt) }));

// 24 November 2026 is a Tuesday; 28–29 November a weekend.
describe('dossierDue by unit, with the filing rules', () => {
  it('working days and hours from the filing moment', () => {
    expect(
      due({ receivedAt: '2026-11-24 10:00', time: { amount: 3, unit: 'working-day' }, rule15h: false }),
    ).toBe('2026-11-27 10:00');
    expect(
      due({ receivedAt: '2026-11-24 10:00', time: { amount: 4, unit: 'working-hour' }, rule15h: false }),
    ).toBe('2026-11-24 16:00');
  });

  it('after closing, at lunch, before opening, on a day off', () => {
    const oneDay = { time: { amount: 1, unit: 'working-day' as const }, rule15h: false };
    expect(due({ receivedAt: '2026-11-24 18:00', ...oneDay })).toBe('2026-11-25 17:00');
    expect(due({ receivedAt: '2026-11-24 12:00', ...oneDay })).toBe('2026-11-25 11:30');
    expect(due({ receivedAt: '2026-11-24 06:00', ...oneDay })).toBe('2026-11-24 17:00');
    expect(due({ receivedAt: '2026-11-28 10:00', ...oneDay })).toBe('2026-11-30 17:00');
    expect(show(countingStart(wt, vn('2026-11-28 10:00'), false))).toBe('2026-11-30 07:00');
  });

  it('the 15:00 rule, only for procedures that have it', () => {
    const t = { amount: 1, unit: 'working-day' as const };
    expect(due({ receivedAt: '2026-11-24 15:30', time: t, rule15h: false })).toBe('2026-11-25 15:30');
    expect(due({ receivedAt: '2026-11-24 15:30', time: t, rule15h: true })).toBe('2026-11-25 17:00');
    expect(due({ receivedAt: '2026-11-24 14:59', time: t, rule15h: true })).toBe('2026-11-25 14:59');
    expect(show(countingStart(wt, vn('2026-11-27 15:01'), true))).toBe('2026-11-30 07:00');
  });

  it('calendar days end at the closing time, moved off a day off', () => {
    expect(due({ receivedAt: '2026-11-24 10:00', time: { amount: 2, unit: 'day' }, rule15h: false })).toBe(
      '2026-11-26 17:00',
    );
    // Expires on Sunday 29th → Monday's closing.
    expect(due({ receivedAt: '2026-11-24 10:00', time: { amount: 5, unit: 'day' }, rule15h: false })).toBe(
      '2026-11-30 17:00',
    );
  });

  it('clock hours run day and night from the start of counting', () => {
    expect(due({ receivedAt: '2026-11-24 10:00', time: { amount: 24, unit: 'hour' }, rule15h: false })).toBe(
      '2026-11-25 10:00',
    );
    expect(due({ receivedAt: '2026-11-28 10:00', time: { amount: 24, unit: 'hour' }, rule15h: false })).toBe(
      '2026-12-01 07:00',
    );
    expect(
      due({
        receivedAt: '2026-11-24 10:00',
        time: { amount: 24, unit: 'hour' },
        rule15h: false,
        pauses: [pause('2026-11-24 20:00', '2026-11-24 22:30')],
      }),
    ).toBe('2026-11-25 12:30');
  });

  it('calendar months end on the same day of the month, or the month’s last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-05-10', 14)).toBe('2027-07-10');
    // 10 June + 1 month = 10 July (a Friday) → its closing.
    expect(due({ receivedAt: '2026-06-10 09:00', time: { amount: 1, unit: 'month' }, rule15h: false })).toBe(
      '2026-07-10 17:00',
    );
    // 30 January + 1 month = 28 February, a Saturday → Monday 2 March.
    expect(due({ receivedAt: '2026-01-30 09:00', time: { amount: 1, unit: 'month' }, rule15h: false })).toBe(
      '2026-03-02 17:00',
    );
  });

  it('rejects impossible processing times', () => {
    expect(() =>
      due({ receivedAt: '2026-11-24 10:00', time: { amount: -1, unit: 'day' }, rule15h: false }),
    ).toThrow(RangeError);
    expect(() =>
      due({
        receivedAt: '2026-11-24 10:00',
        time: { amount: 1, unit: 'fortnight' as 'day' },
        rule15h: false,
      }),
    ).toThrow(RangeError);
  });
});

describe('pauses (supplement requests) stop the clock', () => {
  const base = {
    receivedAt: '2026-11-24 08:00',
    time: { amount: 3, unit: 'working-day' as const },
    rule15h: false,
  };

  it('the due date moves by the working time of the pause', () => {
    expect(due(base)).toBe('2026-11-27 08:00');
    // Wed 09:00 → Thu 09:00 is one working day: Friday 08:00 → Monday 08:00.
    expect(due({ ...base, pauses: [pause('2026-11-25 09:00', '2026-11-26 09:00')] })).toBe(
      '2026-11-30 08:00',
    );
    expect(pausedWorkingMinutes(wt, [pause('2026-11-25 09:00', '2026-11-26 09:00')])).toBe(480);
    // A pause over a night and a weekend costs only its working time.
    expect(due({ ...base, pauses: [pause('2026-11-25 16:00', '2026-11-25 22:00')] })).toBe(
      '2026-11-27 09:00',
    );
  });

  it('for calendar days, the calendar time of the pause', () => {
    const days = {
      receivedAt: '2026-11-24 10:00',
      time: { amount: 5, unit: 'day' as const },
      rule15h: false,
    };
    expect(due({ ...days, pauses: [pause('2026-11-25 10:00', '2026-11-27 10:00')] })).toBe(
      '2026-12-01 17:00',
    );
  });

  it('several pauses add up', () => {
    expect(
      due({
        ...base,
        pauses: [
          pause('2026-11-24 09:00', '2026-11-24 10:00'),
          pause('2026-11-25 14:00', '2026-11-25 15:00'),
        ],
      }),
    ).toBe('2026-11-27 10:00');
  });
});

describe('extensions (form 04)', () => {
  const base = {
    receivedAt: '2026-11-24 08:00',
    time: { amount: 3, unit: 'working-day' as const },
    rule15h: false,
  };
  const extension = { grantedAt: vn('2026-11-27 07:30'), newDue: vn('2026-12-02 17:00') };

  it('the latest new date replaces the computed one', () => {
    expect(due({ ...base, extensions: [extension] })).toBe('2026-12-02 17:00');
    expect(
      due({
        ...base,
        extensions: [{ grantedAt: vn('2026-12-02 10:00'), newDue: vn('2026-12-04 17:00') }, extension],
      }),
    ).toBe('2026-12-04 17:00');
  });

  it('a pause before the extension is already in the new date; one after moves it on', () => {
    const before = pause('2026-11-25 09:00', '2026-11-25 10:00');
    expect(due({ ...base, pauses: [before], extensions: [extension] })).toBe('2026-12-02 17:00');
    const after = pause('2026-11-30 07:00', '2026-11-30 17:00');
    expect(due({ ...base, pauses: [before, after], extensions: [extension] })).toBe('2026-12-03 17:00');
    // Only the part of a pause after the extension counts.
    const across = pause('2026-11-26 07:00', '2026-11-27 11:30');
    expect(due({ ...base, pauses: [across], extensions: [extension] })).toBe('2026-12-03 11:00');
  });

  it('a new date must be later than the current one and in the future, within a year', () => {
    const now = vn('2026-11-27 09:00');
    const current = vn('2026-11-27 08:00');
    expect(extensionProblem(current, vn('2026-12-02 17:00'), now)).toBeUndefined();
    expect(extensionProblem(current, vn('2026-11-27 08:00'), now)).toMatch(/sau ngày hẹn/);
    expect(extensionProblem(vn('2026-11-20 08:00'), vn('2026-11-27 08:30'), now)).toMatch(/tương lai/);
    expect(extensionProblem(current, vn('2028-01-01 08:00'), now)).toMatch(/một năm/);
    expect(extensionProblem(current, new Date(Number.NaN), now)).toMatch(/không hợp lệ/);
  });
});

describe('step limits', () => {
  const dossier = vn('2026-12-04 17:00');
  it('a fixed limit counts working time from entering the step; "dossier-due" is the dossier’s', () => {
    expect(show(stepDue(wt, vn('2026-11-24 16:00'), { amount: 4, unit: 'working-hour' }, dossier)!)).toBe(
      '2026-11-25 10:00',
    );
    expect(stepDue(wt, vn('2026-11-24 16:00'), 'dossier-due', dossier)).toEqual(dossier);
    expect(stepDue(wt, vn('2026-11-24 16:00'), undefined, dossier)).toBeUndefined();
  });
});

describe('deadlineStatus', () => {
  const d = vn('2026-11-27 10:00');
  it('open dossiers: on time, due soon (one working day), overdue, paused', () => {
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-24 10:00') })).toEqual({
      finished: false,
      flag: 'on-time',
      workingMinutesLeft: 3 * 480,
    });
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-26 10:00') }).flag).toBe('due-soon');
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-26 09:59') }).flag).toBe('on-time');
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-27 10:00') }).flag).toBe('due-soon');
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-27 10:01') })).toMatchObject({ flag: 'overdue' });
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-28 10:00') })).toEqual({
      finished: false,
      flag: 'overdue',
      workingMinutesLeft: -300,
    });
    expect(deadlineStatus(wt, { due: d, now: vn('2026-11-24 10:00'), soonMinutes: 5000 }).flag).toBe(
      'due-soon',
    );
    expect(
      deadlineStatus(wt, { due: d, now: vn('2026-12-24 10:00'), pausedSince: vn('2026-11-25 10:00') }).flag,
    ).toBe('paused');
    expect(
      deadlineStatus(wt, { due: d, now: vn('2026-12-24 10:00'), pausedSince: vn('2026-11-27 11:00') }).flag,
    ).toBe('overdue');
  });

  it('finished dossiers: early, on time (the due date’s day), late', () => {
    const status = (finishedAt: string) =>
      deadlineStatus(wt, { due: d, now: vn('2026-12-30 10:00'), finishedAt: vn(finishedAt) });
    expect(status('2026-11-26 16:00')).toEqual({ finished: true, flag: 'early' });
    expect(status('2026-11-27 08:00')).toEqual({ finished: true, flag: 'on-time' });
    expect(status('2026-11-27 10:00')).toEqual({ finished: true, flag: 'on-time' });
    expect(status('2026-11-27 10:01')).toEqual({ finished: true, flag: 'late' });
  });
});

describe('properties', () => {
  // Instants in 2025–2027 at minute resolution.
  const instant = fc
    .integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2027, 11, 31) / 60_000 })
    .map((m) => new Date(m * 60_000));
  const workingUnit = fc.constantFrom('working-day' as const, 'working-hour' as const);

  it('the working time from the filing to the due date, pauses excluded, is the processing time', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 40 }),
        workingUnit,
        fc.boolean(),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 * 1440 }), fc.integer({ min: 1, max: 5 * 1440 })), {
          maxLength: 3,
        }),
        (receivedAt, amount, unit, rule15h, rawPauses) => {
          const pauses = rawPauses.map(([offset, length]) => ({
            from: new Date(receivedAt.getTime() + offset * 60_000),
            to: new Date(receivedAt.getTime() + (offset + length) * 60_000),
          }));
          const d = dossierDue(wt, { receivedAt, time: { amount, unit }, rule15h, pauses });
          const start = countingStart(wt, receivedAt, rule15h);
          const minutes = workingMinutesBetween(wt.calendar, wt.hours, start, d, { pauses });
          expect(minutes).toBe(unit === 'working-day' ? amount * 480 : amount * 60);
        },
      ),
    );
  });

  it('a pause never brings the due date forward, and moves it by exactly its working time', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 15 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 7 * 1440 }),
        (receivedAt, amount, at, length) => {
          const input = { receivedAt, time: { amount, unit: 'working-day' as const }, rule15h: false };
          const plain = dossierDue(wt, input);
          const start = countingStart(wt, receivedAt, false);
          // A pause that starts while the clock is running (between the start of counting and the due date).
          const from = new Date(
            Math.floor((start.getTime() + at * (plain.getTime() - start.getTime())) / 60_000) * 60_000,
          );
          fc.pre(from < plain);
          const p = { from, to: new Date(from.getTime() + length * 60_000) };
          const paused = dossierDue(wt, { ...input, pauses: [p] });
          expect(paused >= plain).toBe(true);
          expect(workingMinutesBetween(wt.calendar, wt.hours, plain, paused)).toBe(
            pausedWorkingMinutes(wt, [p]),
          );
        },
      ),
    );
  });

  it('calendar-day and month limits end at the closing time of a working day', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('day' as const, 'month' as const),
        (receivedAt, amount, unit) => {
          const d = dossierDue(wt, {
            receivedAt,
            time: { amount: unit === 'month' ? Math.ceil(amount / 10) : amount, unit },
            rule15h: false,
          });
          expect(show(d).slice(11)).toBe('17:00');
          expect(wt.calendar.isWorkingDay(show(d).slice(0, 10))).toBe(true);
          expect(d > receivedAt).toBe(true);
        },
      ),
    );
  });

  it('a working-unit due date falls inside office hours or at a session’s end', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 80 }), (receivedAt, amount) => {
        const d = dossierDue(wt, { receivedAt, time: { amount, unit: 'working-hour' }, rule15h: true });
        const endOfSession = ['11:30', '17:00'].includes(show(d).slice(11));
        expect(endOfSession || isWithinOfficeHours(wt.calendar, wt.hours, d)).toBe(true);
      }),
    );
  });

  it('an extended due date is never before the new date, and an open dossier is overdue exactly past its due', () => {
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 0, max: 3 * 1440 }), (newDue, now, length) => {
        const grantedAt = new Date(newDue.getTime() - 5 * 86_400_000);
        const p = {
          from: new Date(grantedAt.getTime() + 3_600_000),
          to: new Date(grantedAt.getTime() + 3_600_000 + length * 60_000),
        };
        const d = dossierDue(wt, {
          receivedAt: new Date(grantedAt.getTime() - 86_400_000),
          time: { amount: 1, unit: 'working-day' },
          rule15h: false,
          pauses: [p],
          extensions: [{ grantedAt, newDue }],
        });
        expect(d >= newDue).toBe(true);
        expect(deadlineStatus(wt, { due: d, now }).flag === 'overdue').toBe(now > d);
      }),
    );
  });
});

describe('isOverdue', () => {
  const due = new Date('2026-12-01T10:00:00Z');
  const before = new Date('2026-12-01T09:59:59Z');
  const after = new Date('2026-12-01T10:00:01Z');
  it('is past due while open, as of the pause while the clock is paused, never once finished or returned', () => {
    expect(isOverdue({ dueAt: due, pausedSince: null, finishedAt: null }, after)).toBe(true);
    expect(isOverdue({ dueAt: due, pausedSince: null, finishedAt: null }, due)).toBe(false);
    expect(isOverdue({ dueAt: due, pausedSince: before, finishedAt: null }, new Date('2027-01-01'))).toBe(
      false,
    );
    expect(isOverdue({ dueAt: due, pausedSince: after, finishedAt: null }, after)).toBe(true);
    expect(isOverdue({ dueAt: due, pausedSince: null, finishedAt: after }, new Date('2027-01-01'))).toBe(
      false,
    );
    expect(isOverdue({ dueAt: due, pausedSince: null, finishedAt: null, returnedAt: after }, after)).toBe(
      false,
    );
  });
});
