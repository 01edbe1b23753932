/**
 * Which provincial department (sở) a procedure's text names. The catalogue names competent bodies by
 * name only ("Sở Tư pháp", "Phòng Đăng ký kinh doanh thuộc Sở Tài chính", "Cơ sở giáo dục, Sở Giáo dục
 * và Đào tạo đang quản lý sổ gốc"); the generic names come from db/reference/provincial-departments.csv.
 */
import { parseCsv } from '../../platform/csv/index.ts';
import { foldVietnamese } from '../../platform/i18n/index.ts';

export interface DepartmentName {
  /** The code prefix: a department's code is `${prefix}-${province}` (STP-01). */
  prefix: string;
  /** The generic name: Sở Tư pháp. */
  name: string;
  /** The prefixes of the departments it became (first: the main successor), when it was merged away. */
  became: string[];
}

export function parseDepartmentNames(csv: string): DepartmentName[] {
  return parseCsv(csv).map((r) => ({
    prefix: r.prefix!.trim(),
    name: r.name!.trim(),
    became: (r.became ?? '').split(/\s+/).filter(Boolean),
  }));
}

/** Folded words separated by single spaces, punctuation dropped: "Lao động - Thương binh" → "lao dong thuong binh". */
const words = (text: string) =>
  foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The department whose generic name appears in `text`, ignoring case, diacritics and punctuation, on
 * word boundaries; where several appear, the longest name wins ("Thanh tra Sở Xây dựng" is Sở Xây dựng).
 */
export function matchDepartmentName(text: string, names: DepartmentName[]): DepartmentName | undefined {
  const haystack = ` ${words(text)} `;
  let best: DepartmentName | undefined;
  let bestLength = 0;
  for (const d of names) {
    const needle = words(d.name);
    if (needle === '' || !haystack.includes(` ${needle} `)) continue;
    if (needle.length > bestLength) {
      best = d;
      bestLength = needle.length;
    }
  }
  return best;
}
