/**
 * CSRF protection for every state-changing form: a synchroniser token, HMAC(key, binding), where the
 * binding is the session (set by the identity module) or, before sign-in, a random anonymous cookie.
 * Forms carry it in a hidden `_csrf` field; a POST/PUT/PATCH/DELETE to a page route without the right
 * token is refused with 403. JSON API routes under /api are not cookie-authenticated and are exempt.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError } from '../errors/index.ts';
import { isMachinePath } from '../http/problem.ts';
import type { Secrets } from './secrets.ts';

export const ANON_COOKIE = 'csrf_id';
export const CSRF_FIELD = '_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the session layer: what the CSRF token is bound to (a hash of the session token). */
    csrfBinding?: string;
  }
  interface FastifyReply {
    /** The token to put in the forms of this response. */
    csrfToken(): Promise<string>;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const csrfPlugin = fp(
  async (app: FastifyInstance, options: { secrets: Secrets; secureCookies: boolean }) => {
    const key = () => options.secrets.get('csrf');
    const sign = async (binding: string) =>
      createHmac('sha256', await key())
        .update(binding)
        .digest('base64url');

    function anonBinding(request: FastifyRequest, reply: FastifyReply): string {
      const existing = request.cookies[ANON_COOKIE];
      if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return `anon:${existing}`;
      const fresh = randomBytes(24).toString('base64url');
      request.cookies[ANON_COOKIE] = fresh;
      reply.setCookie(ANON_COOKIE, fresh, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
      });
      return `anon:${fresh}`;
    }

    app.decorateRequest('csrfBinding', undefined);
    app.decorateReply('csrfToken', async function csrfToken(this: FastifyReply) {
      return sign(this.request.csrfBinding ?? anonBinding(this.request, this));
    });

    app.addHook('preHandler', async (request) => {
      if (!UNSAFE.has(request.method) || isMachinePath(request.url)) return;
      const body = request.body as Record<string, unknown> | undefined;
      const given =
        typeof body?.[CSRF_FIELD] === 'string'
          ? (body[CSRF_FIELD] as string)
          : request.headers['x-csrf-token'];
      const binding =
        request.csrfBinding ??
        (request.cookies[ANON_COOKIE] ? `anon:${request.cookies[ANON_COOKIE]}` : undefined);
      const ok = typeof given === 'string' && binding !== undefined && safeEqual(given, await sign(binding));
      if (!ok) {
        throw new ForbiddenError(
          'Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại. / The form has expired or is invalid: reload the page and submit again.',
        );
      }
    });
  },
  { name: 'cong-dvc-csrf', dependencies: ['@fastify/cookie'] },
);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
