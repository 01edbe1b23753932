/**
 * The payments module in the shell: "Lịch sử thanh toán" in the account menu of every signed-in person;
 * on the officers' desk, for cashiers and accountants, the payments of their agencies, reconciliation
 * with the number of open mismatches, and (accountants) the ledger.
 */
import type { ModuleNavigation } from '../../platform/web/index.ts';
import type { Officers } from './officers.ts';
import { LEDGER_PAGE, OFFICER_PAYMENTS } from './pages/officers.pages.tsx';
import { PAYER_HISTORY } from './pages/payer.pages.tsx';
import { RECONCILIATION } from './pages/reconciliation.pages.tsx';
import type { ReconciliationService } from './reconciliation/reconciliation.service.ts';

export function paymentsNavigation(deps: {
  officers: Officers;
  reconciliation: ReconciliationService;
}): ModuleNavigation {
  return {
    links: [
      {
        id: 'payments.history',
        area: 'account',
        order: 15,
        href: PAYER_HISTORY,
        label: { vi: 'Lịch sử thanh toán', en: 'Payment history' },
        audience: ['citizen', 'business', 'organisation'],
      },
    ],
    desk: [
      {
        id: 'payments.officers',
        order: 35,
        title: { vi: 'Thu phí, lệ phí và đối soát', en: 'Payments and reconciliation' },
        description: {
          vi: 'Các khoản thu của đơn vị, hoàn tiền, đối soát với ngân hàng và ví điện tử.',
          en: 'Payments of your agencies, refunds, reconciliation with banks and e-wallets.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const agencies = await deps.officers.agenciesOf(viewer.accountId);
          if (agencies.length === 0) return null;
          const books = await deps.officers.booksOf(viewer.accountId);
          const open = await deps.reconciliation.openCount(agencies);
          return {
            links: [
              { href: OFFICER_PAYMENTS, label: { vi: 'Các khoản thu', en: 'Payments' } },
              {
                href: RECONCILIATION,
                label: { vi: 'Chênh lệch đối soát chưa xử lý', en: 'Open reconciliation mismatches' },
                count: open,
                tone: open > 0 ? 'warning' : 'normal',
              },
              ...(books.length > 0 ? [{ href: LEDGER_PAGE, label: { vi: 'Sổ cái', en: 'Ledger' } }] : []),
            ],
          };
        },
      },
    ],
  };
}
