/**
 * The small drawing kit of the stamp: wrapped lines in a column, a QR code as vector squares, a
 * one-line footer on a white strip, the Vietnamese legal date. Everything here draws in the coordinates
 * `inView` sets up (page-view.ts).
 */
import { fill, type PDFFont, type PDFPage, rectangle, rgb, setFillingGrayscaleColor } from 'pdf-lib';
import QRCode from 'qrcode';

export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.33, 0.33, 0.33);
export const WHITE = rgb(1, 1, 1);
export const BORDER = rgb(0.2, 0.2, 0.2);

export interface Line {
  text: string;
  font: PDFFont;
  size: number;
  grey?: boolean;
  /** Space after the line (besides its own leading). */
  gap?: number;
}

/**
 * Advance widths (at size 1000) of each character already measured, per font name: pdf-lib measures a
 * string by laying it out with fontkit, about a millisecond a call with DejaVu's tables, and a block is
 * wrapped word by word. The sum of the characters' advances is what pdf-lib's measure adds up too (it
 * ignores kerning); only a ligature would differ, by a hair. Bounded: a font's table stops growing at
 * 4096 characters.
 */
const advances = new Map<string, Map<string, number>>();

/** The width of `text` at `size` in `font`. */
export function textWidth(text: string, font: PDFFont, size: number): number {
  let table = advances.get(font.name);
  if (!table) {
    table = new Map();
    advances.set(font.name, table);
  }
  let width = 0;
  for (const ch of text) {
    let a = table.get(ch);
    if (a === undefined) {
      a = font.widthOfTextAtSize(ch, 1000);
      if (table.size < 4096) table.set(ch, a);
    }
    width += a;
  }
  return (width * size) / 1000;
}

/** Lines of `text` that fit `width` at `size`, broken at spaces (a word longer than the width stays whole). */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, font, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The size at which `text` fits `width` on one line: `size`, or smaller down to `min`. */
export function fitSize(text: string, font: PDFFont, size: number, width: number, min: number): number {
  const w = textWidth(text, font, size);
  return w <= width ? size : Math.max(min, (size * width) / w);
}

const LEADING = 1.3;

/** The height `lines` take wrapped in `width`. */
export function columnHeight(lines: Line[], width: number): number {
  let h = 0;
  for (const l of lines) h += wrap(l.text, l.font, l.size, width).length * l.size * LEADING + (l.gap ?? 0);
  return h;
}

/**
 * Draws `lines` wrapped in a column of `width` whose top is at `top`; answers the y below the last line.
 * `align: 'center'` centres each line in the column.
 */
export function drawColumn(
  page: PDFPage,
  lines: Line[],
  x: number,
  top: number,
  width: number,
  align: 'left' | 'center' = 'left',
): number {
  let y = top;
  for (const l of lines) {
    for (const text of wrap(l.text, l.font, l.size, width)) {
      y -= l.size * LEADING;
      const w = textWidth(text, l.font, l.size);
      const at = align === 'center' ? x + (width - w) / 2 : x;
      // The baseline sits 0.3 of the size above the line's bottom: room for descenders and the dot below (ạ, ọ).
      page.drawText(text, {
        x: at,
        y: y + l.size * 0.3,
        size: l.size,
        font: l.font,
        color: l.grey ? GREY : BLACK,
      });
    }
    y -= l.gap ?? 0;
  }
  return y;
}

/** The QR modules of `text` (error correction M: a printed scan of the copy still reads). */
export function qrModules(text: string): { size: number; dark(row: number, col: number): boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { size, dark: (row, col) => data[row * size + col] === 1 };
}

/**
 * The QR code of `text` as black squares in a `side`-point square with its bottom-left corner at (x, y):
 * each row's run of dark modules is one rectangle, all filled at once. Vector squares stay crisp at any
 * zoom and cost a few hundred bytes. The quiet zone (white around it) is the caller's.
 */
export function drawQr(page: PDFPage, text: string, x: number, y: number, side: number) {
  const m = qrModules(text);
  const unit = side / m.size;
  const ops = [setFillingGrayscaleColor(0)];
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.dark(row, col)) col++;
      // Rounded to a thousandth of a point; the tiny overlap hides hairline seams between rows in viewers.
      const rx = round(x + start * unit);
      const ry = round(y + side - (row + 1) * unit);
      ops.push(rectangle(rx, ry, round((col - start) * unit), round(unit + 0.01)));
    }
  }
  ops.push(fill());
  page.pushOperators(...ops);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * One line of small text centred at the foot of a view `width` wide, on a white strip so that it reads
 * over a scan; shrunk to fit, and wrapped onto more lines only if it still does not fit at `min` size.
 */
export function drawFooter(page: PDFPage, text: string, font: PDFFont, width: number, size = 6.5, min = 4.5) {
  const margin = 10;
  const room = width - 2 * margin;
  const fitted = fitSize(text, font, size, room, min);
  const lines = wrap(text, font, fitted, room).reverse(); // drawn from the bottom up
  let baseline = 4.5;
  for (const line of lines) {
    const w = textWidth(line, font, fitted);
    const x = (width - w) / 2;
    page.drawRectangle({
      x: x - 3,
      y: baseline - fitted * 0.35,
      width: w + 6,
      height: fitted * 1.35,
      color: WHITE,
    });
    page.drawText(line, { x, y: baseline, size: fitted, font, color: BLACK });
    baseline += fitted * 1.35;
  }
}

/** Height one line of `drawFooter`'s footer takes from the page's bottom edge. */
export const footerHeight = (size = 6.5) => 4.5 + size * 1.35;

const VIETNAM_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** The calendar date of an instant in Vietnam time. */
export function vietnamDay(at: Date): { day: number; month: number; year: number } {
  const parts = Object.fromEntries(VIETNAM_DATE.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: Number(parts.day), month: Number(parts.month), year: Number(parts.year) };
}

/**
 * "ngày 07 tháng 12 năm 2026" in Vietnam time, as administrative documents write it (Nghị định
 * 30/2020/NĐ-CP, Phụ lục I): a day below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng
 * 02", "ngày 15 tháng 3").
 */
export function legalDate(at: Date): string {
  const { day, month, year } = vietnamDay(at);
  const dd = day < 10 ? `0${day}` : `${day}`;
  const mm = month < 3 ? `0${month}` : `${month}`;
  return `ngày ${dd} tháng ${mm} năm ${year}`;
}

/** "7 December 2026" in Vietnam time. */
export function englishDate(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'long' }).format(at);
}
