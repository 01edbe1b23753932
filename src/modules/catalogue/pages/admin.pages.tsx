/**
 * Officers' pages of the catalogue. Agency administrators create procedures, edit drafts, submit them
 * for testing and ask for withdrawal; the Government Office publishes, returns drafts and approves
 * withdrawals from its queue. The route declares the roles; the service checks them at the procedure's
 * own agency (a procedure outside the officer's scope answers 404).
 *
 * Here: the administration's front page, the Government Office's queue, a procedure's versions and
 * history, the preview, a new version and the lifecycle actions. Creating and editing drafts are in
 * admin-editor.pages.tsx, the LayThuTuc import in admin-import.pages.tsx, what they share in
 * admin.shared.tsx.
 */
import { Type } from 'typebox';
import type { AppInstance } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { DateText, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { ACTION_LABELS, type LifecycleAction } from '../domain/lifecycle.ts';
import {
  ADMIN,
  accountOf,
  adminPage,
  Body,
  CodeParams,
  CsrfField,
  OFFICER,
  S,
  stateLabel,
  VersionParams,
  VPCP,
} from './admin.shared.tsx';
import { procedureEditorPages } from './admin-editor.pages.tsx';
import { procedureImportPages } from './admin-import.pages.tsx';
import { ProcedurePage } from './procedure.views.tsx';

const ActParams = Type.Object({
  code: Type.String({ maxLength: 40, pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$' }),
  version: Type.Integer({ minimum: 1, maximum: 100_000 }),
  action: Type.Union(
    (
      [
        'submit',
        'return',
        'publish',
        'request-withdrawal',
        'cancel-withdrawal',
        'approve-withdrawal',
      ] as const
    ).map((a) => Type.Literal(a)) as [ReturnType<typeof Type.Literal>],
  ),
});
const ActBody = Type.Object({ _csrf: S(100), note: S(2000) });

const EVENT_LABELS: Record<string, { vi: string; en: string }> = {
  ...ACTION_LABELS,
  create: { vi: 'Tạo dự thảo', en: 'Draft created' },
  edit: { vi: 'Sửa dự thảo', en: 'Draft edited' },
  supersede: { vi: 'Được thay thế', en: 'Superseded' },
  seed: { vi: 'Nạp từ dữ liệu mẫu', en: 'Loaded from the seed' },
  import: { vi: 'Nhập từ LayThuTuc', en: 'Imported (LayThuTuc)' },
};
const eventLabel = (a: string, l: Locale) => EVENT_LABELS[a]?.[l] ?? a;

export async function catalogueAdminPages(app: AppInstance, { service }: { service: CatalogueService }) {
  app.get(
    '/quan-tri/thu-tuc',
    { config: { access: OFFICER }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const id = accountOf(request);
      const [owned, queue] = await Promise.all([service.ownedProcedures(id), service.queue(id)]);
      return adminPage(
        request,
        reply,
        tx(locale, 'Quản trị thủ tục hành chính', 'Procedure administration'),
        <>
          <PageHeading title={tx(locale, 'Quản trị thủ tục hành chính', 'Procedure administration')} />
          <p class="procedure-actions">
            {owned.agencies.length > 0 ? (
              <>
                <a class="button" href="/quan-tri/thu-tuc/moi">
                  {tx(locale, 'Tạo thủ tục mới', 'New procedure')}
                </a>
                <a href="/quan-tri/thu-tuc/nhap">
                  {tx(locale, 'Nhập thủ tục (LayThuTuc)', 'Import (LayThuTuc)')}
                </a>
              </>
            ) : null}
            <a href="/api/v1/procedures/export?format=xlsx">
              {tx(locale, 'Xuất danh mục (XLSX)', 'Export (XLSX)')}
            </a>
            <a href="/api/v1/procedures/export?format=csv">
              {tx(locale, 'Xuất danh mục (CSV)', 'Export (CSV)')}
            </a>
          </p>
          {queue.length > 0 || owned.agencies.length === 0 ? (
            <Notice title={tx(locale, 'Hàng chờ của Văn phòng Chính phủ', 'Government Office queue')}>
              <p>
                <a href="/quan-tri/thu-tuc/hang-cho">
                  {tx(
                    locale,
                    `${queue.length} phiên bản chờ công khai hoặc chờ dừng công khai`,
                    `${queue.length} versions waiting`,
                  )}
                </a>
              </p>
            </Notice>
          ) : null}
          {owned.agencies.length > 0 ? (
            <section aria-labelledby="cua-co-quan">
              <h2 id="cua-co-quan">{tx(locale, 'Thủ tục của cơ quan', 'Your agency’s procedures')}</h2>
              <VersionTable
                locale={locale}
                rows={owned.procedures.map((p) => ({
                  code: p.code,
                  version: p.latest_version,
                  state: p.latest_state,
                  name: p.name,
                  at: p.updated_at,
                  extra: p.public_version
                    ? tx(
                        locale,
                        `đang công khai: phiên bản ${p.public_version}`,
                        `public: version ${p.public_version}`,
                      )
                    : '',
                }))}
              />
            </section>
          ) : null}
        </>,
        { extra: [] },
      );
    },
  );

  app.get(
    '/quan-tri/thu-tuc/hang-cho',
    { config: { access: VPCP }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const id = accountOf(request);
      const queue = await service.queue(id);
      const owners = new Map(
        await Promise.all(
          queue.map(
            async (q) =>
              [
                q.owner_agency_code,
                (await service.agencyName(q.owner_agency_code)) ?? q.owner_agency_code,
              ] as const,
          ),
        ),
      );
      const token = await reply.csrfToken();
      return adminPage(
        request,
        reply,
        tx(locale, 'Hàng chờ công khai', 'Publication queue'),
        <>
          <PageHeading
            title={tx(locale, 'Hàng chờ công khai', 'Publication queue')}
            lead={tx(
              locale,
              'Phiên bản đang kiểm thử chờ công khai, và đề nghị dừng công khai chờ duyệt.',
              'Versions under test waiting to be published, and withdrawal requests waiting for approval.',
            )}
          />
          {queue.length === 0 ? (
            <p class="empty">{tx(locale, 'Không có phiên bản nào đang chờ.', 'Nothing is waiting.')}</p>
          ) : (
            <ol class="results">
              {queue.map((q) => (
                <li key={`${q.code}-${q.version}`}>
                  <h3>
                    <a href={`/quan-tri/thu-tuc/${encodeURIComponent(q.code)}`}>{q.name}</a>
                  </h3>
                  <p class="meta">
                    {q.code} · {tx(locale, 'phiên bản', 'version')} {q.version} ·{' '}
                    <span class="badge badge--warning">{stateLabel(q.state, locale)}</span> ·{' '}
                    {owners.get(q.owner_agency_code)} · <DateText date={q.updated_at} /> ·{' '}
                    <a
                      href={`/quan-tri/thu-tuc/${encodeURIComponent(q.code)}/phien-ban/${q.version}/xem-truoc`}
                    >
                      {tx(locale, 'Xem trước nội dung', 'Preview the content')}
                    </a>
                  </p>
                  <ActionForms
                    locale={locale}
                    code={q.code}
                    version={q.version}
                    actions={
                      q.state === 'testing'
                        ? ['publish', 'return']
                        : ['approve-withdrawal', 'cancel-withdrawal']
                    }
                    token={token}
                  />
                </li>
              ))}
            </ol>
          )}
        </>,
      );
    },
  );

  procedureEditorPages(app, service);
  procedureImportPages(app, service);

  app.get(
    '/quan-tri/thu-tuc/:code',
    { config: { access: OFFICER }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const id = accountOf(request);
      const v = await service.officerView(id, request.params.code.toUpperCase());
      const token = await reply.csrfToken();
      const code = v.procedure.code;
      return adminPage(
        request,
        reply,
        v.latest?.name ?? code,
        <>
          <PageHeading title={v.latest?.name ?? code} lead={`${code} · ${v.ownerName}`} />
          <p class="procedure-actions">
            {v.working?.state === 'draft' && v.roles.includes('agency-admin') ? (
              <a
                class="button"
                href={`/quan-tri/thu-tuc/${encodeURIComponent(code)}/phien-ban/${v.working.version}`}
              >
                {tx(
                  locale,
                  `Sửa dự thảo phiên bản ${v.working.version}`,
                  `Edit draft version ${v.working.version}`,
                )}
              </a>
            ) : null}
            {v.canStartVersion ? (
              <form
                method="post"
                action={`/quan-tri/thu-tuc/${encodeURIComponent(code)}/phien-ban-moi`}
                class="inline-form"
              >
                <CsrfField token={token} />
                <button type="submit" class="button--secondary">
                  {tx(locale, 'Tạo phiên bản mới', 'Start a new version')}
                </button>
              </form>
            ) : null}
            {v.versions.some((x) => x.state === 'published' || x.state === 'pending-withdrawal') ? (
              <a href={`/thu-tuc/${encodeURIComponent(code)}`}>
                {tx(locale, 'Xem trang công khai', 'Public page')}
              </a>
            ) : null}
          </p>
          <h2>{tx(locale, 'Các phiên bản', 'Versions')}</h2>
          <ol class="results">
            {v.versions.map((x) => (
              <li key={x.version}>
                <h3>
                  {tx(locale, 'Phiên bản', 'Version')} {x.version}: {x.name}
                </h3>
                <p class="meta">
                  <span
                    class={`badge ${x.state === 'published' ? 'badge--full' : x.state === 'testing' || x.state === 'pending-withdrawal' ? 'badge--warning' : 'badge--none'}`}
                  >
                    {stateLabel(x.state, locale)}
                  </span>
                  {tx(locale, 'cập nhật', 'updated')} <DateText date={x.updated_at} /> ·{' '}
                  <a href={`/quan-tri/thu-tuc/${encodeURIComponent(code)}/phien-ban/${x.version}/xem-truoc`}>
                    {tx(locale, 'Xem trước', 'Preview')}
                  </a>
                </p>
                <ActionForms
                  locale={locale}
                  code={code}
                  version={x.version}
                  actions={x.allowed.filter((a) => a !== 'edit')}
                  token={token}
                />
              </li>
            ))}
          </ol>
          <h2>{tx(locale, 'Lịch sử', 'History')}</h2>
          <ul>
            {v.events.map((e) => (
              <li key={`${e.version}-${e.at.toISOString()}-${e.action}`}>
                <DateText date={e.at} /> — {tx(locale, 'phiên bản', 'version')} {e.version}:{' '}
                {eventLabel(e.action, locale)}
                {e.to_state ? ` → ${stateLabel(e.to_state, locale)}` : ''}
                {e.note ? ` (${e.note})` : ''}
              </li>
            ))}
          </ul>
        </>,
        { extra: [{ label: code }] },
      );
    },
  );

  app.get(
    '/quan-tri/thu-tuc/:code/phien-ban/:version/xem-truoc',
    { config: { access: OFFICER }, schema: { hide: true, params: VersionParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const p = await service.previewVersion(
        accountOf(request),
        request.params.code.toUpperCase(),
        request.params.version,
      );
      return sendPage(
        request,
        reply,
        <ProcedurePage locale={locale} path={request.url} p={p} preview={stateLabel(p.state, locale)} />,
      );
    },
  );

  app.post(
    '/quan-tri/thu-tuc/:code/phien-ban-moi',
    { config: { access: ADMIN }, schema: { hide: true, params: CodeParams, body: Body } },
    async (request, reply) => {
      const r = await service.startVersion(accountOf(request), request.params.code.toUpperCase());
      return reply
        .code(303)
        .redirect(`/quan-tri/thu-tuc/${encodeURIComponent(r.code)}/phien-ban/${r.version}`);
    },
  );

  app.post(
    '/quan-tri/thu-tuc/:code/phien-ban/:version/:action',
    { config: { access: OFFICER }, schema: { hide: true, params: ActParams, body: ActBody } },
    async (request, reply) => {
      const code = request.params.code.toUpperCase();
      await service.act(
        accountOf(request),
        code,
        request.params.version,
        request.params.action as Exclude<LifecycleAction, 'edit'>,
        request.body.note,
      );
      const back = request.headers.referer?.includes('/hang-cho')
        ? '/quan-tri/thu-tuc/hang-cho'
        : `/quan-tri/thu-tuc/${encodeURIComponent(code)}`;
      return reply.code(303).redirect(back);
    },
  );
}

function VersionTable({
  locale,
  rows,
}: {
  locale: Locale;
  rows: Array<{ code: string; version: number; state: string; name: string; at: Date; extra: string }>;
}) {
  if (rows.length === 0)
    return <p class="empty">{tx(locale, 'Chưa có thủ tục nào.', 'No procedures yet.')}</p>;
  return (
    <ol class="results">
      {rows.map((r) => (
        <li key={r.code}>
          <h3>
            <a href={`/quan-tri/thu-tuc/${encodeURIComponent(r.code)}`}>{r.name}</a>
          </h3>
          <p class="meta">
            {r.code} · {tx(locale, 'phiên bản mới nhất', 'latest version')} {r.version}:{' '}
            {stateLabel(r.state, locale)}
            {r.extra ? ` · ${r.extra}` : ''} · <DateText date={r.at} />
          </p>
        </li>
      ))}
    </ol>
  );
}

function ActionForms({
  locale,
  code,
  version,
  actions,
  token,
}: {
  locale: Locale;
  code: string;
  version: number;
  actions: LifecycleAction[];
  token: string;
}) {
  if (actions.length === 0) return null;
  return (
    <div class="procedure-actions">
      {actions.map((a) => (
        <form
          key={a}
          method="post"
          action={`/quan-tri/thu-tuc/${encodeURIComponent(code)}/phien-ban/${version}/${a}`}
          class="inline-form"
        >
          <CsrfField token={token} />
          {a === 'return' || a === 'request-withdrawal' ? (
            <>
              <label class="visually-hidden" for={`note-${version}-${a}`}>
                {tx(locale, 'Lý do', 'Reason')}
              </label>
              <input
                id={`note-${version}-${a}`}
                name="note"
                maxLength={2000}
                placeholder={tx(locale, 'Lý do', 'Reason')}
              />{' '}
            </>
          ) : null}
          <button type="submit" class={a === 'publish' || a === 'submit' ? undefined : 'button--secondary'}>
            {ACTION_LABELS[a][locale]}
          </button>
        </form>
      ))}
    </div>
  );
}
