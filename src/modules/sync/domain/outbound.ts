/**
 * Outbound delivery, the pure parts: a portal dossier as the DongBoHoSoMC record an agency system
 * already understands (as it was at one change: dates, files and history up to that moment), the
 * Standard Webhooks signature, and which endpoint addresses a webhook may be sent to.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { CHANNEL_CODES, type Channel } from '../../../platform/kernel/index.ts';
import { formatDvcqgDate } from './records.ts';

/** A dossier of the portal's own (the dossiers module's `DossierExchange`, the fields used here). */
export interface PortalDossier {
  code: string;
  procedure: { code: string; version: number; name: string };
  status: number;
  channel: Channel;
  applicant: {
    accountId: string;
    kind: 'citizen' | 'business' | 'organisation' | 'state-agency';
    name: string;
  };
  summary: string | null;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  submittedAt: Date;
  receivedAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  attachments: Array<{
    id: string;
    documentCode: string | null;
    purpose: 'application' | 'supplement' | 'result';
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    uploadedAt: Date;
    /** Reused from the applicant's wallet (the e-document store) instead of uploaded. */
    fromWallet?: boolean | undefined;
  }>;
  history: Array<{
    at: Date;
    action: string;
    status: number;
    actorName: string;
    actorTitle: string | null;
    department: string | null;
    content: string;
    stepStartedAt: Date;
    stepDueAt: Date | null;
  }>;
}

/** The change the record is made for (the outbox event of the dossiers module). */
export interface ChangeMoment {
  action: string;
  status: number;
  at: Date;
  dueAt: Date;
  revision: number;
  reason?: string | undefined;
}

export interface ApplicantDetails {
  /** Personal ID number (citizen) or tax code (business, organisation). */
  idNumber?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
}

const APPLICANT_KIND = { citizen: 1, business: 2, 'state-agency': 3, organisation: 4 } as const;

/**
 * The DongBoHoSoMC record of `dossier` as it stood right after `change`: the status and due date of the
 * change, the dates and history rows not later than it (the dossier may have moved on by the time the
 * record is made), and the dossier's files. Dates in Vietnam time, `yyyyMMddHHmmss`. `fileUrl` gives each file's download
 * link (reachable with the agency system's token).
 */
export function dongBoHoSoMC(
  dossier: PortalDossier,
  change: ChangeMoment,
  options: {
    applicant?: ApplicantDetails;
    fileUrl(attachmentId: string): string;
    competentAgencyName?: string | undefined;
  },
): Record<string, unknown> {
  const until = change.at.getTime();
  const upTo = (d: Date | null) => (d && d.getTime() <= until ? formatDvcqgDate(d) : null);
  const history = dossier.history.filter((h) => h.at.getTime() <= until);
  const refused = change.status === 3 ? formatDvcqgDate(change.at) : null;
  // Files are stamped by the database's clock, the change by the portal's: all current files are given.
  const files = dossier.attachments;
  const id = options.applicant?.idNumber ?? null;
  return {
    MaHoSo: dossier.code,
    SoBienNhan: dossier.code,
    MaTTHC: dossier.procedure.code,
    TenTTHC: dossier.procedure.name,
    PhienBanTTHC: dossier.procedure.version,
    ChuHoSo: dossier.applicant.name,
    LoaiDoiTuong: String(APPLICANT_KIND[dossier.applicant.kind]),
    MaDoiTuong: dossier.applicant.accountId,
    SoGiayToChuHoSo: id,
    DinhDanhCHS:
      id && dossier.applicant.kind === 'citizen' && /^\d{12}$/.test(id)
        ? [{ LoaiDinhDanh: '1', SoDinhDanh: id }]
        : [],
    Email: options.applicant?.email ?? null,
    SoDienThoai: options.applicant?.phone ?? null,
    TrichYeuHoSo: (dossier.summary ?? dossier.procedure.name).slice(0, 1000),
    NgayNopHoSo: formatDvcqgDate(dossier.submittedAt),
    NgayTiepNhan: upTo(dossier.receivedAt),
    NgayHenTra: formatDvcqgDate(change.dueAt),
    NgayKetThucXuLy: upTo(dossier.finishedAt),
    NgayTra: upTo(dossier.returnedAt),
    NgayTuChoi: refused,
    TrangThaiHoSo: String(change.status),
    KenhThucHien: String(CHANNEL_CODES[dossier.channel]),
    HinhThuc: '0',
    DonViXuLy: options.competentAgencyName ?? dossier.competentAgencyCode,
    MaCoQuanTiepNhan: dossier.receivingAgencyCode,
    MaCoQuanThamQuyen: dossier.competentAgencyCode,
    GhiChu: change.reason ?? null,
    NoiNopHoSo: '1',
    HoSoCoThanhPhanSoHoa: files.length > 0 ? '1' : '0',
    TaiKhoanDuocXacThucVoiVNeID: '0',
    DuocThanhToanTrucTuyen: '0',
    TaiLieuNop: files
      .filter((f) => f.purpose !== 'result')
      .map((f) => ({
        TepDinhKemId: f.id,
        TenTepDinhKem: f.fileName,
        IsDeleted: 'False',
        MaThanhPhanHoSo: f.documentCode,
        DuongDanTaiTepTin: options.fileUrl(f.id),
        DuocSoHoa: '0',
        // A file taken from the applicant's e-document store was reused, not uploaded.
        DuocTaiSuDung: f.fromWallet ? '1' : '0',
        DuocLayTuKhoDMQG: f.fromWallet ? '1' : '0',
        MaKetQuaThayThe: null,
        LoaiTep: f.mediaType,
        KichThuoc: f.sizeBytes,
        SHA256: f.sha256,
        LaBoSung: f.purpose === 'supplement' ? '1' : '0',
      })),
    DanhSachGiayToKetQua: files
      .filter((f) => f.purpose === 'result')
      .map((f) => ({
        TenGiayTo: f.fileName,
        MaThanhPhanHoSo: f.documentCode,
        GiayToId: f.id,
        DuongDanTepTinKetQua: options.fileUrl(f.id),
        MaGiayToKetQua: null,
        SHA256: f.sha256,
      })),
    DanhSachLePhi: [],
    DanhSachTepDinhKemKhac: [],
    QuaTrinhXuLy: history.map((h) => ({
      MaHoSo: dossier.code,
      NguoiXuLy: h.actorName,
      ChucDanh: h.actorTitle,
      ThoiDiemXuLy: formatDvcqgDate(h.at),
      PhongBanXuLy: h.department,
      NoiDungXuLy: h.content,
      TrangThai: String(h.status),
      NgayBatDau: formatDvcqgDate(h.stepStartedAt),
      NgayKetThucTheoQuyDinh: h.stepDueAt ? formatDvcqgDate(h.stepDueAt) : null,
    })),
  };
}

// ——— Standard Webhooks (https://www.standardwebhooks.com) ———

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the secret's bytes as the key. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Checks a `webhook-signature` header (space-separated signatures) — for tests and the demo receiver. */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, ts, body));
  return headers.signature
    .split(' ')
    .map((s) => Buffer.from(s))
    .some((s) => s.length === expected.length && timingSafeEqual(s, expected));
}

// ——— where a webhook may go ———

/** Loopback, private, link-local, CGNAT, unique-local, unspecified and multicast addresses. */
export function isPrivateAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (v === 6) {
    const x = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return (
      x === '::' ||
      x === '::1' ||
      x.startsWith('fc') ||
      x.startsWith('fd') ||
      /^fe[89ab]/.test(x) ||
      x.startsWith('ff')
    );
  }
  return true;
}

/** A problem with an endpoint URL (in Vietnamese), or undefined when it may be used. */
export function endpointProblem(raw: string, options: { httpsOnly: boolean }): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'Địa chỉ không hợp lệ.';
  }
  if (raw.length > 2000) return 'Địa chỉ dài quá 2000 ký tự.';
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Chỉ nhận địa chỉ http hoặc https.';
  if (options.httpsOnly && u.protocol !== 'https:') return 'Chỉ nhận địa chỉ https.';
  if (u.username || u.password) return 'Địa chỉ không được chứa tên đăng nhập hay mật khẩu.';
  if (u.hash) return 'Địa chỉ không được có phần #.';
  return undefined;
}
