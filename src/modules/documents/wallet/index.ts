/**
 * The wallet (kho dữ liệu điện tử) of the documents module: the service (items, uploads, sharing links,
 * consents, agencies' fetch), its pages and API, its entries in the shell, and the port dossiers use to
 * reuse items and deliver signed results. Wired by the documents module's index.ts.
 */
import path from 'node:path';
import type { AppInstance } from '../../../platform/http/index.ts';
import { walletNavigation } from './wallet.navigation.ts';
import { walletPages } from './wallet.pages.tsx';
import { walletRoutes } from './wallet.routes.ts';
import { createWalletService, type WalletDeps } from './wallet.service.ts';

export { WALLET_PAGE } from './wallet.navigation.ts';
export type {
  AddItemInput,
  AgencyClient,
  DataAccessRecord,
  DeliverResultInput,
  FetchAnswer,
  FetchRequest,
  Metadata,
  PdfVerdict,
  WalletDeps,
  WalletItem,
  WalletItemForDossier,
  WalletPort,
  WalletService,
} from './wallet.service.ts';

export function createWallet(deps: WalletDeps) {
  const { service, port } = createWalletService(deps);
  return {
    service,
    port,
    navigation: walletNavigation,
    /** Fastify plugin: the API and the pages (registered encapsulated: the upload form's multipart parser stays here). */
    async routes(app: AppInstance) {
      await app.register(async (scope) => {
        await walletRoutes(scope, { service });
        await walletPages(scope, { service });
      });
    },
  };
}

export type Wallet = ReturnType<typeof createWallet>;
/** Where wallet files go by default, under DATA_DIR. */
export const walletBlobDir = (dataDir: string) => path.join(dataDir, 'documents', 'wallet');
