/**
 * Where the content of uploaded and produced files lives (dossiers' attachments, certified copies, the
 * wallet's documents), behind one small port: a local directory by default, an S3-compatible store when
 * one is configured; and how a file's type is found from its content.
 */
export { type BlobStore, localBlobStore, type StoredBlob, UploadRejected } from './blob-store.ts';
export { type S3Options, s3BlobStore } from './s3-blob-store.ts';
export { DEFAULT_ACCEPT, SNIFF_BYTES, type Sniffed, sniff } from './sniff.ts';
