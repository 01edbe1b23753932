/**
 * The catalogue's entries in the shell: "Thủ tục hành chính" in the header, and on the officers' desk
 * the procedure administration — what the officer's roles let them do there, with counts: an agency
 * administrator's drafts and versions waiting for the Government Office; a Government Office
 * supervisor's versions to publish and withdrawals to approve.
 */
import type { DeskLink, ModuleNavigation } from '../../platform/web/index.ts';
import type { CatalogueService } from './catalogue.service.ts';
import type { CatalogueRole } from './domain/lifecycle.ts';

export interface CatalogueNavigationDeps {
  service: Pick<CatalogueService, 'ownedProcedures' | 'queue'>;
  /** identity: the agencies where the account holds the role. */
  agenciesWhere(accountId: string, role: CatalogueRole): Promise<string[]>;
}

export function catalogueNavigation({ service, agenciesWhere }: CatalogueNavigationDeps): ModuleNavigation {
  return {
    links: [
      {
        id: 'catalogue.procedures',
        area: 'header',
        order: 10,
        href: '/thu-tuc',
        label: { vi: 'Thủ tục hành chính', en: 'Procedures' },
      },
    ],
    desk: [
      {
        id: 'catalogue.admin',
        order: 20,
        title: { vi: 'Thủ tục hành chính', en: 'Administrative procedures' },
        description: {
          vi: 'Soạn thảo, gửi kiểm thử và công khai thủ tục hành chính.',
          en: 'Draft procedures, send them for testing and publish them.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const [admin, vpcp] = await Promise.all([
            agenciesWhere(viewer.accountId, 'agency-admin'),
            agenciesWhere(viewer.accountId, 'vpcp-supervisor'),
          ]);
          const links: DeskLink[] = [];
          if (admin.length > 0) {
            const owned = await service.ownedProcedures(viewer.accountId);
            const count = (state: string) => owned.procedures.filter((p) => p.latest_state === state).length;
            links.push(
              {
                href: '/quan-tri/thu-tuc',
                label: { vi: 'Dự thảo đang soạn', en: 'Drafts being written' },
                count: count('draft'),
              },
              {
                href: '/quan-tri/thu-tuc',
                label: {
                  vi: 'Đang chờ Văn phòng Chính phủ công khai',
                  en: 'Waiting for the Government Office to publish',
                },
                count: count('testing'),
              },
              {
                href: '/quan-tri/thu-tuc',
                label: { vi: 'Đang chờ dừng công khai', en: 'Waiting for withdrawal' },
                count: count('pending-withdrawal'),
              },
              { href: '/quan-tri/thu-tuc/moi', label: { vi: 'Tạo thủ tục mới', en: 'New procedure' } },
            );
          }
          if (vpcp.length > 0) {
            const queue = await service.queue(viewer.accountId);
            const toPublish = queue.filter((q) => q.state === 'testing').length;
            const toWithdraw = queue.filter((q) => q.state === 'pending-withdrawal').length;
            links.push(
              {
                href: '/quan-tri/thu-tuc/hang-cho',
                label: { vi: 'Phiên bản chờ công khai', en: 'Versions to publish' },
                count: toPublish,
                tone: toPublish > 0 ? 'warning' : 'normal',
              },
              {
                href: '/quan-tri/thu-tuc/hang-cho',
                label: { vi: 'Đề nghị dừng công khai chờ duyệt', en: 'Withdrawals to approve' },
                count: toWithdraw,
                tone: toWithdraw > 0 ? 'warning' : 'normal',
              },
            );
          }
          if (links.length === 0) return null;
          if (admin.length === 0)
            links.push({
              href: '/quan-tri/thu-tuc',
              label: { vi: 'Quản trị thủ tục', en: 'Procedure administration' },
            });
          return { links };
        },
      },
    ],
  };
}
