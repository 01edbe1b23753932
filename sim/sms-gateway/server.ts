/**
 * A brand-name SMS gateway, as Vietnamese operators' and aggregators' gateways are reached over HTTP:
 * the caller's registered brand name and API key, one message per request id (a repeat answers the
 * same message id and sends nothing), the gateway's message id in the answer, delivery reports
 * (delivered, failed, expired) POSTed to the caller's webhook after a delay and signed with a shared
 * secret, a status query, and a page of the messages received. Faults on purpose: requests that are
 * taken but never answered (timeouts), 5xx, reports sent two or three times, reports lost. See README.md.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { segmentsOf } from './segments.ts';

export type SendFault = 'none' | 'timeout' | '5xx';
export type ReportFault = 'none' | 'duplicate' | 'lost';
export const SEND_FAULTS: readonly SendFault[] = ['none', 'timeout', '5xx'];
export const REPORT_FAULTS: readonly ReportFault[] = ['none', 'duplicate', 'lost'];

export interface GatewayFaults {
  /** What goes wrong with a send request… */
  send: SendFault;
  /** …in this share of them (0–1). */
  sendRate: number;
  /** What goes wrong with a delivery report… */
  reports: ReportFault;
  reportsRate: number;
  /** Wait before a message's report (milliseconds). */
  reportDelayMs: number;
}

export type Outcome = 'delivered' | 'failed' | 'expired';

export interface SimSms {
  messageId: string;
  requestId: string;
  brandName: string;
  phone: string;
  message: string;
  unicode: boolean;
  segments: number;
  receivedAt: Date;
  /** 'sent' until the operator's outcome is known (after the report delay). */
  status: 'sent' | Outcome;
  error?: string;
  /** Report POSTs made for this message (a duplicate fault makes more than one). */
  reportsPosted: number;
}

export interface SmsGatewayOptions {
  apiKey: string;
  brandName: string;
  port?: number;
  host?: string;
  /** Where delivery reports go (the portal's webhook); none: no reports, status queries only. */
  reportUrl?: string;
  reportSecret?: string;
  faults?: Partial<GatewayFaults>;
  log?: (line: string) => void;
}

export interface RunningSmsGateway {
  url: string;
  port: number;
  /** Every message taken, oldest first (a repeated request id is one message). */
  messages(): SimSms[];
  /** Send requests received, repeats and faulty ones included. */
  requests(): number;
  configure(faults: Partial<GatewayFaults>): void;
  faults(): GatewayFaults;
  setReportUrl(url: string | undefined): void;
  /** Resolves when every report due so far has been posted (or given up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

/** The operator's outcome, by the number's last digits: …999 failed (unreachable), …998 expired, else delivered. */
export function outcomeOf(phone: string): { status: Outcome; error?: string } {
  if (phone.endsWith('999')) return { status: 'failed', error: 'Thuê bao không liên lạc được / unreachable' };
  if (phone.endsWith('998'))
    return { status: 'expired', error: 'Quá thời hạn chuyển tin / validity period passed' };
  return { status: 'delivered' };
}

export function checkFaults(input: Partial<GatewayFaults>, base?: GatewayFaults): GatewayFaults {
  const f: GatewayFaults = {
    send: 'none',
    sendRate: 1,
    reports: 'none',
    reportsRate: 1,
    reportDelayMs: 2000,
    ...base,
    ...input,
  };
  if (!SEND_FAULTS.includes(f.send)) throw new RangeError(`send must be one of ${SEND_FAULTS.join(', ')}`);
  if (!REPORT_FAULTS.includes(f.reports))
    throw new RangeError(`reports must be one of ${REPORT_FAULTS.join(', ')}`);
  for (const k of ['sendRate', 'reportsRate'] as const)
    if (typeof f[k] !== 'number' || !(f[k] >= 0 && f[k] <= 1))
      throw new RangeError(`${k} must be from 0 to 1`);
  if (!Number.isInteger(f.reportDelayMs) || f.reportDelayMs < 0 || f.reportDelayMs > 3_600_000)
    throw new RangeError('reportDelayMs must be an integer from 0 to 3600000');
  return f;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

const bad = (res: http.ServerResponse, status: number, error: string, message: string) =>
  send(res, status, { error, message });

function keyMatches(header: string | undefined, key: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const want = Buffer.from(key);
  return given.length === want.length && timingSafeEqual(given, want);
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

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(messages: SimSms[], brandName: string): string {
  const rows = messages
    .slice(-200)
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt.toISOString())}</td><td>${escapeHtml(m.phone)}</td><td><pre>${escapeHtml(m.message)}</pre></td>` +
        `<td>${m.segments} (${m.unicode ? 'UCS-2' : 'GSM-7'})</td><td>${escapeHtml(m.status)}${m.error ? ` — ${escapeHtml(m.error)}` : ''}</td><td><code>${escapeHtml(m.messageId)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng SMS mô phỏng / SMS gateway simulator</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}pre{margin:0;white-space:pre-wrap;max-width:40rem}</style></head>
<body><h1>Cổng SMS thương hiệu (mô phỏng) — tên thương hiệu ${escapeHtml(brandName)}</h1>
<p>Brand-name SMS gateway (simulated): the ${messages.length} message(s) received, newest first.</p>
<table><caption>Tin nhắn đã nhận / messages received</caption>
<thead><tr><th>Thời gian / time (UTC)</th><th>Số máy / phone</th><th>Nội dung / text</th><th>Số tin / segments</th><th>Trạng thái / status</th><th>Mã tin / id</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">Chưa có tin nào / nothing yet</td></tr>'}</tbody></table></body></html>`;
}

export async function startSmsGateway(options: SmsGatewayOptions): Promise<RunningSmsGateway> {
  if (options.apiKey.length < 8) throw new RangeError('the API key must have at least 8 characters');
  let faults = checkFaults(options.faults ?? {});
  let reportUrl = options.reportUrl;
  const log = options.log ?? (() => undefined);
  const byRequest = new Map<string, SimSms>();
  const byId = new Map<string, SimSms>();
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  let closing = false;

  async function post(m: SimSms): Promise<void> {
    if (!reportUrl || !options.reportSecret) return;
    const body = JSON.stringify({
      messageId: m.messageId,
      requestId: m.requestId,
      status: m.status,
      at: new Date().toISOString(),
      ...(m.error ? { error: m.error } : {}),
    });
    for (let attempt = 1; attempt <= 3 && !closing; attempt++) {
      const ts = Math.floor(Date.now() / 1000);
      const signature = `v1=${createHmac('sha256', options.reportSecret).update(`${ts}.${body}`).digest('hex')}`;
      try {
        const r = await fetch(reportUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-sms-timestamp': String(ts),
            'x-sms-signature': signature,
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        m.reportsPosted += 1;
        log(`report ${m.messageId} ${m.status} → ${r.status}`);
        if (r.ok) return;
      } catch (e) {
        log(`report ${m.messageId}: ${(e as Error).message}`);
      }
      if (attempt < 3) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  function track(p: Promise<void>) {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  /** After the delay the operator's outcome is known; the report goes out (or not, or twice). */
  function settleLater(m: SimSms) {
    let release!: () => void;
    track(new Promise<void>((r) => (release = r)));
    const timer = setTimeout(() => {
      timers.delete(timer);
      const outcome = outcomeOf(m.phone);
      m.status = outcome.status;
      if (outcome.error) m.error = outcome.error;
      const faulty = faults.reports !== 'none' && Math.random() < faults.reportsRate;
      if (faulty && faults.reports === 'lost') {
        log(`report ${m.messageId}: lost (fault)`);
        release();
        return;
      }
      const copies = faulty && faults.reports === 'duplicate' ? 2 + Math.floor(Math.random() * 2) : 1;
      const posts = Array.from({ length: copies }, () => post(m));
      void Promise.all(posts).finally(release);
    }, faults.reportDelayMs);
    timers.add(timer);
  }

  async function sendRoute(req: http.IncomingMessage, res: http.ServerResponse) {
    const text = await readBody(req);
    if (text === undefined) return bad(res, 413, 'too-large', 'Yêu cầu quá lớn.');
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return bad(res, 400, 'bad-request', 'Nội dung không phải JSON.');
    }
    if (typeof b !== 'object' || b === null) return bad(res, 400, 'bad-request', 'Cần một đối tượng JSON.');
    requests += 1;
    const faulty = faults.send !== 'none' && Math.random() < faults.sendRate;
    if (faulty && faults.send === '5xx') {
      log('send: 503 (fault)');
      return bad(res, 503, 'unavailable', 'Hệ thống đang bận, thử lại sau.');
    }
    const { brandName, phone, message, unicode, requestId } = b;
    if (typeof requestId !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(requestId))
      return bad(res, 400, 'bad-request', 'requestId: 1–100 ký tự A-Z a-z 0-9 . _ -');
    if (brandName !== options.brandName)
      return bad(res, 422, 'brand-not-registered', `Tên thương hiệu ${String(brandName)} chưa đăng ký.`);
    if (typeof phone !== 'string' || !/^84[35789]\d{8}$/.test(phone))
      return bad(res, 422, 'invalid-phone', 'Số thuê bao không hợp lệ (dạng 84xxxxxxxxx).');
    if (typeof message !== 'string' || message.length === 0)
      return bad(res, 400, 'bad-request', 'message không được trống.');
    const size = segmentsOf(message);
    if (!size.gsm7 && unicode !== true)
      return bad(res, 422, 'unicode-not-allowed', 'Tin có dấu cần unicode: true (mẫu đăng ký không dấu).');
    if (size.segments > 5) return bad(res, 422, 'too-long', 'Tin dài quá 5 tin nhắn ghép.');
    let m = byRequest.get(requestId);
    const duplicate = m !== undefined;
    if (!m) {
      m = {
        messageId: randomUUID(),
        requestId,
        brandName,
        phone,
        message,
        unicode: unicode === true,
        segments: size.segments,
        receivedAt: new Date(),
        status: 'sent',
        reportsPosted: 0,
      };
      byRequest.set(requestId, m);
      byId.set(m.messageId, m);
      settleLater(m);
      log(`send ${requestId} → ${m.messageId} (${phone}, ${size.segments} segment(s))`);
    } else log(`send ${requestId}: repeat of ${m.messageId}, not sent again`);
    if (faulty && faults.send === 'timeout') {
      log(`send ${requestId}: taken, no answer (timeout fault)`);
      return; // the caller times out; the message was taken all the same
    }
    send(res, 200, { messageId: m.messageId, requestId, segments: m.segments, duplicate });
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (req.method === 'GET' && url.pathname === '/health')
      return send(res, 200, { status: 'ok', name: 'sms-gateway', messages: byId.size });
    if (req.method === 'GET' && url.pathname === '/') {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page([...byId.values()], options.brandName));
      return;
    }
    if (!keyMatches(req.headers.authorization, options.apiKey))
      return bad(res, 401, 'unauthorized', 'Thiếu hoặc sai khóa truy cập (Authorization: Bearer).');
    if (req.method === 'POST' && url.pathname === '/api/v1/brandname/send') return sendRoute(req, res);
    if (req.method === 'GET' && url.pathname === '/api/v1/brandname/status') {
      const ids = url.searchParams.getAll('messageId').slice(0, 100);
      const items = ids.flatMap((id) => {
        const m = byId.get(id);
        return m
          ? [
              {
                messageId: m.messageId,
                requestId: m.requestId,
                status: m.status,
                ...(m.error ? { error: m.error } : {}),
              },
            ]
          : [];
      });
      return send(res, 200, { items });
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/_sim/messages')
      return send(res, 200, { items: [...byId.values()].slice(-200) });
    if (req.method === 'POST' && url.pathname === '/_sim/faults') {
      const text = await readBody(req);
      try {
        faults = checkFaults(JSON.parse(text ?? '{}') as Partial<GatewayFaults>, faults);
        return send(res, 200, faults);
      } catch (e) {
        return bad(res, 400, 'bad-request', (e as Error).message);
      }
    }
    return bad(res, 404, 'not-found', 'Không có dịch vụ này.');
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
    messages: () => [...byId.values()],
    requests: () => requests,
    configure(f) {
      faults = checkFaults(f, faults);
    },
    faults: () => ({ ...faults }),
    setReportUrl(u) {
      reportUrl = u;
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
