/**
 * The wallet (kho dữ liệu điện tử) of the documents module: the service (items, uploads, sharing links,
 * consents, agencies' fetch), its pages and API, its entries in the shell, and the port dossiers use to
 * reuse items and deliver signed results. Wired by the documents module's index.ts:
 *
 *   const wallet = createWallet({
 *     db, clock, publicUrl,
 *     blobs,                                   // the same store as certification (copies share its files)
 *     verify: (pdf) => …verification of the signatures, trust, office and copy revocation…,
 *     signResult: (input) => …stamp and sign a dossier's result…,
 *     accountByIdNumber: deps.accounts.byIdNumber,
 *     linkKey: () => secrets.get('wallet-links'),
 *     agencyName, contactOf: deps.accounts.contactOf, recordDataAccess,   // identity's, optional
 *   });
 *   await wallet.routes(app); navigation: wallet.navigation; dossiers get wallet.port.
 *
 * Agencies' fetch needs the client scope `documents` (identity: MACHINE_SCOPES and the provider's scopes).
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
