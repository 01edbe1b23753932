/**
 * The calendar as the portal uses it: the computed Labour Code holidays (src/platform/calendar's pure
 * functions) plus the official schedules stored in `platform.calendar_overrides` (loaded from
 * db/reference/calendar-overrides.csv), cached in memory and refreshed every minute so that every
 * process picks up a changed schedule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import {
  type CalendarOverride,
  createWorkingCalendar,
  dueDate,
  type OfficeHours,
  parseCalendarOverridesCsv,
  type WorkingCalendar,
} from '../../platform/calendar/index.ts';
import { type Clock, vietnamDate } from '../../platform/clock/index.ts';
import type { AnyDb, ReferenceDataSet } from '../../platform/db/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../platform/kernel/index.ts';

export const CALENDAR_REFERENCE_FILE = path.resolve(
  import.meta.dirname,
  '../../../db/reference/calendar-overrides.csv',
);
const REFRESH_MS = 60_000;

export type DueUnit = 'working-day' | 'working-hour' | 'day';

export interface AgencyHours {
  sessions: Array<{ start: string; end: string }>;
  weekdays?: number[];
}

export function calendarReferenceData(file = CALENDAR_REFERENCE_FILE): ReferenceDataSet {
  const text = fs.readFileSync(file, 'utf8');
  return {
    name: 'platform.calendar-overrides',
    sources: [text],
    async load(trx) {
      const rows = parseCalendarOverridesCsv(text);
      await sql`delete from platform.calendar_overrides`.execute(trx);
      for (const r of rows) {
        await sql`insert into platform.calendar_overrides (date, year, holiday, kind, name, name_en, source)
                  values (${r.date}::date, ${r.year}, ${r.holiday}, ${r.kind}, ${r.name}, ${r.nameEn}, ${r.source})`.execute(
          trx,
        );
      }
    },
  };
}

export interface CalendarServiceDeps {
  db: AnyDb;
  clock: Clock;
  officeHoursFor: (agencyCode: string, date?: string) => Promise<AgencyHours | undefined>;
}

export type CalendarService = ReturnType<typeof createCalendarService>;

export function createCalendarService({ db, clock, officeHoursFor }: CalendarServiceDeps) {
  let loaded:
    | { at: number; overrides: CalendarOverride[]; calendars: Map<string, WorkingCalendar> }
    | undefined;
  let loading: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const r = await sql<{
      date: string;
      year: number;
      holiday: string;
      kind: 'off' | 'working';
      name: string;
      name_en: string;
      source: string;
    }>`select date, year, holiday, kind, name, name_en, source from platform.calendar_overrides order by date`.execute(
      db as Kysely<unknown>,
    );
    loaded = {
      at: Date.now(),
      overrides: r.rows.map((o) => ({
        date: o.date as CalendarOverride['date'],
        year: o.year,
        holiday: o.holiday,
        kind: o.kind,
        name: o.name,
        nameEn: o.name_en,
        source: o.source,
      })),
      calendars: new Map(),
    };
  }

  async function calendarFor(weekdays: number[] = [1, 2, 3, 4, 5]): Promise<WorkingCalendar> {
    if (!loaded || Date.now() - loaded.at > REFRESH_MS) {
      loading ??= refresh().finally(() => {
        loading = undefined;
      });
      await loading;
    }
    const key = weekdays.join(',');
    const state = loaded!;
    let cal = state.calendars.get(key);
    if (!cal) {
      cal = createWorkingCalendar({ overrides: state.overrides, workingWeekdays: weekdays });
      state.calendars.set(key, cal);
    }
    return cal;
  }

  function checkYear(year: number): void {
    if (!Number.isInteger(year) || year < 1990 || year > 2100) {
      throw new ValidationError('Năm phải từ 1990 đến 2100.', [
        { path: 'year', message: 'must be from 1990 to 2100' },
      ]);
    }
  }

  async function hoursOf(
    agency: string | undefined,
    at: Date,
  ): Promise<{ hours: OfficeHours; weekdays: number[] }> {
    if (!agency) return { hours: { sessions: DEFAULT_OFFICE_HOURS.sessions }, weekdays: [1, 2, 3, 4, 5] };
    const h = await officeHoursFor(agency, vietnamDate(at));
    if (!h) throw new NotFoundError(`Không có cơ quan mã ${agency}.`);
    // Agencies store ISO weekdays (1 = Monday … 7 = Sunday); the calendar counts 0 = Sunday … 6.
    return { hours: { sessions: h.sessions }, weekdays: (h.weekdays ?? [1, 2, 3, 4, 5]).map((d) => d % 7) };
  }

  return {
    calendarFor,
    hoursOf,

    async holidays(year: number) {
      checkYear(year);
      const cal = await calendarFor();
      return { year, items: cal.holidays(year), workingDays: cal.workingDaysSwapped(year) };
    },

    async dueDate(input: {
      start: Date;
      amount: number;
      unit: DueUnit;
      agency?: string | undefined;
      rule15h?: boolean | undefined;
      pauses?: Array<{ from: Date; to: Date }> | undefined;
    }) {
      const { hours, weekdays } = await hoursOf(input.agency, input.start);
      const cal = await calendarFor(weekdays);
      let due: Date;
      try {
        due = dueDate(cal, hours, input.start, input.amount, input.unit, {
          rule15h: input.rule15h ?? false,
          pauses: input.pauses ?? [],
        });
      } catch (e) {
        // The calendar covers 1900–2199; anything beyond is bad input, not a fault.
        if (e instanceof RangeError) {
          throw new ValidationError(`Không tính được hạn: ${e.message}. Lịch hỗ trợ các năm 1990–2100.`, [
            { path: 'start', message: e.message },
          ]);
        }
        throw e;
      }
      return { due, officeHours: hours, weekdays };
    },

    now: () => clock.now(),
  };
}
