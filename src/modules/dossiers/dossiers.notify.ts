/**
 * Tells the applicant about every change of their dossier's status (and about an extension, form 04):
 * the outbox delivers `dossier.status-changed` / `dossier.extended` after commit, and this handler queues
 * an entry in the applicant's inbox and an SMS and an e-mail through the notifications module's
 * templates, to the verified contacts of the account the dossier belongs to (unless the applicant turned
 * that channel off for status changes). Delivery is at least once (like every outbox handler): the key of
 * the outbox message makes a second run queue nothing.
 */
import { sql } from 'kysely';
import { vietnamWhen } from '../../platform/clock/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import { STATUS, STATUS_NAMES, type StatusCode } from '../../platform/kernel/index.ts';
import type { OutboxMessage } from '../../platform/outbox/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import type { People } from './dossiers.ports.ts';

interface ChangePayload {
  code: string;
  action: string;
  to: { state: string; status: StatusCode };
  dueAt: string;
  applicantAccountId: string;
  reason?: string;
}

/** "17:00 08/12/2026" in Vietnam time. */
/** "16:00 30/11/2026": platform/clock's `vietnamWhen`, by the name the dossiers module's pages use. */
export const vnWhen = vietnamWhen;

export function dossierNotifications(deps: { db: AnyDb; people: People; publicUrl?: string }) {
  return async (message: OutboxMessage) => {
    const p = message.payload as ChangePayload;
    // Asking for payment sends `payment.requested` (amount, link) in the action's own transaction.
    if (message.topic !== 'dossier.extended' && p.action === 'request-payment') return;
    const contact = await deps.people.contactOf?.(p.applicantAccountId);
    const r = await sql<{ procedure_name: string }>`
      select procedure_name from dossiers.dossiers where code = ${p.code}`.execute(deps.db);
    const procedure = r.rows[0]?.procedure_name ?? '';
    const extended = message.topic === 'dossier.extended';
    // Past these there is no date to keep: refused, withdrawn, stopped, the result returned.
    const finished = (
      [STATUS.refused, STATUS.withdrawn, STATUS.stopped, STATUS.returned] as StatusCode[]
    ).includes(p.to.status);
    const params: Record<string, string> = {
      code: p.code,
      procedure,
      status: STATUS_NAMES[p.to.status].vi,
      statusEn: STATUS_NAMES[p.to.status].en,
      link: `${deps.publicUrl ?? ''}/ho-so/${encodeURIComponent(p.code)}`,
      ...(finished ? {} : { due: vnWhen(new Date(p.dueAt)) }),
      ...(p.reason ? { reason: p.reason } : {}),
    };
    const template = extended ? 'dossier.extended' : 'dossier.status-changed';
    // Once per status change (and channel), even if this handler runs again for the same message.
    await deps.db.transaction().execute((trx) =>
      notifyAccount(trx, {
        accountId: p.applicantAccountId,
        sms: contact?.phone ?? null,
        email: contact?.email ?? null,
        template,
        params,
        dedupeKey: `${message.topic}:${message.id}`,
      }),
    );
  };
}
