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
