/**
 * The business register's HTTP API, as an agency checking a business would call it (README.md):
 *
 *   POST /api/v1/doanh-nghiep/xac-thuc   X-Api-Key: …
 *   { "MaSoDoanhNghiep": "0106789017", "TenDoanhNghiep": "…", "SoDinhDanhNguoiDaiDien": "001088012345" }
 *   → 200 { "MaYeuCau": "…", "KetQua": "KHOP", "DoanhNghiep": { …the record… } }
 *   → 200 { "MaYeuCau": "…", "KetQua": "KHONG_KHOP", "TruongKhongKhop": ["TenDoanhNghiep"] }
 *   → 200 { "MaYeuCau": "…", "KetQua": "KHONG_TIM_THAY" | "TAM_NGUNG_KINH_DOANH" | "DA_CHAM_DUT_HOAT_DONG" }
 *
 * The record is returned only on a match. Its legal representatives are people of the population
 * register generated with the same seed.
 */
import {
  type Answer,
  type RegisterServerOptions,
  type RunningRegister,
  startRegisterServer,
} from '../population-register/http.ts';
import { createPopulation, type Population } from '../population-register/population.ts';
import { type Business, type BusinessRegistry, createBusinessRegistry } from './businesses.ts';

export const CHECK_PATH = '/api/v1/doanh-nghiep/xac-thuc';

const bad = (message: string): Answer => ({ status: 400, body: { error: 'bad-request', message } });

export function businessRecord(b: Business) {
  return {
    MaSoDoanhNghiep: b.taxCode,
    TenDoanhNghiep: b.name,
    TinhTrang: 'DANG_HOAT_DONG',
    DiaChiTruSo: b.headOffice,
    NguoiDaiDien: { SoDinhDanh: b.representative.personalId, HoVaTen: b.representative.fullName },
    SoDienThoai: b.phone,
    ThuDienTu: b.email,
  };
}

export function checkAnswer(registry: BusinessRegistry, body: unknown, requestId: string): Answer {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) return bad('Nội dung phải là một đối tượng JSON.');
  const { MaSoDoanhNghiep: taxCode, TenDoanhNghiep: name, SoDinhDanhNguoiDaiDien: rep } = b;
  if (typeof taxCode !== 'string' || !/^\d{10}(-\d{3})?$/.test(taxCode))
    return bad('MaSoDoanhNghiep phải gồm 10 chữ số (hoặc 10-3 với chi nhánh).');
  if (typeof name !== 'string' || name.trim().length < 1 || name.length > 300)
    return bad('TenDoanhNghiep phải có từ 1 đến 300 ký tự.');
  if (typeof rep !== 'string' || !/^\d{12}$/.test(rep))
    return bad('SoDinhDanhNguoiDaiDien phải gồm 12 chữ số.');
  const r = registry.check({ taxCode, name, representativeId: rep });
  const head = { MaYeuCau: requestId };
  switch (r.result) {
    case 'match':
      return { status: 200, body: { ...head, KetQua: 'KHOP', DoanhNghiep: businessRecord(r.business) } };
    case 'mismatch':
      return {
        status: 200,
        body: {
          ...head,
          KetQua: 'KHONG_KHOP',
          TruongKhongKhop: r.fields.map((f) => (f === 'name' ? 'TenDoanhNghiep' : 'SoDinhDanhNguoiDaiDien')),
        },
      };
    case 'not-found':
      return { status: 200, body: { ...head, KetQua: 'KHONG_TIM_THAY' } };
    case 'suspended':
      return { status: 200, body: { ...head, KetQua: 'TAM_NGUNG_KINH_DOANH' } };
    case 'dissolved':
      return { status: 200, body: { ...head, KetQua: 'DA_CHAM_DUT_HOAT_DONG' } };
  }
}

export interface BusinessRegisterOptions extends RegisterServerOptions {
  seed?: string | number;
  /** Businesses generated (default 20,000). */
  size?: number;
  /** People of the population the representatives come from (default 100,000, as the population register). */
  populationSize?: number;
}

export async function startBusinessRegister(
  options: BusinessRegisterOptions,
): Promise<RunningRegister & { registry: BusinessRegistry; population: Population }> {
  const population = createPopulation({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.populationSize !== undefined ? { size: options.populationSize } : {}),
  });
  const registry = createBusinessRegistry(
    population,
    options.size !== undefined ? { size: options.size } : {},
  );
  const running = await startRegisterServer(
    'business-register',
    options,
    { [CHECK_PATH]: (body, requestId) => checkAnswer(registry, body, requestId) },
    () => ({ seed: registry.seed, size: registry.size }),
  );
  return { ...running, registry, population };
}
