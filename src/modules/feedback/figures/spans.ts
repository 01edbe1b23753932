/**
 * What each agency had of a feedback item, for the figures (docs/feedback.md, "Figures"): a span for the
 * Government Office (CP) from submission, and one for every agency the item was forwarded or passed to,
 * from its first routing. A span says when the agency received the item, answered it (on time or not), when
 * it stopped waiting for the agency, its handling due moment, and the publication and rating of the answers
 * it gave. And which days' rollups a change of spans touches. Pure: the calendar is passed in.
 */
import { addDays, vietnamDate } from '../../../platform/clock/index.ts';
import { dueAfter, type Regime, type WorkingTime } from '../domain/deadlines.ts';
import { GOVERNMENT_OFFICE } from '../feedback.ports.ts';
import type { Category, StoredPause } from '../feedback.tables.ts';

export interface Span {
  agency: string;
  category: Category;
  receivedAt: Date;
  refusedAt: Date | null;
  answeredAt: Date | null;
  /** null before an answer. */
  onTime: boolean | null;
  /** When the item stopped waiting for this agency; null while it waits. */
  closedAt: Date | null;
  /** The handling limit, requests for information that ended not counted. */
  dueAt: Date;
  /** Start of an open request for information. */
  pausedFrom: Date | null;
  publishedAt: Date | null;
  ratedAt: Date | null;
  ratedSatisfied: boolean | null;
}

export interface SpanItem {
  category: Category;
  status: string;
  submitted_at: Date;
  refused_at: Date | null;
  forwarded_at: Date | null;
  closed_at: Date | null;
  pauses: StoredPause[];
  rated_satisfied: boolean | null;
  rated_at: Date | null;
}

export interface SpanEvent {
  at: Date;
  action: string;
  agency_code: string | null;
  data: Record<string, unknown>;
}

export interface SpanAnswer {
  agency_code: string | null;
  answered_at: Date;
}

const earliest = (...ds: (Date | null | undefined)[]): Date | null => {
  const xs = ds.filter((d): d is Date => d instanceof Date);
  return xs.length === 0 ? null : new Date(Math.min(...xs.map((d) => d.getTime())));
};

/** The spans of an item, CP first then the agencies in the order they received it. */
export function spansOf(
  wt: WorkingTime,
  regime: Regime,
  item: SpanItem,
  events: readonly SpanEvent[],
  answers: readonly SpanAnswer[],
): Span[] {
  const closedPauses = item.pauses
    .filter((p) => p.to !== null)
    .map((p) => ({ from: new Date(p.from), to: new Date(p.to!) }));
  const open = item.pauses.find((p) => p.to === null);
  const pausedFrom = open ? new Date(open.from) : null;
  const due = (start: Date) => dueAfter(wt, start, regime.handleWithin, closedPauses);
  const published = item.status === 'published' ? item.closed_at : null;
  const firstAnswer = (agency: string | null) =>
    earliest(...answers.filter((a) => a.agency_code === agency).map((a) => a.answered_at));
  const finish = (s: Omit<Span, 'onTime' | 'publishedAt' | 'ratedAt' | 'ratedSatisfied'>): Span => {
    const answered = s.answeredAt !== null;
    return {
      ...s,
      onTime: answered ? s.answeredAt!.getTime() <= s.dueAt.getTime() : null,
      publishedAt: answered ? published : null,
      ratedAt: answered ? item.rated_at : null,
      ratedSatisfied: answered ? item.rated_satisfied : null,
    };
  };

  const officeAnswer = firstAnswer(null);
  const out: Span[] = [
    finish({
      agency: GOVERNMENT_OFFICE,
      category: item.category,
      receivedAt: item.submitted_at,
      refusedAt: item.refused_at,
      answeredAt: officeAnswer,
      closedAt: earliest(item.refused_at, item.forwarded_at, officeAnswer),
      dueAt: due(item.submitted_at),
      pausedFrom,
    }),
  ];

  // Replay the routing: an agency waits from being forwarded or passed the item until it answers, returns or
  // passes it on; forwarded again, it waits again.
  const routed = new Map<string, { receivedAt: Date; closedAt: Date | null }>();
  const route = (agency: string, at: Date) => {
    const r = routed.get(agency);
    if (r) r.closedAt = null;
    else routed.set(agency, { receivedAt: at, closedAt: null });
  };
  for (const e of events) {
    if (e.action === 'forward' && Array.isArray(e.data.agencies))
      for (const a of e.data.agencies) route(String(a), e.at);
    if (e.action === 'pass' && typeof e.data.to === 'string') route(e.data.to, e.at);
    if ((e.action === 'answer' || e.action === 'return' || e.action === 'pass') && e.agency_code) {
      const r = routed.get(e.agency_code);
      if (r && r.closedAt === null) r.closedAt = e.at;
    }
  }
  const handleDue = due(item.forwarded_at ?? item.submitted_at);
  for (const [agency, r] of routed)
    out.push(
      finish({
        agency,
        category: item.category,
        receivedAt: r.receivedAt,
        refusedAt: null,
        answeredAt: firstAnswer(agency),
        closedAt: r.closedAt,
        dueAt: handleDue,
        pausedFrom,
      }),
    );
  return out;
}

const FLOW: (keyof Span)[] = ['receivedAt', 'refusedAt', 'answeredAt', 'publishedAt', 'ratedAt'];
const STOCK: (keyof Span)[] = ['receivedAt', 'closedAt', 'dueAt', 'pausedFrom'];

const same = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/**
 * The Vietnam days whose rollups for this agency change when its span goes from `before` to `after` (either
 * may be missing): the day of every event-like moment that changed (and of the answer and rating when the
 * on-time flag or the rating changed); and, when the open interval or the due moment changed, every day
 * from the earliest moment that changed up to `today` (the open and overdue counts at each day's end).
 */
export function touchedDays(before: Span | undefined, after: Span | undefined, today: string): Set<string> {
  const days = new Set<string>();
  const add = (d: unknown) => {
    if (d instanceof Date) {
      const day = vietnamDate(d);
      if (day <= today) days.add(day);
    }
  };
  const get = (s: Span | undefined, k: keyof Span) => (s ? s[k] : undefined);
  for (const k of FLOW)
    if (!same(get(before, k), get(after, k))) {
      add(get(before, k));
      add(get(after, k));
    }
  if (!same(get(before, 'onTime'), get(after, 'onTime'))) {
    add(get(before, 'answeredAt'));
    add(get(after, 'answeredAt'));
    add(get(before, 'ratedAt'));
    add(get(after, 'ratedAt'));
  }
  if (!same(get(before, 'ratedSatisfied'), get(after, 'ratedSatisfied'))) {
    add(get(before, 'ratedAt'));
    add(get(after, 'ratedAt'));
  }
  let from: string | undefined;
  for (const k of STOCK) {
    const a = get(before, k);
    const b = get(after, k);
    if (same(a, b)) continue;
    for (const d of [a, b])
      if (d instanceof Date) {
        const day = vietnamDate(d);
        if (from === undefined || day < from) from = day;
      }
  }
  for (let d = from; d !== undefined && d <= today; d = addDays(d, 1)) days.add(d);
  return days;
}
