/**
 * The account page (`/tai-khoan`): the account's details and proofing, authorisations to act for a
 * business, administration for officers, changing a contact or the password, who read the account's
 * data, and its sessions.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { DataTable, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { DelegationsService } from '../delegations.service.ts';
import { formatPhoneNational } from '../domain/index.ts';
import type { IdentityService } from '../identity.service.ts';
import { CLAIM_LABELS } from '../oidc/oidc.routes.tsx';
import { DelegationSections, delegationRoutes, delegationsOf } from './delegations.pages.tsx';
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
import { codePage, errorTitle, meta, PageQuery } from './shared.tsx';

export interface AccountPagesOptions {
  service: IdentityService;
  delegations: DelegationsService;
}

export async function accountPages(app: AppInstance, { service, delegations }: AccountPagesOptions) {
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
    const delegated = await delegationsOf(delegations, a);
    // The administration the officer's roles open, as each module declares it (the desk's
    // administration cards in the navigation registry).
    const adminLinks =
      a.kind === 'officer'
        ? (await app.navigation.resolveDesk(request, { administration: true })).flatMap((c) => c.links)
        : [];
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

        <DelegationSections locale={locale} token={token} errors={e} delegated={delegated} />

        {adminLinks.length > 0 ? (
          <>
            <h2 id="quan-tri">{tx(locale, 'Quản trị', 'Administration')}</h2>
            <ul>
              {adminLinks.map((l) => (
                <li key={l.href}>
                  <a href={l.href}>
                    {l.label[locale]}
                    {l.count !== undefined ? ` (${l.count})` : ''}
                  </a>
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

  delegationRoutes(app, { delegations, accountPage });

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
