/** TypeBox schemas of the catalogue API (request validation, response serialisation, OpenAPI). */
import { Type } from 'typebox';
import { AudienceSchema, LevelSchema, ProcedureContentSchema } from './domain/procedure.ts';

const Code = Type.String({
  pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]{1,13}){0,6}$',
  maxLength: 40,
  description: 'Procedure code (MaTTHC)',
  examples: ['2.000815'],
});

export const ProcedureParams = Type.Object({ code: Code });

export const ProcedureQuery = Type.Object({
  version: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'An earlier published version (default: the public one)',
    }),
  ),
});

const FilterCode = (description: string) =>
  Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$', description }));

export const SearchQuerySchema = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Words, with or without diacritics, typos allowed; or a procedure code',
    }),
  ),
  sector: FilterCode('Sector code'),
  agency: FilterCode('Agency code (owner or implementing agency)'),
  province: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'Province statistical code' })),
  level: Type.Optional(LevelSchema),
  audience: Type.Optional(AudienceSchema),
  online: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('partial'), Type.Literal('none')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  facets: Type.Optional(Type.Boolean({ description: 'Count facets (default true)' })),
});

const SearchItemSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  sectors: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  agencyCodes: Type.Array(Type.String()),
  provinceCode: Type.Union([Type.String(), Type.Null()]),
  levels: Type.Array(Type.String()),
  audiences: Type.Array(Type.String()),
  onlineLevel: Type.String(),
  popularity: Type.Integer(),
  localVersions: Type.Integer({
    description:
      'Local variants with the same name folded under this national procedure (filter by province to see them)',
  }),
});

const FacetList = Type.Array(
  Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }),
);

export const SearchResultSchema = Type.Object({
  q: Type.String(),
  interpretedAs: Type.Union([Type.String(), Type.Null()], {
    description: 'The words actually searched for, when some were corrected or dropped',
  }),
  total: Type.Integer({ description: 'How many procedures match' }),
  items: Type.Array(SearchItemSchema, { description: 'Best first: name match, then popularity' }),
  facets: Type.Object({
    sector: FacetList,
    agency: FacetList,
    province: FacetList,
    level: FacetList,
    audience: FacetList,
    online: FacetList,
  }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const SuggestQuery = Type.Object({ q: Type.String({ maxLength: 200 }) });
export const SuggestResult = Type.Object({
  q: Type.String(),
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});

export const ProcedureDetailSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  state: Type.String({ description: 'published, pending-withdrawal, superseded or withdrawn' }),
  publishedAt: Type.String({ format: 'date-time' }),
  ownerAgency: Type.Object({ code: Type.String(), name: Type.String() }),
  province: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  popularity: Type.Integer(),
  sectors: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  content: ProcedureContentSchema,
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      state: Type.String(),
      publishedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  bundles: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});

export const SectorList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      nameEn: Type.Union([Type.String(), Type.Null()]),
      agencyCode: Type.Union([Type.String(), Type.Null()]),
      procedures: Type.Integer(),
    }),
  ),
});

export const BundleParams = Type.Object({ code: Type.String({ pattern: '^LT-[A-Z0-9-]{1,37}$' }) });

export const BundleList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      nameEn: Type.Union([Type.String(), Type.Null()]),
      description: Type.String(),
      members: Type.Array(Type.String()),
    }),
  ),
});

export const BundleDetail = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  descriptionEn: Type.Union([Type.String(), Type.Null()]),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  members: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      published: Type.Boolean(),
    }),
  ),
});

export const ExportQuery = Type.Object({
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' }),
  sector: FilterCode('Only this sector'),
  agency: Type.Optional(
    Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,39}$', description: 'Only procedures this agency announces' }),
  ),
  province: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'Only this province' })),
});

/** An XLSX is built in memory: larger exports are CSV (streamed) or filtered. */
export const XLSX_MAX_ROWS = 20_000;

export const SystemImportBody = Type.Object({
  agency: Type.String({
    pattern: '^[A-Z][A-Z0-9-]{1,39}$',
    description: 'The agency that announces the procedures',
  }),
  procedures: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    minItems: 1,
    maxItems: 500,
    description: 'Procedures in the LayThuTuc shape (MATTHC, TENTTHC, LINHVUCTHUCHIEN, CACHTHUCTHUCHIEN, …)',
  }),
});

export const ImportReport = Type.Object({
  items: Type.Array(
    Type.Object({
      index: Type.Integer(),
      code: Type.String(),
      ok: Type.Boolean(),
      version: Type.Optional(Type.Integer({ description: 'The draft version written' })),
      messages: Type.Array(Type.String(), { description: 'What was guessed, or why it was refused' }),
    }),
  ),
});
