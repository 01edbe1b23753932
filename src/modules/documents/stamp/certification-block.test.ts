import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { type CertificationBlock, drawCertification } from './certification-block.ts';
import { qrModules } from './drawing.ts';
import { scanToPdf, stampCertifiedCopy, stampVerificationFooter } from './index.ts';
import { hasPoppler, JPEG_48x32, makePdf, pageText, pageWords, renderPage } from './stamp.fixtures.ts';

/** Poppler reads the copy back as a reader would; CI has it, a machine without it skips these tests. */
const withPoppler = it.skipIf(!hasPoppler && process.env.CI !== 'true');

const block: CertificationBlock = {
  registerNumber: 1234,
  book: '01/2026-SCT/BS',
  certifiedAt: new Date('2026-12-06T17:30:00Z'), // 00:30 on 7 December in Vietnam
  office: { name: 'Ủy ban nhân dân phường Hoàn Kiếm', province: 'Thành phố Hà Nội' },
  certifier: { name: 'Nguyễn Thị Hồng Nhung', title: 'Phó Chủ tịch Ủy ban nhân dân' },
  copies: 2,
  verifyUrl: 'https://dichvucong.example.vn/xac-thuc/K7M9-Q2X4-PZ3H',
  copyCode: 'K7M9-Q2X4-PZ3H',
};

/** Stamps and answers the copy with where the QR went on its last page (view coordinates). */
async function stamp(pdf: Buffer, b = block) {
  const doc = await PDFDocument.load(pdf);
  const placed = await drawCertification(doc, b);
  return { copy: Buffer.from(await doc.save({ useObjectStreams: false })), placed };
}

/**
 * The QR as rendered, read module by module at their centres, compared with the matrix of `url`: the
 * rendering is the page as seen, so a QR drawn turned or mirrored does not match.
 */
function expectQr(
  copy: Buffer,
  page: number,
  viewHeight: number,
  qr: { x: number; y: number; side: number },
  url: string,
) {
  const dpi = 200;
  const img = renderPage(copy, page, dpi);
  const px = dpi / 72;
  const m = qrModules(url);
  const unit = qr.side / m.size;
  const wrong: string[] = [];
  for (let row = 0; row < m.size; row++) {
    for (let col = 0; col < m.size; col++) {
      const x = Math.round((qr.x + (col + 0.5) * unit) * px);
      const y = Math.round((viewHeight - (qr.y + qr.side - (row + 0.5) * unit)) * px);
      if (img.grey(x, y) < 128 !== m.dark(row, col)) wrong.push(`${row},${col}`);
    }
  }
  expect(wrong).toEqual([]);
}

describe('stampCertifiedCopy', () => {
  withPoppler('puts the certification on the last page and the set footer on every page', async () => {
    const copy = await stampCertifiedCopy(await makePdf(10), block);
    const last = pageText(copy, 10).replace(/\s+/g, ' ');
    expect(last).toContain('Chứng thực bản sao đúng với bản chính.');
    expect(last).toContain('Số chứng thực: 1234, Quyển số 01/2026-SCT/BS');
    expect(last).toContain('Ngày 07 tháng 12 năm 2026');
    expect(last).toContain('PHÓ CHỦ TỊCH ỦY BAN NHÂN DÂN');
    expect(last).toContain('Ký số bởi: Nguyễn Thị Hồng Nhung');
    expect(last).toContain('Ủy ban nhân dân phường Hoàn Kiếm, Thành phố Hà Nội');
    expect(last).toContain('Mã xác thực: K7M9-Q2X4-PZ3H');
    expect(last).toContain('dichvucong.example.vn/xac-thuc');
    expect(last).toContain('Certified true copy of the original');
    for (let i = 1; i <= 10; i++) {
      const text = pageText(copy, i);
      expect(text).toContain(`Bản sao điện tử chứng thực từ bản chính — K7M9-Q2X4-PZ3H — trang ${i}/10`);
      expect(text).toContain(`Original page ${i},`);
      if (i < 10) expect(text).not.toContain('Chứng thực bản sao đúng');
    }
  });

  withPoppler('draws the QR of the verification URL, readable module by module', async () => {
    const { copy, placed } = await stamp(await makePdf(2));
    expectQr(copy, 2, 841.89, placed.qr, block.verifyUrl);
    // At the bottom right of the page, above the footer.
    expect(placed.box.x + placed.box.width).toBeCloseTo(595.28 - 14, 1);
    expect(placed.box.y).toBeGreaterThan(10);
  });

  withPoppler(
    'comes out upright on a page turned by /Rotate 90 and 270, and on a landscape page',
    async () => {
      for (const rotate of [90, 270]) {
        const { copy, placed } = await stamp(await makePdf(2, { rotateLast: rotate }));
        const words = pageWords(copy, 2);
        const heading = words.find((w) => w.word === 'Chứng')!;
        // Seen upright: the word is wider than tall, in the bottom right of the page as shown (842 × 595).
        expect(heading.xMax - heading.xMin).toBeGreaterThan(2 * (heading.yMax - heading.yMin));
        expect(heading.xMin).toBeGreaterThan(842 / 2);
        expect(heading.yMin).toBeGreaterThan(595 / 2);
        // The scan's own text stays as it was: sideways.
        const scan = words.find((w) => w.word === 'Original')!;
        expect(scan.yMax - scan.yMin).toBeGreaterThan(scan.xMax - scan.xMin);
        expect(pageText(copy, 2)).toContain('— trang 2/2');
        expectQr(copy, 2, 595.28, placed.qr, block.verifyUrl);
      }
      const { copy, placed } = await stamp(await makePdf(1, { size: [841.89, 595.28] }));
      expectQr(copy, 1, 595.28, placed.qr, block.verifyUrl);
    },
  );

  withPoppler(
    'comes out upright on a page turned upside down, and on boxes that do not start at 0',
    async () => {
      const upside = await stamp(await makePdf(1, { rotate: 180 }));
      const heading = pageWords(upside.copy, 1).find((w) => w.word === 'Chứng')!;
      // Upright, in the bottom right as shown: the block (301 pt wide) ends 14 pt from the right edge.
      expect(heading.xMax - heading.xMin).toBeGreaterThan(2 * (heading.yMax - heading.yMin));
      expect(heading.xMin).toBeGreaterThan(595.28 - 14 - 301);
      expect(heading.yMin).toBeGreaterThan(842 - 150);
      expectQr(upside.copy, 1, 841.89, upside.placed.qr, block.verifyUrl);
      // A MediaBox from (100, 200) and a CropBox showing only part of it, turned a quarter.
      const doc = await PDFDocument.load(await makePdf(1, { rotate: 90 }));
      const page = doc.getPage(0);
      page.setMediaBox(100, 200, 595.28, 841.89);
      page.setCropBox(120, 230, 500, 700);
      const { copy, placed } = await stamp(Buffer.from(await doc.save()));
      expect(placed.box.x + placed.box.width).toBeCloseTo(700 - 14, 1); // seen 700 wide, 500 high
      expectQr(copy, 1, 500, placed.qr, block.verifyUrl);
      expect(pageText(copy, 1)).toContain('Chứng thực bản sao đúng với bản chính.');
    },
  );

  withPoppler('scales the block down on a small page and keeps it whole', async () => {
    const { copy, placed } = await stamp(await makePdf(1, { size: [297.64, 419.53] })); // A6
    expect(placed.box.x).toBeGreaterThanOrEqual(14);
    expect(placed.box.width).toBeLessThanOrEqual(297.64 - 28);
    expect(pageText(copy, 1)).toContain('Chứng thực bản sao đúng với bản chính.');
    expectQr(copy, 1, 419.53, placed.qr, block.verifyUrl);
  });

  withPoppler('stamps a picture made into a PDF', async () => {
    const scan = await scanToPdf(JPEG_48x32, 'jpg');
    const copy = await stampCertifiedCopy(scan.pdf, block);
    expect(pageText(copy, 1)).toContain('trang 1/1');
  });

  it('gives the same bytes for the same input and time, and dates the copy with the certification', async () => {
    const pdf = await makePdf(3);
    const a = await stampCertifiedCopy(pdf, block);
    const b = await stampCertifiedCopy(pdf, block);
    expect(a.equals(b)).toBe(true);
    const doc = await PDFDocument.load(a, { updateMetadata: false });
    expect(doc.getModificationDate()?.toISOString()).toBe('2026-12-06T17:30:00.000Z');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-12-06T17:30:00.000Z');
    const other = await stampCertifiedCopy(pdf, { ...block, registerNumber: 1235 });
    expect(other.equals(a)).toBe(false);
  });

  it('drops what would run on opening the copy (OpenAction, document JavaScript, page actions)', async () => {
    const doc = await PDFDocument.load(await makePdf(2));
    const js = doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
    doc.catalog.set(PDFName.of('OpenAction'), js);
    doc.catalog.set(
      PDFName.of('Names'),
      doc.context.obj({ JavaScript: doc.context.obj({ Names: [PDFString.of('a'), js] }) }),
    );
    doc.getPage(1).node.set(PDFName.of('AA'), doc.context.obj({ O: js }));
    const copy = await stampCertifiedCopy(Buffer.from(await doc.save({ useObjectStreams: false })), block);
    const text = copy.toString('latin1');
    expect(text).not.toContain('/OpenAction');
    expect(text).not.toContain('/JavaScript');
    expect(text).not.toContain('/AA');
  });

  it('writes the date as administrative documents do, in Vietnam time', async () => {
    const { legalDate } = await import('./drawing.ts');
    expect(legalDate(new Date('2026-12-06T17:30:00Z'))).toBe('ngày 07 tháng 12 năm 2026');
    expect(legalDate(new Date('2026-02-05T03:00:00Z'))).toBe('ngày 05 tháng 02 năm 2026');
    expect(legalDate(new Date('2026-03-15T03:00:00Z'))).toBe('ngày 15 tháng 3 năm 2026');
    expect(legalDate(new Date('2026-12-31T16:59:59Z'))).toBe('ngày 31 tháng 12 năm 2026');
    expect(legalDate(new Date('2026-12-31T17:00:00Z'))).toBe('ngày 01 tháng 01 năm 2027');
  });
});

describe('stampVerificationFooter', () => {
  const info = {
    issuer: 'Sở Tư pháp Thành phố Hà Nội',
    dossierCode: 'H26.39.01-261207-0001',
    verifyUrl: 'https://dichvucong.example.vn/xac-thuc/ABCD1234',
    issuedAt: new Date('2026-12-07T03:15:00Z'),
  };

  withPoppler(
    'says on every page who signed it and where to check it, upright on a turned page',
    async () => {
      const out = await stampVerificationFooter(await makePdf(3, { rotateLast: 90 }), info);
      for (let i = 1; i <= 3; i++) {
        const text = pageText(out, i).replace(/\s+/g, ' ');
        expect(text).toContain(
          'Văn bản điện tử ký số bởi Sở Tư pháp Thành phố Hà Nội — hồ sơ H26.39.01-261207-0001 — kiểm tra tại https://dichvucong.example.vn/xac-thuc/ABCD1234',
        );
      }
      expect(pageText(out, 3)).toContain('Kiểm tra / Verify');
      expect(pageText(out, 2)).not.toContain('Kiểm tra / Verify');
      const word = pageWords(out, 3).find((w) => w.word === 'Văn')!;
      expect(word.xMax - word.xMin).toBeGreaterThan(word.yMax - word.yMin);
      const doc = await PDFDocument.load(out, { updateMetadata: false });
      expect(doc.getModificationDate()?.toISOString()).toBe('2026-12-07T03:15:00.000Z');
    },
  );
});
