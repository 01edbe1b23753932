/** /dev/tin-nhan: what the portal has sent, for development and the demo (never in production). */

import { vietnamDateTime } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { recentMessages } from '../notifications.service.ts';

export async function devMessagesPage(app: AppInstance, { db }: { db: AnyDb }) {
  app.get(
    '/dev/tin-nhan',
    { config: { access: access.public }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const rows = await recentMessages(db, 100);
      const title =
        locale === 'vi' ? 'Tin nhắn đã gửi (môi trường phát triển)' : 'Messages sent (development)';
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading title={title} />
          <Notice kind="warning">
            <p>
              {locale === 'vi'
                ? 'Trang này chỉ có khi chạy thử: tin nhắn SMS và thư điện tử được ghi lại ở đây thay vì gửi đi. Trang không tồn tại khi NODE_ENV=production.'
                : 'Development only: SMS and e-mail are recorded here instead of being sent. The page does not exist when NODE_ENV=production.'}
            </p>
          </Notice>
          <DataTable
            caption={title}
            columns={[
              { header: locale === 'vi' ? 'Thời gian' : 'Time', cell: (m) => vietnamDateTime(m.sent_at) },
              {
                header: locale === 'vi' ? 'Kênh' : 'Channel',
                cell: (m) => (m.channel === 'sms' ? 'SMS' : 'E-mail'),
              },
              { header: locale === 'vi' ? 'Người nhận' : 'To', cell: (m) => m.recipient },
              {
                header: locale === 'vi' ? 'Nội dung' : 'Content',
                cell: (m) => (
                  <>
                    {m.subject ? <strong>{m.subject}</strong> : null}
                    <pre class="message-body">{m.body}</pre>
                  </>
                ),
              },
            ]}
            rows={rows}
            rowKey={(m) => String(m.id)}
            empty={locale === 'vi' ? 'Chưa có tin nhắn nào.' : 'Nothing sent yet.'}
          />
        </Layout>,
      );
    },
  );
}
