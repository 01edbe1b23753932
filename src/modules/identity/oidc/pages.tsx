/** HTML the provider itself renders (errors, the logout confirmation), in the portal's shell. */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { Layout, Notice, PageHeading, renderDocument } from '../../../platform/web/index.ts';

export function renderOidcError(ctx: KoaContextWithOIDC, out: Record<string, string>): void {
  ctx.type = 'html';
  ctx.body = renderDocument(
    <Layout locale="vi" title="Không đăng nhập được" path={ctx.path}>
      <PageHeading title="Không đăng nhập được qua Cổng Dịch vụ công" />
      <Notice kind="error" title={out.error ?? 'error'}>
        <p>{out.error_description ?? 'Yêu cầu đăng nhập không hợp lệ.'}</p>
      </Notice>
      <p>
        <a href="/">Về trang chủ</a>
      </p>
    </Layout>,
  );
}

export function renderLogout(ctx: KoaContextWithOIDC, form: string): void {
  // The confirmation ends in a redirect to the relying party (the address the provider has already
  // checked against its registration): browsers apply form-action to that redirect too.
  const back = (ctx.oidc?.params as { post_logout_redirect_uri?: unknown } | undefined)
    ?.post_logout_redirect_uri;
  const csp = ctx.response.get('content-security-policy');
  if (typeof back === 'string' && csp) {
    try {
      const origin = new URL(back).origin;
      if (/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(origin)) {
        ctx.set('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${origin}`));
      }
    } catch {
      // not a URL: the provider would have refused it already
    }
  }
  ctx.type = 'html';
  ctx.body = renderDocument(
    <Layout locale="vi" title="Đăng xuất" path={ctx.path}>
      <PageHeading
        title="Đăng xuất khỏi Cổng Dịch vụ công?"
        lead="Bạn sẽ đăng xuất khỏi Cổng và khỏi các cổng dịch vụ công đã đăng nhập bằng tài khoản này."
      />
      {/* oidc-provider's form (markup it generates, with its own CSRF token); the buttons below submit it. */}
      <div dangerouslySetInnerHTML={{ __html: form }} />
      <div class="form-actions">
        <button type="submit" class="button" form="op.logoutForm" value="yes" name="logout">
          Đăng xuất
        </button>
        <button type="submit" class="button button--secondary" form="op.logoutForm">
          Ở lại
        </button>
      </div>
    </Layout>,
  );
}

export function renderLoggedOut(ctx: KoaContextWithOIDC): void {
  ctx.type = 'html';
  ctx.body = renderDocument(
    <Layout locale="vi" title="Đã đăng xuất" path={ctx.path}>
      <PageHeading title="Bạn đã đăng xuất" />
      <p>
        <a href="/">Về trang chủ</a>
      </p>
    </Layout>,
  );
}
