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
  organisation_type: Generated<'state-agency' | 'other' | null>;
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
  /** When the holder was proven against a national register (null: declared, not proven). */
  proofed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  proofing_method: ColumnType<
    ProofingMethod | null,
    ProofingMethod | null | undefined,
    ProofingMethod | null
  >;
  proofing_level: ColumnType<1 | 2 | null, 1 | 2 | null | undefined, 1 | 2 | null>;
  proofing_reference: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the declared personal ID number or tax code was taken back by its proven holder. */
  identifier_revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type ProofingMethod = 'population-register' | 'business-register';

export interface OtpChallengeTable {
  id: Generated<string>;
  account_id: string | null;
  purpose: 'register' | 'reset-password' | 'change-contact' | 'second-factor';
  channel: 'sms' | 'email' | 'totp';
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
  assurance: Generated<1 | 2>;
  /** When the holder last entered their password (and second factor for officers): the id_token's auth_time. */
  authenticated_at: Generated<Date>;
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

export const ROLES = [
  'receiver',
  'processor',
  'approver',
  'certifier',
  'cashier',
  'accountant',
  'agency-admin',
  'vpcp-supervisor',
  'hotline-operator',
  'system-admin',
] as const;
export type Role = (typeof ROLES)[number];

export interface OfficerTable {
  account_id: string;
  agency_code: string;
  title: string | null;
  department: string | null;
  totp_secret: string | null;
  totp_enrolled_at: Date | null;
  totp_last_step: number | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface RoleGrantTable {
  id: Generated<number>;
  account_id: string;
  agency_code: string;
  role: Role;
  granted_by: string | null;
  granted_at: Generated<Date>;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface DelegationTable {
  id: Generated<number>;
  business_account_id: string;
  delegate_account_id: string | null;
  delegate_personal_id: string;
  all_procedures: boolean;
  procedure_codes: string[];
  valid_until: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  accepted_at: Date | null;
  declined_at: Date | null;
}

export interface EnrolmentTable {
  token_hash: string;
  account_id: string;
  totp_secret: string;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  attempts: Generated<number>;
  created_by: string;
}

export interface IdentityTables {
  'identity.enrolments': EnrolmentTable;
  'identity.delegations': DelegationTable;
  'identity.officers': OfficerTable;
  'identity.role_grants': RoleGrantTable;
  'identity.data_access_log': DataAccessLogTable;
  'identity.accounts': AccountTable;
  'identity.otp_challenges': OtpChallengeTable;
  'identity.sessions': SessionTable;
}
