import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv } from './csv.ts';

describe('CSV', () => {
  it('parses quoted fields with commas, quotes and line breaks, CRLF or LF, and NFC-normalises', () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\nHo\u0300a,2\n';
    expect(parseCsv(text)).toEqual([
      { a: 'x, y', b: 'say "hi"\nthere' },
      { a: 'Hòa', b: '2' },
    ]);
  });

  it('rejects a row with the wrong number of fields', () => {
    expect(() => parseCsv('a,b\n1\n')).toThrow(/row 2 has 1 fields/);
  });

  it('round-trips any table through csvField', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 20 }), (rows) => {
        const norm = rows.map(([a, b]) => [a.normalize('NFC'), b.normalize('NFC')]);
        const text = ['h1,h2', ...norm.map(([a, b]) => `${csvField(a)},${csvField(b)}`)].join('\n');
        const parsed = parseCsv(text);
        const expected = norm.map(([a, b]) => ({ h1: a, h2: b }));
        expect(parsed).toEqual(expected);
      }),
    );
  });
});
