/**
 * For the dossiers module's integration tests: a fresh database (PGlite, or PostgreSQL with
 * DATABASE_URL) with the migrations and reference data, the real agencies module and calendar, a clock
 * the test moves, a procedure catalogue given as data, and the identity module's answers (roles inherited
 * down the real agency tree, delegations, profiles) given as data too.
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../../../test/helpers/database.ts';
import { prepareDatabase } from '../../bootstrap.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { type Database, openDatabase, scoped } from '../../platform/db/index.ts';
import { createAgenciesModule } from '../agencies/index.ts';
import { createCalendarService } from '../calendar/index.ts';
import type { OfficerRole } from './domain/workflow.ts';
import {
  agencyDirectoryFrom,
  type People,
  type ProcedureForFiling,
  type ProcedureSource,
  workingTimeFrom,
} from './dossiers.ports.ts';
import { createDossiersService, type DossiersService } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

/** A Vietnam-time instant, 'YYYY-MM-DD HH:MM'. */
export const vn = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+07:00`);

export const PROCEDURES: ProcedureForFiling[] = [
  {
    code: '2.000505',
    version: 1,
    name: 'Cấp Phiếu lý lịch tư pháp',
    levels: ['province'],
    implementingAgencies: [{ name: 'Sở Tư pháp' }],
    audiences: ['citizen'],
    channels: [
      { channel: 'online', times: [{ amount: 10, unit: 'working-day' }] },
      { channel: 'in-person', times: [{ amount: 10, unit: 'working-day' }] },
    ],
    after15hRule: false,
  },
  {
    code: '2.000815',
    version: 1,
    name: 'Chứng thực bản sao từ bản chính',
    levels: ['commune'],
    implementingAgencies: [{ name: 'Ủy ban nhân dân cấp xã' }],
    audiences: ['citizen', 'business'],
    channels: [{ channel: 'online', times: [{ amount: 1, unit: 'working-day' }] }],
    after15hRule: true,
  },
  {
    code: '1.001612',
    version: 2,
    name: 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp',
    levels: ['province'],
    implementingAgencies: [{ name: 'Sở Tài chính' }],
    audiences: ['business'],
    channels: [{ channel: 'online', times: [{ amount: 3, unit: 'working-day' }] }],
    after15hRule: false,
  },
  {
    code: '1.008000',
    version: 1,
    name: 'Thủ tục cấp trung ương (thử)',
    levels: ['central'],
    implementingAgencies: [{ name: 'Bộ Tư pháp', agencyCode: 'BTP' }],
    audiences: ['citizen'],
    channels: [{ channel: 'online', times: [{ amount: 15, unit: 'day' }] }],
    after15hRule: false,
  },
  {
    code: '1.009000',
    version: 1,
    name: 'Thủ tục cấp tỉnh có 15 giờ (thử)',
    levels: ['province'],
    implementingAgencies: [{ name: 'Ủy ban nhân dân cấp tỉnh' }],
    audiences: ['citizen'],
    channels: [{ channel: 'online', times: [{ amount: 1, unit: 'working-day' }] }],
    after15hRule: true,
  },
];

export interface Officer {
  id: string;
  name: string;
  title: string;
  department: string;
}

export interface Harness {
  database: Database;
  service: DossiersService;
  /** The same service over another procedure source (e.g. the real catalogue). */
  serviceWith(procedures: ProcedureSource): DossiersService;
  clock: Clock & { set(at: Date | string): void; advance(ms: number): void };
  /** A new officer holding the roles at the agency (inherited below it). */
  officer(agencyCode: string, roles: OfficerRole[], name?: string): Officer;
  /** A new applicant account. */
  account(name?: string): { id: string; name: string };
  delegate(delegateId: string, businessId: string, procedures: string[] | 'all'): void;
  close(): Promise<void>;
}

export async function dossiersHarness(start: Date): Promise<Harness> {
  const t = await createTestDatabase({ prepared: true });
  const database = await openDatabase(t.options);
  await prepareDatabase(database, { agencyIdentifiersFile: undefined });
  let now = start;
  const clock = {
    now: () => new Date(now),
    set(at: Date | string) {
      now = typeof at === 'string' ? vn(at) : at;
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
  const agencies = createAgenciesModule({ db: database.db, clock }).service;
  const calendar = createCalendarService({
    db: database.db,
    clock,
    officeHoursFor: (code, date) => agencies.officeHoursFor(code, date),
  });
  const grants: Array<{ accountId: string; role: OfficerRole; agency: string }> = [];
  const delegations: Array<{ delegate: string; business: string; procedures: string[] | 'all' }> = [];
  const profiles = new Map<string, { name: string; title: string | null; department: string | null }>();
  const people: People = {
    async can(accountId, role, agencyCode) {
      const mine = grants.filter((g) => g.accountId === accountId && g.role === role);
      if (mine.length === 0) return false;
      const lineage = await agencies.lineageOf(agencyCode);
      return mine.some((g) => lineage.includes(g.agency));
    },
    async mayActFor(accountId, businessId, procedureCode) {
      if (accountId === businessId) return true;
      return delegations.some(
        (d) =>
          d.delegate === accountId &&
          d.business === businessId &&
          (d.procedures === 'all' || d.procedures.includes(procedureCode)),
      );
    },
    async profileOf(accountId) {
      return profiles.get(accountId);
    },
  };
  const serviceWith = (procedures: ProcedureSource) =>
    createDossiersService({
      db: scoped<DossiersTables>(database.db),
      clock,
      procedures,
      agencies: agencyDirectoryFrom(agencies),
      people,
      workingTimeFor: workingTimeFrom(calendar),
    });
  const service = serviceWith({
    async find(code, version) {
      return PROCEDURES.find((p) => p.code === code && (version === undefined || p.version === version));
    },
  });
  let n = 0;
  return {
    database,
    service,
    serviceWith,
    clock,
    officer(agencyCode, roles, name) {
      const id = randomUUID();
      const o = {
        id,
        name: name ?? `Cán bộ ${++n}`,
        title: 'Chuyên viên',
        department: `Phòng ${agencyCode}`,
      };
      profiles.set(id, { name: o.name, title: o.title, department: o.department });
      for (const role of roles) grants.push({ accountId: id, role, agency: agencyCode });
      return o;
    },
    account(name) {
      const id = randomUUID();
      const a = { id, name: name ?? `Công dân ${++n}` };
      profiles.set(id, { name: a.name, title: null, department: null });
      return a;
    },
    delegate(delegate, business, procedures) {
      delegations.push({ delegate, business, procedures });
    },
    async close() {
      await database.close();
      await t.drop();
    },
  };
}
