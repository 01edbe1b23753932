/**
 * Public search of the catalogue: a query's words read against the catalogue's vocabulary (typos
 * corrected, filler words dropped when nothing has every word), the index asked page by page, facets
 * labelled and ordered in Vietnamese. Two caches keep the work people repeat: the vocabulary's answer
 * per word and a query's interpretation, each entry for a minute.
 */
import type { Kysely } from 'kysely';
import { createCache } from '../../platform/cache/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ValidationError } from '../../platform/errors/index.ts';
import { nfc } from '../../platform/i18n/index.ts';
import type { CatalogueTables } from './catalogue.tables.ts';
import {
  allTermsQuery,
  correct,
  deletions as deletionsOf,
  editDistance,
  looksLikeCode,
  type ParsedQuery,
  parseQuery,
  phraseQuery,
  type Vocabulary,
  vocabularyQuestions,
  withoutDeadWords,
  withoutFillers,
} from './domain/search-text.ts';
import type { ReferenceLists } from './reference-lists.ts';
import * as search from './search.repository.ts';

export interface SearchParams {
  q?: string | undefined;
  sector?: string | undefined;
  agency?: string | undefined;
  province?: string | undefined;
  level?: string | undefined;
  audience?: string | undefined;
  online?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  /** The last word is still being typed (suggestions). */
  prefix?: boolean | undefined;
  facets?: boolean | undefined;
}

export interface SearchItem {
  code: string;
  version: number;
  name: string;
  sectors: Array<{ code: string; name: string }>;
  agencyCodes: string[];
  provinceCode: string | null;
  levels: string[];
  audiences: string[];
  onlineLevel: string;
  popularity: number;
  /** Local variants folded under this national procedure (same name), when no place was asked for. */
  localVersions: number;
}

export interface Facet {
  value: string;
  label: string;
  count: number;
}

export interface SearchResult {
  q: string;
  /** The words searched for when some were corrected or dropped (null: as typed). */
  interpretedAs: string | null;
  total: number;
  items: SearchItem[];
  facets: Record<'sector' | 'agency' | 'province' | 'level' | 'audience' | 'online', Facet[]>;
  nextCursor: string | null;
}

const FACET_LABELS: Record<string, Record<string, string>> = {
  level: { central: 'Cấp trung ương', province: 'Cấp tỉnh', commune: 'Cấp xã' },
  audience: {
    citizen: 'Công dân',
    business: 'Doanh nghiệp',
    organisation: 'Tổ chức',
    'state-agency': 'Cơ quan nhà nước',
  },
  online: { full: 'Trực tuyến toàn trình', partial: 'Trực tuyến một phần', none: 'Không trực tuyến' },
};

function encodeCursor(c: search.Cursor): string {
  return Buffer.from(JSON.stringify([c.score, c.popularity, c.code])).toString('base64url');
}

function decodeCursor(text: string): search.Cursor {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      Number.isInteger(v[0]) &&
      Number.isInteger(v[1]) &&
      typeof v[2] === 'string' &&
      v[2].length <= 40
    )
      return { score: v[0], popularity: v[1], code: v[2] };
  } catch {
    // fall through
  }
  throw new ValidationError('Con trỏ phân trang (cursor) không hợp lệ.', [
    { path: 'cursor', message: 'invalid cursor' },
  ]);
}

/** One collator for sorting labels (`localeCompare(…, 'vi')` builds one per call: slow). */
const VIETNAMESE = new Intl.Collator('vi');

/**
 * Labels ranked once in Vietnamese order, per list of labels (a directory object, replaced when it is
 * reloaded): facets are sorted on every search, and the collator compared the same labels each time.
 */
const labelRanks = new WeakMap<object, Map<string, number>>();
export function ranksOf(list: object, labels: () => Iterable<string>): Map<string, number> {
  let ranks = labelRanks.get(list);
  if (!ranks) {
    ranks = new Map([...new Set(labels())].sort(VIETNAMESE.compare).map((label, i) => [label, i]));
    labelRanks.set(list, ranks);
  }
  return ranks;
}

/** Facets by count, then label in Vietnamese order (the collator for a label outside the ranked list). */
export function facetOrder(ranks: Map<string, number>) {
  return (a: Facet, b: Facet): number => {
    if (a.count !== b.count) return b.count - a.count;
    const x = ranks.get(a.label);
    const y = ranks.get(b.label);
    return x !== undefined && y !== undefined ? x - y : VIETNAMESE.compare(a.label, b.label);
  };
}

/** Is `term` one edit from `word`, given the word's deletions (a cheap filter before the exact distance)? */
function editDistanceOne(term: string, word: string, wordDeletions: Set<string>): boolean {
  if (term === word) return false;
  if (Math.abs(term.length - word.length) > 1) return false;
  if (!deletionsOf(term).some((d) => wordDeletions.has(d)) && !wordDeletions.has(term)) return false;
  return editDistance(term, word) === 1;
}

export interface CatalogueSearchDeps {
  db: Kysely<CatalogueTables>;
  clock: Clock;
  lists: ReferenceLists;
}

export function createCatalogueSearch(deps: CatalogueSearchDeps) {
  const { db, clock } = deps;
  const { sectorNames, agencyDirectory, provinceNames } = deps.lists;
  const now = () => clock.now().getTime();

  /**
   * What the vocabulary says about a word, remembered for a minute in this process: the words people
   * type repeat a lot, and the vocabulary changes only when a procedure is published (a word new to the
   * catalogue is found by search at most a minute later; corrections are only a nicety).
   */
  const VOCABULARY_TTL_MS = 60_000;
  const vocabularyCache = createCache<
    string,
    { at: number; known: boolean; live: boolean; candidates: Array<[string, number]> }
  >({ max: 20_000, ttlMs: VOCABULARY_TTL_MS, clock });

  /** The vocabulary's answers for a query's words, and when the oldest of them was read. */
  async function vocabularyFor(raw: ParsedQuery): Promise<{ vocab: Vocabulary; asOf: number }> {
    const questions = vocabularyQuestions(raw);
    const t = now();
    const fresh = (w: string) => {
      const c = vocabularyCache.get(w);
      return c !== undefined && t - c.at < VOCABULARY_TTL_MS ? c : undefined;
    };
    const missing = questions.words.filter((w) => !fresh(w));
    if (missing.length > 0) {
      const lookup = raw.terms.filter(
        (x) => missing.includes(x.word) || x.alternatives.some((a) => missing.includes(a[0]!)),
      );
      const ask = vocabularyQuestions({ ...raw, terms: lookup.map((x) => ({ ...x, prefix: true })) });
      const answer = await search.lookupVocabulary(db, { ...ask, words: missing, prefixes: missing });
      const known = new Set(answer.known);
      const live = new Set(answer.livePrefixes);
      for (const w of missing) {
        const deletions = new Set(deletionsOf(w));
        const candidates = answer.candidates
          .filter((c) => editDistanceOne(c.term, w, deletions))
          .map((c): [string, number] => [c.term, c.docs]);
        vocabularyCache.set(
          w,
          { at: t, known: known.has(w), live: live.has(w), candidates },
          t + VOCABULARY_TTL_MS,
        );
      }
    }
    const vocab = {
      known: new Set<string>(),
      candidates: new Map<string, number>(),
      livePrefixes: new Set<string>(),
    };
    let asOf = t;
    for (const w of questions.words) {
      // As read above, even when the minute ended while the missing words were looked up.
      const c = vocabularyCache.get(w, { allowStale: true });
      if (!c) continue;
      asOf = Math.min(asOf, c.at);
      if (c.known) vocab.known.add(w);
      if (c.live) vocab.livePrefixes.add(w);
      for (const [term, docs] of c.candidates) vocab.candidates.set(term, docs);
    }
    return { vocab, asOf };
  }

  interface Meaning {
    raw: ParsedQuery;
    parsed: ParsedQuery;
    vocab: Vocabulary;
    prefix: boolean;
    corrected: boolean;
    /** What the index is asked for the words as read. */
    match: search.TextMatch;
  }

  /**
   * A query's interpretation (its words, their corrections, the text match), kept for as long as the
   * vocabulary's answers it was built from: people type the same searches over and over, and working
   * one out again costs more than the lookup.
   */
  const interpretations = createCache<string, { until: number; meaning: Meaning }>({
    max: 20_000,
    ttlMs: VOCABULARY_TTL_MS,
    clock,
  });

  async function interpret(q: string, prefix: boolean): Promise<Meaning> {
    const key = `${prefix ? '1' : '0'}${q}`;
    const kept = interpretations.get(key);
    if (kept && now() < kept.until) return kept.meaning;
    // The last word may be unfinished: a prefix unless it is a whole word of the catalogue (or typing).
    const raw = parseQuery(q, { prefixLast: true });
    const { vocab, asOf } = await vocabularyFor(raw);
    const parsed = correct(raw, vocab, { prefixKnown: prefix });
    const meaning: Meaning = {
      raw,
      parsed,
      vocab,
      prefix,
      corrected: parsed.terms.some((t) => t.corrected),
      match: matchOf(parsed, null),
    };
    interpretations.set(key, { until: asOf + VOCABULARY_TTL_MS, meaning }, asOf + VOCABULARY_TTL_MS);
    return meaning;
  }

  /** The query as the index reads it: each term by its first alternative or best correction. */
  const readAs = (p: ParsedQuery) =>
    p.terms
      .map((t) => (t.corrected ? (t.alternatives.find((a) => a.length === 1)?.[0] ?? t.word) : t.word))
      .join(' ');

  function matchOf(p: ParsedQuery, code: string | null): search.TextMatch {
    if (p.terms.length === 0)
      return {
        all: null,
        allName: null,
        phrase: null,
        phraseText: null,
        lastIsPrefix: false,
        namePrefix: null,
        code,
      };
    return {
      all: allTermsQuery(p),
      allName: allTermsQuery(p, 'A'),
      phrase: phraseQuery(p),
      phraseText: readAs(p),
      lastIsPrefix: p.terms.at(-1)?.prefix ?? false,
      namePrefix: readAs(p),
      code,
    };
  }

  async function runSearch(params: SearchParams): Promise<SearchResult> {
    const q = nfc(params.q ?? '').trim();
    const limit = Math.min(Math.max(params.limit ?? 20, 1), 100);
    const after = params.cursor ? decodeCursor(params.cursor) : null;
    const filters: search.SearchFilters = {
      sector: params.sector,
      agency: params.agency,
      province: params.province,
      level: params.level,
      audience: params.audience,
      online: params.online,
    };
    const wantFacets = params.facets ?? true;
    const code = looksLikeCode(q) ? q.toUpperCase() : null;
    let parsed: ParsedQuery = { folded: '', terms: [] };
    let interpretedAs: string | null = null;
    let meaning: Meaning | undefined;
    if (q !== '' && code === null) {
      meaning = await interpret(q, params.prefix ?? false);
      parsed = meaning.parsed;
      if (meaning.corrected) interpretedAs = readAs(parsed);
    }
    const page = { limit, after, facets: wantFacets };
    let found = await search.searchEntries(db, meaning?.match ?? matchOf(parsed, code), filters, page);
    // Nothing has every word. Try, in order: a known word may be a typo of another (“thuong tu”);
    // drop the words that only say “a procedure, please”; drop words that match nothing at all.
    if (found.total === 0 && meaning && parsed.terms.length > 0) {
      const m = meaning;
      const fallbacks = [
        () => correct(m.raw, m.vocab, { prefixKnown: m.prefix, widen: true }),
        () => withoutFillers(parsed),
        () => withoutDeadWords(withoutFillers(parsed), m.vocab),
      ];
      for (const next of fallbacks) {
        const alt = next();
        if (alt.terms.length === 0 || allTermsQuery(alt) === allTermsQuery(parsed)) continue;
        const r = await search.searchEntries(db, matchOf(alt, code), filters, page);
        if (r.total > 0) {
          found = r;
          interpretedAs = readAs(alt);
          break;
        }
      }
    }
    const names = await sectorNames();
    const items = found.rows.map(
      (r): SearchItem => ({
        code: r.code,
        version: r.version,
        name: r.name,
        sectors: r.sector_codes.map((s) => ({ code: s, name: names.get(s) ?? s })),
        agencyCodes: r.agency_codes,
        provinceCode: r.province_code,
        levels: r.levels,
        audiences: r.audiences,
        onlineLevel: r.online_level,
        popularity: r.popularity,
        localVersions: Number(r.local_versions ?? 0),
      }),
    );
    const last = found.rows.at(-1);
    const facets: SearchResult['facets'] = {
      sector: [],
      agency: [],
      province: [],
      level: [],
      audience: [],
      online: [],
    };
    if (wantFacets) {
      const [agencies, provinces] = await Promise.all([agencyDirectory(), provinceNames()]);
      const ranks: Record<keyof SearchResult['facets'], Map<string, number>> = {
        sector: ranksOf(names, () => names.values()),
        agency: ranksOf(agencies, () => [...agencies.values()].map((a) => a.name)),
        province: ranksOf(provinces, () => provinces.values()),
        level: ranksOf(FACET_LABELS.level!, () => Object.values(FACET_LABELS.level!)),
        audience: ranksOf(FACET_LABELS.audience!, () => Object.values(FACET_LABELS.audience!)),
        online: ranksOf(FACET_LABELS.online!, () => Object.values(FACET_LABELS.online!)),
      };
      for (const f of found.facets) {
        const key = f.facet as keyof SearchResult['facets'];
        const label =
          key === 'sector'
            ? (names.get(f.value) ?? f.value)
            : key === 'agency'
              ? (agencies.get(f.value)?.name ?? f.value)
              : key === 'province'
                ? (provinces.get(f.value) ?? f.value)
                : (FACET_LABELS[key]?.[f.value] ?? f.value);
        facets[key]?.push({ value: f.value, label, count: f.n });
      }
      for (const key of Object.keys(facets) as Array<keyof SearchResult['facets']>)
        facets[key].sort(facetOrder(ranks[key]));
    }
    return {
      q,
      interpretedAs,
      total: found.total,
      items,
      facets,
      nextCursor:
        last && found.rows.length === limit
          ? encodeCursor({ score: last.score, popularity: last.popularity, code: last.code })
          : null,
    };
  }

  return {
    search: runSearch,

    /** Suggestions while typing: the last word is a prefix; no facets. */
    async suggest(q: string, limit = 8) {
      const r = await runSearch({ q, limit, prefix: true, facets: false });
      return { q: r.q, items: r.items.map((i) => ({ code: i.code, name: i.name })) };
    },
  };
}
