/**
 * The simulated participant register of Vietnam Social Security (Bảo hiểm xã hội Việt Nam) for voluntary
 * social insurance (BHXH tự nguyện): participants generated from a seed, the same on every machine, plus a
 * few fixed demo participants (README.md). Participant `i` is drawn from a PRNG seeded with (seed, i); codes
 * and ID numbers are kept unique. The plan (income, mode, support group, State-supported months used, the
 * last month paid) is state: contributions move it.
 *
 * The rules (reference/rules.md, Law on Social Insurance 2024 and Decree 159/2025/NĐ-CP): 22% of a chosen
 * monthly income from 1,500,000 đ to 46,800,000 đ; State support per month = rate × 22% × 1,500,000
 * (50% poor households and island communes, 40% near-poor, 30% ethnic minorities, 20% others) for at most
 * 120 months. Invented from the seed: none of it is anybody's data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { personName } from '../agency/people.ts';
import { createRng } from '../agency/random.ts';

export type SupportGroup = 'poor' | 'near-poor' | 'ethnic-minority' | 'island' | 'other';
export const SUPPORT_GROUPS: readonly SupportGroup[] = [
  'poor',
  'near-poor',
  'ethnic-minority',
  'island',
  'other',
];

export const MIN_INCOME = 1_500_000;
export const MAX_INCOME = 46_800_000;
export const SUPPORTED_MONTHS_LIMIT = 120;
export const MAX_MONTHS = 60;

/** State support per month, đồng: rate × 22% × 1,500,000. */
export const SUPPORT_PER_MONTH: Readonly<Record<SupportGroup, number>> = {
  poor: 165_000,
  island: 165_000,
  'near-poor': 132_000,
  'ethnic-minority': 99_000,
  other: 66_000,
};

export interface Plan {
  /** Chosen monthly income, đồng. */
  income: number;
  /** Payment mode: every 1, 3, 6 or 12 months. */
  months: 1 | 3 | 6 | 12;
  supportGroup: SupportGroup;
  /** Months already paid with State support (support stops at 120). */
  supportedMonthsUsed: number;
  /** Last month paid, 'YYYY-MM', or null before the first contribution. */
  paidThrough: string | null;
}

export interface Participant {
  /** Mã số BHXH: 10 digits. */
  code: string;
  name: string;
  /** Personal identification number, 12 digits. */
  idNumber: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** Province code (of 2025). */
  province: string;
  plan: Plan;
}

/** Always there, whatever the seed (README.md lists them). */
export const FIXED_PARTICIPANTS: readonly Participant[] = [
  {
    // The embedded demo's citizen (sim/population-register).
    code: '0123456789',
    name: 'Nguyễn Văn Minh',
    idNumber: '001088012345',
    birthDate: '1988-05-12',
    province: '01',
    plan: {
      income: 2_000_000,
      months: 3,
      supportGroup: 'other',
      supportedMonthsUsed: 12,
      paidThrough: '2026-09',
    },
  },
  {
    code: '0123456790',
    name: 'Trần Thị Hằng',
    idNumber: '001175012006',
    birthDate: '1975-11-03',
    province: '01',
    plan: {
      income: 1_500_000,
      months: 6,
      supportGroup: 'near-poor',
      supportedMonthsUsed: 118,
      paidThrough: '2026-10',
    },
  },
  {
    code: '0123456791',
    name: 'Lò Văn Páo',
    idNumber: '014085012007',
    birthDate: '1985-06-20',
    province: '14',
    plan: {
      income: 1_500_000,
      months: 1,
      supportGroup: 'poor',
      supportedMonthsUsed: 30,
      paidThrough: '2026-11',
    },
  },
  {
    code: '0123456792',
    name: 'Phạm Thị Lan',
    idNumber: '001195012003',
    birthDate: '1995-07-07',
    province: '01',
    plan: { income: 5_000_000, months: 12, supportGroup: 'other', supportedMonthsUsed: 0, paidThrough: null },
  },
  {
    code: '0123456793',
    name: 'Hoàng Văn Nam',
    idNumber: '001090012004',
    birthDate: '1990-03-15',
    province: '01',
    plan: {
      income: 3_000_000,
      months: 1,
      supportGroup: 'other',
      supportedMonthsUsed: 120,
      paidThrough: '2026-11',
    },
  },
];

/** Province codes of 2025 (db/reference/provinces-2025.csv), the first two digits of generated SI codes. */
const PROVINCES = fs
  .readFileSync(path.resolve(import.meta.dirname, '../../db/reference/provinces-2025.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(',')[0]!);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** 'YYYY-MM' shifted by n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${pad((k % 12) + 1, 2)}`;
}

export const isMonth = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

export interface Register {
  seed: string;
  size: number;
  /** The participant of a code (the live record: contributions change its plan). */
  find(code: string): Participant | undefined;
  /** Generated participant i (0 ≤ i < size). */
  at(i: number): Participant;
  all(): Iterable<Participant>;
}

export function createRegister(options: { seed?: string | number; size?: number } = {}): Register {
  const seed = String(options.seed ?? '1');
  const size = options.size ?? 20_000;
  if (!Number.isInteger(size) || size < 1 || size > 200_000)
    throw new RangeError('size must be an integer from 1 to 200,000');
  const byCode = new Map<string, Participant>();
  const ids = new Set<string>();
  for (const p of FIXED_PARTICIPANTS) {
    byCode.set(p.code, structuredClone(p));
    ids.add(p.idNumber);
  }
  // The population register's fixed people are not generated again.
  for (const id of ['001052012001', '079190012002']) ids.add(id);
  const generated: Participant[] = [];
  for (let i = 0; i < size; i++) {
    const rng = createRng('si-participant', seed, i);
    const male = rng.chance(0.5);
    const year = rng.int(1960, 2006);
    const month = rng.int(1, 12);
    const day = rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
    const province = rng.pick(PROVINCES);
    let code = '';
    do code = `${province}${pad(rng.int(0, 99_999_999), 8)}`;
    while (byCode.has(code));
    const g = (year >= 2000 ? 2 : 0) + (male ? 0 : 1);
    let idNumber = '';
    do idNumber = `0${province}${g}${pad(year % 100, 2)}${pad(rng.int(0, 999_999), 6)}`;
    while (ids.has(idNumber));
    ids.add(idNumber);
    // Most choose an income near the floor.
    const roll = rng.next();
    const steps =
      roll < 0.6
        ? rng.int(0, 30)
        : roll < 0.9
          ? rng.int(30, 150)
          : rng.int(150, (MAX_INCOME - MIN_INCOME) / 50_000);
    const supportGroup = rng.weighted(
      [
        ['poor', 6],
        ['near-poor', 5],
        ['ethnic-minority', 8],
        ['island', 1],
        ['other', 80],
      ] as const,
      ([, w]) => w,
    )[0];
    const started = !rng.chance(0.08);
    const paidThrough = started ? addMonths('2024-01', rng.int(0, 41)) : null;
    const p: Participant = {
      code,
      name: personName(rng, male).normalize('NFC'),
      idNumber,
      birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
      province,
      plan: {
        income: MIN_INCOME + steps * 50_000,
        months: rng.weighted([1, 3, 6, 12] as const, (m) => ({ 1: 40, 3: 25, 6: 15, 12: 20 })[m]),
        supportGroup,
        supportedMonthsUsed: started ? rng.int(0, 130) : 0,
        paidThrough,
      },
    };
    byCode.set(code, p);
    generated.push(p);
  }
  return {
    seed,
    size,
    find: (code) => byCode.get(code),
    at(i) {
      const p = generated[i];
      if (!p) throw new RangeError(`no participant ${i}`);
      return p;
    },
    all: () => byCode.values(),
  };
}
