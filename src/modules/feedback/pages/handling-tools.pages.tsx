/**
 * The handlers' tools, usable without JavaScript (reached from the inbox, /quan-tri/phan-anh-kien-nghi):
 *   /quan-tri/phan-anh-kien-nghi/mau-tra-loi(?coquan=)   an agency's answer templates and the form to add one
 *   /quan-tri/phan-anh-kien-nghi/mau-tra-loi/{id}        change or delete a template
 * and what the inbox's one answer to many items (handling.pages.tsx, POST …/tra-loi-chung) shows after.
 * Problems are shown beside their fields; the agency's templates are its handlers' only (404 otherwise).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { vietnamDateTime } from '../../../platform/clock/index.ts';
import { AppError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { FEEDBACK_STATUS_NAMES } from '../../../platform/kernel/index.ts';
import {
  CsrfField,
  ErrorSummary,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import type { AnswerOutcome } from '../answer-many.ts';
import type { AnswerTemplates, TemplateInput } from '../answer-templates.service.ts';
import { PLACEHOLDERS } from '../domain/answer-text.ts';
import { AGENCY_HANDLER_ROLES } from '../feedback.ports.ts';
import { Field } from './feedback.pages.tsx';
import { OFFICE_INBOX, TEMPLATES_PAGE } from './paths.ts';

const TemplateForm = FormBody({ agency: S(60), title: S(200), body: S(20_000), intent: S(10) });
type TemplateFormBody = { agency?: string; title?: string; body?: string; intent?: string };
export const AnswerManyForm = FormBody({
  items: Type.Optional(
    Type.Union([
      Type.String({ maxLength: 120 }),
      Type.Array(Type.String({ maxLength: 120 }), { maxItems: 200 }),
    ]),
  ),
  text: S(20_000),
});
export type AnswerManyFormBody = { items?: string | string[]; text?: string };

/** The inbox's ticked boxes (`code|agency`) as selections. */
export function selectionsOf(items: string | string[] | undefined) {
  return (Array.isArray(items) ? items : items ? [items] : []).map((v) => {
    const [code, agency] = v.split('|');
    return { code: code ?? '', agency: agency || undefined };
  });
}

const PROBLEM_NAMES: Record<string, { vi: string; en: string }> = {
  'not-found': { vi: 'không tìm thấy hoặc không thuộc quyền xử lý', en: 'not found or not yours' },
  forbidden: { vi: 'không có quyền trả lời', en: 'not permitted' },
  conflict: { vi: 'không thể trả lời ở trạng thái hiện tại', en: 'cannot be answered now' },
  invalid: { vi: 'nội dung không hợp lệ', en: 'invalid' },
};

export function fieldErrors(e: AppError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const x of (e.extras.errors as { path: string; message: string }[] | undefined) ?? [])
    errors[x.path.replace(/^body\./, '')] ??= x.message;
  if (Object.keys(errors).length === 0) errors._form = e.message;
  return errors;
}

function PlaceholderHint({ locale }: { locale: Locale }) {
  return (
    <p class="hint" id="body-goi-y">
      {tx(
        locale,
        'Có thể dùng: {ten_nguoi_gui} (tên người gửi), {ma_pakn} (mã phản ánh), {co_quan} (tên cơ quan trả lời), {ngay_gui} (ngày gửi). Khi trả lời, các trường này được điền theo từng phản ánh.',
        `Placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}, filled per item when answering.`,
      )}
    </p>
  );
}

function TemplateFields(props: { locale: Locale; values: TemplateFormBody; errors: Record<string, string> }) {
  const { locale, values, errors } = props;
  return (
    <>
      <Field
        name="title"
        label={tx(locale, 'Tên mẫu', 'Title')}
        value={values.title}
        error={errors.title}
        maxLength={200}
        required
      />
      <div class={`field${errors.body ? ' field--error' : ''}`}>
        <label for="body">{tx(locale, 'Nội dung mẫu', 'Text')}</label>
        <PlaceholderHint locale={locale} />
        {errors.body ? (
          <p class="field-error" id="body-loi">
            {errors.body}
          </p>
        ) : null}
        <textarea
          id="body"
          name="body"
          rows={8}
          cols={70}
          maxLength={20_000}
          required
          aria-invalid={errors.body ? 'true' : undefined}
          aria-describedby={errors.body ? 'body-goi-y body-loi' : 'body-goi-y'}
        >
          {values.body ?? ''}
        </textarea>
      </div>
    </>
  );
}

export async function handlingToolPages(app: AppInstance, deps: { templates: AnswerTemplates }) {
  const { templates } = deps;
  const officerAccess = access.officer('vpcp-supervisor', ...AGENCY_HANDLER_ROLES);

  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: string | undefined,
    values: TemplateFormBody = {},
    errors: Record<string, string> = {},
    status = 200,
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    const mine = await templates.agenciesOf(accountId);
    const chosen = agency?.toUpperCase() ?? mine[0];
    const rows = chosen ? await templates.list(accountId, chosen) : [];
    const title = tx(locale, 'Mẫu trả lời phản ánh, kiến nghị', 'Answer templates');
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Phản ánh, kiến nghị cần xử lý', 'Feedback to handle'), href: OFFICE_INBOX },
          { label: title },
        ]}
      >
        <PageHeading
          title={title}
          lead={chosen ? `${tx(locale, 'Cơ quan', 'Agency')}: ${chosen}` : undefined}
        />
        <ErrorSummary errors={errors} title={tx(locale, 'Vui lòng kiểm tra lại', 'Please check the form')} />
        {mine.length > 1 ? (
          <nav aria-label={tx(locale, 'Cơ quan', 'Agencies')}>
            <ul class="inline-list">
              {mine.map((a) => (
                <li key={a}>
                  <a
                    href={`${TEMPLATES_PAGE}?coquan=${encodeURIComponent(a)}`}
                    aria-current={a === chosen ? 'page' : undefined}
                  >
                    {a}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {rows.length === 0 ? (
          <Notice>{tx(locale, 'Chưa có mẫu trả lời nào.', 'No templates yet.')}</Notice>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{tx(locale, 'Tên mẫu', 'Title')}</th>
                <th scope="col">{tx(locale, 'Cập nhật', 'Updated')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={`${TEMPLATES_PAGE}/${t.id}`}>{t.title}</a>
                  </td>
                  <td>{vietnamDateTime(t.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {chosen ? (
          <>
            <h2>{tx(locale, 'Thêm mẫu', 'Add a template')}</h2>
            <form method="post" action={TEMPLATES_PAGE} class="form" novalidate>
              <CsrfField token={await reply.csrfToken()} />
              <input type="hidden" name="agency" value={chosen} />
              <TemplateFields locale={locale} values={values} errors={errors} />
              <button type="submit">{tx(locale, 'Lưu mẫu', 'Save')}</button>
            </form>
          </>
        ) : null}
      </Layout>,
      { status },
    );
  }

  app.get<{ Querystring: { coquan?: string } }>(
    TEMPLATES_PAGE,
    {
      config: { access: officerAccess },
      schema: { hide: true, querystring: Type.Object({ coquan: S(60) }) },
    },
    async (request, reply) => renderList(request, reply, request.query.coquan || undefined),
  );

  app.post<{ Body: TemplateFormBody }>(
    TEMPLATES_PAGE,
    { config: { access: officerAccess }, schema: { hide: true, body: TemplateForm } },
    async (request, reply) => {
      const b = request.body;
      const agency = (b.agency ?? '').toUpperCase();
      try {
        await templates.create(request.account!.id, agency, { title: b.title ?? '', body: b.body ?? '' });
        return reply.redirect(`${TEMPLATES_PAGE}?coquan=${encodeURIComponent(agency)}`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.status !== 404)
          return renderList(request, reply, agency, b, fieldErrors(e), e.status);
        throw e;
      }
    },
  );

  async function renderOne(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values?: TemplateInput,
    errors: Record<string, string> = {},
    status = 200,
  ) {
    const locale = pageLocale(request);
    const t = await templates.get(request.account!.id, id);
    const title = tx(locale, 'Sửa mẫu trả lời', 'Change a template');
    const token = await reply.csrfToken();
    const back = `${TEMPLATES_PAGE}?coquan=${encodeURIComponent(t.agency_code)}`;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Phản ánh, kiến nghị cần xử lý', 'Feedback to handle'), href: OFFICE_INBOX },
          { label: tx(locale, 'Mẫu trả lời', 'Answer templates'), href: back },
          { label: t.title },
        ]}
      >
        <PageHeading title={title} lead={`${t.agency_code} · ${t.title}`} />
        <ErrorSummary errors={errors} title={tx(locale, 'Vui lòng kiểm tra lại', 'Please check the form')} />
        <form method="post" action={`${TEMPLATES_PAGE}/${t.id}`} class="form" novalidate>
          <CsrfField token={token} />
          <input type="hidden" name="intent" value="save" />
          <TemplateFields
            locale={locale}
            values={values ?? { title: t.title, body: t.body }}
            errors={errors}
          />
          <button type="submit">{tx(locale, 'Lưu thay đổi', 'Save changes')}</button>
        </form>
        <form method="post" action={`${TEMPLATES_PAGE}/${t.id}`} class="form">
          <CsrfField token={token} />
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" class="button--warning">
            {tx(locale, 'Xóa mẫu', 'Delete')}
          </button>
        </form>
      </Layout>,
      { status },
    );
  }

  const idParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
  app.get<{ Params: { id: string } }>(
    `${TEMPLATES_PAGE}/:id`,
    { config: { access: officerAccess }, schema: { hide: true, params: idParams } },
    async (request, reply) => renderOne(request, reply, request.params.id),
  );

  app.post<{ Params: { id: string }; Body: TemplateFormBody }>(
    `${TEMPLATES_PAGE}/:id`,
    { config: { access: officerAccess }, schema: { hide: true, params: idParams, body: TemplateForm } },
    async (request, reply) => {
      const b = request.body;
      const accountId = request.account!.id;
      if (b.intent === 'delete') {
        const gone = await templates.remove(accountId, request.params.id);
        return reply.redirect(`${TEMPLATES_PAGE}?coquan=${encodeURIComponent(gone.agency_code)}`, 303);
      }
      const input = { title: b.title ?? '', body: b.body ?? '' };
      try {
        const t = await templates.update(accountId, request.params.id, input);
        return reply.redirect(`${TEMPLATES_PAGE}?coquan=${encodeURIComponent(t.agency_code)}`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.status !== 404)
          return renderOne(request, reply, request.params.id, input, fieldErrors(e), e.status);
        throw e;
      }
    },
  );
}

/** What one answer to many items did: each item answered, and each one not answered with why. */
export function AnswerManyResult({ locale, results }: { locale: Locale; results: AnswerOutcome[] }) {
  const done = results.filter((r) => r.ok);
  const failed = results.filter((r) => !r.ok);
  return (
    <>
      {done.length > 0 ? (
        <Notice
          kind="success"
          title={tx(locale, `Đã trả lời ${done.length} phản ánh`, `${done.length} answered`)}
        >
          <ul>
            {done.map((r) => (
              <li key={`${r.code}|${r.agency ?? ''}`}>
                <a
                  href={`${OFFICE_INBOX}/${encodeURIComponent(r.code)}${r.agency ? `?coquan=${encodeURIComponent(r.agency)}` : ''}`}
                >
                  {r.code}
                </a>
                {r.ok ? ` — ${FEEDBACK_STATUS_NAMES[r.status][locale]}` : ''}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {failed.length > 0 ? (
        <Notice
          kind="warning"
          title={tx(locale, `${failed.length} phản ánh chưa được trả lời`, `${failed.length} not answered`)}
        >
          <ul>
            {failed.map((r) =>
              r.ok ? null : (
                <li key={`${r.code}|${r.agency ?? ''}`}>
                  {r.code}: {PROBLEM_NAMES[r.problem]![locale]} — {r.message}
                </li>
              ),
            )}
          </ul>
        </Notice>
      ) : null}
      <p>
        <a href={OFFICE_INBOX}>{tx(locale, 'Về danh sách cần xử lý', 'Back to the inbox')}</a>
      </p>
    </>
  );
}
