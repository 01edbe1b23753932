/**
 * The simulated national business registration database (Cơ sở dữ liệu quốc gia về đăng ký doanh
 * nghiệp): businesses generated from a seed, one by one, never stored — like the population register
 * (sim/population-register/population.ts), whose people are their legal representatives when both use
 * the same seed.
 *
 * Business `j` has the tax code `N1N2 N3…N9 N10`: a province prefix, seven digits that are a permutation
 * of `j`, and the check digit every validator uses (weights 31 29 23 19 17 13 7 5 3; reference/rules.md).
 * Where the check digit would be 10 the code is invalid, and business `j` does not exist. About 5% are
 * suspended and 3% have ceased to exist. A few fixed businesses come first: the embedded demo's business
 * and one in each unusual state (README.md). Branches (`-NNN`) are not simulated.
 *
 * Invented from the seed: none of it is anybody's data.
 */
import { createRng } from '../agency/random.ts';
import {
  affinePermutation,
  BUSINESS_MOBILE_PREFIXES,
  type Citizen,
  FIXED_CITIZENS,
  type Population,
  sameName,
} from '../population-register/population.ts';

export type BusinessStatus = 'active' | 'suspended' | 'dissolved';

export interface Business {
  taxCode: string;
  name: string;
  status: BusinessStatus;
  headOffice: string;
  representative: { personalId: string; fullName: string };
  /** National format, or null. */
  phone: string | null;
  email: string | null;
}

export type BusinessCheck =
  | { result: 'match'; business: Business }
  | { result: 'not-found' }
  | { result: 'mismatch'; fields: Array<'name' | 'representative'> }
  | { result: 'suspended' }
  | { result: 'dissolved' };

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The check digit N10 of nine digits, or null where it would be 10 (no valid code). */
export function taxCheckDigit(nine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += WEIGHTS[i]! * Number(nine[i]);
  const c = 10 - (sum % 11);
  return c <= 9 ? c : null;
}

const minh = FIXED_CITIZENS.find((c) => c.personalId === '001088012345')!;
const nam = FIXED_CITIZENS.find((c) => c.personalId === '001090012004')!;
const rep = (c: Citizen) => ({ personalId: c.personalId, fullName: c.fullName });

/** Businesses that are always there, whatever the seed (README.md lists them). */
export const FIXED_BUSINESSES: readonly Business[] = [
  {
    // The embedded demo's business (src/modules/identity/demo.ts).
    taxCode: '0106789017',
    name: 'Công ty TNHH Ánh Dương (dữ liệu thử)',
    status: 'active',
    headOffice: 'Số 12 phố Hàng Bài, Phường Hoàn Kiếm, Hà Nội',
    representative: rep(minh),
    phone: '0911000002',
    email: 'anhduong.demo@example.vn',
  },
  {
    taxCode: '0105550018',
    name: 'Công ty TNHH Sao Băng (dữ liệu thử)',
    status: 'dissolved',
    headOffice: 'Số 3 phố Huế, Phường Hai Bà Trưng, Hà Nội',
    representative: rep(nam),
    phone: null,
    email: null,
  },
  {
    taxCode: '0105550025',
    name: 'Công ty Cổ phần Hải Âu (dữ liệu thử)',
    status: 'suspended',
    headOffice: 'Số 9 phố Tràng Tiền, Phường Hoàn Kiếm, Hà Nội',
    representative: rep(nam),
    phone: '0911000093',
    email: null,
  },
  {
    taxCode: '0105550032',
    name: 'Công ty TNHH Hoàng Nam (dữ liệu thử)',
    status: 'active',
    headOffice: 'Số 8 phố Kim Mã, Phường Giảng Võ, Hà Nội',
    representative: rep(nam),
    phone: '0911000095',
    email: 'hoangnam.demo@example.vn',
  },
];

const FORMS: Array<[string, number]> = [
  ['Công ty TNHH', 6],
  ['Công ty Cổ phần', 3],
  ['Doanh nghiệp tư nhân', 1],
];
const TRADES = ['Thương mại', 'Dịch vụ', 'Xây dựng', 'Đầu tư', 'Công nghệ', 'Vận tải', 'Thực phẩm', 'Tư vấn'];
const BRANDS = [
  'Hoàng Long',
  'Minh Phát',
  'An Khang',
  'Thành Công',
  'Phú Thịnh',
  'Việt Hưng',
  'Đại Nam',
  'Sao Mai',
  'Hải Đăng',
  'Bình Minh',
  'Tân Tiến',
  'Hưng Thịnh',
  'Trường An',
  'Ngọc Lan',
  'Kim Sơn',
];
/** Tax-code prefixes, as tax offices number provinces (01 Hà Nội, 03 Hồ Chí Minh, 02 Hải Phòng, 04 Đà Nẵng…). */
const PREFIXES: Array<[string, number]> = [
  ['01', 30],
  ['03', 30],
  ['02', 6],
  ['04', 5],
  ['08', 2],
  ['22', 2],
  ['23', 2],
  ['27', 2],
  ['36', 2],
  ['18', 2],
  ['28', 2],
  ['42', 2],
];

export interface BusinessRegistry {
  seed: string;
  size: number;
  /** Business j, or undefined where its tax code would be invalid. */
  at(j: number): Business | undefined;
  find(taxCode: string): Business | undefined;
  /** The first generated business from `start` on that satisfies `test`. */
  search(test: (b: Business) => boolean, start?: number): Business;
  check(query: { taxCode: string; name: string; representativeId: string }): BusinessCheck;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function createBusinessRegistry(
  population: Population,
  options: { size?: number } = {},
): BusinessRegistry {
  const seed = population.seed;
  const size = options.size ?? 20_000;
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000)
    throw new RangeError('business register size must be an integer from 1 to 1,000,000');
  const codes = affinePermutation(10_000_000, seed, 'tax-code');
  const phones = affinePermutation(10_000_000, seed, 'business-phone');
  const fixed = new Map(FIXED_BUSINESSES.map((b) => [b.taxCode, b]));

  function at(j: number): Business | undefined {
    const rng = createRng('business', seed, j);
    const prefix = rng.weighted(PREFIXES, ([, w]) => w)[0];
    const middle = pad(codes.apply(j), 7);
    if (middle === '0000000') return undefined;
    const check = taxCheckDigit(`${prefix}${middle}`);
    if (check === null) return undefined;
    const taxCode = `${prefix}${middle}${check}`;
    const representative = population.search(
      (c) => c.status === 'alive' && Number(c.birthDate.slice(0, 4)) <= 2006,
      rng.int(0, population.size - 1),
    );
    const form = rng.weighted(FORMS, ([, w]) => w)[0];
    const name =
      form === 'Doanh nghiệp tư nhân'
        ? `Doanh nghiệp tư nhân ${rng.pick(BRANDS)} ${representative.fullName.split(' ').pop()}`
        : `${form} ${rng.pick(TRADES)} ${rng.pick(BRANDS)}${rng.chance(0.4) ? ` ${rng.int(1, 99)}` : ''}`;
    const roll = rng.next();
    return {
      taxCode,
      name,
      status: roll < 0.03 ? 'dissolved' : roll < 0.08 ? 'suspended' : 'active',
      headOffice: representative.permanentResidence,
      representative: rep(representative),
      phone: rng.chance(0.05) ? null : `0${rng.pick(BUSINESS_MOBILE_PREFIXES)}${pad(phones.apply(j), 7)}`,
      email: rng.chance(0.3) ? null : `lienhe.${taxCode}@example.vn`,
    };
  }

  function find(taxCode: string): Business | undefined {
    if (!/^\d{10}$/.test(taxCode)) return undefined;
    const pinned = fixed.get(taxCode);
    if (pinned) return pinned;
    const j = codes.invert(Number(taxCode.slice(2, 9)));
    if (j >= size) return undefined;
    const b = at(j);
    return b?.taxCode === taxCode ? b : undefined;
  }

  return {
    seed,
    size,
    at: (j) => at(j),
    find,
    search(test, start = 0) {
      for (let k = 0; k < size; k++) {
        const b = at((start + k) % size);
        if (b && !fixed.has(b.taxCode) && test(b)) return b;
      }
      throw new Error('no business in the register satisfies the test');
    },
    check(q) {
      const b = find(q.taxCode);
      if (!b) return { result: 'not-found' };
      const fields: Array<'name' | 'representative'> = [];
      if (!sameName(b.name, q.name)) fields.push('name');
      if (b.representative.personalId !== q.representativeId) fields.push('representative');
      if (fields.length > 0) return { result: 'mismatch', fields };
      if (b.status === 'dissolved') return { result: 'dissolved' };
      if (b.status === 'suspended') return { result: 'suspended' };
      return { result: 'match', business: b };
    },
  };
}
