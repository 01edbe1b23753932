/**
 * Who may call a route, declared on the route itself (`config: { access: … }`). Every route must
 * declare it: `createServer` refuses at start-up to register one that does not, so a new endpoint
 * cannot be forgotten. The identity module enforces the declaration before the handler runs; the
 * handler's service then checks the policy on the actual record (agency scope, ownership), and a
 * record outside the caller's scope answers 404 like one that does not exist.
 *
 *  - `public`: anyone (the catalogue, lookups, sign-in pages, health, OpenID Connect endpoints, which
 *    authenticate clients themselves).
 *  - `account`: a signed-in person; `kinds` narrows to some kinds of account.
 *  - `officer`: a signed-in officer holding at least one of `roles` at some agency.
 *  - `machine`: an agency system with a client-credentials access token carrying `scope` (several scopes,
 *    space-separated as in OAuth: any one of them is enough).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

export type AccountKindName = 'citizen' | 'business' | 'organisation' | 'officer';

export type RouteAccess =
  | { readonly who: 'public' }
  | { readonly who: 'account'; readonly kinds?: readonly AccountKindName[] }
  | { readonly who: 'officer'; readonly roles: readonly string[] }
  | { readonly who: 'machine'; readonly scope: string };

/** The scopes a machine route accepts (its `scope` is space-separated, as in OAuth). */
export const scopesOf = (declared: { readonly scope: string }): string[] =>
  declared.scope.split(' ').filter(Boolean);

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Shorthands for route declarations: `config: { access: access.public }`. */
export const access = {
  public: { who: 'public' } as RouteAccess,
  account: (...kinds: AccountKindName[]): RouteAccess =>
    kinds.length > 0 ? { who: 'account', kinds } : { who: 'account' },
  officer: (...roles: string[]): RouteAccess => ({ who: 'officer', roles }),
  /** Any one of `scopes` lets the token in (the feed takes `sync` and `feedback`). */
  machine: (...scopes: [string, ...string[]]): RouteAccess => ({ who: 'machine', scope: scopes.join(' ') }),
};

/** A registered route and what it declared (for the authorisation matrix and the docs). */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

/**
 * Routes added by third-party plugins that cannot carry our config: Swagger UI and the static assets.
 * Public by nature; anything else without a declaration stops start-up.
 */
const PLUGIN_PUBLIC_PREFIXES = ['/api/docs', '/assets/'];

export function enforceAccessDeclarations(app: FastifyInstance): void {
  const routes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { access?: RouteAccess };
    let declared = config.access;
    if (!declared) {
      if (!PLUGIN_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) {
        throw new Error(
          `Route ${String(route.method)} ${route.url} does not declare who may call it (config.access)`,
        );
      }
      declared = access.public;
      route.config = { ...config, access: declared };
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' && route.exposeHeadRoute !== false && routes.some((r) => r.url === route.url))
        continue;
      routes.push({ method, url: route.url, access: declared });
    }
  });
}
