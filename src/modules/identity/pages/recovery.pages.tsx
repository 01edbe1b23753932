/** Password reset: a code to a verified contact of the account, then a new password. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { IdentityService } from '../identity.service.ts';
import { Actions, attempt, CsrfField, ErrorSummary, Field, type FieldErrors, FormBody, S } from './forms.tsx';
import { codePage, errorTitle, meta, PageQuery } from './shared.tsx';

export interface RecoveryPagesOptions {
  service: IdentityService;
}

export async function recoveryPages(app: AppInstance, { service }: RecoveryPagesOptions) {
  // ---- Password reset --------------------------------------------------------------------------
  async function forgotPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; identifier?: string; contact?: string; status?: number },
  ) {
    const locale = pageLocale(request);
    const e = state.errors ?? {};
    const title = tx(locale, 'Quên mật khẩu', 'Forgot your password');
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Nhập thông tin tài khoản và số điện thoại hoặc thư điện tử đã xác minh; chúng tôi gửi mã để đặt mật khẩu mới.',
            'Enter your account and its verified phone or e-mail; we send a code to set a new password.',
          )}
        />
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        <form method="post" action="/quen-mat-khau" class="form" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <Field
            name="identifier"
            label={tx(locale, 'Số định danh cá nhân hoặc mã số thuế', 'Personal ID number or tax code')}
            value={state.identifier}
            autocomplete="username"
            maxLength={254}
            required
          />
          <Field
            name="contact"
            label={tx(locale, 'Số điện thoại hoặc thư điện tử đã xác minh', 'Verified phone or e-mail')}
            value={state.contact}
            error={e.contact}
            maxLength={254}
            required
          />
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Gửi mã', 'Send the code')}
            </button>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/quen-mat-khau',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => forgotPage(request, reply, {}),
  );

  app.post(
    '/quen-mat-khau',
    {
      config: { access: access.public },
      schema: { hide: true, body: FormBody({ identifier: S(254), contact: S(254) }) },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await attempt(() => service.resetStart(b.identifier ?? '', b.contact ?? '', meta(request)));
      if (!r.ok)
        return forgotPage(request, reply, {
          errors: r.errors,
          identifier: b.identifier,
          contact: b.contact,
          status: r.status,
        });
      return reply
        .code(303)
        .redirect(
          `/quen-mat-khau/dat-lai?ma=${r.value.challengeId}&den=${encodeURIComponent(r.value.sentTo)}`,
        );
    },
  );

  app.get(
    '/quen-mat-khau/dat-lai',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => codePage(request, reply, 'reset', {}),
  );

  app.post(
    '/quen-mat-khau/dat-lai',
    {
      config: { access: access.public },
      schema: {
        hide: true,
        querystring: PageQuery,
        body: FormBody({ challenge: S(40), code: S(10), password: S(128), passwordConfirm: S(128) }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await attempt(() =>
        service.resetComplete(
          b.challenge ?? '',
          b.code ?? '',
          b.password ?? '',
          b.passwordConfirm ?? '',
          meta(request),
        ),
      );
      if (!r.ok) return codePage(request, reply, 'reset', { errors: r.errors, status: r.status });
      return reply.code(303).redirect('/dang-nhap?xong=1');
    },
  );
}
