// Public holidays and working days of state agencies.
//
// Statutory rules (Bộ luật Lao động 2019 — Labour Code No. 45/2019/QH14, in force 1 January 2021):
//   Art. 112(1): paid public holidays — Tết Dương lịch 1 day (1 January); Tết Âm lịch 5 days; Ngày Chiến thắng
//     1 day (30 April); Ngày Quốc tế lao động 1 day (1 May); Quốc khánh 2 days (2 September and 1 adjacent day
//     before or after); Giỗ Tổ Hùng Vương 1 day (10th day of the 3rd lunar month).
//   Art. 112(3): each year the Prime Minister decides the actual days of Tết Âm lịch and of Quốc khánh; the
//     Ministry of Home Affairs (formerly MOLISA) announces the civil-service schedule, sometimes swapping a
//     working day with a Saturday worked in exchange ("hoán đổi ngày làm việc").
//   Art. 111(3): a holiday that falls on the weekly rest day is compensated on the next working day (nghỉ bù).
//   Decision 188/1999/QĐ-TTg: state agencies work Monday–Friday (40 hours a week).
// The computed schedule applies these rules to any year; announced schedules are data (CalendarOverride rows,
// db/reference/calendar-overrides.csv) that replace the computed days of that holiday for that year.
// Not modelled by the computation (supply override rows if such past years matter): before 2021 the Labour
// Code 2012 gave one day for Quốc khánh; before 2013 Tết was 4 days; Hùng Kings became a paid holiday in 2007.

import { parseCsv } from '../csv/index.ts';
import {
  dayNumberFromCivil,
  dayNumberFromIsoDate,
  dayNumberFromLunar,
  isoDateFromDayNumber,
  LUNAR_MAX_YEAR,
  LUNAR_MIN_YEAR,
  lunarFromDayNumber,
  weekdayOfDayNumber,
  yearOfDayNumber,
} from './lunar.ts';

/** Stable keys of the statutory holidays, plus 'extra' for days that only data adds. */
export const HOLIDAY_KEYS = [
  'new-year',
  'tet',
  'hung-kings',
  'reunification',
  'labour-day',
  'national-day',
  'extra',
] as const;
export type HolidayKey = (typeof HOLIDAY_KEYS)[number];

/**
 * One day of an officially announced schedule. All rows of a (year, holiday) pair together replace the
 * computed days of that holiday in that year: kind 'off' is a day off, kind 'working' a weekly rest day that
 * is worked in exchange (làm bù). `year` is the schedule's year (the date may fall outside it).
 */
export type CalendarOverride = {
  year: number;
  holiday: string;
  date: string;
  kind: 'off' | 'working';
  name: string;
  nameEn: string;
  source: string;
};

/** 'holiday': the statutory day itself; 'compensatory': nghỉ bù; 'official-break': a day of an announced schedule. */
export type HolidayKind = 'holiday' | 'compensatory' | 'official-break';

export interface Holiday {
  /** 'YYYY-MM-DD' (Vietnam civil date). */
  readonly date: string;
  /** Vietnamese name (NFC). */
  readonly name: string;
  readonly nameEn: string;
  /** HolidayKey of the holiday this day belongs to (any string for data-only holidays). */
  readonly holiday: string;
  readonly kind: HolidayKind;
  readonly source?: string;
}

export interface WorkingCalendarOptions {
  readonly overrides: readonly CalendarOverride[];
  /** Working days of the week, 0 = Sunday … 6 = Saturday. Default Monday–Friday (Decision 188/1999/QĐ-TTg). */
  readonly workingWeekdays?: readonly number[];
}

export interface WorkingCalendar {
  /** True for weekly rest days and holidays, false for working days (including Saturdays worked in exchange). */
  isDayOff(date: string): boolean;
  isWorkingDay(date: string): boolean;
  /** isWorkingDay by day number (days since 1970-01-01) — for hot loops. */
  isWorkingDayNumber(dayNumber: number): boolean;
  /**
   * Days off of the holidays of `year` (computed, or replaced by the announced schedule), sorted by date.
   * A schedule belongs to its year even if one of its days falls in the previous or next year.
   */
  holidays(year: number): Holiday[];
  /** Weekly rest days worked in exchange for a day off (làm bù) in the schedules of `year`, sorted by date. */
  workingDaysSwapped(year: number): SwappedWorkingDay[];
}

/** A weekly rest day worked in exchange for a day off (from a 'working' override row). */
export interface SwappedWorkingDay {
  /** 'YYYY-MM-DD' */
  readonly date: string;
  readonly name: string;
  readonly nameEn: string;
  readonly holiday: string;
  readonly source: string;
}

/** Years for which holidays are computed (the range of the lunar calendar). */
export const HOLIDAY_MIN_YEAR = LUNAR_MIN_YEAR;
export const HOLIDAY_MAX_YEAR = LUNAR_MAX_YEAR;

const DEFAULT_WORKING_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

const SOURCE_LABOUR_CODE = 'Bộ luật Lao động 2019, Điều 112';

// ---------------------------------------------------------------------------------------------------------
// Computed (statutory) holidays
// ---------------------------------------------------------------------------------------------------------

interface Day {
  readonly day: number;
  readonly name: string;
  readonly nameEn: string;
  readonly holiday: string;
  readonly kind: HolidayKind;
  readonly source?: string;
}

const TET_DAY_NAMES = ['mùng 1', 'mùng 2', 'mùng 3', 'mùng 4'] as const;

/**
 * The adjacent National Day (2 September) day, by the weekday of 2 September (0 = Sunday): the day that
 * makes the longest break with the weekend — Mon→3, Tue→1, Wed→1, Thu→3, Fri→1, Sat→1, Sun→3. This is
 * what the Prime Minister chose in 2021–2026 (2026: 1 September, with 31 August swapped in addition).
 */
const NATIONAL_DAY_ADJACENT: readonly number[] = [3, 3, 1, 1, 3, 1, 1];

/** Statutory days of each holiday of `year` (Art. 112(1)), before compensation. */
function statutoryDays(year: number): Map<HolidayKey, Day[]> {
  const days = new Map<HolidayKey, Day[]>();
  const add = (holiday: HolidayKey, day: number, name: string, nameEn: string): void => {
    const list = days.get(holiday) ?? [];
    list.push({ day, name, nameEn, holiday, kind: 'holiday', source: SOURCE_LABOUR_CODE });
    days.set(holiday, list);
  };
  add('new-year', dayNumberFromCivil(year, 1, 1), 'Tết Dương lịch', "New Year's Day");
  // Tết Âm lịch: 5 days; without a decision of the Prime Minister, the last day of the old year + days 1–4.
  const tet = dayNumberFromLunar(year, 1, 1);
  const eve = lunarFromDayNumber(tet - 1); // 30 (or 29) tháng Chạp
  add(
    'tet',
    tet - 1,
    `Tết Nguyên đán (${eve.day} tháng Chạp${eve.leap ? ' nhuận' : ''})`,
    `Lunar New Year (Tết), New Year's Eve (12th month, day ${eve.day})`,
  );
  TET_DAY_NAMES.forEach((label, i) => {
    add('tet', tet + i, `Tết Nguyên đán (${label})`, `Lunar New Year (Tết), day ${i + 1}`);
  });
  add(
    'hung-kings',
    dayNumberFromLunar(year, 3, 10),
    'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
    "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)",
  );
  add(
    'reunification',
    dayNumberFromCivil(year, 4, 30),
    'Ngày Chiến thắng (30/4)',
    'Reunification Day (30 April)',
  );
  add(
    'labour-day',
    dayNumberFromCivil(year, 5, 1),
    'Ngày Quốc tế Lao động (1/5)',
    'International Labour Day (1 May)',
  );
  const nationalDay = dayNumberFromCivil(year, 9, 2);
  const adjacent = dayNumberFromCivil(year, 9, NATIONAL_DAY_ADJACENT[weekdayOfDayNumber(nationalDay)]!);
  const national: [number, string, string][] = [
    [nationalDay, 'Quốc khánh', 'National Day'],
    [adjacent, 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)'],
  ];
  national.sort((a, b) => a[0] - b[0]);
  for (const [day, name, nameEn] of national) add('national-day', day, name, nameEn);
  return days;
}

// ---------------------------------------------------------------------------------------------------------
// Overrides
// ---------------------------------------------------------------------------------------------------------

interface OverrideIndex {
  /** year → holiday → rows */
  readonly byYear: ReadonlyMap<number, ReadonlyMap<string, readonly CalendarOverride[]>>;
}

function validateOverrides(overrides: readonly CalendarOverride[]): OverrideIndex {
  const byYear = new Map<number, Map<string, CalendarOverride[]>>();
  const kindByDate = new Map<string, CalendarOverride>();
  for (const raw of overrides) {
    const where = `calendar override ${JSON.stringify(raw)}`;
    if (!Number.isInteger(raw.year) || raw.year < HOLIDAY_MIN_YEAR || raw.year > HOLIDAY_MAX_YEAR) {
      throw new RangeError(`${where}: year outside ${HOLIDAY_MIN_YEAR}–${HOLIDAY_MAX_YEAR}`);
    }
    if (typeof raw.holiday !== 'string' || !/^[a-z][a-z0-9-]*$/.test(raw.holiday)) {
      throw new RangeError(`${where}: holiday must be a lower-case key`);
    }
    dayNumberFromIsoDate(raw.date);
    if (raw.kind !== 'off' && raw.kind !== 'working')
      throw new RangeError(`${where}: kind must be off or working`);
    for (const field of ['name', 'nameEn', 'source'] as const) {
      if (typeof raw[field] !== 'string' || raw[field].trim() === '')
        throw new RangeError(`${where}: ${field} is empty`);
    }
    const row: CalendarOverride = {
      ...raw,
      name: raw.name.normalize('NFC'),
      nameEn: raw.nameEn.normalize('NFC'),
      source: raw.source.normalize('NFC'),
    };
    const other = kindByDate.get(row.date);
    if (
      other !== undefined &&
      (other.kind !== row.kind || (other.year === row.year && other.holiday === row.holiday))
    ) {
      throw new RangeError(`${where}: conflicts with ${JSON.stringify(other)}`);
    }
    kindByDate.set(row.date, row);
    const holidays = byYear.get(row.year) ?? new Map<string, CalendarOverride[]>();
    byYear.set(row.year, holidays);
    const rows = holidays.get(row.holiday) ?? [];
    holidays.set(row.holiday, rows);
    rows.push(row);
  }
  return { byYear };
}

// ---------------------------------------------------------------------------------------------------------
// Per-year schedule
// ---------------------------------------------------------------------------------------------------------

interface ScheduleYear {
  readonly holidays: readonly Holiday[];
  /** Day numbers off (holidays, compensatory and official-break days). */
  readonly off: readonly number[];
  /** Day numbers worked in exchange. */
  readonly working: readonly number[];
  readonly swapped: readonly SwappedWorkingDay[];
}

function buildSchedule(
  year: number,
  overrides: ReadonlyMap<string, readonly CalendarOverride[]> | undefined,
  isWorkingWeekday: (day: number) => boolean,
): ScheduleYear {
  const statutory = statutoryDays(year);
  const offDays: Day[] = [];
  const swapped: SwappedWorkingDay[] = [];
  // Announced schedules replace the computed days of their holiday (including compensation).
  for (const rows of overrides?.values() ?? []) {
    for (const row of rows) {
      const day = dayNumberFromIsoDate(row.date);
      if (row.kind === 'working') {
        swapped.push(
          Object.freeze({
            date: row.date,
            name: row.name,
            nameEn: row.nameEn,
            holiday: row.holiday,
            source: row.source,
          }),
        );
      } else {
        offDays.push({
          day,
          name: row.name,
          nameEn: row.nameEn,
          holiday: row.holiday,
          kind: 'official-break',
          source: row.source,
        });
      }
    }
  }
  const computed: Day[] = [];
  for (const [key, days] of statutory) if (!overrides?.has(key)) computed.push(...days);
  const taken = new Set<number>([...offDays, ...computed].map((d) => d.day));
  // Art. 111(3): a holiday on a weekly rest day gives a compensatory day on the next working day that is not
  // itself a holiday (nor already a compensatory day), in date order.
  const compensatory: Day[] = [];
  for (const d of [...computed].sort((a, b) => a.day - b.day)) {
    if (isWorkingWeekday(d.day)) continue;
    let next = d.day + 1;
    while (!isWorkingWeekday(next) || taken.has(next)) next++;
    taken.add(next);
    compensatory.push({
      day: next,
      name: 'Nghỉ bù',
      nameEn: 'Compensatory day off',
      holiday: d.holiday,
      kind: 'compensatory',
      source: 'Bộ luật Lao động 2019, Điều 111 khoản 3',
    });
  }
  const all = [...offDays, ...computed, ...compensatory].sort(
    (a, b) => a.day - b.day || holidayOrder(a.holiday) - holidayOrder(b.holiday),
  );
  const holidays = all.map((d): Holiday => {
    const h: Holiday = {
      date: isoDateFromDayNumber(d.day),
      name: d.name,
      nameEn: d.nameEn,
      holiday: d.holiday,
      kind: d.kind,
      ...(d.source === undefined ? {} : { source: d.source }),
    };
    return Object.freeze(h);
  });
  return {
    holidays: Object.freeze(holidays),
    off: all.map((d) => d.day),
    working: swapped.map((d) => dayNumberFromIsoDate(d.date)),
    swapped: Object.freeze(swapped.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))),
  };
}

function holidayOrder(key: string): number {
  const i = (HOLIDAY_KEYS as readonly string[]).indexOf(key);
  return i < 0 ? HOLIDAY_KEYS.length : i;
}

// Day status inside a year's table.
const WORKING = 0;
const OFF = 1;

/** Creates a working calendar: weekly rest days, computed holidays, and announced schedules as data. */
export function createWorkingCalendar(options: WorkingCalendarOptions): WorkingCalendar {
  const weekdays = options.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS;
  if (weekdays.length === 0 || weekdays.some((w) => !Number.isInteger(w) || w < 0 || w > 6)) {
    throw new RangeError(`workingWeekdays must be a non-empty list of 0–6: ${JSON.stringify(weekdays)}`);
  }
  const workingWeekday = [0, 1, 2, 3, 4, 5, 6].map((w) => weekdays.includes(w));
  const isWorkingWeekday = (day: number): boolean => workingWeekday[weekdayOfDayNumber(day)]!;
  const index = validateOverrides(options.overrides);

  const schedules = new Map<number, ScheduleYear>();
  const schedule = (year: number): ScheduleYear => {
    let s = schedules.get(year);
    if (s === undefined) {
      if (!Number.isInteger(year) || year < HOLIDAY_MIN_YEAR || year > HOLIDAY_MAX_YEAR) {
        throw new RangeError(`year outside ${HOLIDAY_MIN_YEAR}–${HOLIDAY_MAX_YEAR}: ${year}`);
      }
      s = buildSchedule(year, index.byYear.get(year), isWorkingWeekday);
      schedules.set(year, s);
    }
    return s;
  };

  // Status of every day of a Gregorian year, from the schedules of that year and its neighbours (a
  // schedule may reach into the next or previous year, e.g. New Year breaks starting on 31 December).
  const tables = new Map<number, { readonly first: number; readonly status: Uint8Array }>();
  const table = (year: number): { readonly first: number; readonly status: Uint8Array } => {
    let t = tables.get(year);
    if (t === undefined) {
      schedule(year); // validates the year
      const first = dayNumberFromCivil(year, 1, 1);
      const size = dayNumberFromCivil(year + 1, 1, 1) - first;
      const status = new Uint8Array(size);
      for (let i = 0; i < size; i++) status[i] = isWorkingWeekday(first + i) ? WORKING : OFF;
      const years = [year - 1, year, year + 1].filter((y) => y >= HOLIDAY_MIN_YEAR && y <= HOLIDAY_MAX_YEAR);
      const mark = (day: number, value: number): void => {
        if (day >= first && day < first + size) status[day - first] = value;
      };
      for (const y of years) for (const day of schedule(y).off) mark(day, OFF);
      for (const y of years) for (const day of schedule(y).working) mark(day, WORKING);
      t = { first, status };
      tables.set(year, t);
    }
    return t;
  };

  // Fast path for consecutive look-ups in the same year.
  let lastTable: { readonly first: number; readonly status: Uint8Array } | undefined;
  const isWorkingDayNumber = (dayNumber: number): boolean => {
    let t = lastTable;
    if (t === undefined || dayNumber < t.first || dayNumber >= t.first + t.status.length) {
      t = table(yearOfDayNumber(dayNumber));
      lastTable = t;
    }
    return t.status[dayNumber - t.first] === WORKING;
  };

  return {
    isDayOff: (date) => !isWorkingDayNumber(dayNumberFromIsoDate(date)),
    isWorkingDay: (date) => isWorkingDayNumber(dayNumberFromIsoDate(date)),
    isWorkingDayNumber,
    // Copies of cached lists (of frozen entries), so that callers may sort or filter them freely.
    holidays: (year) => [...schedule(year).holidays],
    workingDaysSwapped: (year) => [...schedule(year).swapped],
  };
}

// ---------------------------------------------------------------------------------------------------------
// CSV (db/reference/calendar-overrides.csv)
// ---------------------------------------------------------------------------------------------------------

const CSV_HEADER = ['year', 'holiday', 'date', 'kind', 'name', 'name_en', 'source'] as const;

/** Parses db/reference/calendar-overrides.csv (header year,holiday,date,kind,name,name_en,source). */
export function parseCalendarOverridesCsv(text: string): CalendarOverride[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() !== CSV_HEADER.join(',')) {
    throw new SyntaxError(`calendar overrides CSV: header must be ${CSV_HEADER.join(',')}`);
  }
  return parseCsv(text).map((r, i) => {
    const { year = '', holiday = '', date = '', kind = '', name = '', name_en: nameEn = '', source = '' } = r;
    if (!/^\d{4}$/.test(year))
      throw new SyntaxError(`calendar overrides CSV line ${i + 2}: bad year ${year}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new SyntaxError(`calendar overrides CSV line ${i + 2}: bad date ${date}`);
    if (kind !== 'off' && kind !== 'working') {
      throw new SyntaxError(`calendar overrides CSV line ${i + 2}: bad kind ${kind}`);
    }
    return { year: Number(year), holiday, date, kind, name, nameEn, source };
  });
}
