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
import type { AppInstance } from '../../../platform/http/index.ts';
import { registerMemoryUploads } from '../../../platform/web/index.ts';
import { UPLOAD_MAX_BYTES } from './wallet.domain.ts';
import { walletItemPages } from './wallet.item.pages.tsx';
import { walletListPages } from './wallet.list.pages.tsx';
import type { WalletService } from './wallet.service.ts';
import { walletSharePages } from './wallet.share.pages.tsx';

export interface WalletPagesOptions {
  service: WalletService;
}

export async function walletPages(app: AppInstance, { service }: WalletPagesOptions) {
  // The upload form's file, kept in memory up to the limit (10 MB) and checked by the service.
  await registerMemoryUploads(app, { maxBytes: UPLOAD_MAX_BYTES, files: 1 });
  walletListPages(app, service);
  walletItemPages(app, service);
  walletSharePages(app, service);
}
