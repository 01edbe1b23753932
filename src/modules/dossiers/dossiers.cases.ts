/**
 * Required documents per case (trường hợp, TRUONGHOP): the catalogue lists a procedure's documents for
 * each case, and the e-form has one file slot per document (required when some case requires it). When
 * a procedure has several cases the applicant chooses theirs, and only that case's documents count: its
 * slots are required as the case says, the other slots are left out of the form and of the answers.
 * The JSON API may leave the case out: it is then, of the cases whose required documents are all
 * attached, the one that uses the most of the attached files (the first on a tie). Pure.
 */
import type { FormField, FormSchema } from '../catalogue/index.ts';

export interface FilingCase {
  name: string;
  documents: readonly { code: string; name: string; required: boolean }[];
}

export interface Problem {
  path: string;
  message: string;
}

/** The e-form of one case: slots of documents outside it removed, the others required as the case says. */
export function formForCase(form: FormSchema, c: FilingCase): FormSchema {
  const inCase = new Map(c.documents.map((d) => [d.code, d.required]));
  const fields: FormField[] = [];
  for (const f of form.fields) {
    if (f.type !== 'file') fields.push(f);
    else if (inCase.has(f.documentCode)) fields.push({ ...f, required: inCase.get(f.documentCode)! });
  }
  return { fields };
}

/** The answers without the file slots the case leaves out. */
export function valuesForCase(
  form: FormSchema,
  c: FilingCase,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const inCase = new Set(c.documents.map((d) => d.code));
  const out = { ...values };
  for (const f of form.fields) if (f.type === 'file' && !inCase.has(f.documentCode)) delete out[f.key];
  return out;
}

/**
 * The case the dossier is filed under. `chosen` names it (a 400 problem at `case` when it is not one of
 * the procedure's). Without a choice: with one case, that one; with several, `infer` takes the case
 * whose required documents all have a file in `values` and that uses the most files, else (and always
 * when not inferring) a problem asking to choose.
 */
export function resolveCase(
  cases: readonly FilingCase[],
  form: FormSchema | undefined,
  chosen: string | undefined,
  values: Record<string, unknown>,
  options: { infer: boolean },
): { case?: FilingCase; problem?: Problem } {
  if (cases.length === 0) return {};
  if (chosen !== undefined && chosen !== '') {
    const c = cases.find((x) => x.name === chosen);
    return c
      ? { case: c }
      : { problem: { path: 'case', message: 'Trường hợp đã chọn không có trong thủ tục; hãy chọn lại.' } };
  }
  if (cases.length === 1) return { case: cases[0]! };
  if (options.infer) {
    const slotOf = new Map(
      (form?.fields ?? []).flatMap((f) => (f.type === 'file' ? [[f.documentCode, f.key] as const] : [])),
    );
    const filled = (code: string) => {
      const key = slotOf.get(code);
      return key !== undefined && typeof values[key] === 'string' && values[key] !== '';
    };
    // Of the cases whose required documents are all there, the one that uses the most of the files.
    let best: FilingCase | undefined;
    let bestCount = -1;
    for (const x of cases) {
      if (!x.documents.every((d) => !d.required || filled(d.code))) continue;
      const count = x.documents.filter((d) => filled(d.code)).length;
      if (count > bestCount) [best, bestCount] = [x, count];
    }
    if (best) return { case: best };
  }
  return {
    problem: { path: 'case', message: 'Chọn trường hợp của bạn (giấy tờ cần nộp tùy theo trường hợp).' },
  };
}
