/**
 * Districts and communes from db/reference (General Statistics Office codes and names, as compiled in
 * thanglequoc/vietnamese-provinces-database, MIT licence, © 2021 Thang Le Quoc):
 *  - districts-2025-03.csv: the 696 districts of the 63 provinces as they stood on 1 March 2025,
 *    valid until 30 June 2025 (from an unrecorded date: valid_from null);
 *  - communes-2025-03.csv: the 10,035 communes of that date, each under its district, same validity;
 *  - communes-2025.csv: the 3,321 communes from 1 July 2025, directly under one of the 34 provinces.
 * No succession map between the two commune lists exists in the data, so none is made up here.
 * Each 2025 commune also gets its People's Committee as an agency. The builders are pure and check
 * the data as they go: a bad row stops the load with a message naming the file, line and row.
 */
import { parseCsv } from '../../platform/csv/index.ts';
import {
  type AgencyRecord,
  LAST_DAY_BEFORE_MERGER,
  MERGER_DATE,
  type UnitRecord,
  unaccented,
  validOn,
  versionKey,
} from './agencies.reference-records.ts';

/** The date the lists before the reorganisation describe. */
export const SNAPSHOT_DATE = '2025-03-01';

/** The sizes of the shipped lists: a file that does not match was cut or mixed up. */
export const EXPECTED_COUNTS = { districts: 696, communesBefore: 10_035, communes: 3_321 } as const;

const SOURCE = 'Tổng cục Thống kê, qua bộ dữ liệu thanglequoc/vietnamese-provinces-database, giấy phép MIT';
const DISTRICT_NOTE = `Danh sách đơn vị hành chính cấp huyện tại ngày 01/03/2025 (${SOURCE}); các thay đổi trước đó không được ghi nhận.`;
const DISTRICT_BASIS =
  'Hiến pháp và Luật Tổ chức chính quyền địa phương sửa đổi năm 2025: chính quyền địa phương hai cấp, không còn cấp huyện từ 01/07/2025';
const COMMUNE_BEFORE_NOTE = `Danh sách đơn vị hành chính cấp xã tại ngày 01/03/2025 (${SOURCE}); các thay đổi trước đó không được ghi nhận; đơn vị kế tiếp từ 01/07/2025 chưa được ghi nhận.`;
const COMMUNE_BEFORE_BASIS =
  'Các nghị quyết năm 2025 của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã (phiên bản này kết thúc ngày 30/06/2025)';
const COMMUNE_NOTE = `Danh sách đơn vị hành chính cấp xã từ 01/07/2025 (${SOURCE}), gồm các lần đổi tên đến giữa năm 2026.`;
const COMMUNE_BASIS =
  'Các nghị quyết năm 2025 của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã của từng tỉnh, thành phố (hiệu lực từ 01/07/2025)';
const COMMITTEE_NOTE = `Cơ quan do Cổng lập theo danh sách đơn vị hành chính cấp xã từ 01/07/2025 (${SOURCE}); trực thuộc Ủy ban nhân dân cấp tỉnh (chính quyền địa phương hai cấp).`;

interface Prefix {
  word: string;
  kind: string;
  en: string;
}

/** Longest first where one prefix could start another. */
const DISTRICT_PREFIXES: Prefix[] = [
  { word: 'Thành phố', kind: 'city', en: 'City' },
  { word: 'Thị xã', kind: 'town', en: 'Town' },
  { word: 'Quận', kind: 'urban-district', en: 'District' },
  { word: 'Huyện', kind: 'district', en: 'District' },
];
const COMMUNE_PREFIXES: Prefix[] = [
  { word: 'Thị trấn', kind: 'township', en: 'Township' },
  { word: 'Đặc khu', kind: 'special-zone', en: 'Special Zone' },
  { word: 'Phường', kind: 'ward', en: 'Ward' },
  { word: 'Xã', kind: 'commune', en: 'Commune' },
];

export interface UnitName {
  kind: string;
  /** The prefix as written: Phường, Xã, Thị trấn… */
  word: string;
  /** The name after the prefix: Ba Đình, 1. */
  bare: string;
  /** Customary English form: Ba Dinh Ward, District 1. */
  nameEn: string;
}

/** The kind and the English name of a district or commune, from the prefix of its full name. */
export function parseUnitName(name: string, level: 'district' | 'commune'): UnitName | undefined {
  for (const p of level === 'district' ? DISTRICT_PREFIXES : COMMUNE_PREFIXES) {
    if (!name.startsWith(`${p.word} `)) continue;
    const bare = name.slice(p.word.length + 1).trim();
    if (bare === '') return undefined;
    const nameEn = /^\d+$/.test(bare) ? `${p.en} ${bare}` : `${unaccented(bare)} ${p.en}`;
    return { kind: p.kind, word: p.word, bare, nameEn };
  }
  return undefined;
}

function checkCount(file: string, rows: unknown[], expected: number, what: string) {
  if (rows.length !== expected)
    throw new Error(
      `${file}: ${rows.length} ${what}, expected ${expected} (if the list changed on purpose, update EXPECTED_COUNTS)`,
    );
}

type Row = Record<string, string>;

/** Each row with a label naming it for error messages, its code checked and unique in the file. */
function* checkedRows(file: string, rows: Row[], codePattern: RegExp) {
  const seen = new Set<string>();
  for (const [i, r] of rows.entries()) {
    const code = (r.code ?? '').trim();
    const name = (r.name ?? '').trim();
    const where = `${file} line ${i + 2} (${code} ${name})`;
    if (!codePattern.test(code)) throw new Error(`${where}: malformed code`);
    if (seen.has(code)) throw new Error(`${where}: code ${code} is listed twice`);
    seen.add(code);
    if (name === '' || name.length > 200) throw new Error(`${where}: missing or over-long name`);
    yield { r, code, name, where };
  }
}

function named(name: string, level: 'district' | 'commune', where: string): UnitName {
  const parsed = parseUnitName(name, level);
  if (!parsed) throw new Error(`${where}: the name does not start with a known ${level} kind`);
  return parsed;
}

const provinceOn = (provinces: UnitRecord[], code: string, date: string) =>
  provinces.find((p) => p.level === 'province' && p.code === code && validOn(p, date));

/** The 696 districts as they stood on 1 March 2025, each in a province valid then and until 30 June. */
export function buildDistricts(
  csv: string,
  provinces: UnitRecord[],
  expected: number = EXPECTED_COUNTS.districts,
): UnitRecord[] {
  const file = 'districts-2025-03.csv';
  const rows = parseCsv(csv);
  checkCount(file, rows, expected, 'districts');
  const out: UnitRecord[] = [];
  for (const { r, code, name, where } of checkedRows(file, rows, /^\d{3}$/)) {
    const province = (r.province_code ?? '').trim();
    for (const day of [SNAPSHOT_DATE, LAST_DAY_BEFORE_MERGER]) {
      if (!provinceOn(provinces, province, day))
        throw new Error(`${where}: province ${province} does not exist on ${day}`);
    }
    const n = named(name, 'district', where);
    out.push({
      key: versionKey(code, null),
      code,
      level: 'district',
      name,
      nameEn: n.nameEn,
      kind: n.kind,
      region: null,
      parentCode: province,
      provinceCode: province,
      validFrom: null,
      validTo: LAST_DAY_BEFORE_MERGER,
      legalBasis: DISTRICT_BASIS,
      note: DISTRICT_NOTE,
    });
  }
  return out;
}

/** The 10,035 communes as they stood on 1 March 2025, each under a listed district of its province. */
export function buildCommunesBefore(
  csv: string,
  districts: UnitRecord[],
  expected: number = EXPECTED_COUNTS.communesBefore,
): UnitRecord[] {
  const file = 'communes-2025-03.csv';
  const rows = parseCsv(csv);
  checkCount(file, rows, expected, 'communes');
  const byCode = new Map(districts.map((d) => [d.code, d]));
  const out: UnitRecord[] = [];
  for (const { r, code, name, where } of checkedRows(file, rows, /^\d{5}$/)) {
    const districtCode = (r.district_code ?? '').trim();
    const province = (r.province_code ?? '').trim();
    const district = byCode.get(districtCode);
    if (!district) throw new Error(`${where}: district ${districtCode} is not in districts-2025-03.csv`);
    if (district.provinceCode !== province)
      throw new Error(
        `${where}: province ${province} differs from the province of district ${districtCode} (${district.provinceCode})`,
      );
    const n = named(name, 'commune', where);
    out.push({
      key: versionKey(code, null),
      code,
      level: 'commune',
      name,
      nameEn: n.nameEn,
      kind: n.kind,
      region: null,
      parentCode: districtCode,
      provinceCode: province,
      validFrom: null,
      validTo: LAST_DAY_BEFORE_MERGER,
      legalBasis: COMMUNE_BEFORE_BASIS,
      note: COMMUNE_BEFORE_NOTE,
    });
  }
  return out;
}

/** The 3,321 communes from 1 July 2025, each directly under one of the 34 provinces. */
export function buildCommunes(
  csv: string,
  provinces: UnitRecord[],
  expected: number = EXPECTED_COUNTS.communes,
): UnitRecord[] {
  const file = 'communes-2025.csv';
  const rows = parseCsv(csv);
  checkCount(file, rows, expected, 'communes');
  const out: UnitRecord[] = [];
  for (const { r, code, name, where } of checkedRows(file, rows, /^\d{5}$/)) {
    const province = (r.province_code ?? '').trim();
    const p = provinceOn(provinces, province, MERGER_DATE);
    if (!p || p.validTo !== null)
      throw new Error(`${where}: province ${province} is not one of the provinces from ${MERGER_DATE}`);
    const n = named(name, 'commune', where);
    out.push({
      key: versionKey(code, MERGER_DATE),
      code,
      level: 'commune',
      name,
      nameEn: n.nameEn,
      kind: n.kind,
      region: null,
      parentCode: province,
      provinceCode: province,
      validFrom: MERGER_DATE,
      validTo: null,
      legalBasis: COMMUNE_BASIS,
      note: COMMUNE_NOTE,
    });
  }
  return out;
}

/** "Phường Ba Đình" → "phường Ba Đình": the kind word in lower case, as it reads after "Ủy ban nhân dân". */
const lowerKind = (n: UnitName) => `${n.word.toLocaleLowerCase('vi')} ${n.bare}`;

/**
 * The People's Committee of every commune from 1 July 2025 (`UBND-` and the commune code), directly
 * under its province's People's Committee. Its name carries the province: names of communes repeat
 * across provinces (seven "Xã Tân Tiến"), and lists of dossiers show an agency by its name alone.
 */
export function buildCommuneCommittees(
  communes: UnitRecord[],
  provincialAgencies: AgencyRecord[],
): AgencyRecord[] {
  const out: AgencyRecord[] = [];
  for (const c of communes) {
    if (c.level !== 'commune' || c.validFrom !== MERGER_DATE) continue;
    const parentCode = `UBND-${c.provinceCode}`;
    const parent = provincialAgencies.find((a) => a.code === parentCode && validOn(a, MERGER_DATE));
    if (!parent) throw new Error(`commune ${c.code} ${c.name}: no ${parentCode} on ${MERGER_DATE}`);
    const n = parseUnitName(c.name, 'commune')!;
    // The province's committee is "Ủy ban nhân dân thành phố Hà Nội": its place follows the words.
    const place = parent.name.replace(/^Ủy ban nhân dân /, '');
    const placeEn = (parent.nameEn ?? '').replace(/^People's Committee of /, '');
    out.push({
      key: versionKey(`UBND-${c.code}`, c.validFrom),
      code: `UBND-${c.code}`,
      shortName: `UBND ${lowerKind(n)}`,
      name: `Ủy ban nhân dân ${lowerKind(n)}, ${place}`,
      nameEn: `People's Committee of ${c.nameEn}, ${placeEn}`,
      kind: 'people-committee',
      level: 'commune',
      parentCode,
      adminUnitCode: c.code,
      validFrom: c.validFrom,
      validTo: c.validTo,
      note: COMMITTEE_NOTE,
    });
  }
  return out;
}
