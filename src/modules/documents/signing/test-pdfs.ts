/** Shared by this folder's tests: small PDFs made with pdf-lib, and the pieces of a signed one. */
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function makePdf(pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    for (let line = 0; line < 40; line++) {
      page.drawText(`Page ${i + 1}, line ${line + 1}: the original document`, {
        x: 40,
        y: 800 - line * 18,
        size: 11,
        font,
      });
    }
  }
  return Buffer.from(await doc.save());
}

/** The byte range, the signed bytes and the CMS (without its zero padding) of the first signature. */
export function signatureParts(pdf: Buffer): { range: number[]; signed: Buffer; cms: Buffer } {
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no /ByteRange');
  const range = m.slice(1).map(Number) as [number, number, number, number];
  const signed = Buffer.concat([pdf.subarray(0, range[1]), pdf.subarray(range[2], range[2] + range[3])]);
  const contents = Buffer.from(pdf.toString('latin1', range[1] + 1, range[2] - 1), 'hex');
  return { range, signed, cms: contents.subarray(0, derLength(contents)) };
}

function derLength(b: Buffer): number {
  const first = b[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  return 2 + n + b.subarray(2, 2 + n).readUIntBE(0, n);
}
