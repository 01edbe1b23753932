/** TypeBox schemas of the dossiers JSON API (they document it in OpenAPI too). */
import { Type } from 'typebox';

const Code = Type.String({
  maxLength: 60,
  pattern: '^[0-9A-Z.]+-[0-9]{6}-[0-9]{4,6}$',
  description: 'MaHoSo: {agency identifier}-{yyMMdd}-{NNNN}',
});

/** The portal's verdict on a wallet document when it was taken into the dossier. */
export const WalletVerdictSchema = Type.Object({
  verified: Type.Boolean({ description: 'Signature intact, chain trusted, not revoked, copy not revoked' }),
  summary: Type.Object({ vi: Type.String(), en: Type.String() }),
  signer: Type.Union([Type.String(), Type.Null()]),
  checkedAt: Type.String({ format: 'date-time' }),
});

/** A file taken from the applicant's wallet (DuocLayTuKhoDMQG) instead of uploaded. */
export const ReuseSchema = Type.Object({
  walletItemId: Type.String({ format: 'uuid' }),
  verification: Type.Union([WalletVerdictSchema, Type.Null()]),
});

export const DossierParams = Type.Object({ code: Code });
export const AttachmentParams = Type.Object({ code: Code, id: Type.String({ format: 'uuid' }) });

export const SubmitHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[!-~]+$',
    description:
      'Required: a repeat with the same key returns the same dossier; the same key with another body is a 409',
  }),
});

const Place = Type.Object(
  {
    provinceCode: Type.String({ pattern: '^[0-9]{2}$' }),
    communeCode: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
  },
  { additionalProperties: false, description: 'Where the applicant is (routing to the competent agency)' },
);

export const SubmitBody = Type.Object(
  {
    procedureCode: Type.String({ maxLength: 60, pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$' }),
    procedureVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    channel: Type.Optional(
      Type.Union([Type.Literal('online'), Type.Literal('postal')], { default: 'online' }),
    ),
    place: Place,
    summary: Type.Optional(Type.String({ maxLength: 1000 })),
    case: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description:
          'The case (TRUONGHOP) filed under, by its name in the procedure; only its documents are required. Absent: the only case, or the first whose required documents are all attached',
      }),
    ),
    formData: Type.Record(Type.String(), Type.Unknown(), { description: 'Answers to the e-form' }),
    uploads: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ format: 'uuid' }),
            documentCode: Type.Optional(Type.String({ maxLength: 60 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: "The caller's uploads to attach" },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ActBody = Type.Object(
  {
    action: Type.String({
      maxLength: 40,
      pattern: '^[a-z][a-z0-9-]*$',
      description:
        'e.g. receive, refuse, forward, request-supplement, approve, return-result, withdraw, extend',
    }),
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    newDueAt: Type.Optional(Type.String({ format: 'date-time', description: 'Extensions (form 04)' })),
    expectedRevision: Type.Optional(Type.Integer({ minimum: 1 })),
    uploads: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20 })),
    payment: Type.Optional(
      Type.Object(
        {
          amount: Type.Integer({ minimum: 0, maximum: 1e12, description: 'Integer đồng' }),
          items: Type.String({ minLength: 1, maxLength: 1000, description: 'What it is for' }),
        },
        {
          additionalProperties: false,
          description:
            'request-payment: the amount and what it is for (default: what the procedure’s fee lines come to)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const When = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DossierSchema = Type.Object({
  code: Type.String(),
  procedure: Type.Object({ code: Type.String(), version: Type.Integer(), name: Type.String() }),
  process: Type.Object({ id: Type.String(), version: Type.Integer() }),
  state: Type.String(),
  stateLabel: Type.Object({ vi: Type.String(), en: Type.String() }),
  status: Type.Integer({ minimum: 1, maximum: 10, description: 'TrangThaiHoSo' }),
  statusName: Type.Object({ vi: Type.String(), en: Type.String() }),
  outcome: Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Null()]),
  channel: Type.String(),
  applicant: Type.Object({ accountId: Type.String(), kind: Type.String(), name: Type.String() }),
  summary: Nullable(Type.String()),
  caseName: Nullable(Type.String({ description: 'The case (TRUONGHOP) filed under' })),
  receivingAgencyCode: Type.String(),
  competentAgencyCode: Type.String(),
  submittedAt: When,
  receivedAt: Nullable(When),
  dueAt: When,
  originalDueAt: When,
  pausedSince: Nullable(When),
  finishedAt: Nullable(When),
  returnedAt: Nullable(When),
  deadline: Type.Object({ finished: Type.Boolean(), flag: Type.String() }, { additionalProperties: true }),
  formData: Type.Record(Type.String(), Type.Unknown()),
  revision: Type.Integer(),
  allowedActions: Type.Array(Type.String()),
  history: Type.Array(
    Type.Object({
      at: When,
      action: Type.String(),
      status: Type.Integer(),
      actor: Type.Object({
        kind: Type.String(),
        name: Type.String(),
        title: Nullable(Type.String()),
        department: Nullable(Type.String()),
      }),
      content: Type.String(),
      stepStartedAt: When,
      stepDueAt: Nullable(When),
      form: Nullable(Type.String()),
    }),
    { description: 'Processing history (CapNhatTienDoHoSoMC rows)' },
  ),
  attachments: Type.Array(
    Type.Object({
      id: Type.String(),
      documentCode: Nullable(Type.String()),
      purpose: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
      sha256: Type.String(),
      reuse: Type.Optional(ReuseSchema),
    }),
  ),
});

export const ListItemSchema = Type.Object({
  code: Type.String(),
  procedureName: Type.String(),
  applicantName: Type.String(),
  state: Type.String(),
  status: Type.Integer(),
  submittedAt: When,
  dueAt: When,
  finishedAt: Nullable(When),
  receivingAgencyCode: Type.String(),
  competentAgencyCode: Type.String(),
  escalationLevel: Type.Optional(
    Type.Integer({
      description:
        "Officers' inbox: the highest level at which the overdue dossier was reported to the competent agency's leaders (0: not reported)",
    }),
  ),
});

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Type.String({ format: 'date-time', description: 'Submitted before (next page)' })),
});

export const InboxQuery = Type.Object({
  tab: Type.Optional(
    Type.Union(
      ['new', 'mine', 'due-soon', 'overdue', 'escalated', 'open', 'all'].map((t) => Type.Literal(t)),
      { default: 'open' },
    ),
  ),
  agency: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const ListSchema = Type.Object({ items: Type.Array(ListItemSchema) });

export const UploadQuery = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name' }),
  documentCode: Type.Optional(Type.String({ maxLength: 60, pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,59}$' })),
});

export const UploadSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fileName: Type.String(),
  mediaType: Type.String({ description: 'Found by content' }),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
});

// ——— dossiers synced from agencies' systems, as their applicant sees them ———

const SyncedWhen = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const SyncedDossierSummarySchema = Type.Object({
  code: Type.String({ description: 'MaHoSo' }),
  procedureCode: Type.String({ description: 'MaTTHC' }),
  procedureName: Type.Union([Type.String(), Type.Null()]),
  agencyCode: Type.String(),
  agencyName: Type.Union([Type.String(), Type.Null()]),
  status: Type.Integer({ minimum: 1, maximum: 10, description: 'TrangThaiHoSo' }),
  statusName: Type.String(),
  statusAt: Type.String({ format: 'date-time' }),
  submittedAt: SyncedWhen,
  receivedAt: SyncedWhen,
  dueAt: SyncedWhen,
  source: Type.Object(
    { clientId: Type.String(), name: Type.Union([Type.String(), Type.Null()]) },
    { description: 'The agency system the dossier was synced from' },
  ),
});

export const SyncedDossierDetailSchema = Type.Object({
  ...SyncedDossierSummarySchema.properties,
  channel: Type.Integer({ description: 'KenhThucHien: 1 in person, 2 online, 3 post; 0 not sent' }),
  finishedAt: SyncedWhen,
  returnedAt: SyncedWhen,
  history: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      status: Type.Integer(),
      statusName: Type.String(),
      content: Type.Union([Type.String(), Type.Null()]),
      department: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const MineSchema = Type.Object({
  items: Type.Array(ListItemSchema, { description: 'Dossiers filed on the portal' }),
  synced: Type.Array(SyncedDossierSummarySchema, {
    description:
      'Citizens: dossiers filed at an agency and synced from its system, matched by the personal ID number (first page only, up to 100)',
  }),
});

export const SyncedCodeParams = Type.Object({ code: Type.String({ maxLength: 60 }) });
