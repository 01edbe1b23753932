/** Kysely types of the identity module's tables (schema `identity`). */
import type { ColumnType, Generated } from 'kysely';

export type AccountKind = 'citizen' | 'business' | 'organisation' | 'officer';

export interface AccountTable {
  id: Generated<string>;
  kind: AccountKind;
  status: Generated<'active' | 'disabled'>;
  display_name: string;
  personal_id: string | null;
  tax_code: string | null;
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  email: string | null;
  email_verified_at: Date | null;
  phone: string | null;
  phone_verified_at: Date | null;
  password_hash: string | null;
  password_changed_at: Date | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OtpChallengeTable {
  id: Generated<string>;
  account_id: string | null;
  purpose: 'register' | 'reset-password' | 'change-contact';
  channel: 'sms' | 'email';
  destination: string;
  code_hash: string;
  attempts: Generated<number>;
  payload: ColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface SessionTable {
  token_hash: string;
  account_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  idle_timeout_seconds: number;
  ip: string | null;
  user_agent: string | null;
  revoked_at: Date | null;
}

export interface DataAccessLogTable {
  id: Generated<number>;
  account_id: string;
  at: Generated<Date>;
  accessor_kind: 'client' | 'officer';
  accessor_id: string;
  accessor_name: string;
  purpose: string;
  fields: string[];
}

export interface IdentityTables {
  'identity.data_access_log': DataAccessLogTable;
  'identity.accounts': AccountTable;
  'identity.otp_challenges': OtpChallengeTable;
  'identity.sessions': SessionTable;
}
