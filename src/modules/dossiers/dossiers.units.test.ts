import { describe, expect, it } from 'vitest';
import { nameMatches, unitDisplayName } from './dossiers.units.ts';

describe('finding a commune by typing its name', () => {
  it('matches the starts of consecutive words, in order, without diacritics', () => {
    expect(nameMatches('Phường Ba Đình', 'ba dinh')).toBe(true);
    expect(nameMatches('Phường Đình Bảng', 'ba dinh')).toBe(false);
    expect(nameMatches('Phường Hoàn Kiếm', 'hoan k')).toBe(true);
    expect(nameMatches('Phường Hoàn Kiếm', 'PHƯỜNG  hoàn')).toBe(true);
    expect(nameMatches('Phường Hoàn Kiếm', 'kiem hoan')).toBe(false);
    expect(nameMatches('Xã Đông Anh', 'dong anh')).toBe(true);
    expect(nameMatches('Xã Đông Anh', '')).toBe(true);
  });

  it('writes a province as documents do', () => {
    expect(unitDisplayName({ code: '01', name: 'Hà Nội', kind: 'city' })).toBe('Thành phố Hà Nội');
    expect(unitDisplayName({ code: '08', name: 'Tuyên Quang', kind: 'province' })).toBe('Tỉnh Tuyên Quang');
    expect(unitDisplayName({ code: '00070', name: 'Phường Hoàn Kiếm', kind: 'ward' })).toBe(
      'Phường Hoàn Kiếm',
    );
  });
});
