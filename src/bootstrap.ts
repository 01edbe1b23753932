/**
 * Everything `main.ts` and the tests share: open the database, migrate, load reference (and demo)
 * data, build the app. Start-up is idempotent: run it on every start.
 */
import { buildApp } from './app.ts';
import { agenciesReferenceData } from './modules/agencies/index.ts';
import { calendarReferenceData } from './modules/calendar/index.ts';
import { catalogueReferenceData } from './modules/catalogue/index.ts';
import type { DevInbox } from './modules/notifications/index.ts';
import type { DemoPaymentsSeed } from './modules/payments/index.ts';
import { type Clock, systemClock } from './platform/clock/index.ts';
import type { Config } from './platform/config/index.ts';
import {
  applyReferenceData,
  type Database,
  type DatabaseOptions,
  migrate,
  openDatabase,
} from './platform/db/index.ts';
import type { AppInstance } from './platform/http/index.ts';
import { createScheduler, type Scheduler } from './platform/jobs/index.ts';
import { createDispatcher, type Dispatcher } from './platform/outbox/index.ts';

export interface Portal {
  app: AppInstance;
  database: Database;
  dispatcher: Dispatcher;
  /** Recurring jobs (started by main.ts with the dispatcher; tests call `runDue`). */
  scheduler: Scheduler;
  /** Steps of the start, with their durations in milliseconds. */
  timings: Record<string, number>;
  close(): Promise<void>;
}

export async function prepareDatabase(database: Database, config: Pick<Config, 'agencyIdentifiersFile'>) {
  const report = await migrate(database);
  const loaded: string[] = [];
  for (const set of [
    agenciesReferenceData(config.agencyIdentifiersFile),
    calendarReferenceData(),
    catalogueReferenceData(),
  ]) {
    if (await applyReferenceData(database.db, set)) loaded.push(set.name);
  }
  return { migrations: report, referenceData: loaded };
}

export async function startPortal(
  config: Config,
  options: {
    clock?: Clock;
    database?: DatabaseOptions;
    isShuttingDown?: () => boolean;
    demo?: boolean;
    devInbox?: DevInbox;
    demoPayments?: DemoPaymentsSeed;
    demoDocuments?: boolean;
  } = {},
): Promise<Portal> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - t) * 10) / 10;
    t = now;
  };
  const database = await openDatabase(
    options.database ?? {
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.databasePoolMax,
    },
  );
  lap('open database');
  try {
    await prepareDatabase(database, config);
    lap('migrations and reference data');
    const dispatcher = createDispatcher(database.db, {
      pollMs: config.outboxPollMs,
      leaseMs: config.outboxLeaseMs,
    });
    const scheduler = createScheduler(database.db, { clock: options.clock ?? systemClock });
    const app = await buildApp({
      config,
      database,
      dispatcher,
      scheduler,
      clock: options.clock ?? systemClock,
      ...(options.isShuttingDown ? { isShuttingDown: options.isShuttingDown } : {}),
      demo: options.demo ?? false,
      ...(options.devInbox ? { devInbox: options.devInbox } : {}),
      ...(options.demoPayments ? { demoPayments: options.demoPayments } : {}),
      ...(options.demoDocuments ? { demoDocuments: true } : {}),
    });
    await app.ready();
    lap('build app');
    return {
      app,
      database,
      dispatcher,
      scheduler,
      timings,
      async close() {
        await app.close();
        await scheduler.stop();
        await dispatcher.stop();
        await database.close();
      },
    };
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
}
