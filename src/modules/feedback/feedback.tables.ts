/** The feedback schema's tables as Kysely sees them (db/migrations/0090_feedback_create-feedback.sql, 0094). */
import type { ColumnType, Generated } from 'kysely';
import type { FeedbackStatus } from '../../platform/kernel/index.ts';
import type { Regime } from './domain/deadlines.ts';
import type { FeedbackAction, RouteState } from './domain/workflow.ts';

type Json<T> = ColumnType<T, string, string>;

export const CATEGORIES = ['regulation', 'dossier-handling', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Channel = 'web' | 'api' | 'hotline';
export interface StoredPause {
  from: string;
  to: string | null;
}

export interface ItemTable {
  id: Generated<string>;
  code: string;
  title: string;
  content: string;
  category: Category;
  procedure_code: string | null;
  dossier_code: string | null;
  concerned_agency: string | null;
  status: FeedbackStatus;
  revision: Generated<number>;
  channel: Channel;
  submitter_account_id: string | null;
  submitter_key: string;
  submitter_name: string;
  submitter_phone: string | null;
  submitter_email: string | null;
  submitter_address: string | null;
  idempotency_key: string;
  regime: Json<Regime>;
  submitted_at: Date;
  accepted_at: Date | null;
  refused_at: Date | null;
  asked_at: Date | null;
  forwarded_at: Date | null;
  answered_at: Date | null;
  closed_at: Date | null;
  pauses: Json<StoredPause[]>;
  reason: string | null;
  rated_satisfied: boolean | null;
  rated_at: Date | null;
  escalated_at: Generated<Date | null>;
}

export interface RouteTable {
  item_id: string;
  agency_code: string;
  state: RouteState;
  via: 'vpcp' | 'pass';
  routed_at: Date;
  updated_at: Date;
}

export interface EventTable {
  id: Generated<number>;
  item_id: string;
  at: Date;
  actor: string;
  action: FeedbackAction;
  from_status: FeedbackStatus | null;
  to_status: FeedbackStatus;
  agency_code: string | null;
  data: Json<Record<string, unknown>>;
}

export interface AnswerTable {
  id: Generated<number>;
  item_id: string;
  agency_code: string | null;
  body: string;
  /** The officer who answered; null when an agency system answered (answered_by_client). */
  answered_by: string | null;
  answered_by_client: string | null;
  /** The agency system's Idempotency-Key (unique per client). */
  idempotency_key: string | null;
  answered_at: Date;
}

export interface AttachmentTable {
  id: Generated<string>;
  item_id: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  blob_key: string;
  uploaded_at: Date;
}

export interface ContactCodeTable {
  id: Generated<string>;
  destination: string;
  channel: 'sms' | 'email';
  code_hash: string;
  attempts: Generated<number>;
  created_at: Date;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface PublishedTable {
  item_id: string;
  code: string;
  title: string;
  content: string;
  category: Category;
  procedure_code: string | null;
  agency_codes: string[];
  answer: string;
  submitted_at: Date;
  answered_at: Date;
  published_at: Date;
  handled_on_time: boolean;
  handling_tenths: number;
  handling_limit_days: number;
  /** Written with to_tsvector; never read back. */
  document: unknown;
}

export interface AnswerTemplateTable {
  id: Generated<string>;
  agency_code: string;
  title: string;
  body: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface MergeTable {
  item_id: string;
  kept_item_id: string;
  ground: 'same-submitter' | 'same-subject';
  merged_by: string;
  merged_at: Date;
}

export interface DeadlineAlertTable {
  item_id: string;
  clock: 'refuse' | 'ask-info' | 'handle' | 'publish';
  level: 'warning' | 'overdue';
  due_at: Date;
  agency_codes: string[];
  recipients: string[];
  sent_at: Date;
}

export interface FeedbackTables {
  'feedback.items': ItemTable;
  'feedback.routes': RouteTable;
  'feedback.events': EventTable;
  'feedback.answers': AnswerTable;
  'feedback.contact_codes': ContactCodeTable;
  'feedback.attachments': AttachmentTable;
  'feedback.published': PublishedTable;
  'feedback.answer_templates': AnswerTemplateTable;
  'feedback.merges': MergeTable;
  'feedback.deadline_alerts': DeadlineAlertTable;
}
