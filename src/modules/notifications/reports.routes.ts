/**
 * The SMS gateway's delivery reports: POST /api/v1/notifications/sms-reports, one report per request,
 * signed with the secret the gateway account is configured with (SMS_GATEWAY_REPORT_SECRET):
 *
 *   X-Sms-Timestamp: 1767225600                       (Unix seconds; at most 5 minutes off)
 *   X-Sms-Signature: v1=<hex HMAC-SHA256(secret, "{timestamp}.{raw body}")>
 *   { "messageId": "…", "requestId": "m42g0", "status": "delivered" | "failed" | "expired", "at": "…", "error": "…" }
 *
 * A report is applied once: a duplicate, a late one, or one about a message the portal does not know
 * answers 204 like the first, and changes nothing. A bad signature answers 401, a malformed report 400.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import { UnauthorizedError, ValidationError } from '../../platform/errors/index.ts';
import { type AppInstance, access } from '../../platform/http/index.ts';
import { parseJsonBody } from '../../platform/input/index.ts';
import type { Delivery } from './delivery.service.ts';
import { parseSmsStatus } from './sms-gateway.client.ts';

export const SMS_REPORTS_PATH = '/api/v1/notifications/sms-reports';
const TOLERANCE_SECONDS = 300;

/** The signature header of a report body (the gateway's side; the simulator signs the same way). */
export function signReport(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyReport(
  secret: string,
  headers: { timestamp: unknown; signature: unknown },
  body: string,
  nowSeconds: number,
): boolean {
  const { timestamp, signature } = headers;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (typeof signature !== 'string' || signature.length > 200) return false;
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signReport(secret, ts, body));
  // Several signatures (a secret being rotated) are separated by spaces.
  return signature.split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function smsReportRoutes(app: AppInstance, deps: { delivery: Delivery; secret: string }) {
  // The raw body is what was signed: read it as text (in this plugin's scope, instead of the edge's JSON
  // reader), and parse it with the edge's rules once the signature is checked.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_r, body, done) => done(null, body),
  );
  app.post(
    SMS_REPORTS_PATH,
    {
      config: { access: access.public },
      schema: {
        summary: 'Báo cáo trạng thái tin nhắn SMS từ cổng SMS / SMS delivery report from the gateway',
        tags: ['notifications'],
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      const ok = verifyReport(
        deps.secret,
        { timestamp: request.headers['x-sms-timestamp'], signature: request.headers['x-sms-signature'] },
        raw,
        Math.floor(Date.now() / 1000),
      );
      if (!ok) throw new UnauthorizedError('Chữ ký báo cáo không hợp lệ / invalid report signature');
      const parsed = parseJsonBody(raw);
      const report = parseSmsStatus(parsed);
      if (!report || report.status === 'accepted' || report.status === 'sent')
        throw new ValidationError(
          'Báo cáo cần messageId và status delivered, failed hoặc expired / a report needs messageId and a final status',
        );
      await deps.delivery.applyStatus(report);
      return reply.code(204).send(null);
    },
  );
}
