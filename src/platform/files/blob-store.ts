/**
 * Where the content of files lives, behind a small port: a local directory by default (under
 * DATA_DIR), another store (S3-compatible) when one is configured. Keys are opaque and new for every
 * file (an attachment owns its blob: `dossiers.attachments.blob_key` is unique); the database keeps the
 * key, the SHA-256, the type found by content and the size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES, type Sniffed, sniff } from './sniff.ts';

export interface StoredBlob {
  key: string;
  sha256: string;
  sizeBytes: number;
  type: Sniffed;
}

export interface BlobStore {
  /** Stores a stream; refuses (and keeps nothing) past `maxBytes` or when `accept` rejects its type. */
  put(
    content: Readable,
    options: { maxBytes: number; accept: (t: Sniffed | undefined) => boolean },
  ): Promise<StoredBlob>;
  /** The content, or undefined when the key is unknown. */
  get(key: string): Promise<Readable | undefined>;
  /** Removes the content; a key already gone (or never stored) is not an error. */
  delete(key: string): Promise<void>;
}

export class UploadRejected extends Error {
  constructor(
    readonly reason: 'too-large' | 'type' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

/** Files under `dir`, named by a random id: `ab/cd/abcd….pdf`; written to a temporary name first. */
export function localBlobStore(dir: string): BlobStore {
  const KEY = /^[0-9a-f]{32}\.[a-z]{2,5}$/;
  const where = (key: string) => path.join(dir, key.slice(0, 2), key.slice(2, 4), key);
  return {
    async put(content, { maxBytes, accept }) {
      await fs.mkdir(path.join(dir, 'tmp'), { recursive: true });
      const tmp = path.join(dir, 'tmp', `${randomBytes(12).toString('hex')}.part`);
      const hash = createHash('sha256');
      let size = 0;
      let head = Buffer.alloc(0);
      let type: Sniffed | undefined;
      let checked = false;
      const check = () => {
        checked = true;
        type = sniff(head);
        if (!accept(type)) throw new UploadRejected('type', 'type not accepted');
      };
      try {
        await pipeline(
          content,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              size += chunk.length;
              if (size > maxBytes) throw new UploadRejected('too-large', `more than ${maxBytes} bytes`);
              if (!checked) {
                head = Buffer.concat([head, chunk]).subarray(0, SNIFF_BYTES);
                if (head.length >= SNIFF_BYTES) check();
              }
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(tmp),
        );
        if (size === 0) throw new UploadRejected('empty', 'empty file');
        if (!checked) check();
        const sha256 = hash.digest('hex');
        const key = `${randomBytes(16).toString('hex')}.${type!.extension}`;
        await fs.mkdir(path.dirname(where(key)), { recursive: true });
        await fs.rename(tmp, where(key));
        return { key, sha256, sizeBytes: size, type: type! };
      } catch (e) {
        await fs.rm(tmp, { force: true });
        // A stream given up on mid-way: drain nothing more, the caller answers.
        content.resume();
        throw e;
      }
    },
    async get(key) {
      if (!KEY.test(key)) return undefined;
      try {
        await fs.access(where(key));
      } catch {
        return undefined;
      }
      return createReadStream(where(key));
    },
    async delete(key) {
      if (!KEY.test(key)) return;
      await fs.rm(where(key), { force: true });
    },
  };
}
