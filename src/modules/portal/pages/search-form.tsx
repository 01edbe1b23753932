/** The site-wide search form, on the home page and on the results page. */
import type { Locale, Text } from '../../../platform/i18n/index.ts';

const WORDS = {
  label: { vi: 'Tìm kiếm trên Cổng', en: 'Search the portal' },
  placeholder: {
    vi: 'Tìm thủ tục, cơ quan, tỉnh/thành phố… (có dấu hoặc không dấu)',
    en: 'Find a procedure, an agency, a province or city… (with or without Vietnamese accents)',
  },
  hint: {
    vi: 'Gõ tên hoặc mã, có dấu hoặc không dấu, ví dụ: “chung thuc ban sao”, “ha noi”, “Bộ Tài chính”, “BTC”.',
    en: 'Type a name or a code, with or without accents, e.g. “chung thuc ban sao”, “ha noi”, “Bộ Tài chính”, “BTC”.',
  },
  submit: { vi: 'Tìm kiếm', en: 'Search' },
} as const satisfies Record<string, Text>;

export function SearchForm({ locale, q, id = 'q' }: { locale: Locale; q?: string; id?: string }) {
  const hintId = `${id}-goi-y`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the older phone browsers we support
    <form class="search-form" action="/tim-kiem" method="get" role="search">
      <label for={id}>{WORDS.label[locale]}</label>
      <p id={hintId} class="hint">
        {WORDS.hint[locale]}
      </p>
      <div class="search-box">
        <input
          type="search"
          id={id}
          name="q"
          value={q ?? ''}
          maxLength={100}
          placeholder={WORDS.placeholder[locale]}
          aria-describedby={hintId}
          autocomplete="off"
          enterKeyHint="search"
        />
        <button type="submit">{WORDS.submit[locale]}</button>
      </div>
    </form>
  );
}
