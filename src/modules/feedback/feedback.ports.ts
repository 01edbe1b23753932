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
  /** An agency's name, for an answer's {co_quan} (the catalogue's directory); the code is used without it. */
  agencyName?(code: string): Promise<string | undefined>;
  /** Who is told when a clock nears or passes its due moment (the deadline watch job runs only with it). */
  alerts?: FeedbackAlerts;
}

/** What the deadline watch (feedback.jobs.ts) asks of identity and notifications. */
export interface FeedbackAlerts {
  /** Accounts holding `role` at the agency or above it, nearest grant first (identity's holdersOf). */
  holdersOf(role: string, agencyCode: string): Promise<Array<{ accountId: string; depth: number }>>;
  /** An account's verified phone (E.164) and e-mail, read before the transaction. */
  contactOf(accountId: string): Promise<{ phone: string | null; email: string | null } | undefined>;
  /**
   * Tells an account, in the transaction that records the alert (notifications' notifyAccount with a
   * template feedback.deadline-warning or feedback.escalated; one message per dedupeKey).
   */
  notify(
    trx: AnyDb,
    n: {
      accountId: string;
      template: 'feedback.deadline-warning' | 'feedback.escalated';
      params: Record<string, string>;
      sms: string | null;
      email: string | null;
      dedupeKey: string;
    },
  ): Promise<void>;
}

/** The agency of the Government Office (Văn phòng Chính phủ), where vpcp-supervisor and hotline-operator are granted. */
export const GOVERNMENT_OFFICE = 'CP';
/** Roles with which an agency's officers handle the feedback routed to their agency. */
export const AGENCY_HANDLER_ROLES = ['processor', 'approver', 'agency-admin'] as const;
