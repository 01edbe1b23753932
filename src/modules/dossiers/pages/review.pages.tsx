/**
 * Filing, step 3 — Kiểm tra lại thông tin: the agency and the place, every answer as the e-form labels it
 * and every document by its name, each with a "Sửa" link to its field; then the submit with the draft's
 * one-time token (a double submit makes one dossier).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../../../platform/errors/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import {
  CsrfField,
  ErrorSummary,
  Layout,
  PageHeading,
  pageLocale,
  SummaryList,
  sendPage,
} from '../../../platform/web/index.ts';
import { answerRows } from '../dossiers.answers.ts';
import { fileSlots } from '../dossiers.desk.ts';
import { vnWhen } from '../dossiers.notify.ts';
import { applicantOf } from '../dossiers.routes.ts';
import { type Errors, idOf } from './eform.tsx';
import { errorsOf, filingHelpers, Step } from './filing.shared.tsx';
import { APPLICANTS, IdParams, Loose, one, type PagesDeps } from './shared.tsx';

export async function reviewPages(app: AppInstance, deps: PagesDeps) {
  const { desk, units } = deps;
  const { placeOf, destination, placeWords, crumbs } = filingHelpers(deps);

  async function renderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    draftId: string,
    state: { errors?: Errors; status?: number } = {},
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    const d = await desk.draft(accountId, draftId);
    if (d.submitted_dossier)
      return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
    if (!placeOf(d)) return reply.redirect(`/ho-so/nhap/${d.id}/noi-giai-quyet`, 303);
    const p = await desk.procedureFor(d.procedure_code);
    const { problems, formData, form } = await desk.checkForm(p, d.form_data, {
      caseName: d.case_name ?? undefined,
    });
    const errors: Errors = { ...(state.errors ?? {}) };
    for (const x of problems) errors[x.path === 'case' ? '/_truongHop' : x.path] ??= x.message;
    const to = await destination(p, d);
    if (to && !to.ok) errors['/_noiGiaiQuyet'] ??= to.message;
    const rows = answerRows(form?.fields ?? [], formData, await units.names());
    const slots = fileSlots(form);
    const ups = await desk.uploads(
      accountId,
      slots.map((s) => formData[s.key]).filter((v): v is string => typeof v === 'string'),
    );
    const documents = slots.flatMap((s) => {
      const u = ups.find((x) => x.id === formData[s.key]);
      if (!u && !s.required) return [];
      return [
        {
          path: `/${s.key}`,
          label: s.label.vi,
          value: u ? `${u.file_name} (${Math.ceil(u.size_bytes / 1024)} KB)` : 'Chưa đính kèm',
        },
      ];
    });
    const edit = (r: { path: string }) => `/ho-so/nhap/${d.id}#${idOf(r.path)}`;
    const editFile = (r: { path: string }) => `/ho-so/nhap/${d.id}#tep.${r.path.slice(1)}`;
    const token = await reply.csrfToken();
    const errorList = Object.fromEntries(
      Object.entries(errors).map(([k, v]) => [k === '/_noiGiaiQuyet' ? 'noi-giai-quyet' : idOf(k), v]),
    );
    const ready = Object.keys(errors).length === 0;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Kiểm tra lại thông tin: ${p.name}`}
        path={request.url}
        breadcrumbs={crumbs(locale, p)}
      >
        <PageHeading title="Kiểm tra lại thông tin" lead={`${p.name} (mã thủ tục ${p.code})`} />
        <Step current={3} />
        {ready ? null : <ErrorSummary errors={errorList} title="Hồ sơ chưa nộp được: hãy sửa các mục sau" />}
        <h2 id="noi-giai-quyet">Nơi giải quyết</h2>
        <SummaryList
          rows={[
            {
              path: '/_noiGiaiQuyet',
              label: 'Cơ quan giải quyết',
              value: to?.ok ? to.competent : (to?.message ?? '—'),
            },
            ...(to?.ok && to.receiving !== to.competent
              ? [{ path: '/_noiTiepNhan', label: 'Nơi tiếp nhận', value: to.receiving }]
              : []),
            { path: '/_diaBan', label: 'Địa bàn', value: await placeWords(d) },
          ]}
          editHref={() => `/ho-so/nhap/${d.id}/noi-giai-quyet`}
        />
        <h2>Tờ khai</h2>
        <SummaryList rows={rows} editHref={edit} />
        <h2>Giấy tờ đính kèm</h2>
        {d.case_name ? <p>Trường hợp: {d.case_name}</p> : null}
        {documents.length === 0 ? (
          <p class="empty">Thủ tục này không yêu cầu giấy tờ đính kèm.</p>
        ) : (
          <SummaryList rows={documents} editHref={editFile} />
        )}
        <p class="hint">Lưu lúc {vnWhen(d.updated_at)}.</p>
        {ready ? (
          <form class="form" method="post" action={`/ho-so/nhap/${d.id}/nop`}>
            <CsrfField token={token} />
            <input type="hidden" name="token" value={d.submit_token} />
            <p>
              Bằng việc nộp hồ sơ, bạn cam đoan những thông tin trên là đúng sự thật và chịu trách nhiệm trước
              pháp luật về nội dung đã khai.
            </p>
            <div class="form-actions">
              <button type="submit" class="button">
                Nộp hồ sơ
              </button>
              <a class="button button--secondary" href={`/ho-so/nhap/${d.id}`}>
                Quay lại sửa
              </a>
            </div>
          </form>
        ) : (
          <p>
            <a class="button" href={`/ho-so/nhap/${d.id}`}>
              Sửa tờ khai
            </a>
          </p>
        )}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/nhap/:id/kiem-tra',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams } },
    async (request, reply) => renderReview(request, reply, request.params.id),
  );

  app.post(
    '/ho-so/nhap/:id/nop',
    { config: { access: APPLICANTS }, schema: { hide: true, params: IdParams, body: Loose } },
    async (request, reply) => {
      const accountId = request.account!.id;
      const body = request.body as Record<string, unknown>;
      const d = await desk.draft(accountId, request.params.id);
      if (d.submitted_dossier)
        return reply.redirect(`/ho-so/${encodeURIComponent(d.submitted_dossier)}/bien-nhan`, 303);
      try {
        const { dossier } = await desk.submitDraft(accountId, d.id, {
          applicant: applicantOf(request),
          formData: d.form_data,
          token: one(body.token) ?? '',
          caseName: d.case_name ?? undefined,
        });
        // A fee paid first: the filing ends in checkout (the dossier is received once it is paid).
        if (dossier.state === 'awaiting-payment')
          return reply.redirect(`/ho-so/${encodeURIComponent(dossier.code)}/nop-phi`, 303);
        return reply.redirect(`/ho-so/${encodeURIComponent(dossier.code)}/bien-nhan`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return renderReview(request, reply, d.id, { errors: errorsOf(e), status: 400 });
        // A second submit of the same form after the first made the dossier: show that dossier.
        const again = await desk.draft(accountId, d.id);
        if (again.submitted_dossier)
          return reply.redirect(`/ho-so/${encodeURIComponent(again.submitted_dossier)}/bien-nhan`, 303);
        if (e instanceof AppError && e.status < 500)
          return renderReview(request, reply, d.id, { errors: { '/_': e.message }, status: e.status });
        throw e;
      }
    },
  );
}
