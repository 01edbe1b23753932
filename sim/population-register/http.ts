/**
 * The HTTP side shared by the register simulators (population, business): JSON over POST with an API key
 * in `X-Api-Key`, a health check, and faults on purpose — latency, requests that never get an answer,
 * 5xx, malformed answers — set at start or changed while running (`configure`, or `POST /_sim/faults`
 * with the same key, for a simulator running as its own process).
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'none' | 'timeout' | '5xx' | 'malformed';
export const FAULTS: readonly Fault[] = ['none', 'timeout', '5xx', 'malformed'];

export interface FaultSettings {
  /** Added before every answer (milliseconds). */
  latencyMs: number;
  /** What goes wrong… */
  fault: Fault;
  /** …in this share of requests (0–1). */
  faultRate: number;
}

export interface RegisterServerOptions {
  apiKey: string;
  port?: number;
  host?: string;
  faults?: Partial<FaultSettings>;
  /** One line per request (default: nothing). */
  log?: (line: string) => void;
}

/** An answer of a route: HTTP status and JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

export type Route = (body: unknown, requestId: string) => Answer;

export interface RunningRegister {
  url: string;
  port: number;
  configure(faults: Partial<FaultSettings>): void;
  faults(): FaultSettings;
  /** Requests answered or dropped so far on the API routes (not the health check). */
  requests(): number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

/** Checks and normalises fault settings; throws a RangeError naming the problem. */
export function faultSettings(input: Partial<FaultSettings>, base?: FaultSettings): FaultSettings {
  const s: FaultSettings = { latencyMs: 0, fault: 'none', faultRate: 1, ...base, ...input };
  if (!Number.isInteger(s.latencyMs) || s.latencyMs < 0 || s.latencyMs > 120_000)
    throw new RangeError('latencyMs must be an integer from 0 to 120000');
  if (!FAULTS.includes(s.fault)) throw new RangeError(`fault must be one of ${FAULTS.join(', ')}`);
  if (typeof s.faultRate !== 'number' || !(s.faultRate >= 0 && s.faultRate <= 1))
    throw new RangeError('faultRate must be a number from 0 to 1');
  return s;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(text);
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

export async function startRegisterServer(
  name: string,
  options: RegisterServerOptions,
  routes: Record<string, Route>,
  health: () => Record<string, unknown>,
): Promise<RunningRegister> {
  if (options.apiKey.length < 8) throw new RangeError('the API key must have at least 8 characters');
  let settings = faultSettings(options.faults ?? {});
  let count = 0;
  let malformedTurn = 0;
  const log = options.log ?? (() => undefined);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://register');
    if (req.method === 'GET' && url.pathname === '/health') {
      send(res, 200, { status: 'ok', name, ...health() });
      return;
    }
    if (!keyMatches(req.headers['x-api-key'], options.apiKey)) {
      send(res, 401, { error: 'unauthorized', message: 'Thiếu hoặc sai khóa truy cập (X-Api-Key).' });
      return;
    }
    const route = url.pathname === '/_sim/faults' ? undefined : routes[url.pathname];
    if (url.pathname !== '/_sim/faults' && !route) {
      send(res, 404, { error: 'not-found', message: 'Không có dịch vụ này.' });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      send(res, 405, { error: 'method-not-allowed', message: 'Chỉ nhận POST.' });
      return;
    }
    const text = await readBody(req);
    if (text === undefined) {
      send(res, 413, { error: 'too-large', message: 'Yêu cầu quá lớn.' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      send(res, 400, { error: 'bad-request', message: 'Nội dung yêu cầu không phải JSON.' });
      return;
    }
    if (!route) {
      try {
        settings = faultSettings(body as Partial<FaultSettings>, settings);
        send(res, 200, settings);
      } catch (e) {
        send(res, 400, { error: 'bad-request', message: (e as Error).message });
      }
      return;
    }
    count += 1;
    const requestId = randomUUID();
    if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
    const faulty = settings.fault !== 'none' && Math.random() < settings.faultRate;
    if (faulty && settings.fault === 'timeout') {
      log(`${requestId} ${url.pathname}: no answer (timeout fault)`);
      return; // never answered; the connection is dropped when the server closes
    }
    if (faulty && settings.fault === '5xx') {
      log(`${requestId} ${url.pathname}: 503 (5xx fault)`);
      send(res, 503, { error: 'unavailable', message: 'Hệ thống đang bảo trì.' });
      return;
    }
    if (faulty && settings.fault === 'malformed') {
      log(`${requestId} ${url.pathname}: malformed answer`);
      malformedTurn += 1;
      const variants = [
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"MaYeuCau": "'),
        () => send(res, 200, { MaYeuCau: requestId, KetQua: 'KHOP' }),
        () => send(res, 200, { MaYeuCau: requestId, KetQua: 'CO_THE', CongDan: 42 }),
        () => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Bảo trì</body></html>'),
      ];
      variants[malformedTurn % variants.length]!();
      return;
    }
    const answer = route(body, requestId);
    log(`${requestId} ${url.pathname}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 80)}`);
    send(res, answer.status, answer.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    configure(f) {
      settings = faultSettings(f, settings);
    },
    faults: () => ({ ...settings }),
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
