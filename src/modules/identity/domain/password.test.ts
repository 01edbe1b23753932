import { hash } from '@node-rs/argon2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPassword,
  hashPassword,
  isCommonPassword,
  needsRehash,
  PASSWORD_HASH_PARAMS,
  passwordIdentifiers,
  verifyPassword,
} from './password.ts';

const none = { identifiers: [] };

describe('checkPassword', () => {
  it('accepts a long enough, uncommon password', () => {
    expect(checkPassword('mùa thu Hà Nội 1945', none)).toEqual({ ok: true });
  });

  it('counts code points after NFC, not UTF-16 units or decomposed marks', () => {
    const nineVietnamese = 'ệệệệệệệệệ'; // 9 code points in NFC, 27 in NFD
    expect(checkPassword(nineVietnamese.normalize('NFD'), none)).toMatchObject({
      ok: false,
      code: 'too-short',
    });
    expect(checkPassword(`${nineVietnamese}ệ`.normalize('NFD'), none)).toEqual({ ok: true });
    const emoji = '😀'.repeat(9); // 18 UTF-16 units
    expect(checkPassword(emoji, none)).toMatchObject({ code: 'too-short' });
    expect(checkPassword('😀'.repeat(128), none)).toEqual({ ok: true });
    expect(checkPassword('😀'.repeat(129), none)).toMatchObject({ code: 'too-long' });
  });

  it('enforces 10 to 128 characters', () => {
    expect(checkPassword('a7#kq9!zx', none)).toMatchObject({ ok: false, code: 'too-short' });
    expect(checkPassword('a7#kq9!zxw', none)).toEqual({ ok: true });
    expect(checkPassword('x'.repeat(128), none)).toEqual({ ok: true });
    const r = checkPassword('x'.repeat(129), none);
    expect(r).toMatchObject({
      ok: false,
      code: 'too-long',
      message: 'Mật khẩu không được dài quá 128 ký tự.',
    });
  });

  it('refuses common passwords, case-insensitively', () => {
    for (const pw of ['qwertyuiop', 'PASSWORD123', '1234567890', 'Basketball'])
      expect(checkPassword(pw, none), pw).toMatchObject({ ok: false, code: 'common' });
    expect(isCommonPassword('IloveYou')).toBe(true);
    expect(isCommonPassword('mùa thu Hà Nội 1945')).toBe(false);
    const r = checkPassword('qwertyuiop', none);
    expect(!r.ok && r.message).toBe('Mật khẩu này quá phổ biến và dễ bị đoán. Vui lòng chọn mật khẩu khác.');
  });

  it('refuses passwords containing an identifier of 4 or more characters, case-insensitively', () => {
    const identifiers = ['001085012345', '0912345678', 'NguyenVanAn', 'abc'];
    expect(checkPassword('toi-la-001085012345', { identifiers })).toMatchObject({
      code: 'contains-identifier',
    });
    expect(checkPassword('goi 0912345678 nhe', { identifiers })).toMatchObject({
      code: 'contains-identifier',
    });
    expect(checkPassword('xin chao nguyenvanan!', { identifiers })).toMatchObject({
      code: 'contains-identifier',
    });
    expect(checkPassword('abc abc abc abc', { identifiers })).toEqual({ ok: true }); // 'abc' is too short to count
    expect(
      checkPassword('Đặng Thùy Trâm 1968', { identifiers: ['đặng thùy'.normalize('NFD')] }),
    ).toMatchObject({
      code: 'contains-identifier',
    });
  });

  it('derives identifiers from an account', () => {
    expect(
      passwordIdentifiers({
        personalId: '001085012345',
        phone: '+84912345678',
        email: 'an.nguyen@example.vn',
      }),
    ).toEqual(['001085012345', '0912345678', '912345678', 'an.nguyen']);
    expect(passwordIdentifiers({ taxCode: '0106789017', phone: null, email: undefined })).toEqual([
      '0106789017',
    ]);
    expect(passwordIdentifiers({ phone: '0912 345 678', email: 'an@example.vn' })).toEqual([
      '0912345678',
      '912345678',
    ]);
    expect(
      checkPassword('so cua toi 912345678', { identifiers: passwordIdentifiers({ phone: '+84912345678' }) }),
    ).toMatchObject({
      code: 'contains-identifier',
    });
  });

  it('property: a password containing an identifier (in any case) is refused for it', () => {
    const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789ăâđêôơưáàảãạ');
    fc.assert(
      fc.property(
        fc.string({ unit: alnum, minLength: 4, maxLength: 20 }),
        fc.string({ minLength: 10, maxLength: 40 }),
        fc.nat(),
        fc.boolean(),
        (id, padding, at, upper) => {
          const cut = at % (padding.length + 1);
          const pw = `${padding.slice(0, cut)}${upper ? id.toUpperCase() : id}${padding.slice(cut)}`;
          fc.pre(!isCommonPassword(pw));
          expect(checkPassword(pw, { identifiers: [id] })).toMatchObject({
            ok: false,
            code: 'contains-identifier',
          });
          expect(checkPassword(pw, { identifiers: [id.slice(0, 3)] })).toEqual({ ok: true }); // too short to count
        },
      ),
    );
  });
});

describe('password hashing', () => {
  it('hashes with argon2id at the exported parameters and verifies', async () => {
    const h = await hashPassword('mùa thu Hà Nội 1945');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(PASSWORD_HASH_PARAMS).toMatchObject({
      algorithm: 'argon2id',
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(await verifyPassword(h, 'mùa thu Hà Nội 1945')).toBe(true);
    expect(await verifyPassword(h, 'mùa thu Hà Nội 1946')).toBe(false);
    // the same password typed with a decomposing input method
    expect(await verifyPassword(h, 'mùa thu Hà Nội 1945'.normalize('NFD'))).toBe(true);
    expect(needsRehash(h)).toBe(false);
    expect(await hashPassword('mùa thu Hà Nội 1945')).not.toBe(h); // salted
  });

  it('answers false for something that is not an argon2 hash', async () => {
    expect(await verifyPassword('', 'x')).toBe(false);
    expect(await verifyPassword('$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234', 'x')).toBe(
      false,
    );
  });

  it('asks for a rehash when the parameters differ', async () => {
    const weaker = await hash('x', { memoryCost: 8192, timeCost: 2, parallelism: 1 });
    expect(needsRehash(weaker)).toBe(true);
    const argon2i = await hash('x', {
      algorithm: 1 as never,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(needsRehash(argon2i)).toBe(true);
    const moreTime = await hash('x', { memoryCost: 19456, timeCost: 3, parallelism: 1 });
    expect(needsRehash(moreTime)).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234')).toBe(true);
  });
});
