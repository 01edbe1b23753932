/**
 * One error handler for the whole app. API callers get `application/problem+json` (RFC 9457) with the
 * request id; people in a browser get an error page in their language. Messages of 4xx problems are
 * shown; a 5xx shows only a generic sentence and the request id (the details go to the log).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../db/index.ts';
import { AppError, TooManyRequestsError } from '../errors/index.ts';
import { apiLocale, type Locale, localeFrom } from '../i18n/index.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
  [extension: string]: unknown;
}

export type HtmlErrorRenderer = (request: FastifyRequest, reply: FastifyReply, problem: Problem) => string;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Members added to every problem this route answers with, for callers that read their own protocol's
     * fields (the DVCQG adapter's `error_code` and `message`).
     */
    problemExtras?: (problem: Problem) => Record<string, unknown>;
  }
  interface FastifyInstance {
    /** Set by the web plugin: renders a problem as an HTML page for browsers. */
    htmlErrorRenderer?: HtmlErrorRenderer;
  }
}

const STATUS_TITLES: Record<number, { vi: string; en: string; slug: string }> = {
  400: { vi: 'Yêu cầu không hợp lệ', en: 'Bad request', slug: 'bad-request' },
  401: { vi: 'Cần đăng nhập', en: 'Authentication required', slug: 'unauthorized' },
  403: { vi: 'Không có quyền', en: 'Forbidden', slug: 'forbidden' },
  404: { vi: 'Không tìm thấy', en: 'Not found', slug: 'not-found' },
  405: { vi: 'Phương thức không được hỗ trợ', en: 'Method not allowed', slug: 'method-not-allowed' },
  406: { vi: 'Định dạng không được hỗ trợ', en: 'Not acceptable', slug: 'not-acceptable' },
  409: { vi: 'Xung đột trạng thái', en: 'Conflict', slug: 'conflict' },
  413: { vi: 'Dữ liệu gửi lên quá lớn', en: 'Payload too large', slug: 'payload-too-large' },
  415: { vi: 'Kiểu dữ liệu không được hỗ trợ', en: 'Unsupported media type', slug: 'unsupported-media-type' },
  422: { vi: 'Dữ liệu không hợp lệ', en: 'Unprocessable content', slug: 'validation' },
  429: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests', slug: 'too-many-requests' },
  500: { vi: 'Lỗi hệ thống', en: 'Internal error', slug: 'internal' },
  503: { vi: 'Dịch vụ tạm thời không sẵn sàng', en: 'Service unavailable', slug: 'unavailable' },
};

/** Seconds a caller is asked to wait while the database cannot be reached. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const DATABASE_DOWN = {
  vi: 'Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút; dữ liệu đã gửi chưa được lưu.',
  en: 'The system cannot reach its database for the moment. Please try again in a few minutes; what you sent was not stored.',
};

const GENERIC_5XX = {
  vi: 'Hệ thống gặp sự cố và chưa xử lý được yêu cầu. Vui lòng thử lại sau; nếu lỗi lặp lại, hãy báo mã yêu cầu cho bộ phận hỗ trợ.',
  en: 'The system could not complete the request. Please try again later; if it happens again, give the request id to support.',
};

/** Routes whose callers are programs: always problem+json, never an HTML page. */
export function isMachinePath(url: string): boolean {
  return /^\/(api|health|metrics|adapter|paygate|\.well-known|oidc)(\/|$|\?)/.test(url);
}

function wantsHtml(request: FastifyRequest): boolean {
  if (isMachinePath(request.url)) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

/** Pages follow the page language (?lang=, cookie); API callers get Accept-Language. */
function problemLocale(request: FastifyRequest): Locale {
  return wantsHtml(request)
    ? localeFrom(request.query, request.headers.cookie)
    : apiLocale(request.headers['accept-language']);
}

function problemFor(request: FastifyRequest, status: number, locale: Locale): Problem {
  const t = STATUS_TITLES[status] ?? (status >= 500 ? STATUS_TITLES[500]! : STATUS_TITLES[400]!);
  return {
    type: `/problems/${t.slug}`,
    title: t[locale],
    status,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
  };
}

function validationErrors(error: FastifyError): Array<{ path: string; message: string }> {
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const base = `${error.validationContext ?? ''}${v.instancePath ?? ''}`.replace(/\//g, '.');
    return {
      path: missing ? `${base}.${missing}` : base || (error.validationContext ?? ''),
      message: v.message ?? 'invalid',
    };
  });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const app = request.server;
  reply.code(problem.status);
  if (problem.status === 503 && reply.getHeader('retry-after') === undefined)
    reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  const extras = request.routeOptions?.config?.problemExtras?.(problem);
  if (extras) Object.assign(problem, extras);
  if (wantsHtml(request) && app.htmlErrorRenderer) {
    return reply.type('text/html; charset=utf-8').send(app.htmlErrorRenderer(request, reply, problem));
  }
  return reply.type('application/problem+json; charset=utf-8').send(problem);
}

export const problemPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const locale = problemLocale(request);
    if (error instanceof AppError) {
      const internal = error.status >= 500;
      const problem: Problem = {
        ...(internal ? {} : error.extras),
        type: `/problems/${error.slug}`,
        title: error.title[locale],
        status: error.status,
        detail: internal ? GENERIC_5XX[locale] : error.message,
        instance: request.url.split('?')[0],
        requestId: String(request.id),
      };
      if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
      if (internal) request.log.error({ err: error }, 'request failed');
      return sendProblem(request, reply, problem);
    }
    if (error.validation) {
      const problem = problemFor(request, 400, locale);
      problem.type = '/problems/validation';
      problem.title = locale === 'vi' ? 'Dữ liệu không hợp lệ' : 'Invalid input';
      const errors = validationErrors(error);
      const listed = errors.map((e) => `${e.path} ${e.message}`).join('; ');
      problem.errors = errors;
      problem.detail =
        locale === 'vi' ? `Yêu cầu có trường không hợp lệ: ${listed}` : `Invalid fields: ${listed}`;
      return sendProblem(request, reply, problem);
    }
    // The database cannot be reached (stopped, restarting, network, pool exhausted): nothing about the
    // request was wrong, and nothing of it was stored — come back later, as for any 503.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      const problem = problemFor(request, 503, locale);
      problem.detail = DATABASE_DOWN[locale];
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return sendProblem(request, reply, problem);
    }
    // A unique key lost a race (two requests creating the same thing): a conflict, not a fault. The
    // constraint, not the check before it, is what keeps the record single.
    if ((error as { code?: unknown }).code === '23505') {
      const problem = problemFor(request, 409, locale);
      problem.detail =
        locale === 'vi'
          ? 'Bản ghi này vừa được tạo bởi một yêu cầu khác. Vui lòng tải lại trang.'
          : 'This record was just created by another request. Please reload.';
      return sendProblem(request, reply, problem);
    }
    if ((error as { name?: unknown }).name === 'NoResultError') {
      const problem = problemFor(request, 404, locale);
      problem.detail = locale === 'vi' ? 'Không tìm thấy.' : 'Not found.';
      return sendProblem(request, reply, problem);
    }
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    const problem = problemFor(request, status, locale);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      problem.detail = GENERIC_5XX[locale];
    } else {
      problem.detail = error.message;
    }
    if (status === 429 && reply.getHeader('retry-after') === undefined) reply.header('retry-after', '1');
    return sendProblem(request, reply, problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const locale = problemLocale(request);
    const problem = problemFor(request, 404, locale);
    problem.detail =
      locale === 'vi'
        ? `Không có tài nguyên nào tại ${request.method} ${problem.instance}.`
        : `There is nothing at ${request.method} ${problem.instance}.`;
    return sendProblem(request, reply, problem);
  });
});
