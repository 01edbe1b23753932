/**
 * The content of a procedure version, following what the national portal exchanges (`LayThuTuc`):
 * name, sectors, implementing agencies and levels, audiences, online level (toàn trình / một phần, and
 * the legacy levels 1–4), channels each with processing times and fee lines, documents per case with
 * templates, the e-form, results, legal basis, steps, conditions, pay before or after, and whether the
 * 15:00 rule applies. One TypeBox schema checks the shape (and documents the API); `contentProblems`
 * checks what a shape cannot say (formulas, file slots, duplicate codes).
 */
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { documentsOf } from '../../../platform/kernel/index.ts';
import { formulaProblems } from './fees.ts';
import { type FormSchema, formProblems, type Problem } from './form-schema.ts';

const Str = (max: number, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: 1, maxLength: max, ...extra });
const Money = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'Integer đồng' });

export const LabelSchema = Type.Object(
  { vi: Str(300), en: Type.Optional(Type.String({ maxLength: 300 })) },
  { additionalProperties: false },
);

export const FeeFormulaSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('free') }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('fixed'), amount: Money }, { additionalProperties: false }),
    Type.Object(
      { type: Type.Literal('per-unit'), amount: Money, unit: Str(40) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('tiered'),
        unit: Str(40),
        item: Str(40),
        tiers: Type.Array(
          Type.Object(
            { from: Type.Integer({ minimum: 1, maximum: 100_000 }), rate: Money },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 20 },
        ),
        capPerItem: Type.Union([Money, Type.Null()]),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('percent'),
        basisPoints: Type.Integer({ minimum: 0, maximum: 10_000, description: '2200 = 22%' }),
        base: Str(100),
        minBase: Type.Union([Money, Type.Null()]),
        maxBase: Type.Union([Money, Type.Null()]),
      },
      { additionalProperties: false },
    ),
    Type.Object({ type: Type.Literal('as-decided'), description: Str(300) }, { additionalProperties: false }),
  ],
  { description: 'free, fixed, per-unit, tiered (pages with a cap per copy), percent, as-decided' },
);

export const FeeLineSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('phi'), Type.Literal('le-phi')], { description: 'phí or lệ phí' }),
    name: Str(300),
    formula: FeeFormulaSchema,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const TIME_UNITS = ['working-day', 'day', 'working-hour', 'hour', 'month'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const ProcessingTimeSchema = Type.Object(
  {
    amount: Type.Number({ exclusiveMinimum: 0, maximum: 3650 }),
    unit: Type.Union([
      Type.Literal('working-day'),
      Type.Literal('day'),
      Type.Literal('working-hour'),
      Type.Literal('hour'),
      Type.Literal('month'),
    ]),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    fees: Type.Array(FeeLineSchema, { maxItems: 20 }),
  },
  { additionalProperties: false },
);

export const ChannelSchema = Type.Object(
  {
    channel: Type.Union([Type.Literal('in-person'), Type.Literal('online'), Type.Literal('postal')], {
      description: 'KenhThucHien: in-person (1), online (2), postal (3)',
    }),
    times: Type.Array(ProcessingTimeSchema, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);

const DOC_CODE = '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$';
const URL_PATTERN = '^(https?://|/)[^\\s]{1,500}$';

export const DocumentSchema = Type.Object(
  {
    code: Type.String({ pattern: DOC_CODE, description: 'MAGIAYTO, unique within the procedure' }),
    name: Str(500),
    originals: Type.Integer({ minimum: 0, maximum: 20 }),
    copies: Type.Integer({ minimum: 0, maximum: 20 }),
    required: Type.Boolean(),
    template: Type.Optional(
      Type.Object(
        { name: Str(200), url: Type.Optional(Type.String({ pattern: URL_PATTERN, maxLength: 500 })) },
        { additionalProperties: false },
      ),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const CaseSchema = Type.Object(
  {
    name: Str(500, { description: 'TRUONGHOP' }),
    documents: Type.Array(DocumentSchema, { maxItems: 60 }),
  },
  { additionalProperties: false },
);

const fieldBase = {
  key: Type.String({ maxLength: 40 }),
  label: LabelSchema,
  required: Type.Boolean(),
  hint: Type.Optional(LabelSchema),
};
const TextField = Type.Object(
  {
    type: Type.Literal('text'),
    ...fieldBase,
    maxLength: Type.Integer({ minimum: 1, maximum: 10_000 }),
    multiline: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const NumberField = Type.Object(
  {
    type: Type.Literal('number'),
    ...fieldBase,
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    integer: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const DateField = Type.Object(
  { type: Type.Literal('date'), ...fieldBase, notAfterToday: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const ChoiceField = Type.Object(
  {
    type: Type.Literal('choice'),
    ...fieldBase,
    options: Type.Array(
      Type.Object({ value: Str(60), label: LabelSchema }, { additionalProperties: false }),
      { maxItems: 300 },
    ),
    multiple: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const IdNumberField = Type.Object(
  { type: Type.Literal('id-number'), ...fieldBase },
  {
    additionalProperties: false,
    description: '12-digit personal identification number (or the old 9-digit card)',
  },
);
const AddressField = Type.Object(
  {
    type: Type.Literal('address'),
    ...fieldBase,
    level: Type.Union([Type.Literal('province'), Type.Literal('commune')], {
      description: 'Picked from the administrative units down to this level, plus a street address',
    }),
  },
  { additionalProperties: false },
);
const group = <T extends TSchema>(fields: T) =>
  Type.Object(
    {
      type: Type.Literal('group'),
      ...fieldBase,
      repeatable: Type.Boolean(),
      min: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
      max: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      fields: Type.Array(fields, { maxItems: 100 }),
    },
    { additionalProperties: false },
  );
const Level3 = Type.Union([TextField, NumberField, DateField, ChoiceField, IdNumberField, AddressField]);
const Level2 = Type.Union([
  TextField,
  NumberField,
  DateField,
  ChoiceField,
  IdNumberField,
  AddressField,
  group(Level3),
]);
const FileSlot = Type.Object(
  {
    type: Type.Literal('file'),
    ...fieldBase,
    documentCode: Type.String({ pattern: DOC_CODE }),
    accept: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 })),
    maxSizeMb: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false, description: 'One upload slot for one document of the procedure' },
);
export const FormFieldSchema = Type.Union([
  TextField,
  NumberField,
  DateField,
  ChoiceField,
  IdNumberField,
  AddressField,
  group(Level2),
  FileSlot,
]);

export const FormSchemaSchema = Type.Object(
  { fields: Type.Array(FormFieldSchema, { maxItems: 200 }) },
  { additionalProperties: false, description: 'The e-form: fields, groups (up to three levels), file slots' },
);

export const LEVELS = ['central', 'province', 'commune'] as const;
export type Level = (typeof LEVELS)[number];
export const AUDIENCES = ['citizen', 'business', 'organisation', 'state-agency'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const;
export const LevelSchema = Type.Union([
  Type.Literal('central'),
  Type.Literal('province'),
  Type.Literal('commune'),
]);
export const AudienceSchema = Type.Union([
  Type.Literal('citizen'),
  Type.Literal('business'),
  Type.Literal('organisation'),
  Type.Literal('state-agency'),
]);
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];

export const ProcedureContentSchema = Type.Object(
  {
    name: Str(500),
    nameEn: Type.Optional(Type.String({ maxLength: 500 })),
    summary: Type.Optional(Type.String({ maxLength: 2000 })),
    sectorCodes: Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' }), {
      minItems: 1,
      maxItems: 5,
    }),
    levels: Type.Array(
      Type.Union([Type.Literal('central'), Type.Literal('province'), Type.Literal('commune')]),
      { minItems: 1, maxItems: 3 },
    ),
    implementingAgencies: Type.Array(
      Type.Object(
        {
          name: Str(300),
          agencyCode: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,39}$' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20, description: 'COQUANTHUCHIEN' },
    ),
    audiences: Type.Array(
      Type.Union([
        Type.Literal('citizen'),
        Type.Literal('business'),
        Type.Literal('organisation'),
        Type.Literal('state-agency'),
      ]),
      {
        minItems: 1,
        maxItems: 4,
        description: 'LoaiDoiTuong: citizen (1), business (2), state-agency (3), organisation (4)',
      },
    ),
    audienceDescription: Type.Optional(Type.String({ maxLength: 2000 })),
    onlineLevel: Type.Union([Type.Literal('full'), Type.Literal('partial'), Type.Literal('none')], {
      description: 'Decree 42/2022: full (toàn trình), partial (một phần), none',
    }),
    legacyLevel: Type.Union([Type.Integer({ minimum: 1, maximum: 4 }), Type.Null()], {
      description: 'Decree 43/2011 level 1–4, when known',
    }),
    channels: Type.Array(ChannelSchema, { minItems: 1, maxItems: 3 }),
    cases: Type.Array(CaseSchema, { minItems: 1, maxItems: 30, description: 'THANHPHANHOSO per TRUONGHOP' }),
    form: FormSchemaSchema,
    results: Type.Array(
      Type.Object(
        { code: Type.Optional(Type.String({ maxLength: 40 })), name: Str(500) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    legalBasis: Type.Array(
      Type.Object(
        {
          number: Str(100, { description: 'SOVANBAN' }),
          title: Str(500, { description: 'TENVANBAN' }),
          issuedOn: Type.Optional(Type.String({ format: 'date' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    steps: Type.Array(Str(4000), { maxItems: 30 }),
    conditions: Type.Array(Str(4000), { maxItems: 30 }),
    payment: Type.Union([Type.Literal('before'), Type.Literal('after'), Type.Literal('none')], {
      description: 'Pay before processing (the clock starts at payment), after, or nothing to pay',
    }),
    after15hRule: Type.Boolean({
      description: 'Received after 15:00 → handled from the next working day (certification, civil status)',
    }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
      maxItems: 30,
      description: 'Other words citizens use for it (“sổ đỏ”, “phạt nguội”)',
    }),
    sourceNote: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Where the figures come from; what is not verified' }),
    ),
  },
  { additionalProperties: false },
);

export type ProcedureContent = Static<typeof ProcedureContentSchema>;
export type FeeLineData = Static<typeof FeeLineSchema>;

const compiled = Compile(ProcedureContentSchema);

export interface ContentContext {
  /** Sector codes that exist. */
  knownSectors: ReadonlySet<string>;
  /** Agency codes that exist (implementing agencies may also be named without a code). */
  knownAgencies: ReadonlySet<string>;
}

/** A schema error in Vietnamese (the validator speaks English). */
function vietnamese(e: { keyword: string; params: unknown; message: string }): string {
  const p = (e.params ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `Thiếu trường bắt buộc: ${([] as unknown[]).concat(p.requiredProperties ?? []).join(', ')}`;
    case 'additionalProperties':
      return `Có trường không thuộc cấu trúc: ${([] as unknown[]).concat(p.additionalProperties ?? []).join(', ')}`;
    case 'minItems':
      return `Cần ít nhất ${p.limit} mục`;
    case 'maxItems':
      return `Nhiều nhất ${p.limit} mục`;
    case 'minLength':
      return p.limit === 1 ? 'Không được để trống' : `Cần ít nhất ${p.limit} ký tự`;
    case 'maxLength':
      return `Dài quá ${p.limit} ký tự`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `Giá trị phải lớn hơn${e.keyword === 'minimum' ? ' hoặc bằng' : ''} ${p.limit}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `Giá trị phải nhỏ hơn${e.keyword === 'maximum' ? ' hoặc bằng' : ''} ${p.limit}`;
    case 'pattern':
    case 'format':
      return 'Không đúng định dạng';
    case 'type':
      return 'Sai kiểu dữ liệu';
    case 'const':
    case 'enum':
      return 'Giá trị không có trong danh sách cho phép';
    default:
      return `Không hợp lệ (${e.message})`;
  }
}

/** Shape problems (from the schema) and meaning problems; empty means the content may be saved. */
export function contentProblems(content: unknown, ctx?: ContentContext): Problem[] {
  if (!compiled.Check(content)) {
    const out: Problem[] = [];
    for (const e of compiled.Errors(content)) {
      if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
      out.push({ path: e.instancePath || '/', message: vietnamese(e) });
      if (out.length >= 20) break;
    }
    return out.length > 0 ? out : [{ path: '/', message: 'Nội dung thủ tục không đúng cấu trúc' }];
  }
  const c = content as ProcedureContent;
  const problems: Problem[] = [];

  const channels = new Set<string>();
  c.channels.forEach((ch, i) => {
    if (channels.has(ch.channel))
      problems.push({
        path: `/channels/${i}/channel`,
        message: `Cách thức "${ch.channel}" khai báo hai lần`,
      });
    channels.add(ch.channel);
    ch.times.forEach((t, j) => {
      t.fees.forEach((f, k) => {
        for (const m of formulaProblems(f.formula))
          problems.push({ path: `/channels/${i}/times/${j}/fees/${k}/formula`, message: `${f.name}: ${m}` });
      });
    });
  });
  if ((c.onlineLevel === 'full' || c.onlineLevel === 'partial') && !channels.has('online'))
    problems.push({ path: '/onlineLevel', message: 'Dịch vụ trực tuyến phải có cách thức nộp trực tuyến' });

  const names = new Map<string, string>();
  c.cases.forEach((cs, i) => {
    const inCase = new Set<string>();
    cs.documents.forEach((d, j) => {
      if (inCase.has(d.code))
        problems.push({
          path: `/cases/${i}/documents/${j}/code`,
          message: `Giấy tờ "${d.code}" lặp lại trong trường hợp "${cs.name}"`,
        });
      inCase.add(d.code);
      const other = names.get(d.code);
      if (other !== undefined && other !== d.name)
        problems.push({
          path: `/cases/${i}/documents/${j}/name`,
          message: `Mã giấy tờ "${d.code}" dùng cho hai giấy tờ khác nhau ("${other}" và "${d.name}")`,
        });
      names.set(d.code, d.name);
      if (d.originals + d.copies === 0)
        problems.push({
          path: `/cases/${i}/documents/${j}`,
          message: `Giấy tờ "${d.name}": cần ít nhất một bản`,
        });
    });
  });

  problems.push(...formProblems(c.form as FormSchema, documentsOf(c)));

  if (new Set(c.levels).size !== c.levels.length)
    problems.push({ path: '/levels', message: 'Cấp thực hiện bị lặp' });
  if (new Set(c.audiences).size !== c.audiences.length)
    problems.push({ path: '/audiences', message: 'Đối tượng thực hiện bị lặp' });
  if (
    c.payment === 'none' &&
    feeLines(c).some(
      (f) => f.formula.type !== 'free' && !(f.formula.type === 'fixed' && f.formula.amount === 0),
    )
  )
    problems.push({
      path: '/payment',
      message: 'Thủ tục có phí, lệ phí nên phải chọn thu trước hoặc thu sau',
    });

  if (ctx) {
    c.sectorCodes.forEach((s, i) => {
      if (!ctx.knownSectors.has(s))
        problems.push({ path: `/sectorCodes/${i}`, message: `Không có lĩnh vực mã "${s}"` });
    });
    c.implementingAgencies.forEach((a, i) => {
      if (a.agencyCode !== undefined && !ctx.knownAgencies.has(a.agencyCode))
        problems.push({
          path: `/implementingAgencies/${i}/agencyCode`,
          message: `Không có cơ quan mã "${a.agencyCode}"`,
        });
    });
  }
  return problems;
}

/** Every fee line of every channel. */
export function feeLines(c: Pick<ProcedureContent, 'channels'>): FeeLineData[] {
  return c.channels.flatMap((ch) => ch.times.flatMap((t) => t.fees));
}
