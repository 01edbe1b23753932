/** The documents (thành phần hồ sơ) a procedure asks for, over all its cases (trường hợp). */

export interface DocumentRef {
  code: string;
  name: string;
  required: boolean;
}

/**
 * Every distinct document of the procedure, by code, in the order first met: the name of its first
 * appearance, required when some case requires it.
 */
export function documentsOf(content: {
  readonly cases: ReadonlyArray<{ readonly documents: ReadonlyArray<DocumentRef> }>;
}): DocumentRef[] {
  const byCode = new Map<string, DocumentRef>();
  for (const c of content.cases)
    for (const d of c.documents) {
      const known = byCode.get(d.code);
      byCode.set(d.code, {
        code: d.code,
        name: known?.name ?? d.name,
        required: (known?.required ?? false) || d.required,
      });
    }
  return [...byCode.values()];
}
