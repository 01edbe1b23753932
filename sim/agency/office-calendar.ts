/**
 * The working days of the simulated agency, as the portal publishes them: for each year, the days off
 * besides ordinary weekends and the weekend days worked in exchange (`GET /api/v1/calendar/holidays`).
 * Read once when a run starts and kept in its journal, so a resumed run generates the same events.
 */
import type { WorkingCalendar } from './working-time.ts';

/** Days off and swapped working days ('YYYY-MM-DD') of the years read, and those years. */
export interface OfficeDays {
  years: number[];
  off: string[];
  working: string[];
}

export interface OfficeCalendar extends WorkingCalendar {
  isWorkingDay(date: string): boolean;
}

const DAY_MS = 86_400_000;

/** Monday to Friday, less the days off, plus the weekend days worked. */
export function officeCalendarOf(days: OfficeDays): OfficeCalendar {
  const off = new Set(days.off);
  const working = new Set(days.working);
  const byNumber = (n: number) => {
    const iso = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (working.has(iso)) return true;
    const weekday = new Date(n * DAY_MS).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !off.has(iso);
  };
  return {
    isWorkingDayNumber: byNumber,
    isWorkingDay: (date) => byNumber(Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)),
  };
}

/** The years a run needs: those of its window, and the next (appointments fall after it). */
export function yearsOf(anchor: Date, days: number): number[] {
  const first = new Date(anchor.getTime() - (days + 1) * DAY_MS).getUTCFullYear();
  const last = anchor.getUTCFullYear() + 1;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The portal's calendar of `years`, through its public API. */
export async function fetchOfficeDays(
  get: (path: string) => Promise<unknown>,
  years: number[],
): Promise<OfficeDays> {
  const off: string[] = [];
  const working: string[] = [];
  for (const year of years) {
    const answer = (await get(`/api/v1/calendar/holidays?year=${year}`)) as {
      items: Array<{ date: string }>;
      workingDays: Array<{ date: string }>;
    };
    off.push(...answer.items.map((h) => h.date));
    working.push(...answer.workingDays.map((d) => d.date));
  }
  return { years, off: [...new Set(off)].sort(), working: [...new Set(working)].sort() };
}
