/** TypeBox schemas of the agencies API (request validation, response serialisation, OpenAPI). */
import { Type } from 'typebox';

const NullableString = (description?: string) =>
  Type.Union([Type.String(), Type.Null()], description ? { description } : {});
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const NullableDate = (description: string) => Type.Union([IsoDate, Type.Null()], { description });

export const Level = Type.Union(
  [Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')],
  {
    description: 'province; district (until 30 June 2025); commune',
  },
);

/** Free text typed by a person: bounded, no control characters (a NUL is refused by PostgreSQL). */
const SearchText = (maxLength: number, description?: string) =>
  Type.String({
    maxLength,
    pattern: '^[^\\u0000-\\u001f\\u007f]*$',
    ...(description ? { description } : {}),
  });

export const AdminUnitSchema = Type.Object(
  {
    code: Type.String({
      description: 'Statistical code: 2 digits (province), 3 (district) or 5 (commune)',
      examples: ['08', '00004'],
    }),
    level: Level,
    name: Type.String({
      description: 'A province without its kind prefix; a district or commune in full',
      examples: ['Tuyên Quang', 'Phường Ba Đình'],
    }),
    nameEn: NullableString(),
    kind: Type.String({
      description:
        'province: city, province; district: urban-district, district, town, city; commune: ward, commune, township, special-zone',
    }),
    region: NullableString(),
    parent: NullableString("The unit directly above: a province, or until 30 June 2025 a commune's district"),
    province: Type.String({ description: 'The province the unit lies in (a province: its own code)' }),
    parentCode: NullableString('Same as parent (kept for compatibility)'),
    validFrom: NullableDate('First day of this version (null: since before the records)'),
    validTo: NullableDate('Last day of this version (null: still valid)'),
    legalBasis: NullableString(),
    note: NullableString(),
  },
  {},
);

const Change = Type.Object({ change: Type.String({ description: 'merge, rename, split or reclassify' }) });

export const AdminUnitDetailSchema = Type.Intersect([
  AdminUnitSchema,
  Type.Object({
    date: IsoDate,
    versions: Type.Array(AdminUnitSchema, { description: 'Every version of this code, oldest first' }),
    formedFrom: Type.Array(Type.Intersect([AdminUnitSchema, Change]), {
      description: 'Which units formed this one',
    }),
    became: Type.Array(Type.Intersect([AdminUnitSchema, Change]), {
      description: 'What this version became',
    }),
    nowPartOf: Type.Array(AdminUnitSchema, { description: 'The units valid today that cover this one' }),
    parentUnit: Type.Union([AdminUnitSchema, Type.Null()], {
      description: 'The unit directly above, on the date (or the last day of this version)',
    }),
    provinceUnit: Type.Union([AdminUnitSchema, Type.Null()], {
      description: 'The province the unit lies in, on the same date (null for a province)',
    }),
  }),
]);

export const ADMIN_UNIT_LIMIT_DEFAULT = 1000;

export const AdminUnitListQuery = Type.Object({
  date: Type.Optional(Type.String({ description: 'YYYY-MM-DD (default: today in Vietnam)', maxLength: 10 })),
  level: Type.Optional(Level),
  province: Type.Optional(
    Type.String({
      pattern: '^[0-9]{2}$',
      description: 'Units in this province (before July 2025, communes through their district)',
    }),
  ),
  parent: Type.Optional(
    Type.String({
      pattern: '^[0-9]{2}([0-9])?$',
      description: 'Units directly under this province or district',
    }),
  ),
  q: Type.Optional(
    SearchText(
      100,
      'Words of the name, with or without diacritics, all of which must appear; or the exact code',
    ),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 20_000,
      default: ADMIN_UNIT_LIMIT_DEFAULT,
      description: 'At most this many items (total counts them all)',
    }),
  ),
});

export const AdminUnitList = Type.Object({
  date: IsoDate,
  total: Type.Integer({ description: 'How many units match, before the limit' }),
  items: Type.Array(AdminUnitSchema, {
    description: 'Provinces, then districts, then communes, each by code',
  }),
});

export const UnitParams = Type.Object({
  code: Type.String({ pattern: '^([0-9]{2,3}|[0-9]{5})$', description: '2, 3 or 5 digits' }),
});
export const DateQuery = Type.Object({
  date: Type.Optional(Type.String({ description: 'YYYY-MM-DD (default: today in Vietnam)', maxLength: 10 })),
  level: Type.Optional(Level),
});

const AgencyFields = {
  code: Type.String({ description: 'Portal code of the agency', examples: ['BTC', 'UBND-01'] }),
  shortName: NullableString(),
  name: Type.String({ examples: ['Bộ Tài chính'] }),
  nameEn: NullableString(),
  kind: Type.String({
    description:
      'government, ministry, ministerial-level, government-agency, people-committee, one-stop-centre, department, other',
  }),
  level: Type.Union([Type.Literal('central'), Type.Literal('province'), Type.Literal('commune')]),
  parentCode: NullableString(),
  adminUnitCode: NullableString(),
  validFrom: NullableDate('First day of this version'),
  validTo: NullableDate('Last day of this version'),
  note: NullableString(),
};

export const AgencySchema = Type.Object(AgencyFields);
export const AgencyListItem = Type.Object({
  ...AgencyFields,
  identifiers: Type.Array(Type.String(), {
    description: 'Identifier codes valid on the date (Decision 20/2020/QĐ-TTg)',
  }),
});

export const AgencyListQuery = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD (default: today in Vietnam)' })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  level: Type.Optional(
    Type.Union([Type.Literal('central'), Type.Literal('province'), Type.Literal('commune')]),
  ),
  parent: Type.Optional(Type.String({ maxLength: 40 })),
  adminUnit: Type.Optional(Type.String({ pattern: '^[0-9]{2}([0-9]{3})?$' })),
  q: Type.Optional(SearchText(100)),
});

export const AgencyList = Type.Object({ date: IsoDate, items: Type.Array(AgencyListItem) });

export const OfficeHoursSchema = Type.Object({
  sessions: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  weekdays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }))),
});

export const AgencyDetailSchema = Type.Object({
  ...AgencyFields,
  date: IsoDate,
  identifiers: Type.Array(
    Type.Object({
      identifier: Type.String(),
      validFrom: NullableDate('From'),
      validTo: NullableDate('To'),
      verified: Type.Boolean({ description: 'Checked against a published source' }),
      source: NullableString(),
    }),
  ),
  parent: Type.Union([AgencySchema, Type.Null()]),
  adminUnit: Type.Union([
    Type.Object({ code: Type.String(), name: Type.String(), nameEn: NullableString(), kind: Type.String() }),
    Type.Null(),
  ]),
  children: Type.Array(AgencySchema),
  versions: Type.Array(AgencySchema),
  predecessors: Type.Array(AgencySchema),
  successors: Type.Array(AgencySchema),
  officeHours: OfficeHoursSchema,
});

export const AgencyParams = Type.Object({
  code: Type.String({
    minLength: 2,
    maxLength: 40,
    pattern: '^[A-Za-z0-9.-]+$',
    description: 'Portal code or identifier code',
  }),
});
