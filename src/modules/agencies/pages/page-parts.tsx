/** What the agencies module's pages share: query schemas, names, links, validity text, the date form. */
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import type { AdminUnit, Agency } from '../agencies.service.ts';
import { unitKindLabel } from './labels.ts';

/** Free text: bounded, and no control characters (answered 400, never passed to the database). */
const Text = (maxLength: number) => Type.String({ maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

export const PageQuery = Type.Object({
  ngay: Type.Optional(Type.String({ maxLength: 10 })),
  q: Type.Optional(Text(100)),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
  /** A province (agencies list): its departments and communes' committees. */
  tinh: Type.Optional(Type.String({ pattern: '^([0-9]{2})?$' })),
});
export const CodeParams = Type.Object({
  code: Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9.-]+$' }),
});
export const UnitCodeParams = Type.Object({ code: Type.String({ pattern: '^([0-9]{2,3}|[0-9]{5})$' }) });

export const emptyToUndefined = (s: string | undefined) =>
  s === undefined || s.trim() === '' ? undefined : s.trim();

export function validity(v: { validFrom: string | null; validTo: string | null }, locale: Locale): string {
  const from = v.validFrom ? formatVietnameseDate(v.validFrom) : undefined;
  const to = v.validTo ? formatVietnameseDate(v.validTo) : undefined;
  if (from && to) return tx(locale, `từ ${from} đến ${to}`, `from ${from} to ${to}`);
  if (from) return tx(locale, `từ ${from} đến nay`, `since ${from}`);
  if (to) return tx(locale, `đến hết ${to}`, `until ${to}`);
  return tx(locale, 'đang có hiệu lực', 'in force');
}

export const isValidOn = (v: { validFrom: string | null; validTo: string | null }, date: string) =>
  (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || v.validTo >= date);

export const unitName = (u: AdminUnit, locale: Locale) => (locale === 'en' && u.nameEn ? u.nameEn : u.name);
/** A heading: a province with its kind (names are stored without it), a district or commune as named. */
export const unitTitle = (u: AdminUnit, locale: Locale) =>
  locale === 'en' && u.nameEn
    ? u.nameEn
    : u.level === 'province'
      ? `${unitKindLabel(u.kind, locale, u.level)} ${u.name}`
      : u.name;
export const agencyName = (a: Agency, locale: Locale) => (locale === 'en' && a.nameEn ? a.nameEn : a.name);
export const unitHref = (u: AdminUnit, date?: string) =>
  `/don-vi-hanh-chinh/${u.code}${date ? `?ngay=${date}` : u.validTo ? `?ngay=${u.validTo}` : ''}`;
export const agencyHref = (a: Agency, date?: string) =>
  `/co-quan/${a.code}${date ? `?ngay=${date}` : a.validTo ? `?ngay=${a.validTo}` : ''}`;

/** A plain GET form: the date and a search box (and whatever hidden fields keep the context). */
export function DateForm({
  action,
  date,
  q,
  locale,
  presets,
  children,
}: {
  action: string;
  date: string;
  q?: string | undefined;
  locale: Locale;
  presets: Array<{ date: string; label: string }>;
  children?: ComponentChildren;
}) {
  return (
    <form method="get" action={action} class="filter-form">
      <div class="field">
        <label for="ngay">{tx(locale, 'Tại ngày', 'On date')}</label>
        <input type="date" id="ngay" name="ngay" value={date} min="1990-01-01" max="2100-12-31" />
      </div>
      <div class="field">
        <label for="q">
          {tx(locale, 'Tên (có dấu hoặc không dấu)', 'Name (with or without diacritics)')}
        </label>
        <input type="search" id="q" name="q" value={q ?? ''} maxLength={100} />
      </div>
      {children}
      <button type="submit" class="button">
        {tx(locale, 'Xem', 'Show')}
      </button>
      {presets.length > 0 ? (
        <p class="presets">
          {presets.map((p) => (
            <a key={p.date} href={`${action}?ngay=${p.date}`}>
              {p.label}
            </a>
          ))}
        </p>
      ) : null}
    </form>
  );
}
