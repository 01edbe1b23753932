/**
 * The wallet's consents and agencies' fetch: the owner consents that an agency fetch from their wallet
 * (and revokes it, and sees who fetched); an agency system fetches the items it asks for, only with a
 * live consent, and downloads their files by signed links that work a few minutes.
 */
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../../platform/audit/index.ts';
import { isIsoDate, vietnamDate } from '../../../platform/clock/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../platform/errors/index.ts';
import { clean, type WalletCore } from './wallet.core.ts';
import {
  checkSignedFile,
  expiryOf,
  FETCH_LINK_SECONDS,
  ownerIdentifier,
  signedFilePath,
} from './wallet.domain.ts';
import * as repo from './wallet.repository.ts';
import type { AgencyClient, FetchAnswer, FetchRequest, WalletDeps } from './wallet.types.ts';

export function createWalletAgencies(deps: WalletDeps, core: WalletCore) {
  const { db, clock } = deps;
  const { today, view, bytesOf } = core;

  return {
    // --- consents and agencies' fetches ---

    async giveConsent(
      ownerId: string,
      input: { agencyCode: string; procedureCode?: string; validUntil: string },
    ) {
      const errors: Array<{ path: string; message: string }> = [];
      const agencyCode = input.agencyCode.trim().toUpperCase();
      if (
        !/^[A-ZĐ0-9][A-ZĐ0-9-]{1,39}$/.test(agencyCode) ||
        (deps.agencyName && !(await deps.agencyName(agencyCode)))
      )
        errors.push({ path: 'agencyCode', message: `Không có cơ quan mã “${agencyCode.slice(0, 40)}”.` });
      const procedureCode = clean(input.procedureCode, 41);
      if (procedureCode && !/^[0-9A-Za-z.\-_]{1,40}$/.test(procedureCode))
        errors.push({ path: 'procedureCode', message: 'Mã thủ tục không hợp lệ.' });
      const until = input.validUntil.trim();
      const maxDate = vietnamDate(new Date(clock.now().getTime() + 366 * 86_400_000));
      if (!isIsoDate(until) || until < today() || until > maxDate)
        errors.push({ path: 'validUntil', message: 'Chọn ngày hết hạn từ hôm nay đến tối đa 1 năm.' });
      if (errors.length > 0) throw new ValidationError('Chưa ghi nhận được sự đồng ý.', errors);
      // Through the end of that day in Vietnam.
      const validUntil = new Date(`${until}T23:59:59.999+07:00`);
      const id = randomUUID();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.insertConsent(trx, { id, ownerId, agencyCode, procedureCode, validUntil, createdAt: now });
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.consent-given',
            subject: `wallet-consent:${id}`,
            data: { agencyCode, procedureCode, validUntil: validUntil.toISOString() },
          },
          now,
        );
      });
      return { id, validUntil };
    },

    async consents(ownerId: string) {
      const now = clock.now();
      const rows = await repo.consentsOf(db, ownerId);
      const names = new Map<string, string | undefined>();
      for (const code of new Set(rows.map((c) => c.agencyCode)))
        names.set(code, await deps.agencyName?.(code));
      return rows.map((c) => ({
        ...c,
        agencyName: names.get(c.agencyCode) ?? null,
        live: !c.revokedAt && c.validUntil.getTime() > now.getTime(),
      }));
    },

    async revokeConsent(ownerId: string, id: string) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.revokeConsentRow(trx, ownerId, id, now)))
          throw new NotFoundError('Không tìm thấy sự đồng ý còn hiệu lực.');
        await appendAudit(
          trx,
          {
            actor: `account:${ownerId}`,
            action: 'wallet.consent-revoked',
            subject: `wallet-consent:${id}`,
            data: {},
          },
          now,
        );
      });
    },

    /** Who fetched from the owner's wallet ("ai đã truy cập dữ liệu của tôi"). */
    fetches: (ownerId: string) => repo.fetchesOf(db, ownerId),

    /**
     * An agency system's fetch (the e-document store's request shape): only with a live consent of the
     * owner for one of the client's agencies (and the procedure, when the consent names one); only items
     * of the type (MaKetQua) and number (SoKyHieu) asked; files by links that work a few minutes. An
     * unknown owner is refused like a missing consent (nothing is disclosed).
     */
    async fetch(client: AgencyClient, body: FetchRequest): Promise<FetchAnswer> {
      const missing = () =>
        new ForbiddenError(
          'Chủ sở hữu chưa đồng ý cho cơ quan của bạn khai thác dữ liệu trong kho (hoặc sự đồng ý đã hết hạn, bị thu hồi). / The owner has not consented to your agency fetching from their wallet.',
          { reason: 'consent-missing' },
        );
      const idNumber = ownerIdentifier(body.SoDinhDanhChuSoHuu);
      if (!idNumber)
        throw new ValidationError('Số định danh chủ sở hữu không hợp lệ.', [
          { path: 'SoDinhDanhChuSoHuu', message: '12 chữ số (cá nhân) hoặc mã số thuế' },
        ]);
      const ownerId = await deps.accountByIdNumber(idNumber);
      if (!ownerId) throw missing();
      const now = clock.now();
      const procedureCode = clean(body.MaThuTuc, 40);
      const consent = await repo.liveConsent(db, ownerId, client.agencyCodes, procedureCode, now);
      if (!consent) throw missing();
      const wanted = body.DanhSachDanhMucKetQua.map((w) => ({
        documentType: w.MaKetQua.trim(),
        number: clean(w.SoKyHieu ?? null, 100),
      }));
      const items = (await repo.itemsMatching(db, ownerId, wanted)).filter(
        (i) => expiryOf(i.expiresOn, today()) !== 'expired',
      );
      const key = await deps.linkKey();
      const expires = Math.floor(now.getTime() / 1000) + FETCH_LINK_SECONDS;
      await db.transaction().execute(async (trx) => {
        await repo.insertFetch(trx, {
          at: now,
          clientId: client.clientId,
          clientName: client.clientName,
          agencyCode: consent.agencyCode,
          ownerId,
          consentId: consent.id,
          procedureCode,
          channel: body.KenhThucHien === undefined ? null : String(body.KenhThucHien).slice(0, 20),
          requesterName: clean(body.HoTenNguoiYeuCau, 200),
          requesterIdNumber: clean(body.SoDinhDanhNguoiYeuCau, 20),
          requested: wanted,
          itemIds: items.map((i) => i.id),
        });
        await deps.recordDataAccess?.(trx, {
          accountId: ownerId,
          accessorKind: 'client',
          accessorId: client.clientId,
          accessorName: client.clientName,
          purpose: `Khai thác kho dữ liệu điện tử${procedureCode ? ` (thủ tục ${procedureCode})` : ''}`,
          fields: ['KhoDuLieu'],
        });
        await appendAudit(
          trx,
          {
            actor: `client:${client.clientId}`,
            action: 'wallet.fetched',
            subject: `account:${ownerId}`,
            data: { consent: consent.id, items: items.map((i) => i.id) },
          },
          now,
        );
      });
      return {
        DanhSachGiayToKetQua: items.map((i) => ({
          MaKetQua: i.documentType,
          TenGiayTo: i.title,
          SoKyHieu: i.number,
          CoQuanChuQuan: i.issuer,
          DanhSachTepDinhKem: [
            { TenTep: view(i).fileName, DuongDan: `${deps.publicUrl}${signedFilePath(key, i.id, expires)}` },
          ],
        })),
      };
    },

    /** The file behind an agency's signed link (404 for a forged or expired one, like an unknown item). */
    async fileByLink(itemId: string, expires: number, sig: string) {
      const verdict = checkSignedFile(await deps.linkKey(), itemId, expires, sig, clock.now());
      if (verdict !== 'ok') throw new NotFoundError('Liên kết tải tệp không hợp lệ hoặc đã hết hạn.');
      const r = await repo.itemById(db, itemId);
      if (!r || r.deletedAt) throw new NotFoundError('Liên kết tải tệp không hợp lệ hoặc đã hết hạn.');
      return { item: view(r), bytes: await bytesOf(r) };
    },
  };
}
