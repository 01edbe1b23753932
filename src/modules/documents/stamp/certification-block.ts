/**
 * The certification block ("lời chứng") of a copy certified from its original, and the mark that ties
 * the copy's pages into one set.
 *
 * The wording follows the form of the certification of a copy from an original (Nghị định 23/2015/NĐ-CP
 * as amended; Thông tư 01/2020/TT-BTP): "Chứng thực bản sao đúng với bản chính. / Số chứng thực …
 * quyển số … SCT/BS / Ngày … tháng … năm … / Người thực hiện chứng thực (Ký, ghi rõ họ tên và đóng
 * dấu)". On the electronic copy the handwritten signature and the seal are the office's digital
 * signature, so the block says who signed digitally ("Ký số bởi …") instead of leaving room for a pen.
 *
 * Where it goes: the regulation puts the certification on the last page's free space, or at its foot
 * when there is none. Finding blank space on a scan would need rendering it, so the block always sits at
 * the bottom right of the last page (as the page is seen, whatever its size and /Rotate), on an opaque
 * white box with a thin border so that it reads over the scan. It may therefore cover the scan's
 * bottom-right corner (301 × 115–125 pt, 17 pt above the bottom edge on A4; scaled down on pages narrower
 * than 329 pt); a picture made into a
 * PDF by `scanToPdf` keeps that corner free.
 *
 * The pages as one set: on paper the seal is stamped across the edges of the pages (dấu giáp lai); here
 * every page carries a footer "Bản sao điện tử chứng thực từ bản chính — {code} — trang i/n", and the
 * signature over the whole file is what actually binds them.
 */
import { PDFDict, type PDFDocument, type PDFFont, PDFName, type PDFPage } from 'pdf-lib';
import { embedSerifFonts } from '../../../platform/pdf/index.ts';
import {
  BORDER,
  columnHeight,
  drawColumn,
  drawFooter,
  drawQr,
  englishDate,
  fitSize,
  footerHeight,
  type Line,
  legalDate,
  textWidth,
  WHITE,
} from './drawing.ts';
import { StampInputError } from './errors.ts';
import { inView, type PageView, pageView } from './page-view.ts';
import { loadScan, saveOptions } from './scan-to-pdf.ts';

export interface CertificationBlock {
  /** The number in the certification register. */
  registerNumber: number;
  /** The register book, e.g. '01/2026-SCT/BS'. */
  book: string;
  certifiedAt: Date;
  office: { name: string; province?: string };
  certifier: { name: string; title: string };
  /** Copies certified: the register's count, not printed (the electronic copy itself is one file). */
  copies?: number;
  /** Where the QR leads: the copy's verification page. */
  verifyUrl: string;
  /** The public code of the copy, printed under the QR. */
  copyCode: string;
}

/** The block's size before it is scaled to a small page, in points. */
const PAD = 7;
const LEFT_WIDTH = 204;
const QR_COLUMN = 76;
const QR_SIDE = 64;
const BLOCK_WIDTH = PAD + LEFT_WIDTH + PAD + QR_COLUMN + PAD;
/** The block's distance from the view's right edge, and its lift above the footer. */
const EDGE = 14;
const LIFT = 4;

/** "host/xac-thuc" from the verification URL: where a reader without a QR scanner goes. */
export function verifyHint(verifyUrl: string): string {
  try {
    const u = new URL(verifyUrl);
    const parent = u.pathname.replace(/\/[^/]*\/?$/, '');
    return `${u.host}${parent}`;
  } catch {
    return verifyUrl;
  }
}

const nfc = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The office and its province on one line when they fit, else on two (never "Hà" / "Nội" apart). */
function officeLines(block: CertificationBlock, regular: PDFFont): Line[] {
  const size = 7.2;
  const name = nfc(block.office.name);
  const province = block.office.province ? nfc(block.office.province) : '';
  const one = province ? `${name}, ${province}` : name;
  if (!province || textWidth(one, regular, size) <= LEFT_WIDTH) return [{ text: one, font: regular, size }];
  return [
    { text: `${name},`, font: regular, size },
    { text: province, font: regular, size },
  ];
}

function leftLines(block: CertificationBlock, regular: PDFFont, bold: PDFFont): Line[] {
  const date = legalDate(block.certifiedAt);
  return [
    { text: 'Chứng thực bản sao đúng với bản chính.', font: bold, size: 8.4 },
    { text: 'Certified true copy of the original', font: regular, size: 6, grey: true, gap: 2.5 },
    { text: `Số chứng thực: ${block.registerNumber}, Quyển số ${nfc(block.book)}`, font: regular, size: 7.8 },
    { text: `${date[0]!.toUpperCase()}${date.slice(1)}`, font: regular, size: 7.8 },
    {
      text: `Register no. ${block.registerNumber}, book ${nfc(block.book)}, ${englishDate(block.certifiedAt)}`,
      font: regular,
      size: 6,
      grey: true,
      gap: 3,
    },
    { text: nfc(block.certifier.title).toLocaleUpperCase('vi'), font: bold, size: 7.6 },
    { text: `Ký số bởi: ${nfc(block.certifier.name)}`, font: bold, size: 7.8 },
    { text: 'Digitally signed by the certifier', font: regular, size: 6, grey: true, gap: 2.5 },
    ...officeLines(block, regular),
  ];
}

function qrLines(block: CertificationBlock, regular: PDFFont, bold: PDFFont): Line[] {
  const code = nfc(block.copyCode);
  const hint = verifyHint(block.verifyUrl);
  return [
    { text: 'Mã xác thực:', font: regular, size: 6, grey: true },
    { text: code, font: bold, size: fitSize(code, bold, 7.6, QR_COLUMN, 5) },
    { text: 'Kiểm tra tại', font: regular, size: 5.8, grey: true },
    { text: hint, font: regular, size: fitSize(hint, regular, 5.8, QR_COLUMN, 4.6) },
  ];
}

/**
 * Draws the certification block at the bottom right of the last page and the set's footer on every
 * page of an already loaded document (so that the signing step can stamp and sign in one load and save).
 * Sets the document's dates to the certification time, so the same input gives the same bytes.
 */
export async function drawCertificationBlock(doc: PDFDocument, block: CertificationBlock): Promise<void> {
  await drawCertification(doc, block);
}

/** Where a drawing landed, in the last page's view coordinates (points from its visible bottom-left). */
export interface Placed {
  box: { x: number; y: number; width: number; height: number };
  qr: { x: number; y: number; side: number };
}

/** `drawCertificationBlock`, answering where the block and its QR went (for the tests). */
export async function drawCertification(doc: PDFDocument, block: CertificationBlock): Promise<Placed> {
  const { regular, bold } = await embedSerifFonts(doc);
  const pages = doc.getPages();
  if (pages.length === 0) {
    throw new StampInputError('empty', 'Tệp PDF không có trang nào.', 'The PDF has no pages.');
  }
  removeActiveContent(doc);
  const code = nfc(block.copyCode);
  pages.forEach((page, i) => {
    const view = pageView(page);
    inView(page, view, () =>
      drawFooter(
        page,
        `Bản sao điện tử chứng thực từ bản chính — ${code} — trang ${i + 1}/${pages.length}`,
        regular,
        view.width,
      ),
    );
  });
  const last = pages[pages.length - 1]!;
  const placed = drawBlock(last, pageView(last), block, regular, bold);
  doc.setTitle(`Bản sao chứng thực số ${block.registerNumber}, quyển số ${nfc(block.book)}`);
  doc.setProducer('Cổng Dịch vụ công (pdf-lib)');
  doc.setCreationDate(block.certifiedAt);
  doc.setModificationDate(block.certifiedAt);
  return placed;
}

function drawBlock(
  page: PDFPage,
  view: PageView,
  block: CertificationBlock,
  regular: PDFFont,
  bold: PDFFont,
): Placed {
  const left = leftLines(block, regular, bold);
  const under = qrLines(block, regular, bold);
  const height =
    PAD + Math.max(columnHeight(left, LEFT_WIDTH), QR_SIDE + 4 + columnHeight(under, QR_COLUMN)) + PAD;
  // A small page (A6, a receipt) gets the block scaled down to fit its width or half its height.
  const bottom = footerHeight() + LIFT;
  const scale = Math.min(1, (view.width - 2 * EDGE) / BLOCK_WIDTH, (view.height * 0.5) / height);
  const x = view.width - EDGE - BLOCK_WIDTH * scale;
  const qrX = PAD + LEFT_WIDTH + PAD;
  const qrLeft = qrX + (QR_COLUMN - QR_SIDE) / 2;
  const qrTop = height - PAD;
  inView(
    page,
    view,
    () => {
      page.drawRectangle({
        x: 0,
        y: 0,
        width: BLOCK_WIDTH,
        height,
        color: WHITE,
        borderColor: BORDER,
        borderWidth: 0.7,
      });
      drawColumn(page, left, PAD, height - PAD, LEFT_WIDTH);
      drawQr(page, block.verifyUrl, qrLeft, qrTop - QR_SIDE, QR_SIDE);
      drawColumn(page, under, qrX, qrTop - QR_SIDE - 4, QR_COLUMN, 'center');
    },
    [scale, 0, 0, scale, x, bottom],
  );
  return {
    box: { x, y: bottom, width: BLOCK_WIDTH * scale, height: height * scale },
    qr: { x: x + qrLeft * scale, y: bottom + (qrTop - QR_SIDE) * scale, side: QR_SIDE * scale },
  };
}

/** Loads a PDF, draws the certification block and the set's footer, saves it (no object streams). */
export async function stampCertifiedCopy(pdf: Buffer, block: CertificationBlock): Promise<Buffer> {
  const doc = await loadScan(pdf);
  await drawCertificationBlock(doc, block);
  return Buffer.from(await doc.save(saveOptions));
}

/**
 * What a copy must not carry from the upload: actions run on opening (/OpenAction), on events of the
 * document or a page (/AA) and document JavaScript — a certified copy shows what was certified and does
 * nothing else. Links and form fields (what the scan shows) stay.
 */
export function removeActiveContent(doc: PDFDocument) {
  const catalog = doc.catalog;
  catalog.delete(PDFName.of('OpenAction'));
  catalog.delete(PDFName.of('AA'));
  const names = catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  names?.delete(PDFName.of('JavaScript'));
  for (const page of doc.getPages()) page.node.delete(PDFName.of('AA'));
}
