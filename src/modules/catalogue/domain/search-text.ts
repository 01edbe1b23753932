/**
 * Search text, without I/O: folding (diacritics off, đ → d), words, abbreviations and colloquial names,
 * one-edit spelling variants (symmetric deletion), and the PostgreSQL `tsquery` texts a search runs.
 *
 * The index stores folded words in a `tsvector` of the `simple` configuration (no stemming, no stop
 * words — Vietnamese syllables are words). A query is folded the same way, every word must match
 * (AND), the last word is a prefix while the user types, a word the catalogue does not know is replaced
 * by the catalogue's words within one edit (typos), and known abbreviations add their long form.
 */

/** Lower case, no diacritics, đ → d, only [a-z0-9] words separated by one space. */
export function foldWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && w.length <= 40);
}

export const foldText = (text: string): string => foldWords(text).join(' ');

export const hasDiacritics = (text: string): boolean =>
  foldText(text) !==
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(' ');

/**
 * Abbreviations and everyday names → the words the catalogue uses (folded). A query word (or two-word
 * phrase) found here matches either itself or the long form.
 */
export const SYNONYMS: Readonly<Record<string, string[]>> = {
  bhxh: ['bao hiem xa hoi'],
  bhyt: ['bao hiem y te'],
  gplx: ['giay phep lai xe'],
  cccd: ['can cuoc cong dan', 'can cuoc'],
  cmnd: ['chung minh nhan dan'],
  dkkd: ['dang ky kinh doanh'],
  dkdn: ['dang ky doanh nghiep'],
  hkd: ['ho kinh doanh'],
  gcn: ['giay chung nhan'],
  qsdd: ['quyen su dung dat'],
  lltp: ['ly lich tu phap'],
  mst: ['ma so thue'],
  tthc: ['thu tuc hanh chinh'],
  'so do': ['quyen su dung dat'],
  'so hong': ['quyen so huu nha o'],
  'phat nguoi': ['xu phat vi pham'],
  passport: ['ho chieu'],
  visa: ['thi thuc'],
};

/** Words that only say "I am looking for a procedure": dropped when keeping them finds nothing. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'thu',
  'tuc',
  'lam',
  'the',
  'nao',
  'o',
  'dau',
  'can',
  'gi',
  'muon',
  'cach',
  'huong',
  'dan',
  'nhu',
  'cho',
  'toi',
  'minh',
]);

/** The word and each form of it with one letter deleted (words of 3 letters or more). */
export function deletions(word: string): string[] {
  const out = new Set<string>([word]);
  if (word.length >= 3) for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0]![j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** A word of the query and what it may match. */
export interface QueryTerm {
  /** As typed (folded). */
  word: string;
  /** Words (or phrases of words) any of which satisfies this term. */
  alternatives: string[][];
  /** Match by prefix (the word being typed). */
  prefix: boolean;
  /** Corrected: the word itself is not in the catalogue. */
  corrected: boolean;
}

export interface ParsedQuery {
  /** The folded query. */
  folded: string;
  terms: QueryTerm[];
}

/**
 * Splits a folded query into terms, joining known two-word phrases (“so do”) and expanding
 * abbreviations. `prefixLast`: the last word is being typed.
 */
export function parseQuery(text: string, options: { prefixLast: boolean }): ParsedQuery {
  const words = foldWords(text).slice(0, 12);
  const terms: QueryTerm[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const pair = i + 1 < words.length ? `${w} ${words[i + 1]}` : undefined;
    if (pair !== undefined && SYNONYMS[pair]) {
      terms.push({
        word: pair,
        alternatives: [pair.split(' '), ...SYNONYMS[pair]!.map((s) => s.split(' '))],
        prefix: false,
        corrected: false,
      });
      i++;
      continue;
    }
    // Old and new spelling write the same syllable with i or y (kỳ/kì, lý/lí, mỹ/mĩ, sỹ/sĩ, quý/quí).
    const iy = /^(k|l|m|s|t|h|qu)[iy]$/.test(w) ? [[`${w.slice(0, -1)}${w.endsWith('i') ? 'y' : 'i'}`]] : [];
    terms.push({
      word: w,
      alternatives: [[w], ...iy, ...(SYNONYMS[w] ?? []).map((s) => s.split(' '))],
      prefix: options.prefixLast && i === words.length - 1,
      corrected: false,
    });
  }
  return { folded: words.join(' '), terms };
}

export interface Vocabulary {
  /** Words of the query that the catalogue knows. */
  known: ReadonlySet<string>;
  /** Catalogue words sharing a one-letter deletion with a query word: candidate → how common it is. */
  candidates: ReadonlyMap<string, number>;
  /** Prefixes (of prefix terms) that start at least one catalogue word. */
  livePrefixes: ReadonlySet<string>;
}

/** What the vocabulary lookup must be asked about these terms. */
export function vocabularyQuestions(q: ParsedQuery): {
  words: string[];
  variants: string[];
  prefixes: string[];
} {
  const words = new Set<string>();
  const variants = new Set<string>();
  const prefixes = new Set<string>();
  for (const t of q.terms) {
    if (t.word.includes(' ')) continue;
    words.add(t.word);
    for (const a of t.alternatives) if (a.length === 1) words.add(a[0]!);
    if (t.prefix) prefixes.add(t.word);
    if (/^[0-9]+$/.test(t.word)) continue;
    // The word itself also finds the catalogue words it is a deletion of (“tu” → “tru”).
    for (const v of deletions(t.word)) variants.add(v);
    const telex = telexFold(t.word);
    if (telex) words.add(telex);
    for (const [a, b] of splits(t.word)) {
      words.add(a);
      words.add(b);
    }
  }
  return { words: [...words], variants: [...variants], prefixes: [...prefixes] };
}

const MAX_CORRECTIONS = 4;

/**
 * A word typed with the Telex or VNI keystrokes but no input method (“ddawngs”, “chu7ng1”): the
 * keystrokes that would have made the marks are taken out (dd → d, aw/aa → a, ee → e, oo/ow → o,
 * uw/w → u, a final tone key s f r x j, and VNI's digits). Undefined when nothing changes.
 */
export function telexFold(word: string): string | undefined {
  if (!/[a-z]/.test(word)) return undefined;
  let w = word;
  if (/[a-z][0-9]|[0-9][a-z]/.test(w)) w = w.replace(/[0-9]/g, '');
  w = w
    .replace(/dd/g, 'd')
    .replace(/aw|aa/g, 'a')
    .replace(/ee/g, 'e')
    .replace(/oo|ow/g, 'o')
    .replace(/uw/g, 'u')
    .replace(/w/g, 'u');
  // No Vietnamese syllable ends in s, f, r, x or j: a final one is the tone key.
  if (w.length > 1 && /[sfrxj]$/.test(w)) w = w.slice(0, -1);
  return w !== word && w.length > 0 ? w : undefined;
}

/** Two words typed without the space between them (“khaisinh”): every split with both halves ≥ 2 letters. */
export function splits(word: string): Array<[string, string]> {
  if (word.length < 4 || word.length > 16 || !/^[a-z]+$/.test(word)) return [];
  const out: Array<[string, string]> = [];
  for (let i = 2; i <= word.length - 2; i++) out.push([word.slice(0, i), word.slice(i)]);
  return out;
}

/**
 * Replaces every word the catalogue does not know by the catalogue's words within one edit (most common
 * first). A prefix term is left alone while some word starts with it. Words of one or two letters and
 * numbers are never corrected.
 */
export function correct(
  q: ParsedQuery,
  vocab: Vocabulary,
  options: { prefixKnown: boolean; widen?: boolean } = { prefixKnown: true },
): ParsedQuery {
  const near = (word: string, max: number) =>
    [...vocab.candidates]
      .filter(([c]) => c !== word && editDistance(c, word) === 1)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, max)
      .map(([c]) => [c]);
  const terms = q.terms.map((t): QueryTerm => {
    if (t.word.includes(' ')) return t;
    if (vocab.known.has(t.word)) {
      // widen: nothing matched every word, so a known word may be a typo of another (“thuong tu” → “tru”).
      if (options.widen && t.word.length >= 2 && !/^[0-9]+$/.test(t.word)) {
        const more = near(t.word, 8);
        if (more.length > 0)
          return { ...t, alternatives: [...t.alternatives, ...more], prefix: false, corrected: true };
      }
      // A finished word (the search button, not typing) is matched whole when the catalogue knows it.
      return t.prefix && !options.prefixKnown ? { ...t, prefix: false } : t;
    }
    if (t.prefix && vocab.livePrefixes.has(t.word)) return t;
    const telex = telexFold(t.word);
    if (telex && vocab.known.has(telex))
      return {
        ...t,
        alternatives: [...t.alternatives.filter((a) => a.length > 1), [telex]],
        prefix: false,
        corrected: true,
      };
    if (t.word.length < 3 || /^[0-9]+$/.test(t.word)) return t;
    const fixed = near(t.word, MAX_CORRECTIONS);
    if (fixed.length === 0) {
      const split = splits(t.word).find(([a, b]) => vocab.known.has(a) && vocab.known.has(b));
      if (split) return { ...t, alternatives: [split], prefix: false, corrected: true };
      return t;
    }
    return {
      ...t,
      alternatives: [...t.alternatives.filter((a) => a.length > 1), ...fixed],
      prefix: false,
      corrected: true,
    };
  });
  return { ...q, terms };
}

/** Drops the words that are not words of the catalogue (unknown or only guessed at). */
export function withoutDeadWords(q: ParsedQuery, vocab: Vocabulary): ParsedQuery {
  // The last resort: keep only the words the catalogue knows as typed (and abbreviations, and a prefix
  // still being typed); a guessed correction that found nothing goes too.
  const alive = q.terms.filter(
    (t) =>
      t.word.includes(' ') ||
      vocab.known.has(t.word) ||
      t.alternatives.some((a) => a.length > 1) ||
      (t.prefix && vocab.livePrefixes.has(t.word)),
  );
  return alive.length === 0 || alive.length === q.terms.length ? q : { ...q, terms: alive };
}

/** Drops filler words (“thủ tục”, “làm”, “ở đâu”) unless nothing would be left. */
export function withoutFillers(q: ParsedQuery): ParsedQuery {
  const kept = q.terms.filter((t) => !FILLER_WORDS.has(t.word));
  return kept.length === 0 || kept.length === q.terms.length ? q : { ...q, terms: kept };
}

/** One tsquery operand: a word (optionally prefix) restricted to weights. */
function operand(word: string, prefix: boolean, weights: string): string {
  if (!/^[a-z0-9]+$/.test(word)) throw new Error(`unsafe tsquery word ${word}`);
  const suffix = prefix ? `:*${weights}` : weights ? `:${weights}` : '';
  return `${word}${suffix}`;
}

function alternative(words: string[], prefix: boolean, weights: string): string {
  if (words.length === 1) return operand(words[0]!, prefix, weights);
  return `(${words.map((w) => operand(w, false, weights)).join(' <-> ')})`;
}

function termQuery(t: QueryTerm, weights: string): string {
  const alts = t.alternatives.map((a, i) => alternative(a, t.prefix && i === 0, weights));
  return alts.length === 1 ? alts[0]! : `(${alts.join(' | ')})`;
}

/** Every term somewhere (weights "" = any field, "A" = the name). */
export function allTermsQuery(q: ParsedQuery, weights = ''): string {
  return q.terms.map((t) => termQuery(t, weights)).join(' & ');
}

/** The terms in order, next to each other, in the name. */
export function phraseQuery(q: ParsedQuery): string {
  return q.terms.map((t) => termQuery(t, 'A')).join(' <-> ');
}

/** Any term (the last resort when no procedure has them all). */
export function anyTermQuery(q: ParsedQuery): string {
  return q.terms.map((t) => termQuery(t, '')).join(' | ');
}

/** A procedure code or its beginning: 2.000815, 1.001, 1.001193.000.00.00.H26. */
export function looksLikeCode(text: string): boolean {
  return /^[0-9]\.[0-9]{1,6}(\.[0-9A-Za-z]{0,13}){0,6}$/.test(text.trim());
}
