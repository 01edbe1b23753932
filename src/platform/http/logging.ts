/**
 * pino options: JSON lines, request id on every line, personal data redacted. URLs are logged without
 * their query string (a public lookup carries part of an ID number there); headers that carry
 * credentials and body fields that carry personal data never reach the log.
 *
 * One line per request (`RequestLog`), instead of Fastify's two: method, the route's pattern (never the
 * raw URL, whose path and query can carry codes and ID numbers), status and duration, with the request
 * id. Health probes, metrics scrapes and static assets only at debug.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { LogLevel } from '../config/index.ts';

/** Field names (first and second level of a logged object) whose values are personal data or secrets. */
export const REDACTED_KEYS = [
  'password',
  'newPassword',
  'otp',
  'token',
  'secret',
  'session',
  'email',
  'phone',
  'idNumber',
  'SoDinhDanh',
  'SoCMND',
  'SoDienThoai',
  'ThuDienTu',
  'Email',
  'SoGiayToChuHoSo',
  'NgayThangNamSinh',
  'HoVaTen',
  'ChuHoSo',
] as const;

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service: 'cong-dvc' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        ...REDACTED_KEYS,
        ...REDACTED_KEYS.map((k) => `*.${k}`),
        ...REDACTED_KEYS.map((k) => `*.*.${k}`),
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: FastifyRequest) {
        return {
          method: req.method,
          url: (req.url ?? '').split('?')[0],
          route: req.routeOptions?.url,
          remoteAddress: req.ip,
        };
      },
    },
  };
}

/** Requests logged at debug only: load-balancer probes, Prometheus scrapes, stylesheets and fonts. */
const QUIET = /^\/(health\/|metrics(?:[/?]|$)|assets\/)/;

/** The line logged when a response has been sent. */
export function requestLine(request: FastifyRequest, reply: FastifyReply) {
  const route = request.routeOptions.url ?? '(no route)';
  const ms = Math.round(reply.elapsedTime * 10) / 10;
  return {
    fields: { method: request.method, route, status: reply.statusCode, ms },
    message: `${request.method} ${route} ${reply.statusCode} ${ms} ms`,
  };
}

/**
 * Fastify's own lines about requests, replaced: nothing when a request arrives or matches no route (the
 * raw URL would be logged), one line when its response has been sent.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const { fields, message } = requestLine(request, reply);
    if (error) reply.log.error({ ...fields, err: error }, message);
    else if (QUIET.test(request.url)) reply.log.debug(fields, message);
    else reply.log.info(fields, message);
  }
}
