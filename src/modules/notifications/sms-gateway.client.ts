/**
 * A brand-name SMS gateway over HTTP, as Vietnamese operators' and aggregators' gateways are reached: the
 * registered brand name (the sender shown on the phone), an API key, one request per message carrying
 * the portal's request id (the gateway accepts a request id once: a retry after a timeout returns the
 * same message id and sends nothing), the gateway's message id in the answer, delivery reports POSTed
 * back later (reports.routes.ts) and a status query for those that never arrive.
 *
 *   POST {url}/api/v1/brandname/send     Authorization: Bearer {key}
 *     { "brandName": "CONGDVC", "phone": "84912345678", "message": "…", "unicode": false, "requestId": "m42g0" }
 *     → 200 { "messageId": "…", "requestId": "m42g0", "segments": 1, "duplicate": false }
 *     → 400/422 { "error": "invalid-phone" | "unicode-not-allowed" | "too-long" | …, "message": "…" }
 *   GET {url}/api/v1/brandname/status?messageId=…&messageId=…
 *     → 200 { "items": [{ "messageId", "requestId", "status": "sent" | "delivered" | "failed" | "expired", "at", "error" }] }
 *
 * 400, 404 and 422 are permanent; everything else (timeouts, 5xx, 401, 429) is tried again.
 */
import { PermanentDeliveryError, type SmsGateway, type SmsStatus } from './delivery.ports.ts';

export interface SmsGatewaySettings {
  url: string;
  apiKey: string;
  brandName: string;
  timeoutMs: number;
}

const STATUSES = new Set(['accepted', 'sent', 'delivered', 'failed', 'expired']);

/** +84912345678 → 84912345678 (the gateway's MSISDN form). */
export const msisdn = (e164: string) => e164.replace(/^\+/, '');

async function call(settings: SmsGatewaySettings, path: string, init: RequestInit): Promise<unknown> {
  let r: Response;
  try {
    r = await fetch(`${settings.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${settings.apiKey}`,
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (e) {
    const reason =
      e instanceof Error && e.name === 'TimeoutError' ? `no answer in ${settings.timeoutMs} ms` : e;
    throw new Error(`SMS gateway: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!r.ok) {
    const b = (body ?? {}) as { error?: unknown; message?: unknown };
    const what = `SMS gateway ${r.status}${typeof b.error === 'string' ? ` ${b.error}` : ''}${typeof b.message === 'string' ? `: ${b.message.slice(0, 300)}` : ''}`;
    if (r.status === 400 || r.status === 404 || r.status === 422) throw new PermanentDeliveryError(what);
    throw new Error(what);
  }
  if (body === undefined) throw new Error(`SMS gateway ${r.status}: the answer is not JSON`);
  return body;
}

export function smsGatewayClient(settings: SmsGatewaySettings): SmsGateway {
  return {
    transport: 'sms-gateway',
    async send(sms) {
      const body = (await call(settings, '/api/v1/brandname/send', {
        method: 'POST',
        body: JSON.stringify({
          brandName: settings.brandName,
          phone: msisdn(sms.to),
          message: sms.text,
          unicode: sms.unicode,
          requestId: sms.requestId,
        }),
      })) as { messageId?: unknown; requestId?: unknown };
      if (typeof body.messageId !== 'string' || body.messageId === '' || body.messageId.length > 200)
        throw new Error('SMS gateway: the answer has no message id');
      if (body.requestId !== undefined && body.requestId !== sms.requestId)
        throw new Error(`SMS gateway: answered for request ${String(body.requestId)}, not ${sms.requestId}`);
      return { providerId: body.messageId };
    },
    async status(providerIds) {
      if (providerIds.length === 0) return [];
      const query = providerIds.map((id) => `messageId=${encodeURIComponent(id)}`).join('&');
      const body = (await call(settings, `/api/v1/brandname/status?${query}`, { method: 'GET' })) as {
        items?: unknown;
      };
      if (!Array.isArray(body.items)) throw new Error('SMS gateway: the status answer has no items');
      return body.items.flatMap((raw): SmsStatus[] => {
        const s = parseSmsStatus(raw);
        return s ? [s] : [];
      });
    },
  };
}

/** A status or delivery report as the gateway writes it; undefined when it is not one. */
export function parseSmsStatus(raw: unknown): SmsStatus | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.messageId !== 'string' || r.messageId === '' || r.messageId.length > 200) return undefined;
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) return undefined;
  const at = typeof r.at === 'string' ? new Date(r.at) : undefined;
  return {
    providerId: r.messageId,
    status: r.status as SmsStatus['status'],
    ...(typeof r.requestId === 'string' && r.requestId.length <= 100 ? { requestId: r.requestId } : {}),
    ...(at && !Number.isNaN(at.getTime()) ? { at } : {}),
    ...(typeof r.error === 'string' ? { error: r.error.slice(0, 500) } : {}),
  };
}
