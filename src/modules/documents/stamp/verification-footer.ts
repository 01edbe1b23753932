/**
 * The footer of a signed dossier result delivered to a citizen's wallet: every page says who signed it
 * digitally, for which dossier and where to check it, and the last page carries a small QR to the
 * verification page. Like the certification block, it is drawn upright on any page size and rotation, on
 * white so that it reads over a scan.
 */
import type { PDFDocument } from 'pdf-lib';
import { embedSerifFonts } from '../../../platform/pdf/index.ts';
import { BORDER, drawColumn, drawFooter, drawQr, footerHeight, WHITE } from './drawing.ts';
import { inView, pageView } from './page-view.ts';
import { loadScan, saveOptions } from './scan-to-pdf.ts';

export interface VerificationFooter {
  /** Who signed the result (the agency). */
  issuer: string;
  dossierCode: string;
  verifyUrl: string;
  issuedAt: Date;
}

const QR_SIDE = 44;
const PAD = 4;
/** Room the footer's text may take: two lines at most on a narrow page. */
const FOOTER_ROOM = footerHeight() * 2;

export async function drawVerificationFooter(doc: PDFDocument, info: VerificationFooter): Promise<void> {
  const { regular } = await embedSerifFonts(doc);
  const issuer = info.issuer.normalize('NFC').replace(/\s+/g, ' ').trim();
  const text = `Văn bản điện tử ký số bởi ${issuer} — hồ sơ ${info.dossierCode} — kiểm tra tại ${info.verifyUrl}`;
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const view = pageView(page);
    inView(page, view, () => {
      drawFooter(page, text, regular, view.width);
      if (i !== pages.length - 1) return;
      const side = Math.min(QR_SIDE, view.width / 5);
      const box = side + 2 * PAD;
      const caption = 6 * 1.3;
      const x = view.width - 14 - box;
      const y = FOOTER_ROOM + 4;
      page.drawRectangle({
        x,
        y,
        width: box,
        height: box + caption,
        color: WHITE,
        borderColor: BORDER,
        borderWidth: 0.5,
      });
      drawQr(page, info.verifyUrl, x + PAD, y + caption, side);
      drawColumn(
        page,
        [{ text: 'Kiểm tra / Verify', font: regular, size: 5.2, grey: true }],
        x,
        y + caption + 0.5,
        box,
        'center',
      );
    });
  });
  doc.setProducer('Cổng Dịch vụ công (pdf-lib)');
  doc.setCreationDate(info.issuedAt);
  doc.setModificationDate(info.issuedAt);
}

/** Loads a PDF, draws the verification footer, saves it (no object streams). */
export async function stampVerificationFooter(pdf: Buffer, info: VerificationFooter): Promise<Buffer> {
  const doc = await loadScan(pdf);
  await drawVerificationFooter(doc, info);
  return Buffer.from(await doc.save(saveOptions));
}
