/**
 * What the hotline asks of other modules, narrowed to what it uses; wired by hand in app.ts
 * (docs/hotline.md). No port reads another module's tables.
 */
import type { AnyDb } from '../../platform/db/index.ts';

/** A caller's account as the desk shows it (identity). */
export interface CallerAccount {
  id: string;
  kind: string;
  displayName: string;
  personalId: string | null;
  taxCode: string | null;
  phone: string | null;
  phoneVerified: boolean;
  email: string | null;
  emailVerified: boolean;
  status: string;
}

/** One of a caller's dossiers (dossiers). */
export interface CallerDossier {
  code: string;
  procedureName: string;
  status: string;
  submittedAt: Date | null;
  dueAt: Date | null;
}

export interface HotlinePorts {
  /** Roles down the agency tree (identity's officers.can). */
  can(accountId: string, role: string, agencyCode: string): Promise<boolean>;
  /** The operator as the person will read it in "who accessed my data": name, title — agency. */
  operatorLabel(accountId: string): Promise<string>;
  /** The account a personal ID (12 digits), tax code or phone names (identity's accountNamed). */
  findAccount(q: {
    personalId?: string;
    taxCode?: string;
    phone?: string;
  }): Promise<CallerAccount | undefined>;
  /** The account's dossiers, newest first (dossiers' desk.mine). */
  dossiersOf(accountId: string): Promise<CallerDossier[]>;
  /** identity's recordDataAccess, in the look-up's transaction. */
  recordDataAccess(
    trx: AnyDb,
    a: {
      accountId: string;
      accessorKind: 'officer';
      accessorId: string;
      accessorName: string;
      purpose: string;
      fields: string[];
    },
  ): Promise<void>;
  procedureExists(code: string): Promise<boolean>;
  dossierExists(code: string): Promise<boolean>;
  feedbackExists(code: string): Promise<boolean>;
  /**
   * Submits a feedback item for the caller (the feedback module's submit on channel hotline), idempotent
   * on `key`: the same key answers the same item. Field problems come back as a ValidationError with the
   * feedback API's paths (title, content, category, name, contact, procedureCode, dossierCode).
   */
  submitFeedback(
    input: {
      title: string;
      content: string;
      category: string;
      name: string;
      contact: string;
      procedureCode?: string | undefined;
      dossierCode?: string | undefined;
    },
    operatorId: string,
    key: string,
  ): Promise<{ code: string }>;
  /**
   * Sends the support answer to the caller, in the transaction that records the call (notifications'
   * queueNotification, template hotline.answer). Phones come as 0xxxxxxxxx.
   */
  sendAnswer(
    trx: AnyDb,
    m: { channel: 'sms' | 'email'; to: string; callCode: string; answer: string },
  ): Promise<void>;
}

/** Where hotline operators are granted their role: the Government Office. */
export const GOVERNMENT_OFFICE = 'CP';
export const OPERATOR_ROLE = 'hotline-operator';
