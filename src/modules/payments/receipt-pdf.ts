/**
 * The e-receipt (biên lai điện tử) of one payment for one kind of money, as a PDF: "(Bản thể hiện của
 * biên lai điện tử)", the human-readable copy of the receipt record. Phí and lệ phí get separate receipts
 * (payments.md: "Fees (phí) and charges (lệ phí) get separate receipts"); a fine (with its late-payment
 * surcharge) gets a fine receipt.
 *
 * Titles: phí and lệ phí keep the receipt form's own title, "BIÊN LAI THU PHÍ, LỆ PHÍ" (a form's title is
 * not edited per use), and say which of the two the receipt is for on the line "Loại khoản thu"; a fine
 * is "BIÊN LAI THU TIỀN PHẠT". The legal basis printed is the caller's (`legalBasis`): which decree and
 * circular govern the receipt is the collecting agency's to state, not this renderer's.
 *
 * Vietnamese first, English small and grey beneath each label. Pure: the same document gives the same
 * bytes (the metadata dates come from the input; pdf-lib's subset font names come from a seeded
 * generator).
 */
import { PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import { vietnamDateTime, vietnamWhen } from '../../platform/clock/index.ts';
import { embedSerifFonts, Writer } from '../../platform/pdf/index.ts';
import { amountInWords } from './domain/amount-words.ts';

/** `phi` and `le-phi` are the two kinds of a "BIÊN LAI THU PHÍ, LỆ PHÍ"; `fine` a "BIÊN LAI THU TIỀN PHẠT". */
export type ReceiptKind = 'phi' | 'le-phi' | 'fine';

export interface ReceiptDocument {
  kind: ReceiptKind;
  /** A5 portrait by default; A4 portrait on request. */
  paper?: 'A5' | 'A4';
  /** Ký hiệu biên lai, as the agency registered it (e.g. "BL26E-HK"). */
  series: string;
  /** Số biên lai, 1 – 9 999 999, printed with 7 digits ("0000123"). */
  number: number;
  /** The collecting agency. */
  agency: { name: string; code: string; taxCode?: string | undefined; address?: string | undefined };
  payer: { name: string; idNumber: string; address?: string | undefined };
  /** What the money is for, in words ("Hồ sơ 000.A0.1Y.H26-261207-0001 — Chứng thực bản sao …",
   *  "Quyết định xử phạt số 123/QĐ-XPHC ngày 01/12/2026"). */
  purpose: string;
  /** The lines of this receipt (all of its kind), integer đồng each, at least one. */
  items: ReadonlyArray<{ name: string; amount: number }>;
  payment: {
    /** "Thanh toán trực tuyến qua VCBSIM", "Chuyển khoản VietQR", "Tiền mặt tại quầy". */
    method: string;
    /** The portal's payment reference (MaThamChieu, `DVC…`). */
    reference: string;
    /** The intermediary's transaction code (MaGiaoDich); for counter cash, the cashier's entry number. */
    transactionCode: string;
    paidAt: Date;
  };
  /** The moment the receipt was issued: printed as its date and used as the PDF's creation date. */
  issuedAt: Date;
  /** "Căn cứ …" as the agency states it (decree and circular numbers). */
  legalBasis: string;
  /** Where anyone can check the receipt (the portal's receipt lookup for this series and number). */
  verifyUrl: string;
}

const TITLES: Record<ReceiptKind, { vi: string; en: string; kindVi: string; kindEn: string }> = {
  phi: { vi: 'BIÊN LAI THU PHÍ, LỆ PHÍ', en: 'RECEIPT FOR FEES AND CHARGES', kindVi: 'Phí', kindEn: 'Fee' },
  'le-phi': {
    vi: 'BIÊN LAI THU PHÍ, LỆ PHÍ',
    en: 'RECEIPT FOR FEES AND CHARGES',
    kindVi: 'Lệ phí',
    kindEn: 'Charge',
  },
  fine: { vi: 'BIÊN LAI THU TIỀN PHẠT', en: 'RECEIPT FOR A FINE', kindVi: 'Tiền phạt', kindEn: 'Fine' },
};

const PAPER = {
  A4: { size: [595.28, 841.89] as [number, number], margin: 50, scale: 1 },
  A5: { size: [419.53, 595.28] as [number, number], margin: 28, scale: 0.74 },
};

/** "1.234.567" — the Vietnamese thousands separator, independent of the runtime's locale data. */
export function formatDong(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** The receipt's number as printed: 7 digits. */
export function receiptNumber(n: number): string {
  return String(n).padStart(7, '0');
}

function check(r: ReceiptDocument): number {
  if (!(r.kind in TITLES)) throw new RangeError(`receipt: unknown kind ${String(r.kind)}`);
  if (!Number.isInteger(r.number) || r.number < 1 || r.number > 9_999_999)
    throw new RangeError(`receipt: the number is 1 – 9 999 999, not ${r.number}`);
  if (r.items.length === 0) throw new RangeError('receipt: at least one item');
  for (const i of r.items)
    if (!Number.isSafeInteger(i.amount) || i.amount <= 0)
      throw new RangeError(`receipt: an item's amount is a positive integer of đồng, not ${i.amount}`);
  if (!r.series.trim()) throw new RangeError('receipt: a series (ký hiệu)');
  return r.items.reduce((sum, i) => sum + i.amount, 0);
}

export async function renderReceipt(r: ReceiptDocument): Promise<Uint8Array> {
  const total = check(r);
  const paper = PAPER[r.paper ?? 'A5'];
  const s = (pt: number) => pt * paper.scale;
  const title = TITLES[r.kind];
  const number = receiptNumber(r.number);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const { regular, bold } = await embedSerifFonts(doc);
  doc.setTitle(`${title.vi} — ký hiệu ${r.series}, số ${number}`);
  doc.setAuthor(r.agency.name);
  doc.setSubject(`Bản thể hiện của biên lai điện tử — ${title.kindVi}, ${r.payment.reference}`);
  doc.setKeywords([r.series, number, r.payment.reference, r.payment.transactionCode]);
  doc.setCreator('Cổng Dịch vụ công');
  doc.setProducer('Cổng Dịch vụ công (pdf-lib)');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(r.issuedAt);
  doc.setModificationDate(r.issuedAt);

  const [pageWidth] = paper.size;
  const left = paper.margin;
  const right = pageWidth - paper.margin;
  const width = right - left;
  const newPage = (): PDFPage => doc.addPage(paper.size);
  const w = new Writer(newPage(), regular, bold, left, right, undefined, paper.margin + s(10));
  /** A new page when fewer than `space` points are left above the bottom margin. */
  const room = (space: number) => {
    if (w.y - space < paper.margin) {
      w.page = newPage();
      w.y = w.page.getHeight() - paper.margin - s(10);
    }
  };

  // Heading: the agency on the left, the national motto on the right.
  const half = width / 2;
  const top = w.y;
  w.text(r.agency.name.toUpperCase(), { size: s(9.5), bold: true, align: 'center', width: half - 6 });
  w.text(`Mã đơn vị: ${r.agency.code}`, { size: s(9), align: 'center', width: half - 6 });
  if (r.agency.taxCode)
    w.text(`Mã số thuế: ${r.agency.taxCode}`, { size: s(9), align: 'center', width: half - 6 });
  const leftEnd = w.y;
  w.y = top;
  const mx = left + half;
  w.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', {
    size: s(9.5),
    bold: true,
    align: 'center',
    x: mx,
    width: half,
  });
  w.text('Độc lập - Tự do - Hạnh phúc', { size: s(10), bold: true, align: 'center', x: mx, width: half });
  const lineY = w.y + s(10) * 1.45 - s(3);
  const lineW = bold.widthOfTextAtSize('Độc lập - Tự do - Hạnh phúc', s(10));
  w.page.drawLine({
    start: { x: mx + (half - lineW) / 2, y: lineY },
    end: { x: mx + (half + lineW) / 2, y: lineY },
    thickness: 0.6,
  });
  w.y -= s(5);
  w.text('Socialist Republic of Viet Nam — Independence, Freedom, Happiness', {
    size: s(7),
    grey: true,
    align: 'center',
    x: mx,
    width: half,
  });
  w.y = Math.min(w.y, leftEnd) - s(12);

  // Title, the copy's nature, series and number, date of issue.
  w.text(title.vi, { size: s(15), bold: true, align: 'center' });
  w.text(title.en, { size: s(8.5), grey: true, align: 'center', gap: s(2) });
  w.text('(Bản thể hiện của biên lai điện tử)', { size: s(10), align: 'center' });
  w.text('(Display copy of an electronic receipt)', { size: s(7.5), grey: true, align: 'center', gap: s(4) });
  const [issued] = vietnamDateTime(r.issuedAt).split(' ') as [string];
  const [yyyy, mm, dd] = issued.split('-');
  w.text(`Ngày ${dd} tháng ${mm} năm ${yyyy}`, { size: s(10), align: 'center', gap: s(6) });
  const idTop = w.y;
  w.text(`Ký hiệu (Series): ${r.series}`, { size: s(10), bold: true, align: 'right' });
  w.text(`Số (No.): ${number}`, { size: s(10), bold: true, align: 'right', gap: s(8) });
  w.y = Math.min(w.y, idTop - 2 * s(10) * 1.45 - s(8));

  // The fields: a Vietnamese label with its English beneath, the value beside them.
  const labelWidth = width * 0.34;
  /** The height `text` takes, wrapped to `width`. */
  const height = (text: string, size: number, across: number, isBold = false) =>
    w.wrap(text.normalize('NFC'), isBold ? bold : regular, size, across).length * size * 1.45;
  const field = (vi: string, en: string, value: string, o: { bold?: boolean } = {}) => {
    const valueWidth = right - (left + labelWidth + 4);
    room(Math.max(s(10) * 1.45 + s(7.5) * 1.45, height(value, s(10), valueWidth, o.bold)));
    const start = w.y;
    w.text(`${vi}:`, { size: s(10), width: labelWidth });
    w.text(en, { size: s(7.5), grey: true, width: labelWidth });
    const labelEnd = w.y;
    w.y = start;
    w.text(value, { size: s(10), bold: o.bold ?? false, x: left + labelWidth + 4 });
    w.y = Math.min(w.y, labelEnd) - s(3);
  };

  field(
    'Đơn vị thu',
    'Collecting agency',
    r.agency.address ? `${r.agency.name} — ${r.agency.address}` : r.agency.name,
  );
  field('Người nộp tiền', 'Payer', r.payer.name, { bold: true });
  field('Số định danh', 'ID number', r.payer.idNumber);
  if (r.payer.address) field('Địa chỉ', 'Address', r.payer.address);
  field('Nội dung thu', 'Purpose', r.purpose);
  field('Loại khoản thu', 'Kind', `${title.kindVi} (${title.kindEn})`);
  w.y -= s(4);

  // The items and the total.
  const numberX = left + s(22);
  const amountRight = right;
  const amountWidth = s(110);
  const nameX = numberX + 4;
  const nameWidth = width - amountWidth - (nameX - left) - 8;
  const rule = () => {
    w.page.drawLine({
      start: { x: left, y: w.y + s(10) },
      end: { x: right, y: w.y + s(10) },
      thickness: 0.5,
      color: rgb(0.4, 0.4, 0.4),
    });
  };
  const row = (
    no: string,
    name: string,
    amount: string,
    o: { bold?: boolean; en?: [string, string]; first?: boolean } = {},
  ) => {
    const english = o.en ? s(7.5) * 1.45 : 0;
    room(Math.max(height(name, s(10), nameWidth, o.bold) + english, s(10) * 1.45 + english));
    if (!o.first) rule();
    const start = w.y;
    w.text(no, { size: s(10), width: numberX - left, bold: o.bold ?? false });
    w.y = start;
    w.text(name, { size: s(10), x: nameX, width: nameWidth, bold: o.bold ?? false });
    if (o.en) w.text(o.en[0], { size: s(7.5), grey: true, x: nameX, width: nameWidth });
    const nameEnd = w.y;
    w.y = start;
    w.text(amount, {
      size: s(10),
      x: amountRight - amountWidth,
      width: amountWidth,
      align: 'right',
      bold: o.bold ?? false,
    });
    if (o.en)
      w.text(o.en[1], {
        size: s(7.5),
        grey: true,
        x: amountRight - amountWidth,
        width: amountWidth,
        align: 'right',
      });
    w.y = Math.min(w.y, nameEnd) - s(3);
  };
  row('STT', 'Tên khoản thu', 'Số tiền (đồng)', { bold: true, en: ['Item', 'Amount (VND)'], first: true });
  r.items.forEach((item, i) => {
    row(String(i + 1), item.name, formatDong(item.amount));
  });
  row('', 'Tổng cộng', formatDong(total), { bold: true, en: ['Total', ''] });
  rule();
  w.y -= s(4);
  field('Số tiền bằng chữ', 'Amount in words', amountInWords(total), { bold: true });
  w.y -= s(4);

  // How and when it was paid; the legal basis; where to check it.
  field('Hình thức thanh toán', 'Payment method', r.payment.method);
  field('Mã tham chiếu thanh toán', 'Payment reference', r.payment.reference);
  field('Mã giao dịch', 'Transaction code', r.payment.transactionCode);
  field(
    'Thời điểm thanh toán',
    'Paid at (Viet Nam time, UTC+7)',
    `${vietnamWhen(r.payment.paidAt)} (giờ Việt Nam)`,
  );
  field('Căn cứ pháp lý', 'Legal basis', r.legalBasis);
  w.y -= s(8);
  room(s(9) * 1.45 * 2 + s(7.5) * 1.45);
  w.text('Tra cứu, xác minh biên lai tại:', { size: s(9) });
  w.text('Check this receipt at:', { size: s(7.5), grey: true });
  w.text(r.verifyUrl, { size: s(9), bold: true });
  return doc.save();
}
