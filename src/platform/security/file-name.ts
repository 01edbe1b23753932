/**
 * The name a file is stored and shown under. A name comes from the sender's machine and ends up in pages,
 * PDFs (form 01 lists the documents), Content-Disposition headers and officers' downloads, so it keeps
 * only what is safe to show:
 * - NFC, so "tờ khai.pdf" typed on a Mac and on Windows is one name;
 * - no control characters (C0, DEL, C1: CR and LF would split a header, NUL is refused by PostgreSQL);
 * - no bidirectional controls (U+202E would show "hóa-đơn‮fdp.exe" as "hóa-đơnexe.pdf") and no invisible
 *   format characters (zero-width spaces and joiners, the byte-order mark);
 * - no path: slashes and backslashes become "_", leading dots go (no hidden or "../" names);
 * - runs of white space become one space; at most 255 characters, keeping the end (the extension).
 * What is left is never empty: a name with nothing safe in it becomes "tep".
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

export function storedFileName(name: string): string {
  const cleaned = name.normalize('NFC').replace(UNSAFE, '').replace(/[\\/]/g, '_').replace(/\s+/g, ' ');
  // Cut at a code point boundary (slicing UTF-16 could leave half a surrogate pair), then trim.
  const points = [...cleaned];
  const cut = points.length > 255 ? points.slice(-255).join('') : cleaned;
  return cut.trim().replace(/^[.\s]+/, '') || 'tep';
}
