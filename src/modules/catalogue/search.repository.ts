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

/** Puts (or replaces) one procedure in the index, and adds its new words to the vocabulary. */
export async function upsertEntry(db: Db, doc: IndexDocument): Promise<void> {
  await sql`
    insert into catalogue.search_entries
      (code, version, name, name_folded, document, popularity, sector_codes, agency_codes, province_code, levels, audiences, online_level)
    values (${doc.code}, ${doc.version}, ${doc.name}, ${doc.a}, ${documentSql(doc)}, ${doc.popularity},
            ${doc.sectorCodes}::text[], ${doc.agencyCodes}::text[], ${doc.provinceCode}, ${doc.levels}::text[],
            ${doc.audiences}::text[], ${doc.onlineLevel})
    on conflict (code) do update set
      version = excluded.version, name = excluded.name, name_folded = excluded.name_folded,
      document = excluded.document, popularity = excluded.popularity, sector_codes = excluded.sector_codes,
      agency_codes = excluded.agency_codes, province_code = excluded.province_code, levels = excluded.levels,
      audiences = excluded.audiences, online_level = excluded.online_level`.execute(db);
  const words = [
    ...new Set(`${doc.a} ${doc.b} ${doc.c} ${doc.d}`.split(' ').filter((w) => /^[a-z0-9]{1,40}$/.test(w))),
  ];
  await addTerms(db, words);
}

export async function removeEntry(db: Db, code: string): Promise<void> {
  await db.deleteFrom('catalogue.search_entries').where('code', '=', code).execute();
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
}

export interface FacetRow {
  facet: string;
  value: string;
  n: number;
}

function filterSql(f: SearchFilters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (f.sector) out.push(sql`${f.sector} = any(sector_codes)`);
  if (f.agency) out.push(sql`${f.agency} = any(agency_codes)`);
  if (f.province) out.push(sql`province_code = ${f.province}`);
  if (f.level) out.push(sql`${f.level} = any(levels)`);
  if (f.audience) out.push(sql`${f.audience} = any(audiences)`);
  if (f.online) out.push(sql`online_level = ${f.online}`);
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
  if (m.all !== null && m.code !== null)
    where.push(sql`(document @@ to_tsquery('simple', ${m.all}) or code like ${`${m.code}%`})`);
  else if (m.all !== null) where.push(sql`document @@ to_tsquery('simple', ${m.all})`);
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
          when document @@ to_tsquery('simple', ${m.phrase ?? m.all}) then 60
          when document @@ to_tsquery('simple', ${m.allName ?? m.all}) then 40
          else 20 end`;
  const after = page.after
    ? sql`where (score < ${page.after.score}
              or (score = ${page.after.score} and (popularity < ${page.after.popularity}
                  or (popularity = ${page.after.popularity} and code > ${page.after.code}))))`
    : sql``;
  const facetsSql = page.facets
    ? sql`
      select 'sector' as facet, s as value, count(*)::int as n from matched, unnest(sector_codes) s group by s
      union all select 'agency', a, count(*)::int from matched, unnest(agency_codes) a group by a
      union all select 'province', province_code, count(*)::int from matched where province_code is not null group by province_code
      union all select 'level', l, count(*)::int from matched, unnest(levels) l group by l
      union all select 'audience', x, count(*)::int from matched, unnest(audiences) x group by x
      union all select 'online', online_level, count(*)::int from matched group by online_level
      union all select 'total', '', count(*)::int from matched`
    : sql`select 'total' as facet, '' as value, count(*)::int as n from matched`;
  const r = await sql<SearchRow & { facet: string | null; value: string | null; n: number | null }>`
    with matched as materialized (
      select code, version, name, popularity, sector_codes, agency_codes, province_code, levels, audiences,
             online_level, ${score} as score
        from catalogue.search_entries ${whereSql}
    ),
    page as (
      select * from matched ${after} order by score desc, popularity desc, code limit ${page.limit}
    )
    select code, version, name, score, popularity, sector_codes, agency_codes, province_code, levels, audiences,
           online_level, null::text as facet, null::text as value, null::int as n
      from page
    union all
    select null, null, null, null, null, null, null, null, null, null, null, facet, value, n from (${facetsSql}) f`.execute(
    db,
  );
  const rows: SearchRow[] = [];
  const facets: FacetRow[] = [];
  let total = 0;
  for (const x of r.rows) {
    if (x.facet === null) rows.push({ ...x, score: Number(x.score), popularity: Number(x.popularity) });
    else if (x.facet === 'total') total = Number(x.n);
    else facets.push({ facet: x.facet, value: x.value ?? '', n: Number(x.n) });
  }
  rows.sort((a, b) => b.score - a.score || b.popularity - a.popularity || (a.code < b.code ? -1 : 1));
  return { rows, total, facets };
}

/** Updates the popularity in the index (the dossiers module will feed it). */
export async function setPopularity(db: Db, code: string, popularity: number): Promise<void> {
  await db.updateTable('catalogue.search_entries').set({ popularity }).where('code', '=', code).execute();
}
