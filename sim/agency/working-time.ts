// The simulator's copy of the portal's working-time arithmetic (src/platform/calendar/working-time.ts): a
// simulated agency system is a separate program that only speaks to the portal over HTTP, so it keeps its
// own copy, as a real one-stop-shop system would. Which days are worked comes from the portal's calendar
// API (office-calendar.ts). generate.test.ts checks this copy against the portal's arithmetic.
//
// Deadline arithmetic in working time.
//
// Rules (national portal's processing-time rules; Decree 61/2018/NĐ-CP and Decree 107/2021/NĐ-CP on the
// one-stop mechanism; Decision 188/1999/QĐ-TTg on working hours; Civil Code 2015 Art. 146–148 on periods):
//   - Vietnam is UTC+7 without daylight saving time: all clock times here are fixed +07:00.
//   - A dossier filed before opening counts from the opening, during the lunch break from the afternoon
//     opening, after closing or on a day off from the next working day's opening.
//   - Some procedures (certified copies, civil status) count a dossier received after 15:00 from the next
//     working day's opening (`rule15h`, cut-off configurable).
//   - A working day is the agency's full daily working time (8 hours by default); working time is consumed
//     minute by minute across sessions and days. A deadline reached exactly at a session's end stays there
//     (17:00, not the next morning).
//   - Calendar-day limits ("ngày") count every day; the deadline is the closing time of the day on which
//     the period expires, moved to the next working day's closing time if that day is a day off.
//   - While a supplement request is open (dossier status 5) the clock stops: for working units the working
//     time inside the pause does not count, for calendar days the calendar time of the pause does not count.
// Resolution is one minute: instants are rounded up to the minute (a dossier filed at 16:00:30 counts from
// 16:01), pauses are widened to whole minutes.

/** Which days are worked: the one question the arithmetic asks of a calendar. */
export interface WorkingCalendar {
  /** isWorkingDay by day number (days since 1970-01-01). */
  isWorkingDayNumber(dayNumber: number): boolean;
}

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
function isoDateFromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

/** Office sessions of a working day, 'HH:MM' in Vietnam time, sorted and non-overlapping. */
export type OfficeHours = { sessions: { start: string; end: string }[] };

/** 07:00–11:30 and 13:30–17:00: 8 hours (the portal's default office hours). */
export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({
  sessions: Object.freeze([
    Object.freeze({ start: '07:00', end: '11:30' }),
    Object.freeze({ start: '13:30', end: '17:00' }),
  ]) as OfficeHours['sessions'],
});

export type DurationUnit = 'working-day' | 'working-hour' | 'day';

export interface Pause {
  readonly from: Date;
  readonly to: Date;
}

export interface DueDateOptions {
  /** Count a dossier received after `cutoff` on a working day from the next working day's opening. */
  readonly rule15h?: boolean;
  /** 'HH:MM', default '15:00'. */
  readonly cutoff?: string;
  /** Periods during which the clock stops (open supplement requests). */
  readonly pauses?: readonly Pause[];
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const OFFSET_MS = 7 * 3_600_000;
/** Days searched for a working day before giving up (a calendar with no working day at all). */
const MAX_SCAN_DAYS = 3660;

// ---------------------------------------------------------------------------------------------------------
// Office hours
// ---------------------------------------------------------------------------------------------------------

interface CompiledHours {
  /** [start, end) minutes of the day, sorted. */
  readonly sessions: readonly (readonly [number, number])[];
  /** Working minutes of a full working day. */
  readonly daily: number;
  readonly opening: number;
  readonly closing: number;
}

/** Minutes since midnight of 'HH:MM' (00:00–24:00); throws RangeError otherwise. */
export function parseClockTime(time: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  if (m === null || (m[1] === '24' && m[2] !== '00')) throw new RangeError(`not an HH:MM time: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const compiledCache = new WeakMap<OfficeHours, CompiledHours>();

/** Validates office hours: at least one session, each start < end, sorted and non-overlapping. */
export function compileOfficeHours(hours: OfficeHours): CompiledHours {
  // Only frozen office hours are cached (a mutable object could change after compilation).
  const cacheable =
    Object.isFrozen(hours) && Object.isFrozen(hours.sessions) && hours.sessions.every(Object.isFrozen);
  const cached = cacheable ? compiledCache.get(hours) : undefined;
  if (cached !== undefined) return cached;
  if (hours.sessions.length === 0) throw new RangeError('office hours need at least one session');
  const sessions = hours.sessions.map((s) => [parseClockTime(s.start), parseClockTime(s.end)] as const);
  let previousEnd = -1;
  for (const [start, end] of sessions) {
    if (start >= end)
      throw new RangeError(`office session must start before it ends: ${JSON.stringify(hours)}`);
    if (start < previousEnd) {
      throw new RangeError(`office sessions must be sorted and must not overlap: ${JSON.stringify(hours)}`);
    }
    previousEnd = end;
  }
  const compiled: CompiledHours = {
    sessions,
    daily: sessions.reduce((sum, [start, end]) => sum + end - start, 0),
    opening: sessions[0]![0],
    closing: sessions[sessions.length - 1]![1],
  };
  if (cacheable) compiledCache.set(hours, compiled);
  return compiled;
}

// ---------------------------------------------------------------------------------------------------------
// Instants as "Vietnam minutes" (minutes since 1970-01-01 00:00 +07:00)
// ---------------------------------------------------------------------------------------------------------

function checkDate(t: Date, what: string): number {
  const ms = t instanceof Date ? t.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid Date`);
  return ms;
}

const ceilMinute = (ms: number): number => Math.ceil((ms + OFFSET_MS) / MINUTE_MS);
const floorMinute = (ms: number): number => Math.floor((ms + OFFSET_MS) / MINUTE_MS);
const toDate = (minute: number): Date => new Date(minute * MINUTE_MS - OFFSET_MS);

function nextWorkingDay(calendar: WorkingCalendar, day: number): number {
  for (let d = day + 1, n = 0; n < MAX_SCAN_DAYS; d++, n++) if (calendar.isWorkingDayNumber(d)) return d;
  throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days after ${isoDateFromDayNumber(day)}`);
}

/** The first minute at or after `minute` at which the office is open. */
function normalise(calendar: WorkingCalendar, hours: CompiledHours, minute: number): number {
  const day = Math.floor(minute / DAY_MINUTES);
  if (calendar.isWorkingDayNumber(day)) {
    const m = minute - day * DAY_MINUTES;
    for (const [start, end] of hours.sessions) {
      if (m < start) return day * DAY_MINUTES + start;
      if (m < end) return minute;
    }
  }
  return nextWorkingDay(calendar, day) * DAY_MINUTES + hours.opening;
}

/** Start of counting for a dossier received at `t` (filing rules and optional cut-off). */
function countingStart(
  calendar: WorkingCalendar,
  hours: CompiledHours,
  t: Date,
  options: DueDateOptions | undefined,
): number {
  const minute = ceilMinute(checkDate(t, 'start'));
  if (options?.rule15h === true) {
    const cutoff = parseClockTime(options.cutoff ?? '15:00');
    const day = Math.floor(minute / DAY_MINUTES);
    if (calendar.isWorkingDayNumber(day) && minute - day * DAY_MINUTES > cutoff) {
      return nextWorkingDay(calendar, day) * DAY_MINUTES + hours.opening;
    }
  }
  return normalise(calendar, hours, minute);
}

/** Pauses as sorted, merged [from, to) minute intervals, widened to whole minutes. */
function compilePauses(pauses: readonly Pause[] | undefined): [number, number][] {
  if (pauses === undefined || pauses.length === 0) return [];
  const intervals = pauses.map((p): [number, number] => {
    const from = checkDate(p.from, 'pause start');
    const to = checkDate(p.to, 'pause end');
    if (to < from) throw new RangeError('a pause must not end before it starts');
    return [floorMinute(from), ceilMinute(to)];
  });
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of intervals) {
    const last = merged[merged.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else if (to > from) merged.push([from, to]);
  }
  return merged;
}

/**
 * Consumes `amount` working minutes from `start` (an open minute), skipping pauses; returns the minute at
 * which the amount is reached (a session end when it is reached exactly there).
 */
function addWorkingMinutes(
  calendar: WorkingCalendar,
  hours: CompiledHours,
  start: number,
  amount: number,
  pauses: readonly [number, number][],
): number {
  let remaining = amount;
  if (remaining === 0) return start;
  let p = 0; // first pause that may still matter
  let day = Math.floor(start / DAY_MINUTES);
  let from = start;
  for (let idle = 0; ; ) {
    if (!calendar.isWorkingDayNumber(day)) {
      if (++idle > MAX_SCAN_DAYS) throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days`);
    } else {
      idle = 0;
      const base = day * DAY_MINUTES;
      while (p < pauses.length && pauses[p]![1] <= Math.max(from, base)) p++;
      const pauseToday = p < pauses.length && pauses[p]![0] < base + DAY_MINUTES;
      if (!pauseToday && from <= base + hours.opening && remaining > hours.daily) {
        remaining -= hours.daily; // a whole working day
      } else {
        for (const [s, e] of hours.sessions) {
          let a = Math.max(base + s, from);
          const b = base + e;
          // Walk the session, jumping over pauses.
          let q = p;
          while (a < b) {
            while (q < pauses.length && pauses[q]![1] <= a) q++;
            const pause = q < pauses.length ? pauses[q]! : undefined;
            const pieceEnd = pause !== undefined && pause[0] < b ? Math.max(pause[0], a) : b;
            const length = pieceEnd - a;
            if (remaining <= length) return a + remaining;
            remaining -= length;
            a = pause !== undefined && pause[0] < b ? Math.min(b, Math.max(a, pause[1])) : b;
          }
        }
      }
    }
    day++;
    from = day * DAY_MINUTES;
  }
}

/** The first minute at or after `start` + `amount` minutes of calendar time, not counting pauses. */
function addCalendarMinutes(start: number, amount: number, pauses: readonly [number, number][]): number {
  let pos = start;
  let remaining = amount;
  for (const [from, to] of pauses) {
    if (to <= pos) continue;
    if (from > pos) {
      if (remaining <= from - pos) return pos + remaining;
      remaining -= from - pos;
    }
    pos = to;
  }
  return pos + remaining;
}

function amountInMinutes(amount: number, unit: DurationUnit, hours: CompiledHours): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`amount must be a finite number ≥ 0: ${amount}`);
  }
  switch (unit) {
    case 'working-day':
      return Math.round(amount * hours.daily);
    case 'working-hour':
      return Math.round(amount * 60);
    case 'day':
      return Math.round(amount * DAY_MINUTES);
    default:
      throw new RangeError(`unknown duration unit: ${String(unit)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------

/**
 * The due instant of a processing time of `amount` `unit`s for a dossier received at `start`.
 * - 'working-day' / 'working-hour': working time of the office (a working day = the office's daily working
 *   time), fractional amounts allowed, consumed minute by minute; a due reached at a session end stays there.
 * - 'day': calendar days counted from the start of counting; the due is the closing time of the day on
 *   which the period expires (the next working day's closing time if that is a day off or past closing).
 * Pauses stop the clock (working time inside them for working units, calendar time for 'day').
 */
export function dueDate(
  calendar: WorkingCalendar,
  hours: OfficeHours,
  start: Date,
  amount: number,
  unit: DurationUnit,
  options?: DueDateOptions,
): Date {
  const compiled = compileOfficeHours(hours);
  const minutes = amountInMinutes(amount, unit, compiled);
  const from = countingStart(calendar, compiled, start, options);
  const pauses = compilePauses(options?.pauses);
  if (unit !== 'day') return toDate(addWorkingMinutes(calendar, compiled, from, minutes, pauses));
  const expiry = addCalendarMinutes(from, minutes, pauses);
  const day = Math.floor(expiry / DAY_MINUTES);
  const closing = day * DAY_MINUTES + compiled.closing;
  if (calendar.isWorkingDayNumber(day) && expiry <= closing) return toDate(closing);
  return toDate(nextWorkingDay(calendar, day) * DAY_MINUTES + compiled.closing);
}

/**
 * The first instant at or after `t` (rounded up to the minute) at which the office is open: `t` itself inside
 * a session of a working day, otherwise the next session's opening.
 */
export function nextWorkingInstant(calendar: WorkingCalendar, hours: OfficeHours, t: Date): Date {
  return toDate(normalise(calendar, compileOfficeHours(hours), ceilMinute(checkDate(t, 'instant'))));
}

/** True if the office is open at `t`: a working day, within a session (start inclusive, end exclusive). */
export function isWithinOfficeHours(calendar: WorkingCalendar, hours: OfficeHours, t: Date): boolean {
  const compiled = compileOfficeHours(hours);
  const vietnamMs = checkDate(t, 'instant') + OFFSET_MS;
  const day = Math.floor(vietnamMs / 86_400_000);
  if (!calendar.isWorkingDayNumber(day)) return false;
  const minuteOfDay = (vietnamMs - day * 86_400_000) / MINUTE_MS;
  return compiled.sessions.some(([start, end]) => minuteOfDay >= start && minuteOfDay < end);
}

/**
 * Working minutes between `a` and `b` (a rounded up, b rounded down to the minute), not counting pauses;
 * negative when `b` is before `a`. For a dossier, workingMinutesBetween(received, dueDate(received, n,
 * 'working-hour')) = 60·n, and the dossier is overdue when workingMinutesBetween(due, now) > 0.
 */
export function workingMinutesBetween(
  calendar: WorkingCalendar,
  hours: OfficeHours,
  a: Date,
  b: Date,
  options?: { readonly pauses?: readonly Pause[] },
): number {
  const msA = checkDate(a, 'a');
  const msB = checkDate(b, 'b');
  if (msB < msA) return -workingMinutesBetween(calendar, hours, b, a, options);
  const compiled = compileOfficeHours(hours);
  const pauses = compilePauses(options?.pauses);
  const from = ceilMinute(msA);
  const to = floorMinute(msB);
  let total = 0;
  let p = 0;
  for (let day = Math.floor(from / DAY_MINUTES); day * DAY_MINUTES < to; day++) {
    if (!calendar.isWorkingDayNumber(day)) continue;
    const base = day * DAY_MINUTES;
    for (const [s, e] of compiled.sessions) {
      const lo = Math.max(base + s, from);
      const hi = Math.min(base + e, to);
      if (lo >= hi) continue;
      let length = hi - lo;
      while (p < pauses.length && pauses[p]![1] <= lo) p++;
      for (let q = p; q < pauses.length && pauses[q]![0] < hi; q++) {
        length -= Math.max(0, Math.min(hi, pauses[q]![1]) - Math.max(lo, pauses[q]![0]));
      }
      total += length;
    }
  }
  return total;
}
