/**
 * Personal identification number (số định danh cá nhân): 12 digits `PPP G YY RRRRRR`, Decree
 * 137/2015/NĐ-CP Art. 13 and Circular 07/2016/TT-BCA Art. 7 (unchanged by the Law on Identification 2023).
 *  - PPP: `0` + the 2-digit statistical code of the province where the birth was registered;
 *  - G: century and sex — 0/1 born 1900–1999 male/female, 2/3 2000–2099, 4/5 2100–2199, 6/7 2200–2299,
 *    8/9 2300–2399;
 *  - YY: the last two digits of the year of birth;
 *  - RRRRRR: random. There is no check digit.
 * Pure: no I/O, no clock.
 */

/**
 * The 63 province statistical codes used in `PPP` (Appendix I of Circular 07/2016/TT-BCA, implementing
 * Decree 137/2015/NĐ-CP; the same codes as db/reference/provinces-2020.csv, 01 Hà Nội … 96 Cà Mau, not
 * contiguous). The 2025 merger of provinces did not reissue numbers, and all 34 new provincial codes are
 * among these 63, so this stays the whitelist.
 * Not covered: codes for births registered abroad (if any are in use) — they are refused as 'province'.
 */
// biome-ignore format: a compact table of the 63 codes
export const PERSONAL_ID_PROVINCE_CODES = [
  '01', '02', '04', '06', '08', '10', '11', '12', '14', '15', '17', '19', '20', '22', '24', '25',
  '26', '27', '30', '31', '33', '34', '35', '36', '37', '38', '40', '42', '44', '45', '46', '48',
  '49', '51', '52', '54', '56', '58', '60', '62', '64', '66', '67', '68', '70', '72', '74', '75',
  '77', '79', '80', '82', '83', '84', '86', '87', '89', '91', '92', '93', '94', '95', '96',
] as const;

const PROVINCES: ReadonlySet<string> = new Set(PERSONAL_ID_PROVINCE_CODES);

export type Sex = 'male' | 'female';

export type PersonalIdErrorCode = 'format' | 'province' | 'century' | 'birth-date' | 'sex';

export interface PersonalIdInfo {
  ok: true;
  /** The 12 digits, without spaces. */
  value: string;
  /** 2-digit province statistical code (the `PPP` without its leading 0). */
  provinceCode: string;
  sex: Sex;
  /**
   * The year of birth, as far as the number tells it: G gives the century and YY the year within it,
   * so both bounds are the same year (kept as a range so callers need not assume that).
   */
  birthYearFrom: number;
  birthYearTo: number;
}

export interface PersonalIdError {
  ok: false;
  code: PersonalIdErrorCode;
  /** Vietnamese, for the person who typed it. */
  message: string;
  messageEn: string;
}

export type PersonalIdResult = PersonalIdInfo | PersonalIdError;

const MESSAGES: Record<PersonalIdErrorCode, { vi: string; en: string }> = {
  format: {
    vi: 'Số định danh cá nhân phải gồm đúng 12 chữ số.',
    en: 'The personal identification number must have exactly 12 digits.',
  },
  province: {
    vi: 'Ba chữ số đầu của số định danh cá nhân không phải là mã tỉnh, thành phố hợp lệ.',
    en: 'The first three digits are not a valid province code.',
  },
  century: {
    vi: 'Chữ số thứ tư (mã thế kỷ sinh) của số định danh cá nhân không khớp với năm sinh.',
    en: 'The fourth digit (century of birth) does not match the year of birth.',
  },
  'birth-date': {
    vi: 'Chữ số thứ năm và thứ sáu (mã năm sinh) của số định danh cá nhân không khớp với năm sinh.',
    en: 'The fifth and sixth digits (year of birth) do not match the year of birth.',
  },
  sex: {
    vi: 'Chữ số thứ tư (mã giới tính) của số định danh cá nhân không khớp với giới tính.',
    en: 'The fourth digit (sex) does not match the sex given.',
  },
};

function fail(code: PersonalIdErrorCode): PersonalIdError {
  return { ok: false, code, message: MESSAGES[code].vi, messageEn: MESSAGES[code].en };
}

/** First year of the century that the digit G stands for (0/1 → 1900, …, 8/9 → 2300). */
export function centuryStartOf(g: number): number {
  return 1900 + Math.floor(g / 2) * 100;
}

/** The G digit for a year of birth (1900–2399) and a sex, or null outside those years. */
export function centurySexDigit(birthYear: number, sex: Sex): number | null {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2399) return null;
  return Math.floor((birthYear - 1900) / 100) * 2 + (sex === 'female' ? 1 : 0);
}

/** The year of a YYYY-MM-DD string that is a real calendar date, or null. */
function yearOfDate(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  t.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? y : null;
}

const INVALID_BIRTH_DATE: PersonalIdError = {
  ok: false,
  code: 'birth-date',
  message: 'Ngày sinh không hợp lệ, nên không thể đối chiếu với số định danh cá nhân.',
  messageEn: 'The date of birth is not a valid date, so the number cannot be checked against it.',
};

/**
 * Checks a personal identification number: 12 digits once spaces are removed (anything else is refused),
 * a known province code, and — when given — G and YY against the date of birth and G against the sex.
 * A `known.birthDate` that is not a real YYYY-MM-DD date gives 'birth-date' with its own message.
 */
export function parsePersonalId(input: string, known?: { birthDate?: string; sex?: Sex }): PersonalIdResult {
  const value = input.replace(/\s+/g, '');
  if (!/^\d{12}$/.test(value)) return fail('format');
  const provinceCode = value.slice(1, 3);
  if (value[0] !== '0' || !PROVINCES.has(provinceCode)) return fail('province');
  const g = Number(value[3]);
  const yy = Number(value.slice(4, 6));
  const sex: Sex = g % 2 === 0 ? 'male' : 'female';
  const birthYear = centuryStartOf(g) + yy;
  if (known?.birthDate !== undefined) {
    const year = yearOfDate(known.birthDate);
    if (year === null) return INVALID_BIRTH_DATE;
    if (Math.floor(year / 100) * 100 !== centuryStartOf(g)) return fail('century');
    if (year % 100 !== yy) return fail('birth-date');
  }
  if (known?.sex !== undefined && known.sex !== sex) return fail('sex');
  return { ok: true, value, provinceCode, sex, birthYearFrom: birthYear, birthYearTo: birthYear };
}

/** Groups a valid 12-digit number for reading aloud or display: `001 0 85 012345`. */
export function formatPersonalId(value: string): string {
  const v = value.replace(/\s+/g, '');
  if (!/^\d{12}$/.test(v)) throw new RangeError('formatPersonalId expects 12 digits');
  return `${v.slice(0, 3)} ${v[3]} ${v.slice(4, 6)} ${v.slice(6)}`;
}
