/**
 * The applicant's and officers' files: streams into the blob store (the type found by content, the
 * size bounded), recorded as the account's uploads, read back for whoever may see them, and turned into
 * a dossier's attachments. Blobs a request stored but never recorded are removed.
 */
import type { Readable } from 'node:stream';
import { type Kysely, sql } from 'kysely';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import {
  type BlobStore,
  DEFAULT_ACCEPT,
  type StoredBlob,
  UploadRejected,
} from '../../platform/files/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import type { AttachmentInput, DossiersService } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

export const DEFAULT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

export interface UploadsDeps {
  db: Kysely<DossiersTables>;
  service: Pick<DossiersService, 'get'>;
  blobs: BlobStore;
  maxBytes: number;
}

export function createUploads(deps: UploadsDeps) {
  const { db, service, blobs, maxBytes } = deps;

  async function uploadsOf(accountId: string, ids: string[]) {
    if (ids.length === 0) return [];
    return db
      .selectFrom('dossiers.uploads')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', 'in', ids)
      .execute();
  }

  const toAttachment = (u: Awaited<ReturnType<typeof uploadsOf>>[number]): AttachmentInput => ({
    documentCode: u.document_code ?? undefined,
    fileName: u.file_name,
    mediaType: u.media_type,
    sizeBytes: Number(u.size_bytes),
    sha256: u.sha256,
    blobKey: u.blob_key,
    uploadId: u.id,
  });

  const cleanName = storedFileName;

  function uploadMessage(
    reason: UploadRejected['reason'],
    name: string,
    accept: readonly string[] = DEFAULT_ACCEPT,
    limit = maxBytes,
  ): string {
    if (reason === 'too-large') return `Tệp “${name}” lớn hơn ${Math.round(limit / 1024 / 1024)} MB.`;
    if (reason === 'empty') return `Tệp “${name}” trống.`;
    return `Tệp “${name}” không đúng định dạng cho phép (${accept.map((a) => a.split('/')[1]!.toUpperCase()).join(', ')}); định dạng được xác định theo nội dung tệp, không theo tên tệp.`;
  }

  async function insertUpload(
    accountId: string,
    stored: StoredBlob,
    name: string,
    documentCode: string | undefined,
  ) {
    const row = await db
      .insertInto('dossiers.uploads')
      .values({
        account_id: accountId,
        document_code: documentCode ?? null,
        file_name: name,
        media_type: stored.type.mediaType,
        size_bytes: stored.sizeBytes,
        sha256: stored.sha256,
        blob_key: stored.key,
      })
      .returning(['id', 'file_name', 'media_type', 'size_bytes', 'sha256'])
      .executeTakeFirstOrThrow();
    return { ...row, size_bytes: Number(row.size_bytes) };
  }

  return {
    uploadsOf,
    toAttachment,
    /** What the desk offers. */
    methods: {
      /** Puts a stream into the blob store (any type this module recognises; the slot's check comes after). */
      async storeBlob(stream: Readable) {
        return blobs.put(stream, { maxBytes, accept: (t) => t !== undefined });
      },

      uploadMessage,

      /** Records a stored blob as the account's upload, checking the slot's types and size. */
      async recordUpload(
        accountId: string,
        stored: StoredBlob,
        file: {
          fileName: string;
          documentCode?: string | undefined;
          accept?: readonly string[] | undefined;
          maxBytes?: number | undefined;
        },
      ) {
        const accept = file.accept && file.accept.length > 0 ? file.accept : DEFAULT_ACCEPT;
        const name = cleanName(file.fileName);
        if (!accept.includes(stored.type.mediaType)) {
          const message = uploadMessage('type', name, accept);
          throw new ValidationError(message, [{ path: file.documentCode ?? 'file', message }]);
        }
        const limit = Math.min(file.maxBytes ?? maxBytes, maxBytes);
        if (stored.sizeBytes > limit) {
          const message = uploadMessage('too-large', name, accept, limit);
          throw new ValidationError(message, [{ path: file.documentCode ?? 'file', message }]);
        }
        return insertUpload(accountId, stored, name, file.documentCode);
      },

      /**
       * Stores an uploaded file: its type found by content must be one the slot accepts (PDF, JPEG, PNG by
       * default), at most the configured size; SHA-256 kept. 400 with a Vietnamese message otherwise.
       */
      async upload(
        accountId: string,
        file: {
          stream: Readable;
          fileName: string;
          documentCode?: string | undefined;
          accept?: readonly string[];
        },
      ) {
        const accept = file.accept && file.accept.length > 0 ? file.accept : DEFAULT_ACCEPT;
        const name = cleanName(file.fileName);
        let stored: StoredBlob;
        try {
          stored = await blobs.put(file.stream, {
            maxBytes,
            accept: (t) => !!t && accept.includes(t.mediaType),
          });
        } catch (e) {
          if (e instanceof UploadRejected) {
            const message = uploadMessage(e.reason, name, accept);
            throw new ValidationError(message, [{ path: file.documentCode ?? 'file', message }]);
          }
          throw e;
        }
        return insertUpload(accountId, stored, name, file.documentCode);
      },

      /**
       * Removes from the blob store the files a request stored while its form was parsed but never
       * recorded as uploads (a refused type for the slot, a failed CSRF check, an unknown field).
       */
      async discardUnrecorded(keys: string[]) {
        if (keys.length === 0) return;
        const known = await sql<{ blob_key: string }>`
        select blob_key from dossiers.uploads where blob_key = any(${keys}::text[])
        union select blob_key from dossiers.attachments where blob_key = any(${keys}::text[])`.execute(db);
        const keep = new Set(known.rows.map((r) => r.blob_key));
        for (const key of keys) if (!keep.has(key)) await blobs.delete(key);
      },

      /** Uploads of the account by id (only their own). */
      async uploads(accountId: string, ids: string[]) {
        return (await uploadsOf(accountId, ids)).map((u) => ({ ...u, size_bytes: Number(u.size_bytes) }));
      },

      /** The content of a dossier's attachment, for someone who may see the dossier. */
      async attachmentContent(accountId: string, code: string, attachmentId: string) {
        const v = await service.get(accountId, code);
        const a = v.attachments.find((x) => x.id === attachmentId);
        if (!a) throw new NotFoundError('Không tìm thấy tệp.');
        const row = await db
          .selectFrom('dossiers.attachments')
          .select('blob_key')
          .where('id', '=', attachmentId)
          .executeTakeFirstOrThrow();
        const stream = await blobs.get(row.blob_key);
        if (!stream) throw new NotFoundError('Nội dung tệp không còn trong kho lưu trữ.');
        return { stream, fileName: a.fileName, mediaType: a.mediaType };
      },

      /** The content of the account's own upload (a draft's file). */
      async uploadContent(accountId: string, uploadId: string) {
        if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new NotFoundError('Không tìm thấy tệp.');
        const [u] = await uploadsOf(accountId, [uploadId]);
        if (!u) throw new NotFoundError('Không tìm thấy tệp.');
        const stream = await blobs.get(u.blob_key);
        if (!stream) throw new NotFoundError('Nội dung tệp không còn trong kho lưu trữ.');
        return { stream, fileName: u.file_name, mediaType: u.media_type };
      },

      /** Attachments for an action from the account's uploads (supplement, result). */
      async attachmentsFor(accountId: string, ids: string[], purpose: 'supplement' | 'result') {
        const ups = await uploadsOf(accountId, ids);
        if (ups.length !== ids.length)
          throw new ValidationError('Không tìm thấy tệp đã tải lên.', [
            { path: 'files', message: 'unknown upload' },
          ]);
        return ups.map((u) => ({ ...toAttachment(u), purpose }));
      },
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;
