/**
 * pino options: JSON lines, request id on every line, personal data redacted. URLs are logged without
 * their query string (a public lookup carries part of an ID number there); headers that carry
 * credentials and body fields that carry personal data never reach the log.
 */
import type { FastifyRequest } from 'fastify';
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
