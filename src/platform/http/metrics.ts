/**
 * Prometheus metrics at GET /metrics: request latency by route, database pool and reachability, and
 * the outbox (pending, dead letters, lag). One registry per app instance, so tests do not share state.
 */

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/index.ts';
import type { OutboxStats } from '../outbox/index.ts';
import { access } from './access.ts';

export interface MetricsOptions {
  database: Pick<Database, 'poolStats' | 'ping' | 'kind'>;
  outboxStats: () => Promise<OutboxStats>;
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

  app.get(
    '/metrics',
    { config: { access: access.public }, schema: { hide: true } },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
});
