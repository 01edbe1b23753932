/**
 * The Fastify instance every module is registered on: TypeBox type provider, request ids, pino
 * logging with redaction, problem+json errors, the input rule, security headers, OpenAPI 3.1, metrics.
 */

import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import type { Config } from '../config/index.ts';
import { inputPlugin } from '../input/index.ts';
import { access, enforceAccessDeclarations } from './access.ts';
import { loggerOptions, RequestLog } from './logging.ts';
import { problemPlugin } from './problem.ts';

export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface ServerOptions {
  /** Where log lines go (standard output by default; tests read them). */
  logStream?: DestinationStream;
}

export async function createServer(config: Config, options: ServerOptions = {}): Promise<AppInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            ...loggerOptions(config.logLevel),
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    // Fastify's two lines per request (received, completed) become one.
    logController: new RequestLog(),
    // A hop count trusts that many proxies in front of us (as proxy-addr does for a number).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Before any route is added, so that every route (ours and the plugins') passes through it.
  enforceAccessDeclarations(app);

  await app.register(problemPlugin);
  // Hostile input (NUL, unpaired surrogates, deep JSON, unsafe numbers) refused at the edge, for every
  // route registered after this: platform/input.
  await app.register(inputPlugin);
  // Security headers: helmet's middleware built once (a per-request rebuild, as @fastify/helmet does,
  // cost ~4 % of the CPU of a search request), applied to the raw response so that responses written
  // by hijacking routes (oidc-provider) carry them too.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(config.nodeEnv === 'production' ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity:
      config.nodeEnv === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
  });
  // helmet's headers are the same for every response: read them once from its middleware and set
  // them from a list. JSON APIs get the subset that means something for a response no browser renders
  // as a page (nosniff, no framing, CORP, referrer, HSTS) and a CSP that forbids everything; pages,
  // sign-in and OIDC get them all.
  const pageHeaders = captureHeaders(securityHeaders);
  const API_ONLY = new Set([
    'x-content-type-options',
    'x-frame-options',
    'cross-origin-resource-policy',
    'referrer-policy',
    'strict-transport-security',
  ]);
  const apiHeaders: Array<[string, string]> = [
    ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
    ...pageHeaders.filter(([name]) => API_ONLY.has(name)),
  ];
  app.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    raw.setHeader('x-request-id', request.id);
    for (const [name, value] of isDataPath(request.url) ? apiHeaders : pageHeaders)
      raw.setHeader(name, value);
    done();
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1_048_576 });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cổng DVC API',
        version: '1',
        description:
          'API của Cổng Dịch vụ công: danh mục đơn vị hành chính, cơ quan, lịch làm việc và hạn giải quyết. ' +
          'Lỗi trả về theo application/problem+json (RFC 9457) kèm mã yêu cầu (requestId).\n\n' +
          'API of the public-service portal. Errors are application/problem+json (RFC 9457) with the request id.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      servers: [{ url: config.publicUrl }],
      tags: [
        {
          name: 'admin-units',
          description: 'Đơn vị hành chính (có phiên bản theo thời gian) / Administrative units',
        },
        { name: 'agencies', description: 'Cơ quan, mã định danh / Agencies and identifier codes' },
        { name: 'calendar', description: 'Ngày nghỉ, hạn giải quyết / Holidays and due dates' },
        {
          name: 'oidc-clients',
          description: 'Ứng dụng kết nối đăng nhập một lần / Single sign-on clients (scope clients)',
        },
        {
          name: 'procedures',
          description: 'Thủ tục hành chính: tìm kiếm, chi tiết, xuất nhập / The procedure catalogue',
        },
        {
          name: 'dossiers',
          description: 'Hồ sơ trực tuyến: nộp, xử lý, kết quả / Online dossiers and their workflow',
        },
        {
          name: 'sync',
          description:
            'Đồng bộ với hệ thống một cửa của bộ, ngành, địa phương; tra cứu hồ sơ / Status sync with agencies’ one-stop systems, outbound feed and webhooks, public lookup (machine scope sync)',
        },
        { name: 'health', description: 'Vận hành / Operations' },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/openapi.json', { config: { access: access.public }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  return app;
}

/**
 * Lets this response's forms lead to other origins: a sign-in or consent form ends in a redirect to the
 * relying party, and browsers apply `form-action` to every redirect after a form submission.
 */
export function allowFormActions(
  reply: { getHeader(name: string): unknown; header(name: string, value: string): unknown },
  origins: string[],
): void {
  const csp = reply.getHeader('content-security-policy');
  const safe = origins.filter((o) => /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o));
  if (typeof csp !== 'string' || safe.length === 0) return;
  reply.header(
    'content-security-policy',
    csp.replace("form-action 'self'", `form-action 'self' ${[...new Set(safe)].join(' ')}`),
  );
}

/** Paths only programs read (JSON, metrics): /api (not the API documentation), /health, /metrics, /adapter. */
function isDataPath(url: string): boolean {
  return /^\/(api|health|metrics|adapter)(\/|$|\?)/.test(url) && !url.startsWith('/api/docs');
}

/** The headers a connect-style middleware sets on a response (helmet sets the same ones every time). */
function captureHeaders(
  middleware: (req: never, res: never, next: (err?: unknown) => void) => void,
): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase());
    },
  };
  let failed: unknown;
  middleware({ headers: {} } as never, res as never, (err) => {
    failed = err;
  });
  if (failed) throw failed;
  return [...headers];
}
