/**
 * The dossiers module's entries in the shell: "Hồ sơ của tôi" in the header for applicants, with the
 * number of dossiers waiting for them (a supplement to send, a fee to pay), and on the officers' desk the
 * inbox's groups with their counts (new, mine, due soon, overdue, reported to the leaders).
 */
import type { DeskLink, ModuleNavigation } from '../../platform/web/index.ts';
import type { Desk, InboxTab } from './dossiers.desk.ts';

const DESK_TABS: ReadonlyArray<{ tab: InboxTab; vi: string; en: string; tone?: DeskLink['tone'] }> = [
  { tab: 'new', vi: 'Mới nộp, chờ tiếp nhận', en: 'New, awaiting reception' },
  { tab: 'mine', vi: 'Được giao cho tôi', en: 'Assigned to me' },
  { tab: 'due-soon', vi: 'Sắp đến hạn', en: 'Due soon', tone: 'warning' },
  { tab: 'overdue', vi: 'Quá hạn', en: 'Overdue', tone: 'danger' },
  { tab: 'escalated', vi: 'Đã báo cáo lãnh đạo', en: 'Reported to the leaders', tone: 'danger' },
];

export function dossiersNavigation(
  desk: Pick<Desk, 'waitingForApplicant' | 'inboxCounts' | 'officerScope'>,
): ModuleNavigation {
  return {
    links: [
      {
        id: 'dossiers.mine',
        area: 'header',
        order: 30,
        href: '/ho-so/cua-toi',
        label: { vi: 'Hồ sơ của tôi', en: 'My dossiers' },
        audience: ['citizen', 'business', 'organisation'],
        count: (viewer) => desk.waitingForApplicant(viewer.accountId),
        countLabel: { vi: 'hồ sơ cần bạn bổ sung hoặc nộp phí', en: 'dossiers waiting for you' },
      },
    ],
    desk: [
      {
        id: 'dossiers.inbox',
        order: 10,
        title: { vi: 'Hồ sơ cần xử lý', en: 'Dossiers to handle' },
        description: {
          vi: 'Hồ sơ tại các cơ quan bạn có vai trò tiếp nhận, xử lý, phê duyệt hoặc thu phí.',
          en: 'Dossiers at the agencies where you receive, process, approve or collect fees.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const scope = await desk.officerScope(viewer.accountId);
          if (Object.values(scope).every((codes) => codes.length === 0)) return null;
          const counts = await desk.inboxCounts(viewer.accountId);
          return {
            links: [
              ...DESK_TABS.map((t) => ({
                href: `/quan-tri/ho-so?tab=${t.tab}`,
                label: { vi: t.vi, en: t.en },
                count: counts[t.tab],
                ...(t.tone && counts[t.tab] > 0 ? { tone: t.tone } : {}),
              })),
              {
                href: '/quan-tri/ho-so?tab=open',
                label: { vi: 'Tất cả hồ sơ đang giải quyết', en: 'All open dossiers' },
                count: counts.open,
              },
            ],
          };
        },
      },
    ],
  };
}
