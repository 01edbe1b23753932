/** Kysely types of the tables the catalogue module owns (schema `catalogue`). */
import type { ColumnType, Generated } from 'kysely';
import type { VersionState } from './domain/lifecycle.ts';
import type { ProcedureContent } from './domain/procedure.ts';

export type Origin = 'reference' | 'officer' | 'import' | 'generated';

export interface SectorTable {
  code: string;
  name: string;
  name_en: string | null;
  name_folded: string;
  agency_code: string | null;
  from_reference: Generated<boolean>;
}

export interface ProcedureTable {
  code: string;
  owner_agency_code: string;
  province_code: string | null;
  popularity: Generated<number>;
  origin: Origin;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface ProcedureVersionTable {
  code: string;
  version: number;
  state: VersionState;
  name: string;
  content: ColumnType<ProcedureContent, string, string>;
  content_hash: string;
  origin: Origin;
  created_at: Generated<Date>;
  created_by: string | null;
  updated_at: Generated<Date>;
  published_at: Date | null;
  superseded_at: Date | null;
  withdrawn_at: Date | null;
}

export interface VersionEventTable {
  id: Generated<number>;
  code: string;
  version: number;
  action: string;
  from_state: string | null;
  to_state: string | null;
  actor: string;
  note: string | null;
  at: Generated<Date>;
}

export interface BundleTable {
  code: string;
  name: string;
  name_en: string | null;
  name_folded: string;
  description: string;
  description_en: string | null;
  member_codes: string[];
  legal_basis: string | null;
  from_reference: Generated<boolean>;
}

export interface SearchEntryTable {
  code: string;
  version: number;
  name: string;
  name_folded: string;
  document: string;
  popularity: number;
  sector_codes: string[];
  agency_codes: string[];
  province_code: string | null;
  levels: string[];
  audiences: string[];
  online_level: string;
}

export interface SearchTermTable {
  term: string;
  doc_count: number;
}

export interface SearchTermVariantTable {
  variant: string;
  term: string;
}

export interface CatalogueTables {
  'catalogue.sectors': SectorTable;
  'catalogue.procedures': ProcedureTable;
  'catalogue.procedure_versions': ProcedureVersionTable;
  'catalogue.version_events': VersionEventTable;
  'catalogue.bundles': BundleTable;
  'catalogue.search_entries': SearchEntryTable;
  'catalogue.search_terms': SearchTermTable;
  'catalogue.search_term_variants': SearchTermVariantTable;
}
