/**
 * The wallet's items: added by certification and result delivery (idempotent on the copy, and on the
 * dossier and file), or uploaded by their owner (PDF, JPEG, PNG by content, at most 10 MB); listed,
 * read and verified by their owner, who edits the metadata of their uploads and hides any item (a
 * copy's certification stays).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { appendAudit } from '../../../platform/audit/index.ts';
import { isIsoDate } from '../../../platform/clock/index.ts';
import type { AnyTransaction } from '../../../platform/db/index.ts';
import { ConflictError, ValidationError } from '../../../platform/errors/index.ts';
import { sniff } from '../../../platform/files/index.ts';
import { storedFileName } from '../../../platform/security/index.ts';
import { isDocumentType } from '../domain/document-types.ts';
import { clean, sha256, type WalletCore } from './wallet.core.ts';
import { fileNameFromTitle, UPLOAD_MAX_BYTES, UPLOAD_TYPES } from './wallet.domain.ts';
import * as repo from './wallet.repository.ts';
import type { AddItemInput, Metadata, WalletDeps, WalletItem } from './wallet.types.ts';

export function createWalletItems(deps: WalletDeps, core: WalletCore) {
  const { db, clock, blobs } = deps;
  const { today, view, bytesOf, verificationOf, mine } = core;

  /** In the caller's transaction, or a new one. */
  async function inTransaction<T>(tx: AnyTransaction | undefined, f: (trx: AnyTransaction) => Promise<T>) {
    return tx ? f(tx) : db.transaction().execute(f);
  }

  /** The fields of metadata, checked; field errors by form field name. */
  function checkMetadata(m: Metadata) {
    const errors: Array<{ path: string; message: string }> = [];
    const title = clean(m.title, 501);
    if (!title || title.length > 500)
      errors.push({ path: 'title', message: 'Nhập tên giấy tờ (tối đa 500 ký tự).' });
    if (!isDocumentType(m.documentType))
      errors.push({ path: 'documentType', message: 'Chọn loại giấy tờ trong danh sách.' });
    const issuedOn = clean(m.issuedOn, 10);
    const expiresOn = clean(m.expiresOn, 10);
    if (issuedOn && !isIsoDate(issuedOn))
      errors.push({ path: 'issuedOn', message: 'Ngày cấp không hợp lệ (năm-tháng-ngày).' });
    if (expiresOn && !isIsoDate(expiresOn))
      errors.push({ path: 'expiresOn', message: 'Ngày hết hạn không hợp lệ (năm-tháng-ngày).' });
    if (issuedOn && isIsoDate(issuedOn) && issuedOn > today())
      errors.push({ path: 'issuedOn', message: 'Ngày cấp không thể sau hôm nay.' });
    if (issuedOn && expiresOn && isIsoDate(issuedOn) && isIsoDate(expiresOn) && expiresOn < issuedOn)
      errors.push({ path: 'expiresOn', message: 'Ngày hết hạn phải sau ngày cấp.' });
    const issuer = clean(m.issuer, 301);
    if (issuer && issuer.length > 300)
      errors.push({ path: 'issuer', message: 'Cơ quan cấp tối đa 300 ký tự.' });
    const number = clean(m.number, 101);
    if (number && number.length > 100)
      errors.push({ path: 'number', message: 'Số, ký hiệu tối đa 100 ký tự.' });
    return {
      errors,
      value: { documentType: m.documentType, title: title ?? '', issuer, number, issuedOn, expiresOn },
    };
  }

  /** `onCreated` runs in the transaction that inserts the item (its notification), never for a repeat. */
  async function addItemWith(
    input: AddItemInput,
    tx: AnyTransaction | undefined,
    onCreated?: (trx: AnyTransaction, itemId: string) => Promise<void>,
  ): Promise<{ itemId: string; created: boolean }> {
    const run = tx ?? db;
    const type = sniff(input.bytes.subarray(0, 16));
    if (!type || !UPLOAD_TYPES.includes(type.mediaType))
      throw new ValidationError('Tệp không phải PDF, JPG hoặc PNG.', [{ path: 'file', message: 'type' }]);
    if (input.bytes.length === 0)
      throw new ValidationError('Tệp trống.', [{ path: 'file', message: 'empty' }]);
    const { errors, value } = checkMetadata({
      documentType: input.documentType,
      title: input.title,
      issuer: input.issuer ?? undefined,
      number: input.number ?? undefined,
      issuedOn: input.issuedOn ?? undefined,
      expiresOn: input.expiresOn ?? undefined,
    });
    if (errors.length > 0) throw new ValidationError('Thông tin giấy tờ chưa hợp lệ.', errors);
    const hash = sha256(input.bytes);
    const key = {
      ownerId: input.ownerId,
      kind: input.kind,
      certificationId: input.certificationId ?? null,
      dossierCode: input.dossierCode ?? null,
      sha256: hash,
      sourceSha256: input.sourceSha256 ?? null,
    };
    const existing = await repo.findSameItem(run, key);
    if (existing) return { itemId: existing.id, created: false };
    const stored = input.blobKey
      ? { key: input.blobKey }
      : await blobs.put(Readable.from([input.bytes]), {
          maxBytes: Math.max(input.bytes.length, 1),
          accept: (t) => t?.mediaType === type.mediaType,
        });
    const now = clock.now();
    const id = randomUUID();
    const fileName = input.fileName
      ? storedFileName(input.fileName)
      : fileNameFromTitle(value.title, type.extension);
    const inserted = await inTransaction(tx, async (trx) => {
      const got = await repo.insertItem(trx, {
        id,
        ...value,
        ownerId: input.ownerId,
        kind: input.kind,
        blobKey: stored.key,
        sha256: hash,
        sizeBytes: input.bytes.length,
        contentType: type.mediaType,
        fileName,
        certificationId: key.certificationId,
        dossierCode: key.dossierCode,
        sourceSha256: key.sourceSha256,
        signed: input.signed,
        createdAt: now,
      });
      if (got) await onCreated?.(trx, got);
      if (got)
        await appendAudit(
          trx,
          {
            actor: input.kind === 'upload' ? `account:${input.ownerId}` : 'system:documents',
            action: 'wallet.item-added',
            subject: `wallet-item:${id}`,
            data: {
              kind: input.kind,
              sha256: hash,
              certificationId: key.certificationId,
              dossierCode: key.dossierCode,
            },
          },
          now,
        );
      return got;
    });
    if (inserted) return { itemId: inserted, created: true };
    // Another request added the same copy or result first: keep theirs.
    if (!input.blobKey) await blobs.delete(stored.key);
    const again = await repo.findSameItem(run, key);
    if (!again) throw new ConflictError('Giấy tờ vừa được thêm bởi một yêu cầu khác; vui lòng thử lại.');
    return { itemId: again.id, created: false };
  }

  const addItem = (input: AddItemInput, tx?: AnyTransaction) => addItemWith(input, tx);

  const service = {
    addItem,

    async list(ownerId: string, filter: repo.ItemFilter = {}): Promise<WalletItem[]> {
      return (await repo.itemsOf(db, ownerId, filter)).map(view);
    },

    async get(ownerId: string, id: string): Promise<WalletItem> {
      return view(await mine(ownerId, id));
    },

    async read(ownerId: string, id: string): Promise<{ item: WalletItem; bytes: Buffer }> {
      const r = await mine(ownerId, id);
      return { item: view(r), bytes: await bytesOf(r) };
    },

    /** The verification of an item, now (the item's page). */
    async verification(ownerId: string, id: string) {
      const r = await mine(ownerId, id);
      return r.signed ? verificationOf(r, await bytesOf(r)) : null;
    },

    /**
     * The owner's own file: PDF, JPEG or PNG by content, at most 10 MB, with its metadata. A PDF whose
     * signature the portal verifies is marked signed (an officer sees it verified).
     */
    async upload(
      ownerId: string,
      file: { bytes: Buffer; fileName: string; truncated?: boolean },
      meta: Metadata,
    ) {
      const errors: Array<{ path: string; message: string }> = [];
      const name = storedFileName(file.fileName || 'tep');
      const type = sniff(file.bytes.subarray(0, 16));
      if (file.truncated || file.bytes.length > UPLOAD_MAX_BYTES)
        errors.push({ path: 'file', message: `Tệp “${name}” lớn hơn 10 MB.` });
      else if (file.bytes.length === 0) errors.push({ path: 'file', message: 'Chọn tệp để tải lên.' });
      else if (!type || !UPLOAD_TYPES.includes(type.mediaType))
        errors.push({
          path: 'file',
          message: `Tệp “${name}” không phải PDF, JPG hoặc PNG; định dạng được xác định theo nội dung tệp, không theo tên tệp.`,
        });
      errors.push(...checkMetadata(meta).errors);
      if (errors.length > 0) throw new ValidationError('Chưa tải lên được giấy tờ.', errors);
      let signed = false;
      if (type!.mediaType === 'application/pdf') signed = (await deps.verify(file.bytes)).valid;
      return addItem({ ...meta, ownerId, kind: 'upload', bytes: file.bytes, fileName: name, signed });
    },

    /** Metadata of the owner's own upload (a copy's or a result's is what its issuer wrote). */
    async updateMetadata(ownerId: string, id: string, meta: Metadata) {
      const r = await mine(ownerId, id);
      if (r.kind !== 'upload')
        throw new ConflictError('Chỉ sửa được thông tin của giấy tờ bạn tự tải lên.', {
          state: r.kind,
          allowedActions: ['share', 'delete'],
        });
      const { errors, value } = checkMetadata(meta);
      if (errors.length > 0) throw new ValidationError('Thông tin giấy tờ chưa hợp lệ.', errors);
      await db.transaction().execute(async (trx) => {
        await repo.updateItemMetadata(trx, ownerId, id, value);
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.item-edited',
            subject: `wallet-item:${id}`,
            data: {},
          },
          clock.now(),
        );
      });
    },

    /** Removes the item from the wallet (a copy's certification and its register entry remain). */
    async remove(ownerId: string, id: string) {
      await mine(ownerId, id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.markItemDeleted(trx, ownerId, id, now))) return;
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.item-removed',
            subject: `wallet-item:${id}`,
            data: {},
          },
          now,
        );
      });
    },
  };

  return { addItemWith, service };
}

export type WalletItems = ReturnType<typeof createWalletItems>;
