/** Kysely types of the tables the dossiers module owns (schema `dossiers`, migration 0030). */
import type { ColumnType, Generated } from 'kysely';
import type { Channel, StatusCode } from '../../platform/kernel/index.ts';

export type ApplicantKind = 'citizen' | 'business' | 'organisation' | 'state-agency';

/** jsonb: written as JSON text, read as the parsed value. */
type Json<T> = ColumnType<T, string, string>;

export interface DossierTable {
  code: string;
  procedure_code: string;
  procedure_version: number;
  procedure_name: string;
  process_id: string;
  process_version: number;
  state: string;
  status: StatusCode;
  outcome: 'approved' | 'rejected' | null;
  channel: Channel;
  applicant_account_id: string;
  applicant_kind: ApplicantKind;
  applicant_name: string;
  filed_by_account_id: string;
  summary: string | null;
  receiving_agency_code: string;
  competent_agency_code: string;
  agency_identifier: string;
  province_code: string | null;
  commune_code: string | null;
  submitted_at: Date;
  received_at: Date | null;
  /** numeric: read as a string. */
  processing_amount: ColumnType<string, number, number>;
  processing_unit: 'working-day' | 'working-hour' | 'day' | 'hour' | 'month';
  rule_15h: boolean;
  original_due_at: Date;
  due_at: Date;
  paused_since: Date | null;
  paused_minutes: Generated<number>;
  pause_count: Generated<number>;
  extension_count: Generated<number>;
  state_entered_at: Date;
  step_due_at: Date | null;
  finished_at: Date | null;
  returned_at: Date | null;
  form_data: Json<Record<string, unknown>>;
  revision: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Migration 0031: the officer it is assigned to. */
  assignee_account_id: ColumnType<string | null, string | null | undefined, string | null>;
  assigned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Migration 0033: the case (TRUONGHOP) filed under. */
  case_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0048: the applicant's ID number (personal ID or tax code) and folded name, for searches. */
  applicant_id_number: ColumnType<string | null, string | null | undefined, string | null>;
  applicant_name_folded: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface HistoryTable {
  id: Generated<number>;
  dossier_code: string;
  recorded_at: Date;
  action: string;
  from_state: string | null;
  to_state: string;
  status: StatusCode;
  actor_kind: 'applicant' | 'officer' | 'system';
  actor_account_id: string | null;
  actor_name: string;
  actor_title: string | null;
  department: string | null;
  agency_code: string | null;
  content: string;
  step_started_at: Date;
  step_due_at: Date | null;
  form: '01' | '02' | '03' | '04' | '05' | null;
  details: Json<Record<string, unknown>>;
}

export interface AttachmentTable {
  id: Generated<string>;
  dossier_code: string;
  document_code: string | null;
  purpose: 'application' | 'supplement' | 'result';
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  blob_key: string;
  uploaded_by_account_id: string;
  uploaded_at: Generated<Date>;
  deleted_at: Date | null;
  /** Migration 0080: the wallet item it was copied from, and the verdict on it then. */
  wallet_item_id: ColumnType<string | null, string | null | undefined, string | null>;
  reused: ColumnType<boolean, boolean | undefined, boolean>;
  verification: ColumnType<WalletVerdict | null, string | null | undefined, string | null>;
  /** Migration 0080: a result delivered to the applicant's wallet, as that item. */
  delivered_item_id: ColumnType<string | null, string | null | undefined, string | null>;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** The portal's verdict on a wallet item when it was taken into a dossier (jsonb, migration 0080). */
export interface WalletVerdict {
  verified: boolean;
  summary: { vi: string; en: string };
  signer: string | null;
  /** ISO 8601. */
  checkedAt: string;
}

export interface ClockPauseTable {
  id: Generated<number>;
  dossier_code: string;
  started_at: Date;
  ended_at: Date | null;
  working_minutes: number | null;
  reason: string;
}

export interface ExtensionTable {
  id: Generated<number>;
  dossier_code: string;
  granted_at: Date;
  granted_by_account_id: string;
  previous_due_at: Date;
  new_due_at: Date;
  reason: string;
}

export interface CodeCounterTable {
  agency_identifier: string;
  day: string;
  last_value: number;
}

export interface SubmissionKeyTable {
  account_id: string;
  key: string;
  request_hash: string;
  dossier_code: string | null;
  created_at: Generated<Date>;
}

/** Migration 0031: files uploaded before they belong to a dossier. */
export interface UploadTable {
  id: Generated<string>;
  account_id: string;
  document_code: string | null;
  file_name: string;
  media_type: string;
  /** bigint: read as a string. */
  size_bytes: ColumnType<string, number, number>;
  sha256: string;
  blob_key: string;
  created_at: Generated<Date>;
  used_by_dossier: string | null;
  /** Migration 0080: the wallet item it was copied from, and the verdict on it then. */
  wallet_item_id: ColumnType<string | null, string | null | undefined, string | null>;
  verification: ColumnType<WalletVerdict | null, string | null | undefined, string | null>;
}

export interface DraftTable {
  id: Generated<string>;
  account_id: string;
  procedure_code: string;
  form_data: Json<Record<string, unknown>>;
  submit_token: string;
  submitted_dossier: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Migration 0033: the case (TRUONGHOP) chosen so far. */
  case_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0048: where the dossier goes (the place step of the filing). */
  place_level: ColumnType<
    'commune' | 'province' | 'central' | null,
    string | null | undefined,
    string | null
  >;
  place_province_code: ColumnType<string | null, string | null | undefined, string | null>;
  place_commune_code: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CommentTable {
  id: Generated<string>;
  dossier_code: string;
  account_id: string;
  author_name: string;
  body: string;
  created_at: Generated<Date>;
}

export interface RatingTable {
  dossier_code: string;
  account_id: string;
  satisfied: boolean;
  comment: string | null;
  rated_at: Generated<Date>;
}

/** Migration 0034: overdue dossiers escalated to the competent agency's leaders, once per level. */
export interface EscalationTable {
  dossier_code: string;
  level: number;
  due_at: Date;
  agency_code: string;
  leader_account_ids: string[];
  escalated_at: Generated<Date>;
}

export interface DossiersTables {
  'dossiers.escalations': EscalationTable;
  'dossiers.uploads': UploadTable;
  'dossiers.drafts': DraftTable;
  'dossiers.comments': CommentTable;
  'dossiers.ratings': RatingTable;
  'dossiers.dossiers': DossierTable;
  'dossiers.history': HistoryTable;
  'dossiers.attachments': AttachmentTable;
  'dossiers.clock_pauses': ClockPauseTable;
  'dossiers.extensions': ExtensionTable;
  'dossiers.code_counters': CodeCounterTable;
  'dossiers.submission_keys': SubmissionKeyTable;
}
