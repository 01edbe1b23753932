/**
 * Proving an existing account (`/tai-khoan/xac-thuc-danh-tinh`): a citizen gives their number, name and
 * date of birth as on the identity card, a business its tax code, name and legal representative; the
 * national register checks them and a code goes to the phone it holds. Plain forms, no JavaScript.
 * Also the pieces the registration pages share: a register that cannot answer becomes a 503 page with
 * the form kept and a clear message, never a 500.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { RegisterUnavailableError } from '../registers.ts';
import type { RegistrationService } from '../registration.service.ts';
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

/**
 * `attempt` for a step that asks a national register: a register that cannot answer gives the form back
 * with status 503 and the register's message (logged with its reason), like any refusal below 500.
 */
export async function attemptProofing<T>(request: FastifyRequest, fn: () => Promise<T>) {
  try {
    return await attempt(fn);
  } catch (e) {
    if (!(e instanceof RegisterUnavailableError)) throw e;
    request.log.warn(
      { register: e.register, reason: e.reason, detail: e.detail },
      'national register unavailable: proofing stopped, nothing written',
    );
    return { ok: false as const, errors: { _form: e.message } as FieldErrors, status: 503 };
  }
}

/** The code page's `nguon` parameter: where the number the code went to came from. */
export function sourceParam(source: 'population-register' | 'business-register' | 'typed'): string {
  return source === 'population-register' ? '&nguon=dc' : source === 'business-register' ? '&nguon=dn' : '';
}

export function sourceSentence(nguon: string | undefined, locale: Locale): string {
  if (nguon === 'dc')
    return locale === 'vi'
      ? ' — số điện thoại bạn đã đăng ký trong Cơ sở dữ liệu quốc gia về dân cư'
      : ' — the phone registered for you in the national population database';
  if (nguon === 'dn')
    return locale === 'vi'
      ? ' — liên lạc của doanh nghiệp trong Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp'
      : " — the business's contact in the national business register";
  return '';
}

const ProofQuery = Type.Object({ lang: S(2), ma: S(40), den: S(100), nguon: S(2) });

function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] };
}

export async function proofingPages(
  app: AppInstance,
  { registration }: { registration: RegistrationService },
) {
  const errorTitle = (l: Locale) => tx(l, 'Có lỗi cần sửa', 'There is a problem');
  type Values = Partial<
    Record<'displayName' | 'personalId' | 'birthDate' | 'taxCode' | 'representativeId', string>
  >;

  async function provePage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; values?: Values; status?: number },
  ) {
    const locale = pageLocale(request);
    const current = request.account!;
    const st = await registration.proofingStatus(current.id);
    const e = state.errors ?? {};
    const v: Values = state.values ?? {
      displayName: st.displayName,
      personalId: st.personalId ?? '',
      birthDate: st.birthDate ?? '',
      taxCode: st.taxCode ?? '',
    };
    const title = tx(locale, 'Xác thực danh tính', 'Prove your identity');
    const citizen = st.kind === 'citizen';
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[{ label: tx(locale, 'Tài khoản', 'Account'), href: '/tai-khoan' }, { label: title }]}
      >
        <PageHeading
          title={title}
          lead={
            citizen
              ? tx(
                  locale,
                  'Nhập số định danh cá nhân, họ tên và ngày sinh như trên thẻ căn cước. Cổng đối chiếu với Cơ sở dữ liệu quốc gia về dân cư và gửi mã xác minh đến số điện thoại bạn đã đăng ký ở đó.',
                  'Enter your number, name and date of birth as on your identity card. The portal checks them against the national population database and sends a code to the phone registered there.',
                )
              : tx(
                  locale,
                  'Nhập mã số, tên doanh nghiệp và số định danh của người đại diện theo pháp luật. Cổng đối chiếu với Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp và gửi mã xác minh đến liên lạc của doanh nghiệp ở đó.',
                  "Enter the tax code, the business's name and its legal representative's number. The portal checks them against the national business register and sends a code to the business's contact there.",
                )
          }
        />
        {!st.provable ? (
          <Notice kind="info">
            <p>
              {tx(
                locale,
                'Loại tài khoản này chưa xác thực được với cơ sở dữ liệu quốc gia.',
                'This kind of account cannot be proven against a national register yet.',
              )}
            </p>
          </Notice>
        ) : st.proven ? (
          <Notice kind="success">
            <p>
              {tx(locale, 'Tài khoản đã được xác thực danh tính.', 'This account is proven.')}{' '}
              <a href="/tai-khoan">{tx(locale, 'Về trang tài khoản', 'Back to your account')}</a>
            </p>
          </Notice>
        ) : (
          <>
            <ErrorSummary errors={e} title={errorTitle(locale)} />
            <form method="post" action="/tai-khoan/xac-thuc-danh-tinh" class="form" novalidate>
              <CsrfField token={await reply.csrfToken()} />
              {citizen ? (
                <>
                  <Field
                    name="personalId"
                    label={tx(locale, 'Số định danh cá nhân', 'Personal identification number')}
                    hint={tx(locale, '12 chữ số, in trên thẻ căn cước.', '12 digits, on the identity card.')}
                    value={v.personalId}
                    error={e.personalId}
                    inputmode="numeric"
                    maxLength={20}
                    required
                  />
                  <Field
                    name="displayName"
                    label={tx(locale, 'Họ và tên', 'Full name')}
                    hint={tx(
                      locale,
                      'Đầy đủ, có dấu, như trên thẻ căn cước.',
                      'In full, with diacritics, as on the card.',
                    )}
                    value={v.displayName}
                    error={e.displayName}
                    autocomplete="name"
                    required
                  />
                  <Field
                    name="birthDate"
                    type="date"
                    label={tx(locale, 'Ngày sinh', 'Date of birth')}
                    value={v.birthDate}
                    error={e.birthDate}
                    autocomplete="bday"
                    required
                  />
                </>
              ) : (
                <>
                  <Field
                    name="taxCode"
                    label={tx(locale, 'Mã số doanh nghiệp (mã số thuế)', 'Business (tax) code')}
                    value={v.taxCode}
                    error={e.taxCode}
                    maxLength={20}
                    required
                  />
                  <Field
                    name="displayName"
                    label={tx(locale, 'Tên doanh nghiệp', 'Business name')}
                    hint={tx(
                      locale,
                      'Như trên giấy chứng nhận đăng ký doanh nghiệp.',
                      'As on the registration certificate.',
                    )}
                    value={v.displayName}
                    error={e.displayName}
                    required
                  />
                  <Field
                    name="representativeId"
                    label={tx(
                      locale,
                      'Số định danh cá nhân của người đại diện theo pháp luật',
                      "Legal representative's personal identification number",
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
                    required
                  />
                </>
              )}
              <Actions>
                <button type="submit" class="button">
                  {tx(locale, 'Đối chiếu và gửi mã xác minh', 'Check and send the code')}
                </button>
                <a href="/tai-khoan">{tx(locale, 'Để sau', 'Later')}</a>
              </Actions>
            </form>
            {st.birthDate ? (
              <p class="hint">
                {tx(
                  locale,
                  `Tài khoản đang ghi ngày sinh ${formatVietnameseDate(st.birthDate)}; sau khi xác thực, họ tên, ngày sinh và giới tính lấy theo cơ sở dữ liệu quốc gia.`,
                  `The account holds the date of birth ${formatVietnameseDate(st.birthDate)}; once proven, name, date of birth and sex are taken from the national register.`,
                )}
              </p>
            ) : null}
          </>
        )}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/tai-khoan/xac-thuc-danh-tinh',
    { config: { access: access.account() }, schema: { hide: true, querystring: ProofQuery } },
    (request, reply) => provePage(request, reply, {}),
  );

  app.post(
    '/tai-khoan/xac-thuc-danh-tinh',
    {
      config: { access: access.account() },
      schema: {
        hide: true,
        body: FormBody({
          displayName: S(200),
          personalId: S(20),
          birthDate: S(10),
          taxCode: S(20),
          representativeId: S(20),
        }),
      },
    },
    async (request, reply) => {
      const current = request.account!;
      const b = request.body;
      const r = await attemptProofing(request, () =>
        registration.proveStart(
          current.id,
          {
            displayName: b.displayName ?? '',
            personalId: b.personalId,
            birthDate: b.birthDate,
            taxCode: b.taxCode,
            representativeId: b.representativeId,
          },
          meta(request),
        ),
      );
      if (!r.ok) return provePage(request, reply, { errors: r.errors, values: b, status: r.status });
      return reply
        .code(303)
        .redirect(
          `/tai-khoan/xac-thuc-danh-tinh/ma?ma=${r.value.challengeId}&den=${encodeURIComponent(r.value.sentTo)}${sourceParam(r.value.source)}`,
        );
    },
  );

  async function codePage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FieldErrors; status?: number },
  ) {
    const locale = pageLocale(request);
    const q = request.query as { ma?: string; den?: string; nguon?: string };
    const e = state.errors ?? {};
    const title = tx(locale, 'Nhập mã xác minh', 'Enter the code');
    const again = `&den=${encodeURIComponent(q.den ?? '')}${q.nguon ? `&nguon=${encodeURIComponent(q.nguon)}` : ''}`;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Tài khoản', 'Account'), href: '/tai-khoan' },
          {
            label: tx(locale, 'Xác thực danh tính', 'Prove your identity'),
            href: '/tai-khoan/xac-thuc-danh-tinh',
          },
          { label: title },
        ]}
      >
        <PageHeading
          title={title}
          lead={tx(
            locale,
            `Chúng tôi đã gửi mã 6 chữ số đến ${codeDestination(q.den, 'vi')}${sourceSentence(q.nguon, 'vi')}. Mã có hiệu lực 5 phút.`,
            `We sent a 6-digit code to ${codeDestination(q.den, 'en')}${sourceSentence(q.nguon, 'en')}. It is valid for 5 minutes.`,
          )}
        />
        <ErrorSummary errors={e} title={errorTitle(locale)} />
        <form
          method="post"
          action={`/tai-khoan/xac-thuc-danh-tinh/ma?ma=${encodeURIComponent(q.ma ?? '')}${again}`}
          class="form"
          novalidate
        >
          <CsrfField token={await reply.csrfToken()} />
          <input type="hidden" name="challenge" value={q.ma ?? ''} />
          <CodeField label={tx(locale, 'Mã xác minh', 'Code')} error={e.code} />
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
    '/tai-khoan/xac-thuc-danh-tinh/ma',
    { config: { access: access.account() }, schema: { hide: true, querystring: ProofQuery } },
    (request, reply) => codePage(request, reply, {}),
  );

  app.post(
    '/tai-khoan/xac-thuc-danh-tinh/ma',
    {
      config: { access: access.account() },
      schema: { hide: true, querystring: ProofQuery, body: FormBody({ challenge: S(40), code: S(10) }) },
    },
    async (request, reply) => {
      const current = request.account!;
      const r = await attempt(() =>
        registration.proveVerify(
          current.id,
          request.body.challenge ?? '',
          request.body.code ?? '',
          meta(request),
        ),
      );
      if (!r.ok) return codePage(request, reply, { errors: r.errors, status: r.status });
      return reply.code(303).redirect('/tai-khoan?xt=1');
    },
  );
}
