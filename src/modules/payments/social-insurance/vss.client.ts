/**
 * Vietnam Social Security's register of voluntary participants over HTTP (the payments contract,
 * "Voluntary social insurance"; sim/social-insurance plays it): `GET /api/v1/participants/{code}` and
 * `POST /api/v1/contributions`, each with `x-api-key`. Not reachable, a timeout, 5xx, or a key it refuses
 * → `ServiceUnavailableError` (the payer is asked to try later; nothing of the key is said).
 */
import { ServiceUnavailableError } from '../../../platform/errors/index.ts';
import type { SupportGroup } from '../domain/social-insurance.ts';

export interface VssEndpoint {
  url: string;
  apiKey: string;
  timeoutMs?: number;
}

export interface Participant {
  code: string;
  name: string;
  idNumber: string;
  birthDate: string;
  province: string;
  plan: {
    income: number;
    months: number;
    supportGroup: SupportGroup;
    supportedMonthsUsed: number;
    paidThrough: string | null;
  };
}

export interface ContributionNotice {
  code: string;
  from: string;
  months: number;
  income: number;
  amount: number;
  stateSupport: number;
  paymentReference: string;
  paidAt: string;
}

export interface VssPort {
  participant(code: string): Promise<Participant | undefined>;
  /** The contribution recorded: VSS's HTTP status and its answer (201/200 recorded; 4xx refused). */
  contribute(c: ContributionNotice): Promise<{ status: number; body: unknown }>;
}

const unavailable = () =>
  new ServiceUnavailableError(
    'Hệ thống của Bảo hiểm xã hội Việt Nam tạm thời không trả lời, vui lòng thử lại sau / Vietnam Social Security is not answering, try again later',
  );

export function httpVss(endpoint: VssEndpoint | undefined): VssPort {
  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    if (!endpoint) throw unavailable();
    let r: Response;
    let text: string;
    try {
      r = await fetch(`${endpoint.url.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          'x-api-key': endpoint.apiKey,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(endpoint.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      text = await r.text();
    } catch {
      throw unavailable();
    }
    if (r.status >= 500 || r.status === 401 || r.status === 403 || r.status === 429) throw unavailable();
    let json: unknown = text.slice(0, 2000);
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: r.status, body: json };
  }

  return {
    async participant(code) {
      if (!/^[0-9]{10}$/.test(code)) return undefined;
      const r = await call('GET', `/api/v1/participants/${code}`);
      if (r.status === 404 || r.status === 400) return undefined;
      if (r.status !== 200) throw unavailable();
      return r.body as Participant;
    },
    async contribute(c) {
      return call('POST', '/api/v1/contributions', c);
    },
  };
}
