// Working-time calendar of the portal: Vietnamese lunisolar calendar (UTC+7), public holidays (Labour Code
// 2019 Art. 111–112, announced schedules as data) and deadline arithmetic in working time (UTC+7).

export type {
  CalendarOverride,
  Holiday,
  HolidayKey,
  HolidayKind,
  SwappedWorkingDay,
  WorkingCalendar,
  WorkingCalendarOptions,
} from './holidays.ts';
export {
  createWorkingCalendar,
  HOLIDAY_KEYS,
  HOLIDAY_MAX_YEAR,
  HOLIDAY_MIN_YEAR,
  parseCalendarOverridesCsv,
} from './holidays.ts';
export type { LunarDate, SolarDate } from './lunar.ts';
export {
  dayNumberFromIsoDate,
  hungKingsDate,
  isoDateFromDayNumber,
  LUNAR_MAX_YEAR,
  LUNAR_MIN_YEAR,
  leapMonthOf,
  lunarMonthLength,
  lunarNewYearEve,
  lunarToSolar,
  solarToLunar,
  tetDate,
  VIETNAM_UTC_OFFSET_HOURS,
} from './lunar.ts';
export type { DueDateOptions, DurationUnit, OfficeHours, Pause } from './working-time.ts';
export {
  compileOfficeHours,
  dueDate,
  isWithinOfficeHours,
  nextWorkingInstant,
  parseClockTime,
  workingMinutesBetween,
} from './working-time.ts';
