/**
 * The wallet's pure rules: whether an item is still valid on a date, the bounds of a sharing link's
 * life, sharing tokens (only their hash is stored), the short-lived signed download links agencies get,
 * and the owner's identifier of the e-document store (a 12-digit personal ID or a tax code).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ITEM_KINDS = ['certified-copy', 'dossier-result', 'upload'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const isItemKind = (k: string): k is ItemKind => (ITEM_KINDS as readonly string[]).includes(k);

export const KIND_NAMES: Record<ItemKind, { vi: string; en: string }> = {
  'certified-copy': { vi: 'Bản sao có chứng thực', en: 'Certified copy' },
  'dossier-result': { vi: 'Kết quả giải quyết thủ tục', en: 'Result of a procedure' },
  upload: { vi: 'Tệp tự tải lên', en: 'Own upload' },
};

/** What the wallet accepts from an owner's upload, recognised by content. */
export const UPLOAD_TYPES: readonly string[] = ['application/pdf', 'image/jpeg', 'image/png'];
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export type Expiry = 'none' | 'valid' | 'expired';

/** Valid through its expiry date (a Vietnam date, inclusive); `today` is the Vietnam date. */
export function expiryOf(expiresOn: string | null, today: string): Expiry {
  if (!expiresOn) return 'none';
  return expiresOn >= today ? 'valid' : 'expired';
}

export const EXPIRY_LABELS: Record<Expiry, { vi: string; en: string }> = {
  none: { vi: 'Không thời hạn', en: 'No expiry' },
  valid: { vi: 'Còn hạn', en: 'Valid' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
};

export const SHARE_MIN_HOURS = 1;
export const SHARE_MAX_HOURS = 30 * 24;
/** The lives a sharing link may be given on the form (hours). */
export const SHARE_CHOICES: ReadonlyArray<{ hours: number; vi: string }> = [
  { hours: 1, vi: '1 giờ' },
  { hours: 24, vi: '1 ngày' },
  { hours: 7 * 24, vi: '7 ngày' },
  { hours: 30 * 24, vi: '30 ngày' },
];

export const isShareLife = (hours: number) =>
  Number.isInteger(hours) && hours >= SHARE_MIN_HOURS && hours <= SHARE_MAX_HOURS;

/** A new sharing token (256 bits, URL-safe) and the hash that is stored instead of it. */
export function newShareToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A token's shape, before anything is looked up. */
export const isShareToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

export type ShareState = 'live' | 'expired' | 'revoked';

export function shareState(s: { expiresAt: Date; revokedAt: Date | null }, now: Date): ShareState {
  if (s.revokedAt) return 'revoked';
  return s.expiresAt.getTime() > now.getTime() ? 'live' : 'expired';
}

/** How long an agency's download link works. */
export const FETCH_LINK_SECONDS = 5 * 60;

const linkMac = (key: Buffer, itemId: string, expires: number) =>
  createHmac('sha256', key).update(`wallet-file\n${itemId}\n${expires}`).digest('base64url');

/** The path of a signed download link of an item, valid until `expires` (seconds since the epoch). */
export function signedFilePath(key: Buffer, itemId: string, expires: number): string {
  return `/api/v1/wallet/files/${itemId}?expires=${expires}&sig=${linkMac(key, itemId, expires)}`;
}

/** Whether a signed link is authentic and not yet expired. */
export function checkSignedFile(
  key: Buffer,
  itemId: string,
  expires: number,
  sig: string,
  now: Date,
): 'ok' | 'expired' | 'forged' {
  const want = Buffer.from(linkMac(key, itemId, expires));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'forged';
  return expires * 1000 > now.getTime() ? 'ok' : 'expired';
}

/** SoDinhDanhChuSoHuu: a 12-digit personal ID number, or a tax code (10 digits, or 10-3 for a branch). */
export function ownerIdentifier(raw: string): string | undefined {
  const v = raw.trim();
  if (/^[0-9]{12}$/.test(v)) return v;
  if (/^[0-9]{10}(-[0-9]{3})?$/.test(v)) return v;
  return undefined;
}

/** A file name from an item's title: letters kept (Vietnamese included), the rest dashed. */
export function fileNameFromTitle(title: string, extension: string): string {
  const base =
    title
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'tep';
  return `${base}.${extension}`;
}

export const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
