/** Office hours of an agency: when dossiers are received and working time runs. */

export interface OfficeHours {
  /** Sessions of a working day, 'HH:MM' in Vietnam time, sorted and non-overlapping. */
  sessions: Array<{ start: string; end: string }>;
  /** ISO weekdays worked (1 = Monday … 7 = Sunday); absent: Monday to Friday. */
  weekdays?: number[];
}

/**
 * 07:00–11:30 and 13:30–17:00, Monday to Friday: 8 hours a day (the usual hours of state agencies,
 * Decision 188/1999/QĐ-TTg; each agency may set its own).
 */
export const DEFAULT_OFFICE_HOURS: Required<OfficeHours> = Object.freeze({
  sessions: Object.freeze([
    Object.freeze({ start: '07:00', end: '11:30' }),
    Object.freeze({ start: '13:30', end: '17:00' }),
  ]) as OfficeHours['sessions'],
  weekdays: Object.freeze([1, 2, 3, 4, 5]) as number[],
});
