/**
 * Builds the Fastify app: platform plugins first (errors, security headers, OpenAPI, metrics, health,
 * web shell), then the modules, each wired here by hand with the narrow dependencies it needs.
 */

import { createAgenciesModule } from './modules/agencies/index.ts';
import { portalRoutes } from './modules/portal/index.ts';
import { calendarPages } from './platform/calendar/calendar.pages.tsx';
import { calendarRoutes } from './platform/calendar/calendar.routes.ts';
import { createCalendarService } from './platform/calendar/calendar.service.ts';
import { type Clock, systemClock } from './platform/clock/index.ts';
import type { Config } from './platform/config/index.ts';
import type { Database } from './platform/db/index.ts';
import { type AppInstance, createServer, healthRoutes, metricsPlugin } from './platform/http/index.ts';
import type { Dispatcher } from './platform/outbox/index.ts';
import { webPlugin } from './platform/web/index.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  dispatcher: Dispatcher;
  clock?: Clock;
  isShuttingDown?: () => boolean;
}

export async function buildApp(deps: AppDeps): Promise<AppInstance> {
  const { config, database, dispatcher } = deps;
  const clock = deps.clock ?? systemClock;
  const app = await createServer(config);

  await app.register(metricsPlugin, { database, outboxStats: () => dispatcher.stats() });
  await app.register(healthRoutes, {
    ping: (ms: number) => database.ping(ms),
    isShuttingDown: deps.isShuttingDown ?? (() => false),
  });
  await app.register(webPlugin, { config });

  const agencies = createAgenciesModule({ db: database.db, clock });
  const calendar = createCalendarService({
    db: database.db,
    clock,
    officeHoursFor: (code, date) => agencies.service.officeHoursFor(code, date),
  });

  await app.register(agencies.routes);
  await app.register(calendarRoutes, { calendar });
  await app.register(calendarPages, { calendar });
  await app.register(portalRoutes, { agencies: agencies.service });

  return app;
}
