/**
 * Reference data of the agencies module, built from the CSV files in db/reference (sources and licences
 * in db/reference/README.md):
 *  - provinces-2020.csv: the 63 provinces and centrally-run cities (valid until 30 June 2025);
 *  - provinces-2025.csv: the 34 provincial units from 1 July 2025 (Resolution 202/2025/QH15, codes by
 *    Decision 19/2025/QĐ-TTg) and the 2020 units each was formed from;
 *  - districts-2025-03.csv, communes-2025-03.csv, communes-2025.csv: districts and communes before and
 *    after 1 July 2025 (`agencies.reference-communes.ts`);
 *  - ministries.csv: the Government, ministries and ministerial-level agencies before and after the
 *    restructuring of 1 March 2025 (Resolution 176/2025/QH15);
 *  - provincial-departments.csv: the common set of provincial departments (sở);
 *  - agency-identifiers.csv: electronic identifier codes (Decision 20/2020/QĐ-TTg, amended by
 *    Decision 09/2025/QĐ-TTg), each marked verified or not, plus the operator's own file if configured;
 *    the communes' People's Committees get generated ones (`agencies.commune-identifiers.ts`).
 * Each province version also yields its People's Committee and its one-stop service centre, each 2025
 * commune its People's Committee. The builders are pure; `agenciesReferenceData` turns them into an
 * idempotent, set-based load (`agencies.reference-load.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import { parseCsv } from '../../platform/csv/index.ts';
import type { ReferenceDataSet } from '../../platform/db/index.ts';
import { buildCommuneIdentifiers } from './agencies.commune-identifiers.ts';
import {
  buildCommuneCommittees,
  buildCommunes,
  buildCommunesBefore,
  buildDistricts,
} from './agencies.reference-communes.ts';
import { loadReference } from './agencies.reference-load.ts';
import {
  type AgencyRecord,
  type IdentifierRecord,
  versionKey as key,
  LAST_DAY_BEFORE_MERGER,
  MERGER_DATE,
  nextDay,
  orNull,
  previousDay,
  type SuccessionRecord,
  type UnitRecord,
  unaccented,
} from './agencies.reference-records.ts';
import type { AgenciesTables } from './agencies.tables.ts';

export type {
  AgencyRecord,
  IdentifierRecord,
  SuccessionRecord,
  UnitRecord,
} from './agencies.reference-records.ts';
export { MERGER_DATE } from './agencies.reference-records.ts';

export const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../../db/reference');
/** Bump when the builders below change what they make from the same files: the data is reloaded. */
export const BUILDER_VERSION = '2026-12-06.1';

const MERGER_BASIS = 'Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh';
/** Thừa Thiên Huế became the centrally-run city of Huế on 1 January 2025. */
const HUE_DATE = '2025-01-01';
const HUE_BASIS = 'Nghị quyết 1314/NQ-UBTVQH15 về việc thành lập thành phố Huế trực thuộc trung ương';

/** "Hà Nội" → "Ha Noi": the customary English spelling of Vietnamese place names. */
export function englishPlaceName(name: string, kind: 'city' | 'province'): string {
  const plain = unaccented(name);
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
      parentCode: null,
      provinceCode: code,
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
      parentCode: null,
      provinceCode: '46',
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
      parentCode: null,
      provinceCode: code,
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
  districts: string;
  communesBefore: string;
  communes: string;
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
    districts: read('districts-2025-03.csv'),
    communesBefore: read('communes-2025-03.csv'),
    communes: read('communes-2025.csv'),
    ministries: read('ministries.csv'),
    departments: read('provincial-departments.csv'),
    identifiers: read('agency-identifiers.csv'),
    operatorIdentifiers: operatorIdentifiersFile
      ? fs.readFileSync(operatorIdentifiersFile, 'utf8')
      : undefined,
  };
}

export type ReferenceData = ReturnType<typeof buildAll>;

export function buildAll(sources: Sources) {
  const provinces = buildProvinces(sources.provinces2020, sources.provinces2025);
  const districts = buildDistricts(sources.districts, provinces.units);
  const communesBefore = buildCommunesBefore(sources.communesBefore, districts);
  const communes = buildCommunes(sources.communes, provinces.units);
  const units = [...provinces.units, ...districts, ...communesBefore, ...communes];
  const provincial = buildProvincialAgencies(provinces.units, provinces.successions);
  const central = buildMinistries(sources.ministries);
  const departments = buildProvincialDepartments(sources.departments, provinces.units, provinces.successions);
  const committees = buildCommuneCommittees(communes, provincial.agencies);
  const agencies = [...central.agencies, ...provincial.agencies, ...departments.agencies, ...committees];
  assertNoOverlap('admin unit', units);
  assertNoOverlap('agency', agencies);
  const identifiers = buildIdentifiers(sources.identifiers);
  const operator = sources.operatorIdentifiers ? buildIdentifiers(sources.operatorIdentifiers) : [];
  const known = new Set(agencies.map((a) => a.code));
  for (const i of [...identifiers, ...operator]) {
    if (!known.has(i.agencyCode))
      throw new Error(`identifier ${i.identifier} names unknown agency ${i.agencyCode}`);
  }
  return {
    units,
    unitSuccessions: provinces.successions,
    agencies,
    agencySuccessions: [...central.successions, ...provincial.successions, ...departments.successions],
    identifiers,
    /** Generated for the communes' People's Committees (never for one the operator's file names). */
    generatedIdentifiers: buildCommuneIdentifiers(committees, identifiers, operator),
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
      sources.districts,
      sources.communesBefore,
      sources.communes,
      sources.ministries,
      sources.departments,
      sources.identifiers,
      sources.operatorIdentifiers ?? '',
    ],
    async load(anyTrx) {
      const trx = anyTrx as unknown as Transaction<AgenciesTables>;
      await loadReference(trx, buildAll(sources));
    },
  };
}
