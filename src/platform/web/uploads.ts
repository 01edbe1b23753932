/**
 * Multipart forms whose files are small enough to hold in memory (a scan at the certifying counter, a
 * PDF to verify): registered in the calling plugin's scope, each file part becomes `{ fileName, bytes,
 * type }` in `request.body` beside the text fields (so the CSRF check reads `_csrf` as for any form).
 * A file past `maxBytes` becomes `{ fileName, error: 'too-large' }` and the rest of the form is still
 * read, so the page can answer beside the field instead of with a 413.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { type Sniffed, sniff } from '../files/index.ts';

export type UploadedFile =
  | { fileName: string; bytes: Buffer; type: Sniffed | undefined }
  | { fileName: string; error: 'too-large' | 'empty' };

export function isUploadedFile(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && 'fileName' in v && ('bytes' in v || 'error' in v);
}

export async function registerMemoryUploads(
  app: FastifyInstance,
  options: { maxBytes: number; files?: number },
): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: options.maxBytes, files: options.files ?? 1, fields: 50, fieldSize: 16 * 1024 },
    throwFileSizeLimit: false,
    async onFile(part: MultipartFile) {
      const target = part as unknown as { value?: UploadedFile };
      const fileName = (part.filename ?? '').normalize('NFC').slice(0, 255);
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated) {
        target.value = { fileName, error: 'too-large' };
        return;
      }
      const bytes = Buffer.concat(chunks);
      target.value =
        bytes.length === 0
          ? { fileName, error: 'empty' }
          : { fileName, bytes, type: sniff(bytes.subarray(0, 16)) };
    },
  });
}
