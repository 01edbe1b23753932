/** The published catalogue as rows (for CSV and XLSX): one row per procedure, the public version. */
import { csvField } from '../../../platform/csv/index.ts';
import { documentsOf } from '../../../platform/kernel/index.ts';
import { describeFormula } from '../domain/fees.ts';
import { feeLines, type ProcedureContent } from '../domain/procedure.ts';
import type { Cell } from './xlsx.ts';

export const EXPORT_HEADER = [
  'Mã thủ tục',
  'Phiên bản',
  'Tên thủ tục',
  'Lĩnh vực',
  'Cơ quan công bố',
  'Cơ quan thực hiện',
  'Cấp thực hiện',
  'Đối tượng',
  'Mức độ trực tuyến',
  'Cách thức thực hiện',
  'Thời hạn giải quyết',
  'Phí, lệ phí',
  'Thành phần hồ sơ',
  'Kết quả',
  'Căn cứ pháp lý',
  'Thu phí',
  'Áp dụng quy định sau 15 giờ',
  'Ngày công khai',
];

const CHANNEL = { 'in-person': 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính công ích' } as const;
const UNIT = {
  'working-day': 'ngày làm việc',
  day: 'ngày',
  'working-hour': 'giờ làm việc',
  hour: 'giờ',
  month: 'tháng',
} as const;
const LEVEL = { central: 'Trung ương', province: 'Tỉnh', commune: 'Xã' } as const;
const AUDIENCE = {
  citizen: 'Công dân',
  business: 'Doanh nghiệp',
  organisation: 'Tổ chức',
  'state-agency': 'Cơ quan nhà nước',
} as const;
const ONLINE = { full: 'Toàn trình', partial: 'Một phần', none: 'Không' } as const;
const PAYMENT = { before: 'Thu trước', after: 'Thu sau', none: 'Không thu' } as const;

export interface ExportInput {
  code: string;
  version: number;
  content: ProcedureContent;
  ownerName: string;
  sectorName(code: string): string;
  publishedAt: Date | null;
}

export function exportRow(p: ExportInput): Cell[] {
  const c = p.content;
  const times = c.channels
    .map((ch) => `${CHANNEL[ch.channel]}: ${ch.times.map((t) => `${t.amount} ${UNIT[t.unit]}`).join('; ')}`)
    .join(' | ');
  const fees = [...new Map(feeLines(c).map((f) => [`${f.name}|${describeFormula(f.formula)}`, f])).values()]
    .map((f) => `${f.name}: ${describeFormula(f.formula)}`)
    .join(' | ');
  return [
    p.code,
    p.version,
    c.name,
    c.sectorCodes.map(p.sectorName).join('; '),
    p.ownerName,
    c.implementingAgencies.map((a) => a.name).join('; '),
    c.levels.map((l) => LEVEL[l]).join('; '),
    c.audiences.map((a) => AUDIENCE[a]).join('; '),
    ONLINE[c.onlineLevel],
    c.channels.map((ch) => CHANNEL[ch.channel]).join('; '),
    times,
    fees,
    documentsOf(c)
      .map((d) => `${d.name}${d.required ? '' : ' (nếu có)'}`)
      .join('; '),
    c.results.map((r) => r.name).join('; '),
    c.legalBasis.map((l) => `${l.number} ${l.title}`).join('; '),
    PAYMENT[c.payment],
    c.after15hRule ? 'Có' : 'Không',
    p.publishedAt ? p.publishedAt.toISOString().slice(0, 10) : null,
  ];
}

/** CSV with a BOM so spreadsheet programs read the Vietnamese as UTF-8. */
export function csvLine(cells: Cell[]): string {
  return `${cells.map((v) => csvField(v === null ? '' : v)).join(',')}\r\n`;
}
