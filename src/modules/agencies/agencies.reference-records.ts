/** What the reference-data builders make (pure records, before they are loaded), and their date helpers. */
import type { AdminLevel } from './agencies.tables.ts';

/** 1 July 2025: the two-level local government and the 34 provincial units. */
export const MERGER_DATE = '2025-07-01';
export const LAST_DAY_BEFORE_MERGER = '2025-06-30';

export interface UnitRecord {
  /** `code@validFrom`: identifies a version among the records (and successions). */
  key: string;
  code: string;
  level: AdminLevel;
  /** Provinces without their kind prefix (Hà Nội); districts and communes in full (Phường Ba Đình). */
  name: string;
  nameEn: string;
  kind: string;
  region: string | null;
  /** The unit directly above on the same dates (null for a province). */
  parentCode: string | null;
  /** The province the unit lies in on the same dates (a province: its own code). */
  provinceCode: string;
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
  level: 'central' | 'province' | 'commune';
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

export const orNull = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
export const versionKey = (code: string, validFrom: string | null) => `${code}@${validFrom ?? ''}`;

export function nextDay(isoDate: string, days = 1): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const previousDay = (isoDate: string) => nextDay(isoDate, -1);

/** Inclusive bounds, null = unbounded. */
export const validOn = (v: { validFrom: string | null; validTo: string | null }, date: string) =>
  (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || v.validTo >= date);

/** "Hà Nội" → "Ha Noi": Vietnamese without diacritics, case kept (đ → d). */
export function unaccented(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}
