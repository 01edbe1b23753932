/**
 * A call and the callback queue, usable without JavaScript (hotline operators of the Government Office):
 *   /quan-tri/tong-dai/cuoc-goi/{code}       the call, its callback and the calls back made for it
 *   /quan-tri/tong-dai/goi-lai               callbacks not done, overdue first, each with "Nhận gọi lại"
 *   /quan-tri/tong-dai/goi-lai/{code}/nhan   POST: claim (one operator at a time)
 *   /quan-tri/tong-dai/goi-lai/{code}/tra    POST: give it back to the queue
 *   /quan-tri/tong-dai/goi-lai/{code}/ghi    POST: the call back, as an outbound call linked to the first
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { vietnamDateTime } from '../../../platform/clock/index.ts';
import type { AppInstance } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  ErrorSummary,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  sendPage,
} from '../../../platform/web/index.ts';
import { CALLBACK_STATE_NAMES, DIRECTION_NAMES, OUTCOME_NAMES, TOPIC_NAMES } from '../domain/vocabulary.ts';
import type { HotlineService } from '../hotline.service.ts';
import { CallsTable, PAGE_ACCESS } from './desk.pages.tsx';
import {
  attempt,
  CallForm,
  CallFormBody,
  callInputOf,
  duration,
  Fact,
  type FieldErrors,
  type Values,
} from './forms.tsx';
import { CALLBACKS_PAGE, CALLS_PAGE, callbackPath, callPage, DESK_PAGE } from './paths.ts';

const Code = Type.Object({ code: Type.String({ pattern: '^TD-[0-9]{8}-[0-9]{6,12}$' }) });
const Empty = FormBody({});

export async function callPages(
  app: AppInstance,
  { service, now }: { service: HotlineService; now: () => Date },
) {
  async function callPageView(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    state: { errors?: FieldErrors; values?: Values; status?: number; saved?: boolean } = {},
  ) {
    const locale = pageLocale(request);
    const t = (vi: string, en: string) => tx(locale, vi, en);
    const me = request.account!.id;
    const v = await service.view(code, me);
    const c = v.call;
    const cb = v.callback;
    const token = await reply.csrfToken();
    const title = t(`Cuộc gọi ${c.code}`, `Call ${c.code}`);
    const desk = t('Tổng đài hỗ trợ', 'Hotline');
    const mine = cb?.state === 'claimed' && cb.claimed_by === me;
    return sendPage(
      request,
      reply,
      <Layout
        locale={locale}
        title={title}
        path={request.url}
        breadcrumbs={[{ label: desk, href: DESK_PAGE }, { label: title }]}
      >
        <PageHeading title={title} />
        {mine ? null : (
          <ErrorSummary errors={state.errors ?? {}} title={t('Chưa thực hiện được', 'Not done')} />
        )}
        {state.saved ? <Notice kind="success" title={t('Đã ghi cuộc gọi.', 'The call is saved.')} /> : null}
        <dl class="facts">
          <Fact label={t('Chiều', 'Direction')}>{DIRECTION_NAMES[c.direction][locale]}</Fact>
          {v.callbackOfCode ? (
            <Fact label={t('Gọi lại cho cuộc gọi', 'Callback of')}>
              <a href={callPage(v.callbackOfCode)}>{v.callbackOfCode}</a>
            </Fact>
          ) : null}
          <Fact label={t('Người gọi', 'Caller')}>
            {[c.caller_name, c.caller_phone, c.caller_email].filter(Boolean).join(' · ') || '—'}
          </Fact>
          <Fact label={t('Nội dung', 'Topic')}>{TOPIC_NAMES[c.topic][locale]}</Fact>
          <Fact label={t('Thời gian', 'Time')}>
            {vietnamDateTime(c.started_at)} (
            {duration(Math.round((c.ended_at.getTime() - c.started_at.getTime()) / 1000), locale)})
          </Fact>
          <Fact label={t('Kết quả', 'Outcome')}>{OUTCOME_NAMES[c.outcome][locale]}</Fact>
          {c.procedure_code ? <Fact label={t('Thủ tục', 'Procedure')}>{c.procedure_code}</Fact> : null}
          {c.dossier_code ? <Fact label={t('Hồ sơ', 'Dossier')}>{c.dossier_code}</Fact> : null}
          {c.feedback_code ? (
            <Fact label={t('Phản ánh, kiến nghị', 'Feedback')}>
              <a href={`/quan-tri/phan-anh-kien-nghi/${encodeURIComponent(c.feedback_code)}`}>
                {c.feedback_code}
              </a>
            </Fact>
          ) : null}
          {c.answer ? (
            <Fact label={t('Đã trả lời', 'Answer')}>
              {c.answer}
              {c.answer_sent_by
                ? t(
                    ` (đã gửi qua ${c.answer_sent_by === 'sms' ? 'tin nhắn' : 'thư điện tử'})`,
                    ` (sent by ${c.answer_sent_by === 'sms' ? 'SMS' : 'e-mail'})`,
                  )
                : null}
            </Fact>
          ) : null}
          {c.notes ? <Fact label={t('Ghi chú', 'Notes')}>{c.notes}</Fact> : null}
        </dl>
        {cb ? (
          <section aria-labelledby="goi-lai">
            <h2 id="goi-lai">{t('Gọi lại', 'Callback')}</h2>
            <p>
              {CALLBACK_STATE_NAMES[cb.state][locale]} — {t('hạn', 'due')} {vietnamDateTime(cb.due_at)}
              {cb.state !== 'done' && cb.due_at < now() ? t(' (quá hạn)', ' (overdue)') : ''}
              {cb.attempts > 0
                ? t(`; đã gọi ${cb.attempts} lần không được`, `; ${cb.attempts} failed attempts`)
                : ''}
            </p>
            {cb.state === 'open' ? (
              <form method="post" action={callbackPath(c.code, 'nhan')}>
                <CsrfField token={token} />
                <button type="submit" class="button">
                  {t('Nhận gọi lại', 'Claim')}
                </button>
              </form>
            ) : null}
            {cb.state === 'claimed' && !mine ? (
              <p>{t('Một tổng đài viên khác đang gọi lại.', 'Another operator is calling back.')}</p>
            ) : null}
            {mine ? (
              <>
                <form method="post" action={callbackPath(c.code, 'tra')}>
                  <CsrfField token={token} />
                  <button type="submit" class="button button--secondary">
                    {t('Trả lại hàng chờ', 'Give back')}
                  </button>
                </form>
                <h3>{t('Ghi cuộc gọi lại', 'Log the call back')}</h3>
                <p>
                  {t(
                    'Nếu không liên lạc được, chọn “Mất kết nối, không liên lạc được”: yêu cầu quay lại hàng chờ.',
                    'If the caller was not reached, choose “Dropped”: the callback goes back to the queue.',
                  )}
                </p>
                <ErrorSummary errors={state.errors ?? {}} title={t('Có lỗi cần sửa', 'There is a problem')} />
                <CallForm
                  action={callbackPath(c.code, 'ghi')}
                  token={token}
                  locale={locale}
                  errors={state.errors ?? {}}
                  values={{
                    callerName: c.caller_name ?? '',
                    callerPhone: c.caller_phone ?? '',
                    callerEmail: c.caller_email ?? '',
                    topic: c.topic,
                    procedureCode: c.procedure_code ?? '',
                    dossierCode: c.dossier_code ?? '',
                    ...state.values,
                  }}
                  now={now()}
                  callback
                />
              </>
            ) : null}
            {v.followUps.length > 0 ? (
              <CallsTable rows={v.followUps} locale={locale} caption={t('Các lần gọi lại', 'Calls back')} />
            ) : null}
          </section>
        ) : null}
        <p>
          <a href={DESK_PAGE}>{t('Về bàn tổng đài', 'Back to the desk')}</a> ·{' '}
          <a href={CALLBACKS_PAGE}>{t('Hàng chờ gọi lại', 'Callback queue')}</a>
        </p>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get<{ Params: { code: string }; Querystring: { 'da-ghi'?: string } }>(
    `${CALLS_PAGE}/:code`,
    { config: { access: PAGE_ACCESS }, schema: { hide: true, params: Code } },
    (request, reply) =>
      callPageView(request, reply, request.params.code, { saved: request.query['da-ghi'] === '1' }),
  );

  app.get(
    CALLBACKS_PAGE,
    { config: { access: PAGE_ACCESS }, schema: { hide: true } },
    async (request, reply) => {
      const locale = pageLocale(request);
      const t = (vi: string, en: string) => tx(locale, vi, en);
      const rows = await service.queue(request.account!.id);
      const token = await reply.csrfToken();
      const title = t('Hàng chờ gọi lại', 'Callback queue');
      return sendPage(
        request,
        reply,
        <Layout
          locale={locale}
          title={title}
          path={request.url}
          breadcrumbs={[{ label: t('Tổng đài hỗ trợ', 'Hotline'), href: DESK_PAGE }, { label: title }]}
        >
          <PageHeading
            title={title}
            lead={t('Quá hạn trước, rồi theo hạn gọi lại.', 'Overdue first, then by due time.')}
          />
          <DataTable
            caption={title}
            rows={rows}
            rowKey={(r) => r.code}
            empty={t('Không có yêu cầu gọi lại nào.', 'No callbacks waiting.')}
            columns={[
              { header: t('Cuộc gọi', 'Call'), cell: (r) => <a href={callPage(r.code)}>{r.code}</a> },
              {
                header: t('Hạn gọi lại', 'Due'),
                cell: (r) => (
                  <span class={r.overdue ? 'deadline deadline--overdue' : undefined}>
                    {vietnamDateTime(r.due_at)}
                    {r.overdue ? t(' (quá hạn)', ' (overdue)') : ''}
                  </span>
                ),
              },
              {
                header: t('Người gọi', 'Caller'),
                cell: (r) => [r.caller_name, r.caller_phone].filter(Boolean).join(' · '),
              },
              { header: t('Nội dung', 'Topic'), cell: (r) => TOPIC_NAMES[r.topic][locale] },
              { header: t('Trạng thái', 'State'), cell: (r) => CALLBACK_STATE_NAMES[r.state][locale] },
              {
                header: t('Thao tác', 'Action'),
                cell: (r) =>
                  r.state === 'open' ? (
                    <form method="post" action={callbackPath(r.code, 'nhan')}>
                      <CsrfField token={token} />
                      <button type="submit" class="button">
                        {t('Nhận gọi lại', 'Claim')}
                      </button>
                    </form>
                  ) : (
                    <a href={callPage(r.code)}>{t('Xem', 'Open')}</a>
                  ),
              },
            ]}
          />
        </Layout>,
      );
    },
  );

  for (const [path, action] of [
    ['nhan', 'claim'],
    ['tra', 'release'],
  ] as const)
    app.post<{ Params: { code: string } }>(
      `${CALLBACKS_PAGE}/:code/${path}`,
      { config: { access: PAGE_ACCESS }, schema: { hide: true, params: Code, body: Empty } },
      async (request, reply) => {
        const code = request.params.code;
        const r = await attempt(() => service[action](code, request.account!.id));
        if (!r.ok) return callPageView(request, reply, code, { errors: r.errors, status: r.status });
        return reply.redirect(callPage(code), 303);
      },
    );

  app.post<{ Params: { code: string }; Body: CallFormBody }>(
    `${CALLBACKS_PAGE}/:code/ghi`,
    { config: { access: PAGE_ACCESS }, schema: { hide: true, params: Code, body: CallFormBody } },
    async (request, reply) => {
      const code = request.params.code;
      const body = request.body;
      const r = await attempt(() =>
        service.complete(code, request.account!.id, callInputOf(body), body.callKey || 'missing-form-key'),
      );
      if (!r.ok)
        return callPageView(request, reply, code, { errors: r.errors, values: body, status: r.status });
      return reply.redirect(`${callPage(r.value.call.code)}?da-ghi=1`, 303);
    },
  );
}
