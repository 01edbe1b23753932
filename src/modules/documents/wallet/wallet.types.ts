/**
 * The wallet's types: what the module wires in (`WalletDeps`, the verification's `PdfVerdict`), what
 * dossiers see through the `WalletPort`, the items as the service gives them, share openings, and the
 * agencies' fetch in the e-document store's request shape. Re-exported by wallet.service.ts.
 */
import type { Clock } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { BlobStore } from '../../../platform/files/index.ts';
import type { expiryOf, ItemKind } from './wallet.domain.ts';
import type * as repo from './wallet.repository.ts';

/** What the verification service says of a PDF's signatures (wired by the module to verification/). */
export interface PdfVerdict {
  valid: boolean;
  reasons: Array<{ code: string; vi: string; en: string }>;
  signerName: string | null;
}

export interface WalletItemForDossier {
  id: string;
  kind: 'certified-copy' | 'dossier-result' | 'upload';
  documentType: string;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** the portal's own check, now: a signed PDF verified (signature intact, chain trusted, not revoked, copy not revoked) */
  verification: {
    verified: boolean;
    checkedAt: Date;
    summary: { vi: string; en: string };
    signer: string | null;
  };
}

export interface DeliverResultInput {
  ownerId: string;
  dossierCode: string;
  title: string;
  issuer: string;
  agencyCode: string;
  pdf: Buffer;
  fileName: string;
  issuedAt: Date;
}

export interface WalletPort {
  /** The owner's items usable in a dossier (not deleted, not expired), newest first. */
  listForOwner(ownerId: string): Promise<WalletItemForDossier[]>;
  /** One item of the owner with its bytes, verified now; undefined if not theirs / deleted. */
  takeForDossier(
    ownerId: string,
    itemId: string,
  ): Promise<{ item: WalletItemForDossier; bytes: Buffer } | undefined>;
  /** A dossier's result PDF delivered to the applicant's wallet as a signed document. */
  deliverResult(input: DeliverResultInput): Promise<{ itemId: string }>;
}

/** A machine caller (request.machine of the identity module). */
export interface AgencyClient {
  clientId: string;
  clientName: string;
  agencyCodes: string[];
}

/** The person whose data was read, as identity's "who accessed my data" log takes it. */
export interface DataAccessRecord {
  accountId: string;
  accessorKind: 'officer' | 'client';
  accessorId: string;
  accessorName: string;
  purpose: string;
  fields: string[];
}

export interface WalletDeps {
  db: AnyDb;
  clock: Clock;
  blobs: BlobStore;
  /** The portal's address (links in notifications and in agencies' answers). */
  publicUrl: string;
  /** Verification of a PDF's signatures (trusted roots, office revocations, copy revocation). */
  verify(pdf: Buffer): Promise<PdfVerdict>;
  /** Stamps and signs a dossier's result (the lead's signing); the signed PDF. */
  signResult(input: DeliverResultInput): Promise<Buffer>;
  /** The account of a personal ID number or tax code (SoDinhDanhChuSoHuu). */
  accountByIdNumber(idNumber: string): Promise<string | undefined>;
  /** The installation secret of the agencies' signed download links and of address hashes. */
  linkKey(): Promise<Buffer>;
  /** Whether an agency code exists (the consent form); all codes of the right shape when absent. */
  agencyName?(code: string): Promise<string | undefined>;
  /** Where to reach the owner (SMS, e-mail) besides the portal inbox. */
  contactOf?(accountId: string): Promise<{ sms: string | null; email: string | null } | undefined>;
  /** Identity's "who accessed my data" log (`recordDataAccess`), in the fetch's transaction. */
  recordDataAccess?(db: AnyDb, a: DataAccessRecord): Promise<void>;
}

export interface AddItemInput {
  ownerId: string;
  kind: ItemKind;
  documentType: string;
  title: string;
  issuer?: string | null | undefined;
  number?: string | null | undefined;
  issuedOn?: string | null | undefined;
  expiresOn?: string | null | undefined;
  bytes: Buffer;
  fileName?: string | undefined;
  certificationId?: string | null | undefined;
  dossierCode?: string | null | undefined;
  signed: boolean;
  /** A delivered result: the SHA-256 of the unsigned PDF (idempotence across signings). */
  sourceSha256?: string | null | undefined;
  /**
   * The bytes are already in the wallet's blob store under this key, owned by the caller (a certified
   * copy shares its certification's signed file): nothing is stored, and nothing removed on a repeat.
   */
  blobKey?: string | undefined;
}

export interface Metadata {
  documentType: string;
  title: string;
  issuer?: string | undefined;
  number?: string | undefined;
  issuedOn?: string | undefined;
  expiresOn?: string | undefined;
}

export type WalletItem = Omit<repo.ItemRow, 'blobKey' | 'fileName' | 'sourceSha256'> & {
  fileName: string;
  expiry: ReturnType<typeof expiryOf>;
};

export type ShareOpening =
  | {
      state: 'live';
      item: WalletItem;
      expiresAt: Date;
      verification: WalletItemForDossier['verification'] | null;
    }
  | { state: 'expired' | 'revoked' | 'deleted' | 'unknown' };

export interface FetchRequest {
  SoDinhDanhChuSoHuu: string;
  HoTenNguoiYeuCau?: string | undefined;
  KenhThucHien?: string | number | undefined;
  SoDinhDanhNguoiYeuCau?: string | undefined;
  MaThuTuc?: string | undefined;
  DanhSachDanhMucKetQua: Array<{ MaKetQua: string; SoKyHieu?: string | null | undefined }>;
}

export interface FetchAnswer {
  DanhSachGiayToKetQua: Array<{
    MaKetQua: string;
    TenGiayTo: string;
    SoKyHieu: string | null;
    CoQuanChuQuan: string | null;
    DanhSachTepDinhKem: Array<{ TenTep: string; DuongDan: string }>;
  }>;
}
