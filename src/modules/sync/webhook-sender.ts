/**
 * One webhook POST: node's http/https client with a whole-request deadline, no redirects followed, the
 * answer's body read (at most 4 kB) and dropped. Unless private networks are allowed, the address the
 * host name resolves to is checked when the connection is made (the `lookup` hook), so a name that
 * resolves to a loopback or private address — also after a DNS change between check and use — is
 * refused; an IP literal is checked before. docs/sync.md (outbound delivery, SSRF).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './domain/outbound.ts';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

const refusing: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || list.length === 0)
      return callback(
        new Error(`địa chỉ ${bad?.address ?? hostname} thuộc mạng nội bộ: không gửi (SSRF)`),
        '',
        4,
      );
    if ((options as { all?: boolean }).all)
      return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({
    ok: error === null && statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    latencyMs: Math.round(performance.now() - started),
    error,
  });
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve(done(null, 'địa chỉ không hợp lệ'));
    }
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) && isPrivateAddress(host))
      return resolve(done(null, `địa chỉ ${host} thuộc mạng nội bộ: không gửi (SSRF)`));
    const client = u.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = client.request(
      u,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'CongDVC-Webhooks/1',
        },
        agent: false,
        ...(options.allowPrivate ? {} : { lookup: refusing }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 4096) res.destroy();
        });
        const end = () =>
          finish(
            done(
              status,
              status >= 200 && status < 300
                ? null
                : status >= 300 && status < 400
                  ? `chuyển hướng ${status} không được theo (redirect not followed)`
                  : `HTTP ${status}`,
            ),
          );
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`quá thời gian chờ ${options.timeoutMs} ms (timeout)`));
    }, options.timeoutMs);
    req.on('error', (e) => finish(done(null, e.message.slice(0, 500))));
    req.end(body);
  });
}
