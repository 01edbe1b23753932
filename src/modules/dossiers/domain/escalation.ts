/**
 * When an overdue dossier is escalated to the leaders of the competent agency (the deadline watch; the
 * officer assigned has already been warned before the due date and told when it passed):
 *  - level 1 as soon as the due date has passed: the agency owes the applicant an apology with a new
 *    date (form 04), which its leader signs;
 *  - level 2 when the dossier is still open three working days after the due date (in the receiving
 *    unit's calendar and office hours: weekends, holidays and nights do not count).
 * A dossier waiting for the applicant's supplement (its clock stopped) or finished is not escalated. Each
 * level is sent once per dossier (`dossiers.escalations`); a job that was down sends only the highest
 * level reached. Pure: the calendar is passed in.
 */
import { compileOfficeHours, workingMinutesBetween } from '../../../platform/calendar/index.ts';
import type { WorkingTime } from './deadline.ts';

export interface EscalationRule {
  level: number;
  /** Working days past the due date (0: as soon as it has passed). */
  afterWorkingDays: number;
}

export const ESCALATION_RULES: readonly EscalationRule[] = Object.freeze([
  { level: 1, afterWorkingDays: 0 },
  { level: 2, afterWorkingDays: 3 },
]);

export const TOP_ESCALATION_LEVEL = ESCALATION_RULES[ESCALATION_RULES.length - 1]!.level;

/** The highest escalation level the dossier has reached now; 0 when none. */
export function escalationLevel(
  wt: WorkingTime,
  s: { due: Date; now: Date; pausedSince?: Date | null; finishedAt?: Date | null },
  rules: readonly EscalationRule[] = ESCALATION_RULES,
): number {
  if (s.finishedAt || s.pausedSince || !(s.now > s.due)) return 0;
  const late = workingMinutesBetween(wt.calendar, wt.hours, s.due, s.now);
  const daily = compileOfficeHours(wt.hours).daily;
  let level = 0;
  for (const r of rules) if (late >= r.afterWorkingDays * daily) level = Math.max(level, r.level);
  return level;
}

/**
 * A calendar lower bound of how long past its due date a dossier must be to reach a level: n working
 * days take at least n − 1 whole days (a due date at opening, then n full working days in a row). For
 * the job's query, which then checks the working time exactly.
 */
export function calendarLowerBoundMs(rule: EscalationRule): number {
  return Math.max(0, rule.afterWorkingDays - 1) * 86_400_000;
}
