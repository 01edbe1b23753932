/** Kysely types of the tables the sync module owns (schema `sync`). */
import type { ColumnType, Generated } from 'kysely';

/** `sync.dossiers`: a view, the record (sync.dossier_records) joined with its current status (sync.dossier_status). */
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

/** The current status of a synced dossier, and the record's fields its history rows are counted by. */
export interface DossierStatusTable {
  code: string;
  agency_code: string;
  procedure_code: string;
  channel: number;
  status: number;
  status_at: Date;
  status_seq: number;
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

export interface BatchStatsTable {
  agency_code: string;
  hour: Date;
  client_id: string;
  client_name: string;
  batches: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  pending: number;
  lag_count: number;
  lag_sum_ms: number;
  lag_max_ms: number | null;
  lag_p95_ms: number | null;
  last_at: Date;
  last_lag_p95_ms: number | null;
}

export interface AgencyStatusTable {
  agency_code: string;
  first_at: Date;
  last_at: Date;
  last_client_id: string;
  last_lag_p95_ms: number | null;
  rejected_total: number;
}

export interface RejectionTable {
  agency_code: string;
  slot: number;
  seq: number;
  rejected_at: Date;
  client_id: string;
  client_name: string;
  list: 'dossiers' | 'history';
  item_index: number;
  dossier_code: string | null;
  reason: string;
}

export interface ReportedCountTable {
  agency_code: string;
  period_from: string;
  period_to: string;
  dossiers: number;
  source: 'officer' | 'system';
  reported_by: string;
  reporter_name: string;
  reported_at: Date;
  note: string | null;
}

export interface SyncTables {
  'sync.dossiers': SyncedDossierTable;
  'sync.dossier_status': DossierStatusTable;
  'sync.history': HistoryTable;
  'sync.pending_history': HistoryTable;
  'sync.rollups': RollupTable;
  'sync.received_rollups': ReceivedRollupTable;
  'sync.adapter_sessions': AdapterSessionTable;
  'sync.batch_stats': BatchStatsTable;
  'sync.agency_status': AgencyStatusTable;
  'sync.rejections': RejectionTable;
  'sync.reported_counts': ReportedCountTable;
}
