/** The notifications module on the officers' desk: messages that did not reach people, for system administrators. */
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { ADMIN_MESSAGES_PAGE } from './pages/admin-messages.page.tsx';

export function notificationsNavigation(deps: {
  isSystemAdmin(accountId: string): Promise<boolean>;
  /** Failed or expired messages of the last seven days. */
  failed(): Promise<number>;
}): ModuleNavigation {
  return {
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
