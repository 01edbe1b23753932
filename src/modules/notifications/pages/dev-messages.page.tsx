/**
 * /dev/tin-nhan: what the portal has sent and what became of each message, and — in the embedded demo —
 * what the mail sink and the SMS gateway simulator received. For development and the demo; never in
 * production.
 */

import { vietnamDateTime } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { MessageState } from '../messages.repository.ts';
import { recentMessages } from '../notifications.service.ts';
import { STATE_NAMES } from './admin-messages.page.tsx';

/** A message as a simulator of the outside world received it. */
export interface ReceivedMessage {
  channel: 'sms' | 'email';
  /** Where it was received: "hộp thư thử (SMTP)", "cổng SMS mô phỏng". */
  by: string;
  to: string;
  subject?: string;
  text: string;
  at: Date;
  /** The gateway's state of it (SMS). */
  status?: string;
}

export async function devMessagesPage(
  app: AppInstance,
  { db, received }: { db: AnyDb; received?: () => Promise<ReceivedMessage[]> },
) {
  app.get(
    '/dev/tin-nhan',
    { config: { access: access.public }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const vi = locale === 'vi';
      const [rows, inbox] = await Promise.all([
        recentMessages(db, 100),
        received ? received().catch(() => undefined) : Promise.resolve(undefined),
      ]);
      const title = vi ? 'Tin nhắn đã gửi (môi trường phát triển)' : 'Messages sent (development)';
      const sentTitle = vi ? 'Cổng đã gửi' : 'Sent by the portal';
      const receivedTitle = vi
        ? 'Hộp thư thử và cổng SMS mô phỏng đã nhận'
        : 'Received by the mail sink and the SMS gateway simulator';
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading title={title} />
          <Notice kind="warning">
            <p>
              {vi
                ? 'Trang này chỉ có khi chạy thử và không tồn tại khi NODE_ENV=production. Kênh chưa cấu hình (SMTP_URL, SMS_GATEWAY_URL) thì tin chỉ được ghi lại ở đây; bản chạy thử gửi thật đến hộp thư thử và cổng SMS mô phỏng.'
                : 'Development only; the page does not exist when NODE_ENV=production. A channel that is not configured (SMTP_URL, SMS_GATEWAY_URL) is only recorded here; the embedded demo really sends to a mail sink and a simulated SMS gateway.'}
            </p>
          </Notice>
          {inbox ? (
            <>
              <h2>{receivedTitle}</h2>
              <DataTable
                caption={receivedTitle}
                columns={[
                  { header: vi ? 'Thời gian' : 'Time', cell: (m) => vietnamDateTime(m.at) },
                  { header: vi ? 'Nơi nhận' : 'Received by', cell: (m) => m.by },
                  { header: vi ? 'Người nhận' : 'To', cell: (m) => m.to },
                  {
                    header: vi ? 'Nội dung' : 'Content',
                    cell: (m) => (
                      <>
                        {m.subject ? <strong>{m.subject}</strong> : null}
                        <pre class="message-body">{m.text}</pre>
                      </>
                    ),
                  },
                  { header: vi ? 'Trạng thái' : 'Status', cell: (m) => m.status ?? '—' },
                ]}
                rows={inbox}
                rowKey={(m) => `${m.by}-${m.at.getTime()}-${m.to}`}
                empty={vi ? 'Chưa nhận được gì.' : 'Nothing received yet.'}
              />
            </>
          ) : null}
          <h2>{sentTitle}</h2>
          <DataTable
            caption={sentTitle}
            columns={[
              {
                header: vi ? 'Thời gian' : 'Time',
                cell: (m) => vietnamDateTime(m.sent_at ?? m.queued_at),
              },
              { header: vi ? 'Kênh' : 'Channel', cell: (m) => (m.channel === 'sms' ? 'SMS' : 'E-mail') },
              { header: vi ? 'Người nhận' : 'To', cell: (m) => m.recipient },
              {
                header: vi ? 'Nội dung' : 'Content',
                cell: (m) => (
                  <>
                    {m.subject ? <strong>{m.subject}</strong> : null}
                    <pre class="message-body">{m.body}</pre>
                  </>
                ),
              },
              {
                header: vi ? 'Trạng thái' : 'State',
                cell: (m) =>
                  `${STATE_NAMES[m.state as MessageState]?.[locale] ?? m.state}${m.transport ? ` (${m.transport})` : ''}`,
              },
            ]}
            rows={rows}
            rowKey={(m) => String(m.id)}
            empty={vi ? 'Chưa có tin nhắn nào.' : 'Nothing sent yet.'}
          />
        </Layout>,
      );
    },
  );
}
