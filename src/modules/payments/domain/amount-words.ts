/**
 * An amount of đồng in Vietnamese words, as the line "Số tiền bằng chữ" of an invoice or a receipt writes
 * it: "Một trăm tám mươi nghìn đồng", "Hai triệu không trăm linh năm nghìn đồng".
 *
 * The conventions (those of e-invoice and e-receipt software and of the State Treasury's forms):
 * - the number is read in groups of three digits: units, "nghìn", "triệu"; then the whole below a
 *   billion again before "tỷ", so 10^12 is "một nghìn tỷ", 1 500 × 10^9 "một nghìn năm trăm tỷ" and
 *   10^15 "một triệu tỷ";
 * - a group of zeros is left out ("Một triệu đồng", not "một triệu không nghìn …");
 * - a group after a higher non-zero group is read in full: "không trăm" for a zero hundred and "linh"
 *   for a zero ten before a unit ("Một triệu không trăm linh một đồng", "Một nghìn không trăm mười
 *   đồng"); the first group drops its leading zeros ("Mười lăm đồng", "Một trăm linh năm đồng");
 * - 10–19 are "mười …"; 20 and above "… mươi";
 * - a unit 1 after a ten from twenty up is "mốt" ("hai mươi mốt"), but "mười một";
 * - a unit 5 after any ten is "lăm" ("mười lăm", "hai mươi lăm"), but "linh năm" and "năm";
 * - a unit 4 stays "bốn" ("hai mươi bốn"; "tư" is spoken, not written on receipts);
 * - "nghìn" (not the southern "ngàn"), "linh" (not "lẻ"), "tỷ" (not "tỉ");
 * - the first letter is a capital, the words end with "đồng", zero is "Không đồng"; NFC.
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** The largest amount read: 10^15 đồng ("Một triệu tỷ đồng"). */
export const MAX_AMOUNT_IN_WORDS = 1_000_000_000_000_000;

const BILLION = 1_000_000_000;

/** The words of 0 < n < 1000; `full` reads the leading zeros ("không trăm", "linh") of a later group. */
function group(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const words: string[] = [];
  if (h > 0 || full) words.push(DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0 && words.length > 0) words.push('linh');
  } else if (t === 1) words.push('mười');
  else words.push(DIGITS[t]!, 'mươi');
  if (u === 0) return words;
  if (u === 1 && t >= 2) words.push('mốt');
  else if (u === 5 && t >= 1) words.push('lăm');
  else words.push(DIGITS[u]!);
  return words;
}

/** The words of 0 < n < 10^9; `full`: a higher group came before, so the first group is read in full. */
function belowBillion(n: number, full: boolean): string[] {
  const groups: Array<[number, string | null]> = [
    [Math.floor(n / 1_000_000), 'triệu'],
    [Math.floor(n / 1000) % 1000, 'nghìn'],
    [n % 1000, null],
  ];
  const words: string[] = [];
  for (const [value, unit] of groups) {
    if (value === 0) continue;
    words.push(...group(value, full || words.length > 0));
    if (unit) words.push(unit);
  }
  return words;
}

/** The words of 0 < n ≤ 10^15 (lower case). */
function read(n: number, full: boolean): string[] {
  if (n < BILLION) return belowBillion(n, full);
  const billions = Math.floor(n / BILLION);
  const rest = n % BILLION;
  const words = [...read(billions, full), 'tỷ'];
  if (rest > 0) words.push(...belowBillion(rest, true));
  return words;
}

/**
 * "Một trăm tám mươi nghìn đồng" for 180000. Throws a RangeError for anything but an integer from 0 to
 * 10^15 (a negative amount, a fraction, NaN, Infinity).
 */
export function amountInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_AMOUNT_IN_WORDS)
    throw new RangeError(`amountInWords: an integer number of đồng from 0 to 10^15, not ${amount}`);
  const words = amount === 0 ? ['không'] : read(amount, false);
  const text = `${words.join(' ')} đồng`.normalize('NFC');
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
