/**
 * The type of a file from its first bytes (magic numbers), never from its name or the type the browser
 * claimed: what an applicant may attach to a dossier is decided by what the file is.
 */

export interface Sniffed {
  mediaType: string;
  extension: string;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The types dossiers accept, recognised by content. */
export function sniff(head: Uint8Array): Sniffed | undefined {
  if (startsWith(head, ascii('%PDF-'))) return { mediaType: 'application/pdf', extension: 'pdf' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', extension: 'jpg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mediaType: 'image/png', extension: 'png' };
  if (startsWith(head, ascii('II*\0')) || startsWith(head, ascii('MM\0*')))
    return { mediaType: 'image/tiff', extension: 'tif' };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8))
    return { mediaType: 'image/webp', extension: 'webp' };
  if (
    startsWith(head, ascii('ftyp'), 4) &&
    (startsWith(head, ascii('heic'), 8) ||
      startsWith(head, ascii('heix'), 8) ||
      startsWith(head, ascii('mif1'), 8))
  )
    return { mediaType: 'image/heic', extension: 'heic' };
  // Office Open XML (docx, xlsx) are zip files; an old Word document is an OLE compound file.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { mediaType: 'application/zip', extension: 'zip' };
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return { mediaType: 'application/x-ole-storage', extension: 'doc' };
  return undefined;
}

/** What an e-form's file slot accepts by default (the catalogue's default slot types). */
export const DEFAULT_ACCEPT: readonly string[] = ['application/pdf', 'image/jpeg', 'image/png'];

/** Bytes needed to recognise every type above. */
export const SNIFF_BYTES = 16;
