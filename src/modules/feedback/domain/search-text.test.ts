import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, foldWords, similarQueryOf, tsQueryOf } from './search-text.ts';

describe('feedback search text', () => {
  it('folds Vietnamese: diacritics off, đ → d, lower case', () => {
    expect(foldText('Chứng thực bản sao — Đăng ký')).toBe('chung thuc ban sao dang ky');
    expect(foldWords('  ')).toEqual([]);
  });

  it('queries every word, the last as a prefix, without tsquery syntax from the user', () => {
    expect(tsQueryOf('chung thuc')).toBe('chung & thuc:*');
    expect(tsQueryOf('Chứng thực')).toBe(tsQueryOf('chung thuc'));
    expect(tsQueryOf("a & b | !c:* ('")).toBe('a & b & c:*');
    expect(tsQueryOf('!!!')).toBeNull();
    fc.assert(
      fc.property(fc.string(), (q) => {
        const t = tsQueryOf(q);
        if (t !== null) expect(t).toMatch(/^[a-z0-9]+(:\*)?( & [a-z0-9]+(:\*)?)*$/);
      }),
    );
  });

  it('suggests by any word, longest first', () => {
    expect(similarQueryOf('Đổi giấy phép lái xe')).toBe('giay | phep | doi | lai | xe');
    expect(similarQueryOf('—')).toBeNull();
  });
});
