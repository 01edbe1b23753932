/**
 * Vietnamese first, English second. The locale of a request comes from `?lang=`, then the `lang`
 * cookie set by the language switch, then Vietnamese (not Accept-Language: a national portal speaks
 * Vietnamese unless the user asks otherwise). Text is NFC-normalised.
 */
export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
export const DEFAULT_LOCALE: Locale = 'vi';

/** A piece of text in both languages. */
export interface Text {
  vi: string;
  en: string;
}

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en';
}

/** The Vietnamese or the English of a phrase, for the page's locale. */
export function tx(locale: Locale, vi: string, en: string): string {
  return locale === 'vi' ? vi : en;
}

export function pick(text: Text, locale: Locale): string {
  return text[locale];
}

export function localeFrom(query: unknown, cookieHeader: string | undefined): Locale {
  const q = (query as { lang?: unknown } | undefined)?.lang;
  if (isLocale(q)) return q;
  const m = /(?:^|;\s*)lang=(vi|en)(?:;|$)/.exec(cookieHeader ?? '');
  return m && isLocale(m[1]) ? m[1] : DEFAULT_LOCALE;
}

/** For API problems: Accept-Language decides between vi (default) and en. */
export function apiLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'vi';
  const langs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of langs) {
    if (tag.startsWith('vi')) return 'vi';
    if (tag.startsWith('en')) return 'en';
  }
  return 'vi';
}

/** Fold Vietnamese text for diacritic-insensitive matching: "Đắk Lắk" → "dak lak". */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** An amount of đồng as Vietnamese writes it: "10.000 đồng" (thousands with a dot). */
export function dong(amount: number): string {
  return `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;
}
