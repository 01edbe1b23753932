/** Small building blocks shared by the server-rendered pages. */
import type { ComponentChildren } from 'preact';
import { formatVietnameseDate, isIsoDate, vietnamDate } from '../clock/index.ts';

/** The page's `<h1>` and an optional lead paragraph. */
export function PageHeading({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="page-heading">
      <h1>{title}</h1>
      {lead !== undefined ? <p class="lead">{lead}</p> : null}
      {children}
    </div>
  );
}

export type NoticeKind = 'info' | 'success' | 'warning' | 'error';

/** A boxed message. `error` notices are announced by screen readers (role="alert"). */
export function Notice({
  kind = 'info',
  title,
  children,
}: {
  kind?: NoticeKind;
  title?: string;
  children?: ComponentChildren;
}) {
  return (
    <div class={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      {title !== undefined ? <p class="notice__title">{title}</p> : null}
      {children}
    </div>
  );
}

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

/**
 * A table with a caption and column headers. On phones (≤ 640 px) each row becomes a card of
 * label–value pairs (every cell carries its column's header in `data-label`; it stays a real table for
 * screen readers); wider, it scrolls sideways inside its own focusable region if it must, so the page
 * itself never does.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
}: {
  caption: string;
  columns: Array<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Shown instead of the table when there are no rows. */
  empty: string;
}) {
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section class="table-scroll" aria-label={caption} tabIndex={0}>
      <table class="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" class={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} class={c.numeric ? 'num' : undefined} data-label={c.header}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface LinkListItem {
  href: string;
  label: string;
  /** A short second line: a code, a kind, a date. */
  meta?: ComponentChildren;
  /** Language of the label when it differs from the page's. */
  lang?: string;
}

/** A plain list of links, e.g. search results. */
export function LinkList({
  items,
  empty,
  label,
}: {
  items: readonly LinkListItem[];
  empty: string;
  label?: string;
}) {
  if (items.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="link-list" aria-label={label}>
      {items.map((item) => (
        <li key={item.href}>
          <a href={item.href} lang={item.lang}>
            {item.label}
          </a>
          {item.meta !== undefined ? <span class="link-list__meta">{item.meta}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * A date shown dd/mm/yyyy with a machine-readable `datetime`. Takes a calendar date 'YYYY-MM-DD' or an
 * instant (shown as its date in Vietnam).
 */
export function DateText({ date }: { date: string | Date }) {
  const iso = date instanceof Date ? vietnamDate(date) : date;
  if (!isIsoDate(iso)) return <span>{iso}</span>;
  return <time dateTime={iso}>{formatVietnameseDate(iso)}</time>;
}

/** One row of a summary list: a label, its answer (text, or markup), and an id for its "Sửa" link. */
export interface SummaryRow {
  /** Unique in the list: the answer's path in its form. */
  path: string;
  label: string;
  value: string;
  html?: ComponentChildren;
}

/**
 * Answers as a summary list (GOV.UK's "check your answers"): label, answer and, when `editHref` is given,
 * a "Sửa" (change) link to where the answer is given, named for screen readers.
 */
export function SummaryList({
  rows,
  editHref,
  id,
}: {
  rows: readonly SummaryRow[];
  editHref?: (row: SummaryRow) => string;
  id?: string;
}) {
  return (
    <dl class="summary-list" id={id}>
      {rows.map((r) => (
        <div key={r.path} class="summary-list__row">
          <dt>{r.label}</dt>
          <dd>{r.html ?? r.value}</dd>
          {editHref ? (
            <dd class="summary-list__action">
              <a href={editHref(r)}>
                Sửa<span class="visually-hidden"> {r.label.toLowerCase()}</span>
              </a>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

/** The steps of a task in several pages ("1 Nơi giải quyết · 2 Tờ khai · 3 Kiểm tra"), the current one marked. */
export function Steps({
  steps,
  current,
  label,
}: {
  steps: readonly string[];
  current: number;
  label: string;
}) {
  return (
    <ol class="steps" aria-label={label}>
      {steps.map((s, i) => (
        <li key={s} aria-current={i + 1 === current ? 'step' : undefined}>
          <span class="steps__number" aria-hidden="true">
            {i + 1}
          </span>{' '}
          {s}
        </li>
      ))}
    </ol>
  );
}
