/**
 * Indicator 1.4 of Decision 766/QĐ-TTg (dossier sync rate), as pure functions:
 *
 *   rate = dossiers synced with a receiving date in the period ÷ max(dossiers reported, dossiers received)
 *
 * where, on this portal,
 *  - synced: dossiers synced from the agency's system (and the agencies below it) whose receiving date
 *    (NgayTiepNhan, else NgayNopHoSo) falls in the period;
 *  - reported: what the agency itself reports it received in the period (sync.reported_counts, entered
 *    by an officer or sent by the agency system). Reports are counted only when their period lies inside
 *    the chosen one, and never two that overlap, so no dossier is counted twice; `coveredDays` says how
 *    much of the period they cover;
 *  - received: dossiers filed on this portal and received by the agency (or one below it) in the period —
 *    the dossiers the portal knows of without the agency's word.
 * The rate can exceed 100% when the denominator is short (no report, or a report below what was
 * synced); the score is capped at 100%.
 */

export interface ReportedFigure {
  from: string;
  to: string;
  dossiers: number;
}

/** Days from `from` to `to`, both included (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The reports that count for a period: those inside it, without overlaps (earliest start first; at the
 * same start the longest period), and how many of the period's days they cover.
 */
export function reportsForPeriod<R extends ReportedFigure>(
  reports: readonly R[],
  period: { from: string; to: string },
): { used: R[]; total: number; coveredDays: number; periodDays: number } {
  const inside = reports
    .filter((r) => r.from >= period.from && r.to <= period.to && r.from <= r.to)
    .sort((a, b) =>
      a.from === b.from ? (a.to < b.to ? 1 : a.to > b.to ? -1 : 0) : a.from < b.from ? -1 : 1,
    );
  const used: R[] = [];
  let end = '';
  for (const r of inside) {
    if (end && r.from <= end) continue;
    used.push(r);
    end = r.to;
  }
  return {
    used,
    total: used.reduce((a, r) => a + r.dossiers, 0),
    coveredDays: used.reduce((a, r) => a + daysBetween(r.from, r.to), 0),
    periodDays: daysBetween(period.from, period.to),
  };
}

export interface SyncRate {
  numerator: number;
  denominator: number;
  /** Which term gave the denominator (`none` when both are 0). */
  basis: 'reported' | 'received' | 'none';
  /** numerator ÷ denominator (null when the denominator is 0). */
  rate: number | null;
  /** The rate as the index scores it: at most 1. */
  score: number | null;
}

export function syncRate(x: { synced: number; reported: number | null; received: number }): SyncRate {
  const reported = x.reported ?? 0;
  const denominator = Math.max(reported, x.received);
  const basis = denominator === 0 ? 'none' : reported >= x.received ? 'reported' : 'received';
  const rate = denominator > 0 ? x.synced / denominator : null;
  return {
    numerator: x.synced,
    denominator,
    basis,
    rate,
    score: rate === null ? null : Math.min(1, rate),
  };
}
