/** TypeBox schemas of the sync API and the DVCQG adapter (validation, serialisation, OpenAPI). */
import { Type } from 'typebox';

const Record_ = Type.Unknown({
  description:
    'An object in the national portal’s field names; checked item by item (a bad item is rejected alone)',
});

export const SyncBatch = Type.Object(
  {
    dossiers: Type.Optional(
      Type.Array(Record_, {
        maxItems: 1000,
        description:
          'DongBoHoSoMC records: MaHoSo, MaTTHC, TenTTHC, MaLinhVuc, ChuHoSo, SoGiayToChuHoSo, LoaiDoiTuong, TrangThaiHoSo, KenhThucHien, NgayNopHoSo, NgayTiepNhan, NgayHenTra, NgayKetThucXuLy, NgayTra, NgayTuChoi (yyyyMMddHHmmss, Vietnam time), the lists…; optional `sequence` (integer) orders records of the same moment',
      }),
    ),
    history: Type.Optional(
      Type.Array(Record_, {
        maxItems: 1000,
        description:
          'CapNhatTienDoHoSoMC rows: MaHoSo, NguoiXuLy, ChucDanh, ThoiDiemXuLy, PhongBanXuLy, NoiDungXuLy, TrangThai, NgayBatDau, NgayKetThucTheoQuyDinh; optional `sequence` (integer) and `eventId` (the sender’s id of the event, ≤ 100 characters; without it the row’s content is its identity)',
      }),
    ),
  },
  { additionalProperties: false, description: 'Up to 1,000 items in all' },
);

const ItemResultSchema = Type.Object({
  index: Type.Integer({ description: 'Position of the item in its list' }),
  code: Type.Union([Type.String(), Type.Null()], { description: 'MaHoSo as sent' }),
  result: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  pending: Type.Optional(Type.Boolean({ description: 'History row kept until its dossier is synced' })),
  exists: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String({ description: 'Why the item was rejected (Vietnamese)' })),
  field: Type.Optional(
    Type.String({
      description:
        'The field that made the item unusable (text with U+0000 or an unpaired surrogate, nesting deeper than 64, a number beyond the safe integer range)',
    }),
  ),
});

export const SyncBatchResult = Type.Object({
  dossiers: Type.Array(ItemResultSchema),
  history: Type.Array(ItemResultSchema),
  summary: Type.Object({
    accepted: Type.Integer(),
    duplicate: Type.Integer(),
    rejected: Type.Integer(),
    pending: Type.Integer({ description: 'History rows of this batch waiting for their dossier' }),
    applied: Type.Integer({ description: 'Waiting history rows applied because their dossier arrived' }),
  }),
});

export const CodeParams = Type.Object({
  code: Type.String({ maxLength: 60, description: 'MaHoSo', examples: ['000.00.00.H26-250701-0001'] }),
});

const HistoryRow = Type.Object({
  ThoiDiemXuLy: Type.String({ description: 'yyyyMMddHHmmss, Vietnam time' }),
  TrangThai: Type.Integer(),
  TenTrangThai: Type.String(),
  NguoiXuLy: Type.Union([Type.String(), Type.Null()]),
  ChucDanh: Type.Union([Type.String(), Type.Null()]),
  PhongBanXuLy: Type.Union([Type.String(), Type.Null()]),
  NoiDungXuLy: Type.Union([Type.String(), Type.Null()]),
});

export const SyncedDossierSchema = Type.Object({
  MaHoSo: Type.String(),
  MaTTHC: Type.String(),
  TenTTHC: Type.Union([Type.String(), Type.Null()]),
  agencyCode: Type.String(),
  agencyName: Type.Union([Type.String(), Type.Null()]),
  TrangThaiHoSo: Type.Integer(),
  TenTrangThaiHoSo: Type.String(),
  KenhThucHien: Type.Integer({ description: '1 in person, 2 online, 3 post, 0 not sent' }),
  NgayNopHoSo: Type.Union([Type.String(), Type.Null()]),
  NgayTiepNhan: Type.Union([Type.String(), Type.Null()]),
  NgayHenTra: Type.Union([Type.String(), Type.Null()]),
  NgayKetThucXuLy: Type.Union([Type.String(), Type.Null()]),
  NgayTra: Type.Union([Type.String(), Type.Null()]),
  history: Type.Array(HistoryRow),
});

export const LookupQuery = Type.Object({
  last4: Type.String({
    pattern: '^[0-9A-Za-z]{4}$',
    description: 'The last 4 characters of the applicant’s ID number (số giấy tờ của chủ hồ sơ)',
  }),
});

export const AdapterAnswerSchema = Type.Object(
  {
    error_code: Type.Integer({ description: '0 success; see docs/sync.md for the others' }),
    message: Type.String(),
  },
  { additionalProperties: true },
);

export const AdapterBody = Type.Unknown({
  description:
    'auth: {username (client_id), password (client secret)}; service: {session, madonvi, service, …} — checked by the adapter, which answers in its own protocol',
});

// ——— monitoring (officers) and reported figures ———

const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const NullableInt = Type.Union([Type.Number(), Type.Null()]);

export const MonitoringQuery = Type.Object(
  {
    agency: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$' })),
    from: Type.Optional(DateText),
    to: Type.Optional(DateText),
    rejections: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const Indicator = Type.Object(
  {
    numerator: Type.Number({ description: 'Dossiers synced with a receiving date in the period' }),
    denominator: Type.Number({ description: 'max(reported, received)' }),
    basis: Type.Union([Type.Literal('reported'), Type.Literal('received'), Type.Literal('none')]),
    rate: Type.Union([Type.Number(), Type.Null()], { description: 'numerator ÷ denominator' }),
    score: Type.Union([Type.Number(), Type.Null()], { description: 'The rate capped at 1' }),
  },
  { additionalProperties: true, description: 'Indicator 1.4 of Decision 766 (sync rate)' },
);

const Counts = {
  accepted: Type.Number(),
  duplicate: Type.Number(),
  rejected: Type.Number(),
  pending: Type.Number(),
  lagMaxMs: NullableInt,
  lagP95Ms: NullableInt,
  lagMeanMs: NullableInt,
};

export const MonitoringOverviewSchema = Type.Object({
  period: Type.Object({ from: DateText, to: DateText }),
  agencies: Type.Array(
    Type.Object({
      agencyCode: Type.String(),
      agencyName: Type.Union([Type.String(), Type.Null()]),
      lastSyncAt: NullableInstant,
      lastClientId: Type.Union([Type.String(), Type.Null()]),
      lagP95Ms: NullableInt,
      last24h: Type.Object({
        accepted: Type.Number(),
        duplicate: Type.Number(),
        rejected: Type.Number(),
        pending: Type.Number(),
        itemsPerHour: Type.Number(),
        rejectedShare: Type.Union([Type.Number(), Type.Null()]),
        lagMaxMs: NullableInt,
      }),
      rejectedTotal: Type.Number(),
      indicator: Indicator,
    }),
  ),
});

export const MonitoringDetailSchema = Type.Object({
  agencyCode: Type.String(),
  agencyName: Type.String(),
  agenciesBelow: Type.Number(),
  period: Type.Object({ from: DateText, to: DateText }),
  lastSyncAt: NullableInstant,
  clients: Type.Array(
    Type.Object({
      clientId: Type.String(),
      clientName: Type.String(),
      lastSyncAt: Instant,
      lagP95Ms: NullableInt,
      last90Days: Type.Object({
        accepted: Type.Number(),
        duplicate: Type.Number(),
        rejected: Type.Number(),
        pending: Type.Number(),
      }),
    }),
  ),
  agencies: Type.Array(
    Type.Object({
      agencyCode: Type.String(),
      agencyName: Type.String(),
      firstSyncAt: Instant,
      lastSyncAt: Instant,
      lastClientId: Type.String(),
      lagP95Ms: NullableInt,
      rejectedTotal: Type.Number(),
    }),
  ),
  hours: Type.Array(Type.Object({ hour: Instant, ...Counts })),
  days: Type.Array(Type.Object({ day: DateText, ...Counts })),
  rejections: Type.Array(
    Type.Object({
      at: Instant,
      agencyCode: Type.String(),
      clientId: Type.String(),
      clientName: Type.String(),
      list: Type.Union([Type.Literal('dossiers'), Type.Literal('history')]),
      index: Type.Integer(),
      code: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
    }),
  ),
  indicator: Type.Object({
    period: Type.Object({ from: DateText, to: DateText }),
    numerator: Type.Number(),
    denominator: Type.Number(),
    basis: Type.Union([Type.Literal('reported'), Type.Literal('received'), Type.Literal('none')]),
    rate: Type.Union([Type.Number(), Type.Null()]),
    score: Type.Union([Type.Number(), Type.Null()]),
    synced: Type.Number({ description: 'Dossiers synced with a receiving date in the period (numerator)' }),
    reported: Type.Union([Type.Number(), Type.Null()], {
      description: 'What the agency reported for the period (null: no report inside the period)',
    }),
    received: Type.Number({
      description: 'Dossiers filed on this portal that the agency received in the period',
    }),
    reportedCoverage: Type.Object({ days: Type.Number(), of: Type.Number() }),
    reports: Type.Array(
      Type.Object({
        from: DateText,
        to: DateText,
        dossiers: Type.Number(),
        source: Type.Union([Type.Literal('officer'), Type.Literal('system')]),
        reporterName: Type.String(),
        reportedAt: Instant,
        note: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
});

export const ReportedCountBody = Type.Object(
  {
    agencyCode: Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$' }),
    from: DateText,
    to: DateText,
    dossiers: Type.Integer({ minimum: 0, maximum: 10_000_000_000 }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ReportedCountSchema = Type.Object({
  agencyCode: Type.String(),
  from: DateText,
  to: DateText,
  dossiers: Type.Number(),
});
