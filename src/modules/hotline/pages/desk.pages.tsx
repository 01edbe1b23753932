/**
 * The hotline desk, usable without JavaScript (hotline operators of the Government Office):
 *   /quan-tri/tong-dai            the day's figures, the new call form, the caller look-up, today's calls
 *   /quan-tri/tong-dai/cuoc-goi   POST: a new call (then its page)
 *   /quan-tri/tong-dai/tra-cuu    POST: a caller's account and dossiers (recorded for the person), with
 *                                 the call form filled in with their name and phone
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { vietnamDateTime } from '../../../platform/clock/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import {
  CsrfField,
  DataTable,
  ErrorSummary,
  FormBody,
  Layout,
  Notice,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import { HOTLINE_NUMBER, OUTCOME_NAMES, OUTCOMES, TOPIC_NAMES, TOPICS } from '../domain/vocabulary.ts';
import type { CallRow } from '../hotline.repository.ts';
import type { HotlineService } from '../hotline.service.ts';
import type { LookupService } from '../lookup.service.ts';
import {
  attempt,
  CallForm,
  CallFormBody,
  callInputOf,
  duration,
  Fact,
  Field,
  type FieldErrors,
  Select,
  type Values,
} from './forms.tsx';
import { CALLBACKS_PAGE, CALLS_PAGE, callPage, DESK_PAGE, LOOKUP_PAGE } from './paths.ts';

export const PAGE_ACCESS = access.officer('hotline-operator');
type Found = Awaited<ReturnType<LookupService['lookup']>>;

const LookupForm = FormBody({ by: S(20), value: S(30), reason: S(300), callCode: S(40) });

export function CallsTable({ rows, locale, caption }: { rows: CallRow[]; locale: Locale; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(r) => r.code}
      empty={tx(locale, 'Chưa có cuộc gọi nào.', 'No calls yet.')}
      columns={[
        { header: tx(locale, 'Mã cuộc gọi', 'Call'), cell: (r) => <a href={callPage(r.code)}>{r.code}</a> },
        { header: tx(locale, 'Bắt đầu', 'Started'), cell: (r) => vietnamDateTime(r.started_at) },
        {
          header: tx(locale, 'Người gọi', 'Caller'),
          cell: (r) => [r.caller_name, r.caller_phone].filter(Boolean).join(' · ') || '—',
        },
        { header: tx(locale, 'Nội dung', 'Topic'), cell: (r) => TOPIC_NAMES[r.topic][locale] },
        { header: tx(locale, 'Kết quả', 'Outcome'), cell: (r) => OUTCOME_NAMES[r.outcome][locale] },
        {
          header: tx(locale, 'Thời lượng', 'Duration'),
          numeric: true,
          cell: (r) => duration(Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 1000), locale),
        },
      ]}
    />
  );
}

export async function deskPages(
  app: AppInstance,
  { service, lookup, now }: { service: HotlineService; lookup: LookupService; now: () => Date },
) {
  async function desk(
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      callErrors?: FieldErrors;
      callValues?: Values;
      lookupErrors?: FieldErrors;
      lookupValues?: Values;
      found?: Found;
      status?: number;
    } = {},
  ) {
    const locale = pageLocale(request);
    const me = request.account!.id;
    const t = (vi: string, en: string) => tx(locale, vi, en);
    const [figures, calls, queue] = await Promise.all([
      service.figures(me),
      service.calls(me),
      service.queue(me),
    ]);
    const token = await reply.csrfToken();
    const title = t(`Tổng đài hỗ trợ ${HOTLINE_NUMBER}`, `Hotline ${HOTLINE_NUMBER}`);
    const f = state.found;
    const le = state.lookupErrors ?? {};
    const ce = state.callErrors ?? {};
    const overdue = queue.filter((q) => q.overdue).length;
    return sendPage(
      request,
      reply,
      <Layout locale={locale} title={title} path={request.url} breadcrumbs={[{ label: title }]}>
        <PageHeading
          title={title}
          lead={t(
            'Ghi từng cuộc gọi, tra cứu người gọi, trả lời hoặc chuyển thành phản ánh, kiến nghị, và gọi lại đúng hẹn.',
            'Log every call, look callers up, answer or turn calls into feedback, and call back on time.',
          )}
        />
        <section aria-labelledby="so-lieu">
          <h2 id="so-lieu">{t(`Số liệu hôm nay (${figures.date})`, `Today’s figures (${figures.date})`)}</h2>
          <dl class="facts">
            <Fact label={t('Cuộc gọi', 'Calls')}>
              {figures.calls} ({t('đến', 'inbound')} {figures.inbound}, {t('gọi lại', 'outbound')}{' '}
              {figures.outbound})
            </Fact>
            <Fact label={t('Thời lượng trung bình', 'Average duration')}>
              {duration(figures.averageSeconds, locale)}
            </Fact>
            <Fact label={t('Tổng thời lượng', 'Total duration')}>
              {duration(figures.totalSeconds, locale)}
            </Fact>
            <Fact label={t('Phản ánh, kiến nghị đã tạo', 'Feedback items created')}>
              {figures.feedbackCreated}
            </Fact>
            <Fact label={t('Gọi lại', 'Callbacks')}>
              {t('đang chờ', 'open')} {figures.callbacksOpen}, {t('quá hạn', 'overdue')}{' '}
              {figures.callbacksOverdue}, {t('đã gọi lại hôm nay', 'done today')} {figures.callbacksDone}
            </Fact>
          </dl>
          <h3>{t('Theo nội dung', 'By topic')}</h3>
          <dl class="facts">
            {TOPICS.map((k) => (
              <Fact key={k} label={TOPIC_NAMES[k][locale]}>
                {figures.byTopic[k]}
              </Fact>
            ))}
          </dl>
          <h3>{t('Theo kết quả', 'By outcome')}</h3>
          <dl class="facts">
            {OUTCOMES.map((k) => (
              <Fact key={k} label={OUTCOME_NAMES[k][locale]}>
                {figures.byOutcome[k]}
              </Fact>
            ))}
          </dl>
          <p>
            <a href={CALLBACKS_PAGE}>
              {t(`Hàng chờ gọi lại (${queue.length})`, `Callback queue (${queue.length})`)}
            </a>
            {overdue > 0 ? ` — ${t(`${overdue} quá hạn`, `${overdue} overdue`)}` : null}
          </p>
        </section>

        <section aria-labelledby="tra-cuu">
          <h2 id="tra-cuu">{t('Tra cứu người gọi', 'Look a caller up')}</h2>
          <p>
            {t(
              'Người được tra cứu sẽ thấy tên bạn, tổng đài, mã cuộc gọi và lý do trong mục “Ai đã xem thông tin của tôi” ở trang tài khoản của họ.',
              'The person will see your name, the hotline, the call and the reason in “Who accessed my information” on their account page.',
            )}
          </p>
          <ErrorSummary errors={le} title={t('Có lỗi cần sửa', 'There is a problem')} />
          <form method="post" action={LOOKUP_PAGE} class="form" novalidate>
            <CsrfField token={token} />
            <Select
              name="by"
              label={t('Tra cứu theo', 'Look up by')}
              options={[
                { value: 'phone', label: t('Số điện thoại', 'Phone') },
                { value: 'personalId', label: t('Số định danh cá nhân (CCCD)', 'Personal ID') },
                { value: 'taxCode', label: t('Mã số thuế', 'Tax code') },
              ]}
              errors={le}
              values={state.lookupValues ?? {}}
            />
            <Field
              name="value"
              label={t('Số cần tra cứu', 'Number')}
              maxLength={30}
              errors={le}
              values={state.lookupValues ?? {}}
            />
            <Field
              name="reason"
              label={t('Lý do tra cứu', 'Reason')}
              hint={t(
                '10–150 ký tự, ví dụ: “Người gọi hỏi tiến độ hồ sơ cấp hộ chiếu”.',
                '10–150 characters.',
              )}
              maxLength={150}
              errors={le}
              values={state.lookupValues ?? {}}
            />
            <Field
              name="callCode"
              label={t('Mã cuộc gọi (nếu đã ghi)', 'Call code (if logged)')}
              maxLength={40}
              errors={le}
              values={state.lookupValues ?? {}}
            />
            <div class="form-actions">
              <button type="submit" class="button">
                {t('Tra cứu', 'Look up')}
              </button>
            </div>
          </form>
          {f ? <FoundAccount found={f} locale={locale} /> : null}
        </section>

        <section aria-labelledby="cuoc-goi-moi">
          <h2 id="cuoc-goi-moi">{t('Ghi cuộc gọi mới', 'Log a new call')}</h2>
          <ErrorSummary errors={ce} title={t('Có lỗi cần sửa', 'There is a problem')} />
          <CallForm
            action={CALLS_PAGE}
            token={token}
            locale={locale}
            errors={ce}
            values={state.callValues ?? {}}
            now={now()}
          />
        </section>

        <section aria-labelledby="hom-nay">
          <h2 id="hom-nay">{t('Cuộc gọi hôm nay', 'Today’s calls')}</h2>
          <CallsTable rows={calls} locale={locale} caption={t('Cuộc gọi hôm nay', 'Today’s calls')} />
        </section>
      </Layout>,
      { status: state.status ?? 200 },
    );
  }

  app.get(DESK_PAGE, { config: { access: PAGE_ACCESS }, schema: { hide: true } }, (request, reply) =>
    desk(request, reply),
  );

  app.post<{ Body: CallFormBody }>(
    CALLS_PAGE,
    { config: { access: PAGE_ACCESS }, schema: { hide: true, body: CallFormBody } },
    async (request, reply) => {
      const body = request.body;
      const r = await attempt(() =>
        service.record(callInputOf(body), request.account!.id, body.callKey || 'missing-form-key'),
      );
      if (!r.ok) return desk(request, reply, { callErrors: r.errors, callValues: body, status: r.status });
      return reply.redirect(`${callPage(r.value.call.code)}?da-ghi=1`, 303);
    },
  );

  app.post<{ Body: { by?: string; value?: string; reason?: string; callCode?: string } }>(
    LOOKUP_PAGE,
    { config: { access: PAGE_ACCESS }, schema: { hide: true, body: LookupForm } },
    async (request, reply) => {
      const values = {
        by: request.body.by ?? '',
        value: request.body.value ?? '',
        reason: request.body.reason ?? '',
        callCode: request.body.callCode ?? '',
      };
      const r = await attempt(() => lookup.lookup(request.account!.id, values), 'value');
      if (!r.ok)
        return desk(request, reply, { lookupErrors: r.errors, lookupValues: values, status: r.status });
      const a = r.value.account;
      return desk(request, reply, {
        lookupValues: values,
        found: r.value,
        callValues: {
          callerName: a.displayName,
          callerPhone: values.by === 'phone' ? values.value : a.phoneVerified ? (a.phone ?? '') : '',
          callerEmail: a.emailVerified ? (a.email ?? '') : '',
        },
      });
    },
  );
}

function FoundAccount({ found, locale }: { found: Found; locale: Locale }) {
  const t = (vi: string, en: string) => tx(locale, vi, en);
  const a = found.account;
  const verified = (v: boolean) =>
    v ? t(' (đã xác minh)', ' (verified)') : t(' (chưa xác minh)', ' (not verified)');
  return (
    <section aria-labelledby="nguoi-goi">
      <h3 id="nguoi-goi">{a.displayName}</h3>
      <Notice kind="info">
        {t(`Đã ghi cho người này: “${found.purpose}”.`, `Recorded for the person: “${found.purpose}”.`)}
      </Notice>
      {a.status !== 'active' ? (
        <Notice kind="warning" title={t('Tài khoản đang bị khóa', 'The account is disabled')} />
      ) : null}
      <dl class="facts">
        {a.personalId ? <Fact label={t('Số định danh cá nhân', 'Personal ID')}>{a.personalId}</Fact> : null}
        {a.taxCode ? <Fact label={t('Mã số thuế', 'Tax code')}>{a.taxCode}</Fact> : null}
        <Fact label={t('Số điện thoại', 'Phone')}>
          {a.phone ? `${a.phone}${verified(a.phoneVerified)}` : '—'}
        </Fact>
        <Fact label={t('Thư điện tử', 'E-mail')}>
          {a.email ? `${a.email}${verified(a.emailVerified)}` : '—'}
        </Fact>
      </dl>
      <DataTable
        caption={t('Hồ sơ của người gọi', 'The caller’s dossiers')}
        rows={found.dossiers}
        rowKey={(d) => d.code}
        empty={t('Chưa có hồ sơ nộp trên Cổng.', 'No dossiers filed on the portal.')}
        columns={[
          { header: t('Mã hồ sơ', 'Dossier'), cell: (d) => d.code },
          { header: t('Thủ tục', 'Procedure'), cell: (d) => d.procedureName },
          { header: t('Trạng thái', 'Status'), cell: (d) => d.status },
          { header: t('Hạn giải quyết', 'Due'), cell: (d) => (d.dueAt ? vietnamDateTime(d.dueAt) : '—') },
        ]}
      />
    </section>
  );
}
