import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { countPages, MAX_PAGES, StampInputError, scanToPdf } from './index.ts';
import {
  hasPoppler,
  JPEG_48x32,
  makeEncryptedPdf,
  makePdf,
  makePng,
  renderPage,
  withExifOrientation,
} from './stamp.fixtures.ts';

async function rejection(p: Promise<unknown>): Promise<StampInputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StampInputError);
  return e as StampInputError;
}

/** The page's size and the one image it draws, with the matrix it is drawn with. */
async function onlyPage(pdf: Buffer) {
  const doc = await PDFDocument.load(pdf);
  expect(doc.getPageCount()).toBe(1);
  const page = doc.getPage(0);
  const images = [...doc.context.enumerateIndirectObjects()]
    .map(([, o]) => o)
    .filter(
      (o): o is PDFRawStream =>
        o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'),
    );
  return { width: page.getWidth(), height: page.getHeight(), images };
}

describe('scanToPdf', () => {
  it('makes a PNG a one-page A4 PDF, portrait for a tall picture and landscape for a wide one', async () => {
    const tall = await scanToPdf(makePng(30, 40), 'png');
    expect(tall.pages).toBe(1);
    const t = await onlyPage(tall.pdf);
    expect([Math.round(t.width), Math.round(t.height)]).toEqual([595, 842]);
    expect(t.images).toHaveLength(1);
    const wide = await onlyPage((await scanToPdf(makePng(40, 30), 'png')).pdf);
    expect([Math.round(wide.width), Math.round(wide.height)]).toEqual([842, 595]);
  });

  it.skipIf(!hasPoppler && process.env.CI !== 'true')(
    "puts a PNG's own compressed rows in the PDF (RGB and 1-bit grey) and they render as the picture",
    async () => {
      const rgb = await scanToPdf(makePng(64, 80), 'png');
      const bw = await scanToPdf(makePng(64, 80, { bw: true }), 'png');
      for (const { pdf } of [rgb, bw]) {
        const [image] = (await onlyPage(pdf)).images;
        expect(image!.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
        // PNG's row filters kept: the data is the PNG's, not pdf-lib's decoded and re-compressed pixels.
        expect(String(image!.dict.get(PDFName.of('DecodeParms')))).toContain('/Predictor 15');
      }
      // The picture fills the width between the margins, from the top margin down (72 dpi: 1 px = 1 pt).
      const at = (pdf: Buffer, fx: number, fy: number) => {
        const img = renderPage(pdf, 1, 72);
        const s = Math.min((595.28 - 56) / 64, (841.89 - 28 - 150) / 80);
        const x0 = (595.28 - 64 * s) / 2;
        return img.grey(Math.round(x0 + 64 * s * fx), Math.round(28 + 80 * s * fy));
      };
      expect(at(bw.pdf, 0.25, 0.5)).toBeLessThan(30);
      expect(at(bw.pdf, 0.75, 0.5)).toBeGreaterThan(225);
      // The gradient: red grows to the right, green downwards, blue is half: dark top left, light bottom right.
      expect(at(rgb.pdf, 0.05, 0.05)).toBeLessThan(40);
      expect(at(rgb.pdf, 0.95, 0.95)).toBeGreaterThan(200);
    },
  );

  it('embeds a JPEG as it is (DCTDecode, the same bytes) and applies its EXIF orientation', async () => {
    const plain = await scanToPdf(JPEG_48x32, 'jpg');
    expect(plain.pages).toBe(1);
    const p = await onlyPage(plain.pdf);
    expect([Math.round(p.width), Math.round(p.height)]).toEqual([842, 595]); // 48×32 is wide
    expect(p.images[0]!.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('DCTDecode'));
    expect(Buffer.from(p.images[0]!.contents).equals(JPEG_48x32)).toBe(true);
    // Orientation 6: stored wide, shown turned a quarter clockwise, so tall: a portrait page.
    const turned = await onlyPage((await scanToPdf(withExifOrientation(JPEG_48x32, 6), 'jpg')).pdf);
    expect([Math.round(turned.width), Math.round(turned.height)]).toEqual([595, 842]);
  });

  it('keeps a PDF as uploaded and counts its pages', async () => {
    // A comment after the end: a re-save would drop it.
    const pdf = Buffer.concat([await makePdf(3), Buffer.from('% scanner 1.0\n')]);
    const out = await scanToPdf(pdf, 'pdf');
    expect(out.pages).toBe(3);
    expect(out.pdf.equals(pdf)).toBe(true);
    expect(await countPages(pdf)).toBe(3);
  });

  it('re-saves a PDF with bytes before its header, so what is kept starts with %PDF-', async () => {
    const pdf = Buffer.concat([Buffer.from('\ufeff\r\n'), await makePdf(2)]);
    const out = await scanToPdf(pdf, 'pdf');
    expect(out.pages).toBe(2);
    expect(out.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('checks the content, not the declared type', async () => {
    const png = await rejection(scanToPdf(makePng(4, 4), 'jpg'));
    expect(png.code).toBe('type-mismatch');
    expect(png.vi).toBe('Tệp được khai là JPG nhưng nội dung là PNG.');
    expect((await rejection(scanToPdf(await makePdf(1), 'png'))).code).toBe('type-mismatch');
    expect((await rejection(scanToPdf(JPEG_48x32, 'pdf'))).code).toBe('type-mismatch');
  });

  it('refuses garbage, an empty file and a PDF without pages', async () => {
    const garbage = await rejection(scanToPdf(Buffer.from('<html><body>not a scan</body></html>'), 'pdf'));
    expect(garbage.code).toBe('unsupported-type');
    expect(garbage.message).toMatch(/^Tệp không phải PDF, JPG hoặc PNG\. \/ The file is not/);
    expect((await rejection(scanToPdf(Buffer.alloc(0), 'pdf'))).code).toBe('empty');
    const none = await PDFDocument.create();
    const empty = Buffer.from(await none.save({ addDefaultPage: false }));
    expect((await rejection(scanToPdf(empty, 'pdf'))).code).toBe('empty');
    expect((await rejection(countPages(Buffer.from('GIF89a')))).code).toBe('unsupported-type');
  });

  it('refuses a damaged PDF', async () => {
    const broken = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF\n');
    expect((await rejection(scanToPdf(broken, 'pdf'))).code).toBe('corrupt-pdf');
  });

  it('refuses an encrypted PDF', async () => {
    const e = await rejection(scanToPdf(await makeEncryptedPdf(), 'pdf'));
    expect(e.code).toBe('encrypted-pdf');
    expect(e.vi).toContain('mã hóa');
  });

  it(`refuses more than ${MAX_PAGES} pages`, async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i <= MAX_PAGES; i++) doc.addPage([100, 100]);
    const e = await rejection(scanToPdf(Buffer.from(await doc.save()), 'pdf'));
    expect(e.code).toBe('too-many-pages');
    expect(e.vi).toBe(`Tệp PDF có ${MAX_PAGES + 1} trang, nhiều hơn mức tối đa ${MAX_PAGES} trang.`);
  });

  it('refuses a damaged picture and one too large in pixels before decoding it', async () => {
    const jpg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    expect((await rejection(scanToPdf(jpg, 'jpg'))).code).toBe('corrupt-image');
    const truncated = makePng(20, 20).subarray(0, 60);
    expect((await rejection(scanToPdf(truncated, 'png'))).code).toBe('corrupt-image');
    // Well-formed chunks whose image data is one row short of what the header says.
    const short = makePng(20, 20, { claimHeight: 21 });
    expect((await rejection(scanToPdf(short, 'png'))).code).toBe('corrupt-image');
    const noData = makePng(20, 20, { headerOnly: true });
    expect((await rejection(scanToPdf(noData, 'png'))).code).toBe('corrupt-image');
    // 100 000 × 100 000 pixels claimed by a 57-byte file: refused from its header.
    const bomb = await rejection(scanToPdf(makePng(100_000, 100_000, { headerOnly: true }), 'png'));
    expect(bomb.code).toBe('image-too-large');
    expect(bomb.vi).toMatch(/^Ảnh 100000×100000 điểm ảnh, lớn hơn mức tối đa 50 triệu điểm ảnh\.$/);
  });
});
