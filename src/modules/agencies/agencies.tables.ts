/** Kysely types of the tables the agencies module owns (schema `agencies`). */
import type { ColumnType, Generated } from 'kysely';

/** Levels of administrative units: districts exist until 30 June 2025. */
export type AdminLevel = 'province' | 'district' | 'commune';

export interface AdminUnitTable {
  id: Generated<number>;
  code: string;
  level: AdminLevel;
  name: string;
  name_en: string | null;
  name_folded: string;
  kind: string;
  region: string | null;
  parent_code: string | null;
  province_code: string;
  valid_from: string | null;
  valid_to: string | null;
  legal_basis: string | null;
  note: string | null;
}

export interface SuccessionTable {
  predecessor_id: number;
  successor_id: number;
  effective_date: string;
  kind: string;
}

export interface AgencyTable {
  id: Generated<number>;
  code: string;
  short_name: string | null;
  name: string;
  name_en: string | null;
  name_folded: string;
  kind: string;
  level: 'central' | 'province' | 'commune';
  parent_code: string | null;
  admin_unit_code: string | null;
  valid_from: string | null;
  valid_to: string | null;
  office_hours: ColumnType<OfficeHoursJson | null, string | null, string | null>;
  note: string | null;
}

export interface OfficeHoursJson {
  sessions: Array<{ start: string; end: string }>;
  weekdays?: number[];
}

export interface AgencyIdentifierTable {
  id: Generated<number>;
  identifier: string;
  agency_code: string;
  valid_from: string | null;
  valid_to: string | null;
  verified: boolean;
  source: string | null;
  origin: 'reference' | 'operator';
}

export interface AgenciesTables {
  'agencies.admin_units': AdminUnitTable;
  'agencies.admin_unit_successions': SuccessionTable;
  'agencies.agencies': AgencyTable;
  'agencies.agency_successions': SuccessionTable;
  'agencies.agency_identifiers': AgencyIdentifierTable;
}
