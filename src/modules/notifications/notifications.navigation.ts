/**
 * The notifications module in the shell: "Thông báo" in the header for every signed-in account, with
 * the number of unread entries; "Cách nhận thông báo" in the account menu; and on the officers' desk the
 * messages that did not reach people, for system administrators.
 */
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { ADMIN_MESSAGES_PAGE } from './pages/admin-messages.page.tsx';
import { INBOX_PAGE, PREFERENCES_PAGE } from './pages/inbox.pages.tsx';

export function notificationsNavigation(deps: {
  isSystemAdmin(accountId: string): Promise<boolean>;
  /** Failed or expired messages of the last seven days. */
  failed(): Promise<number>;
  /** Unread entries in the account's inbox. */
  unread(accountId: string): Promise<number>;
}): ModuleNavigation {
  return {
    links: [
      {
        id: 'notifications.inbox',
        area: 'header',
        order: 40,
        href: INBOX_PAGE,
        label: { vi: 'Thông báo', en: 'Notifications' },
        audience: 'signed-in',
        count: (viewer) => deps.unread(viewer.accountId),
        countLabel: { vi: 'thông báo chưa đọc', en: 'unread notifications' },
      },
      {
        id: 'notifications.preferences',
        area: 'account',
        order: 20,
        href: PREFERENCES_PAGE,
        label: { vi: 'Cách nhận thông báo', en: 'How you are notified' },
        audience: 'signed-in',
      },
    ],
    desk: [
      {
        id: 'notifications.delivery',
        order: 80,
        title: { vi: 'Tin nhắn và thư điện tử', en: 'SMS and e-mail' },
        description: {
          vi: 'Tin gửi đến công dân, doanh nghiệp và cán bộ: trạng thái, tin không gửi được, gửi lại.',
          en: 'Messages to citizens, businesses and officers: their state, those that failed, resending.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer' || !(await deps.isSystemAdmin(viewer.accountId))) return null;
          const failed = await deps.failed();
          return {
            links: [
              {
                href: ADMIN_MESSAGES_PAGE,
                label: {
                  vi: 'Tin không gửi được (7 ngày qua)',
                  en: 'Messages that failed (last 7 days)',
                },
                count: failed,
                tone: failed > 0 ? 'danger' : 'normal',
              },
            ],
          };
        },
      },
    ],
  };
}
