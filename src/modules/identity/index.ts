/** The identity module: accounts, sessions, sign-in and registration (OIDC provider, officers and roles follow). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { RateLimiter, Secrets } from '../../platform/security/index.ts';
import { notifyAccount } from '../notifications/index.ts';
import { accessPlugin, type MachineCaller } from './access.ts';
import { createAccountLookupService } from './account-lookup.service.ts';
import { createClaims } from './claims.ts';
import { createDelegationsService } from './delegations.service.ts';
import { seedIdentityDemo } from './demo.ts';
import { createEnrolmentService } from './enrolment.service.ts';
import { identityNavigation } from './identity.navigation.ts';
import { createIdentityService } from './identity.service.ts';
import type { IdentityTables, Role } from './identity.tables.ts';
import { createOfficersService } from './officers.service.ts';
import { purgeExpiredOidcPayloads } from './oidc/adapter.ts';
import { clientsApiRoutes } from './oidc/clients.routes.ts';
import { createClientsService } from './oidc/clients.service.ts';
import { clientOrigins, oidcRoutes } from './oidc/oidc.routes.tsx';
import { renderLoggedOut, renderLogout, renderOidcError } from './oidc/pages.tsx';
import { createOidcProvider } from './oidc/provider.ts';
import { accountPages } from './pages/account.pages.tsx';
import { adminPages } from './pages/admin.pages.tsx';
import { enrolmentPages } from './pages/enrolment.pages.tsx';
import { lookupPages } from './pages/lookup.pages.tsx';
import { proofingPages } from './pages/proofing.pages.tsx';
import { recoveryPages } from './pages/recovery.pages.tsx';
import { registrationPages } from './pages/registration.pages.tsx';
import { signInPages } from './pages/sign-in.pages.tsx';
import { httpBusinessRegister, httpPopulationRegister } from './registers.http.ts';
import { type Registers, unconfiguredRegisters } from './registers.ts';
import { createRegistrationService } from './registration.service.ts';
import { accountOfSessionToken, clearSessionCookie, createSessionStore, sessionPlugin } from './sessions.ts';

export { ACCESS_CHANNEL, type AccessEvent, type MachineCaller } from './access.ts';
export { type DataAccess, recordDataAccess } from './data-access.ts';
export type { DelegationsService } from './delegations.service.ts';
export {
  DEMO_ACCOUNTS,
  DEMO_CLIENT,
  DEMO_OFFICER_PASSWORD,
  DEMO_SYNC_CLIENT,
  DEMO_TOTP_SECRET,
} from './demo.ts';
export type { IdentityService } from './identity.service.ts';
export type { Role } from './identity.tables.ts';
export {
  type BusinessRegister,
  type PopulationRegister,
  type Registers,
  RegisterUnavailableError,
} from './registers.ts';

/** The officers service on its own (roles down the agency tree), for jobs and tests built from parts. */
export function createOfficers(deps: {
  db: AnyDb;
  clock: Clock;
  lineageOf(code: string, date?: string): Promise<string[]>;
}) {
  return createOfficersService({ ...deps, db: scoped<IdentityTables>(deps.db) });
}
export type { OfficersService } from './officers.service.ts';

/**
 * A system administrator made from the command line on any database (src/cli/admin.ts), with a one-time
 * enrolment link where they set a password and an authenticator.
 */
export function createSystemAdministrator(
  deps: { db: AnyDb; clock: Clock },
  input: { email: string; name: string; hours?: number; publicUrl: string },
) {
  return createEnrolmentService({ db: scoped<IdentityTables>(deps.db), clock: deps.clock }).createSystemAdmin(
    input,
  );
}
export { registerOidcClient } from './oidc/clients.ts';
export { rotateSigningKey } from './oidc/keys.ts';
export type { CurrentAccount } from './sessions.ts';

/**
 * The national registers over HTTP as configured; one that is not configured answers every check with
 * RegisterUnavailableError (outside production only: production requires both).
 */
export function registersFrom(config: {
  population: { url: string; apiKey: string } | undefined;
  business: { url: string; apiKey: string } | undefined;
  timeoutMs: number;
}): Registers {
  const none = unconfiguredRegisters();
  return {
    population: config.population
      ? httpPopulationRegister({ ...config.population, timeoutMs: config.timeoutMs })
      : none.population,
    business: config.business
      ? httpBusinessRegister({ ...config.business, timeoutMs: config.timeoutMs })
      : none.business,
  };
}

export async function createIdentityModule(deps: {
  db: AnyDb;
  clock: Clock;
  secrets: Secrets;
  limiter: RateLimiter;
  secureCookies: boolean;
  publicUrl: string;
  trustProxy: boolean;
  /** From the agencies module: an agency and its ancestors, nearest first (role inheritance). */
  lineageOf(agencyCode: string): Promise<string[]>;
  /** From the agencies module: an agency and all below it, with names (administration pages). */
  subtreeOf(agencyCode: string): Promise<Array<{ code: string; name: string }>>;
  production: boolean;
  /**
   * The national registers that prove citizens and businesses (registersFrom(config.registers)); without
   * them nobody can be proven (every check is unavailable).
   */
  registers?: Registers;
}) {
  const db: Kysely<IdentityTables> = scoped<IdentityTables>(deps.db);
  const sessions = createSessionStore(db, deps.clock);
  const service = createIdentityService({
    db,
    clock: deps.clock,
    secrets: deps.secrets,
    limiter: deps.limiter,
    sessions,
  });
  const registration = createRegistrationService({
    db,
    clock: deps.clock,
    sessions,
    challenges: service.challenges,
    registers: deps.registers ?? unconfiguredRegisters(),
    limiter: deps.limiter,
  });
  const officers = createOfficersService({ db, clock: deps.clock, lineageOf: deps.lineageOf });
  const delegations = createDelegationsService({ db, clock: deps.clock });
  const enrolment = createEnrolmentService({ db, clock: deps.clock });
  const cookieKey = (await deps.secrets.get('oidc-cookies')).toString('base64url');
  const claims = createClaims(db);
  const claimsOf = claims.claimsOf;
  const provider = await createOidcProvider({
    issuer: deps.publicUrl,
    db: deps.db,
    cookieKeys: [cookieKey],
    secureCookies: deps.secureCookies,
    trustProxy: deps.trustProxy,
    claimsOf,
    recordRelease: async (r) => {
      await db
        .insertInto('identity.data_access_log')
        .values({
          account_id: r.accountId,
          accessor_kind: 'client',
          accessor_id: r.clientId,
          accessor_name: r.clientName,
          purpose: r.use === 'userinfo' ? 'userinfo' : 'sign-in (id_token)',
          fields: r.fields,
        })
        .execute();
    },
    portalAccountOf: (token) => accountOfSessionToken(db, deps.clock.now(), token),
    renderLogout,
    renderLoggedOut,
    renderError: renderOidcError,
  });
  const lookup = createAccountLookupService({
    db,
    clock: deps.clock,
    limiter: deps.limiter,
    officerLabel: async (accountId) => {
      const o = await db
        .selectFrom('identity.officers as o')
        .innerJoin('identity.accounts as a', 'a.id', 'o.account_id')
        .select(['a.display_name', 'o.title', 'o.agency_code'])
        .where('o.account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      const agency = (await deps.subtreeOf(o.agency_code))[0]?.name ?? o.agency_code;
      return `${o.display_name}${o.title ? `, ${o.title}` : ''} — ${agency}`;
    },
  });
  const clients = createClientsService({
    db: deps.db,
    clock: deps.clock,
    provider,
    agencyExists: async (code) => (await deps.lineageOf(code)).length > 0,
    production: deps.production,
  });
  return {
    service,
    registration,
    officers,
    clients,
    delegations,
    provider,
    /** "Tài khoản" in the account menu, account creation on the home page, administration on the desk. */
    navigation: identityNavigation({ officers }),
    /** Recurring work: expired sign-in state is deleted (it is already invisible when expired). */
    jobs: [
      {
        name: 'identity.purge-expired',
        everySeconds: 3600,
        async run(now: Date) {
          await purgeExpiredOidcPayloads(deps.db, now);
          const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
          await db
            .deleteFrom('identity.sessions')
            .where((eb) => eb.or([eb('expires_at', '<', monthAgo), eb('revoked_at', '<', monthAgo)]))
            .execute();
          await db
            .deleteFrom('identity.otp_challenges')
            .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
            .execute();
          await db.deleteFrom('identity.enrolments').where('expires_at', '<', monthAgo).execute();
        },
      },
    ] satisfies JobDefinition[],
    /** The embedded demo's accounts and relying party (README). */
    seedDemo: () => seedIdentityDemo(db),
    /**
     * The portal account id (TechID) of a citizen by personal ID number, or of a business or
     * organisation by tax code (TraCuuTechID of the DVCQG protocol). Callers record the read.
     */
    /**
     * A citizen's personal ID number and name, only when the account is proven (the population register
     * matched the number, name and date of birth, and the code reached the phone it holds): what is
     * held under a number — synced dossiers and their history — is shown only to its proven holder.
     * Undefined for an unproven, disabled or unknown account.
     */
    async personalIdOf(accountId: string): Promise<{ personalId: string; name: string } | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return undefined;
      const a = await db
        .selectFrom('identity.accounts')
        .select(['personal_id', 'display_name'])
        .where('id', '=', accountId)
        .where('kind', '=', 'citizen')
        .where('status', '=', 'active')
        .where('proofed_at', 'is not', null)
        .executeTakeFirst();
      return a?.personal_id ? { personalId: a.personal_id, name: a.display_name } : undefined;
    },

    /**
     * An account's own details for filing (the e-form is pre-filled with them; the dossier keeps the ID
     * number): name, personal ID number or tax code, date of birth, and the phone and e-mail only when
     * verified. Undefined for an unknown or disabled account.
     */
    async applicantProfile(accountId: string) {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return undefined;
      const a = await db
        .selectFrom('identity.accounts')
        .select([
          'kind',
          'display_name',
          'personal_id',
          'tax_code',
          'birth_date',
          'phone',
          'phone_verified_at',
          'email',
          'email_verified_at',
        ])
        .where('id', '=', accountId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (!a) return undefined;
      return {
        kind: a.kind,
        name: a.display_name,
        personalId: a.personal_id,
        taxCode: a.tax_code,
        birthDate: a.birth_date,
        phone: a.phone_verified_at ? a.phone : null,
        email: a.email_verified_at ? a.email : null,
      };
    },

    /**
     * Tells an account holder something (a notifications template) on their verified phone and e-mail;
     * nothing when they have neither. Once per `dedupeKey` and channel.
     */
    async notifyHolder(
      accountId: string,
      n: { template: string; params: Record<string, string>; dedupeKey: string },
    ): Promise<void> {
      if (!/^[0-9a-f-]{36}$/.test(accountId)) return;
      const a = await db
        .selectFrom('identity.accounts')
        .select(['phone', 'phone_verified_at', 'email', 'email_verified_at'])
        .where('id', '=', accountId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (!a) return;
      await db.transaction().execute((trx) =>
        notifyAccount(trx, {
          accountId,
          ...n,
          sms: a.phone_verified_at ? a.phone : null,
          email: a.email_verified_at ? a.email : null,
        }),
      );
    },

    async techIdOf(query: { personalId?: string; taxCode?: string }): Promise<string | undefined> {
      if (query.personalId && /^\d{12}$/.test(query.personalId)) {
        const r = await db
          .selectFrom('identity.accounts')
          .select('id')
          .where('personal_id', '=', query.personalId)
          .where('kind', '=', 'citizen')
          .where('status', '=', 'active')
          // A declared number may be someone else's: only its proven holder is named.
          .where('proofed_at', 'is not', null)
          .executeTakeFirst();
        return r?.id;
      }
      if (query.taxCode && /^\d{10}(-\d{3})?$/.test(query.taxCode)) {
        const r = await db
          .selectFrom('identity.accounts')
          .select('id')
          .where('tax_code', '=', query.taxCode)
          .where('kind', 'in', ['business', 'organisation'])
          .where('status', '=', 'active')
          // Businesses only once proven (organisations have no register here yet).
          .where((eb) => eb.or([eb('kind', '=', 'organisation'), eb('proofed_at', 'is not', null)]))
          .executeTakeFirst();
        return r?.id;
      }
      return undefined;
    },

    /**
     * A machine client by its client_id and secret, for protocols that sign in with a username and
     * password (the DVCQG adapter's `auth`): the same clients, scopes and agencies as client credentials.
     */
    async machineLogin(clientId: string, secret: string): Promise<MachineCaller | undefined> {
      if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(clientId) || secret.length === 0 || secret.length > 200)
        return undefined;
      const client = await provider.Client.find(clientId);
      if (!client?.grantTypes?.includes('client_credentials') || !client.clientSecret) return undefined;
      if (!client.compareClientSecret(secret)) return undefined;
      return {
        clientId: client.clientId,
        clientName: client.clientName ?? client.clientId,
        scopes: String(client.scope ?? '')
          .split(' ')
          .filter(Boolean),
        agencyCodes: (client.metadata() as { agency_codes?: string[] }).agency_codes ?? [],
      };
    },
    /** Enforces each route's `config.access`; register right after the session plugin. */
    accessPlugin: [
      accessPlugin,
      {
        rolesOf: (accountId: string) => officers.rolesOf(accountId),
        machineOf: async (token: string): Promise<MachineCaller | undefined> => {
          const t = await provider.ClientCredentials.find(token);
          if (!t || t.isExpired || !t.clientId) return undefined;
          const client = await provider.Client.find(t.clientId);
          if (!client) return undefined;
          const agencyCodes = (client.metadata() as { agency_codes?: string[] }).agency_codes ?? [];
          return {
            clientId: client.clientId,
            clientName: client.clientName ?? client.clientId,
            scopes: String(t.scope ?? '')
              .split(' ')
              .filter(Boolean),
            agencyCodes,
          };
        },
      },
    ] as const,
    /** Reads the session on every request; register before the modules' routes. */
    sessionPlugin: [sessionPlugin, { db, clock: deps.clock, secure: deps.secureCookies }] as const,
    async routes(app: AppInstance) {
      await app.register(accountPages, {
        service,
        delegations,
        adminLinksOf: async (accountId) => {
          const links: Array<{ href: string; vi: string; en: string }> = [];
          const admin = (await officers.agenciesWhere(accountId, 'agency-admin')).length > 0;
          const system = (await officers.agenciesWhere(accountId, 'system-admin')).length > 0;
          if (admin || system)
            links.push({ href: '/quan-tri/can-bo', vi: 'Cán bộ của cơ quan', en: 'Officers' });
          const roles = await officers.rolesOf(accountId);
          if (['hotline-operator', 'receiver', 'system-admin'].some((r) => roles.has(r as Role)))
            links.push({
              href: '/quan-tri/tra-cuu-tai-khoan',
              vi: 'Tra cứu tài khoản để hỗ trợ',
              en: 'Look up an account',
            });
          if (roles.size > 0)
            links.push({
              href: '/quan-tri/dong-bo',
              vi: 'Giám sát đồng bộ hồ sơ',
              en: 'Dossier sync monitoring',
            });
          if (await officers.can(accountId, 'system-admin', 'CP')) {
            links.push({
              href: '/quan-tri/ung-dung',
              vi: 'Ứng dụng kết nối (OpenID Connect)',
              en: 'Connected applications',
            });
            // The sync module's page (outbound webhooks to agency systems).
            links.push({
              href: '/quan-tri/dong-bo/webhook',
              vi: 'Gửi hồ sơ đến hệ thống của cơ quan (webhook)',
              en: 'Outbound delivery (webhooks)',
            });
          }
          return links;
        },
      });
      await app.register(signInPages, {
        service,
        secureCookies: deps.secureCookies,
        relyingPartyOrigins: async (next) => {
          const uid = /^\/uy-quyen\/([A-Za-z0-9_-]{10,64})$/.exec(next)?.[1];
          if (!uid) return [];
          const interaction = await provider.Interaction.find(uid);
          const clientId = interaction?.params.client_id;
          return typeof clientId === 'string' ? clientOrigins(await provider.Client.find(clientId)) : [];
        },
      });
      await app.register(registrationPages, { registration, secureCookies: deps.secureCookies });
      await app.register(recoveryPages, { service });
      await app.register(proofingPages, { registration });
      await app.register(enrolmentPages, { enrolment });
      await app.register(adminPages, {
        officers,
        secondFactorLock: service.secondFactorLock,
        clients,
        subtreeOf: deps.subtreeOf,
      });
      await app.register(clientsApiRoutes, { clients });
      await app.register(lookupPages, { lookup });
      await app.register(oidcRoutes, {
        provider,
        claimsOf,
        withheldOf: claims.withheldOf,
        now: () => deps.clock.now(),
        // Signing out at the provider (RP-initiated logout) signs out of the portal too.
        onProviderLogout: async (request: FastifyRequest, reply: FastifyReply) => {
          // When the provider ends the session of another account (someone else signed in to the portal
          // on this browser since), the person now signed in stays signed in.
          const cookie = request.cookies._session;
          const ending = cookie ? await provider.Session.find(cookie) : undefined;
          if (ending?.accountId && request.account && ending.accountId !== request.account.id) return;
          if (request.account) await sessions.revoke(request.account.sessionHash);
          clearSessionCookie(reply, deps.secureCookies);
        },
      });
    },
  };
}
