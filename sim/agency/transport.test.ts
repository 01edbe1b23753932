/** The simulator's clients against a scripted stand-in for the portal: what they retry, and how. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimEvent } from './generate.ts';
import { dvcqgTransport, FatalError, GiveUpError, restTransport } from './transport.ts';

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };
let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server answering each request with the next scripted reply for its path; records what it got. */
async function portal(script: Record<string, Reply[]>) {
  const got: Array<{ path: string; body: unknown; at: number }> = [];
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      got.push({ path, body: text.startsWith('{') ? JSON.parse(text) : text, at: Date.now() });
      const reply = script[path]?.shift() ?? { status: 404 };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, got };
}

const event = (kind: 'dossier' | 'history', code: string, first = false): SimEvent => ({
  kind,
  code,
  at: 0,
  seq: 0,
  status: 2,
  first,
  body: { MaHoSo: code },
});
const token = { status: 200, body: { access_token: 't1', expires_in: 3600 } };
const answer = (n: number) => ({
  status: 200,
  body: {
    dossiers: Array.from({ length: n }, (_, index) => ({ index, code: 'X', result: 'accepted' })),
    history: [],
    summary: { accepted: n, duplicate: 0, rejected: 0 },
  },
});

describe('REST transport', () => {
  it('waits Retry-After on 429, backs off on 5xx, gets a new token on 401, then delivers', async () => {
    const p = await portal({
      '/oidc/token': [token, { status: 200, body: { access_token: 't2', expires_in: 3600 } }],
      '/api/v1/sync/dossiers': [
        { status: 429, headers: { 'retry-after': '1' }, body: { title: 'busy' } },
        { status: 503 },
        { status: 401 },
        answer(1),
      ],
    });
    const retries: string[] = [];
    const t = restTransport({
      url: p.url,
      clientId: 'c',
      clientSecret: 's',
      giveUpAfterMs: 30_000,
      timeoutMs: 5000,
      onRetry: (reason, wait) => retries.push(`${reason}:${Math.round(wait / 1000)}`),
    });
    const started = Date.now();
    const d = await t.deliver([event('dossier', '000.00.00.H26-250701-0001')]);
    expect(d).toMatchObject({ accepted: 1, rejected: 0 });
    expect(retries[0]).toBe('HTTP 429:1');
    expect(retries[1]).toMatch(/^HTTP 503:/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const posts = p.got.filter((g) => g.path === '/api/v1/sync/dossiers');
    expect(posts).toHaveLength(4);
    expect(p.got.filter((g) => g.path === '/oidc/token')).toHaveLength(2);
  });

  it('gives up after the retry window, and does not retry a 400', async () => {
    const p = await portal({
      '/oidc/token': [token],
      '/api/v1/sync/dossiers': Array(50).fill({ status: 500 }),
    });
    const options = {
      url: p.url,
      clientId: 'c',
      clientSecret: 's',
      timeoutMs: 5000,
      onRetry: () => undefined,
    };
    await expect(
      restTransport({ ...options, giveUpAfterMs: 600 }).deliver([event('history', 'A')]),
    ).rejects.toBeInstanceOf(GiveUpError);
    const q = await (async () => {
      await new Promise<void>((r) => server!.close(() => r()));
      return portal({
        '/oidc/token': [token],
        '/api/v1/sync/dossiers': [{ status: 400, body: { title: 'bad' } }],
      });
    })();
    await expect(
      restTransport({ ...options, url: q.url, giveUpAfterMs: 5000 }).deliver([event('history', 'A')]),
    ).rejects.toBeInstanceOf(FatalError);
  });

  it('retries a refused connection until the portal is there', async () => {
    const p = await portal({ '/oidc/token': [token], '/api/v1/sync/dossiers': [answer(1)] });
    const port = Number(new URL(p.url).port);
    await new Promise<void>((r) => server!.close(() => r()));
    const retries: string[] = [];
    const t = restTransport({
      url: p.url,
      clientId: 'c',
      clientSecret: 's',
      giveUpAfterMs: 20_000,
      timeoutMs: 5000,
      onRetry: (reason) => retries.push(reason),
    });
    const pending = t.deliver([event('dossier', 'A')]);
    await new Promise((r) => setTimeout(r, 700));
    const again = await (async () => {
      const q = { '/oidc/token': [token], '/api/v1/sync/dossiers': [answer(1)] } as Record<string, Reply[]>;
      server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          const reply = q[(req.url ?? '').split('?')[0]!]?.shift() ?? { status: 404 };
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        });
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
      return pending;
    })();
    expect(again.accepted).toBe(1);
    expect(retries[0]).toBe('ECONNREFUSED');
  });
});

describe('DVCQG adapter transport', () => {
  it('logs in, waits on "busy" (9), logs in again on 2, and re-sends "đã tồn tại" (3) as an update', async () => {
    const ok = (results: unknown[]) => ({
      status: 200,
      body: { error_code: 0, message: 'Thành công', results },
    });
    const p = await portal({
      '/adapter/dvcqg/auth': [
        { status: 200, body: { error_code: 0, session: 's1' } },
        { status: 200, body: { error_code: 0, session: 's2' } },
      ],
      '/adapter/dvcqg/service': [
        { status: 200, body: { error_code: 9, message: 'Hệ thống đang bận' } },
        { status: 200, body: { error_code: 2, message: 'Phiên hết hạn' } },
        {
          status: 200,
          body: {
            error_code: 3,
            message: 'Hồ sơ B đã tồn tại',
            results: [
              { index: 0, MaHoSo: 'H26-A', result: 'accepted' },
              { index: 1, MaHoSo: 'H26-B', result: 'rejected', message: 'Hồ sơ H26-B đã tồn tại.' },
            ],
          },
        },
        ok([
          { index: 0, MaHoSo: 'H26-C', result: 'accepted' },
          { index: 1, MaHoSo: 'H26-B', result: 'duplicate' },
        ]),
        ok([{ index: 0, MaHoSo: 'H26-A', result: 'accepted' }]),
      ],
    });
    const t = dvcqgTransport({
      url: p.url,
      clientId: 'c',
      clientSecret: 's',
      identifiers: ['000.00.00.H26'],
      giveUpAfterMs: 20_000,
      timeoutMs: 5000,
      onRetry: () => undefined,
    });
    const d = await t.deliver([
      event('dossier', '000.00.00.H26-250701-0001', true),
      event('dossier', '000.00.00.H26-250701-0002', true),
      event('dossier', '000.00.00.H26-250701-0003'),
      event('history', '000.00.00.H26-250701-0001'),
    ]);
    expect(d).toEqual({ accepted: 3, duplicate: 1, rejected: 0, reasons: [] });
    const calls = p.got
      .filter((g) => g.path === '/adapter/dvcqg/service')
      .map(
        (g) =>
          g.body as {
            session: string;
            service: string;
            isUpdating?: string;
            data: Array<{ MaHoSo: string }>;
            madonvi: string;
          },
      );
    expect(calls.map((c) => [c.session, c.service, c.isUpdating ?? '', c.data.length])).toEqual([
      ['s1', 'DongBoHoSoMC', 'False', 2],
      ['s1', 'DongBoHoSoMC', 'False', 2],
      ['s2', 'DongBoHoSoMC', 'False', 2],
      ['s2', 'DongBoHoSoMC', 'True', 2],
      ['s2', 'CapNhatTienDoHoSoMC', '', 1],
    ]);
    expect(calls[3]!.data.map((x) => x.MaHoSo)).toEqual([
      '000.00.00.H26-250701-0003',
      '000.00.00.H26-250701-0002',
    ]);
    expect(new Set(calls.map((c) => c.madonvi))).toEqual(new Set(['000.00.00.H26']));
  });
});
