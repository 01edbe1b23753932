import { describe, expect, it } from 'vitest';
import {
  apparentSolarLongitude,
  civilFromDayNumber,
  dayNumberFromCivil,
  dayNumberFromIsoDate,
  hungKingsDate,
  isoDateFromDayNumber,
  leapMonthOf,
  lunarFromDayNumber,
  lunarMonthLength,
  lunarNewYearEve,
  lunarToSolar,
  newMoonJDE,
  newMoonJulianDayUT,
  solarToLunar,
  tetDate,
  weekdayOfDayNumber,
} from './lunar.ts';

describe('civil day numbers', () => {
  it('agree with Date.UTC over several centuries', () => {
    const mismatches: number[] = [];
    for (let n = dayNumberFromCivil(1890, 1, 1); n <= dayNumberFromCivil(2210, 12, 31); n++) {
      const d = new Date(n * 86_400_000);
      const c = civilFromDayNumber(n);
      if (
        c.year !== d.getUTCFullYear() ||
        c.month !== d.getUTCMonth() + 1 ||
        c.day !== d.getUTCDate() ||
        dayNumberFromCivil(c.year, c.month, c.day) !== n ||
        weekdayOfDayNumber(n) !== d.getUTCDay() ||
        isoDateFromDayNumber(n) !== d.toISOString().slice(0, 10)
      ) {
        mismatches.push(n);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('parse only real YYYY-MM-DD dates', () => {
    expect(dayNumberFromIsoDate('1970-01-01')).toBe(0);
    expect(dayNumberFromIsoDate('2024-02-29')).toBe(dayNumberFromCivil(2024, 2, 29));
    for (const bad of ['2023-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00', '', '2026/01/01']) {
      expect(() => dayNumberFromIsoDate(bad)).toThrow(RangeError);
    }
  });
});

describe('astronomy (Meeus)', () => {
  it('reproduces example 49.a: new moon of February 1977', () => {
    expect(newMoonJDE(-283)).toBeCloseTo(2_443_192.65118, 5);
  });

  it('reproduces example 25.a: apparent solar longitude on 1992-10-13.0 TD', () => {
    expect(apparentSolarLongitude(2_448_908.5)).toBeCloseTo(199.90895, 4);
  });

  it('puts the new moon of Tết 2007 at 16:14 UTC: before midnight in UTC+7, after it in UTC+8', () => {
    const ms = (newMoonJulianDayUT(88) - 2_440_587.5) * 86_400_000;
    expect(new Date(ms).toISOString().slice(0, 16)).toBe('2007-02-17T16:14');
  });
});

describe('Tết Nguyên đán', () => {
  // Vietnam (UTC+7). 1985: 21 January in Vietnam, 20 February in China (the December 1984 solstice fell at
  // 23:17 on the 21st in UTC+7 but 00:17 on the 22nd in UTC+8, so month 11 differed); 2007 and 2030: one day
  // earlier than China.
  const TET: Record<number, string> = {
    1985: '1985-01-21',
    2007: '2007-02-17',
    2020: '2020-01-25',
    2021: '2021-02-12',
    2022: '2022-02-01',
    2023: '2023-01-22',
    2024: '2024-02-10',
    2025: '2025-01-29',
    2026: '2026-02-17',
    2027: '2027-02-06',
    2028: '2028-01-26',
    2030: '2030-02-02',
  };
  for (const [year, date] of Object.entries(TET)) {
    it(`is ${date} in ${year}`, () => {
      expect(tetDate(Number(year))).toBe(date);
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      expect(solarToLunar(y, m, d)).toEqual({ year: Number(year), month: 1, day: 1, leap: false });
    });
  }

  it('is preceded by the last day of the old lunar year (29 or 30 tháng Chạp)', () => {
    expect(lunarNewYearEve(2026)).toBe('2026-02-16'); // 29 tháng Chạp Ất Tỵ (month 12 has 29 days)
    expect(solarToLunar(2026, 2, 16)).toEqual({ year: 2025, month: 12, day: 29, leap: false });
    expect(lunarNewYearEve(2024)).toBe('2024-02-09'); // 30 tháng Chạp Quý Mão
    expect(solarToLunar(2024, 2, 9)).toEqual({ year: 2023, month: 12, day: 30, leap: false });
    expect(lunarNewYearEve(2027)).toBe('2027-02-05');
  });

  it('matches the lunar dates quoted in official holiday announcements', () => {
    // 2020: "từ 23/1/2020 … (tức từ ngày 29 tháng Chạp năm Kỷ Hợi đến hết ngày mùng 5 tháng Giêng năm Canh Tý)"
    expect(solarToLunar(2020, 1, 23)).toEqual({ year: 2019, month: 12, day: 29, leap: false });
    expect(solarToLunar(2020, 1, 29)).toEqual({ year: 2020, month: 1, day: 5, leap: false });
    // 2025: "từ ngày 25/1/2025 (26 tháng Chạp năm Giáp Thìn)"
    expect(solarToLunar(2025, 1, 25)).toEqual({ year: 2024, month: 12, day: 26, leap: false });
    // 2026: "từ thứ Bảy 14/2/2026 (tức 27 tháng Chạp, năm Ất Tỵ) đến hết Chủ nhật 22/2/2026 (tức mùng 6 …)"
    expect(solarToLunar(2026, 2, 14)).toEqual({ year: 2025, month: 12, day: 27, leap: false });
    expect(solarToLunar(2026, 2, 22)).toEqual({ year: 2026, month: 1, day: 6, leap: false });
  });
});

describe('Giỗ Tổ Hùng Vương (10/3 âm lịch)', () => {
  it.each([
    [2020, '2020-04-02'],
    [2023, '2023-04-29'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ])('%i → %s', (year, date) => {
    expect(hungKingsDate(year)).toBe(date);
  });

  it('is in the regular 3rd month even when the year has a leap 2nd month (2023)', () => {
    expect(leapMonthOf(2023)).toBe(2);
    expect(lunarToSolar(2023, 2, 10, true)).toEqual({ year: 2023, month: 3, day: 31 });
    expect(hungKingsDate(2023)).toBe('2023-04-29');
  });
});

describe('leap months', () => {
  it.each([
    [2020, 4],
    [2021, null],
    [2023, 2],
    [2025, 6],
    [2028, 5],
    [2031, 3],
    [2033, 11], // the "2033 problem": leap 11th month (the first month without a major term after the solstice)
    [2036, 6],
  ])('lunar year %i → %s', (year, leap) => {
    expect(leapMonthOf(year)).toBe(leap);
  });

  it('rejects dates that do not exist', () => {
    expect(() => lunarToSolar(2024, 4, 1, true)).toThrow(RangeError);
    expect(() => lunarToSolar(2026, 13, 1)).toThrow(RangeError);
    const short = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].find((m) => lunarMonthLength(2026, m) === 29)!;
    expect(() => lunarToSolar(2026, short, 30)).toThrow(RangeError);
    expect(() => solarToLunar(2026, 2, 30)).toThrow(RangeError);
    expect(() => tetDate(1800)).toThrow(RangeError);
  });
});

describe('round trip solar → lunar → solar', () => {
  for (const year of [1985, 2020, 2023, 2025, 2026, 2033, 2057, 2100]) {
    it(`holds for every day of ${year}`, () => {
      let previous = lunarFromDayNumber(dayNumberFromCivil(year, 1, 1) - 1);
      for (let n = dayNumberFromCivil(year, 1, 1); n < dayNumberFromCivil(year + 1, 1, 1); n++) {
        const { year: y, month, day } = civilFromDayNumber(n);
        const lunar = solarToLunar(y, month, day);
        expect(lunarToSolar(lunar.year, lunar.month, lunar.day, lunar.leap)).toEqual({ year: y, month, day });
        // Consecutive days: the next lunar day, or day 1 of a new month of 29 or 30 days.
        if (lunar.day === 1) expect([29, 30]).toContain(previous.day);
        else expect(lunar.day).toBe(previous.day + 1);
        previous = lunar;
      }
    });
  }
});

describe("cross-check with Intl's Chinese calendar (UTC+8), 1990–2100", () => {
  // The Chinese calendar follows the same rules for UTC+8 (ICU computes it with its own astronomy, and
  // Node's Intl uses ICU). The Vietnamese Tết can only differ when the new moon that starts month 1 falls
  // between 16:00 and 17:00 UTC (before midnight in Vietnam, after midnight in China), or when the December
  // solstice falls between those hours on a new-moon day (as in 1985, before this range). Years where the
  // two disagree, with the new moon as computed here (Meeus ch. 49):
  //   2007: 17 Feb 16:14 UTC → Vietnam 17 Feb, China 18 Feb (a real UTC+7/UTC+8 difference);
  //   2027:  6 Feb 15:56 UTC → both 6 Feb in reality; ICU's simplified lunar theory (off by several
  //          minutes) puts it after 16:00 UTC and gives 7 Feb;
  //   2053: 18 Feb 16:31 UTC → Vietnam 18 Feb, China 19 Feb (a real difference).
  // Conversely in 2030 (new moon 2 Feb 16:07 UTC) China's Tết is really on 3 February, one day after
  // Vietnam's 2 February, but ICU places the new moon before 16:00 UTC and agrees with us: so the real
  // Vietnam/China differences in 1990–2100 are 2007, 2030 and 2053.
  const EXPECTED_DIFFERENCES: Record<number, { vietnam: string; intl: string }> = {
    2007: { vietnam: '2007-02-17', intl: '2007-02-18' },
    2027: { vietnam: '2027-02-06', intl: '2027-02-07' },
    2053: { vietnam: '2053-02-18', intl: '2053-02-19' },
  };
  const chinese = new Intl.DateTimeFormat('en-u-ca-chinese', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const intlTet = (year: number): string => {
    for (let n = dayNumberFromCivil(year, 1, 19); n <= dayNumberFromCivil(year, 2, 21); n++) {
      const noonInChina = new Date(n * 86_400_000 + 4 * 3_600_000);
      const parts = Object.fromEntries(chinese.formatToParts(noonInChina).map((p) => [p.type, p.value]));
      if (parts.month === '1' && parts.day === '1') return isoDateFromDayNumber(n);
    }
    throw new Error(`no Chinese new year found in ${year}`);
  };

  it('agrees on Tết except in the explained years', () => {
    const differences: Record<number, { vietnam: string; intl: string }> = {};
    for (let year = 1990; year <= 2100; year++) {
      const vietnam = tetDate(year);
      const intl = intlTet(year);
      if (vietnam !== intl) differences[year] = { vietnam, intl };
    }
    expect(differences).toEqual(EXPECTED_DIFFERENCES);
  });
});
