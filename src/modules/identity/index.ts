/** The identity module: accounts, sessions, sign-in and registration (OIDC provider, officers and roles follow). */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { type AnyDb, scoped } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { RateLimiter, Secrets } from '../../platform/security/index.ts';
import { createIdentityService } from './identity.service.ts';
import type { IdentityTables } from './identity.tables.ts';
import { identityPages } from './pages/identity.pages.tsx';
import { createSessionStore, sessionPlugin } from './sessions.ts';

export type { IdentityService } from './identity.service.ts';
export type { CurrentAccount } from './sessions.ts';

export function createIdentityModule(deps: {
  db: AnyDb;
  clock: Clock;
  secrets: Secrets;
  limiter: RateLimiter;
  secureCookies: boolean;
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
  return {
    service,
    /** Reads the session on every request; register before the modules' routes. */
    sessionPlugin: [sessionPlugin, { db, clock: deps.clock, secure: deps.secureCookies }] as const,
    async routes(app: AppInstance) {
      await app.register(identityPages, { service, secureCookies: deps.secureCookies });
    },
  };
}
