/**
 * The dossiers module: online dossiers — submission (idempotent, numbered per receiving unit and day),
 * routing to the competent agency, the one-stop workflow, deadlines in working time; the JSON API, the
 * filing pages (e-form, uploads into the blob store, drafts), the applicant's and the officers' pages,
 * notifications on every change of status, the printable forms (docs/dossiers.md).
 */
import path from 'node:path';
import { createCache, remembered } from '../../platform/cache/index.ts';
import { vietnamDate } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import { type BlobStore, localBlobStore } from '../../platform/files/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import { type DemoDeps, seedDossiersDemo } from './demo.ts';
import { createDesk } from './dossiers.desk.ts';
import { createFeeFlow } from './dossiers.fee-flow.ts';
import type { FeePayments, PaymentNews } from './dossiers.fees.ts';
import { parseBillKey } from './dossiers.fees.ts';
import { receivedCounts } from './dossiers.figures.ts';
import { BLOB_DELETE, blobDeleter, dossierJobs } from './dossiers.jobs.ts';
import { publicLookup } from './dossiers.lookup.ts';
import { dossiersNavigation } from './dossiers.navigation.ts';
import { dossierNotifications } from './dossiers.notify.ts';
import { dossiersApiRoutes } from './dossiers.routes.ts';
import {
  createDossiersService,
  type DossiersServiceDeps,
  EXTENDED,
  STATUS_CHANGED,
} from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';
import { type UnitSource, unitDirectory } from './dossiers.units.ts';
import { dossiersWalletRoutes } from './dossiers.wallet.routes.ts';
import {
  RESULT_TO_WALLET,
  resultDelivery,
  resultReturnedListener,
  type WalletLog,
} from './dossiers.wallet.ts';
import { type DossierExchange, exchangeReader, type StatusChange } from './exchange.ts';
import { dossiersPages } from './pages/dossiers.pages.tsx';

export { type BlobStore, localBlobStore, type S3Options, s3BlobStore } from '../../platform/files/index.ts';
export type { DeadlineStatus, ProcessingTime, WorkingTime } from './domain/deadline.ts';
export { DEFAULT_PROCESS, findProcess, publishedProcesses } from './domain/processes.ts';
export {
  type ActorRole,
  allowedActions,
  decide,
  type ProcessDefinition,
} from './domain/workflow.ts';
export {
  billKeyOf,
  type FeeBill,
  type FeeBillLine,
  type FeePayment,
  type FeePayments,
  feeLinesOf,
  type PaymentNews,
  parseBillKey,
  requestLines,
} from './dossiers.fees.ts';
export type { PublicDossier } from './dossiers.lookup.ts';
export {
  type AgencyDirectory,
  agencyDirectoryFrom,
  leadersFrom,
  type People,
  type ProcedureForFiling,
  type ProcedureSource,
  procedureSourceFrom,
  type SyncedDossierDetail,
  type SyncedDossierSummary,
  type SyncedDossiers,
  type WalletItemForDossier,
  type WalletPort,
  type WorkingTimeFor,
  workingTimeFrom,
} from './dossiers.ports.ts';
export {
  type ActInput,
  type DossiersService,
  type DossierView,
  EXTENDED,
  STATUS_CHANGED,
  type SubmitInput,
} from './dossiers.service.ts';
export { RESULT_TO_WALLET, type WalletLog } from './dossiers.wallet.ts';
export type { DossierExchange, StatusChange } from './exchange.ts';

import type {
  AgencyDirectory,
  ProcedureSource,
  SyncedDossiers,
  WalletPort,
  WorkingTimeFor,
} from './dossiers.ports.ts';

export interface DossiersModuleDeps extends Omit<DossiersServiceDeps, 'db'> {
  db: AnyDb;
  /** DATA_DIR: the local blob store lives in `<dataDir>/blobs` unless `blobs` is given. */
  dataDir: string;
  blobs?: BlobStore;
  /** Upload limit per file; 20 MB by default. */
  uploadMaxBytes?: number;
  /** The agency and every agency below it, with names (agencies module). */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
  /**
   * Administrative units valid today, for the place of filing and the e-form's address fields (agencies
   * module): provinces, or communes (of a province when `parent` is given; a commune's `parentCode` is its
   * province).
   */
  adminUnits: UnitSource;
  /** Agency names for the pages (agencies module). */
  agencyName(code: string): Promise<string | undefined>;
  /** The portal's public address, for links in notifications. */
  publicUrl?: string;
  /** The outbox dispatcher: the module sends notifications on every change of status. */
  dispatcher?: Dispatcher;
  /** Online payment of fees (payments module, wired in app.ts); without it fees are paid at the counter. */
  payments?: FeePayments;
  /**
   * The citizens' wallet (documents module, wired in app.ts): filing may take a document from it instead
   * of an upload, and returned results are delivered to it (needs `dispatcher`). Without it: uploads only.
   */
  wallet?: WalletPort;
  /** Where the wallet's delivery writes its lines (the app's logger); silent by default. */
  log?: WalletLog;
}

/** What the dossiers' routes take when they are registered: the sync module's view of an applicant. */
export interface DossiersRoutesOptions {
  /** Dossiers synced from agencies' systems whose applicant is the account (the sync module's port). */
  synced?: SyncedDossiers;
}

export function createDossiersModule(deps: DossiersModuleDeps) {
  const db = scoped<DossiersTables>(deps.db);
  const source = {
    procedures: deps.procedures,
    agencies: deps.agencies,
    workingTimeFor: deps.workingTimeFor,
  };
  // Answers of the other modules, remembered for a short while: a submission asks for the procedure,
  // the agencies on its route and the receiving unit's working time, which change rarely (a published
  // procedure version never changes; a new one is seen within the time to live). Each answer is asked
  // for a date, so none of them is "today's" for longer than today.
  const remember = <A extends unknown[], R>(ttlMs: number, f: (...args: A) => Promise<R>) =>
    remembered({ max: 5_000, ttlMs, clock: deps.clock }, f);
  const procedures: ProcedureSource = {
    find: remember(30_000, (code: string, version?: number) => source.procedures.find(code, version)),
  };
  const agencies: AgencyDirectory = {
    list: remember(60_000, (filter: Parameters<AgencyDirectory['list']>[0]) => source.agencies.list(filter)),
    find: remember(60_000, (code: string, date: string) => source.agencies.find(code, date)),
    ...(source.agencies.department
      ? {
          department: remember(60_000, (province: string, name: string, date: string) =>
            source.agencies.department!(province, name, date),
          ),
        }
      : {}),
  };
  // Office hours hold for a day: one answer per agency and Vietnam date (the first instant asked of
  // that day stands for the day).
  const wtByDay = createCache<string, ReturnType<WorkingTimeFor>>({
    max: 5_000,
    ttlMs: 300_000,
    clock: deps.clock,
  });
  const workingTimeFor: WorkingTimeFor = (agency, at) => {
    const key = `${agency}@${vietnamDate(at)}`;
    const hit = wtByDay.get(key);
    if (hit) return hit;
    const value = source.workingTimeFor(agency, at);
    wtByDay.set(key, value);
    value.catch(() => {
      if (wtByDay.get(key, { allowStale: true }) === value) wtByDay.delete(key);
    });
    return value;
  };
  deps = { ...deps, procedures, agencies, workingTimeFor };
  const service = createDossiersService({ ...deps, db });
  const fees = createFeeFlow({
    db,
    clock: deps.clock,
    workingTimeFor: deps.workingTimeFor,
    payments: deps.payments,
  });
  const units = unitDirectory(deps.adminUnits, deps.clock);
  const blobs = deps.blobs ?? localBlobStore(path.join(deps.dataDir, 'blobs'));
  const desk = createDesk({
    db,
    clock: deps.clock,
    service,
    procedures: deps.procedures,
    people: deps.people,
    blobs,
    subtreeOf: deps.subtreeOf,
    isAdminUnit: (code, level) => units.exists(code, level),
    provinceOf: (commune) => units.provinceOf(commune),
    uploadMaxBytes: deps.uploadMaxBytes,
    wallet: deps.wallet,
  });
  // Other modules told of every change of status (and extension), after the notifications, by the same
  // outbox handler: at least once, so listeners must be idempotent (the event's (code, revision) is its
  // identity); a listener that throws makes the outbox retry the whole message.
  const listeners: Array<(change: StatusChange) => Promise<void>> = [];
  if (deps.dispatcher) {
    const notify = dossierNotifications({ db: deps.db, people: deps.people, publicUrl: deps.publicUrl });
    const handler = async (message: Parameters<typeof notify>[0]) => {
      await notify(message);
      const change = { ...(message.payload as Omit<StatusChange, 'topic'>), topic: message.topic };
      for (const listener of listeners) await listener(change as StatusChange);
    };
    deps.dispatcher.register(STATUS_CHANGED, handler);
    deps.dispatcher.register(EXTENDED, handler);
    // Blobs of deleted orphan uploads, removed after the deletion commits (dossiers.upload-cleanup).
    deps.dispatcher.register(BLOB_DELETE, blobDeleter(deps.db, blobs));
    // Returned results go to the applicant's wallet: a message per return, delivered after commit.
    if (deps.wallet) {
      listeners.push(resultReturnedListener(deps.db));
      deps.dispatcher.register(
        RESULT_TO_WALLET,
        resultDelivery({
          db,
          blobs,
          wallet: deps.wallet,
          clock: deps.clock,
          agencyName: deps.agencyName,
          log: deps.log,
        }),
      );
    }
  }
  const exchange = exchangeReader({ db, blobs });
  return {
    service,
    desk,
    /** "Hồ sơ của tôi" in the header (with what waits for the applicant), the inbox on the officers' desk. */
    navigation: dossiersNavigation(desk),
    /**
     * For other modules (sync's outbound feed): be told of every change of a dossier's status. The
     * listener runs after commit, at least once per change: make it idempotent.
     */
    onStatusChanged(listener: (change: StatusChange) => Promise<void>) {
      listeners.push(listener);
    },
    /** For other modules: a dossier as exchanged with agency systems (no access check: the caller's). */
    exchangeRecord: (code: string): Promise<DossierExchange | undefined> => exchange.record(code),
    /** For other modules: an attachment's content, if it belongs to the dossier (no access check). */
    exchangeFile: (code: string, attachmentId: string) => exchange.file(code, attachmentId),
    /**
     * For the public lookup (sync module): a dossier filed on the portal, when `last4` are the last 4
     * characters of its applicant's ID number; undefined otherwise (no access check: public by design).
     */
    publicLookup: (code: string, last4: string) => publicLookup(db, code, last4),
    /** For other modules: the account that filed a dossier on the portal (no access check: the caller's). */
    async applicantAccountOf(code: string): Promise<string | undefined> {
      const d = await db
        .selectFrom('dossiers.dossiers')
        .select('applicant_account_id')
        .where('code', '=', code)
        .executeTakeFirst();
      return d?.applicant_account_id;
    },
    /**
     * For the payments module's REST bills (`dossier-fee`): the bill of what the caller's dossier owes
     * now; 404 when it is not theirs, 409 when nothing is due.
     */
    feeBill: (accountId: string | null, code: string) => fees.billFor(accountId, code),
    /**
     * For the payments module's `dossier-fee` effect (at least once): a successful payment of a bill
     * `dossier-fee:<code>:<n>` moves the dossier on (submitted, or back to processing); a repeat changes
     * nothing. Answers whether it moved the dossier.
     */
    async paymentReceived(payment: {
      id: string;
      reference: string;
      billKey: string;
      amount: number;
      method: string | null;
      succeededAt: Date | null;
    }): Promise<boolean> {
      const key = parseBillKey(payment.billKey);
      if (!key) return false;
      const news: PaymentNews = {
        paymentId: payment.id,
        reference: payment.reference,
        amount: payment.amount,
        method: payment.method,
        requestNo: key.requestNo,
        paidAt: payment.succeededAt ?? deps.clock.now(),
      };
      return fees.paymentReceived(key.code, news);
    },
    /** Dossiers received per receiving unit between two Vietnam dates (indicator 1.4's "received"). */
    receivedCounts: (agencyCodes: readonly string[], from: string, to: string) =>
      receivedCounts(db, agencyCodes, from, to),
    /**
     * Scheduled jobs (platform scheduler): the deadline watch and escalations, the cleanup of orphan
     * uploads and abandoned drafts, the history's partitions.
     */
    jobs: dossierJobs({
      db: deps.db,
      people: deps.people,
      workingTimeOf: service.workingTimeOf,
      publicUrl: deps.publicUrl,
      agencyName: deps.agencyName,
    }),
    /** The embedded demo's dossiers (never on PostgreSQL or in production); some belong to `applicants`. */
    seedDemo: (applicants: DemoDeps['applicants']) =>
      seedDossiersDemo({
        db,
        clock: deps.clock,
        procedures: deps.procedures,
        agencies: deps.agencies,
        workingTimeFor: deps.workingTimeFor,
        applicants,
      }),
    async routes(app: AppInstance, options: DossiersRoutesOptions = {}) {
      await app.register(dossiersApiRoutes, { service, desk, synced: options.synced });
      await app.register(dossiersWalletRoutes, { desk });
      await app.register(dossiersPages, {
        service,
        desk,
        synced: options.synced,
        units,
        agencyName: deps.agencyName,
        now: () => deps.clock.now(),
        people: deps.people,
        fees: {
          flow: fees,
          online: async (agencyCode: string) =>
            deps.payments ? deps.payments.collectsOnline(agencyCode) : false,
        },
      });
    },
  };
}
