import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkSignedFile,
  expiryOf,
  fileNameFromTitle,
  hashToken,
  isShareLife,
  isShareToken,
  newShareToken,
  ownerIdentifier,
  shareState,
  signedFilePath,
} from './wallet.domain.ts';

describe('wallet rules', () => {
  it('keeps an item valid through its expiry date (a Vietnam date)', () => {
    expect(expiryOf(null, '2026-12-07')).toBe('none');
    expect(expiryOf('2026-12-07', '2026-12-07')).toBe('valid');
    expect(expiryOf('2026-12-06', '2026-12-07')).toBe('expired');
  });

  it('gives sharing links 1 hour to 30 days', () => {
    expect([0, 1, 24, 720, 721, 1.5, Number.NaN].map(isShareLife)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('stores only the hash of a sharing token', () => {
    const { token, hash } = newShareToken();
    expect(isShareToken(token)).toBe(true);
    expect(hash).toBe(hashToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isShareToken(`${token.slice(0, 42)}/`)).toBe(false);
  });

  it('tells a link live, expired or revoked', () => {
    const now = new Date('2026-12-07T03:00:00Z');
    expect(shareState({ expiresAt: new Date('2026-12-07T03:00:01Z'), revokedAt: null }, now)).toBe('live');
    expect(shareState({ expiresAt: now, revokedAt: null }, now)).toBe('expired');
    expect(shareState({ expiresAt: new Date('2027-01-01T00:00:00Z'), revokedAt: now }, now)).toBe('revoked');
  });

  it('signs download links that work until they expire and not once altered', () => {
    const key = randomBytes(32);
    const now = new Date('2026-12-07T03:00:00Z');
    const expires = now.getTime() / 1000 + 300;
    const url = new URL(`https://x${signedFilePath(key, 'item-1', expires)}`);
    const sig = url.searchParams.get('sig')!;
    expect(checkSignedFile(key, 'item-1', expires, sig, now)).toBe('ok');
    expect(checkSignedFile(key, 'item-2', expires, sig, now)).toBe('forged');
    expect(checkSignedFile(key, 'item-1', expires + 1, sig, now)).toBe('forged');
    expect(checkSignedFile(randomBytes(32), 'item-1', expires, sig, now)).toBe('forged');
    expect(checkSignedFile(key, 'item-1', expires, sig, new Date(now.getTime() + 301_000))).toBe('expired');
  });

  it('reads SoDinhDanhChuSoHuu as a personal ID number or a tax code', () => {
    expect(ownerIdentifier(' 001088012345 ')).toBe('001088012345');
    expect(ownerIdentifier('0101234567')).toBe('0101234567');
    expect(ownerIdentifier('0101234567-001')).toBe('0101234567-001');
    expect(ownerIdentifier('00108801234')).toBeUndefined();
    expect(ownerIdentifier('abc')).toBeUndefined();
  });

  it('makes a file name from a title', () => {
    expect(fileNameFromTitle('Giấy khai sinh: bản sao / 2026', 'pdf')).toBe(
      'Giấy-khai-sinh-bản-sao-2026.pdf',
    );
    expect(fileNameFromTitle('***', 'png')).toBe('tep.png');
  });
});
