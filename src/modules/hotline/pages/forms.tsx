/**
 * The hotline pages' form pieces: labelled fields with their error by the field, the call form (an
 * inbound call on the desk, a call back on a claimed callback) and its conversion to the API's input,
 * and `attempt`, which turns a refusal into errors shown by the fields.
 */
import { randomUUID } from 'node:crypto';
import type { ComponentChildren } from 'preact';
import { vietnamDateTime } from '../../../platform/clock/index.ts';
import { AppError, ValidationError } from '../../../platform/errors/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { CsrfField, FormBody, S } from '../../../platform/web/index.ts';
import type { CallInput } from '../domain/call-input.ts';
import {
  CALLBACK_OUTCOMES,
  FEEDBACK_CATEGORIES,
  FEEDBACK_CATEGORY_NAMES,
  type Name,
  OUTCOME_NAMES,
  OUTCOMES,
  TOPIC_NAMES,
  TOPICS,
} from '../domain/vocabulary.ts';

export type FieldErrors = Record<string, string>;
export type Values = Record<string, string | undefined>;

/** A service call for a page: field errors (status 400, or the refusal's own) instead of a throw. */
export async function attempt<T>(
  fn: () => Promise<T>,
  field = '_form',
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors; status: number }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof AppError && e.status < 500) {
      const errors: FieldErrors = {};
      for (const x of e.extras.errors ?? []) errors[fieldId(x.path)] ??= x.message;
      if (Object.keys(errors).length === 0) errors[field] = e.message;
      return { ok: false, errors, status: e instanceof ValidationError ? 400 : e.status };
    }
    throw e;
  }
}

/** An API path as the form's field id ('feedback.title' → 'feedbackTitle'). */
const fieldId = (path: string) =>
  path.replace(/^body\./, '').replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());

const FIELD_IDS = [
  'callKey',
  'direction',
  'callerName',
  'callerPhone',
  'callerEmail',
  'topic',
  'procedureCode',
  'dossierCode',
  'feedbackCode',
  'outcome',
  'startedAt',
  'endedAt',
  'notes',
  'answer',
  'sendAnswerBy',
  'callbackDueAt',
  'feedbackTitle',
  'feedbackContent',
  'feedbackCategory',
] as const;

export const CallFormBody = FormBody({
  ...Object.fromEntries(FIELD_IDS.map((f) => [f, S(200)])),
  notes: S(4000),
  answer: S(2000),
  feedbackContent: S(10_000),
  feedbackTitle: S(300),
});
export type CallFormBody = Partial<Record<(typeof FIELD_IDS)[number], string>>;

/** 'YYYY-MM-DDTHH:mm' (a datetime-local field, Vietnam time) as an instant with its offset. */
const local = (v: string | undefined) =>
  v && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v.trim()) ? `${v.trim()}:00+07:00` : (v ?? '');

export function callInputOf(b: CallFormBody): CallInput {
  const feedback =
    b.feedbackTitle || b.feedbackContent
      ? { title: b.feedbackTitle, content: b.feedbackContent, category: b.feedbackCategory }
      : undefined;
  return {
    direction: b.direction || undefined,
    callerName: b.callerName,
    callerPhone: b.callerPhone,
    callerEmail: b.callerEmail,
    topic: b.topic ?? '',
    procedureCode: b.procedureCode,
    dossierCode: b.dossierCode,
    feedbackCode: b.feedbackCode,
    outcome: b.outcome ?? '',
    startedAt: local(b.startedAt),
    endedAt: b.endedAt ? local(b.endedAt) : undefined,
    notes: b.notes,
    answer: b.answer,
    sendAnswerBy: b.sendAnswerBy || undefined,
    callbackDueAt: b.callbackDueAt ? local(b.callbackDueAt) : undefined,
    ...(feedback ? { feedback: { ...feedback, category: feedback.category || undefined } } : {}),
  };
}

/** A moment as a datetime-local field's value (Vietnam time). */
export const localValue = (d: Date) => vietnamDateTime(d).replace(' ', 'T');

function Described(props: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
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
    </>
  );
}

const describedBy = (name: string, hint?: string, error?: string) =>
  [hint ? `${name}-goi-y` : '', error ? `${name}-loi` : ''].filter(Boolean).join(' ') || undefined;

export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  errors: FieldErrors;
  values: Values;
  type?: 'text' | 'tel' | 'email' | 'datetime-local';
  maxLength?: number;
  rows?: number;
}) {
  const error = props.errors[props.name];
  const common = {
    id: props.name,
    name: props.name,
    maxLength: props.maxLength ?? 200,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(props.name, props.hint, error),
  };
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={props.name}>{props.label}</label>
      <Described name={props.name} hint={props.hint} error={error} />
      {props.rows ? (
        <textarea {...common} rows={props.rows}>
          {props.values[props.name] ?? ''}
        </textarea>
      ) : (
        <input
          {...({ ...common, type: props.type ?? 'text', value: props.values[props.name] ?? '' } as Record<
            string,
            unknown
          >)}
        />
      )}
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  errors: FieldErrors;
  values: Values;
  blank?: string;
}) {
  const error = props.errors[props.name];
  const chosen = props.values[props.name] ?? '';
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={props.name}>{props.label}</label>
      <Described name={props.name} error={error} />
      <select
        id={props.name}
        name={props.name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, undefined, error)}
      >
        {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === chosen}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export const named = <T extends string>(
  codes: readonly T[],
  names: Readonly<Record<T, Name>>,
  locale: Locale,
) => codes.map((c) => ({ value: c, label: names[c][locale] }));

/**
 * The call form. On the desk: an inbound call; on a claimed callback (`callback`): the call back, whose
 * outcomes exclude asking for another callback. `callKey` makes a double submit one call.
 */
export function CallForm(props: {
  action: string;
  token: string;
  locale: Locale;
  errors: FieldErrors;
  values: Values;
  now: Date;
  callback?: boolean;
  children?: ComponentChildren;
}) {
  const { locale, errors } = props;
  const values: Values = {
    startedAt: localValue(props.now),
    topic: 'dossier',
    ...props.values,
    callKey: props.values.callKey || randomUUID(),
  };
  const t = (vi: string, en: string) => tx(locale, vi, en);
  const outcomes = props.callback ? CALLBACK_OUTCOMES : OUTCOMES;
  return (
    <form method="post" action={props.action} class="form" novalidate>
      <CsrfField token={props.token} />
      <input type="hidden" name="callKey" value={values.callKey} />
      {props.children}
      <fieldset>
        <legend>{t('Người gọi', 'Caller')}</legend>
        <Field name="callerName" label={t('Họ và tên', 'Name')} errors={errors} values={values} />
        <Field
          name="callerPhone"
          type="tel"
          label={t('Số điện thoại', 'Phone')}
          maxLength={30}
          errors={errors}
          values={values}
        />
        <Field
          name="callerEmail"
          type="email"
          label={t('Thư điện tử (nếu muốn nhận trả lời qua thư)', 'E-mail (for an answer by e-mail)')}
          maxLength={254}
          errors={errors}
          values={values}
        />
      </fieldset>
      <fieldset>
        <legend>{t('Cuộc gọi', 'Call')}</legend>
        <Select
          name="topic"
          label={t('Nội dung', 'Topic')}
          options={named(TOPICS, TOPIC_NAMES, locale)}
          errors={errors}
          values={values}
        />
        <Field
          name="procedureCode"
          label={t('Mã thủ tục liên quan', 'Procedure code')}
          maxLength={60}
          errors={errors}
          values={values}
        />
        <Field
          name="dossierCode"
          label={t('Mã hồ sơ liên quan', 'Dossier code')}
          maxLength={60}
          errors={errors}
          values={values}
        />
        <Field
          name="feedbackCode"
          label={t('Mã phản ánh liên quan', 'Feedback code')}
          maxLength={60}
          errors={errors}
          values={values}
        />
        <Field
          name="startedAt"
          type="datetime-local"
          label={t('Bắt đầu lúc', 'Started at')}
          maxLength={16}
          errors={errors}
          values={values}
        />
        <Field
          name="endedAt"
          type="datetime-local"
          label={t('Kết thúc lúc', 'Ended at')}
          hint={t('Để trống nếu cuộc gọi vừa kết thúc.', 'Leave empty if the call just ended.')}
          maxLength={16}
          errors={errors}
          values={values}
        />
        <Field
          name="notes"
          label={t('Ghi chú', 'Notes')}
          rows={3}
          maxLength={4000}
          errors={errors}
          values={values}
        />
        <Select
          name="outcome"
          label={t('Kết quả', 'Outcome')}
          options={named(outcomes, OUTCOME_NAMES, locale)}
          blank={t('— Chọn kết quả —', '— Choose —')}
          errors={errors}
          values={values}
        />
      </fieldset>
      <fieldset>
        <legend>{t('Nếu đã trả lời', 'If answered')}</legend>
        <Field
          name="answer"
          label={t('Nội dung đã trả lời', 'The answer given')}
          rows={4}
          maxLength={2000}
          errors={errors}
          values={values}
        />
        <Select
          name="sendAnswerBy"
          label={t('Gửi câu trả lời cho người gọi', 'Send the answer to the caller')}
          options={[
            {
              value: 'sms',
              label: t('Qua tin nhắn SMS (tối đa 200 ký tự)', 'By SMS (200 characters at most)'),
            },
            { value: 'email', label: t('Qua thư điện tử', 'By e-mail') },
          ]}
          blank={t('Không gửi', 'Do not send')}
          errors={errors}
          values={values}
        />
      </fieldset>
      <fieldset>
        <legend>{t('Nếu chuyển thành phản ánh, kiến nghị', 'If turned into feedback')}</legend>
        <Field
          name="feedbackTitle"
          label={t('Tiêu đề phản ánh', 'Title')}
          maxLength={300}
          errors={errors}
          values={values}
        />
        <Field
          name="feedbackContent"
          label={t('Nội dung phản ánh', 'Content')}
          rows={4}
          maxLength={10_000}
          errors={errors}
          values={values}
        />
        <Select
          name="feedbackCategory"
          label={t('Loại phản ánh', 'Category')}
          options={named(FEEDBACK_CATEGORIES, FEEDBACK_CATEGORY_NAMES, locale)}
          blank={t('— Chọn loại —', '— Choose —')}
          errors={errors}
          values={values}
        />
      </fieldset>
      {props.callback ? null : (
        <fieldset>
          <legend>{t('Nếu cần gọi lại', 'If a callback is needed')}</legend>
          <Field
            name="callbackDueAt"
            type="datetime-local"
            label={t('Gọi lại trước', 'Call back by')}
            hint={t('Để trống: trong 2 giờ tới.', 'Empty: within two hours.')}
            maxLength={16}
            errors={errors}
            values={values}
          />
        </fieldset>
      )}
      <div class="form-actions">
        <button type="submit" class="button">
          {t('Ghi cuộc gọi', 'Save the call')}
        </button>
      </div>
    </form>
  );
}

/** One line of a `dl.facts`: the label and its value side by side (the list's style wants each pair in a div). */
export function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** "3 phút 05 giây" / "3 min 05 s". */
export function duration(seconds: number, locale: Locale) {
  const m = Math.floor(seconds / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return locale === 'vi' ? `${m} phút ${s} giây` : `${m} min ${s} s`;
}
