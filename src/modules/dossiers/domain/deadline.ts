/**
 * A dossier's deadline, on top of the platform's working-time calendar (src/platform/calendar): the
 * filing rules (after closing, lunch break, before opening, the 15:00 rule) and the working-time
 * arithmetic are the calendar's; this file adds what is particular to dossiers:
 *  - the processing-time units procedures use beyond the calendar's three: clock hours ('hour') and
 *    calendar months ('month', Civil Code 2015 Art. 147–148: the period ends on the same day of the last
 *    month, or on that month's last day when it has no such day; then as for calendar days);
 *  - pauses: while a supplement request is open the clock stops, and the due date moves by the time the
 *    applicant took (working time for working units, calendar time for 'day'/'month'/'hour');
 *  - extensions (form 04, the apology with a new date): the latest new date replaces the computed one,
 *    and a pause after the extension moves it on by the pause's working time;
 *  - flags: on time, due soon, overdue, paused; and for a finished dossier early, on time or late;
 *  - the due moment of one step of the process (the history's NgayKetThucTheoQuyDinh).
 * Every function is pure: the calendar and office hours of the agency are passed in.
 */

import {
  compileOfficeHours,
  dayNumberFromIsoDate,
  dueDate,
  type OfficeHours,
  type Pause,
  type WorkingCalendar,
  workingMinutesBetween,
} from '../../../platform/calendar/index.ts';
import { vietnamDate } from '../../../platform/clock/index.ts';
import type { StepLimit } from './workflow.ts';

export const PROCESSING_UNITS = ['working-day', 'working-hour', 'day', 'hour', 'month'] as const;
export type ProcessingUnit = (typeof PROCESSING_UNITS)[number];

export interface ProcessingTime {
  readonly amount: number;
  readonly unit: ProcessingUnit;
}

/** The working calendar (holidays, swapped days, working weekdays) and office hours of an agency. */
export interface WorkingTime {
  readonly calendar: WorkingCalendar;
  readonly hours: OfficeHours;
}

export interface Extension {
  /** When the officer extended (form 04 was issued). */
  readonly grantedAt: Date;
  /** The new appointment. */
  readonly newDue: Date;
}

export interface DeadlineInput {
  /** When the agency received the dossier (for an online dossier: when it was submitted). */
  readonly receivedAt: Date;
  readonly time: ProcessingTime;
  /** Received after the cut-off (15:00) on a working day: counts from the next working day. */
  readonly rule15h: boolean;
  /** Closed pauses (supplement requests that were answered). */
  readonly pauses?: readonly Pause[];
  /** Extensions in any order; the latest granted counts. */
  readonly extensions?: readonly Extension[];
}

const HOUR_MS = 3_600_000;

function checkTime(time: ProcessingTime): void {
  if (!(PROCESSING_UNITS as readonly string[]).includes(time.unit))
    throw new RangeError(`unknown processing-time unit: ${String(time.unit)}`);
  if (typeof time.amount !== 'number' || !Number.isFinite(time.amount) || time.amount < 0)
    throw new RangeError(`a processing time must be a finite number ≥ 0: ${time.amount}`);
}

/** The moment counting starts for a dossier received at `receivedAt` (filing rules, 15:00 rule). */
export function countingStart(wt: WorkingTime, receivedAt: Date, rule15h: boolean): Date {
  return dueDate(wt.calendar, wt.hours, receivedAt, 0, 'working-hour', { rule15h });
}

/** 'YYYY-MM-DD' plus `months` calendar months, clamped to the last day of the month. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** `start` plus `ms` of calendar time, not counting pauses. */
function addCalendarTime(start: Date, ms: number, pauses: readonly Pause[]): Date {
  const sorted = [...pauses].sort((p, q) => p.from.getTime() - q.from.getTime());
  let pos = start.getTime();
  let remaining = ms;
  for (const p of sorted) {
    const from = p.from.getTime();
    const to = p.to.getTime();
    if (to <= pos) continue;
    if (from > pos) {
      if (remaining <= from - pos) break;
      remaining -= from - pos;
    }
    pos = Math.max(pos, to);
  }
  // Rounded up to the minute, like the calendar's instants.
  return new Date(Math.ceil((pos + remaining) / 60_000) * 60_000);
}

/** The due date computed from the processing time alone, pauses included, extensions ignored. */
function computedDue(wt: WorkingTime, input: DeadlineInput): Date {
  const { calendar, hours } = wt;
  const { time, receivedAt, rule15h } = input;
  const pauses = input.pauses ?? [];
  checkTime(time);
  switch (time.unit) {
    case 'working-day':
    case 'working-hour':
    case 'day':
      return dueDate(calendar, hours, receivedAt, time.amount, time.unit, { rule15h, pauses });
    case 'hour':
      return addCalendarTime(countingStart(wt, receivedAt, rule15h), time.amount * HOUR_MS, pauses);
    case 'month': {
      // Whole months by the calendar, a fraction as 30 days; then the rules of calendar days.
      const start = vietnamDate(countingStart(wt, receivedAt, rule15h));
      const whole = Math.floor(time.amount);
      const days =
        dayNumberFromIsoDate(addMonths(start, whole)) -
        dayNumberFromIsoDate(start) +
        Math.round((time.amount - whole) * 30);
      return dueDate(calendar, hours, receivedAt, days, 'day', { rule15h, pauses });
    }
  }
}

/** Working minutes of the pauses (the part of each after `after`, when given). */
export function pausedWorkingMinutes(wt: WorkingTime, pauses: readonly Pause[], after?: Date): number {
  let total = 0;
  for (const p of pauses) {
    const from = after && p.from < after ? after : p.from;
    if (p.to > from) total += workingMinutesBetween(wt.calendar, wt.hours, from, p.to);
  }
  return total;
}

/** The latest extension, by the moment it was granted. */
export function latestExtension(extensions: readonly Extension[] | undefined): Extension | undefined {
  let latest: Extension | undefined;
  for (const e of extensions ?? []) if (!latest || e.grantedAt >= latest.grantedAt) latest = e;
  return latest;
}

/**
 * The dossier's due date (NgayHenTra): from the processing time, the filing rules, the pauses; or, once
 * extended, the latest new date moved on by the working time of the pauses that came after it.
 */
export function dossierDue(wt: WorkingTime, input: DeadlineInput): Date {
  const extension = latestExtension(input.extensions);
  if (!extension) return computedDue(wt, input);
  const later = (input.pauses ?? []).filter((p) => p.to > extension.grantedAt);
  const minutes = pausedWorkingMinutes(wt, later, extension.grantedAt);
  if (minutes === 0) return extension.newDue;
  return dueDate(wt.calendar, wt.hours, extension.newDue, minutes / 60, 'working-hour');
}

/** Why an extension cannot be granted (undefined: it can). */
export function extensionProblem(currentDue: Date, newDue: Date, now: Date): string | undefined {
  if (!(newDue instanceof Date) || Number.isNaN(newDue.getTime())) return 'Ngày hẹn mới không hợp lệ.';
  if (newDue <= currentDue) return 'Ngày hẹn mới phải sau ngày hẹn trả hiện tại.';
  if (newDue <= now) return 'Ngày hẹn mới phải ở tương lai.';
  if (newDue.getTime() - now.getTime() > 366 * 24 * HOUR_MS) return 'Chỉ được hẹn lại trong vòng một năm.';
  return undefined;
}

/** When a step of the process should be done (undefined: the step has no limit). */
export function stepDue(
  wt: WorkingTime,
  enteredAt: Date,
  limit: StepLimit | undefined,
  dossierDueAt: Date,
): Date | undefined {
  if (limit === undefined) return undefined;
  if (limit === 'dossier-due') return dossierDueAt;
  return dueDate(wt.calendar, wt.hours, enteredAt, limit.amount, limit.unit);
}

export type OpenFlag = 'on-time' | 'due-soon' | 'overdue' | 'paused';
export type FinishedFlag = 'early' | 'on-time' | 'late';

export type DeadlineStatus =
  | {
      readonly finished: false;
      readonly flag: OpenFlag;
      /** Working minutes from now (or from the pause) to the due date; ≤ 0 when overdue. */
      readonly workingMinutesLeft: number;
    }
  | { readonly finished: true; readonly flag: FinishedFlag };

/**
 * Where a dossier stands against its due date. Open: overdue once `now` is past the due date; due soon
 * within `soonMinutes` working minutes (default: one working day of the agency); paused while a
 * supplement is awaited (unless it was already overdue when paused). Finished: late after the due date,
 * on time on the due date's day, early before it.
 */
/**
 * Overdue: still open (no result yet, not returned) and past its due moment — while the clock is paused,
 * as of the moment it paused. The one definition of "overdue" every page, list and count uses; the
 * inbox's SQL filter (dossiers.repository.ts `overdueWhere`) says the same, and a test holds them equal.
 */
export function isOverdue(
  d: { dueAt: Date; pausedSince: Date | null; finishedAt: Date | null; returnedAt?: Date | null | undefined },
  now: Date,
): boolean {
  if (d.finishedAt || d.returnedAt) return false;
  return (d.pausedSince ?? now).getTime() > d.dueAt.getTime();
}

export function deadlineStatus(
  wt: WorkingTime,
  s: { due: Date; now: Date; pausedSince?: Date | null; finishedAt?: Date | null; soonMinutes?: number },
): DeadlineStatus {
  if (s.finishedAt) {
    if (s.finishedAt > s.due) return { finished: true, flag: 'late' };
    return { finished: true, flag: vietnamDate(s.finishedAt) === vietnamDate(s.due) ? 'on-time' : 'early' };
  }
  const at = s.pausedSince ?? s.now;
  const left = workingMinutesBetween(wt.calendar, wt.hours, at, s.due);
  if (isOverdue({ dueAt: s.due, pausedSince: s.pausedSince ?? null, finishedAt: null }, s.now))
    return { finished: false, flag: 'overdue', workingMinutesLeft: left };
  if (s.pausedSince) return { finished: false, flag: 'paused', workingMinutesLeft: left };
  const soon = s.soonMinutes ?? compileOfficeHours(wt.hours).daily;
  return { finished: false, flag: left <= soon ? 'due-soon' : 'on-time', workingMinutesLeft: left };
}
