import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formProblems } from './form-schema.ts';
import {
  allTermsQuery,
  correct,
  deletions,
  editDistance,
  foldText,
  foldWords,
  looksLikeCode,
  parseQuery,
  phraseQuery,
  splits,
  telexFold,
  vocabularyQuestions,
  withoutFillers,
} from './search-text.ts';

describe('folding', () => {
  it('drops diacritics, đ → d, keeps words only', () => {
    expect(foldText('Chứng thực bản sao từ bản chính')).toBe('chung thuc ban sao tu ban chinh');
    expect(foldText('ĐĂNG KÝ   khai sinh!')).toBe('dang ky khai sinh');
    expect(foldWords('Nghị định 23/2015/NĐ-CP')).toEqual(['nghi', 'dinh', '23', '2015', 'nd', 'cp']);
  });

  it('treats decomposed (NFD) and composed (NFC) text alike', () => {
    const nfc = 'Đăng ký thường trú';
    expect(foldText(nfc.normalize('NFD'))).toBe(foldText(nfc));
  });

  it('property: folded text is ASCII words and folding is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const f = foldText(s);
        expect(f).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
        expect(foldText(f)).toBe(f);
      }),
    );
  });
});

describe('spelling variants', () => {
  it('one-letter deletions of a word', () => {
    expect(deletions('sinh').sort()).toEqual(
      ['inh', 'shh', 'sih', 'sin', 'sinh', 'snh'].filter((w) => w !== 'shh').sort(),
    );
  });

  it('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('sinh', 'sihn')).toBe(1);
    expect(editDistance('khai', 'khia')).toBe(1);
    expect(editDistance('thuc', 'thuc')).toBe(0);
    expect(editDistance('chung', 'chng')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('property: two words one edit apart share a deletion (what the index relies on)', () => {
    const word = fc.string({
      unit: fc.constantFrom(...'abcdeghiklmnopqrstuvxy'),
      minLength: 3,
      maxLength: 8,
    });
    fc.assert(
      fc.property(word, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), (w, at, op) => {
        const i = at % w.length;
        const other =
          op === 'insert'
            ? `${w.slice(0, i)}z${w.slice(i)}`
            : op === 'delete'
              ? w.slice(0, i) + w.slice(i + 1)
              : `${w.slice(0, i)}z${w.slice(i + 1)}`;
        if (other.length < 3 || editDistance(w, other) !== 1) return;
        const a = new Set(deletions(w));
        expect(deletions(other).some((d) => a.has(d))).toBe(true);
      }),
    );
  });
});

describe('queries', () => {
  it('every word must match, the last one as a prefix while typing; ký/kí are the same word', () => {
    const q = parseQuery('dang ky kh', { prefixLast: true });
    expect(allTermsQuery(q)).toBe('dang & (ky | ki) & kh:*');
    expect(allTermsQuery(q, 'A')).toBe('dang:A & (ky:A | ki:A) & kh:*A');
    expect(phraseQuery(q)).toBe('dang:A <-> (ky:A | ki:A) <-> kh:*A');
  });

  it('expands abbreviations and colloquial names', () => {
    const q = parseQuery('doi gplx', { prefixLast: false });
    expect(allTermsQuery(q)).toBe('doi & (gplx | (giay <-> phep <-> lai <-> xe))');
    const so = parseQuery('cấp sổ đỏ', { prefixLast: false });
    expect(so.terms.map((t) => t.word)).toEqual(['cap', 'so do']);
  });

  it('corrects a word the catalogue does not know to the words within one edit', () => {
    const q = parseQuery('khai sihn', { prefixLast: false });
    const questions = vocabularyQuestions(q);
    expect(questions.variants).toContain('sin');
    const fixed = correct(q, {
      known: new Set(['khai']),
      candidates: new Map([
        ['sinh', 900],
        ['sin', 1],
        ['sanh', 3],
      ]),
      livePrefixes: new Set(),
    });
    expect(allTermsQuery(fixed)).toBe('khai & (sinh | sin)');
  });

  it('leaves a prefix alone while some word starts with it', () => {
    const q = parseQuery('khai si', { prefixLast: true });
    const fixed = correct(q, {
      known: new Set(['khai']),
      candidates: new Map(),
      livePrefixes: new Set(['si']),
    });
    expect(allTermsQuery(fixed)).toBe('khai & (si:* | sy)'); // sĩ / sỹ
  });

  it('drops filler words only when something is left', () => {
    expect(
      withoutFillers(parseQuery('thủ tục làm hộ chiếu ở đâu', { prefixLast: false })).terms.map(
        (t) => t.word,
      ),
    ).toEqual(['ho', 'chieu']);
    expect(withoutFillers(parseQuery('thủ tục', { prefixLast: false })).terms).toHaveLength(2);
  });

  it('recognises procedure codes', () => {
    expect(looksLikeCode('2.000815')).toBe(true);
    expect(looksLikeCode('1.001193.000.00.00.H26')).toBe(true);
    expect(looksLikeCode('chung thuc')).toBe(false);
  });
});

describe('keyboard slips', () => {
  it('reads Telex and VNI keystrokes typed without an input method', () => {
    expect(telexFold('ddawngs')).toBe('dang');
    expect(telexFold('kys')).toBe('ky');
    expect(telexFold('thuwowngf')).toBe('thuong');
    expect(telexFold('chu7ng1')).toBe('chung');
    expect(telexFold('khai')).toBeUndefined();
  });

  it('finds two words typed without a space', () => {
    const q = parseQuery('khaisinh', { prefixLast: false });
    const fixed = correct(q, {
      known: new Set(['khai', 'sinh']),
      candidates: new Map(),
      livePrefixes: new Set(),
    });
    expect(allTermsQuery(fixed)).toBe('(khai <-> sinh)');
    expect(splits('abc')).toEqual([]);
  });

  it('corrects a Telex word to the catalogue word', () => {
    const q = parseQuery('ddawng kys khai sinh', { prefixLast: false });
    const fixed = correct(q, {
      known: new Set(['dang', 'ky', 'khai', 'sinh']),
      candidates: new Map(),
      livePrefixes: new Set(),
    });
    expect(allTermsQuery(fixed)).toBe('dang & ky & khai & sinh');
  });
});

describe('e-form schema', () => {
  const docs = [
    { code: 'TK', name: 'Tờ khai', required: true },
    { code: 'GCS', name: 'Giấy chứng sinh', required: true },
    { code: 'UQ', name: 'Văn bản ủy quyền', required: false },
  ];
  const file = (key: string, documentCode: string) => ({
    type: 'file' as const,
    key,
    label: { vi: key },
    required: true,
    documentCode,
  });

  it('needs one file slot per required document, and no slot for an unknown document', () => {
    const problems = formProblems(
      { fields: [file('tk', 'TK'), file('tk2', 'TK'), file('x', 'KHAC')] },
      docs,
    ).map((p) => p.message);
    expect(problems).toEqual([
      'Giấy tờ "TK" có 2 ô đính kèm; mỗi giấy tờ chỉ có một ô',
      'Ô đính kèm trỏ tới giấy tờ "KHAC" không có trong thành phần hồ sơ',
      'Giấy tờ bắt buộc "Giấy chứng sinh" (GCS) chưa có ô đính kèm trong tờ khai',
    ]);
    expect(formProblems({ fields: [file('tk', 'TK'), file('gcs', 'GCS')] }, docs)).toEqual([]);
  });

  it('checks keys, options, bounds and nesting', () => {
    const problems = formProblems(
      {
        fields: [
          { type: 'text', key: 'Ho ten', label: { vi: 'Họ tên' }, required: true, maxLength: 100 },
          { type: 'number', key: 'so', label: { vi: 'Số' }, required: false, min: 5, max: 1 },
          { type: 'choice', key: 'gt', label: { vi: 'Giới tính' }, required: true, options: [] },
          {
            type: 'group',
            key: 'con',
            label: { vi: 'Con' },
            required: false,
            repeatable: true,
            min: 3,
            max: 2,
            fields: [{ type: 'date', key: 'ngay', label: { vi: '' }, required: true }],
          },
          file('tk', 'TK'),
          file('gcs', 'GCS'),
        ],
      },
      docs,
    );
    expect(problems.map((p) => p.path)).toEqual([
      '/form/fields/0/key',
      '/form/fields/1/min',
      '/form/fields/2/options',
      '/form/fields/3/min',
      '/form/fields/3/fields/0/label',
    ]);
  });
});
