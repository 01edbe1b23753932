/** The hotline schema's tables as Kysely sees them (db/migrations/0091_hotline_create-hotline.sql). */
import type { Generated } from 'kysely';
import type { CallbackState, Direction, Outcome, Topic } from './domain/vocabulary.ts';

export interface CallTable {
  id: Generated<string>;
  code: string;
  operator_account_id: string;
  idempotency_key: string;
  request_hash: string;
  direction: Direction;
  callback_of: string | null;
  caller_name: string | null;
  caller_phone: string | null;
  caller_email: string | null;
  topic: Topic;
  procedure_code: string | null;
  dossier_code: string | null;
  feedback_code: string | null;
  outcome: Outcome;
  started_at: Date;
  ended_at: Date;
  notes: string | null;
  answer: string | null;
  answer_sent_by: 'sms' | 'email' | null;
  recorded_at: Date;
}

export interface CallbackTable {
  call_id: string;
  due_at: Date;
  state: Generated<CallbackState>;
  claimed_by: string | null;
  claimed_at: Date | null;
  attempts: Generated<number>;
  done_at: Date | null;
  done_call_id: string | null;
}

export interface HotlineTables {
  'hotline.calls': CallTable;
  'hotline.callbacks': CallbackTable;
}
