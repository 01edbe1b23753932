/**
 * The police system's side of the fines contract (issue 17): an access token by OAuth 2.0 client
 * credentials at `{portal}/oidc/token` (scope `fines`, HTTP Basic client authentication, kept until
 * shortly before it expires), then `PUT {portal}/api/v1/fines/{decisionNumber}` per decision, with
 * retries and backoff on 5xx and network errors; a 4xx is final (logged). A refused token (4xx at the
 * token endpoint) stops a whole run: every decision would fail the same way.
 */
import type { Decision } from './decisions.ts';

export interface RetrySettings {
  /** Attempts per decision (and per token request), the first included. */
  tries: number;
  /** Wait before the second attempt; doubled each time… */
  baseDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
}

export interface PortalClientOptions {
  portalUrl: string;
  clientId: string;
  clientSecret: string;
  retry?: Partial<RetrySettings>;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** For tests: the clock the token's expiry is measured with. */
  now?: () => number;
  log?: (line: string) => void;
}

export type Registration =
  | { state: 'unregistered' }
  | { state: 'registered'; status: number; at: string; attempts: number }
  | { state: 'failed'; status: number | null; error: string; at: string; attempts: number };

/**
 * No token: the portal refused one (4xx; nothing can be registered until the settings change) or did not
 * give one after every attempt. Either stops a registration run.
 */
export class NoToken extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'NoToken';
  }
}

class Retryable extends Error {}

export interface PortalClient {
  /** A valid access token: the cached one, or a new one (one request at a time). */
  token(): Promise<string>;
  /** PUT one decision; never throws but NoToken. */
  register(decision: Decision): Promise<Registration>;
  /** Token requests made so far. */
  tokenRequests(): number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The registration body of the contract: the decision without its number (which is in the path). */
export function registrationBody(d: Decision) {
  return {
    decidedOn: d.decidedOn,
    violator: { name: d.violator.name, idNumber: d.violator.idNumber },
    plate: d.plate,
    violation: d.violation,
    place: d.place,
    violatedAt: d.violatedAt,
    amount: d.amount,
    agency: { code: d.agency.code, name: d.agency.name },
    treasury: { account: d.treasury.account, bankBin: d.treasury.bankBin, name: d.treasury.name },
  };
}

export function createPortalClient(options: PortalClientOptions): PortalClient {
  const retry: RetrySettings = { tries: 5, baseDelayMs: 500, maxDelayMs: 8000, ...options.retry };
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const base = options.portalUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  // RFC 6749 §2.3.1: client id and secret form-urlencoded, then Basic.
  const basic = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64');
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let tokenRequests = 0;

  const delay = (attempt: number) => Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));

  async function fetchToken(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        tokenRequests += 1;
        const r = await fetch(`${base}/oidc/token`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${basic}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: 'grant_type=client_credentials&scope=fines',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await r.text();
        if (r.status >= 400 && r.status < 500)
          throw new NoToken(r.status, `token endpoint answered ${r.status}: ${text.slice(0, 200)}`);
        if (!r.ok) throw new Retryable(`token endpoint answered ${r.status}`);
        const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
        if (typeof body.access_token !== 'string' || body.access_token === '')
          throw new Retryable('token endpoint answered no access_token');
        const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
        // Renew shortly before it expires: a tenth of its lifetime early, at most 30 s.
        const margin = Math.min(30, lifetime / 10);
        cached = { token: body.access_token, renewAt: now() + (lifetime - margin) * 1000 };
        return body.access_token;
      } catch (e) {
        if (e instanceof NoToken) throw e;
        log(`token: ${(e as Error).message} (attempt ${attempt} of ${retry.tries})`);
        if (attempt >= retry.tries)
          throw new NoToken(null, `no token after ${attempt} attempts: ${(e as Error).message}`);
        await sleep(delay(attempt));
      }
    }
  }

  function token(): Promise<string> {
    if (cached && now() < cached.renewAt) return Promise.resolve(cached.token);
    if (!inFlight) inFlight = fetchToken().finally(() => (inFlight = undefined));
    return inFlight;
  }

  async function register(d: Decision): Promise<Registration> {
    const url = `${base}/api/v1/fines/${encodeURIComponent(d.decisionNumber)}`;
    const body = JSON.stringify(registrationBody(d));
    let renewed = false;
    let last: { status: number | null; error: string } = { status: null, error: '' };
    for (let attempt = 1; attempt <= retry.tries; attempt++) {
      let status: number | null = null;
      try {
        const t = await token();
        const r = await fetch(url, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${t}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = r.status;
        const text = await r.text();
        if (r.status === 200 || r.status === 201) {
          log(`register ${d.decisionNumber}: ${r.status}`);
          return { state: 'registered', status: r.status, at: new Date().toISOString(), attempts: attempt };
        }
        if (r.status === 401 && !renewed) {
          // The token may have been revoked or expired early: once, with a new one — unless another
          // registration refused with the same token has already fetched it (then that one is used).
          renewed = true;
          if (cached?.token === t) cached = undefined;
          last = { status, error: text.slice(0, 300) };
          attempt -= 1;
          continue;
        }
        if (r.status < 500) {
          log(`register ${d.decisionNumber}: refused ${r.status} ${text.slice(0, 300)}`);
          return {
            state: 'failed',
            status: r.status,
            error: text.slice(0, 300),
            at: new Date().toISOString(),
            attempts: attempt,
          };
        }
        last = { status, error: `${r.status} ${text.slice(0, 300)}` };
      } catch (e) {
        if (e instanceof NoToken) throw e;
        last = { status, error: (e as Error).message };
      }
      log(`register ${d.decisionNumber}: ${last.error} (attempt ${attempt} of ${retry.tries})`);
      if (attempt < retry.tries) await sleep(delay(attempt));
    }
    log(`register ${d.decisionNumber}: gave up after ${retry.tries} attempts`);
    return { state: 'failed', ...last, at: new Date().toISOString(), attempts: retry.tries };
  }

  return { token, register, tokenRequests: () => tokenRequests };
}

export interface RegistrationReport {
  registered: number;
  failed: number;
  /** Not tried: the run stopped (the token was refused). */
  skipped: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
}

/** Registers the decisions with at most `concurrency` requests at a time. */
export async function registerAll(
  client: PortalClient,
  decisions: readonly Decision[],
  record: (d: Decision, r: Registration) => void,
  concurrency = 4,
  /** Checked before each decision: true stops the run (the simulator is closing). */
  cancelled: () => boolean = () => false,
): Promise<RegistrationReport> {
  const report: RegistrationReport = { registered: 0, failed: 0, skipped: 0 };
  let next = 0;
  async function worker() {
    while (next < decisions.length && report.stopped === undefined) {
      if (cancelled()) {
        report.stopped ??= 'cancelled';
        return;
      }
      const d = decisions[next++]!;
      try {
        const r = await client.register(d);
        record(d, r);
        if (r.state === 'registered') report.registered += 1;
        else report.failed += 1;
      } catch (e) {
        report.stopped ??= (e as Error).message;
        report.skipped += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  report.skipped += decisions.length - next;
  return report;
}
