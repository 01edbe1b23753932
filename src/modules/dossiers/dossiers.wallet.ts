/**
 * The dossiers' side of the wallet (kho dữ liệu điện tử, the documents module's, reached through
 * `WalletPort`):
 *
 * - Reuse: a document of the applicant's wallet taken for a file slot instead of an upload. Its bytes are
 *   copied into the dossiers' blob store (the dossier stays self-contained whatever becomes of the wallet
 *   item) as one of the account's staged uploads, which records the wallet item and the portal's verdict
 *   on it at that moment; the attachment made from the upload inherits both (repository `claimUploads`),
 *   the officer is shown the verdict, and the exchange records say `DuocTaiSuDung`/`DuocLayTuKhoDMQG` = 1.
 * - Results: when a dossier's result is returned (status 10), an outbox message `dossier.result-to-wallet`
 *   is enqueued (once per change); its handler, after commit and outside any transaction, delivers each
 *   result PDF to the applicant's wallet as a signed document and records the wallet item on the
 *   attachment — at least once (a failure is retried by the outbox), and a second delivery of the message
 *   delivers nothing again. Files other than PDFs are not signed documents: skipped, with a log line.
 */
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import {
  type BlobStore,
  DEFAULT_ACCEPT,
  type StoredBlob,
  UploadRejected,
} from '../../platform/files/index.ts';
import { STATUS } from '../../platform/kernel/index.ts';
import { enqueue, type OutboxMessage } from '../../platform/outbox/index.ts';
import { storedFileName } from '../../platform/security/index.ts';
import type { WalletItemForDossier, WalletPort } from './dossiers.ports.ts';
import type { DossiersTables, WalletVerdict } from './dossiers.tables.ts';
import type { StatusChange } from './exchange.ts';

/** Outbox topic: deliver a returned dossier's result PDFs to the applicant's wallet. */
export const RESULT_TO_WALLET = 'dossier.result-to-wallet';

/** Where a line about a skipped or delivered result goes (the app's logger, pino-shaped). */
export interface WalletLog {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
}

const quiet: WalletLog = { info: () => undefined, warn: () => undefined };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const NO_WALLET = 'Kho dữ liệu điện tử chưa được kết nối với Cổng: hãy tải tệp lên từ máy của bạn.';

/** The verdict as the dossier keeps it (jsonb). */
export function verdictOf(item: WalletItemForDossier): WalletVerdict {
  const v = item.verification;
  return {
    verified: v.verified,
    summary: { vi: v.summary.vi.slice(0, 500), en: v.summary.en.slice(0, 500) },
    signer: v.signer?.slice(0, 300) ?? null,
    checkedAt: new Date(v.checkedAt).toISOString(),
  };
}

export interface WalletReuseDeps {
  db: Kysely<DossiersTables>;
  blobs: BlobStore;
  /** Absent: the wallet is not wired; filing offers uploads only and the API answers 404. */
  wallet?: WalletPort | undefined;
  maxBytes: number;
}

export function createWalletReuse(deps: WalletReuseDeps) {
  const { db, blobs, wallet, maxBytes } = deps;

  function port(): WalletPort {
    if (!wallet) throw new NotFoundError(NO_WALLET);
    return wallet;
  }

  return {
    /** Whether filing may offer "Lấy từ kho dữ liệu". */
    walletEnabled: wallet !== undefined,

    /** The account's wallet items usable in a dossier (empty without a wallet), newest first. */
    async walletItems(accountId: string): Promise<WalletItemForDossier[]> {
      return wallet ? wallet.listForOwner(accountId) : [];
    },

    /**
     * A document of the account's own wallet as one of their staged uploads, for a file slot: verified by
     * the wallet now, its bytes copied into the blob store (their type found by content, checked against
     * the slot's), the item and the verdict recorded. 404 when the wallet is not wired or the item is not
     * theirs (or deleted); 400 when the slot does not take its type or size, or its content is not the
     * one the wallet describes.
     */
    async uploadFromWallet(
      accountId: string,
      input: {
        walletItemId: string;
        documentCode?: string | undefined;
        accept?: readonly string[] | undefined;
        maxBytes?: number | undefined;
      },
    ) {
      const w = port();
      const notTheirs = new NotFoundError('Không tìm thấy giấy tờ này trong kho dữ liệu của bạn.');
      if (!UUID.test(input.walletItemId)) throw notTheirs;
      const taken = await w.takeForDossier(accountId, input.walletItemId);
      if (!taken) throw notTheirs;
      const { item, bytes } = taken;
      const accept = input.accept && input.accept.length > 0 ? input.accept : DEFAULT_ACCEPT;
      const name = storedFileName(item.fileName || `${item.title}.pdf`);
      const path = input.documentCode ?? 'walletItemId';
      const refuse = (message: string) => new ValidationError(message, [{ path, message }]);
      const limit = Math.min(input.maxBytes ?? maxBytes, maxBytes);
      let stored: StoredBlob;
      try {
        stored = await blobs.put(Readable.from([bytes]), {
          maxBytes: limit,
          accept: (t) => !!t && accept.includes(t.mediaType),
        });
      } catch (e) {
        if (!(e instanceof UploadRejected)) throw e;
        throw refuse(
          e.reason === 'too-large'
            ? `Giấy tờ “${item.title}” lớn hơn ${Math.round(limit / 1024 / 1024)} MB cho phép ở mục này.`
            : e.reason === 'empty'
              ? `Giấy tờ “${item.title}” trống.`
              : `Giấy tờ “${item.title}” không đúng định dạng mục này nhận (${accept.map((a) => a.split('/')[1]!.toUpperCase()).join(', ')}).`,
        );
      }
      if (stored.sha256 !== item.sha256) {
        await blobs.delete(stored.key);
        throw refuse(
          `Nội dung giấy tờ “${item.title}” không khớp với kho dữ liệu (dấu vân tay khác); hãy thử lại hoặc tải tệp lên.`,
        );
      }
      const verification = verdictOf(item);
      const row = await db
        .insertInto('dossiers.uploads')
        .values({
          account_id: accountId,
          document_code: input.documentCode ?? null,
          file_name: name,
          media_type: stored.type.mediaType,
          size_bytes: stored.sizeBytes,
          sha256: stored.sha256,
          blob_key: stored.key,
          wallet_item_id: item.id,
          verification: JSON.stringify(verification),
        })
        .returning(['id', 'file_name', 'media_type', 'size_bytes', 'sha256'])
        .executeTakeFirstOrThrow();
      return {
        ...row,
        size_bytes: Number(row.size_bytes),
        reuse: { walletItemId: item.id, verification },
        title: item.title,
      };
    },
  };
}

export type WalletReuse = ReturnType<typeof createWalletReuse>;

/**
 * The status-change listener: a dossier whose result was returned gets one `dossier.result-to-wallet`
 * message (the same change told twice enqueues it once).
 */
export function resultReturnedListener(db: AnyDb) {
  return async (change: StatusChange) => {
    if (change.topic !== 'dossier.status-changed' || change.to.status !== STATUS.returned) return;
    await enqueue(
      db,
      RESULT_TO_WALLET,
      { code: change.code },
      { dedupeKey: `${change.code}@${change.revision}` },
    );
  };
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * The `dossier.result-to-wallet` handler: each result PDF of the dossier not yet delivered goes to the
 * applicant's wallet, and the attachment records the item it became (only if still undelivered, so two
 * deliveries racing record one). Throws (and the outbox retries) when the wallet fails or a file's content
 * is gone; what was delivered before the failure is not delivered again.
 */
export function resultDelivery(deps: {
  db: Kysely<DossiersTables>;
  blobs: BlobStore;
  wallet: WalletPort;
  clock: { now(): Date };
  /** The issuing agency's name for the wallet (agencies module); the code when unknown. */
  agencyName(code: string): Promise<string | undefined>;
  log?: WalletLog | undefined;
}) {
  const log = deps.log ?? quiet;
  return async (message: OutboxMessage) => {
    const { code } = message.payload as { code: string };
    const dossier = await deps.db
      .selectFrom('dossiers.dossiers')
      .select([
        'code',
        'applicant_account_id',
        'procedure_name',
        'competent_agency_code',
        'returned_at',
        'outcome',
      ])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!dossier) return;
    const results = await deps.db
      .selectFrom('dossiers.attachments')
      .select(['id', 'file_name', 'media_type', 'blob_key', 'uploaded_at'])
      .where('dossier_code', '=', code)
      .where('purpose', '=', 'result')
      .where('deleted_at', 'is', null)
      .where('delivered_item_id', 'is', null)
      .orderBy('uploaded_at')
      .orderBy('id')
      .execute();
    if (results.length === 0) return;
    const issuer = (await deps.agencyName(dossier.competent_agency_code)) ?? dossier.competent_agency_code;
    for (const r of results) {
      if (r.media_type !== 'application/pdf') {
        log.info(
          { dossier: code, attachment: r.id, mediaType: r.media_type },
          'dossier result not delivered to the wallet: only PDFs are signed documents',
        );
        continue;
      }
      const stream = await deps.blobs.get(r.blob_key);
      if (!stream) throw new Error(`dossier ${code}: the content of result ${r.id} is not in the blob store`);
      const { itemId } = await deps.wallet.deliverResult({
        ownerId: dossier.applicant_account_id,
        dossierCode: code,
        // A refusal's written answer is what such a dossier returns: named as such, not as a grant.
        title:
          `${dossier.outcome === 'rejected' ? 'Văn bản trả lời không giải quyết' : 'Kết quả giải quyết'}: ${dossier.procedure_name}`.slice(
            0,
            500,
          ),
        issuer,
        agencyCode: dossier.competent_agency_code,
        pdf: await bytesOf(stream),
        fileName: r.file_name,
        issuedAt: dossier.returned_at ?? r.uploaded_at,
      });
      await deps.db
        .updateTable('dossiers.attachments')
        .set({ delivered_item_id: itemId, delivered_at: deps.clock.now() })
        .where('id', '=', r.id)
        .where('delivered_item_id', 'is', null)
        .execute();
      log.info(
        { dossier: code, attachment: r.id, walletItem: itemId },
        'dossier result delivered to the wallet',
      );
    }
  };
}
