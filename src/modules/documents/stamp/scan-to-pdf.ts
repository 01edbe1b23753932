/**
 * A scan as the PDF a copy is made from: the bytes are checked by their content (magic numbers), never by
 * the declared type; a PDF is parsed with pdf-lib (refused when encrypted, empty or longer than
 * `MAX_PAGES`), a JPG or PNG becomes a one-page A4 PDF with the picture fitted at its aspect ratio.
 *
 * A PDF that starts with `%PDF-` is returned byte for byte as uploaded: the stamp loads and re-saves it
 * anyway (a full rewrite, not an incremental update), so re-saving here would only cost time, and the
 * stored scan stays exactly what the requester brought. A PDF with bytes before its header (a BOM, a mail
 * gateway's junk) is returned re-saved, so what is stored always starts with its header.
 */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFOperator,
  type PDFPage,
  PDFRawStream,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { StampInputError } from './errors.ts';

/** The most pages a scan may have (a copy of a longer original is made in parts). */
export const MAX_PAGES = 500;

/**
 * The most pixels a picture may have: A4 scanned at 600 dpi is 35 million, A3 at 400 dpi 31 million. A PNG
 * is decoded to embed it (4 bytes a pixel), so a small file must not expand into gigabytes.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** How many objects pdf-lib parses or writes before yielding to the event loop (its default, 100, waits ~1 ms a time). */
export const OBJECTS_PER_TICK = 2000;

export type ScanType = 'pdf' | 'jpg' | 'png';

const A4: [number, number] = [595.28, 841.89];
/** Margins around a picture on its page; the bottom keeps room for the certification block and the footer. */
const MARGIN = 28;
const BOTTOM_RESERVE = 150;

/** What the bytes are, by their first bytes; undefined for anything else. */
export function sniff(bytes: Uint8Array): ScanType | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG' && bytes[4] === 0x0d) {
    return bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a ? 'png' : undefined;
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (pdfHeaderAt(bytes) >= 0) return 'pdf';
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** Where `%PDF-` starts within the first KiB (readers accept a header there), or -1. */
function pdfHeaderAt(bytes: Uint8Array): number {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024));
  return head.indexOf('%PDF-', 0, 'latin1');
}

const TYPE_NAMES: Record<ScanType, string> = { pdf: 'PDF', jpg: 'JPG', png: 'PNG' };

/** The scan as a PDF and its page count; StampInputError when it is not a usable PDF, JPG or PNG. */
export async function scanToPdf(bytes: Buffer, type: ScanType): Promise<{ pdf: Buffer; pages: number }> {
  if (bytes.length === 0) {
    throw new StampInputError('empty', 'Tệp rỗng.', 'The file is empty.');
  }
  const actual = sniff(bytes);
  if (!actual) {
    throw new StampInputError(
      'unsupported-type',
      'Tệp không phải PDF, JPG hoặc PNG.',
      'The file is not a PDF, JPG or PNG.',
    );
  }
  if (actual !== type) {
    throw new StampInputError(
      'type-mismatch',
      `Tệp được khai là ${TYPE_NAMES[type]} nhưng nội dung là ${TYPE_NAMES[actual]}.`,
      `The file was declared as ${TYPE_NAMES[type]} but its content is ${TYPE_NAMES[actual]}.`,
    );
  }
  if (actual === 'pdf') {
    const doc = await loadScan(bytes);
    const pages = checkPages(doc);
    if (pdfHeaderAt(bytes) === 0) return { pdf: bytes, pages };
    return { pdf: Buffer.from(await doc.save(saveOptions)), pages };
  }
  return { pdf: await imageToPdf(bytes, actual), pages: 1 };
}

/** The pages of a PDF; StampInputError when it is not a usable PDF. */
export async function countPages(pdf: Buffer): Promise<number> {
  if (pdf.length === 0) throw new StampInputError('empty', 'Tệp rỗng.', 'The file is empty.');
  if (sniff(pdf) !== 'pdf') throw notPdf();
  return checkPages(await loadScan(pdf));
}

export const saveOptions = {
  useObjectStreams: false,
  addDefaultPage: false,
  updateFieldAppearances: false,
  objectsPerTick: OBJECTS_PER_TICK,
} as const;

const notPdf = () => new StampInputError('unsupported-type', 'Tệp không phải PDF.', 'The file is not a PDF.');

const encrypted = () =>
  new StampInputError(
    'encrypted-pdf',
    'Tệp PDF được mã hóa hoặc đặt mật khẩu; hãy tải lên bản không mã hóa.',
    'The PDF is encrypted or password-protected; upload an unencrypted one.',
  );

/**
 * Loads a scan's PDF, or a StampInputError. pdf-lib is asked to ignore encryption so that it reports
 * it (`isEncrypted`) rather than failing somewhere in an encrypted object stream; a parse failure of a
 * file whose trailer names /Encrypt is reported as encrypted too.
 */
export async function loadScan(pdf: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, {
      ignoreEncryption: true,
      updateMetadata: false,
      parseSpeed: OBJECTS_PER_TICK,
    });
  } catch {
    if (namesEncrypt(pdf)) throw encrypted();
    throw new StampInputError(
      'corrupt-pdf',
      'Tệp PDF bị hỏng, không đọc được.',
      'The PDF is damaged and cannot be read.',
    );
  }
  if (doc.isEncrypted) throw encrypted();
  return doc;
}

function namesEncrypt(pdf: Uint8Array): boolean {
  const tail = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length);
  return tail.indexOf('/Encrypt', Math.max(0, pdf.length - 64 * 1024), 'latin1') >= 0;
}

function checkPages(doc: PDFDocument): number {
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch {
    throw new StampInputError(
      'corrupt-pdf',
      'Tệp PDF bị hỏng (không đọc được danh sách trang).',
      'The PDF is damaged (its page tree cannot be read).',
    );
  }
  if (pages === 0) {
    throw new StampInputError('empty', 'Tệp PDF không có trang nào.', 'The PDF has no pages.');
  }
  if (pages > MAX_PAGES) {
    throw new StampInputError(
      'too-many-pages',
      `Tệp PDF có ${pages} trang, nhiều hơn mức tối đa ${MAX_PAGES} trang.`,
      `The PDF has ${pages} pages, more than the limit of ${MAX_PAGES}.`,
    );
  }
  return pages;
}

const corruptImage = (kind: string) =>
  new StampInputError(
    'corrupt-image',
    `Ảnh ${kind} bị hỏng, không đọc được.`,
    `The ${kind} image is damaged and cannot be read.`,
  );

/** Width, height and EXIF orientation (1–8) from a picture's header, without decoding it. */
export function imageInfo(
  bytes: Uint8Array,
  type: 'jpg' | 'png',
): { width: number; height: number; orientation: number } {
  if (type === 'png') {
    // The signature (8), then the IHDR chunk: length (4), type (4), width (4), height (4).
    if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') throw corruptImage('PNG');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    return { width: view.getUint32(16), height: view.getUint32(20), orientation: 1 };
  }
  return jpegInfo(bytes);
}

function jpegInfo(bytes: Uint8Array): { width: number; height: number; orientation: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let orientation = 1;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) throw corruptImage('JPG');
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(i + 2);
    if (length < 2 || i + 2 + length > bytes.length) break;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (length < 8) break;
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7), orientation };
    }
    if (marker === 0xe1) orientation = exifOrientation(bytes.subarray(i + 4, i + 2 + length)) ?? orientation;
    if (marker === 0xda || marker === 0xd9) break; // scan data or the end before any frame header
    i += 2 + length;
  }
  throw corruptImage('JPG');
}

/** The orientation tag (0x0112) of an APP1 Exif segment's first IFD, if there is one. */
function exifOrientation(app1: Uint8Array): number | undefined {
  if (app1.length < 14 || ascii(app1, 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = new DataView(app1.buffer, app1.byteOffset + 6, app1.length - 6);
  const little = tiff.getUint16(0) === 0x4949;
  const ifd = tiff.getUint32(4, little);
  if (ifd + 2 > tiff.byteLength) return undefined;
  const count = tiff.getUint16(ifd, little);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > tiff.byteLength) return undefined;
    if (tiff.getUint16(entry, little) === 0x0112) {
      const value = tiff.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/**
 * A picture on an A4 page — portrait, or landscape for a picture wider than tall — fitted within the
 * margins at its aspect ratio, at the top of the page so that the free space left for the certification
 * block is at the foot. A JPEG is embedded as it is (no re-encoding); its EXIF orientation is applied.
 */
async function imageToPdf(bytes: Buffer, type: 'jpg' | 'png'): Promise<Buffer> {
  const kind = type === 'jpg' ? 'JPG' : 'PNG';
  const info = imageInfo(bytes, type);
  if (info.width === 0 || info.height === 0) throw corruptImage(kind);
  if (info.width * info.height > MAX_IMAGE_PIXELS) {
    throw new StampInputError(
      'image-too-large',
      `Ảnh ${info.width}×${info.height} điểm ảnh, lớn hơn mức tối đa ${MAX_IMAGE_PIXELS / 1_000_000} triệu điểm ảnh.`,
      `The image is ${info.width}×${info.height} pixels, more than the limit of ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.`,
    );
  }
  const png = type === 'png' ? await checkPng(bytes) : undefined;
  const doc = await PDFDocument.create({ updateMetadata: false });
  let image: { ref: PDFRef; width: number; height: number };
  const direct = png && directPng(doc, png);
  if (direct) image = direct;
  else {
    try {
      // A copy at offset 0: pdf-lib's JPEG reader views `bytes.buffer` from its start, which is wrong for
      // a Buffer from Node's pool or a slice of a larger one (a multipart upload).
      const own = new Uint8Array(bytes);
      image = type === 'jpg' ? await doc.embedJpg(own) : await doc.embedPng(own);
    } catch {
      throw corruptImage(kind);
    }
  }
  // Orientations 5–8 turn the picture a quarter: its displayed width is its stored height.
  const o = info.orientation;
  const quarter = o >= 5;
  const shownW = quarter ? image.height : image.width;
  const shownH = quarter ? image.width : image.height;
  const [pw, ph] = shownW > shownH ? [A4[1], A4[0]] : A4;
  const page = doc.addPage([pw, ph]);
  const boxW = pw - 2 * MARGIN;
  const boxH = ph - MARGIN - BOTTOM_RESERVE;
  const s = Math.min(boxW / shownW, boxH / shownH);
  const w = shownW * s;
  const h = shownH * s;
  const x = (pw - w) / 2;
  const y = ph - MARGIN - h;
  // The image space maps the unit square; the EXIF transform of each orientation in that square.
  const [a, b, c, d, e, f] = exifMatrix(o, w, h);
  page.pushOperators(...drawImageOps(page, image, [a, b, c, d, e + x, f + y]));
  doc.setProducer('Cổng Dịch vụ công (pdf-lib)');
  return Buffer.from(await doc.save(saveOptions));
}

/**
 * The matrix placing the unit square of the stored picture so that it shows upright in a w×h box at the
 * origin (EXIF orientations: 1 as stored, 2 mirrored, 3 turned 180°, 4 flipped, 5–8 the quarter turns).
 */
function exifMatrix(o: number, w: number, h: number): [number, number, number, number, number, number] {
  switch (o) {
    case 2:
      return [-w, 0, 0, h, w, 0];
    case 3:
      return [-w, 0, 0, -h, w, h];
    case 4:
      return [w, 0, 0, -h, 0, h];
    case 5:
      return [0, -h, -w, 0, w, h];
    case 6:
      return [0, -h, w, 0, 0, h];
    case 7:
      return [0, h, w, 0, 0, 0];
    case 8:
      return [0, h, -w, 0, w, 0];
    default:
      return [w, 0, 0, h, 0, 0];
  }
}

function drawImageOps(
  page: PDFPage,
  image: { ref: PDFRef },
  m: [number, number, number, number, number, number],
): PDFOperator[] {
  // pdf-lib's drawImage knows only translate, scale and rotate; the XObject is named on the page by hand.
  const name = page.node.newXObject('Image', image.ref);
  return [pushGraphicsState(), concatTransformationMatrix(...m), drawObject(name), popGraphicsState()];
}

const PNG_CHANNELS: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * A PNG's structure checked before pdf-lib decodes it — its decoder (UPNG) loops forever on a truncated
 * file: chunks within the file with correct CRCs, IHDR first and valid, IDAT present, IEND last, and the
 * image data inflating (streamed, not kept) to exactly the bytes its size and pixel format need.
 */
async function checkPng(bytes: Uint8Array): Promise<PngParts> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  let transparency = false;
  let at = 8;
  let ended = false;
  let first = true;
  let header: { width: number; height: number; colour: number; depth: number; interlace: number } | undefined;
  while (at + 12 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (length > buf.length - at - 12) throw corruptImage('PNG');
    const data = buf.subarray(at + 8, at + 8 + length);
    if (zlib.crc32(buf.subarray(at + 4, at + 8 + length)) !== buf.readUInt32BE(at + 8 + length)) {
      throw corruptImage('PNG');
    }
    if (first !== (type === 'IHDR')) throw corruptImage('PNG');
    first = false;
    if (type === 'IHDR') {
      if (length !== 13) throw corruptImage('PNG');
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8]!,
        colour: data[9]!,
        interlace: data[12]!,
      };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = true;
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  const format = header && PNG_CHANNELS[header.colour];
  if (!header || !format?.depths.includes(header.depth) || header.interlace > 1) throw corruptImage('PNG');
  if (!ended || idat.length === 0) throw corruptImage('PNG');
  const bitsPerPixel = format.channels * header.depth;
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  const { width, height } = header;
  const expected =
    header.interlace === 0
      ? rows(width, height)
      : ADAM7.reduce(
          (sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)),
          0,
        );
  let inflated = 0;
  try {
    await pipeline(Readable.from(idat), zlib.createInflate(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        inflated += chunk.length;
        if (inflated > expected) throw corruptImage('PNG');
      }
    });
  } catch {
    throw corruptImage('PNG');
  }
  if (inflated !== expected) throw corruptImage('PNG');
  return { ...header, channels: format.channels, idat, palette, transparency };
}

interface PngParts {
  width: number;
  height: number;
  depth: number;
  colour: number;
  interlace: number;
  channels: number;
  idat: Buffer[];
  palette: Buffer | undefined;
  transparency: boolean;
}

/**
 * A PNG without transparency and not interlaced (what scanners write: grey, 1-bit, RGB or a palette) goes
 * into the PDF as its own compressed data: PNG's filtered rows are exactly FlateDecode with predictor 15,
 * so nothing is decoded or compressed again. Undefined for the rest, which pdf-lib decodes and re-encodes.
 */
function directPng(
  doc: PDFDocument,
  png: PngParts,
): { ref: PDFRef; width: number; height: number } | undefined {
  if (png.interlace !== 0 || png.transparency || png.colour === 4 || png.colour === 6) return undefined;
  let colorSpace: PDFName | ReturnType<PDFDocument['context']['obj']>;
  if (png.colour === 3) {
    if (!png.palette || png.palette.length % 3 !== 0 || png.palette.length === 0) return undefined;
    colorSpace = doc.context.obj([
      PDFName.of('Indexed'),
      PDFName.of('DeviceRGB'),
      png.palette.length / 3 - 1,
      PDFHexString.of(png.palette.toString('hex')),
    ]);
  } else colorSpace = PDFName.of(png.colour === 0 ? 'DeviceGray' : 'DeviceRGB');
  const dict = doc.context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: png.width,
    Height: png.height,
    ColorSpace: colorSpace,
    BitsPerComponent: png.depth,
    Filter: 'FlateDecode',
    DecodeParms: { Predictor: 15, Colors: png.channels, BitsPerComponent: png.depth, Columns: png.width },
  });
  const ref = doc.context.register(PDFRawStream.of(dict, Buffer.concat(png.idat)));
  return { ref, width: png.width, height: png.height };
}
