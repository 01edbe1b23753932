/**
 * The search index: writing a public version into it, the vocabulary for spelling correction, and the
 * one query that finds, ranks, pages and counts facets in a single pass over the matches.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { CatalogueTables } from './catalogue.tables.ts';

type Db = Kysely<CatalogueTables>;

export interface IndexDocument {
  code: string;
  version: number;
  name: string;
  /** Folded texts per weight: A name, B keywords and English name, C sectors, D agencies and place. */
  a: string;
  b: string;
  c: string;
  d: string;
  popularity: number;
  sectorCodes: string[];
  agencyCodes: string[];
  provinceCode: string | null;
  levels: string[];
  audiences: string[];
  onlineLevel: string;
}

const documentSql = (doc: Pick<IndexDocument, 'a' | 'b' | 'c' | 'd'>) =>
  sql`setweight(to_tsvector('simple', ${doc.a}), 'A') || setweight(to_tsvector('simple', ${doc.b}), 'B')
      || setweight(to_tsvector('simple', ${doc.c}), 'C') || setweight(to_tsvector('simple', ${doc.d}), 'D')`;

/** sectors|agencies|province|levels|audiences|online (lists space-separated): what facets group on. */
export function facetKey(
  doc: Pick<
    IndexDocument,
    'sectorCodes' | 'agencyCodes' | 'provinceCode' | 'levels' | 'audiences' | 'onlineLevel'
  >,
) {
  return [
    doc.sectorCodes.join(' '),
    doc.agencyCodes.join(' '),
    doc.provinceCode ?? '',
    doc.levels.join(' '),
    doc.audiences.join(' '),
    doc.onlineLevel,
  ].join('|');
}

/** The national code a local variant implements: 1.001193.000.00.00.H26 → 1.001193 (null for a national code). */
export function baseCodeOf(code: string): string | null {
  const m = /^([0-9]\.[0-9]{6})\./.exec(code);
  return m ? m[1]! : null;
}

/**
 * Recomputes a national procedure's family after one of them changed: which local variants fold
 * under it (same name), how many, and its facet key with the variants' provinces, agencies and levels.
 */
export async function refreshFamily(db: Db, base: string): Promise<void> {
  await sql`
    update catalogue.search_entries v
       set collapsed = exists (select 1 from catalogue.search_entries b where b.code = v.base_code and b.name_folded = v.name_folded)
     where v.base_code = ${base}`.execute(db);
  await sql`
    update catalogue.search_entries b
       set local_versions = x.n,
           facet_key = array_to_string(b.sector_codes, ' ') || '|' ||
                       array_to_string(array(select distinct u from unnest(b.agency_codes || x.agencies) u order by 1), ' ') || '|' ||
                       coalesce(b.province_code, array_to_string(x.provinces, ' ')) || '|' ||
                       array_to_string(array(select distinct u from unnest(b.levels || x.levels) u order by 1), ' ') || '|' ||
                       array_to_string(b.audiences, ' ') || '|' || b.online_level
      from (select (select count(*)::int from catalogue.search_entries v where v.base_code = ${base} and v.collapsed) as n,
                   array(select distinct v.province_code from catalogue.search_entries v
                          where v.base_code = ${base} and v.collapsed and v.province_code is not null order by 1) as provinces,
                   array(select distinct a from catalogue.search_entries v, unnest(v.agency_codes) a
                          where v.base_code = ${base} and v.collapsed order by 1) as agencies,
                   array(select distinct l from catalogue.search_entries v, unnest(v.levels) l
                          where v.base_code = ${base} and v.collapsed order by 1) as levels) x
     where b.code = ${base}`.execute(db);
}

/** The same for every family at once (after a bulk load). */
export async function refreshAllFamilies(db: Db): Promise<void> {
  await sql`
    update catalogue.search_entries v set collapsed = true
      from catalogue.search_entries b
     where v.base_code = b.code and b.name_folded = v.name_folded and not v.collapsed`.execute(db);
  await sql`
    update catalogue.search_entries b
       set local_versions = x.n,
           facet_key = array_to_string(b.sector_codes, ' ') || '|' ||
                       array_to_string(array(select distinct u from unnest(b.agency_codes || x.agencies) u order by 1), ' ') || '|' ||
                       coalesce(b.province_code, array_to_string(x.provinces, ' ')) || '|' ||
                       array_to_string(array(select distinct u from unnest(b.levels || x.levels) u order by 1), ' ') || '|' ||
                       array_to_string(b.audiences, ' ') || '|' || b.online_level
      from (select v.base_code, count(distinct v.code)::int as n,
                   array_agg(distinct v.province_code order by v.province_code) filter (where v.province_code is not null) as provinces,
                   array_agg(distinct a order by a) as agencies, array_agg(distinct l order by l) as levels
              from catalogue.search_entries v, unnest(v.agency_codes) a, unnest(v.levels) l
             where v.collapsed group by v.base_code) x
     where b.code = x.base_code`.execute(db);
}

/** Puts (or replaces) one procedure in the index, and adds its new words to the vocabulary. */
export async function upsertEntry(db: Db, doc: IndexDocument): Promise<void> {
  await sql`
    insert into catalogue.search_entries
      (code, version, name, name_folded, document, popularity, sector_codes, agency_codes, province_code, levels,
       audiences, online_level, facet_key, base_code)
    values (${doc.code}, ${doc.version}, ${doc.name}, ${doc.a}, ${documentSql(doc)}, ${doc.popularity},
            ${doc.sectorCodes}::text[], ${doc.agencyCodes}::text[], ${doc.provinceCode}, ${doc.levels}::text[],
            ${doc.audiences}::text[], ${doc.onlineLevel}, ${facetKey(doc)}, ${baseCodeOf(doc.code)})
    on conflict (code) do update set
      version = excluded.version, name = excluded.name, name_folded = excluded.name_folded,
      document = excluded.document, popularity = excluded.popularity, sector_codes = excluded.sector_codes,
      agency_codes = excluded.agency_codes, province_code = excluded.province_code, levels = excluded.levels,
      audiences = excluded.audiences, online_level = excluded.online_level, facet_key = excluded.facet_key`.execute(
    db,
  );
  const words = [
    ...new Set(`${doc.a} ${doc.b} ${doc.c} ${doc.d}`.split(' ').filter((w) => /^[a-z0-9]{1,40}$/.test(w))),
  ];
  await addTerms(db, words);
}

export async function removeEntry(db: Db, code: string): Promise<void> {
  await db.deleteFrom('catalogue.search_entries').where('code', '=', code).execute();
  await refreshFamily(db, baseCodeOf(code) ?? code);
}

/** Adds words (and their one-letter deletions) to the vocabulary; counts one more procedure for known ones. */
export async function addTerms(db: Db, words: string[]): Promise<void> {
  if (words.length === 0) return;
  await sql`
    with added as (
      insert into catalogue.search_terms (term, doc_count)
      select w, 1 from unnest(${words}::text[]) as w
      on conflict (term) do update set doc_count = catalogue.search_terms.doc_count + 1
      returning term, (xmax = 0) as inserted
    )
    insert into catalogue.search_term_variants (variant, term)
    select distinct v, term from (
      select term, term as v from added where inserted
      union all
      select term, substr(term, 1, i - 1) || substr(term, i + 1) from added, generate_series(1, length(term)) as i
       where inserted and length(term) >= 3
    ) x
    on conflict do nothing`.execute(db);
}

/** Rebuilds the vocabulary from the index (after a bulk load): exact document counts. */
export async function rebuildVocabulary(db: Db): Promise<void> {
  await sql`delete from catalogue.search_terms`.execute(db);
  await sql`
    insert into catalogue.search_terms (term, doc_count)
    select word, ndoc from ts_stat('select document from catalogue.search_entries') where word ~ '^[a-z0-9]{1,40}$'`.execute(
    db,
  );
  await sql`
    insert into catalogue.search_term_variants (variant, term)
    select distinct v, term from (
      select term, term as v from catalogue.search_terms
      union all
      select term, substr(term, 1, i - 1) || substr(term, i + 1) from catalogue.search_terms, generate_series(1, length(term)) as i
       where length(term) >= 3
    ) x`.execute(db);
}

export interface VocabularyAnswer {
  known: string[];
  candidates: Array<{ term: string; docs: number }>;
  livePrefixes: string[];
}

/** One round trip: which words are known, which words share a deletion, which prefixes are alive. */
export async function lookupVocabulary(
  db: Db,
  q: { words: string[]; variants: string[]; prefixes: string[] },
): Promise<VocabularyAnswer> {
  if (q.words.length === 0) return { known: [], candidates: [], livePrefixes: [] };
  const r = await sql<{ kind: string; term: string; docs: number }>`
    select 'known' as kind, term, doc_count as docs from catalogue.search_terms where term = any(${q.words}::text[])
    union all
    select 'candidate', t.term, t.doc_count from catalogue.search_term_variants v
      join catalogue.search_terms t on t.term = v.term
     where v.variant = any(${q.variants}::text[])
    union all
    select 'prefix', p, 0 from unnest(${q.prefixes}::text[]) as p
     where exists (select 1 from catalogue.search_terms where term like p || '%')`.execute(db);
  const out: VocabularyAnswer = { known: [], candidates: [], livePrefixes: [] };
  for (const row of r.rows) {
    if (row.kind === 'known') out.known.push(row.term);
    else if (row.kind === 'candidate') out.candidates.push({ term: row.term, docs: Number(row.docs) });
    else out.livePrefixes.push(row.term);
  }
  return out;
}

export interface SearchFilters {
  sector?: string | undefined;
  agency?: string | undefined;
  province?: string | undefined;
  level?: string | undefined;
  audience?: string | undefined;
  online?: string | undefined;
}

export interface TextMatch {
  /** tsquery: every term anywhere (null: no text, browse). */
  all: string | null;
  /** tsquery: every term in the name. */
  allName: string | null;
  /** tsquery: the terms as a phrase in the name. */
  phrase: string | null;
  /** The same phrase as folded text (each term's first form), for a cheaper test tried first. */
  phraseText: string | null;
  /** The last term is a prefix. */
  lastIsPrefix: boolean;
  /** Folded query for "the name starts with it" (escaped for LIKE by the caller's data: [a-z0-9 ] only). */
  namePrefix: string | null;
  /** A procedure code (or its beginning). */
  code: string | null;
}

export interface Cursor {
  score: number;
  popularity: number;
  code: string;
}

export interface SearchRow {
  code: string;
  version: number;
  name: string;
  score: number;
  popularity: number;
  sector_codes: string[];
  agency_codes: string[];
  province_code: string | null;
  levels: string[];
  audiences: string[];
  online_level: string;
  local_versions: number;
}

export interface FacetRow {
  facet: string;
  value: string;
  n: number;
}

function filterSql(f: SearchFilters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (f.sector) out.push(sql`sector_codes @> array[${f.sector}]::text[]`);
  if (f.agency) out.push(sql`agency_codes @> array[${f.agency}]::text[]`);
  if (f.province) out.push(sql`province_code = ${f.province}`);
  if (f.level) out.push(sql`${f.level} = any(levels)`);
  if (f.audience) out.push(sql`${f.audience} = any(audiences)`);
  if (f.online) out.push(sql`online_level = ${f.online}`);
  return out;
}

const FACETS = ['sector', 'agency', 'province', 'level', 'audience', 'online'] as const;
const PIPE = 124; // '|'
const SPACE = 32; // ' '

/**
 * A facet key's values as [facet, value] pairs: the six facets' values separated by `|`, the values of
 * one facet by spaces (`G03 G05|UBND-01|01|province|1 2|2`).
 */
function splitFacetKey(key: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let facet = 0;
  let start = 0;
  for (let i = 0; i <= key.length; i++) {
    const c = i === key.length ? PIPE : key.charCodeAt(i);
    if (c !== PIPE && c !== SPACE) continue;
    if (i > start) out.push([facet, key.slice(start, i)]);
    if (c === PIPE) facet++;
    start = i + 1;
  }
  return out;
}

/**
 * Facet values interned: each (facet, value) gets a small id once, and a key is kept as its values' ids.
 * The same few hundred keys (a family's sectors, agencies, provinces…) come back search after search,
 * and a national family's key lists every province: counting by id into one reused array costs a
 * fraction of counting strings into maps.
 */
const valueIds = FACETS.map(() => new Map<string, number>());
const valueAt: Array<{ facet: number; value: string }> = [];
const keyIds = new Map<string, Int32Array>();
const KEY_IDS_MAX = 10_000;
/** Counts per value id during one call of countFacets (zero outside it). */
let tally = new Float64Array(1024);

function idsOf(key: string): Int32Array {
  let ids = keyIds.get(key);
  if (ids !== undefined) return ids;
  const found: number[] = [];
  for (const [facet, value] of splitFacetKey(key)) {
    const byValue = valueIds[facet];
    if (byValue === undefined) continue;
    let id = byValue.get(value);
    if (id === undefined) {
      id = valueAt.push({ facet, value }) - 1;
      byValue.set(value, id);
    }
    found.push(id);
  }
  ids = Int32Array.from(found);
  if (keyIds.size >= KEY_IDS_MAX) keyIds.clear();
  keyIds.set(key, ids);
  return ids;
}

/** The count of every value of every facet, over facet keys and the number of matches with each. */
export function countFacets(groups: ReadonlyArray<{ key: string; n: number }>): FacetRow[] {
  const touched: number[] = [];
  for (const { key, n } of groups) {
    if (!(n > 0)) continue;
    const ids = idsOf(key);
    if (tally.length < valueAt.length) {
      const bigger = new Float64Array(2 * valueAt.length);
      bigger.set(tally);
      tally = bigger;
    }
    for (const id of ids) {
      if (tally[id] === 0) touched.push(id);
      tally[id]! += n;
    }
  }
  const out: FacetRow[] = [];
  for (const id of touched) {
    const { facet, value } = valueAt[id]!;
    out.push({ facet: FACETS[facet]!, value, n: tally[id]! });
    tally[id] = 0;
  }
  return out;
}

/**
 * Finds, ranks and counts. Score tiers (higher first): 100 the code, 90 the name is the query, 80 the
 * name starts with it, 60 the words as a phrase in the name, 40 every word in the name, 20 elsewhere
 * (keywords, sector, agency). Then popularity, then code. Facets are counted over all the matches.
 */
export async function searchEntries(
  db: Db,
  m: TextMatch,
  f: SearchFilters,
  page: { limit: number; after: Cursor | null; facets: boolean },
): Promise<{ rows: SearchRow[]; total: number; facets: FacetRow[] }> {
  const where: RawBuilder<unknown>[] = [...filterSql(f)];
  // Local variants that carry the national name fold under it, unless the search asks for a place.
  if (!f.province && !f.agency) where.push(sql`not collapsed`);
  if (m.all !== null && m.code !== null)
    where.push(sql`(document @@ ${m.all}::tsquery or code like ${`${m.code}%`})`);
  else if (m.all !== null) where.push(sql`document @@ ${m.all}::tsquery`);
  else if (m.code !== null) where.push(sql`code like ${`${m.code}%`}`);
  const whereSql = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const score =
    m.all === null
      ? m.code !== null
        ? sql<number>`case when code = ${m.code} then 100 else 50 end`
        : sql<number>`0`
      : sql<number>`case
          when code = ${m.code ?? ''} then 100
          when name_folded = ${m.namePrefix ?? ''} then 90
          when name_folded like ${`${m.namePrefix ?? ''}%`} then 80
          when (' ' || name_folded || ' ') like ${`% ${m.phraseText ?? '~'}${m.lastIsPrefix ? '' : ' '}%`} then 60
          when document @@ ${m.phrase ?? m.all}::tsquery then 60
          when document @@ ${m.allName ?? m.all}::tsquery then 40
          else 20 end`;
  const after = page.after
    ? sql`where (score < ${page.after.score}
              or (score = ${page.after.score} and (popularity < ${page.after.popularity}
                  or (popularity = ${page.after.popularity} and code > ${page.after.code}))))`
    : sql``;
  // Facets: one pass over the matches, grouped on one text key per row; the lists are split below.
  const r = await sql<SearchRow & { facet_key: string | null; n: number | null }>`
    with matched as materialized (
      select code, popularity, facet_key, ${score} as score from catalogue.search_entries ${whereSql}
    ),
    page as (
      select code, score, popularity from matched ${after} order by score desc, popularity desc, code limit ${page.limit}
    )
    select e.code, e.version, e.name, p.score, e.popularity, e.sector_codes, e.agency_codes, e.province_code, e.levels,
           e.audiences, e.online_level, e.local_versions, null::text as facet_key, null::int as n
      from page p join catalogue.search_entries e on e.code = p.code
    union all
    select null, null, null, null, null, null, null, null, null, null, null, null,
           ${page.facets ? sql`facet_key` : sql`''`}, count(*)::int
      from matched group by 13`.execute(db);
  const rows: SearchRow[] = [];
  const groups: Array<{ key: string; n: number }> = [];
  let total = 0;
  for (const x of r.rows) {
    if (x.facet_key === null) {
      rows.push({ ...x, score: Number(x.score), popularity: Number(x.popularity) });
      continue;
    }
    const n = Number(x.n);
    total += n;
    groups.push({ key: x.facet_key, n });
  }
  const facets = page.facets ? countFacets(groups) : [];
  rows.sort((a, b) => b.score - a.score || b.popularity - a.popularity || (a.code < b.code ? -1 : 1));
  return { rows, total, facets };
}

/** Updates the popularity in the index (the dossiers module will feed it). */
export async function setPopularity(db: Db, code: string, popularity: number): Promise<void> {
  await db.updateTable('catalogue.search_entries').set({ popularity }).where('code', '=', code).execute();
}
