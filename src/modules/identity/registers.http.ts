/**
 * The registers over HTTP (the API of sim/population-register and sim/business-register, shaped as an
 * agency's data-exchange API): JSON POST with the portal's API key, a deadline per request, and every
 * answer checked before it is believed. Anything else than a well-formed answer — no answer in time, a
 * refused connection, a status other than 200, a body that is not the expected shape — is
 * RegisterUnavailableError: proofing stops and nothing is written.
 */
import { normalizePhone } from './domain/index.ts';
import {
  type BusinessCheck,
  type BusinessRegister,
  type CitizenCheck,
  type PopulationRegister,
  type RegisterName,
  RegisterUnavailableError,
} from './registers.ts';

export interface RegisterEndpoint {
  /** Base URL, without a trailing slash. */
  url: string;
  apiKey: string;
  /** Deadline of one request, milliseconds. */
  timeoutMs: number;
}

type Json = Record<string, unknown>;

async function post(
  register: RegisterName,
  endpoint: RegisterEndpoint,
  path: string,
  body: Json,
): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-api-key': endpoint.apiKey,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new RegisterUnavailableError(register, 'timeout', `no answer in ${endpoint.timeoutMs} ms`);
    throw new RegisterUnavailableError(register, 'unreachable', err.cause?.code ?? String(e));
  }
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    const timedOut = (e as { name?: string }).name === 'TimeoutError';
    throw new RegisterUnavailableError(register, timedOut ? 'timeout' : 'unreachable', 'body not received');
  }
  if (response.status !== 200)
    throw new RegisterUnavailableError(register, 'http-status', `HTTP ${response.status}`);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // below
  }
  throw new RegisterUnavailableError(register, 'malformed', 'the answer is not a JSON object');
}

const isText = (v: unknown, max = 500): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/** The register's reference of the answer (its request id), bounded. */
function referenceOf(register: RegisterName, body: Json): string {
  if (!isText(body.MaYeuCau, 100) || !/^[A-Za-z0-9._:-]+$/.test(body.MaYeuCau))
    throw new RegisterUnavailableError(register, 'malformed', 'MaYeuCau missing or malformed');
  return body.MaYeuCau;
}

/** A phone number as registers write it (national or international), in E.164; null when none. */
function phoneOf(register: RegisterName, v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'string') throw new RegisterUnavailableError(register, 'malformed', 'phone not a string');
  const p = normalizePhone(v);
  // A landline or a foreign number cannot receive the code: as good as none.
  return p.ok ? p.value : null;
}

export function httpPopulationRegister(endpoint: RegisterEndpoint): PopulationRegister {
  const name: RegisterName = 'population-register';
  const malformed = (what: string) => new RegisterUnavailableError(name, 'malformed', what);
  return {
    async checkCitizen(q): Promise<CitizenCheck> {
      const body = await post(name, endpoint, '/api/v1/cong-dan/xac-thuc', {
        SoDinhDanh: q.personalId,
        HoVaTen: q.fullName,
        NgaySinh: q.birthDate,
      });
      const reference = referenceOf(name, body);
      switch (body.KetQua) {
        case 'KHONG_TIM_THAY':
          return { result: 'not-found', reference };
        case 'DA_CHET':
          return { result: 'deceased', reference };
        case 'DA_THU_HOI':
          return { result: 'revoked', reference };
        case 'KHONG_KHOP': {
          const fields = body.TruongKhongKhop;
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 2)
            throw malformed('TruongKhongKhop');
          const mapped = fields.map((f) =>
            f === 'HoVaTen' ? 'fullName' : f === 'NgaySinh' ? 'birthDate' : null,
          );
          if (mapped.includes(null)) throw malformed('TruongKhongKhop');
          return { result: 'mismatch', reference, fields: mapped as Array<'fullName' | 'birthDate'> };
        }
        case 'KHOP': {
          const c = body.CongDan as Json | undefined;
          if (!c || typeof c !== 'object' || Array.isArray(c)) throw malformed('CongDan');
          // The record must be the one asked about.
          if (c.SoDinhDanh !== q.personalId) throw malformed('CongDan.SoDinhDanh is another number');
          if (!isText(c.HoVaTen, 200)) throw malformed('CongDan.HoVaTen');
          if (typeof c.NgaySinh !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.NgaySinh))
            throw malformed('CongDan.NgaySinh');
          if (c.GioiTinh !== 'Nam' && c.GioiTinh !== 'Nữ') throw malformed('CongDan.GioiTinh');
          if (!isText(c.NoiThuongTru)) throw malformed('CongDan.NoiThuongTru');
          return {
            result: 'match',
            reference,
            citizen: {
              personalId: q.personalId,
              fullName: c.HoVaTen.normalize('NFC').trim().replace(/\s+/g, ' '),
              birthDate: c.NgaySinh,
              sex: c.GioiTinh === 'Nam' ? 'male' : 'female',
              permanentResidence: c.NoiThuongTru.normalize('NFC').trim(),
              phone: phoneOf(name, c.SoDienThoai),
            },
          };
        }
        default:
          throw malformed('KetQua');
      }
    },
  };
}

export function httpBusinessRegister(endpoint: RegisterEndpoint): BusinessRegister {
  const name: RegisterName = 'business-register';
  const malformed = (what: string) => new RegisterUnavailableError(name, 'malformed', what);
  return {
    async checkBusiness(q): Promise<BusinessCheck> {
      const body = await post(name, endpoint, '/api/v1/doanh-nghiep/xac-thuc', {
        MaSoDoanhNghiep: q.taxCode,
        TenDoanhNghiep: q.name,
        SoDinhDanhNguoiDaiDien: q.representativeId,
      });
      const reference = referenceOf(name, body);
      switch (body.KetQua) {
        case 'KHONG_TIM_THAY':
          return { result: 'not-found', reference };
        case 'TAM_NGUNG_KINH_DOANH':
          return { result: 'suspended', reference };
        case 'DA_CHAM_DUT_HOAT_DONG':
          return { result: 'dissolved', reference };
        case 'KHONG_KHOP': {
          const fields = body.TruongKhongKhop;
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 2)
            throw malformed('TruongKhongKhop');
          const mapped = fields.map((f) =>
            f === 'TenDoanhNghiep' ? 'name' : f === 'SoDinhDanhNguoiDaiDien' ? 'representative' : null,
          );
          if (mapped.includes(null)) throw malformed('TruongKhongKhop');
          return { result: 'mismatch', reference, fields: mapped as Array<'name' | 'representative'> };
        }
        case 'KHOP': {
          const b = body.DoanhNghiep as Json | undefined;
          if (!b || typeof b !== 'object' || Array.isArray(b)) throw malformed('DoanhNghiep');
          if (b.MaSoDoanhNghiep !== q.taxCode) throw malformed('DoanhNghiep.MaSoDoanhNghiep is another code');
          if (b.TinhTrang !== 'DANG_HOAT_DONG') throw malformed('DoanhNghiep.TinhTrang');
          if (!isText(b.TenDoanhNghiep, 300)) throw malformed('DoanhNghiep.TenDoanhNghiep');
          if (!isText(b.DiaChiTruSo)) throw malformed('DoanhNghiep.DiaChiTruSo');
          const rep = b.NguoiDaiDien as Json | undefined;
          if (
            !rep ||
            typeof rep.SoDinhDanh !== 'string' ||
            !/^\d{12}$/.test(rep.SoDinhDanh) ||
            !isText(rep.HoVaTen, 200)
          )
            throw malformed('DoanhNghiep.NguoiDaiDien');
          if (rep.SoDinhDanh !== q.representativeId) throw malformed('NguoiDaiDien is another person');
          const email = b.ThuDienTu;
          if (email !== null && email !== undefined && !isText(email, 254))
            throw malformed('DoanhNghiep.ThuDienTu');
          return {
            result: 'match',
            reference,
            business: {
              taxCode: q.taxCode,
              name: b.TenDoanhNghiep.normalize('NFC').trim().replace(/\s+/g, ' '),
              headOffice: b.DiaChiTruSo.normalize('NFC').trim(),
              representative: { personalId: rep.SoDinhDanh, fullName: rep.HoVaTen.normalize('NFC').trim() },
              phone: phoneOf(name, b.SoDienThoai),
              email: typeof email === 'string' ? email.toLowerCase() : null,
            },
          };
        }
        default:
          throw malformed('KetQua');
      }
    },
  };
}
