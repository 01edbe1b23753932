/** Kysely types of the tables the sync module owns (schema `sync`). */
import type { ColumnType, Generated } from 'kysely';

export interface SyncedDossierTable {
  code: string;
  agency_identifier: string;
  agency_code: string;
  procedure_code: string;
  procedure_name: string | null;
  sector_code: string | null;
  channel: number;
  applicant_kind: number | null;
  applicant_id_last4: string | null;
  applicant_id_hash: string | null;
  submitted_at: Date | null;
  received_at: Date | null;
  due_at: Date | null;
  finished_at: Date | null;
  returned_at: Date | null;
  status: number;
  status_at: Date;
  status_seq: number;
  payload: ColumnType<Record<string, unknown>, string, string>;
  payload_at: Date;
  payload_seq: number;
  payload_key: string;
  source_client: string;
  first_synced_at: Generated<Date>;
  last_synced_at: Generated<Date>;
}

export interface HistoryTable {
  dossier_code: string;
  event_at: Date;
  seq: number;
  status: number;
  handler_name: string | null;
  handler_title: string | null;
  department: string | null;
  content: string | null;
  step_started_at: Date | null;
  step_due_at: Date | null;
  source_client: string;
  event_key: string;
  synced_at: Generated<Date>;
}

export interface RollupTable {
  day: string;
  agency_code: string;
  procedure_code: string;
  channel: number;
  status: number;
  events: number;
}

export interface ReceivedRollupTable {
  day: string;
  agency_code: string;
  procedure_code: string;
  channel: number;
  dossiers: number;
}

export interface AdapterSessionTable {
  token_hash: string;
  client_id: string;
  client_name: string;
  scopes: string[];
  agency_codes: string[];
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface SyncTables {
  'sync.dossiers': SyncedDossierTable;
  'sync.history': HistoryTable;
  'sync.pending_history': HistoryTable;
  'sync.rollups': RollupTable;
  'sync.received_rollups': ReceivedRollupTable;
  'sync.adapter_sessions': AdapterSessionTable;
}
