/**
 * The wallet (kho dữ liệu điện tử): each account's certified copies, signed dossier results and own
 * uploads. Items are added by certification and result delivery (idempotent on the copy, and on the
 * dossier and file), or uploaded by their owner (PDF, JPEG, PNG by content, at most 10 MB); owners edit
 * the metadata of their uploads, hide any item (a copy's certification stays), share one by a
 * time-limited link, and consent that an agency fetch from their wallet. Another owner's item is
 * answered like one that does not exist.
 *
 * The jobs live apart: wallet.core.ts (what they share), wallet.items.ts (items and uploads),
 * wallet.sharing.ts (sharing links), wallet.agencies.ts (consents and agencies' fetch), wallet.port.ts
 * (the `WalletPort` of dossiers); the types in wallet.types.ts, re-exported here.
 */
import { createWalletAgencies } from './wallet.agencies.ts';
import { createWalletCore } from './wallet.core.ts';
import { createWalletItems } from './wallet.items.ts';
import { createWalletPort } from './wallet.port.ts';
import { createWalletSharing } from './wallet.sharing.ts';
import type { WalletDeps } from './wallet.types.ts';

export type {
  AddItemInput,
  AgencyClient,
  DataAccessRecord,
  DeliverResultInput,
  FetchAnswer,
  FetchRequest,
  Metadata,
  PdfVerdict,
  ShareOpening,
  WalletDeps,
  WalletItem,
  WalletItemForDossier,
  WalletPort,
} from './wallet.types.ts';

export function createWalletService(deps: WalletDeps) {
  const core = createWalletCore(deps);
  const items = createWalletItems(deps, core);

  const service = {
    ...items.service,

    // --- sharing links ---
    ...createWalletSharing(deps, core),

    // --- consents and agencies' fetches ---
    ...createWalletAgencies(deps, core),
  };

  const port = createWalletPort(deps, core, items.addItemWith);

  return { service, port };
}

export type WalletService = ReturnType<typeof createWalletService>['service'];
