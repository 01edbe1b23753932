/**
 * Prometheus metrics: request latency by route, database pool and reachability, and the outbox
 * (pending, dead letters, lag). One registry per app instance, so tests do not share state.
 *
 * Who reads them (MetricsConfig): with a listen address, only there (`metricsServer`) and not on the
 * portal's port; otherwise GET /metrics on the portal's port, with the bearer token when one is set, and
 * without one only to connections from this machine (the socket's address, not a forwarded one).
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsConfig } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { ForbiddenError, UnauthorizedError } from '../errors/index.ts';
import type { OutboxStats } from '../outbox/index.ts';
import { access } from './access.ts';

export interface MetricsOptions {
  database: Pick<Database, 'poolStats' | 'ping' | 'kind'>;
  outboxStats: () => Promise<OutboxStats>;
  /** Who may read them; absent: this machine only, on the portal's port. */
  readers?: MetricsConfig;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

export const metricsPlugin = fp(async (app: FastifyInstance, options: MetricsOptions) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  app.decorate('metrics', registry);

  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections of this process by state (PGlite: one connection)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = options.database.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });

  new Gauge({
    name: 'db_up',
    help: '1 when the database answered a ping during this scrape',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.set({ kind: options.database.kind }, (await options.database.ping(1000)) ? 1 : 0);
    },
  });

  const outbox = async () => options.outboxStats().catch(() => undefined);
  let cached: { at: number; value: Promise<OutboxStats | undefined> } | undefined;
  const outboxOnce = () => {
    if (!cached || Date.now() - cached.at > 500) cached = { at: Date.now(), value: outbox() };
    return cached.value;
  };
  new Gauge({
    name: 'outbox_pending_messages',
    help: 'Outbox messages waiting for delivery',
    registers: [registry],
    async collect() {
      const s = await outboxOnce();
      if (s) this.set(s.pending);
    },
  });
  new Gauge({
    name: 'outbox_dead_messages',
    help: 'Outbox messages that exhausted their attempts (dead letters)',
    registers: [registry],
    async collect() {
      const s = await outboxOnce();
      if (s) this.set(s.dead);
    },
  });
  new Gauge({
    name: 'outbox_lag_seconds',
    help: 'Age of the oldest pending outbox message',
    registers: [registry],
    async collect() {
      const s = await outboxOnce();
      if (s) this.set(s.lagSeconds);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const readers = options.readers ?? { token: undefined, listen: undefined };
  if (readers.listen) return; // served by metricsServer only
  app.get(
    '/metrics',
    { config: { access: access.public }, schema: { hide: true } },
    async (request, reply) => {
      mayRead(request, reply, readers.token);
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
});

const digest = (s: string) => createHash('sha256').update(s).digest();

function mayRead(request: FastifyRequest, reply: FastifyReply, token: string | undefined): void {
  if (token) {
    const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (!m || !timingSafeEqual(digest(m[1] as string), digest(token))) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError(
        'Số liệu vận hành cần mã truy cập của hệ thống giám sát (Authorization: Bearer). / The metrics need the monitoring token.',
      );
    }
    return;
  }
  if (!isLoopback(request.raw.socket.remoteAddress)) {
    throw new ForbiddenError(
      'Số liệu vận hành chỉ đọc được từ chính máy chủ khi chưa cấu hình METRICS_TOKEN hoặc METRICS_LISTEN. / Without METRICS_TOKEN or METRICS_LISTEN the metrics answer this machine only.',
    );
  }
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^(::ffff:)?127\./.test(address) || address === '::1');
}

/**
 * The metrics on their own address (METRICS_LISTEN): GET /metrics only, nothing of the portal. Started
 * and stopped with the portal.
 */
export async function metricsServer(
  registry: Registry,
  listen: { host: string; port: number },
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(503).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : listen.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
