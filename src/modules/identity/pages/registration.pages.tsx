/**
 * Registration with a one-time code: a citizen, business or organisation fills the form, the code goes
 * to the phone the national register holds (or the contact typed, for an organisation), and confirming
 * it creates the account and signs it in.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { RegistrationService } from '../registration.service.ts';
import { setSessionCookie } from '../sessions.ts';
import { Actions, attempt, CsrfField, ErrorSummary, Field, type FieldErrors, FormBody, S } from './forms.tsx';
import { attemptProofing, sourceParam } from './proofing.pages.tsx';
import { codePage, errorTitle, meta, PageQuery } from './shared.tsx';

export interface RegistrationPagesOptions {
  registration: RegistrationService;
  secureCookies: boolean;
}

export async function registrationPages(
  app: AppInstance,
  { registration, secureCookies }: RegistrationPagesOptions,
) {
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
}
