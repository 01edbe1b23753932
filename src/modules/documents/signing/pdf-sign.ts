/**
 * PAdES baseline B-B signing of a PDF with pdf-lib. pdf-lib rewrites the whole file rather than
 * appending an incremental update, so signing an already signed PDF would break its earlier
 * signatures: a document is signed once, after the stamp (drawn in `prepare`, in the same load/save
 * pass, since loading and saving dominate the cost).
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { buildSignedData } from './cms.ts';
import type { Signer } from './signer.ts';

export interface SignatureMeta {
  reason: string;
  location: string;
  name?: string;
  contactInfo?: string;
  signingTime: Date;
}

export interface SignPdfOptions {
  /** Changes to the document (the certification stamp, a footer) made before it is signed. */
  prepare?: (doc: PDFDocument) => Promise<void> | void;
  /** Room reserved for the DER signature; the default fits the signer's chain with margin. */
  signatureBytes?: number;
}

/** Ten digits: a file of up to 9,999,999,999 bytes. */
const BYTE_RANGE_PLACEHOLDER = '**********';

export async function signPdf(
  pdf: Buffer,
  signer: Signer,
  meta: SignatureMeta,
  opts: SignPdfOptions = {},
): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  if (opts.prepare) await opts.prepare(doc);
  const chainBytes = [signer.certificate, ...signer.chain].reduce((n, c) => n + c.length, 0);
  const size = opts.signatureBytes ?? 4096 + chainBytes;
  const placeholder = '0'.repeat(size * 2);
  const byteRangeText = addSignatureField(doc, placeholder, meta);

  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  const contentsAt = bytes.indexOf(`<${placeholder}>`, 0, 'latin1');
  if (contentsAt < 0 || bytes.indexOf(`<${placeholder}>`, contentsAt + 1, 'latin1') >= 0) {
    throw new Error('signature placeholder not found exactly once');
  }
  const contentsEnd = contentsAt + placeholder.length + 2;
  const range = [0, contentsAt, contentsEnd, bytes.length - contentsEnd];
  writeByteRange(bytes, byteRangeText, range);

  const digest = createHash('sha256')
    .update(bytes.subarray(0, contentsAt))
    .update(bytes.subarray(contentsEnd))
    .digest();
  const cms = await buildSignedData(digest, signer);
  if (cms.length > size) {
    throw new Error(`signature is ${cms.length} bytes, more than the ${size} reserved (signatureBytes)`);
  }
  bytes.write(cms.toString('hex').toUpperCase(), contentsAt + 1, 'latin1');
  return bytes;
}

/** Adds the field and its signature dictionary; returns the /ByteRange entry as pdf-lib will write it. */
function addSignatureField(doc: PDFDocument, placeholder: string, meta: SignatureMeta): string {
  const ctx = doc.context;
  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_PLACEHOLDER));
  const sig = ctx.obj({});
  const set = (key: string, value: Parameters<typeof sig.set>[1]) => sig.set(PDFName.of(key), value);
  set('Type', PDFName.of('Sig'));
  set('Filter', PDFName.of('Adobe.PPKLite'));
  set('SubFilter', PDFName.of('ETSI.CAdES.detached'));
  set('ByteRange', byteRange);
  set('Contents', PDFHexString.of(placeholder));
  set('M', PDFString.fromDate(meta.signingTime));
  // Text strings as UTF-16BE with a byte order mark: PDFDocEncoding has no Vietnamese letters.
  set('Reason', PDFHexString.fromText(meta.reason.normalize('NFC')));
  set('Location', PDFHexString.fromText(meta.location.normalize('NFC')));
  if (meta.name) set('Name', PDFHexString.fromText(meta.name.normalize('NFC')));
  if (meta.contactInfo) set('ContactInfo', PDFHexString.fromText(meta.contactInfo.normalize('NFC')));
  const sigRef = ctx.register(sig);

  const page = doc.getPage(0);
  const acroForm = doc.catalog.getOrCreateAcroForm();
  const fields = acroForm.dict.lookupMaybe(PDFName.of('Fields'), PDFArray);
  // An invisible widget (zero rectangle, Print + Locked): the visible stamp is the page's own content.
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    F: 132,
    P: page.ref,
  });
  widget.set(PDFName.of('T'), PDFHexString.fromText(`Signature${(fields?.size() ?? 0) + 1}`));
  widget.set(PDFName.of('V'), sigRef);
  const widgetRef = ctx.register(widget);
  page.node.addAnnot(widgetRef);
  acroForm.addField(widgetRef);
  acroForm.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  return `/ByteRange ${byteRange.toString()}`;
}

/**
 * Overwrites the placeholder array in place, padding with spaces, so no offset moves. The whole entry
 * is matched (and must occur once) so a name like `/**********` elsewhere in the file is left alone.
 */
function writeByteRange(bytes: Buffer, entry: string, range: number[]): void {
  const at = bytes.indexOf(entry, 0, 'latin1');
  if (at < 0 || bytes.indexOf(entry, at + 1, 'latin1') >= 0)
    throw new Error('byte range placeholder not found exactly once');
  const open = at + '/ByteRange '.length;
  const width = entry.length - '/ByteRange '.length;
  const text = `[${range.join(' ')}]`;
  if (text.length > width) throw new Error('byte range does not fit its placeholder');
  bytes.write(text.padEnd(width, ' '), open, 'latin1');
}
