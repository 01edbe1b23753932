import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInWords, MAX_AMOUNT_IN_WORDS } from './amount-words.ts';

/**
 * Reads the words back into a number, the way a person adds them up (the inverse, not the same rule
 * again): a digit waits for "trăm"/"mươi" to say its place; "nghìn"/"triệu" close a group; "tỷ"
 * multiplies everything read so far.
 */
function wordsToAmount(text: string): number {
  const digit: Record<string, number> = {
    không: 0,
    một: 1,
    mốt: 1,
    hai: 2,
    ba: 3,
    bốn: 4,
    năm: 5,
    lăm: 5,
    sáu: 6,
    bảy: 7,
    tám: 8,
    chín: 9,
  };
  const words = text.toLowerCase().split(' ');
  expect(words.pop()).toBe('đồng');
  let billions = 0;
  let section = 0;
  let group = 0;
  let pending = 0;
  for (const w of words) {
    if (w in digit) pending = digit[w]!;
    else if (w === 'trăm') [group, pending] = [group + pending * 100, 0];
    else if (w === 'mươi') [group, pending] = [group + pending * 10, 0];
    else if (w === 'mười') group += 10;
    else if (w === 'linh') continue;
    else if (w === 'nghìn') [section, group, pending] = [section + (group + pending) * 1000, 0, 0];
    else if (w === 'triệu') [section, group, pending] = [section + (group + pending) * 1e6, 0, 0];
    else if (w === 'tỷ')
      [billions, section, group, pending] = [(billions + section + group + pending) * 1e9, 0, 0, 0];
    else throw new Error(`unknown word ${w} in ${text}`);
  }
  return billions + section + group + pending;
}

const KNOWN: Array<[number, string]> = [
  [0, 'Không đồng'],
  [1, 'Một đồng'],
  [5, 'Năm đồng'],
  [10, 'Mười đồng'],
  [11, 'Mười một đồng'],
  [14, 'Mười bốn đồng'],
  [15, 'Mười lăm đồng'],
  [20, 'Hai mươi đồng'],
  [21, 'Hai mươi mốt đồng'],
  [24, 'Hai mươi bốn đồng'],
  [25, 'Hai mươi lăm đồng'],
  [55, 'Năm mươi lăm đồng'],
  [100, 'Một trăm đồng'],
  [101, 'Một trăm linh một đồng'],
  [105, 'Một trăm linh năm đồng'],
  [110, 'Một trăm mười đồng'],
  [111, 'Một trăm mười một đồng'],
  [115, 'Một trăm mười lăm đồng'],
  [121, 'Một trăm hai mươi mốt đồng'],
  [1000, 'Một nghìn đồng'],
  [1005, 'Một nghìn không trăm linh năm đồng'],
  [1010, 'Một nghìn không trăm mười đồng'],
  [1050, 'Một nghìn không trăm năm mươi đồng'],
  [15_000, 'Mười lăm nghìn đồng'],
  [21_000, 'Hai mươi mốt nghìn đồng'],
  [50_000, 'Năm mươi nghìn đồng'],
  [180_000, 'Một trăm tám mươi nghìn đồng'],
  [1_000_000, 'Một triệu đồng'],
  [1_000_001, 'Một triệu không trăm linh một đồng'],
  [1_015_000, 'Một triệu không trăm mười lăm nghìn đồng'],
  [2_005_000, 'Hai triệu không trăm linh năm nghìn đồng'],
  [2_340_000, 'Hai triệu ba trăm bốn mươi nghìn đồng'],
  [10_296_000, 'Mười triệu hai trăm chín mươi sáu nghìn đồng'],
  [46_800_000, 'Bốn mươi sáu triệu tám trăm nghìn đồng'],
  [1_000_000_000, 'Một tỷ đồng'],
  [1_000_000_005, 'Một tỷ không trăm linh năm đồng'],
  [1_050_000_000, 'Một tỷ không trăm năm mươi triệu đồng'],
  [1_234_567_890, 'Một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi đồng'],
  [1_000_000_000_000, 'Một nghìn tỷ đồng'],
  [1_500_000_000_000, 'Một nghìn năm trăm tỷ đồng'],
  [21_000_000_000_001, 'Hai mươi mốt nghìn tỷ không trăm linh một đồng'],
  [1_000_000_000_000_000, 'Một triệu tỷ đồng'],
];

describe('amountInWords', () => {
  it.each(KNOWN)('%i → %s', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
  });

  it('the reader used by the properties reads every known example back', () => {
    for (const [amount, words] of KNOWN) expect(wordsToAmount(words)).toBe(amount);
  });

  it('refuses negatives, fractions, non-numbers and amounts past 10^15', () => {
    for (const bad of [-1, 0.5, 1000.01, Number.NaN, Number.POSITIVE_INFINITY, MAX_AMOUNT_IN_WORDS + 1])
      expect(() => amountInWords(bad)).toThrow(RangeError);
    expect(() => amountInWords(-0)).not.toThrow();
  });

  it('property: the words are NFC, single-spaced, capitalised once, end with "đồng" and read back to the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(MAX_AMOUNT_IN_WORDS) }).map(Number), (amount) => {
        const words = amountInWords(amount);
        expect(words).toBe(words.normalize('NFC'));
        expect(words).not.toMatch(/\s{2}|^\s|\s$/);
        const first = words.charAt(0);
        expect(first).toBe(first.toUpperCase());
        expect(first).not.toBe(first.toLowerCase());
        expect(words.endsWith(' đồng')).toBe(true);
        expect(words.slice(1)).toBe(words.slice(1).toLowerCase());
        expect(wordsToAmount(words)).toBe(amount);
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('property: distinct amounts under 10^7 give distinct words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 9_999_999 }), (a, b) => {
        fc.pre(a !== b);
        expect(amountInWords(a)).not.toBe(amountInWords(b));
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('distinct amounts give distinct words over a whole range with every digit pattern (0 – 20 000)', () => {
    const seen = new Map<string, number>();
    for (let n = 0; n <= 20_000; n++) {
      const w = amountInWords(n);
      expect(seen.get(w)).toBeUndefined();
      seen.set(w, n);
    }
  });
});
