import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFPage } from 'pdf-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDong, type ReceiptDocument, receiptNumber, renderReceipt } from './receipt-pdf.ts';

/**
 * pdftotext (Debian's poppler-utils) reads the text back through the embedded subset fonts' ToUnicode
 * maps, as a reader's copy-paste or search would. CI installs it (.ci/run); on a machine without it
 * these tests are skipped, except in CI where they must run.
 */
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const withPdftotext = it.skipIf(!hasPdftotext && process.env.CI !== 'true');

function pdfText(pdf: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipt-'));
  try {
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const receipt: ReceiptDocument = {
  kind: 'le-phi',
  series: 'BL26E-HK',
  number: 123,
  agency: { name: 'Ủy ban nhân dân phường Hoàn Kiếm', code: 'H26.39.01', taxCode: '0101234567' },
  payer: { name: 'Nguyễn Thị Hồng Nhung', idNumber: '001190012345', address: 'Số 1 phố Tràng Tiền' },
  purpose: 'Hồ sơ H26.39.01-261207-0001',
  items: [
    { name: 'Lệ phí chứng thực bản sao', amount: 36_000 },
    { name: 'Lệ phí trích lục hộ tịch', amount: 144_000 },
  ],
  payment: {
    method: 'Thanh toán trực tuyến qua VCBSIM',
    reference: 'DVC7K3M9Q2X4PZ',
    transactionCode: 'VCB20261207093012345',
    paidAt: new Date('2026-12-07T02:30:00Z'), // 09:30 in Vietnam
  },
  issuedAt: new Date('2026-12-07T02:31:05Z'),
  legalBasis: 'Nghị định 11/2020/NĐ-CP',
  verifyUrl: 'https://dichvucong.example.vn/bien-lai/BL26E-HK/0000123',
};

const fine: ReceiptDocument = {
  ...receipt,
  kind: 'fine',
  series: 'PH26E-CA',
  number: 9_999_999,
  purpose: 'Quyết định xử phạt số 123/QĐ-XPHC',
  items: [
    { name: 'Tiền phạt vi phạm hành chính', amount: 2_000_000 },
    { name: 'Tiền chậm nộp phạt', amount: 5000 },
  ],
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('renderReceipt', () => {
  it('is one A5 portrait page by default, A4 on request, with the metadata of the input (not of now)', async () => {
    const doc = await PDFDocument.load(await renderReceipt(receipt), { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([420, 595]);
    expect(doc.getTitle()).toBe('BIÊN LAI THU PHÍ, LỆ PHÍ — ký hiệu BL26E-HK, số 0000123');
    expect(doc.getAuthor()).toBe('Ủy ban nhân dân phường Hoàn Kiếm');
    expect(doc.getSubject()).toContain('Lệ phí');
    expect(doc.getCreationDate()?.getTime()).toBe(receipt.issuedAt.getTime());
    expect(doc.getModificationDate()?.getTime()).toBe(receipt.issuedAt.getTime());

    const a4 = await PDFDocument.load(await renderReceipt({ ...receipt, paper: 'A4' }));
    const size = a4.getPage(0).getSize();
    expect([Math.round(size.width), Math.round(size.height)]).toEqual([595, 842]);
  });

  it('gives the same bytes for the same input, and other bytes for another issue time', async () => {
    const a = await renderReceipt(receipt);
    const b = await renderReceipt(structuredClone(receipt));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const later = await renderReceipt({ ...receipt, issuedAt: new Date('2026-12-07T03:00:00Z') });
    expect(Buffer.from(a).equals(Buffer.from(later))).toBe(false);
  });

  withPdftotext(
    'prints the motto, the title, series and number, payer, items, total, words, payment and the check line',
    async () => {
      const text = pdfText(await renderReceipt(receipt));
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'BIÊN LAI THU PHÍ, LỆ PHÍ',
        '(Bản thể hiện của biên lai điện tử)',
        'Ngày 07 tháng 12 năm 2026',
        'Ký hiệu (Series): BL26E-HK',
        'Số (No.): 0000123',
        'ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM',
        'Mã đơn vị: H26.39.01',
        'Mã số thuế: 0101234567',
        'Nguyễn Thị Hồng Nhung',
        '001190012345',
        'Số 1 phố Tràng Tiền',
        'Hồ sơ H26.39.01-261207-0001',
        'Lệ phí (Charge)',
        'Lệ phí chứng thực bản sao',
        '36.000',
        'Lệ phí trích lục hộ tịch',
        '144.000',
        'Tổng cộng',
        '180.000',
        'Một trăm tám mươi nghìn đồng',
        'Thanh toán trực tuyến qua VCBSIM',
        'DVC7K3M9Q2X4PZ',
        'VCB20261207093012345',
        '09:30 07/12/2026 (giờ Việt Nam)',
        'Nghị định 11/2020/NĐ-CP',
        'https://dichvucong.example.vn/bien-lai/BL26E-HK/0000123',
      ])
        expect(text).toContain(expected);
      expect(text).not.toContain('TIỀN PHẠT');
    },
  );

  withPdftotext('a fine gets the fine receipt, its surcharge line and the total in words', async () => {
    const text = pdfText(await renderReceipt(fine));
    expect(text).toContain('BIÊN LAI THU TIỀN PHẠT');
    expect(text).not.toContain('BIÊN LAI THU PHÍ, LỆ PHÍ');
    expect(text).toContain('Số (No.): 9999999');
    expect(text).toContain('Tiền phạt (Fine)');
    expect(text).toContain('Tiền chậm nộp phạt');
    expect(text).toContain('2.005.000');
    expect(text).toContain('Hai triệu không trăm linh năm nghìn đồng');
  });

  withPdftotext(
    'a receipt with many lines goes on to another page and keeps every line and the total',
    async () => {
      const items = Array.from({ length: 40 }, (_, i) => ({
        name: `Khoản lệ phí số ${i + 1}`,
        amount: 1000,
      }));
      const pdf = await renderReceipt({ ...receipt, items });
      expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThan(1);
      const text = pdfText(pdf);
      for (const i of items) expect(text).toContain(i.name);
      expect(text).toContain('Bốn mươi nghìn đồng');
      expect(text).toContain('https://dichvucong.example.vn/bien-lai/BL26E-HK/0000123');
    },
  );

  it('draws the Vietnamese text as NFC, whatever form the input came in', async () => {
    const drawn: string[] = [];
    const real = PDFPage.prototype.drawText;
    vi.spyOn(PDFPage.prototype, 'drawText').mockImplementation(function (this: PDFPage, text, options) {
      drawn.push(text);
      return real.call(this, text, options);
    });
    await renderReceipt({
      ...receipt,
      payer: { ...receipt.payer, name: 'Nguyễn Thị Hồng Nhung'.normalize('NFD') },
    });
    expect(drawn).toContain('Nguyễn Thị Hồng Nhung'.normalize('NFC'));
    expect(drawn).toContain('Một trăm tám mươi nghìn đồng');
    for (const t of drawn) expect(t).toBe(t.normalize('NFC'));
  });

  it('refuses a number outside 1 – 9 999 999, no items, an amount that is not a positive integer, an empty series', async () => {
    for (const bad of [
      { ...receipt, number: 0 },
      { ...receipt, number: 10_000_000 },
      { ...receipt, number: 12.5 },
      { ...receipt, items: [] },
      { ...receipt, items: [{ name: 'x', amount: 1000.5 }] },
      { ...receipt, items: [{ name: 'x', amount: 0 }] },
      { ...receipt, items: [{ name: 'x', amount: -1000 }] },
      { ...receipt, series: ' ' },
    ])
      await expect(renderReceipt(bad)).rejects.toThrow(RangeError);
  });

  it('formats amounts with dots and numbers with seven digits', () => {
    expect(formatDong(0)).toBe('0');
    expect(formatDong(999)).toBe('999');
    expect(formatDong(1000)).toBe('1.000');
    expect(formatDong(10_296_000)).toBe('10.296.000');
    expect(receiptNumber(1)).toBe('0000001');
    expect(receiptNumber(9_999_999)).toBe('9999999');
  });
});
