/**
 * The simulated national population database (Cơ sở dữ liệu quốc gia về dân cư): a population generated
 * from a seed, person by person, never stored. Person `i` (0 ≤ i < size) is made by a PRNG seeded with
 * (seed, i); the six random digits `RRRRRR` of their personal identification number are a permutation of
 * `i` (an affine map modulo 10⁶ chosen by the seed), so a number is looked up by inverting that map and
 * generating the one person it can belong to. The same seed gives the same people on any machine.
 *
 * Numbers are laid out as the real ones (Decree 137/2015/NĐ-CP Art. 13): `0` + the 2-digit statistical
 * code of the province where the birth was registered (one of the 63 of provinces-2020.csv), the
 * century-and-sex digit, the last two digits of the birth year, six digits. Phone numbers are unique
 * (the last seven digits are another permutation of `i`); about 3% of people have none registered, 1%
 * are dead and 0.2% hold a number that was revoked. A few fixed people come first: the embedded demo's
 * citizen and one person in each unusual state, for trying the portal by hand (README.md).
 *
 * Invented from the seed: none of it is anybody's data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { personName } from '../agency/people.ts';
import { createRng } from '../agency/random.ts';

export type Sex = 'male' | 'female';
export type CitizenStatus = 'alive' | 'deceased' | 'revoked';

export interface Citizen {
  personalId: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  permanentResidence: string;
  /** National format (0 + 9 digits), or null when none is registered. */
  phone: string | null;
  status: CitizenStatus;
}

/** What a check of (number, name, date of birth) answers. */
export type CitizenCheck =
  | { result: 'match'; citizen: Citizen }
  | { result: 'not-found' }
  | { result: 'mismatch'; fields: Array<'fullName' | 'birthDate'> }
  | { result: 'deceased' }
  | { result: 'revoked' };

const REFERENCE = path.resolve(import.meta.dirname, '../../db/reference');

function csvRows(file: string): string[][] {
  return fs
    .readFileSync(path.join(REFERENCE, file), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','));
}

/** The 63 provinces of 2020: their codes are the `PPP` of personal numbers. */
const BIRTH_PROVINCES = csvRows('provinces-2020.csv').map(([code]) => code!);

/** Provinces of 2025 by code, and which 2025 province covers each 2020 code. */
const PROVINCES_2025 = new Map<string, string>();
const PROVINCE_2025_OF = new Map<string, string>();
for (const [code, name, , from] of csvRows('provinces-2025.csv')) {
  PROVINCES_2025.set(code!, name!);
  for (const old of (from ?? '').split(' ')) PROVINCE_2025_OF.set(old, code!);
}

/** Communes, wards and special zones of 1 July 2025, by province. */
const COMMUNES = new Map<string, string[]>();
for (const [, name, province] of csvRows('communes-2025.csv')) {
  const list = COMMUNES.get(province!) ?? [];
  list.push(name!);
  COMMUNES.set(province!, list);
}
const PROVINCE_CODES_2025 = [...COMMUNES.keys()];

const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung'];
/** Mobile prefixes of generated people (the demo's numbers are 0911…, kept apart). */
const MOBILE_PREFIXES = ['32', '33', '34', '35', '36', '37', '38', '39', '70', '76', '77', '78', '79', '81'];
/** Businesses' numbers (sim/business-register) use other prefixes, so no number is shared. */
export const BUSINESS_MOBILE_PREFIXES = ['82', '83', '84', '85', '86', '88', '89', '90', '93', '94', '96'];

/** People who are always there, whatever the seed (README.md lists them). */
export const FIXED_CITIZENS: readonly Citizen[] = [
  {
    // The embedded demo's citizen (src/modules/identity/demo.ts).
    personalId: '001088012345',
    fullName: 'Nguyễn Văn Minh',
    birthDate: '1988-05-12',
    sex: 'male',
    permanentResidence: 'Số 12 phố Hàng Bài, Phường Hoàn Kiếm, Hà Nội',
    phone: '0911000001',
    status: 'alive',
  },
  {
    personalId: '001052012001',
    fullName: 'Trần Văn Tâm',
    birthDate: '1952-02-14',
    sex: 'male',
    permanentResidence: 'Số 5 ngõ 14 phố Khâm Thiên, Phường Văn Miếu - Quốc Tử Giám, Hà Nội',
    phone: null,
    status: 'deceased',
  },
  {
    personalId: '079190012002',
    fullName: 'Lê Thị Hoa',
    birthDate: '1990-09-02',
    sex: 'female',
    permanentResidence: 'Số 40 đường Nguyễn Trãi, Phường Bến Thành, Hồ Chí Minh',
    phone: '0911000092',
    status: 'revoked',
  },
  {
    personalId: '001195012003',
    fullName: 'Phạm Thị Lan',
    birthDate: '1995-07-07',
    sex: 'female',
    permanentResidence: 'Thôn Đông, Xã Đông Anh, Hà Nội',
    phone: null,
    status: 'alive',
  },
  {
    // A second person with a phone, for trying a takeover by hand (README.md).
    personalId: '001090012004',
    fullName: 'Hoàng Văn Nam',
    birthDate: '1990-03-15',
    sex: 'male',
    permanentResidence: 'Số 8 phố Kim Mã, Phường Giảng Võ, Hà Nội',
    phone: '0911000094',
    status: 'alive',
  },
];

const MILLION = 1_000_000;
const TEN_MILLION = 10_000_000;

/** The inverse of a modulo m (a and m coprime). */
function inverseMod(a: number, m: number): number {
  let [r0, r1] = [a, m];
  let [s0, s1] = [1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/** A bijection of [0, m) for m a power of ten: i ↦ (a·i + b) mod m, a coprime to 10. */
export interface Permutation {
  apply(i: number): number;
  invert(x: number): number;
}

export function affinePermutation(m: number, ...seed: Array<string | number>): Permutation {
  const rng = createRng('permutation', m, ...seed);
  let a = rng.int(Math.floor(m / 10), m - 1);
  while (a % 2 === 0 || a % 5 === 0) a = (a + 1) % m || 3;
  const b = rng.int(0, m - 1);
  const inverse = inverseMod(a, m);
  // a·i stays below 2^53 for m ≤ 10^7.
  return {
    apply: (i) => (((a * i) % m) + b) % m,
    invert: (x) => (((x - b + m) % m) * inverse) % m,
  };
}

export interface Population {
  seed: string;
  size: number;
  /** Person i of the generated population (0 ≤ i < size); fixed people are not among them. */
  at(i: number): Citizen;
  /** The record of a personal number, or undefined when nobody holds it. */
  find(personalId: string): Citizen | undefined;
  /** The first generated person from `start` on that satisfies `test` (for tests and the business register). */
  search(test: (c: Citizen) => boolean, start?: number): Citizen;
  /** Checks a number, full name and date of birth as an agency would. */
  check(query: { personalId: string; fullName: string; birthDate: string }): CitizenCheck;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The same name however it was typed: NFC, case-folded, single spaces. Diacritics count. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
  return norm(a) === norm(b);
}

export function createPopulation(options: { seed?: string | number; size?: number } = {}): Population {
  const seed = String(options.seed ?? '1');
  const size = options.size ?? 100_000;
  if (!Number.isInteger(size) || size < 1 || size > MILLION)
    throw new RangeError('population size must be an integer from 1 to 1,000,000');
  const ids = affinePermutation(MILLION, seed, 'id');
  const phones = affinePermutation(TEN_MILLION, seed, 'phone');
  const fixed = new Map(FIXED_CITIZENS.map((c) => [c.personalId, c]));

  function at(i: number): Citizen {
    const rng = createRng('citizen', seed, i);
    const sex: Sex = rng.chance(0.5) ? 'male' : 'female';
    // Years of birth 1935–2010, more people in the middle.
    const year = Math.round(1935 + ((rng.next() + rng.next() + rng.next()) / 3) * 75);
    const month = rng.int(1, 12);
    const day = rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
    const birthProvince = rng.pick(BIRTH_PROVINCES);
    const g = Math.floor((year - 1900) / 100) * 2 + (sex === 'female' ? 1 : 0);
    const personalId = `0${birthProvince}${g}${pad(year % 100, 2)}${pad(ids.apply(i), 6)}`;
    // Most live in the province (as of 2025) that covers where their birth was registered.
    const home = rng.chance(0.7)
      ? (PROVINCE_2025_OF.get(birthProvince) ?? rng.pick(PROVINCE_CODES_2025))
      : rng.pick(PROVINCE_CODES_2025);
    const commune = rng.pick(COMMUNES.get(home) ?? ['Phường Trung Tâm']);
    const street = rng.chance(0.6)
      ? `Số ${rng.int(1, 300)} đường ${rng.pick(STREETS)}`
      : `Thôn ${rng.int(1, 12)}`;
    const statusRoll = rng.next();
    return {
      personalId,
      fullName: personName(rng, sex === 'male'),
      birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
      sex,
      permanentResidence: `${street}, ${commune}, ${PROVINCES_2025.get(home) ?? ''}`,
      phone: rng.chance(0.03) ? null : `0${rng.pick(MOBILE_PREFIXES)}${pad(phones.apply(i), 7)}`,
      status: statusRoll < 0.01 ? 'deceased' : statusRoll < 0.012 ? 'revoked' : 'alive',
    };
  }

  function find(personalId: string): Citizen | undefined {
    if (!/^\d{12}$/.test(personalId)) return undefined;
    const pinned = fixed.get(personalId);
    if (pinned) return pinned;
    const i = ids.invert(Number(personalId.slice(6)));
    if (i >= size) return undefined;
    const c = at(i);
    return c.personalId === personalId ? c : undefined;
  }

  return {
    seed,
    size,
    at(i) {
      if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`no person ${i}`);
      return at(i);
    },
    find,
    search(test, start = 0) {
      for (let k = 0; k < size; k++) {
        const c = at((start + k) % size);
        if (!fixed.has(c.personalId) && test(c)) return c;
      }
      throw new Error('nobody in the population satisfies the test');
    },
    check(q) {
      const c = find(q.personalId);
      if (!c) return { result: 'not-found' };
      const fields: Array<'fullName' | 'birthDate'> = [];
      if (!sameName(c.fullName, q.fullName)) fields.push('fullName');
      if (c.birthDate !== q.birthDate) fields.push('birthDate');
      if (fields.length > 0) return { result: 'mismatch', fields };
      if (c.status === 'deceased') return { result: 'deceased' };
      if (c.status === 'revoked') return { result: 'revoked' };
      return { result: 'match', citizen: c };
    },
  };
}
