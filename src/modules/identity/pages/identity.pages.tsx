/**
 * Sign-in, registration with a one-time code, password reset, the account page and sign-out. Plain
 * HTML forms (POST, then 303 to a GET), every one with a CSRF token; errors shown beside their fields.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { type AppInstance, access, allowFormActions } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { DelegationsService } from '../delegations.service.ts';
import { formatPhoneNational } from '../domain/index.ts';
import type { IdentityService } from '../identity.service.ts';
import { CLAIM_LABELS } from '../oidc/oidc.routes.tsx';
import type { RegistrationService } from '../registration.service.ts';
import { clearSessionCookie, setSessionCookie } from '../sessions.ts';
import { AuthenticatorSetup } from './authenticator-setup.tsx';
import {
  Actions,
  attempt,
  CsrfField,
  codeDestination,
  ErrorSummary,
  Field,
  type FieldErrors,
  FormBody,
  S,
  when,
} from './forms.tsx';
import { attemptProofing, sourceParam, sourceSentence } from './proofing.pages.tsx';

const MFA_COOKIE = 'mfa';

const PageQuery = Type.Object({
  lang: S(2),
  tiep: S(300),
  ma: S(40),
  den: S(100),
  moi: S(1),
  lh: S(1),
  xong: S(1),
  lai: S(1),
  kh: S(1),
  xt: S(1),
  nguon: S(2),
});

/** Where officers land after signing in without `?tiep=`: their desk (the portal module's page). */
const OFFICER_LANDING = '/quan-tri';

/** Only a local path may follow sign-in (no open redirect); without one, `fallback` (the account page). */
function safeNext(next: string | undefined, fallback = '/tai-khoan'): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : fallback;
}

function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] };
}

/** Runs a form action; a 4xx becomes field errors to show on the form again. */
export interface IdentityPagesOptions {
  service: IdentityService;
  registration: RegistrationService;
  secureCookies: boolean;
  /** Origins a sign-in that continues an OpenID Connect interaction will be redirected to. */
  relyingPartyOrigins(next: string): Promise<string[]>;
  delegations: DelegationsService;
  /** Administration pages the officer may open (label keys and paths). */
  adminLinksOf(accountId: string): Promise<Array<{ href: string; vi: string; en: string }>>;
}

export async function identityPages(
  app: AppInstance,
  {
    service,
    registration,
    secureCookies,
    relyingPartyOrigins,
    delegations,
    adminLinksOf,
  }: IdentityPagesOptions,
) {
  const errorTitle = (l: Locale) => tx(l, 'Có lỗi cần sửa', 'There is a problem');

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
          <Field
            name="code"
            label={tx(locale, 'Mã xác thực', 'Code')}
            error={e.code}
            inputmode="numeric"
            autocomplete="one-time-code"
            maxLength={10}
            required
          />
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
            <Field
              name="code"
              label={tx(locale, 'Mã xác minh', 'Code')}
              error={e.code}
              inputmode="numeric"
              autocomplete="one-time-code"
              maxLength={10}
              required
            />
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

  // ---- Register --------------------------------------------------------------------------------
  type RegisterValues = Partial<
    Record<
      | 'kind'
      | 'displayName'
      | 'personalId'
      | 'birthDate'
      | 'sex'
      | 'taxCode'
      | 'representativeId'
      | 'organisationType'
      | 'contact',
      string
    >
  >;

  async function registerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; values?: RegisterValues; status?: number },
  ) {
    const locale = pageLocale(request);
    const v = state.values ?? {};
    const e = state.errors ?? {};
    const kind = v.kind === 'business' || v.kind === 'organisation' ? v.kind : 'citizen';
    const title = tx(locale, 'Đăng ký tài khoản', 'Create an account');
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Tài khoản của công dân gắn với số định danh cá nhân, được đối chiếu với Cơ sở dữ liệu quốc gia về dân cư; mã xác minh gửi đến số điện thoại bạn đã đăng ký ở đó. Tài khoản doanh nghiệp được đối chiếu với Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp. Tài khoản tổ chức nhận mã ở số điện thoại hoặc thư điện tử bạn nhập.',
            'A citizen account is tied to the personal identification number, checked against the national population database; the code goes to the phone registered there. A business account is checked against the national business register. An organisation gets the code at the phone or e-mail it gives.',
          )}
        />
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        <form method="post" action="/dang-ky" class="form" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <fieldset class="choices">
            <legend>{tx(locale, 'Bạn đăng ký cho', 'You are registering as')}</legend>
            <label>
              <input type="radio" name="kind" value="citizen" checked={kind === 'citizen'} />{' '}
              {tx(locale, 'Công dân', 'A citizen')}
            </label>
            <label>
              <input type="radio" name="kind" value="business" checked={kind === 'business'} />{' '}
              {tx(locale, 'Doanh nghiệp', 'A business')}
            </label>
            <label>
              <input type="radio" name="kind" value="organisation" checked={kind === 'organisation'} />{' '}
              {tx(
                locale,
                'Tổ chức (cơ quan nhà nước, hội, trường học, đơn vị sự nghiệp…)',
                'An organisation',
              )}
            </label>
          </fieldset>
          <Field
            name="displayName"
            label={tx(
              locale,
              'Họ và tên (hoặc tên doanh nghiệp, tổ chức)',
              'Full name (or business or organisation name)',
            )}
            hint={tx(
              locale,
              'Công dân: đầy đủ, có dấu, như trên thẻ căn cước. Doanh nghiệp: như trên giấy chứng nhận đăng ký doanh nghiệp.',
              'Citizens: in full, with diacritics, as on the identity card. Businesses: as on the registration certificate.',
            )}
            value={v.displayName}
            error={e.displayName}
            autocomplete="name"
            required
          />
          <Field
            name="personalId"
            label={tx(locale, 'Số định danh cá nhân (công dân)', 'Personal identification number (citizens)')}
            hint={tx(
              locale,
              '12 chữ số, in trên căn cước công dân.',
              '12 digits, printed on the citizen identity card.',
            )}
            value={v.personalId}
            error={e.personalId}
            inputmode="numeric"
            maxLength={20}
          />
          <Field
            name="birthDate"
            type="date"
            label={tx(locale, 'Ngày sinh (công dân)', 'Date of birth (citizens)')}
            value={v.birthDate}
            error={e.birthDate}
            autocomplete="bday"
          />
          <Field
            name="taxCode"
            label={tx(locale, 'Mã số thuế (doanh nghiệp, tổ chức)', 'Tax code (businesses, organisations)')}
            hint={tx(
              locale,
              '10 chữ số, hoặc 10 chữ số và mã chi nhánh (ví dụ 0314409058-002).',
              '10 digits, or 10 digits and a branch number (e.g. 0314409058-002).',
            )}
            value={v.taxCode}
            error={e.taxCode}
            maxLength={20}
          />
          <Field
            name="representativeId"
            label={tx(
              locale,
              'Số định danh cá nhân của người đại diện theo pháp luật (doanh nghiệp)',
              "Legal representative's personal identification number (businesses)",
            )}
            hint={tx(
              locale,
              'Người đại diện cần có tài khoản công dân đã xác thực danh tính trên Cổng.',
              'The representative needs a proven citizen account on the portal.',
            )}
            value={v.representativeId}
            error={e.representativeId}
            inputmode="numeric"
            maxLength={20}
          />
          <fieldset
            class="choices"
            aria-describedby={e.organisationType ? 'organisationType-loi' : undefined}
          >
            <legend>{tx(locale, 'Loại tổ chức (tổ chức)', 'Type of organisation (organisations)')}</legend>
            {e.organisationType ? (
              <p class="field-error" id="organisationType-loi">
                {e.organisationType}
              </p>
            ) : null}
            <label>
              <input
                type="radio"
                id="organisationType"
                name="organisationType"
                value="state-agency"
                checked={v.organisationType === 'state-agency'}
              />{' '}
              {tx(locale, 'Cơ quan nhà nước', 'A state agency')}
            </label>
            <label>
              <input
                type="radio"
                name="organisationType"
                value="other"
                checked={v.organisationType === 'other'}
              />{' '}
              {tx(locale, 'Tổ chức khác', 'Another organisation')}
            </label>
          </fieldset>
          <Field
            name="contact"
            label={tx(
              locale,
              'Số điện thoại di động hoặc thư điện tử (tổ chức)',
              'Mobile number or e-mail (organisations)',
            )}
            hint={tx(
              locale,
              'Mã xác minh của tổ chức được gửi đến đây. Công dân và doanh nghiệp nhận mã ở số đã đăng ký với cơ sở dữ liệu quốc gia.',
              "An organisation's code is sent here. Citizens and businesses get it at the number the national register holds.",
            )}
            value={v.contact}
            error={e.contact}
            autocomplete="email"
            maxLength={254}
          />
          <Field
            name="password"
            type="password"
            label={tx(locale, 'Mật khẩu', 'Password')}
            hint={tx(
              locale,
              'Ít nhất 10 ký tự; không dùng mật khẩu phổ biến hay số giấy tờ của bạn.',
              'At least 10 characters; not a common password nor your ID number.',
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
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Gửi mã xác minh', 'Send the code')}
            </button>
            <a href="/dang-nhap">{tx(locale, 'Đã có tài khoản? Đăng nhập', 'Have an account? Sign in')}</a>
          </Actions>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/dang-ky',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => registerPage(request, reply, {}),
  );

  app.post(
    '/dang-ky',
    {
      config: { access: access.public },
      schema: {
        hide: true,
        body: FormBody({
          kind: S(20),
          displayName: S(200),
          personalId: S(20),
          birthDate: S(10),
          sex: S(10),
          taxCode: S(20),
          organisationType: S(20),
          representativeId: S(20),
          contact: S(254),
          password: S(128),
          passwordConfirm: S(128),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const kind = b.kind === 'business' || b.kind === 'organisation' ? b.kind : 'citizen';
      const r = await attemptProofing(request, () =>
        registration.registerStart(
          {
            kind,
            displayName: b.displayName ?? '',
            personalId: b.personalId,
            birthDate: b.birthDate,
            taxCode: b.taxCode,
            representativeId: b.representativeId,
            organisationType: b.organisationType,
            contact: b.contact ?? '',
            password: b.password ?? '',
            passwordConfirm: b.passwordConfirm ?? '',
          },
          meta(request),
        ),
      );
      if (!r.ok)
        return registerPage(request, reply, { errors: r.errors, values: { ...b, kind }, status: r.status });
      return reply
        .code(303)
        .redirect(
          `/dang-ky/xac-minh?ma=${r.value.challengeId}&den=${encodeURIComponent(r.value.sentTo)}${sourceParam(r.value.source)}`,
        );
    },
  );

  async function codePage(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'register' | 'reset' | 'contact',
    state: { errors?: FieldErrors; status?: number },
  ) {
    const locale = pageLocale(request);
    const q = request.query as { ma?: string; den?: string; nguon?: string };
    const e = state.errors ?? {};
    const title =
      kind === 'register'
        ? tx(locale, 'Nhập mã xác minh', 'Enter the code')
        : tx(locale, 'Đặt lại mật khẩu', 'Reset your password');
    const action = {
      register: '/dang-ky/xac-minh',
      reset: '/quen-mat-khau/dat-lai',
      contact: '/tai-khoan/lien-he/xac-minh',
    }[kind];
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={
            kind !== 'reset'
              ? tx(
                  locale,
                  `Chúng tôi đã gửi mã 6 chữ số đến ${codeDestination(q.den, 'vi')}${sourceSentence(q.nguon, 'vi')}. Mã có hiệu lực 5 phút.`,
                  `We sent a 6-digit code to ${codeDestination(q.den, 'en')}${sourceSentence(q.nguon, 'en')}. It is valid for 5 minutes.`,
                )
              : tx(
                  locale,
                  `Nếu ${codeDestination(q.den, 'vi')} là liên hệ đã xác minh của tài khoản, mã 6 chữ số đã được gửi đến đó. Mã có hiệu lực 5 phút.`,
                  `If ${codeDestination(q.den, 'en')} is a verified contact of the account, a 6-digit code was sent there. It is valid for 5 minutes.`,
                )
          }
        />
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        <form
          method="post"
          action={`${action}?ma=${encodeURIComponent(q.ma ?? '')}&den=${encodeURIComponent(q.den ?? '')}${q.nguon ? `&nguon=${encodeURIComponent(q.nguon)}` : ''}`}
          class="form"
          novalidate
        >
          <CsrfField token={await reply.csrfToken()} />
          <input type="hidden" name="challenge" value={q.ma ?? ''} />
          <Field
            name="code"
            label={tx(locale, 'Mã xác minh', 'Code')}
            error={e.code}
            inputmode="numeric"
            autocomplete="one-time-code"
            maxLength={10}
            required
          />
          {kind === 'reset' ? (
            <>
              <Field
                name="password"
                type="password"
                label={tx(locale, 'Mật khẩu mới', 'New password')}
                hint={tx(locale, 'Ít nhất 10 ký tự.', 'At least 10 characters.')}
                error={e.password}
                autocomplete="new-password"
                maxLength={128}
                required
              />
              <Field
                name="passwordConfirm"
                type="password"
                label={tx(locale, 'Nhập lại mật khẩu mới', 'Repeat the new password')}
                error={e.passwordConfirm}
                autocomplete="new-password"
                maxLength={128}
                required
              />
            </>
          ) : null}
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
    '/dang-ky/xac-minh',
    { config: { access: access.public }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => codePage(request, reply, 'register', {}),
  );

  app.post(
    '/dang-ky/xac-minh',
    {
      config: { access: access.public },
      schema: { hide: true, querystring: PageQuery, body: FormBody({ challenge: S(40), code: S(10) }) },
    },
    async (request, reply) => {
      const r = await attempt(() =>
        registration.registerVerify(request.body.challenge ?? '', request.body.code ?? '', meta(request)),
      );
      if (!r.ok) return codePage(request, reply, 'register', { errors: r.errors, status: r.status });
      setSessionCookie(reply, r.value.token, secureCookies);
      return reply.code(303).redirect('/tai-khoan?moi=1');
    },
  );

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

  // ---- Account ---------------------------------------------------------------------------------
  async function accountPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; changed?: boolean; status?: number },
  ) {
    const locale = pageLocale(request);
    const current = request.account;
    if (!current) return reply.code(303).redirect(`/dang-nhap?tiep=${encodeURIComponent('/tai-khoan')}`);
    const a = await service.getAccount(current.id);
    const q = request.query as { moi?: string; lh?: string; xt?: string };
    const e = state.errors ?? {};
    const token = await reply.csrfToken();
    const represents = a.kind === 'business' || a.kind === 'organisation';
    const given = represents ? await delegations.given(a.id) : [];
    const actingFor = a.kind === 'citizen' ? await delegations.actingFor(a.id) : [];
    const invitations = a.kind === 'citizen' ? await delegations.invitationsFor(a.id) : [];
    const statusLabel = {
      invited: tx(locale, 'Chờ người được ủy quyền chấp nhận', 'Waiting for the person to accept'),
      accepted: tx(locale, 'Đang hiệu lực', 'In force'),
      declined: tx(locale, 'Bị từ chối', 'Declined'),
      revoked: tx(locale, 'Đã thu hồi', 'Revoked'),
      expired: tx(locale, 'Hết hạn', 'Expired'),
    };
    const adminLinks = a.kind === 'officer' ? await adminLinksOf(a.id) : [];
    const title = tx(locale, 'Tài khoản của tôi', 'My account');
    const kindLabel = {
      citizen: tx(locale, 'Công dân', 'Citizen'),
      business: tx(locale, 'Doanh nghiệp', 'Business'),
      organisation: tx(locale, 'Tổ chức', 'Organisation'),
      officer: tx(locale, 'Cán bộ', 'Officer'),
    }[a.kind];
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading title={a.displayName} lead={kindLabel} />
        {q.moi ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                'Tài khoản đã được tạo và bạn đã đăng nhập.',
                'Your account was created and you are signed in.',
              )}
            </p>
          </Notice>
        ) : null}
        {q.lh ? (
          <Notice kind="success">
            <p>{tx(locale, 'Đã cập nhật thông tin liên hệ.', 'Your contact details were updated.')}</p>
          </Notice>
        ) : null}
        {q.xt && a.proofing ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                'Đã xác thực danh tính. Cổng hiển thị các hồ sơ đồng bộ theo số định danh của bạn và có thể chia sẻ số định danh cho các cổng bạn đăng nhập.',
                'Your identity is proven. The portal now shows dossiers synced under your number and can share it with the portals you sign in to.',
              )}
            </p>
          </Notice>
        ) : null}
        {a.identifierRevokedAt && !a.personalId && !a.taxCode ? (
          <Notice kind="warning">
            <p>
              {tx(
                locale,
                `Số định danh (hoặc mã số) đã khai báo cho tài khoản này đã được thu hồi lúc ${when(a.identifierRevokedAt)}, vì người mang số đó đã xác thực danh tính với cơ sở dữ liệu quốc gia. Nếu đó là nhầm lẫn, hãy xác thực danh tính bằng số của chính bạn hoặc liên hệ tổng đài hỗ trợ.`,
                `The number this account declared was taken back on ${when(a.identifierRevokedAt)}: its holder proved it against the national register. If that is a mistake, prove your own number or call the hotline.`,
              )}
            </p>
          </Notice>
        ) : null}
        {state.changed ? (
          <Notice kind="success">
            <p>
              {tx(
                locale,
                'Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.',
                'Password changed. Your other sessions were ended.',
              )}
            </p>
          </Notice>
        ) : null}
        <dl class="facts">
          {a.personalId ? (
            <>
              <dt>{tx(locale, 'Số định danh cá nhân', 'Personal ID number')}</dt>
              <dd>{a.personalId}</dd>
            </>
          ) : null}
          {a.taxCode ? (
            <>
              <dt>{tx(locale, 'Mã số thuế', 'Tax code')}</dt>
              <dd>{a.taxCode}</dd>
            </>
          ) : null}
          {a.birthDate ? (
            <>
              <dt>{tx(locale, 'Ngày sinh', 'Date of birth')}</dt>
              <dd>{formatVietnameseDate(a.birthDate)}</dd>
            </>
          ) : null}
          <dt>{tx(locale, 'Số điện thoại', 'Phone')}</dt>
          <dd>
            {a.phone
              ? `${formatPhoneNational(a.phone)}${a.phoneVerified ? tx(locale, ' (đã xác minh)', ' (verified)') : ''}`
              : '—'}
          </dd>
          <dt>{tx(locale, 'Thư điện tử', 'E-mail')}</dt>
          <dd>
            {a.email
              ? `${a.email}${a.emailVerified ? tx(locale, ' (đã xác minh)', ' (verified)') : ''}`
              : '—'}
          </dd>
          <dt>{tx(locale, 'Ngày tạo tài khoản', 'Created')}</dt>
          <dd>{when(a.createdAt)}</dd>
          {a.kind === 'citizen' || a.kind === 'business' ? (
            <>
              <dt>{tx(locale, 'Xác thực danh tính', 'Identity proofing')}</dt>
              <dd id="xac-thuc">
                {a.proofing ? (
                  tx(
                    locale,
                    `Đã xác thực với ${a.proofing.method === 'population-register' ? 'Cơ sở dữ liệu quốc gia về dân cư' : 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp'} lúc ${when(a.proofing.at)} (mức ${a.proofing.level})`,
                    `Proven against the ${a.proofing.method === 'population-register' ? 'national population database' : 'national business register'} on ${when(a.proofing.at)} (level ${a.proofing.level})`,
                  )
                ) : (
                  <>
                    {tx(
                      locale,
                      'Chưa xác thực: số định danh chưa được đối chiếu với cơ sở dữ liệu quốc gia, nên hồ sơ đồng bộ theo số định danh chưa hiển thị và số chưa được chia sẻ cho các cổng khác. ',
                      'Not proven: the number has not been checked against the national register, so dossiers synced under it are not shown and it is not shared with other portals. ',
                    )}
                    <a href="/tai-khoan/xac-thuc-danh-tinh">
                      {tx(locale, 'Xác thực danh tính', 'Prove your identity')}
                    </a>
                  </>
                )}
              </dd>
            </>
          ) : null}
        </dl>

        {represents ? (
          <>
            <h2 id="uy-quyen">
              {tx(locale, 'Ủy quyền thay mặt doanh nghiệp, tổ chức', 'Authorisations to act for you')}
            </h2>
            <p>
              {tx(
                locale,
                'Người được ủy quyền cần đăng nhập và chấp nhận; đến lúc đó Cổng không cho biết số định danh thuộc về ai.',
                'The person must sign in and accept; until then the portal does not say whose the number is.',
              )}
            </p>
            <DataTable
              caption={tx(locale, 'Người được ủy quyền', 'Authorised people')}
              columns={[
                {
                  header: tx(locale, 'Người được ủy quyền', 'Person'),
                  cell: (d) =>
                    d.display_name ? `${d.display_name} (${d.delegate_personal_id})` : d.delegate_personal_id,
                },
                {
                  header: tx(locale, 'Phạm vi', 'Scope'),
                  cell: (d) =>
                    d.all_procedures
                      ? tx(locale, 'Mọi thủ tục', 'Every procedure')
                      : d.procedure_codes.join(', '),
                },
                {
                  header: tx(locale, 'Đến hết ngày', 'Until'),
                  cell: (d) => formatVietnameseDate(d.valid_until),
                },
                {
                  header: tx(locale, 'Trạng thái', 'Status'),
                  cell: (d) => (
                    <>
                      {statusLabel[d.status]}
                      {d.status === 'invited' || d.status === 'accepted' ? (
                        <form method="post" action={`/tai-khoan/uy-quyen/${d.id}/thu-hoi`}>
                          <CsrfField token={token} />
                          <button type="submit" class="button button--secondary">
                            {tx(locale, 'Thu hồi', 'Revoke')}
                          </button>
                        </form>
                      ) : null}
                    </>
                  ),
                },
              ]}
              rows={given}
              rowKey={(d) => String(d.id)}
              empty={tx(locale, 'Chưa ủy quyền cho ai.', 'Nobody is authorised yet.')}
            />
            <form method="post" action="/tai-khoan/uy-quyen" class="form" novalidate>
              <CsrfField token={token} />
              <Field
                name="personalId"
                label={tx(
                  locale,
                  'Số định danh cá nhân của người được ủy quyền',
                  'Personal ID number of the person',
                )}
                error={e.personalId}
                inputmode="numeric"
                maxLength={20}
                required
              />
              <Field
                name="procedures"
                label={tx(locale, 'Mã thủ tục được ủy quyền', 'Procedure codes')}
                hint={tx(
                  locale,
                  'Để trống nếu ủy quyền mọi thủ tục; nhiều mã cách nhau bởi dấu phẩy, ví dụ 2.000815, 1.001776.',
                  'Empty for every procedure; several codes separated by commas.',
                )}
                error={e.procedures}
                maxLength={2000}
              />
              <Field
                name="validUntil"
                type="date"
                label={tx(locale, 'Hiệu lực đến hết ngày', 'Valid until')}
                error={e.validUntil}
                required
              />
              <Actions>
                <button type="submit" class="button">
                  {tx(locale, 'Ủy quyền', 'Authorise')}
                </button>
              </Actions>
            </form>
          </>
        ) : null}
        {invitations.length > 0 ? (
          <>
            <h2 id="de-nghi-uy-quyen">
              {tx(locale, 'Đề nghị ủy quyền gửi bạn', 'Requests to act for others')}
            </h2>
            <ul class="invitations">
              {invitations.map((d) => (
                <li key={d.id}>
                  <p>
                    <strong>{d.display_name}</strong> ({tx(locale, 'mã số thuế', 'tax code')} {d.tax_code}) —{' '}
                    {d.all_procedures
                      ? tx(locale, 'mọi thủ tục', 'every procedure')
                      : d.procedure_codes.join(', ')}
                    , {tx(locale, 'đến hết', 'until')} {formatVietnameseDate(d.valid_until)}
                  </p>
                  <form method="post" action={`/tai-khoan/uy-quyen/${d.id}/chap-nhan`} class="inline-form">
                    <CsrfField token={token} />
                    <button type="submit" class="button">
                      {tx(locale, 'Chấp nhận', 'Accept')}
                    </button>
                  </form>{' '}
                  <form method="post" action={`/tai-khoan/uy-quyen/${d.id}/tu-choi`} class="inline-form">
                    <CsrfField token={token} />
                    <button type="submit" class="button button--secondary">
                      {tx(locale, 'Từ chối', 'Decline')}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {actingFor.length > 0 ? (
          <>
            <h2 id="duoc-uy-quyen">{tx(locale, 'Bạn được ủy quyền thay mặt', 'You may act for')}</h2>
            <ul>
              {actingFor.map((d) => (
                <li key={d.id}>
                  {d.display_name} ({d.tax_code}) —{' '}
                  {d.all_procedures
                    ? tx(locale, 'mọi thủ tục', 'every procedure')
                    : d.procedure_codes.join(', ')}
                  , {tx(locale, 'đến hết', 'until')} {formatVietnameseDate(d.valid_until)}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        {adminLinks.length > 0 ? (
          <>
            <h2 id="quan-tri">{tx(locale, 'Quản trị', 'Administration')}</h2>
            <ul>
              {adminLinks.map((l) => (
                <li key={l.href}>
                  <a href={l.href}>{locale === 'vi' ? l.vi : l.en}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2 id="lien-he">{tx(locale, 'Đổi số điện thoại hoặc thư điện tử', 'Change phone or e-mail')}</h2>
        <form method="post" action="/tai-khoan/lien-he" class="form" novalidate>
          <CsrfField token={token} />
          <Field
            name="contact"
            label={tx(locale, 'Số điện thoại hoặc thư điện tử mới', 'New phone or e-mail')}
            hint={tx(
              locale,
              'Chúng tôi gửi mã xác minh đến địa chỉ mới và báo cho địa chỉ cũ.',
              'We send a code to the new address and tell the old one.',
            )}
            error={e.contact}
            maxLength={254}
            required
          />
          <Actions>
            <button type="submit" class="button button--secondary">
              {tx(locale, 'Gửi mã xác minh', 'Send the code')}
            </button>
          </Actions>
        </form>

        <h2 id="doi-mat-khau">{tx(locale, 'Đổi mật khẩu', 'Change password')}</h2>
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        <form method="post" action="/tai-khoan/mat-khau" class="form" novalidate>
          <CsrfField token={token} />
          <Field
            name="current"
            type="password"
            label={tx(locale, 'Mật khẩu hiện tại', 'Current password')}
            error={e.current}
            autocomplete="current-password"
            maxLength={128}
            required
          />
          <Field
            name="password"
            type="password"
            label={tx(locale, 'Mật khẩu mới', 'New password')}
            hint={tx(locale, 'Ít nhất 10 ký tự.', 'At least 10 characters.')}
            error={e.password}
            autocomplete="new-password"
            maxLength={128}
            required
          />
          <Field
            name="passwordConfirm"
            type="password"
            label={tx(locale, 'Nhập lại mật khẩu mới', 'Repeat the new password')}
            error={e.passwordConfirm}
            autocomplete="new-password"
            maxLength={128}
            required
          />
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Đổi mật khẩu', 'Change password')}
            </button>
          </Actions>
        </form>

        <h2 id="truy-cap">{tx(locale, 'Ai đã xem thông tin của tôi', 'Who accessed my information')}</h2>
        <DataTable
          caption={tx(
            locale,
            'Các lần cán bộ, cơ quan, hệ thống xem hoặc nhận thông tin cá nhân của bạn',
            'Reads and releases of your personal information',
          )}
          columns={[
            { header: tx(locale, 'Thời điểm', 'When'), cell: (r) => when(r.at) },
            {
              header: tx(locale, 'Cơ quan, cán bộ, hệ thống', 'Agency, officer or system'),
              cell: (r) => r.accessor_name,
            },
            {
              header: tx(locale, 'Mục đích', 'Purpose'),
              cell: (r) =>
                r.accessor_kind === 'officer'
                  ? r.purpose
                  : r.purpose === 'userinfo'
                    ? tx(locale, 'Đọc thông tin tài khoản', 'Read account information')
                    : tx(locale, 'Đăng nhập bằng tài khoản Cổng', 'Sign-in with the portal account'),
            },
            {
              header: tx(locale, 'Thông tin', 'Information'),
              cell: (r) =>
                r.fields.map((f) => CLAIM_LABELS[f as keyof typeof CLAIM_LABELS]?.[locale] ?? f).join(', '),
            },
          ]}
          rows={a.accessLog}
          rowKey={(r) => String(r.id)}
          empty={tx(
            locale,
            'Chưa có cơ quan, hệ thống nào nhận thông tin của bạn.',
            'No agency or system has received your information yet.',
          )}
        />

        <h2>{tx(locale, 'Các phiên đăng nhập', 'Signed-in sessions')}</h2>
        <ul>
          {a.sessions.map((s) => (
            <li key={s.token_hash}>
              {when(s.created_at)} · {s.ip ?? '?'} · {(s.user_agent ?? '').slice(0, 80)}
              {s.token_hash === current.sessionHash ? tx(locale, ' (phiên này)', ' (this session)') : ''}
            </li>
          ))}
        </ul>
        <form method="post" action="/dang-xuat">
          <CsrfField token={token} />
          <button type="submit" class="button button--secondary">
            {tx(locale, 'Đăng xuất', 'Sign out')}
          </button>
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.post(
    '/tai-khoan/uy-quyen',
    {
      config: { access: access.account('business', 'organisation') },
      schema: { hide: true, body: FormBody({ personalId: S(20), procedures: S(2000), validUntil: S(10) }) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      const b = request.body;
      const r = await attempt(() =>
        delegations.delegate(current.id, {
          personalId: b.personalId ?? '',
          procedures: (b.procedures ?? '').split(/[\s,;]+/),
          validUntil: b.validUntil ?? '',
        }),
      );
      if (!r.ok) return accountPage(request, reply, { errors: r.errors, status: r.status });
      return reply.code(303).redirect('/tai-khoan#uy-quyen');
    },
  );

  app.post(
    '/tai-khoan/uy-quyen/:id/thu-hoi',
    {
      config: { access: access.account('business', 'organisation') },
      schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: FormBody({}) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      await delegations.revoke(current.id, request.params.id);
      return reply.code(303).redirect('/tai-khoan#uy-quyen');
    },
  );

  for (const [verb, act] of [
    ['chap-nhan', delegations.accept],
    ['tu-choi', delegations.decline],
  ] as const) {
    app.post(
      `/tai-khoan/uy-quyen/:id/${verb}`,
      {
        config: { access: access.account('citizen') },
        schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: FormBody({}) },
      },
      async (request, reply) => {
        await act(request.account!.id, request.params.id);
        return reply.code(303).redirect('/tai-khoan#duoc-uy-quyen');
      },
    );
  }

  app.post(
    '/tai-khoan/lien-he',
    { config: { access: access.account() }, schema: { hide: true, body: FormBody({ contact: S(254) }) } },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      const r = await attempt(() =>
        service.changeContactStart(current.id, request.body.contact ?? '', meta(request)),
      );
      if (!r.ok) return accountPage(request, reply, { errors: r.errors, status: r.status });
      return reply
        .code(303)
        .redirect(
          `/tai-khoan/lien-he/xac-minh?ma=${r.value.challengeId}&den=${encodeURIComponent(r.value.sentTo)}`,
        );
    },
  );

  app.get(
    '/tai-khoan/lien-he/xac-minh',
    { config: { access: access.account() }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) =>
      request.account
        ? codePage(request, reply, 'contact', {})
        : reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan'),
  );

  app.post(
    '/tai-khoan/lien-he/xac-minh',
    {
      config: { access: access.account() },
      schema: { hide: true, querystring: PageQuery, body: FormBody({ challenge: S(40), code: S(10) }) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      const r = await attempt(() =>
        service.changeContactVerify(
          current.id,
          request.body.challenge ?? '',
          request.body.code ?? '',
          meta(request),
        ),
      );
      if (!r.ok) return codePage(request, reply, 'contact', { errors: r.errors, status: r.status });
      return reply.code(303).redirect('/tai-khoan?lh=1');
    },
  );

  app.get(
    '/tai-khoan',
    { config: { access: access.account() }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => accountPage(request, reply, {}),
  );

  app.post(
    '/tai-khoan/mat-khau',
    {
      config: { access: access.account() },
      schema: { hide: true, body: FormBody({ current: S(128), password: S(128), passwordConfirm: S(128) }) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      const b = request.body;
      const r = await attempt(() =>
        service.changePassword(
          current.id,
          current.sessionHash,
          b.current ?? '',
          b.password ?? '',
          b.passwordConfirm ?? '',
        ),
      );
      if (!r.ok) return accountPage(request, reply, { errors: r.errors, status: r.status });
      return accountPage(request, reply, { changed: true });
    },
  );
}
