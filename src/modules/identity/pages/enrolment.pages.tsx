/**
 * The enrolment link's page (`/kich-hoat/{token}`): an officer made without a password — the first
 * system administrator, from the command line — sets a password and adds the portal to an authenticator
 * app (the key, and an otpauth:// link for a phone), confirmed by a code. Then they sign in as usual.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { EnrolmentService } from '../enrolment.service.ts';
import { AuthenticatorSetup } from './authenticator-setup.tsx';
import {
  Actions,
  attempt,
  CodeField,
  CsrfField,
  ErrorSummary,
  Field,
  type FieldErrors,
  FormBody,
  S,
} from './forms.tsx';

const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) });

export async function enrolmentPages(app: AppInstance, { enrolment }: { enrolment: EnrolmentService }) {
  async function page(
    request: FastifyRequest<{ Params: { token: string } }>,
    reply: FastifyReply,
    state: { errors?: FieldErrors; status?: number },
  ) {
    const locale = pageLocale(request);
    const title = tx(locale, 'Kích hoạt tài khoản cán bộ', 'Activate your officer account');
    const info = await enrolment.pending(request.params.token);
    const e = state.errors ?? {};
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path="/kich-hoat" breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            `${info.displayName} (${info.email ?? ''}): đặt mật khẩu và thiết lập ứng dụng xác thực để đăng nhập.`,
            `${info.displayName} (${info.email ?? ''}): set a password and an authenticator app to sign in.`,
          )}
        />
        <AuthenticatorSetup
          locale={locale}
          title={tx(locale, 'Ứng dụng xác thực', 'Authenticator app')}
          secret={info.secret}
          uri={info.uri}
        />
        <ErrorSummary errors={e} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        <form method="post" action={`/kich-hoat/${request.params.token}`} class="form" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <Field
            name="password"
            type="password"
            label={tx(locale, 'Mật khẩu mới', 'New password')}
            hint={tx(
              locale,
              'Ít nhất 12 ký tự, khó đoán; không dùng lại mật khẩu ở nơi khác.',
              'At least 12 characters, hard to guess; not used elsewhere.',
            )}
            error={e.password}
            autocomplete="new-password"
            maxLength={128}
            required
          />
          <Field
            name="passwordConfirm"
            type="password"
            label={tx(locale, 'Nhập lại mật khẩu', 'Repeat the password')}
            error={e.passwordConfirm}
            autocomplete="new-password"
            maxLength={128}
            required
          />
          <CodeField label={tx(locale, 'Mã xác thực từ ứng dụng', 'Code from the app')} error={e.code} />
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Kích hoạt', 'Activate')}
            </button>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/kich-hoat/:token',
    { config: { access: access.public }, schema: { hide: true, params: TokenParams } },
    (request, reply) => page(request, reply, {}),
  );

  app.post(
    '/kich-hoat/:token',
    {
      config: { access: access.public },
      schema: {
        hide: true,
        params: TokenParams,
        body: FormBody({ password: S(128), passwordConfirm: S(128), code: S(10) }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const r = await attempt(() =>
        enrolment.complete(request.params.token, {
          password: b.password ?? '',
          passwordConfirm: b.passwordConfirm ?? '',
          code: b.code ?? '',
        }),
      );
      if (r.ok) return reply.code(303).redirect('/dang-nhap?kh=1');
      // A link that stopped working (used, expired, too many wrong codes) answers the not-found page
      // (page() reads the link again and throws EnrolmentGoneError).
      return page(request, reply, { errors: r.errors, status: r.status });
    },
  );
}
