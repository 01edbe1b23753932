import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_HOURS } from '../kernel/index.ts';
import { createWorkingCalendar, parseCalendarOverridesCsv } from './holidays.ts';
import {
  compileOfficeHours,
  type DueDateOptions,
  type DurationUnit,
  dueDate,
  isWithinOfficeHours,
  nextWorkingInstant,
  type OfficeHours,
  workingMinutesBetween,
} from './working-time.ts';

const CSV_FILE = path.resolve(import.meta.dirname, '../../../db/reference/calendar-overrides.csv');
const calendar = createWorkingCalendar({
  overrides: parseCalendarOverridesCsv(fs.readFileSync(CSV_FILE, 'utf8')),
});
const H = DEFAULT_OFFICE_HOURS;

/** An instant given in Vietnam time, 'YYYY-MM-DD HH:MM[:SS]'. */
const vn = (s: string): Date => new Date(`${s.replace(' ', 'T')}${s.length === 16 ? ':00' : ''}+07:00`);
/** 'YYYY-MM-DD HH:MM' in Vietnam time. */
const show = (d: Date): string =>
  new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const due = (start: string, amount: number, unit: DurationUnit, options?: DueDateOptions): string =>
  show(dueDate(calendar, H, vn(start), amount, unit, options));

describe('dueDate: working days and hours', () => {
  it('Friday 16:00 + 1 working day → Monday 16:00 (09:00Z)', () => {
    const d = dueDate(calendar, H, new Date('2026-11-27T16:00:00+07:00'), 1, 'working-day');
    expect(d.toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('filed after closing: counts from the next opening; a due at 17:00 stays at 17:00', () => {
    expect(due('2026-11-24 18:00', 1, 'working-day')).toBe('2026-11-25 17:00');
    expect(due('2026-11-24 17:00', 1, 'working-hour')).toBe('2026-11-25 08:00');
    expect(due('2026-11-24 13:30', 3.5, 'working-hour')).toBe('2026-11-24 17:00');
  });

  it('filed during the lunch break: counts from 13:30', () => {
    expect(due('2026-11-24 12:00', 2, 'working-hour')).toBe('2026-11-24 15:30');
    expect(due('2026-11-24 11:30', 1, 'working-hour')).toBe('2026-11-24 14:30');
  });

  it('filed before opening: counts from 07:00; 4.5 hours end at 11:30, not 13:30', () => {
    expect(due('2026-11-24 06:00', 4.5, 'working-hour')).toBe('2026-11-24 11:30');
    expect(due('2026-11-24 06:00', 4.75, 'working-hour')).toBe('2026-11-24 13:45');
  });

  it('filed on a day off: counts from the next working day', () => {
    expect(due('2026-11-28 10:00', 1, 'working-hour')).toBe('2026-11-30 08:00'); // Saturday
    expect(due('2026-08-22 08:00', 1, 'working-hour')).toBe('2026-08-22 09:00'); // Saturday worked (làm bù)
    expect(due('2026-08-28 16:00', 2, 'working-hour')).toBe('2026-09-03 08:00'); // National Day break 29/8–2/9
  });

  it('applies the 15:00 rule when asked', () => {
    expect(due('2026-11-24 15:30', 1, 'working-day')).toBe('2026-11-25 15:30');
    expect(due('2026-11-24 15:30', 1, 'working-day', { rule15h: true })).toBe('2026-11-25 17:00');
    expect(due('2026-11-24 15:00', 1, 'working-day', { rule15h: true })).toBe('2026-11-25 15:00');
    expect(due('2026-11-24 15:00:01', 1, 'working-day', { rule15h: true })).toBe('2026-11-25 17:00');
    expect(due('2026-11-27 15:30', 2, 'working-hour', { rule15h: true })).toBe('2026-11-30 09:00'); // Friday
    expect(due('2026-11-24 14:30', 1, 'working-hour', { rule15h: true, cutoff: '14:00' })).toBe(
      '2026-11-25 08:00',
    );
  });

  it('skips the whole Tết 2026 break (Sat 14 – Sun 22 Feb)', () => {
    expect(due('2026-02-13 16:00', 1, 'working-day')).toBe('2026-02-23 16:00');
    expect(due('2026-02-12 10:00', 3, 'working-day')).toBe('2026-02-24 10:00');
    expect(due('2026-02-15 10:00', 0.5, 'working-day')).toBe('2026-02-23 11:00');
  });

  it('handles fractional and zero amounts at one-minute resolution', () => {
    expect(due('2026-11-24 09:00', 0.5, 'working-day')).toBe('2026-11-24 15:00');
    expect(due('2026-11-24 09:00', 0, 'working-day')).toBe('2026-11-24 09:00');
    expect(due('2026-11-24 18:00', 0, 'working-hour')).toBe('2026-11-25 07:00');
    expect(due('2026-11-24 09:00', 1 / 60, 'working-hour')).toBe('2026-11-24 09:01');
    expect(due('2026-11-24 16:00:30', 1, 'working-hour')).toBe('2026-11-25 07:01'); // counted from 16:01
  });

  it('uses the agency’s own office hours', () => {
    const hours: OfficeHours = {
      sessions: [
        { start: '07:30', end: '11:30' },
        { start: '13:00', end: '17:00' },
      ],
    };
    expect(show(dueDate(calendar, hours, vn('2026-11-27 16:00'), 1, 'working-day'))).toBe('2026-11-30 16:00');
    expect(show(dueDate(calendar, hours, vn('2026-11-24 12:00'), 1, 'working-hour'))).toBe(
      '2026-11-24 14:00',
    );
    const short: OfficeHours = { sessions: [{ start: '08:00', end: '12:00' }] }; // 4 h a day
    expect(show(dueDate(calendar, short, vn('2026-11-24 10:00'), 1, 'working-day'))).toBe('2026-11-25 10:00');
  });
});

describe('dueDate: calendar days', () => {
  it('ends at the closing time of the last day', () => {
    expect(due('2026-11-23 09:00', 3, 'day')).toBe('2026-11-26 17:00');
    expect(due('2026-11-23 09:00', 0, 'day')).toBe('2026-11-23 17:00');
  });

  it('moves a due falling on a Sunday to Monday 17:00', () => {
    expect(due('2026-11-27 10:00', 2, 'day')).toBe('2026-11-30 17:00');
  });

  it('counts from the normalised start and moves past holidays', () => {
    expect(due('2026-11-27 18:00', 1, 'day')).toBe('2026-12-01 17:00'); // from Monday 07:00
    expect(due('2026-02-10 10:00', 5, 'day')).toBe('2026-02-23 17:00'); // 15 Feb is in the Tết break
  });
});

describe('dueDate: pauses (supplement requests stop the clock)', () => {
  const pause = { from: vn('2026-11-24 14:00'), to: vn('2026-11-25 10:00') };

  it('for working units, the working time inside the pause does not count', () => {
    expect(due('2026-11-23 09:00', 2, 'working-day')).toBe('2026-11-25 09:00');
    // 6 working hours inside the pause (Tue 14:00–17:00, Wed 07:00–10:00): the due moves by them.
    expect(due('2026-11-23 09:00', 2, 'working-day', { pauses: [pause] })).toBe('2026-11-25 17:00');
    expect(due('2026-11-23 09:00', 2, 'working-day', { pauses: [pause, pause] })).toBe('2026-11-25 17:00');
    // A pause during a night or a weekend contains no working time.
    const weekend = { from: vn('2026-11-28 08:00'), to: vn('2026-11-29 20:00') };
    expect(due('2026-11-27 16:00', 1, 'working-day', { pauses: [weekend] })).toBe('2026-11-30 16:00');
  });

  it('for calendar days, the calendar time of the pause does not count', () => {
    expect(due('2026-11-23 09:00', 3, 'day', { pauses: [pause] })).toBe('2026-11-27 17:00'); // 20 h
    const short = { from: vn('2026-11-24 14:00'), to: vn('2026-11-24 17:00') };
    expect(due('2026-11-23 09:00', 3, 'day', { pauses: [short] })).toBe('2026-11-26 17:00'); // 3 h
  });

  it('rejects a pause that ends before it starts', () => {
    expect(() => due('2026-11-23 09:00', 1, 'day', { pauses: [{ from: pause.to, to: pause.from }] })).toThrow(
      RangeError,
    );
  });
});

describe('helpers', () => {
  it('nextWorkingInstant normalises like a filing', () => {
    expect(show(nextWorkingInstant(calendar, H, vn('2026-11-24 10:00')))).toBe('2026-11-24 10:00');
    expect(show(nextWorkingInstant(calendar, H, vn('2026-11-24 12:15')))).toBe('2026-11-24 13:30');
    expect(show(nextWorkingInstant(calendar, H, vn('2026-11-24 17:00')))).toBe('2026-11-25 07:00');
    expect(show(nextWorkingInstant(calendar, H, vn('2026-02-13 17:30')))).toBe('2026-02-23 07:00');
  });

  it('isWithinOfficeHours: start inclusive, end exclusive, working days only', () => {
    expect(isWithinOfficeHours(calendar, H, vn('2026-11-24 07:00'))).toBe(true);
    expect(isWithinOfficeHours(calendar, H, vn('2026-11-24 11:30'))).toBe(false);
    expect(isWithinOfficeHours(calendar, H, vn('2026-11-24 11:29:59'))).toBe(true);
    expect(isWithinOfficeHours(calendar, H, vn('2026-11-28 09:00'))).toBe(false);
  });

  it('workingMinutesBetween measures working time (negative backwards)', () => {
    expect(workingMinutesBetween(calendar, H, vn('2026-11-27 16:00'), vn('2026-11-30 16:00'))).toBe(480);
    expect(workingMinutesBetween(calendar, H, vn('2026-11-30 16:00'), vn('2026-11-27 16:00'))).toBe(-480);
    expect(workingMinutesBetween(calendar, H, vn('2026-02-13 16:00'), vn('2026-02-23 08:00'))).toBe(120);
    const pauses = [{ from: vn('2026-11-30 07:00'), to: vn('2026-11-30 09:00') }];
    expect(
      workingMinutesBetween(calendar, H, vn('2026-11-27 16:00'), vn('2026-11-30 16:00'), { pauses }),
    ).toBe(360);
  });

  it('validates office hours', () => {
    expect(compileOfficeHours(H).daily).toBe(480);
    const bad: OfficeHours[] = [
      { sessions: [] },
      { sessions: [{ start: '13:30', end: '11:30' }] },
      {
        sessions: [
          { start: '07:00', end: '12:00' },
          { start: '11:30', end: '17:00' },
        ],
      },
      {
        sessions: [
          { start: '13:30', end: '17:00' },
          { start: '07:00', end: '11:30' },
        ],
      },
      { sessions: [{ start: '7:00', end: '11:30' }] },
      { sessions: [{ start: '07:00', end: '24:30' }] },
    ];
    for (const hours of bad) expect(() => compileOfficeHours(hours)).toThrow(RangeError);
    expect(() => dueDate(calendar, H, new Date(Number.NaN), 1, 'day')).toThrow(RangeError);
    expect(() => dueDate(calendar, H, vn('2026-11-24 09:00'), -1, 'day')).toThrow(RangeError);
    expect(() => dueDate(calendar, H, vn('2026-11-24 09:00'), 1, 'week' as DurationUnit)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const FROM = Date.parse('2025-01-01T00:00:00+07:00');
  const TO = Date.parse('2027-12-31T00:00:00+07:00');
  // Uniform instants, and instants close to session boundaries and to the 15:00 cut-off.
  const BOUNDARIES = [0, 7 * 60, 11 * 60 + 30, 13 * 60 + 30, 15 * 60, 17 * 60];
  const instant = fc.oneof(
    fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms)),
    fc
      .tuple(
        fc.integer({ min: 0, max: Math.floor((TO - FROM) / 86_400_000) }),
        fc.constantFrom(...BOUNDARIES),
        fc.integer({ min: -2, max: 2 }),
        fc.constantFrom(0, 1, 30_000, 59_999),
      )
      .map(([day, minute, delta, ms]) => new Date(FROM + day * 86_400_000 + (minute + delta) * 60_000 + ms)),
  );
  const unit = fc.constantFrom<DurationUnit>('working-day', 'working-hour', 'day');
  /** Amounts on a grid that the minute resolution represents exactly. */
  const amountFor = (u: DurationUnit, min = 0) =>
    u === 'working-hour'
      ? fc.integer({ min, max: 400 }).map((n) => n / 4)
      : fc.integer({ min, max: 240 }).map((n) => n / 8);
  const pauses = (start: Date) =>
    fc.array(
      fc
        .tuple(
          fc.integer({ min: -2 * 86_400_000, max: 30 * 86_400_000 }),
          fc.integer({ min: 0, max: 5 * 86_400_000 }),
        )
        .map(([offset, length]) => ({
          from: new Date(start.getTime() + offset),
          to: new Date(start.getTime() + offset + length),
        })),
      { maxLength: 3 },
    );
  const options = (start: Date) =>
    fc.record({ rule15h: fc.boolean(), pauses: pauses(start) }) as fc.Arbitrary<DueDateOptions>;

  /** Open, or exactly at a session end, on a working day. */
  const inOfficeHoursInclusive = (t: Date): boolean => {
    const local = new Date(t.getTime() + 7 * 3_600_000);
    if (!calendar.isWorkingDay(local.toISOString().slice(0, 10))) return false;
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
    return compileOfficeHours(H).sessions.some(([start, end]) => minute >= start && minute <= end);
  };

  it('the due is on a working day, within office hours (session end inclusive), on a whole minute, not before the start', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(instant, unit)
          .chain(([start, u]) => fc.tuple(fc.constant(start), fc.constant(u), amountFor(u), options(start))),
        ([start, u, amount, opts]) => {
          const d = dueDate(calendar, H, start, amount, u, opts);
          expect(inOfficeHoursInclusive(d)).toBe(true);
          expect(d.getTime() % 60_000).toBe(0);
          expect(d.getTime()).toBeGreaterThanOrEqual(start.getTime());
        },
      ),
      { numRuns: Number(process.env.CALENDAR_PROPERTY_RUNS ?? 2000) },
    );
  });

  it('the due never decreases when the amount grows', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(instant, unit)
          .chain(([start, u]) =>
            fc.tuple(fc.constant(start), fc.constant(u), amountFor(u), amountFor(u), options(start)),
          ),
        ([start, u, a, b, opts]) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          expect(dueDate(calendar, H, start, small, u, opts).getTime()).toBeLessThanOrEqual(
            dueDate(calendar, H, start, large, u, opts).getTime(),
          );
        },
      ),
      { numRuns: Number(process.env.CALENDAR_PROPERTY_RUNS ?? 1000) },
    );
  });

  // b > 0: adding 0 to a due at a session end (17:00) normalises it to the next opening, like a filing.
  it('adding a then b working hours (or days) equals adding a + b, pauses included', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(instant, fc.constantFrom<DurationUnit>('working-day', 'working-hour'))
          .chain(([start, u]) =>
            fc.tuple(fc.constant(start), fc.constant(u), amountFor(u), amountFor(u, 1), pauses(start)),
          ),
        ([start, u, a, b, p]) => {
          const first = dueDate(calendar, H, start, a, u, { pauses: p });
          const twoSteps = dueDate(calendar, H, first, b, u, { pauses: p });
          expect(show(twoSteps)).toBe(show(dueDate(calendar, H, start, a + b, u, { pauses: p })));
        },
      ),
      { numRuns: Number(process.env.CALENDAR_PROPERTY_RUNS ?? 1000) },
    );
  });

  it('workingMinutesBetween(start, due) is the amount in minutes, and the due is the first such instant', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(instant, amountFor('working-hour'))
          .chain(([start, a]) => fc.tuple(fc.constant(start), fc.constant(a), pauses(start))),
        ([start, hours, p]) => {
          const d = dueDate(calendar, H, start, hours, 'working-hour', { pauses: p });
          expect(workingMinutesBetween(calendar, H, start, d, { pauses: p })).toBe(Math.round(hours * 60));
          // …and it is the first such instant: one minute earlier, one working minute is missing.
          if (hours > 0) {
            const before = new Date(d.getTime() - 60_000);
            expect(workingMinutesBetween(calendar, H, start, before, { pauses: p })).toBe(
              Math.round(hours * 60) - 1,
            );
          }
        },
      ),
      { numRuns: Number(process.env.CALENDAR_PROPERTY_RUNS ?? 1000) },
    );
  });

  it('nextWorkingInstant is t rounded up to the minute if the office is open then, else a session start', () => {
    const sessionStarts = compileOfficeHours(H).sessions.map(([start]) => start);
    fc.assert(
      fc.property(instant, (t) => {
        const n = nextWorkingInstant(calendar, H, t);
        const rounded = new Date(Math.ceil(t.getTime() / 60_000) * 60_000);
        expect(isWithinOfficeHours(calendar, H, n)).toBe(true);
        if (isWithinOfficeHours(calendar, H, rounded)) expect(n).toEqual(rounded);
        else {
          expect(n.getTime()).toBeGreaterThan(t.getTime());
          const local = new Date(n.getTime() + 7 * 3_600_000);
          expect(sessionStarts).toContain(local.getUTCHours() * 60 + local.getUTCMinutes());
          // …and the office is closed at every whole minute in between (sampled every 30 minutes).
          for (let m = rounded.getTime(); m < n.getTime(); m += 1_800_000) {
            expect(isWithinOfficeHours(calendar, H, new Date(m))).toBe(false);
          }
        }
      }),
      { numRuns: Number(process.env.CALENDAR_PROPERTY_RUNS ?? 1000) },
    );
  });
});
