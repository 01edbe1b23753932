/**
 * The reconciliation report of one intermediary and one Vietnam day as an XLSX workbook, for the agency's
 * accountant: "Tổng hợp" (what was compared, counts and sums), "Chênh lệch" (only the rows that differ, what
 * differs, in words) and "Giao dịch" (every row compared). The comparison itself is the reconciliation
 * service's; this file only lays its result out. The workbook is written by the platform's small
 * SpreadsheetML writer (platform/xlsx).
 */
import { formatVietnameseDate, vietnamWhen } from '../../platform/clock/index.ts';
import { writeXlsx, type XlsxColumn, type XlsxSheet } from '../../platform/xlsx/index.ts';

/** What differs between the portal's record and the intermediary's settlement file. */
export type ReconciliationIssue =
  /** The portal holds a success the settlement file does not list. */
  | 'missing-at-intermediary'
  /** The file lists a transaction the portal cannot match (payer clearing). */
  | 'missing-at-portal'
  | 'amount-differs'
  | 'status-differs'
  /** A bill paid twice: the second payment's money waits in payer clearing for a refund. */
  | 'duplicate'
  /** A success reported after the payment had expired, been cancelled or failed (accepted, flagged). */
  | 'late-success';

export interface ReconciliationRow {
  /** MaGiaoDich, when either side knows it. */
  transactionCode: string | null;
  /** MaThamChieu (`DVC…`), when either side knows it. */
  reference: string | null;
  /** The settlement file's Loai. */
  type: 'PAY' | 'TRANSFER' | 'REFUND';
  /** Integer đồng on each side; null where that side has no record. */
  portalAmount: number | null;
  intermediaryAmount: number | null;
  /** The portal's state (`succeeded`, …) and the file's TrangThai (THANHCONG | THATBAI). */
  portalStatus: string | null;
  intermediaryStatus: string | null;
  /** ThoiGianGD, or the portal's moment when the file has none. */
  at: Date | null;
  /** Null when both sides agree. */
  issue: ReconciliationIssue | null;
}

export interface ReconciliationReport {
  intermediary: { code: string; name: string };
  /** The Vietnam day settled, 'YYYY-MM-DD'. */
  settlementDate: string;
  generatedAt: Date;
  rows: ReadonlyArray<ReconciliationRow>;
}

export const ISSUE_WORDS: Record<ReconciliationIssue, string> = {
  'missing-at-intermediary': 'Cổng có, trung gian không có (missing at the intermediary)',
  'missing-at-portal': 'Trung gian có, Cổng không có (missing at the portal)',
  'amount-differs': 'Số tiền khác nhau (amounts differ)',
  'status-differs': 'Trạng thái khác nhau (statuses differ)',
  duplicate: 'Nộp hai lần, chờ hoàn trả (paid twice: payer clearing)',
  'late-success': 'Thành công sau khi đã hết hạn, hủy hoặc thất bại (late success)',
};

const ROW_COLUMNS: XlsxColumn[] = [
  { header: 'Mã giao dịch (Transaction code)', key: 'transactionCode', width: 24, type: 'text' },
  { header: 'Mã tham chiếu (Reference)', key: 'reference', width: 18, type: 'text' },
  { header: 'Loại (Type)', key: 'type', width: 11, type: 'text' },
  { header: 'Thời điểm (Time, UTC+7)', key: 'at', width: 17, type: 'datetime' },
  { header: 'Số tiền Cổng (Portal amount)', key: 'portalAmount', width: 16, type: 'integer' },
  {
    header: 'Số tiền trung gian (Intermediary amount)',
    key: 'intermediaryAmount',
    width: 16,
    type: 'integer',
  },
  { header: 'Trạng thái Cổng (Portal status)', key: 'portalStatus', width: 14, type: 'text' },
  {
    header: 'Trạng thái trung gian (Intermediary status)',
    key: 'intermediaryStatus',
    width: 14,
    type: 'text',
  },
  { header: 'Chênh lệch (Difference)', key: 'issue', width: 44, type: 'text' },
];

const sum = (values: ReadonlyArray<number | null>) => values.reduce<number>((s, v) => s + (v ?? 0), 0);

/** The workbook's sheets (pure; `reconciliationXlsx` writes them). */
export function reconciliationSheets(report: ReconciliationReport): XlsxSheet[] {
  const asRow = (r: ReconciliationRow) => ({
    ...r,
    issue: r.issue ? ISSUE_WORDS[r.issue] : 'Khớp (matched)',
  });
  const differing = report.rows.filter((r) => r.issue !== null);
  const matched = report.rows.filter((r) => r.issue === null);
  const summary: Array<Record<string, string | number | null>> = [
    {
      item: 'Trung gian thanh toán (Intermediary)',
      value: `${report.intermediary.code} — ${report.intermediary.name}`,
    },
    { item: 'Ngày đối soát (Settlement day)', value: formatVietnameseDate(report.settlementDate) },
    { item: 'Lập lúc (Generated at)', value: vietnamWhen(report.generatedAt) },
    {
      item: 'Tổng số giao dịch đối chiếu (Rows compared)',
      count: report.rows.length,
      portal: sum(report.rows.map((r) => r.portalAmount)),
      intermediary: sum(report.rows.map((r) => r.intermediaryAmount)),
    },
    {
      item: 'Khớp (Matched)',
      count: matched.length,
      portal: sum(matched.map((r) => r.portalAmount)),
      intermediary: sum(matched.map((r) => r.intermediaryAmount)),
    },
    ...(Object.keys(ISSUE_WORDS) as ReconciliationIssue[]).map((issue) => {
      const rows = report.rows.filter((r) => r.issue === issue);
      return {
        item: ISSUE_WORDS[issue],
        count: rows.length,
        portal: sum(rows.map((r) => r.portalAmount)),
        intermediary: sum(rows.map((r) => r.intermediaryAmount)),
      };
    }),
  ];
  return [
    {
      name: 'Tổng hợp',
      columns: [
        { header: 'Chỉ tiêu (Item)', key: 'item', width: 52, type: 'text' },
        { header: 'Giá trị (Value)', key: 'value', width: 36, type: 'text' },
        { header: 'Số giao dịch (Count)', key: 'count', width: 14, type: 'integer' },
        { header: 'Số tiền Cổng (Portal, đồng)', key: 'portal', width: 18, type: 'integer' },
        {
          header: 'Số tiền trung gian (Intermediary, đồng)',
          key: 'intermediary',
          width: 18,
          type: 'integer',
        },
      ],
      rows: summary,
    },
    { name: 'Chênh lệch', columns: ROW_COLUMNS, rows: differing.map(asRow) },
    { name: 'Giao dịch', columns: ROW_COLUMNS, rows: report.rows.map(asRow) },
  ];
}

/** The report as the bytes of an .xlsx file ("doi-soat-<intermediary>-<yyyymmdd>.xlsx" is a good name). */
export function reconciliationXlsx(report: ReconciliationReport): Promise<Uint8Array> {
  return writeXlsx(reconciliationSheets(report));
}
