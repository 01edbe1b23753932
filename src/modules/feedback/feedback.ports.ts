/**
 * What feedback asks of other modules, narrowed to what it uses; wired by hand in app.ts (docs/feedback.md).
 * No port reads another module's tables.
 */
import type { AnyDb } from '../../platform/db/index.ts';
import type { WorkingTime } from './domain/deadlines.ts';

export interface FeedbackPorts {
  /** Whether a procedure code is published in the catalogue. */
  procedureExists(code: string): Promise<boolean>;
  /** Whether a dossier code exists (portal dossiers or synced). */
  dossierExists(code: string): Promise<boolean>;
  /** Whether an agency code exists (agencies module). */
  agencyExists(code: string): Promise<boolean>;
  /** Roles down the agency tree (identity's officers.can). */
  can(accountId: string, role: string, agencyCode: string): Promise<boolean>;
  /** Agencies where the account holds a role (for an officer's inbox). */
  agenciesWhere(accountId: string, role: string): Promise<string[]>;
  /** The Government Office's working calendar and office hours at `at` (the calendar module). */
  workingTime(at: Date): Promise<WorkingTime>;
  /**
   * Sends a one-time code to an anonymous submitter, in the transaction that stores the challenge (e.g.
   * queueNotification with a template `otp.feedback`).
   */
  sendCode(
    trx: AnyDb,
    message: { channel: 'sms' | 'email'; to: string; code: string; minutes: number },
  ): Promise<void>;
}

/** The agency of the Government Office (Văn phòng Chính phủ), where vpcp-supervisor and hotline-operator are granted. */
export const GOVERNMENT_OFFICE = 'CP';
/** Roles with which an agency's officers handle the feedback routed to their agency. */
export const AGENCY_HANDLER_ROLES = ['processor', 'approver', 'agency-admin'] as const;
