/**
 * The payments module: the portal's payment platform. Bills (dossier fees, traffic fines, voluntary
 * social-insurance contributions, agency systems' requests under protocol 1.0.6) become payments made
 * through registered intermediaries (their payment pages, or a VietQR transfer), recorded in a
 * double-entry ledger with electronic receipts, re-queried and reconciled against settlement files.
 */
import type { Clock } from '../../platform/clock/index.ts';
import type { PaymentsCrashPoint } from '../../platform/config/index.ts';
import type { AnyDb } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import { callbackRoutes } from './callbacks.routes.ts';
import { type DemoPaymentsSeed, seedDemoPayments } from './demo.ts';
import { httpIntermediaries } from './intermediary.client.ts';
// Reconciliation, refunds, receipts, officers' pages
import { createOfficers, type PaymentOfficersPort } from './officers.ts';
import { checkoutPages, type SubjectLink } from './pages/checkout.pages.tsx';
import { officerPages } from './pages/officers.pages.tsx';
import { payerPages } from './pages/payer.pages.tsx';
import { reconciliationPages } from './pages/reconciliation.pages.tsx';
import { partnerConfirmEffect, paygateRoutes } from './paygate.routes.ts';
import { paymentsNavigation } from './payments.navigation.ts';
import type { PaymentKind } from './payments.repository.ts';
import { type BillSource, paymentRoutes } from './payments.routes.ts';
import { createPaymentsService, type Effect, type IntermediaryPort } from './payments.service.ts';
import { type ContactOf, notifyPayerEffect, paymentReceiptsPdf } from './receipts.documents.ts';
import { receiptRoutes } from './receipts.routes.ts';
import { receiptsOf } from './receipts.store.ts';
import { createReconciliationService } from './reconciliation/reconciliation.service.ts';
import { createRefundsService } from './refunds.service.ts';

export { DEMO_PARTNER, type DemoPaymentsSeed } from './demo.ts';
// Fines and social insurance
export { finesFeature, type PoliceEndpoint } from './fines/index.ts';
export { balances, readSets } from './ledger.store.ts';
// Reconciliation, refunds, receipts, officers' pages
export { type LedgerVerdict, verifyLedger } from './ledger-verify.ts';
export type { PaymentOfficersPort } from './officers.ts';
export type {
  LineKind,
  NewPayment,
  Payment,
  PaymentKind,
  PaymentLine,
  PaymentStatus,
} from './payments.repository.ts';
export type { BillSource, Caller } from './payments.routes.ts';
export type { Effect, IntermediaryPort, PaymentsService } from './payments.service.ts';
export type { ContactOf } from './receipts.documents.ts';
export { receiptsOf } from './receipts.store.ts';
export {
  type Intermediary,
  type Partner,
  type Payee,
  payeeAmong,
  upsertIntermediary,
  upsertPartner,
  upsertPayee,
} from './registry.repository.ts';
export { socialInsuranceFeature, type VssEndpoint } from './social-insurance/index.ts';
export {
  checkoutPath,
  collectsOnline,
  paymentsOfSubject,
  resultPath,
  type SubjectPayment,
} from './subject-payments.ts';

export function createPaymentsModule(deps: {
  db: AnyDb;
  clock: Clock;
  dispatcher: Dispatcher;
  publicUrl: string;
  /** The agency and its ancestors, nearest first (agencies module). */
  lineageOf(agencyCode: string): Promise<string[]>;
  /** How the portal reaches intermediaries (default: HTTP, protocol 1.0.6 shape). */
  bank?: IntermediaryPort;
  // Reconciliation, refunds, receipts, officers' pages
  officers: PaymentOfficersPort;
  contactOf: ContactOf;
  /** The crash tests' hook (config PAYMENTS_CRASH_AT; never set in production). */
  crashAt?: PaymentsCrashPoint | undefined;
}) {
  const bank = deps.bank ?? httpIntermediaries();
  // The process dies here, at once, as if the machine had lost power (test/payments-crash.test.ts).
  const crash = (point: PaymentsCrashPoint) => {
    if (deps.crashAt === point) process.kill(process.pid, 'SIGKILL');
  };
  const service = createPaymentsService({
    db: deps.db,
    clock: deps.clock,
    dispatcher: deps.dispatcher,
    bank,
    publicUrl: deps.publicUrl,
    lineageOf: deps.lineageOf,
    crash,
  });
  const sources = new Map<PaymentKind, BillSource>();
  service.addEffect(partnerConfirmEffect({ db: deps.db, now: () => deps.clock.now() }));

  const jobs: JobDefinition[] = [
    {
      // Unpaid bills lapse; pending ones are asked about once more first.
      name: 'payments.expire',
      everySeconds: 60,
      leaseSeconds: 55,
      run: async () => {
        await service.expireDue();
      },
    },
    {
      // Soon after creation: a CONFIRM may have been lost (payments.md: every 15 minutes, 15–30 minutes old).
      name: 'payments.requery-recent',
      everySeconds: 300,
      leaseSeconds: 280,
      run: async () => {
        await service.requeryPending(5, 60);
      },
    },
    {
      // And the rest, daily.
      name: 'payments.requery-daily',
      everySeconds: 86_400,
      leaseSeconds: 3_600,
      run: async () => {
        await service.requeryPending(60, null, 10_000);
      },
    },
  ];

  let subjectLink: SubjectLink = () => undefined;

  // Reconciliation, refunds, receipts, officers' pages
  const officers = createOfficers({ db: deps.db, ...deps.officers });
  service.addEffect(notifyPayerEffect({ db: deps.db, publicUrl: deps.publicUrl, contactOf: deps.contactOf }));
  const refunds = createRefundsService({
    db: deps.db,
    clock: deps.clock,
    dispatcher: deps.dispatcher,
    bank,
    can: deps.officers.can,
  });
  const reconciliation = createReconciliationService({
    db: deps.db,
    clock: deps.clock,
    bank,
    payments: service,
    refunds,
  });
  jobs.push({
    // Each intermediary's settlement file of the Vietnam day before, once it is over (tried again until
    // it comes).
    name: 'payments.settlement-import',
    everySeconds: 900,
    leaseSeconds: 850,
    run: async () => {
      await reconciliation.importYesterday();
    },
  });
  const navigation = paymentsNavigation({ officers, reconciliation });

  return {
    service,
    jobs,
    /** What the portal's REST bills of a kind are made from (dossiers, fines, social insurance). */
    addBillSource(source: BillSource) {
      sources.set(source.kind, source);
    },
    addEffect(e: Effect) {
      service.addEffect(e);
    },
    /** The demo's intermediaries, payees and partner DEMO-HN. */
    seedDemo: (seed: DemoPaymentsSeed) => seedDemoPayments(deps.db, seed),
    // Reconciliation, refunds, receipts, officers' pages
    refunds,
    reconciliation,
    navigation,
    /** Where the result page leads back to (a dossier, a fine…). */
    setSubjectLink(link: SubjectLink) {
      subjectLink = link;
    },
    async routes(app: AppInstance) {
      const now = () => deps.clock.now();
      await app.register(callbackRoutes, { db: deps.db, service, now, crash });
      await app.register(paygateRoutes, {
        db: deps.db,
        service,
        publicUrl: deps.publicUrl,
        now,
        receiptPdf: (id: string) => paymentReceiptsPdf(deps.db, deps.publicUrl, id),
      });
      await app.register(paymentRoutes, {
        db: deps.db,
        service,
        sources,
        publicUrl: deps.publicUrl,
        receiptsOf: (id) => receiptsOf(deps.db, id),
      });
      await app.register(checkoutPages, { db: deps.db, service, subjectLink: (p) => subjectLink(p) });
      // Reconciliation, refunds, receipts, officers' pages
      await app.register(receiptRoutes, { db: deps.db, publicUrl: deps.publicUrl });
      await app.register(officerPages, { db: deps.db, service, refunds, officers });
      await app.register(reconciliationPages, { db: deps.db, reconciliation, officers });
      await app.register(payerPages, { db: deps.db });
    },
  };
}
