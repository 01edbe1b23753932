/**
 * The traffic police's penalty-decision system (simulated), the other side of the portal's fines
 * (the payments contract, issue 17; README.md has the shapes):
 *
 *   it registers its decisions with the portal (portal.ts: client credentials, PUT per decision), at
 *   start and on demand;
 *   POST /api/v1/fines/paid              the portal's "paid" notice, X-Signature: sha256=<HMAC of the body>
 *   GET  /api/v1/decisions/{number}      a decision and whether it is paid
 *   GET  /_sim/decisions                 (admin) every decision with its registration and payment
 *   POST /_sim/decisions                 (admin) a new decision, registered at once
 *   POST /_sim/register                  (admin) register every decision again
 *   GET  /_sim/paid                      (admin) the paid notices received
 *   POST /_sim/faults                    (admin) make the paid-notice endpoint answer 503
 *   GET  /health
 *
 * Admin routes want `Authorization: Bearer <admin key>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Agency,
  DECISION_NUMBER,
  DEFAULT_AGENCY_NAME,
  DEFAULT_TREASURY,
  type Decision,
  type DecisionFields,
  FIXED_DECISIONS,
  generateDecisions,
  PLATE,
  type Treasury,
  vietnamToday,
} from './decisions.ts';
import {
  createPortalClient,
  NoToken,
  type PortalClient,
  type Registration,
  type RegistrationReport,
  type RetrySettings,
  registerAll,
} from './portal.ts';

/** The portal's "paid" notice (contract). */
export interface PaidNotice {
  decisionNumber: string;
  paidAt: string;
  amount: number;
  surcharge: number;
  total: number;
  paymentReference: string;
}

export interface PaidRecord extends PaidNotice {
  receivedAt: string;
}

/** Every notice with a good signature, and what became of it. */
export interface NoticeLog {
  receivedAt: string;
  status: number;
  outcome: 'paid' | 'duplicate' | 'conflict' | 'unknown-decision' | 'wrong-amount' | 'malformed' | 'fault';
  notice: unknown;
}

export interface DecisionState extends Decision {
  registration: Registration;
  paid: PaidRecord | null;
}

export interface PoliceOptions {
  port?: number;
  host?: string;
  /** Seed of the generated decisions (default '1'). */
  seed?: string | number;
  /** How many decisions are generated besides the fixed ones (default 300). */
  count?: number;
  agency?: Partial<Agency>;
  treasury?: Partial<Treasury>;
  /** The portal; none: nothing is registered. */
  portalUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** The secret the portal signs paid notices with. */
  webhookSecret: string;
  /** Bearer key of /_sim/* (default: the client secret). */
  adminKey?: string;
  /** Register every decision in the background once listening. */
  registerOnStart?: boolean;
  retry?: Partial<RetrySettings>;
  /** Registration requests at a time (default 4). */
  concurrency?: number;
  /** Today in Vietnam, 'YYYY-MM-DD' (default: the clock); a new decision's default date. */
  today?: () => string;
  /** For tests: the clock the token's expiry is measured with. */
  now?: () => number;
  /** One line per request. */
  log?: (line: string) => void;
  /** Problems: refused registrations, conflicting or bad notices (default: log). */
  warn?: (line: string) => void;
}

export interface RunningPolice {
  url: string;
  port: number;
  decisions(): DecisionState[];
  decision(number: string): DecisionState | undefined;
  paidNotices(): NoticeLog[];
  /** Registers every decision (again); resolves with the counts. */
  registerAll(): Promise<RegistrationReport>;
  /** The run started with registerOnStart, if any. */
  startup: Promise<RegistrationReport> | undefined;
  /** The portal client (undefined without a portal URL). */
  portal: PortalClient | undefined;
  configure(faults: { paid?: 'none' | 'unavailable' }): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

const problem = (res: http.ServerResponse, status: number, error: string, message: string) =>
  send(res, status, { error, message });

function equalSecret(given: Buffer, want: Buffer): boolean {
  return given.length === want.length && timingSafeEqual(given, want);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, checked in constant time. */
export function signatureMatches(
  header: string | string[] | undefined,
  body: Buffer,
  secret: string,
): boolean {
  if (typeof header !== 'string') return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return false;
  const want = createHmac('sha256', secret).update(body).digest();
  return equalSecret(Buffer.from(m[1]!, 'hex'), want);
}

export const sign = (body: string | Buffer, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isDate = (v: unknown): v is string =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(v) &&
  new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v));
const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/** Checks a new decision's fields (POST /_sim/decisions); a message naming the problem, or the fields. */
export function decisionFields(
  body: unknown,
  nextNumber: () => string,
  today: string,
): { ok: true; fields: DecisionFields } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, message: 'Nội dung phải là một đối tượng JSON.' };
  const b = body as Record<string, unknown>;
  const violator = (b.violator ?? {}) as Record<string, unknown>;
  const decisionNumber = b.decisionNumber ?? nextNumber();
  if (typeof decisionNumber !== 'string' || !DECISION_NUMBER.test(decisionNumber.normalize('NFC')))
    return { ok: false, message: 'decisionNumber có dạng 123/QĐ-XPHC.' };
  const decidedOn = b.decidedOn ?? today;
  if (!isDate(decidedOn)) return { ok: false, message: 'decidedOn có dạng YYYY-MM-DD.' };
  if (!text(violator.name, 200)) return { ok: false, message: 'violator.name: họ tên người vi phạm.' };
  if (typeof violator.idNumber !== 'string' || !/^\d{12}$/.test(violator.idNumber))
    return { ok: false, message: 'violator.idNumber gồm 12 chữ số.' };
  if (typeof b.plate !== 'string' || !PLATE.test(b.plate))
    return { ok: false, message: 'plate có dạng 30A-123.45.' };
  if (!text(b.violation, 500)) return { ok: false, message: 'violation: hành vi vi phạm.' };
  const place = b.place ?? 'Hà Nội';
  if (!text(place, 300)) return { ok: false, message: 'place: địa điểm vi phạm.' };
  const violatedAt = b.violatedAt ?? `${decidedOn}T08:00:00+07:00`;
  if (!isInstant(violatedAt)) return { ok: false, message: 'violatedAt là thời điểm ISO 8601.' };
  if (!isInt(b.amount) || b.amount <= 0 || b.amount > 10_000_000_000)
    return { ok: false, message: 'amount là số nguyên dương (đồng).' };
  return {
    ok: true,
    fields: {
      decisionNumber: decisionNumber.normalize('NFC'),
      decidedOn,
      violator: { name: violator.name.normalize('NFC').trim(), idNumber: violator.idNumber },
      plate: b.plate,
      violation: b.violation.normalize('NFC').trim(),
      place: place.normalize('NFC').trim(),
      violatedAt,
      amount: b.amount,
    },
  };
}

export async function startPolice(options: PoliceOptions): Promise<RunningPolice> {
  if (options.webhookSecret.length < 8)
    throw new RangeError('the webhook secret must have at least 8 characters');
  const adminKey = options.adminKey ?? options.clientSecret ?? '';
  if (adminKey.length < 8)
    throw new RangeError('an admin key (or client secret) of at least 8 characters is required');
  if (options.portalUrl && (!options.clientId || !options.clientSecret))
    throw new RangeError('registering with the portal needs a client id and secret');
  const agency: Agency = { code: 'BCA', name: DEFAULT_AGENCY_NAME, ...options.agency };
  const treasury: Treasury = { ...DEFAULT_TREASURY, ...options.treasury };
  const log = options.log ?? (() => undefined);
  const warn = options.warn ?? log;
  const today = options.today ?? (() => vietnamToday());
  const webhookSecret = options.webhookSecret;

  const decisions = new Map<string, DecisionState>();
  const add = (f: DecisionFields): DecisionState => {
    const d: DecisionState = { ...f, agency, treasury, registration: { state: 'unregistered' }, paid: null };
    decisions.set(d.decisionNumber, d);
    return d;
  };
  for (const f of FIXED_DECISIONS) add(f);
  for (const f of generateDecisions(String(options.seed ?? '1'), options.count ?? 300)) add(f);
  let serial = 2001 + (options.count ?? 300);
  const nextNumber = () => {
    while (decisions.has(`${serial}/QĐ-XPHC`)) serial += 1;
    return `${serial}/QĐ-XPHC`;
  };

  const notices: NoticeLog[] = [];
  let paidFault: 'none' | 'unavailable' = 'none';
  let closing = false;

  const portal =
    options.portalUrl && options.clientId && options.clientSecret
      ? createPortalClient({
          portalUrl: options.portalUrl,
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          ...(options.retry ? { retry: options.retry } : {}),
          ...(options.now ? { now: options.now } : {}),
          log: (line) => (/refused|gave up|token endpoint answered 4/.test(line) ? warn(line) : log(line)),
        })
      : undefined;

  const record = (d: Decision, r: Registration) => {
    const state = decisions.get(d.decisionNumber);
    if (state) state.registration = r;
  };

  async function runAll(): Promise<RegistrationReport> {
    if (!portal) return { registered: 0, failed: 0, skipped: decisions.size, stopped: 'no portal URL' };
    const report = await registerAll(
      portal,
      [...decisions.values()],
      record,
      options.concurrency ?? 4,
      () => closing,
    );
    const line = `registration: ${report.registered} registered, ${report.failed} failed, ${report.skipped} not tried`;
    if (report.stopped) warn(`${line}; stopped: ${report.stopped}`);
    else if (report.failed > 0) warn(line);
    else log(line);
    return report;
  }

  const view = (d: DecisionState) => structuredClone(d);

  function paidRoute(
    raw: Buffer,
    signature: string | string[] | undefined,
  ): { status: number; body: unknown } {
    if (!signatureMatches(signature, raw, webhookSecret)) {
      warn('paid notice: bad or missing signature (401)');
      return { status: 401, body: { error: 'bad-signature', message: 'Chữ ký (X-Signature) không đúng.' } };
    }
    const receivedAt = new Date().toISOString();
    let n: Record<string, unknown> | undefined;
    try {
      n = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      n = undefined;
    }
    const note = (status: number, outcome: NoticeLog['outcome'], body: unknown) => {
      notices.push({ receivedAt, status, outcome, notice: n ?? raw.toString('utf8').slice(0, 500) });
      return { status, body };
    };
    if (paidFault === 'unavailable')
      return note(503, 'fault', { error: 'unavailable', message: 'Hệ thống đang bảo trì.' });
    if (
      typeof n !== 'object' ||
      n === null ||
      typeof n.decisionNumber !== 'string' ||
      !isInstant(n.paidAt) ||
      !isInt(n.amount) ||
      !isInt(n.surcharge) ||
      n.surcharge < 0 ||
      !isInt(n.total) ||
      typeof n.paymentReference !== 'string' ||
      n.paymentReference === ''
    )
      return note(400, 'malformed', {
        error: 'bad-request',
        message:
          'Cần {decisionNumber, paidAt (ISO), amount, surcharge, total (số nguyên đồng), paymentReference}.',
      });
    const notice = n as unknown as PaidNotice;
    const d = decisions.get(notice.decisionNumber.normalize('NFC'));
    if (!d) {
      warn(`paid notice for unknown decision ${notice.decisionNumber} (404)`);
      return note(404, 'unknown-decision', {
        error: 'not-found',
        message: `Không có quyết định ${notice.decisionNumber}.`,
      });
    }
    if (d.paid) {
      if (d.paid.paymentReference === notice.paymentReference)
        return note(200, 'duplicate', { decisionNumber: d.decisionNumber, paid: true, duplicate: true });
      warn(
        `paid notice for ${d.decisionNumber} with reference ${notice.paymentReference}: already paid by ${d.paid.paymentReference} (409)`,
      );
      return note(409, 'conflict', {
        error: 'already-paid',
        message: `Quyết định ${d.decisionNumber} đã được nộp phạt (mã tham chiếu ${d.paid.paymentReference}).`,
      });
    }
    if (notice.amount !== d.amount || notice.total !== notice.amount + notice.surcharge) {
      warn(
        `paid notice for ${d.decisionNumber}: amount ${notice.amount} + surcharge ${notice.surcharge} ≠ total ${notice.total} or ≠ the fine ${d.amount} (422)`,
      );
      return note(422, 'wrong-amount', {
        error: 'wrong-amount',
        message: `Số tiền phạt của quyết định là ${d.amount} đồng; total phải bằng amount + surcharge.`,
      });
    }
    d.paid = {
      decisionNumber: d.decisionNumber,
      paidAt: notice.paidAt,
      amount: notice.amount,
      surcharge: notice.surcharge,
      total: notice.total,
      paymentReference: notice.paymentReference,
      receivedAt,
    };
    log(`paid ${d.decisionNumber}: ${notice.total} đồng, reference ${notice.paymentReference}`);
    return note(200, 'paid', { decisionNumber: d.decisionNumber, paid: true, duplicate: false });
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://police');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'GET' && path === '/health')
      return send(res, 200, { status: 'ok', name: 'police', decisions: decisions.size, agency: agency.code });
    if (path === '/api/v1/fines/paid') {
      if (method !== 'POST') return problem(res, 405, 'method-not-allowed', 'Chỉ nhận POST.');
      const raw = await readBody(req);
      if (raw === undefined) return problem(res, 413, 'too-large', 'Yêu cầu quá lớn.');
      const a = paidRoute(raw, req.headers['x-signature']);
      log(`POST ${path}: ${a.status}`);
      return send(res, a.status, a.body);
    }
    const decision = /^\/api\/v1\/decisions\/(.+)$/.exec(path);
    if (decision) {
      if (method !== 'GET') return problem(res, 405, 'method-not-allowed', 'Chỉ nhận GET.');
      let number: string;
      try {
        number = decodeURIComponent(decision[1]!).normalize('NFC');
      } catch {
        return problem(res, 400, 'bad-request', 'Số quyết định không hợp lệ.');
      }
      const d = decisions.get(number);
      return d ? send(res, 200, view(d)) : problem(res, 404, 'not-found', `Không có quyết định ${number}.`);
    }
    if (!path.startsWith('/_sim/')) return problem(res, 404, 'not-found', 'Không có dịch vụ này.');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!equalSecret(Buffer.from(bearer), Buffer.from(adminKey)))
      return problem(res, 401, 'unauthorized', 'Thiếu hoặc sai khóa quản trị (Authorization: Bearer).');
    const raw = await readBody(req);
    if (raw === undefined) return problem(res, 413, 'too-large', 'Yêu cầu quá lớn.');
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    } catch {
      return problem(res, 400, 'bad-request', 'Nội dung yêu cầu không phải JSON.');
    }
    if (method === 'GET' && path === '/_sim/decisions') {
      const id = url.searchParams.get('idNumber');
      const plate = url.searchParams.get('plate');
      const items = [...decisions.values()].filter(
        (d) => (id === null || d.violator.idNumber === id) && (plate === null || d.plate === plate),
      );
      return send(res, 200, { items: items.map(view) });
    }
    if (method === 'GET' && path === '/_sim/paid') return send(res, 200, { items: notices });
    if (method === 'POST' && path === '/_sim/register') {
      const report = await runAll();
      return send(res, report.stopped && portal ? 502 : 200, report);
    }
    if (method === 'POST' && path === '/_sim/faults') {
      const paid = (body as { paid?: unknown }).paid;
      if (paid !== 'none' && paid !== 'unavailable')
        return problem(res, 400, 'bad-request', 'paid: "none" | "unavailable"');
      paidFault = paid;
      return send(res, 200, { paid: paidFault });
    }
    if (method === 'POST' && path === '/_sim/decisions') {
      const checked = decisionFields(body, nextNumber, today());
      if (!checked.ok) return problem(res, 400, 'bad-request', checked.message);
      if (decisions.has(checked.fields.decisionNumber))
        return problem(res, 409, 'exists', `Đã có quyết định ${checked.fields.decisionNumber}.`);
      const d = add(checked.fields);
      if (!portal) return send(res, 201, view(d));
      try {
        d.registration = await portal.register(d);
      } catch (e) {
        const error = (e as Error).message;
        d.registration = {
          state: 'failed',
          status: e instanceof NoToken ? e.status : null,
          error,
          at: new Date().toISOString(),
          attempts: 0,
        };
        warn(`register ${d.decisionNumber}: ${error}`);
      }
      return send(res, d.registration.state === 'registered' ? 201 : 502, view(d));
    }
    return problem(res, 404, 'not-found', 'Không có dịch vụ này.');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const startup = options.registerOnStart && portal ? runAll() : undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    decisions: () => [...decisions.values()].map(view),
    decision: (n) => {
      const d = decisions.get(n);
      return d ? view(d) : undefined;
    },
    paidNotices: () => [...notices],
    registerAll: runAll,
    startup,
    portal,
    configure(f) {
      if (f.paid) paidFault = f.paid;
    },
    close: async () => {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
