/**
 * Checks the answers to an e-form (what the dossiers module stores with a dossier) against the form's
 * schema: required fields, bounds, dates, choices, personal identification numbers, addresses from the
 * administrative units valid on the day, repeatable groups, one file per slot. Pure: the caller passes
 * today's date and which unit codes exist.
 */
import type { FormField, FormSchema, Problem } from './form-schema.ts';

export interface FormValueContext {
  /** Today in Vietnam, YYYY-MM-DD (for "not after today"). */
  today: string;
  /** Does a province (2 digits) or commune (5 digits) with this code exist today? */
  isAdminUnit(code: string, level: 'province' | 'commune'): boolean;
}

/** Province codes of 12-digit personal identification numbers (`0` + the 2020 statistical code, or a country). */
const ID_12 = /^0[0-9]{2}[0-9][0-9]{2}[0-9]{6}$/;
const ID_9 = /^[0-9]{9}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function checkField(f: FormField, v: unknown, at: string, ctx: FormValueContext, out: Problem[]): void {
  const name = f.label.vi;
  if (isEmpty(v)) {
    if (f.required && !(f.type === 'group' && f.repeatable && (f.min ?? 0) === 0))
      out.push({ path: at, message: `Chưa nhập “${name}”` });
    return;
  }
  switch (f.type) {
    case 'text':
      if (typeof v !== 'string') out.push({ path: at, message: `“${name}” phải là chữ` });
      else if (v.length > f.maxLength)
        out.push({ path: at, message: `“${name}” dài quá ${f.maxLength} ký tự` });
      break;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v))
        out.push({ path: at, message: `“${name}” phải là số` });
      else if (f.integer && !Number.isInteger(v))
        out.push({ path: at, message: `“${name}” phải là số nguyên` });
      else if (f.min !== undefined && v < f.min)
        out.push({ path: at, message: `“${name}” không được nhỏ hơn ${f.min}` });
      else if (f.max !== undefined && v > f.max)
        out.push({ path: at, message: `“${name}” không được lớn hơn ${f.max}` });
      break;
    case 'date':
      if (typeof v !== 'string' || !validDate(v))
        out.push({ path: at, message: `“${name}” không phải ngày hợp lệ (YYYY-MM-DD)` });
      else if (f.notAfterToday && v > ctx.today)
        out.push({ path: at, message: `“${name}” không được sau ngày hôm nay` });
      break;
    case 'choice': {
      const allowed = new Set(f.options.map((o) => o.value));
      const values = f.multiple ? v : [v];
      if (!Array.isArray(values) || values.some((x) => typeof x !== 'string' || !allowed.has(x)))
        out.push({ path: at, message: `“${name}”: lựa chọn không có trong danh sách` });
      break;
    }
    case 'id-number':
      if (typeof v !== 'string' || !(ID_12.test(v) || ID_9.test(v)))
        out.push({
          path: at,
          message: `“${name}” phải gồm 12 chữ số (số định danh cá nhân) hoặc 9 chữ số (chứng minh nhân dân cũ)`,
        });
      break;
    case 'address': {
      const a = v as { province?: unknown; commune?: unknown; street?: unknown };
      if (
        typeof a !== 'object' ||
        typeof a.province !== 'string' ||
        !ctx.isAdminUnit(a.province, 'province')
      ) {
        out.push({ path: `${at}/province`, message: `“${name}”: chọn tỉnh, thành phố trong danh mục` });
        break;
      }
      if (f.level === 'commune' && (typeof a.commune !== 'string' || !ctx.isAdminUnit(a.commune, 'commune')))
        out.push({ path: `${at}/commune`, message: `“${name}”: chọn xã, phường trong danh mục` });
      if (a.street !== undefined && (typeof a.street !== 'string' || a.street.length > 300))
        out.push({ path: `${at}/street`, message: `“${name}”: địa chỉ chi tiết dài quá 300 ký tự` });
      break;
    }
    case 'group': {
      const items = f.repeatable ? v : [v];
      if (
        !Array.isArray(items) ||
        items.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))
      ) {
        out.push({ path: at, message: `“${name}” không đúng cấu trúc` });
        break;
      }
      if (f.repeatable && f.min !== undefined && items.length < f.min)
        out.push({ path: at, message: `“${name}”: cần ít nhất ${f.min}` });
      if (f.repeatable && f.max !== undefined && items.length > f.max)
        out.push({ path: at, message: `“${name}”: nhiều nhất ${f.max}` });
      items.forEach((item, i) => {
        checkFields(f.fields, item as Record<string, unknown>, f.repeatable ? `${at}/${i}` : at, ctx, out);
      });
      break;
    }
    case 'file':
      if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{8,100}$/.test(v))
        out.push({ path: at, message: `“${name}”: tệp đính kèm không hợp lệ` });
      break;
  }
}

function checkFields(
  fields: FormField[],
  values: Record<string, unknown>,
  at: string,
  ctx: FormValueContext,
  out: Problem[],
) {
  const known = new Set(fields.map((f) => f.key));
  for (const k of Object.keys(values))
    if (!known.has(k)) out.push({ path: `${at}/${k}`, message: `Trường “${k}” không có trong tờ khai` });
  for (const f of fields) checkField(f, values[f.key], `${at}/${f.key}`, ctx, out);
}

/** Every problem of the answers; empty means they may be saved. */
export function formValueProblems(form: FormSchema, values: unknown, ctx: FormValueContext): Problem[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    return [{ path: '', message: 'Tờ khai phải là một đối tượng' }];
  const out: Problem[] = [];
  checkFields(form.fields, values as Record<string, unknown>, '', ctx, out);
  return out;
}
