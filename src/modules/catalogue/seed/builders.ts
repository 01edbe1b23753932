/** Small helpers that keep the seed procedures readable: channels, documents, the usual e-form fields. */

import { documentsOf } from '../../../platform/kernel/index.ts';
import type { FeeFormula, FeeLine } from '../domain/fees.ts';
import { addMissingFileSlots, type FormField } from '../domain/form-schema.ts';
import type { ProcedureContent, TimeUnit } from '../domain/procedure.ts';

export interface SeedProcedure {
  code: string;
  /** agencies.agencies.code of the agency that announces it. */
  owner: string;
  /** For a province's own procedure. */
  province?: string;
  /** Estimated dossiers a year, for ranking (an estimate, not a published figure). */
  popularity: number;
  content: ProcedureContent;
}

export const lePhi = (name: string, formula: FeeFormula, note?: string): FeeLine => ({
  kind: 'le-phi',
  name,
  formula,
  ...(note ? { note } : {}),
});
export const phi = (name: string, formula: FeeFormula, note?: string): FeeLine => ({
  kind: 'phi',
  name,
  formula,
  ...(note ? { note } : {}),
});
export const FREE: FeeFormula = { type: 'free' };
export const fixed = (amount: number): FeeFormula => ({ type: 'fixed', amount });

export const time = (amount: number, unit: TimeUnit, fees: FeeLine[] = [], description?: string) => ({
  amount,
  unit,
  fees,
  ...(description ? { description } : {}),
});

type Time = ReturnType<typeof time>;
export const inPerson = (...times: Time[]) => ({ channel: 'in-person' as const, times });
export const online = (...times: Time[]) => ({ channel: 'online' as const, times });
export const postal = (...times: Time[]) => ({ channel: 'postal' as const, times });

export const doc = (
  code: string,
  name: string,
  options: { originals?: number; copies?: number; required?: boolean; template?: string; note?: string } = {},
) => ({
  code,
  name,
  originals: options.originals ?? 1,
  copies: options.copies ?? 0,
  required: options.required ?? true,
  ...(options.template ? { template: { name: options.template } } : {}),
  ...(options.note ? { note: options.note } : {}),
});

const label = (vi: string, en?: string) => (en ? { vi, en } : { vi });

/** The applicant's own fields, on almost every e-form. */
export const APPLICANT: FormField[] = [
  {
    type: 'text',
    key: 'hoTen',
    label: label('Họ, chữ đệm và tên', 'Full name'),
    required: true,
    maxLength: 100,
  },
  {
    type: 'id-number',
    key: 'soDinhDanh',
    label: label('Số định danh cá nhân', 'Personal identification number'),
    required: true,
  },
  {
    type: 'date',
    key: 'ngaySinh',
    label: label('Ngày, tháng, năm sinh', 'Date of birth'),
    required: true,
    notAfterToday: true,
  },
  {
    type: 'address',
    key: 'noiCuTru',
    label: label('Nơi cư trú', 'Place of residence'),
    required: true,
    level: 'commune',
  },
  {
    type: 'text',
    key: 'soDienThoai',
    label: label('Số điện thoại', 'Phone number'),
    required: true,
    maxLength: 15,
  },
];

export const text = (key: string, vi: string, en?: string, required = true, maxLength = 200): FormField => ({
  type: 'text',
  key,
  label: label(vi, en),
  required,
  maxLength,
});
export const date = (key: string, vi: string, en?: string, required = true): FormField => ({
  type: 'date',
  key,
  label: label(vi, en),
  required,
});
export const num = (
  key: string,
  vi: string,
  en: string | undefined,
  min: number,
  max: number,
): FormField => ({
  type: 'number',
  key,
  label: label(vi, en),
  required: true,
  min,
  max,
  integer: true,
});
export const choice = (
  key: string,
  vi: string,
  en: string | undefined,
  options: Array<[string, string, string?]>,
): FormField => ({
  type: 'choice',
  key,
  label: label(vi, en),
  required: true,
  options: options.map(([value, v, e]) => ({ value, label: label(v, e) })),
});

type Draft = Omit<
  ProcedureContent,
  'form' | 'keywords' | 'conditions' | 'steps' | 'legacyLevel' | 'legalBasis'
> & {
  fields?: FormField[];
  keywords?: string[];
  conditions?: string[];
  steps?: string[];
  legacyLevel?: 1 | 2 | 3 | 4 | null;
  legalBasis?: Array<[string, string]>;
};

/** A whole content: the e-form is the applicant's fields, the procedure's own fields, and one file slot per document. */
export function content(d: Draft): ProcedureContent {
  const { fields, legalBasis, ...rest } = d;
  const base: ProcedureContent = {
    ...rest,
    legacyLevel: d.legacyLevel ?? null,
    keywords: d.keywords ?? [],
    conditions: d.conditions ?? [],
    steps: d.steps ?? [],
    legalBasis: (legalBasis ?? []).map(([number, title]) => ({ number, title })),
    form: { fields: [...APPLICANT, ...(fields ?? [])] } as ProcedureContent['form'],
  };
  return { ...base, form: addMissingFileSlots(base.form, documentsOf(base)) as ProcedureContent['form'] };
}
