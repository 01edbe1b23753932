/**
 * Mounting oidc-provider in Fastify, and the interaction pages it sends people to: sign-in (our own
 * sign-in page and session) and consent (the claims the portal will release to the relying party).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { Type } from 'typebox';
import { type AppInstance, access, allowFormActions } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { CsrfField, FormBody } from '../pages/forms.tsx';
import { acrFor, acrRequest, needsFreshAuthentication } from './authentication-request.ts';
import { PORTAL_CLAIMS, type PortalClaims } from './provider.ts';

export const CLAIM_LABELS: Record<(typeof PORTAL_CLAIMS)[number], { vi: string; en: string }> = {
  LoaiTaiKhoan: { vi: 'Loại tài khoản', en: 'Account type' },
  SoDinhDanh: { vi: 'Số định danh cá nhân', en: 'Personal identification number' },
  SoCMND: { vi: 'Số chứng minh nhân dân cũ', en: 'Old ID card number' },
  HoVaTen: { vi: 'Họ và tên', en: 'Full name' },
  NgayThangNamSinh: { vi: 'Ngày sinh', en: 'Date of birth' },
  GioiTinh: { vi: 'Giới tính', en: 'Sex' },
  ThuDienTu: { vi: 'Thư điện tử', en: 'E-mail' },
  SoDienThoai: { vi: 'Số điện thoại', en: 'Phone' },
  ThuongTru: { vi: 'Nơi thường trú', en: 'Permanent residence' },
  NoiOHienNay: { vi: 'Nơi ở hiện nay', en: 'Current address' },
  QuocTich: { vi: 'Quốc tịch', en: 'Nationality' },
  MaBHXH: { vi: 'Mã số bảo hiểm xã hội', en: 'Social insurance number' },
  TechID: { vi: 'Mã tài khoản trên Cổng', en: 'Portal account id' },
  TrangThai: { vi: 'Trạng thái tài khoản', en: 'Account status' },
  MaSoDoanhNghiep: { vi: 'Mã số doanh nghiệp', en: 'Business code' },
  TenDoanhNghiep: { vi: 'Tên doanh nghiệp', en: 'Business name' },
  DiaChi: { vi: 'Địa chỉ doanh nghiệp', en: 'Business address' },
};

/** Where a client's users are sent back to (its redirect and post-logout URIs), as origins. */
export function clientOrigins(
  client: { redirectUris?: string[]; postLogoutRedirectUris?: string[] } | undefined,
): string[] {
  const uris = [...(client?.redirectUris ?? []), ...(client?.postLogoutRedirectUris ?? [])];
  return uris.flatMap((u) => {
    try {
      return [new URL(u).origin];
    } catch {
      return [];
    }
  });
}

const UidParams = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }) });

export interface OidcRoutesOptions {
  provider: Provider;
  claimsOf(accountId: string): Promise<PortalClaims | undefined>;
  /** Claims kept back until the account is proven (the consent page says so). */
  withheldOf?(accountId: string): Promise<Array<(typeof PORTAL_CLAIMS)[number]>>;
  /** The person confirmed signing out at the provider: end the portal session before it answers. */
  onProviderLogout(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The platform clock (freshness of an authentication for `max_age`). */
  now(): Date;
}

export async function oidcRoutes(
  app: AppInstance,
  { provider, claimsOf, withheldOf, onProviderLogout, now }: OidcRoutesOptions,
) {
  const callback = provider.callback();

  // The provider's own endpoints: it reads request bodies itself, so nothing parses them here.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      await callback(request.raw, reply.raw);
    };
    scope.all('/oidc/*', { config: { access: access.public }, schema: { hide: true } }, handle);
    scope.get(
      '/.well-known/openid-configuration',
      { config: { access: access.public }, schema: { hide: true } },
      handle,
    );
  });

  // The logout confirmation is read here first (the provider then uses the parsed body), so that the
  // portal session ends before the provider redirects — not in an event that would race the next request.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 56_000 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post(
      '/oidc/session/end/confirm',
      { config: { access: access.public }, schema: { hide: true } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, string>;
        if (body.logout) await onProviderLogout(request, reply);
        // oidc-provider reads an already-parsed body from req.body.
        (request.raw as typeof request.raw & { body?: unknown }).body = body;
        const cookies = reply.getHeader('set-cookie');
        if (cookies !== undefined) reply.raw.setHeader('set-cookie', cookies as string | string[]);
        reply.hijack();
        await callback(request.raw, reply.raw);
      },
    );
  });

  const finish = async (
    request: FastifyRequest,
    reply: FastifyReply,
    result: Parameters<Provider['interactionFinished']>[2],
    merge: boolean,
  ) => {
    reply.hijack();
    await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
  };

  app.get(
    '/uy-quyen/:uid',
    { config: { access: access.public }, schema: { hide: true, params: UidParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const details = await provider.interactionDetails(request.raw, reply.raw);
      if (details.prompt.name === 'login') {
        const here = encodeURIComponent(`/uy-quyen/${details.uid}`);
        if (!request.account) return reply.code(303).redirect(`/dang-nhap?tiep=${here}`);
        const asked = acrRequest(details.params);
        if (asked.unsatisfiable)
          return finish(
            request,
            reply,
            {
              error: 'unmet_authentication_requirements',
              error_description: 'Cổng không cung cấp mức xác thực được yêu cầu (chỉ có LoA1, LoA2).',
            },
            false,
          );
        // prompt=login and max_age ask for the password again (and the second factor where the level
        // needs it): the portal session must have been authenticated recently enough, or the person
        // signs in again — the id_token's auth_time is when they really did.
        const startedAt = new Date(Number((details as { iat?: number }).iat ?? 0) * 1000);
        if (needsFreshAuthentication(details.params, request.account.authenticatedAt, startedAt, now()))
          return reply.code(303).redirect(`/dang-nhap?lai=1&tiep=${here}`);
        const acr = acrFor(request.account.assurance, asked);
        if (!acr) return reply.code(303).redirect(`/dang-nhap/nang-cap?tiep=${here}`);
        return finish(
          request,
          reply,
          {
            login: {
              accountId: request.account.id,
              acr,
              amr: request.account.assurance === 2 ? ['pwd', 'otp'] : ['pwd'],
              remember: true,
              ts: Math.floor(request.account.authenticatedAt.getTime() / 1000),
            },
          },
          false,
        );
      }
      const client = await provider.Client.find(String(details.params.client_id));
      const name = client?.clientName ?? String(details.params.client_id);
      allowFormActions(reply, clientOrigins(client));
      const accountId = details.session?.accountId;
      const claims = accountId ? await claimsOf(accountId) : undefined;
      const released = PORTAL_CLAIMS.filter((c) => claims?.[c] !== undefined);
      const withheld = accountId && withheldOf ? await withheldOf(accountId) : [];
      const title = tx(locale, 'Cho phép chia sẻ thông tin', 'Allow sharing your information');
      const token = await reply.csrfToken();
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              `${name} đề nghị Cổng Dịch vụ công cho biết các thông tin sau của bạn để đăng nhập.`,
              `${name} asks the portal for the following information to sign you in.`,
            )}
          />
          <ul>
            {released.map((c) => (
              <li key={c}>{CLAIM_LABELS[c][locale]}</li>
            ))}
          </ul>
          {withheld.length > 0 ? (
            <Notice kind="warning">
              <p>
                {tx(
                  locale,
                  `Không chia sẻ: ${withheld.map((c) => CLAIM_LABELS[c].vi.toLowerCase()).join(', ')}, vì tài khoản chưa được xác thực với cơ sở dữ liệu quốc gia. `,
                  `Not shared: ${withheld.map((c) => CLAIM_LABELS[c].en.toLowerCase()).join(', ')}, because the account is not yet proven against the national register. `,
                )}
                <a href="/tai-khoan/xac-thuc-danh-tinh">
                  {tx(locale, 'Xác thực danh tính', 'Prove your identity')}
                </a>
              </p>
            </Notice>
          ) : null}
          <Notice kind="info">
            <p>
              {tx(
                locale,
                'Chỉ những thông tin có trong tài khoản của bạn được liệt kê ở trên. Bạn có thể từ chối; khi đó bạn không đăng nhập được vào cổng này qua Cổng Dịch vụ công.',
                'Only the information your account holds is listed. You can deny; you will then not be signed in to that portal through this one.',
              )}
            </p>
          </Notice>
          <div class="form-actions">
            <form method="post" action={`/uy-quyen/${details.uid}/dong-y`}>
              <CsrfField token={token} />
              <button type="submit" class="button">
                {tx(locale, 'Đồng ý', 'Allow')}
              </button>
            </form>
            <form method="post" action={`/uy-quyen/${details.uid}/tu-choi`}>
              <CsrfField token={token} />
              <button type="submit" class="button button--secondary">
                {tx(locale, 'Từ chối', 'Deny')}
              </button>
            </form>
          </div>
        </Layout>,
      );
    },
  );

  app.post(
    '/uy-quyen/:uid/dong-y',
    { config: { access: access.public }, schema: { hide: true, params: UidParams, body: FormBody({}) } },
    async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      const accountId = details.session?.accountId;
      if (!accountId || details.prompt.name !== 'consent')
        return reply.code(303).redirect(`/uy-quyen/${details.uid}`);
      const clientId = String(details.params.client_id);
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId });
      if (!grant) return reply.code(303).redirect(`/uy-quyen/${details.uid}`);
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return finish(request, reply, { consent: { grantId } }, true);
    },
  );

  app.post(
    '/uy-quyen/:uid/tu-choi',
    { config: { access: access.public }, schema: { hide: true, params: UidParams, body: FormBody({}) } },
    async (request, reply) =>
      finish(
        request,
        reply,
        { error: 'access_denied', error_description: 'Người dùng không đồng ý chia sẻ thông tin.' },
        false,
      ),
  );
}
