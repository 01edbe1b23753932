/**
 * What every printable document of the portal needs from pdf-lib: the serif face with every Vietnamese
 * glyph (DejaVu Serif, regular and bold, embedded as subsets; licence beside the font files) and a
 * writer that sets wrapped lines down a page. The web pages use Be Vietnam Pro (@fontsource), but
 * that package ships only WOFF/WOFF2 split into unicode ranges (latin, latin-ext, vietnamese), which a
 * PDF cannot embed as one font; DejaVu Serif is one TTF per weight.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';

const FONTS = path.join(import.meta.dirname, 'fonts');
let fonts: Promise<[Uint8Array, Uint8Array]> | undefined;
const fontBytes = () =>
  (fonts ??= Promise.all([
    fs.readFile(path.join(FONTS, 'DejaVuSerif.ttf')),
    fs.readFile(path.join(FONTS, 'DejaVuSerif-Bold.ttf')),
  ]));

/**
 * The document's regular and bold faces, embedded as subsets (only the glyphs drawn). The font files are
 * read once per process. The subset names come from the document's own seeded generator, so the same
 * drawing gives the same bytes.
 */
export async function embedSerifFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  doc.registerFontkit(fontkit);
  const [r, b] = await fontBytes();
  const regular = await doc.embedFont(r, { subset: true });
  const bold = await doc.embedFont(b, { subset: true });
  return { regular, bold };
}

export interface TextOptions {
  size?: number;
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
  x?: number;
  width?: number;
  /** Extra space after the text, in points. */
  gap?: number;
  /** Grey instead of black (the English beneath the Vietnamese). */
  grey?: boolean;
}

export class Writer {
  y: number;
  page: PDFPage;
  constructor(
    page: PDFPage,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly left = 60,
    readonly right = 535,
    /** A new page when the text reaches the bottom margin (one page only without it). */
    readonly nextPage?: () => PDFPage,
    /** The first line's baseline below the top edge. */
    readonly top = 50,
  ) {
    this.page = page;
    this.y = page.getHeight() - top;
  }

  /** Lines of `text` that fit `width` at `size`, broken at spaces. */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) > width && line) {
          lines.push(line);
          line = word;
        } else line = next;
      }
      lines.push(line);
    }
    return lines;
  }

  text(text: string, o: TextOptions = {}) {
    const size = o.size ?? 12;
    const font = o.bold ? this.bold : this.regular;
    const x0 = o.x ?? this.left;
    const width = o.width ?? this.right - x0;
    const color = o.grey ? rgb(0.3, 0.3, 0.3) : rgb(0, 0, 0);
    for (const line of this.wrap(text.normalize('NFC'), font, size, width)) {
      const w = font.widthOfTextAtSize(line, size);
      const x = o.align === 'center' ? x0 + (width - w) / 2 : o.align === 'right' ? x0 + width - w : x0;
      if (this.nextPage && this.y < 60) {
        this.page = this.nextPage();
        this.y = this.page.getHeight() - this.top;
      }
      this.page.drawText(line, { x, y: this.y, size, font, color });
      this.y -= size * 1.45;
    }
    this.y -= o.gap ?? 0;
  }
}
