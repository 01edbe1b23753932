import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENCY_IDENTIFIER,
  AGENCY_IDENTIFIER_MAX_LENGTH,
  codeDay,
  formatDossierCode,
  isAgencyIdentifier,
  parseDossierCode,
} from './dossier-code.ts';

/** An identifier the agencies table accepts: 2 to 7 groups of 1–13 digits or capitals, ≤ 35 characters. */
const identifierArb = fc
  .array(fc.stringMatching(/^[0-9A-Z]{1,13}$/), { minLength: 2, maxLength: 7 })
  .map((g) => g.join('.'))
  .filter((id) => id.length <= AGENCY_IDENTIFIER_MAX_LENGTH);
const dayArb = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2099, 11, 31) / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

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

  it('round-trip for every identifier the agencies table accepts', () => {
    fc.assert(
      fc.property(identifierArb, dayArb, fc.integer({ min: 1, max: 999_999 }), (id, d, n) => {
        expect(parseDossierCode(formatDossierCode(id, d, n))).toEqual({
          identifier: id,
          day: d,
          sequence: n,
        });
      }),
    );
  });

  it('read only the canonical spelling: a code read is the code made from its parts', () => {
    const near = fc.tuple(
      fc.oneof(identifierArb, fc.stringMatching(/^[0-9A-Za-z.]{1,40}$/)),
      fc.oneof(
        dayArb.map((d) => d.slice(2).replace(/-/g, '')),
        fc.stringMatching(/^\d{6}$/),
      ),
      fc.stringMatching(/^0{0,3}\d{1,6}$/),
    );
    fc.assert(
      fc.property(near, ([id, date, seq]) => {
        const code = `${id}-${date}-${seq}`;
        const parsed = parseDossierCode(code);
        if (parsed) expect(formatDossierCode(parsed.identifier, parsed.day, parsed.sequence)).toBe(code);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseDossierCode(s);
        if (parsed) expect(formatDossierCode(parsed.identifier, parsed.day, parsed.sequence)).toBe(s);
      }),
    );
  });

  it('take the identifiers of operators and of the shipped list alike', () => {
    // The shipped identifiers have four groups; an operator's file may have others (two to seven).
    for (const id of ['000.00.01.H22', '000.00.00.G01', 'H26.22', '000.00.22.H26.123', '1.2.3.4.5.6.7'])
      expect(parseDossierCode(`${id}-250701-0001`)?.identifier, id).toBe(id);
    for (const id of [
      'H26',
      '1.2.3.4.5.6.7.8',
      '000.00.01.h22',
      `${'A'.repeat(13)}.${'B'.repeat(13)}.${'C'.repeat(8)}`,
    ])
      expect(parseDossierCode(`${id}-250701-0001`), id).toBeUndefined();
  });

  it('accept exactly the identifiers of the agencies table (its check constraint)', () => {
    const migration = fs.readFileSync(
      path.resolve(
        import.meta.dirname,
        '../../../db/migrations/0002_agencies_create-admin-units-agencies.sql',
      ),
      'utf8',
    );
    const check =
      /agency_identifiers_format_ck check \(identifier ~ '([^']+)' and length\(identifier\) <= (\d+)\)/.exec(
        migration,
      );
    expect(check).not.toBeNull();
    expect(AGENCY_IDENTIFIER.source).toBe(check![1]);
    expect(AGENCY_IDENTIFIER_MAX_LENGTH).toBe(Number(check![2]));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCZa.-'), maxLength: 40 }), (s) => {
        expect(isAgencyIdentifier(s)).toBe(new RegExp(check![1]!).test(s) && s.length <= Number(check![2]));
      }),
    );
  });
});
