/**
 * Officers' catalogue pages that write a procedure's content: a new procedure (its code, publishing
 * agency and content as JSON, from a skeleton) and the draft editor (the simple parts as fields, the
 * nested parts as JSON). A save that fails shows the form again with its problems.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { PageHeading, pageLocale } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { type ProcedureContent, ProcedureContentSchema } from '../domain/procedure.ts';
import {
  ADMIN,
  accountOf,
  adminPage,
  CsrfField,
  Problems,
  parseJson,
  S,
  VersionParams,
} from './admin.shared.tsx';
import { contentFrom, DraftBody, DraftFields, type DraftValues, valuesOf } from './draft-form.tsx';

const CreateBody = Type.Object({ _csrf: S(100), code: S(60), agency: S(40), content: S(400_000) });

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

/** /quan-tri/thu-tuc/moi (a new procedure) and /quan-tri/thu-tuc/{code}/phien-ban/{version} (edit a draft). */
export function procedureEditorPages(app: AppInstance, service: CatalogueService) {
  const createForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { code?: string; agency?: string; content?: string },
    error?: AppError,
  ) => {
    const locale = pageLocale(request);
    const agencies = await service.agenciesForAdmin(accountOf(request));
    if (agencies.length === 0) throw new NotFoundError('Không tìm thấy trang.');
    return adminPage(
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
    return adminPage(
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
}
