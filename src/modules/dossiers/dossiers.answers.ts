/**
 * A dossier's answers as the applicant gave them, labelled as the e-form labels them: the rows the
 * "check your answers" step, the dossier page and the receipt (form 01) show. Pure: the names of the
 * administrative units an address points at come in through `units`.
 *
 * Also the pre-filling of a new e-form from the applicant's own details (the account), by the keys the
 * portal's e-forms use for them.
 */
import type { FormField } from '../catalogue/index.ts';
import type { ApplicantProfile } from './dossiers.ports.ts';

export interface AnswerRow {
  /** The field's path, '/noiCuTru' or '/chaMe/0/hoTen': the e-form's field id is `f.noiCuTru`. */
  path: string;
  /** The field's label, with its group's: "Thông tin cha, mẹ 1 › Họ và tên". */
  label: string;
  /** The answer as a reader writes it (dates dd/mm/yyyy, the option's label, the address in words). */
  value: string;
}

export interface UnitNames {
  /** "Thành phố Hà Nội", "Phường Ba Đình": undefined when the code is unknown. */
  unit(code: string): string | undefined;
}

const NUMBER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6 });

/** 'YYYY-MM-DD' → 'dd/mm/yyyy'; anything else as it is. */
export function vnDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** An address answer in words, from the street to the province. */
export function addressText(value: unknown, units: UnitNames): string {
  if (!value || typeof value !== 'object') return '';
  const a = value as { province?: unknown; commune?: unknown; street?: unknown };
  const part = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const unit = (v: unknown) => {
    const code = part(v);
    if (code === '') return '';
    return /^\d{2}$|^\d{5}$/.test(code) ? (units.unit(code) ?? code) : code;
  };
  return [part(a.street), unit(a.commune), unit(a.province)].filter((x) => x !== '').join(', ');
}

function scalar(f: FormField, value: unknown, units: UnitNames): string {
  switch (f.type) {
    case 'date':
      return typeof value === 'string' ? vnDate(value) : '';
    case 'number':
      return typeof value === 'number' ? NUMBER.format(value) : typeof value === 'string' ? value : '';
    case 'choice': {
      const label = (v: unknown) => f.options.find((o) => o.value === v)?.label.vi ?? String(v);
      if (Array.isArray(value)) return value.map(label).join('; ');
      return value === undefined || value === null || value === '' ? '' : label(value);
    }
    case 'address':
      return addressText(value, units);
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
}

/**
 * Every answer of the e-form that was given, in the form's order (file slots are left out: the
 * documents are listed by name beside the answers). An unanswered optional field is left out; an
 * unanswered required one reads "—" (a draft not yet complete).
 */
export function answerRows(
  fields: readonly FormField[],
  values: Record<string, unknown>,
  units: UnitNames,
  context: { path?: string; label?: string } = {},
): AnswerRow[] {
  const rows: AnswerRow[] = [];
  const prefix = context.label ? `${context.label} › ` : '';
  for (const f of fields) {
    if (f.type === 'file') continue;
    const path = `${context.path ?? ''}/${f.key}`;
    const value = values[f.key];
    if (f.type === 'group') {
      if (f.repeatable) {
        const items = Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
        items.forEach((item, i) => {
          rows.push(
            ...answerRows(f.fields, item ?? {}, units, {
              path: `${path}/${i}`,
              label: `${prefix}${f.label.vi} ${i + 1}`,
            }),
          );
        });
      } else if (value && typeof value === 'object') {
        rows.push(
          ...answerRows(f.fields, value as Record<string, unknown>, units, {
            path,
            label: `${prefix}${f.label.vi}`,
          }),
        );
      }
      continue;
    }
    const text = scalar(f, value, units);
    if (text === '' && !f.required) continue;
    rows.push({ path, label: `${prefix}${f.label.vi}`, value: text === '' ? '—' : text });
  }
  return rows;
}

/** A Vietnamese mobile number as people write it: +84912345678 → 0912345678. */
export function localPhone(e164: string): string {
  return e164.startsWith('+84') ? `0${e164.slice(3)}` : e164;
}

/**
 * The answers a new e-form starts with, from the applicant's account: each only where the form has a
 * top-level field of that key and a fitting type — the applicant's own name, personal ID number, date of
 * birth, phone and e-mail (citizens), the business's name and tax code (businesses and organisations),
 * and the last address they gave on the portal (`address`) for the place of residence. The applicant
 * checks and corrects them like any answer.
 */
export function prefill(
  fields: readonly FormField[],
  profile: ApplicantProfile | undefined,
  address?: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!profile) return {};
  const person = profile.kind === 'citizen';
  const known: Record<string, { value: unknown; types: readonly FormField['type'][] }> = {
    ...(person ? { hoTen: { value: profile.name, types: ['text'] } } : {}),
    ...(person && profile.personalId
      ? { soDinhDanh: { value: profile.personalId, types: ['id-number'] } }
      : {}),
    ...(person && profile.birthDate ? { ngaySinh: { value: profile.birthDate, types: ['date'] } } : {}),
    ...(profile.phone ? { soDienThoai: { value: localPhone(profile.phone), types: ['text'] } } : {}),
    ...(profile.email ? { email: { value: profile.email, types: ['text'] } } : {}),
    ...(!person ? { tenDoanhNghiep: { value: profile.name, types: ['text'] } } : {}),
    ...(!person && profile.taxCode
      ? { maSoThue: { value: profile.taxCode, types: ['text', 'id-number'] } }
      : {}),
    ...(address ? { noiCuTru: { value: address, types: ['address'] } } : {}),
  };
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const k = known[f.key];
    if (!k?.types.includes(f.type)) continue;
    if (f.type === 'text' && typeof k.value === 'string' && k.value.length > f.maxLength) continue;
    out[f.key] = k.value;
  }
  return out;
}
