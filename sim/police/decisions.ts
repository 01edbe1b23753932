/**
 * The traffic police's penalty decisions (quyết định xử phạt vi phạm hành chính), generated from a seed —
 * the same on every machine — plus a few fixed demo decisions (README.md). Violations and amounts are test
 * data ("dữ liệu thử"), not a statement of the amounts of Decree 168/2024/NĐ-CP; names and numbers are
 * invented.
 */
import { personName } from '../agency/people.ts';
import { createRng } from '../agency/random.ts';

export interface Agency {
  code: string;
  name: string;
}

export interface Treasury {
  account: string;
  bankBin: string;
  name: string;
}

/** A decision as registered with the portal (the payments contract's body, plus its number). */
export interface Decision {
  decisionNumber: string;
  /** YYYY-MM-DD (Vietnam) */
  decidedOn: string;
  violator: { name: string; idNumber: string };
  plate: string;
  violation: string;
  place: string;
  /** ISO 8601 with the Vietnam offset. */
  violatedAt: string;
  /** đồng */
  amount: number;
  agency: Agency;
  treasury: Treasury;
}

export const DEFAULT_AGENCY_NAME = 'Phòng Cảnh sát giao thông Công an TP Hà Nội';
/** Test data: the account number is invented; 970415 is VietinBank's BIN. */
export const DEFAULT_TREASURY: Treasury = {
  account: '7111000123456',
  bankBin: '970415',
  name: 'Kho bạc Nhà nước khu vực I',
};

/** Violations and amounts used here: test data (dữ liệu thử). */
export const VIOLATIONS: ReadonlyArray<{ text: string; amount: number }> = [
  { text: 'Không chấp hành hiệu lệnh của đèn tín hiệu giao thông', amount: 4_000_000 },
  { text: 'Điều khiển xe chạy quá tốc độ quy định từ 05 km/h đến dưới 10 km/h', amount: 800_000 },
  { text: 'Điều khiển xe chạy quá tốc độ quy định từ 10 km/h đến 20 km/h', amount: 4_000_000 },
  { text: 'Dừng xe, đỗ xe không đúng nơi quy định', amount: 1_000_000 },
  { text: 'Không thắt dây đai an toàn khi điều khiển xe chạy trên đường', amount: 1_000_000 },
  { text: 'Đi vào khu vực cấm, đường có biển báo hiệu nội dung cấm đi vào', amount: 2_000_000 },
  { text: 'Chuyển làn đường không đúng nơi cho phép hoặc không có tín hiệu báo trước', amount: 1_000_000 },
  { text: 'Không chấp hành hiệu lệnh, chỉ dẫn của biển báo hiệu, vạch kẻ đường', amount: 600_000 },
];

const PLACES = [
  'Ngã tư Kim Mã – Liễu Giai, Phường Ngọc Hà, Hà Nội',
  'Đường Giải Phóng, Phường Tương Mai, Hà Nội',
  'Ngã tư Láng Hạ – Thái Hà, Phường Đống Đa, Hà Nội',
  'Phố Tràng Thi, Phường Hoàn Kiếm, Hà Nội',
  'Đường Phạm Văn Đồng, Phường Nghĩa Đô, Hà Nội',
  'Cầu Chương Dương, Phường Hồng Hà, Hà Nội',
  'Đại lộ Thăng Long, Xã Hoài Đức, Hà Nội',
  'Đường Nguyễn Văn Linh, Phường Long Biên, Hà Nội',
];

/** Fixed demo decisions without agency and treasury (added from the simulator's settings). */
export type DecisionFields = Omit<Decision, 'agency' | 'treasury'>;

/** Always there, whatever the seed (README.md lists them). */
export const FIXED_DECISIONS: readonly DecisionFields[] = [
  {
    // The embedded demo's citizen; decided more than 10 days before 2026-12-07: a surcharge applies.
    decisionNumber: '1234/QĐ-XPHC',
    decidedOn: '2026-11-20',
    violator: { name: 'Nguyễn Văn Minh', idNumber: '001088012345' },
    plate: '30A-123.45',
    violation: 'Không chấp hành hiệu lệnh của đèn tín hiệu giao thông',
    place: 'Ngã tư Kim Mã – Liễu Giai, Phường Ngọc Hà, Hà Nội',
    violatedAt: '2026-11-18T07:45:00+07:00',
    amount: 4_000_000,
  },
  {
    // Recent: still within the 10 days on 2026-12-07.
    decisionNumber: '1235/QĐ-XPHC',
    decidedOn: '2026-12-03',
    violator: { name: 'Nguyễn Văn Minh', idNumber: '001088012345' },
    plate: '30A-123.45',
    violation: 'Dừng xe, đỗ xe không đúng nơi quy định',
    place: 'Phố Tràng Thi, Phường Hoàn Kiếm, Hà Nội',
    violatedAt: '2026-12-01T16:20:00+07:00',
    amount: 1_000_000,
  },
  {
    // Someone else's, long overdue.
    decisionNumber: '1236/QĐ-XPHC',
    decidedOn: '2026-10-05',
    violator: { name: 'Hoàng Văn Nam', idNumber: '001090012004' },
    plate: '29E-456.78',
    violation: 'Điều khiển xe chạy quá tốc độ quy định từ 05 km/h đến dưới 10 km/h',
    place: 'Đại lộ Thăng Long, Xã Hoài Đức, Hà Nội',
    violatedAt: '2026-10-02T10:05:00+07:00',
    amount: 800_000,
  },
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' + n days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Today's date in Vietnam (UTC+7, no daylight saving). */
export const vietnamToday = (now = Date.now()) => new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);

export const DECISION_NUMBER = /^\d{1,6}\/QĐ-[A-ZĐ]{2,10}$/u;
export const PLATE = /^\d{2}[A-Z][A-Z0-9]?-\d{3}\.\d{2}$/;

/**
 * `count` decisions from the seed, numbered from 2001 in the order they were decided, between 2026-09-01
 * and 2026-12-06.
 */
export function generateDecisions(seed: string, count: number): DecisionFields[] {
  if (!Number.isInteger(count) || count < 0 || count > 100_000)
    throw new RangeError('count must be an integer from 0 to 100,000');
  const rng = createRng('police-decisions', seed);
  const days = Array.from({ length: count }, () => rng.int(0, 96)).sort((a, b) => a - b);
  return days.map((day, i) => {
    const r = createRng('police-decision', seed, i);
    const male = r.chance(0.7);
    const year = r.int(1960, 2006);
    const decidedOn = addDays('2026-09-01', day);
    const violation = r.pick(VIOLATIONS);
    const violatedOn = addDays(decidedOn, -r.int(0, 5));
    const series = r.pick(['29', '30', '31', '32', '33', '40']);
    const letter = r.pick(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'K']);
    return {
      decisionNumber: `${2001 + i}/QĐ-XPHC`,
      decidedOn,
      violator: {
        name: personName(r, male).normalize('NFC'),
        idNumber: `0${r.pick(['01', '22', '24', '26', '27', '30', '33', '34', '35', '36', '37', '38'])}${(year >= 2000 ? 2 : 0) + (male ? 0 : 1)}${pad(year % 100, 2)}${pad(r.int(0, 999_999), 6)}`,
      },
      plate: `${series}${letter}-${pad(r.int(0, 999), 3)}.${pad(r.int(0, 99), 2)}`,
      violation: violation.text,
      place: r.pick(PLACES),
      violatedAt: `${violatedOn}T${pad(r.int(5, 22), 2)}:${pad(r.int(0, 59), 2)}:00+07:00`,
      amount: violation.amount,
    };
  });
}
