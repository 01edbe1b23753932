/**
 * A call as the operator writes it down, checked and normalised without I/O: every problem by its field
 * (Vietnamese first), phones as 0xxxxxxxxx, times bounded (a call lasts at most 4 hours and is written
 * down within 7 days), and what each outcome needs (an answer, a callback's due time, the feedback item's
 * text, a phone to ring back).
 */
import { createHash } from 'node:crypto';
import { parseInstant } from '../../../platform/clock/index.ts';
import {
  DIRECTIONS,
  type Direction,
  FEEDBACK_CATEGORIES,
  type FeedbackCategory,
  OUTCOMES,
  type Outcome,
  TOPICS,
  type Topic,
} from './vocabulary.ts';

export interface CallInput {
  direction?: string | undefined;
  callerName?: string | undefined;
  callerPhone?: string | undefined;
  callerEmail?: string | undefined;
  topic: string;
  procedureCode?: string | undefined;
  dossierCode?: string | undefined;
  feedbackCode?: string | undefined;
  outcome: string;
  /** ISO 8601 with an offset. */
  startedAt: string;
  /** ISO 8601 with an offset; now when left out (the call just ended). */
  endedAt?: string | undefined;
  notes?: string | undefined;
  /** The support answer (outcome answered). */
  answer?: string | undefined;
  /** Also send the answer to the caller: by SMS to their phone or by e-mail. */
  sendAnswerBy?: string | undefined;
  /** Outcome callback: when the caller should be rung back by (default two hours from now). */
  callbackDueAt?: string | undefined;
  /** Outcome feedback: the item the call becomes. */
  feedback?:
    | { title?: string | undefined; content?: string | undefined; category?: string | undefined }
    | undefined;
}

export interface Call {
  direction: Direction;
  callerName: string | null;
  callerPhone: string | null;
  callerEmail: string | null;
  topic: Topic;
  procedureCode: string | null;
  dossierCode: string | null;
  feedbackCode: string | null;
  outcome: Outcome;
  startedAt: Date;
  endedAt: Date;
  notes: string | null;
  answer: string | null;
  sendAnswerBy: 'sms' | 'email' | null;
  callbackDueAt: Date | null;
  feedback: { title: string; content: string; category: FeedbackCategory } | null;
}

export type FieldError = { path: string; message: string };

export const LIMITS = {
  name: 200,
  notes: 4000,
  answer: 2000,
  /** An answer sent by SMS fits two GSM 7-bit segments with the call's reference. */
  smsAnswer: 200,
  code: 60,
  title: 300,
  content: 10_000,
  callHours: 4,
  backDays: 7,
  callbackDays: 14,
  defaultCallbackHours: 2,
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Clocks of phones and servers differ a little. */
const SKEW = 60_000;

/** A Vietnamese phone as 0xxxxxxxxx (mobile, 10 digits) or 0xxxxxxxxxx (landline, 11), or undefined. */
export function normalizePhone(text: string): string | undefined {
  const digits = text.trim().replace(/[\s.()-]/g, '');
  const m = /^(?:\+84|84|0)([1-9]\d{8,9})$/.exec(digits);
  return m ? `0${m[1]}` : undefined;
}

/** A mobile number (SMS can reach it): 10 digits, 03/05/07/08/09. */
export const isMobile = (phone: string) => /^0[35789]\d{8}$/.test(phone);

const clean = (s: string | undefined) => {
  const t = (s ?? '').normalize('NFC').trim();
  return t === '' ? null : t;
};

/**
 * The call, or its problems. `only` narrows the outcomes allowed (a call back cannot ask for another
 * callback: the same one is tried again).
 */
export function parseCall(
  input: CallInput,
  now: Date,
  only: { outcomes?: readonly Outcome[]; direction?: Direction } = {},
): { ok: true; call: Call } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });

  const direction = (only.direction ?? input.direction ?? 'inbound') as Direction;
  if (!DIRECTIONS.includes(direction)) err('direction', 'Chiều cuộc gọi không hợp lệ. / Unknown direction.');
  const topic = input.topic as Topic;
  if (!TOPICS.includes(topic)) err('topic', 'Cần chọn nội dung cuộc gọi. / Choose a topic.');
  const outcome = input.outcome as Outcome;
  if (!(only.outcomes ?? OUTCOMES).includes(outcome))
    err('outcome', 'Cần chọn kết quả cuộc gọi. / Choose an outcome.');

  const callerName = clean(input.callerName);
  if (callerName && callerName.length > LIMITS.name)
    err('callerName', `Họ tên tối đa ${LIMITS.name} ký tự. / Name too long.`);
  const phoneText = clean(input.callerPhone);
  const callerPhone = phoneText ? (normalizePhone(phoneText) ?? null) : null;
  if (phoneText && !callerPhone)
    err('callerPhone', 'Số điện thoại không hợp lệ (ví dụ 0912 345 678). / Invalid phone number.');
  const emailText = clean(input.callerEmail)?.toLowerCase() ?? null;
  const callerEmail =
    emailText && /^[^\s@]{1,64}@[^\s@]{1,253}\.[a-z]{2,}$/.test(emailText) && emailText.length <= 254
      ? emailText
      : null;
  if (emailText && !callerEmail) err('callerEmail', 'Thư điện tử không hợp lệ. / Invalid e-mail.');

  const codes = {} as Record<'procedureCode' | 'dossierCode' | 'feedbackCode', string | null>;
  for (const f of ['procedureCode', 'dossierCode', 'feedbackCode'] as const) {
    const v = clean(input[f]);
    if (v && v.length > LIMITS.code) err(f, 'Mã quá dài. / Code too long.');
    codes[f] = v;
  }

  const startedAt = parseInstant(input.startedAt.trim());
  const endedAt = input.endedAt?.trim() ? parseInstant(input.endedAt.trim()) : now;
  if (!startedAt) err('startedAt', 'Thời điểm bắt đầu không hợp lệ. / Invalid start time.');
  else if (startedAt.getTime() > now.getTime() + SKEW)
    err('startedAt', 'Cuộc gọi chưa thể bắt đầu trong tương lai. / The call cannot start in the future.');
  else if (startedAt.getTime() < now.getTime() - LIMITS.backDays * DAY)
    err('startedAt', `Chỉ ghi cuộc gọi trong ${LIMITS.backDays} ngày qua. / Too long ago.`);
  // The end is checked against a start that is itself fine (one problem, by the field that has it).
  const startOk = startedAt !== undefined && !errors.some((e) => e.path === 'startedAt');
  if (!endedAt) err('endedAt', 'Thời điểm kết thúc không hợp lệ. / Invalid end time.');
  else if (startOk && endedAt < startedAt)
    err('endedAt', 'Kết thúc phải sau khi bắt đầu. / The end must follow the start.');
  else if (startOk && endedAt.getTime() - startedAt.getTime() > LIMITS.callHours * HOUR)
    err('endedAt', `Một cuộc gọi dài tối đa ${LIMITS.callHours} giờ. / At most ${LIMITS.callHours} hours.`);
  else if (endedAt.getTime() > now.getTime() + SKEW)
    err('endedAt', 'Cuộc gọi chưa thể kết thúc trong tương lai. / The end cannot be in the future.');

  const notes = clean(input.notes);
  if (notes && notes.length > LIMITS.notes)
    err('notes', `Ghi chú tối đa ${LIMITS.notes} ký tự. / Notes too long.`);

  const answer = clean(input.answer);
  if (outcome === 'answered' && !answer)
    err('answer', 'Cần nhập nội dung đã trả lời người gọi. / Write the answer given.');
  if (outcome !== 'answered' && answer)
    err('answer', 'Chỉ ghi câu trả lời khi kết quả là “Đã trả lời”. / An answer goes with outcome answered.');
  if (answer && answer.length > LIMITS.answer)
    err('answer', `Câu trả lời tối đa ${LIMITS.answer} ký tự. / Answer too long.`);
  const sendBy = clean(input.sendAnswerBy);
  const sendAnswerBy = sendBy === 'sms' || sendBy === 'email' ? sendBy : null;
  if (sendBy && !sendAnswerBy) err('sendAnswerBy', 'Cách gửi không hợp lệ. / Unknown channel.');
  if (sendAnswerBy && outcome !== 'answered')
    err('sendAnswerBy', 'Chỉ gửi khi có câu trả lời. / Only an answer is sent.');
  if (sendAnswerBy === 'sms') {
    if (!callerPhone || !isMobile(callerPhone))
      err(
        'callerPhone',
        'Cần số di động của người gọi để gửi tin nhắn. / A mobile number is needed for SMS.',
      );
    if (answer && answer.length > LIMITS.smsAnswer)
      err(
        'answer',
        `Câu trả lời gửi qua tin nhắn tối đa ${LIMITS.smsAnswer} ký tự; dài hơn hãy gửi qua thư điện tử. / An SMS answer is at most ${LIMITS.smsAnswer} characters.`,
      );
  }
  if (sendAnswerBy === 'email' && !callerEmail)
    err('callerEmail', 'Cần thư điện tử của người gọi để gửi câu trả lời. / An e-mail is needed.');

  let callbackDueAt: Date | null = null;
  if (outcome === 'callback') {
    if (!callerPhone)
      err('callerPhone', 'Cần số điện thoại để gọi lại. / A phone number is needed to call back.');
    const due = clean(input.callbackDueAt);
    callbackDueAt = due
      ? (parseInstant(due) ?? null)
      : new Date(now.getTime() + LIMITS.defaultCallbackHours * HOUR);
    if (!callbackDueAt) err('callbackDueAt', 'Hạn gọi lại không hợp lệ. / Invalid callback time.');
    else if (callbackDueAt.getTime() < now.getTime() - SKEW)
      err('callbackDueAt', 'Hạn gọi lại đã qua. / The callback time has passed.');
    else if (callbackDueAt.getTime() > now.getTime() + LIMITS.callbackDays * DAY)
      err(
        'callbackDueAt',
        `Hạn gọi lại tối đa ${LIMITS.callbackDays} ngày. / At most ${LIMITS.callbackDays} days ahead.`,
      );
  }

  let feedback: Call['feedback'] = null;
  if (outcome === 'feedback') {
    const title = clean(input.feedback?.title);
    const content = clean(input.feedback?.content);
    const category = input.feedback?.category as FeedbackCategory;
    if (!title || title.length > LIMITS.title)
      err('feedback.title', `Cần tiêu đề phản ánh (tối đa ${LIMITS.title} ký tự). / A title is required.`);
    if (!content || content.length > LIMITS.content)
      err('feedback.content', 'Cần nội dung phản ánh. / The feedback content is required.');
    if (!FEEDBACK_CATEGORIES.includes(category))
      err('feedback.category', 'Cần chọn loại phản ánh. / Choose a category.');
    if (!callerName) err('callerName', 'Cần họ tên người phản ánh. / The caller’s name is required.');
    if (!callerPhone && !callerEmail)
      err(
        'callerPhone',
        'Cần số điện thoại hoặc thư điện tử của người phản ánh. / A phone or e-mail is required.',
      );
    if (title && content) feedback = { title, content, category };
  } else if (input.feedback && (clean(input.feedback.title) || clean(input.feedback.content)))
    err('outcome', 'Chọn “Chuyển thành phản ánh, kiến nghị” để gửi phản ánh. / Choose outcome feedback.');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    call: {
      direction,
      callerName,
      callerPhone,
      callerEmail,
      topic,
      procedureCode: codes.procedureCode,
      dossierCode: codes.dossierCode,
      feedbackCode: codes.feedbackCode,
      outcome,
      startedAt: startedAt!,
      endedAt: endedAt!,
      notes,
      answer,
      sendAnswerBy,
      callbackDueAt,
      feedback,
    },
  };
}

/** The request's fingerprint (as sent, before defaults): a key reused with another body is refused. */
export function requestHash(input: unknown): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined && x !== '')
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, canonical(x)]),
        )
      : typeof v === 'string'
        ? v.normalize('NFC').trim()
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex');
}

/** The instants a Vietnam calendar day (YYYY-MM-DD) starts and ends at (UTC+7, no daylight saving). */
export function vietnamDay(date: string): { from: Date; to: Date } {
  const from = new Date(`${date}T00:00:00+07:00`);
  return { from, to: new Date(from.getTime() + DAY) };
}
