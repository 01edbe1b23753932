/**
 * Signing in (with the officers' second factor), signing out, and the step-up to LoA2 a relying party
 * may ask for. Plain HTML forms (POST, then 303 to a GET), every one with a CSRF token.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppInstance, access, allowFormActions } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { IdentityService } from '../identity.service.ts';
import { clearSessionCookie, setSessionCookie } from '../sessions.ts';
import { AuthenticatorSetup } from './authenticator-setup.tsx';
import {
  Actions,
  attempt,
  CodeField,
  CsrfField,
  codeDestination,
  ErrorSummary,
  Field,
  type FieldErrors,
  FormBody,
  S,
} from './forms.tsx';
import { errorTitle, meta, OFFICER_LANDING, PageQuery, safeNext } from './shared.tsx';

export interface SignInPagesOptions {
  service: IdentityService;
  secureCookies: boolean;
  /** Origins a sign-in that continues an OpenID Connect interaction will be redirected to. */
  relyingPartyOrigins(next: string): Promise<string[]>;
}

export async function signInPages(
  app: AppInstance,
  { service, secureCookies, relyingPartyOrigins }: SignInPagesOptions,
) {
  const MFA_COOKIE = 'mfa';

  // ---- Sign in ---------------------------------------------------------------------------------
  async function loginPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; identifier?: string; status?: number },
  ) {
    const locale = pageLocale(request);
    const q = request.query as { tiep?: string; xong?: string; lai?: string; kh?: string };
    const title = tx(locale, 'Đăng nhập', 'Sign in');
    const errors = state.errors ?? {};
    if (q.tiep) allowFormActions(reply, await relyingPartyOrigins(q.tiep));
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Một tài khoản dùng cho mọi bộ, ngành, địa phương.',
            'One account for every ministry and province.',
          )}
        />
        {q.xong ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                'Mật khẩu đã được đặt lại. Hãy đăng nhập bằng mật khẩu mới.',
                'Your password was reset. Sign in with the new one.',
              )}
            </p>
          </Notice>
        ) : null}
        {q.kh ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                'Tài khoản đã được kích hoạt. Hãy đăng nhập bằng thư điện tử, mật khẩu vừa đặt và mã từ ứng dụng xác thực.',
                'Your account is activated. Sign in with your e-mail, the new password and a code from your authenticator app.',
              )}
            </p>
          </Notice>
        ) : null}
        {q.lai && request.account ? (
          <Notice kind="info">
            <p>
              {tx(
                locale,
                'Dịch vụ bạn đang dùng yêu cầu đăng nhập lại để chắc chắn đó là bạn: hãy nhập lại mật khẩu (và mã xác thực nếu tài khoản có).',
                'The service you are using asks you to sign in again to be sure it is you: enter your password again (and your code if your account has one).',
              )}
            </p>
          </Notice>
        ) : null}
        <ErrorSummary errors={errors} title={errorTitle(locale)} />
        <form
          method="post"
          action={`/dang-nhap${q.tiep ? `?tiep=${encodeURIComponent(q.tiep)}` : ''}`}
          class="form"
          novalidate
        >
          <CsrfField token={await reply.csrfToken()} />
          <Field
            name="identifier"
            label={tx(
              locale,
              'Số định danh cá nhân, mã số thuế, số điện thoại hoặc thư điện tử',
              'Personal ID number, tax code, phone or e-mail',
            )}
            value={state.identifier}
            autocomplete="username"
            maxLength={254}
            required
          />
          <Field
            name="password"
            type="password"
            label={tx(locale, 'Mật khẩu', 'Password')}
            autocomplete="current-password"
            maxLength={128}
            required
          />
          <Actions>
            <button type="submit" class="button">
              {title}
            </button>
            <a href="/quen-mat-khau">{tx(locale, 'Quên mật khẩu?', 'Forgot your password?')}</a>
            <a href="/dang-ky">{tx(locale, 'Đăng ký tài khoản', 'Create an account')}</a>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/dang-nhap',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => loginPage(request, reply, {}),
  );

  app.post(
    '/dang-nhap',
    {
      config: { access: access.public },
      schema: {
        hide: true,
        querystring: PageQuery,
        body: FormBody({ identifier: S(254), password: S(128) }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const r = await attempt(() => service.login(body.identifier ?? '', body.password ?? '', meta(request)));
      if (!r.ok)
        return loginPage(request, reply, { errors: r.errors, identifier: body.identifier, status: r.status });
      if ('secondFactor' in r.value && r.value.secondFactor) {
        // The pending sign-in is bound to this browser by an HttpOnly cookie, not a URL.
        reply.setCookie(MFA_COOKIE, r.value.secondFactor.challengeId, {
          path: '/dang-nhap',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: 300,
        });
        const next = request.query.tiep ? `?tiep=${encodeURIComponent(request.query.tiep)}` : '';
        return reply.code(303).redirect(`/dang-nhap/xac-thuc${next}`);
      }
      // Signing in again on a browser that was signed in replaces its session.
      if (request.account) await service.logout(request.account.sessionHash);
      setSessionCookie(reply, r.value.token, secureCookies);
      return reply.code(303).redirect(safeNext(request.query.tiep));
    },
  );

  async function secondFactorPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; status?: number },
  ) {
    const locale = pageLocale(request);
    const challenge = request.cookies[MFA_COOKIE] ?? '';
    const info = await attempt(() => service.secondFactorInfo(challenge));
    if (!info.ok) return reply.code(303).redirect('/dang-nhap');
    const q = request.query as { tiep?: string };
    const e = state.errors ?? {};
    const title = tx(locale, 'Xác thực hai bước', 'Two-step verification');
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Tài khoản cán bộ cần thêm mã 6 chữ số từ ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…).',
            'Officer accounts also need the 6-digit code from an authenticator app.',
          )}
        />
        {info.value.enrolling ? (
          <AuthenticatorSetup
            locale={locale}
            title={tx(locale, 'Thiết lập lần đầu', 'First-time set-up')}
            secret={info.value.secret}
            uri={info.value.uri}
          />
        ) : null}
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        <form
          method="post"
          action={`/dang-nhap/xac-thuc${q.tiep ? `?tiep=${encodeURIComponent(q.tiep)}` : ''}`}
          class="form"
          novalidate
        >
          <CsrfField token={await reply.csrfToken()} />
          <CodeField label={tx(locale, 'Mã xác thực', 'Code')} error={e.code} />
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Xác nhận', 'Confirm')}
            </button>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/dang-nhap/xac-thuc',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => secondFactorPage(request, reply, {}),
  );

  app.post(
    '/dang-nhap/xac-thuc',
    {
      config: { access: access.public },
      schema: { hide: true, querystring: PageQuery, body: FormBody({ code: S(10) }) },
    },
    async (request, reply) => {
      const challenge = request.cookies[MFA_COOKIE] ?? '';
      const r = await attempt(() => service.secondFactor(challenge, request.body.code ?? '', meta(request)));
      if (!r.ok) return secondFactorPage(request, reply, { errors: r.errors, status: r.status });
      reply.clearCookie(MFA_COOKIE, { path: '/dang-nhap' });
      if (request.account) await service.logout(request.account.sessionHash);
      setSessionCookie(reply, r.value.token, secureCookies);
      // Only officers have a second factor: they land on their desk.
      return reply.code(303).redirect(safeNext(request.query.tiep, OFFICER_LANDING));
    },
  );

  app.post(
    '/dang-xuat',
    { config: { access: access.public }, schema: { hide: true, body: FormBody({}) } },
    async (request, reply) => {
      if (request.account) await service.logout(request.account.sessionHash, request.cookies._session);
      clearSessionCookie(reply, secureCookies);
      return reply.code(303).redirect('/');
    },
  );

  // ---- Step-up to LoA2 (a relying party asked for a stronger sign-in) ---------------------------
  async function stepUpPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; status?: number },
  ) {
    const locale = pageLocale(request);
    const q = request.query as { tiep?: string; ma?: string; den?: string };
    if (!request.account)
      return reply.code(303).redirect(`/dang-nhap?tiep=${encodeURIComponent(request.url)}`);
    if (q.tiep) allowFormActions(reply, await relyingPartyOrigins(q.tiep));
    const next = q.tiep ? `tiep=${encodeURIComponent(q.tiep)}` : '';
    const e = state.errors ?? {};
    const title = tx(locale, 'Xác thực bổ sung', 'Additional verification');
    const token = await reply.csrfToken();
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Dịch vụ bạn đang dùng yêu cầu mức xác thực cao hơn (LoA2): nhập mã một lần gửi đến số điện thoại hoặc thư điện tử đã xác minh của bạn.',
            'The service asks for a stronger sign-in (LoA2): enter a one-time code sent to your verified phone or e-mail.',
          )}
        />
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        {q.ma ? (
          <form method="post" action={`/dang-nhap/nang-cap/ma?${next}`} class="form" novalidate>
            <CsrfField token={token} />
            <input type="hidden" name="challenge" value={q.ma} />
            <p>
              {tx(
                locale,
                `Mã đã được gửi đến ${codeDestination(q.den, 'vi')}.`,
                `The code was sent to ${codeDestination(q.den, 'en')}.`,
              )}
            </p>
            <CodeField label={tx(locale, 'Mã xác minh', 'Code')} error={e.code} />
            <Actions>
              <button type="submit" class="button">
                {tx(locale, 'Xác nhận', 'Confirm')}
              </button>
            </Actions>
          </form>
        ) : (
          <form method="post" action={`/dang-nhap/nang-cap?${next}`} class="form">
            <CsrfField token={token} />
            <Actions>
              <button type="submit" class="button">
                {tx(locale, 'Gửi mã xác minh', 'Send the code')}
              </button>
            </Actions>
          </form>
        )}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/dang-nhap/nang-cap',
    { config: { access: access.account() }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => stepUpPage(request, reply, {}),
  );

  app.post(
    '/dang-nhap/nang-cap',
    {
      config: { access: access.account() },
      schema: { hide: true, querystring: PageQuery, body: FormBody({}) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap');
      const r = await attempt(() => service.stepUpStart(current.id, meta(request)));
      if (!r.ok) return stepUpPage(request, reply, { errors: r.errors, status: r.status });
      const next = request.query.tiep ? `&tiep=${encodeURIComponent(request.query.tiep)}` : '';
      return reply
        .code(303)
        .redirect(
          `/dang-nhap/nang-cap?ma=${r.value.challengeId}&den=${encodeURIComponent(r.value.sentTo)}${next}`,
        );
    },
  );

  app.post(
    '/dang-nhap/nang-cap/ma',
    {
      config: { access: access.account() },
      schema: { hide: true, querystring: PageQuery, body: FormBody({ challenge: S(40), code: S(10) }) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap');
      const b = request.body;
      const r = await attempt(() =>
        service.stepUpVerify(current.id, current.sessionHash, b.challenge ?? '', b.code ?? '', meta(request)),
      );
      if (!r.ok) {
        (request.query as { ma?: string }).ma = b.challenge;
        return stepUpPage(request, reply, { errors: r.errors, status: r.status });
      }
      setSessionCookie(reply, r.value.token, secureCookies);
      return reply.code(303).redirect(safeNext(request.query.tiep));
    },
  );
}
