/**
 * Public pages of feedback, usable without JavaScript:
 *   /phan-anh-kien-nghi            search and read published items with their answers (by agency, procedure)
 *   /phan-anh-kien-nghi/{code}     one published item, its answer and the time taken against the limit
 *   /phan-anh-kien-nghi/gui        the sending form: signed in, or name and contact proven by a one-time code
 * Form fields carry the API's names, so a problem's path names the field it belongs to.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { formatVietnameseDate, vietnamDate } from '../../../platform/clock/index.ts';
import { AppError, TooManyRequestsError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  ErrorSummary,
  FormBody,
  isUploadedFile,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  registerMemoryUploads,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_ITEM } from '../domain/file-kind.ts';
import type { PublishedRow } from '../feedback.repository.ts';
import type { FeedbackService, SubmitInput } from '../feedback.service.ts';
import { CATEGORIES, type Category } from '../feedback.tables.ts';
import type { SentFile } from '../submit-files.ts';
import { FEEDBACK_PAGE, FOLLOW_PAGE, MY_FEEDBACK, SUBMIT_PAGE } from './paths.ts';

const CATEGORY_NAMES: Record<Category, { vi: string; en: string }> = {
  regulation: { vi: 'Quy định hành chính', en: 'Administrative regulation' },
  'dossier-handling': { vi: 'Giải quyết hồ sơ, thủ tục', en: 'Handling of a dossier' },
  other: { vi: 'Khác', en: 'Other' },
};

const SearchQuery = Type.Object({
  q: S(200),
  coquan: S(60),
  thutuc: S(60),
  loai: S(30),
  sau: S(200),
  lang: S(2),
});

const SubmitForm = FormBody({
  title: S(300),
  content: S(10_000),
  category: S(30),
  procedureCode: S(60),
  dossierCode: S(60),
  agency: S(60),
  name: S(200),
  contact: S(254),
  address: S(500),
  challengeId: S(40),
  code: S(12),
  key: S(80),
  step: S(10),
});
type SubmitFormBody = {
  title?: string;
  content?: string;
  category?: string;
  procedureCode?: string;
  dossierCode?: string;
  agency?: string;
  name?: string;
  contact?: string;
  address?: string;
  challengeId?: string;
  code?: string;
  key?: string;
  step?: string;
};

const dateOf = (d: Date) => formatVietnameseDate(vietnamDate(d));

export function Field(props: {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'email' | 'tel';
  maxLength?: number;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text';
}) {
  const described = [props.hint ? `${props.name}-goi-y` : '', props.error ? `${props.name}-loi` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-goi-y`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.name}-loi`}>
          {props.error}
        </p>
      ) : null}
      <input
        {...({
          id: props.name,
          name: props.name,
          type: props.type ?? 'text',
          value: props.value ?? '',
          maxLength: props.maxLength ?? 200,
          required: props.required,
          autocomplete: props.autocomplete,
          inputMode: props.inputmode,
          'aria-invalid': props.error ? 'true' : undefined,
          'aria-describedby': described || undefined,
        } as Record<string, unknown>)}
      />
    </div>
  );
}

function ItemSummary({ p, locale }: { p: Omit<PublishedRow, 'item_id'>; locale: Locale }) {
  return (
    <li class="result">
      <h3>
        <a href={`${FEEDBACK_PAGE}/${encodeURIComponent(p.code)}`}>{p.title}</a>
      </h3>
      <p class="meta">
        {p.code} · {CATEGORY_NAMES[p.category][locale]} · {tx(locale, 'Công khai ngày', 'Published')}{' '}
        {dateOf(p.published_at)}
        {p.agency_codes.length > 0 ? ` · ${p.agency_codes.join(', ')}` : ''}
      </p>
      <p>{p.answer.length > 300 ? `${p.answer.slice(0, 300)}…` : p.answer}</p>
    </li>
  );
}

/**
 * The files of the sending form (multipart): a file input left empty sends a part without a name, which is
 * no file; more than the limit are kept so that the service names the problem by the field.
 */
function sentFiles(body: unknown): SentFile[] {
  const v = (body as { files?: unknown } | undefined)?.files;
  const parts = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return parts
    .filter(isUploadedFile)
    .filter((f) => !(f.fileName === '' && 'error' in f && f.error === 'empty'))
    .map((f) => ('bytes' in f ? { fileName: f.fileName, bytes: f.bytes } : f));
}

export async function feedbackPages(app: AppInstance, { service }: { service: FeedbackService }) {
  // The sending form's attachments, in memory up to 10 MB each (checked by content in the service);
  // one more than allowed is read, so that "at most 5" is said beside the field.
  await registerMemoryUploads(app, { maxBytes: ATTACHMENT_MAX_BYTES, files: ATTACHMENTS_PER_ITEM + 1 });
  app.get<{ Querystring: { q?: string; coquan?: string; thutuc?: string; loai?: string; sau?: string } }>(
    FEEDBACK_PAGE,
    { config: { access: access.public }, schema: { hide: true, querystring: SearchQuery } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const q = request.query;
      const category = (CATEGORIES as readonly string[]).includes(q.loai ?? '')
        ? (q.loai as Category)
        : undefined;
      let result: Awaited<ReturnType<FeedbackService['search']>> = { items: [], nextCursor: null };
      let problem: string | undefined;
      try {
        result = await service.search({
          q: q.q,
          agency: q.coquan?.trim() || undefined,
          procedure: q.thutuc?.trim() || undefined,
          category,
          cursor: q.sau || undefined,
        });
      } catch (e) {
        if (e instanceof AppError && e.status < 500) problem = e.message;
        else throw e;
      }
      const title = tx(locale, 'Phản ánh, kiến nghị', 'Feedback and petitions');
      const next = result.nextCursor
        ? `${FEEDBACK_PAGE}?${new URLSearchParams({ ...(q.q ? { q: q.q } : {}), ...(q.coquan ? { coquan: q.coquan } : {}), ...(q.thutuc ? { thutuc: q.thutuc } : {}), ...(category ? { loai: category } : {}), sau: result.nextCursor })}`
        : undefined;
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading
            title={title}
            lead={tx(
              locale,
              'Câu trả lời của các bộ, ngành, địa phương cho phản ánh, kiến nghị về quy định hành chính và việc giải quyết thủ tục hành chính, đã được công khai.',
              'Published answers of ministries and provinces to feedback on administrative regulations and the handling of procedures.',
            )}
          >
            <p>
              <a class="button" href={SUBMIT_PAGE}>
                {tx(locale, 'Gửi phản ánh, kiến nghị', 'Send feedback')}
              </a>{' '}
              <a href={FOLLOW_PAGE}>{tx(locale, 'Theo dõi phản ánh, kiến nghị', 'Follow your feedback')}</a>
            </p>
          </PageHeading>
          <form method="get" action={FEEDBACK_PAGE} class="filter-form">
            <div class="field">
              <label for="q">
                {tx(locale, 'Tìm trong phản ánh và câu trả lời', 'Search feedback and answers')}
              </label>
              <input id="q" name="q" type="search" value={q.q ?? ''} maxLength={200} />
            </div>
            <div class="field">
              <label for="coquan">{tx(locale, 'Mã cơ quan', 'Agency code')}</label>
              <input id="coquan" name="coquan" type="text" value={q.coquan ?? ''} maxLength={60} />
            </div>
            <div class="field">
              <label for="thutuc">{tx(locale, 'Mã thủ tục', 'Procedure code')}</label>
              <input id="thutuc" name="thutuc" type="text" value={q.thutuc ?? ''} maxLength={60} />
            </div>
            <div class="field">
              <label for="loai">{tx(locale, 'Loại', 'Category')}</label>
              <select id="loai" name="loai">
                <option value="">{tx(locale, 'Tất cả', 'All')}</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c} selected={category === c}>
                    {CATEGORY_NAMES[c][locale]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">{tx(locale, 'Tìm kiếm', 'Search')}</button>
          </form>
          {problem ? <Notice kind="error">{problem}</Notice> : null}
          {result.items.length === 0 ? (
            <Notice>
              {tx(
                locale,
                'Chưa có phản ánh, kiến nghị nào phù hợp được công khai.',
                'No matching published feedback yet.',
              )}
            </Notice>
          ) : (
            <ol class="results">
              {result.items.map((p) => (
                <ItemSummary key={p.code} p={p} locale={locale} />
              ))}
            </ol>
          )}
          {next ? (
            <p>
              <a href={next}>{tx(locale, 'Xem tiếp', 'More')}</a>
            </p>
          ) : null}
        </Layout>,
      );
    },
  );

  app.get<{ Params: { code: string } }>(
    `${FEEDBACK_PAGE}/:code`,
    {
      config: { access: access.public },
      schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const p = await service.publicView(request.params.code);
      const title = p.title;
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[
            { label: tx(locale, 'Phản ánh, kiến nghị', 'Feedback'), href: FEEDBACK_PAGE },
            { label: p.code },
          ]}
        >
          <PageHeading title={title} lead={`${p.code} · ${CATEGORY_NAMES[p.category][locale]}`} />
          <dl class="summary-list">
            <div class="summary-list__row">
              <dt>{tx(locale, 'Ngày gửi', 'Sent')}</dt>
              <dd>{dateOf(p.submitted_at)}</dd>
            </div>
            <div class="summary-list__row">
              <dt>{tx(locale, 'Ngày trả lời', 'Answered')}</dt>
              <dd>
                {dateOf(p.answered_at)} —{' '}
                {p.handled_on_time
                  ? tx(locale, 'đúng hạn', 'within the time limit')
                  : tx(locale, 'quá hạn', 'after the time limit')}
                {tx(
                  locale,
                  ` (xử lý trong ${String(p.handling_tenths / 10).replace('.', ',')} ngày làm việc, thời hạn ${p.handling_limit_days} ngày làm việc)`,
                  ` (handled in ${p.handling_tenths / 10} working days, limit ${p.handling_limit_days})`,
                )}
              </dd>
            </div>
            <div class="summary-list__row">
              <dt>{tx(locale, 'Cơ quan', 'Agencies')}</dt>
              <dd>{p.agency_codes.join(', ') || '—'}</dd>
            </div>
            {p.procedure_code ? (
              <div class="summary-list__row">
                <dt>{tx(locale, 'Thủ tục', 'Procedure')}</dt>
                <dd>{p.procedure_code}</dd>
              </div>
            ) : null}
          </dl>
          <h2>{tx(locale, 'Nội dung phản ánh, kiến nghị', 'The feedback')}</h2>
          <Paragraphs text={p.content} />
          <h2>{tx(locale, 'Trả lời', 'Answer')}</h2>
          <Paragraphs text={p.answer} />
        </Layout>,
      );
    },
  );

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: SubmitFormBody,
    errors: Record<string, string>,
    status = 200,
    notice?: ComponentChildren,
  ) {
    const locale = pageLocale(request);
    const signedIn = request.account !== undefined && request.account !== null;
    const title = tx(locale, 'Gửi phản ánh, kiến nghị', 'Send feedback');
    const key = values.key && /^[0-9a-f-]{36}$/.test(values.key) ? values.key : randomUUID();
    const codeSent = Boolean(values.challengeId);
    // Before sending: published items like this one (perhaps it was answered already).
    const similar = values.title?.trim()
      ? await service.similar(`${values.title} ${values.content ?? ''}`)
      : [];
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Phản ánh, kiến nghị', 'Feedback'), href: FEEDBACK_PAGE },
          { label: title },
        ]}
      >
        <PageHeading
          title={title}
          lead={tx(
            locale,
            'Phản ánh về quy định hành chính hoặc việc giải quyết hồ sơ, thủ tục. Văn phòng Chính phủ tiếp nhận và chuyển tới bộ, ngành, địa phương có thẩm quyền; câu trả lời được công khai, không kèm thông tin liên hệ của bạn.',
            'Feedback on administrative regulations or the handling of a dossier. The Government Office receives it and forwards it to the competent ministry or province; the answer is published without your contact details.',
          )}
        />
        {notice}
        <ErrorSummary errors={errors} title={tx(locale, 'Vui lòng kiểm tra lại', 'Please check the form')} />
        {similar.length > 0 ? (
          <section aria-labelledby="tuong-tu" class="notice">
            <h2 id="tuong-tu">
              {tx(locale, 'Phản ánh tương tự đã được trả lời', 'Similar feedback already answered')}
            </h2>
            <ul>
              {similar.map((p) => (
                <li key={p.code}>
                  <a href={`${FEEDBACK_PAGE}/${encodeURIComponent(p.code)}`}>{p.title}</a> (
                  {dateOf(p.published_at)})
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <form method="post" action={SUBMIT_PAGE} class="form" enctype="multipart/form-data" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <input type="hidden" name="key" value={key} />
          {codeSent ? <input type="hidden" name="challengeId" value={values.challengeId} /> : null}
          <Field
            name="title"
            label={tx(locale, 'Tiêu đề', 'Title')}
            value={values.title}
            error={errors.title}
            maxLength={300}
            required
          />
          <div class={`field${errors.content ? ' field--error' : ''}`}>
            <label for="content">{tx(locale, 'Nội dung', 'Content')}</label>
            {errors.content ? (
              <p class="field-error" id="content-loi">
                {errors.content}
              </p>
            ) : null}
            <textarea
              id="content"
              name="content"
              rows={8}
              cols={70}
              maxLength={10_000}
              required
              aria-invalid={errors.content ? 'true' : undefined}
              aria-describedby={errors.content ? 'content-loi' : undefined}
            >
              {values.content ?? ''}
            </textarea>
          </div>
          <fieldset class={`choices${errors.category ? ' field--error' : ''}`} id="category">
            <legend>{tx(locale, 'Loại phản ánh', 'Category')}</legend>
            {errors.category ? <p class="field-error">{errors.category}</p> : null}
            {CATEGORIES.map((c) => (
              <label key={c}>
                <input type="radio" name="category" value={c} checked={values.category === c} />{' '}
                {CATEGORY_NAMES[c][locale]}
              </label>
            ))}
          </fieldset>
          <Field
            name="procedureCode"
            label={tx(locale, 'Mã thủ tục hành chính (nếu có)', 'Procedure code (if any)')}
            value={values.procedureCode}
            error={errors.procedureCode}
            maxLength={60}
          />
          <Field
            name="dossierCode"
            label={tx(locale, 'Mã hồ sơ (nếu có)', 'Dossier code (if any)')}
            value={values.dossierCode}
            error={errors.dossierCode}
            maxLength={60}
          />
          <Field
            name="agency"
            label={tx(locale, 'Mã cơ quan liên quan (nếu biết)', 'Agency concerned, by code (if known)')}
            value={values.agency}
            error={errors.agency}
            maxLength={60}
          />
          {signedIn ? (
            <p class="hint">
              {tx(
                locale,
                'Bạn gửi bằng tài khoản đang đăng nhập; kết quả được báo tới tài khoản này.',
                'You are sending with your signed-in account; you will be told there.',
              )}
            </p>
          ) : (
            <>
              <Field
                name="name"
                label={tx(locale, 'Họ và tên', 'Full name')}
                value={values.name}
                error={errors.name}
                autocomplete="name"
                required
              />
              <Field
                name="contact"
                label={tx(locale, 'Số điện thoại hoặc thư điện tử', 'Phone or e-mail')}
                hint={tx(
                  locale,
                  'Chúng tôi gửi mã xác minh tới đây. Không công khai.',
                  'We send a code here. Never published.',
                )}
                value={values.contact}
                error={errors.contact}
                maxLength={254}
                required
              />
              <Field
                name="address"
                label={tx(locale, 'Địa chỉ (không bắt buộc)', 'Address (optional)')}
                value={values.address}
                error={errors.address}
                maxLength={500}
              />
              {codeSent ? (
                <Field
                  name="code"
                  label={tx(locale, 'Mã xác minh (6 chữ số)', 'Verification code (6 digits)')}
                  value=""
                  error={errors.code}
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxLength={12}
                  required
                />
              ) : null}
            </>
          )}
          {signedIn || codeSent ? (
            <div class={`field${errors.files ? ' field--error' : ''}`}>
              <label for="files">
                {tx(locale, 'Tệp đính kèm (không bắt buộc)', 'Attachments (optional)')}
              </label>
              <p class="hint" id="files-goi-y">
                {tx(
                  locale,
                  `JPG, PDF, DOC, DOCX, XLS hoặc XLSX; mỗi tệp tối đa 10 MB, tối đa ${ATTACHMENTS_PER_ITEM} tệp.`,
                  `JPG, PDF, DOC, DOCX, XLS or XLSX; 10 MB each, at most ${ATTACHMENTS_PER_ITEM} files.`,
                )}
                {Object.keys(errors).length > 0
                  ? tx(
                      locale,
                      ' Nếu đã chọn tệp, vui lòng chọn lại.',
                      ' If you chose files, choose them again.',
                    )
                  : ''}
              </p>
              {errors.files ? (
                <p class="field-error" id="files-loi">
                  {errors.files}
                </p>
              ) : null}
              <input
                id="files"
                name="files"
                type="file"
                multiple
                accept=".jpg,.jpeg,.pdf,.doc,.docx,.xls,.xlsx"
                aria-invalid={errors.files ? 'true' : undefined}
                aria-describedby={errors.files ? 'files-goi-y files-loi' : 'files-goi-y'}
              />
            </div>
          ) : null}
          <div class="form-actions">
            {signedIn || codeSent ? (
              <button type="submit" name="step" value="send">
                {tx(locale, 'Gửi phản ánh', 'Send')}
              </button>
            ) : (
              <button type="submit" name="step" value="code">
                {tx(locale, 'Nhận mã xác minh', 'Get a verification code')}
              </button>
            )}
          </div>
        </form>
      </Layout>,
      { status },
    );
  }

  app.get(
    SUBMIT_PAGE,
    { config: { access: access.public }, schema: { hide: true } },
    async (request, reply) => renderForm(request, reply, {}, {}),
  );

  app.post<{ Body: SubmitFormBody }>(
    SUBMIT_PAGE,
    { config: { access: access.public }, schema: { hide: true, body: SubmitForm } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const v = request.body;
      const account = request.account ?? null;
      try {
        if (!account && v.step === 'code') {
          const { challengeId } = await service.requestCode(v.contact ?? '', request.ip);
          return renderForm(
            request,
            reply,
            { ...v, challengeId },
            {},
            200,
            <Notice kind="success">
              {tx(locale, 'Đã gửi mã xác minh tới', 'A code was sent to')} {v.contact}.
            </Notice>,
          );
        }
        const input: SubmitInput = {
          title: v.title ?? '',
          content: v.content ?? '',
          category: v.category ?? '',
          procedureCode: v.procedureCode,
          dossierCode: v.dossierCode,
          agency: v.agency,
          name: v.name,
          contact: v.contact,
          address: v.address,
          challengeId: v.challengeId,
          code: v.code,
        };
        const { item } = await service.submit(
          input,
          {
            accountId: account?.id ?? null,
            displayName: account?.displayName,
            channel: 'web',
            ip: request.ip,
          },
          v.key && /^[0-9a-f-]{36}$/.test(v.key) ? `form:${v.key}` : `form:${randomUUID()}`,
          sentFiles(request.body),
        );
        return reply.redirect(`${SUBMIT_PAGE}/da-gui/${encodeURIComponent(item.code)}`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status < 500) {
          const errors: Record<string, string> = {};
          for (const x of (e.extras.errors as { path: string; message: string }[] | undefined) ?? [])
            errors[x.path.replace(/^body\./, '')] ??= x.message;
          if (Object.keys(errors).length === 0) errors._form = e.message;
          if (e instanceof TooManyRequestsError) reply.header('retry-after', String(e.retryAfterSeconds));
          return renderForm(request, reply, { ...v, code: '' }, errors, e.status);
        }
        throw e;
      }
    },
  );

  app.get<{ Params: { code: string } }>(
    `${SUBMIT_PAGE}/da-gui/:code`,
    {
      config: { access: access.public },
      schema: {
        hide: true,
        params: Type.Object({ code: Type.String({ pattern: '^PAKN-[0-9]{4}-[0-9]{7}$' }) }),
      },
    },
    async (request, reply) => {
      const locale = pageLocale(request);
      const title = tx(locale, 'Đã gửi phản ánh, kiến nghị', 'Feedback sent');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading title={title} />
          <Notice kind="success" title={request.params.code}>
            {tx(
              locale,
              'Văn phòng Chính phủ đã nhận phản ánh của bạn. Hãy giữ mã này để theo dõi. Câu trả lời sẽ được báo cho bạn và công khai tại trang Phản ánh, kiến nghị.',
              'The Government Office has received your feedback. Keep this code to follow it. The answer will be sent to you and published.',
            )}
          </Notice>
          {request.account ? (
            <p>
              <a href={`${MY_FEEDBACK}/${encodeURIComponent(request.params.code)}`}>
                {tx(locale, 'Xem tiến độ xử lý', 'See its progress')}
              </a>
            </p>
          ) : (
            <p>
              {tx(
                locale,
                'Xem tiến độ và đánh giá câu trả lời bằng mã này cùng số điện thoại hoặc thư điện tử bạn đã dùng:',
                'Follow it and rate the answer with this code and the phone or e-mail you used:',
              )}{' '}
              <a href={FOLLOW_PAGE}>{tx(locale, 'Theo dõi phản ánh, kiến nghị', 'Follow your feedback')}</a>
            </p>
          )}
          <p>
            <a href={FEEDBACK_PAGE}>
              {tx(locale, 'Xem các phản ánh đã công khai', 'Read published feedback')}
            </a>
          </p>
        </Layout>,
      );
    },
  );
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>{para}</p>
      ))}
    </>
  );
}
