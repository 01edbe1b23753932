/**
 * Vietnam Social Security's voluntary social insurance register as the portal reaches it (the payments
 * contract, issue 17; README.md has the shapes):
 *
 *   GET  /api/v1/participants/{code}        x-api-key → 200 the participant and plan | 404 | 401
 *   POST /api/v1/contributions              x-api-key → 201 recorded | 200 same reference again | 409 | 422
 *   GET  /api/v1/contributions?code=…       x-api-key → 200 { items }
 *   POST /_sim/faults                       x-api-key → change faults while running
 *   GET  /health
 *
 * Faults on purpose (503 "unavailable", requests never answered, latency) apply to /api/v1/*.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addMonths,
  createRegister,
  isMonth,
  MAX_INCOME,
  MAX_MONTHS,
  MIN_INCOME,
  type Participant,
  type Register,
  SUPPORT_PER_MONTH,
  SUPPORTED_MONTHS_LIMIT,
} from './participants.ts';

export type SiFault = 'none' | 'unavailable' | 'timeout';
export const SI_FAULTS: readonly SiFault[] = ['none', 'unavailable', 'timeout'];

export interface SiFaultSettings {
  fault: SiFault;
  /** Share of API requests that fail that way (0–1). */
  faultRate: number;
  /** Wait before every API answer (milliseconds). */
  latencyMs: number;
}

export function checkFaults(input: Partial<SiFaultSettings>, base?: SiFaultSettings): SiFaultSettings {
  const s: SiFaultSettings = { fault: 'none', faultRate: 1, latencyMs: 0, ...base, ...input };
  if (!SI_FAULTS.includes(s.fault)) throw new RangeError(`fault must be one of ${SI_FAULTS.join(', ')}`);
  if (typeof s.faultRate !== 'number' || !(s.faultRate >= 0 && s.faultRate <= 1))
    throw new RangeError('faultRate must be a number from 0 to 1');
  if (!Number.isInteger(s.latencyMs) || s.latencyMs < 0 || s.latencyMs > 120_000)
    throw new RangeError('latencyMs must be an integer from 0 to 120000');
  return s;
}

/**
 * `SI_FAULTS` as written in the environment: comma-separated `unavailable[:rate]`, `timeout[:rate]`,
 * `latency:ms`, e.g. `unavailable:0.3,latency:200`. Empty or `none`: no faults.
 */
export function parseFaults(text: string | undefined): SiFaultSettings {
  const s: Partial<SiFaultSettings> = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim())) {
    if (part === '' || part === 'none') continue;
    const [name, value] = part.split(':') as [string, string | undefined];
    if (name === 'latency') s.latencyMs = Number(value);
    else if (name === 'unavailable' || name === 'timeout') {
      s.fault = name;
      if (value !== undefined) s.faultRate = Number(value);
    } else throw new RangeError(`unknown fault "${part}" (unavailable[:rate], timeout[:rate], latency:ms)`);
  }
  return checkFaults(s);
}

export interface Contribution {
  /** The register's receipt number of the contribution. */
  id: string;
  code: string;
  from: string;
  to: string;
  months: number;
  income: number;
  amount: number;
  stateSupport: number;
  /** Months counted as State-supported (stateSupport ÷ the group's support per month). */
  supportedMonths: number;
  paymentReference: string;
  paidAt: string;
  recordedAt: string;
  /** The plan after the contribution. */
  paidThrough: string;
  supportedMonthsUsed: number;
}

export interface SocialInsuranceOptions {
  apiKey: string;
  port?: number;
  host?: string;
  seed?: string | number;
  size?: number;
  faults?: Partial<SiFaultSettings>;
  log?: (line: string) => void;
}

export interface RunningSocialInsurance {
  url: string;
  port: number;
  register: Register;
  contributions(): Contribution[];
  configure(faults: Partial<SiFaultSettings>): void;
  faults(): SiFaultSettings;
  /** API requests received (faulty ones included). */
  requests(): number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

interface Answer {
  status: number;
  body: unknown;
}

const fail = (status: number, error: string, message: string): Answer => ({
  status,
  body: { error, message },
});

function send(res: http.ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(a.body));
}

function keyMatches(given: string | string[] | undefined, key: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The participant as the API writes it. */
export const participantRecord = (p: Participant) => ({
  code: p.code,
  name: p.name,
  idNumber: p.idNumber,
  birthDate: p.birthDate,
  province: p.province,
  plan: { ...p.plan },
});

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The fields that make a contribution the same one again. */
const sameRequest = (c: Contribution, b: Record<string, unknown>) =>
  c.code === b.code &&
  c.from === b.from &&
  c.months === b.months &&
  c.income === b.income &&
  c.amount === b.amount &&
  c.stateSupport === b.stateSupport &&
  Date.parse(c.paidAt) === Date.parse(String(b.paidAt));

export function createContributions(register: Register) {
  const byReference = new Map<string, Contribution>();
  const list: Contribution[] = [];
  let receipt = 0;

  function record(body: unknown): Answer {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return fail(400, 'bad-request', 'Nội dung phải là một đối tượng JSON.');
    const b = body as Record<string, unknown>;
    const { code, from, months, income, amount, stateSupport, paymentReference, paidAt } = b;
    if (typeof code !== 'string' || !/^\d{10}$/.test(code))
      return fail(400, 'bad-request', 'code (mã số BHXH) phải gồm 10 chữ số.');
    if (!isMonth(from)) return fail(400, 'bad-request', 'from phải có dạng YYYY-MM.');
    if (!isInt(months) || months < 1 || months > MAX_MONTHS)
      return fail(400, 'bad-request', `months phải là số nguyên từ 1 đến ${MAX_MONTHS}.`);
    if (!isInt(income) || income < MIN_INCOME || income > MAX_INCOME)
      return fail(400, 'bad-request', `income phải là số nguyên từ ${MIN_INCOME} đến ${MAX_INCOME}.`);
    if (!isInt(amount) || amount <= 0)
      return fail(400, 'bad-request', 'amount phải là số nguyên dương (đồng).');
    if (!isInt(stateSupport) || stateSupport < 0)
      return fail(400, 'bad-request', 'stateSupport phải là số nguyên không âm (đồng).');
    if (typeof paymentReference !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(paymentReference))
      return fail(400, 'bad-request', 'paymentReference: 1–64 ký tự A-Z a-z 0-9 . _ -');
    if (typeof paidAt !== 'string' || Number.isNaN(Date.parse(paidAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(paidAt))
      return fail(400, 'bad-request', 'paidAt phải là thời điểm ISO 8601.');

    const earlier = byReference.get(paymentReference);
    if (earlier) {
      if (sameRequest(earlier, b)) return { status: 200, body: earlier };
      return fail(
        409,
        'reference-conflict',
        `Mã tham chiếu ${paymentReference} đã dùng cho một khoản đóng khác / the reference was used for another contribution.`,
      );
    }
    const p = register.find(code);
    if (!p) return fail(404, 'not-found', `Không có người tham gia mã số ${code}.`);
    const plan = p.plan;
    if (plan.paidThrough !== null && from !== addMonths(plan.paidThrough, 1))
      return fail(
        422,
        'wrong-period',
        `Kỳ đóng phải bắt đầu từ ${addMonths(plan.paidThrough, 1)} (đã đóng đến ${plan.paidThrough}) / the period must start the month after paidThrough.`,
      );
    const gross = (income * 22 * months) / 100;
    if (Math.abs(amount + stateSupport - gross) >= months)
      return fail(
        422,
        'wrong-amount',
        `amount + stateSupport phải bằng 22% × ${income} × ${months} = ${Math.round(gross)} đồng.`,
      );
    const perMonth = SUPPORT_PER_MONTH[plan.supportGroup];
    const available = Math.max(0, SUPPORTED_MONTHS_LIMIT - plan.supportedMonthsUsed);
    const expected = perMonth * Math.min(months, available);
    if (stateSupport !== expected)
      return fail(
        422,
        'wrong-support',
        `Mức Nhà nước hỗ trợ phải là ${expected} đồng (${perMonth} đồng/tháng × ${Math.min(months, available)} tháng, nhóm ${plan.supportGroup}, đã hưởng ${plan.supportedMonthsUsed}/${SUPPORTED_MONTHS_LIMIT} tháng).`,
      );
    const supportedMonths = stateSupport / perMonth;
    const to = addMonths(from, months - 1);
    plan.paidThrough = to;
    plan.supportedMonthsUsed += supportedMonths;
    receipt += 1;
    const c: Contribution = {
      id: `BHXH-TN-${String(receipt).padStart(8, '0')}`,
      code,
      from,
      to,
      months,
      income,
      amount,
      stateSupport,
      supportedMonths,
      paymentReference,
      paidAt,
      recordedAt: new Date().toISOString(),
      paidThrough: plan.paidThrough,
      supportedMonthsUsed: plan.supportedMonthsUsed,
    };
    byReference.set(paymentReference, c);
    list.push(c);
    return { status: 201, body: c };
  }

  return { record, list: () => [...list] };
}

export async function startSocialInsurance(options: SocialInsuranceOptions): Promise<RunningSocialInsurance> {
  if (options.apiKey.length < 8) throw new RangeError('the API key must have at least 8 characters');
  const register = createRegister({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
  });
  const contributions = createContributions(register);
  let faults = checkFaults(options.faults ?? {});
  let requests = 0;
  const log = options.log ?? (() => undefined);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://si');
    if (req.method === 'GET' && url.pathname === '/health')
      return send(res, {
        status: 200,
        body: { status: 'ok', name: 'social-insurance', seed: register.seed, size: register.size },
      });
    if (!keyMatches(req.headers['x-api-key'], options.apiKey))
      return send(res, fail(401, 'unauthorized', 'Thiếu hoặc sai khóa truy cập (x-api-key).'));
    const text = await readBody(req);
    if (text === undefined) return send(res, fail(413, 'too-large', 'Yêu cầu quá lớn.'));
    const json = (): unknown => {
      try {
        return JSON.parse(text || 'null');
      } catch {
        return undefined;
      }
    };
    if (url.pathname === '/_sim/faults') {
      if (req.method !== 'POST') return send(res, fail(405, 'method-not-allowed', 'Chỉ nhận POST.'));
      try {
        faults = checkFaults((json() ?? {}) as Partial<SiFaultSettings>, faults);
        return send(res, { status: 200, body: faults });
      } catch (e) {
        return send(res, fail(400, 'bad-request', (e as Error).message));
      }
    }
    if (!url.pathname.startsWith('/api/v1/'))
      return send(res, fail(404, 'not-found', 'Không có dịch vụ này.'));
    requests += 1;
    const requestId = randomUUID();
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const faulty = faults.fault !== 'none' && Math.random() < faults.faultRate;
    if (faulty && faults.fault === 'timeout') {
      log(`${requestId} ${req.method} ${url.pathname}: no answer (timeout fault)`);
      return;
    }
    if (faulty && faults.fault === 'unavailable') {
      log(`${requestId} ${req.method} ${url.pathname}: 503 (unavailable fault)`);
      return send(res, fail(503, 'unavailable', 'Hệ thống BHXH đang bảo trì, vui lòng thử lại sau.'));
    }
    const answer = route(req.method ?? 'GET', url, json);
    log(
      `${requestId} ${req.method} ${url.pathname}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 100)}`,
    );
    send(res, answer);
  });

  function route(method: string, url: URL, json: () => unknown): Answer {
    const participant = /^\/api\/v1\/participants\/([^/]+)$/.exec(url.pathname);
    if (participant) {
      if (method !== 'GET') return fail(405, 'method-not-allowed', 'Chỉ nhận GET.');
      const code = decodeURIComponent(participant[1]!);
      if (!/^\d{10}$/.test(code)) return fail(400, 'bad-request', 'Mã số BHXH gồm 10 chữ số.');
      const p = register.find(code);
      return p
        ? { status: 200, body: participantRecord(p) }
        : fail(404, 'not-found', `Không có người tham gia mã số ${code}.`);
    }
    if (url.pathname === '/api/v1/contributions') {
      if (method === 'POST') {
        const body = json();
        if (body === undefined) return fail(400, 'bad-request', 'Nội dung yêu cầu không phải JSON.');
        return contributions.record(body);
      }
      if (method === 'GET') {
        const code = url.searchParams.get('code');
        const items = contributions.list().filter((c) => code === null || c.code === code);
        return { status: 200, body: { items: items.slice(-500) } };
      }
      return fail(405, 'method-not-allowed', 'Chỉ nhận GET hoặc POST.');
    }
    return fail(404, 'not-found', 'Không có dịch vụ này.');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    register,
    contributions: contributions.list,
    configure(f) {
      faults = checkFaults(f, faults);
    },
    faults: () => ({ ...faults }),
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
