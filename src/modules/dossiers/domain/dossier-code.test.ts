import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeDay, formatDossierCode, parseDossierCode } from './dossier-code.ts';

describe('dossier codes', () => {
  it('are {identifier}-{yyMMdd}-{NNNN}', () => {
    expect(formatDossierCode('000.00.01.H22', '2025-07-01', 1)).toBe('000.00.01.H22-250701-0001');
    expect(formatDossierCode('000.00.00.H26', '2026-12-31', 9999)).toBe('000.00.00.H26-261231-9999');
    expect(formatDossierCode('000.00.00.H26', '2026-12-31', 10_000)).toBe('000.00.00.H26-261231-10000');
  });

  it('take the date in Vietnam time', () => {
    expect(codeDay(new Date('2026-11-30T16:59:59Z'))).toBe('2026-11-30');
    expect(codeDay(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
  });

  it('refuse bad parts', () => {
    expect(() => formatDossierCode('H26', '2026-12-31', 1)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.00.h26', '2026-12-31', 1)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.00.H26', '1999-12-31', 1)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.00.H26', '2026-12-31', 0)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.00.H26', '2026-12-31', 1_000_000)).toThrow(RangeError);
  });

  it('parse back, and only well-formed codes', () => {
    expect(parseDossierCode('000.00.01.H22-250701-0001')).toEqual({
      identifier: '000.00.01.H22',
      day: '2025-07-01',
      sequence: 1,
    });
    for (const bad of [
      '000.00.01.H22-250230-0001',
      '000.00.01.H22-250701-0000',
      '000.00.01.H22-250701-001',
      '000.00.01.H22-250701-00001',
      'H22-250701-0001',
      '000.00.01.H22-250701-0001 ',
    ])
      expect(parseDossierCode(bad), bad).toBeUndefined();
  });

  it('round-trip', () => {
    const identifier = fc
      .array(fc.stringMatching(/^[0-9A-Z]{1,5}$/), { minLength: 2, maxLength: 5 })
      .map((g) => g.join('.'));
    const day = fc
      .integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2099, 11, 31) / 86_400_000 })
      .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(identifier, day, fc.integer({ min: 1, max: 999_999 }), (id, d, n) => {
        expect(parseDossierCode(formatDossierCode(id, d, n))).toEqual({
          identifier: id,
          day: d,
          sequence: n,
        });
      }),
    );
  });
});
