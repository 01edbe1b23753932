/**
 * Feedback in the shell: "Phản ánh, kiến nghị" in the header; the submitter's items in the account menu;
 * a card on the home page that leads to the sending form; on the officers' desk, for the Government
 * Office and agency handlers, what waits for them with the number overdue.
 */
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { AGENCY_HANDLER_ROLES, GOVERNMENT_OFFICE } from './feedback.ports.ts';
import type { FeedbackService } from './feedback.service.ts';
import { FEEDBACK_PAGE, MY_FEEDBACK, OFFICE_INBOX, SUBMIT_PAGE } from './pages/paths.ts';

export function feedbackNavigation(deps: {
  service: Pick<FeedbackService, 'inbox'>;
  can(accountId: string, role: string, agency: string): Promise<boolean>;
  agenciesWhere(accountId: string, role: string): Promise<string[]>;
}): ModuleNavigation {
  return {
    links: [
      {
        id: 'feedback.public',
        area: 'header',
        order: 60,
        href: FEEDBACK_PAGE,
        label: { vi: 'Phản ánh, kiến nghị', en: 'Feedback' },
      },
      {
        id: 'feedback.mine',
        area: 'account',
        order: 40,
        href: MY_FEEDBACK,
        label: { vi: 'Phản ánh, kiến nghị của tôi', en: 'My feedback' },
        audience: ['citizen', 'business', 'organisation'],
      },
    ],
    home: [
      {
        id: 'feedback.submit',
        order: 60,
        href: SUBMIT_PAGE,
        title: { vi: 'Gửi phản ánh, kiến nghị', en: 'Send feedback' },
        description: {
          vi: 'Phản ánh về quy định hành chính và việc giải quyết hồ sơ; xem các câu trả lời đã công khai.',
          en: 'Feedback on administrative regulations and dossier handling; read published answers.',
        },
      },
    ],
    desk: [
      {
        id: 'feedback.handling',
        order: 45,
        title: { vi: 'Phản ánh, kiến nghị', en: 'Feedback and petitions' },
        description: {
          vi: 'Phân loại, chuyển xử lý, trả lời và công khai phản ánh, kiến nghị.',
          en: 'Triage, forward, answer and publish feedback.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const office = await deps.can(viewer.accountId, 'vpcp-supervisor', GOVERNMENT_OFFICE);
          let agency = false;
          for (const role of AGENCY_HANDLER_ROLES)
            if (!agency && (await deps.agenciesWhere(viewer.accountId, role)).length > 0) agency = true;
          if (!office && !agency) return null;
          const rows = await deps.service.inbox(viewer.accountId);
          const overdue = rows.filter((r) => r.worst === 'overdue').length;
          return {
            links: [
              {
                href: OFFICE_INBOX,
                label: { vi: 'Phản ánh chờ xử lý', en: 'Feedback waiting' },
                count: rows.length,
                tone: overdue > 0 ? 'danger' : 'normal',
              },
            ],
          };
        },
      },
    ],
  };
}
