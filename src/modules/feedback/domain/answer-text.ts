/**
 * Answer templates' placeholders (issue 19): `{ten_nguoi_gui}` the submitter's name, `{ma_pakn}` the item's
 * code, `{co_quan}` the answering agency's name, `{ngay_gui}` the day it was sent (dd/mm/yyyy, Vietnam
 * time). A template may use only these; filling leaves no brace behind. Pure.
 */
export const PLACEHOLDERS = ['ten_nguoi_gui', 'ma_pakn', 'co_quan', 'ngay_gui'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{([^{}\s]{1,40})\}/g;

/** Placeholders the text uses that are not in PLACEHOLDERS. */
export function unknownPlaceholders(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PATTERN))
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) out.add(`{${m[1]}}`);
  return [...out];
}

/** The text with every known placeholder replaced (NFC); unknown ones are left as written. */
export function fillAnswer(text: string, values: Readonly<Record<Placeholder, string>>): string {
  return text
    .replace(PATTERN, (whole, name: string) =>
      (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
    )
    .normalize('NFC');
}
