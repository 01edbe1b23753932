/**
 * Search text for published feedback, without I/O: the platform's Vietnamese folding (no diacritics,
 * đ → d, lower case; src/platform/i18n foldVietnamese, the same folding as the catalogue's search,
 * docs/decisions/0010) split into [a-z0-9] words, stored in a `simple` tsvector and queried with every
 * word required and the last one a prefix (as the user types).
 */
import { foldVietnamese } from '../../../platform/i18n/index.ts';

const MAX_WORDS = 12;

/** Folded words: "Chứng thực bản sao" → ['chung', 'thuc', 'ban', 'sao']. */
export function foldWords(text: string): string[] {
  return foldVietnamese(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && w.length <= 40);
}

export const foldText = (text: string): string => foldWords(text).join(' ');

/**
 * The `to_tsquery('simple', …)` text of a search, or null when it has no word: every word (AND), the last
 * a prefix. Words are [a-z0-9] only, so nothing in them is tsquery syntax.
 */
export function tsQueryOf(q: string): string | null {
  const words = [...new Set(foldWords(q))].slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}

/**
 * The `tsquery` of "similar to this text" (suggestions before sending): any of its words (OR), at most
 * `MAX_WORDS`, longest first (they say the most); null when it has no word.
 */
export function similarQueryOf(text: string): string | null {
  const words = [...new Set(foldWords(text))].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
  return words.length === 0 ? null : words.join(' | ');
}
