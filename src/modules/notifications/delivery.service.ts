/**
 * Delivery: the outbox handler that hands a queued message to its transport, the delivery reports and
 * status queries that settle it, and an administrator's resend.
 *
 * One outbox message per send of a row. A try that fails for a reason that may pass (timeout, 5xx, a
 * refused connection) throws, and the outbox tries again with exponential backoff; at the
 * `maxAttempts`-th failure, or at once for a permanent refusal, the row becomes failed — listed for
 * system administrators (/quan-tri/tin-nhan) with "Gửi lại". A one-time code still queued when it
 * lapses becomes expired and is never sent. An outbox redelivery of a row already sent does nothing;
 * a try that sent but could not record it is tried again with the same request id, which the SMS
 * gateway accepts once (an e-mail keeps its Message-ID).
 */

import { appendAudit } from '../../platform/audit/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import { ConflictError, NotFoundError } from '../../platform/errors/index.ts';
import { enqueue, type OutboxMessage } from '../../platform/outbox/index.ts';
import {
  type EmailSender,
  PermanentDeliveryError,
  type SmsGateway,
  type SmsStatus,
} from './delivery.ports.ts';
import { emailHtml } from './email-html.ts';
import {
  adoptLegacy,
  applyGatewayStatus,
  beginAttempt,
  findMessage,
  type MessageRow,
  markSent,
  recordFailure,
  requeue,
  unsettledSms,
} from './messages.repository.ts';
import { PREFERENCES_PAGE } from './pages/inbox.pages.tsx';
import { isOptionalTopic, RULES, ruleOf } from './templates.ts';
import { UNSUBSCRIBE_PATH, unsubscribeToken } from './unsubscribe.routes.ts';

export const NOTIFY_TOPIC = 'notification.send';

export interface DeliveryDeps {
  db: AnyDb;
  email: EmailSender;
  sms: SmsGateway;
  /** Tries before a message is failed (at most the outbox's own limit, 10). */
  maxAttempts: number;
  publicUrl: string;
  /** The key of one-click unsubscribe links (unsubscribe.routes.ts). */
  unsubscribeKey(): Promise<Buffer>;
  /** The host part of Message-IDs (the sender's domain). */
  messageIdDomain: string;
}

/** The outbox payload of one send. */
export interface SendPayload {
  messageId: number;
  generation: number;
}

/** The payload of a message queued before 0060. */
interface LegacyPayload {
  channel: 'sms' | 'email';
  to: string;
  template: string;
  subject?: string;
  body: string;
}

/** The gateway's request id of a send: one message per (row, generation). */
export const requestIdOf = (row: Pick<MessageRow, 'id' | 'generation'>) => `m${row.id}g${row.generation}`;

export function createDelivery(deps: DeliveryDeps) {
  const { db } = deps;

  async function send(row: MessageRow): Promise<{ transport: string; providerId: string }> {
    if (row.channel === 'sms') {
      const rule = RULES[row.template];
      const r = await deps.sms.send({
        requestId: requestIdOf(row),
        to: row.recipient,
        text: row.body,
        unicode: rule?.smsDiacritics ?? false,
      });
      return { transport: deps.sms.transport, providerId: r.providerId };
    }
    const rule = ruleOf(row.template);
    const subject = row.subject ?? 'Cổng Dịch vụ công';
    const account = `${deps.publicUrl}${PREFERENCES_PAGE}`;
    const footer = rule.transactional
      ? 'Thư gửi tự động từ Cổng Dịch vụ công vì bạn vừa thực hiện thao tác này; vui lòng không trả lời thư. ' +
        'Sent automatically because of something you just did; please do not reply.'
      : `Thư gửi tự động từ Cổng Dịch vụ công; vui lòng không trả lời thư. Thay đổi cách nhận thông báo: ${account} ` +
        `— Sent automatically; to change how you are notified: ${account}`;
    const headers: Record<string, string> = {
      'Content-Language': 'vi, en',
      'Auto-Submitted': 'auto-generated',
      'X-Cong-DVC-Template': row.template,
    };
    if (!rule.transactional) {
      // RFC 8058 when the message names its account and an optional topic: one POST turns that topic's
      // e-mail off. Otherwise (an address alone) the link leads to the preferences page.
      if (row.account_id && isOptionalTopic(rule.topic)) {
        const token = unsubscribeToken(await deps.unsubscribeKey(), row.account_id, rule.topic);
        headers['List-Unsubscribe'] = `<${deps.publicUrl}${UNSUBSCRIBE_PATH}?t=${token}>`;
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
      } else headers['List-Unsubscribe'] = `<${account}>`;
    }
    const r = await deps.email.send({
      to: row.recipient,
      subject,
      text: `${row.body}\n\n--\n${footer}\n`,
      html: emailHtml(row.body, { subject, footer }),
      messageId: `<${requestIdOf(row)}.${row.queued_at.getTime().toString(36)}@${deps.messageIdDomain}>`,
      headers,
    });
    return { transport: deps.email.transport, providerId: r.providerId };
  }

  /** The outbox handler of NOTIFY_TOPIC. */
  async function handle(message: OutboxMessage): Promise<void> {
    const p = message.payload as Partial<SendPayload> & Partial<LegacyPayload>;
    // A message queued before delivery tracking (0060) carried its text: it becomes a row now.
    const id =
      typeof p.messageId === 'number' ? p.messageId : await adoptLegacy(db, message.id, p as LegacyPayload);
    const start = await beginAttempt(db, id);
    if (start.action !== 'send') return;
    const row = start.row;
    let sent: { transport: string; providerId: string };
    try {
      sent = await send(row);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const final = e instanceof PermanentDeliveryError || row.attempts >= deps.maxAttempts;
      await recordFailure(db, row.id, row.generation, error, final);
      if (final) return;
      throw e;
    }
    await markSent(db, row.id, row.generation, sent);
  }

  /** A delivery report or a status answer; true when it settled a message. */
  async function applyStatus(s: SmsStatus): Promise<boolean> {
    return applyGatewayStatus(db, s);
  }

  /**
   * Asks the gateway about SMS that no report settled within `afterMinutes` (reports get lost), and
   * applies the answers. Returns how many it settled.
   */
  async function reconcile(afterMinutes = 10, limit = 200): Promise<number> {
    if (deps.sms.transport !== 'sms-gateway') return 0;
    const rows = await unsettledSms(db, afterMinutes, limit);
    let settled = 0;
    for (let i = 0; i < rows.length; i += 50) {
      const ids = rows.slice(i, i + 50).map((r) => r.provider_id as string);
      for (const s of await deps.sms.status(ids)) if (await applyGatewayStatus(db, s)) settled++;
    }
    return settled;
  }

  /**
   * An administrator's "Gửi lại": a failed or expired message queued again as a new send, with the
   * audit row (who, which message, which send) in the same transaction.
   */
  async function resend(id: number, actorAccountId: string): Promise<MessageRow> {
    const row = await findMessage(db, id);
    if (!row) throw new NotFoundError('Không có tin nhắn này.');
    return db.transaction().execute(async (trx) => {
      const again = await requeue(trx, id);
      if (!again)
        throw new ConflictError(
          row.expires_at
            ? 'Không gửi lại mã dùng một lần: mã đã hết hiệu lực, người dùng cần yêu cầu mã mới.'
            : `Tin nhắn đang ở trạng thái ${row.state}: chỉ gửi lại tin đã thất bại hoặc hết hạn.`,
          { state: row.state, allowedActions: [] },
        );
      const payload: SendPayload = { messageId: again.id, generation: again.generation };
      await enqueue(trx, NOTIFY_TOPIC, payload, { dedupeKey: requestIdOf(again) });
      await appendAudit(trx, {
        actor: `user:${actorAccountId}`,
        action: 'notification.resend',
        subject: `notification:${again.id}`,
        data: { generation: again.generation, channel: again.channel, template: again.template },
      });
      return again;
    });
  }

  return { handle, applyStatus, reconcile, resend };
}

export type Delivery = ReturnType<typeof createDelivery>;
