import { describe, expect, it } from 'vitest';
import { SEED_PROCEDURES } from '../seed/procedures.ts';
import type { FormSchema } from './form-schema.ts';
import { formValueProblems } from './form-values.ts';

const ctx = {
  today: '2026-11-29',
  isAdminUnit: (code: string, level: 'province' | 'commune') =>
    level === 'province' ? ['01', '79'].includes(code) : ['00004', '26734'].includes(code),
};

const birth = SEED_PROCEDURES.find((p) => p.code === '1.001193')!.content.form as FormSchema;

const good = {
  hoTen: 'Nguyễn Thị Lan',
  soDinhDanh: '001190012345',
  ngaySinh: '1990-04-02',
  noiCuTru: { province: '01', commune: '00004', street: 'Số 1 phố Hàng Bài' },
  soDienThoai: '0912345678',
  hoTenTre: 'Nguyễn Minh An',
  ngaySinhTre: '2026-11-20',
  gioiTinhTre: 'nam',
  noiSinh: 'Bệnh viện Phụ sản Hà Nội',
  chaMe: [{ quanHe: 'me', hoTen: 'Nguyễn Thị Lan', soDinhDanh: '001190012345' }],
  tep_tk_ks: 'file_0001abcd',
  tep_gcs: 'file_0002abcd',
};

describe('answers to an e-form', () => {
  it('accepts complete answers to the birth-registration form', () => {
    expect(formValueProblems(birth, good, ctx)).toEqual([]);
  });

  it('names each problem with its path, in Vietnamese', () => {
    const problems = formValueProblems(
      birth,
      {
        ...good,
        hoTen: '',
        soDinhDanh: '12345',
        ngaySinh: '2027-01-01',
        noiCuTru: { province: '99' },
        gioiTinhTre: 'khac',
        chaMe: [
          { quanHe: 'me', hoTen: 'A' },
          { quanHe: 'cha', hoTen: 'B' },
          { quanHe: 'cha', hoTen: 'C' },
        ],
        tep_gcs: undefined,
        thuLa: 1,
      },
      ctx,
    );
    expect(problems.map((p) => p.path)).toEqual([
      '/thuLa',
      '/hoTen',
      '/soDinhDanh',
      '/ngaySinh',
      '/noiCuTru/province',
      '/gioiTinhTre',
      '/chaMe',
      '/tep_gcs',
    ]);
    expect(problems.find((p) => p.path === '/soDinhDanh')?.message).toContain('12 chữ số');
  });

  it('checks inside repeatable groups and refuses what is not an object', () => {
    const problems = formValueProblems(
      birth,
      { ...good, chaMe: [{ quanHe: 'me', hoTen: 'A', soDinhDanh: 'x' }] },
      ctx,
    );
    expect(problems.map((p) => p.path)).toEqual(['/chaMe/0/soDinhDanh']);
    expect(formValueProblems(birth, [], ctx)).toHaveLength(1);
  });
});
