/** Queries on the agencies module's tables. Every function takes the database (or transaction) first. */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { AdminLevel, AdminUnitTable, AgenciesTables, AgencyTable } from './agencies.tables.ts';

type Db = Kysely<AgenciesTables>;
export type AdminUnitRow = Omit<AdminUnitTable, 'id'> & { id: number };
export type AgencyRow = Omit<AgencyTable, 'id' | 'office_hours'> & {
  id: number;
  office_hours: AgencyTable['office_hours']['__select__'];
};

/** Rows valid on `date` (inclusive bounds, null = unbounded). */
// biome-ignore lint/suspicious/noExplicitAny: shared by the two versioned tables
function validOn<QB extends SelectQueryBuilder<AgenciesTables, any, any>>(qb: QB, date: string): QB {
  return qb
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', date)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)])) as QB;
}

export interface UnitFilter {
  date: string;
  level?: AdminLevel | undefined;
  /** The unit directly above (a province, or a district before 1 July 2025). */
  parent?: string | undefined;
  /** The province the unit lies in, whatever its parent. */
  province?: string | undefined;
  /** Folded words that must all appear in the folded name. */
  words?: string[] | undefined;
  /** Matches the code exactly (as an alternative to the words). */
  code?: string | undefined;
  limit?: number | undefined;
}

const LEVEL_ORDER = sql`case level when 'province' then 0 when 'district' then 1 else 2 end`;

/** The units valid on a date (provinces, then districts, then communes, each by code) and how many match. */
export async function findAdminUnitsOn(
  db: Db,
  f: UnitFilter,
): Promise<{ total: number; rows: AdminUnitRow[] }> {
  let q = validOn(
    db.selectFrom('agencies.admin_units').selectAll().select(sql<number>`count(*) over ()`.as('total')),
    f.date,
  );
  if (f.level) q = q.where('level', '=', f.level);
  if (f.parent) q = q.where('parent_code', '=', f.parent);
  if (f.province) q = q.where('province_code', '=', f.province);
  const words = (f.words ?? []).filter(Boolean).slice(0, 8);
  if (words.length > 0 || f.code) {
    q = q.where((eb) => {
      const byName = words.map((w) => eb('name_folded', 'like', `%${escapeLike(w)}%`));
      const either = [
        ...(byName.length > 0 ? [eb.and(byName)] : []),
        ...(f.code ? [eb('code', '=', f.code)] : []),
      ];
      return eb.or(either);
    });
  }
  q = q.orderBy(LEVEL_ORDER).orderBy('code').orderBy('valid_from');
  if (f.limit) q = q.limit(f.limit);
  const rows = await q.execute();
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows.map(({ total: _, ...r }) => r as AdminUnitRow),
  };
}

export async function findAdminUnitVersions(
  db: Db,
  code: string,
  level?: AdminLevel,
): Promise<AdminUnitRow[]> {
  let q = db.selectFrom('agencies.admin_units').selectAll().where('code', '=', code);
  if (level) q = q.where('level', '=', level);
  return q.orderBy(sql`coalesce(valid_from, '0001-01-01'::date)`).execute();
}

export async function findUnitPredecessors(
  db: Db,
  id: number,
): Promise<Array<AdminUnitRow & { succession_kind: string }>> {
  return db
    .selectFrom('agencies.admin_unit_successions as s')
    .innerJoin('agencies.admin_units as u', 'u.id', 's.predecessor_id')
    .selectAll('u')
    .select('s.kind as succession_kind')
    .where('s.successor_id', '=', id)
    .orderBy('u.code')
    .execute();
}

export async function findUnitSuccessors(
  db: Db,
  id: number,
): Promise<Array<AdminUnitRow & { succession_kind: string }>> {
  return db
    .selectFrom('agencies.admin_unit_successions as s')
    .innerJoin('agencies.admin_units as u', 'u.id', 's.successor_id')
    .selectAll('u')
    .select('s.kind as succession_kind')
    .where('s.predecessor_id', '=', id)
    .orderBy('u.code')
    .execute();
}

export interface AgencyFilter {
  date: string;
  kind?: string | undefined;
  level?: string | undefined;
  parent?: string | undefined;
  adminUnit?: string | undefined;
  folded?: string | undefined;
  limit?: number | undefined;
}

export async function findAgenciesOn(db: Db, f: AgencyFilter): Promise<AgencyRow[]> {
  let q = validOn(db.selectFrom('agencies.agencies').selectAll(), f.date);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.level) q = q.where('level', '=', f.level as AgencyRow['level']);
  if (f.parent) q = q.where('parent_code', '=', f.parent);
  if (f.adminUnit) q = q.where('admin_unit_code', '=', f.adminUnit);
  // Every word typed must appear ("so tu phap ha noi" finds "Sở Tư pháp thành phố Hà Nội").
  for (const word of (f.folded ?? '').split(' ').filter(Boolean).slice(0, 8))
    q = q.where('name_folded', 'like', `%${escapeLike(word)}%`);
  q = q
    .orderBy(sql`case level when 'central' then 0 when 'province' then 1 else 2 end`)
    .orderBy('admin_unit_code')
    .orderBy('code');
  if (f.limit) q = q.limit(f.limit);
  return (await q.execute()) as AgencyRow[];
}

export async function findAgencyVersions(db: Db, code: string): Promise<AgencyRow[]> {
  return (await db
    .selectFrom('agencies.agencies')
    .selectAll()
    .where('code', '=', code)
    .orderBy(sql`coalesce(valid_from, '0001-01-01'::date)`)
    .execute()) as AgencyRow[];
}

export async function findAgencyPredecessors(db: Db, id: number): Promise<AgencyRow[]> {
  return (await db
    .selectFrom('agencies.agency_successions as s')
    .innerJoin('agencies.agencies as a', 'a.id', 's.predecessor_id')
    .selectAll('a')
    .where('s.successor_id', '=', id)
    .orderBy('a.code')
    .execute()) as AgencyRow[];
}

export async function findAgencySuccessors(db: Db, id: number): Promise<AgencyRow[]> {
  return (await db
    .selectFrom('agencies.agency_successions as s')
    .innerJoin('agencies.agencies as a', 'a.id', 's.successor_id')
    .selectAll('a')
    .where('s.predecessor_id', '=', id)
    .orderBy('a.code')
    .execute()) as AgencyRow[];
}

export interface IdentifierRow {
  identifier: string;
  agency_code: string;
  valid_from: string | null;
  valid_to: string | null;
  verified: boolean;
  source: string | null;
}

export async function findIdentifiersOf(db: Db, agencyCodes: string[]): Promise<IdentifierRow[]> {
  if (agencyCodes.length === 0) return [];
  return db
    .selectFrom('agencies.agency_identifiers')
    .select(['identifier', 'agency_code', 'valid_from', 'valid_to', 'verified', 'source'])
    .where('agency_code', '=', sql<string>`any(${agencyCodes}::text[])`)
    .orderBy('identifier')
    .execute();
}

/** The owner of an identifier on a date (identifiers may pass to a successor agency). */
export async function findIdentifierOwner(
  db: Db,
  identifier: string,
  date: string,
): Promise<IdentifierRow | undefined> {
  return db
    .selectFrom('agencies.agency_identifiers')
    .select(['identifier', 'agency_code', 'valid_from', 'valid_to', 'verified', 'source'])
    .where('identifier', '=', identifier)
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', date)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
    .executeTakeFirst();
}

export async function countOn(db: Db, date: string) {
  const units = await validOn(
    db.selectFrom('agencies.admin_units').select((eb) => eb.fn.countAll<number>().as('n')),
    date,
  )
    .where('level', '=', 'province')
    .executeTakeFirstOrThrow();
  const agencies = await validOn(
    db
      .selectFrom('agencies.agencies')
      .select('kind')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('kind'),
    date,
  ).execute();
  return {
    provinces: Number(units.n),
    agenciesByKind: Object.fromEntries(agencies.map((a) => [a.kind, Number(a.n)])),
  };
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface SuccessionPair {
  predecessor: AdminUnitRow;
  successor: AdminUnitRow;
  kind: string;
  effective_date: string;
}

/** Every succession between province versions, in one query (for the merger table). */
export async function findProvinceSuccessions(db: Db): Promise<SuccessionPair[]> {
  const rows = await sql<{ p: AdminUnitRow; s: AdminUnitRow; kind: string; effective_date: string }>`
    select to_jsonb(p) as p, to_jsonb(s2) as s, x.kind, x.effective_date
      from agencies.admin_unit_successions x
      join agencies.admin_units p on p.id = x.predecessor_id
      join agencies.admin_units s2 on s2.id = x.successor_id
     where p.level = 'province'
     order by s2.code, p.code`.execute(db);
  return rows.rows.map((r) => ({
    predecessor: r.p,
    successor: r.s,
    kind: r.kind,
    effective_date: String(r.effective_date),
  }));
}

/** `validOn` for raw SQL: the row of alias `r` or `a` is valid on the date. */
function validSql(alias: 'r' | 'a', date: string) {
  const t = sql.raw(alias);
  return sql`(${t}.valid_from is null or ${t}.valid_from <= ${date}::date)
             and (${t}.valid_to is null or ${t}.valid_to >= ${date}::date)`;
}

/**
 * An agency valid on a date and every agency under it that date, in one recursive statement: the root
 * first, then level by level (within a level, in the order of `findAgenciesOn`). At most `max` agencies.
 */
export async function findSubtreeOn(
  db: Db,
  code: string,
  date: string,
  max: number,
): Promise<Array<{ code: string; name: string }>> {
  const r = await sql<{ code: string; name: string }>`
    with recursive tree (code, name, depth, level, admin_unit_code) as (
      select r.code, r.name, 0, r.level, r.admin_unit_code from agencies.agencies r where r.code = ${code} and ${validSql('r', date)}
      union
      select a.code, a.name, t.depth + 1, a.level, a.admin_unit_code
        from tree t join agencies.agencies a on a.parent_code = t.code
       where t.depth < 12 and ${validSql('a', date)})
    select code, name from (
      select distinct on (code) code, name, depth, level, admin_unit_code from tree order by code, depth) as firsts
     order by depth, case level when 'central' then 0 when 'province' then 1 else 2 end, admin_unit_code, code
     limit ${max}`.execute(db);
  return r.rows;
}

/**
 * An agency and those above it on a date, nearest first, in one statement: each step the parent's
 * version valid on that date, at most `max` agencies, stopping before an agency seen already (a cycle in
 * bad data). Where two versions of an agency overlap on the date, the one valid from later is followed.
 */
export async function findLineageOn(db: Db, code: string, date: string, max: number): Promise<string[]> {
  const r = await sql<{ code: string; parent_code: string | null; depth: number }>`
    with recursive up (code, parent_code, valid_from, depth) as (
      select r.code, r.parent_code, r.valid_from, 0 from agencies.agencies r where r.code = ${code} and ${validSql('r', date)}
      union all
      select a.code, a.parent_code, a.valid_from, u.depth + 1
        from up u join agencies.agencies a on a.code = u.parent_code
       where u.depth < ${max - 1} and ${validSql('a', date)})
    select code, parent_code, depth from up order by depth, valid_from desc nulls last`.execute(db);
  const out: string[] = [];
  let want: string | null = code;
  for (const row of r.rows) {
    if (row.depth !== out.length || row.code !== want) continue;
    if (out.includes(row.code)) break;
    out.push(row.code);
    want = row.parent_code;
  }
  return out;
}

/** The version of one agency valid on a date. */
export async function findAgencyOn(db: Db, code: string, date: string): Promise<AgencyRow | undefined> {
  return (await validOn(db.selectFrom('agencies.agencies').selectAll(), date)
    .where('code', '=', code)
    .executeTakeFirst()) as AgencyRow | undefined;
}

/** The version of one administrative unit valid on a date (the level follows from the code's length). */
export async function findAdminUnitOn(db: Db, code: string, date: string): Promise<AdminUnitRow | undefined> {
  return validOn(db.selectFrom('agencies.admin_units').selectAll(), date)
    .where('code', '=', code)
    .executeTakeFirst();
}
