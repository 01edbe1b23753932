/**
 * Made-up but real-looking people and organisations: Vietnamese names with the usual frequency of family
 * names, 12-digit personal identification numbers laid out as the real ones are (province of birth,
 * sex and century, year of birth, six digits), 10-digit tax codes, mobile numbers, and the staff of a
 * one-stop office. All of it is invented from the seed; none of it is anybody's data.
 */
import { createRng, type Rng } from './random.ts';

const FAMILY: Array<[string, number]> = [
  ['Nguyễn', 31],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 5.1],
  ['Phan', 4.5],
  ['Vũ', 3.9],
  ['Huỳnh', 3],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Võ', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Đinh', 0.6],
  ['Lý', 0.5],
  ['Trương', 0.5],
  ['Trịnh', 0.5],
  ['Đoàn', 0.4],
  ['Lương', 0.4],
  ['Mai', 0.4],
  ['Cao', 0.3],
  ['Lâm', 0.3],
  ['Tạ', 0.3],
  ['Vương', 0.2],
];
const MIDDLE_MALE = [
  'Văn',
  'Văn',
  'Văn',
  'Hữu',
  'Đức',
  'Minh',
  'Quốc',
  'Thanh',
  'Công',
  'Xuân',
  'Ngọc',
  'Hoàng',
  'Gia',
  'Trung',
  'Đình',
  'Quang',
  'Anh',
  'Tuấn',
];
const MIDDLE_FEMALE = [
  'Thị',
  'Thị',
  'Thị',
  'Ngọc',
  'Thu',
  'Thanh',
  'Minh',
  'Phương',
  'Khánh',
  'Hồng',
  'Kim',
  'Bảo',
  'Mai',
  'Thùy',
  'Diệu',
  'Hoài',
];
const GIVEN_MALE = [
  'An',
  'Anh',
  'Bảo',
  'Bình',
  'Cường',
  'Dũng',
  'Duy',
  'Đạt',
  'Đức',
  'Hải',
  'Hiếu',
  'Hoàng',
  'Hùng',
  'Huy',
  'Khang',
  'Khánh',
  'Khoa',
  'Kiên',
  'Lâm',
  'Long',
  'Minh',
  'Nam',
  'Nghĩa',
  'Phong',
  'Phúc',
  'Quân',
  'Quang',
  'Sơn',
  'Tài',
  'Thắng',
  'Thành',
  'Thịnh',
  'Toàn',
  'Trung',
  'Tú',
  'Tuấn',
  'Việt',
  'Vinh',
];
const GIVEN_FEMALE = [
  'Anh',
  'Châu',
  'Chi',
  'Dung',
  'Giang',
  'Hà',
  'Hạnh',
  'Hằng',
  'Hiền',
  'Hoa',
  'Hồng',
  'Huyền',
  'Hương',
  'Lan',
  'Linh',
  'Loan',
  'Mai',
  'My',
  'Nga',
  'Ngân',
  'Ngọc',
  'Nhung',
  'Oanh',
  'Phương',
  'Quỳnh',
  'Thảo',
  'Thủy',
  'Trang',
  'Trâm',
  'Tuyết',
  'Vân',
  'Yến',
];

/** Province codes of the personal identification number (Circular 59/2021/TT-BCA), a sample. */
const BIRTH_PROVINCES = [
  '001',
  '079',
  '031',
  '048',
  '092',
  '038',
  '040',
  '034',
  '036',
  '030',
  '033',
  '027',
  '022',
  '026',
  '035',
  '037',
  '042',
  '044',
  '046',
  '049',
  '051',
  '052',
  '056',
  '066',
  '068',
  '075',
  '077',
  '080',
  '083',
  '087',
  '089',
  '094',
];

/** What the simulator knows of a province from its identifier: for addresses, ID numbers, tax codes. */
export interface Locale {
  province: string;
  /** Province code of a personal identification number (3 digits). */
  idProvince: string;
  /** First two digits of a tax code issued there. */
  taxPrefix: string;
  wards: string[];
}

const LOCALES: Record<string, Locale> = {
  H26: {
    province: 'Hà Nội',
    idProvince: '001',
    taxPrefix: '01',
    wards: [
      'phường Ba Đình',
      'phường Hoàn Kiếm',
      'phường Cầu Giấy',
      'phường Đống Đa',
      'phường Hà Đông',
      'xã Đông Anh',
      'xã Gia Lâm',
      'phường Long Biên',
      'xã Sóc Sơn',
      'phường Tây Hồ',
    ],
  },
  H29: {
    province: 'TP. Hồ Chí Minh',
    idProvince: '079',
    taxPrefix: '03',
    wards: [
      'phường Sài Gòn',
      'phường Bến Thành',
      'phường Tân Định',
      'phường Bình Thạnh',
      'phường Gò Vấp',
      'xã Củ Chi',
      'xã Hóc Môn',
      'phường Thủ Đức',
      'xã Bình Chánh',
      'phường Phú Nhuận',
    ],
  },
};

export function localeOf(identifier: string): Locale {
  const key = identifier.split('.').pop() ?? '';
  return (
    LOCALES[key] ?? {
      province: 'tỉnh',
      idProvince: `0${String(20 + (parseInt(key.slice(1), 10) % 70)).padStart(2, '0')}`,
      taxPrefix: `0${String(parseInt(key.slice(1), 10) % 10)}`,
      wards: ['phường 1', 'phường 2', 'xã Tân Lập', 'xã Hòa Bình', 'phường Trung Tâm'],
    }
  );
}

export interface Person {
  name: string;
  male: boolean;
  birthYear: number;
  /** 12 digits. */
  id: string;
  phone: string;
  address: string;
}

export function personName(rng: Rng, male = rng.chance(0.5)): string {
  const family = rng.weighted(FAMILY, ([, w]) => w)[0];
  const middle = rng.pick(male ? MIDDLE_MALE : MIDDLE_FEMALE);
  const given = rng.pick(male ? GIVEN_MALE : GIVEN_FEMALE);
  return `${family} ${middle} ${given}`;
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

/** A personal identification number: province of birth, sex and century, two digits of the year, six digits. */
export function personalId(rng: Rng, locale: Locale, male: boolean, birthYear: number): string {
  const province = rng.chance(0.7) ? locale.idProvince : rng.pick(BIRTH_PROVINCES);
  const century = birthYear >= 2000 ? 2 : 0;
  return `${province}${century + (male ? 0 : 1)}${String(birthYear % 100).padStart(2, '0')}${digits(rng, 6)}`;
}

export function person(rng: Rng, locale: Locale, year: number): Person {
  const male = rng.chance(0.5);
  const birthYear = year - rng.int(18, 75);
  return {
    name: personName(rng, male),
    male,
    birthYear,
    id: personalId(rng, locale, male, birthYear),
    phone: `0${rng.pick(['91', '94', '98', '97', '96', '86', '88', '32', '33', '35', '36', '37', '38', '39', '70', '77', '83', '84', '85'])}${digits(rng, 7)}`,
    address: `Số ${rng.int(1, 250)}, ngõ ${rng.int(1, 120)}, ${rng.pick(locale.wards)}, ${locale.province}`,
  };
}

const TRADES = [
  'Thương mại',
  'Dịch vụ',
  'Xây dựng',
  'Đầu tư',
  'Công nghệ',
  'Vận tải',
  'Thực phẩm',
  'Sản xuất và Thương mại',
  'Tư vấn',
];
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

export interface Business {
  name: string;
  taxCode: string;
  representative: Person;
}

export function business(rng: Rng, locale: Locale, year: number): Business {
  const form = rng.weighted(
    [
      ['Công ty TNHH', 6],
      ['Công ty Cổ phần', 3],
      ['Hộ kinh doanh', 1],
    ] as const,
    ([, w]) => w,
  )[0];
  const representative = person(rng, locale, year);
  const name =
    form === 'Hộ kinh doanh'
      ? `Hộ kinh doanh ${representative.name}`
      : `${form} ${rng.pick(TRADES)} ${rng.pick(BRANDS)}`;
  return { name, taxCode: `${locale.taxPrefix}${digits(rng, 8)}`, representative };
}

export interface Officer {
  name: string;
  title: string;
}

export interface Office {
  desk: Officer[];
  specialists: Officer[];
  heads: Officer[];
  leaders: Officer[];
}

/** The staff of an identifier's one-stop office: the same people in every run (seeded by the identifier only). */
const offices = new Map<string, Office>();
export function officeOf(identifier: string): Office {
  const known = offices.get(identifier);
  if (known) return known;
  const rng = createRng('office', identifier);
  const staff = (n: number, title: string) =>
    Array.from({ length: n }, () => ({ name: personName(rng), title }));
  const office = {
    desk: staff(6, 'Chuyên viên Bộ phận Một cửa'),
    specialists: staff(12, 'Chuyên viên'),
    heads: [...staff(2, 'Trưởng phòng'), ...staff(3, 'Phó Trưởng phòng')],
    leaders: [...staff(1, 'Chủ tịch UBND'), ...staff(2, 'Phó Chủ tịch UBND')],
  };
  offices.set(identifier, office);
  return office;
}

/** The department that handles a sector (by the words of its name). */
export function departmentOf(sectorName: string | null): string {
  const s = (sectorName ?? '').toLowerCase();
  if (/hộ tịch|chứng thực|tư pháp|lý lịch/.test(s)) return 'Phòng Tư pháp';
  if (/đất đai|môi trường|tài nguyên|nông nghiệp/.test(s)) return 'Phòng Nông nghiệp và Môi trường';
  if (/xây dựng|quy hoạch|nhà ở|giao thông/.test(s)) return 'Phòng Kinh tế, Hạ tầng và Đô thị';
  if (/doanh nghiệp|kinh doanh|thuế|tài chính|đầu tư/.test(s)) return 'Phòng Kinh tế';
  if (/bảo hiểm/.test(s)) return 'Bảo hiểm xã hội';
  if (/cư trú|căn cước|hộ chiếu|xuất nhập cảnh|công an|đăng ký xe|vi phạm/.test(s)) return 'Công an';
  if (/lao động|việc làm|bảo trợ|người có công|xã hội|giáo dục|y tế|văn hóa/.test(s))
    return 'Phòng Văn hóa - Xã hội';
  return 'Văn phòng HĐND và UBND';
}

export const DESK = 'Bộ phận Tiếp nhận và Trả kết quả';
