/**
 * The documents module in the shell: on the home page, verifying an electronic copy (anyone); on the
 * officers' desk, the certifier's counter with the day's certifications awaiting their fee, and for agency
 * administrators the offices' certificates (to revoke).
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import type { ModuleNavigation } from '../../platform/web/index.ts';
import { COUNTER } from './certification/certification.pages.tsx';
import { KEYS_PAGE } from './keys/keys.pages.tsx';
import { VERIFY_PAGE } from './verification/verification.routes.tsx';

export function documentsNavigation(deps: {
  db: AnyDb;
  officesOf(accountId: string): Promise<Array<{ code: string; name: string }>>;
  /** Whether the officer administers some agency (the offices' certificates below it are theirs to revoke). */
  administers(accountId: string): Promise<boolean>;
}): ModuleNavigation {
  return {
    home: [
      {
        id: 'documents.verify',
        order: 55,
        href: VERIFY_PAGE,
        title: { vi: 'Xác thực bản sao điện tử', en: 'Verify an electronic copy' },
        description: {
          vi: 'Kiểm tra bản sao có chứng thực hoặc kết quả thủ tục đã ký số: ai ký, khi nào, có bị sửa, còn hiệu lực không.',
          en: 'Check a certified copy or a signed result: who signed it, when, whether it was changed, whether it stands.',
        },
      },
    ],
    desk: [
      {
        id: 'documents.counter',
        order: 30,
        title: { vi: 'Chứng thực bản sao điện tử', en: 'Certified electronic copies' },
        description: {
          vi: 'Chứng thực bản sao từ bản chính, thu lệ phí, ký số và thu hồi bản sao.',
          en: 'Certify copies from originals, take the fee, sign and revoke copies.',
        },
        async resolve(viewer) {
          if (viewer.kind !== 'officer') return null;
          const offices = await deps.officesOf(viewer.accountId);
          if (offices.length === 0) {
            // An agency administrator who does not certify: only the offices' certificates.
            if (!(await deps.administers(viewer.accountId))) return null;
            return {
              links: [
                {
                  href: KEYS_PAGE,
                  label: { vi: 'Chứng thư số của cơ quan', en: "The office's certificates" },
                },
              ],
            };
          }
          const r = await sql<{ n: number }>`
            select count(*)::int as n from documents.certifications
             where agency_code in (${sql.join(offices.map((o) => o.code))}) and status = 'awaiting-fee'`.execute(
            deps.db,
          );
          const waiting = r.rows[0]?.n ?? 0;
          return {
            links: [
              { href: `${COUNTER}/moi`, label: { vi: 'Chứng thực mới', en: 'New certification' } },
              {
                href: `${COUNTER}?trang-thai=awaiting-fee`,
                label: { vi: 'Chờ nộp lệ phí', en: 'Awaiting the fee' },
                count: waiting,
                tone: waiting > 0 ? 'warning' : 'normal',
              },
              { href: COUNTER, label: { vi: 'Chứng thực trong ngày', en: "Today's certifications" } },
              { href: KEYS_PAGE, label: { vi: 'Chứng thư số của cơ quan', en: "The office's certificates" } },
            ],
          };
        },
      },
    ],
  };
}
