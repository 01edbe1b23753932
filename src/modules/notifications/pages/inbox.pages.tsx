/**
 * The portal inbox and the choice of channels, for any signed-in account:
 * - `/thong-bao`: everything the portal told the account, newest first, unread marked, 20 a page;
 * - `/thong-bao/{id}`: one entry — opening it marks it read; another account's entry is 404;
 * - `/tai-khoan/thong-bao`: per topic, whether it also goes by SMS and by e-mail (a plain form with the
 *   CSRF token); codes and account/security notices are shown as always sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import {
  disabledChannels,
  type InboxEntry,
  listInbox,
  openInboxEntry,
  setChannel,
} from '../inbox.repository.ts';
import type { Channel } from '../messages.repository.ts';
import { TOPICS } from '../templates.ts';

export const INBOX_PAGE = '/thong-bao';
export const PREFERENCES_PAGE = '/tai-khoan/thong-bao';
const PAGE_SIZE = 20;
const CHANNELS: ReadonlyArray<{ channel: Channel; vi: string; en: string }> = [
  { channel: 'sms', vi: 'Tin nhắn SMS', en: 'SMS' },
  { channel: 'email', vi: 'Thư điện tử', en: 'E-mail' },
];

/** The topics an account of this kind may receive. */
const topicsFor = (kind: string) => TOPICS.filter((t) => !t.officers || kind === 'officer');

/** The text of an entry: paragraphs at blank lines, line breaks kept. */
function Body({ text }: { text: string }) {
  return (
    <div class="inbox-body">
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split('\n').map((line, j) => (
            <>
              {j > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

const accountCrumb = (locale: Locale) => ({ label: tx(locale, 'Tài khoản', 'Account'), href: '/tai-khoan' });

export async function inboxPages(app: AppInstance, deps: { db: AnyDb }) {
  app.get(
    INBOX_PAGE,
    {
      config: { access: access.account() },
      schema: {
        hide: true,
        querystring: Type.Object({
          lang: S(2),
          trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const account = request.account!;
      const page = request.query.trang ?? 1;
      const { entries, more } = await listInbox(deps.db, account.id, {
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      const title = tx(locale, 'Thông báo', 'Notifications');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Mọi điều Cổng thông báo cho bạn, mới nhất trước — kể cả khi bạn đã chọn không nhận qua SMS hoặc thư điện tử.',
              'Everything the portal told you, newest first — including what you chose not to receive by SMS or e-mail.',
            )}
          >
            <p>
              <a href={PREFERENCES_PAGE}>
                {tx(locale, 'Chọn cách nhận thông báo', 'Choose how you are notified')}
              </a>
            </p>
          </PageHeading>
          <DataTable
            caption={tx(locale, 'Thông báo', 'Notifications')}
            columns={[
              {
                header: tx(locale, 'Tình trạng', 'Status'),
                cell: (e: InboxEntry) =>
                  e.read_at ? (
                    tx(locale, 'Đã đọc', 'Read')
                  ) : (
                    <strong class="badge badge--unread">{tx(locale, 'Chưa đọc', 'Unread')}</strong>
                  ),
              },
              {
                header: tx(locale, 'Nội dung', 'Subject'),
                cell: (e: InboxEntry) => {
                  const link = <a href={`${INBOX_PAGE}/${e.id}`}>{e.subject}</a>;
                  return e.read_at ? link : <strong>{link}</strong>;
                },
              },
              {
                header: tx(locale, 'Thời điểm', 'When'),
                cell: (e: InboxEntry) => vietnamWhen(e.created_at),
              },
            ]}
            rows={entries}
            rowKey={(e) => String(e.id)}
            empty={tx(locale, 'Chưa có thông báo nào.', 'No notification yet.')}
          />
          {page > 1 || more ? (
            <nav class="pager" aria-label={tx(locale, 'Trang', 'Pages')}>
              {page > 1 ? (
                <a href={`${INBOX_PAGE}?trang=${page - 1}`} rel="prev">
                  {tx(locale, '← Mới hơn', '← Newer')}
                </a>
              ) : null}{' '}
              <span>{tx(locale, `Trang ${page}`, `Page ${page}`)}</span>{' '}
              {more ? (
                <a href={`${INBOX_PAGE}?trang=${page + 1}`} rel="next">
                  {tx(locale, 'Cũ hơn →', 'Older →')}
                </a>
              ) : null}
            </nav>
          ) : null}
        </Layout>,
      );
    },
  );

  app.get(
    `${INBOX_PAGE}/:id`,
    {
      config: { access: access.account() },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 20 }) }),
        querystring: Type.Object({ lang: S(2) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const id = Number(request.params.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError('Không có thông báo này.');
      const entry = await openInboxEntry(deps.db, request.account!.id, id);
      if (!entry) throw new NotFoundError('Không có thông báo này.');
      const inbox = tx(locale, 'Thông báo', 'Notifications');
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={entry.subject}
          path={request.url}
          breadcrumbs={[{ label: inbox, href: INBOX_PAGE }, { label: entry.subject }]}
        >
          <PageHeading title={entry.subject}>
            <p class="meta">{vietnamWhen(entry.created_at)}</p>
          </PageHeading>
          <Body text={entry.body} />
          {entry.link ? (
            <p>
              <a class="button" href={entry.link}>
                {tx(locale, 'Xem hồ sơ', 'Open the dossier')}
              </a>
            </p>
          ) : null}
          <p>
            <a href={INBOX_PAGE}>{tx(locale, '← Tất cả thông báo', '← All notifications')}</a>
          </p>
        </Layout>,
      );
    },
  );

  async function preferencesPage(request: FastifyRequest, reply: FastifyReply, saved: boolean) {
    const locale = pageLocale(request);
    const account = request.account!;
    const off = await disabledChannels(deps.db, account.id);
    const isOff = (channel: Channel, topic: string) =>
      off.some((o) => o.channel === channel && o.topic === topic);
    const title = tx(locale, 'Cách nhận thông báo', 'How you are notified');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[accountCrumb(locale), { label: title }]}
      >
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Mọi thông báo luôn có trong mục Thông báo trên Cổng. Chọn những gì bạn cũng muốn nhận qua SMS và thư điện tử (đến số điện thoại, địa chỉ đã xác minh của tài khoản). Mã xác minh và thông báo về an toàn tài khoản luôn được gửi.',
            'Every notification is always in Notifications on the portal. Choose what you also want by SMS and e-mail (to your account’s verified phone and address). Codes and account security notices are always sent.',
          )}
        />
        {saved ? (
          <Notice kind="success" title={tx(locale, 'Đã lưu lựa chọn của bạn', 'Your choices were saved')} />
        ) : null}
        <form method="post" action={PREFERENCES_PAGE} class="form">
          <CsrfField token={await reply.csrfToken()} />
          <DataTable
            caption={tx(locale, 'Kênh nhận theo loại thông báo', 'Channels by kind of notification')}
            columns={[
              {
                header: tx(locale, 'Loại thông báo', 'Kind'),
                cell: (t: (typeof TOPICS)[number]) => t[locale],
              },
              ...CHANNELS.map((c) => ({
                header: c[locale],
                cell: (t: (typeof TOPICS)[number]) =>
                  t.optional ? (
                    <label>
                      <input
                        type="checkbox"
                        name={`${c.channel}.${t.topic}`}
                        value="on"
                        checked={!isOff(c.channel, t.topic)}
                      />{' '}
                      {tx(locale, `Nhận qua ${c.vi.toLowerCase()}`, `By ${c.en}`)}
                    </label>
                  ) : (
                    tx(locale, 'Luôn gửi (không tắt được)', 'Always sent (cannot be turned off)')
                  ),
              })),
              {
                header: tx(locale, 'Trên Cổng', 'On the portal'),
                cell: (t: (typeof TOPICS)[number]) =>
                  t.topic === 'codes'
                    ? tx(locale, 'Không (mã chỉ gửi qua SMS, thư)', 'No (codes go by SMS or e-mail only)')
                    : tx(locale, 'Luôn có', 'Always'),
              },
            ]}
            rows={topicsFor(account.kind)}
            rowKey={(t) => t.topic}
            empty=""
          />
          <button type="submit" class="button">
            {tx(locale, 'Lưu', 'Save')}
          </button>
        </form>
        <p>
          <a href={INBOX_PAGE}>{tx(locale, 'Xem thông báo', 'See your notifications')}</a>
        </p>
      </Layout>,
    );
  }

  const optional = TOPICS.filter((t) => t.optional);
  const fields = Object.fromEntries(
    CHANNELS.flatMap((c) => optional.map((t) => [`${c.channel}.${t.topic}`, S(3)])),
  );

  app.get(
    PREFERENCES_PAGE,
    {
      config: { access: access.account() },
      schema: {
        hide: true,
        querystring: Type.Object({ lang: S(2), 'da-luu': S(1) }),
      },
    },
    async (request, reply) => preferencesPage(request, reply, request.query['da-luu'] === '1'),
  );

  app.post(
    PREFERENCES_PAGE,
    { config: { access: access.account() }, schema: { hide: true, body: FormBody(fields) } },
    async (request, reply) => {
      const account = request.account!;
      const body = request.body as Record<string, string | undefined>;
      await deps.db.transaction().execute(async (trx) => {
        for (const t of topicsFor(account.kind).filter((x) => x.optional))
          for (const c of CHANNELS)
            await setChannel(trx, account.id, c.channel, t.topic, body[`${c.channel}.${t.topic}`] === 'on');
      });
      return reply.code(303).redirect(`${PREFERENCES_PAGE}?da-luu=1`);
    },
  );
}
