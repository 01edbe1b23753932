/** Request and response schemas of the feedback API (TypeBox; they document the API in OpenAPI 3.1). */
import { type Static, Type } from 'typebox';

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Code = Type.String({ pattern: '^[A-Za-z0-9._-]{1,60}$' });

export const CategorySchema = Type.Union(
  [Type.Literal('regulation'), Type.Literal('dossier-handling'), Type.Literal('other')],
  { description: 'regulation (quy định hành chính), dossier-handling (xử lý hồ sơ) or other' },
);

export const SubmitBody = Type.Object(
  {
    title: Text(300),
    content: Text(10_000),
    category: CategorySchema,
    procedureCode: Type.Optional(Code),
    dossierCode: Type.Optional(Code),
    agency: Type.Optional(Code),
    name: Type.Optional(Text(200)),
    contact: Type.Optional(Text(254)),
    address: Type.Optional(Text(500, 0)),
    challengeId: Type.Optional(Type.String({ format: 'uuid' })),
    code: Type.Optional(Type.String({ pattern: '^[0-9 ]{6,12}$' })),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBody>;

export const Submitted = Type.Object({
  code: Type.String({ description: 'PAKN-YYYY-NNNNNNN' }),
  status: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
});

export const CodeRequestBody = Type.Object({ contact: Text(254) }, { additionalProperties: false });
export const CodeRequested = Type.Object({
  challengeId: Type.String({ format: 'uuid' }),
  expiresInMinutes: Type.Integer(),
});

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    agency: Type.Optional(Type.String({ maxLength: 60 })),
    procedure: Type.Optional(Type.String({ maxLength: 60 })),
    category: Type.Optional(CategorySchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

/** A published item as the public sees it: never the submitter's name or contact. */
export const PublicItem = Type.Object(
  {
    code: Type.String(),
    title: Type.String(),
    content: Type.String(),
    category: Type.String(),
    procedureCode: Type.Union([Type.String(), Type.Null()]),
    agencies: Type.Array(Type.String()),
    answer: Type.String(),
    submittedAt: Type.String({ format: 'date-time' }),
    answeredAt: Type.String({ format: 'date-time' }),
    publishedAt: Type.String({ format: 'date-time' }),
    handledOnTime: Type.Boolean({ description: 'answered within the handling limit (pauses not counted)' }),
    handlingDays: Type.Number({
      description: 'working days the handling took, to one decimal (pauses not counted)',
    }),
    handlingLimitDays: Type.Integer({ description: 'the handling limit in working days' }),
  },
  { additionalProperties: false },
);
export type PublicItem = Static<typeof PublicItem>;

export const SearchResult = Type.Object({
  items: Type.Array(PublicItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ActionBody = Type.Object(
  {
    action: Type.Union([
      Type.Literal('accept'),
      Type.Literal('refuse'),
      Type.Literal('ask-info'),
      Type.Literal('supplement'),
      Type.Literal('forward'),
      Type.Literal('receive'),
      Type.Literal('hand-off'),
      Type.Literal('answer'),
      Type.Literal('return'),
      Type.Literal('pass'),
      Type.Literal('publish'),
      Type.Literal('withhold'),
      Type.Literal('rate'),
      Type.Literal('merge'),
    ]),
    asAgency: Type.Optional(Code),
    reason: Type.Optional(Text(2000, 0)),
    question: Type.Optional(Text(2000, 0)),
    text: Type.Optional(Text(20_000, 0)),
    agencies: Type.Optional(Type.Array(Code, { maxItems: 20 })),
    to: Type.Optional(Code),
    satisfied: Type.Optional(Type.Boolean()),
    into: Type.Optional(
      Type.String({ maxLength: 40, description: 'merge: the code of the item kept (PAKN-YYYY-NNNNNNN)' }),
    ),
  },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;

export const ActionResult = Type.Object({ code: Type.String(), status: Type.String() });

const DeadlineView = Type.Object({
  kind: Type.String({ description: 'refuse, ask-info, handle or publish' }),
  due: Type.String({ format: 'date-time' }),
  state: Type.String({ description: 'running, warning, overdue, paused, met, late or stopped (merged)' }),
  doneAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The item as its submitter, the Government Office and the routed agencies see it (contact included). */
export const HandlingView = Type.Object({
  code: Type.String(),
  title: Type.String(),
  content: Type.String(),
  category: Type.String(),
  status: Type.String(),
  statusName: Type.String(),
  procedureCode: Type.Union([Type.String(), Type.Null()]),
  dossierCode: Type.Union([Type.String(), Type.Null()]),
  agency: Type.Union([Type.String(), Type.Null()]),
  submitter: Type.Object({
    name: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
  }),
  submittedAt: Type.String({ format: 'date-time' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.Boolean(), Type.Null()]),
  routes: Type.Array(Type.Object({ agency: Type.String(), state: Type.String(), via: Type.String() })),
  attachments: Type.Array(
    Type.Object({
      id: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
    }),
  ),
  answers: Type.Array(
    Type.Object({
      agency: Type.Union([Type.String(), Type.Null()]),
      body: Type.String(),
      answeredAt: Type.String({ format: 'date-time' }),
    }),
  ),
  deadlines: Type.Array(DeadlineView),
  actions: Type.Array(Type.String({ description: 'what the caller may do now' })),
  history: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      action: Type.String(),
      from: Type.Union([Type.String(), Type.Null()]),
      to: Type.String(),
      agency: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  escalatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'when an overdue clock was escalated to leaders / the Government Office',
  }),
  mergedInto: Type.Union(
    [
      Type.Object({
        code: Type.String(),
        status: Type.String(),
        answers: Type.Array(
          Type.Object({ body: Type.String(), answeredAt: Type.String({ format: 'date-time' }) }),
          { description: 'once the kept item is published or withheld' },
        ),
      }),
      Type.Null(),
    ],
    { description: 'a merged item: the item it follows' },
  ),
  merged: Type.Array(Type.Object({ code: Type.String(), ground: Type.String() }), {
    description: 'the items merged into this one',
  }),
});

export const InboxView = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      status: Type.String(),
      agency: Type.Union([Type.String(), Type.Null()], {
        description: 'the route it waits on; null: the Government Office',
      }),
      submittedAt: Type.String({ format: 'date-time' }),
      deadline: Type.Union([DeadlineView, Type.Null()]),
    }),
  ),
});

export const FollowBody = Type.Object(
  {
    contact: Text(254),
    challengeId: Type.String({ format: 'uuid' }),
    code: Type.String({ pattern: '^[0-9 ]{6,12}$' }),
    satisfied: Type.Optional(Type.Boolean()),
    text: Type.Optional(Text(10_000)),
  },
  { additionalProperties: false },
);
export type FollowBody = Static<typeof FollowBody>;

/** Progress as an anonymous submitter sees it: no contact data (they proved it), answers even if withheld. */
export const FollowView = Type.Object({
  code: Type.String(),
  title: Type.String(),
  status: Type.String(),
  statusName: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.Boolean(), Type.Null()]),
  answers: Type.Array(Type.Object({ body: Type.String(), answeredAt: Type.String({ format: 'date-time' }) })),
  deadlines: Type.Array(
    Type.Object({
      kind: Type.String(),
      due: Type.String({ format: 'date-time' }),
      state: Type.String(),
      doneAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
  history: Type.Array(
    Type.Object({ at: Type.String({ format: 'date-time' }), action: Type.String(), to: Type.String() }),
  ),
});
