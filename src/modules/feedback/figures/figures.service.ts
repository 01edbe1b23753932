/**
 * Feedback figures (docs/feedback.md, "Figures"): the refresh job that keeps the rollups up to date from the
 * marks events leave, and the figures table for a period read from the rollups only — for the Government
 * Office everything, for an agency's handlers their agencies and those below, for anyone else 403.
 */
import { addDays, type Clock, isIsoDate, vietnamDate } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { ForbiddenError, ValidationError } from '../../../platform/errors/index.ts';
import type { JobDefinition } from '../../../platform/jobs/index.ts';
import { DEFAULT_REGIME, type Regime } from '../domain/deadlines.ts';
import { AGENCY_HANDLER_ROLES, type FeedbackPorts, GOVERNMENT_OFFICE } from '../feedback.ports.ts';
import { CATEGORIES, type Category } from '../feedback.tables.ts';
import * as repo from './figures.repository.ts';
import {
  type AgencyIndicators,
  add,
  agencyLabel,
  CATEGORY_LABELS,
  COLUMN_LABELS,
  COUNT_KEYS,
  type Counts,
  indicatorsOf,
  type Label,
  monthLabel,
  onTimeRate,
  STATUS_ROWS,
  satisfactionRate,
  ZERO,
} from './indicators.ts';
import { type Span, spansOf, touchedDays } from './spans.ts';

export const GROUPINGS = ['agency', 'category', 'status', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];
/** The longest period one request may ask for. */
export const MAX_PERIOD_DAYS = 1100;
const BATCH = 200;

export interface FiguresQuery {
  from?: string | undefined;
  to?: string | undefined;
  groupBy?: string | undefined;
}

export interface FiguresRow {
  key: string;
  label: Label;
  values: Record<string, number | null>;
}

export interface FiguresTable {
  from: string;
  to: string;
  /** The day whose end the open and overdue counts are taken at (the period's last day, or today). */
  end: string;
  groupBy: Grouping;
  columns: { key: string; label: Label }[];
  rows: FiguresRow[];
  total: FiguresRow;
  indicators: AgencyIndicators[];
}

export interface FiguresDeps {
  db: AnyDb;
  clock: Clock;
  ports: Pick<FeedbackPorts, 'workingTime' | 'can' | 'agenciesWhere'>;
  regime?: Regime | undefined;
}

const countsOf = (r: repo.RollupSum & { open_at_end: number; overdue_at_end: number }): Counts => ({
  submitted: r.submitted,
  refused: r.refused,
  forwarded: r.forwarded,
  answered: r.answered,
  answeredOnTime: r.answered_on_time,
  answeredLate: r.answered_late,
  published: r.published,
  satisfied: r.satisfied,
  unsatisfied: r.unsatisfied,
  openAtEnd: r.open_at_end,
  overdueAtEnd: r.overdue_at_end,
});

const withRates = (c: Counts): Record<string, number | null> => ({
  ...c,
  onTimeRate: onTimeRate(c),
  satisfactionRate: satisfactionRate(c),
});

export function createFeedbackFigures(deps: FiguresDeps) {
  const { db, clock, ports } = deps;
  const regime = deps.regime ?? DEFAULT_REGIME;

  // --- Keeping the rollups -----------------------------------------------------------------------------

  /** Derives one marked item's spans again, replaces them and recomputes the rollups they touch. */
  async function refreshItem(mark: repo.Mark, today: string) {
    const facts = await repo.itemFacts(db, mark.item_id);
    let spans: Span[] = [];
    if (facts) {
      const wt = await ports.workingTime(facts.item.submitted_at);
      spans = spansOf(wt, { ...regime, ...facts.item.regime }, facts.item, facts.events, facts.answers);
    }
    await db.transaction().execute(async (trx) => {
      const before = await repo.spansOfItem(trx, mark.item_id);
      const touched = new Map<string, Set<string>>();
      const agencies = new Set([...before.map((s) => s.agency), ...spans.map((s) => s.agency)]);
      for (const agency of agencies) {
        const days = touchedDays(
          before.find((s) => s.agency === agency),
          spans.find((s) => s.agency === agency),
          today,
        );
        for (const d of days) touched.set(d, (touched.get(d) ?? new Set()).add(agency));
      }
      if (facts) await repo.replaceSpans(trx, mark.item_id, spans);
      for (const [day, as] of [...touched].sort(([a], [b]) => a.localeCompare(b)))
        await repo.recomputeDay(trx, day, [...as].sort());
      await repo.clearMark(trx, mark);
    });
  }

  /**
   * The job's run: every marked item's spans and the rollups they touch; then each day that ended since the
   * last run is recomputed whole (its open and overdue counts at its end become final), and today's
   * (open and overdue so far). Idempotent: running it again with nothing marked rewrites the same rows.
   */
  async function refresh(now: Date) {
    const today = vietnamDate(now);
    let items = 0;
    for (;;) {
      const batch = await repo.marks(db, BATCH);
      for (const m of batch) await refreshItem(m, today);
      items += batch.length;
      if (batch.length < BATCH) break;
    }
    const state = await repo.closingState(db);
    const yesterday = addDays(today, -1);
    let day = state.closedThrough ? addDays(state.closedThrough, 1) : (state.firstDay ?? today);
    let closed = 0;
    for (; day <= yesterday; day = addDays(day, 1)) {
      const d = day;
      await db.transaction().execute(async (trx) => {
        await repo.recomputeDay(trx, d, null);
        await repo.setClosedThrough(trx, d);
      });
      closed++;
    }
    await db.transaction().execute((trx) => repo.recomputeDay(trx, today, null));
    return { items, closed };
  }

  /** Every item marked, so that the next refresh derives all spans again (after a change of calendar). */
  const markAll = () => repo.markAll(db);

  const job: JobDefinition = {
    name: 'feedback.figures-refresh',
    everySeconds: 300,
    leaseSeconds: 1800,
    run: async (now) => {
      await refresh(now);
    },
  };

  // --- Reading ---------------------------------------------------------------------------------------------

  /** null: everything (the Government Office); else the agencies the caller handles, filtered later. */
  async function scopeOf(accountId: string): Promise<'all' | 'handler'> {
    if (await ports.can(accountId, 'vpcp-supervisor', GOVERNMENT_OFFICE)) return 'all';
    for (const role of AGENCY_HANDLER_ROLES)
      if ((await ports.agenciesWhere(accountId, role)).length > 0) return 'handler';
    throw new ForbiddenError(
      'Chỉ Văn phòng Chính phủ và cán bộ xử lý phản ánh của cơ quan xem được số liệu này. / Only the Government Office and agencies’ feedback handlers may see these figures.',
    );
  }

  /** The agencies among `codes` the caller handles (where a handler role is granted, or above them). */
  async function handled(accountId: string, codes: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const code of codes)
      for (const role of AGENCY_HANDLER_ROLES)
        if (await ports.can(accountId, role, code)) {
          out.push(code);
          break;
        }
    return out;
  }

  /** The period and grouping asked for, checked by the field; by default this month up to today. */
  function periodOf(q: FiguresQuery) {
    const today = vietnamDate(clock.now());
    const errors: { path: string; message: string }[] = [];
    const from = q.from?.trim() || `${today.slice(0, 8)}01`;
    const to = q.to?.trim() || today;
    const groupBy = (q.groupBy?.trim() || 'agency') as Grouping;
    if (!isIsoDate(from))
      errors.push({ path: 'from', message: 'Ngày bắt đầu không hợp lệ (YYYY-MM-DD). / Invalid start date.' });
    if (!isIsoDate(to))
      errors.push({ path: 'to', message: 'Ngày kết thúc không hợp lệ (YYYY-MM-DD). / Invalid end date.' });
    if (errors.length === 0 && from > to)
      errors.push({
        path: 'to',
        message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi. / The end date must not be before the start.',
      });
    if (errors.length === 0 && addDays(from, MAX_PERIOD_DAYS) < to)
      errors.push({
        path: 'to',
        message: `Kỳ báo cáo tối đa ${MAX_PERIOD_DAYS} ngày. / At most ${MAX_PERIOD_DAYS} days.`,
      });
    if (!(GROUPINGS as readonly string[]).includes(groupBy))
      errors.push({
        path: 'groupBy',
        message:
          'Chọn nhóm theo cơ quan, lĩnh vực, trạng thái hoặc tháng. / Group by agency, category, status or month.',
      });
    if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join(' '), errors);
    return { from, to, groupBy, end: to < today ? to : today };
  }

  async function table(accountId: string, q: FiguresQuery): Promise<FiguresTable> {
    const { from, to, groupBy, end } = periodOf(q);
    const scope = await scopeOf(accountId);
    const agencies = scope === 'all' ? null : await handled(accountId, await repo.agenciesIn(db, from, to));
    const perAgency = await repo.periodSums(db, { from, to, end, group: 'agency-category', agencies });
    const byAgency = new Map<string, Partial<Record<Category, Counts>>>();
    for (const r of perAgency) {
      const [agency, category] = r.key.split('|') as [string, Category];
      byAgency.set(agency, { ...byAgency.get(agency), [category]: countsOf(r) });
    }
    const indicators = [...byAgency].map(([a, cs]) => indicatorsOf(a, cs));
    const sumOf = (cs: Partial<Record<Category, Counts>>) =>
      CATEGORIES.reduce((acc, c) => add(acc, cs[c] ?? ZERO), ZERO);
    const total = [...byAgency.values()].reduce((acc, cs) => add(acc, sumOf(cs)), ZERO);

    let rows: FiguresRow[];
    if (groupBy === 'status')
      rows = STATUS_ROWS.map((s) => ({ key: s.key, label: s.label, values: { count: total[s.key] } }));
    else if (groupBy === 'agency')
      rows = [...byAgency].map(([a, cs]) => ({
        key: a,
        label: agencyLabel(a),
        values: withRates(sumOf(cs)),
      }));
    else if (groupBy === 'category')
      rows = CATEGORIES.map((c) => ({
        key: c,
        label: CATEGORY_LABELS[c],
        values: withRates([...byAgency.values()].reduce((acc, cs) => add(acc, cs[c] ?? ZERO), ZERO)),
      }));
    else
      rows = (await repo.periodSums(db, { from, to, end, group: 'month', agencies })).map((r) => ({
        key: r.key,
        label: monthLabel(r.key),
        values: withRates(countsOf(r)),
      }));
    const columns =
      groupBy === 'status'
        ? [{ key: 'count', label: { vi: 'Số phản ánh', en: 'Items' } }]
        : [...COUNT_KEYS, 'onTimeRate' as const, 'satisfactionRate' as const].map((k) => ({
            key: k,
            label: COLUMN_LABELS[k],
          }));
    return {
      from,
      to,
      end,
      groupBy,
      columns,
      rows,
      total: {
        key: 'total',
        label: { vi: 'Tổng cộng', en: 'Total' },
        values: groupBy === 'status' ? { count: null } : withRates(total),
      },
      indicators,
    };
  }

  return { refresh, markAll, job, table, periodOf };
}

export type FeedbackFigures = ReturnType<typeof createFeedbackFigures>;

const GROUP_HEADERS: Record<Grouping, string> = {
  agency: 'Cơ quan',
  category: 'Lĩnh vực phản ánh',
  status: 'Trạng thái',
  month: 'Tháng',
};

/** The table as CSV for Excel: UTF-8 with a BOM, CRLF, Vietnamese headers, rates with a decimal point. */
export function figuresCsv(t: FiguresTable): string {
  const field = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const line = (cells: (string | number | null)[]) => cells.map(field).join(',');
  const lines = [
    line([GROUP_HEADERS[t.groupBy], ...t.columns.map((c) => c.label.vi)]),
    ...t.rows.map((r) => line([r.label.vi, ...t.columns.map((c) => r.values[c.key] ?? null)])),
  ];
  if (t.groupBy !== 'status')
    lines.push(line([t.total.label.vi, ...t.columns.map((c) => t.total.values[c.key] ?? null)]));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
