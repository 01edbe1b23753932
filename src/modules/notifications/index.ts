/**
 * The notifications module: templates, delivery through SMTP and a brand-name SMS gateway via the
 * outbox, delivery reports, the record of every message and what became of it, the portal inbox of
 * each account and its choice of channels per topic.
 */

import type { NotificationsConfig } from '../../platform/config/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import type { ModuleNavigation } from '../../platform/web/index.ts';
import {
  type EmailSender,
  PermanentDeliveryError,
  recordingEmail,
  recordingSms,
  type SmsGateway,
} from './delivery.ports.ts';
import { createDelivery, NOTIFY_TOPIC } from './delivery.service.ts';
import { countUnread } from './inbox.repository.ts';
import { countFailedSince } from './messages.repository.ts';
import { notificationsNavigation } from './notifications.navigation.ts';
import { adminMessagesPages } from './pages/admin-messages.page.tsx';
import { devMessagesPage, type ReceivedMessage } from './pages/dev-messages.page.tsx';
import { inboxPages } from './pages/inbox.pages.tsx';
import { smsReportRoutes } from './reports.routes.ts';
import { smsGatewayClient } from './sms-gateway.client.ts';
import { smtpSender } from './smtp.transport.ts';
import { unsubscribeRoutes } from './unsubscribe.routes.ts';

export {
  type AccountNotification,
  type Notification,
  notifyAccount,
  queueNotification,
  recentMessages,
  type SentMessage,
} from './notifications.service.ts';
export type { ReceivedMessage } from './pages/dev-messages.page.tsx';
export { SMS_REPORTS_PATH, signReport } from './reports.routes.ts';

/** What the simulators of a development portal received, for /dev/tin-nhan (main.ts provides it). */
export type DevInbox = () => Promise<ReceivedMessage[]>;

const offEmail: EmailSender = {
  transport: 'smtp',
  async send() {
    throw new PermanentDeliveryError('Kênh thư điện tử đã tắt (SMTP_URL=off) / e-mail is switched off');
  },
  async close() {},
};
const offSms: SmsGateway = {
  transport: 'sms-gateway',
  async send() {
    throw new PermanentDeliveryError('Kênh SMS đã tắt (SMS_GATEWAY_URL=off) / SMS is switched off');
  },
  async status() {
    return [];
  },
};

export function createNotificationsModule(deps: {
  db: AnyDb;
  dispatcher: Dispatcher;
  production: boolean;
  publicUrl: string;
  config: NotificationsConfig;
  /** Is the account a system administrator (the failed-messages page)? */
  isSystemAdmin(accountId: string): Promise<boolean>;
  /** The key of e-mails' one-click unsubscribe links (an installation secret). */
  unsubscribeKey(): Promise<Buffer>;
  devInbox?: DevInbox;
}) {
  const c = deps.config;
  const email =
    c.smtp === 'off'
      ? offEmail
      : c.smtp
        ? smtpSender({
            url: c.smtp.url,
            from: c.smtp.from,
            requireTls: c.smtp.requireTls,
            timeoutMs: c.timeoutMs,
            ...(c.smtp.dkim ? { dkim: c.smtp.dkim } : {}),
          })
        : recordingEmail;
  const sms =
    c.sms === 'off'
      ? offSms
      : c.sms
        ? smsGatewayClient({
            url: c.sms.url,
            apiKey: c.sms.apiKey,
            brandName: c.sms.brandName,
            timeoutMs: c.timeoutMs,
          })
        : recordingSms;
  const from = c.smtp && c.smtp !== 'off' ? c.smtp.from.address : undefined;
  const delivery = createDelivery({
    db: deps.db,
    email,
    sms,
    maxAttempts: c.maxAttempts,
    publicUrl: deps.publicUrl,
    unsubscribeKey: deps.unsubscribeKey,
    messageIdDomain: from?.split('@')[1] ?? new URL(deps.publicUrl).hostname,
  });
  deps.dispatcher.register(NOTIFY_TOPIC, delivery.handle);
  const failedLastWeek = () => countFailedSince(deps.db, 7);

  const jobs: JobDefinition[] = [
    {
      // Delivery reports get lost: ask the gateway about SMS that none settled within 10 minutes.
      name: 'notifications.sms-status',
      everySeconds: 300,
      leaseSeconds: 240,
      run: async () => {
        await delivery.reconcile(10);
      },
    },
  ];

  const navigation: ModuleNavigation = notificationsNavigation({
    isSystemAdmin: deps.isSystemAdmin,
    failed: failedLastWeek,
    unread: (accountId) => countUnread(deps.db, accountId),
  });

  return {
    delivery,
    jobs,
    navigation,
    async routes(app: AppInstance) {
      app.addHook('onClose', async () => email.close());
      if (c.sms && c.sms !== 'off')
        await app.register(smsReportRoutes, { delivery, secret: c.sms.reportSecret });
      await app.register(inboxPages, { db: deps.db });
      await app.register(unsubscribeRoutes, { db: deps.db, key: deps.unsubscribeKey });
      await app.register(adminMessagesPages, { db: deps.db, delivery, isSystemAdmin: deps.isSystemAdmin });
      if (!deps.production)
        await app.register(devMessagesPage, {
          db: deps.db,
          ...(deps.devInbox ? { received: deps.devInbox } : {}),
        });
    },
  };
}
