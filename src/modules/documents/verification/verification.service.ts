/**
 * Verification of a document for anyone (docs/documents.md, "Verify"): the PDF's signatures against the
 * trusted roots and the revocation of office certificates (signing/), then what the portal knows of the
 * file — a certified copy of an office's register, found by the SHA-256 of the exact file (or the code its
 * QR carries), and whether that copy was revoked; or a signed dossier result. The answer discloses only
 * what the document itself shows: the office, the register entry, the date, the document type and pages —
 * never the requester's name or ID number. Every verification is logged (`documents.verifications`),
 * with an HMAC of the client's address rather than the address.
 */
import { createHash, createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';
import {
  certificationByCode,
  certificationBySignedHash,
} from '../certification/certifications.repository.ts';
import { documentTypeName } from '../domain/document-types.ts';
import type { KeysService } from '../keys/keys.service.ts';
import { getOffice } from '../offices.repository.ts';
import { inspectPdfSignatures, type Reason, type SignatureVerdict } from '../signing/index.ts';

export type Channel = 'api' | 'page' | 'qr';

export interface CopyFacts {
  kind: 'certified-copy';
  code: string;
  office: string;
  registerNumber: number | null;
  book: string | null;
  certifiedAt: Date | null;
  documentType: { vi: string; en: string };
  pages: number;
  copies: number;
  status: 'issued' | 'pending' | 'cancelled';
  revoked: { at: Date; reason: string | null } | null;
}

export interface ResultFacts {
  kind: 'dossier-result';
  issuer: string | null;
  dossierCode: string | null;
  issuedOn: string | null;
}

export interface VerificationResult {
  valid: boolean;
  reasons: Array<{ code: string; vi: string; en: string; signature?: number }>;
  signatures: SignatureVerdict[];
  sha256: string;
  document: CopyFacts | ResultFacts | null;
  /** When a QR code was given with the file: whether the file is that copy. */
  matchesCode?: boolean;
}

const COPY_REVOKED = (at: Date, why: string | null) => ({
  code: 'copy-revoked',
  vi: `Bản sao đã bị cơ quan chứng thực thu hồi (${at.toISOString().slice(0, 10)})${why ? `: ${why}` : ''}.`,
  en: `The copy was revoked by the certifying office (${at.toISOString().slice(0, 10)})${why ? `: ${why}` : ''}.`,
});
const NOT_THIS_COPY = {
  code: 'not-this-copy',
  vi: 'Tệp không phải là bản sao mang mã xác thực này (có thể đã bị sửa hoặc là tệp khác).',
  en: 'The file is not the copy this verification code names (it may have been changed, or is another file).',
};

export function createVerificationService(deps: {
  db: AnyDb;
  keys: KeysService;
  /** The key of the address HMAC (an installation secret). */
  addressKey(): Promise<Buffer>;
}) {
  const { db } = deps;

  /** The copy of that code or signed file, with its id (for the log), or undefined. */
  async function copyFacts(
    code: string | undefined,
    sha256: string | undefined,
  ): Promise<{ id: string; facts: CopyFacts } | undefined> {
    const c = code
      ? await certificationByCode(db, code)
      : sha256
        ? await certificationBySignedHash(db, sha256)
        : undefined;
    if (!c) return undefined;
    const office = await getOffice(db, c.agency_code);
    const facts = {
      kind: 'certified-copy',
      code: c.public_code,
      office: office?.name ?? c.agency_code,
      registerNumber: c.register_number,
      book: c.book,
      certifiedAt: c.numbered_at,
      documentType: documentTypeName(c.document_type),
      pages: c.pages,
      copies: c.copies,
      status: c.status === 'issued' ? 'issued' : c.status === 'cancelled' ? 'cancelled' : 'pending',
      revoked: c.revoked_at ? { at: c.revoked_at, reason: c.revoked_reason } : null,
    } satisfies CopyFacts;
    return { id: c.id, facts };
  }

  async function resultFacts(sha256: string): Promise<ResultFacts | undefined> {
    const r = await sql<{ issuer: string | null; dossier_code: string | null; issued_on: string | null }>`
      select issuer, dossier_code, to_char(issued_on, 'YYYY-MM-DD') as issued_on from documents.items
       where kind = 'dossier-result' and sha256 = ${sha256} and signed limit 1`.execute(db);
    const x = r.rows[0];
    return x
      ? { kind: 'dossier-result', issuer: x.issuer, dossierCode: x.dossier_code, issuedOn: x.issued_on }
      : undefined;
  }

  async function log(input: {
    channel: Channel;
    sha256: string | null;
    certificationId: string | null;
    valid: boolean;
    reasons: string[];
    address: string | undefined;
  }) {
    const key = await deps.addressKey();
    const addressHash = input.address
      ? createHmac('sha256', key).update(input.address).digest('hex').slice(0, 32)
      : null;
    await sql`
      insert into documents.verifications (channel, sha256, certification_id, valid, reasons, address_hash)
      values (${input.channel}, ${input.sha256}, ${input.certificationId}, ${input.valid}, ${input.reasons}, ${addressHash})`.execute(
      db,
    );
  }

  /** The verdict on a file: its signatures, then what the register knows of it. */
  async function evaluate(bytes: Buffer, code: string | undefined) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The signatures and the register's knowledge of the file at the same time.
    const [verdict, copy] = await Promise.all([
      deps.keys.trustStore().then((trust) => inspectPdfSignatures(bytes, trust)),
      copyFacts(undefined, sha256),
    ]);
    const reasons: VerificationResult['reasons'] = verdict.reasons.map((r: Reason) => ({ ...r }));
    let document: VerificationResult['document'] = copy?.facts ?? null;
    if (!document && verdict.valid) document = (await resultFacts(sha256)) ?? null;
    let valid = verdict.valid;
    if (document?.kind === 'certified-copy' && document.revoked) {
      valid = false;
      reasons.push(COPY_REVOKED(document.revoked.at, document.revoked.reason));
    }
    let matchesCode: boolean | undefined;
    if (code) {
      matchesCode = document?.kind === 'certified-copy' && document.code === code;
      if (!matchesCode) {
        valid = false;
        reasons.push(NOT_THIS_COPY);
      }
    }
    const result: VerificationResult = {
      valid,
      reasons,
      signatures: verdict.signatures,
      sha256,
      document,
      ...(matchesCode === undefined ? {} : { matchesCode }),
    };
    return { result, certificationId: copy?.id ?? null };
  }

  return {
    /**
     * The portal's own check of a file it holds (the wallet's items, a document reused in a dossier): the
     * same verdict, not logged as a verification — nobody outside asked.
     */
    async check(bytes: Buffer): Promise<VerificationResult> {
      return (await evaluate(bytes, undefined)).result;
    },

    /** Verifies a file (the API, the upload page); with `code`, also whether it is that copy. */
    async verifyFile(
      bytes: Buffer,
      ctx: { channel: 'api' | 'page'; address?: string | undefined; code?: string | undefined },
    ): Promise<VerificationResult> {
      const { result, certificationId } = await evaluate(bytes, ctx.code);
      await log({
        channel: ctx.channel,
        sha256: result.sha256,
        certificationId,
        valid: result.valid,
        reasons: result.reasons.map((r) => r.code),
        address: ctx.address,
      });
      return result;
    },

    /** What the QR's link shows: the register entry of the copy with that code, and its state. */
    async lookupCode(code: string, ctx: { address?: string | undefined }): Promise<CopyFacts | undefined> {
      const copy = await copyFacts(code, undefined);
      const facts = copy?.facts;
      const valid = facts?.status === 'issued' && !facts.revoked;
      await log({
        channel: 'qr',
        sha256: null,
        certificationId: copy?.id ?? null,
        valid: Boolean(valid),
        reasons: facts ? (facts.revoked ? ['copy-revoked'] : []) : ['unknown-code'],
        address: ctx.address,
      });
      return facts;
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
