/** Request and response schemas of the hotline API (TypeBox; they document the API in OpenAPI 3.1). */
import { type Static, type TSchema, Type } from 'typebox';
import { CALLBACK_STATES, DIRECTIONS, FEEDBACK_CATEGORIES, OUTCOMES, TOPICS } from './domain/vocabulary.ts';
import { LOOKUP_BY } from './lookup.service.ts';

const Text = (max: number) => Type.String({ maxLength: max });
/** One of the codes (the domain's checks name the field in Vietnamese; this documents the API). */
const OneOf = (values: readonly string[], description: string) =>
  Type.Unsafe<string>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { description },
    ),
  );
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({
  maxLength: 40,
  description: 'ISO 8601 with an offset, e.g. 2026-12-07T09:00:00+07:00',
});

export const CallBody = Type.Object(
  {
    direction: Type.Optional(OneOf(DIRECTIONS, 'inbound (default) or outbound')),
    callerName: Type.Optional(Text(200)),
    callerPhone: Type.Optional(Text(30)),
    callerEmail: Type.Optional(Text(254)),
    topic: OneOf(TOPICS, 'dossier, procedure, account, payment, feedback, other'),
    procedureCode: Type.Optional(Text(60)),
    dossierCode: Type.Optional(Text(60)),
    feedbackCode: Type.Optional(Text(60)),
    outcome: OneOf(OUTCOMES, 'answered, feedback, callback, transferred, dropped'),
    startedAt: Instant,
    endedAt: Type.Optional(Instant),
    notes: Type.Optional(Text(4000)),
    answer: Type.Optional(Text(2000)),
    sendAnswerBy: Type.Optional(OneOf(['sms', 'email'], 'send the answer to the caller')),
    callbackDueAt: Type.Optional(Instant),
    feedback: Type.Optional(
      Type.Object(
        {
          title: Type.Optional(Text(300)),
          content: Type.Optional(Text(10_000)),
          category: Type.Optional(OneOf(FEEDBACK_CATEGORIES, 'regulation, dossier-handling, other')),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CallBody = Static<typeof CallBody>;

export const CallbackView = Type.Object({
  state: OneOf(CALLBACK_STATES, 'open, claimed, done'),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  claimedBy: Nullable(Type.String()),
  attempts: Type.Integer(),
  doneAt: Nullable(Type.String()),
});

export const CallView = Type.Object({
  code: Type.String(),
  operator: Type.String(),
  direction: Type.String(),
  callbackOf: Nullable(Type.String()),
  callerName: Nullable(Type.String()),
  callerPhone: Nullable(Type.String()),
  callerEmail: Nullable(Type.String()),
  topic: Type.String(),
  procedureCode: Nullable(Type.String()),
  dossierCode: Nullable(Type.String()),
  feedbackCode: Nullable(Type.String()),
  outcome: Type.String(),
  startedAt: Type.String(),
  endedAt: Type.String(),
  durationSeconds: Type.Integer(),
  notes: Nullable(Type.String()),
  answer: Nullable(Type.String()),
  answerSentBy: Nullable(Type.String()),
  callback: Type.Optional(Nullable(CallbackView)),
  followUps: Type.Optional(Type.Array(Type.String())),
});
export type CallView = Static<typeof CallView>;

export const CallList = Type.Object({ items: Type.Array(CallView) });

export const DayQuery = Type.Object({
  date: Type.Optional(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a Vietnam date; today by default' }),
  ),
});

export const CodeParams = Type.Object({ code: Type.String({ pattern: '^TD-[0-9]{8}-[0-9]{6,12}$' }) });

export const LookupBody = Type.Object(
  {
    by: OneOf(LOOKUP_BY, 'phone, personalId (CCCD, 12 digits) or taxCode'),
    value: Text(30),
    reason: Type.String({ maxLength: 300, description: '10–150 characters; the person reads it' }),
    callCode: Type.Optional(Text(40)),
  },
  { additionalProperties: false },
);
export type LookupBody = Static<typeof LookupBody>;

export const LookupResult = Type.Object({
  account: Type.Object({
    kind: Type.String(),
    displayName: Type.String(),
    personalId: Nullable(Type.String()),
    taxCode: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    phoneVerified: Type.Boolean(),
    email: Nullable(Type.String()),
    emailVerified: Type.Boolean(),
    status: Type.String(),
  }),
  dossiers: Type.Array(
    Type.Object({
      code: Type.String(),
      procedureName: Type.String(),
      status: Type.String(),
      submittedAt: Nullable(Type.String()),
      dueAt: Nullable(Type.String()),
    }),
  ),
  recordedAs: Type.String({ description: 'the reason as the person reads it in "who accessed my data"' }),
});

export const QueueView = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      callerName: Nullable(Type.String()),
      callerPhone: Nullable(Type.String()),
      topic: Type.String(),
      callback: CallbackView,
    }),
  ),
});

const Counts = (keys: readonly string[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])));

export const FiguresView = Type.Object({
  date: Type.String(),
  calls: Type.Integer(),
  inbound: Type.Integer(),
  outbound: Type.Integer(),
  totalSeconds: Type.Integer(),
  averageSeconds: Type.Integer(),
  byTopic: Counts(TOPICS),
  byOutcome: Counts(OUTCOMES),
  feedbackCreated: Type.Integer(),
  callbacksOpen: Type.Integer(),
  callbacksOverdue: Type.Integer(),
  callbacksDone: Type.Integer(),
});
