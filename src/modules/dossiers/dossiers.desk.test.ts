import { describe, expect, it } from 'vitest';
import { searchOf } from './dossiers.desk.ts';

describe("the inbox's search box", () => {
  it('tells a dossier code, an ID number or tax code, and words of a name apart', () => {
    expect(searchOf('000.00.00.H26-261206-0001')).toEqual({
      kind: 'code',
      value: '000.00.00.H26-261206-0001',
    });
    expect(searchOf('000.a0.04.h26')).toEqual({ kind: 'code', value: '000.A0.04.H26' });
    expect(searchOf(' 001088012345 ')).toEqual({ kind: 'id', value: '001088012345' });
    expect(searchOf('0106789017-001')).toEqual({ kind: 'id', value: '0106789017-001' });
    expect(searchOf('Trần  Thị Bích')).toEqual({ kind: 'name', words: ['tran', 'thi', 'bich'] });
    expect(searchOf('  ')).toBeUndefined();
    expect(searchOf(undefined)).toBeUndefined();
    // Control characters are not searched for (PostgreSQL refuses NUL in text).
    expect(searchOf('Minh\u0000')).toEqual({ kind: 'name', words: ['minh'] });
  });
});
