/**
 * What the wallet's jobs share: an item as the service gives it (its file name, its expiry today), its
 * bytes from the blob store, the portal's verification of a signed PDF now, the item as a dossier sees
 * it, and the owner's own item (another owner's is answered like one that does not exist).
 */
import { createHash } from 'node:crypto';
import { vietnamDate } from '../../../platform/clock/index.ts';
import { NotFoundError } from '../../../platform/errors/index.ts';
import { EXTENSIONS, expiryOf, fileNameFromTitle } from './wallet.domain.ts';
import * as repo from './wallet.repository.ts';
import type { WalletDeps, WalletItem, WalletItemForDossier } from './wallet.types.ts';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const clean = (s: string | null | undefined, max: number) => {
  const v = (s ?? '').normalize('NFC').trim();
  return v === '' ? null : v.slice(0, max);
};

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

const UNVERIFIED_UPLOAD = {
  vi: 'Tệp do chủ sở hữu tự tải lên, không có chữ ký số hợp lệ: Cổng không xác thực nội dung.',
  en: 'Uploaded by its owner without a valid digital signature: the portal has not verified it.',
};

export function createWalletCore(deps: WalletDeps) {
  const { db, clock, blobs } = deps;
  const today = () => vietnamDate(clock.now());

  const view = (r: repo.ItemRow): WalletItem => {
    const { blobKey: _b, sourceSha256: _s, fileName, ...rest } = r;
    return {
      ...rest,
      fileName: fileName ?? fileNameFromTitle(r.title, EXTENSIONS[r.contentType] ?? 'bin'),
      expiry: expiryOf(r.expiresOn, today()),
    };
  };

  async function bytesOf(r: repo.ItemRow): Promise<Buffer> {
    const stream = await blobs.get(r.blobKey);
    if (!stream) throw new NotFoundError('Nội dung tệp không còn trong kho lưu trữ.');
    return readAll(stream);
  }

  async function verificationOf(
    r: repo.ItemRow,
    bytes: Buffer,
  ): Promise<WalletItemForDossier['verification']> {
    const checkedAt = clock.now();
    if (r.contentType !== 'application/pdf' || !r.signed)
      return { verified: false, checkedAt, summary: UNVERIFIED_UPLOAD, signer: null };
    const v = await deps.verify(bytes);
    if (v.valid)
      return {
        verified: true,
        checkedAt,
        signer: v.signerName,
        summary: {
          vi: `Chữ ký số hợp lệ${v.signerName ? ` của ${v.signerName}` : ''}: tài liệu còn nguyên vẹn, chứng thư số được tin cậy và chưa bị thu hồi.`,
          en: `Valid digital signature${v.signerName ? ` of ${v.signerName}` : ''}: intact, trusted and not revoked.`,
        },
      };
    return {
      verified: false,
      checkedAt,
      signer: v.signerName,
      summary: {
        vi: `Không xác thực được: ${v.reasons.map((x) => x.vi).join('; ') || 'chữ ký số không hợp lệ'}.`,
        en: `Not verified: ${v.reasons.map((x) => x.en).join('; ') || 'invalid signature'}.`,
      },
    };
  }

  const forDossier = (
    r: repo.ItemRow,
    verification: WalletItemForDossier['verification'],
  ): WalletItemForDossier => {
    const v = view(r);
    return {
      id: v.id,
      kind: v.kind,
      documentType: v.documentType,
      title: v.title,
      issuer: v.issuer,
      number: v.number,
      issuedOn: v.issuedOn,
      expiresOn: v.expiresOn,
      fileName: v.fileName,
      contentType: v.contentType,
      sizeBytes: v.sizeBytes,
      sha256: v.sha256,
      verification,
    };
  };

  async function mine(ownerId: string, id: string): Promise<repo.ItemRow> {
    const r = await repo.itemOf(db, ownerId, id);
    if (!r) throw new NotFoundError('Không tìm thấy giấy tờ trong kho dữ liệu của bạn.');
    return r;
  }

  return { today, view, bytesOf, verificationOf, forDossier, mine };
}

export type WalletCore = ReturnType<typeof createWalletCore>;
