/**
 * The sync module's entries in the shell: "Tra cứu hồ sơ" (the public lookup) in the header, and on the
 * officers' desk the sync monitoring (every officer with a role somewhere sees their agencies) and, for
 * the system administrator, the outbound webhooks with the number of deliveries that gave up.
 */
import type { DeskLink, ModuleNavigation } from '../../platform/web/index.ts';

export interface SyncNavigationDeps {
  /** identity: the agencies where the account holds any role (the monitoring pages' scope). */
  grantAgencies(accountId: string): Promise<string[]>;
  /** Outbound delivery, when configured: who may manage it, and how many deliveries are dead letters. */
  webhooks?: {
    isSystemAdmin(accountId: string): Promise<boolean>;
    deadLetters(): Promise<number>;
  };
}

export function syncNavigation({ grantAgencies, webhooks }: SyncNavigationDeps): ModuleNavigation {
  return {
    links: [
      {
        id: 'sync.lookup',
        area: 'header',
        order: 20,
        href: '/tra-cuu-ho-so',
        label: { vi: 'Tra cứu hồ sơ', en: 'Track a dossier' },
      },
    ],
    desk: [
      {
        id: 'sync.monitoring',
        order: 40,
        administration: true,
        title: { vi: 'Đồng bộ hồ sơ', en: 'Dossier sync' },
        description: {
          vi: 'Hồ sơ từ hệ thống một cửa của bộ, ngành, địa phương: độ trễ, lỗi, tỷ lệ đồng bộ.',
          en: 'Dossiers from the agencies’ one-stop systems: delays, errors, the sync rate.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const [agencies, admin] = await Promise.all([
            grantAgencies(viewer.accountId),
            webhooks ? webhooks.isSystemAdmin(viewer.accountId) : false,
          ]);
          const links: DeskLink[] = [];
          if (agencies.length > 0)
            links.push({
              href: '/quan-tri/dong-bo',
              label: { vi: 'Giám sát đồng bộ hồ sơ', en: 'Sync monitoring' },
            });
          if (webhooks && admin) {
            const dead = await webhooks.deadLetters();
            links.push({
              href: '/quan-tri/dong-bo/webhook',
              label: {
                vi: 'Gửi hồ sơ đến hệ thống của cơ quan (webhook): lần gửi đã bỏ',
                en: 'Outbound delivery (webhooks): deliveries given up',
              },
              count: dead,
              tone: dead > 0 ? 'danger' : 'normal',
            });
          }
          return links.length > 0 ? { links } : null;
        },
      },
    ],
  };
}
