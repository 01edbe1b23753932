import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../platform/calendar/index.ts';
import { DEMO_RULES } from './demo.ts';
import {
  type AvailabilityRule,
  deriveSlots,
  findSlot,
  ruleProblems,
  slotsOfDay,
  vietnamInstant,
} from './slots.ts';

// The Labour Code's holidays as the calendar computes them (no announced schedule needed for these).
const calendar = createWorkingCalendar({ overrides: [] });
const vn = (s: string) => new Date(`${s.replace(' ', 'T')}:00+07:00`);
const days = (slots: Array<{ day: string }>) => [...new Set(slots.map((s) => s.day))];

describe('slots from the rules and the holiday calendar', () => {
  it('gives a working day 15 half-hour slots, 7:30 to 17:00 with the lunch break', () => {
    const s = slotsOfDay(DEMO_RULES, '2026-12-08');
    expect(s).toHaveLength(15);
    expect(s[0]!.start).toEqual(vn('2026-12-08 07:30'));
    expect(s[7]!.end).toEqual(vn('2026-12-08 11:30'));
    expect(s[8]!.start).toEqual(vn('2026-12-08 13:30'));
    expect(s.at(-1)!.end).toEqual(vn('2026-12-08 17:00'));
    expect(s.every((x) => x.onlineCapacity === 3 && x.counterCapacity === 2)).toBe(true);
  });

  it('has none on National Day (1–2 September 2026) and the weekend around it', () => {
    const s = deriveSlots({
      rules: DEMO_RULES,
      calendar,
      from: '2026-08-28',
      to: '2026-09-04',
      now: vn('2026-08-27 12:00'),
    });
    // Fri 28 Aug; Sat 29, Sun 30; Mon 31 works; Tue 1 and Wed 2 September are holidays.
    expect(days(s)).toEqual(['2026-08-28', '2026-08-31', '2026-09-03', '2026-09-04']);
  });

  it('has none through Tết 2027 with its compensatory days', () => {
    const s = deriveSlots({
      rules: DEMO_RULES,
      calendar,
      from: '2027-02-01',
      to: '2027-02-15',
      now: vn('2027-01-31 08:00'),
    });
    expect(days(s)).toEqual([
      '2027-02-01',
      '2027-02-02',
      '2027-02-03',
      '2027-02-04',
      '2027-02-12',
      '2027-02-15',
    ]);
  });

  it('offers a Saturday only when a rule says so, but never a holiday that falls on it', () => {
    const saturday: AvailabilityRule = { ...DEMO_RULES[0]!, weekdays: [6], validFrom: '2026-01-01' };
    expect(
      days(
        deriveSlots({
          rules: [saturday],
          calendar,
          from: '2026-12-07',
          to: '2026-12-13',
          now: vn('2026-12-07 08:00'),
        }),
      ),
    ).toEqual(['2026-12-12']);
    // 1 January 2028 is a Saturday.
    expect(
      deriveSlots({
        rules: [saturday],
        calendar,
        from: '2027-12-31',
        to: '2028-01-01',
        now: vn('2027-12-30 08:00'),
      }),
    ).toEqual([]);
  });

  it('never offers the past, nor beyond the horizon, nor outside a rule’s validity', () => {
    const now = vn('2026-12-08 10:10');
    const today = deriveSlots({ rules: DEMO_RULES, calendar, from: '2026-12-01', to: '2026-12-08', now });
    expect(today[0]!.start).toEqual(vn('2026-12-08 10:30'));
    expect(days(today)).toEqual(['2026-12-08']);
    const far = deriveSlots({
      rules: DEMO_RULES,
      calendar,
      from: '2027-01-05',
      to: '2027-01-20',
      now,
      horizonDays: 30,
    });
    expect(days(far)).toEqual(['2027-01-05', '2027-01-06', '2027-01-07']);
    const ended: AvailabilityRule = { ...DEMO_RULES[0]!, validTo: '2026-12-09' };
    expect(
      days(deriveSlots({ rules: [ended], calendar, from: '2026-12-08', to: '2026-12-11', now })),
    ).toEqual(['2026-12-08', '2026-12-09']);
  });

  it('finds a slot only at its exact start', () => {
    const now = vn('2026-12-07 09:00');
    expect(findSlot({ rules: DEMO_RULES, calendar, start: vn('2026-12-08 08:00'), now })?.end).toEqual(
      vn('2026-12-08 08:30'),
    );
    expect(findSlot({ rules: DEMO_RULES, calendar, start: vn('2026-12-08 08:15'), now })).toBeUndefined();
    expect(findSlot({ rules: DEMO_RULES, calendar, start: vn('2026-12-08 12:00'), now })).toBeUndefined();
    expect(vietnamInstant('2026-12-08', 450)).toEqual(vn('2026-12-08 07:30'));
  });

  it('checks a rule field by field', () => {
    expect(ruleProblems(DEMO_RULES[0]!)).toEqual([]);
    const bad = { ...DEMO_RULES[0]!, weekdays: [0], startTime: '25:00', slotMinutes: 1, onlineCapacity: -1 };
    expect(ruleProblems(bad).map((p) => p.path)).toEqual([
      'weekdays',
      'startTime',
      'slotMinutes',
      'onlineCapacity',
    ]);
  });
});
