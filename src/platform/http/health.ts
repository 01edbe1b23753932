/**
 * Liveness (the process answers) and readiness (the database answers and we are not shutting down).
 */

import { Type } from 'typebox';
import { access } from './access.ts';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './problem.ts';
import type { AppInstance } from './server.ts';

export interface HealthOptions {
  ping: (timeoutMs: number) => Promise<boolean>;
  isShuttingDown: () => boolean;
}

const Status = Type.Object({ status: Type.Literal('ok') });
const Unready = Type.Object({
  status: Type.Literal('unavailable'),
  checks: Type.Object({
    database: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
    shuttingDown: Type.Boolean(),
  }),
});

export async function healthRoutes(app: AppInstance, options: HealthOptions) {
  // Single flight: concurrent probes share one database round trip (never a cached answer).
  let inFlight: Promise<boolean> | undefined;
  const ping = () => {
    inFlight ??= options.ping(2000).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  app.get(
    '/health/live',
    {
      config: { access: access.public },
      schema: { tags: ['health'], summary: 'The process is alive', response: { 200: Status } },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      config: { access: access.public },
      schema: {
        tags: ['health'],
        summary: 'Ready to serve: the database answers',
        response: { 200: Status, 503: Unready },
      },
    },
    async (_request, reply) => {
      const shuttingDown = options.isShuttingDown();
      const database = await ping();
      reply.header('cache-control', 'no-store');
      if (database && !shuttingDown) return { status: 'ok' as const };
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return reply.code(503).send({
        status: 'unavailable' as const,
        checks: { database: database ? ('ok' as const) : ('down' as const), shuttingDown },
      });
    },
  );
}
