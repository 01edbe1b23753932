/**
 * Hostile values for the fuzz tests: text with U+0000, unpaired surrogates, decomposed Vietnamese,
 * control characters, SQL and HTML fragments; JSON with unsafe numbers, `__proto__` keys and nesting
 * around the edge's depth limit. And valid values drawn from a JSON Schema (the OpenAPI document's),
 * with hostile ones mixed in.
 */
import fc from 'fast-check';

const FRAGMENTS = [
  '\u0000',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  'Nguye\u0302\u0303n',
  'Nguyễn',
  "'; drop table x; --",
  '<script>alert(1)</script>',
  '%00',
  '../../etc/passwd',
  '\u202e',
  '\ufeff',
  '1e23',
  '9007199254740993',
  '-0',
  'NaN',
  '000.00.00.H26-250701-0001',
  '001088012345',
  '0106789017',
];

/** One of the hostile fragments alone (`\u0000`, a lone surrogate, a dossier code…). */
export const hostileToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a\u0000b') },
  { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
);

export function hostileString(maxLength = 60): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc
      .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 6 })
      .map((a) => a.join('')),
  );
}

const unsafeNumber = fc.oneof(
  fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1e23, -1e300, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON values with hostile text, unsafe numbers and `__proto__` keys, nested up to `maxDepth`. */
export function hostileJson(maxDepth = 5): fc.Arbitrary<unknown> {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth },
      hostileString(),
      fc.integer(),
      unsafeNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(hostileString(12), fc.constant('__proto__'), fc.constant('MaHoSo')),
        tie('value'),
        {
          maxKeys: 4,
        },
      ),
    ),
  }));
  return value;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  [key: string]: unknown;
}

/** A value that fits `schema` (as far as this reader goes), `hostile` of the time one that may not. */
export function fromSchema(
  schema: JsonSchema | undefined,
  resolve: (ref: string) => JsonSchema | undefined,
  depth = 0,
): fc.Arbitrary<unknown> {
  const valid = validFor(schema, resolve, depth);
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostileJson(3) });
}

function validFor(
  schema: JsonSchema | undefined,
  resolve: (ref: string) => JsonSchema | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return hostileJson(2);
  if (schema.$ref) return validFor(resolve(schema.$ref), resolve, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((s) => validFor(s, resolve, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return validFor(schema.allOf[0], resolve, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date')
        return fc
          .date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2100-01-01') })
          .map((d) => d.toISOString().slice(0, 10));
      if (schema.pattern) {
        try {
          return fc
            .stringMatching(new RegExp(schema.pattern))
            .filter((s) => s.length <= (schema.maxLength ?? 400));
        } catch {
          return hostileString(schema.maxLength ?? 60);
        }
      }
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 60, 200),
      });
    }
    case 'integer':
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.integer({
            min: Math.max(schema.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
            max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER),
          }),
        },
        { weight: 1, arbitrary: fc.constantFrom(2 ** 53, 2 ** 53 + 2, 1e23, -(2 ** 60)) },
      );
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validFor(schema.items, resolve, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) record[k] = validFor(s, resolve, depth + 1);
      const keys = Object.keys(record);
      return fc.record(record, { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    default:
      return hostileJson(2);
  }
}
