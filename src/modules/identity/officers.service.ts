/**
 * Officers and their roles. A role is granted at an agency and covers it and every agency below it
 * (a grant at UBND-01 covers Hà Nội's one-stop centre; a system-admin grant at CP covers everything).
 * Agency administrators create officers and grant the agency roles within their own subtree.
 */
import { type Kysely, sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { hashPassword, normalizeEmail, normalizePhone } from './domain/index.ts';
import type { IdentityTables, Role } from './identity.tables.ts';
import { ROLES } from './identity.tables.ts';

/** Roles an agency administrator may grant; the others are granted by a system administrator. */
const AGENCY_ROLES: readonly Role[] = [
  'receiver',
  'processor',
  'approver',
  'certifier',
  'cashier',
  'accountant',
  'agency-admin',
  'hotline-operator',
];

export interface OfficersServiceDeps {
  db: Kysely<IdentityTables>;
  clock: Clock;
  /** The agency and its ancestors on a date, nearest first (from the agencies module). */
  lineageOf(agencyCode: string): Promise<string[]>;
}

export type OfficersService = ReturnType<typeof createOfficersService>;

export function createOfficersService({ db, clock, lineageOf }: OfficersServiceDeps) {
  async function activeGrants(accountId: string) {
    return db
      .selectFrom('identity.role_grants')
      .select(['agency_code', 'role'])
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Does the account hold `role` at `agencyCode` (granted there or at an agency above it)? */
  async function can(accountId: string, role: Role, agencyCode: string): Promise<boolean> {
    const grants = (await activeGrants(accountId)).filter((g) => g.role === role);
    if (grants.length === 0) return false;
    const lineage = await lineageOf(agencyCode);
    return grants.some((g) => lineage.includes(g.agency_code));
  }

  async function mayGrant(actorId: string, role: Role, agencyCode: string): Promise<boolean> {
    if (await can(actorId, 'system-admin', agencyCode)) return true;
    return AGENCY_ROLES.includes(role) && (await can(actorId, 'agency-admin', agencyCode));
  }

  return {
    can,
    activeGrants,

    /** The roles the account holds at this agency (granted there or above it), in one pass. */
    async rolesAt(accountId: string, agencyCode: string): Promise<ReadonlySet<Role>> {
      const grants = await activeGrants(accountId);
      if (grants.length === 0) return new Set();
      const lineage = await lineageOf(agencyCode);
      return new Set(grants.filter((g) => lineage.includes(g.agency_code)).map((g) => g.role));
    },

    /** Name, and for an officer title and department, as processing histories record them. */
    async profileOf(
      accountId: string,
    ): Promise<{ name: string; title: string | null; department: string | null } | undefined> {
      const r = await db
        .selectFrom('identity.accounts as a')
        .leftJoin('identity.officers as o', 'o.account_id', 'a.id')
        .select(['a.display_name', 'o.title', 'o.department'])
        .where('a.id', '=', accountId)
        .executeTakeFirst();
      return r
        ? { name: r.display_name, title: r.title ?? null, department: r.department ?? null }
        : undefined;
    },

    /** The roles the account holds at some agency (what a route's declaration is checked against). */
    async rolesOf(accountId: string): Promise<ReadonlySet<Role>> {
      return new Set((await activeGrants(accountId)).map((g) => g.role));
    },

    /** Agencies (of the given ones, and below them) where the account holds `role`. */
    async agenciesWhere(accountId: string, role: Role): Promise<string[]> {
      return (await activeGrants(accountId)).filter((g) => g.role === role).map((g) => g.agency_code);
    },

    /**
     * Who holds `role` at this agency (an active grant there or at an agency above it), nearest grant
     * first: `depth` 0 for a grant at the agency itself, 1 at its parent… (the leaders of an agency are
     * its approvers at the smallest depth).
     */
    async holdersOf(
      role: Role,
      agencyCode: string,
    ): Promise<Array<{ accountId: string; agencyCode: string; depth: number }>> {
      const lineage = await lineageOf(agencyCode);
      if (lineage.length === 0) return [];
      const rows = await db
        .selectFrom('identity.role_grants')
        .select(['account_id', 'agency_code'])
        .where('role', '=', role)
        .where('revoked_at', 'is', null)
        .where('agency_code', 'in', lineage)
        .execute();
      const seen = new Set<string>();
      return rows
        .map((r) => ({
          accountId: r.account_id,
          agencyCode: r.agency_code,
          depth: lineage.indexOf(r.agency_code),
        }))
        .sort((a, b) => a.depth - b.depth || a.accountId.localeCompare(b.accountId))
        .filter((r) => !seen.has(r.accountId) && Boolean(seen.add(r.accountId)));
    },

    /** Officers working at one of these agencies, with their active roles there. */
    async officersAt(agencyCodes: string[]) {
      if (agencyCodes.length === 0) return [];
      const rows = await db
        .selectFrom('identity.officers as o')
        .innerJoin('identity.accounts as a', 'a.id', 'o.account_id')
        .leftJoin('identity.role_grants as g', (j) =>
          j.onRef('g.account_id', '=', 'o.account_id').on('g.revoked_at', 'is', null),
        )
        .select([
          'o.account_id',
          'a.display_name',
          'a.email',
          'o.agency_code',
          'o.title',
          'o.department',
          'o.totp_enrolled_at',
          'g.role',
          'g.agency_code as role_agency',
        ])
        .where('o.agency_code', 'in', agencyCodes)
        .orderBy('a.display_name')
        .execute();
      const byId = new Map<
        string,
        {
          accountId: string;
          name: string;
          email: string | null;
          agencyCode: string;
          title: string | null;
          department: string | null;
          enrolled: boolean;
          roles: string[];
        }
      >();
      for (const r of rows) {
        const o = byId.get(r.account_id) ?? {
          accountId: r.account_id,
          name: r.display_name,
          email: r.email,
          agencyCode: r.agency_code,
          title: r.title,
          department: r.department,
          enrolled: r.totp_enrolled_at !== null,
          roles: [],
        };
        if (r.role) o.roles.push(`${r.role}@${r.role_agency}`);
        byId.set(r.account_id, o);
      }
      return [...byId.values()];
    },

    async createOfficer(
      actorId: string,
      input: {
        agencyCode: string;
        displayName: string;
        email: string;
        phone?: string;
        title?: string;
        department?: string;
        roles: Role[];
        password?: string;
      },
    ) {
      const lineage = await lineageOf(input.agencyCode);
      if (lineage.length === 0) throw new NotFoundError(`Không có cơ quan mã ${input.agencyCode}.`);
      for (const role of input.roles) {
        if (!ROLES.includes(role))
          throw new ValidationError(`Vai trò không hợp lệ: ${role}`, [{ path: 'roles', message: role }]);
        if (!(await mayGrant(actorId, role, input.agencyCode))) {
          throw new ForbiddenError(`Bạn không có quyền giao vai trò ${role} tại ${input.agencyCode}.`);
        }
      }
      if (
        input.roles.length === 0 &&
        !(await can(actorId, 'agency-admin', input.agencyCode)) &&
        !(await can(actorId, 'system-admin', input.agencyCode))
      ) {
        throw new ForbiddenError(`Bạn không có quyền tạo cán bộ tại ${input.agencyCode}.`);
      }
      const email = normalizeEmail(input.email);
      if (!email.ok) throw new ValidationError(email.message, [{ path: 'email', message: email.message }]);
      const phone = input.phone ? normalizePhone(input.phone) : undefined;
      if (phone && !phone.ok)
        throw new ValidationError(phone.message, [{ path: 'phone', message: phone.message }]);
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const clash = await trx
          .selectFrom('identity.accounts')
          .select('id')
          .where('email', '=', email.value)
          .executeTakeFirst();
        if (clash) throw new ConflictError('Thư điện tử này đã được dùng cho một tài khoản khác.');
        const account = await trx
          .insertInto('identity.accounts')
          .values({
            kind: 'officer',
            display_name: input.displayName.normalize('NFC').trim(),
            personal_id: null,
            tax_code: null,
            birth_date: null,
            sex: null,
            email: email.value,
            // The administrator vouches for the work address; the officer sets a password through it.
            email_verified_at: now,
            phone: phone?.ok ? phone.value : null,
            phone_verified_at: null,
            password_hash: passwordHash,
            password_changed_at: passwordHash ? now : null,
            locked_until: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('identity.officers')
          .values({
            account_id: account.id,
            agency_code: lineage[0]!,
            title: input.title ?? null,
            department: input.department ?? null,
            totp_secret: null,
            totp_enrolled_at: null,
            totp_last_step: null,
            created_by: actorId,
          })
          .execute();
        for (const role of input.roles) {
          await trx
            .insertInto('identity.role_grants')
            .values({
              account_id: account.id,
              agency_code: lineage[0]!,
              role,
              granted_by: actorId,
              revoked_at: null,
              revoked_by: null,
            })
            .execute();
        }
        await appendAudit(
          trx,
          {
            actor: `officer:${actorId}`,
            action: 'officer.create',
            subject: `account:${account.id}`,
            data: { agency: lineage[0], roles: input.roles },
          },
          now,
        );
        return { accountId: account.id };
      });
    },

    async grant(actorId: string, accountId: string, role: Role, agencyCode: string) {
      if (!(await mayGrant(actorId, role, agencyCode))) {
        throw new ForbiddenError(`Bạn không có quyền giao vai trò ${role} tại ${agencyCode}.`);
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const r = await sql`
          insert into identity.role_grants (account_id, agency_code, role, granted_by)
          values (${accountId}, ${agencyCode}, ${role}, ${actorId})
          on conflict (account_id, agency_code, role) where revoked_at is null do nothing`.execute(trx);
        if (Number(r.numAffectedRows ?? 0) === 0) return;
        await appendAudit(
          trx,
          {
            actor: `officer:${actorId}`,
            action: 'role.grant',
            subject: `account:${accountId}`,
            data: { role, agency: agencyCode },
          },
          now,
        );
      });
    },

    async revoke(actorId: string, accountId: string, role: Role, agencyCode: string) {
      if (!(await mayGrant(actorId, role, agencyCode))) {
        throw new ForbiddenError(`Bạn không có quyền thu hồi vai trò ${role} tại ${agencyCode}.`);
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('identity.role_grants')
          .set({ revoked_at: now, revoked_by: actorId })
          .where('account_id', '=', accountId)
          .where('role', '=', role)
          .where('agency_code', '=', agencyCode)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return;
        await appendAudit(
          trx,
          {
            actor: `officer:${actorId}`,
            action: 'role.revoke',
            subject: `account:${accountId}`,
            data: { role, agency: agencyCode },
          },
          now,
        );
      });
    },
  };
}
