import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPhoneNational,
  maskEmail,
  maskPhone,
  maskPhoneNational,
  normalizeEmail,
  normalizePhone,
} from './contact.ts';

const digit = fc.constantFrom(...'0123456789');
const mobileNsn = fc
  .tuple(fc.constantFrom(...'35789'), fc.string({ unit: digit, minLength: 8, maxLength: 8 }))
  .map(([a, b]) => a + b);
/** How people write a given national number. */
const spelling = fc
  .tuple(
    mobileNsn,
    fc.constantFrom('0', '+84', '84', '+84 ', '0084', '+84 (0) ', '(+84) '),
    fc.constantFrom('', ' ', '.', '-'),
  )
  .map(([n, prefix, sep]) => ({
    nsn: n,
    text: `${prefix}${n.slice(0, 2)}${sep}${n.slice(2, 5)}${sep}${n.slice(5)}`,
  }));

describe('normalizePhone', () => {
  it('accepts the usual spellings of a mobile number', () => {
    for (const input of [
      '0912 345 678',
      '0912.345.678',
      '0912-345-678',
      '+84912345678',
      '+84 912 345 678',
      '84912345678',
      '0084 912 345 678',
      '+84 (0) 912 345 678',
      '(+84) 912-345-678',
      '  0912345678\n',
    ])
      expect(normalizePhone(input), input).toEqual({ ok: true, value: '+84912345678' });
    for (const n of ['0321234567', '0561234567', '0701234567', '0861234567', '0991234567'])
      expect(normalizePhone(n).ok, n).toBe(true);
  });

  it('says why a number is refused', () => {
    expect(normalizePhone('   ')).toMatchObject({ ok: false, code: 'empty' });
    expect(normalizePhone('024 3825 1234')).toMatchObject({ ok: false, code: 'not-mobile' });
    expect(normalizePhone('0112345678')).toMatchObject({ ok: false, code: 'not-mobile' });
    expect(normalizePhone('+1 202 555 0100')).toMatchObject({ ok: false, code: 'foreign' });
    expect(normalizePhone('0044 20 7946 0958')).toMatchObject({ ok: false, code: 'foreign' });
    for (const bad of [
      '091234567',
      '09123456789',
      '01912345678',
      '912345678',
      'abc',
      '0912 345 67x',
      '+84+912345678',
    ])
      expect(normalizePhone(bad), bad).toMatchObject({ ok: false, code: 'format' });
    const r = normalizePhone('024 3825 1234');
    expect(!r.ok && r.message).toBe(
      'Đây không phải số điện thoại di động Việt Nam (đầu số 03, 05, 07, 08 hoặc 09).',
    );
  });

  it('property: every spelling gives the same E.164 value, and normalising is idempotent', () => {
    fc.assert(
      fc.property(spelling, ({ nsn, text }) => {
        const r = normalizePhone(text);
        expect(r).toEqual({ ok: true, value: `+84${nsn}` });
        if (r.ok) expect(normalizePhone(r.value)).toEqual(r);
      }),
    );
  });

  it('property: normalise ∘ formatPhoneNational round-trips', () => {
    fc.assert(
      fc.property(mobileNsn, (nsn) => {
        const national = formatPhoneNational(`+84${nsn}`);
        expect(national).toMatch(/^0\d{3} \d{3} \d{3}$/);
        expect(normalizePhone(national)).toEqual({ ok: true, value: `+84${nsn}` });
      }),
    );
  });
});

describe('maskPhoneNational', () => {
  it('shows a register-held number as 091****001', () => {
    expect(maskPhoneNational('+84911000001')).toBe('091****001');
    expect(maskPhoneNational('+84387654321')).toBe('038****321');
    expect(() => maskPhoneNational('+842438251234')).toThrow(RangeError);
  });
});

describe('maskPhone', () => {
  it('shows the first two and last three digits', () => {
    expect(maskPhone('+84912345678')).toBe('+84 91*****678');
    expect(maskPhone('0361 234 567')).toBe('+84 36*****567');
    expect(() => maskPhone('02438251234')).toThrow(RangeError);
  });
});

describe('normalizeEmail', () => {
  it('trims, lower-cases and normalises to NFC', () => {
    expect(normalizeEmail('  Nguyen.Van.An@Example.VN ')).toEqual({
      ok: true,
      value: 'nguyen.van.an@example.vn',
    });
    expect(normalizeEmail('a+tag@mail.gov.vn')).toEqual({ ok: true, value: 'a+tag@mail.gov.vn' });
    // an internationalised domain, typed decomposed (NFD) and in capitals
    const r = normalizeEmail('an@VÍ-DỤ.VN'.normalize('NFD'));
    expect(r).toEqual({ ok: true, value: 'an@ví-dụ.vn' });
    expect(r.ok && r.value).toBe(r.ok && r.value.normalize('NFC'));
    expect(normalizeEmail('an@XN--V-D-RMA6749A.vn')).toEqual({ ok: true, value: 'an@ví-dụ.vn' });
  });

  it('refuses what is not an address', () => {
    expect(normalizeEmail(' ')).toMatchObject({ ok: false, code: 'empty' });
    for (const bad of [
      'an',
      '@example.vn',
      'an@',
      'an@example',
      'an@@example.vn',
      'an@example..vn',
      'an@.example.vn',
      'an@example.vn.',
      'an@-example.vn',
      'an@example-.vn',
      'an@ví-dụ-.vn',
      'an@-ví-dụ.vn',
      'an@example.123',
      'an@[127.0.0.1]',
      'an@exa_mple.vn',
      '.an@example.vn',
      'an.@example.vn',
      'a..n@example.vn',
      '"an"@example.vn',
      'an b@example.vn',
      'nguyễn@example.vn',
      'an@example.vn\u00ad',
    ])
      expect(normalizeEmail(bad), bad).toMatchObject({ ok: false, code: 'format' });
  });

  it('limits lengths: 64 before the @, 254 in all', () => {
    expect(normalizeEmail(`${'a'.repeat(64)}@example.vn`).ok).toBe(true);
    expect(normalizeEmail(`${'a'.repeat(65)}@example.vn`)).toMatchObject({ ok: false, code: 'too-long' });
    const domain = `${['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63)].join('.')}.vn`; // 194
    expect(normalizeEmail(`${'x'.repeat(59)}@${domain}`).ok).toBe(true); // 254
    expect(normalizeEmail(`${'x'.repeat(60)}@${domain}`)).toMatchObject({ ok: false, code: 'too-long' });
  });

  it('property: normalising is idempotent', () => {
    const atom = fc.string({ unit: fc.constantFrom(...'abcXYZ019_-+'), minLength: 1, maxLength: 12 });
    const label = fc.string({ unit: fc.constantFrom(...'abcđơạ0-'), minLength: 1, maxLength: 10 });
    const email = fc
      .tuple(fc.array(atom, { minLength: 1, maxLength: 3 }), fc.array(label, { minLength: 1, maxLength: 3 }))
      .map(([l, d]) => `  ${l.join('.')}@${d.join('.')}.VN `);
    fc.assert(
      fc.property(fc.oneof(email, fc.string()), (input) => {
        const r = normalizeEmail(input);
        if (r.ok) expect(normalizeEmail(r.value)).toEqual(r);
      }),
    );
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('nguyen@example.vn')).toBe('n***@example.vn');
    expect(maskEmail('a@example.vn')).toBe('a***@example.vn');
    expect(() => maskEmail('example.vn')).toThrow(RangeError);
  });
});
