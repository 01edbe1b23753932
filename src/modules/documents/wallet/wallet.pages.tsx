/**
 * The wallet's pages, Vietnamese first, all working without JavaScript: `/kho-du-lieu` (the owner's items
 * with filters, the upload form, consents for agencies and who fetched), `/kho-du-lieu/{id}` (one item:
 * metadata, verification, download, editing an upload, sharing links, removal) and the public page of a
 * sharing link `/chia-se/{token}` (410 once expired or revoked). Forms post back to the page, which shows
 * problems beside their fields.
 *
 * Here the upload form's multipart parser; the pages in wallet.list.pages.tsx (the owner's list, upload
 * and consents), wallet.item.pages.tsx (one item and its sharing links) and wallet.share.pages.tsx (the
 * public page of a link), what they share in wallet.page-parts.tsx.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { AppInstance } from '../../../platform/http/index.ts';
import { UPLOAD_MAX_BYTES } from './wallet.domain.ts';
import { walletItemPages } from './wallet.item.pages.tsx';
import { walletListPages } from './wallet.list.pages.tsx';
import type { FileField } from './wallet.page-parts.tsx';
import type { WalletService } from './wallet.service.ts';
import { walletSharePages } from './wallet.share.pages.tsx';

/** Reads what is left of a file part. */
async function drain(part: MultipartFile): Promise<void> {
  if (part.file.destroyed) return;
  try {
    for await (const _ of part.file) {
      // discard
    }
  } catch {
    // torn down already
  }
}

export interface WalletPagesOptions {
  service: WalletService;
}

export async function walletPages(app: AppInstance, { service }: WalletPagesOptions) {
  // The upload form's file, kept in memory up to the limit (10 MB) and checked by the service.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: UPLOAD_MAX_BYTES + 1, files: 1, fields: 20, fieldSize: 4 * 1024 },
    throwFileSizeLimit: false,
    async onFile(part: MultipartFile) {
      const target = part as unknown as { value?: FileField };
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of part.file) {
        size += (c as Buffer).length;
        if (size <= UPLOAD_MAX_BYTES + 1) chunks.push(c as Buffer);
      }
      await drain(part);
      const bytes = Buffer.concat(chunks);
      target.value = {
        content: () => bytes,
        fileName: (part.filename ?? '').normalize('NFC'),
        truncated: part.file.truncated || size > UPLOAD_MAX_BYTES,
      };
    },
  });
  walletListPages(app, service);
  walletItemPages(app, service);
  walletSharePages(app, service);
}
