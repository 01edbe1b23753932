/**
 * The population register's HTTP API, as an agency checking a person's identity would call it
 * (README.md has the shapes):
 *
 *   POST /api/v1/cong-dan/xac-thuc   X-Api-Key: …
 *   { "SoDinhDanh": "001088012345", "HoVaTen": "Nguyễn Văn Minh", "NgaySinh": "1988-05-12" }
 *   → 200 { "MaYeuCau": "…", "KetQua": "KHOP", "CongDan": { …the record… } }
 *   → 200 { "MaYeuCau": "…", "KetQua": "KHONG_KHOP", "TruongKhongKhop": ["HoVaTen"] }
 *   → 200 { "MaYeuCau": "…", "KetQua": "KHONG_TIM_THAY" | "DA_CHET" | "DA_THU_HOI" }
 *
 * The record is returned only on a match: a wrong name or date of birth learns nothing about the person.
 */
import {
  type Answer,
  type RegisterServerOptions,
  type RunningRegister,
  startRegisterServer,
} from './http.ts';
import { type Citizen, createPopulation, type Population } from './population.ts';

export const CHECK_PATH = '/api/v1/cong-dan/xac-thuc';

const bad = (message: string): Answer => ({ status: 400, body: { error: 'bad-request', message } });

/** The record as the register's API writes it. */
export function citizenRecord(c: Citizen) {
  return {
    SoDinhDanh: c.personalId,
    HoVaTen: c.fullName,
    NgaySinh: c.birthDate,
    GioiTinh: c.sex === 'male' ? 'Nam' : 'Nữ',
    NoiThuongTru: c.permanentResidence,
    SoDienThoai: c.phone,
  };
}

export function checkAnswer(population: Population, body: unknown, requestId: string): Answer {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) return bad('Nội dung phải là một đối tượng JSON.');
  const { SoDinhDanh: id, HoVaTen: name, NgaySinh: birth } = b;
  if (typeof id !== 'string' || !/^\d{12}$/.test(id)) return bad('SoDinhDanh phải gồm 12 chữ số.');
  if (typeof name !== 'string' || name.trim().length < 1 || name.length > 200)
    return bad('HoVaTen phải có từ 1 đến 200 ký tự.');
  if (typeof birth !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birth))
    return bad('NgaySinh phải có dạng yyyy-MM-dd.');
  const r = population.check({ personalId: id, fullName: name, birthDate: birth });
  const head = { MaYeuCau: requestId };
  switch (r.result) {
    case 'match':
      return { status: 200, body: { ...head, KetQua: 'KHOP', CongDan: citizenRecord(r.citizen) } };
    case 'mismatch':
      return {
        status: 200,
        body: {
          ...head,
          KetQua: 'KHONG_KHOP',
          TruongKhongKhop: r.fields.map((f) => (f === 'fullName' ? 'HoVaTen' : 'NgaySinh')),
        },
      };
    case 'not-found':
      return { status: 200, body: { ...head, KetQua: 'KHONG_TIM_THAY' } };
    case 'deceased':
      return { status: 200, body: { ...head, KetQua: 'DA_CHET' } };
    case 'revoked':
      return { status: 200, body: { ...head, KetQua: 'DA_THU_HOI' } };
  }
}

export interface PopulationRegisterOptions extends RegisterServerOptions {
  seed?: string | number;
  size?: number;
}

export async function startPopulationRegister(
  options: PopulationRegisterOptions,
): Promise<RunningRegister & { population: Population }> {
  const population = createPopulation({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
  });
  const running = await startRegisterServer(
    'population-register',
    options,
    { [CHECK_PATH]: (body, requestId) => checkAnswer(population, body, requestId) },
    () => ({ seed: population.seed, size: population.size }),
  );
  return { ...running, population };
}
