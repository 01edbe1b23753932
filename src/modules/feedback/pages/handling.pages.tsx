/**
 * Handling pages, usable without JavaScript:
 *   /quan-tri/phan-anh-kien-nghi           what waits for this officer (the Government Office's queue, their agencies' routes)
 *   /quan-tri/phan-anh-kien-nghi/{code}    an item with its deadlines, routes, answers, history and the actions allowed
 *   /tai-khoan/phan-anh-kien-nghi(/{code}) the submitter's items: progress, supplement, rating
 * An item the viewer may not see answers 404 (the service decides on the record).
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
import type { AnswerMany } from '../answer-many.ts';
import type { AnswerTemplates } from '../answer-templates.service.ts';
import type { Deadline, DeadlineKind, DeadlineState } from '../domain/deadlines.ts';
import type { FeedbackAction, RouteState } from '../domain/workflow.ts';
import { AGENCY_HANDLER_ROLES, GOVERNMENT_OFFICE } from '../feedback.ports.ts';
import { commandOf } from '../feedback.routes.ts';
import type { ActionBody } from '../feedback.schemas.ts';
import type { FeedbackService } from '../feedback.service.ts';
import { FIGURES_PAGE } from '../figures/figures.pages.tsx';
import {
  AnswerManyForm,
  type AnswerManyFormBody,
  AnswerManyResult,
  fieldErrors,
  selectionsOf,
} from './handling-tools.pages.tsx';
import { EscalatedBadge, KeptNotice, MergedList, TemplatePicker } from './handling-tools.parts.tsx';
import { ANSWER_MANY_PAGE, MY_FEEDBACK, OFFICE_INBOX, TEMPLATES_PAGE } from './paths.ts';

export const DEADLINE_NAMES: Record<DeadlineKind, { vi: string; en: string }> = {
  refuse: { vi: 'Hạn từ chối tiếp nhận', en: 'Refusal due' },
  'ask-info': { vi: 'Hạn yêu cầu bổ sung', en: 'Request for information due' },
  handle: { vi: 'Hạn xử lý', en: 'Handling due' },
  publish: { vi: 'Hạn công khai', en: 'Publication due' },
};
export const STATE_NAMES: Record<DeadlineState, { vi: string; en: string }> = {
  running: { vi: 'trong hạn', en: 'running' },
  warning: { vi: 'sắp đến hạn', en: 'due soon' },
  overdue: { vi: 'quá hạn', en: 'overdue' },
  paused: { vi: 'tạm dừng (chờ bổ sung)', en: 'paused (awaiting information)' },
  met: { vi: 'đúng hạn', en: 'on time' },
  late: { vi: 'trễ hạn', en: 'late' },
  stopped: { vi: 'dừng (đã gộp)', en: 'stopped (merged)' },
};
const ROUTE_STATE_NAMES: Record<RouteState, { vi: string; en: string }> = {
  forwarded: { vi: 'chờ tiếp nhận', en: 'waiting to be taken in' },
  handling: { vi: 'đang xử lý', en: 'being handled' },
  external: { vi: 'xử lý bằng phần mềm riêng', en: 'handled in its own software' },
  answered: { vi: 'đã trả lời', en: 'answered' },
  returned: { vi: 'đã trả lại VPCP', en: 'returned to the Government Office' },
  passed: { vi: 'đã chuyển cơ quan khác', en: 'passed to another agency' },
};
const ACTION_NAMES: Record<FeedbackAction, { vi: string; en: string }> = {
  submit: { vi: 'Gửi', en: 'Submit' },
  accept: { vi: 'Tiếp nhận', en: 'Accept' },
  refuse: { vi: 'Từ chối tiếp nhận', en: 'Refuse' },
  'ask-info': { vi: 'Yêu cầu bổ sung thông tin', en: 'Ask for more information' },
  supplement: { vi: 'Bổ sung thông tin', en: 'Supplement' },
  forward: { vi: 'Chuyển cơ quan xử lý', en: 'Forward to agencies' },
  receive: { vi: 'Nhận xử lý', en: 'Take it in' },
  'hand-off': { vi: 'Xử lý bằng phần mềm riêng', en: 'Handle in our own software' },
  answer: { vi: 'Trả lời', en: 'Answer' },
  return: { vi: 'Trả lại VPCP', en: 'Return to the Government Office' },
  pass: { vi: 'Chuyển cơ quan khác', en: 'Pass to another agency' },
  publish: { vi: 'Công khai', en: 'Publish' },
  withhold: { vi: 'Không công khai', en: 'Do not publish' },
  rate: { vi: 'Đánh giá', en: 'Rate' },
  merge: { vi: 'Gộp vào phản ánh trùng', en: 'Merge into a duplicate' },
};

const ActionForm = FormBody({
  action: S(20),
  asAgency: S(60),
  reason: S(2000),
  question: S(2000),
  text: S(20_000),
  agencies: S(600),
  to: S(60),
  satisfied: S(5),
  into: S(40),
});
type ActionFormBody = {
  [K in
    | 'action'
    | 'asAgency'
    | 'reason'
    | 'question'
    | 'text'
    | 'agencies'
    | 'to'
    | 'satisfied'
    | 'into']?: string;
};

const when = (d: Date | null | undefined) => (d ? vietnamDateTime(d) : '—');
const statusName = (s: keyof typeof FEEDBACK_STATUS_NAMES, locale: Locale) =>
  FEEDBACK_STATUS_NAMES[s][locale];

function DeadlineText({ d, locale }: { d: Deadline | null; locale: Locale }) {
  if (!d) return <span>—</span>;
  return (
    <span class={`deadline deadline--${d.state}`}>
      {DEADLINE_NAMES[d.kind][locale]}: {vietnamDateTime(d.due)} ({STATE_NAMES[d.state][locale]})
    </span>
  );
}

function ActionFields({
  action,
  locale,
  agency,
  prefill,
}: {
  action: FeedbackAction;
  locale: Locale;
  agency: string | undefined;
  /** The answer's text from a template (answer only). */
  prefill?: string | undefined;
}) {
  const area = (name: string, label: string) => (
    <div class="field">
      <label for={`${action}-${name}`}>{label}</label>
      <textarea
        id={`${action}-${name}`}
        name={name}
        rows={4}
        cols={70}
        maxLength={name === 'text' ? 20_000 : 2000}
      >
        {action === 'answer' ? (prefill ?? '') : ''}
      </textarea>
    </div>
  );
  return (
    <>
      <input type="hidden" name="action" value={action} />
      {agency ? <input type="hidden" name="asAgency" value={agency} /> : null}
      {action === 'refuse' || action === 'return' || action === 'withhold' || action === 'pass'
        ? area('reason', tx(locale, 'Lý do', 'Reason'))
        : null}
      {action === 'ask-info' ? area('question', tx(locale, 'Nội dung cần bổ sung', 'What is needed')) : null}
      {action === 'answer' || action === 'supplement' ? area('text', tx(locale, 'Nội dung', 'Text')) : null}
      {action === 'forward' ? (
        <div class="field">
          <label for="forward-agencies">
            {tx(locale, 'Mã cơ quan (cách nhau bởi dấu phẩy)', 'Agency codes (comma-separated)')}
          </label>
          <input id="forward-agencies" name="agencies" type="text" maxLength={600} />
        </div>
      ) : null}
      {action === 'merge' ? (
        <div class="field">
          <label for="merge-into">
            {tx(
              locale,
              'Mã phản ánh được giữ lại (cùng người gửi hoặc cùng hồ sơ, thủ tục)',
              'Code of the item kept (same sender, or same dossier or procedure)',
            )}
          </label>
          <input id="merge-into" name="into" maxLength={40} placeholder="PAKN-2026-0000001" />
        </div>
      ) : null}
      {action === 'pass' ? (
        <div class="field">
          <label for="pass-to">{tx(locale, 'Mã cơ quan nhận', 'Agency code')}</label>
          <input id="pass-to" name="to" type="text" maxLength={60} />
        </div>
      ) : null}
      {action === 'rate' ? (
        <fieldset class="choices">
          <legend>
            {tx(locale, 'Bạn có hài lòng với câu trả lời?', 'Are you satisfied with the answer?')}
          </legend>
          <label>
            <input type="radio" name="satisfied" value="true" /> {tx(locale, 'Hài lòng', 'Satisfied')}
          </label>
          <label>
            <input type="radio" name="satisfied" value="false" />{' '}
            {tx(locale, 'Không hài lòng', 'Not satisfied')}
          </label>
        </fieldset>
      ) : null}
    </>
  );
}

export async function handlingPages(
  app: AppInstance,
  {
    service,
    templates,
    answers,
  }: { service: FeedbackService; templates: AnswerTemplates; answers: AnswerMany },
) {
  const officerAccess = access.officer('vpcp-supervisor', ...AGENCY_HANDLER_ROLES);

  /** The inbox; its rows can be ticked and answered with one text (ANSWER_MANY_PAGE). */
  async function renderInbox(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: AnswerManyFormBody; errors?: Record<string, string>; status?: number; mau?: string },
  ) {
    const locale = pageLocale(request);
    const accountId = request.account!.id;
    const rows = await service.inbox(accountId);
    const agencies = await templates.agenciesOf(accountId);
    const own = agencies.length > 0 ? await templates.usable(accountId, agencies[0]!) : [];
    // A template picked for the one answer: its text as written (placeholders are filled per item on sending).
    const picked = state.mau ? own.find((t) => t.id === state.mau) : undefined;
    const errors = state.errors ?? {};
    const ticked = new Set(
      Array.isArray(state.values?.items)
        ? state.values.items
        : state.values?.items
          ? [state.values.items]
          : [],
    );
    const title = tx(locale, 'Phản ánh, kiến nghị cần xử lý', 'Feedback to handle');
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading title={title} />
        <ErrorSummary errors={errors} title={tx(locale, 'Chưa gửi được', 'Nothing was sent')} />
        <ul class="link-list">
          <li>
            <a href={FIGURES_PAGE}>
              {tx(
                locale,
                'Số liệu phản ánh, kiến nghị (chỉ số 5.1–5.3)',
                'Feedback figures (indicators 5.1–5.3)',
              )}
            </a>
          </li>
          {agencies.length > 0 ? (
            <li>
              <a href={TEMPLATES_PAGE}>{tx(locale, 'Mẫu trả lời', 'Answer templates')}</a>
            </li>
          ) : null}
        </ul>
        {rows.length > 0 && agencies.length > 0 ? (
          <TemplatePicker
            locale={locale}
            action={OFFICE_INBOX}
            keep={{}}
            templates={own}
            selected={picked?.id}
            agency={agencies[0]!}
          />
        ) : null}
        <form method="post" action={ANSWER_MANY_PAGE} class="form" novalidate>
          <CsrfField token={await reply.csrfToken()} />
          <ListTable rows={rows} base={OFFICE_INBOX} locale={locale} ticked={ticked} error={errors.items} />
          {rows.some(answerable) ? (
            <div class={`field${errors.text ? ' field--error' : ''}`}>
              <label for="text">
                {tx(
                  locale,
                  'Trả lời chung các phản ánh đã chọn (mỗi phản ánh được trả lời riêng; các trường {…} điền theo từng phản ánh)',
                  'One answer to the items ticked (each is answered on its own; {…} filled per item)',
                )}
              </label>
              {errors.text ? (
                <p class="field-error" id="text-loi">
                  {errors.text}
                </p>
              ) : null}
              <textarea id="text" name="text" rows={6} maxLength={20_000}>
                {state.values?.text ?? picked?.body ?? ''}
              </textarea>
              <button type="submit">{tx(locale, 'Gửi trả lời', 'Send the answer')}</button>
            </div>
          ) : null}
        </form>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get<{ Querystring: { mau?: string } }>(
    OFFICE_INBOX,
    {
      config: { access: officerAccess },
      schema: { hide: true, querystring: Type.Object({ mau: S(40) }) },
    },
    async (request, reply) => renderInbox(request, reply, { mau: request.query.mau || undefined }),
  );

  app.post<{ Body: AnswerManyFormBody }>(
    ANSWER_MANY_PAGE,
    { config: { access: officerAccess }, schema: { hide: true, body: AnswerManyForm } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const b = request.body;
      try {
        const results = await answers.answerMany(selectionsOf(b.items), b.text ?? '', {
          accountId: request.account!.id,
        });
        const title = tx(locale, 'Trả lời chung nhiều phản ánh', 'One answer to many items');
        return sendPage(
          request,
          reply,
          <Layout
            locale={locale}
            title={title}
            path={request.url}
            breadcrumbs={[
              {
                label: tx(locale, 'Phản ánh, kiến nghị cần xử lý', 'Feedback to handle'),
                href: OFFICE_INBOX,
              },
              { label: title },
            ]}
          >
            <PageHeading title={title} />
            <AnswerManyResult locale={locale} results={results} />
          </Layout>,
        );
      } catch (e) {
        if (e instanceof AppError && e.status < 500)
          return renderInbox(request, reply, { values: b, errors: fieldErrors(e), status: e.status });
        throw e;
      }
    },
  );

  app.get(
    MY_FEEDBACK,
    { config: { access: access.account() }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const rows = await service.mine(request.account!.id);
      const title = tx(locale, 'Phản ánh, kiến nghị của tôi', 'My feedback');
      return sendPage(
        request,
        reply,
        <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
          <PageHeading title={title} />
          <ListTable rows={rows} base={MY_FEEDBACK} locale={locale} />
        </Layout>,
      );
    },
  );

  async function renderItem(
    request: FastifyRequest,
    reply: FastifyReply,
    base: string,
    code: string,
    agency: string | undefined,
    errors: Record<string, string> = {},
    status = 200,
    mau?: string,
  ) {
    const locale = pageLocale(request);
    const v = await service.getForCaller(code, { accountId: request.account!.id, agency });
    const { item } = v;
    const token = await reply.csrfToken();
    const actingAgency = v.routes.find(
      (r) => ['forwarded', 'handling', 'external'].includes(r.state) && (!agency || r.agency === agency),
    );
    // The answer form can start from a template of the answering agency (CP: the Government Office).
    const answerAs = actingAgency?.agency ?? GOVERNMENT_OFFICE;
    const answering = base === OFFICE_INBOX && v.actions.includes('answer');
    const own = answering ? await templates.usable(request.account!.id, answerAs) : [];
    const prefill =
      answering && mau ? await templates.prefill(request.account!.id, mau, answerAs, item) : undefined;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={item.title}
        path={request.url}
        breadcrumbs={[
          { label: tx(locale, 'Phản ánh, kiến nghị', 'Feedback'), href: base },
          { label: item.code },
        ]}
      >
        <PageHeading title={item.title} lead={`${item.code} · ${statusName(item.status, locale)}`} />
        <ErrorSummary errors={errors} title={tx(locale, 'Chưa thực hiện được', 'Could not do that')} />
        <EscalatedBadge at={item.escalated_at} locale={locale} />
        {v.kept ? <KeptNotice kept={v.kept} locale={locale} /> : null}
        <dl class="summary-list">
          <div class="summary-list__row">
            <dt>{tx(locale, 'Người gửi', 'Sender')}</dt>
            <dd>
              {item.submitter_name}
              {item.submitter_phone ? ` · ${item.submitter_phone}` : ''}
              {item.submitter_email ? ` · ${item.submitter_email}` : ''}
            </dd>
          </div>
          <div class="summary-list__row">
            <dt>{tx(locale, 'Ngày gửi', 'Sent')}</dt>
            <dd>{when(item.submitted_at)}</dd>
          </div>
          <div class="summary-list__row">
            <dt>{tx(locale, 'Thủ tục / hồ sơ / cơ quan', 'Procedure / dossier / agency')}</dt>
            <dd>
              {[item.procedure_code, item.dossier_code, item.concerned_agency].filter(Boolean).join(' · ') ||
                '—'}
            </dd>
          </div>
          {item.reason ? (
            <div class="summary-list__row">
              <dt>{tx(locale, 'Lý do', 'Reason')}</dt>
              <dd>{item.reason}</dd>
            </div>
          ) : null}
          {item.rated_at ? (
            <div class="summary-list__row">
              <dt>{tx(locale, 'Đánh giá của người gửi', 'The sender’s rating')}</dt>
              <dd>
                {item.rated_satisfied
                  ? tx(locale, 'Hài lòng', 'Satisfied')
                  : tx(locale, 'Không hài lòng', 'Not satisfied')}{' '}
                ({when(item.rated_at)})
              </dd>
            </div>
          ) : null}
        </dl>
        <h2>{tx(locale, 'Nội dung', 'Content')}</h2>
        <p>{item.content}</p>
        <h2>{tx(locale, 'Thời hạn', 'Deadlines')}</h2>
        <ul>
          {v.deadlines.map((d) => (
            <li key={d.kind}>
              <DeadlineText d={d} locale={locale} />
            </li>
          ))}
        </ul>
        {v.routes.length > 0 ? (
          <>
            <h2>{tx(locale, 'Cơ quan xử lý', 'Agencies')}</h2>
            <ul>
              {v.routes.map((r) => (
                <li key={r.agency}>
                  {r.agency}: {ROUTE_STATE_NAMES[r.state][locale]}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {v.answers.length > 0 ? (
          <>
            <h2>{tx(locale, 'Trả lời', 'Answers')}</h2>
            {v.answers.map((a) => (
              <div key={a.id}>
                <p class="meta">
                  {a.agency_code ?? 'VPCP'} · {when(a.answered_at)}
                </p>
                <p>{a.body}</p>
              </div>
            ))}
          </>
        ) : null}
        <MergedList merged={v.merged} locale={locale} />
        <h2>{tx(locale, 'Quá trình xử lý', 'History')}</h2>
        <ol>
          {v.events.map((e) => (
            <li key={e.id}>
              {when(e.at)} — {ACTION_NAMES[e.action][locale]} → {statusName(e.to_status, locale)}
              {e.agency_code ? ` (${e.agency_code})` : ''}
            </li>
          ))}
        </ol>
        {v.actions.length > 0 ? <h2>{tx(locale, 'Thao tác', 'Actions')}</h2> : null}
        {v.actions.map((a) => (
          <div key={a}>
            {a === 'answer' && answering ? (
              <TemplatePicker
                locale={locale}
                action={`${base}/${encodeURIComponent(item.code)}`}
                keep={{ coquan: agency }}
                templates={own}
                selected={mau}
                agency={answerAs}
              />
            ) : null}
            <form method="post" action={`${base}/${encodeURIComponent(item.code)}`} class="form">
              <h3>{ACTION_NAMES[a][locale]}</h3>
              <CsrfField token={token} />
              <ActionFields action={a} locale={locale} agency={actingAgency?.agency} prefill={prefill} />
              <div class="form-actions">
                <button type="submit">{ACTION_NAMES[a][locale]}</button>
              </div>
            </form>
          </div>
        ))}
      </Layout>,
      { status },
    );
  }

  for (const [base, accessOf] of [
    [OFFICE_INBOX, officerAccess],
    [MY_FEEDBACK, access.account()],
  ] as const) {
    app.get<{ Params: { code: string }; Querystring: { coquan?: string; mau?: string } }>(
      `${base}/:code`,
      {
        config: { access: accessOf },
        schema: {
          hide: true,
          params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({ coquan: S(60), mau: S(40) }),
        },
      },
      async (request, reply) =>
        renderItem(
          request,
          reply,
          base,
          request.params.code,
          request.query.coquan || undefined,
          {},
          200,
          request.query.mau || undefined,
        ),
    );

    app.post<{ Params: { code: string }; Body: ActionFormBody }>(
      `${base}/:code`,
      {
        config: { access: accessOf },
        schema: {
          hide: true,
          params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
          body: ActionForm,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const code = request.params.code;
        try {
          const body = {
            action: b.action as ActionBody['action'],
            ...(b.asAgency ? { asAgency: b.asAgency } : {}),
            ...(b.reason !== undefined ? { reason: b.reason } : {}),
            ...(b.question !== undefined ? { question: b.question } : {}),
            ...(b.text !== undefined ? { text: b.text } : {}),
            ...(b.agencies !== undefined ? { agencies: b.agencies.split(/[\s,;]+/).filter(Boolean) } : {}),
            ...(b.to !== undefined ? { to: b.to } : {}),
            ...(b.satisfied !== undefined ? { satisfied: b.satisfied === 'true' } : {}),
            ...(b.into !== undefined ? { into: b.into } : {}),
          } as ActionBody;
          await service.act(code, commandOf(body), {
            accountId: request.account!.id,
            agency: b.asAgency || undefined,
          });
          const q = b.asAgency ? `?coquan=${encodeURIComponent(b.asAgency)}` : '';
          return reply.redirect(`${base}/${encodeURIComponent(code)}${q}`, 303);
        } catch (e) {
          if (e instanceof AppError && e.status < 500 && e.status !== 404) {
            const errors: Record<string, string> = { _form: e.message };
            return renderItem(request, reply, base, code, b.asAgency || undefined, errors, e.status);
          }
          throw e;
        }
      },
    );
  }
}

type ListRow = Awaited<ReturnType<FeedbackService['inbox']>>[number];

/** A row the inbox's one answer may go to: the agency's active route, or the Government Office's to answer. */
const answerable = (r: ListRow) => r.agency !== null || r.status === 'accepted' || r.status === 'returned';

function ListTable({
  rows,
  base,
  locale,
  ticked,
  error,
}: {
  rows: ListRow[];
  base: string;
  locale: Locale;
  /** The inbox: a box per row that can be answered (`code|agency`), these ticked. */
  ticked?: ReadonlySet<string>;
  error?: string | undefined;
}) {
  if (rows.length === 0) return <Notice>{tx(locale, 'Không có phản ánh nào.', 'Nothing here.')}</Notice>;
  return (
    <table class="table" id="items">
      {error ? (
        <caption>
          <span class="field-error" id="items-loi">
            {error}
          </span>
        </caption>
      ) : null}
      <thead>
        <tr>
          {ticked ? <th scope="col">{tx(locale, 'Chọn', 'Pick')}</th> : null}
          <th scope="col">{tx(locale, 'Mã', 'Code')}</th>
          <th scope="col">{tx(locale, 'Tiêu đề', 'Title')}</th>
          <th scope="col">{tx(locale, 'Trạng thái', 'Status')}</th>
          <th scope="col">{tx(locale, 'Cơ quan', 'Agency')}</th>
          <th scope="col">{tx(locale, 'Thời hạn', 'Deadline')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.code}-${r.agency ?? ''}`}>
            {ticked ? (
              <td>
                {answerable(r) ? (
                  <input
                    type="checkbox"
                    name="items"
                    value={`${r.code}|${r.agency ?? ''}`}
                    checked={ticked.has(`${r.code}|${r.agency ?? ''}`)}
                    aria-label={`${tx(locale, 'Chọn', 'Pick')} ${r.code}`}
                  />
                ) : null}
              </td>
            ) : null}
            <td>
              <a
                href={`${base}/${encodeURIComponent(r.code)}${r.agency ? `?coquan=${encodeURIComponent(r.agency)}` : ''}`}
              >
                {r.code}
              </a>
            </td>
            <td>{r.title}</td>
            <td>
              {statusName(r.status, locale)} <EscalatedBadge at={r.escalated_at} locale={locale} />
            </td>
            <td>{r.agency ?? 'VPCP'}</td>
            <td>
              <DeadlineText d={r.deadline} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
