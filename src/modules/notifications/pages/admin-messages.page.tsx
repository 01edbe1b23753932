/**
 * /quan-tri/tin-nhan (system administrators): how many messages are in each state, the ones that did not
 * reach people (failed, expired) with why, and "Gửi lại" — a POST form with the CSRF token, working
 * without JavaScript — that queues a failed message again. Recipients are masked and bodies are not
 * shown (they hold one-time codes); one-time codes are never resent. Anyone else gets 404.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import { AppError, NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import type { Delivery } from '../delivery.service.ts';
import { listMessages, type MessageRow, type MessageState } from '../messages.repository.ts';

export const ADMIN_MESSAGES_PAGE = '/quan-tri/tin-nhan';

export const STATE_NAMES: Record<MessageState, { vi: string; en: string }> = {
  queued: { vi: 'Đang chờ gửi', en: 'Queued' },
  sent: { vi: 'Đã gửi đi', en: 'Sent' },
  delivered: { vi: 'Đã đến máy người nhận', en: 'Delivered' },
  failed: { vi: 'Không gửi được', en: 'Failed' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
};

/** 0912345678 / +84912345678 → +849****678; an.nguyen@example.vn → an***@example.vn. */
export function maskRecipient(to: string): string {
  const at = to.indexOf('@');
  if (at > 0) return `${to.slice(0, Math.min(2, at))}***${to.slice(at)}`;
  return to.length > 7 ? `${to.slice(0, to.length - 7)}****${to.slice(-3)}` : '****';
}

export async function adminMessagesPages(
  app: AppInstance,
  deps: { db: AnyDb; delivery: Delivery; isSystemAdmin(accountId: string): Promise<boolean> },
) {
  async function systemAdmin(request: FastifyRequest, reply: FastifyReply) {
    const account = request.account;
    if (!account) {
      await reply.code(303).redirect(`/dang-nhap?tiep=${encodeURIComponent(request.url)}`);
      return undefined;
    }
    if (account.kind !== 'officer' || !(await deps.isSystemAdmin(account.id)))
      throw new NotFoundError('Không tìm thấy trang.');
    return account;
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { resent?: number; error?: string; status?: number },
  ) {
    const locale = pageLocale(request);
    const [failed, recent] = await Promise.all([
      listMessages(deps.db, { states: ['failed', 'expired'], limit: 100 }),
      listMessages(deps.db, { limit: 50 }),
    ]);
    const token = await reply.csrfToken();
    const title = tx(locale, 'Tin nhắn và thư điện tử', 'SMS and e-mail');
    const columns = [
      { header: '#', cell: (m: MessageRow) => String(m.id), numeric: true },
      {
        header: tx(locale, 'Kênh', 'Channel'),
        cell: (m: MessageRow) => (m.channel === 'sms' ? 'SMS' : tx(locale, 'Thư điện tử', 'E-mail')),
      },
      { header: tx(locale, 'Người nhận', 'To'), cell: (m: MessageRow) => maskRecipient(m.recipient) },
      { header: tx(locale, 'Mẫu', 'Template'), cell: (m: MessageRow) => <code>{m.template}</code> },
      { header: tx(locale, 'Trạng thái', 'State'), cell: (m: MessageRow) => STATE_NAMES[m.state][locale] },
      {
        header: tx(locale, 'Số lần thử', 'Tries'),
        cell: (m: MessageRow) => String(m.attempts),
        numeric: true,
      },
      { header: tx(locale, 'Lỗi', 'Error'), cell: (m: MessageRow) => m.last_error ?? '—' },
      {
        header: tx(locale, 'Thời điểm', 'When'),
        cell: (m: MessageRow) => vietnamWhen(m.finished_at ?? m.sent_at ?? m.queued_at),
      },
      {
        header: '',
        cell: (m: MessageRow) =>
          (m.state === 'failed' || m.state === 'expired') && m.expires_at === null ? (
            <form method="post" action={`${ADMIN_MESSAGES_PAGE}/gui-lai/${m.id}`} class="inline-form">
              <CsrfField token={token} />
              <button type="submit" class="button button--secondary">
                {tx(locale, 'Gửi lại', 'Resend')} #{m.id}
              </button>
            </form>
          ) : m.expires_at !== null &&
            m.state !== 'sent' &&
            m.state !== 'delivered' &&
            m.state !== 'queued' ? (
            tx(locale, 'Mã dùng một lần: không gửi lại', 'One-time code: not resent')
          ) : null,
      },
    ];
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Mỗi tin nhắn SMS và thư điện tử Cổng gửi đi: chờ gửi, đã gửi, đã đến máy người nhận (theo báo cáo của cổng SMS), không gửi được hoặc hết hạn. Tin không gửi được sau số lần thử tối đa được liệt kê dưới đây và có thể gửi lại; mã dùng một lần thì không gửi lại (người dùng yêu cầu mã mới).',
            'Every SMS and e-mail the portal sends: queued, sent, delivered (per the SMS gateway’s report), failed or expired. Messages that failed after the last try are listed below and can be resent; one-time codes are not (the person asks for a new one).',
          )}
        />
        {state.resent !== undefined ? (
          <Notice kind="success" title={tx(locale, 'Đã đưa lại vào hàng gửi', 'Queued again')}>
            <p>
              {tx(locale, 'Tin nhắn', 'Message')} #{state.resent}
            </p>
          </Notice>
        ) : null}
        {state.error ? (
          <Notice kind="error" title={tx(locale, 'Không thực hiện được', 'Could not do it')}>
            <p>{state.error}</p>
          </Notice>
        ) : null}
        <h2>{tx(locale, 'Tin không gửi được', 'Messages that failed')}</h2>
        <DataTable
          caption={tx(locale, 'Tin không gửi được', 'Messages that failed')}
          columns={columns}
          rows={failed}
          rowKey={(m) => `failed-${m.id}`}
          empty={tx(locale, 'Không có tin nào không gửi được.', 'No message failed.')}
        />
        <h2>{tx(locale, 'Tin gần đây', 'Recent messages')}</h2>
        <DataTable
          caption={tx(locale, 'Tin gần đây', 'Recent messages')}
          columns={columns}
          rows={recent}
          rowKey={(m) => `recent-${m.id}`}
          empty={tx(locale, 'Chưa có tin nào.', 'No message yet.')}
        />
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    ADMIN_MESSAGES_PAGE,
    {
      config: { access: access.officer('system-admin') },
      schema: {
        hide: true,
        querystring: Type.Object({ 'gui-lai': Type.Optional(Type.Integer({ minimum: 1 })) }),
      },
    },
    async (request, reply) => {
      if (!(await systemAdmin(request, reply))) return reply;
      const resent = request.query['gui-lai'];
      return page(request, reply, resent !== undefined ? { resent } : {});
    },
  );

  app.post(
    `${ADMIN_MESSAGES_PAGE}/gui-lai/:id`,
    {
      config: { access: access.officer('system-admin') },
      schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 20 }) }), body: FormBody({}) },
    },
    async (request, reply) => {
      const admin = await systemAdmin(request, reply);
      if (!admin) return reply;
      const id = Number(request.params.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError('Không có tin nhắn này.');
      try {
        await deps.delivery.resend(id, admin.id);
      } catch (e) {
        if (e instanceof AppError && !(e instanceof NotFoundError))
          return page(request, reply, { error: e.message, status: e.status });
        throw e;
      }
      return reply.code(303).redirect(`${ADMIN_MESSAGES_PAGE}?gui-lai=${id}`);
    },
  );
}
