/**
 * What the officers' catalogue pages share: the page frame with its breadcrumbs, the route parameters,
 * who may call them, the CSRF field, the signed-in officer, a save's problems, state labels and reading
 * pasted JSON.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type AppError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { CSRF_FIELD } from '../../../platform/security/index.ts';
import { Layout, pageLocale, sendPage } from '../../../platform/web/index.ts';
import { STATE_LABELS, type VersionState } from '../domain/lifecycle.ts';
import { ASSET_CSS } from './assets.ts';

export const S = (max: number) => Type.Optional(Type.String({ maxLength: max }));
export const Body = Type.Object({ _csrf: S(100) }, { additionalProperties: true });
export const CodeParams = Type.Object({
  code: Type.String({ maxLength: 40, pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$' }),
});
export const VersionParams = Type.Object({
  code: Type.String({ maxLength: 40, pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$' }),
  version: Type.Integer({ minimum: 1, maximum: 100_000 }),
});

export const OFFICER = access.officer('agency-admin', 'vpcp-supervisor');
export const ADMIN = access.officer('agency-admin');
export const VPCP = access.officer('vpcp-supervisor');

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

export function accountOf(request: FastifyRequest): string {
  const a = request.account;
  if (a?.kind !== 'officer') throw new NotFoundError('Không tìm thấy trang.');
  return a.id;
}

export const stateLabel = (s: string, l: Locale) => STATE_LABELS[s as VersionState]?.[l] ?? s;

export const crumbs = (locale: Locale, extra: Array<{ href?: string; label: string }> = []) => [
  { href: '/quan-tri/thu-tuc', label: tx(locale, 'Quản trị thủ tục', 'Procedure administration') },
  ...extra,
];

export function Problems({ locale, error }: { locale: Locale; error: AppError | undefined }) {
  if (!error) return null;
  const list = (error.extras.errors ?? []) as Array<{ path: string; message: string }>;
  return (
    <div class="notice notice--error" role="alert" id="loi">
      <p class="notice__title">{tx(locale, 'Chưa lưu được', 'Not saved')}</p>
      <p>{error.message}</p>
      {list.length > 0 ? (
        <ul>
          {list.slice(0, 30).map((e) => (
            <li key={`${e.path}-${e.message}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** An officers' catalogue page: the layout, the catalogue's stylesheet, breadcrumbs under the administration. */
export async function adminPage(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: preact.ComponentChildren,
  options: { status?: number; extra?: Array<{ href?: string; label: string }> } = {},
) {
  const locale = pageLocale(request);
  return sendPage(
    request,
    reply,
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={title}
      path={request.url}
      breadcrumbs={crumbs(locale, options.extra ?? [{ label: title }])}
    >
      {body}
    </Layout>,
    options.status ? { status: options.status } : {},
  );
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(
      `Nội dung không phải JSON hợp lệ: ${e instanceof Error ? e.message : String(e)}`,
      [{ path: 'content', message: 'invalid JSON' }],
    );
  }
}
