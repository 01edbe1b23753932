/**
 * Officers' pages of the catalogue. Agency administrators create procedures, edit drafts, submit them
 * for testing and ask for withdrawal; the Government Office publishes, returns drafts and approves
 * withdrawals from its queue. The route declares the roles; the service checks them at the procedure's
 * own agency (a procedure outside the officer's scope answers 404).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { CSRF_FIELD } from '../../../platform/security/index.ts';
import { DateText, Layout, Notice, PageHeading, pageLocale, sendPage } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { ACTION_LABELS, type LifecycleAction, STATE_LABELS, type VersionState } from '../domain/lifecycle.ts';
import { type ProcedureContent, ProcedureContentSchema } from '../domain/procedure.ts';
import { ASSET_CSS, ProcedurePage } from './catalogue.views.tsx';
import { contentFrom, DraftBody, DraftFields, type DraftValues, valuesOf } from './draft-form.tsx';

const S = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const Body = Type.Object({ _csrf: S(100) }, { additionalProperties: true });
const CodeParams = Type.Object({
  code: Type.String({ maxLength: 40, pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$' }),
});
const VersionParams = Type.Object({
  code: Type.String({ maxLength: 40, pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$' }),
  version: Type.Integer({ minimum: 1, maximum: 100_000 }),
});
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
const CreateBody = Type.Object({ _csrf: S(100), code: S(60), agency: S(40), content: S(400_000) });
const ImportBody = Type.Object({ _csrf: S(100), agency: S(40), data: S(900_000) });
const ActBody = Type.Object({ _csrf: S(100), note: S(2000) });

const OFFICER = access.officer('agency-admin', 'vpcp-supervisor');
const ADMIN = access.officer('agency-admin');
const VPCP = access.officer('vpcp-supervisor');

function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

function accountOf(request: FastifyRequest): string {
  const a = request.account;
  if (a?.kind !== 'officer') throw new NotFoundError('Không tìm thấy trang.');
  return a.id;
}

const stateLabel = (s: string, l: Locale) => STATE_LABELS[s as VersionState]?.[l] ?? s;

const EVENT_LABELS: Record<string, { vi: string; en: string }> = {
  ...ACTION_LABELS,
  create: { vi: 'Tạo dự thảo', en: 'Draft created' },
  edit: { vi: 'Sửa dự thảo', en: 'Draft edited' },
  supersede: { vi: 'Được thay thế', en: 'Superseded' },
  seed: { vi: 'Nạp từ dữ liệu mẫu', en: 'Loaded from the seed' },
  import: { vi: 'Nhập từ LayThuTuc', en: 'Imported (LayThuTuc)' },
};
const eventLabel = (a: string, l: Locale) => EVENT_LABELS[a]?.[l] ?? a;

const crumbs = (locale: Locale, extra: Array<{ href?: string; label: string }> = []) => [
  { href: '/quan-tri/thu-tuc', label: tx(locale, 'Quản trị thủ tục', 'Procedure administration') },
  ...extra,
];

/** A skeleton for a new procedure: valid once the officer fills in the sector and agencies. */
const SKELETON: ProcedureContent = {
  name: 'Tên thủ tục',
  sectorCodes: ['KHAC'],
  levels: ['province'],
  implementingAgencies: [{ name: 'Cơ quan thực hiện' }],
  audiences: ['citizen'],
  onlineLevel: 'partial',
  legacyLevel: null,
  channels: [
    {
      channel: 'in-person',
      times: [
        {
          amount: 5,
          unit: 'working-day',
          fees: [{ kind: 'le-phi', name: 'Lệ phí', formula: { type: 'free' } }],
        },
      ],
    },
    {
      channel: 'online',
      times: [
        {
          amount: 5,
          unit: 'working-day',
          fees: [{ kind: 'le-phi', name: 'Lệ phí', formula: { type: 'free' } }],
        },
      ],
    },
  ],
  cases: [
    {
      name: 'Trường hợp chung',
      documents: [{ code: 'TK', name: 'Tờ khai', originals: 1, copies: 0, required: true }],
    },
  ],
  form: {
    fields: [
      { type: 'text', key: 'hoTen', label: { vi: 'Họ, chữ đệm và tên' }, required: true, maxLength: 100 },
      { type: 'id-number', key: 'soDinhDanh', label: { vi: 'Số định danh cá nhân' }, required: true },
      { type: 'file', key: 'tepTK', label: { vi: 'Tờ khai' }, required: true, documentCode: 'TK' },
    ],
  },
  results: [{ name: 'Kết quả giải quyết' }],
  legalBasis: [],
  steps: [],
  conditions: [],
  payment: 'none',
  after15hRule: false,
  keywords: [],
};

function Problems({ locale, error }: { locale: Locale; error: AppError | undefined }) {
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

export async function catalogueAdminPages(app: AppInstance, { service }: { service: CatalogueService }) {
  async function page(
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

  app.get(
    '/quan-tri/thu-tuc',
    { config: { access: OFFICER }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const id = accountOf(request);
      const [owned, queue] = await Promise.all([service.ownedProcedures(id), service.queue(id)]);
      return page(
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
      return page(
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

  const createForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { code?: string; agency?: string; content?: string },
    error?: AppError,
  ) => {
    const locale = pageLocale(request);
    const agencies = await service.agenciesForAdmin(accountOf(request));
    if (agencies.length === 0) throw new NotFoundError('Không tìm thấy trang.');
    return page(
      request,
      reply,
      tx(locale, 'Tạo thủ tục mới', 'New procedure'),
      <>
        <PageHeading
          title={tx(locale, 'Tạo thủ tục mới', 'New procedure')}
          lead={tx(
            locale,
            'Thủ tục được tạo ở trạng thái dự thảo; sau khi hoàn thiện, gửi kiểm thử để Văn phòng Chính phủ công khai.',
            'The procedure starts as a draft; when ready, submit it for testing so the Government Office can publish it.',
          )}
        />
        <Problems locale={locale} error={error} />
        <form method="post" action="/quan-tri/thu-tuc/moi" class="form editor">
          <CsrfField token={await reply.csrfToken()} />
          <div class="field">
            <label for="code">{tx(locale, 'Mã thủ tục', 'Procedure code')}</label>
            <p class="hint" id="code-goi-y">
              {tx(
                locale,
                'Ví dụ 2.000815, hoặc mã biến thể địa phương 1.001193.000.00.00.H26',
                'e.g. 2.000815',
              )}
            </p>
            <input
              id="code"
              name="code"
              value={values.code ?? ''}
              maxLength={40}
              required
              aria-describedby="code-goi-y"
            />
          </div>
          <div class="field">
            <label for="agency">{tx(locale, 'Cơ quan công bố', 'Publishing agency')}</label>
            <select id="agency" name="agency">
              {agencies.map((a) => (
                <option key={a.code} value={a.code} selected={a.code === values.agency}>
                  {a.name} ({a.code})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="content">{tx(locale, 'Nội dung thủ tục (JSON)', 'Content (JSON)')}</label>
            <p class="hint">
              {tx(
                locale,
                'Cấu trúc như API /api/v1/procedures/{mã} (trường content). Được kiểm tra khi lưu.',
                'Same shape as the content of /api/v1/procedures/{code}. Checked when saved.',
              )}
            </p>
            <textarea id="content" name="content" spellcheck={false}>
              {values.content ?? JSON.stringify(SKELETON, null, 2)}
            </textarea>
          </div>
          <div class="form-actions">
            <button type="submit">{tx(locale, 'Tạo dự thảo', 'Create draft')}</button>
          </div>
        </form>
      </>,
      error ? { status: error.status } : {},
    );
  };

  app.get(
    '/quan-tri/thu-tuc/moi',
    { config: { access: ADMIN }, schema: { hide: true } },
    async (request, reply) => createForm(request, reply, {}),
  );

  app.post(
    '/quan-tri/thu-tuc/moi',
    { config: { access: ADMIN }, schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      const id = accountOf(request);
      const b = request.body;
      try {
        const content = parseJson(b.content ?? '');
        const r = await service.createProcedure(id, {
          code: b.code ?? '',
          ownerAgencyCode: b.agency ?? '',
          content,
        });
        return reply.code(303).redirect(`/quan-tri/thu-tuc/${encodeURIComponent(r.code)}`);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.status !== 404)
          return createForm(request, reply, b, e);
        throw e;
      }
    },
  );

  const importForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { agency?: string; data?: string },
    report?: Awaited<ReturnType<CatalogueService['importLayThuTuc']>>,
    error?: AppError,
  ) => {
    const locale = pageLocale(request);
    const agencies = await service.agenciesForAdmin(accountOf(request));
    if (agencies.length === 0) throw new NotFoundError('Không tìm thấy trang.');
    return page(
      request,
      reply,
      tx(locale, 'Nhập thủ tục theo LayThuTuc', 'Import LayThuTuc'),
      <>
        <PageHeading
          title={tx(locale, 'Nhập thủ tục theo LayThuTuc', 'Import LayThuTuc')}
          lead={tx(
            locale,
            'Dán dữ liệu JSON theo cấu trúc LayThuTuc của Cổng Dịch vụ công quốc gia (một thủ tục hoặc một mảng). Mỗi thủ tục trở thành một dự thảo.',
            'Paste JSON in the national portal’s LayThuTuc shape (one procedure or an array). Each becomes a draft.',
          )}
        />
        <Problems locale={locale} error={error} />
        {report ? (
          <section aria-labelledby="ket-qua-nhap">
            <h2 id="ket-qua-nhap">{tx(locale, 'Kết quả nhập', 'Import report')}</h2>
            <ol>
              {report.map((r) => (
                <li key={r.index}>
                  {r.ok ? '✓' : '✗'} {r.code || `#${r.index + 1}`}
                  {r.ok && r.version ? (
                    <>
                      {' — '}
                      <a href={`/quan-tri/thu-tuc/${encodeURIComponent(r.code)}`}>
                        {tx(locale, `dự thảo phiên bản ${r.version}`, `draft version ${r.version}`)}
                      </a>
                    </>
                  ) : null}
                  <ul>
                    {r.messages.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        <form method="post" action="/quan-tri/thu-tuc/nhap" class="form editor">
          <CsrfField token={await reply.csrfToken()} />
          <div class="field">
            <label for="agency">{tx(locale, 'Cơ quan công bố', 'Publishing agency')}</label>
            <select id="agency" name="agency">
              {agencies.map((a) => (
                <option key={a.code} value={a.code} selected={a.code === values.agency}>
                  {a.name} ({a.code})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="data">{tx(locale, 'Dữ liệu LayThuTuc (JSON)', 'LayThuTuc data (JSON)')}</label>
            <textarea id="data" name="data" spellcheck={false}>
              {values.data ?? ''}
            </textarea>
          </div>
          <div class="form-actions">
            <button type="submit">{tx(locale, 'Nhập', 'Import')}</button>
          </div>
        </form>
      </>,
      error ? { status: error.status } : {},
    );
  };

  app.get(
    '/quan-tri/thu-tuc/nhap',
    { config: { access: ADMIN }, schema: { hide: true } },
    async (request, reply) => importForm(request, reply, {}),
  );

  app.post(
    '/quan-tri/thu-tuc/nhap',
    { config: { access: ADMIN }, schema: { hide: true, body: ImportBody } },
    async (request, reply) => {
      const id = accountOf(request);
      const b = request.body;
      try {
        const report = await service.importLayThuTuc(id, b.agency ?? '', parseJson(b.data ?? ''));
        return importForm(request, reply, b, report);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.status !== 404)
          return importForm(request, reply, b, undefined, e);
        throw e;
      }
    },
  );

  app.get(
    '/quan-tri/thu-tuc/:code',
    { config: { access: OFFICER }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const id = accountOf(request);
      const v = await service.officerView(id, request.params.code.toUpperCase());
      const token = await reply.csrfToken();
      const code = v.procedure.code;
      return page(
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

  const editForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    version: number,
    values?: DraftValues,
    error?: AppError,
  ) => {
    const locale = pageLocale(request);
    const v = await service.officerView(accountOf(request), code);
    const row = v.working?.version === version && v.working.state === 'draft' ? v.working : undefined;
    if (!row) throw new NotFoundError(`Không có dự thảo phiên bản ${version} của thủ tục ${code}.`);
    const c = row.content;
    const form = values ?? valuesOf(c, Object.keys(ProcedureContentSchema.properties));
    return page(
      request,
      reply,
      tx(locale, `Sửa dự thảo ${code} (phiên bản ${version})`, `Edit ${code} draft (version ${version})`),
      <>
        <PageHeading
          title={tx(locale, `Sửa dự thảo phiên bản ${version}`, `Edit draft version ${version}`)}
          lead={`${code} · ${v.ownerName}`}
        />
        <Problems locale={locale} error={error} />
        <form
          method="post"
          action={`/quan-tri/thu-tuc/${encodeURIComponent(code)}/phien-ban/${version}`}
          class="form editor"
        >
          <CsrfField token={await reply.csrfToken()} />
          <DraftFields locale={locale} v={form} />
          <div class="field">
            <label for="content">
              {tx(
                locale,
                'Các phần còn lại (JSON): lĩnh vực, cơ quan thực hiện, cách thức, thời hạn, phí, thành phần hồ sơ, tờ khai…',
                'The other parts (JSON): sectors, agencies, channels, time limits, fees, documents, e-form…',
              )}
            </label>
            <p class="hint">
              {tx(
                locale,
                'Cấu trúc như trường content của /api/v1/procedures/{mã}; được kiểm tra khi lưu, sai thì không lưu gì.',
                'Same shape as the content of /api/v1/procedures/{code}; checked when saved, nothing is saved if it is wrong.',
              )}
            </p>
            <textarea id="content" name="content" spellcheck={false}>
              {form.content ?? ''}
            </textarea>
          </div>
          <div class="form-actions">
            <button type="submit">{tx(locale, 'Lưu dự thảo', 'Save draft')}</button>
            <a href={`/quan-tri/thu-tuc/${encodeURIComponent(code)}`}>{tx(locale, 'Hủy', 'Cancel')}</a>
          </div>
        </form>
      </>,
      {
        ...(error ? { status: error.status } : {}),
        extra: [
          { href: `/quan-tri/thu-tuc/${encodeURIComponent(code)}`, label: code },
          { label: tx(locale, 'Sửa', 'Edit') },
        ],
      },
    );
  };

  app.get(
    '/quan-tri/thu-tuc/:code/phien-ban/:version',
    { config: { access: ADMIN }, schema: { hide: true, params: VersionParams } },
    async (request, reply) =>
      editForm(request, reply, request.params.code.toUpperCase(), request.params.version),
  );

  app.post(
    '/quan-tri/thu-tuc/:code/phien-ban/:version',
    { config: { access: ADMIN }, schema: { hide: true, params: VersionParams, body: DraftBody } },
    async (request, reply) => {
      const code = request.params.code.toUpperCase();
      const { version } = request.params;
      const b = request.body;
      try {
        const parsed = parseJson(b.content ?? '');
        const current = await service.officerView(accountOf(request), code);
        if (current.working?.version !== version)
          throw new NotFoundError(`Không có dự thảo phiên bản ${version} của thủ tục ${code}.`);
        const content = contentFrom(current.working.content, parsed, b);
        await service.saveDraft(accountOf(request), code, version, content);
        return reply.code(303).redirect(`/quan-tri/thu-tuc/${encodeURIComponent(code)}`);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.status !== 404)
          return editForm(request, reply, code, version, b, e);
        throw e;
      }
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(
      `Nội dung không phải JSON hợp lệ: ${e instanceof Error ? e.message : String(e)}`,
      [{ path: 'content', message: 'invalid JSON' }],
    );
  }
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
