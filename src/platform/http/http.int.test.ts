import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, testPortal } from '../../../test/helpers/portal.ts';
import type { Portal } from '../../bootstrap.ts';
import { UpstreamError } from '../errors/index.ts';
import { access } from './access.ts';
import { metricsPlugin, metricsServer } from './metrics.ts';
import { createServer } from './server.ts';

let portal: Portal;
beforeAll(async () => {
  portal = await testPortal();
});
afterAll(async () => {
  await portal.close();
});

describe('HTTP platform', () => {
  it('answers liveness and readiness', async () => {
    const live = await portal.app.inject('/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await portal.app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok' });
  });

  it('publishes OpenAPI 3.1 describing the API routes, browsable at /api/docs', async () => {
    const r = await portal.app.inject('/api/openapi.json');
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/admin-units',
        '/api/v1/admin-units/{code}',
        '/api/v1/agencies',
        '/api/v1/agencies/{code}',
        '/api/v1/calendar/holidays',
        '/api/v1/calendar/due-date',
        '/health/ready',
      ]),
    );
    // Pages are not API.
    expect(Object.keys(doc.paths)).not.toContain('/co-quan');
    const docs = await portal.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with problem+json 404 and the request id', async () => {
    const r = await portal.app.inject({
      url: '/api/v1/no-such-route',
      headers: { 'x-request-id': 'req-123' },
    });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.headers['x-request-id']).toBe('req-123');
    expect(r.json()).toMatchObject({
      status: 404,
      title: 'Không tìm thấy',
      requestId: 'req-123',
      instance: '/api/v1/no-such-route',
    });
    const en = await portal.app.inject({
      url: '/api/v1/nope',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(en.json().title).toBe('Not found');
  });

  it('answers bad input with a 400 problem that names the field', async () => {
    const r = await portal.app.inject('/api/v1/calendar/holidays?year=abc');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const p = r.json();
    expect(p.type).toBe('/problems/validation');
    expect(p.errors[0].path).toContain('year');
    expect(typeof p.requestId).toBe('string');
  });

  it('shows the message of a 4xx raised by a service', async () => {
    const r = await portal.app.inject({ url: '/api/v1/agencies?date=2025-13-45' });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toContain('2025-13-45');
  });

  it('sends security headers: all of them on pages, those that matter for data on APIs', async () => {
    const page = await portal.app.inject('/');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['x-request-id']).toBeTruthy();
    // The API documentation is a page (Swagger UI's scripts and styles from this origin).
    const docs = await portal.app.inject('/api/docs/');
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    for (const url of ['/health/live', '/api/v1/calendar/holidays?year=2026']) {
      const r = await portal.app.inject(url);
      expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(r.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(r.headers['cross-origin-opener-policy']).toBeUndefined();
      expect(r.headers['x-request-id']).toBeTruthy();
    }
  });

  it('exposes Prometheus metrics: latency by route, database and outbox gauges', async () => {
    await portal.app.inject('/api/v1/calendar/holidays?year=2026');
    const r = await portal.app.inject('/metrics');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(
      'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/calendar/holidays",status_code="200"}',
    );
    expect(r.body).toMatch(/db_up\{kind="(pglite|postgres)"\} 1/);
    expect(r.body).toContain('db_pool_connections{state="total"}');
    expect(r.body).toContain('outbox_pending_messages 0');
    expect(r.body).toContain('outbox_lag_seconds 0');
  });
});

describe('who reads the metrics', () => {
  async function appWith(readers: { token?: string; listen?: { host: string; port: number } }) {
    const app = await createServer(testConfig());
    await app.register(metricsPlugin, {
      database: portal.database,
      outboxStats: () => portal.dispatcher.stats(),
      readers: { token: readers.token, listen: readers.listen },
    });
    await app.ready();
    return app;
  }

  it('without a token: this machine only, by the socket, whatever X-Forwarded-For says', async () => {
    const app = await appWith({});
    expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
    const far = await app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.7',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(far.statusCode).toBe(403);
    expect(far.headers['content-type']).toContain('application/problem+json');
    expect(far.body).not.toContain('http_request_duration_seconds');
    await app.close();
  });

  it('with a token: the bearer token, from any address; a wrong or missing one is 401', async () => {
    const token = 'm'.repeat(40);
    const app = await appWith({ token });
    const ok = await app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('db_up');
    for (const authorization of [undefined, `Bearer ${'m'.repeat(39)}x`, `Basic ${token}`]) {
      const r = await app.inject({
        url: '/metrics',
        remoteAddress: '127.0.0.1',
        headers: authorization ? { authorization } : {},
      });
      expect(r.statusCode, String(authorization)).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    }
    await app.close();
  });

  it('with a listen address: served there, not on the portal port', async () => {
    const app = await appWith({ listen: { host: '127.0.0.1', port: 0 } });
    expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(404);
    const server = await metricsServer(app.metrics, { host: '127.0.0.1', port: 0 });
    try {
      const r = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('db_up');
      expect((await fetch(`http://127.0.0.1:${server.port}/api/v1/agencies`)).status).toBe(404);
    } finally {
      await server.close();
      await app.close();
    }
  });
});

describe('route access declarations', () => {
  it('refuse at start-up a route that does not say who may call it', async () => {
    const app = await createServer(testConfig());
    expect(() => app.get('/api/v1/undeclared', async () => 'x')).toThrow(/does not declare who may call it/);
    app.get('/api/v1/declared', { config: { access: access.public } }, async () => 'x');
    expect(app.declaredRoutes).toContainEqual({
      method: 'GET',
      url: '/api/v1/declared',
      access: access.public,
    });
    await app.close();
  });
});

describe('5xx errors', () => {
  it('keep internals out: no message, no stack, no extras — only a generic sentence and the request id', async () => {
    const app = await createServer(testConfig());
    app.get('/api/v1/boom', { config: { access: access.public } }, async () => {
      throw new Error('connection to 10.0.0.5 refused: password authentication failed for user "portal"');
    });
    app.get('/api/v1/upstream', { config: { access: access.public } }, async () => {
      throw new UpstreamError('agency system at http://10.1.2.3:8080 returned 502', {
        status: 200,
        requestId: 'forged',
      });
    });
    await app.ready();
    for (const url of ['/api/v1/boom', '/api/v1/upstream']) {
      const r = await app.inject({ url, headers: { 'x-request-id': 'req-5xx' } });
      expect(r.statusCode).toBeGreaterThanOrEqual(500);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const p = r.json();
      expect(p.requestId).toBe('req-5xx');
      expect(p.status).toBe(r.statusCode);
      expect(p.detail).toMatch(/Hệ thống gặp sự cố/);
      expect(r.body).not.toMatch(/10\.0\.0\.5|10\.1\.2\.3|password|stack/);
    }
    await app.close();
  });
});
