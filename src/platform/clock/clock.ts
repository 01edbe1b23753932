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
