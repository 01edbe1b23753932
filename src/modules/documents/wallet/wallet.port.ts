/**
 * The `WalletPort` dossiers use: the owner's items usable in a dossier, one taken with its bytes and
 * verified now, and a dossier's result delivered to the applicant's wallet signed (idempotent on the
 * dossier and file), the owner notified.
 */
import { vietnamDate } from '../../../platform/clock/index.ts';
import { notifyAccount } from '../../notifications/index.ts';
import { sha256, type WalletCore } from './wallet.core.ts';
import { expiryOf } from './wallet.domain.ts';
import type { WalletItems } from './wallet.items.ts';
import * as repo from './wallet.repository.ts';
import type { WalletDeps, WalletItemForDossier, WalletPort } from './wallet.types.ts';

export function createWalletPort(
  deps: WalletDeps,
  core: WalletCore,
  addItemWith: WalletItems['addItemWith'],
): WalletPort {
  const { db } = deps;
  const { today, bytesOf, verificationOf, forDossier } = core;

  const port: WalletPort = {
    async listForOwner(ownerId) {
      const rows = (await repo.itemsOf(db, ownerId, {}, 200)).filter(
        (r) => expiryOf(r.expiresOn, today()) !== 'expired',
      );
      const out: WalletItemForDossier[] = [];
      for (const r of rows) {
        const verification = r.signed
          ? await verificationOf(r, await bytesOf(r))
          : await verificationOf(r, Buffer.alloc(0));
        out.push(forDossier(r, verification));
      }
      return out;
    },

    async takeForDossier(ownerId, itemId) {
      const r = await repo.itemOf(db, ownerId, itemId);
      if (!r) return undefined;
      const bytes = await bytesOf(r);
      return { item: forDossier(r, await verificationOf(r, bytes)), bytes };
    },

    async deliverResult(input) {
      const sourceSha256 = sha256(input.pdf);
      const existing = await repo.findSameItem(db, {
        ownerId: input.ownerId,
        kind: 'dossier-result',
        certificationId: null,
        dossierCode: input.dossierCode,
        sha256: sourceSha256,
        sourceSha256,
      });
      if (existing) return { itemId: existing.id };
      const signed = await deps.signResult(input);
      const issuedOn = vietnamDate(input.issuedAt);
      const contact = await deps.contactOf?.(input.ownerId);
      const { itemId } = await addItemWith(
        {
          ownerId: input.ownerId,
          kind: 'dossier-result',
          documentType: 'ket-qua-thu-tuc',
          title: input.title,
          issuer: input.issuer,
          number: input.dossierCode,
          issuedOn: [issuedOn, today()].sort()[0],
          bytes: signed,
          fileName: input.fileName,
          dossierCode: input.dossierCode,
          signed: true,
          sourceSha256,
        },
        undefined,
        (trx, id) =>
          notifyAccount(trx, {
            ...(contact ?? {}),
            accountId: input.ownerId,
            template: 'wallet.result-delivered',
            params: {
              code: input.dossierCode,
              title: input.title,
              agency: input.issuer,
              link: `${deps.publicUrl}/kho-du-lieu/${id}`,
            },
            dedupeKey: `wallet.result-delivered:${id}`,
          }),
      );
      return { itemId };
    },
  };

  return port;
}
