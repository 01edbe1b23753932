import { describe, expect, it } from 'vitest';
import { unzip } from '../../platform/xlsx/xlsx.test-support.ts';
import {
  ISSUE_WORDS,
  type ReconciliationReport,
  reconciliationSheets,
  reconciliationXlsx,
} from './xlsx-report.ts';

const at = new Date('2026-12-07T02:30:00Z');
const report: ReconciliationReport = {
  intermediary: { code: 'VCBSIM', name: 'Ngân hàng mô phỏng' },
  settlementDate: '2026-12-07',
  generatedAt: new Date('2026-12-07T17:05:00Z'), // 00:05 on 08/12 in Vietnam
  rows: [
    {
      transactionCode: 'T1',
      reference: 'DVC0000000001A',
      type: 'PAY',
      portalAmount: 180_000,
      intermediaryAmount: 180_000,
      portalStatus: 'succeeded',
      intermediaryStatus: 'THANHCONG',
      at,
      issue: null,
    },
    {
      transactionCode: 'T2',
      reference: 'DVC0000000002B',
      type: 'PAY',
      portalAmount: 50_000,
      intermediaryAmount: 5000,
      portalStatus: 'succeeded',
      intermediaryStatus: 'THANHCONG',
      at,
      issue: 'amount-differs',
    },
    {
      transactionCode: 'T3',
      reference: null,
      type: 'TRANSFER',
      portalAmount: null,
      intermediaryAmount: 70_000,
      portalStatus: null,
      intermediaryStatus: 'THANHCONG',
      at,
      issue: 'missing-at-portal',
    },
  ],
};

describe('the reconciliation workbook', () => {
  it('sums and counts the matched rows and each kind of difference on the summary sheet', () => {
    const [summary] = reconciliationSheets(report);
    const row = (item: string) => summary!.rows.find((r) => r.item === item);
    expect(summary!.name).toBe('Tổng hợp');
    expect(row('Trung gian thanh toán (Intermediary)')?.value).toBe('VCBSIM — Ngân hàng mô phỏng');
    expect(row('Ngày đối soát (Settlement day)')?.value).toBe('07/12/2026');
    expect(row('Lập lúc (Generated at)')?.value).toBe('00:05 08/12/2026');
    expect(row('Tổng số giao dịch đối chiếu (Rows compared)')).toMatchObject({
      count: 3,
      portal: 230_000,
      intermediary: 255_000,
    });
    expect(row('Khớp (Matched)')).toMatchObject({ count: 1, portal: 180_000, intermediary: 180_000 });
    expect(row(ISSUE_WORDS['amount-differs'])).toMatchObject({
      count: 1,
      portal: 50_000,
      intermediary: 5000,
    });
    expect(row(ISSUE_WORDS['missing-at-portal'])).toMatchObject({
      count: 1,
      portal: 0,
      intermediary: 70_000,
    });
    expect(row(ISSUE_WORDS['late-success'])).toMatchObject({ count: 0, portal: 0, intermediary: 0 });
  });

  it('lists only the differing rows on "Chênh lệch" and every row on "Giao dịch", with the difference in words', async () => {
    const parts = unzip(await reconciliationXlsx(report));
    expect(parts.get('xl/workbook.xml')).toMatch(/name="Tổng hợp".*name="Chênh lệch".*name="Giao dịch"/);
    const differing = parts.get('xl/worksheets/sheet2.xml')!;
    const all = parts.get('xl/worksheets/sheet3.xml')!;
    expect(differing).not.toContain('>T1<');
    expect(differing).toContain('>T2<');
    expect(differing).toContain('>T3<');
    expect(differing).toContain(ISSUE_WORDS['amount-differs']);
    for (const code of ['>T1<', '>T2<', '>T3<']) expect(all).toContain(code);
    expect(all).toContain('Khớp (matched)');
    expect(all).toContain('<v>50000</v>');
    // T3 has no portal amount: its row has no cell in that column (E).
    expect(all).not.toContain('r="E4"');
    expect(all).toContain('<c r="F4" s="3"><v>70000</v></c>');
  });
});
