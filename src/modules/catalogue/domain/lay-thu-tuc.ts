/**
 * The national portal's `LayThuTuc` shape (upper-case field names) to and from our content.
 * `fromLayThuTuc` reads what agency systems send: TENTTHC, LINHVUCTHUCHIEN[{MALINHVUC,TENLINHVUC}],
 * TRINHTUTHUCHIEN, CACHTHUCTHUCHIEN[{KENH, THOIGIAN[{THOIGIANGIAIQUYET, DONVITINH, MOTA,
 * PHILEPHI[{SOTIEN, DONVI, MOTA}]}]}], THANHPHANHOSO[{TRUONGHOP, GIAYTO[{MAGIAYTO, TENGIAYTO, URL,
 * TENMAUDON}]}], YEUCAU, MOTADOITUONGTHUCHIEN, KETQUATHUCHIEN[{MAKETQUA, TENKETQUA}],
 * CANCUPHAPLY[{SOVANBAN, TENVANBAN}], COQUANTHUCHIEN[{TENDONVI}].
 * What the shape does not carry (levels, online level, the e-form) is filled with stated defaults and
 * the officer completes it in the draft before submitting it for testing.
 */

import { type Channel, documentsOf } from '../../../platform/kernel/index.ts';
import type { FeeFormula, FeeLine } from './fees.ts';
import { addMissingFileSlots } from './form-schema.ts';
import type { Level, ProcedureContent, TimeUnit } from './procedure.ts';

export interface ImportedProcedure {
  code: string;
  content: ProcedureContent;
  sectors: Array<{ code: string; name: string }>;
  /** What was guessed or dropped, for the officer to check. */
  notes: string[];
}

type Json = Record<string, unknown>;

const str = (v: unknown, max = 4000): string =>
  (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '').normalize('NFC').trim().slice(0, max);
const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];

/** Field names are matched without regard to case (systems send maTTHC, MATTHC, MaTTHC). */
function upperKeys(o: Json): Json {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toUpperCase(), v]));
}

function channelOf(v: unknown): Channel | undefined {
  const s = str(v).toLowerCase();
  if (s === '1' || s.includes('trực tiếp') || s.includes('truc tiep')) return 'in-person';
  if (s === '2' || s.includes('trực tuyến') || s.includes('truc tuyen')) return 'online';
  if (s === '3' || s.includes('bưu chính') || s.includes('buu chinh')) return 'postal';
  return undefined;
}

function unitOf(v: unknown): TimeUnit {
  const s = str(v).toLowerCase();
  if (s.includes('giờ') && s.includes('làm việc')) return 'working-hour';
  if (s.includes('giờ')) return 'hour';
  if (s.includes('tháng')) return 'month';
  if (s.includes('làm việc')) return 'working-day';
  return 'day';
}

function feeOf(f: Json): FeeLine {
  const amount = Number(str(f.SOTIEN).replace(/[.,\s]/g, ''));
  const unit = str(f.DONVI, 60);
  const description = str(f.MOTA, 1000);
  const kind = /lệ phí/i.test(description) || /lệ phí/i.test(unit) ? 'le-phi' : 'phi';
  const perUnit = /\/\s*(\S.*)$/.exec(unit)?.[1];
  let formula: FeeFormula;
  if (!Number.isFinite(amount) || amount < 0)
    formula = { type: 'as-decided', description: description || 'Theo quy định' };
  else if (amount === 0) formula = { type: 'free' };
  else if (perUnit) formula = { type: 'per-unit', amount: Math.round(amount), unit: perUnit.slice(0, 40) };
  else formula = { type: 'fixed', amount: Math.round(amount) };
  return { kind, name: (description || (kind === 'le-phi' ? 'Lệ phí' : 'Phí')).slice(0, 300), formula };
}

const KEY_OK = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

export function fromLayThuTuc(input: unknown, defaults: { level: Level; code?: string }): ImportedProcedure {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('Mỗi thủ tục phải là một đối tượng JSON');
  const o = upperKeys(input as Json);
  const notes: string[] = [];
  const code = (str(o.MATTHC ?? o.MATHUTUC, 40) || defaults.code || '').toUpperCase();
  const sectors = arr(o.LINHVUCTHUCHIEN)
    .map(upperKeys)
    .map((s) => ({ code: str(s.MALINHVUC, 40), name: str(s.TENLINHVUC, 300) }))
    .filter((s) => KEY_OK.test(s.code) && s.name !== '');

  const channels = new Map<Channel, ProcedureContent['channels'][number]>();
  for (const raw of arr(o.CACHTHUCTHUCHIEN).map(upperKeys)) {
    const ch = channelOf(raw.KENH);
    if (!ch) {
      notes.push(`Bỏ qua cách thức thực hiện không rõ kênh: "${str(raw.KENH, 40)}"`);
      continue;
    }
    const times = arr(raw.THOIGIAN)
      .map(upperKeys)
      .map((t) => {
        const amount = Number(str(t.THOIGIANGIAIQUYET).replace(',', '.'));
        return {
          amount: Number.isFinite(amount) && amount > 0 ? Math.min(amount, 3650) : 1,
          unit: unitOf(t.DONVITINH),
          ...(str(t.MOTA) ? { description: str(t.MOTA, 1000) } : {}),
          fees: arr(t.PHILEPHI).map(upperKeys).map(feeOf).slice(0, 20),
        };
      })
      .slice(0, 10);
    if (times.length === 0) {
      notes.push(`Kênh ${ch}: không có thời hạn giải quyết, tạm ghi 1 ngày`);
      times.push({ amount: 1, unit: 'day', fees: [] });
    }
    const existing = channels.get(ch);
    if (existing) existing.times.push(...times);
    else channels.set(ch, { channel: ch, times });
  }
  if (channels.size === 0) {
    notes.push('Không có cách thức thực hiện: tạm ghi nộp trực tiếp, 1 ngày');
    channels.set('in-person', { channel: 'in-person', times: [{ amount: 1, unit: 'day', fees: [] }] });
  }

  let docSeq = 0;
  const cases = arr(o.THANHPHANHOSO)
    .map(upperKeys)
    .map((c) => ({
      name: str(c.TRUONGHOP, 500) || 'Trường hợp chung',
      documents: arr(c.GIAYTO)
        .map(upperKeys)
        .map((g) => {
          docSeq++;
          const code = str(g.MAGIAYTO, 40);
          const url = str(g.URL, 500);
          return {
            code: KEY_OK.test(code) ? code : `GT${docSeq}`,
            name: str(g.TENGIAYTO, 500) || `Giấy tờ ${docSeq}`,
            originals: 1,
            copies: 0,
            required: true,
            ...(url && /^(https?:\/\/|\/)\S+$/.test(url)
              ? { template: { name: str(g.TENMAUDON, 200) || 'Mẫu đơn, tờ khai', url } }
              : {}),
          };
        })
        .slice(0, 60),
    }))
    .slice(0, 30);
  if (cases.length === 0) {
    notes.push('Không có thành phần hồ sơ');
    cases.push({ name: 'Trường hợp chung', documents: [] });
  }

  const text = str(o.MOTADOITUONGTHUCHIEN, 2000);
  const audiences: ProcedureContent['audiences'] = [];
  if (/công dân|cá nhân/i.test(text) || text === '') audiences.push('citizen');
  if (/doanh nghiệp/i.test(text)) audiences.push('business');
  if (/tổ chức/i.test(text)) audiences.push('organisation');
  if (audiences.length === 0) audiences.push('citizen');

  const agencies = arr(o.COQUANTHUCHIEN)
    .map(upperKeys)
    .map((a) => ({ name: str(a.TENDONVI, 300) }))
    .filter((a) => a.name !== '')
    .slice(0, 20);
  if (agencies.length === 0) {
    notes.push('Không có cơ quan thực hiện');
    agencies.push({ name: 'Cơ quan thực hiện (cần bổ sung)' });
  }

  const hasFees = [...channels.values()].some((c) =>
    c.times.some((t) => t.fees.some((f) => f.formula.type !== 'free')),
  );
  const base: ProcedureContent = {
    name: str(o.TENTTHC, 500) || code,
    sectorCodes: sectors.length > 0 ? sectors.map((s) => s.code).slice(0, 5) : ['KHAC'],
    levels: [defaults.level],
    implementingAgencies: agencies,
    audiences,
    ...(text ? { audienceDescription: text } : {}),
    onlineLevel: channels.has('online') ? 'partial' : 'none',
    legacyLevel: null,
    channels: [...channels.values()],
    cases,
    form: { fields: [] },
    results: arr(o.KETQUATHUCHIEN)
      .map(upperKeys)
      .map((r) => ({
        ...(str(r.MAKETQUA, 40) ? { code: str(r.MAKETQUA, 40) } : {}),
        name: str(r.TENKETQUA, 500),
      }))
      .filter((r) => r.name !== '')
      .slice(0, 20),
    legalBasis: arr(o.CANCUPHAPLY)
      .map(upperKeys)
      .map((l) => ({ number: str(l.SOVANBAN, 100), title: str(l.TENVANBAN, 500) }))
      .filter((l) => l.number !== '' && l.title !== '')
      .slice(0, 50),
    steps: str(o.TRINHTUTHUCHIEN, 60_000)
      .split(/\n+|(?=Bước \d+)/)
      .map((s) => s.trim().slice(0, 4000))
      .filter(Boolean)
      .slice(0, 30),
    conditions: str(o.YEUCAU, 60_000)
      .split(/\n+/)
      .map((s) => s.trim().slice(0, 4000))
      .filter(Boolean)
      .slice(0, 30),
    payment: hasFees ? 'before' : 'none',
    after15hRule: false,
    keywords: [],
  };
  if (base.results.length === 0) {
    notes.push('Không có kết quả thực hiện');
    base.results.push({ name: 'Kết quả giải quyết thủ tục (cần bổ sung)' });
  }
  if (sectors.length === 0) notes.push('Không có lĩnh vực: tạm xếp vào lĩnh vực KHAC');
  notes.push(
    'Cấp thực hiện, mức độ trực tuyến và tờ khai điện tử không có trong LayThuTuc: đã điền mặc định, cần kiểm tra',
  );
  return {
    code,
    content: { ...base, form: addMissingFileSlots(base.form, documentsOf(base)) as ProcedureContent['form'] },
    sectors,
    notes,
  };
}

/** Our content in the LayThuTuc shape (what the DVCQG adapter answers). */
export function toLayThuTuc(code: string, c: ProcedureContent, sectorName: (code: string) => string) {
  const KENH = { 'in-person': '1', online: '2', postal: '3' } as const;
  const UNIT = {
    'working-day': 'Ngày làm việc',
    day: 'Ngày',
    'working-hour': 'Giờ làm việc',
    hour: 'Giờ',
    month: 'Tháng',
  } as const;
  return {
    MATTHC: code,
    TENTTHC: c.name,
    LINHVUCTHUCHIEN: c.sectorCodes.map((s) => ({ MALINHVUC: s, TENLINHVUC: sectorName(s) })),
    TRINHTUTHUCHIEN: c.steps.join('\n'),
    CACHTHUCTHUCHIEN: c.channels.map((ch) => ({
      KENH: KENH[ch.channel],
      THOIGIAN: ch.times.map((t) => ({
        THOIGIANGIAIQUYET: String(t.amount),
        DONVITINH: UNIT[t.unit],
        MOTA: t.description ?? '',
        PHILEPHI: t.fees.map((f) => ({
          SOTIEN:
            f.formula.type === 'fixed' || f.formula.type === 'per-unit' ? String(f.formula.amount) : '0',
          DONVI: f.formula.type === 'per-unit' ? `Đồng/${f.formula.unit}` : 'Đồng',
          MOTA: f.name,
        })),
      })),
    })),
    THANHPHANHOSO: c.cases.map((cs) => ({
      TRUONGHOP: cs.name,
      GIAYTO: cs.documents.map((d) => ({
        MAGIAYTO: d.code,
        TENGIAYTO: d.name,
        URL: d.template?.url ?? '',
        TENMAUDON: d.template?.name ?? '',
      })),
    })),
    YEUCAU: c.conditions.join('\n'),
    MOTADOITUONGTHUCHIEN: c.audienceDescription ?? '',
    KETQUATHUCHIEN: c.results.map((r) => ({ MAKETQUA: r.code ?? '', TENKETQUA: r.name })),
    CANCUPHAPLY: c.legalBasis.map((l) => ({ SOVANBAN: l.number, TENVANBAN: l.title })),
    COQUANTHUCHIEN: c.implementingAgencies.map((a) => ({ TENDONVI: a.name })),
  };
}
