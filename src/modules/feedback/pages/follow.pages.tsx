import type { FastifyReply, FastifyRequest } from 'fastify';
import { vietnamDateTime } from '../../../platform/clock/index.ts';
import { AppError, TooManyRequestsError } from '../../../platform/errors/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { FEEDBACK_STATUS_NAMES } from '../../../platform/kernel/index.ts';
import {
  CsrfField,
  ErrorSummary,
  FormBody,
  Layout,
  PageHeading,
  pageLocale,
  S,
  sendPage,
} from '../../../platform/web/index.ts';
import type { FeedbackService } from '../feedback.service.ts';
import { Field } from './feedback.pages.tsx';
import { DEADLINE_NAMES, STATE_NAMES } from './handling.pages.tsx';
import { KeptNotice } from './handling-tools.parts.tsx';
import { FEEDBACK_PAGE, FOLLOW_PAGE } from './paths.ts';

const FollowForm = FormBody({
  item: S(40),
  contact: S(254),
  challengeId: S(40),
  code: S(12),
  step: S(12),
  text: S(10_000),
  satisfied: S(5),
});
type FollowFormBody = {
  [K in 'item' | 'contact' | 'challengeId' | 'code' | 'step' | 'text' | 'satisfied']?: string;
};

/**
 * /phan-anh-kien-nghi/theo-doi: an anonymous submitter gives the item's code and the contact it was sent
 * with, receives a one-time code there, and reads the progress; the same code then rates the answer or
 * supplements the information asked for (once).
 */
export async function followPages(app: AppInstance, { service }: { service: FeedbackService }) {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    v: FollowFormBody,
    errors: Record<string, string>,
    status = 200,
    progress?: Awaited<ReturnType<FeedbackService['follow']>>,
  ) {
    const locale = pageLocale(request);
    const title = tx(locale, 'Theo dõi phản ánh, kiến nghị', 'Follow your feedback');
    const token = await reply.csrfToken();
    const proof = (
      <>
        <CsrfField token={token} />
        <input type="hidden" name="item" value={v.item ?? ''} />
        <input type="hidden" name="contact" value={v.contact ?? ''} />
        <input type="hidden" name="challengeId" value={v.challengeId ?? ''} />
        <input type="hidden" name="code" value={v.code ?? ''} />
      </>
    );
    const item = progress?.item;
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
            'Dành cho người gửi không đăng nhập: nhập mã phản ánh và số điện thoại hoặc thư điện tử đã dùng khi gửi; chúng tôi gửi mã xác minh tới đó.',
            'For senders without an account: the item code and the phone or e-mail used to send it; we send a code there.',
          )}
        />
        <ErrorSummary errors={errors} title={tx(locale, 'Vui lòng kiểm tra lại', 'Please check the form')} />
        {item && progress ? (
          <section aria-labelledby="tien-do">
            <h2 id="tien-do">
              {item.code}: {FEEDBACK_STATUS_NAMES[item.status][locale]}
            </h2>
            <p>{item.title}</p>
            <ul>
              {progress.deadlines.map((d) => (
                <li key={d.kind}>
                  {DEADLINE_NAMES[d.kind][locale]}: {vietnamDateTime(d.due)} ({STATE_NAMES[d.state][locale]})
                </li>
              ))}
            </ul>
            {progress.answers.length > 0 ? <h3>{tx(locale, 'Trả lời', 'Answer')}</h3> : null}
            {progress.answers.map((a) => (
              <p key={a.id}>{a.body}</p>
            ))}
            {item.rated_at !== null ? (
              <p>
                <strong>
                  {tx(locale, 'Bạn đã đánh giá: ', 'Your rating: ')}
                  {item.rated_satisfied
                    ? tx(locale, 'Hài lòng', 'Satisfied')
                    : tx(locale, 'Không hài lòng', 'Not satisfied')}
                </strong>{' '}
                ({vietnamDateTime(item.rated_at)})
              </p>
            ) : null}
            {progress.kept ? <KeptNotice kept={progress.kept} locale={locale} /> : null}
            {item.status === 'awaiting-info' ? (
              <form method="post" action={FOLLOW_PAGE} class="form">
                {proof}
                <div class="field">
                  <label for="text">{tx(locale, 'Thông tin bổ sung', 'The information asked for')}</label>
                  <textarea id="text" name="text" rows={5} cols={70} maxLength={10_000} />
                </div>
                <button type="submit" name="step" value="supplement">
                  {tx(locale, 'Gửi bổ sung', 'Send')}
                </button>
              </form>
            ) : null}
            {(item.status === 'published' ||
              item.status === 'withheld' ||
              (item.status === 'merged' && progress.kept?.closed)) &&
            item.rated_at === null ? (
              <form method="post" action={FOLLOW_PAGE} class="form">
                {proof}
                <fieldset class={`choices${errors.satisfied ? ' field--error' : ''}`} id="satisfied">
                  <legend>
                    {tx(locale, 'Bạn có hài lòng với câu trả lời?', 'Are you satisfied with the answer?')}
                  </legend>
                  {errors.satisfied ? <p class="field-error">{errors.satisfied}</p> : null}
                  <label>
                    <input type="radio" name="satisfied" value="true" /> {tx(locale, 'Hài lòng', 'Satisfied')}
                  </label>
                  <label>
                    <input type="radio" name="satisfied" value="false" />{' '}
                    {tx(locale, 'Không hài lòng', 'Not satisfied')}
                  </label>
                </fieldset>
                <button type="submit" name="step" value="rate">
                  {tx(locale, 'Gửi đánh giá', 'Rate')}
                </button>
              </form>
            ) : null}
          </section>
        ) : (
          <form method="post" action={FOLLOW_PAGE} class="form" novalidate>
            <CsrfField token={token} />
            <Field
              name="item"
              label={tx(locale, 'Mã phản ánh', 'Item code')}
              value={v.item}
              error={errors.item}
              maxLength={40}
              required
            />
            <Field
              name="contact"
              label={tx(
                locale,
                'Số điện thoại hoặc thư điện tử đã dùng khi gửi',
                'Phone or e-mail used to send it',
              )}
              value={v.contact}
              error={errors.contact}
              maxLength={254}
              required
            />
            {v.challengeId ? (
              <>
                <input type="hidden" name="challengeId" value={v.challengeId} />
                <Field
                  name="code"
                  label={tx(locale, 'Mã xác minh (6 chữ số)', 'Verification code (6 digits)')}
                  error={errors.code}
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxLength={12}
                  required
                />
                <button type="submit" name="step" value="view">
                  {tx(locale, 'Xem tiến độ', 'See progress')}
                </button>
              </>
            ) : (
              <button type="submit" name="step" value="code">
                {tx(locale, 'Nhận mã xác minh', 'Get a verification code')}
              </button>
            )}
          </form>
        )}
      </Layout>,
      { status },
    );
  }

  app.get(
    FOLLOW_PAGE,
    { config: { access: access.public }, schema: { hide: true } },
    async (request, reply) => render(request, reply, {}, {}),
  );

  app.post<{ Body: FollowFormBody }>(
    FOLLOW_PAGE,
    { config: { access: access.public }, schema: { hide: true, body: FollowForm } },
    async (request, reply) => {
      const v = request.body;
      const locale = pageLocale(request);
      try {
        if (!/^PAKN-\d{4}-\d{7}$/.test(v.item?.trim() ?? ''))
          return render(
            request,
            reply,
            v,
            { item: tx(locale, 'Mã phản ánh có dạng PAKN-2026-0000001.', 'A code like PAKN-2026-0000001.') },
            400,
          );
        if (v.step === 'code' || !v.challengeId) {
          const { challengeId } = await service.requestCode(v.contact ?? '', request.ip);
          return render(request, reply, { ...v, challengeId }, {});
        }
        // Rating without a choice: the progress again, the choice asked for by the field (nothing rated).
        const choice = v.satisfied === 'true' || v.satisfied === 'false' ? v.satisfied : undefined;
        const unchosen = v.step === 'rate' && choice === undefined;
        const progress = await service.follow(
          v.item!.trim(),
          {
            contact: v.contact ?? '',
            challengeId: v.challengeId,
            code: v.code ?? '',
            ...(v.step === 'rate' && choice ? { satisfied: choice === 'true' } : {}),
            ...(v.step === 'supplement' ? { text: v.text ?? '' } : {}),
          },
          request.ip,
        );
        if (unchosen)
          return render(
            request,
            reply,
            v,
            {
              satisfied: tx(
                locale,
                'Chọn Hài lòng hoặc Không hài lòng.',
                'Choose Satisfied or Not satisfied.',
              ),
            },
            400,
            progress,
          );
        return render(request, reply, v, {}, 200, progress);
      } catch (e) {
        if (e instanceof AppError && e.status < 500) {
          const errors: Record<string, string> = {};
          for (const x of (e.extras.errors as { path: string; message: string }[] | undefined) ?? [])
            errors[x.path.replace(/^body\./, '')] ??= x.message;
          if (Object.keys(errors).length === 0)
            errors._form =
              e.status === 404
                ? tx(
                    locale,
                    'Mã phản ánh và thông tin liên hệ không khớp.',
                    'The code and contact do not match.',
                  )
                : e.message;
          if (e instanceof TooManyRequestsError) reply.header('retry-after', String(e.retryAfterSeconds));
          return render(request, reply, { ...v, code: '' }, errors, e.status);
        }
        throw e;
      }
    },
  );
}
