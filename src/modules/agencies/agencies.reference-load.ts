/**
 * The set-based load of the agencies module's reference data (about 14,000 unit versions, 5,000 agency
 * versions and their identifiers) in one transaction:
 *  1. every list is staged into a temporary table, a few thousand rows per statement, from one JSON
 *     parameter (`json_to_recordset`), then analysed so that the joins below are hash joins;
 *  2. one upsert per table from its stage: a version is matched by its natural key (level, code and
 *     first day; code and first day), so its row id stays the same across reloads; a row that has not
 *     changed is not rewritten;
 *  3. versions the reference data no longer lists are removed (their successions go with them), rows
 *     an operator added by hand (from_reference false) are kept;
 *  4. successions and identifiers are merged the same way; the operator's identifiers win over the
 *     shipped ones with the same code and first day.
 * The statements run in PostgreSQL 15 and PGlite alike.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import type {
  AgencyRecord,
  IdentifierRecord,
  SuccessionRecord,
  UnitRecord,
} from './agencies.reference-records.ts';
import type { AgenciesTables } from './agencies.tables.ts';

type Db = Kysely<AgenciesTables>;

/** Rows per staging statement: ~1 MB of JSON at most. */
const CHUNK = 4_000;

/** A temporary table dropped at commit, filled from JSON records whose keys are its column names. */
async function stage(db: Db, table: string, columns: string, rows: object[]): Promise<void> {
  const t = sql.raw(table);
  const cols = sql.raw(columns);
  await sql`drop table if exists pg_temp.${t}`.execute(db);
  await sql`create temporary table ${t} (${cols}) on commit drop`.execute(db);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK));
    await sql`insert into ${t} select * from json_to_recordset(${json}::json) as x(${cols})`.execute(db);
  }
  // Statistics, so that the joins below are planned as hash joins rather than nested loops.
  await sql`analyze ${t}`.execute(db);
}

const UNIT_COLUMNS = `code text, level text, name text, name_en text, name_folded text, kind text, region text,
  parent_code text, province_code text, valid_from date, valid_to date, legal_basis text, note text`;
const AGENCY_COLUMNS = `code text, short_name text, name text, name_en text, name_folded text, kind text,
  level text, parent_code text, admin_unit_code text, valid_from date, valid_to date, note text`;
const SUCCESSION_COLUMNS = `from_code text, from_valid_from date, to_code text, to_valid_from date,
  effective_date date, kind text`;
const IDENTIFIER_COLUMNS = `identifier text, agency_code text, valid_from date, valid_to date,
  verified boolean, source text, origin text`;

export interface LoadInput {
  units: UnitRecord[];
  unitSuccessions: SuccessionRecord[];
  agencies: AgencyRecord[];
  agencySuccessions: SuccessionRecord[];
  identifiers: IdentifierRecord[];
  generatedIdentifiers: IdentifierRecord[];
  operator: IdentifierRecord[];
}

/** `code@validFrom` (how the builders key versions) → the code and first day. */
function splitKey(key: string): [string, string | null] {
  const at = key.indexOf('@');
  if (at < 0) throw new Error(`reference data: malformed version key ${key}`);
  return [key.slice(0, at), key.slice(at + 1) || null];
}

/** The version of alias `v` is the one staged as `side` (from, to) of the succession `s`. */
const sameVersion = (v: string, side: 'from' | 'to') =>
  sql.raw(`${v}.code = s.${side}_code
    and coalesce(${v}.valid_from, '0001-01-01'::date) = coalesce(s.${side}_valid_from, '0001-01-01'::date)`);

export async function loadReference(db: Db, data: LoadInput): Promise<void> {
  await loadUnits(db, data.units);
  await loadAgencies(db, data.agencies);
  await mergeSuccessions(db, 'admin_unit_successions', 'admin_units', data.unitSuccessions);
  await mergeSuccessions(db, 'agency_successions', 'agencies', data.agencySuccessions);
  await loadIdentifiers(db, data);
}

async function loadUnits(db: Db, units: UnitRecord[]): Promise<void> {
  await stage(
    db,
    'ref_units',
    UNIT_COLUMNS,
    units.map((u) => ({
      code: u.code,
      level: u.level,
      name: u.name,
      name_en: u.nameEn,
      name_folded: foldVietnamese(u.name),
      kind: u.kind,
      region: u.region,
      parent_code: u.parentCode,
      province_code: u.provinceCode,
      valid_from: u.validFrom,
      valid_to: u.validTo,
      legal_basis: u.legalBasis,
      note: u.note,
    })),
  );
  await sql`
    insert into agencies.admin_units as u
      (code, level, name, name_en, name_folded, kind, region, parent_code, province_code, valid_from, valid_to,
       legal_basis, note, from_reference)
    select code, level, name, name_en, name_folded, kind, region, parent_code, province_code, valid_from, valid_to,
           legal_basis, note, true
      from ref_units
    on conflict (level, code, coalesce(valid_from, '0001-01-01'::date)) do update
      set name = excluded.name, name_en = excluded.name_en, name_folded = excluded.name_folded,
          kind = excluded.kind, region = excluded.region, parent_code = excluded.parent_code,
          province_code = excluded.province_code, valid_to = excluded.valid_to,
          legal_basis = excluded.legal_basis, note = excluded.note, from_reference = true
      where (u.name, u.name_en, u.name_folded, u.kind, u.region, u.parent_code, u.province_code, u.valid_to,
             u.legal_basis, u.note, u.from_reference)
            is distinct from
            (excluded.name, excluded.name_en, excluded.name_folded, excluded.kind, excluded.region,
             excluded.parent_code, excluded.province_code, excluded.valid_to, excluded.legal_basis,
             excluded.note, true)`.execute(db);
  await sql`
    delete from agencies.admin_units u
     where u.from_reference
       and not exists (select 1 from ref_units r
                        where r.level = u.level and r.code = u.code
                          and coalesce(r.valid_from, '0001-01-01'::date) = coalesce(u.valid_from, '0001-01-01'::date))`.execute(
    db,
  );
}

async function loadAgencies(db: Db, agencies: LoadInput['agencies']): Promise<void> {
  await stage(
    db,
    'ref_agencies',
    AGENCY_COLUMNS,
    agencies.map((a) => ({
      code: a.code,
      short_name: a.shortName,
      name: a.name,
      name_en: a.nameEn,
      name_folded: foldVietnamese(`${a.name} ${a.shortName ?? ''}`),
      kind: a.kind,
      level: a.level,
      parent_code: a.parentCode,
      admin_unit_code: a.adminUnitCode,
      valid_from: a.validFrom,
      valid_to: a.validTo,
      note: a.note,
    })),
  );
  await sql`
    insert into agencies.agencies as a
      (code, short_name, name, name_en, name_folded, kind, level, parent_code, admin_unit_code, valid_from,
       valid_to, note, from_reference)
    select code, short_name, name, name_en, name_folded, kind, level, parent_code, admin_unit_code, valid_from,
           valid_to, note, true
      from ref_agencies
    on conflict (code, coalesce(valid_from, '0001-01-01'::date)) do update
      set short_name = excluded.short_name, name = excluded.name, name_en = excluded.name_en,
          name_folded = excluded.name_folded, kind = excluded.kind, level = excluded.level,
          parent_code = excluded.parent_code, admin_unit_code = excluded.admin_unit_code,
          valid_to = excluded.valid_to, note = excluded.note, from_reference = true
      where (a.short_name, a.name, a.name_en, a.name_folded, a.kind, a.level, a.parent_code, a.admin_unit_code,
             a.valid_to, a.note, a.from_reference)
            is distinct from
            (excluded.short_name, excluded.name, excluded.name_en, excluded.name_folded, excluded.kind,
             excluded.level, excluded.parent_code, excluded.admin_unit_code, excluded.valid_to, excluded.note,
             true)`.execute(db);
  await sql`
    delete from agencies.agencies a
     where a.from_reference
       and not exists (select 1 from ref_agencies r
                        where r.code = a.code
                          and coalesce(r.valid_from, '0001-01-01'::date) = coalesce(a.valid_from, '0001-01-01'::date))`.execute(
    db,
  );
}

/**
 * The successions between versions the reference data lists become exactly the listed ones (a
 * succession an operator added between other versions stays). Both ends are found by their keys among
 * the rows loaded from the reference data; a key that names no such row is an error in the builders.
 */
async function mergeSuccessions(
  db: Db,
  table: 'admin_unit_successions' | 'agency_successions',
  versions: 'admin_units' | 'agencies',
  successions: SuccessionRecord[],
): Promise<void> {
  const stageName = `ref_${table}`;
  await stage(
    db,
    stageName,
    SUCCESSION_COLUMNS,
    successions.map((s) => {
      const [fromCode, fromValidFrom] = splitKey(s.from);
      const [toCode, toValidFrom] = splitKey(s.to);
      return {
        from_code: fromCode,
        from_valid_from: fromValidFrom,
        to_code: toCode,
        to_valid_from: toValidFrom,
        effective_date: s.effectiveDate,
        kind: s.kind,
      };
    }),
  );
  const t = sql.raw(`agencies.${table}`);
  const v = sql.raw(`agencies.${versions}`);
  const st = sql.raw(stageName);
  // A unit is found by code and first day alone: the levels' codes differ in length.
  const resolved: RawBuilder<unknown> = sql`
    select p.id as predecessor_id, n.id as successor_id, s.effective_date, s.kind, s.from_code, s.to_code
      from ${st} s
      left join ${v} p on p.from_reference and ${sameVersion('p', 'from')}
      left join ${v} n on n.from_reference and ${sameVersion('n', 'to')}`;
  const missing = await sql<{ from_code: string; to_code: string }>`
    select from_code, to_code from (${resolved}) r where predecessor_id is null or successor_id is null limit 1`.execute(
    db,
  );
  const m = missing.rows[0];
  if (m) throw new Error(`reference data: succession ${m.from_code} → ${m.to_code} names an unknown version`);
  await sql`
    delete from ${t} x
     using ${v} p, ${v} n
     where p.id = x.predecessor_id and n.id = x.successor_id and p.from_reference and n.from_reference
       and not exists (select 1 from ${st} s where ${sameVersion('p', 'from')} and ${sameVersion('n', 'to')})`.execute(
    db,
  );
  await sql`
    insert into ${t} as x (predecessor_id, successor_id, effective_date, kind)
    select predecessor_id, successor_id, effective_date, kind from (${resolved}) r
    on conflict (predecessor_id, successor_id) do update
      set effective_date = excluded.effective_date, kind = excluded.kind
      where (x.effective_date, x.kind) is distinct from (excluded.effective_date, excluded.kind)`.execute(db);
}

/**
 * Identifiers: the shipped list, the generated ones and the operator's file together replace what is
 * stored; the operator's entry wins where it names the same code and first day as a shipped one.
 */
async function loadIdentifiers(db: Db, data: LoadInput): Promise<void> {
  const operatorKeys = new Set(data.operator.map((i) => `${i.identifier}@${i.validFrom ?? ''}`));
  const rows = [
    ...[...data.identifiers, ...data.generatedIdentifiers]
      .filter((i) => !operatorKeys.has(`${i.identifier}@${i.validFrom ?? ''}`))
      .map((i) => ({ ...i, origin: 'reference' })),
    ...data.operator.map((i) => ({ ...i, origin: 'operator' })),
  ];
  await stage(
    db,
    'ref_identifiers',
    IDENTIFIER_COLUMNS,
    rows.map((i) => ({
      identifier: i.identifier,
      agency_code: i.agencyCode,
      valid_from: i.validFrom,
      valid_to: i.validTo,
      verified: i.verified,
      source: i.source,
      origin: i.origin,
    })),
  );
  await sql`
    delete from agencies.agency_identifiers i
     where not exists (select 1 from ref_identifiers r
                        where r.identifier = i.identifier
                          and coalesce(r.valid_from, '0001-01-01'::date) = coalesce(i.valid_from, '0001-01-01'::date))`.execute(
    db,
  );
  await sql`
    insert into agencies.agency_identifiers as i
      (identifier, agency_code, valid_from, valid_to, verified, source, origin)
    select identifier, agency_code, valid_from, valid_to, verified, source, origin from ref_identifiers
    on conflict (identifier, coalesce(valid_from, '0001-01-01'::date)) do update
      set agency_code = excluded.agency_code, valid_to = excluded.valid_to, verified = excluded.verified,
          source = excluded.source, origin = excluded.origin
      where (i.agency_code, i.valid_to, i.verified, i.source, i.origin)
            is distinct from
            (excluded.agency_code, excluded.valid_to, excluded.verified, excluded.source, excluded.origin)`.execute(
    db,
  );
}
