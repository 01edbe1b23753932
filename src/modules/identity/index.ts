/** The identity module: accounts, sessions, sign-in and registration (OIDC provider, officers and roles follow). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import type { RateLimiter, Secrets } from '../../platform/security/index.ts';
import { accessPlugin } from './access.ts';
import { createAccountLookupService, officerLabeller } from './account-lookup.service.ts';
import { createClaims } from './claims.ts';
import { createDelegationsService } from './delegations.service.ts';
import { DEMO_OFFICERS, seedIdentityDemo } from './demo.ts';
import { normalizePhone } from './domain/index.ts';
import { createEnrolmentService } from './enrolment.service.ts';
import { identityNavigation } from './identity.navigation.ts';
import { accountsByIdentifier, purgeExpiredSignInState, recordRelease } from './identity.repository.ts';
import { createIdentityService } from './identity.service.ts';
import type { IdentityTables } from './identity.tables.ts';
import { holderNotifier } from './notify-holder.ts';
import { createOfficersService } from './officers.service.ts';
import { purgeExpiredOidcPayloads } from './oidc/adapter.ts';
import { clientsApiRoutes } from './oidc/clients.routes.ts';
import { createClientsService } from './oidc/clients.service.ts';
import { machineCallers } from './oidc/machine-callers.ts';
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
  DEMO_POLICE_CLIENT,
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
    recordRelease: (r) =>
      recordRelease(db, {
        accountId: r.accountId,
        clientId: r.clientId,
        clientName: r.clientName,
        purpose: r.use === 'userinfo' ? 'userinfo' : 'sign-in (id_token)',
        fields: r.fields,
      }),
    portalAccountOf: (token) => accountOfSessionToken(db, deps.clock.now(), token),
    renderLogout,
    renderLoggedOut,
    renderError: renderOidcError,
  });
  const machines = machineCallers(provider);
  const lookup = createAccountLookupService({
    db,
    clock: deps.clock,
    limiter: deps.limiter,
    officerLabel: officerLabeller(db, async (code) => (await deps.subtreeOf(code))[0]?.name),
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
          await purgeExpiredSignInState(db, now);
        },
      },
    ] satisfies JobDefinition[],
    /** The embedded demo's accounts and relying party (README). */
    seedDemo: () => seedIdentityDemo(db),
    /** A demo officer's account (for other modules' demo data), by its e-mail; undefined for anyone else. */
    async demoOfficerId(email: string): Promise<string | undefined> {
      if (!DEMO_OFFICERS.some((o) => o.email === email)) return undefined;
      const a = await db
        .selectFrom('identity.accounts')
        .select('id')
        .where('email', '=', email)
        .where('kind', '=', 'officer')
        .executeTakeFirst();
      return a?.id;
    },
    /**
     * See claims.ts: a proven citizen's number, an applicant's profile, the TechID of a number (for an
     * agency system, the read recorded), an applicant's contact for agency systems.
     */
    personalIdOf: claims.personalIdOf,
    applicantProfile: claims.applicantProfile,
    techIdOf: claims.techIdOf,
    techIdFor: claims.techIdFor.bind(claims),
    applicantContact: claims.applicantContact,
    /**
     * For the hotline desk: the account of a person (citizen, business, organisation) a personal ID, tax
     * code or phone names, or undefined (also when a phone names more than one). No access check and
     * nothing recorded here: the caller records the read in the person's data-access log.
     */
    async accountNamed(q: { personalId?: string; taxCode?: string; phone?: string }) {
      const phone = q.phone === undefined ? undefined : normalizePhone(q.phone);
      if (phone && !phone.ok) return undefined;
      const rows = (
        await accountsByIdentifier(db, {
          ...(q.personalId ? { personalId: q.personalId } : {}),
          ...(q.taxCode ? { taxCode: q.taxCode } : {}),
          ...(phone?.ok ? { phone: phone.value } : {}),
        })
      ).filter((a) => a.kind !== 'officer');
      const a = rows.length === 1 ? rows[0] : undefined;
      return a
        ? {
            id: a.id,
            kind: a.kind,
            displayName: a.display_name,
            personalId: a.personal_id,
            taxCode: a.tax_code,
            phone: a.phone,
            phoneVerified: a.phone_verified_at !== null,
            email: a.email,
            emailVerified: a.email_verified_at !== null,
            status: a.status,
          }
        : undefined;
    },
    /**
     * Tells an account holder something (a notifications template) on their verified phone and e-mail;
     * nothing when they have neither. Once per `dedupeKey` and channel.
     */
    notifyHolder: holderNotifier(db),
    /**
     * A machine client by its client_id and secret, for protocols that sign in with a username and
     * password (the DVCQG adapter's `auth`): the same clients, scopes and agencies as client credentials.
     */
    machineLogin: machines.login,
    /** Enforces each route's `config.access`; register right after the session plugin. */
    accessPlugin: [
      accessPlugin,
      {
        rolesOf: (accountId: string) => officers.rolesOf(accountId),
        machineOf: machines.ofToken,
      },
    ] as const,
    /** Reads the session on every request; register before the modules' routes. */
    sessionPlugin: [sessionPlugin, { db, clock: deps.clock, secure: deps.secureCookies }] as const,
    async routes(app: AppInstance) {
      await app.register(accountPages, {
        service,
        delegations,
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
