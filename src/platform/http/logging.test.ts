/**
 * One log line per request: method, the route's pattern (never the raw URL with its codes and ID
 * numbers), status, duration and request id; health probes, metrics and assets only at debug.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { access } from './access.ts';
import { type AppInstance, createServer } from './server.ts';

const lines: Array<Record<string, unknown>> = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

async function server(level: 'info' | 'debug') {
  const app = await createServer(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: level }), { logStream: stream });
  app.get('/tra-cuu-ho-so/:ma', { config: { access: access.public } }, async (request) => {
    request.log.info({ idNumber: '001088012345' }, 'looked up');
    return { ok: true };
  });
  app.get('/health/live', { config: { access: access.public } }, async () => ({ status: 'ok' }));
  app.get('/hong', { config: { access: access.public } }, async () => {
    throw new Error('boom');
  });
  await app.ready();
  return app;
}

/** The lines one request wrote, by its id. */
const linesOf = (requestId: string) => lines.filter((l) => l.reqId === requestId);

describe('request logging', () => {
  let app: AppInstance;
  beforeAll(async () => {
    app = await server('info');
  });
  afterAll(() => app.close());

  it('writes one line per request with method, route pattern, status, duration and request id', async () => {
    const res = await app.inject({
      url: '/tra-cuu-ho-so/000.00.00.H26-250701-0001?so=2345',
      headers: { 'x-request-id': 'req-lookup-1' },
    });
    expect(res.statusCode).toBe(200);
    const mine = linesOf('req-lookup-1');
    // The handler's own line, then the request's: nothing else (no "incoming request").
    expect(mine.map((l) => l.msg)).toEqual(['looked up', `GET /tra-cuu-ho-so/:ma 200 ${mine[1]?.ms} ms`]);
    const line = mine[1]!;
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/tra-cuu-ho-so/:ma',
      status: 200,
      reqId: 'req-lookup-1',
      service: 'cong-dvc',
    });
    expect(typeof line.ms).toBe('number');
    expect(line.ms as number).toBeGreaterThanOrEqual(0);
    // Neither the dossier code nor the ID number's digits reach the log.
    const written = JSON.stringify(mine);
    expect(written).not.toContain('H26-250701');
    expect(written).not.toContain('2345');
    expect(written).not.toContain('001088012345');
    expect(mine[0]!.idNumber).toBe('[redacted]');
  });

  it('logs errors and unknown pages on the same single line, without the raw path', async () => {
    await app.inject({ url: '/hong', headers: { 'x-request-id': 'req-error-1' } });
    const failed = linesOf('req-error-1').filter((l) => l.route !== undefined);
    expect(failed).toEqual([expect.objectContaining({ method: 'GET', route: '/hong', status: 500 })]);

    await app.inject({ url: '/khong-co/001088012345', headers: { 'x-request-id': 'req-404-1' } });
    const missing = linesOf('req-404-1');
    expect(missing).toEqual([expect.objectContaining({ route: '(no route)', status: 404, level: 30 })]);
    expect(JSON.stringify(missing)).not.toContain('001088012345');
  });

  it('keeps health probes, metrics and assets out of the info log', async () => {
    for (const url of ['/health/live', '/metrics', '/assets/app.css'])
      await app.inject({ url, headers: { 'x-request-id': `req-quiet-${url.length}` } });
    expect(lines.filter((l) => String(l.reqId).startsWith('req-quiet-'))).toEqual([]);
  });

  it('writes them at debug when asked', async () => {
    const debug = await server('debug');
    await debug.inject({ url: '/health/live', headers: { 'x-request-id': 'req-debug-1' } });
    await debug.close();
    expect(linesOf('req-debug-1')).toEqual([
      expect.objectContaining({ level: 20, route: '/health/live', status: 200 }),
    ]);
  });
});
