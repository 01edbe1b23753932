/**
 * Tra cứu hồ sơ: anyone with a dossier code and the last 4 characters of the applicant's ID number sees
 * the dossier's status, agency, dates and processing history. A plain GET form (works without
 * JavaScript); each lookup counts against the same per-IP limit as the JSON API.
 */
import { Type } from 'typebox';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { statusName } from '../../../platform/kernel/index.ts';
import type { Limit, SharedCounterLimiter } from '../../../platform/security/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { GuardedLookup } from '../lookup-guard.ts';
import type { LookupFound } from '../sync.service.ts';

const Query = Type.Object({
  ma: Type.Optional(Type.String({ maxLength: 60 })),
  so: Type.Optional(Type.String({ maxLength: 10 })),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
});

export const LOOKUP_LIMIT: Limit = { name: 'sync-lookup-ip', max: 30, windowSeconds: 60, per: 'address' };

const VN = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const when = (d: Date | null) => (d ? VN.format(d) : '—');

export async function lookupPages(
  app: AppInstance,
  deps: {
    limiter: Pick<SharedCounterLimiter, 'hit'>;
    /** The lookup behind its limit per dossier code (lookup-guard.ts). */
    guardedLookup(code: string, last4: string): Promise<GuardedLookup<LookupFound>>;
    agencyName(code: string): Promise<string | undefined>;
  },
) {
  app.get(
    '/tra-cuu-ho-so',
    { config: { access: access.public }, schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const title = tx(locale, 'Tra cứu hồ sơ', 'Look up a dossier');
      const code = request.query.ma?.trim().toUpperCase() ?? '';
      const last4 = request.query.so?.trim() ?? '';
      let outcome: 'none' | 'invalid' | 'limited' | 'code-locked' | 'not-found' | 'found' = 'none';
      let found: LookupFound | undefined;
      let agency: string | undefined;
      let status = 200;
      if (code || last4) {
        if (!/^[0-9A-Za-z]{4}$/.test(last4) || code.length < 10) outcome = 'invalid';
        else if (!(await deps.limiter.hit(LOOKUP_LIMIT, request.ip)).allowed) {
          outcome = 'limited';
          status = 429;
        } else {
          const r = await deps.guardedLookup(code, last4);
          if (r.kind === 'locked') {
            outcome = 'code-locked';
            status = 429;
            reply.header('retry-after', String(r.retryAfterSeconds));
          } else if (r.kind === 'found') found = r.found;
          if (r.kind !== 'locked') outcome = found ? 'found' : 'not-found';
          if (found) agency = await deps.agencyName(found.dossier.agency_code).catch(() => undefined);
        }
      }
      const d = found?.dossier;
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Nhập mã hồ sơ trên giấy tiếp nhận và 4 ký tự cuối của số giấy tờ (căn cước, mã số thuế) của người nộp hồ sơ.',
              'Enter the dossier code from your receipt and the last 4 characters of the applicant’s ID number.',
            )}
          />
          <form method="get" action="/tra-cuu-ho-so" class="filter-form">
            <div class="field">
              <label for="ma">{tx(locale, 'Mã hồ sơ', 'Dossier code')}</label>
              <input
                type="text"
                size={30}
                id="ma"
                name="ma"
                value={code}
                maxLength={60}
                required
                placeholder="000.00.00.H26-250701-0001"
                autocomplete="off"
              />
            </div>
            <div class="field">
              <label for="so">{tx(locale, '4 ký tự cuối số giấy tờ', 'Last 4 of the ID number')}</label>
              <input
                type="text"
                size={6}
                id="so"
                name="so"
                value={last4}
                maxLength={4}
                minLength={4}
                required
                inputMode="numeric"
                autocomplete="off"
              />
            </div>
            <button type="submit" class="button">
              {tx(locale, 'Tra cứu', 'Look up')}
            </button>
          </form>
          {outcome === 'invalid' ? (
            <Notice kind="error">
              {tx(
                locale,
                'Cần mã hồ sơ đầy đủ và đúng 4 ký tự cuối của số giấy tờ.',
                'A full dossier code and exactly 4 characters are needed.',
              )}
            </Notice>
          ) : null}
          {outcome === 'limited' ? (
            <Notice kind="error">
              {tx(
                locale,
                'Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau một phút.',
                'Too many lookups; please try again in a minute.',
              )}
            </Notice>
          ) : null}
          {outcome === 'code-locked' ? (
            <Notice kind="error">
              {tx(
                locale,
                'Hồ sơ này đã bị tra cứu sai quá nhiều lần nên tạm khóa tra cứu công khai trong một giờ, để bảo vệ thông tin của chủ hồ sơ (chủ hồ sơ đã được thông báo). Chủ hồ sơ vẫn xem được hồ sơ khi đăng nhập, mục "Hồ sơ của tôi".',
                'This dossier was looked up with wrong digits too many times: its public lookup is locked for an hour to protect its applicant, who has been told. The applicant can still see it after signing in.',
              )}
            </Notice>
          ) : null}
          {outcome === 'not-found' ? (
            <Notice kind="warning">
              {tx(
                locale,
                'Không tìm thấy hồ sơ với mã và 4 ký tự cuối số giấy tờ đã nhập. Hồ sơ nộp trực tiếp tại cơ quan có thể cần vài phút để được hệ thống của cơ quan đồng bộ về Cổng.',
                'No dossier matches this code and these 4 characters. A dossier filed at an agency’s counter may take a few minutes to reach the portal.',
              )}
            </Notice>
          ) : null}
          {found && d ? (
            <section aria-labelledby="ket-qua">
              <h2 id="ket-qua">{d.code}</h2>
              <dl class="facts">
                <dt>{tx(locale, 'Thủ tục', 'Procedure')}</dt>
                <dd>
                  {d.procedure_name ?? ''} ({d.procedure_code})
                </dd>
                <dt>{tx(locale, 'Cơ quan', 'Agency')}</dt>
                <dd>{agency ?? d.agency_code}</dd>
                <dt>{tx(locale, 'Trạng thái', 'Status')}</dt>
                <dd>
                  <strong>{statusName(d.status)}</strong>
                </dd>
                <dt>{tx(locale, 'Ngày tiếp nhận', 'Received')}</dt>
                <dd>{when(d.received_at ?? d.submitted_at)}</dd>
                <dt>{tx(locale, 'Ngày hẹn trả', 'Due')}</dt>
                <dd>{when(d.due_at)}</dd>
                {d.returned_at ? (
                  <>
                    <dt>{tx(locale, 'Ngày trả kết quả', 'Returned')}</dt>
                    <dd>{when(d.returned_at)}</dd>
                  </>
                ) : null}
              </dl>
              <DataTable
                caption={tx(locale, 'Quá trình xử lý', 'Processing history')}
                rows={found.history}
                rowKey={(h) => `${h.event_at.getTime()}-${h.event_key}`}
                empty={tx(locale, 'Chưa có bước xử lý nào được đồng bộ.', 'No processing step synced yet.')}
                columns={[
                  { header: tx(locale, 'Thời điểm', 'When'), cell: (h) => when(h.event_at) },
                  {
                    header: tx(locale, 'Trạng thái', 'Status'),
                    cell: (h) => statusName(h.status),
                  },
                  { header: tx(locale, 'Nội dung', 'What was done'), cell: (h) => h.content ?? '' },
                  {
                    header: tx(locale, 'Bộ phận', 'Department'),
                    cell: (h) => h.department ?? '',
                  },
                ]}
              />
            </section>
          ) : null}
        </Layout>,
        { status },
      );
    },
  );
}
