/**
 * Administration pages: agency administrators manage the officers of their agencies; system
 * administrators register the portals and systems that use the OpenID Connect provider. A page the
 * caller may not use answers 404, like a record outside their scope.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { ROLES, type Role } from '../identity.tables.ts';
import type { OfficersService } from '../officers.service.ts';
import { type ClientsService, MACHINE_SCOPES, type MachineScope } from '../oidc/clients.service.ts';
import { type SecondFactorLock, vietnamWhen } from '../second-factor-lock.ts';
import { Actions, attempt, CsrfField, ErrorSummary, Field, type FieldErrors, FormBody, S } from './forms.tsx';

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  receiver: { vi: 'Tiếp nhận hồ sơ', en: 'Receiver' },
  processor: { vi: 'Xử lý hồ sơ', en: 'Processor' },
  approver: { vi: 'Phê duyệt', en: 'Approver' },
  certifier: { vi: 'Chứng thực', en: 'Certifier' },
  cashier: { vi: 'Thu phí', en: 'Cashier' },
  accountant: { vi: 'Kế toán', en: 'Accountant' },
  'agency-admin': { vi: 'Quản trị cơ quan', en: 'Agency administrator' },
  'vpcp-supervisor': { vi: 'Giám sát (Văn phòng Chính phủ)', en: 'Government Office supervisor' },
  'hotline-operator': { vi: 'Tổng đài viên', en: 'Hotline operator' },
  'system-admin': { vi: 'Quản trị hệ thống', en: 'System administrator' },
};

const SCOPE_LABELS: Record<MachineScope, { vi: string; en: string }> = {
  sync: { vi: 'đồng bộ hồ sơ', en: 'dossier sync' },
  payments: { vi: 'thanh toán', en: 'payments' },
  catalogue: { vi: 'nhập thủ tục hành chính (bản nháp)', en: 'import procedures (drafts)' },
  clients: { vi: 'quản lý ứng dụng kết nối qua API', en: 'manage clients through the API' },
  fines: { vi: 'đăng ký quyết định xử phạt vi phạm giao thông', en: 'register traffic penalty decisions' },
  documents: {
    vi: 'lấy giấy tờ từ kho dữ liệu của công dân (khi được đồng ý)',
    en: 'fetch documents from wallets (with consent)',
  },
  feedback: {
    vi: 'nhận và trả lời phản ánh, kiến nghị chuyển đến cơ quan',
    en: 'receive and answer feedback routed to the agency',
  },
};

export interface AdminPagesOptions {
  officers: OfficersService;
  secondFactorLock: SecondFactorLock;
  clients: ClientsService;
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
}

export async function adminPages(
  app: AppInstance,
  { officers, secondFactorLock, clients, subtreeOf }: AdminPagesOptions,
) {
  /** The agencies (with everything below them) the signed-in officer administers; 404 when none. */
  async function administered(request: FastifyRequest, reply: FastifyReply) {
    const account = request.account;
    if (!account) {
      await reply.code(303).redirect(`/dang-nhap?tiep=${encodeURIComponent(request.url)}`);
      return undefined;
    }
    if (account.kind !== 'officer') throw new NotFoundError('Không tìm thấy trang.');
    const roots = [
      ...(await officers.agenciesWhere(account.id, 'system-admin')),
      ...(await officers.agenciesWhere(account.id, 'agency-admin')),
    ];
    if (roots.length === 0) throw new NotFoundError('Không tìm thấy trang.');
    const agencies: Array<{ code: string; name: string }> = [];
    for (const r of roots)
      for (const a of await subtreeOf(r)) if (!agencies.some((x) => x.code === a.code)) agencies.push(a);
    return { account, agencies };
  }

  async function officersPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; created?: string; released?: string; status?: number },
  ) {
    const scope = await administered(request, reply);
    if (!scope) return reply;
    const locale = pageLocale(request);
    const list = await officers.officersAt(scope.agencies.map((a) => a.code));
    const locks = await secondFactorLock.lockedUntil(list.map((o) => o.accountId));
    const token = await reply.csrfToken();
    const name = (code: string) => scope.agencies.find((a) => a.code === code)?.name ?? code;
    const title = tx(locale, 'Cán bộ của cơ quan', 'Officers');
    const e = state.errors ?? {};
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            `Các cơ quan bạn quản trị: ${scope.agencies.length}.`,
            `Agencies you administer: ${scope.agencies.length}.`,
          )}
        />
        {state.created ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                `Đã tạo tài khoản cán bộ ${state.created}. Cán bộ đặt mật khẩu bằng chức năng "Quên mật khẩu" với thư điện tử công vụ, rồi thiết lập ứng dụng xác thực ở lần đăng nhập đầu tiên.`,
                `Officer ${state.created} created. They set a password with "Forgot your password" and their work e-mail, then enrol an authenticator at first sign-in.`,
              )}
            </p>
          </Notice>
        ) : null}
        {state.released ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                `Đã mở khóa xác thực hai bước cho ${state.released}.`,
                `Two-step verification unlocked for ${state.released}.`,
              )}
            </p>
          </Notice>
        ) : null}
        <DataTable
          caption={title}
          columns={[
            { header: tx(locale, 'Họ và tên', 'Name'), cell: (o) => o.name },
            { header: tx(locale, 'Thư điện tử', 'E-mail'), cell: (o) => o.email ?? '—' },
            { header: tx(locale, 'Cơ quan', 'Agency'), cell: (o) => name(o.agencyCode) },
            {
              header: tx(locale, 'Vai trò', 'Roles'),
              cell: (o) =>
                o.roles.map((r) => ROLE_LABELS[r.split('@')[0] as Role]?.[locale] ?? r).join(', ') || '—',
            },
            {
              header: tx(locale, 'Xác thực hai bước', 'Two-step'),
              cell: (o) => {
                const until = locks.get(o.accountId);
                if (!until)
                  return o.enrolled ? tx(locale, 'Đã thiết lập', 'Enrolled') : tx(locale, 'Chưa', 'Not yet');
                return (
                  <form method="post" action={`/quan-tri/can-bo/${o.accountId}/mo-khoa`}>
                    <CsrfField token={token} />
                    <p>
                      {tx(
                        locale,
                        `Tạm khóa (nhập sai mã quá nhiều lần) đến ${vietnamWhen(until)}`,
                        `Locked (too many wrong codes) until ${until.toISOString()}`,
                      )}
                    </p>
                    <button type="submit" class="button button--secondary">
                      {tx(locale, 'Mở khóa', 'Unlock')}
                    </button>
                  </form>
                );
              },
            },
          ]}
          rows={list}
          rowKey={(o) => o.accountId}
          empty={tx(locale, 'Chưa có cán bộ nào.', 'No officer yet.')}
        />
        <h2 id="tao-moi">{tx(locale, 'Tạo tài khoản cán bộ', 'Create an officer')}</h2>
        <ErrorSummary errors={e} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        <form method="post" action="/quan-tri/can-bo" class="form" novalidate>
          <CsrfField token={token} />
          <div class="field">
            <label for="agency">{tx(locale, 'Cơ quan', 'Agency')}</label>
            <select id="agency" name="agency">
              {scope.agencies.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <Field
            name="displayName"
            label={tx(locale, 'Họ và tên', 'Full name')}
            error={e.displayName}
            required
          />
          <Field
            name="email"
            type="email"
            label={tx(locale, 'Thư điện tử công vụ', 'Work e-mail')}
            error={e.email}
            maxLength={254}
            required
          />
          <Field name="title" label={tx(locale, 'Chức danh', 'Title')} />
          <Field name="department" label={tx(locale, 'Phòng, ban', 'Department')} />
          <fieldset class="choices">
            <legend>{tx(locale, 'Vai trò', 'Roles')}</legend>
            {ROLES.filter((r) => r !== 'system-admin' && r !== 'vpcp-supervisor').map((r) => (
              <label key={r}>
                <input type="checkbox" name="roles" value={r} /> {ROLE_LABELS[r][locale]}
              </label>
            ))}
          </fieldset>
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Tạo tài khoản', 'Create')}
            </button>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/quan-tri/can-bo',
    { config: { access: access.officer('agency-admin', 'system-admin') }, schema: { hide: true } },
    (request, reply) => officersPage(request, reply, {}),
  );

  app.post(
    '/quan-tri/can-bo',
    {
      config: { access: access.officer('agency-admin', 'system-admin') },
      schema: {
        hide: true,
        body: FormBody({
          agency: S(40),
          displayName: S(200),
          email: S(254),
          title: S(200),
          department: S(200),
          roles: Type.Optional(
            Type.Union([
              Type.String({ maxLength: 40 }),
              Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }),
            ]),
          ),
        }),
      },
    },
    async (request, reply) => {
      const scope = await administered(request, reply);
      if (!scope) return reply;
      const b = request.body;
      const roles = (Array.isArray(b.roles) ? b.roles : b.roles ? [b.roles] : []).filter((r): r is Role =>
        (ROLES as readonly string[]).includes(r),
      );
      if (!b.displayName?.trim())
        return officersPage(request, reply, {
          errors: { displayName: 'Vui lòng nhập họ và tên.' },
          status: 400,
        });
      try {
        await officers.createOfficer(scope.account.id, {
          agencyCode: b.agency ?? '',
          displayName: b.displayName,
          email: b.email ?? '',
          ...(b.title ? { title: b.title } : {}),
          ...(b.department ? { department: b.department } : {}),
          roles,
        });
      } catch (err) {
        if (err instanceof AppError && err.status < 500) {
          const field = err.extras.errors?.[0]?.path ?? '_form';
          return officersPage(request, reply, {
            errors: { [field]: err.message },
            status: err.status === 403 ? 400 : err.status,
          });
        }
        throw err;
      }
      return officersPage(request, reply, { created: b.displayName });
    },
  );

  app.post(
    '/quan-tri/can-bo/:accountId/mo-khoa',
    {
      config: { access: access.officer('agency-admin', 'system-admin') },
      schema: {
        hide: true,
        params: Type.Object({ accountId: Type.String({ format: 'uuid', maxLength: 36 }) }),
        body: FormBody({}),
      },
    },
    async (request, reply) => {
      const scope = await administered(request, reply);
      if (!scope) return reply;
      // Only an officer of an agency the caller administers; anyone else is not found.
      const officer = (await officers.officersAt(scope.agencies.map((a) => a.code))).find(
        (o) => o.accountId === request.params.accountId,
      );
      if (!officer) throw new NotFoundError('Không tìm thấy cán bộ.');
      await secondFactorLock.release(scope.account.id, officer.accountId);
      return officersPage(request, reply, { released: officer.name });
    },
  );

  // ---- Relying parties and agency systems (system administrators) -----------------------------
  async function systemAdmin(request: FastifyRequest, reply: FastifyReply) {
    const account = request.account;
    if (!account) {
      await reply.code(303).redirect(`/dang-nhap?tiep=${encodeURIComponent(request.url)}`);
      return undefined;
    }
    if (account.kind !== 'officer' || !(await officers.can(account.id, 'system-admin', 'CP')))
      throw new NotFoundError('Không tìm thấy trang.');
    return account;
  }

  async function clientsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; secret?: { id: string; secret: string }; status?: number },
  ) {
    if (!(await systemAdmin(request, reply))) return reply;
    const locale = pageLocale(request);
    const rows = await clients.list();
    const title = tx(locale, 'Ứng dụng kết nối', 'Connected applications');
    const e = state.errors ?? {};
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Cổng dịch vụ công của bộ, ngành, địa phương đăng nhập người dùng qua Cổng (OpenID Connect); hệ thống một cửa của cơ quan lấy mã truy cập bằng client credentials.',
            'Ministry and province portals sign users in through the portal (OpenID Connect); agency systems get access tokens with client credentials.',
          )}
        />
        {state.secret ? (
          <Notice
            kind="success"
            title={tx(
              locale,
              'Đã đăng ký. Lưu khóa bí mật ngay: khóa chỉ hiển thị một lần.',
              'Registered. Save the secret now: it is shown once.',
            )}
          >
            <p>
              client_id: <code>{state.secret.id}</code>
            </p>
            <p>
              client_secret: <code>{state.secret.secret}</code>
            </p>
          </Notice>
        ) : null}
        <DataTable
          caption={title}
          columns={[
            { header: 'client_id', cell: (r) => <code>{r.clientId}</code> },
            { header: tx(locale, 'Tên', 'Name'), cell: (r) => r.name },
            {
              header: tx(locale, 'Loại', 'Kind'),
              cell: (r) =>
                r.kind === 'machine'
                  ? tx(locale, 'Hệ thống (máy)', 'System (machine)')
                  : tx(locale, 'Cổng đăng nhập', 'Sign-in portal'),
            },
            {
              header: tx(locale, 'Địa chỉ chuyển hướng / cơ quan', 'Redirect URIs / agencies'),
              cell: (r) => [...r.redirectUris, ...r.agencyCodes].join(', ') || '—',
            },
            { header: tx(locale, 'Phạm vi', 'Scopes'), cell: (r) => r.scopes.join(' ') || '—' },
          ]}
          rows={rows}
          rowKey={(r) => r.clientId}
          empty={tx(locale, 'Chưa có ứng dụng nào.', 'No application yet.')}
        />
        <h2>{tx(locale, 'Đăng ký ứng dụng', 'Register an application')}</h2>
        <ErrorSummary errors={e} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        <form method="post" action="/quan-tri/ung-dung" class="form" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <Field
            name="clientId"
            label="client_id"
            hint={tx(
              locale,
              '3–64 ký tự: chữ thường, số, dấu chấm, gạch dưới, gạch ngang.',
              '3–64 characters: a-z 0-9 . _ -',
            )}
            error={e.clientId}
            required
          />
          <Field name="name" label={tx(locale, 'Tên ứng dụng', 'Name')} error={e.name} required />
          <fieldset class="choices">
            <legend>{tx(locale, 'Loại', 'Kind')}</legend>
            <label>
              <input type="radio" name="kind" value="portal" checked />{' '}
              {tx(locale, 'Cổng đăng nhập người dùng', 'Sign-in portal')}
            </label>
            <label>
              <input type="radio" name="kind" value="machine" />{' '}
              {tx(locale, 'Hệ thống của cơ quan (client credentials)', 'Agency system (client credentials)')}
            </label>
          </fieldset>
          <Field
            name="redirectUris"
            label={tx(
              locale,
              'Địa chỉ chuyển hướng (cách nhau bởi dấu cách)',
              'Redirect URIs (space separated)',
            )}
            error={e.redirectUris}
            maxLength={2000}
          />
          <Field
            name="postLogoutRedirectUris"
            label={tx(locale, 'Địa chỉ sau đăng xuất', 'Post-logout redirect URIs')}
            maxLength={2000}
          />
          <Field
            name="backchannelLogoutUri"
            label={tx(locale, 'Địa chỉ nhận thông báo đăng xuất (back-channel)', 'Back-channel logout URI')}
            maxLength={500}
          />
          <Field
            name="agencyCodes"
            label={tx(locale, 'Mã cơ quan được phép (hệ thống máy)', 'Agency codes (machine clients)')}
            error={e.agencyCodes}
            maxLength={500}
          />
          <fieldset class="choices">
            <legend>{tx(locale, 'Phạm vi của hệ thống máy', 'Scopes of a machine client')}</legend>
            {e.scopes ? <p class="field-error">{e.scopes}</p> : null}
            {MACHINE_SCOPES.map((scope) => (
              <label>
                <input type="checkbox" name="scopes" value={scope} checked={scope === 'sync'} />{' '}
                <code>{scope}</code> — {SCOPE_LABELS[scope][locale]}
              </label>
            ))}
          </fieldset>
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Đăng ký', 'Register')}
            </button>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/quan-tri/ung-dung',
    { config: { access: access.officer('system-admin') }, schema: { hide: true } },
    (request, reply) => clientsPage(request, reply, {}),
  );

  app.post(
    '/quan-tri/ung-dung',
    {
      config: { access: access.officer('system-admin') },
      schema: {
        hide: true,
        body: FormBody({
          clientId: S(64),
          name: S(200),
          kind: S(20),
          redirectUris: S(2000),
          postLogoutRedirectUris: S(2000),
          backchannelLogoutUri: S(500),
          agencyCodes: S(500),
          scopes: Type.Optional(
            Type.Union([
              Type.String({ maxLength: 40 }),
              Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }),
            ]),
          ),
        }),
      },
    },
    async (request, reply) => {
      const account = await systemAdmin(request, reply);
      if (!account) return reply;
      const b = request.body;
      const list = (v: string | undefined) => (v ?? '').split(/[\s,]+/).filter(Boolean);
      const machine = b.kind === 'machine';
      const r = await attempt(
        () =>
          clients.register(
            `officer:${account.id}`,
            {
              clientId: b.clientId ?? '',
              name: b.name ?? '',
              kind: machine ? 'machine' : 'portal',
              ...(machine
                ? {
                    agencyCodes: list(b.agencyCodes),
                    scopes: Array.isArray(b.scopes) ? b.scopes : b.scopes ? [b.scopes] : [],
                  }
                : {
                    redirectUris: list(b.redirectUris),
                    postLogoutRedirectUris: list(b.postLogoutRedirectUris),
                    ...(b.backchannelLogoutUri ? { backchannelLogoutUri: b.backchannelLogoutUri } : {}),
                  }),
            },
            { allowClientsScope: true },
          ),
        'clientId',
      );
      if (!r.ok) return clientsPage(request, reply, { errors: r.errors, status: r.status });
      return clientsPage(request, reply, {
        secret: { id: r.value.client.clientId, secret: r.value.clientSecret },
      });
    },
  );
}
