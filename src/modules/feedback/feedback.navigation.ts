/**
 * Feedback in the shell: "Phản ánh, kiến nghị" in the header, and a card on the home page that leads to
 * published answers and the sending form.
 */
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { FEEDBACK_PAGE, SUBMIT_PAGE } from './pages/paths.ts';

export function feedbackNavigation(): ModuleNavigation {
  return {
    links: [
      {
        id: 'feedback.public',
        area: 'header',
        order: 60,
        href: FEEDBACK_PAGE,
        label: { vi: 'Phản ánh, kiến nghị', en: 'Feedback' },
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
  };
}
