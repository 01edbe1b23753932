/**
 * A person's name as a public lookup shows it: each word's first letter and a fixed run of stars, so the
 * owner recognises it and a stranger learns neither the name nor its length — "Nguyễn Văn Minh" →
 * "N*** V*** M***". The same rule as the portal's e-mail mask (identity `maskEmail`: the first character
 * and a fixed "***"); the portal had no name mask before this.
 */
export function maskName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .split(/\s+/u)
    .filter(Boolean)
    .map((w) => `${Array.from(w)[0]!.toLocaleUpperCase('vi')}***`)
    .join(' ');
}
