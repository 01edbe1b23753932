import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTaxCode, taxCodeCheckDigit } from './tax-code.ts';

const nineDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 });

/** An independent oracle, written from the rule text. */
function oracle(first9: string): number {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = [...first9].reduce((acc, d, i) => acc + Number(d) * w[i]!, 0);
  return 10 - (sum % 11);
}

describe('parseTaxCode', () => {
  it('accepts the published examples and refuses a wrong check digit', () => {
    expect(parseTaxCode('0100233488')).toEqual({ ok: true, value: '0100233488', kind: 'enterprise' });
    expect(parseTaxCode('0314409058-002')).toEqual({
      ok: true,
      value: '0314409058-002',
      kind: 'branch',
      parent: '0314409058',
    });
    expect(parseTaxCode('0100233480')).toMatchObject({ ok: false, code: 'check-digit' });
  });

  it('normalises spaces and typographic dashes', () => {
    expect(parseTaxCode(' 0314 409 058 – 002 ')).toMatchObject({ ok: true, value: '0314409058-002' });
    expect(parseTaxCode('0100 233 488')).toMatchObject({ ok: true, value: '0100233488' });
  });

  it('refuses suffix 000 and a branch of an invalid parent', () => {
    expect(parseTaxCode('0314409058-000')).toMatchObject({ ok: false, code: 'branch-suffix' });
    expect(parseTaxCode('0314409050-002')).toMatchObject({ ok: false, code: 'check-digit' });
    expect(parseTaxCode('0314409058-999').ok).toBe(true);
    expect(parseTaxCode('0314409058-001').ok).toBe(true);
  });

  it('refuses N3…N9 all zero even when the check digit fits', () => {
    // 01 0000000 c: sum = 29, 29 mod 11 = 7, c = 3
    expect(taxCodeCheckDigit('010000000')).toBe(3);
    expect(parseTaxCode('0100000003')).toMatchObject({ ok: false, code: 'zero-serial' });
    expect(parseTaxCode('0100000003-001')).toMatchObject({ ok: false, code: 'zero-serial' });
  });

  it('accepts a 12-digit personal identification number as a personal tax code', () => {
    expect(parseTaxCode('001085012345')).toEqual({ ok: true, value: '001085012345', kind: 'personal' });
    const r = parseTaxCode('003085012345');
    expect(r).toMatchObject({ ok: false, code: 'personal-id' });
    expect(!r.ok && r.message).toMatch(/mã tỉnh/);
  });

  it('refuses other shapes', () => {
    for (const bad of [
      '',
      '010023348',
      '01002334881',
      '0314409058002',
      '0314409058-02',
      '0314409058-0002',
      '0314409058/002',
      'MST0100233488',
      '0100233488-',
    ])
      expect(parseTaxCode(bad), bad).toMatchObject({ ok: false, code: 'format' });
    const r = parseTaxCode('abc');
    expect(!r.ok && r.message).toMatch(/^Mã số thuế phải gồm 10 chữ số/);
  });

  it('property: the computed check digit is valid and every other last digit is not', () => {
    fc.assert(
      fc.property(nineDigits, (first9) => {
        fc.pre(first9.slice(2) !== '0000000');
        const c = oracle(first9);
        fc.pre(c <= 9);
        expect(parseTaxCode(`${first9}${c}`)).toEqual({
          ok: true,
          value: `${first9}${c}`,
          kind: 'enterprise',
        });
        for (let d = 0; d <= 9; d++)
          if (d !== c)
            expect(parseTaxCode(`${first9}${d}`)).toMatchObject({ ok: false, code: 'check-digit' });
      }),
      { numRuns: 500 },
    );
  });

  it('property: when the computation gives 10, no last digit is valid', () => {
    fc.assert(
      fc.property(nineDigits, (first9) => {
        fc.pre(first9.slice(2) !== '0000000' && oracle(first9) === 10);
        expect(taxCodeCheckDigit(first9)).toBeNull();
        for (let d = 0; d <= 9; d++) expect(parseTaxCode(`${first9}${d}`).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('property: parsing is idempotent on the canonical value', () => {
    const code = fc.oneof(
      nineDigits.map((n) => `${n}${oracle(n) % 10}`),
      fc
        .tuple(nineDigits, fc.integer({ min: 0, max: 999 }))
        .map(([n, s]) => `${n}${oracle(n) % 10} - ${String(s).padStart(3, '0')}`),
    );
    fc.assert(
      fc.property(code, (input) => {
        const r = parseTaxCode(input);
        if (r.ok) expect(parseTaxCode(r.value)).toEqual(r);
      }),
    );
  });
});
