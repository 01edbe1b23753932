/**
 * Enforces what every route declares in `config.access` (src/platform/http/access.ts), before body
 * parsing, CSRF checks or the handler:
 *
 *  - nobody signed in where a person must be: a page sends them to sign in and back; an API answers 401;
 *  - signed in, but not the kind of account or without the role: 404, as for a record that does not
 *    exist (the caller learns nothing about what is there);
 *  - machine routes: a client-credentials access token from our provider (`Authorization: Bearer`),
 *    401 without a valid one, 403 `insufficient_scope` without the scope (RFC 6750). The client and its
 *    agencies are on `request.machine` for the service to check the record's agency.
 *
 * Each decision is published on the `cong-dvc:access` diagnostics channel (the authorisation matrix
 * test listens there) and denials are logged.
 */
import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../platform/errors/index.ts';
import { isMachinePath, type RouteAccess, scopesOf } from '../../platform/http/index.ts';
import type { Role } from './identity.tables.ts';
import { ROLES } from './identity.tables.ts';

export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden' | 'insufficient-scope';

export interface AccessEvent {
  requestId: string;
  method: string;
  route: string;
  decision: AccessDecision;
}

export const ACCESS_CHANNEL = 'cong-dvc:access';
const accessChannel = channel(ACCESS_CHANNEL);

/** An agency system calling with a client-credentials token. */
export interface MachineCaller {
  clientId: string;
  clientName: string;
  scopes: string[];
  /** The agencies whose records this client may touch (client metadata `agency_codes`). */
  agencyCodes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    machine?: MachineCaller;
  }
}

export interface AccessPluginOptions {
  /** The roles an officer holds at some agency. */
  rolesOf(accountId: string): Promise<ReadonlySet<Role>>;
  /** The caller behind a bearer token, or undefined when the token is unknown, expired or revoked. */
  machineOf(token: string): Promise<MachineCaller | undefined>;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]{20,2048}=*)$/;

export const accessPlugin = fp(
  async (app: FastifyInstance, { rolesOf, machineOf }: AccessPluginOptions) => {
    // A route naming a role that does not exist is a mistake to catch at start-up, not a silent 404.
    app.addHook('onRoute', (route) => {
      const declared = (route.config as { access?: RouteAccess } | undefined)?.access;
      if (declared?.who === 'officer') {
        const unknown = declared.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
        if (unknown.length > 0 || declared.roles.length === 0)
          throw new Error(`Route ${route.url} declares unknown roles: ${unknown.join(', ') || '(none)'}`);
      }
    });

    app.decorateRequest('machine', undefined);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const declared = request.routeOptions.config.access;
      // Requests that matched no route (the 404 handler) have nothing to protect.
      if (!declared) return;
      const decision = await decide(request, declared);
      if (accessChannel.hasSubscribers) {
        accessChannel.publish({
          requestId: request.id,
          method: request.method,
          route: request.routeOptions.url ?? request.url,
          decision,
        } satisfies AccessEvent);
      }
      if (decision === 'allowed') return;
      request.log.info({ route: request.routeOptions.url, decision }, 'access denied');
      if (decision === 'forbidden') throw new NotFoundError('Không tìm thấy trang.');
      if (declared.who === 'machine') {
        const insufficient = decision === 'insufficient-scope';
        reply.header(
          'www-authenticate',
          insufficient
            ? `Bearer error="insufficient_scope", scope="${declared.scope}"`
            : request.headers.authorization
              ? 'Bearer error="invalid_token"'
              : 'Bearer',
        );
        if (insufficient)
          throw new ForbiddenError(`Mã truy cập không có phạm vi "${scopesOf(declared).join('" hoặc "')}".`);
        throw new UnauthorizedError(
          'Cần mã truy cập hợp lệ (Authorization: Bearer) cấp theo luồng client credentials.',
        );
      }
      // A person who is not signed in: an API says so, a page sends them to sign in and back.
      if (isMachinePath(request.url)) throw new UnauthorizedError('Vui lòng đăng nhập để tiếp tục.');
      const back = request.method === 'GET' ? `?tiep=${encodeURIComponent(request.url)}` : '';
      return reply.code(303).redirect(`/dang-nhap${back}`);
    });

    async function decide(request: FastifyRequest, declared: RouteAccess): Promise<AccessDecision> {
      switch (declared.who) {
        case 'public':
          return 'allowed';
        case 'account': {
          const account = request.account;
          if (!account) return 'unauthenticated';
          if (declared.kinds && !declared.kinds.includes(account.kind)) return 'forbidden';
          return 'allowed';
        }
        case 'officer': {
          const account = request.account;
          if (!account) return 'unauthenticated';
          if (account.kind !== 'officer' || account.assurance < 2) return 'forbidden';
          const held = await rolesOf(account.id);
          return declared.roles.some((r) => held.has(r as Role)) ? 'allowed' : 'forbidden';
        }
        case 'machine': {
          const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
          if (!token) return 'unauthenticated';
          const caller = await machineOf(token);
          if (!caller) return 'unauthenticated';
          if (!scopesOf(declared).some((s) => caller.scopes.includes(s))) return 'insufficient-scope';
          request.machine = caller;
          return 'allowed';
        }
      }
    }
  },
  { name: 'cong-dvc-access', dependencies: ['cong-dvc-sessions'] },
);
