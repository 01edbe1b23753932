/**
 * Files sent with an item from the sending form (issue 19): the same rules as attaching later through the
 * API (feedback.service.ts `attach`) — JPG, PDF, DOC, DOCX, XLS, XLSX recognised by content, at most 10 MB
 * each and 5 in all — checked before anything is written; their blobs are stored before the item's
 * transaction and their rows written in it, so an item is never saved without the files it was sent with
 * (blobs of a transaction that failed are deleted).
 */
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { type BlobStore, SNIFF_BYTES, sniff } from '../../platform/files/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPES,
  ATTACHMENTS_PER_ITEM,
  type AttachmentType,
  attachmentTypeOf,
} from './domain/file-kind.ts';
import type { FeedbackTables } from './feedback.tables.ts';

/** A file as the form's parser gives it: its bytes, or that it was too large or empty. */
export type SentFile =
  | { fileName: string; bytes: Buffer }
  | { fileName: string; error: 'too-large' | 'empty' };

export interface CheckedFile {
  fileName: string;
  bytes: Buffer;
  type: AttachmentType;
}

/** The files' problems (path `files`, naming the file), or the files with their types. */
export function checkSentFiles(files: readonly SentFile[]) {
  const errors: { path: string; message: string }[] = [];
  const checked: CheckedFile[] = [];
  if (files.length > ATTACHMENTS_PER_ITEM)
    errors.push({
      path: 'files',
      message: `Tối đa ${ATTACHMENTS_PER_ITEM} tệp. / At most ${ATTACHMENTS_PER_ITEM} files.`,
    });
  for (const f of files.slice(0, ATTACHMENTS_PER_ITEM)) {
    const name = f.fileName || 'tệp';
    if ('error' in f) {
      errors.push({
        path: 'files',
        message:
          f.error === 'too-large'
            ? `Tệp “${name}” lớn hơn 10 MB. / “${name}” is larger than 10 MB.`
            : `Tệp “${name}” rỗng. / “${name}” is empty.`,
      });
      continue;
    }
    const type =
      f.bytes.length > ATTACHMENT_MAX_BYTES
        ? undefined
        : attachmentTypeOf(sniff(f.bytes.subarray(0, SNIFF_BYTES)), f.bytes);
    if (!type) {
      errors.push({
        path: 'files',
        message: `Tệp “${name}” không phải JPG, PDF, DOC, DOCX, XLS hoặc XLSX. / “${name}”: only JPG, PDF, DOC, DOCX, XLS, XLSX.`,
      });
      continue;
    }
    checked.push({ fileName: f.fileName, bytes: f.bytes, type });
  }
  return { errors, checked };
}

export interface StoredFile {
  file_name: string;
  media_type: AttachmentType;
  size_bytes: number;
  sha256: string;
  blob_key: string;
}

/** Puts each file in the blob store (before the transaction); on a failure, the ones put are deleted. */
export async function storeFiles(blobs: BlobStore, files: readonly CheckedFile[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  try {
    for (const f of files) {
      const blob = await blobs.put(Readable.from([f.bytes]), {
        maxBytes: ATTACHMENT_MAX_BYTES,
        accept: (t) => t !== undefined,
      });
      stored.push({
        file_name: storedFileName(f.fileName || `tep.${ATTACHMENT_TYPES[f.type]}`),
        media_type: f.type,
        size_bytes: blob.sizeBytes,
        sha256: blob.sha256,
        blob_key: blob.key,
      });
    }
    return stored;
  } catch (e) {
    await forgetFiles(blobs, stored);
    throw e;
  }
}

export async function forgetFiles(blobs: BlobStore, stored: readonly StoredFile[]) {
  for (const s of stored) await blobs.delete(s.blob_key);
}

/** The attachments' rows, in the transaction that creates the item. */
export async function insertSentFiles(
  trx: Kysely<FeedbackTables>,
  itemId: string,
  stored: readonly StoredFile[],
  now: Date,
) {
  for (const s of stored)
    await trx
      .insertInto('feedback.attachments')
      .values({ item_id: itemId, ...s, uploaded_at: now })
      .execute();
}
