import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedFileName } from './file-name.ts';

describe('storedFileName', () => {
  it('drops CR, LF, NUL and the other control characters', () => {
    expect(storedFileName('to\r\nkhai\u0000.pdf')).toBe('tokhai.pdf');
    expect(storedFileName('a\u0085b\u007f.pdf')).toBe('ab.pdf');
  });

  it('drops bidirectional and invisible format characters', () => {
    expect(storedFileName('hoa-don\u202efdp.exe')).toBe('hoa-donfdp.exe');
    expect(storedFileName('\u2066x\u2069\u200b\ufeff.pdf')).toBe('x.pdf');
  });

  it('keeps Vietnamese, composed (NFC)', () => {
    const decomposed = 'tờ khai.pdf'.normalize('NFD');
    expect(storedFileName(decomposed)).toBe('tờ khai.pdf'.normalize('NFC'));
  });

  it('keeps no path and no leading dots', () => {
    expect(storedFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(storedFileName('C:\\Users\\a\\scan.pdf')).toBe('C:_Users_a_scan.pdf');
    expect(storedFileName('.htaccess')).toBe('htaccess');
    expect(storedFileName(`${'a'.repeat(10)}${'.'.repeat(300)}`)).toBe('tep');
  });

  it('is never empty, never longer than 255 characters, and keeps the extension', () => {
    expect(storedFileName('\u202e\r\n')).toBe('tep');
    const long = `${'ấ'.repeat(300)}.pdf`;
    const stored = storedFileName(long);
    expect([...stored]).toHaveLength(255);
    expect(stored.endsWith('.pdf')).toBe(true);
  });

  it('gives safe, stable names for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.string({ unit: fc.constantFrom('.', ' ', '\u202e', 'ờ', 'a', '/'), maxLength: 300 }),
        ),
        (name) => {
          const stored = storedFileName(name);
          expect(stored.length).toBeGreaterThan(0);
          expect([...stored].length).toBeLessThanOrEqual(255);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be there
          expect(stored).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069/\\]/);
          expect(stored).toBe(stored.normalize('NFC'));
          expect(storedFileName(stored)).toBe(stored);
        },
      ),
      { seed: 20261207, numRuns: 500 },
    );
  });
});
