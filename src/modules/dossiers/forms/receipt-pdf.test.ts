import { PDFDocument, PDFPage } from 'pdf-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DossierView } from '../dossiers.service.ts';
import { receiptPdf } from './receipt-pdf.ts';

const at = new Date('2026-12-07T02:30:00Z'); // 09:30 in Vietnam

const view = {
  code: '000.A0.1Y.H26-261207-0001',
  procedure: { code: '2.000815', version: 1, name: 'Chứng thực bản sao từ bản chính' },
  applicant: { accountId: 'a', kind: 'citizen', name: 'Nguyễn Văn Minh' },
  submittedAt: at,
  dueAt: new Date('2026-12-08T10:00:00Z'),
  processingTime: { amount: 1, unit: 'working-day' },
  formData: { soDienThoai: '0911000001', email: 'minh@example.vn' },
  attachments: [
    {
      id: 'x',
      documentCode: 'BANCHINH',
      purpose: 'application',
      fileName: 'ban-chinh.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 2048,
      sha256: 'ab'.repeat(32),
    },
  ],
} as unknown as DossierView;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('form 01, the receipt', () => {
  it('gives the address in words and every answer the applicant gave, each document by its name', async () => {
    const drawn: string[] = [];
    const real = PDFPage.prototype.drawText;
    vi.spyOn(PDFPage.prototype, 'drawText').mockImplementation(function (this: PDFPage, text, options) {
      drawn.push(text);
      return real.call(this, text, options);
    });
    const answers = Array.from({ length: 40 }, (_, i) => ({
      label: `Câu hỏi số ${i + 1}`,
      value: `Trả lời ${i + 1}`,
    }));
    const pdf = await receiptPdf(
      view,
      { receiving: 'Ủy ban nhân dân phường Hoàn Kiếm', competent: 'Ủy ban nhân dân phường Hoàn Kiếm' },
      {
        answers,
        documentName: (code) => (code === 'BANCHINH' ? 'Bản chính giấy tờ cần chứng thực' : undefined),
        address: 'Số 1 phố Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội',
      },
    );
    const text = drawn.join('\n');
    expect(text).toContain('Địa chỉ: Số 1 phố Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội');
    expect(text).toContain('Email: minh@example.vn');
    expect(text).toContain('1. Bản chính giấy tờ cần chứng thực: ban-chinh.pdf');
    for (const a of answers) expect(text).toContain(`${a.label}: ${a.value}`);
    // Forty answers do not fit one page: the receipt goes on to a second.
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThan(1);
  });
});
