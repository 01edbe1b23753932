/**
 * Certification of copies from paper originals at an office's counter (docs/documents.md, "Certify"):
 * the certifier opens a certification with the scan, the fee is paid (cash at the counter or online),
 * and the copy is issued:
 *
 *  1. one transaction takes the register number (gapless: see registers.ts) and marks it `numbered`;
 *  2. outside any transaction, the stamp (certification block + QR) and the office's signature;
 *  3. one transaction stores the signed copy, marks it `issued`, puts it in the requester's wallet and
 *     tells them.
 *
 * A crash between 1 and 3 leaves a `numbered` row that the next delivery of the fee's effect, or the
 * `documents.finish-certifications` job, completes; whichever finishes second finds it issued and
 * throws its signed file away. Every state change writes an audit row in its transaction.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { appendAudit } from '../../../platform/audit/index.ts';
import type { Clock } from '../../../platform/clock/index.ts';
import type { AnyDb, AnyTransaction } from '../../../platform/db/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../platform/errors/index.ts';
import type { BlobStore } from '../../../platform/files/index.ts';
import { CERTIFIED_COPY_FORMULA, computeFee } from '../../catalogue/index.ts';
import { notifyAccount } from '../../notifications/index.ts';
import { getOffice } from '../offices.repository.ts';
import type { AddItemInput } from '../wallet/index.ts';
import {
  type CertificationRow,
  type CertificationSource,
  certificationById,
  unfinished,
} from './certifications.repository.ts';
import { takeNumber } from './registers.ts';

/** What the certification block printed on the copy says (stamp/). */
export interface CertificationBlock {
  registerNumber: number;
  book: string;
  certifiedAt: Date;
  office: { name: string; province?: string };
  certifier: { name: string; title: string };
  copies?: number;
  verifyUrl: string;
  copyCode: string;
}

/**
 * How a copy is made (wired in the module's index): the scan as a PDF, then the certification block
 * drawn and the office's signature made in one load and save of the PDF.
 */
export interface IssuingPorts {
  toPdf(bytes: Buffer, type: 'pdf' | 'jpg' | 'png'): Promise<{ pdf: Buffer; pages: number }>;
  stampAndSign(
    agencyCode: string,
    pdf: Buffer,
    block: CertificationBlock,
    meta: { reason: string; location: string; signingTime: Date },
  ): Promise<Buffer>;
}

/** What the payment platform does for the fee (wired in app.ts). */
export interface FeePort {
  /** The bill made payable online: its payment and the hosted checkout. */
  create(bill: CertificationBill): Promise<{ paymentId: string; checkoutUrl: string }>;
  /** Cash at the counter into the same ledger; answers the payment (the earlier one if already paid). */
  recordCash(bill: CertificationBill, officerId: string): Promise<{ paymentId: string; paidAt: Date }>;
}

export interface CertificationBill {
  certificationId: string;
  billKey: string;
  amount: number;
  description: string;
  agencyCode: string;
  payer: { accountId: string | null; name: string; idNumber: string | null };
  lineName: string;
}

/** The roles an office's officers act in here. */
export type OfficeRole = 'certifier' | 'agency-admin';

export interface Certifier {
  name: string;
  title: string;
}

export interface CertificationDeps {
  db: AnyDb;
  clock: Clock;
  blobs: BlobStore;
  publicUrl: string;
  issuing: IssuingPorts;
  fees: FeePort;
  can(accountId: string, role: OfficeRole, agencyCode: string): Promise<boolean>;
  certifierOf(accountId: string): Promise<Certifier>;
  /** The account's verified phone and e-mail, to tell them the copy is ready. */
  contactOf(accountId: string): Promise<{ sms: string | null; email: string | null } | undefined>;
  provinceName?(code: string): Promise<string | undefined>;
  /** The requester's wallet, in the transaction that issues the copy. */
  wallet: { addItem(input: AddItemInput, tx: AnyTransaction): Promise<unknown> };
  /** The appointment the certification came from is served (in the transaction that opens it). */
  appointmentServed?(appointmentId: string, certificationId: string, trx: AnyTransaction): Promise<void>;
}

export interface OpenInput {
  agencyCode: string;
  source: CertificationSource;
  appointmentId?: string | null;
  dossierCode?: string | null;
  requester: { accountId: string | null; name: string; idNumber: string | null };
  document: {
    type: string;
    title: string;
    issuer: string | null;
    number: string | null;
    date: string | null;
  };
  /** Pages of the original as the certifier counted them (the scan must have as many). */
  pages: number;
  copies: number;
  scan: { bytes: Buffer; type: 'pdf' | 'jpg' | 'png' };
  /** The API's Idempotency-Key and the hash of its request: the same key answers the same certification. */
  idempotency?: { key: string; requestHash: string } | undefined;
}

/** 12 Crockford base32 characters (60 bits), in groups of four: the code printed under the QR. */
export function newPublicCode(): string {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(12);
  let s = '';
  for (let i = 0; i < 12; i++) s += A[bytes[i]! & 31];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

export const billKeyOf = (id: string) => `certification-fee:${id}`;
export const parseBillKey = (key: string) => /^certification-fee:([0-9a-f-]{36})$/.exec(key)?.[1];
export const verifyPath = (code: string) => `/xac-thuc/${encodeURIComponent(code)}`;

/** The fee of Circular 226/2016/TT-BTC for the copies of an original of `pages` pages. */
export const certificationFee = (pages: number, copies: number) =>
  computeFee(CERTIFIED_COPY_FORMULA, { units: pages, quantity: copies });

const vietnamDate = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
const vietnamYear = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).getUTCFullYear();

export function createCertificationService(deps: CertificationDeps) {
  const { db, clock } = deps;

  async function mustCertify(accountId: string, agencyCode: string) {
    if (!(await deps.can(accountId, 'certifier', agencyCode)))
      throw new ForbiddenError(
        'Bạn không có quyền chứng thực tại cơ quan này / not a certifier of this office',
      );
  }

  async function storeBuffer(bytes: Buffer) {
    return deps.blobs.put(Readable.from([bytes]), {
      maxBytes: bytes.length + 1,
      accept: (t) => t?.mediaType === 'application/pdf',
    });
  }

  const billOf = (c: CertificationRow): CertificationBill => ({
    certificationId: c.id,
    billKey: billKeyOf(c.id),
    amount: c.fee,
    description: `Lệ phí chứng thực bản sao từ bản chính: ${c.document_title} (${c.pages} trang × ${c.copies} bản)`,
    agencyCode: c.agency_code,
    payer: { accountId: c.requester_account_id, name: c.requester_name, idNumber: c.requester_id_number },
    lineName: 'Lệ phí chứng thực bản sao từ bản chính',
  });

  const service = {
    /** Opens a certification at the counter: the scan stored, the fee computed; it waits for the fee. */
    async open(certifierId: string, input: OpenInput): Promise<CertificationRow & { replayed?: boolean }> {
      await mustCertify(certifierId, input.agencyCode);
      const replay = async () => {
        if (!input.idempotency) return undefined;
        const r = await sql<{ id: string; request_hash: string }>`
          select id, request_hash from documents.certifications
           where certifier_id = ${certifierId} and idempotency_key = ${input.idempotency.key}`.execute(db);
        const seen = r.rows[0];
        if (!seen) return undefined;
        if (seen.request_hash !== input.idempotency.requestHash)
          throw new ConflictError(
            'Idempotency-Key này đã dùng cho yêu cầu khác / this key was used for another request',
            {
              state: 'key-reused',
            },
          );
        return { ...(await certificationById(db, seen.id))!, replayed: true };
      };
      const earlier = await replay();
      if (earlier) return earlier;
      const office = await getOffice(db, input.agencyCode);
      if (!office?.active)
        throw new NotFoundError('Không tìm thấy cơ quan chứng thực / certifying office not found');
      const problems: Array<{ path: string; message: string }> = [];
      if (!Number.isInteger(input.pages) || input.pages < 1 || input.pages > 500)
        problems.push({ path: 'pages', message: 'Số trang từ 1 đến 500 / pages must be 1–500' });
      if (!Number.isInteger(input.copies) || input.copies < 1 || input.copies > 100)
        problems.push({ path: 'copies', message: 'Số bản từ 1 đến 100 / copies must be 1–100' });
      if (problems.length > 0) throw new ValidationError('Thông tin chưa hợp lệ / invalid input', problems);
      const scan = await deps.issuing.toPdf(input.scan.bytes, input.scan.type);
      if (scan.pages !== input.pages)
        throw new ValidationError(
          `Bản quét có ${scan.pages} trang, khác số trang bản chính đã nhập (${input.pages}) / the scan has ${scan.pages} pages, not ${input.pages}`,
          [{ path: 'pages', message: `Bản quét có ${scan.pages} trang / the scan has ${scan.pages} pages` }],
        );
      const stored = await storeBuffer(scan.pdf);
      const id = randomUUID();
      const fee = certificationFee(input.pages, input.copies);
      const now = clock.now();
      let inserted = false;
      try {
        await db.transaction().execute(async (trx) => {
          const d = input.document;
          const ins = await sql`
            insert into documents.certifications (id, agency_code, certifier_id, source, appointment_id,
              dossier_code, requester_account_id, requester_name, requester_id_number, document_type,
              document_title, document_issuer, document_number, document_date, pages, copies, fee, status,
              scan_key, scan_sha256, public_code, created_at, idempotency_key, request_hash)
            values (${id}, ${input.agencyCode}, ${certifierId}, ${input.source}, ${input.appointmentId ?? null},
              ${input.dossierCode ?? null}, ${input.requester.accountId}, ${input.requester.name},
              ${input.requester.idNumber}, ${d.type}, ${d.title}, ${d.issuer}, ${d.number}, ${d.date}::date,
              ${input.pages}, ${input.copies}, ${fee}, 'awaiting-fee', ${stored.key}, ${stored.sha256},
              ${newPublicCode()}, ${now}, ${input.idempotency?.key ?? null}, ${input.idempotency?.requestHash ?? null})
            on conflict (certifier_id, idempotency_key) do nothing`.execute(trx);
          if (Number(ins.numAffectedRows ?? 0) === 0) return;
          inserted = true;
          if (input.appointmentId) await deps.appointmentServed?.(input.appointmentId, id, trx);
          await appendAudit(
            trx,
            {
              actor: `officer:${certifierId}`,
              action: 'certification.opened',
              subject: `certification:${id}`,
              data: {
                agency: input.agencyCode,
                source: input.source,
                pages: input.pages,
                copies: input.copies,
                fee,
              },
            },
            now,
          );
        });
      } catch (e) {
        await deps.blobs.delete(stored.key).catch(() => undefined);
        throw e;
      }
      if (!inserted) {
        // The same request, at the same time, with the same key: it opened the certification.
        await deps.blobs.delete(stored.key).catch(() => undefined);
        return (await replay())!;
      }
      return (await certificationById(db, id))!;
    },

    async get(id: string): Promise<CertificationRow | undefined> {
      return certificationById(db, id);
    },

    /** For the certifier of its office: the certification, or 404 (another office's is not found). */
    async forOfficer(accountId: string, id: string): Promise<CertificationRow> {
      const c = await certificationById(db, id);
      if (!c || !(await deps.can(accountId, 'certifier', c.agency_code)))
        throw new NotFoundError('Không tìm thấy yêu cầu chứng thực / certification not found');
      return c;
    },

    /** The fee paid in cash at the counter, then the copy issued. */
    async payCash(officerId: string, id: string): Promise<CertificationRow> {
      const c = await this.forOfficer(officerId, id);
      if (c.status === 'cancelled')
        throw new ConflictError('Yêu cầu đã hủy / the certification was cancelled');
      if (c.status !== 'awaiting-fee') return c;
      const paid = await deps.fees.recordCash(billOf(c), officerId);
      return this.feePaid(id, paid.paymentId, paid.paidAt);
    },

    /** The fee made payable online (the requester pays from the link or its QR). */
    async payOnline(officerId: string, id: string): Promise<{ checkoutUrl: string; paymentId: string }> {
      const c = await this.forOfficer(officerId, id);
      if (c.status !== 'awaiting-fee')
        throw new ConflictError(
          'Lệ phí đã được nộp hoặc yêu cầu đã hủy / the fee is paid or the certification cancelled',
        );
      return deps.fees.create(billOf(c));
    },

    /** The bill the REST API (`POST /api/v1/payments`, kind certification-fee) makes payable for the requester. */
    async billFor(accountId: string, id: string): Promise<CertificationBill> {
      const c = await certificationById(db, id);
      if (!c || c.requester_account_id !== accountId)
        throw new NotFoundError('Không tìm thấy yêu cầu chứng thực / certification not found');
      if (c.status !== 'awaiting-fee')
        throw new ConflictError(
          'Lệ phí đã được nộp hoặc yêu cầu đã hủy / the fee is paid or the certification cancelled',
        );
      return billOf(c);
    },

    /**
     * The fee arrived (cash, or the payment's effect, at least once): the register number is taken in
     * the same transaction as the change to `numbered`, then the copy is issued. Idempotent.
     */
    async feePaid(id: string, paymentId: string, paidAt: Date): Promise<CertificationRow> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const c = await certificationById(trx, id, true);
        if (!c) throw new NotFoundError('Không tìm thấy yêu cầu chứng thực / certification not found');
        if (c.status !== 'awaiting-fee') return;
        const entry = await takeNumber(trx, c.agency_code, 'SCT/BS', vietnamYear(now));
        await sql`
          update documents.certifications set status = 'numbered', payment_id = ${paymentId}, paid_at = ${paidAt},
                 register_id = ${entry.registerId}, register_number = ${entry.number}, numbered_at = ${now}
           where id = ${id}`.execute(trx);
        await appendAudit(
          trx,
          {
            actor: 'system:documents',
            action: 'certification.numbered',
            subject: `certification:${id}`,
            data: { payment: paymentId, book: entry.book, number: entry.number },
          },
          now,
        );
      });
      // Without a signing key (the office's was revoked and no new one yet) the copy waits, numbered and
      // paid: the job issues it once the office can sign again.
      return this.issue(id).catch(async (e: unknown) => {
        if (e instanceof ConflictError) return (await certificationById(db, id))!;
        throw e;
      });
    },

    /** Stamps, signs and stores a numbered copy, then delivers it; a copy already issued is answered as is. */
    async issue(id: string): Promise<CertificationRow> {
      const c = await certificationById(db, id);
      if (!c) throw new NotFoundError('Không tìm thấy yêu cầu chứng thực / certification not found');
      if (c.status !== 'numbered') return c;
      const office = await getOffice(db, c.agency_code);
      const scanStream = await deps.blobs.get(c.scan_key);
      if (!office || !scanStream) throw new Error(`certification ${id}: office or scan missing`);
      const chunks: Buffer[] = [];
      for await (const chunk of scanStream) chunks.push(Buffer.from(chunk as Uint8Array));
      const scan = Buffer.concat(chunks);
      const certifier = await deps.certifierOf(c.certifier_id);
      const certifiedAt = c.numbered_at ?? clock.now();
      const province = (await deps.provinceName?.(office.provinceCode)) ?? undefined;
      const signed = await deps.issuing.stampAndSign(
        c.agency_code,
        scan,
        {
          registerNumber: c.register_number!,
          book: c.book!,
          certifiedAt,
          office: { name: office.name, ...(province ? { province } : {}) },
          certifier,
          copies: c.copies,
          verifyUrl: `${deps.publicUrl}${verifyPath(c.public_code)}`,
          copyCode: c.public_code,
        },
        {
          reason: `Chứng thực bản sao từ bản chính, số ${c.register_number}, quyển số ${c.book}`,
          location: office.name,
          signingTime: clock.now(),
        },
      );
      const stored = await storeBuffer(signed);
      const now = clock.now();
      // Read before the transaction: on PGlite a query through the shared handle inside one would wait forever.
      const contact = c.requester_account_id ? await deps.contactOf(c.requester_account_id) : undefined;
      const issued = await db.transaction().execute(async (trx) => {
        const locked = await certificationById(trx, id, true);
        if (locked?.status !== 'numbered') return false;
        await sql`
          update documents.certifications set status = 'issued', signed_key = ${stored.key},
                 signed_sha256 = ${stored.sha256}, signed_size = ${signed.length}, issued_at = ${now}
           where id = ${id}`.execute(trx);
        if (c.requester_account_id) {
          // The wallet's item shares the signed copy's blob: the certification owns it, the item points at it.
          await deps.wallet.addItem(
            {
              ownerId: c.requester_account_id,
              kind: 'certified-copy',
              documentType: c.document_type,
              title: c.document_title,
              issuer: office.name,
              number: `${c.register_number}, quyển số ${c.book}`,
              issuedOn: vietnamDate(c.numbered_at ?? now),
              bytes: signed,
              blobKey: stored.key,
              fileName: `ban-sao-chung-thuc-${c.public_code}.pdf`,
              certificationId: id,
              signed: true,
            },
            trx,
          );
          await notifyAccount(trx, {
            ...(contact ?? {}),
            accountId: c.requester_account_id,
            template: 'certification.issued',
            params: {
              title: c.document_title,
              number: String(c.register_number),
              book: c.book!,
              office: office.name,
              link: `${deps.publicUrl}/kho-du-lieu`,
            },
            dedupeKey: `certification.issued:${id}`,
          });
        }
        await appendAudit(
          trx,
          {
            actor: 'system:documents',
            action: 'certification.issued',
            subject: `certification:${id}`,
            data: { sha256: stored.sha256, size: signed.length },
          },
          now,
        );
        return true;
      });
      if (!issued) await deps.blobs.delete(stored.key).catch(() => undefined);
      return (await certificationById(db, id))!;
    },

    /** Cancels a certification whose fee was not paid (the requester left). */
    async cancel(officerId: string, id: string): Promise<CertificationRow> {
      await this.forOfficer(officerId, id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const c = await certificationById(trx, id, true);
        if (c?.status !== 'awaiting-fee')
          throw new ConflictError(
            'Chỉ hủy được yêu cầu chưa nộp lệ phí / only an unpaid certification can be cancelled',
          );
        await sql`update documents.certifications set status = 'cancelled', cancelled_at = ${now} where id = ${id}`.execute(
          trx,
        );
        await appendAudit(
          trx,
          {
            actor: `officer:${officerId}`,
            action: 'certification.cancelled',
            subject: `certification:${id}`,
          },
          now,
        );
      });
      return (await certificationById(db, id))!;
    },

    /** Revokes an issued copy: verification says so from now on. */
    async revoke(officerId: string, id: string, reason: string): Promise<CertificationRow> {
      await this.forOfficer(officerId, id);
      const why = reason.normalize('NFC').trim();
      if (why.length < 5 || why.length > 500)
        throw new ValidationError(
          'Cần nêu lý do thu hồi (5–500 ký tự) / a reason (5–500 characters) is required',
          [{ path: 'reason', message: 'Cần nêu lý do thu hồi / a reason is required' }],
        );
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const c = await certificationById(trx, id, true);
        if (c?.status !== 'issued')
          throw new ConflictError('Chỉ thu hồi được bản sao đã cấp / only an issued copy can be revoked');
        if (c.revoked_at) return;
        await sql`
          update documents.certifications
             set revoked_at = ${now}, revoked_reason = ${why}, revoked_by = ${`officer:${officerId}`}
           where id = ${id}`.execute(trx);
        await appendAudit(
          trx,
          {
            actor: `officer:${officerId}`,
            action: 'certification.revoked',
            subject: `certification:${id}`,
            data: { reason: why },
          },
          now,
        );
      });
      return (await certificationById(db, id))!;
    },

    /** The signed copy's content (the certifier's download, the wallet's). */
    async signedCopy(id: string): Promise<Buffer | undefined> {
      const c = await certificationById(db, id);
      if (!c?.signed_key) return undefined;
      const s = await deps.blobs.get(c.signed_key);
      if (!s) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of s) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks);
    },

    /** Finishes certifications numbered more than a minute ago and never issued (a crash between steps). */
    async finishUnfinished(): Promise<number> {
      const ids = await unfinished(db, new Date(clock.now().getTime() - 60_000));
      let issued = 0;
      for (const id of ids) {
        // One office without a key does not hold up the others.
        const c = await this.issue(id).catch((e: unknown) => {
          if (e instanceof ConflictError) return undefined;
          throw e;
        });
        if (c?.status === 'issued') issued++;
      }
      return issued;
    },
  };
  return service;
}

export type CertificationService = ReturnType<typeof createCertificationService>;
