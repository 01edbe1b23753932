/**
 * Quản trị webhook (system administrators): the endpoints each agency system registered, the latest
 * deliveries, the dead letters, and "Gửi lại" — a plain POST form with the CSRF token (works without
 * JavaScript) that puts a dead or failed delivery back to be tried now. An endpoint can be registered
 * here on a system's behalf; its signing secret is shown once. Anyone else gets 404.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
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
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { kindsOfScopes, type OutboundService } from '../outbound.service.ts';

export const WEBHOOKS_PAGE = '/quan-tri/dong-bo/webhook';

export interface MachineClientInfo {
  clientId: string;
  name: string;
  agencyCodes: string[];
  scopes: string[];
}

export interface WebhookPagesDeps {
  outbound: OutboundService;
  /** Is the account a system administrator (at the Government, CP)? */
  isSystemAdmin(accountId: string): Promise<boolean>;
  /** Machine clients (identity module). */
  machineClients(): Promise<MachineClientInfo[]>;
}

const VN = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const when = (d: Date | null) => (d ? VN.format(d) : '—');

const STATUS = {
  pending: { vi: 'Đang chờ gửi', en: 'Pending' },
  delivered: { vi: 'Đã gửi', en: 'Delivered' },
  dead: { vi: 'Đã bỏ (lỗi)', en: 'Dead letter' },
} as const;

export async function webhookPages(app: AppInstance, deps: WebhookPagesDeps) {
  const { outbound } = deps;

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
    state: {
      secret?: { clientId: string; url: string; secret: string };
      error?: string;
      redelivered?: number;
      status?: number;
    },
  ) {
    const locale = pageLocale(request);
    const [subscriptions, recent, dead, clients] = await Promise.all([
      outbound.subscriptions(),
      outbound.deliveries({ limit: 50 }),
      outbound.deliveries({ status: 'dead', limit: 100 }),
      deps.machineClients(),
    ]);
    const token = await reply.csrfToken();
    const title = tx(locale, 'Gửi hồ sơ đến hệ thống của cơ quan (webhook)', 'Outbound delivery (webhooks)');
    const redeliver = (d: { id: number; status: string; attempts: number }) =>
      d.status === 'dead' || (d.status === 'pending' && d.attempts > 0) ? (
        <form method="post" action={`${WEBHOOKS_PAGE}/gui-lai/${d.id}`} class="inline-form">
          <CsrfField token={token} />
          <button type="submit" class="button button--secondary">
            {tx(locale, 'Gửi lại', 'Redeliver')}
          </button>
        </form>
      ) : null;
    const deliveryColumns = [
      { header: '#', cell: (d: (typeof recent)[number]) => String(d.id), numeric: true },
      {
        header: tx(locale, 'Hồ sơ', 'Dossier'),
        cell: (d: (typeof recent)[number]) => (
          <>
            <code>{d.dossierCode}</code> ({d.action}, cursor {d.cursor})
          </>
        ),
      },
      {
        header: tx(locale, 'Ứng dụng / địa chỉ', 'Client / endpoint'),
        cell: (d: (typeof recent)[number]) => (
          <>
            <code>{d.clientId}</code> {d.url}
          </>
        ),
      },
      {
        header: tx(locale, 'Trạng thái', 'Status'),
        cell: (d: (typeof recent)[number]) => STATUS[d.status][locale],
      },
      {
        header: tx(locale, 'Số lần thử', 'Tries'),
        cell: (d: (typeof recent)[number]) => String(d.attempts),
        numeric: true,
      },
      {
        header: tx(locale, 'Kết quả lần cuối', 'Last result'),
        cell: (d: (typeof recent)[number]) =>
          `${d.lastStatusCode ?? '—'}${d.lastLatencyMs !== null ? ` · ${d.lastLatencyMs} ms` : ''}${d.lastError ? ` · ${d.lastError}` : ''}`,
      },
      {
        header: tx(locale, 'Thời điểm', 'When'),
        cell: (d: (typeof recent)[number]) =>
          d.status === 'delivered'
            ? when(d.deliveredAt)
            : d.status === 'dead'
              ? when(d.deadAt)
              : `${tx(locale, 'lần tới', 'next')} ${when(d.nextAttemptAt)}`,
      },
      { header: '', cell: redeliver },
    ];
    const sync = clients.filter((c) => kindsOfScopes(c.scopes).length > 0);
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Mỗi lần hồ sơ nộp trên Cổng đổi trạng thái, hệ thống một cửa của cơ quan có thẩm quyền nhận một bản ghi DongBoHoSoMC, ký theo chuẩn Standard Webhooks; ứng dụng có phạm vi feedback nhận cả phản ánh, kiến nghị được chuyển đến cơ quan. Lần gửi không thành công được thử lại với thời gian chờ tăng dần; hết số lần thử thì vào danh sách lỗi và có thể gửi lại.',
            'Each change of a portal dossier is POSTed to the competent agency’s system as a DongBoHoSoMC record, signed per Standard Webhooks; clients with scope feedback also get the feedback routed to their agencies. Failed deliveries are retried with growing waits; after the last try they become dead letters, which can be redelivered.',
          )}
        />
        {state.redelivered !== undefined ? (
          <Notice kind="success" title={tx(locale, 'Đã đưa lại vào hàng gửi', 'Queued again')}>
            <p>
              {tx(locale, 'Lần gửi', 'Delivery')} #{state.redelivered}
            </p>
          </Notice>
        ) : null}
        {state.error ? (
          <Notice kind="error" title={tx(locale, 'Không thực hiện được', 'Could not do it')}>
            <p>{state.error}</p>
          </Notice>
        ) : null}
        {state.secret ? (
          <Notice
            kind="success"
            title={tx(
              locale,
              'Đã đăng ký. Lưu khóa ký ngay: khóa chỉ hiển thị một lần.',
              'Registered. Save the signing secret now: it is shown once.',
            )}
          >
            <p>
              <code>{state.secret.clientId}</code> → {state.secret.url}
            </p>
            <p>
              <code>{state.secret.secret}</code>
            </p>
          </Notice>
        ) : null}

        <h2>{tx(locale, 'Địa chỉ nhận theo ứng dụng', 'Endpoints per client')}</h2>
        <DataTable
          caption={tx(locale, 'Địa chỉ nhận theo ứng dụng', 'Endpoints per client')}
          columns={[
            { header: 'client_id', cell: (s) => <code>{s.clientId}</code> },
            { header: tx(locale, 'Địa chỉ', 'URL'), cell: (s) => s.url },
            { header: tx(locale, 'Cơ quan', 'Agencies'), cell: (s) => s.agencyCodes.join(', ') },
            {
              header: tx(locale, 'Hoạt động', 'Active'),
              cell: (s) => (s.active ? tx(locale, 'Có', 'Yes') : tx(locale, 'Đã dừng', 'Stopped')),
            },
            { header: tx(locale, 'Chờ', 'Pending'), cell: (s) => String(s.pending), numeric: true },
            { header: tx(locale, 'Đã gửi', 'Delivered'), cell: (s) => String(s.delivered), numeric: true },
            { header: tx(locale, 'Lỗi', 'Dead'), cell: (s) => String(s.dead), numeric: true },
          ]}
          rows={subscriptions}
          rowKey={(s) => s.id}
          empty={tx(locale, 'Chưa có địa chỉ nào.', 'No endpoint yet.')}
        />

        <h2>{tx(locale, 'Danh sách lỗi (dead letter)', 'Dead letters')}</h2>
        <DataTable
          caption={tx(locale, 'Danh sách lỗi', 'Dead letters')}
          columns={deliveryColumns}
          rows={dead}
          rowKey={(d) => `dead-${d.id}`}
          empty={tx(locale, 'Không có lần gửi nào bị bỏ.', 'No dead letter.')}
        />

        <h2>{tx(locale, 'Lần gửi gần đây', 'Recent deliveries')}</h2>
        <DataTable
          caption={tx(locale, 'Lần gửi gần đây', 'Recent deliveries')}
          columns={deliveryColumns}
          rows={recent}
          rowKey={(d) => `recent-${d.id}`}
          empty={tx(locale, 'Chưa có lần gửi nào.', 'No delivery yet.')}
        />

        <h2>{tx(locale, 'Đăng ký địa chỉ nhận thay cho ứng dụng', 'Register an endpoint for a client')}</h2>
        <form method="post" action={WEBHOOKS_PAGE} class="form" novalidate>
          <CsrfField token={token} />
          <div class="field">
            <label for="clientId">{tx(locale, 'Ứng dụng (phạm vi sync)', 'Client (scope sync)')}</label>
            <select id="clientId" name="clientId" required>
              {sync.map((c) => (
                <option value={c.clientId}>
                  {c.clientId} — {c.name} ({c.agencyCodes.join(', ')})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="url">{tx(locale, 'Địa chỉ nhận (https)', 'Endpoint URL (https)')}</label>
            <input id="url" name="url" type="url" maxLength={2000} required />
          </div>
          <div class="actions">
            <button type="submit" class="button">
              {tx(locale, 'Đăng ký', 'Register')}
            </button>
          </div>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    WEBHOOKS_PAGE,
    {
      config: { access: access.officer('system-admin') },
      schema: {
        hide: true,
        querystring: Type.Object({ 'gui-lai': Type.Optional(Type.Integer({ minimum: 1 })) }),
      },
    },
    async (request, reply) => {
      if (!(await systemAdmin(request, reply))) return reply;
      const redelivered = request.query['gui-lai'];
      return page(request, reply, redelivered !== undefined ? { redelivered } : {});
    },
  );

  app.post(
    WEBHOOKS_PAGE,
    {
      config: { access: access.officer('system-admin') },
      schema: { hide: true, body: FormBody({ clientId: S(64), url: S(2000) }) },
    },
    async (request, reply) => {
      const account = await systemAdmin(request, reply);
      if (!account) return reply;
      const client = (await deps.machineClients()).find(
        (c) => c.clientId === request.body.clientId && kindsOfScopes(c.scopes).length > 0,
      );
      if (!client)
        return page(request, reply, {
          error: 'Chọn một ứng dụng có phạm vi sync hoặc feedback.',
          status: 400,
        });
      try {
        const s = await outbound.subscribe({
          clientId: client.clientId,
          agencyCodes: client.agencyCodes,
          kinds: kindsOfScopes(client.scopes),
          url: request.body.url ?? '',
          createdBy: `officer:${account.id}`,
        });
        return page(request, reply, { secret: { clientId: client.clientId, url: s.url, secret: s.secret } });
      } catch (e) {
        if (e instanceof AppError) return page(request, reply, { error: e.message, status: e.status });
        throw e;
      }
    },
  );

  app.post(
    `${WEBHOOKS_PAGE}/gui-lai/:id`,
    {
      config: { access: access.officer('system-admin') },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 20 }) }),
        body: FormBody({}),
      },
    },
    async (request, reply) => {
      const account = await systemAdmin(request, reply);
      if (!account) return reply;
      const id = Number(request.params.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError('Không có lần gửi này.');
      try {
        await outbound.redeliver(id, `officer:${account.id}`);
      } catch (e) {
        if (e instanceof AppError) return page(request, reply, { error: e.message, status: e.status });
        throw e;
      }
      return reply.code(303).redirect(`${WEBHOOKS_PAGE}?gui-lai=${id}`);
    },
  );
}
