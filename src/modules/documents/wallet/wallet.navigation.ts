/**
 * The wallet in the shell: "Kho dữ liệu của tôi" in the account menu of citizens, businesses and
 * organisations, and a card on the home page.
 */
import type { ModuleNavigation } from '../../../platform/web/index.ts';

export const WALLET_PAGE = '/kho-du-lieu';

export const walletNavigation: ModuleNavigation = {
  links: [
    {
      id: 'documents.wallet',
      area: 'account',
      order: 35,
      href: WALLET_PAGE,
      label: { vi: 'Kho dữ liệu của tôi', en: 'My document wallet' },
      audience: ['citizen', 'business', 'organisation'],
    },
  ],
  home: [
    {
      id: 'documents.wallet-card',
      order: 56,
      href: WALLET_PAGE,
      title: { vi: 'Kho dữ liệu điện tử', en: 'Document wallet' },
      description: {
        vi: 'Bản sao có chứng thực, kết quả thủ tục đã ký số và giấy tờ của bạn: dùng lại khi nộp hồ sơ, chia sẻ có thời hạn.',
        en: 'Your certified copies, signed results and documents: reuse them in dossiers, share them for a limited time.',
      },
      audience: ['citizen', 'business', 'organisation'],
    },
  ],
};
