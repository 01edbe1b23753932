import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOtpCode, newOtpCode, otpCodeMatches } from './otp-code.ts';

const pepper = Buffer.alloc(32, 7);

describe('one-time codes', () => {
  it('are 6 digits and vary', () => {
    const codes = Array.from({ length: 2000 }, newOtpCode);
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1900);
    // leading zeros are kept: about 10% of codes start with 0
    expect(codes.filter((c) => c.startsWith('0')).length).toBeGreaterThan(100);
  });

  it('hash as HMAC-SHA-256 hex under the pepper', () => {
    expect(hashOtpCode('012345', pepper)).toBe(createHmac('sha256', pepper).update('012345').digest('hex'));
    expect(hashOtpCode('012345', pepper)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOtpCode('012345', 'a string pepper of 32 characters')).not.toBe(hashOtpCode('012345', pepper));
    expect(() => hashOtpCode('12345', pepper)).toThrow(RangeError);
    expect(() => hashOtpCode('012345', 'short')).toThrow(RangeError);
  });

  it('match only the right code under the right pepper', () => {
    const h = hashOtpCode('012345', pepper);
    expect(otpCodeMatches(h, '012345', pepper)).toBe(true);
    expect(otpCodeMatches(h, ' 012 345 ', pepper)).toBe(true);
    expect(otpCodeMatches(h.toUpperCase(), '012345', pepper)).toBe(true);
    expect(otpCodeMatches(h, '12345', pepper)).toBe(false);
    expect(otpCodeMatches(h, '012346', pepper)).toBe(false);
    expect(otpCodeMatches(h, '012345', Buffer.alloc(32, 8))).toBe(false);
    expect(otpCodeMatches('not a hash', '012345', pepper)).toBe(false);
    expect(otpCodeMatches(h.slice(2), '012345', pepper)).toBe(false);
  });

  it('property: a code matches its own hash and no other code does', () => {
    const code = fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0'));
    fc.assert(
      fc.property(code, code, (a, b) => {
        const h = hashOtpCode(a, pepper);
        expect(otpCodeMatches(h, a, pepper)).toBe(true);
        expect(otpCodeMatches(h, b, pepper)).toBe(a === b);
      }),
    );
  });
});
