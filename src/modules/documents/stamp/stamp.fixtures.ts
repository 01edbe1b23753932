/**
 * Test fixtures made in code: a PNG encoded by hand (zlib and CRC-32), a small real JPEG (48×32, from
 * poppler's pdftoppm, kept as base64), an EXIF orientation put into it, PDFs of any size and rotation,
 * and poppler (pdftotext, pdftoppm) to read a PDF back as a reader would.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { degrees, PDFDocument, PDFName, rgb, StandardFonts } from 'pdf-lib';

/** A 48×32 baseline JPEG (JFIF, 3 components): blue with an orange top-left quarter. */
export const JPEG_48x32 = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAgADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDXooor5I98K87r0SvO6+m4c/5efL9Tys0+x8/0CiiivpjyQooooAKKKKACiiigD//Z',
  'base64',
);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG of width × height (a gradient), or one whose IHDR claims that size over no data. */
export function makePng(
  width: number,
  height: number,
  opts: { headerOnly?: boolean; claimHeight?: number; bw?: boolean } = {},
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(opts.claimHeight ?? height, 4);
  ihdr[8] = opts.bw ? 1 : 8; // bit depth
  ihdr[9] = opts.bw ? 0 : 2; // grey or RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const end = chunk('IEND', Buffer.alloc(0));
  if (opts.headerOnly) return Buffer.concat([signature, chunk('IHDR', ihdr), end]);
  if (opts.bw) {
    // 1 bit a pixel: the left half black (0), the right half white (1).
    const stride = Math.ceil(width / 8) + 1;
    const bits = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
      for (let x = Math.floor(width / 2); x < width; x++) bits[y * stride + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
    return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(bits)), end]);
  }
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = Math.round((255 * x) / width);
      raw[row + 2 + x * 3] = Math.round((255 * y) / height);
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), end]);
}

/** The JPEG with an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) after its SOI. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

/** A PDF of `pages` pages looking like a scan: a tinted page full of lines of text ("Original page i"). */
export async function makePdf(
  pages: number,
  opts: { size?: [number, number]; rotate?: number; rotateLast?: number } = {},
): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const [w, h] = opts.size ?? [595.28, 841.89];
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([w, h]);
    page.drawRectangle({ x: 0, y: 0, width: w, height: h, color: rgb(0.94, 0.93, 0.9) });
    for (let y = h - 50; y > 20; y -= 16) {
      page.drawText(`Original page ${i + 1}, a line of the scanned document`, { x: 30, y, size: 10, font });
    }
    const rotate = i === pages - 1 ? (opts.rotateLast ?? opts.rotate) : opts.rotate;
    if (rotate) page.setRotation(degrees(rotate));
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A PDF whose trailer names an /Encrypt dictionary (the standard handler, RC4 40-bit). */
export async function makeEncryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage();
  const encrypt = doc.context.obj({
    Filter: PDFName.of('Standard'),
    V: 1,
    R: 2,
    P: -44,
    O: doc.context.obj(Array.from({ length: 32 }, () => 0)),
    U: doc.context.obj(Array.from({ length: 32 }, () => 0)),
  });
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function withFile<T>(pdf: Uint8Array, run: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stamp-'));
  try {
    const file = path.join(dir, 'in.pdf');
    fs.writeFileSync(file, pdf);
    return run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of one page (1-based) as pdftotext reads it, NFC. */
export function pageText(pdf: Uint8Array, page: number): string {
  return withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', `${page}`, '-l', `${page}`, file, '-'], {
      encoding: 'utf8',
    }).normalize('NFC'),
  );
}

/** The words of one page with their boxes in the page as shown (pdftotext -bbox). */
export function pageWords(
  pdf: Uint8Array,
  page: number,
): Array<{ word: string; xMin: number; yMin: number; xMax: number; yMax: number }> {
  const xml = withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', '-f', `${page}`, '-l', `${page}`, file, '-'], {
      encoding: 'utf8',
    }),
  );
  const words = [];
  for (const m of xml.matchAll(
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    words.push({
      word: m[5]!.normalize('NFC'),
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
    });
  }
  return words;
}

/**
 * One page as seen (its CropBox, turned by /Rotate) rendered in grey at `dpi` (pdftoppm's PGM on stdout),
 * as pixels 0 (black) to 255 (white).
 */
export function renderPage(
  pdf: Uint8Array,
  page: number,
  dpi: number,
): { width: number; height: number; grey(x: number, y: number): number } {
  const pgm = withFile(pdf, (file) =>
    execFileSync(
      'pdftoppm',
      ['-cropbox', '-gray', '-r', `${dpi}`, '-f', `${page}`, '-l', `${page}`, '-singlefile', file],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    ),
  );
  // "P5", width, height, maxval, each followed by one whitespace byte, then one byte a pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm gave no PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  return { width, height, grey: (x, y) => pgm[start + y * width + x]! };
}
