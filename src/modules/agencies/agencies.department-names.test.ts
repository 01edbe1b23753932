import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchDepartmentName, parseDepartmentNames } from './agencies.department-names.ts';
import { REFERENCE_DIR } from './agencies.reference.ts';

const names = parseDepartmentNames(
  fs.readFileSync(path.join(REFERENCE_DIR, 'provincial-departments.csv'), 'utf8'),
);
const prefixOf = (text: string) => matchDepartmentName(text, names)?.prefix;

describe('finding the department a procedure names', () => {
  it('reads the names a procedure of the seed catalogue gives (catalogue/seed/procedures.ts)', () => {
    expect(prefixOf('Sở Tư pháp')).toBe('STP');
    expect(prefixOf('Cơ sở giáo dục, Sở Giáo dục và Đào tạo đang quản lý sổ gốc')).toBe('SGDDT');
    // Named by function only, or not a department (sở) at all: no match rather than a guess.
    for (const other of [
      'Phòng Đăng ký kinh doanh thuộc cơ quan đăng ký kinh doanh cấp tỉnh',
      'Ủy ban nhân dân cấp xã',
      'Ủy ban nhân dân xã, phường thuộc thành phố Hà Nội',
      'Công an cấp tỉnh',
      'Phòng Quản lý xuất nhập cảnh, Công an cấp tỉnh',
      'Cơ quan bảo hiểm xã hội',
      'Trung tâm dịch vụ việc làm',
      'Văn phòng đăng ký đất đai',
      'Tổ chức hành nghề công chứng',
      'Cơ quan thuế quản lý',
    ])
      expect(prefixOf(other), other).toBeUndefined();
  });

  it('ignores case, diacritics and punctuation, on word boundaries', () => {
    expect(prefixOf('Phòng Đăng ký kinh doanh thuộc Sở Tài chính')).toBe('STC');
    expect(prefixOf('SỞ TƯ PHÁP TỈNH NGHỆ AN')).toBe('STP');
    expect(prefixOf('so tu phap')).toBe('STP');
    expect(prefixOf('Sở Lao động – Thương binh và Xã hội')).toBe('SLDTBXH');
    expect(prefixOf('Sở Lao động, Thương binh và Xã hội')).toBe('SLDTBXH');
    expect(prefixOf('Văn phòng Uỷ ban nhân dân tỉnh')).toBe('VPUBND');
    // "Sở Tài chính" inside a longer word does not count.
    expect(prefixOf('Cơ sở tài chínhx')).toBeUndefined();
    expect(prefixOf('')).toBeUndefined();
  });

  it('lets the longest name win', () => {
    expect(prefixOf('Thanh tra Sở Xây dựng')).toBe('SXD');
    expect(prefixOf('Thanh tra tỉnh')).toBe('TTR');
    expect(prefixOf('Sở Nông nghiệp và Phát triển nông thôn')).toBe('SNNPTNT');
    expect(prefixOf('Sở Nông nghiệp và Môi trường')).toBe('SNNMT');
    expect(prefixOf('Sở Kế hoạch và Đầu tư')).toBe('SKHDT');
  });

  it('knows what a merged department became', () => {
    expect(names.find((n) => n.prefix === 'SKHDT')?.became).toEqual(['STC']);
    expect(names.find((n) => n.prefix === 'SLDTBXH')?.became).toEqual(['SNV', 'SYT', 'SGDDT']);
    expect(names.find((n) => n.prefix === 'STP')?.became).toEqual([]);
  });
});
