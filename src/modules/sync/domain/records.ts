/**
 * What agency systems send, checked and normalised without I/O: DongBoHoSoMC dossier records and
 * CapNhatTienDoHoSoMC history rows in the national portal's field names, `yyyyMMddHHmmss` dates in
 * Vietnam time, dossier codes (the shared kernel's grammar), the idempotency key of an event, and the
 * order that decides a dossier's current status (latest by event time, then sequence, then code).
 */
import crypto from 'node:crypto';
import { type ParsedDossierCode, parseDossierCode } from '../../../platform/kernel/index.ts';

const VN_OFFSET_MS = 7 * 3_600_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of `n` decimal digits of `t` from `at`, or -1 when one of them is not a digit. */
function digits(t: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * `yyyyMMddHHmmss` in Vietnam time → the instant; undefined when it is not a real date and time.
 * Read digit by digit (three of these per history row, on the ingestion path).
 */
export function parseDvcqgDate(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.length === 14 ? text : text.trim();
  if (t.length !== 14) return undefined;
  const y = digits(t, 0, 4);
  const mo = digits(t, 4, 2);
  const d = digits(t, 6, 2);
  const h = digits(t, 8, 2);
  const mi = digits(t, 10, 2);
  const s = digits(t, 12, 2);
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return undefined;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return undefined;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - VN_OFFSET_MS);
}

/** An instant → `yyyyMMddHHmmss` in Vietnam time. */
export function formatDvcqgDate(instant: Date): string {
  const d = new Date(instant.getTime() + VN_OFFSET_MS);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999) return d.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${y}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** The Vietnam calendar date (YYYY-MM-DD) of an instant. */
export function vietnamDay(instant: Date): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The moment, sequence and status of an event: what decides which status is current. */
export interface StatusMark {
  at: Date;
  seq: number;
  status: number;
}

/** Later event wins; the same moment → the higher sequence; then the higher status code (deterministic). */
export function isLater(a: StatusMark, b: StatusMark): boolean {
  const t = a.at.getTime() - b.at.getTime();
  if (t !== 0) return t > 0;
  if (a.seq !== b.seq) return a.seq > b.seq;
  return a.status > b.status;
}

export interface DossierItem {
  code: string;
  identifier: string;
  /** Receiving date of the code, YYYY-MM-DD (the day the identifier must have been the agency's). */
  codeDate: string;
  procedureCode: string;
  procedureName: string | null;
  sectorCode: string | null;
  channel: number;
  applicantKind: number | null;
  applicantId: string | null;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  status: number;
  /** The latest of the record's dates that are not appointments: the moment the record describes. */
  at: Date;
  seq: number;
  payload: Record<string, unknown>;
  payloadKey: string;
}

export interface HistoryItem {
  code: string;
  identifier: string;
  codeDate: string;
  at: Date;
  seq: number;
  status: number;
  handlerName: string | null;
  handlerTitle: string | null;
  department: string | null;
  content: string | null;
  stepStartedAt: Date | null;
  stepDueAt: Date | null;
  eventKey: string;
}

export type Checked<T> = { ok: true; item: T } | { ok: false; reason: string };

const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Clocks of agency systems drift; an event more than a day ahead is a mistake, not a clock. */
const FUTURE_TOLERANCE_MS = 86_400_000;

function text(v: unknown, max: number): string | null | false {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return false;
  const t = v.trim().normalize('NFC');
  return t.length === 0 ? null : t.length > max ? false : t;
}

function smallInt(v: unknown, min: number, max: number): number | null | false {
  if (v === undefined || v === null || v === '') return null;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d{1,3}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : false;
}

function sequenceOf(v: unknown): number | false {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : false;
}

function optionalDate(record: Record<string, unknown>, field: string): Date | null | false {
  const v = record[field];
  if (v === undefined || v === null || v === '') return null;
  return parseDvcqgDate(v) ?? false;
}

// One-shot hashing (Node.js ≥ 20.12) saves a Hash object per row; the digest is the same either way.
const sha256 = (
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data: string) => crypto.hash('sha256', data, 'base64url')
    : (data: string) => crypto.createHash('sha256').update(data).digest('base64url')
) as (data: string) => string;

function digest(value: unknown): string {
  return sha256(JSON.stringify(value));
}

function codeOf(record: Record<string, unknown>): Checked<ParsedDossierCode & { code: string }> {
  const code = typeof record.MaHoSo === 'string' ? record.MaHoSo.trim() : record.MaHoSo;
  if (code === undefined || code === null || code === '') return { ok: false, reason: 'Thiếu MaHoSo.' };
  const parsed = parseDossierCode(code);
  if (!parsed)
    return {
      ok: false,
      reason: `MaHoSo "${String(code).slice(0, 60)}" không đúng dạng {mã định danh}-{yyMMdd}-{số thứ tự}.`,
    };
  return { ok: true, item: { ...parsed, code: code as string } };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A DongBoHoSoMC record → a dossier item, or the reason (in Vietnamese) it cannot be taken. */
export function checkDossier(raw: unknown, now: Date): Checked<DossierItem> {
  if (!isRecord(raw)) return { ok: false, reason: 'Hồ sơ phải là một đối tượng JSON.' };
  const code = codeOf(raw);
  if (!code.ok) return code;
  const size = Buffer.byteLength(JSON.stringify(raw));
  if (size > MAX_PAYLOAD_BYTES)
    return { ok: false, reason: `Hồ sơ quá lớn (${size} byte, tối đa ${MAX_PAYLOAD_BYTES}).` };
  const procedureCode = text(raw.MaTTHC, 50);
  if (!procedureCode) return { ok: false, reason: 'Thiếu hoặc sai MaTTHC (mã thủ tục hành chính).' };
  const status = smallInt(raw.TrangThaiHoSo, 1, 10);
  if (status === null || status === false)
    return { ok: false, reason: 'TrangThaiHoSo phải là một mã trạng thái từ 1 đến 10.' };
  const channel = smallInt(raw.KenhThucHien, 1, 3);
  if (channel === false) return { ok: false, reason: 'KenhThucHien phải là 1, 2 hoặc 3.' };
  const applicantKind = smallInt(raw.LoaiDoiTuong, 1, 4);
  if (applicantKind === false) return { ok: false, reason: 'LoaiDoiTuong phải là 1, 2, 3 hoặc 4.' };
  const procedureName = text(raw.TenTTHC, 1000);
  const sectorCode = text(raw.MaLinhVuc, 50);
  const applicantId = text(raw.SoGiayToChuHoSo, 30);
  if (procedureName === false || sectorCode === false || applicantId === false)
    return { ok: false, reason: 'TenTTHC, MaLinhVuc hoặc SoGiayToChuHoSo sai kiểu hoặc quá dài.' };
  const dates: Record<string, Date | null> = {};
  for (const f of ['NgayNopHoSo', 'NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra', 'NgayTuChoi']) {
    const d = optionalDate(raw, f);
    if (d === false) return { ok: false, reason: `${f} phải có dạng yyyyMMddHHmmss (giờ Việt Nam).` };
    dates[f] = d;
  }
  const moments = ['NgayNopHoSo', 'NgayTiepNhan', 'NgayTuChoi', 'NgayKetThucXuLy', 'NgayTra']
    .map((f) => dates[f])
    .filter((d): d is Date => d !== null);
  if (!dates.NgayNopHoSo && !dates.NgayTiepNhan)
    return { ok: false, reason: 'Cần ít nhất một trong NgayNopHoSo, NgayTiepNhan.' };
  const at = new Date(Math.max(...moments.map((d) => d.getTime())));
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    return { ok: false, reason: `Ngày ${formatDvcqgDate(at)} của hồ sơ ở tương lai.` };
  const seq = sequenceOf(raw.sequence);
  if (seq === false) return { ok: false, reason: 'sequence phải là số nguyên không âm.' };
  return {
    ok: true,
    item: {
      code: code.item.code,
      identifier: code.item.identifier,
      codeDate: code.item.day,
      procedureCode,
      procedureName,
      sectorCode,
      channel: channel ?? 0,
      applicantKind,
      applicantId,
      submittedAt: dates.NgayNopHoSo ?? null,
      receivedAt: dates.NgayTiepNhan ?? null,
      dueAt: dates.NgayHenTra ?? null,
      finishedAt: dates.NgayKetThucXuLy ?? null,
      returnedAt: dates.NgayTra ?? null,
      status,
      at,
      seq,
      payload: raw,
      payloadKey: digest(raw),
    },
  };
}

/** A CapNhatTienDoHoSoMC row → a history item, or the reason it cannot be taken. */
export function checkHistory(raw: unknown, now: Date, source: string): Checked<HistoryItem> {
  if (!isRecord(raw)) return { ok: false, reason: 'Dòng tiến độ phải là một đối tượng JSON.' };
  const code = codeOf(raw);
  if (!code.ok) return code;
  const at = parseDvcqgDate(raw.ThoiDiemXuLy);
  if (!at) return { ok: false, reason: 'ThoiDiemXuLy phải có dạng yyyyMMddHHmmss (giờ Việt Nam).' };
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    return { ok: false, reason: `ThoiDiemXuLy ${formatDvcqgDate(at)} ở tương lai.` };
  const status = smallInt(raw.TrangThai, 1, 10);
  if (status === null || status === false)
    return { ok: false, reason: 'TrangThai phải là một mã trạng thái từ 1 đến 10.' };
  const handlerName = text(raw.NguoiXuLy, 300);
  const handlerTitle = text(raw.ChucDanh, 300);
  const department = text(raw.PhongBanXuLy, 300);
  const content = text(raw.NoiDungXuLy, 4000);
  if (handlerName === false || handlerTitle === false || department === false || content === false)
    return { ok: false, reason: 'NguoiXuLy, ChucDanh, PhongBanXuLy hoặc NoiDungXuLy sai kiểu hoặc quá dài.' };
  const stepStartedAt = optionalDate(raw, 'NgayBatDau');
  const stepDueAt = optionalDate(raw, 'NgayKetThucTheoQuyDinh');
  if (stepStartedAt === false || stepDueAt === false)
    return { ok: false, reason: 'NgayBatDau, NgayKetThucTheoQuyDinh phải có dạng yyyyMMddHHmmss.' };
  const seq = sequenceOf(raw.sequence);
  if (seq === false) return { ok: false, reason: 'sequence phải là số nguyên không âm.' };
  const eventId = text(raw.eventId, 100);
  if (eventId === false) return { ok: false, reason: 'eventId quá dài (tối đa 100 ký tự).' };
  return {
    ok: true,
    item: {
      code: code.item.code,
      identifier: code.item.identifier,
      codeDate: code.item.day,
      at,
      seq,
      status,
      handlerName,
      handlerTitle,
      department,
      content,
      stepStartedAt,
      stepDueAt,
      // The sender's own id is unique only within its source; a row without one is its content.
      eventKey: eventId
        ? `id:${source}:${eventId}`
        : `h:${digest([
            code.item.code,
            at.getTime(),
            seq,
            status,
            handlerName,
            handlerTitle,
            department,
            content,
            stepStartedAt?.getTime() ?? null,
            stepDueAt?.getTime() ?? null,
          ])}`,
    },
  };
}
