/**
 * What text may enter the portal: no U+0000 (PostgreSQL refuses it in `text` and `jsonb`) and no
 * unpaired UTF-16 surrogate (refused in `jsonb`, and not a character at all). Text that passes is
 * normalised to NFC, so that "Nguyễn" typed with combining marks and precomposed is one name.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Code units from which NFC can change a string: below U+0300 every string is already NFC. */
const MAY_COMPOSE = /[\u0300-\uffff]/;

export type TextFault = 'nul' | 'surrogate';

/** Why `s` cannot be stored, or undefined when it can. */
export function textFault(s: string): TextFault | undefined {
  if (s.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(s)) return 'surrogate';
  return undefined;
}

export function isCleanText(s: unknown): s is string {
  return typeof s === 'string' && textFault(s) === undefined;
}

/** `s` in NFC (callers have checked `textFault` first). */
export function nfc(s: string): string {
  return MAY_COMPOSE.test(s) ? s.normalize('NFC') : s;
}

export const FAULT_TEXT: Record<TextFault | 'depth' | 'number' | 'key' | 'json', { vi: string; en: string }> =
  {
    nul: { vi: 'chứa ký tự NUL (U+0000)', en: 'contains a NUL character (U+0000)' },
    surrogate: {
      vi: 'chứa ký tự UTF-16 không hợp lệ (nửa cặp thay thế)',
      en: 'contains an unpaired UTF-16 surrogate',
    },
    depth: { vi: 'lồng nhau quá sâu', en: 'is nested too deeply' },
    number: {
      vi: 'là số vượt quá phạm vi số nguyên an toàn (±9007199254740991)',
      en: 'is a number beyond the safe integer range (±9007199254740991)',
    },
    key: { vi: 'là tên trường không được phép', en: 'is a forbidden field name' },
    json: { vi: 'không phải JSON hợp lệ', en: 'is not valid JSON' },
  };

/**
 * A path segment fit to show and to store: a key with bad characters is written with escapes, a long
 * one is cut (paths go into answers, logs and the sync monitoring's table).
 */
export function showKey(key: string | number): string {
  if (typeof key === 'number') return String(key);
  const cut = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  let shown = '';
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    const ch = cut[i];
    shown +=
      code < 0x20 || (code >= 0xd800 && code <= 0xdfff) ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
  }
  return shown;
}

/** `['body', 'formData', 'x', 3]` → `body.formData.x.3`, at most 12 segments shown. */
export function showPath(path: ReadonlyArray<string | number>): string {
  const shown = path.length > 12 ? [...path.slice(0, 11).map(showKey), '…'] : path.map(showKey);
  return shown.join('.');
}
