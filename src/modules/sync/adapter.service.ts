/**
 * The DVCQG-compatible adapter: an agency system written for the national portal logs in with
 * `{username, password}` and calls `{session, madonvi, service, …}`. Answers always come back in the
 * protocol's own form — HTTP 200 with `error_code` (0 success) and a Vietnamese `message` — never as a
 * problem document, because such clients read only `error_code`.
 *
 * error_code: 0 success · 1 wrong username or password · 2 missing, unknown or expired session ·
 * 3 "đã tồn tại" (DongBoHoSoMC with isUpdating "False" on a dossier that exists: call again with "True") ·
 * 4 invalid request or items (the per-item `results` say which and why) · 5 not found ·
 * 6 madonvi or dossier not among the caller's agencies · 7 service not supported here ·
 * 8 the client lacks the `sync` scope · 9 busy, retry later.
 */
import { statusName } from '../../platform/kernel/index.ts';
import { formatDvcqgDate } from './domain/records.ts';
import type { BatchResult, Caller, SyncService } from './sync.service.ts';

export const ERR = {
  ok: 0,
  login: 1,
  session: 2,
  exists: 3,
  invalid: 4,
  notFound: 5,
  notYours: 6,
  unknownService: 7,
  scope: 8,
  busy: 9,
} as const;

export type AdapterAnswer = { error_code: number; message: string } & Record<string, unknown>;

export interface MachineIdentity extends Caller {
  scopes: string[];
}

export interface AdapterDeps {
  sync: SyncService;
  machineLogin(clientId: string, secret: string): Promise<MachineIdentity | undefined>;
  ownerOf(identifier: string, date: string): Promise<{ agencyCode: string; lineage: string[] } | undefined>;
  today(): string;
  /** The catalogue's procedure in the LayThuTuc shape; undefined when not published. */
  layThuTuc(code: string): Promise<Record<string, unknown> | undefined>;
  procedures(query: { q?: string; limit: number; cursor?: string }): Promise<{
    items: Array<{
      code: string;
      name: string;
      sectors: Array<{ code: string; name: string }>;
      agencyCodes: string[];
    }>;
    nextCursor: string | null;
  }>;
  sectors(): Promise<Array<{ code: string; name: string }>>;
  agencies(): Promise<
    Array<{ code: string; name: string; parentCode: string | null; identifiers: string[] }>
  >;
  /** Portal account id by personal ID or tax code (identity), the read recorded for the person. */
  techIdOf(
    query: { personalId?: string; taxCode?: string },
    reader: MachineIdentity,
  ): Promise<string | undefined>;
}

const ok = (extra: Record<string, unknown> = {}): AdapterAnswer => ({
  error_code: ERR.ok,
  message: 'Thành công',
  ...extra,
});
const fail = (code: number, message: string, extra: Record<string, unknown> = {}): AdapterAnswer => ({
  error_code: code,
  message,
  ...extra,
});

const str = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max
    ? v.trim()
    : typeof v === 'number'
      ? String(v)
      : undefined;

/** `"True"`, `"true"`, `true`, `1` → true; everything else false (DVCQG sends the strings). */
export const truthy = (v: unknown) =>
  v === true || v === 1 || (typeof v === 'string' && /^(true|1)$/i.test(v.trim()));

function batchAnswer(r: BatchResult, list: 'dossiers' | 'history'): AdapterAnswer {
  const results = r[list].map((x) => ({
    index: x.index,
    MaHoSo: x.code,
    result: x.result,
    ...(x.pending ? { pending: true } : {}),
    ...(x.reason ? { message: x.reason } : {}),
  }));
  const existing = r[list].filter((x) => x.exists);
  if (existing.length > 0)
    return fail(
      ERR.exists,
      existing.length === 1 ? `Hồ sơ ${existing[0]!.code} đã tồn tại` : `${existing.length} hồ sơ đã tồn tại`,
      { results },
    );
  const rejected = r[list].filter((x) => x.result === 'rejected');
  if (rejected.length > 0)
    return fail(
      ERR.invalid,
      `${rejected.length}/${r[list].length} mục không hợp lệ: ${rejected[0]!.reason}`,
      {
        results,
      },
    );
  return ok({ results });
}

export function createAdapterService(deps: AdapterDeps) {
  async function mayActFor(caller: Caller, identifier: string): Promise<boolean> {
    const owner = await deps.ownerOf(identifier, deps.today());
    return owner?.lineage.some((a) => caller.agencyCodes.includes(a)) ?? false;
  }

  return {
    async auth(body: unknown): Promise<AdapterAnswer> {
      const b = (body ?? {}) as Record<string, unknown>;
      const username = str(b.username, 64);
      const password = str(b.password, 200);
      if (!username || !password) return fail(ERR.login, 'Thiếu tên đăng nhập hoặc mật khẩu');
      // Wrong credentials answer undefined; a failure (the database unreachable) is not a wrong
      // password: the system is told to try again rather than to give up on its credentials.
      let caller: MachineIdentity | undefined;
      try {
        caller = await deps.machineLogin(username, password);
      } catch {
        return fail(ERR.busy, 'Hệ thống đang bận, vui lòng gửi lại sau ít giây');
      }
      if (!caller) return fail(ERR.login, 'Sai tên đăng nhập hoặc mật khẩu');
      if (!caller.scopes.includes('sync'))
        return fail(ERR.scope, 'Ứng dụng chưa được cấp quyền đồng bộ hồ sơ (phạm vi sync)');
      const s = await deps.sync.openSession(caller);
      return ok({ session: s.token, expires: formatDvcqgDate(s.expiresAt) });
    },

    async service(body: unknown): Promise<AdapterAnswer> {
      const b = (body ?? {}) as Record<string, unknown>;
      const token = str(b.session, 200);
      const caller = token ? await deps.sync.sessionCaller(token) : undefined;
      if (!caller)
        return fail(ERR.session, 'Phiên làm việc không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại');
      const service = str(b.service, 50);
      const madonvi = str(b.madonvi, 30);
      if (!service) return fail(ERR.invalid, 'Thiếu tên dịch vụ (service)');
      if (!madonvi) return fail(ERR.invalid, 'Thiếu mã đơn vị (madonvi)');
      if (!(await mayActFor(caller, madonvi)))
        return fail(
          ERR.notYours,
          `Mã đơn vị ${madonvi} không thuộc các cơ quan mà ứng dụng được phép đồng bộ`,
        );
      const data = b.data;
      switch (service) {
        case 'DongBoHoSoMC': {
          if (!Array.isArray(data) || data.length === 0 || data.length > 1000)
            return fail(ERR.invalid, 'data phải là danh sách từ 1 đến 1000 hồ sơ');
          const r = await deps.sync.ingest(
            caller,
            { dossiers: data },
            truthy(b.isUpdating) ? 'upsert' : 'create-only',
          );
          return batchAnswer(r, 'dossiers');
        }
        case 'CapNhatTienDoHoSoMC': {
          if (!Array.isArray(data) || data.length === 0 || data.length > 1000)
            return fail(ERR.invalid, 'data phải là danh sách từ 1 đến 1000 dòng tiến độ');
          return batchAnswer(await deps.sync.ingest(caller, { history: data }), 'history');
        }
        case 'TraCuuHoSo': {
          const code = str(b.mahoso ?? b.MaHoSo, 60);
          if (!code) return fail(ERR.invalid, 'Thiếu mã hồ sơ (mahoso)');
          const found = await deps.sync.findDossier(code);
          // A dossier of another agency answers like one that does not exist.
          if (!found || !(await mayActFor(caller, found.dossier.agency_identifier)))
            return fail(ERR.notFound, `Không tìm thấy hồ sơ ${code}`);
          const d = found.dossier;
          const date = (x: Date | null) => (x ? formatDvcqgDate(x) : '');
          return ok({
            result: {
              MaHoSo: d.code,
              MaTTHC: d.procedure_code,
              TenTTHC: d.procedure_name ?? '',
              TrangThaiHoSo: String(d.status),
              TenTrangThaiHoSo: statusName(d.status),
              NgayNopHoSo: date(d.submitted_at),
              NgayTiepNhan: date(d.received_at),
              NgayHenTra: date(d.due_at),
              NgayKetThucXuLy: date(d.finished_at),
              NgayTra: date(d.returned_at),
              KenhThucHien: d.channel ? String(d.channel) : '',
              QuaTrinhXuLy: found.history.map((h) => ({
                NguoiXuLy: h.handler_name ?? '',
                ChucDanh: h.handler_title ?? '',
                ThoiDiemXuLy: formatDvcqgDate(h.event_at),
                PhongBanXuLy: h.department ?? '',
                NoiDungXuLy: h.content ?? '',
                TrangThai: String(h.status),
                NgayBatDau: date(h.step_started_at),
                NgayKetThucTheoQuyDinh: date(h.step_due_at),
              })),
            },
          });
        }
        case 'LayThuTuc': {
          const code = str(b.maTTHC ?? b.MaTTHC ?? b.matthc, 50);
          if (!code) return fail(ERR.invalid, 'Thiếu mã thủ tục (maTTHC)');
          const p = await deps.layThuTuc(code).catch(() => undefined);
          return p ? ok({ result: p }) : fail(ERR.notFound, `Không có thủ tục mã ${code} đang công khai`);
        }
        case 'LayDanhSachTTHC': {
          const limit = Math.min(Math.max(Number(b.limit ?? b.pageSize) || 100, 1), 500);
          const q = str(b.keyword ?? b.q, 200);
          const cursor = str(b.cursor, 500);
          const r = await deps.procedures({ limit, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
          return ok({
            result: r.items.map((p) => ({
              MATTHC: p.code,
              TENTTHC: p.name,
              LINHVUCTHUCHIEN: p.sectors.map((s) => ({ MALINHVUC: s.code, TENLINHVUC: s.name })),
              COQUANTHUCHIEN: p.agencyCodes.map((a) => ({ MADONVI: a })),
            })),
            cursor: r.nextCursor ?? '',
          });
        }
        case 'LayDanhMucLinhVuc': {
          const sectors = await deps.sectors();
          return ok({ result: sectors.map((s) => ({ MALINHVUC: s.code, TENLINHVUC: s.name })) });
        }
        case 'LayDanhMucCoQuan': {
          const agencies = await deps.agencies();
          return ok({
            result: agencies.map((a) => ({
              MACOQUAN: a.code,
              TENCOQUAN: a.name,
              MACOQUANCHA: a.parentCode ?? '',
              MADINHDANH: a.identifiers,
            })),
          });
        }
        case 'TraCuuTechID': {
          const personalId = str(b.SoDinhDanh ?? b.sodinhdanh ?? b.SoCMND, 12);
          const taxCode = str(b.MaSoDoanhNghiep ?? b.masothue ?? b.MaSoThue, 14);
          if (!personalId && !taxCode)
            return fail(
              ERR.invalid,
              'Cần số định danh cá nhân (SoDinhDanh) hoặc mã số doanh nghiệp (MaSoDoanhNghiep)',
            );
          const id = await deps.techIdOf(
            { ...(personalId ? { personalId } : {}), ...(taxCode ? { taxCode } : {}) },
            caller,
          );
          return id ? ok({ result: { TechID: id } }) : fail(ERR.notFound, 'Không tìm thấy tài khoản');
        }
        default:
          return fail(ERR.unknownService, `Dịch vụ ${service.slice(0, 50)} không được hỗ trợ`);
      }
    },
  };
}

export type AdapterService = ReturnType<typeof createAdapterService>;
