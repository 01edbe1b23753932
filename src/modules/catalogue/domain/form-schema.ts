/**
 * The e-form of a procedure (tờ khai điện tử): a tree of fields the applicant fills in when filing
 * online. Field kinds: text, number, date, choice, ID number (12-digit personal identification number
 * or the old 9-digit card), address picked from administrative units, repeatable groups, and file slots
 * — one per required document of the procedure.
 *
 * `formProblems` checks a schema at save: keys, bounds, options, nesting, and that every required
 * document has exactly one file slot and no slot points at an unknown document.
 */
import type { DocumentRef } from '../../../platform/kernel/index.ts';

export interface Label {
  vi: string;
  en?: string | undefined;
}

interface Base {
  key: string;
  label: Label;
  required: boolean;
  hint?: Label | undefined;
}

export type FormField =
  | (Base & { type: 'text'; maxLength: number; multiline?: boolean | undefined })
  | (Base & {
      type: 'number';
      min?: number | undefined;
      max?: number | undefined;
      integer?: boolean | undefined;
    })
  | (Base & { type: 'date'; notAfterToday?: boolean | undefined })
  | (Base & {
      type: 'choice';
      options: Array<{ value: string; label: Label }>;
      multiple?: boolean | undefined;
    })
  | (Base & { type: 'id-number' })
  | (Base & { type: 'address'; level: 'province' | 'commune' })
  | (Base & {
      type: 'group';
      repeatable: boolean;
      min?: number | undefined;
      max?: number | undefined;
      fields: FormField[];
    })
  | (Base & {
      type: 'file';
      documentCode: string;
      accept?: string[] | undefined;
      maxSizeMb?: number | undefined;
    });

export type FormFieldType = FormField['type'];

export const FIELD_TYPES: readonly FormFieldType[] = [
  'text',
  'number',
  'date',
  'choice',
  'id-number',
  'address',
  'group',
  'file',
];

export interface FormSchema {
  fields: FormField[];
}

export interface Problem {
  path: string;
  message: string;
}

const KEY = /^[a-z][a-zA-Z0-9_]{0,39}$/;
const MAX_DEPTH = 3;
const MAX_FIELDS = 300;

/** Every problem of a form schema, given the procedure's documents (deduplicated by code). */
export function formProblems(form: FormSchema, documents: readonly DocumentRef[]): Problem[] {
  const problems: Problem[] = [];
  const slots = new Map<string, string[]>();
  let total = 0;

  const walk = (fields: readonly FormField[], path: string, depth: number) => {
    const keys = new Set<string>();
    fields.forEach((f, i) => {
      const at = `${path}/${i}`;
      total++;
      if (!KEY.test(f.key))
        problems.push({
          path: `${at}/key`,
          message: `Mã trường "${f.key}" không hợp lệ: bắt đầu bằng chữ thường, chỉ gồm chữ, số, gạch dưới, tối đa 40 ký tự`,
        });
      if (keys.has(f.key))
        problems.push({ path: `${at}/key`, message: `Mã trường "${f.key}" bị trùng trong cùng một nhóm` });
      keys.add(f.key);
      if (f.label.vi.trim() === '')
        problems.push({ path: `${at}/label`, message: `Trường "${f.key}" chưa có nhãn tiếng Việt` });
      switch (f.type) {
        case 'text':
          if (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > 10_000)
            problems.push({
              path: `${at}/maxLength`,
              message: `Trường "${f.key}": độ dài tối đa phải từ 1 đến 10.000`,
            });
          break;
        case 'number':
          if (f.min !== undefined && f.max !== undefined && f.min > f.max)
            problems.push({
              path: `${at}/min`,
              message: `Trường "${f.key}": giá trị nhỏ nhất lớn hơn giá trị lớn nhất`,
            });
          break;
        case 'choice': {
          if (f.options.length === 0)
            problems.push({
              path: `${at}/options`,
              message: `Trường "${f.key}" phải có ít nhất một lựa chọn`,
            });
          const values = new Set<string>();
          for (const o of f.options) {
            if (values.has(o.value))
              problems.push({
                path: `${at}/options`,
                message: `Trường "${f.key}": lựa chọn "${o.value}" bị trùng`,
              });
            values.add(o.value);
          }
          break;
        }
        case 'group':
          if (depth >= MAX_DEPTH)
            problems.push({ path: at, message: `Nhóm "${f.key}" lồng quá ${MAX_DEPTH} cấp` });
          if (f.fields.length === 0)
            problems.push({ path: `${at}/fields`, message: `Nhóm "${f.key}" chưa có trường nào` });
          if (!f.repeatable && (f.min !== undefined || f.max !== undefined))
            problems.push({
              path: at,
              message: `Nhóm "${f.key}" không lặp lại nên không có số lần tối thiểu, tối đa`,
            });
          if (f.min !== undefined && f.max !== undefined && f.min > f.max)
            problems.push({ path: `${at}/min`, message: `Nhóm "${f.key}": số lần tối thiểu lớn hơn tối đa` });
          if (f.fields.some((c) => c.type === 'file'))
            problems.push({
              path: `${at}/fields`,
              message: `Nhóm "${f.key}": ô đính kèm giấy tờ phải ở cấp ngoài cùng của tờ khai (mỗi giấy tờ một ô)`,
            });
          if (depth < MAX_DEPTH) walk(f.fields, `${at}/fields`, depth + 1);
          break;
        case 'file':
          slots.set(f.documentCode, [...(slots.get(f.documentCode) ?? []), at]);
          if (f.maxSizeMb !== undefined && (f.maxSizeMb <= 0 || f.maxSizeMb > 100))
            problems.push({
              path: `${at}/maxSizeMb`,
              message: `Ô "${f.key}": dung lượng tối đa phải từ 1 đến 100 MB`,
            });
          break;
        default:
          break;
      }
    });
  };
  walk(form.fields, '/form/fields', 1);

  if (total > MAX_FIELDS)
    problems.push({
      path: '/form/fields',
      message: `Tờ khai có ${total} trường, nhiều hơn mức cho phép ${MAX_FIELDS}`,
    });

  const known = new Map(documents.map((d) => [d.code, d]));
  for (const [code, at] of slots) {
    if (!known.has(code))
      problems.push({
        path: at[0]!,
        message: `Ô đính kèm trỏ tới giấy tờ "${code}" không có trong thành phần hồ sơ`,
      });
    if (at.length > 1)
      problems.push({
        path: at[1]!,
        message: `Giấy tờ "${code}" có ${at.length} ô đính kèm; mỗi giấy tờ chỉ có một ô`,
      });
  }
  for (const d of documents) {
    if (d.required && !slots.has(d.code))
      problems.push({
        path: '/form/fields',
        message: `Giấy tờ bắt buộc "${d.name}" (${d.code}) chưa có ô đính kèm trong tờ khai`,
      });
  }
  return problems;
}

/** File slots for every document that does not have one yet (the editor's "add missing slots"). */
export function addMissingFileSlots(form: FormSchema, documents: readonly DocumentRef[]): FormSchema {
  const has = new Set(form.fields.flatMap((f) => (f.type === 'file' ? [f.documentCode] : [])));
  const keys = new Set(form.fields.map((f) => f.key));
  const extra: FormField[] = [];
  for (const d of documents) {
    if (has.has(d.code)) continue;
    has.add(d.code);
    let key = `tep_${d.code.toLowerCase().replace(/[^a-z0-9]/g, '_')}`.slice(0, 40);
    if (!/^[a-z]/.test(key)) key = `t${key}`.slice(0, 40);
    while (keys.has(key)) key = `${key.slice(0, 38)}_x`;
    keys.add(key);
    extra.push({
      type: 'file',
      key,
      label: { vi: d.name },
      required: d.required,
      documentCode: d.code,
      accept: ['application/pdf', 'image/jpeg', 'image/png'],
      maxSizeMb: 10,
    });
  }
  return { fields: [...form.fields, ...extra] };
}
