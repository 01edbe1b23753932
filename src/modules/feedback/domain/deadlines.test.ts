import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseCalendarOverridesCsv } from '../../../platform/calendar/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../../platform/kernel/index.ts';
import {
  DEFAULT_REGIME,
  deadlinesOf,
  dueAfter,
  handlingDays,
  type Timeline,
  type WorkingTime,
  worstOpen,
} from './deadlines.ts';

const CSV = path.resolve(import.meta.dirname, '../../../../db/reference/calendar-overrides.csv');
const wt: WorkingTime = {
  calendar: createWorkingCalendar({ overrides: parseCalendarOverridesCsv(fs.readFileSync(CSV, 'utf8')) }),
  hours: DEFAULT_OFFICE_HOURS,
};
/** Vietnam local time 'YYYY-MM-DD HH:MM' as an instant. */
const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const byKind = (t: Timeline, now: Date) =>
  Object.fromEntries(deadlinesOf(wt, DEFAULT_REGIME, t, now).map((d) => [d.kind, d]));

describe('feedback deadlines in working days', () => {
  it('a merged item: every clock still open stops at the merge, and stays stopped', () => {
    const t: Timeline = {
      submittedAt: vn('2026-12-14 09:00'),
      acceptedAt: vn('2026-12-14 10:00'),
      mergedAt: vn('2026-12-15 09:00'),
      pauses: [{ from: vn('2026-12-14 11:00'), to: null }],
    };
    const d = byKind(t, vn('2027-03-01 09:00'));
    expect(d.refuse!.state).toBe('met');
    expect(d.handle).toMatchObject({ state: 'stopped', doneAt: vn('2026-12-15 09:00') });
    // The open pause ended at the merge, not now: the due moment no longer moves.
    expect(d.handle!.due).toEqual(byKind(t, vn('2026-12-16 09:00')).handle!.due);
    expect(worstOpen(deadlinesOf(wt, DEFAULT_REGIME, t, vn('2027-03-01 09:00')))).toBeNull();
  });

  it('skips Tết 2027 (5–11 February): refuse within 2, handle within 15', () => {
    const t: Timeline = {
      submittedAt: vn('2027-02-04 10:00'),
      forwardedAt: vn('2027-02-04 10:00'),
      pauses: [],
    };
    const d = byKind(t, vn('2027-02-04 11:00'));
    // Friday 12 February is the first working day after Tết: day 1; Monday 15 is day 2.
    expect(d.refuse!.due).toEqual(vn('2027-02-15 10:00'));
    expect(d['ask-info']!.due).toEqual(vn('2027-02-18 10:00'));
    expect(d.handle!.due).toEqual(vn('2027-03-04 10:00'));
    // Forwarded at once: the triage decision was on time.
    expect(d.refuse!.state).toBe('met');
    expect(d.handle!.state).toBe('running');
  });

  it('skips 30 April – 1 May 2026 and 2 September 2026 (31 August – 2 September off)', () => {
    const april = byKind({ submittedAt: vn('2026-04-29 16:00'), pauses: [] }, vn('2026-04-29 16:00'));
    expect(april.refuse!.due).toEqual(vn('2026-05-05 16:00'));
    const t: Timeline = {
      submittedAt: vn('2026-08-10 09:00'),
      forwardedAt: vn('2026-08-10 09:00'),
      answeredAt: vn('2026-08-28 09:00'),
      pauses: [],
    };
    const d = byKind(t, vn('2026-09-03 10:00'));
    expect(d.publish!.due).toEqual(vn('2026-09-04 09:00'));
    expect(d.publish!.state).toBe('warning');
    expect(byKind({ ...t, closedAt: vn('2026-09-04 09:00') }, vn('2026-09-10 09:00')).publish!.state).toBe(
      'met',
    );
    expect(byKind({ ...t, closedAt: vn('2026-09-04 09:01') }, vn('2026-09-10 09:00')).publish!.state).toBe(
      'late',
    );
  });

  it('warns within one working day and is overdue after the due moment', () => {
    const t: Timeline = { submittedAt: vn('2026-11-02 08:00'), pauses: [] };
    expect(byKind(t, vn('2026-11-02 09:00')).refuse!.state).toBe('running');
    expect(byKind(t, vn('2026-11-03 09:00')).refuse!.state).toBe('warning');
    expect(byKind(t, vn('2026-11-04 08:01')).refuse!.state).toBe('overdue');
    expect(worstOpen(deadlinesOf(wt, DEFAULT_REGIME, t, vn('2026-11-04 08:01')))).toBe('overdue');
  });

  it('stops the clock while more information is awaited: closed and open pauses', () => {
    const asked = vn('2026-11-03 08:00');
    const closed: Timeline = {
      submittedAt: vn('2026-11-02 08:00'),
      askedAt: asked,
      pauses: [{ from: asked, to: vn('2026-11-05 08:00') }],
    };
    const d = byKind(closed, vn('2026-11-05 09:00'));
    expect(d.refuse!.due).toEqual(vn('2026-11-06 08:00'));
    // Handled by the Government Office itself: 15 working days from submission plus the 2-day pause.
    expect(d.handle!.due).toEqual(vn('2026-11-25 08:00'));
    expect(d['ask-info']!.state).toBe('met');
    const open: Timeline = { ...closed, pauses: [{ from: asked, to: null }] };
    const o = byKind(open, vn('2026-11-04 10:00'));
    expect(o.refuse!.state).toBe('paused');
    expect(o.refuse!.due).toEqual(vn('2026-11-05 10:00'));
    // A pause over a weekend and a holiday costs nothing more than its working time.
    const long: Timeline = {
      ...closed,
      pauses: [{ from: vn('2026-08-28 17:00'), to: vn('2026-09-03 07:00') }],
    };
    expect(dueAfter(wt, vn('2026-08-28 09:00'), 1, long.pauses as never)).toEqual(vn('2026-09-03 09:00'));
  });

  it('a refused item has only the refusal clock; an answered one adds publication', () => {
    const refused = deadlinesOf(
      wt,
      DEFAULT_REGIME,
      { submittedAt: vn('2026-11-02 08:00'), refusedAt: vn('2026-11-05 08:00'), pauses: [] },
      vn('2026-11-06 08:00'),
    );
    expect(refused.map((x) => [x.kind, x.state])).toEqual([['refuse', 'late']]);
  });

  it('a pause never brings a due moment earlier, and a longer limit is never earlier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.integer({ min: 1, max: 15 }),
        (startMin, offsetMin, lengthMin, days) => {
          const start = new Date(Date.UTC(2026, 0, 1) + startMin * 60_000);
          const from = new Date(start.getTime() + offsetMin * 60_000);
          const to = new Date(from.getTime() + lengthMin * 60_000);
          const plain = dueAfter(wt, start, days, []);
          expect(dueAfter(wt, start, days, [{ from, to }]).getTime()).toBeGreaterThanOrEqual(plain.getTime());
          expect(dueAfter(wt, start, days + 1, []).getTime()).toBeGreaterThan(plain.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts the working days the handling took, across Tết 2027 and without the pause', () => {
    const t: Timeline = {
      submittedAt: vn('2027-02-03 09:00'),
      forwardedAt: vn('2027-02-04 09:00'),
      answeredAt: vn('2027-02-16 13:30'),
      pauses: [{ from: vn('2027-02-15 07:00'), to: vn('2027-02-15 17:00') }],
    };
    // Thu 4 from 09:00 (6 h), Tết 5–11, Fri 12 (8 h), Mon 15 paused, Tue 16 07:00–11:30 (4.5 h): 18.5 h of 8.
    expect(handlingDays(wt, t, vn('2027-02-20 09:00'))).toBe(2.3);
    expect(handlingDays(wt, { ...t, answeredAt: null }, vn('2027-02-20 09:00'))).toBeNull();
  });
});
