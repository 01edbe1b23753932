/** Vietnamese and English labels of the agencies module's codes. */
import { isoWeekdayName } from '../../../platform/clock/index.ts';
import type { Locale, Text } from '../../../platform/i18n/index.ts';

const AGENCY_KINDS: Record<string, Text> = {
  government: { vi: 'Chính phủ', en: 'Government' },
  ministry: { vi: 'Bộ', en: 'Ministry' },
  'ministerial-level': { vi: 'Cơ quan ngang bộ', en: 'Ministerial-level agency' },
  'government-agency': { vi: 'Cơ quan thuộc Chính phủ', en: 'Government agency' },
  'people-committee': { vi: 'Ủy ban nhân dân', en: "People's Committee" },
  'one-stop-centre': { vi: 'Trung tâm Phục vụ hành chính công', en: 'One-stop service centre' },
  department: { vi: 'Sở, ban, ngành', en: 'Department' },
  other: { vi: 'Cơ quan khác', en: 'Other agency' },
};

/** Kinds of units by level (migration 0047's admin_units_kind_ck lists the same). */
const UNIT_KINDS: Record<string, Text> = {
  // Province level.
  city: { vi: 'Thành phố trực thuộc trung ương', en: 'Centrally-run city' },
  province: { vi: 'Tỉnh', en: 'Province' },
  // District level (until 30 June 2025); a city there is "city" too, labelled below.
  'urban-district': { vi: 'Quận', en: 'Urban district' },
  district: { vi: 'Huyện', en: 'District' },
  town: { vi: 'Thị xã', en: 'Town' },
  // Commune level.
  ward: { vi: 'Phường', en: 'Ward' },
  commune: { vi: 'Xã', en: 'Commune' },
  township: { vi: 'Thị trấn', en: 'Township' },
  'special-zone': { vi: 'Đặc khu', en: 'Special zone' },
};
const DISTRICT_CITY: Text = { vi: 'Thành phố (cấp huyện)', en: 'City (district level)' };

const CHANGES: Record<string, Text> = {
  merge: { vi: 'hợp nhất', en: 'merger' },
  rename: { vi: 'đổi tên', en: 'renaming' },
  split: { vi: 'chia tách', en: 'split' },
  reclassify: { vi: 'chuyển thành thành phố trực thuộc trung ương', en: 'became a centrally-run city' },
  reorganise: { vi: 'tổ chức lại', en: 'reorganisation' },
};

/** The predicate of "From <date>, <this unit> … <successors>." */
const CHANGE_SENTENCES: Record<string, Text> = {
  merge: { vi: 'hợp nhất với các đơn vị khác thành', en: 'it was merged into' },
  rename: { vi: 'đổi tên thành', en: 'it was renamed' },
  split: { vi: 'chia tách thành', en: 'it was split into' },
  reclassify: { vi: 'trở thành thành phố trực thuộc trung ương:', en: 'it became a centrally-run city:' },
  reorganise: { vi: 'tổ chức lại thành', en: 'it was reorganised into' },
};

const LEVELS: Record<string, Text> = {
  central: { vi: 'Trung ương', en: 'Central' },
  province: { vi: 'Cấp tỉnh', en: 'Province' },
  district: { vi: 'Cấp huyện', en: 'District' },
  commune: { vi: 'Cấp xã', en: 'Commune' },
};

const label = (table: Record<string, Text>, key: string, locale: Locale) => table[key]?.[locale] ?? key;
export const agencyKindLabel = (k: string, l: Locale) => label(AGENCY_KINDS, k, l);
/** The kind of a unit; a city at district level (until 30 June 2025) is not a centrally-run one. */
export const unitKindLabel = (k: string, l: Locale, level?: string) =>
  level === 'district' && k === 'city' ? DISTRICT_CITY[l] : label(UNIT_KINDS, k, l);
export const changeLabel = (k: string, l: Locale) => label(CHANGES, k, l);
export const changeSentence = (k: string, l: Locale) => label(CHANGE_SENTENCES, k, l);
export const levelLabel = (k: string, l: Locale) => label(LEVELS, k, l);

export function weekdaysText(days: number[], l: Locale): string {
  const sorted = [...days].sort((a, b) => a - b);
  const contiguous = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (contiguous) {
    const first = isoWeekdayName(sorted[0]!, l);
    const last = isoWeekdayName(sorted.at(-1)!, l);
    return l === 'vi' ? `${first} đến ${last}` : `${first} to ${last}`;
  }
  return sorted.map((d) => isoWeekdayName(d, l)).join(', ');
}
