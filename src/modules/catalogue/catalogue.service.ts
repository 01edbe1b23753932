/**
 * The procedure catalogue: public reading and search, and the officers' side — agency administrators
 * write versions of their agency's procedures, the Government Office publishes and approves withdrawal.
 * The route says who may call; this service checks the role at the procedure's own agency, and a
 * procedure outside the officer's scope answers 404 like one that does not exist.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit, canonicalJson } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { nfc } from '../../platform/i18n/index.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueTables, Origin } from './catalogue.tables.ts';
import { fromLayThuTuc } from './domain/lay-thu-tuc.ts';
import {
  allowedActions,
  type CatalogueRole,
  isPublic,
  type LifecycleAction,
  transition,
  type VersionState,
} from './domain/lifecycle.ts';
import { type ContentContext, contentProblems, type ProcedureContent } from './domain/procedure.ts';
import {
  allTermsQuery,
  correct,
  deletions as deletionsOf,
  editDistance,
  foldText,
  looksLikeCode,
  type ParsedQuery,
  parseQuery,
  phraseQuery,
  type Vocabulary,
  vocabularyQuestions,
  withoutDeadWords,
  withoutFillers,
} from './domain/search-text.ts';
import { indexDocument } from './index-document.ts';
import * as search from './search.repository.ts';

export interface AgencyInfo {
  code: string;
  name: string;
  level: 'central' | 'province' | 'commune';
  adminUnitCode: string | null;
}

export interface CatalogueServiceDeps {
  db: Kysely<CatalogueTables>;
  clock: Clock;
  /** From the identity module: does the account hold the role at the agency (or above it)? */
  can(accountId: string, role: CatalogueRole, agencyCode: string): Promise<boolean>;
  /** From the identity module: agencies where the account was granted the role. */
  agenciesWhere(accountId: string, role: CatalogueRole): Promise<string[]>;
  /** From the agencies module: agencies valid today. */
  agencies(): Promise<AgencyInfo[]>;
  /** From the agencies module: provinces valid today. */
  provinces(): Promise<Array<{ code: string; name: string }>>;
  /** From the agencies module: an agency and every agency below it. */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;

export const contentHash = (c: ProcedureContent) =>
  createHash('sha256').update(canonicalJson(c)).digest('hex');

/** NFC every string of a JSON value (text typed on any keyboard compares and folds the same). */
export function nfcDeep<T>(value: T): T {
  if (typeof value === 'string') return nfc(value) as T;
  if (Array.isArray(value)) return value.map(nfcDeep) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcDeep(v)])) as T;
  return value;
}

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

/** A value cached for a short while in this process (reference lists read on every search). */
function cached<T>(ttlMs: number, load: () => Promise<T>, now: () => number) {
  let value: { at: number; v: Promise<T> } | undefined;
  return () => {
    if (!value || now() - value.at > ttlMs) {
      const v = load();
      value = { at: now(), v };
      v.catch(() => {
        value = undefined;
      });
    }
    return value.v;
  };
}

export function createCatalogueService(deps: CatalogueServiceDeps) {
  const { db, clock } = deps;
  const now = () => Date.now();
  const sectorNames = cached(
    30_000,
    async () => new Map((await repo.findSectors(db)).map((s) => [s.code, s.name])),
    now,
  );
  const agencyDirectory = cached(
    300_000,
    async () => new Map((await deps.agencies()).map((a) => [a.code, a])),
    now,
  );
  const provinceNames = cached(
    300_000,
    async () => new Map((await deps.provinces()).map((p) => [p.code, p.name])),
    now,
  );

  /**
   * What the vocabulary says about a word, remembered for a minute in this process: the words people
   * type repeat a lot, and the vocabulary changes only when a procedure is published (a word new to the
   * catalogue is found by search at most a minute later; corrections are only a nicety).
   */
  const vocabularyCache = new Map<
    string,
    { at: number; known: boolean; live: boolean; candidates: Array<[string, number]> }
  >();
  const VOCABULARY_TTL_MS = 60_000;

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
        vocabularyCache.set(w, { at: t, known: known.has(w), live: live.has(w), candidates });
      }
      if (vocabularyCache.size > 20_000) vocabularyCache.clear();
    }
    const vocab = {
      known: new Set<string>(),
      candidates: new Map<string, number>(),
      livePrefixes: new Set<string>(),
    };
    let asOf = t;
    for (const w of questions.words) {
      const c = vocabularyCache.get(w);
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
  const interpretations = new Map<string, { until: number; meaning: Meaning }>();

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
    if (interpretations.size >= 20_000) interpretations.clear();
    interpretations.set(key, { until: asOf + VOCABULARY_TTL_MS, meaning });
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

  async function validate(
    content: unknown,
    extraSectors: string[] = [],
    conn: Kysely<CatalogueTables> = db,
  ): Promise<ProcedureContent> {
    const c = nfcDeep(content);
    const agencies = await agencyDirectory();
    const ctx: ContentContext = {
      knownSectors: new Set([...(await repo.sectorCodes(conn)), ...extraSectors]),
      knownAgencies: new Set(agencies.keys()),
    };
    const problems = contentProblems(c, ctx);
    if (problems.length > 0)
      throw new ValidationError(
        `Nội dung thủ tục chưa hợp lệ (${problems.length} lỗi): ${problems[0]!.message}${problems.length > 1 ? '…' : ''}`,
        problems,
      );
    return c as ProcedureContent;
  }

  /** The catalogue roles the officer holds at this agency (or above it). */
  async function rolesAt(accountId: string, agencyCode: string): Promise<Set<CatalogueRole>> {
    const roles = new Set<CatalogueRole>();
    if (await deps.can(accountId, 'agency-admin', agencyCode)) roles.add('agency-admin');
    if (await deps.can(accountId, 'vpcp-supervisor', agencyCode)) roles.add('vpcp-supervisor');
    return roles;
  }

  /** The procedure if the officer may see it on the officers' side; otherwise 404. */
  async function procedureInScope(accountId: string, code: string) {
    const p = await repo.findProcedure(db, code);
    if (!p) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
    const roles = await rolesAt(accountId, p.owner_agency_code);
    if (roles.size === 0) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
    return { procedure: p, roles };
  }

  async function indexVersion(
    trx: Kysely<CatalogueTables>,
    p: repo.ProcedureRow,
    version: number,
    content: ProcedureContent,
  ): Promise<void> {
    const [sectors, provinces] = await Promise.all([
      repo.findSectors(trx),
      provinceNames().catch(() => new Map<string, string>()),
    ]);
    const sectorMap = new Map(sectors.map((s) => [s.code, s.name]));
    await search.upsertEntry(
      trx,
      indexDocument(p.code, version, content, {
        ownerAgencyCode: p.owner_agency_code,
        provinceCode: p.province_code,
        popularity: p.popularity,
        sectorName: (s) => sectorMap.get(s),
        provinceName: (c) => provinces.get(c),
      }),
    );
  }

  async function detailOf(p: repo.ProcedureRow, v: repo.VersionRow & { published_at: Date }) {
    const code = p.code;
    const [sectors, agencies, provinces, versions] = await Promise.all([
      sectorNames(),
      agencyDirectory(),
      provinceNames(),
      repo.findVersions(db, code),
    ]);
    const bundles = (await repo.findBundles(db)).filter((b) => b.member_codes.includes(code));
    return {
      code: v.code,
      version: v.version,
      state: v.state,
      publishedAt: v.published_at.toISOString(),
      ownerAgency: {
        code: p.owner_agency_code,
        name: agencies.get(p.owner_agency_code)?.name ?? p.owner_agency_code,
      },
      province: p.province_code
        ? { code: p.province_code, name: provinces.get(p.province_code) ?? p.province_code }
        : null,
      popularity: p.popularity,
      sectors: v.content.sectorCodes.map((s) => ({ code: s, name: sectors.get(s) ?? s })),
      content: v.content,
      versions: versions
        .filter((x) => x.published_at !== null)
        .map((x) => ({ version: x.version, state: x.state, publishedAt: x.published_at!.toISOString() })),
      bundles: bundles.map((b) => ({ code: b.code, name: b.name })),
    };
  }

  const actorOf = (accountId: string) => `officer:${accountId}`;

  return {
    search: runSearch,

    /** Suggestions while typing: the last word is a prefix; no facets. */
    async suggest(q: string, limit = 8) {
      const r = await runSearch({ q, limit, prefix: true, facets: false });
      return { q: r.q, items: r.items.map((i) => ({ code: i.code, name: i.name })) };
    },

    /** The public version of a procedure (or an earlier published version, for a dossier filed under it). */
    async getProcedure(code: string, options: { version?: number | undefined } = {}) {
      const p = await repo.findProcedure(db, code);
      const v =
        options.version === undefined
          ? await repo.findPublicVersion(db, code)
          : await repo.findVersion(db, code, options.version);
      // Drafts and versions under test are not public; they answer 404 like a missing code.
      if (!p || !v || v.published_at === null)
        throw new NotFoundError(
          options.version === undefined
            ? `Không có thủ tục mã ${code} đang công khai.`
            : `Không có phiên bản ${options.version} đã công khai của thủ tục ${code}.`,
        );
      return detailOf(p, v as repo.VersionRow & { published_at: Date });
    },

    /** Any version (a draft, one under test) as the public page would show it, for the officers in scope. */
    async previewVersion(accountId: string, code: string, version: number) {
      const { procedure } = await procedureInScope(accountId, code);
      const v = await repo.findVersion(db, code, version);
      if (!v) throw new NotFoundError(`Không có phiên bản ${version} của thủ tục ${code}.`);
      return detailOf(procedure, { ...v, published_at: v.published_at ?? v.updated_at });
    },

    async sectors() {
      const [rows, counts] = await Promise.all([repo.findSectors(db), repo.countPublishedBySector(db)]);
      return rows.map((s) => ({
        code: s.code,
        name: s.name,
        nameEn: s.name_en,
        agencyCode: s.agency_code,
        procedures: counts.get(s.code) ?? 0,
      }));
    },

    async sector(code: string) {
      const s = await repo.findSector(db, code);
      if (!s) throw new NotFoundError(`Không có lĩnh vực mã ${code}.`);
      return { code: s.code, name: s.name, nameEn: s.name_en, agencyCode: s.agency_code };
    },

    async agencyName(code: string) {
      return (await agencyDirectory()).get(code)?.name;
    },

    async bundles() {
      const rows = await repo.findBundles(db);
      return rows.map((b) => ({
        code: b.code,
        name: b.name,
        nameEn: b.name_en,
        description: b.description,
        members: b.member_codes,
      }));
    },

    async bundle(code: string) {
      const b = await repo.findBundle(db, code);
      if (!b) throw new NotFoundError(`Không có nhóm thủ tục liên thông mã ${code}.`);
      const members = await Promise.all(
        b.member_codes.map(async (m) => {
          const v = await repo.findPublicVersion(db, m);
          return { code: m, name: v?.name ?? null, published: v !== undefined, content: v?.content ?? null };
        }),
      );
      return {
        code: b.code,
        name: b.name,
        nameEn: b.name_en,
        description: b.description,
        descriptionEn: b.description_en,
        legalBasis: b.legal_basis,
        members,
      };
    },

    /** Bundles whose name matches the words (shown beside the search results). */
    async matchingBundles(q: string) {
      const words = foldText(q).split(' ').filter(Boolean);
      if (words.length === 0) return [];
      return (await repo.findBundles(db))
        .filter((b) => words.every((w) => b.name_folded.split(' ').some((x) => x.startsWith(w))))
        .map((b) => ({ code: b.code, name: b.name, nameEn: b.name_en }));
    },

    /** Published versions, page by page (export). */
    async *published(pageSize = 1000, filter: repo.ExportFilter = {}) {
      let after = '';
      for (;;) {
        const rows = await repo.findPublishedPage(db, after, pageSize, filter);
        if (rows.length === 0) return;
        yield* rows;
        after = rows.at(-1)!.code;
      }
    },

    countPublished: (filter: repo.ExportFilter = {}) => repo.countPublished(db, filter),
    sectorNames,
    agencyDirectory,
    provinceNames,

    // ————— officers —————

    /** Procedures of the agencies where the officer is agency-admin (and below them). */
    async ownedProcedures(accountId: string) {
      const roots = await deps.agenciesWhere(accountId, 'agency-admin');
      const codes = new Set<string>();
      for (const r of roots) for (const a of await deps.subtreeOf(r)) codes.add(a.code);
      return { agencies: [...codes], procedures: await repo.findOwnedBy(db, [...codes]) };
    },

    /** Agencies where the officer may create procedures. */
    async agenciesForAdmin(accountId: string) {
      const roots = await deps.agenciesWhere(accountId, 'agency-admin');
      const out = new Map<string, string>();
      for (const r of roots) for (const a of await deps.subtreeOf(r)) out.set(a.code, a.name);
      return [...out].map(([code, name]) => ({ code, name }));
    },

    /** Everything the officers' page of a procedure shows: versions, history, what this officer may do. */
    async officerView(accountId: string, code: string) {
      const { procedure, roles } = await procedureInScope(accountId, code);
      const [versions, events] = await Promise.all([repo.findVersions(db, code), repo.findEvents(db, code)]);
      const working = versions.find((v) => v.state === 'draft' || v.state === 'testing');
      const workingRow = working ? await repo.findVersion(db, code, working.version) : undefined;
      const latest = versions[0];
      return {
        procedure,
        roles: [...roles],
        versions: versions.map((v) => ({ ...v, allowed: allowedActions(v.state as VersionState, roles) })),
        events,
        working: workingRow,
        latest,
        canStartVersion: roles.has('agency-admin') && !working,
        ownerName:
          (await agencyDirectory()).get(procedure.owner_agency_code)?.name ?? procedure.owner_agency_code,
      };
    },

    /** A new procedure as a draft (version 1), at an agency where the officer is agency-admin. */
    async createProcedure(
      accountId: string,
      input: { code: string; ownerAgencyCode: string; content: unknown; origin?: Origin },
    ) {
      const code = input.code.trim().toUpperCase();
      if (!/^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,13}){0,6}$/.test(code) || code.length > 40)
        throw new ValidationError(`Mã thủ tục "${input.code}" không hợp lệ (ví dụ 2.000815).`, [
          { path: 'code', message: 'Mã thủ tục có dạng 2.000815' },
        ]);
      if (!(await deps.can(accountId, 'agency-admin', input.ownerAgencyCode)))
        throw new NotFoundError(
          `Không có cơ quan mã ${input.ownerAgencyCode} trong phạm vi quản trị của bạn.`,
        );
      const owner = (await agencyDirectory()).get(input.ownerAgencyCode);
      if (!owner) throw new NotFoundError(`Không có cơ quan mã ${input.ownerAgencyCode}.`);
      const content = await validate(input.content);
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const inserted = await repo.insertProcedure(trx, {
          code,
          owner_agency_code: owner.code,
          province_code: owner.level === 'central' ? null : (owner.adminUnitCode?.slice(0, 2) ?? null),
          popularity: 0,
          origin: input.origin ?? 'officer',
          created_by: accountId,
        });
        if (!inserted) throw new ConflictError(`Mã thủ tục ${code} đã có trong danh mục.`, { code });
        await repo.insertVersion(trx, {
          code,
          version: 1,
          state: 'draft',
          content,
          content_hash: contentHash(content),
          origin: input.origin ?? 'officer',
          created_by: accountId,
          at,
        });
        await repo.insertEvent(trx, {
          code,
          version: 1,
          action: input.origin === 'import' ? 'import' : 'create',
          from_state: null,
          to_state: 'draft',
          actor: actorOf(accountId),
          note: null,
          at,
        });
        await appendAudit(
          trx,
          { actor: actorOf(accountId), action: 'catalogue.create', subject: `procedure:${code}@1` },
          at,
        );
        return { code, version: 1 };
      });
    },

    /** A new draft version copied from the latest version (one working copy at a time). */
    async startVersion(accountId: string, code: string) {
      const { roles } = await procedureInScope(accountId, code);
      if (!roles.has('agency-admin'))
        throw new ForbiddenError('Chỉ quản trị của cơ quan công bố thủ tục mới tạo được phiên bản mới.');
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const max = await repo.maxVersion(trx, code);
        const latest = await repo.lockVersion(trx, code, max);
        if (!latest) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
        const versions = await repo.findVersions(trx, code);
        const working = versions.find((v) => v.state === 'draft' || v.state === 'testing');
        if (working)
          throw new ConflictError(
            `Thủ tục ${code} đang có phiên bản ${working.version} ở trạng thái ${working.state}.`,
            {
              state: working.state,
              version: working.version,
              allowedActions: [],
            },
          );
        const version = max + 1;
        await repo.insertVersion(trx, {
          code,
          version,
          state: 'draft',
          content: latest.content,
          content_hash: latest.content_hash,
          origin: 'officer',
          created_by: accountId,
          at,
        });
        await repo.insertEvent(trx, {
          code,
          version,
          action: 'create',
          from_state: null,
          to_state: 'draft',
          actor: actorOf(accountId),
          note: `Sao chép từ phiên bản ${max}`,
          at,
        });
        await appendAudit(
          trx,
          { actor: actorOf(accountId), action: 'catalogue.create', subject: `procedure:${code}@${version}` },
          at,
        );
        return { code, version };
      });
    },

    /** Saves the content of a draft (validated first; nothing is written when it is not valid). */
    async saveDraft(accountId: string, code: string, version: number, content: unknown) {
      const { roles } = await procedureInScope(accountId, code);
      const valid = await validate(content);
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        const v = await repo.lockVersion(trx, code, version);
        if (!v) throw new NotFoundError(`Không có phiên bản ${version} của thủ tục ${code}.`);
        const decision = transition(v.state, 'edit', roles);
        if (!decision.ok) {
          if (decision.reason === 'role')
            throw new ForbiddenError('Chỉ quản trị của cơ quan công bố thủ tục mới sửa được dự thảo.');
          throw new ConflictError(`Phiên bản ${version} đang ở trạng thái "${v.state}", không sửa được.`, {
            state: v.state,
            allowedActions: decision.allowed,
          });
        }
        await repo.updateContent(trx, code, version, valid, contentHash(valid), at);
        await repo.insertEvent(trx, {
          code,
          version,
          action: 'edit',
          from_state: 'draft',
          to_state: 'draft',
          actor: actorOf(accountId),
          note: null,
          at,
        });
        await appendAudit(
          trx,
          { actor: actorOf(accountId), action: 'catalogue.edit', subject: `procedure:${code}@${version}` },
          at,
        );
      });
      return { code, version };
    },

    /** One lifecycle action on a version. */
    async act(
      accountId: string,
      code: string,
      version: number,
      action: Exclude<LifecycleAction, 'edit'>,
      note?: string,
    ) {
      const { procedure, roles } = await procedureInScope(accountId, code);
      // Read what the transaction will need from other modules first: on the embedded database there is
      // one connection, and the transaction holds it.
      await Promise.all([agencyDirectory(), provinceNames()]);
      const at = clock.now();
      const trimmed = note?.trim() ? nfc(note.trim()).slice(0, 2000) : null;
      return db.transaction().execute(async (trx) => {
        const v = await repo.lockVersion(trx, code, version);
        if (!v) throw new NotFoundError(`Không có phiên bản ${version} của thủ tục ${code}.`);
        const decision = transition(v.state, action, roles);
        if (!decision.ok) {
          if (decision.reason === 'role')
            throw new ForbiddenError(
              `Vai trò của bạn không được thực hiện thao tác "${action}" với thủ tục này.`,
              {
                allowedActions: decision.allowed,
              },
            );
          throw new ConflictError(
            `Không thể thực hiện "${action}" khi phiên bản ${version} đang ở trạng thái "${v.state}".`,
            { state: v.state, allowedActions: decision.allowed },
          );
        }
        if (action === 'submit') {
          // Content is checked again: the sector or agency lists may have changed since it was saved.
          await validate(v.content, [], trx);
        }
        if (action === 'publish') {
          const current = await repo.findPublicVersion(trx, code);
          if (current && current.version !== version) {
            await repo.setState(trx, code, current.version, 'superseded', at);
            await repo.insertEvent(trx, {
              code,
              version: current.version,
              action: 'supersede',
              from_state: current.state,
              to_state: 'superseded',
              actor: actorOf(accountId),
              note: `Thay thế bởi phiên bản ${version}`,
              at,
            });
          }
        }
        await repo.setState(trx, code, version, decision.to, at);
        await repo.insertEvent(trx, {
          code,
          version,
          action,
          from_state: v.state,
          to_state: decision.to,
          actor: actorOf(accountId),
          note: trimmed,
          at,
        });
        if (action === 'publish') await indexVersion(trx, procedure, version, v.content);
        if (action === 'approve-withdrawal') await search.removeEntry(trx, code);
        await appendAudit(
          trx,
          {
            actor: actorOf(accountId),
            action: `catalogue.${action}`,
            subject: `procedure:${code}@${version}`,
            data: trimmed ? { note: trimmed } : {},
          },
          at,
        );
        return { code, version, state: decision.to, public: isPublic(decision.to) };
      });
    },

    /**
     * Imports procedures in the LayThuTuc shape (one object or an array) as drafts of the officer's
     * agency: a new code becomes version 1, a known code gets a new draft version. Each procedure is
     * written in its own transaction; one that is not valid is reported and nothing of it is written.
     */
    async importLayThuTuc(accountId: string, ownerAgencyCode: string, input: unknown) {
      const list = Array.isArray(input) ? input : [input];
      if (list.length === 0 || list.length > 500)
        throw new ValidationError('Tệp nhập phải có từ 1 đến 500 thủ tục.', [
          { path: '/', message: '1–500 items' },
        ]);
      if (!(await deps.can(accountId, 'agency-admin', ownerAgencyCode)))
        throw new NotFoundError(`Không có cơ quan mã ${ownerAgencyCode} trong phạm vi quản trị của bạn.`);
      const owner = (await agencyDirectory()).get(ownerAgencyCode);
      if (!owner) throw new NotFoundError(`Không có cơ quan mã ${ownerAgencyCode}.`);
      const report: Array<{
        index: number;
        code: string;
        ok: boolean;
        version?: number;
        messages: string[];
      }> = [];
      for (let i = 0; i < list.length; i++) {
        let code = '';
        try {
          const imported = fromLayThuTuc(list[i], { level: owner.level });
          code = imported.code;
          // Checked first with the sectors it brings; nothing is written for a procedure that is not valid.
          await validate(
            imported.content,
            imported.sectors.map((x) => x.code),
          );
          for (const s of imported.sectors) {
            await db
              .insertInto('catalogue.sectors')
              .values({
                code: s.code,
                name: s.name,
                name_en: null,
                name_folded: foldText(s.name),
                agency_code: null,
              })
              .onConflict((oc) => oc.column('code').doNothing())
              .execute();
          }
          const existing = await repo.findProcedure(db, code);
          let version: number;
          if (!existing) {
            version = (
              await this.createProcedure(accountId, {
                code,
                ownerAgencyCode,
                content: imported.content,
                origin: 'import',
              })
            ).version;
          } else {
            version = (await this.startVersion(accountId, code)).version;
            await this.saveDraft(accountId, code, version, imported.content);
          }
          report.push({ index: i, code, ok: true, version, messages: imported.notes });
        } catch (e) {
          const messages =
            e instanceof ValidationError
              ? [
                  e.message,
                  ...((e.extras.errors ?? []) as Array<{ path: string; message: string }>)
                    .slice(0, 5)
                    .map((x) => `${x.path}: ${x.message}`),
                ]
              : [e instanceof Error ? e.message : String(e)];
          report.push({ index: i, code, ok: false, messages });
        }
      }
      return report;
    },

    /**
     * The same import for an agency's own system (client credentials): procedures of an agency the
     * client is registered for (or one below it) become drafts — a new code as version 1, a known code as
     * a new draft version, or replacing the content of its current draft. Officers then submit them.
     */
    async importForSystem(
      client: { clientId: string; agencyCodes: readonly string[] },
      ownerAgencyCode: string,
      input: unknown,
    ) {
      const list = Array.isArray(input) ? input : [input];
      if (list.length === 0 || list.length > 500)
        throw new ValidationError('Cần từ 1 đến 500 thủ tục.', [
          { path: '/procedures', message: '1–500 items' },
        ]);
      const scope = new Set<string>();
      for (const root of client.agencyCodes) for (const a of await deps.subtreeOf(root)) scope.add(a.code);
      const owner = (await agencyDirectory()).get(ownerAgencyCode);
      if (!owner || !scope.has(owner.code))
        throw new NotFoundError(
          `Không có cơ quan mã ${ownerAgencyCode} trong phạm vi của hệ thống ${client.clientId}.`,
        );
      const actor = `client:${client.clientId}`;
      const report: Array<{
        index: number;
        code: string;
        ok: boolean;
        version?: number;
        messages: string[];
      }> = [];
      for (let i = 0; i < list.length; i++) {
        let code = '';
        try {
          const imported = fromLayThuTuc(list[i], { level: owner.level });
          code = imported.code;
          if (!/^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,13}){0,6}$/.test(code) || code.length > 40)
            throw new ValidationError(`Mã thủ tục "${code}" không hợp lệ (ví dụ 2.000815).`, [
              { path: 'MATTHC', message: 'Mã thủ tục có dạng 2.000815' },
            ]);
          const content = await validate(
            imported.content,
            imported.sectors.map((x) => x.code),
          );
          const at = clock.now();
          const version = await db.transaction().execute(async (trx) => {
            for (const sct of imported.sectors)
              await trx
                .insertInto('catalogue.sectors')
                .values({
                  code: sct.code,
                  name: sct.name,
                  name_en: null,
                  name_folded: foldText(sct.name),
                  agency_code: null,
                })
                .onConflict((oc) => oc.column('code').doNothing())
                .execute();
            const existing = await repo.findProcedure(trx, code);
            if (existing && !scope.has(existing.owner_agency_code))
              throw new NotFoundError(`Thủ tục ${code} thuộc cơ quan khác, hệ thống này không sửa được.`);
            const audit = async (v: number, action: string) =>
              appendAudit(
                trx,
                { actor, action: `catalogue.${action}`, subject: `procedure:${code}@${v}` },
                at,
              );
            if (!existing) {
              await repo.insertProcedure(trx, {
                code,
                owner_agency_code: owner.code,
                province_code: owner.level === 'central' ? null : (owner.adminUnitCode?.slice(0, 2) ?? null),
                popularity: 0,
                origin: 'import',
                created_by: null,
              });
              await repo.insertVersion(trx, {
                code,
                version: 1,
                state: 'draft',
                content,
                content_hash: contentHash(content),
                origin: 'import',
                created_by: null,
                at,
              });
              await repo.insertEvent(trx, {
                code,
                version: 1,
                action: 'import',
                from_state: null,
                to_state: 'draft',
                actor,
                note: null,
                at,
              });
              await audit(1, 'create');
              return 1;
            }
            const max = await repo.maxVersion(trx, code);
            const latest = await repo.lockVersion(trx, code, max);
            if (latest?.state === 'testing')
              throw new ConflictError(
                `Thủ tục ${code} đang kiểm thử (phiên bản ${max}); hãy trả về dự thảo trước khi nhập lại.`,
                {
                  state: 'testing',
                  allowedActions: ['return'],
                },
              );
            if (latest?.state === 'draft') {
              await repo.updateContent(trx, code, max, content, contentHash(content), at);
              await repo.insertEvent(trx, {
                code,
                version: max,
                action: 'import',
                from_state: 'draft',
                to_state: 'draft',
                actor,
                note: null,
                at,
              });
              await audit(max, 'edit');
              return max;
            }
            await repo.insertVersion(trx, {
              code,
              version: max + 1,
              state: 'draft',
              content,
              content_hash: contentHash(content),
              origin: 'import',
              created_by: null,
              at,
            });
            await repo.insertEvent(trx, {
              code,
              version: max + 1,
              action: 'import',
              from_state: null,
              to_state: 'draft',
              actor,
              note: null,
              at,
            });
            await audit(max + 1, 'create');
            return max + 1;
          });
          report.push({ index: i, code, ok: true, version, messages: imported.notes });
        } catch (e) {
          const messages =
            e instanceof ValidationError
              ? [
                  e.message,
                  ...((e.extras.errors ?? []) as Array<{ path: string; message: string }>)
                    .slice(0, 5)
                    .map((x) => `${x.path}: ${x.message}`),
                ]
              : [e instanceof Error ? e.message : String(e)];
          report.push({ index: i, code, ok: false, messages });
        }
      }
      return report;
    },

    /** The Government Office's queue: versions to publish and withdrawals to approve. */
    async queue(accountId: string) {
      const rows = await repo.findQueue(db);
      const out = [];
      for (const r of rows)
        if (await deps.can(accountId, 'vpcp-supervisor', r.owner_agency_code)) out.push(r);
      return out;
    },

    /**
     * How much a procedure is used (the dossiers module: dossiers in the last twelve months). Ranks
     * search results after the name match.
     */
    async setPopularity(code: string, popularity: number) {
      if (!Number.isSafeInteger(popularity) || popularity < 0)
        throw new ValidationError('Mức độ sử dụng phải là số nguyên không âm.', [
          { path: 'popularity', message: 'integer ≥ 0' },
        ]);
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('catalogue.procedures')
          .set({ popularity })
          .where('code', '=', code)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
        await search.setPopularity(trx, code, popularity);
      });
    },

    /** Re-index one procedure's public version (after a popularity change or a sector rename). */
    async reindex(code: string) {
      const p = await repo.findProcedure(db, code);
      const v = await repo.findPublicVersion(db, code);
      if (!p) return;
      if (!v) await search.removeEntry(db, code);
      else await indexVersion(db, p, v.version, v.content);
    },

    validate,
  };
}
