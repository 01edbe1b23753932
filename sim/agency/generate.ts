/**
 * A province's one-stop office at work, deterministically from a seed: dossiers of the catalogue's
 * procedures filed in person, online or by post, received in office hours, forwarded, appraised, sometimes
 * sent back for more documents (the clock stops) or for fees, approved (or stopped, or refused at the desk,
 * or withdrawn), and their results returned — some after the appointment (NgayHenTra). Working time is
 * the simulator's copy of the portal's arithmetic (working-time.ts) over the working days the portal
 * publishes (office-calendar.ts: its holidays and announced schedules, read over HTTP at the start).
 *
 * Each step is a CapNhatTienDoHoSoMC history row; at the steps that set one of the record's dates (filing,
 * receipt, refusal, end of processing, return) the whole DongBoHoSoMC record is sent as well, with the
 * status of that step. Nothing later than `anchor` is generated: recent dossiers are still in progress.
 *
 * No I/O: the same options give the same events, which is what lets a killed run resume.
 */
import { createHash } from 'node:crypto';
import { type OfficeCalendar, type OfficeDays, officeCalendarOf } from './office-calendar.ts';
import { business, DESK, departmentOf, localeOf, type Officer, officeOf, person } from './people.ts';
import { createRng, type Rng } from './random.ts';
import {
  DEFAULT_OFFICE_HOURS,
  type DurationUnit,
  dueDate,
  nextWorkingInstant,
  type Pause,
  workingMinutesBetween,
} from './working-time.ts';

/** A procedure of the catalogue, as much of it as the simulator needs. */
export interface ProcedureInfo {
  code: string;
  name: string;
  sectorCode: string | null;
  sectorName: string | null;
  /** citizen, business, organisation, state-agency */
  audiences: string[];
  /** KenhThucHien 1 in person, 2 online, 3 post; processing time. */
  channels: Array<{ channel: 1 | 2 | 3; amount: number; unit: string }>;
  /** Relative frequency (popularity). */
  weight: number;
  /** Received after 15:00 → counted from the next working day. */
  rule15h: boolean;
  results: string[];
}

export interface GenerateOptions {
  seed: number;
  dossiers: number;
  /** Agency identifiers (Decision 20/2020) the system receives dossiers for. */
  identifiers: string[];
  /** Dossiers are filed over this many days before `anchor`. */
  days: number;
  /** "Now" of the run: nothing later is generated. */
  anchor: Date;
  procedures: ProcedureInfo[];
  /** Add the two fields DVCQG does not have: `sequence` and, on history rows, `eventId` (REST mode). */
  extras: boolean;
  /** The working days, as the portal publishes them (`fetchOfficeDays`). */
  calendar: OfficeDays;
  /** First daily sequence number of dossier codes; default (seed mod 1000) × 1000, so seeds do not collide. */
  codeOffset?: number;
}

export interface SimEvent {
  kind: 'dossier' | 'history';
  code: string;
  /** Epoch milliseconds (whole seconds). */
  at: number;
  /** Position in the dossier's life (the `sequence` sent in REST mode). */
  seq: number;
  status: number;
  /** The dossier's first record (DVCQG: isUpdating "False"). */
  first: boolean;
  body: Record<string, unknown>;
}

export interface SimDossier {
  code: string;
  identifier: string;
  procedure: string;
  /** In the order they happened. */
  events: SimEvent[];
}

export const STATUS = {
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  supplement: 5,
  fees: 6,
  withdrawn: 7,
  stopped: 8,
  done: 9,
  returned: 10,
} as const;

const VN_MS = 7 * 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** An instant → `yyyyMMddHHmmss` in Vietnam time. */
export function dvcqgDate(ms: number | Date): string {
  const d = new Date((typeof ms === 'number' ? ms : ms.getTime()) + VN_MS);
  const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}`;
}

const vnDay = (ms: number) => new Date(ms + VN_MS).toISOString().slice(0, 10);
const ddmmyyyy = (ms: number) => vnDay(ms).split('-').reverse().join('/');

const HOURS = DEFAULT_OFFICE_HOURS;

const DESK_REFUSALS = [
  'Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan',
  'Thành phần hồ sơ không đúng quy định, đã hướng dẫn công dân hoàn thiện',
  'Hồ sơ nộp trùng với hồ sơ đang giải quyết',
];
const SUPPLEMENTS = [
  'Bổ sung bản sao có chứng thực giấy tờ chứng minh nơi cư trú',
  'Tờ khai chưa ghi đủ thông tin, đề nghị kê khai lại',
  'Bổ sung bản chính giấy tờ để đối chiếu',
  'Bổ sung giấy ủy quyền có chứng thực',
  'Bổ sung bản vẽ có chữ ký của người đề nghị',
];
const STOPS = [
  'Hồ sơ không đủ điều kiện giải quyết theo quy định (Mẫu 05)',
  'Kết quả thẩm định không đạt; thông báo dừng xử lý và nêu rõ lý do (Mẫu 05)',
];

/** A working instant in the window (a working day, inside a session), or undefined after many tries. */
function officeMoment(rng: Rng, cal: OfficeCalendar, from: number, to: number): number | undefined {
  for (let i = 0; i < 60; i++) {
    const day = vnDay(from + rng.next() * (to - from));
    if (!cal.isWorkingDay(day)) continue;
    // 07:00–11:30 (270 min) and 13:30–17:00 (210 min), Vietnam time.
    const m = rng.int(0, 479);
    const minuteOfDay = m < 270 ? 7 * 60 + m : 13 * 60 + 30 + (m - 270);
    const ms = Date.parse(`${day}T00:00:00Z`) - VN_MS + minuteOfDay * MINUTE + rng.int(0, 59) * 1000;
    if (ms >= from && ms <= to) return ms;
  }
  return undefined;
}

function durationOf(amount: number, unit: string): { amount: number; unit: DurationUnit } {
  switch (unit) {
    case 'working-day':
    case 'working-hour':
    case 'day':
      return { amount, unit };
    case 'hour':
      return { amount, unit: 'working-hour' };
    case 'month':
      return { amount: amount * 30, unit: 'day' };
    default:
      return { amount: 5, unit: 'working-day' };
  }
}

interface Draft {
  index: number;
  rng: Rng;
  identifier: string;
  procedure: ProcedureInfo;
  channel: 1 | 2 | 3;
  /** Filing (online) or receipt at the desk. */
  firstAt: number;
}

/** All dossiers and their events; `events` is every event of every dossier in the order they happened. */
export function generate(o: GenerateOptions): { dossiers: SimDossier[]; events: SimEvent[] } {
  if (o.procedures.length === 0) throw new Error('no procedures to generate dossiers of');
  if (o.identifiers.length === 0) throw new Error('no agency identifier');
  const cal = officeCalendarOf(o.calendar);
  const anchor = Math.floor(o.anchor.getTime() / 1000) * 1000;
  const windowStart = anchor - o.days * DAY;
  const windowEnd = anchor - 10 * MINUTE;

  const drafts: Draft[] = [];
  for (let index = 0; index < o.dossiers; index++) {
    const rng = createRng(o.seed, 'dossier', index);
    const procedure = rng.weighted(o.procedures, (p) => p.weight);
    const offered: Array<1 | 2 | 3> =
      procedure.channels.length > 0 ? procedure.channels.map((c) => c.channel) : [1];
    const channel: 1 | 2 | 3 =
      offered.includes(2) && rng.chance(0.45)
        ? 2
        : offered.includes(3) && rng.chance(0.05)
          ? 3
          : offered.includes(1)
            ? 1
            : offered[0]!;
    const identifier = o.identifiers[index % o.identifiers.length]!;
    // Online filings come at any hour (two in three in office hours); the desk only in office hours.
    const inOffice = channel !== 2 || rng.chance(0.65);
    const firstAt = inOffice
      ? (officeMoment(rng, cal, windowStart, windowEnd) ??
        windowStart + Math.floor((rng.next() * (windowEnd - windowStart)) / 1000) * 1000)
      : windowStart + Math.floor((rng.next() * (windowEnd - windowStart)) / 1000) * 1000;
    drafts.push({ index, rng, identifier, procedure, channel, firstAt });
  }

  // Codes: {identifier}-{yyMMdd}-{NNNN}, a daily sequence per identifier in the order of filing.
  const offset = o.codeOffset ?? (o.seed % 1000) * 1000;
  const codes = new Map<number, string>();
  const perDay = new Map<string, number>();
  for (const d of [...drafts].sort((a, b) => a.firstAt - b.firstAt || a.index - b.index)) {
    const day = vnDay(d.firstAt);
    const key = `${d.identifier}|${day}`;
    const n = (perDay.get(key) ?? 0) + 1;
    perDay.set(key, n);
    const number = offset + n;
    if (number > 999_999)
      throw new Error(
        `dossier code sequence past 999999 on ${day}: use a smaller --code-offset or more --days`,
      );
    codes.set(
      d.index,
      `${d.identifier}-${day.slice(2).replace(/-/g, '')}-${String(number).padStart(4, '0')}`,
    );
  }

  const dossiers = drafts.map((d) => lifecycle(d, codes.get(d.index)!, anchor, o.extras, cal));
  const events = dossiers.flatMap((d) => d.events);
  events.sort(
    (a, b) =>
      a.at - b.at ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      a.seq - b.seq ||
      (a.kind === 'dossier' ? -1 : 1),
  );
  return { dossiers, events };
}

type DateField = 'NgayNopHoSo' | 'NgayTiepNhan' | 'NgayHenTra' | 'NgayTuChoi' | 'NgayKetThucXuLy' | 'NgayTra';

function lifecycle(d: Draft, code: string, anchor: number, extras: boolean, cal: OfficeCalendar): SimDossier {
  const { rng, procedure, channel } = d;
  const locale = localeOf(d.identifier);
  const office = officeOf(d.identifier);
  const year = new Date(d.firstAt).getUTCFullYear();
  const dept = departmentOf(procedure.sectorName);
  const audiences = procedure.audiences.length > 0 ? procedure.audiences : ['citizen'];
  const asBusiness = audiences.includes('business') && (!audiences.includes('citizen') || rng.chance(0.15));
  const applicant = person(rng, locale, year);
  const company = asBusiness ? business(rng, locale, year) : undefined;
  const holder = company
    ? { name: company.name, id: company.taxCode, kind: '2' }
    : { name: applicant.name, id: applicant.id, kind: '1' };
  const deskOfficer = rng.pick(office.desk);
  const specialist = rng.pick(office.specialists);
  const head = rng.pick(office.heads);
  const leader = rng.pick(office.leaders);
  const timing = procedure.channels.find((c) => c.channel === channel) ?? procedure.channels[0];
  const duration = durationOf(timing?.amount ?? 5, timing?.unit ?? 'working-day');

  const record: Record<string, unknown> = {
    MaHoSo: code,
    MaTTHC: procedure.code,
    TenTTHC: procedure.name,
    ...(procedure.sectorCode ? { MaLinhVuc: procedure.sectorCode } : {}),
    ...(procedure.sectorName ? { TenLinhVuc: procedure.sectorName } : {}),
    KenhThucHien: String(channel),
    ChuHoSo: holder.name,
    LoaiDoiTuong: holder.kind,
    SoGiayToChuHoSo: holder.id,
    DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: company ? company.representative.id : applicant.id }],
    SoDienThoai: applicant.phone,
    Email: '',
    TrichYeuHoSo: `${procedure.name} — ${holder.name}`.slice(0, 1000),
    HoSoCoThanhPhanSoHoa: channel === 2 ? '1' : '0',
    TaiKhoanDuocXacThucVoiVNeID: channel === 2 ? '1' : '0',
    DuocThanhToanTrucTuyen: '0',
    HinhThuc: channel === 3 ? '1' : '0',
    TaiLieuNop: [
      {
        TepDinhKemId: `${code}-TL01`,
        TenTepDinhKem: 'To_khai.pdf',
        IsDeleted: 'False',
        MaThanhPhanHoSo: '',
        DuongDanTaiTepTin: '',
        DuocSoHoa: channel === 2 ? '1' : '0',
        DuocTaiSuDung: '0',
        DuocLayTuKhoDMQG: '0',
      },
    ],
  };

  const events: SimEvent[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let open = true;
  let snapshots = 0;
  let stepStart: number | null = null;
  let due: number | null = null;

  /**
   * One step at (about) `at`: at least a minute after the previous one, whole seconds, never after the
   * anchor (then the dossier's story stops here). `dates` are set on the record from the step's moment;
   * with `snapshot` the record is sent too. Returns the step's moment.
   */
  const step = (
    at: number,
    status: number,
    who: Officer,
    department: string,
    content: string | ((at: number) => string),
    options: {
      dates?: DateField[];
      set?: (at: number) => Record<string, unknown>;
      snapshot?: boolean;
      /** Not at the office (filing online): any hour. */
      anyTime?: boolean;
    } = {},
  ): number | undefined => {
    if (!open) return undefined;
    let ms = Math.max(at, last + MINUTE);
    // Pushed after the previous step: still at the office's hours.
    if (ms !== at && !options.anyTime) ms = nextWorkingInstant(cal, HOURS, new Date(ms)).getTime();
    ms = Math.floor(ms / 1000) * 1000 + rng.int(0, 40) * 1000;
    if (ms > anchor) {
      open = false;
      return undefined;
    }
    const seq = events.length;
    for (const f of options.dates ?? []) record[f] = dvcqgDate(ms);
    if (options.set) Object.assign(record, options.set(ms));
    if (options.snapshot) {
      events.push({
        kind: 'dossier',
        code,
        at: ms,
        seq,
        status,
        first: snapshots === 0,
        body: { ...record, TrangThaiHoSo: String(status), ...(extras ? { sequence: seq } : {}) },
      });
      snapshots++;
    }
    events.push({
      kind: 'history',
      code,
      at: ms,
      seq,
      status,
      first: false,
      body: {
        MaHoSo: code,
        NguoiXuLy: who.name,
        ChucDanh: who.title,
        ThoiDiemXuLy: dvcqgDate(ms),
        PhongBanXuLy: department,
        NoiDungXuLy: typeof content === 'function' ? content(ms) : content,
        TrangThai: String(status),
        ...(stepStart !== null ? { NgayBatDau: dvcqgDate(stepStart) } : {}),
        ...(due !== null ? { NgayKetThucTheoQuyDinh: dvcqgDate(due) } : {}),
        ...(extras ? { sequence: seq, eventId: `${code}#${seq}` } : {}),
      },
    });
    last = ms;
    stepStart = ms;
    return ms;
  };
  const citizen: Officer = { name: holder.name, title: company ? 'Tổ chức' : 'Công dân' };

  // Filing and receipt (or refusal at the desk).
  let receivedAt: number | undefined;
  if (channel === 2) {
    const filed = step(d.firstAt, STATUS.submitted, citizen, 'Cổng Dịch vụ công', 'Nộp hồ sơ trực tuyến', {
      dates: ['NgayNopHoSo'],
      snapshot: true,
      anyTime: true,
    });
    if (filed === undefined) return { code, identifier: d.identifier, procedure: procedure.code, events };
    const reviewAt = nextWorkingInstant(cal, HOURS, new Date(filed + rng.int(5, 90) * MINUTE)).getTime();
    if (rng.chance(0.04)) {
      step(
        reviewAt,
        STATUS.refused,
        deskOfficer,
        DESK,
        `Từ chối tiếp nhận: ${rng.pick(DESK_REFUSALS)} (Mẫu 03)`,
        {
          dates: ['NgayTuChoi'],
          snapshot: true,
        },
      );
      return { code, identifier: d.identifier, procedure: procedure.code, events };
    }
    receivedAt = step(
      dueDate(cal, HOURS, new Date(reviewAt), rng.int(1, 120) / 60, 'working-hour').getTime(),
      STATUS.received,
      deskOfficer,
      DESK,
      (t) => receiptText(t),
      {
        dates: ['NgayTiepNhan'],
        set: (t) => ({ NgayHenTra: dvcqgDate(dueOf(t, [])) }),
        snapshot: true,
      },
    );
  } else if (rng.chance(0.03)) {
    step(
      d.firstAt,
      STATUS.refused,
      deskOfficer,
      DESK,
      `Từ chối tiếp nhận: ${rng.pick(DESK_REFUSALS)} (Mẫu 03)`,
      {
        dates: ['NgayNopHoSo', 'NgayTuChoi'],
        snapshot: true,
      },
    );
    return { code, identifier: d.identifier, procedure: procedure.code, events };
  } else {
    receivedAt = step(d.firstAt, STATUS.received, deskOfficer, DESK, (t) => receiptText(t), {
      dates: ['NgayNopHoSo', 'NgayTiepNhan'],
      set: (t) => ({ NgayHenTra: dvcqgDate(dueOf(t, [])) }),
      snapshot: true,
    });
  }
  function dueOf(received: number, pauses: Pause[]): number {
    return dueDate(cal, HOURS, new Date(received), duration.amount, duration.unit, {
      rule15h: procedure.rule15h,
      pauses,
    }).getTime();
  }
  function receiptText(t: number) {
    return `Tiếp nhận hồ sơ, hẹn trả kết quả ngày ${ddmmyyyy(dueOf(t, []))} (Mẫu 01)`;
  }
  if (receivedAt === undefined) return { code, identifier: d.identifier, procedure: procedure.code, events };
  const received = receivedAt;

  const pauses: Pause[] = [];
  const firstDue = dueOf(received, []);
  due = firstDue;
  const allowed = Math.max(30, workingMinutesBetween(cal, HOURS, new Date(received), new Date(firstDue)));
  const late = rng.chance(0.08);
  const finishAt = Math.round(allowed * (late ? 1.05 + rng.next() * 0.7 : 0.25 + rng.next() * 0.7));
  /** The instant `minutes` working minutes after receipt, the clock stopped during pauses. */
  const work = (minutes: number) =>
    dueDate(cal, HOURS, new Date(received), Math.max(1, minutes) / 60, 'working-hour', { pauses }).getTime();

  step(
    work(Math.min(rng.int(5, 45), finishAt * 0.1 + 5)),
    STATUS.processing,
    deskOfficer,
    DESK,
    `Chuyển hồ sơ đến ${dept} giải quyết`,
  );

  if (rng.chance(0.015)) {
    step(
      work(finishAt * (0.2 + rng.next() * 0.4)),
      STATUS.withdrawn,
      citizen,
      DESK,
      'Công dân có đơn đề nghị rút hồ sơ',
    );
    return { code, identifier: d.identifier, procedure: procedure.code, events };
  }
  step(work(finishAt * (0.3 + rng.next() * 0.15)), STATUS.processing, specialist, dept, 'Thẩm định hồ sơ');

  if (rng.chance(0.15)) {
    const reason = rng.pick(SUPPLEMENTS);
    const asked = step(
      work(finishAt * 0.5),
      STATUS.supplement,
      specialist,
      dept,
      `Yêu cầu bổ sung hồ sơ: ${reason} (Mẫu 02)`,
    );
    if (asked !== undefined) {
      const back = nextWorkingInstant(
        cal,
        HOURS,
        new Date(asked + rng.int(1, 10) * DAY + rng.int(0, 300) * MINUTE),
      ).getTime();
      const dueBefore = due;
      pauses.push({ from: new Date(asked), to: new Date(back) });
      const dueAfter = dueOf(received, pauses);
      const resumed = step(
        back,
        STATUS.processing,
        deskOfficer,
        DESK,
        `Công dân đã bổ sung hồ sơ; hẹn trả kết quả ngày ${ddmmyyyy(dueAfter)}`,
        {
          set: (t) => ({
            NgayHenTra: dvcqgDate(dueAfter),
            DanhSachHoSoBoSung: [
              {
                HoSoBoSungId: `${code}-BS1`,
                NguoiYeuCauBoSung: specialist.name,
                NoiDungBoSung: reason,
                NgayBoSung: dvcqgDate(asked),
                NguoiTiepNhanBoSung: deskOfficer.name,
                ThongTinTiepNhan: 'Đã tiếp nhận đủ giấy tờ bổ sung',
                NgayTiepNhanBoSung: dvcqgDate(t),
                TrangThaiBoSung: '1',
                NgayHenTraTruoc: dvcqgDate(dueBefore),
                NgayHenTraMoi: dvcqgDate(dueAfter),
              },
            ],
          }),
        },
      );
      if (resumed !== undefined) {
        // The pause ends when the applicant came back (the moment actually recorded).
        pauses[pauses.length - 1] = { from: new Date(asked), to: new Date(resumed) };
        due = dueOf(received, pauses);
        record.NgayHenTra = dvcqgDate(due);
      }
    }
  }

  if (rng.chance(0.04)) {
    step(work(finishAt * 0.6), STATUS.stopped, head, dept, rng.pick(STOPS));
    return { code, identifier: d.identifier, procedure: procedure.code, events };
  }

  if (rng.chance(0.05)) {
    const asked = step(
      work(finishAt * 0.65),
      STATUS.fees,
      specialist,
      dept,
      'Thông báo thực hiện nghĩa vụ tài chính',
    );
    if (asked !== undefined) {
      const paid = nextWorkingInstant(cal, HOURS, new Date(asked + rng.int(1, 5) * DAY)).getTime();
      pauses.push({ from: new Date(asked), to: new Date(paid) });
      const resumed = step(paid, STATUS.processing, deskOfficer, DESK, 'Đã hoàn thành nghĩa vụ tài chính');
      if (resumed !== undefined) {
        pauses[pauses.length - 1] = { from: new Date(asked), to: new Date(resumed) };
        due = dueOf(received, pauses);
        record.NgayHenTra = dvcqgDate(due);
      }
    }
  }

  if (late) {
    step(
      work(allowed - 5),
      STATUS.processing,
      head,
      dept,
      'Hồ sơ quá hạn: gửi phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)',
    );
  }
  step(work(finishAt * 0.85), STATUS.processing, head, dept, 'Trình lãnh đạo phê duyệt');
  const result = procedure.results[0] ?? 'Kết quả giải quyết thủ tục hành chính';
  const done = step(work(finishAt), STATUS.done, leader, 'Lãnh đạo UBND', `Phê duyệt, ký ${result}`, {
    dates: ['NgayKetThucXuLy'],
    set: () => ({
      DanhSachGiayToKetQua: [
        {
          TenGiayTo: result,
          MaThanhPhanHoSo: '',
          GiayToId: `${code}-KQ01`,
          DuongDanTepTinKetQua: '',
          MaGiayToKetQua: '',
        },
      ],
    }),
    snapshot: true,
  });
  if (done === undefined || rng.chance(0.04))
    return { code, identifier: d.identifier, procedure: procedure.code, events };
  const handOver = channel === 1 ? rng.int(10, 3 * 480) : rng.int(5, 120);
  step(
    dueDate(cal, HOURS, new Date(done), handOver / 60, 'working-hour').getTime(),
    STATUS.returned,
    deskOfficer,
    DESK,
    channel === 3
      ? 'Gửi kết quả qua dịch vụ bưu chính công ích'
      : channel === 2
        ? 'Trả kết quả điện tử; công dân nhận tại Bộ phận Một cửa'
        : 'Trả kết quả cho công dân tại Bộ phận Một cửa',
    { dates: ['NgayTra'], snapshot: true },
  );
  return { code, identifier: d.identifier, procedure: procedure.code, events };
}

// -------------------------------------------------------------------------------------------------------
// What the portal should hold afterwards
// -------------------------------------------------------------------------------------------------------

export interface ExpectedRow {
  ThoiDiemXuLy: string;
  TrangThai: string;
  NguoiXuLy: string;
  ChucDanh: string;
  PhongBanXuLy: string;
  NoiDungXuLy: string;
}

export interface Expected {
  code: string;
  MaTTHC: string;
  TrangThaiHoSo: string;
  dates: Record<'NgayNopHoSo' | 'NgayTiepNhan' | 'NgayHenTra' | 'NgayKetThucXuLy' | 'NgayTra', string | null>;
  history: ExpectedRow[];
}

const later = (a: SimEvent, b: SimEvent) => a.at - b.at || a.seq - b.seq || a.status - b.status;

/**
 * The portal's rules applied to everything the dossier's system sent: the current status is the latest
 * event (time, then sequence, then status code); the record is the latest record (time, then sequence);
 * the history is every row once, in the order the portal lists it (time, sequence, status).
 */
export function expectedOf(d: SimDossier): Expected | undefined {
  const records = d.events.filter((e) => e.kind === 'dossier');
  if (records.length === 0) return undefined;
  const latest = d.events.reduce((a, b) => (later(b, a) > 0 ? b : a));
  const record = records.reduce((a, b) => ((b.at - a.at || b.seq - a.seq) >= 0 ? b : a)).body;
  const date = (f: string) =>
    typeof record[f] === 'string' && record[f] !== '' ? (record[f] as string) : null;
  return {
    code: d.code,
    MaTTHC: String(record.MaTTHC),
    TrangThaiHoSo: String(latest.status),
    dates: {
      NgayNopHoSo: date('NgayNopHoSo'),
      NgayTiepNhan: date('NgayTiepNhan'),
      NgayHenTra: date('NgayHenTra'),
      NgayKetThucXuLy: date('NgayKetThucXuLy'),
      NgayTra: date('NgayTra'),
    },
    history: d.events
      .filter((e) => e.kind === 'history')
      .sort(later)
      .map((e) => ({
        ThoiDiemXuLy: String(e.body.ThoiDiemXuLy),
        TrangThai: String(e.body.TrangThai),
        // The portal keeps text as Unicode NFC.
        NguoiXuLy: String(e.body.NguoiXuLy).normalize('NFC'),
        ChucDanh: String(e.body.ChucDanh).normalize('NFC'),
        PhongBanXuLy: String(e.body.PhongBanXuLy).normalize('NFC'),
        NoiDungXuLy: String(e.body.NoiDungXuLy).normalize('NFC'),
      })),
  };
}

// -------------------------------------------------------------------------------------------------------
// Delivery plan: duplicates, shuffling, batches
// -------------------------------------------------------------------------------------------------------

export interface PlanOptions {
  seed: number;
  /** Every event is delivered this many times. */
  duplicates: number;
  /** Shuffle all deliveries across batches (otherwise: in the order things happened, the whole log re-sent). */
  shuffle: boolean;
  batch: number;
}

/** Batches of indexes into `events`. */
export function planBatches(eventCount: number, o: PlanOptions): number[][] {
  const order: number[] = [];
  for (let copy = 0; copy < o.duplicates; copy++) for (let i = 0; i < eventCount; i++) order.push(i);
  if (o.shuffle) createRng(o.seed, 'shuffle').shuffle(order);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += o.batch) batches.push(order.slice(i, i + o.batch));
  return batches;
}

/** A fingerprint of the events and the plan: a resumed run must send exactly what the first one planned. */
export function planDigest(events: SimEvent[], batches: number[][]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(`${e.kind}|${e.code}|${e.at}|${e.seq}|${e.status}\n`);
  for (const b of batches) h.update(`${b.length}:${b[0]}:${b[b.length - 1]}\n`);
  return h.digest('hex').slice(0, 32);
}
