/**
 * For the appointments' integration tests: a fresh database (PGlite, or PostgreSQL with DATABASE_URL)
 * with the migrations and reference data, and a small app of the real pieces the appointments need — the
 * server with its problem handler, the web shell, the identity module's sessions and access checks
 * (roles inherited down the real agency tree), CSRF, the calendar — with the appointments' routes and the
 * demo offices and rules. A clock the test moves.
 */

import { createTestDatabase } from '../../../../test/helpers/database.ts';
import { testConfig } from '../../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../../test/helpers/sessions.ts';
import type { Portal } from '../../../bootstrap.ts';
import { prepareDatabase } from '../../../bootstrap.ts';
import { type Database, openDatabase } from '../../../platform/db/index.ts';
import { type AppInstance, createServer } from '../../../platform/http/index.ts';
import { createRateLimiter, createSecrets, csrfPlugin } from '../../../platform/security/index.ts';
import { createNavigationRegistry, webPlugin } from '../../../platform/web/index.ts';
import { createAgenciesModule } from '../../agencies/index.ts';
import { createCalendarService } from '../../calendar/index.ts';
import { createIdentityModule } from '../../identity/index.ts';
import { seedDemoOffices } from '../demo.ts';
import { type Appointments, createAppointments } from './index.ts';

/** A Vietnam-time instant, 'YYYY-MM-DD HH:MM'. */
export const vn = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+07:00`);

export interface Harness {
  app: AppInstance;
  database: Database;
  appointments: Appointments;
  clock: { now(): Date; set(at: Date | string): void };
  /** A citizen with a live session (cookie `sid`). */
  citizen(name?: string): Promise<TestAccount>;
  officer(agency: string, roles: string[]): Promise<TestAccount>;
  close(): Promise<void>;
}

export async function appointmentsHarness(start: Date | string): Promise<Harness> {
  const t = await createTestDatabase({ prepared: true });
  const database = await openDatabase(t.options);
  await prepareDatabase(database, { agencyIdentifiersFile: undefined });
  let now = typeof start === 'string' ? vn(start) : start;
  const clock = {
    now: () => new Date(now),
    set(at: Date | string) {
      now = typeof at === 'string' ? vn(at) : at;
    },
  };
  const config = testConfig();
  const app = await createServer(config);
  await app.register(webPlugin, { config, navigation: createNavigationRegistry() });
  const db = database.db;
  const secrets = createSecrets(db);
  const agencies = createAgenciesModule({ db, clock });
  const identity = await createIdentityModule({
    db,
    clock,
    secrets,
    limiter: createRateLimiter(db, () => clock.now()),
    secureCookies: false,
    publicUrl: config.publicUrl,
    trustProxy: false,
    production: false,
    lineageOf: (code) => agencies.service.lineageOf(code),
    subtreeOf: (code) => agencies.service.subtreeOf(code),
  });
  await app.register(identity.sessionPlugin[0], identity.sessionPlugin[1]);
  await app.register(identity.accessPlugin[0], identity.accessPlugin[1]);
  await app.register(csrfPlugin, { secrets, secureCookies: false });
  const calendar = createCalendarService({
    db,
    clock,
    officeHoursFor: (code, date) => agencies.service.officeHoursFor(code, date),
  });
  const appointments = createAppointments({
    db,
    clock,
    publicUrl: config.publicUrl,
    calendar: () => calendar.calendarFor(),
    officers: {
      can: (id, role, agency) => identity.officers.can(id, role, agency),
      agenciesWhere: (id, role) => identity.officers.agenciesWhere(id, role),
    },
    personOf: async (id) => {
      const a = await identity.service.getAccount(id).catch(() => undefined);
      if (!a) return undefined;
      return {
        name: a.displayName,
        idNumber: a.personalId,
        phone: a.phoneVerified ? a.phone : null,
        email: a.emailVerified ? a.email : null,
      };
    },
  });
  await app.register(appointments.routes);
  await seedDemoOffices(db);
  await appointments.seedDemo();
  await app.ready();
  const portal = { database } as unknown as Portal;
  return {
    app,
    database,
    appointments,
    clock,
    citizen: (name) => accountWithSession(portal, 'citizen', name ? { displayName: name } : {}),
    officer: (agency, roles) =>
      accountWithSession(portal, 'officer', {
        agency,
        grants: roles.map((r) => [agency, r] as [string, string]),
      }),
    async close() {
      await app.close();
      await database.close();
      await t.drop();
    },
  };
}
