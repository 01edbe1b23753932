/**
 * The wallet's sharing links: the owner shares one item by a time-limited link, lists and revokes its
 * links and sees who opened them; the public page and download of a link, logged whatever the outcome.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { appendAudit } from '../../../platform/audit/index.ts';
import { NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import type { WalletCore } from './wallet.core.ts';
import { hashToken, isShareLife, isShareToken, newShareToken, shareState } from './wallet.domain.ts';
import * as repo from './wallet.repository.ts';
import type { ShareOpening, WalletDeps } from './wallet.types.ts';

export function createWalletSharing(deps: WalletDeps, core: WalletCore) {
  const { db, clock } = deps;
  const { view, bytesOf, verificationOf, mine } = core;

  async function addressHash(address: string | undefined) {
    if (!address) return null;
    return createHmac('sha256', await deps.linkKey())
      .update(`address\n${address}`)
      .digest('hex');
  }

  async function openShare(token: string, what: 'view' | 'download', address?: string) {
    if (!isShareToken(token)) return { opening: { state: 'unknown' } as ShareOpening };
    const s = await repo.shareByTokenHash(db, hashToken(token));
    if (!s) return { opening: { state: 'unknown' } as ShareOpening };
    const now = clock.now();
    const item = await repo.itemById(db, s.itemId);
    const state = shareState(s, now);
    const outcome = state === 'live' ? (item && !item.deletedAt ? 'served' : 'deleted') : state;
    await repo.logShareAccess(db, {
      shareId: s.id,
      at: now,
      what,
      outcome,
      addressHash: await addressHash(address),
    });
    if (outcome !== 'served' || !item)
      return { opening: { state: outcome === 'served' ? 'deleted' : outcome } as ShareOpening };
    return {
      opening: {
        state: 'live',
        item: view(item),
        expiresAt: s.expiresAt,
        verification: null,
      } as ShareOpening,
      row: item,
    };
  }

  return {
    // --- sharing links ---

    async createShare(ownerId: string, itemId: string, hours: number) {
      await mine(ownerId, itemId);
      if (!isShareLife(hours))
        throw new ValidationError('Thời hạn liên kết từ 1 giờ đến 30 ngày.', [
          { path: 'hours', message: 'Chọn thời hạn từ 1 giờ đến 30 ngày.' },
        ]);
      const { token, hash } = newShareToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + hours * 3_600_000);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertShare(trx, {
          id,
          itemId,
          tokenHash: hash,
          createdBy: ownerId,
          createdAt: now,
          expiresAt,
        });
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.share-created',
            subject: `wallet-item:${itemId}`,
            data: { share: id, expiresAt: expiresAt.toISOString() },
          },
          now,
        );
      });
      return { id, token, path: `/chia-se/${token}`, url: `${deps.publicUrl}/chia-se/${token}`, expiresAt };
    },

    async shares(ownerId: string, itemId: string) {
      await mine(ownerId, itemId);
      const now = clock.now();
      return (await repo.sharesOfItem(db, itemId)).map((s) => ({ ...s, state: shareState(s, now) }));
    },

    async revokeShare(ownerId: string, shareId: string) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.revokeShareRow(trx, ownerId, shareId, now)))
          throw new NotFoundError('Không tìm thấy liên kết chia sẻ còn hiệu lực.');
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.share-revoked',
            subject: `wallet-share:${shareId}`,
            data: {},
          },
          now,
        );
      });
    },

    shareAccesses: (shareId: string) => repo.shareAccesses(db, shareId),

    /** The public page of a link: logged whatever the outcome; a signed PDF verified now. */
    async viewShare(token: string, address?: string): Promise<ShareOpening> {
      const { opening, row } = await openShare(token, 'view', address);
      if (opening.state !== 'live' || !row?.signed) return opening;
      return { ...opening, verification: await verificationOf(row, await bytesOf(row)) };
    },

    async downloadShare(
      token: string,
      address?: string,
    ): Promise<{ opening: ShareOpening; bytes?: Buffer | undefined }> {
      const { opening, row } = await openShare(token, 'download', address);
      if (opening.state !== 'live' || !row) return { opening };
      return { opening, bytes: await bytesOf(row) };
    },
  };
}
