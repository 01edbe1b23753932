/**
 * The hotline on the officers' desk: for hotline operators of the Government Office, the desk page with
 * the callbacks waiting (danger when one is overdue) and the day's calls.
 */
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { GOVERNMENT_OFFICE, OPERATOR_ROLE } from './hotline.ports.ts';
import type { HotlineService } from './hotline.service.ts';
import { CALLBACKS_PAGE, DESK_PAGE } from './pages/paths.ts';

export function hotlineNavigation(deps: {
  service: Pick<HotlineService, 'queue' | 'figures'>;
  can(accountId: string, role: string, agency: string): Promise<boolean>;
}): ModuleNavigation {
  return {
    desk: [
      {
        id: 'hotline.desk',
        order: 30,
        title: { vi: 'Tổng đài hỗ trợ 18001096', en: 'Hotline 18001096' },
        description: {
          vi: 'Ghi cuộc gọi, tra cứu người gọi, chuyển thành phản ánh hoặc trả lời, gọi lại và số liệu trong ngày.',
          en: 'Log calls, look callers up, turn calls into feedback or answers, callbacks and the day’s figures.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          if (!(await deps.can(viewer.accountId, OPERATOR_ROLE, GOVERNMENT_OFFICE))) return null;
          const [queue, figures] = await Promise.all([
            deps.service.queue(viewer.accountId),
            deps.service.figures(viewer.accountId),
          ]);
          const overdue = queue.filter((q) => q.overdue).length;
          return {
            links: [
              {
                href: DESK_PAGE,
                label: { vi: 'Cuộc gọi hôm nay', en: 'Calls today' },
                count: figures.calls,
              },
              {
                href: CALLBACKS_PAGE,
                label: { vi: 'Chờ gọi lại', en: 'Callbacks waiting' },
                count: queue.length,
                tone: overdue > 0 ? 'danger' : 'normal',
              },
            ],
          };
        },
      },
    ],
  };
}
