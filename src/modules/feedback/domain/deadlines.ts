/**
 * A feedback item's deadlines in working days (reference/oversight.md, how the portal's index measures
 * timeliness): refuse within 2 working days of submission; ask for more information within 5; handle
 * within 15 of being forwarded (of submission when the Government Office answers it itself); publish the
 * answer within 2 after it was given. The limits are a regime's (sector rules set their own), with a
 * warning window before each due moment. While the submitter is asked for more information the clock stops:
 * every deadline moves by the working time of the pause. Pure: the calendar and office hours are passed in.
 */
import {
  dueDate,
  type OfficeHours,
  type Pause,
  type WorkingCalendar,
  workingMinutesBetween,
} from '../../../platform/calendar/index.ts';

export interface WorkingTime {
  readonly calendar: WorkingCalendar;
  readonly hours: OfficeHours;
}

/** Limits of a regime, in working days. */
export interface Regime {
  readonly refuseWithin: number;
  readonly askInfoWithin: number;
  readonly handleWithin: number;
  readonly publishWithin: number;
  /** A running clock warns when this many working days or fewer are left. */
  readonly warnWithin: number;
}

export const DEFAULT_REGIME: Regime = Object.freeze({
  refuseWithin: 2,
  askInfoWithin: 5,
  handleWithin: 15,
  publishWithin: 2,
  warnWithin: 1,
});

/** When things happened to the item (null: not yet). */
export interface Timeline {
  readonly submittedAt: Date;
  readonly acceptedAt?: Date | null;
  readonly refusedAt?: Date | null;
  /** The first time the Government Office asked for more information. */
  readonly askedAt?: Date | null;
  /** The first forwarding to an agency. */
  readonly forwardedAt?: Date | null;
  readonly answeredAt?: Date | null;
  /** Published, or withheld with a reason. */
  readonly closedAt?: Date | null;
  /** Merged into another item as a duplicate: every clock still open stops here. */
  readonly mergedAt?: Date | null;
  /** Requests for more information; `to` null while the request is open. */
  readonly pauses: readonly { readonly from: Date; readonly to: Date | null }[];
}

export const DEADLINE_KINDS = ['refuse', 'ask-info', 'handle', 'publish'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * running / warning / overdue: still open; paused: open and the clock is stopped; met / late: done on time
 * or after the due moment; stopped: the item was merged into another before the step was done.
 */
export type DeadlineState = 'running' | 'warning' | 'overdue' | 'paused' | 'met' | 'late' | 'stopped';

export interface Deadline {
  readonly kind: DeadlineKind;
  readonly due: Date;
  readonly state: DeadlineState;
  /** When the step was done (null: open). */
  readonly doneAt: Date | null;
  /** Working minutes left (negative: over), or taken beyond (negative) / before (positive) the due when done. */
  readonly marginMinutes: number;
}

const earliest = (...dates: (Date | null | undefined)[]): Date | null => {
  const ds = dates.filter((d): d is Date => d instanceof Date);
  return ds.length === 0 ? null : new Date(Math.min(...ds.map((d) => d.getTime())));
};

/** Pauses as the calendar takes them: an open pause runs until `now`. */
export function closedPauses(timeline: Timeline, now: Date): Pause[] {
  return timeline.pauses.map((p) => ({ from: p.from, to: p.to ?? (p.from > now ? p.from : now) }));
}

/** The due moment of `days` working days from `start`, the pauses not counted. */
export function dueAfter(wt: WorkingTime, start: Date, days: number, pauses: readonly Pause[]): Date {
  return dueDate(wt.calendar, wt.hours, start, days, 'working-day', { pauses });
}

/** The deadlines that apply to the item now, in the order of the process. */
export function deadlinesOf(wt: WorkingTime, regime: Regime, t: Timeline, now: Date): Deadline[] {
  const pauses = closedPauses(t, t.mergedAt ?? now);
  const paused = t.pauses.some((p) => p.to === null);
  const out: Deadline[] = [];
  const daily = dailyMinutes(wt);
  const clock = (kind: DeadlineKind, start: Date, days: number, doneAt: Date | null): Deadline => {
    const due = dueAfter(wt, start, days, pauses);
    if (doneAt === null && t.mergedAt) {
      const left = workingMinutesBetween(wt.calendar, wt.hours, t.mergedAt, due);
      return { kind, due, doneAt: t.mergedAt, state: 'stopped', marginMinutes: left };
    }
    if (doneAt !== null) {
      const margin = workingMinutesBetween(wt.calendar, wt.hours, doneAt, due);
      return {
        kind,
        due,
        doneAt,
        state: doneAt.getTime() <= due.getTime() ? 'met' : 'late',
        marginMinutes: margin,
      };
    }
    const left = workingMinutesBetween(wt.calendar, wt.hours, now, due);
    const state: DeadlineState =
      now.getTime() > due.getTime()
        ? 'overdue'
        : paused
          ? 'paused'
          : left <= regime.warnWithin * daily
            ? 'warning'
            : 'running';
    return { kind, due, doneAt: null, state, marginMinutes: left };
  };
  const triaged = earliest(t.acceptedAt, t.refusedAt, t.forwardedAt);
  // Refusing: the triage decision (accept, refuse or forward) is due within the refusal window.
  out.push(clock('refuse', t.submittedAt, regime.refuseWithin, triaged));
  if (t.refusedAt) return out;
  // Asking for more information: only before the item is accepted or forwarded.
  out.push(clock('ask-info', t.submittedAt, regime.askInfoWithin, earliest(t.askedAt, triaged)));
  out.push(clock('handle', t.forwardedAt ?? t.submittedAt, regime.handleWithin, t.answeredAt ?? null));
  if (t.answeredAt) out.push(clock('publish', t.answeredAt, regime.publishWithin, t.closedAt ?? null));
  return out;
}

function dailyMinutes(wt: WorkingTime): number {
  let total = 0;
  for (const s of wt.hours.sessions) {
    const [sh, sm] = s.start.split(':').map(Number) as [number, number];
    const [eh, em] = s.end.split(':').map(Number) as [number, number];
    total += eh * 60 + em - (sh * 60 + sm);
  }
  return total;
}

/**
 * Working days the handling took, from the first forwarding (or submission) to the answer, pauses not
 * counted, to one decimal; null before the answer.
 */
export function handlingDays(wt: WorkingTime, t: Timeline, now: Date): number | null {
  if (!t.answeredAt) return null;
  const minutes = workingMinutesBetween(wt.calendar, wt.hours, t.forwardedAt ?? t.submittedAt, t.answeredAt, {
    pauses: closedPauses(t, now),
  });
  return Math.round((Math.max(0, minutes) / dailyMinutes(wt)) * 10) / 10;
}

/** The worst state among the open deadlines (what a list shows against the item), or null if none is open. */
export function worstOpen(deadlines: readonly Deadline[]): DeadlineState | null {
  const order: DeadlineState[] = ['overdue', 'warning', 'paused', 'running'];
  for (const s of order) if (deadlines.some((d) => d.doneAt === null && d.state === s)) return s;
  return null;
}
