/**
 * `/quan-tri/chung-thuc/chung-thu-so`: the certifying offices' signing certificates, for their certifiers
 * (to see) and the agency administrators above them (to revoke, and in an installation that holds its own
 * CA, to issue a new one). A revocation takes effect in verification at once.
 */
import { Type } from 'typebox';
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  ErrorSummary,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import type { KeysService, SigningKey } from './keys.service.ts';

export const KEYS_PAGE = '/quan-tri/chung-thuc/chung-thu-so';

export interface KeysPagesDeps {
  keys: KeysService;
  /** Offices where the officer holds the role (directly or through a parent agency). */
  officesWhere(
    accountId: string,
    role: 'certifier' | 'agency-admin',
  ): Promise<Array<{ code: string; name: string; provinceName?: string | undefined }>>;
}

const STATUS: Record<SigningKey['status'], { vi: string; en: string }> = {
  active: { vi: 'Đang dùng', en: 'Active' },
  retired: { vi: 'Đã thay thế', en: 'Replaced' },
  revoked: { vi: 'Đã thu hồi', en: 'Revoked' },
};

export async function keysPages(app: AppInstance, deps: KeysPagesDeps) {
  async function render(
    request: Parameters<typeof sendPage>[0],
    reply: Parameters<typeof sendPage>[1],
    locale: Locale,
    errors: Record<string, string> = {},
    done?: string,
  ) {
    const me = request.account!.id;
    const [seen, admin] = await Promise.all([
      deps.officesWhere(me, 'certifier'),
      deps.officesWhere(me, 'agency-admin'),
    ]);
    const offices = new Map([...seen, ...admin].map((o) => [o.code, o]));
    const adminOf = new Set(admin.map((o) => o.code));
    const keys = await deps.keys.keysOf([...offices.keys()]);
    const csrf = await reply.csrfToken();
    const title = tx(locale, 'Chứng thư số của cơ quan chứng thực', 'Signing certificates of the offices');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Quản trị', 'Administration'), href: '/quan-tri' },
          { label: tx(locale, 'Chứng thực', 'Certification'), href: '/quan-tri/chung-thuc' },
          { label: title },
        ]}
      >
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Thu hồi chứng thư số khi khóa bị lộ hoặc cán bộ thôi nhiệm vụ: các bản sao ký sau thời điểm thu hồi không còn hợp lệ, bản ký trước vẫn hợp lệ.',
            'Revoke a certificate when its key is compromised: copies signed after the revocation are invalid, earlier ones stay valid.',
          )}
        />
        <ErrorSummary
          errors={errors}
          title={tx(locale, 'Cần sửa các mục sau', 'Please correct the following')}
        />
        {done ? <Notice kind="success">{done}</Notice> : null}
        <DataTable
          caption={tx(locale, 'Chứng thư số', 'Certificates')}
          columns={[
            {
              header: tx(locale, 'Cơ quan', 'Office'),
              cell: (k: SigningKey) => offices.get(k.agencyCode)?.name ?? k.agencyCode,
            },
            { header: tx(locale, 'Chủ thể', 'Subject'), cell: (k) => k.subject },
            { header: tx(locale, 'Số hiệu', 'Serial'), cell: (k) => <code>{k.serialHex}</code> },
            {
              header: tx(locale, 'Hiệu lực', 'Valid'),
              cell: (k) =>
                `${vietnamWhen(k.notBefore).slice(0, 10)} – ${vietnamWhen(k.notAfter).slice(0, 10)}`,
            },
            {
              header: tx(locale, 'Trạng thái', 'Status'),
              cell: (k) =>
                k.status === 'revoked' && k.revokedAt
                  ? `${STATUS.revoked[locale]} ${vietnamWhen(k.revokedAt)} — ${k.revokedReason ?? ''}`
                  : STATUS[k.status][locale],
            },
            {
              header: tx(locale, 'Thao tác', 'Action'),
              cell: (k) =>
                k.status === 'active' && adminOf.has(k.agencyCode) ? (
                  <form method="post" action={`${KEYS_PAGE}/${k.id}/thu-hoi`} class="form form--inline">
                    <CsrfField token={csrf} />
                    <div class={`field${errors[`ly-do-${k.id}`] ? ' field--error' : ''}`}>
                      <label for={`ly-do-${k.id}`}>{tx(locale, 'Lý do thu hồi', 'Reason')}</label>
                      {errors[`ly-do-${k.id}`] ? (
                        <p class="field__error" id={`ly-do-${k.id}-error`}>
                          {errors[`ly-do-${k.id}`]}
                        </p>
                      ) : null}
                      <input id={`ly-do-${k.id}`} name="ly-do" required minLength={5} maxLength={500} />
                    </div>
                    <div class="field">
                      <label for={`tu-luc-${k.id}`}>
                        {tx(
                          locale,
                          'Từ thời điểm (khi khóa bị lộ; để trống: ngay bây giờ)',
                          'From (when the key was compromised; empty: now)',
                        )}
                      </label>
                      <input id={`tu-luc-${k.id}`} name="tu-luc" type="datetime-local" />
                    </div>
                    <button type="submit" class="button button--warning">
                      {tx(locale, 'Thu hồi', 'Revoke')}
                    </button>
                  </form>
                ) : k.status === 'revoked' &&
                  adminOf.has(k.agencyCode) &&
                  !keys.some((x) => x.agencyCode === k.agencyCode && x.status === 'active') ? (
                  <form method="post" action={`${KEYS_PAGE}/cap-moi`} class="form form--inline">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="co-quan" value={k.agencyCode} />
                    <button type="submit" class="button button--secondary">
                      {tx(locale, 'Cấp chứng thư số mới', 'Issue a new certificate')}
                    </button>
                  </form>
                ) : (
                  '—'
                ),
            },
          ]}
          rows={keys}
          rowKey={(k) => k.id}
          empty={tx(locale, 'Chưa có chứng thư số nào.', 'No certificate yet.')}
        />
      </Layout>,
      { status: Object.keys(errors).length > 0 ? 400 : 200 },
    );
  }

  const who = access.officer('certifier', 'agency-admin', 'system-admin');
  app.get<{ Querystring: { lang?: string } }>(
    KEYS_PAGE,
    { config: { access: who }, schema: { hide: true, querystring: Type.Object({ lang: S(2) }) } },
    async (request, reply) => render(request, reply, pageLocale(request)),
  );

  app.post<{ Params: { id: string }; Body: { 'ly-do'?: string; 'tu-luc'?: string } }>(
    `${KEYS_PAGE}/:id/thu-hoi`,
    {
      config: { access: who },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
        body: FormBody({ 'ly-do': S(500), 'tu-luc': S(20) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const admin = await deps.officesWhere(request.account!.id, 'agency-admin');
      const mine = await deps.keys.keysOf(admin.map((o) => o.code));
      if (!mine.some((k) => k.id === request.params.id)) return reply.callNotFound();
      // A moment in Vietnam time (UTC+7), as the form's datetime-local gives it.
      const from = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(request.body['tu-luc'] ?? '')
        ? new Date(`${request.body['tu-luc']}:00+07:00`)
        : undefined;
      try {
        await deps.keys.revoke({
          keyId: request.params.id,
          by: `officer:${request.account!.id}`,
          reason: request.body['ly-do'] ?? '',
          ...(from ? { at: from } : {}),
        });
      } catch (e) {
        if (e instanceof ValidationError)
          return render(request, reply, locale, {
            [`ly-do-${request.params.id}`]: tx(
              locale,
              'Cần nêu lý do thu hồi (5–500 ký tự).',
              'A reason (5–500 characters) is required.',
            ),
          });
        throw e;
      }
      return render(
        request,
        reply,
        locale,
        {},
        tx(locale, 'Đã thu hồi chứng thư số.', 'The certificate was revoked.'),
      );
    },
  );

  app.post<{ Body: { 'co-quan'?: string } }>(
    `${KEYS_PAGE}/cap-moi`,
    { config: { access: who }, schema: { hide: true, body: FormBody({ 'co-quan': S(40) }) } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const admin = await deps.officesWhere(request.account!.id, 'agency-admin');
      const office = admin.find((o) => o.code === request.body['co-quan']);
      if (!office) return reply.callNotFound();
      await deps.keys.renewFromOwnCa({
        agencyCode: office.code,
        name: office.name,
        ...(office.provinceName ? { provinceName: office.provinceName } : {}),
        by: `officer:${request.account!.id}`,
      });
      return render(
        request,
        reply,
        locale,
        {},
        tx(locale, 'Đã cấp chứng thư số mới.', 'A new certificate was issued.'),
      );
    },
  );
}
