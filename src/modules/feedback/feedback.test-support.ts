/**
 * For feedback's integration tests: the whole portal (app.ts, which wires feedback) on a fresh database —
 * the real agencies and officers (roles inherited down the agency tree), the catalogue's procedures, the
 * calendar from the official schedules — with a clock the test moves, and one-time codes read from the
 * notifications queued for the destination.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/database.ts';
import { testConfig } from '../../../test/helpers/portal.ts';
import { buildApp } from '../../app.ts';
import { prepareDatabase } from '../../bootstrap.ts';
import { createWorkingCalendar, parseCalendarOverridesCsv } from '../../platform/calendar/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { type Database, openDatabase } from '../../platform/db/index.ts';
import { localBlobStore } from '../../platform/files/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import { DEFAULT_OFFICE_HOURS } from '../../platform/kernel/index.ts';
import { createDispatcher, type Dispatcher } from '../../platform/outbox/index.ts';
import { createRateLimiter, createSecrets } from '../../platform/security/index.ts';
import { createAgenciesModule } from '../agencies/index.ts';
import { createOfficers } from '../identity/index.ts';
import { createFeedbackModule, type FeedbackService } from './index.ts';

export const vn = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+07:00`);

export interface FeedbackHarness {
  app: AppInstance;
  database: Database;
  /** A service on the same database, for what a test must call directly (a 10 MB file without HTTP). */
  service: FeedbackService;
  clock: Clock & { set(iso: string | Date): void };
  /** The app's outbox dispatcher (not started: a test runs it with runOnce). */
  dispatcher: Dispatcher;
  /** The last one-time code queued for a destination (0xxxxxxxxx phones as the SMS gateway gets them, +84…). */
  codeSentTo(to: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export function movableClock(start: Date) {
  let now = start;
  return {
    now: () => now,
    set(t: string | Date) {
      now = typeof t === 'string' ? new Date(t) : t;
    },
  } as Clock & { set(iso: string | Date): void };
}

const CSV = path.resolve(import.meta.dirname, '../../../db/reference/calendar-overrides.csv');

export async function feedbackHarness(start: Date): Promise<FeedbackHarness> {
  const t = await createTestDatabase({ prepared: true });
  const database = await openDatabase(t.options);
  await prepareDatabase(database, { agencyIdentifiersFile: undefined });
  const clock = movableClock(start);
  const dispatcher = createDispatcher(database.db, { pollMs: 60_000 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-files-'));
  const app = await buildApp({ config: testConfig({ DATA_DIR: dataDir }), database, dispatcher, clock });
  await app.ready();
  const calendar = createWorkingCalendar({
    overrides: parseCalendarOverridesCsv(fs.readFileSync(CSV, 'utf8')),
  });
  const refuse = async (): Promise<never> => {
    throw new Error('not used by direct calls');
  };
  const agencies = createAgenciesModule({ db: database.db, clock });
  const officers = createOfficers({
    db: database.db,
    clock,
    lineageOf: (c, d) => agencies.service.lineageOf(c, d),
  });
  const direct = createFeedbackModule({
    db: database.db,
    blobs: localBlobStore(path.join(dataDir, 'feedback-files')),
    clock,
    limiter: createRateLimiter(database.db, () => clock.now()),
    secrets: createSecrets(database.db),
    ports: {
      // The catalogue through its own API; the agencies through their module.
      procedureExists: async (code) =>
        (await app.inject(`/api/v1/procedures/${encodeURIComponent(code)}`)).statusCode === 200,
      dossierExists: refuse,
      agencyExists: async (code) => (await agencies.service.lineageOf(code)).length > 0,
      can: (id, role, agency) => officers.can(id, role as never, agency),
      agenciesWhere: (id, role) => officers.agenciesWhere(id, role as never),
      workingTime: async () => ({ calendar, hours: DEFAULT_OFFICE_HOURS }),
      sendCode: refuse,
    },
  });
  return {
    app,
    database,
    service: direct.service,
    clock,
    dispatcher,
    async codeSentTo(to) {
      const recipient = to.replace(/^0/, '+84');
      const r = await sql<{ body: string }>`
        select body from notifications.messages where recipient = ${recipient} and template = 'otp.feedback'
        order by id desc limit 1`.execute(database.db);
      return /(\d{6})/.exec(r.rows[0]?.body ?? '')?.[1];
    },
    async close() {
      await app.close();
      await dispatcher.stop();
      await database.close();
      await t.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let serial = 0;

/** An account with a live session (a cookie), optionally an officer with roles as [agency, role]. */
export async function signedIn(
  database: Database,
  kind: 'citizen' | 'officer',
  grants: Array<[string, string]> = [],
): Promise<{ id: string; cookie: string }> {
  const db = database.db;
  const n = ++serial;
  const a = await sql<{ id: string }>`
    insert into identity.accounts (kind, display_name, personal_id, email, email_verified_at)
    values (${kind}, ${`Người thử ${n}`}, ${kind === 'citizen' ? `0011910${String(n).padStart(5, '0')}` : null},
            ${`pakn.${n}.${randomBytes(3).toString('hex')}@example.vn`}, now())
    returning id`.execute(db);
  const id = a.rows[0]!.id;
  if (kind === 'officer') {
    await sql`insert into identity.officers (account_id, agency_code, title) values (${id}, ${grants[0]?.[0] ?? 'CP'}, null)`.execute(
      db,
    );
    for (const [agency, role] of grants)
      await sql`insert into identity.role_grants (account_id, agency_code, role) values (${id}, ${agency}, ${role})`.execute(
        db,
      );
  }
  const token = randomBytes(32).toString('base64url');
  await sql`insert into identity.sessions (token_hash, account_id, expires_at, idle_timeout_seconds, assurance)
            values (${createHash('sha256').update(token).digest('hex')}, ${id}, now() + interval '60 days', 5184000,
                    ${kind === 'officer' ? 2 : 1})`.execute(db);
  return { id, cookie: `sid=${token}` };
}
