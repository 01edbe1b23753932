/**
 * SMS text: which alphabet a text needs and how many segments it takes (3GPP TS 23.038). GSM 7-bit
 * carries 160 characters in one segment and 153 per segment of a longer message; UCS-2 (anything with
 * Vietnamese diacritics) 70 and 67. Characters of the GSM extension table (€ [ ] { } ^ ~ | \) count
 * twice. Pure functions, no I/O.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';
const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** Characters as the network counts them (septets for GSM 7-bit, UTF-16 units for UCS-2). */
  units: number;
  segments: number;
}

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return 'ucs2';
  return 'gsm7';
}

export function smsSize(text: string): SmsSize {
  const encoding = smsEncoding(text);
  let units = 0;
  if (encoding === 'gsm7') for (const ch of text) units += EXTENSION.has(ch) ? 2 : 1;
  else units = text.length;
  const [single, multi] = encoding === 'gsm7' ? [160, 153] : [70, 67];
  const segments = units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / multi);
  return { encoding, units, segments };
}

/** The most units `segments` segments carry in an encoding. */
export function smsCapacity(encoding: SmsEncoding, segments: number): number {
  if (segments <= 1) return encoding === 'gsm7' ? 160 : 70;
  return segments * (encoding === 'gsm7' ? 153 : 67);
}

/**
 * Vietnamese without diacritics, case kept ("Công ty Hòa Bình" → "Cong ty Hoa Binh"), and every other
 * character outside GSM 7-bit replaced: typographic quotes and dashes by their ASCII forms, the rest by
 * "?". The result is always GSM 7-bit.
 */
export function foldToGsm7(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[‘’‚‛]/g, "'")
    .replace(/[“”„‟]/g, '"')
    .replace(/[‐-―−]/g, '-')
    .replace(/…/g, '...')
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\t]/g, ' ');
  let out = '';
  for (const ch of folded) out += BASIC.has(ch) || EXTENSION.has(ch) ? ch : '?';
  return out;
}

/**
 * Cuts a text to fit `segments` segments of its encoding, at a word boundary where there is one near,
 * ending in "..." when something was cut. Texts that fit come back unchanged.
 */
export function fitSms(text: string, segments: number): string {
  const size = smsSize(text);
  const capacity = smsCapacity(size.encoding, segments);
  if (size.units <= capacity) return text;
  const chars = [...text];
  let cut = '';
  // Room for "..." (3 units in either alphabet).
  let budget = capacity - 3;
  for (const ch of chars) {
    const cost = size.encoding === 'gsm7' && EXTENSION.has(ch) ? 2 : ch.length;
    if (cost > budget) break;
    budget -= cost;
    cut += ch;
  }
  const space = cut.lastIndexOf(' ');
  if (space > cut.length - 20 && space > 0) cut = cut.slice(0, space);
  return `${cut.trimEnd()}...`;
}
