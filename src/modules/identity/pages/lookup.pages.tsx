/**
 * The officers' account look-up (hotline desk, one-stop counter, system administrators). A look-up is
 * a POST with a reason: it is recorded in the person's "who accessed my data" list and the audit log.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { AccountLookupService } from '../account-lookup.service.ts';
import { formatPhoneNational } from '../domain/index.ts';
import {
  Actions,
  attempt,
  CsrfField,
  ErrorSummary,
  Field,
  type FieldErrors,
  FormBody,
  S,
  when,
} from './forms.tsx';

type Found = Awaited<ReturnType<AccountLookupService['lookup']>>;

const LOOKUP_ACCESS = access.officer('hotline-operator', 'receiver', 'system-admin');

export async function lookupPages(app: AppInstance, { lookup }: { lookup: AccountLookupService }) {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      errors?: FieldErrors;
      values?: { identifier?: string; reason?: string };
      found?: Found;
      status?: number;
    },
  ) {
    const locale = pageLocale(request);
    const title = tx(locale, 'Tra cứu tài khoản', 'Account look-up');
    const e = state.errors ?? {};
    const f = state.found;
    const kindLabel = (k: string) =>
      k === 'citizen'
        ? tx(locale, 'Công dân', 'Citizen')
        : k === 'business'
          ? tx(locale, 'Doanh nghiệp', 'Business')
          : tx(locale, 'Tổ chức', 'Organisation');
    const verified = (v: boolean) => (v ? tx(locale, ' (đã xác minh)', ' (verified)') : '');
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Để hỗ trợ người dân, doanh nghiệp qua tổng đài hoặc tại bộ phận một cửa. Mỗi lần tra cứu được ghi lại và chủ tài khoản xem được ai đã tra cứu, vì sao.',
            'To help people on the hotline or at the counter. Every look-up is recorded, and the account holder can see who looked and why.',
          )}
        />
        <ErrorSummary errors={e} title={tx(locale, 'Có lỗi cần sửa', 'There is a problem')} />
        <form method="post" action="/quan-tri/tra-cuu-tai-khoan" class="form" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <Field
            name="identifier"
            label={tx(
              locale,
              'Số định danh, mã số thuế, số điện thoại hoặc thư điện tử',
              'ID number, tax code, phone or e-mail',
            )}
            value={state.values?.identifier}
            error={e.identifier}
            maxLength={254}
            required
          />
          <Field
            name="reason"
            label={tx(locale, 'Lý do tra cứu', 'Reason')}
            hint={tx(
              locale,
              'Chủ tài khoản sẽ đọc được lý do này. Ví dụ: "Hỗ trợ cuộc gọi số 1900-2026-0153 về quên mật khẩu".',
              'The account holder will read it.',
            )}
            value={state.values?.reason}
            error={e.reason}
            maxLength={150}
            required
          />
          <Actions>
            <button type="submit" class="button">
              {tx(locale, 'Tra cứu', 'Look up')}
            </button>
          </Actions>
        </form>
        {f ? (
          <section aria-labelledby="ket-qua">
            <h2 id="ket-qua">{f.displayName}</h2>
            {f.status !== 'active' ? (
              <Notice
                kind="warning"
                title={tx(locale, 'Tài khoản đang bị khóa', 'The account is disabled')}
              />
            ) : null}
            {f.lockedUntil ? (
              <Notice
                kind="warning"
                title={tx(
                  locale,
                  `Tạm khóa đăng nhập do nhập sai mật khẩu, đến ${when(f.lockedUntil)}.`,
                  `Sign-in locked after wrong passwords until ${when(f.lockedUntil)}.`,
                )}
              />
            ) : null}
            <dl class="facts">
              <dt>{tx(locale, 'Loại tài khoản', 'Kind')}</dt>
              <dd>{kindLabel(f.kind)}</dd>
              {f.personalId ? (
                <>
                  <dt>{tx(locale, 'Số định danh cá nhân', 'Personal ID')}</dt>
                  <dd>{f.personalId}</dd>
                </>
              ) : null}
              {f.taxCode ? (
                <>
                  <dt>{tx(locale, 'Mã số thuế', 'Tax code')}</dt>
                  <dd>{f.taxCode}</dd>
                </>
              ) : null}
              {f.birthDate ? (
                <>
                  <dt>{tx(locale, 'Ngày sinh', 'Date of birth')}</dt>
                  <dd>{formatVietnameseDate(f.birthDate)}</dd>
                </>
              ) : null}
              <dt>{tx(locale, 'Số điện thoại', 'Phone')}</dt>
              <dd>{f.phone ? `${formatPhoneNational(f.phone)}${verified(f.phoneVerified)}` : '—'}</dd>
              <dt>{tx(locale, 'Thư điện tử', 'E-mail')}</dt>
              <dd>{f.email ? `${f.email}${verified(f.emailVerified)}` : '—'}</dd>
              <dt>{tx(locale, 'Ngày tạo', 'Created')}</dt>
              <dd>{when(f.createdAt)}</dd>
            </dl>
          </section>
        ) : null}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/quan-tri/tra-cuu-tai-khoan',
    { config: { access: LOOKUP_ACCESS }, schema: { hide: true } },
    (request, reply) => page(request, reply, {}),
  );

  app.post(
    '/quan-tri/tra-cuu-tai-khoan',
    {
      config: { access: LOOKUP_ACCESS },
      schema: { hide: true, body: FormBody({ identifier: S(254), reason: S(300) }) },
    },
    async (request, reply) => {
      const values = { identifier: request.body.identifier ?? '', reason: request.body.reason ?? '' };
      const r = await attempt(() => lookup.lookup(request.account!.id, values), 'identifier');
      if (!r.ok) return page(request, reply, { errors: r.errors, values, status: r.status });
      return page(request, reply, { values, found: r.value });
    },
  );
}
