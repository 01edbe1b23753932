/**
 * Issue 14: while the database cannot be reached, every route answers 503 with Retry-After (a page in
 * Vietnamese for people, problem+json for programs, the adapter's error_code 9), never a 500.
 * PostgreSQL: the portal talks to it through a TCP proxy that the test stops (connections cut, new ones
 * refused) and starts again — the portal is ready again afterwards. PGlite: the database is closed.
 */
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Portal, startPortal } from '../src/bootstrap.ts';
import { registerOidcClient } from '../src/modules/identity/index.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from './helpers/database.ts';
import { testConfig, testPortal } from './helpers/portal.ts';

/** A TCP proxy to PostgreSQL that can be stopped (as the database going away) and started again. */
async function startProxy(target: { hostname: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let portal: Portal;
let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
let database: TestDatabase | undefined;
let token = '';
let session = '';

beforeAll(async () => {
  if (onPostgres) {
    database = await createTestDatabase({ prepared: true });
    const url = new URL(database.options.databaseUrl!);
    proxy = await startProxy({ hostname: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    portal = await startPortal(testConfig(), {
      database: { ...database.options, databaseUrl: url.toString() },
    });
  } else portal = await testPortal();
  const { clientSecret } = await registerOidcClient(portal.database.db, {
    clientId: 'down-ha-noi',
    name: 'Hệ thống một cửa Hà Nội',
    machine: true,
    agencyCodes: ['UBND-01'],
    scope: 'sync',
  });
  const t = await portal.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      authorization: `Basic ${Buffer.from(`down-ha-noi:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials&scope=sync',
  });
  token = t.json().access_token;
  const a = await portal.app.inject({
    method: 'POST',
    url: '/adapter/dvcqg/auth',
    payload: { username: 'down-ha-noi', password: clientSecret },
  });
  session = a.json().session;
  expect(session).toBeTruthy();
  // Warm the caches a live portal has, so that what follows is what a running portal does.
  await portal.app.inject({ url: '/api/v1/agencies' });
});

afterAll(async () => {
  await portal?.close().catch(() => undefined);
  await proxy?.close();
  await database?.drop();
});

async function stopDatabase() {
  if (proxy) await proxy.stop();
  else await portal.database.close();
}

describe('while the database cannot be reached', () => {
  it('every route answers 503 with Retry-After, never a 500; people get a Vietnamese page', async () => {
    expect((await portal.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
    await stopDatabase();

    const lookup = await portal.app.inject({ url: '/api/v1/lookup/000.00.00.H26-250701-0001?last4=1234' });
    expect(lookup.statusCode, lookup.body).toBe(503);
    expect(lookup.headers['retry-after']).toMatch(/^\d+$/);
    expect(lookup.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(lookup.json().detail).toContain('cơ sở dữ liệu');

    const sync = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/sync/dossiers',
      headers: { authorization: `Bearer ${token}` },
      payload: { dossiers: [] },
    });
    expect(sync.statusCode, sync.body).toBe(503);
    expect(sync.headers['retry-after']).toBeDefined();

    const adapter = await portal.app.inject({
      method: 'POST',
      url: '/adapter/dvcqg/service',
      payload: { session, madonvi: '000.00.00.H26', service: 'TraCuuHoSo', mahoso: 'x' },
    });
    expect(adapter.statusCode, adapter.body).toBe(503);
    expect(adapter.json()).toMatchObject({ error_code: 9 });

    const page = await portal.app.inject({
      url: '/tra-cuu-ho-so?ma=000.00.00.H26-250701-0001&so=1234',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Dịch vụ tạm thời gián đoạn');

    const ready = await portal.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(503);

    // Every GET of the API without path parameters, and the pages people open first.
    const doc = (await portal.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const urls = [
      ...Object.entries(doc.paths)
        .filter(([p, ops]) => !p.includes('{') && 'get' in ops)
        .map(([p]) => p),
      '/',
      '/thu-tuc',
      '/co-quan',
      '/tim-kiem?q=khai%20sinh',
      '/dang-nhap',
    ];
    for (const url of urls) {
      for (const headers of [
        { authorization: `Bearer ${token}` },
        { accept: 'text/html', cookie: 'sid=abc' },
      ]) {
        const r = await portal.app.inject({ url, headers });
        expect(
          r.statusCode === 503 || r.statusCode < 500,
          `${url}: ${r.statusCode} ${r.body.slice(0, 200)}`,
        ).toBe(true);
        if (r.statusCode === 503) expect(r.headers['retry-after'], url).toBeDefined();
      }
    }
  });

  it.runIf(onPostgres)('is ready again once the database is back', async () => {
    await proxy!.start();
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = (await portal.app.inject({ url: '/health/ready' })).statusCode;
    }
    expect(ready).toBe(200);
    const r = await sql<{ one: number }>`select 1 as one`.execute(portal.database.db);
    expect(r.rows[0]!.one).toBe(1);
  });
});
