/**
 * The documents module: certified electronic copies from paper originals (appointments at certifying
 * offices, certification at the counter with its fee, the electronic register, the stamp and the
 * office's digital signature), public verification and revocation, and every account's wallet (kho dữ
 * liệu điện tử) of certified copies, signed dossier results and own uploads, reused in dossiers
 * (docs/documents.md).
 */
import path from 'node:path';
import type { Clock } from '../../platform/clock/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import { ValidationError } from '../../platform/errors/index.ts';
import { type BlobStore, localBlobStore } from '../../platform/files/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import { type AppointmentsDeps, createAppointments } from './appointments/index.ts';
import { counterPages } from './certification/certification.pages.tsx';
import { certificationRoutes } from './certification/certification.routes.ts';
import {
  createCertificationService,
  type FeePort,
  type IssuingPorts,
  type OfficeRole,
  parseBillKey,
} from './certification/certification.service.ts';
import { DEMO_OFFICES, seedDemoOffices } from './demo.ts';
import { documentsNavigation } from './documents.navigation.ts';
import { keysPages } from './keys/keys.pages.tsx';
import { createKeysService } from './keys/keys.service.ts';
import { getOffice, listOffices } from './offices.repository.ts';
import { signPdf } from './signing/index.ts';
import { drawCertificationBlock, drawVerificationFooter, StampInputError, scanToPdf } from './stamp/index.ts';
import { VERIFY_PAGE, verificationRoutes } from './verification/verification.routes.tsx';
import { createVerificationService } from './verification/verification.service.ts';
import { createWallet, type DataAccessRecord, type DeliverResultInput } from './wallet/index.ts';

export type { CertificationBill, FeePort } from './certification/certification.service.ts';
export { DEMO_OFFICES } from './demo.ts';
export { getOffice, listOffices, type Office, type OfficeKind, upsertOffice } from './offices.repository.ts';
export type { WalletItemForDossier, WalletPort } from './wallet/index.ts';

export interface DocumentsDeps {
  db: AnyDb;
  clock: Clock;
  dispatcher: Dispatcher;
  publicUrl: string;
  dataDir: string;
  /** Where copies and wallet files are kept (default: DATA_DIR/documents). */
  blobs?: BlobStore;
  /** The certification fee through the payment platform (app.ts). */
  fees: FeePort;
  /** The passphrase of the offices' software keys (PKCS#12 under DATA_DIR/pki). */
  keyPassphrase(): Promise<string>;
  /** The key of the HMAC verifications keep instead of addresses (an installation secret). */
  addressKey(): Promise<Buffer>;
  officers: {
    can(accountId: string, role: OfficeRole, agencyCode: string): Promise<boolean>;
    agenciesWhere(accountId: string, role: OfficeRole): Promise<string[]>;
    profileOf(accountId: string): Promise<{ name: string; title: string | null } | undefined>;
  };
  accounts: {
    byIdNumber(idNumber: string): Promise<string | undefined>;
    contactOf(accountId: string): Promise<{ sms: string | null; email: string | null } | undefined>;
  };
  provinceName?(code: string): Promise<string | undefined>;
  maxScanBytes?: number;
  /** The installation secret of agencies' signed download links from wallets. */
  linkKey(): Promise<Buffer>;
  /** An agency's name (wallet consents name the agency). */
  agencyName?(code: string): Promise<string | undefined>;
  /** The holiday calendar (appointments' slots). */
  calendar: AppointmentsDeps['calendar'];
  /** A person's name, ID number and verified contacts (appointments). */
  personOf: AppointmentsDeps['personOf'];
  /** Province names for the office picker. */
  provinces?(): Promise<Array<{ code: string; name: string }>>;
  /** Identity's "who accessed my data" log, in the caller's transaction. */
  recordDataAccess?(db: AnyDb, a: DataAccessRecord): Promise<void>;
}

/**
 * Who signs a dossier's result when its agency has no key of its own: the portal's key (the Government
 * Office operates the portal), so the citizen's copy is still sealed against change.
 */
export const PORTAL_SIGNER = { agencyCode: 'VPCP', name: 'Cổng Dịch vụ công Quốc gia' } as const;

export function createDocumentsModule(deps: DocumentsDeps) {
  const blobs = deps.blobs ?? localBlobStore(path.join(deps.dataDir, 'documents'));
  const keys = createKeysService({
    db: deps.db,
    clock: deps.clock,
    pkiDir: path.join(deps.dataDir, 'pki'),
    passphrase: deps.keyPassphrase,
  });
  // The copy: the scan as a PDF, the certification block with its QR, the office's PAdES signature.
  const issuing: IssuingPorts = {
    toPdf: async (bytes, type) => {
      try {
        return await scanToPdf(bytes, type);
      } catch (e) {
        if (e instanceof StampInputError)
          throw new ValidationError(`${e.vi} / ${e.en}`, [{ path: 'scan', message: `${e.vi} / ${e.en}` }]);
        throw e;
      }
    },
    stampAndSign: async (agencyCode, pdf, block, meta) =>
      signPdf(pdf, await keys.signerFor(agencyCode), meta, {
        prepare: (doc) => drawCertificationBlock(doc, block),
      }),
  };
  const appointments = createAppointments({
    db: deps.db,
    clock: deps.clock,
    publicUrl: deps.publicUrl,
    calendar: deps.calendar,
    officers: { can: deps.officers.can, agenciesWhere: deps.officers.agenciesWhere },
    personOf: deps.personOf,
    ...(deps.provinces ? { provinces: deps.provinces } : {}),
  });
  const verification = createVerificationService({ db: deps.db, keys, addressKey: deps.addressKey });
  const jobs: JobDefinition[] = [
    {
      // A certification numbered but never issued (the process died while signing) is finished.
      name: 'documents.finish-certifications',
      everySeconds: 60,
      leaseSeconds: 55,
      run: async () => {
        await certification.finishUnfinished();
      },
    },
  ];
  const officesOf = async (accountId: string) => {
    const codes = await deps.officers.agenciesWhere(accountId, 'certifier');
    const out: Array<{ code: string; name: string }> = [];
    for (const code of codes) {
      const o = await getOffice(deps.db, code);
      if (o?.active) out.push({ code, name: o.name });
    }
    return out;
  };
  /** Offices where the officer holds the role, directly or through an agency above (few per officer). */
  const officesWhere = async (accountId: string, role: OfficeRole) => {
    const out: Array<{ code: string; name: string; provinceName?: string | undefined }> = [];
    // One look-up per province, not per office.
    const provinces = new Map<string, Promise<string | undefined>>();
    const provinceOf = (code: string) => {
      const known = provinces.get(code);
      if (known) return known;
      const p = Promise.resolve(deps.provinceName?.(code));
      provinces.set(code, p);
      return p;
    };
    for (const o of await listOffices(deps.db, {}))
      if (o.active && (await deps.officers.can(accountId, role, o.agencyCode)))
        out.push({ code: o.agencyCode, name: o.name, provinceName: await provinceOf(o.provinceCode) });
    return out;
  };
  async function signResult(input: DeliverResultInput): Promise<Buffer> {
    const own = await keys.hasActiveKey(input.agencyCode);
    const signer = await keys.signerFor(own ? input.agencyCode : PORTAL_SIGNER.agencyCode);
    const issuedAt = input.issuedAt;
    return signPdf(
      input.pdf,
      signer,
      {
        reason: `Kết quả giải quyết thủ tục hành chính, hồ sơ ${input.dossierCode}`,
        location: input.issuer,
        signingTime: deps.clock.now(),
      },
      {
        prepare: (doc) =>
          drawVerificationFooter(doc, {
            issuer: own ? input.issuer : `${PORTAL_SIGNER.name} (kết quả của ${input.issuer})`,
            dossierCode: input.dossierCode,
            verifyUrl: `${deps.publicUrl}${VERIFY_PAGE}`,
            issuedAt,
          }),
      },
    );
  }
  const wallet = createWallet({
    db: deps.db,
    clock: deps.clock,
    blobs,
    publicUrl: deps.publicUrl,
    verify: async (pdf) => {
      const r = await verification.check(pdf);
      const s = r.signatures[0]?.signer;
      return {
        valid: r.valid,
        reasons: r.reasons,
        signerName: s ? [s.commonName, s.organisation].filter(Boolean).join(', ') : null,
      };
    },
    signResult,
    accountByIdNumber: deps.accounts.byIdNumber,
    linkKey: deps.linkKey,
    ...(deps.agencyName ? { agencyName: deps.agencyName } : {}),
    contactOf: deps.accounts.contactOf,
    ...(deps.recordDataAccess ? { recordDataAccess: deps.recordDataAccess } : {}),
  });
  const certification = createCertificationService({
    db: deps.db,
    clock: deps.clock,
    blobs,
    publicUrl: deps.publicUrl,
    issuing,
    fees: deps.fees,
    can: deps.officers.can,
    certifierOf: async (id) => {
      const p = await deps.officers.profileOf(id);
      return { name: p?.name ?? id, title: p?.title ?? 'Người thực hiện chứng thực' };
    },
    contactOf: deps.accounts.contactOf,
    wallet: wallet.service,
    appointmentServed: (appointmentId, certificationId, trx) =>
      appointments.markServed(appointmentId, certificationId, trx),
    ...(deps.provinceName ? { provinceName: deps.provinceName } : {}),
  });
  const navigation = documentsNavigation({
    db: deps.db,
    officesOf,
    administers: async (accountId) =>
      (await deps.officers.agenciesWhere(accountId, 'agency-admin')).length > 0,
  });
  return {
    certification,
    jobs: [...jobs, ...appointments.jobs],
    appointments,
    navigation,
    /** The payment platform's news that a certification fee was paid (the `certification-fee` effect). */
    async feePaid(payment: { id: string; billKey: string; succeededAt: Date | null }) {
      const id = parseBillKey(payment.billKey);
      if (id) await certification.feePaid(id, payment.id, payment.succeededAt ?? deps.clock.now());
    },
    keys,
    verification,
    wallet,
    /** The demo's certifying offices, its own root CA and the offices' keys (made on the first start). */
    async seedDemo() {
      await seedDemoOffices(deps.db);
      await appointments.seedDemo();
      const offices = await Promise.all(
        DEMO_OFFICES.map(async (o) => ({
          agencyCode: o.agencyCode,
          name: o.name,
          provinceName: await deps.provinceName?.(o.provinceCode),
        })),
      );
      await keys.ensureDemoPki([
        ...offices,
        {
          agencyCode: PORTAL_SIGNER.agencyCode,
          name: PORTAL_SIGNER.name,
          organisation: 'Văn phòng Chính phủ',
        },
      ]);
    },
    async routes(app: AppInstance) {
      await app.register(appointments.routes);
      await app.register(counterPages, {
        appointmentForCounter: appointments.appointmentForOfficer,
        service: certification,
        db: deps.db,
        officesOf,
        accountByIdNumber: deps.accounts.byIdNumber,
        maxScanBytes: deps.maxScanBytes ?? 20 * 1024 * 1024,
      });
      await app.register(certificationRoutes, {
        service: certification,
        publicUrl: deps.publicUrl,
        accountByIdNumber: deps.accounts.byIdNumber,
        appointmentForCounter: appointments.appointmentForOfficer,
      });
      await app.register(verificationRoutes, { service: verification });
      await app.register(keysPages, { keys, officesWhere });
      await wallet.routes(app);
    },
  };
}

export type DocumentsModule = ReturnType<typeof createDocumentsModule>;
