/**
 * Time in the portal: instants are UTC `Date`s; calendar dates are Vietnam dates ('YYYY-MM-DD' in
 * Asia/Ho_Chi_Minh, UTC+7 with no daylight saving since 1975). Services take a Clock so tests can pin
 * "now".
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const t = new Date(at);
  return { now: () => new Date(t) };
}

export const VIETNAM_OFFSET_MINUTES = 7 * 60;

/** The Vietnam calendar date of an instant. */
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/** Formats an instant as Vietnam local time, e.g. "2026-11-30 16:00". */
export function vietnamDateTime(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MINUTES * 60_000)
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (rejects 2025-02-30). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** dd/mm/yyyy, the way dates are written in Vietnamese documents. */
export function formatVietnameseDate(isoDate: string): string {
  const m = ISO_DATE.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/** An instant as people read it in Vietnamese pages and messages: "16:00 30/11/2026" (Vietnam time). */
export function vietnamWhen(instant: Date): string {
  const [date, time] = vietnamDateTime(instant).split(' ') as [string, string];
  return `${time} ${formatVietnameseDate(date)}`;
}

/** The calendar date `days` after `isoDate` (negative: before). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const WEEKDAYS = {
  vi: ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
} as const;

/** Weekday of a calendar date, as written at the start of a line ("Thứ Hai", "Chủ nhật"). */
export function weekdayName(isoDate: string, locale: 'vi' | 'en'): string {
  return WEEKDAYS[locale][new Date(`${isoDate}T00:00:00Z`).getUTCDay()]!;
}

/** Weekday name by ISO number (1 = Monday … 7 = Sunday). */
export function isoWeekdayName(isoWeekday: number, locale: 'vi' | 'en'): string {
  return WEEKDAYS[locale][isoWeekday % 7] ?? String(isoWeekday);
}

/** 'YYYY-MM-DDTHH:mm' in Vietnam time → the instant; undefined unless it is a real date and time. */
export function parseVietnamLocal(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m || !isIsoDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined;
  return new Date(`${text}:00+07:00`);
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A strict ISO 8601 instant with an offset; rejects 2026-02-30T… and other dates `Date` would roll over. */
export function parseInstant(text: string): Date | undefined {
  const m = INSTANT.exec(text);
  if (!m || !isIsoDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59)
    return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
