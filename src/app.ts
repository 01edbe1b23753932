/**
 * Builds the Fastify app: platform plugins first (errors, security headers, OpenAPI, metrics, health,
 * web shell), then the modules, each wired here by hand with the narrow dependencies it needs.
 */

import path from 'node:path';
import { createAgenciesModule } from './modules/agencies/index.ts';
import { createCalendarModule } from './modules/calendar/index.ts';
import { createCatalogueModule } from './modules/catalogue/index.ts';
import { type CertificationBill, createDocumentsModule } from './modules/documents/index.ts';
import {
  agencyDirectoryFrom,
  createDossiersModule,
  type FeePayments,
  leadersFrom,
  procedureSourceFrom,
  s3BlobStore,
  workingTimeFrom,
} from './modules/dossiers/index.ts';
import { createFeedbackModule } from './modules/feedback/index.ts';
import { createHotlineModule } from './modules/hotline/index.ts';
import {
  createIdentityModule,
  type Role,
  recordDataAccess,
  registersFrom,
} from './modules/identity/index.ts';
import {
  createNotificationsModule,
  type DevInbox,
  notifyAccount,
  queueNotification,
} from './modules/notifications/index.ts';
import {
  checkoutPath,
  collectsOnline,
  createPaymentsModule,
  type DemoPaymentsSeed,
  finesFeature,
  type NewPayment,
  paymentsOfSubject,
  resultPath,
  socialInsuranceFeature,
} from './modules/payments/index.ts';
import { portalNavigation, portalRoutes } from './modules/portal/index.ts';
import { createSyncModule } from './modules/sync/index.ts';
import { type Clock, systemClock } from './platform/clock/index.ts';
import type { Config } from './platform/config/index.ts';
import type { Database } from './platform/db/index.ts';
import { NotFoundError, ValidationError } from './platform/errors/index.ts';
import { localBlobStore } from './platform/files/index.ts';
import { type AppInstance, createServer, healthRoutes, metricsPlugin } from './platform/http/index.ts';
import type { Scheduler } from './platform/jobs/index.ts';
import { statusName } from './platform/kernel/index.ts';
import type { Dispatcher } from './platform/outbox/index.ts';
import { createRateLimiter, createSecrets, csrfPlugin } from './platform/security/index.ts';
import { createNavigationRegistry, webPlugin } from './platform/web/index.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  dispatcher: Dispatcher;
  /** Recurring jobs; modules register theirs here. */
  scheduler?: Scheduler;
  clock?: Clock;
  isShuttingDown?: () => boolean;
  /** Load the demo dataset (the embedded portal of `npm start`; never on PostgreSQL or in production). */
  demo?: boolean;
  /** What the demo's mail sink and SMS gateway simulator received, shown at /dev/tin-nhan. */
  devInbox?: DevInbox;
  /** The demo's simulated intermediaries, registered at start with the demo payees and partner. */
  demoPayments?: DemoPaymentsSeed;
  /** The demo's certifying offices and PKI without the rest of the demo (tests of certified copies). */
  demoDocuments?: boolean;
}

/** A certification's fee as a payment of the platform: one `le-phi` line, the office as payee. */
function certificationBill(b: CertificationBill): Omit<NewPayment, 'expiresAt'> {
  return {
    kind: 'certification-fee',
    subject: b.certificationId,
    billKey: b.billKey,
    lines: [{ kind: 'le-phi', code: '2.000815', name: b.lineName, amount: b.amount }],
    description: b.description,
    payeeAgency: b.agencyCode,
    payer: b.payer,
  };
}

export async function buildApp(deps: AppDeps): Promise<AppInstance> {
  const { config, database, dispatcher } = deps;
  const clock = deps.clock ?? systemClock;
  const app = await createServer(config);

  await app.register(metricsPlugin, {
    database,
    outboxStats: () => dispatcher.stats(),
    readers: config.metrics,
  });
  await app.register(healthRoutes, {
    ping: (ms: number) => database.ping(ms),
    isShuttingDown: deps.isShuttingDown ?? (() => false),
  });
  // The shell's links, the officers' desk and the home page's services: each module registers its own
  // entries below; pages resolve them per view.
  const navigation = createNavigationRegistry();
  await app.register(webPlugin, { config, navigation });

  const secureCookies = config.publicUrl.startsWith('https://');
  const secrets = createSecrets(database.db);
  const limiter = createRateLimiter(database.db, () => clock.now());
  const agencies = createAgenciesModule({ db: database.db, clock });
  const identity = await createIdentityModule({
    lineageOf: (code) => agencies.service.lineageOf(code),
    subtreeOf: (code) => agencies.service.subtreeOf(code),
    db: database.db,
    clock,
    secrets,
    limiter,
    secureCookies,
    publicUrl: config.publicUrl,
    production: config.nodeEnv === 'production',
    trustProxy: config.trustProxy !== false,
    registers: registersFrom(config.registers),
  });
  const notifications = createNotificationsModule({
    db: database.db,
    dispatcher,
    production: config.nodeEnv === 'production',
    publicUrl: config.publicUrl,
    config: config.notifications,
    isSystemAdmin: (id) => identity.officers.can(id, 'system-admin', 'CP'),
    unsubscribeKey: () => secrets.get('notifications-unsubscribe'),
    ...(deps.devInbox ? { devInbox: deps.devInbox } : {}),
  });
  // Sessions first (they bind CSRF tokens to the session), then each route's declared access, then
  // CSRF checks on every form.
  await app.register(identity.sessionPlugin[0], identity.sessionPlugin[1]);
  await app.register(identity.accessPlugin[0], identity.accessPlugin[1]);
  await app.register(csrfPlugin, { secrets, secureCookies });

  const calendar = createCalendarModule({
    db: database.db,
    clock,
    officeHoursFor: (code, date) => agencies.service.officeHoursFor(code, date),
  });

  const catalogue = createCatalogueModule({
    db: database.db,
    clock,
    can: (accountId, role, agencyCode) => identity.officers.can(accountId, role, agencyCode),
    agenciesWhere: (accountId, role) => identity.officers.agenciesWhere(accountId, role),
    agencies: async () => (await agencies.service.listAgencies({})).items,
    provinces: async () => (await agencies.service.listAdminUnits({ level: 'province' })).items,
    subtreeOf: (code) => agencies.service.subtreeOf(code),
  });

  // The payment platform: bills of the portal (dossier fees, fines, social insurance) and of agency
  // systems (protocol 1.0.6), through registered intermediaries, into the ledger.
  const payments = createPaymentsModule({
    db: database.db,
    clock,
    dispatcher,
    publicUrl: config.publicUrl,
    lineageOf: (code) => agencies.service.lineageOf(code),
    crashAt: config.paymentsCrashAt,
    // Reconciliation, refunds, receipts, officers' pages
    officers: {
      can: (id, role, agency) => identity.officers.can(id, role, agency),
      agenciesWhere: (id, role) => identity.officers.agenciesWhere(id, role),
      subtreeOf: (code) => agencies.service.subtreeOf(code),
    },
    contactOf: async (id) => {
      const a = await identity.service.getAccount(id).catch(() => undefined);
      if (!a) return undefined;
      return { phone: a.phoneVerified ? a.phone : null, email: a.emailVerified ? a.email : null };
    },
  });
  navigation.add(payments.navigation);

  // Dossier fees ↔ payments: what dossiers ask of payments (bills, cash at the counter, a dossier's
  // payments); the other way round (the effect, the bill source, the link back) once dossiers exist.
  const dossierFeePayments: FeePayments = {
    collectsOnline: async (code) => collectsOnline(database.db, await agencies.service.lineageOf(code)),
    create: async (bill) => {
      const { payment } = await payments.service.create(bill);
      return { id: payment.id, checkoutUrl: checkoutPath(payment.id) };
    },
    recordCash: async (bill, officerId, cashAgency) => {
      const p = await payments.service.recordCashFor(bill, officerId, cashAgency);
      return { ...p, resultUrl: resultPath(p.id) };
    },
    paymentsOf: async (code) =>
      (await paymentsOfSubject(database.db, 'dossier-fee', code)).map((p) => ({
        ...p,
        resultUrl: resultPath(p.id),
      })),
  };

  // Certified copies, appointments, verification and the wallet.
  const documents = createDocumentsModule({
    db: database.db,
    clock,
    dispatcher,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
    ...(config.s3
      ? {
          blobs: s3BlobStore({
            ...config.s3,
            prefix: `${config.s3.prefix ?? ''}documents/`,
            stagingDir: path.join(config.dataDir, 'blobs-staging'),
          }),
        }
      : {}),
    keyPassphrase: async () => (await secrets.get('documents-signing-keys')).toString('base64url'),
    addressKey: () => secrets.get('documents-verifications'),
    provinceName: async (code) => {
      const p = (await agencies.service.listAdminUnits({ level: 'province' })).items.find(
        (u) => u.code === code,
      );
      return p?.name;
    },
    // The certification fee: a bill of the office (its payee up the lineage), online or cash at the counter.
    fees: {
      create: async (bill) => {
        const { payment } = await payments.service.create(certificationBill(bill));
        return { paymentId: payment.id, checkoutUrl: checkoutPath(payment.id) };
      },
      recordCash: async (bill, officerId) => {
        const p = await payments.service.recordCashFor(certificationBill(bill), officerId, bill.agencyCode);
        return { paymentId: p.id, paidAt: p.succeededAt ?? clock.now() };
      },
    },
    linkKey: () => secrets.get('wallet-links'),
    calendar: () => calendar.service.calendarFor(),
    personOf: async (id) => {
      const a = await identity.service.getAccount(id).catch(() => undefined);
      return a
        ? {
            name: a.displayName,
            idNumber: a.personalId,
            phone: a.phoneVerified ? a.phone : null,
            email: a.emailVerified ? a.email : null,
          }
        : undefined;
    },
    provinces: async () =>
      (await agencies.service.listAdminUnits({ level: 'province' })).items.map((u) => ({
        code: u.code,
        name: u.name,
      })),
    agencyName: async (code) => (await agencies.service.getAgency(code).catch(() => undefined))?.name,
    recordDataAccess,
    officers: {
      can: (id, role, agency) => identity.officers.can(id, role, agency),
      agenciesWhere: (id, role) => identity.officers.agenciesWhere(id, role),
      profileOf: (id) => identity.officers.profileOf(id),
    },
    accounts: {
      byIdNumber: async (idNumber) => (await identity.techIdOf({ personalId: idNumber })) ?? undefined,
      contactOf: async (id) => {
        const a = await identity.service.getAccount(id).catch(() => undefined);
        if (!a) return undefined;
        return { sms: a.phoneVerified ? a.phone : null, email: a.emailVerified ? a.email : null };
      },
    },
  });
  const dossiers = createDossiersModule({
    db: database.db,
    clock,
    dataDir: config.dataDir,
    uploadMaxBytes: config.uploadMaxBytes,
    ...(config.s3
      ? {
          blobs: s3BlobStore({
            ...config.s3,
            ...(config.s3.prefix ? { prefix: config.s3.prefix } : {}),
            stagingDir: path.join(config.dataDir, 'blobs-staging'),
          }),
        }
      : {}),
    publicUrl: config.publicUrl,
    dispatcher,
    // Documents reused from the applicant's wallet; results delivered to it, signed.
    wallet: documents.wallet.port,
    log: app.log,
    procedures: procedureSourceFrom(catalogue.service),
    agencies: agencyDirectoryFrom(agencies.service),
    workingTimeFor: workingTimeFrom(calendar.service),
    people: {
      can: (id, role, agency) => identity.officers.can(id, role, agency),
      rolesAt: (id, agency) => identity.officers.rolesAt(id, agency),
      agenciesWhere: (id, role) => identity.officers.agenciesWhere(id, role),
      mayActFor: (id, business, procedure) => identity.delegations.mayActFor(id, business, procedure),
      profileOf: (id) => identity.officers.profileOf(id),
      leadersOf: leadersFrom(identity.officers),
      applicantProfile: (id) => identity.applicantProfile(id),
      contactOf: async (id) => {
        const a = await identity.service.getAccount(id).catch(() => undefined);
        if (!a) return undefined;
        return { phone: a.phoneVerified ? a.phone : null, email: a.emailVerified ? a.email : null };
      },
    },
    subtreeOf: (code) => agencies.service.subtreeOf(code),
    adminUnits: async (level, parent) =>
      (await agencies.service.listAdminUnits({ level, ...(parent ? { parent } : {}) })).items,
    // The agency directory the catalogue keeps (all agencies, refreshed every 5 minutes): lists name
    // the agency of every row, and reading a whole subtree for one name was a query per agency below.
    agencyName: (code) => catalogue.service.agencyName(code),
    payments: dossierFeePayments,
  });

  // Dossier fees ↔ payments: a success moves the dossier on (at least once: dossiers.paymentReceived is
  // idempotent); the REST bill source; the checkout's result page leads back to the dossier.
  payments.addEffect({
    name: 'dossier-fee',
    kinds: ['dossier-fee'],
    run: async (payment) => {
      await dossiers.paymentReceived(payment);
    },
  });
  payments.addBillSource({
    kind: 'dossier-fee',
    bill: async (body, caller) => {
      if (typeof body.dossierCode !== 'string')
        throw new ValidationError('Cần mã hồ sơ / dossierCode is required', [
          { path: 'body.dossierCode', message: 'required' },
        ]);
      return dossiers.feeBill(caller.accountId, body.dossierCode);
    },
  });
  payments.setSubjectLink((p) =>
    p.kind === 'dossier-fee'
      ? {
          href: `/ho-so/${encodeURIComponent(p.subject)}`,
          label: { vi: `Xem hồ sơ ${p.subject}`, en: `Back to dossier ${p.subject}` },
        }
      : undefined,
  );

  await app.register(agencies.routes);
  await app.register(catalogue.routes);
  await app.register(calendar.routes);
  await app.register(portalRoutes, { agencies: agencies.service, catalogue: catalogue.service });
  await app.register(identity.routes);
  for (const job of identity.jobs) deps.scheduler?.register(job);
  if (deps.demo) await identity.seedDemo();
  await app.register(notifications.routes);
  for (const job of notifications.jobs) deps.scheduler?.register(job);
  for (const job of dossiers.jobs) deps.scheduler?.register(job);
  if (deps.demo) {
    const minh = await identity.techIdOf({ personalId: '001088012345' });
    const anhDuong = await identity.techIdOf({ taxCode: '0106789017' });
    // Once listening, in the background: the portal answers at once, the dossiers appear within seconds.
    const applicants = [
      ...(minh
        ? [{ accountId: minh, kind: 'citizen' as const, name: 'Nguyễn Văn Minh', idNumber: '001088012345' }]
        : []),
      ...(anhDuong
        ? [
            {
              accountId: anhDuong,
              kind: 'business' as const,
              name: 'Công ty TNHH Ánh Dương (dữ liệu thử)',
              idNumber: '0106789017',
            },
          ]
        : []),
    ];
    app.addHook('onListen', async () => {
      void dossiers
        .seedDemo(applicants)
        .then((n) => n > 0 && app.log.debug(`demo: ${n} dossiers`))
        .catch((err) => app.log.error({ err }, 'demo dossiers'));
    });
  }

  // Status sync from agency systems: REST API, the DVCQG-compatible adapter, public lookup.
  const sync = createSyncModule({
    db: database.db,
    clock,
    // Only "no agency holds it" means no owner: a database error must fail the request (5xx, retried by
    // the agency system), not answer "this identifier is not yours".
    agencyOfIdentifier: async (identifier, date) =>
      (
        await agencies.service.getAgency(identifier, { date }).catch((e: unknown) => {
          if (e instanceof NotFoundError) return undefined;
          throw e;
        })
      )?.code,
    lineageOf: (code, date) => agencies.service.lineageOf(code, date),
    agencyName: (code) => catalogue.service.agencyName(code),
    agencies: async () => (await agencies.service.listAgencies({})).items,
    machineLogin: (clientId, secret) => identity.machineLogin(clientId, secret),
    techIdOf: (query, reader) => identity.techIdFor(query, reader),
    layThuTuc: catalogue.layThuTuc,
    procedures: async (query) => {
      const r = await catalogue.service.search({ ...query, facets: false });
      return { items: r.items, nextCursor: r.nextCursor };
    },
    sectors: () => catalogue.service.sectors(),
    // Outbound delivery: dossiers filed on the portal to the competent agency's system (feed, webhooks).
    outbound: {
      dispatcher,
      dossier: (code) => dossiers.exchangeRecord(code),
      file: (code, id) => dossiers.exchangeFile(code, id),
      applicantOf: (accountId) => identity.applicantContact(accountId),
      publicUrl: config.publicUrl,
      sealingKey: () => secrets.get('webhook-secrets'),
      clientScopes: (clientId) =>
        identity.clients.get(clientId).then(
          (c) => c.scopes,
          (e: unknown) => {
            if (e instanceof NotFoundError) return [];
            throw e;
          },
        ),
      settings: { ...config.webhooks, httpsOnly: config.nodeEnv === 'production' },
      isSystemAdmin: (id) => identity.officers.can(id, 'system-admin', 'CP'),
      machineClients: async () =>
        (await identity.clients.list())
          .filter((c) => c.kind === 'machine')
          .map((c) => ({ clientId: c.clientId, name: c.name, agencyCodes: c.agencyCodes, scopes: c.scopes })),
    },
    rolesAt: (accountId, agencyCode) => identity.officers.rolesAt(accountId, agencyCode),
    grantAgencies: async (accountId) =>
      (await identity.officers.activeGrants(accountId)).map((g) => g.agency_code),
    subtreeOf: (code) => agencies.service.subtreeOf(code),
    portalReceived: (codes, from, to) => dossiers.receivedCounts(codes, from, to),
    portalLookup: (code, last4) => dossiers.publicLookup(code, last4),
    // Who is told when a code's lookup is locked after too many wrong guesses.
    applicants: {
      portalApplicantOf: (code) => dossiers.applicantAccountOf(code),
      holderOf: (query) => identity.techIdOf(query),
      tell: (accountId, message) => identity.notifyHolder(accountId, message),
    },
    onError: (e) => app.log.error({ err: e }, 'lookup lock notification failed'),
  });
  dossiers.onStatusChanged((change) => sync.onPortalChange(change));
  // Dossiers are built before sync (sync delivers them to agency systems); their routes take sync's view
  // of an applicant's synced dossiers once it exists — construction order, no late binding.
  await app.register(dossiers.routes, {
    synced: sync.applicantView({
      personalIdOf: (accountId) => identity.personalIdOf(accountId),
      agencyName: (code) => catalogue.service.agencyName(code),
    }),
  });
  await app.register(sync.routes);
  for (const job of sync.jobs) deps.scheduler?.register(job);
  await app.register(payments.routes);
  for (const job of payments.jobs) deps.scheduler?.register(job);
  if (deps.demo) await payments.seedDemo(deps.demoPayments ?? { intermediaries: [] });
  payments.addEffect({
    name: 'certification-fee',
    kinds: ['certification-fee'],
    run: async (payment) => {
      await documents.feePaid(payment);
    },
  });
  payments.addBillSource({
    kind: 'certification-fee',
    bill: async (body, caller) => {
      if (typeof body.certificationId !== 'string')
        throw new ValidationError('Cần mã yêu cầu chứng thực / certificationId is required', [
          { path: 'body.certificationId', message: 'required' },
        ]);
      return certificationBill(
        await documents.certification.billFor(caller.accountId ?? '', body.certificationId),
      );
    },
  });
  await app.register(documents.routes);
  navigation.add(documents.navigation);
  navigation.add(documents.wallet.navigation);
  navigation.add(documents.appointments.navigation);
  for (const job of documents.jobs) deps.scheduler?.register(job);
  if (deps.demo || deps.demoDocuments) await documents.seedDemo();
  // Feedback and petitions: the Government Office triages, agencies answer, answers are published.
  const feedback = createFeedbackModule({
    db: database.db,
    clock,
    limiter,
    secrets,
    blobs: config.s3
      ? s3BlobStore({
          ...config.s3,
          prefix: `${config.s3.prefix ?? ''}feedback/`,
          stagingDir: path.join(config.dataDir, 'blobs-staging'),
        })
      : localBlobStore(path.join(config.dataDir, 'feedback-files')),
    ports: {
      procedureExists: async (code) =>
        catalogue.service.getProcedure(code).then(
          () => true,
          (e: unknown) => {
            if (e instanceof NotFoundError) return false;
            throw e;
          },
        ),
      dossierExists: async (code) => (await dossiers.exchangeRecord(code)) !== undefined,
      agencyExists: async (code) => (await agencies.service.lineageOf(code)).length > 0,
      can: (id, role, agency) => identity.officers.can(id, role as Role, agency),
      agenciesWhere: (id, role) => identity.officers.agenciesWhere(id, role as Role),
      workingTime: async (at) => {
        const { hours, weekdays } = await calendar.service.hoursOf(undefined, at);
        return { calendar: await calendar.service.calendarFor(weekdays), hours };
      },
      sendCode: async (trx, m) => {
        await queueNotification(trx, {
          channel: m.channel,
          // The SMS gateway takes E.164 (feedback keeps phones as 0xxxxxxxxx).
          to: m.channel === 'sms' ? m.to.replace(/^0/, '+84') : m.to,
          template: 'otp.feedback',
          params: { code: m.code, minutes: String(m.minutes) },
        });
      },
      agencyName: (code) => catalogue.service.agencyName(code),
      // The deadline watch: handlers warned, leaders and the Government Office told when overdue.
      alerts: {
        holdersOf: (role, agency) => identity.officers.holdersOf(role as Role, agency),
        contactOf: async (id) => {
          const a = await identity.service.getAccount(id).catch(() => undefined);
          if (!a) return undefined;
          return { phone: a.phoneVerified ? a.phone : null, email: a.emailVerified ? a.email : null };
        },
        notify: (trx, n) => notifyAccount(trx, n),
      },
    },
    publicUrl: config.publicUrl,
    // Agencies' own feedback software: items routed to them go out with the dossiers' feed and webhooks.
    agencySystems: {
      dispatcher,
      publicUrl: config.publicUrl,
      subtreeOf: async (code) => (await agencies.service.subtreeOf(code)).map((a) => a.code),
    },
  });
  feedback.onRouted((routed) => sync.onFeedbackRouted(routed));
  await app.register(feedback.routes);
  navigation.add(feedback.navigation);
  for (const job of feedback.jobs) deps.scheduler?.register(job);
  if (deps.demo)
    await feedback.seedDemo({
      citizen: await identity.techIdOf({ personalId: '001088012345' }),
      business: await identity.techIdOf({ taxCode: '0106789017' }),
      office: await identity.demoOfficerId('giamsat.demo@example.vn'),
      hanoi: await identity.demoOfficerId('motcua.hanoi.demo@example.vn'),
    });
  // The hotline desk (18001096): calls, caller look-ups recorded for the person, answers sent through
  // notifications, calls turned into feedback items, callbacks and the day's figures.
  const hotline = createHotlineModule({
    db: database.db,
    clock,
    limiter,
    ports: {
      can: (id, role, agency) => identity.officers.can(id, role as Role, agency),
      operatorLabel: async (id) => {
        const p = await identity.officers.profileOf(id);
        const office = (await agencies.service.getAgency('CP').catch(() => undefined))?.name ?? 'CP';
        return `${p?.name ?? id}${p?.title ? `, ${p.title}` : ''} — Tổng đài hỗ trợ 18001096, ${office}`;
      },
      findAccount: (q) => identity.accountNamed(q),
      dossiersOf: async (id) =>
        (await dossiers.desk.mine(id, { limit: 50 })).map((d) => ({
          code: d.code,
          procedureName: d.procedureName,
          status: statusName(d.status),
          submittedAt: d.submittedAt,
          dueAt: d.dueAt,
        })),
      recordDataAccess,
      procedureExists: async (code) =>
        catalogue.service.getProcedure(code).then(
          () => true,
          (e: unknown) => {
            if (e instanceof NotFoundError) return false;
            throw e;
          },
        ),
      dossierExists: async (code) => (await dossiers.exchangeRecord(code)) !== undefined,
      feedbackExists: (code) => feedback.service.exists(code),
      submitFeedback: async (input, operatorId, key) => {
        const { item } = await feedback.service.submit(
          input,
          { accountId: operatorId, channel: 'hotline', ip: 'hotline' },
          key,
        );
        return { code: item.code };
      },
      sendAnswer: async (trx, m) => {
        await queueNotification(trx, {
          channel: m.channel,
          to: m.channel === 'sms' ? m.to.replace(/^0/, '+84') : m.to,
          template: 'hotline.answer',
          params: { code: m.callCode, answer: m.answer },
          dedupeKey: `hotline.answer:${m.callCode}`,
        });
      },
    },
  });
  await app.register(hotline.routes);
  navigation.add(hotline.navigation);
  // Fines and social insurance: bill sources, effects (the police and VSS told), pages on the home page.
  for (const feature of [
    finesFeature({
      db: database.db,
      clock,
      payments: payments.service,
      lineageOf: (code) => agencies.service.lineageOf(code),
      limiter,
      police: config.agencySystems.police,
    }),
    // Without Vietnam Social Security's register there is nothing to look up or pay: the feature is off
    // (no pages, no card on the home page, the API's kind refused as unsupported).
    ...(config.agencySystems.socialInsurance
      ? [
          socialInsuranceFeature({
            db: database.db,
            clock,
            payments: payments.service,
            limiter,
            vss: config.agencySystems.socialInsurance,
          }),
        ]
      : []),
  ]) {
    payments.addBillSource(feature.billSource);
    payments.addEffect(feature.effect);
    await app.register(feature.routes);
    navigation.add(feature.navigation);
  }

  navigation.add(portalNavigation);
  navigation.add(catalogue.navigation);
  navigation.add(sync.navigation);
  navigation.add(identity.navigation);
  navigation.add(dossiers.navigation);
  navigation.add(notifications.navigation);

  return app;
}
