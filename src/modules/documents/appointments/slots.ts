/**
 * Slots derived from an office's availability rules and the holiday calendar. Pure: no I/O.
 *
 * A rule gives weekdays, a window of Vietnam local time and a slot length; each day it applies on (in
 * its validity, one of its weekdays, not a day off of the calendar) gets the slots that fit wholly in the
 * window. Slots in the past (or starting within `leadMinutes`) and beyond the booking horizon are not
 * offered. Two rules that yield the same start are one slot (the first rule's capacities).
 */
import type { WorkingCalendar } from '../../../platform/calendar/index.ts';
import { addDays, vietnamDate } from '../../../platform/clock/index.ts';

export interface AvailabilityRule {
  id?: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** 'HH:MM', Vietnam local time. */
  startTime: string;
  endTime: string;
  slotMinutes: number;
  onlineCapacity: number;
  counterCapacity: number;
  /** 'YYYY-MM-DD' (Vietnam date). */
  validFrom: string;
  validTo: string | null;
}

export interface Slot {
  start: Date;
  end: Date;
  /** 'YYYY-MM-DD' (Vietnam date). */
  day: string;
  onlineCapacity: number;
  counterCapacity: number;
}

/** How far ahead a citizen may book. */
export const BOOKING_HORIZON_DAYS = 30;
/** The longest range one slots query may cover. */
export const MAX_RANGE_DAYS = 31;

const minutesOf = (hhmm: string): number => {
  const m = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(hhmm);
  if (!m) throw new RangeError(`bad time ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** The instant of a Vietnam local date and minute of the day. */
export const vietnamInstant = (day: string, minuteOfDay: number): Date =>
  new Date(Date.parse(`${day}T00:00:00+07:00`) + minuteOfDay * 60_000);

/** ISO weekday of a date (1 = Monday … 7 = Sunday). */
export const isoWeekday = (day: string): number => {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

/**
 * A day the office does not receive: a public holiday, a compensatory day or an official break of the
 * calendar. Weekly rest days are the rules' business (their weekdays), so a Saturday rule still gives
 * Saturday slots, while a weekday holiday gives none.
 */
export function closedDays(calendar: WorkingCalendar, from: string, to: string): Set<string> {
  const out = new Set<string>();
  for (let y = Number(from.slice(0, 4)) - 1; y <= Number(to.slice(0, 4)) + 1; y++)
    for (const h of calendar.holidays(y)) out.add(h.date);
  return out;
}

/** The slots of one day under the rules (without the past/horizon filter). */
export function slotsOfDay(rules: readonly AvailabilityRule[], day: string): Slot[] {
  const weekday = isoWeekday(day);
  const byStart = new Map<number, Slot>();
  for (const r of rules) {
    if (day < r.validFrom || (r.validTo !== null && day > r.validTo)) continue;
    if (!r.weekdays.includes(weekday)) continue;
    const from = minutesOf(r.startTime);
    const to = minutesOf(r.endTime);
    for (let m = from; m + r.slotMinutes <= to; m += r.slotMinutes) {
      const start = vietnamInstant(day, m);
      if (byStart.has(start.getTime())) continue;
      byStart.set(start.getTime(), {
        start,
        end: vietnamInstant(day, m + r.slotMinutes),
        day,
        onlineCapacity: r.onlineCapacity,
        counterCapacity: r.counterCapacity,
      });
    }
  }
  return [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * The slots from `from` to `to` (Vietnam dates, inclusive) that can still be booked at `now`: not on a
 * closed day, starting after `now` + `leadMinutes`, and on a day within the horizon.
 */
export function deriveSlots(input: {
  rules: readonly AvailabilityRule[];
  calendar: WorkingCalendar;
  from: string;
  to: string;
  now: Date;
  horizonDays?: number;
  leadMinutes?: number;
}): Slot[] {
  const today = vietnamDate(input.now);
  const last = addDays(today, input.horizonDays ?? BOOKING_HORIZON_DAYS);
  const earliest = input.now.getTime() + (input.leadMinutes ?? 0) * 60_000;
  const out: Slot[] = [];
  const closed = closedDays(input.calendar, input.from, input.to);
  const first = [input.from, today].sort()[1]!;
  for (let day = first; day <= input.to && day <= last; day = addDays(day, 1)) {
    if (closed.has(day)) continue;
    for (const s of slotsOfDay(input.rules, day)) if (s.start.getTime() > earliest) out.push(s);
  }
  return out;
}

/** The slot of the rules that starts exactly at `start`, if it can be booked at `now`. */
export function findSlot(input: {
  rules: readonly AvailabilityRule[];
  calendar: WorkingCalendar;
  start: Date;
  now: Date;
  horizonDays?: number;
  leadMinutes?: number;
}): Slot | undefined {
  const day = vietnamDate(input.start);
  return deriveSlots({ ...input, from: day, to: day }).find(
    (s) => s.start.getTime() === input.start.getTime(),
  );
}

/** A rule's problems, by field (empty when it is fine): for the API and the rules editor. */
export function ruleProblems(r: AvailabilityRule): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (r.weekdays.length === 0 || r.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    out.push({ path: 'weekdays', message: 'Chọn ít nhất một ngày trong tuần / choose at least one weekday' });
  if (!time.test(r.startTime))
    out.push({ path: 'startTime', message: 'Giờ bắt đầu dạng HH:MM / start as HH:MM' });
  if (!time.test(r.endTime)) out.push({ path: 'endTime', message: 'Giờ kết thúc dạng HH:MM / end as HH:MM' });
  if (time.test(r.startTime) && time.test(r.endTime) && minutesOf(r.startTime) >= minutesOf(r.endTime))
    out.push({ path: 'endTime', message: 'Giờ kết thúc phải sau giờ bắt đầu / end must be after start' });
  if (!Number.isInteger(r.slotMinutes) || r.slotMinutes < 5 || r.slotMinutes > 240)
    out.push({ path: 'slotMinutes', message: 'Mỗi khung từ 5 đến 240 phút / 5–240 minutes' });
  for (const [k, v] of [
    ['onlineCapacity', r.onlineCapacity],
    ['counterCapacity', r.counterCapacity],
  ] as const)
    if (!Number.isInteger(v) || v < 0 || v > 500)
      out.push({ path: k, message: 'Số chỗ từ 0 đến 500 / 0–500 places' });
  if (r.validTo !== null && r.validTo < r.validFrom)
    out.push({ path: 'validTo', message: 'Ngày kết thúc không trước ngày bắt đầu / not before the start' });
  return out;
}
