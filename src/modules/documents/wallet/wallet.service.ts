/**
 * The wallet (kho dữ liệu điện tử): each account's certified copies, signed dossier results and own
 * uploads. Items are added by certification and result delivery (idempotent on the copy, and on the
 * dossier and file), or uploaded by their owner (PDF, JPEG, PNG by content, at most 10 MB); owners edit
 * the metadata of their uploads, hide any item (a copy's certification stays), share one by a
 * time-limited link, and consent that an agency fetch from their wallet. Another owner's item is
 * answered like one that does not exist.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { appendAudit } from '../../../platform/audit/index.ts';
import { type Clock, isIsoDate, vietnamDate } from '../../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../../platform/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../platform/errors/index.ts';
import { type BlobStore, sniff } from '../../../platform/files/index.ts';
import { storedFileName } from '../../../platform/security/index.ts';
import { notifyAccount } from '../../notifications/index.ts';
import { isDocumentType } from '../domain/document-types.ts';
import {
  checkSignedFile,
  EXTENSIONS,
  expiryOf,
  FETCH_LINK_SECONDS,
  fileNameFromTitle,
  hashToken,
  type ItemKind,
  isShareLife,
  isShareToken,
  newShareToken,
  ownerIdentifier,
  shareState,
  signedFilePath,
  UPLOAD_MAX_BYTES,
  UPLOAD_TYPES,
} from './wallet.domain.ts';
import * as repo from './wallet.repository.ts';

/** What the verification service says of a PDF's signatures (wired by the module to verification/). */
export interface PdfVerdict {
  valid: boolean;
  reasons: Array<{ code: string; vi: string; en: string }>;
  signerName: string | null;
}

export interface WalletItemForDossier {
  id: string;
  kind: 'certified-copy' | 'dossier-result' | 'upload';
  documentType: string;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** the portal's own check, now: a signed PDF verified (signature intact, chain trusted, not revoked, copy not revoked) */
  verification: {
    verified: boolean;
    checkedAt: Date;
    summary: { vi: string; en: string };
    signer: string | null;
  };
}

export interface DeliverResultInput {
  ownerId: string;
  dossierCode: string;
  title: string;
  issuer: string;
  agencyCode: string;
  pdf: Buffer;
  fileName: string;
  issuedAt: Date;
}

export interface WalletPort {
  /** The owner's items usable in a dossier (not deleted, not expired), newest first. */
  listForOwner(ownerId: string): Promise<WalletItemForDossier[]>;
  /** One item of the owner with its bytes, verified now; undefined if not theirs / deleted. */
  takeForDossier(
    ownerId: string,
    itemId: string,
  ): Promise<{ item: WalletItemForDossier; bytes: Buffer } | undefined>;
  /** A dossier's result PDF delivered to the applicant's wallet as a signed document. */
  deliverResult(input: DeliverResultInput): Promise<{ itemId: string }>;
}

/** A machine caller (request.machine of the identity module). */
export interface AgencyClient {
  clientId: string;
  clientName: string;
  agencyCodes: string[];
}

/** The person whose data was read, as identity's "who accessed my data" log takes it. */
export interface DataAccessRecord {
  accountId: string;
  accessorKind: 'officer' | 'client';
  accessorId: string;
  accessorName: string;
  purpose: string;
  fields: string[];
}

export interface WalletDeps {
  db: AnyDb;
  clock: Clock;
  blobs: BlobStore;
  /** The portal's address (links in notifications and in agencies' answers). */
  publicUrl: string;
  /** Verification of a PDF's signatures (trusted roots, office revocations, copy revocation). */
  verify(pdf: Buffer): Promise<PdfVerdict>;
  /** Stamps and signs a dossier's result (the lead's signing); the signed PDF. */
  signResult(input: DeliverResultInput): Promise<Buffer>;
  /** The account of a personal ID number or tax code (SoDinhDanhChuSoHuu). */
  accountByIdNumber(idNumber: string): Promise<string | undefined>;
  /** The installation secret of the agencies' signed download links and of address hashes. */
  linkKey(): Promise<Buffer>;
  /** Whether an agency code exists (the consent form); all codes of the right shape when absent. */
  agencyName?(code: string): Promise<string | undefined>;
  /** Where to reach the owner (SMS, e-mail) besides the portal inbox. */
  contactOf?(accountId: string): Promise<{ sms: string | null; email: string | null } | undefined>;
  /** Identity's "who accessed my data" log (`recordDataAccess`), in the fetch's transaction. */
  recordDataAccess?(db: AnyDb, a: DataAccessRecord): Promise<void>;
}

export interface AddItemInput {
  ownerId: string;
  kind: ItemKind;
  documentType: string;
  title: string;
  issuer?: string | null | undefined;
  number?: string | null | undefined;
  issuedOn?: string | null | undefined;
  expiresOn?: string | null | undefined;
  bytes: Buffer;
  fileName?: string | undefined;
  certificationId?: string | null | undefined;
  dossierCode?: string | null | undefined;
  signed: boolean;
  /** A delivered result: the SHA-256 of the unsigned PDF (idempotence across signings). */
  sourceSha256?: string | null | undefined;
  /**
   * The bytes are already in the wallet's blob store under this key, owned by the caller (a certified
   * copy shares its certification's signed file): nothing is stored, and nothing removed on a repeat.
   */
  blobKey?: string | undefined;
}

export interface Metadata {
  documentType: string;
  title: string;
  issuer?: string | undefined;
  number?: string | undefined;
  issuedOn?: string | undefined;
  expiresOn?: string | undefined;
}

export type WalletItem = Omit<repo.ItemRow, 'blobKey' | 'fileName' | 'sourceSha256'> & {
  fileName: string;
  expiry: ReturnType<typeof expiryOf>;
};

export type ShareOpening =
  | {
      state: 'live';
      item: WalletItem;
      expiresAt: Date;
      verification: WalletItemForDossier['verification'] | null;
    }
  | { state: 'expired' | 'revoked' | 'deleted' | 'unknown' };

export interface FetchRequest {
  SoDinhDanhChuSoHuu: string;
  HoTenNguoiYeuCau?: string | undefined;
  KenhThucHien?: string | number | undefined;
  SoDinhDanhNguoiYeuCau?: string | undefined;
  MaThuTuc?: string | undefined;
  DanhSachDanhMucKetQua: Array<{ MaKetQua: string; SoKyHieu?: string | null | undefined }>;
}

export interface FetchAnswer {
  DanhSachGiayToKetQua: Array<{
    MaKetQua: string;
    TenGiayTo: string;
    SoKyHieu: string | null;
    CoQuanChuQuan: string | null;
    DanhSachTepDinhKem: Array<{ TenTep: string; DuongDan: string }>;
  }>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const clean = (s: string | null | undefined, max: number) => {
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

export function createWalletService(deps: WalletDeps) {
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

  async function mine(ownerId: string, id: string): Promise<repo.ItemRow> {
    const r = await repo.itemOf(db, ownerId, id);
    if (!r) throw new NotFoundError('Không tìm thấy giấy tờ trong kho dữ liệu của bạn.');
    return r;
  }

  async function addressHash(address: string | undefined) {
    if (!address) return null;
    return createHmac('sha256', await deps.linkKey())
      .update(`address\n${address}`)
      .digest('hex');
  }

  async function openShare(token: string, what: 'view' | 'download', address?: string) {
    if (!isShareToken(token)) return { opening: { state: 'unknown' } as ShareOpening };
    const s = await repo.shareByTokenHash(db, hashToken(token));
    if (!s) return { opening: { state: 'unknown' } as ShareOpening };
    const now = clock.now();
    const item = await repo.itemById(db, s.itemId);
    const state = shareState(s, now);
    const outcome = state === 'live' ? (item && !item.deletedAt ? 'served' : 'deleted') : state;
    await repo.logShareAccess(db, {
      shareId: s.id,
      at: now,
      what,
      outcome,
      addressHash: await addressHash(address),
    });
    if (outcome !== 'served' || !item)
      return { opening: { state: outcome === 'served' ? 'deleted' : outcome } as ShareOpening };
    return {
      opening: {
        state: 'live',
        item: view(item),
        expiresAt: s.expiresAt,
        verification: null,
      } as ShareOpening,
      row: item,
    };
  }

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
      if (file.bytes.length === 0) errors.push({ path: 'file', message: 'Chọn tệp để tải lên.' });
      else if (file.truncated || file.bytes.length > UPLOAD_MAX_BYTES)
        errors.push({ path: 'file', message: `Tệp “${name}” lớn hơn 10 MB.` });
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

    // --- sharing links ---

    async createShare(ownerId: string, itemId: string, hours: number) {
      await mine(ownerId, itemId);
      if (!isShareLife(hours))
        throw new ValidationError('Thời hạn liên kết từ 1 giờ đến 30 ngày.', [
          { path: 'hours', message: 'Chọn thời hạn từ 1 giờ đến 30 ngày.' },
        ]);
      const { token, hash } = newShareToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + hours * 3_600_000);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertShare(trx, {
          id,
          itemId,
          tokenHash: hash,
          createdBy: ownerId,
          createdAt: now,
          expiresAt,
        });
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.share-created',
            subject: `wallet-item:${itemId}`,
            data: { share: id, expiresAt: expiresAt.toISOString() },
          },
          now,
        );
      });
      return { id, token, path: `/chia-se/${token}`, url: `${deps.publicUrl}/chia-se/${token}`, expiresAt };
    },

    async shares(ownerId: string, itemId: string) {
      await mine(ownerId, itemId);
      const now = clock.now();
      return (await repo.sharesOfItem(db, itemId)).map((s) => ({ ...s, state: shareState(s, now) }));
    },

    async revokeShare(ownerId: string, shareId: string) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.revokeShareRow(trx, ownerId, shareId, now)))
          throw new NotFoundError('Không tìm thấy liên kết chia sẻ còn hiệu lực.');
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.share-revoked',
            subject: `wallet-share:${shareId}`,
            data: {},
          },
          now,
        );
      });
    },

    shareAccesses: (shareId: string) => repo.shareAccesses(db, shareId),

    /** The public page of a link: logged whatever the outcome; a signed PDF verified now. */
    async viewShare(token: string, address?: string): Promise<ShareOpening> {
      const { opening, row } = await openShare(token, 'view', address);
      if (opening.state !== 'live' || !row?.signed) return opening;
      return { ...opening, verification: await verificationOf(row, await bytesOf(row)) };
    },

    async downloadShare(
      token: string,
      address?: string,
    ): Promise<{ opening: ShareOpening; bytes?: Buffer | undefined }> {
      const { opening, row } = await openShare(token, 'download', address);
      if (opening.state !== 'live' || !row) return { opening };
      return { opening, bytes: await bytesOf(row) };
    },

    // --- consents and agencies' fetches ---

    async giveConsent(
      ownerId: string,
      input: { agencyCode: string; procedureCode?: string; validUntil: string },
    ) {
      const errors: Array<{ path: string; message: string }> = [];
      const agencyCode = input.agencyCode.trim().toUpperCase();
      if (
        !/^[A-ZĐ0-9][A-ZĐ0-9-]{1,39}$/.test(agencyCode) ||
        (deps.agencyName && !(await deps.agencyName(agencyCode)))
      )
        errors.push({ path: 'agencyCode', message: `Không có cơ quan mã “${agencyCode.slice(0, 40)}”.` });
      const procedureCode = clean(input.procedureCode, 41);
      if (procedureCode && !/^[0-9A-Za-z.\-_]{1,40}$/.test(procedureCode))
        errors.push({ path: 'procedureCode', message: 'Mã thủ tục không hợp lệ.' });
      const until = input.validUntil.trim();
      const maxDate = vietnamDate(new Date(clock.now().getTime() + 366 * 86_400_000));
      if (!isIsoDate(until) || until < today() || until > maxDate)
        errors.push({ path: 'validUntil', message: 'Chọn ngày hết hạn từ hôm nay đến tối đa 1 năm.' });
      if (errors.length > 0) throw new ValidationError('Chưa ghi nhận được sự đồng ý.', errors);
      // Through the end of that day in Vietnam.
      const validUntil = new Date(`${until}T23:59:59.999+07:00`);
      const id = randomUUID();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.insertConsent(trx, { id, ownerId, agencyCode, procedureCode, validUntil, createdAt: now });
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.consent-given',
            subject: `wallet-consent:${id}`,
            data: { agencyCode, procedureCode, validUntil: validUntil.toISOString() },
          },
          now,
        );
      });
      return { id, validUntil };
    },

    async consents(ownerId: string) {
      const now = clock.now();
      const rows = await repo.consentsOf(db, ownerId);
      const names = new Map<string, string | undefined>();
      for (const code of new Set(rows.map((c) => c.agencyCode)))
        names.set(code, await deps.agencyName?.(code));
      return rows.map((c) => ({
        ...c,
        agencyName: names.get(c.agencyCode) ?? null,
        live: !c.revokedAt && c.validUntil.getTime() > now.getTime(),
      }));
    },

    async revokeConsent(ownerId: string, id: string) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.revokeConsentRow(trx, ownerId, id, now)))
          throw new NotFoundError('Không tìm thấy sự đồng ý còn hiệu lực.');
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.consent-revoked',
            subject: `wallet-consent:${id}`,
            data: {},
          },
          now,
        );
      });
    },

    /** Who fetched from the owner's wallet ("ai đã truy cập dữ liệu của tôi"). */
    fetches: (ownerId: string) => repo.fetchesOf(db, ownerId),

    /**
     * An agency system's fetch (the e-document store's request shape): only with a live consent of the
     * owner for one of the client's agencies (and the procedure, when the consent names one); only items
     * of the type (MaKetQua) and number (SoKyHieu) asked; files by links that work a few minutes. An
     * unknown owner is refused like a missing consent (nothing is disclosed).
     */
    async fetch(client: AgencyClient, body: FetchRequest): Promise<FetchAnswer> {
      const missing = () =>
        new ForbiddenError(
          'Chủ sở hữu chưa đồng ý cho cơ quan của bạn khai thác dữ liệu trong kho (hoặc sự đồng ý đã hết hạn, bị thu hồi). / The owner has not consented to your agency fetching from their wallet.',
          { reason: 'consent-missing' },
        );
      const idNumber = ownerIdentifier(body.SoDinhDanhChuSoHuu);
      if (!idNumber)
        throw new ValidationError('Số định danh chủ sở hữu không hợp lệ.', [
          { path: 'SoDinhDanhChuSoHuu', message: '12 chữ số (cá nhân) hoặc mã số thuế' },
        ]);
      const ownerId = await deps.accountByIdNumber(idNumber);
      if (!ownerId) throw missing();
      const now = clock.now();
      const procedureCode = clean(body.MaThuTuc, 40);
      const consent = await repo.liveConsent(db, ownerId, client.agencyCodes, procedureCode, now);
      if (!consent) throw missing();
      const wanted = body.DanhSachDanhMucKetQua.map((w) => ({
        documentType: w.MaKetQua.trim(),
        number: clean(w.SoKyHieu ?? null, 100),
      }));
      const items = (await repo.itemsMatching(db, ownerId, wanted)).filter(
        (i) => expiryOf(i.expiresOn, today()) !== 'expired',
      );
      const key = await deps.linkKey();
      const expires = Math.floor(now.getTime() / 1000) + FETCH_LINK_SECONDS;
      await db.transaction().execute(async (trx) => {
        await repo.insertFetch(trx, {
          at: now,
          clientId: client.clientId,
          clientName: client.clientName,
          agencyCode: consent.agencyCode,
          ownerId,
          consentId: consent.id,
          procedureCode,
          channel: body.KenhThucHien === undefined ? null : String(body.KenhThucHien).slice(0, 20),
          requesterName: clean(body.HoTenNguoiYeuCau, 200),
          requesterIdNumber: clean(body.SoDinhDanhNguoiYeuCau, 20),
          requested: wanted,
          itemIds: items.map((i) => i.id),
        });
        await deps.recordDataAccess?.(trx, {
          accountId: ownerId,
          accessorKind: 'client',
          accessorId: client.clientId,
          accessorName: client.clientName,
          purpose: `Khai thác kho dữ liệu điện tử${procedureCode ? ` (thủ tục ${procedureCode})` : ''}`,
          fields: ['KhoDuLieu'],
        });
        await appendAudit(
          trx,
          {
            actor: `client:${client.clientId}`,
            action: 'wallet.fetched',
            subject: `account:${ownerId}`,
            data: { consent: consent.id, items: items.map((i) => i.id) },
          },
          now,
        );
      });
      return {
        DanhSachGiayToKetQua: items.map((i) => ({
          MaKetQua: i.documentType,
          TenGiayTo: i.title,
          SoKyHieu: i.number,
          CoQuanChuQuan: i.issuer,
          DanhSachTepDinhKem: [
            { TenTep: view(i).fileName, DuongDan: `${deps.publicUrl}${signedFilePath(key, i.id, expires)}` },
          ],
        })),
      };
    },

    /** The file behind an agency's signed link (404 for a forged or expired one, like an unknown item). */
    async fileByLink(itemId: string, expires: number, sig: string) {
      const verdict = checkSignedFile(await deps.linkKey(), itemId, expires, sig, clock.now());
      if (verdict !== 'ok') throw new NotFoundError('Liên kết tải tệp không hợp lệ hoặc đã hết hạn.');
      const r = await repo.itemById(db, itemId);
      if (!r || r.deletedAt) throw new NotFoundError('Liên kết tải tệp không hợp lệ hoặc đã hết hạn.');
      return { item: view(r), bytes: await bytesOf(r) };
    },
  };

  const port: WalletPort = {
    async listForOwner(ownerId) {
      const rows = (await repo.itemsOf(db, ownerId, {}, 200)).filter(
        (r) => expiryOf(r.expiresOn, today()) !== 'expired',
      );
      const out: WalletItemForDossier[] = [];
      for (const r of rows) {
        const verification = r.signed
          ? await verificationOf(r, await bytesOf(r))
          : await verificationOf(r, Buffer.alloc(0));
        out.push(forDossier(r, verification));
      }
      return out;
    },

    async takeForDossier(ownerId, itemId) {
      const r = await repo.itemOf(db, ownerId, itemId);
      if (!r) return undefined;
      const bytes = await bytesOf(r);
      return { item: forDossier(r, await verificationOf(r, bytes)), bytes };
    },

    async deliverResult(input) {
      const sourceSha256 = sha256(input.pdf);
      const existing = await repo.findSameItem(db, {
        ownerId: input.ownerId,
        kind: 'dossier-result',
        certificationId: null,
        dossierCode: input.dossierCode,
        sha256: sourceSha256,
        sourceSha256,
      });
      if (existing) return { itemId: existing.id };
      const signed = await deps.signResult(input);
      const issuedOn = vietnamDate(input.issuedAt);
      const contact = await deps.contactOf?.(input.ownerId);
      const { itemId } = await addItemWith(
        {
          ownerId: input.ownerId,
          kind: 'dossier-result',
          documentType: 'ket-qua-thu-tuc',
          title: input.title,
          issuer: input.issuer,
          number: input.dossierCode,
          issuedOn: [issuedOn, today()].sort()[0],
          bytes: signed,
          fileName: input.fileName,
          dossierCode: input.dossierCode,
          signed: true,
          sourceSha256,
        },
        undefined,
        (trx, id) =>
          notifyAccount(trx, {
            ...(contact ?? {}),
            accountId: input.ownerId,
            template: 'wallet.result-delivered',
            params: {
              code: input.dossierCode,
              title: input.title,
              agency: input.issuer,
              link: `${deps.publicUrl}/kho-du-lieu/${id}`,
            },
            dedupeKey: `wallet.result-delivered:${id}`,
          }),
      );
      return { itemId };
    },
  };

  return { service, port };
}

export type WalletService = ReturnType<typeof createWalletService>['service'];
