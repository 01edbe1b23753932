import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { HOTP, Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpStep, totpUri, verifyTotp } from './totp.ts';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32;
const RFC_6238_SHA1: Array<[seconds: number, step: number, code: string]> = [
  [59, 0x1, '94287082'],
  [1111111109, 0x23523ec, '07081804'],
  [1111111111, 0x23523ed, '14050471'],
  [1234567890, 0x273ef07, '89005924'],
  [2000000000, 0x3f940aa, '69279037'],
  [20000000000, 0x27bc86aa, '65353130'],
];
/** RFC 4226 Appendix D: HOTP values of the same seed for counters 0–9. */
const RFC_4226 = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

/** HOTP written from RFC 4226 §5.3, independent of otpauth. */
function hotp(key: Buffer, counter: number, digits: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[19]! & 0xf;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

const at = (seconds: number) => new Date(seconds * 1000);
const codeAt = (secret: string, seconds: number) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), digits: 6, timestamp: seconds * 1000 });

describe('TOTP test vectors', () => {
  it('reproduces RFC 6238 (SHA-1, 8 digits) with otpauth and with an independent HOTP', () => {
    const key = Buffer.from('12345678901234567890', 'ascii');
    for (const [seconds, step, code] of RFC_6238_SHA1) {
      expect(totpStep(at(seconds))).toBe(step);
      expect(
        TOTP.generate({ secret: Secret.fromBase32(RFC_SECRET), digits: 8, timestamp: seconds * 1000 }),
      ).toBe(code);
      expect(hotp(key, step, 8)).toBe(code);
    }
    RFC_4226.forEach((code, counter) => {
      expect(hotp(key, counter, 6)).toBe(code);
      expect(HOTP.generate({ secret: Secret.fromBase32(RFC_SECRET), counter })).toBe(code);
    });
  });

  it('accepts the 6-digit form of each vector (its last six digits) at that moment', () => {
    for (const [seconds, step, code] of RFC_6238_SHA1)
      expect(verifyTotp(RFC_SECRET, code.slice(-6), { at: at(seconds) })).toEqual({ ok: true, step });
  });
});

describe('verifyTotp', () => {
  const secret = RFC_SECRET;
  const t = 1111111111; // 1 s into step 0x23523ed (1111111111 / 30 = 37037037.03)
  const step = totpStep(at(t));

  it('accepts one step of drift either way, and not two (window 1); only the current step with window 0', () => {
    expect(verifyTotp(secret, codeAt(secret, t - 30), { at: at(t) })).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, codeAt(secret, t + 30), { at: at(t) })).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(secret, codeAt(secret, t - 60), { at: at(t) })).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(secret, t + 60), { at: at(t) })).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(secret, t - 30), { at: at(t), window: 0 })).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(secret, t), { at: at(t), window: 0 })).toEqual({ ok: true, step });
  });

  it('refuses a replayed step and any earlier one', () => {
    const code = codeAt(secret, t);
    const first = verifyTotp(secret, code, { at: at(t) });
    expect(first).toEqual({ ok: true, step });
    expect(verifyTotp(secret, code, { at: at(t), lastUsedStep: step })).toEqual({ ok: false });
    expect(verifyTotp(secret, code, { at: at(t + 20), lastUsedStep: step })).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(secret, t - 30), { at: at(t), lastUsedStep: step })).toEqual({
      ok: false,
    });
    // the next step's code is still good
    expect(verifyTotp(secret, codeAt(secret, t + 30), { at: at(t + 30), lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
    });
  });

  it('accepts spaces, refuses anything but 6 digits', () => {
    const code = codeAt(secret, t);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { at: at(t) }).ok).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`, `${code}-`, `+${code.slice(1)}`])
      expect(verifyTotp(secret, bad, { at: at(t) })).toEqual({ ok: false });
  });

  it('property: a code generated at a moment verifies at that moment and ±30 s', () => {
    const secret20 = newTotpSecret();
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 4_000_000_000 }),
        fc.constantFrom(-30, 0, 30),
        (seconds, drift) => {
          // (a code shared by two neighbouring steps, p ≈ 2·10⁻⁶, would be reported for the first one)
          fc.pre(new Set([-30, 0, 30].map((d) => codeAt(secret20, seconds + d))).size === 3);
          const r = verifyTotp(secret20, codeAt(secret20, seconds + drift), { at: at(seconds) });
          expect(r.ok).toBe(true);
          if (r.ok) expect(r.step).toBe(totpStep(at(seconds + drift)));
        },
      ),
    );
  });
});

describe('newTotpSecret and totpUri', () => {
  it('makes 20-byte base32 secrets, all different', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(a).bytes).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('builds an otpauth URI that apps (and otpauth itself) read back', () => {
    const secret = newTotpSecret();
    const uri = totpUri({ issuer: 'Cổng DVC', label: 'n***@example.vn', secret });
    expect(uri).toMatch(/^otpauth:\/\/totp\/C%E1%BB%95ng%20DVC:n\*\*\*%40example\.vn\?/);
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({
      issuer: 'Cổng DVC',
      label: 'n***@example.vn',
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    });
    expect(parsed.secret.base32).toBe(secret);
    expect(totpUri({ label: 'x', secret })).toContain('issuer=C%E1%BB%95ng%20DVC');
  });
});
