/**
 * What the sign-in, registration, recovery and account pages share: their query string, where a sign-in
 * may continue, the request's address for the audit, and the page where a one-time code is entered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { Layout, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import {
  Actions,
  CodeField,
  CsrfField,
  codeDestination,
  ErrorSummary,
  Field,
  type FieldErrors,
  S,
} from './forms.tsx';
import { sourceSentence } from './proofing.pages.tsx';

export const PageQuery = Type.Object({
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
export const OFFICER_LANDING = '/quan-tri';

/** Only a local path may follow sign-in (no open redirect); without one, `fallback` (the account page). */
export function safeNext(next: string | undefined, fallback = '/tai-khoan'): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : fallback;
}

export function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] };
}

export const errorTitle = (l: Locale) => tx(l, 'Có lỗi cần sửa', 'There is a problem');

/** The page where a one-time code is entered: after registering, to reset a password, to change a contact. */
export async function codePage(
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
        <CodeField label={tx(locale, 'Mã xác minh', 'Code')} error={e.code} />
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
