import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CalendarOverride,
  createWorkingCalendar,
  type Holiday,
  parseCalendarOverridesCsv,
} from './holidays.ts';

const CSV_FILE = path.resolve(import.meta.dirname, '../../../db/reference/calendar-overrides.csv');
const overrides = parseCalendarOverridesCsv(fs.readFileSync(CSV_FILE, 'utf8'));
const official = createWorkingCalendar({ overrides });
const computed = createWorkingCalendar({ overrides: [] });

const brief = (list: readonly Holiday[]) => list.map((h) => `${h.date} ${h.kind} ${h.holiday} ${h.name}`);

describe('computed holidays (Labour Code 2019 Art. 111–112)', () => {
  it('lists 2027: Tết Sat 6 Feb with two compensatory days, 1 May on Saturday compensated on Monday', () => {
    expect(brief(computed.holidays(2027))).toEqual([
      '2027-01-01 holiday new-year Tết Dương lịch',
      '2027-02-05 holiday tet Tết Nguyên đán (29 tháng Chạp)',
      '2027-02-06 holiday tet Tết Nguyên đán (mùng 1)',
      '2027-02-07 holiday tet Tết Nguyên đán (mùng 2)',
      '2027-02-08 holiday tet Tết Nguyên đán (mùng 3)',
      '2027-02-09 holiday tet Tết Nguyên đán (mùng 4)',
      '2027-02-10 compensatory tet Nghỉ bù', // for Saturday 6 February
      '2027-02-11 compensatory tet Nghỉ bù', // for Sunday 7 February
      '2027-04-16 holiday hung-kings Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      '2027-04-30 holiday reunification Ngày Chiến thắng (30/4)',
      '2027-05-01 holiday labour-day Ngày Quốc tế Lao động (1/5)',
      '2027-05-03 compensatory labour-day Nghỉ bù',
      '2027-09-02 holiday national-day Quốc khánh',
      '2027-09-03 holiday national-day Quốc khánh (ngày liền kề)',
    ]);
    // The CSV has no 2027 schedule (not announced in the sources consulted).
    expect(official.holidays(2027)).toEqual(computed.holidays(2027));
    expect(official.workingDaysSwapped(2027)).toEqual([]);
  });

  it('lists 2026 without data: Hùng Kings on Sunday 26 April compensated on Monday 27', () => {
    expect(brief(computed.holidays(2026))).toEqual([
      '2026-01-01 holiday new-year Tết Dương lịch',
      '2026-02-16 holiday tet Tết Nguyên đán (29 tháng Chạp)',
      '2026-02-17 holiday tet Tết Nguyên đán (mùng 1)',
      '2026-02-18 holiday tet Tết Nguyên đán (mùng 2)',
      '2026-02-19 holiday tet Tết Nguyên đán (mùng 3)',
      '2026-02-20 holiday tet Tết Nguyên đán (mùng 4)',
      '2026-04-26 holiday hung-kings Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      '2026-04-27 compensatory hung-kings Nghỉ bù',
      '2026-04-30 holiday reunification Ngày Chiến thắng (30/4)',
      '2026-05-01 holiday labour-day Ngày Quốc tế Lao động (1/5)',
      '2026-09-01 holiday national-day Quốc khánh (ngày liền kề)',
      '2026-09-02 holiday national-day Quốc khánh',
    ]);
  });

  it('compensates on the next working day that is not itself a holiday', () => {
    // 2023: Hùng Kings Sat 29 Apr, 30 Apr Sun, 1 May Mon → compensatory Tue 2 and Wed 3 May.
    expect(brief(computed.holidays(2023)).filter((h) => h.includes('-04-') || h.includes('-05-'))).toEqual([
      '2023-04-29 holiday hung-kings Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      '2023-04-30 holiday reunification Ngày Chiến thắng (30/4)',
      '2023-05-01 holiday labour-day Ngày Quốc tế Lao động (1/5)',
      '2023-05-02 compensatory hung-kings Nghỉ bù',
      '2023-05-03 compensatory reunification Nghỉ bù',
    ]);
    // 2022: New Year on Saturday → Monday 3 January; 30 Apr Sat + 1 May Sun → Mon 2 and Tue 3 May.
    expect(computed.isDayOff('2022-01-03')).toBe(true);
    expect(computed.isDayOff('2022-05-02')).toBe(true);
    expect(computed.isDayOff('2022-05-03')).toBe(true);
    expect(computed.isDayOff('2022-05-04')).toBe(false);
    // 2023: New Year on Sunday → Monday 2 January.
    expect(computed.holidays(2023)[1]).toMatchObject({
      date: '2023-01-02',
      kind: 'compensatory',
      holiday: 'new-year',
    });
  });

  it('chooses the adjacent National Day by the weekday of 2 September, as announced in 2021–2026', () => {
    const nationalDayOff = (year: number) =>
      computed
        .holidays(year)
        .filter((h) => h.holiday === 'national-day')
        .map((h) => h.date);
    expect(nationalDayOff(2021)).toEqual(['2021-09-02', '2021-09-03']); // Thu → Fri 3
    expect(nationalDayOff(2022)).toEqual(['2022-09-01', '2022-09-02']); // Fri → Thu 1
    expect(nationalDayOff(2023)).toEqual(['2023-09-01', '2023-09-02', '2023-09-04']); // Sat → Fri 1, Mon 4 bù
    expect(nationalDayOff(2024)).toEqual(['2024-09-02', '2024-09-03']); // Mon → Tue 3
    expect(nationalDayOff(2025)).toEqual(['2025-09-01', '2025-09-02']); // Tue → Mon 1
    expect(nationalDayOff(2026)).toEqual(['2026-09-01', '2026-09-02']); // Wed → Tue 1
    expect(nationalDayOff(2029)).toEqual(['2029-09-02', '2029-09-03', '2029-09-04']); // Sun → Mon 3, Tue 4 bù
    // …and the weekdays off agree with the announced schedules of those years.
    for (const year of [2021, 2023, 2024, 2025, 2026]) {
      const weekdaysOff = (cal: typeof computed) =>
        Array.from(
          { length: 12 },
          (_, i) => `${year}-${i < 6 ? '08' : '09'}-${String(i < 6 ? 26 + i : i - 5).padStart(2, '0')}`,
        )
          .filter((d) => ![0, 6].includes(new Date(d).getUTCDay()) && d !== '2026-08-31')
          .filter((d) => cal.isDayOff(d));
      expect(weekdaysOff(computed)).toEqual(weekdaysOff(official));
    }
  });

  it('computes every year 1990–2100 with 11 statutory days, sorted, in NFC Vietnamese', () => {
    for (let year = 1990; year <= 2100; year++) {
      const list = computed.holidays(year);
      expect(list.filter((h) => h.kind === 'holiday')).toHaveLength(11);
      const dates = list.map((h) => h.date);
      expect([...dates].sort()).toEqual(dates);
      for (const h of list) {
        expect(h.name.normalize('NFC')).toBe(h.name);
        // A compensatory day is always a working weekday that is not a statutory day.
        if (h.kind === 'compensatory') expect([0, 6]).not.toContain(new Date(h.date).getUTCDay());
      }
      expect(new Set(list.filter((h) => h.kind === 'compensatory').map((h) => h.date)).size).toBe(
        list.filter((h) => h.kind === 'compensatory').length,
      );
    }
  });
});

describe('announced schedules (db/reference/calendar-overrides.csv)', () => {
  it('loads rows that are all valid, NFC and sourced', () => {
    expect(overrides.length).toBeGreaterThan(0);
    for (const o of overrides) {
      expect(o.name.normalize('NFC')).toBe(o.name);
      expect(o.source.length).toBeGreaterThan(10);
    }
  });

  it('replaces Tết 2026 by the announced break Sat 14 – Sun 22 Feb (Thông báo 9441/TB-BNV)', () => {
    const tet = official.holidays(2026).filter((h) => h.holiday === 'tet');
    expect(tet.map((h) => h.date)).toEqual([
      '2026-02-14',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
    expect(tet.every((h) => h.kind === 'official-break' && h.source?.includes('9441/TB-BNV'))).toBe(true);
    expect(tet[3]?.name).toBe('Tết Nguyên đán (mùng 1)');
    expect(official.isWorkingDay('2026-02-13')).toBe(true);
    expect(official.isWorkingDay('2026-02-23')).toBe(true);
  });

  it('lists 2026 as announced, with Saturdays worked in exchange', () => {
    expect(official.holidays(2026).map((h) => `${h.date} ${h.holiday}`)).toEqual([
      '2026-01-01 new-year',
      '2026-01-02 new-year',
      '2026-01-03 new-year',
      '2026-01-04 new-year',
      '2026-02-14 tet',
      '2026-02-15 tet',
      '2026-02-16 tet',
      '2026-02-17 tet',
      '2026-02-18 tet',
      '2026-02-19 tet',
      '2026-02-20 tet',
      '2026-02-21 tet',
      '2026-02-22 tet',
      '2026-04-26 hung-kings',
      '2026-04-27 hung-kings',
      '2026-04-30 reunification',
      '2026-05-01 labour-day',
      '2026-08-29 national-day',
      '2026-08-30 national-day',
      '2026-08-31 national-day',
      '2026-09-01 national-day',
      '2026-09-02 national-day',
    ]);
    expect(official.holidays(2026).find((h) => h.date === '2026-04-26')?.name).toBe(
      'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
    );
    expect(official.holidays(2026).find((h) => h.date === '2026-04-27')?.name).toBe('Nghỉ bù');
    expect(official.holidays(2026).find((h) => h.date === '2026-09-02')?.name).toBe('Quốc khánh');
    expect(official.workingDaysSwapped(2026).map((d) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
    expect(official.isWorkingDay('2026-08-22')).toBe(true); // Saturday worked
    expect(official.isDayOff('2026-08-31')).toBe(true); // Monday off in exchange
    expect(official.isDayOff('2026-08-23')).toBe(true); // an ordinary Sunday
    expect(official.isDayOff('2026-09-03')).toBe(false);
  });

  it('keeps the computed days of holidays without rows', () => {
    expect(official.holidays(2024).filter((h) => h.holiday === 'hung-kings')).toEqual(
      computed.holidays(2024).filter((h) => h.holiday === 'hung-kings'),
    );
    // 2024: 30 April – 1 May break Sat 27 Apr – Wed 1 May, Saturday 4 May worked (2450/VPCP-KGVX).
    expect(official.isDayOff('2024-04-29')).toBe(true);
    expect(official.isWorkingDay('2024-05-04')).toBe(true);
    // 2020: Labour Code 2012 — one day for National Day.
    expect(official.isDayOff('2020-09-01')).toBe(false);
    expect(official.isDayOff('2020-09-02')).toBe(true);
  });

  it('lets data add days (e.g. a future Vietnam Culture Day) and mark a weekend day worked', () => {
    const extra: CalendarOverride[] = [
      {
        year: 2030,
        holiday: 'extra',
        date: '2030-11-25',
        kind: 'off',
        name: 'Ngày Văn hóa Việt Nam (nghỉ bù)',
        nameEn: 'Vietnam Culture Day (compensatory)',
        source: 'test',
      },
      {
        year: 2030,
        holiday: 'extra',
        date: '2030-11-24',
        kind: 'off',
        name: 'Ngày Văn hóa Việt Nam',
        nameEn: 'Vietnam Culture Day',
        source: 'test',
      },
    ];
    const cal = createWorkingCalendar({ overrides: extra });
    expect(cal.holidays(2030).filter((h) => h.holiday === 'extra')).toHaveLength(2);
    expect(cal.isDayOff('2030-11-25')).toBe(true);
    expect(cal.holidays(2030).filter((h) => h.kind === 'holiday')).toHaveLength(11);
  });

  it('rejects invalid or contradictory rows', () => {
    const row: CalendarOverride = {
      year: 2026,
      holiday: 'tet',
      date: '2026-02-16',
      kind: 'off',
      name: 'x',
      nameEn: 'x',
      source: 'x',
    };
    expect(() => createWorkingCalendar({ overrides: [{ ...row, date: '2026-02-30' }] })).toThrow(RangeError);
    expect(() => createWorkingCalendar({ overrides: [{ ...row, name: ' ' }] })).toThrow(RangeError);
    expect(() => createWorkingCalendar({ overrides: [row, row] })).toThrow(RangeError);
    expect(() =>
      createWorkingCalendar({ overrides: [row, { ...row, holiday: 'extra', kind: 'working' }] }),
    ).toThrow(RangeError);
    expect(() => parseCalendarOverridesCsv('year,date\n2026,2026-01-01\n')).toThrow(SyntaxError);
  });
});

describe('working days', () => {
  it('defaults to Monday–Friday and accepts other working weekdays', () => {
    expect(computed.isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(computed.isDayOff('2026-11-28')).toBe(true); // Saturday
    const sixDays = createWorkingCalendar({ overrides: [], workingWeekdays: [1, 2, 3, 4, 5, 6] });
    expect(sixDays.isWorkingDay('2026-11-28')).toBe(true);
    // With Saturday a working day, 1 May 2027 (Saturday) is compensated … not at all: it is not a rest day.
    expect(sixDays.holidays(2027).some((h) => h.kind === 'compensatory' && h.holiday === 'labour-day')).toBe(
      false,
    );
    expect(() => createWorkingCalendar({ overrides: [], workingWeekdays: [] })).toThrow(RangeError);
  });

  it('answers quickly for millions of look-ups', () => {
    const start = performance.now();
    let off = 0;
    for (let i = 0; i < 2_000_000; i++) if (!official.isWorkingDayNumber(20_000 + (i % 730))) off++;
    expect(off).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('rejects years outside the supported range', () => {
    expect(() => computed.holidays(1899)).toThrow(RangeError);
    expect(() => computed.isDayOff('2200-06-01')).toThrow(RangeError);
  });
});
