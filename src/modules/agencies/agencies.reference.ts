/**
 * Reference data of the agencies module, built from the CSV files in db/reference (copied from the
 * project's reference material):
 *  - provinces-2020.csv: the 63 provinces and centrally-run cities (valid until 30 June 2025);
 *  - provinces-2025.csv: the 34 provincial units from 1 July 2025 (Resolution 202/2025/QH15, codes by
 *    Decision 19/2025/QĐ-TTg) and the 2020 units each was formed from;
 *  - ministries.csv: the Government, ministries and ministerial-level agencies before and after the
 *    restructuring of 1 March 2025 (Resolution 176/2025/QH15);
 *  - agency-identifiers.csv: electronic identifier codes (Decision 20/2020/QĐ-TTg, amended by
 *    Decision 09/2025/QĐ-TTg), each marked verified or not, plus the operator's own file if configured.
 * Each province version also yields its People's Committee and its one-stop service centre.
 * The builders are pure; `agenciesReferenceData` turns them into an idempotent load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql, type Transaction } from 'kysely';
import { parseCsv } from '../../platform/csv/index.ts';
import type { ReferenceDataSet } from '../../platform/db/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';
import type { AgenciesTables } from './agencies.tables.ts';

export const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../../db/reference');
/** Bump when the builders below change what they make from the same files: the data is reloaded. */
export const BUILDER_VERSION = '2026-11-29.3';

/** 1 July 2025: the two-level local government and the 34 provincial units. */
export const MERGER_DATE = '2025-07-01';
const LAST_DAY_BEFORE_MERGER = '2025-06-30';
const MERGER_BASIS = 'Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh';
/** Thừa Thiên Huế became the centrally-run city of Huế on 1 January 2025. */
const HUE_DATE = '2025-01-01';
const HUE_BASIS = 'Nghị quyết 1314/NQ-UBTVQH15 về việc thành lập thành phố Huế trực thuộc trung ương';

export interface UnitRecord {
  key: string;
  code: string;
  level: 'province';
  name: string;
  nameEn: string;
  kind: 'city' | 'province';
  region: string | null;
  validFrom: string | null;
  validTo: string | null;
  legalBasis: string | null;
  note: string | null;
}

export interface SuccessionRecord {
  from: string;
  to: string;
  effectiveDate: string;
  kind: string;
}

export interface AgencyRecord {
  key: string;
  code: string;
  shortName: string | null;
  name: string;
  nameEn: string | null;
  kind: string;
  level: 'central' | 'province';
  parentCode: string | null;
  adminUnitCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  note: string | null;
}

export interface IdentifierRecord {
  identifier: string;
  agencyCode: string;
  validFrom: string | null;
  validTo: string | null;
  verified: boolean;
  source: string | null;
}

const orNull = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
const key = (code: string, validFrom: string | null) => `${code}@${validFrom ?? ''}`;

/** "Hà Nội" → "Ha Noi": the customary English spelling of Vietnamese place names. */
export function englishPlaceName(name: string, kind: 'city' | 'province'): string {
  const plain = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
  if (plain === 'Ho Chi Minh') return 'Ho Chi Minh City';
  return kind === 'city' ? `${plain} City` : `${plain} Province`;
}

export function buildProvinces(
  csv2020: string,
  csv2025: string,
): { units: UnitRecord[]; successions: SuccessionRecord[] } {
  const old = parseCsv(csv2020);
  const now = parseCsv(csv2025);
  const units: UnitRecord[] = [];
  const successions: SuccessionRecord[] = [];
  const oldByCode = new Map(old.map((r) => [r.code!, r]));
  const changed = new Map<string, Record<string, string>>();
  const ending = new Map<string, string>();
  for (const r of now) {
    const from = (r.formed_from_2020_codes ?? '').split(/\s+/).filter(Boolean);
    if (from.length === 0) throw new Error(`provinces-2025.csv: ${r.code} lists no 2020 units`);
    for (const c of from) {
      if (!oldByCode.has(c))
        throw new Error(`provinces-2025.csv: ${r.code} is formed from unknown 2020 unit ${c}`);
    }
    const merged = from.length > 1;
    if (merged) {
      changed.set(r.code!, r);
      for (const c of from) ending.set(c, LAST_DAY_BEFORE_MERGER);
    }
  }
  for (const r of old) {
    const code = r.code!;
    const kind = r.kind === 'city' ? 'city' : 'province';
    const hue = code === '46';
    units.push({
      key: key(code, null),
      code,
      level: 'province',
      name: r.name!,
      nameEn: englishPlaceName(r.name!, kind),
      kind,
      region: orNull(r.region),
      validFrom: null,
      validTo: hue ? '2024-12-31' : (ending.get(code) ?? null),
      legalBasis: null,
      note: null,
    });
  }
  // Huế: same territory and code, new name and status from 1 January 2025.
  const hue = now.find((r) => r.code === '46');
  if (hue) {
    units.push({
      key: key('46', HUE_DATE),
      code: '46',
      level: 'province',
      name: hue.name!,
      nameEn: 'Hue City',
      kind: 'city',
      region: orNull(oldByCode.get('46')?.region),
      validFrom: HUE_DATE,
      validTo: null,
      legalBasis: HUE_BASIS,
      note: null,
    });
    successions.push({
      from: key('46', null),
      to: key('46', HUE_DATE),
      effectiveDate: HUE_DATE,
      kind: 'reclassify',
    });
  }
  for (const [code, r] of changed) {
    const kind = r.kind === 'city' ? 'city' : 'province';
    const to = key(code, MERGER_DATE);
    units.push({
      key: to,
      code,
      level: 'province',
      name: r.name!,
      nameEn: englishPlaceName(r.name!, kind),
      kind,
      region: orNull(oldByCode.get(code)?.region),
      validFrom: MERGER_DATE,
      validTo: null,
      legalBasis: MERGER_BASIS,
      note: null,
    });
    for (const c of (r.formed_from_2020_codes ?? '').split(/\s+/).filter(Boolean)) {
      successions.push({ from: key(c, null), to, effectiveDate: MERGER_DATE, kind: 'merge' });
    }
  }
  return { units, successions };
}

/** People's Committee and one-stop service centre of every province version, mirroring its history. */
export function buildProvincialAgencies(
  units: UnitRecord[],
  unitSuccessions: SuccessionRecord[],
): { agencies: AgencyRecord[]; successions: SuccessionRecord[] } {
  const agencies: AgencyRecord[] = [];
  const successions: SuccessionRecord[] = [];
  for (const u of units) {
    const prefix = u.kind === 'city' ? 'thành phố' : 'tỉnh';
    const prefixEn = u.nameEn;
    agencies.push({
      key: key(`UBND-${u.code}`, u.validFrom),
      code: `UBND-${u.code}`,
      shortName: `UBND ${prefix} ${u.name}`,
      name: `Ủy ban nhân dân ${prefix} ${u.name}`,
      nameEn: `People's Committee of ${prefixEn}`,
      kind: 'people-committee',
      level: 'province',
      parentCode: 'CP',
      adminUnitCode: u.code,
      validFrom: u.validFrom,
      validTo: u.validTo,
      note: null,
    });
    agencies.push({
      key: key(`TTPVHCC-${u.code}`, u.validFrom),
      code: `TTPVHCC-${u.code}`,
      shortName: null,
      name: `Trung tâm Phục vụ hành chính công ${prefix} ${u.name}`,
      nameEn: `Public Administrative Service Centre of ${prefixEn}`,
      kind: 'one-stop-centre',
      level: 'province',
      parentCode: `UBND-${u.code}`,
      adminUnitCode: u.code,
      validFrom: u.validFrom,
      validTo: u.validTo,
      note: 'Bộ phận Một cửa cấp tỉnh (Nghị định 61/2018/NĐ-CP; Nghị định 118/2025/NĐ-CP)',
    });
  }
  for (const s of unitSuccessions) {
    const [fromCode, fromDate] = s.from.split('@') as [string, string];
    const [toCode, toDate] = s.to.split('@') as [string, string];
    const kind = s.kind === 'merge' ? 'merge' : 'rename';
    for (const p of ['UBND', 'TTPVHCC']) {
      successions.push({
        from: `${p}-${fromCode}@${fromDate}`,
        to: `${p}-${toCode}@${toDate}`,
        effectiveDate: s.effectiveDate,
        kind,
      });
    }
  }
  return { agencies, successions };
}

/**
 * The specialised departments (sở) of every province version: the common set of Decree 24/2014/NĐ-CP
 * (as amended by 107/2020/NĐ-CP) until 28 February 2025 and of Decree 45/2025/NĐ-CP from 1 March 2025
 * (`db/reference/provincial-departments.csv`). Provinces that organised departments differently (a
 * separate tourism department, an ethnic-affairs department, a foreign-affairs department) are not
 * modelled yet. A department's version is the overlap of its own validity and its province's; the
 * 2025 department mergers and the provincial mergers of 1 July 2025 are recorded as successions.
 */
export function buildProvincialDepartments(
  csv: string,
  units: UnitRecord[],
  unitSuccessions: SuccessionRecord[],
): { agencies: AgencyRecord[]; successions: SuccessionRecord[] } {
  const rows = parseCsv(csv);
  const agencies: AgencyRecord[] = [];
  const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
  const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  for (const u of units) {
    const place = `${u.kind === 'city' ? 'thành phố' : 'tỉnh'} ${u.name}`;
    for (const d of rows) {
      const validFrom = later(u.validFrom, orNull(d.valid_from));
      const validTo = earlier(u.validTo, orNull(d.valid_to));
      if (validFrom !== null && validTo !== null && validFrom > validTo) continue;
      const code = `${d.prefix}-${u.code}`;
      agencies.push({
        key: key(code, validFrom),
        code,
        shortName: null,
        name: d.prefix === 'VPUBND' ? `Văn phòng Ủy ban nhân dân ${place}` : `${d.name} ${place}`,
        nameEn: `${d.name_en}, ${u.nameEn}`,
        kind: 'department',
        level: 'province',
        parentCode: `UBND-${u.code}`,
        adminUnitCode: u.code,
        validFrom,
        validTo,
        note: orNull(d.note),
      });
    }
  }
  const versionOn = (code: string, day: string) =>
    agencies.find((a) => a.code === code && (a.validFrom ?? '0000') <= day && (a.validTo ?? '9999') >= day);
  const successions: SuccessionRecord[] = [];
  // Department mergers inside each province (1 March 2025).
  for (const d of rows.filter((r) => orNull(r.became))) {
    const lastDay = d.valid_to!;
    const firstDay = nextDay(lastDay);
    for (const unitCode of new Set(units.map((u) => u.code))) {
      const from = versionOn(`${d.prefix}-${unitCode}`, lastDay);
      if (!from || from.validTo !== lastDay) continue;
      for (const b of d.became!.split(/\s+/)) {
        const to = versionOn(`${b}-${unitCode}`, firstDay);
        if (to)
          successions.push({ from: from.key, to: to.key, effectiveDate: firstDay, kind: d.succession! });
      }
    }
  }
  // Provincial mergers and renamings: each department follows its province.
  for (const s of unitSuccessions) {
    const fromCode = s.from.split('@')[0]!;
    const toCode = s.to.split('@')[0]!;
    for (const d of rows) {
      const from = versionOn(`${d.prefix}-${fromCode}`, previousDay(s.effectiveDate));
      const to = versionOn(`${d.prefix}-${toCode}`, s.effectiveDate);
      if (!from || !to || from.validTo !== previousDay(s.effectiveDate)) continue;
      successions.push({
        from: from.key,
        to: to.key,
        effectiveDate: s.effectiveDate,
        kind: s.kind === 'merge' ? 'merge' : 'rename',
      });
    }
  }
  return { agencies, successions };
}

export function buildMinistries(csv: string): { agencies: AgencyRecord[]; successions: SuccessionRecord[] } {
  const rows = parseCsv(csv);
  const agencies: AgencyRecord[] = rows.map((r) => ({
    key: key(r.code!, orNull(r.valid_from)),
    code: r.code!,
    shortName: orNull(r.short),
    name: r.name!,
    nameEn: orNull(r.name_en),
    kind: r.kind!,
    level: 'central',
    parentCode: orNull(r.parent),
    adminUnitCode: null,
    validFrom: orNull(r.valid_from),
    validTo: orNull(r.valid_to),
    note: orNull(r.note),
  }));
  const successions: SuccessionRecord[] = [];
  for (const a of agencies) {
    const row = rows.find((r) => key(r.code!, orNull(r.valid_from)) === a.key);
    const became = orNull(row?.became);
    if (!became || !a.validTo) continue;
    const day = nextDay(a.validTo);
    const successor = agencies.find(
      (b) => b.code === became && (b.validFrom ?? '0000') <= day && (b.validTo ?? '9999') >= day,
    );
    if (!successor)
      throw new Error(`ministries.csv: ${a.code} became ${became}, which is not valid on ${day}`);
    successions.push({
      from: a.key,
      to: successor.key,
      effectiveDate: day,
      kind: successor.code === a.code ? 'reorganise' : 'merge',
    });
  }
  return { agencies, successions };
}

export function buildIdentifiers(csv: string): IdentifierRecord[] {
  return parseCsv(csv).map((r) => ({
    identifier: r.identifier!.trim(),
    agencyCode: r.agency_code!.trim(),
    validFrom: orNull(r.valid_from),
    validTo: orNull(r.valid_to),
    verified: r.verified === 'true',
    source: orNull(r.source),
  }));
}

function nextDay(isoDate: string, days = 1): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const previousDay = (isoDate: string) => nextDay(isoDate, -1);

/** Every version of a code must cover disjoint date ranges. */
export function assertNoOverlap<T extends { code: string; validFrom: string | null; validTo: string | null }>(
  what: string,
  records: T[],
): void {
  const byCode = new Map<string, T[]>();
  for (const r of records) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
  for (const [code, versions] of byCode) {
    const sorted = [...versions].sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (prev.validTo === null || (cur.validFrom !== null && prev.validTo >= cur.validFrom)) {
        throw new Error(
          `${what} ${code}: versions from ${prev.validFrom ?? '…'} and ${cur.validFrom} overlap`,
        );
      }
    }
  }
}

export interface Sources {
  provinces2020: string;
  provinces2025: string;
  ministries: string;
  departments: string;
  identifiers: string;
  operatorIdentifiers?: string | undefined;
}

export function readReferenceSources(operatorIdentifiersFile?: string): Sources {
  const read = (f: string) => fs.readFileSync(path.join(REFERENCE_DIR, f), 'utf8');
  return {
    provinces2020: read('provinces-2020.csv'),
    provinces2025: read('provinces-2025.csv'),
    ministries: read('ministries.csv'),
    departments: read('provincial-departments.csv'),
    identifiers: read('agency-identifiers.csv'),
    operatorIdentifiers: operatorIdentifiersFile
      ? fs.readFileSync(operatorIdentifiersFile, 'utf8')
      : undefined,
  };
}

export function buildAll(sources: Sources) {
  const provinces = buildProvinces(sources.provinces2020, sources.provinces2025);
  const provincial = buildProvincialAgencies(provinces.units, provinces.successions);
  const central = buildMinistries(sources.ministries);
  const departments = buildProvincialDepartments(sources.departments, provinces.units, provinces.successions);
  const agencies = [...central.agencies, ...provincial.agencies, ...departments.agencies];
  assertNoOverlap('admin unit', provinces.units);
  assertNoOverlap('agency', agencies);
  const identifiers = buildIdentifiers(sources.identifiers);
  const operator = sources.operatorIdentifiers ? buildIdentifiers(sources.operatorIdentifiers) : [];
  const known = new Set(agencies.map((a) => a.code));
  for (const i of [...identifiers, ...operator]) {
    if (!known.has(i.agencyCode))
      throw new Error(`identifier ${i.identifier} names unknown agency ${i.agencyCode}`);
  }
  return {
    units: provinces.units,
    unitSuccessions: provinces.successions,
    agencies,
    agencySuccessions: [...central.successions, ...provincial.successions, ...departments.successions],
    identifiers,
    operator,
  };
}

/** The idempotent load of everything above (upserts keep row ids stable across reloads). */
export function agenciesReferenceData(
  operatorIdentifiersFile?: string,
  sources: Sources = readReferenceSources(operatorIdentifiersFile),
): ReferenceDataSet {
  return {
    name: 'agencies.reference',
    sources: [
      BUILDER_VERSION,
      sources.provinces2020,
      sources.provinces2025,
      sources.ministries,
      sources.departments,
      sources.identifiers,
      sources.operatorIdentifiers ?? '',
    ],
    async load(anyTrx) {
      const trx = anyTrx as unknown as Transaction<AgenciesTables>;
      await loadAll(trx, buildAll(sources));
    },
  };
}

async function loadAll(trx: Kysely<AgenciesTables>, data: ReturnType<typeof buildAll>): Promise<void> {
  const unitIds = new Map<string, number>();
  for (const u of data.units) {
    const r = await sql<{ id: number }>`
      insert into agencies.admin_units
        (code, level, name, name_en, name_folded, kind, region, parent_code, valid_from, valid_to, legal_basis, note, from_reference)
      values (${u.code}, ${u.level}, ${u.name}, ${u.nameEn}, ${foldVietnamese(u.name)}, ${u.kind}, ${u.region}, null,
              ${u.validFrom}::date, ${u.validTo}::date, ${u.legalBasis}, ${u.note}, true)
      on conflict (level, code, coalesce(valid_from, '0001-01-01'::date)) do update
        set name = excluded.name, name_en = excluded.name_en, name_folded = excluded.name_folded,
            kind = excluded.kind, region = excluded.region, valid_to = excluded.valid_to,
            legal_basis = excluded.legal_basis, note = excluded.note, from_reference = true
      returning id`.execute(trx);
    unitIds.set(u.key, r.rows[0]!.id);
  }
  const agencyIds = new Map<string, number>();
  for (const a of data.agencies) {
    const r = await sql<{ id: number }>`
      insert into agencies.agencies
        (code, short_name, name, name_en, name_folded, kind, level, parent_code, admin_unit_code, valid_from, valid_to, note, from_reference)
      values (${a.code}, ${a.shortName}, ${a.name}, ${a.nameEn}, ${foldVietnamese(`${a.name} ${a.shortName ?? ''}`)},
              ${a.kind}, ${a.level}, ${a.parentCode}, ${a.adminUnitCode}, ${a.validFrom}::date, ${a.validTo}::date, ${a.note}, true)
      on conflict (code, coalesce(valid_from, '0001-01-01'::date)) do update
        set short_name = excluded.short_name, name = excluded.name, name_en = excluded.name_en,
            name_folded = excluded.name_folded, kind = excluded.kind, level = excluded.level,
            parent_code = excluded.parent_code, admin_unit_code = excluded.admin_unit_code,
            valid_to = excluded.valid_to, note = excluded.note, from_reference = true
      returning id`.execute(trx);
    agencyIds.set(a.key, r.rows[0]!.id);
  }
  const ids = (map: Map<string, number>, k: string) => {
    const id = map.get(k);
    if (id === undefined) throw new Error(`reference data: unknown version ${k}`);
    return id;
  };
  const loadedUnits = [...unitIds.values()];
  const loadedAgencies = [...agencyIds.values()];
  // Versions the reference data no longer lists are removed (their successions go with them).
  await sql`delete from agencies.admin_units where from_reference and not (id = any(${loadedUnits}::bigint[]))`.execute(
    trx,
  );
  await sql`delete from agencies.agencies where from_reference and not (id = any(${loadedAgencies}::bigint[]))`.execute(
    trx,
  );
  await sql`delete from agencies.admin_unit_successions
             where predecessor_id = any(${loadedUnits}::bigint[]) and successor_id = any(${loadedUnits}::bigint[])`.execute(
    trx,
  );
  for (const s of data.unitSuccessions) {
    await sql`insert into agencies.admin_unit_successions (predecessor_id, successor_id, effective_date, kind)
              values (${ids(unitIds, s.from)}, ${ids(unitIds, s.to)}, ${s.effectiveDate}::date, ${s.kind})`.execute(
      trx,
    );
  }
  await sql`delete from agencies.agency_successions
             where predecessor_id = any(${loadedAgencies}::bigint[]) and successor_id = any(${loadedAgencies}::bigint[])`.execute(
    trx,
  );
  for (const s of data.agencySuccessions) {
    await sql`insert into agencies.agency_successions (predecessor_id, successor_id, effective_date, kind)
              values (${ids(agencyIds, s.from)}, ${ids(agencyIds, s.to)}, ${s.effectiveDate}::date, ${s.kind})`.execute(
      trx,
    );
  }
  // Identifiers: the shipped list and the operator's file are replaced as a whole; the operator's
  // entry wins where both name the same identifier and start date.
  await sql`delete from agencies.agency_identifiers`.execute(trx);
  const operatorKeys = new Set(data.operator.map((i) => `${i.identifier}@${i.validFrom ?? ''}`));
  const rows = [
    ...data.identifiers
      .filter((i) => !operatorKeys.has(`${i.identifier}@${i.validFrom ?? ''}`))
      .map((i) => ({ ...i, origin: 'reference' })),
    ...data.operator.map((i) => ({ ...i, origin: 'operator' })),
  ];
  for (const i of rows) {
    await sql`insert into agencies.agency_identifiers (identifier, agency_code, valid_from, valid_to, verified, source, origin)
              values (${i.identifier}, ${i.agencyCode}, ${i.validFrom}::date, ${i.validTo}::date, ${i.verified},
                      ${i.source}, ${i.origin})`.execute(trx);
  }
}
