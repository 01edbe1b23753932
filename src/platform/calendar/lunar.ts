// The Vietnamese lunisolar calendar (âm lịch), computed astronomically for UTC+7.
//
// Rules (the same as the modern Chinese calendar, but for the meridian of UTC+7, which Vietnam has used for
// its calendar since 1968 — this is why Tết 1985 was on 21 January in Vietnam and 20 February in China):
//   1. A lunar month starts on the civil day (in UTC+7) that contains the astronomical new moon.
//   2. Month 11 is the month that contains the December solstice (đông chí, sun at 270°).
//   3. If 13 months start between two consecutive months 11 (a leap "sui"), the first of them that contains no
//      major solar term (trung khí: a multiple of 30° of solar longitude) is the leap month (tháng nhuận); it
//      takes the number of the month before it.
//   4. The lunar year (named after the Gregorian year in which its Tết falls) starts with month 1, the month
//      after month 12 (or after a leap month 12).
// This is the published algorithm that Vietnamese calendars follow (Hồ Ngọc Đức, "Thuật toán tính âm lịch"),
// computed here with the full Meeus series instead of its truncated ones:
//   - new moons: J. Meeus, Astronomical Algorithms (2nd ed.), ch. 49, all periodic and planetary terms
//     (error a few seconds of Terrestrial Time), converted to UT with ΔT (Espenak & Meeus polynomials);
//   - solar longitude: Meeus ch. 25 (apparent longitude, with nutation and aberration, about 0.01°), solar
//     terms found by Newton iteration.
// Over 1990–2100 the result agrees with Hồ Ngọc Đức's published program on every day except (a) the months
// started by two new moons within 1.2 minutes of midnight (9 Dec 2072 23:58.8 and 15 Nov 2077 23:59.8,
// UTC+7), where his truncated series lands after midnight — no holiday depends on them, and such instants
// cannot be known better in advance (ΔT is uncertain by a minute or more decades ahead); (b) 7 May 2054 and
// 9 Apr 2062, for which his program answers "day 0" (an artefact of its month search; here: 30th of the 3rd
// and of the 2nd month).
//
// All functions are pure. Day arithmetic uses "day numbers": days since 1970-01-01 in the proleptic
// Gregorian calendar (day 0 is a Thursday).

/** A Gregorian (dương lịch) date. */
export interface SolarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A Vietnamese lunar (âm lịch) date. `year` is the Gregorian year in which that lunar year's Tết falls. */
export interface LunarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly leap: boolean;
}

/** Supported range of Gregorian / lunar years (ΔT and the series are reliable there). */
export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

/** Vietnam's legal time and the calendar meridian: UTC+7, no daylight saving time. */
export const VIETNAM_UTC_OFFSET_HOURS = 7;

// ---------------------------------------------------------------------------------------------------------
// Civil (Gregorian) day numbers
// ---------------------------------------------------------------------------------------------------------

/** Julian Day Number of day number 0 (1970-01-01). */
const JDN_OF_EPOCH = 2_440_588;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The Gregorian date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDayNumber(dayNumber: number): SolarDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The Gregorian year of a day number (cheaper than civilFromDayNumber when only the year is needed). */
export function yearOfDayNumber(dayNumber: number): number {
  return civilFromDayNumber(dayNumber).year;
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday (as `Date#getUTCDay`). */
export function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** 'YYYY-MM-DD' of a day number. */
export function isoDateFromDayNumber(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** 'YYYY-MM-DD' of a Gregorian date. */
export function isoDate(date: SolarDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Day number of a 'YYYY-MM-DD' string; throws RangeError if it is not a real date in that form. */
export function dayNumberFromIsoDate(date: string): number {
  if (
    typeof date !== 'string' ||
    date.length !== 10 ||
    date.charCodeAt(4) !== 45 ||
    date.charCodeAt(7) !== 45 ||
    ![0, 1, 2, 3, 5, 6, 8, 9].every((i) => isDigit(date.charCodeAt(i)))
  ) {
    throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`);
  }
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > daysInGregorianMonth(year, month)) {
    throw new RangeError(`not a real date: ${date}`);
  }
  return dayNumberFromCivil(year, month, day);
}

/** Number of days of a Gregorian month. */
export function daysInGregorianMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------------------
// Astronomy (Meeus)
// ---------------------------------------------------------------------------------------------------------

const DEG = Math.PI / 180;
const sinDeg = (x: number): number => Math.sin(x * DEG);

/** Julian Day of J2000.0. */
const J2000 = 2_451_545;

/**
 * ΔT = TT − UT in seconds, polynomial expressions of Espenak & Meeus (NASA, "Polynomial expressions for
 * Delta T"), valid 1800–2150 and extrapolated (parabola) after. Predictions after ~2030 carry an uncertainty
 * of a minute or more, which only matters for new moons within that much of midnight.
 */
export function deltaTSeconds(year: number): number {
  if (year < 1800) throw new RangeError(`ΔT is not modelled before 1800: ${year}`);
  if (year < 1860) {
    const t = year - 1800;
    return (
      13.72 -
      0.332447 * t +
      0.0068612 * t ** 2 +
      0.0041116 * t ** 3 -
      0.00037436 * t ** 4 +
      0.0000121272 * t ** 5 -
      0.0000001699 * t ** 6 +
      0.000000000875 * t ** 7
    );
  }
  if (year < 1900) {
    const t = year - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233_174
    );
  }
  if (year < 1920) {
    const t = year - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (year < 1941) {
    const t = year - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (year < 1961) {
    const t = year - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (year < 1986) {
    const t = year - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (year < 2005) {
    const t = year - 2000;
    return (
      63.86 +
      0.3345 * t -
      0.060374 * t ** 2 +
      0.0017275 * t ** 3 +
      0.000651814 * t ** 4 +
      0.00002373599 * t ** 5
    );
  }
  if (year < 2050) {
    const t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (year - 1820) / 100;
  if (year < 2150) return -20 + 32 * u * u - 0.5628 * (2150 - year);
  return -20 + 32 * u * u;
}

const decimalYear = (jd: number): number => 2000 + (jd - J2000) / 365.25;
const ttToUt = (jde: number): number => jde - deltaTSeconds(decimalYear(jde)) / 86_400;
const utToTt = (jd: number): number => jd + deltaTSeconds(decimalYear(jd)) / 86_400;

/** Planetary arguments (degrees, linear in k) and coefficients of Meeus ch. 49, "additional corrections". */
const PLANETARY_TERMS: readonly (readonly [number, number, number])[] = [
  [251.88, 0.016321, 0.000165],
  [251.83, 26.651886, 0.000164],
  [349.42, 36.412478, 0.000126],
  [84.66, 18.206239, 0.00011],
  [141.74, 53.303771, 0.000062],
  [207.14, 2.453732, 0.00006],
  [154.84, 7.30686, 0.000056],
  [34.52, 27.261239, 0.000047],
  [207.19, 0.121824, 0.000042],
  [291.34, 1.844379, 0.00004],
  [161.72, 24.198154, 0.000037],
  [239.56, 25.513099, 0.000035],
  [331.55, 3.592518, 0.000023],
];

/**
 * Julian Ephemeris Day (TT) of new moon number `k` (k = 0 is the new moon of 6 January 2000), Meeus ch. 49
 * with every periodic term. Meeus' example 49.a: k = −283 → 2443192.65118.
 */
export function newMoonJDE(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const mean = 2_451_550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3; // Sun's mean anomaly
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4; // Moon's
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const O = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
  const periodic =
    -0.4072 * sinDeg(Mp) +
    0.17241 * E * sinDeg(M) +
    0.01608 * sinDeg(2 * Mp) +
    0.01039 * sinDeg(2 * F) +
    0.00739 * E * sinDeg(Mp - M) -
    0.00514 * E * sinDeg(Mp + M) +
    0.00208 * E * E * sinDeg(2 * M) -
    0.00111 * sinDeg(Mp - 2 * F) -
    0.00057 * sinDeg(Mp + 2 * F) +
    0.00056 * E * sinDeg(2 * Mp + M) -
    0.00042 * sinDeg(3 * Mp) +
    0.00042 * E * sinDeg(M + 2 * F) +
    0.00038 * E * sinDeg(M - 2 * F) -
    0.00024 * E * sinDeg(2 * Mp - M) -
    0.00017 * sinDeg(O) -
    0.00007 * sinDeg(Mp + 2 * M) +
    0.00004 * sinDeg(2 * Mp - 2 * F) +
    0.00004 * sinDeg(3 * M) +
    0.00003 * sinDeg(Mp + M - 2 * F) +
    0.00003 * sinDeg(2 * Mp + 2 * F) -
    0.00003 * sinDeg(Mp + M + 2 * F) +
    0.00003 * sinDeg(Mp - M + 2 * F) -
    0.00002 * sinDeg(Mp - M - 2 * F) -
    0.00002 * sinDeg(3 * Mp + M) +
    0.00002 * sinDeg(4 * Mp);
  let planetary = 0.000325 * sinDeg(299.77 + 0.107408 * k - 0.009173 * T2);
  for (const [a0, a1, c] of PLANETARY_TERMS) planetary += c * sinDeg(a0 + a1 * k);
  return mean + periodic + planetary;
}

/** Julian Day (UT) of new moon number `k`. */
export function newMoonJulianDayUT(k: number): number {
  return ttToUt(newMoonJDE(k));
}

/**
 * Apparent geocentric longitude of the Sun in degrees [0, 360) at Julian Ephemeris Day `jde` (Meeus ch. 25,
 * "low accuracy": about 0.01°, i.e. about 15 minutes of time for a solar term). Meeus' example 25.a:
 * 1992-10-13.0 TD → 199.90895°.
 */
export function apparentSolarLongitude(jde: number): number {
  const T = (jde - J2000) / 36_525;
  const L0 = 280.46646 + 36_000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35_999.05029 * T - 0.0001537 * T * T;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * sinDeg(M) +
    (0.019993 - 0.000101 * T) * sinDeg(2 * M) +
    0.000289 * sinDeg(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const lambda = L0 + C - 0.00569 - 0.00478 * sinDeg(omega);
  return ((lambda % 360) + 360) % 360;
}

/** Julian Day (UT) at which the apparent solar longitude equals `longitude`, near `approxJD`. */
function solarTermJulianDayUT(longitude: number, approxJD: number): number {
  let jd = approxJD;
  for (let i = 0; i < 30; i++) {
    const diff = ((((longitude - apparentSolarLongitude(utToTt(jd))) % 360) + 540) % 360) - 180;
    jd += diff / 0.985_647_36; // mean daily motion of the Sun
    if (Math.abs(diff) < 1e-7) break;
  }
  return jd;
}

/** The civil day number (in UTC+7) containing the Julian Day (UT) `jd`. */
function vietnamDayNumber(jd: number): number {
  return Math.floor(jd + 0.5 + VIETNAM_UTC_OFFSET_HOURS / 24) - JDN_OF_EPOCH;
}

/** First day (day number, UTC+7) of the lunar month starting with new moon `k`. */
function newMoonDay(k: number): number {
  return vietnamDayNumber(newMoonJulianDayUT(k));
}

/** Index k of the last new moon on or before the given Julian Day (roughly). */
function newMoonIndexNear(jd: number): number {
  return Math.round((jd - 2_451_550.09766) / 29.530588861);
}

// ---------------------------------------------------------------------------------------------------------
// Month tables
// ---------------------------------------------------------------------------------------------------------

interface LunarMonth {
  /** Lunar year the month belongs to. */
  readonly year: number;
  readonly month: number;
  readonly leap: boolean;
  /** Day number of day 1. */
  readonly start: number;
  /** Number of days: 29 or 30. */
  readonly length: number;
}

/** Day number (UTC+7) of the December solstice of Gregorian year `year`. */
function decemberSolsticeDay(year: number): number {
  const approx = dayNumberFromCivil(year, 12, 21) + JDN_OF_EPOCH;
  return vietnamDayNumber(solarTermJulianDayUT(270, approx));
}

/** Index k of the new moon that starts month 11, i.e. the month containing the December solstice of `year`. */
function month11Index(year: number): number {
  const solstice = decemberSolsticeDay(year);
  let k = newMoonIndexNear(solstice + JDN_OF_EPOCH);
  while (newMoonDay(k) > solstice) k--;
  while (newMoonDay(k + 1) <= solstice) k++;
  return k;
}

/**
 * The lunar months from month 11 of Gregorian year `year − 1` up to (excluding) month 11 of `year`, i.e. one
 * "sui" from solstice to solstice, with the leap month (if any) found by the no-major-term rule.
 */
function computeSui(year: number): readonly LunarMonth[] {
  const k0 = month11Index(year - 1);
  const k1 = month11Index(year);
  const count = k1 - k0;
  const starts: number[] = [];
  for (let i = 0; i <= count; i++) starts.push(newMoonDay(k0 + i));
  let leapIndex = -1;
  if (count === 13) {
    // Days (UTC+7) of the major solar terms 270°, 300°, …, 240°, 270° of this sui.
    const solsticeJD = solarTermJulianDayUT(270, dayNumberFromCivil(year - 1, 12, 21) + JDN_OF_EPOCH);
    const termDays: number[] = [];
    for (let j = 0; j <= 12; j++) {
      termDays.push(
        vietnamDayNumber(solarTermJulianDayUT((270 + 30 * j) % 360, solsticeJD + j * 30.436_875)),
      );
    }
    for (let i = 1; i < 13 && leapIndex < 0; i++) {
      const from = starts[i]!;
      const to = starts[i + 1]!;
      if (!termDays.some((d) => d >= from && d < to)) leapIndex = i;
    }
    if (leapIndex < 0) throw new Error(`no leap month found in the sui ending in ${year}`);
  } else if (count !== 12) {
    throw new Error(`unexpected ${count} lunar months in the sui ending in ${year}`);
  }
  const months: LunarMonth[] = [];
  let number = 11;
  let lunarYear = year - 1;
  for (let i = 0; i < count; i++) {
    const start = starts[i]!;
    const length = starts[i + 1]! - start;
    if (i === leapIndex) {
      months.push({ year: lunarYear, month: months[i - 1]!.month, leap: true, start, length });
      continue;
    }
    if (number === 1) lunarYear = year;
    months.push({ year: lunarYear, month: number, leap: false, start, length });
    number = number === 12 ? 1 : number + 1;
  }
  return months;
}

const suiCache = new Map<number, readonly LunarMonth[]>();

function sui(year: number): readonly LunarMonth[] {
  let months = suiCache.get(year);
  if (months === undefined) {
    months = computeSui(year);
    suiCache.set(year, months);
  }
  return months;
}

const yearCache = new Map<number, readonly LunarMonth[]>();

/** The 12 or 13 months of lunar year `lunarYear`, in order. */
function monthsOfLunarYear(lunarYear: number): readonly LunarMonth[] {
  let months = yearCache.get(lunarYear);
  if (months === undefined) {
    // 1 January 1900 still belongs to lunar year 1899.
    if (!Number.isInteger(lunarYear) || lunarYear < LUNAR_MIN_YEAR - 1 || lunarYear > LUNAR_MAX_YEAR) {
      throw new RangeError(`lunar year outside ${LUNAR_MIN_YEAR - 1}–${LUNAR_MAX_YEAR}: ${lunarYear}`);
    }
    months = [...sui(lunarYear), ...sui(lunarYear + 1)].filter((m) => m.year === lunarYear);
    yearCache.set(lunarYear, months);
  }
  return months;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) {
    throw new RangeError(`year outside ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}: ${year}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Public conversions
// ---------------------------------------------------------------------------------------------------------

/** The lunar date of a day number. */
export function lunarFromDayNumber(dayNumber: number): LunarDate {
  const { year } = civilFromDayNumber(dayNumber);
  checkYear(year);
  // The sui ending in `year` covers roughly 22 Dec (year−1) … 21 Dec (year).
  let months = sui(year);
  if (dayNumber >= months[months.length - 1]!.start + months[months.length - 1]!.length)
    months = sui(year + 1);
  else if (dayNumber < months[0]!.start) months = sui(year - 1);
  for (let i = months.length - 1; i >= 0; i--) {
    const m = months[i]!;
    if (m.start <= dayNumber)
      return { year: m.year, month: m.month, day: dayNumber - m.start + 1, leap: m.leap };
  }
  throw new Error(`no lunar month found for day ${dayNumber}`);
}

/** Gregorian → Vietnamese lunar date. */
export function solarToLunar(year: number, month: number, day: number): LunarDate {
  if (
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12 ||
    !Number.isInteger(day) ||
    day < 1 ||
    day > daysInGregorianMonth(year, month)
  ) {
    throw new RangeError(`not a real date: ${year}-${month}-${day}`);
  }
  checkYear(year);
  return lunarFromDayNumber(dayNumberFromCivil(year, month, day));
}

function findMonth(lunarYear: number, lunarMonth: number, leap: boolean): LunarMonth {
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12) {
    throw new RangeError(`lunar month must be 1–12: ${lunarMonth}`);
  }
  const found = monthsOfLunarYear(lunarYear).find((m) => m.month === lunarMonth && m.leap === leap);
  if (found === undefined) throw new RangeError(`lunar year ${lunarYear} has no leap month ${lunarMonth}`);
  return found;
}

/** Day number of a lunar date; throws RangeError if the date does not exist. */
export function dayNumberFromLunar(
  lunarYear: number,
  lunarMonth: number,
  lunarDay: number,
  leap = false,
): number {
  const m = findMonth(lunarYear, lunarMonth, leap);
  if (!Number.isInteger(lunarDay) || lunarDay < 1 || lunarDay > m.length) {
    throw new RangeError(
      `lunar ${leap ? 'leap ' : ''}month ${lunarMonth} of ${lunarYear} has ${m.length} days: ${lunarDay}`,
    );
  }
  return m.start + lunarDay - 1;
}

/** Vietnamese lunar → Gregorian date. */
export function lunarToSolar(
  lunarYear: number,
  lunarMonth: number,
  lunarDay: number,
  leap = false,
): SolarDate {
  return civilFromDayNumber(dayNumberFromLunar(lunarYear, lunarMonth, lunarDay, leap));
}

/** Number of days (29 or 30) of a lunar month. */
export function lunarMonthLength(lunarYear: number, lunarMonth: number, leap = false): number {
  return findMonth(lunarYear, lunarMonth, leap).length;
}

/** The leap month of a lunar year (its number; the leap month follows the regular one), or null. */
export function leapMonthOf(lunarYear: number): number | null {
  return monthsOfLunarYear(lunarYear).find((m) => m.leap)?.month ?? null;
}

/** Tết Nguyên đán (day 1 of month 1) of the lunar year starting in Gregorian `year`: 'YYYY-MM-DD'. */
export function tetDate(year: number): string {
  return isoDateFromDayNumber(dayNumberFromLunar(year, 1, 1));
}

/**
 * The last day of the lunar year that ends just before Tết of Gregorian `year` (30 tháng Chạp, or 29 when
 * month 12 is short — the day of Giao thừa): 'YYYY-MM-DD'. Counted as a Tết holiday by default.
 */
export function lunarNewYearEve(year: number): string {
  return isoDateFromDayNumber(dayNumberFromLunar(year, 1, 1) - 1);
}

/** Giỗ Tổ Hùng Vương: day 10 of the (regular) 3rd lunar month of `year`: 'YYYY-MM-DD'. */
export function hungKingsDate(year: number): string {
  return isoDateFromDayNumber(dayNumberFromLunar(year, 3, 10));
}
