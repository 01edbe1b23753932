/**
 * One dossier, for its applicant and for the officers who hold a role on it: the status and dates, what
 * waits for the applicant (a supplement, a payment with its amount and how to pay at the counter), the
 * answers as the e-form labels them, each document under its name in the procedure with a preview, the
 * history, the forms 01–05 as PDFs; the officers' action forms, assignment and internal comments, and the
 * files' digests in an officers' details section.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { STATUS_NAMES, type StatusCode } from '../../../platform/kernel/index.ts';
import {
  CsrfField,
  DataTable,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  SummaryList,
  sendPage,
} from '../../../platform/web/index.ts';
import { findProcess } from '../domain/processes.ts';
import { statusMeaning } from '../domain/workflow.ts';
import { addressText, answerRows } from '../dossiers.answers.ts';
import { vnWhen } from '../dossiers.notify.ts';
import { suggestPayment } from '../dossiers.payment.ts';
import { noticePdf, receiptPdf } from '../forms/receipt-pdf.ts';
import { ActionForm, paymentFrom } from './actions.tsx';
import { DocumentsSection, PREVIEWABLE } from './documents.tsx';
import { FeeSection } from './fee.pages.tsx';
import {
  APPLICANTS,
  CodeParams,
  type FilePart,
  FLAG_LABELS,
  Loose,
  OFFICERS,
  one,
  type PagesDeps,
} from './shared.tsx';

const FormParams = Type.Object({
  code: Type.String({ maxLength: 60 }),
  form: Type.String({ maxLength: 10 }),
});
const FileParams = Type.Object({ code: Type.String({ maxLength: 60 }), id: Type.String({ maxLength: 40 }) });
const FileQuery = Type.Object({ xem: Type.Optional(Type.String({ maxLength: 1 })) });

export async function dossierPages(app: AppInstance, deps: PagesDeps) {
  const { service, desk } = deps;

  // ——— one dossier ———

  async function renderDossier(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    state: { error?: string; receipt?: boolean; done?: string; status?: number } = {},
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    const v = await service.get(accountId, code);
    const { roles } = await service.scopeOf(accountId, code);
    const officer = [...roles].some((r) => r !== 'applicant');
    const isApplicant = roles.has('applicant');
    const [comments, rating, competent, receiving, filedUnder, unitNames] = await Promise.all([
      officer ? desk.comments(accountId, code) : Promise.resolve([]),
      desk.rating(code),
      deps.agencyName(v.competentAgencyCode),
      deps.agencyName(v.receivingAgencyCode),
      desk.procedureVersion(v.procedure.code, v.procedure.version),
      deps.units.names(),
    ]);
    // The answers as the e-form of the version filed under labels them; documents by their names there.
    const answers = answerRows(filedUnder?.form?.fields ?? [], v.formData, unitNames);
    const documentName = new Map(
      [...(filedUnder?.documents ?? []), ...(filedUnder?.cases ?? []).flatMap((c) => c.documents)].map(
        (d) => [d.code, d.name],
      ),
    );
    const payment = [...v.history].reverse().find((h) => statusMeaning.asksForPayment(h) && h.details.payment)
      ?.details.payment as { amount: number; items: string } | undefined;
    // What is owed now: the request at status 6, or the fee of a filing that pays first.
    const owed =
      v.state === 'awaiting-payment'
        ? (v.history.find((h) => h.action === 'submit')?.details.payment as typeof payment)
        : payment;
    const [online, feePayments] = await Promise.all([
      deps.fees ? deps.fees.online(v.competentAgencyCode) : Promise.resolve(false),
      deps.fees && isApplicant ? deps.fees.flow.paymentsOf(accountId, code) : Promise.resolve([]),
    ]);
    const token = await reply.csrfToken();
    const definition = findProcess(v.process.id, v.process.version)!;
    const row = (await service.scopeOf(accountId, code)).row;
    const officerActions = v.allowedActions.filter((a) =>
      definition.actions[a]!.roles.some((r) => r !== 'applicant' && roles.has(r)),
    );
    const applicantActions = isApplicant
      ? v.allowedActions.filter((a) => definition.actions[a]!.roles.includes('applicant'))
      : [];
    const href = `/ho-so/${encodeURIComponent(v.code)}`;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={`Hồ sơ ${v.code}`}
        path={request.url}
        breadcrumbs={[
          officer
            ? { href: '/quan-tri/ho-so', label: 'Hồ sơ cần xử lý' }
            : { href: '/ho-so/cua-toi', label: 'Hồ sơ của tôi' },
          { label: v.code },
        ]}
      >
        <PageHeading title={`Hồ sơ ${v.code}`} lead={v.procedure.name} />
        {state.receipt && v.state !== 'awaiting-payment' ? (
          <Notice kind="success" title="Đã nộp hồ sơ">
            <p>
              Mã hồ sơ: <strong>{v.code}</strong>. Ngày hẹn trả kết quả: <strong>{vnWhen(v.dueAt)}</strong>.
            </p>
            <p>
              <a href={`${href}/mau-01.pdf`}>Tải giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF)</a>.
              Bạn sẽ nhận tin nhắn, thư điện tử mỗi khi hồ sơ chuyển trạng thái.
            </p>
          </Notice>
        ) : null}
        {state.done ? <Notice kind="success">{state.done}</Notice> : null}
        {state.error ? (
          <Notice kind="error" title="Chưa thực hiện được">
            {state.error}
          </Notice>
        ) : null}
        <dl class="facts">
          <dt>Trạng thái</dt>
          <dd>
            {v.statusName.vi}
            {v.stateLabel.vi !== v.statusName.vi ? ` (${v.stateLabel.vi})` : ''}
            {v.outcome ? ` — ${v.outcome === 'approved' ? 'Được chấp thuận' : 'Không được chấp thuận'}` : ''}
          </dd>
          <dt>Người nộp</dt>
          <dd>{v.applicant.name}</dd>
          {v.caseName ? (
            <>
              <dt>Trường hợp</dt>
              <dd>{v.caseName}</dd>
            </>
          ) : null}
          <dt>Ngày nộp</dt>
          <dd>{vnWhen(v.submittedAt)}</dd>
          <dt>Ngày hẹn trả</dt>
          <dd>
            {vnWhen(v.dueAt)} — {FLAG_LABELS[v.deadline.flag] ?? v.deadline.flag}
            {v.extensionCount > 0 ? ` (đã gia hạn; hẹn ban đầu ${vnWhen(v.originalDueAt)})` : ''}
          </dd>
          <dt>Cơ quan giải quyết</dt>
          <dd>{competent ?? v.competentAgencyCode}</dd>
          <dt>Nơi tiếp nhận</dt>
          <dd>{receiving ?? v.receivingAgencyCode}</dd>
          {officer ? (
            <>
              <dt>Cán bộ được giao</dt>
              <dd>
                {row.assignee_account_id
                  ? row.assignee_account_id === accountId
                    ? 'Tôi'
                    : ((await deps.people.profileOf(row.assignee_account_id))?.name ?? '—')
                  : 'Chưa giao'}
              </dd>
            </>
          ) : null}
        </dl>
        <p>
          <a href={`${href}/mau-01.pdf`}>Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01, PDF)</a>
        </p>

        <FeeSection
          v={v}
          owed={owed}
          online={online}
          isApplicant={isApplicant}
          payments={feePayments}
          receiving={receiving ?? v.receivingAgencyCode}
        />

        {isApplicant && v.state === 'supplement-requested' ? (
          <section>
            <h2>Bổ sung hồ sơ</h2>
            <Notice kind="warning" title="Cơ quan yêu cầu bổ sung">
              {[...v.history].reverse().find((h) => h.action === 'request-supplement')?.content ?? ''}
            </Notice>
            <form class="form" method="post" action={`${href}/thao-tac`} enctype="multipart/form-data">
              <CsrfField token={token} />
              <input type="hidden" name="action" value="supplement-received" />
              <input type="hidden" name="revision" value={String(v.revision)} />
              <div class="field">
                <label for="tep">Tệp bổ sung (PDF, JPEG, PNG)</label>
                <input id="tep" name="tep" type="file" accept="application/pdf,image/jpeg,image/png" />
              </div>
              <div class="field">
                <label for="note">Ghi chú (không bắt buộc)</label>
                <textarea id="note" name="note" rows={3} maxLength={4000} />
              </div>
              <div class="form-actions">
                <button type="submit" class="button">
                  Gửi bổ sung
                </button>
              </div>
            </form>
          </section>
        ) : null}

        {isApplicant && (v.status === 9 || v.status === 10) ? (
          <section>
            <h2>Đánh giá</h2>
            {rating ? (
              <p>
                Bạn đã đánh giá: {rating.satisfied ? 'Hài lòng' : 'Không hài lòng'}
                {rating.comment ? ` — “${rating.comment}”` : ''}.
              </p>
            ) : (
              <form class="form" method="post" action={`${href}/danh-gia`}>
                <CsrfField token={token} />
                <fieldset class="choices">
                  <legend>Bạn có hài lòng với việc giải quyết hồ sơ?</legend>
                  <label>
                    <input type="radio" name="satisfied" value="1" required /> Hài lòng
                  </label>
                  <label>
                    <input type="radio" name="satisfied" value="0" /> Không hài lòng
                  </label>
                </fieldset>
                <div class="field">
                  <label for="comment">Ý kiến (không bắt buộc)</label>
                  <textarea id="comment" name="comment" rows={3} maxLength={2000} />
                </div>
                <div class="form-actions">
                  <button type="submit" class="button">
                    Gửi đánh giá
                  </button>
                </div>
              </form>
            )}
          </section>
        ) : null}

        {officerActions.length > 0 || applicantActions.includes('withdraw') ? (
          <section>
            <h2>{officer ? 'Xử lý hồ sơ' : 'Rút hồ sơ'}</h2>
            {[...officerActions, ...(officer ? [] : applicantActions.filter((a) => a === 'withdraw'))].map(
              (a) => (
                <ActionForm
                  key={a}
                  action={a}
                  spec={definition.actions[a]!}
                  href={href}
                  token={token}
                  revision={v.revision}
                  officer={officer}
                  payment={
                    a === 'request-payment'
                      ? suggestPayment(
                          filedUnder?.channels.find((c) => c.channel === v.channel)?.fees ?? [],
                          v.formData,
                        )
                      : undefined
                  }
                />
              ),
            )}
          </section>
        ) : null}

        {officer && !row.finished_at ? (
          <section>
            <h2>Phân công</h2>
            <form class="inline-form" method="post" action={`${href}/phan-cong`}>
              <CsrfField token={token} />
              <input
                type="hidden"
                name="assignee"
                value={row.assignee_account_id === accountId ? '' : 'me'}
              />
              <button type="submit" class="button button--secondary">
                {row.assignee_account_id === accountId
                  ? 'Trả lại (bỏ giao cho tôi)'
                  : 'Nhận xử lý (giao cho tôi)'}
              </button>
            </form>
          </section>
        ) : null}

        <section aria-labelledby="to-khai">
          <h2 id="to-khai">Thông tin đã khai</h2>
          {answers.length > 0 ? (
            <SummaryList rows={answers} />
          ) : (
            <p class="empty">Hồ sơ không có tờ khai điện tử.</p>
          )}
        </section>

        <DocumentsSection
          attachments={v.attachments}
          href={href}
          officer={officer}
          documentName={(c) => (c ? documentName.get(c) : undefined)}
        />

        <section>
          <h2>Quá trình xử lý</h2>
          <DataTable
            caption="Lịch sử xử lý hồ sơ"
            rows={v.history}
            rowKey={(h) => `${h.at.toISOString()}-${h.action}`}
            empty="Chưa có bước xử lý nào."
            columns={[
              { header: 'Thời điểm', cell: (h) => vnWhen(h.at) },
              {
                header: 'Người xử lý',
                cell: (h) => [h.actor.name, h.actor.title].filter(Boolean).join(', '),
              },
              { header: 'Phòng ban', cell: (h) => h.actor.department ?? '' },
              {
                header: 'Nội dung',
                cell: (h) => (
                  <>
                    {h.content}
                    {h.form ? (
                      <>
                        {' '}
                        (<a href={`${href}/mau-${h.form}.pdf`}>Mẫu {h.form}</a>)
                      </>
                    ) : null}
                  </>
                ),
              },
              { header: 'Trạng thái', cell: (h) => STATUS_NAMES[h.status as StatusCode].vi },
              { header: 'Bắt đầu', cell: (h) => vnWhen(h.stepStartedAt) },
              { header: 'Hạn theo quy định', cell: (h) => (h.stepDueAt ? vnWhen(h.stepDueAt) : '') },
            ]}
          />
        </section>

        {officer ? (
          <section>
            <h2>Ý kiến nội bộ</h2>
            <p class="hint">Chỉ cán bộ thấy; người nộp hồ sơ không thấy.</p>
            {comments.length === 0 ? <p class="empty">Chưa có ý kiến.</p> : null}
            <ul>
              {comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.author_name}</strong> ({vnWhen(c.created_at)}): {c.body}
                </li>
              ))}
            </ul>
            <form class="form" method="post" action={`${href}/y-kien`}>
              <CsrfField token={token} />
              <div class="field">
                <label for="body">Thêm ý kiến</label>
                <textarea id="body" name="body" rows={3} maxLength={4000} required />
              </div>
              <div class="form-actions">
                <button type="submit" class="button button--secondary">
                  Lưu ý kiến
                </button>
              </div>
            </form>
          </section>
        ) : null}
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(
    '/ho-so/:code',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      return renderDossier(request, reply, request.params.code, {
        done: q['da-xu-ly'] === '1' ? 'Đã cập nhật hồ sơ.' : undefined,
      });
    },
  );

  app.get(
    '/ho-so/:code/bien-nhan',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => renderDossier(request, reply, request.params.code, { receipt: true }),
  );

  app.get(
    '/ho-so/:code/tep/:id',
    {
      config: { access: access.account() },
      schema: { hide: true, params: FileParams, querystring: FileQuery },
    },
    async (request, reply) => {
      if (!/^[0-9a-f-]{36}$/.test(request.params.id)) throw new NotFoundError('Không tìm thấy tệp.');
      const f = await desk.attachmentContent(request.account!.id, request.params.code, request.params.id);
      const inline = request.query.xem === '1' && PREVIEWABLE.has(f.mediaType);
      return reply
        .type(f.mediaType)
        .header(
          'content-disposition',
          `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
        )
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(f.stream);
    },
  );

  app.get(
    '/ho-so/:code/mau-01.pdf',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const v = await service.get(request.account!.id, request.params.code);
      const [filedUnder, unitNames] = await Promise.all([
        desk.procedureVersion(v.procedure.code, v.procedure.version),
        deps.units.names(),
      ]);
      const fields = filedUnder?.form?.fields ?? [];
      const addressField = fields.find((f) => f.type === 'address');
      const documents = [
        ...(filedUnder?.documents ?? []),
        ...(filedUnder?.cases ?? []).flatMap((c) => c.documents),
      ];
      const pdf = await receiptPdf(
        v,
        {
          receiving: (await deps.agencyName(v.receivingAgencyCode)) ?? v.receivingAgencyCode,
          competent: (await deps.agencyName(v.competentAgencyCode)) ?? v.competentAgencyCode,
        },
        {
          answers: answerRows(fields, v.formData, unitNames),
          documentName: (code) => documents.find((d) => d.code === code)?.name,
          address: addressField ? addressText(v.formData[addressField.key], unitNames) : undefined,
        },
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="mau-01-${v.code}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    '/ho-so/:code/mau-:form',
    { config: { access: access.account() }, schema: { hide: true, params: FormParams } },
    async (request, reply) => {
      const m = /^(0[2-5])\.pdf$/.exec(request.params.form);
      if (!m) throw new NotFoundError('Không có mẫu này.');
      const form = m[1] as '02' | '03' | '04' | '05';
      const v = await service.get(request.account!.id, request.params.code);
      const entry = [...v.history].reverse().find((h) => h.form === form);
      if (!entry) throw new NotFoundError(`Hồ sơ chưa có Mẫu ${form}.`);
      const pdf = await noticePdf(v, form, entry, {
        receiving: (await deps.agencyName(v.receivingAgencyCode)) ?? v.receivingAgencyCode,
        competent: (await deps.agencyName(v.competentAgencyCode)) ?? v.competentAgencyCode,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="mau-${form}-${v.code}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  app.post(
    '/ho-so/:code/thao-tac',
    { config: { access: access.account() }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      const accountId = request.account!.id;
      const body = request.body as Record<string, unknown>;
      const code = request.params.code;
      const action = one(body.action) ?? '';
      try {
        const purpose = action === 'return-result' ? 'result' : 'supplement';
        // The action forms name their single file input "tep".
        const part = body.tep as FilePart | undefined;
        let uploadIds: string[] = [];
        if (part && typeof part === 'object') {
          if ('error' in part) throw new ValidationError(part.error, []);
          const u = await desk.recordUpload(accountId, part.stored, { fileName: part.fileName });
          uploadIds = [u.id];
        }
        const date = one(body.newDueDate);
        await service.act({
          accountId,
          code,
          action,
          reason: one(body.reason),
          note: one(body.note),
          newDueAt: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T17:00:00+07:00`) : undefined,
          expectedRevision: Number(one(body.revision)) || undefined,
          payment: paymentFrom(body),
          attachments:
            uploadIds.length > 0 ? await desk.attachmentsFor(accountId, uploadIds, purpose) : undefined,
        });
        return reply.redirect(`/ho-so/${encodeURIComponent(code)}?da-xu-ly=1`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status !== 404 && e.status < 500)
          return renderDossier(request, reply, code, { error: e.message, status: e.status });
        throw e;
      }
    },
  );

  app.post(
    '/ho-so/:code/danh-gia',
    { config: { access: APPLICANTS }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const s = one(body.satisfied);
      try {
        if (s !== '1' && s !== '0') throw new ValidationError('Chọn “Hài lòng” hoặc “Không hài lòng”.', []);
        await desk.rate(request.account!.id, request.params.code, {
          satisfied: s === '1',
          comment: one(body.comment),
        });
        return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}?da-xu-ly=1`, 303);
      } catch (e) {
        if (e instanceof AppError && e.status !== 404 && e.status < 500)
          return renderDossier(request, reply, request.params.code, { error: e.message, status: e.status });
        throw e;
      }
    },
  );

  app.post(
    '/ho-so/:code/y-kien',
    { config: { access: OFFICERS }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      try {
        await desk.comment(
          request.account!.id,
          request.params.code,
          one((request.body as Record<string, unknown>).body) ?? '',
        );
        return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return renderDossier(request, reply, request.params.code, { error: e.message, status: 400 });
        throw e;
      }
    },
  );

  app.post(
    '/ho-so/:code/phan-cong',
    { config: { access: OFFICERS }, schema: { hide: true, params: CodeParams, body: Loose } },
    async (request, reply) => {
      const who = one((request.body as Record<string, unknown>).assignee);
      await desk.assign(request.account!.id, request.params.code, who === 'me' ? request.account!.id : null);
      return reply.redirect(`/ho-so/${encodeURIComponent(request.params.code)}?da-xu-ly=1`, 303);
    },
  );
}
