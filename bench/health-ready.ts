/**
 * `/health/ready` (a database round trip behind the whole platform: request id, security headers,
 * metrics, error handling) against a bare Fastify route answering the same JSON, both served from
 * this process and loaded by autocannon for the same duration with the same connections.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { startPortal } from '../src/bootstrap.ts';
import { loadConfig } from '../src/platform/config/index.ts';
import type { Row } from './run.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;

async function load(url: string) {
  // Warm-up, then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

export async function healthReady(): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-health-'));
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
  });
  const portal = await startPortal(config);
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const ourPort = (portal.app.server.address() as { port: number }).port;

  const bare = Fastify({ logger: false });
  bare.get('/ready', async () => ({ status: 'ok' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const barePort = (bare.server.address() as { port: number }).port;

  const baseline = await load(`http://127.0.0.1:${barePort}/ready`);
  const ours = await load(`http://127.0.0.1:${ourPort}/health/ready`);
  // The same platform without the database round trip, to tell the two costs apart.
  const live = await load(`http://127.0.0.1:${ourPort}/health/live`);
  await bare.close();
  await portal.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const db = config.databaseUrl ? 'PostgreSQL' : 'PGlite';
  return [
    {
      figure: `/health/ready throughput (${db}) vs bare Fastify`,
      ours: ours.rps,
      limit: baseline.rps,
      unit: 'req/s',
      better: 'higher',
    },
    {
      figure: `/health/ready p99 latency (${db}) vs bare Fastify`,
      ours: ours.p99,
      limit: baseline.p99,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: '/health/live throughput (no database) vs bare Fastify',
      ours: live.rps,
      limit: baseline.rps,
      unit: 'req/s',
      better: 'higher',
    },
    {
      figure: '/health/live p99 latency (no database) vs bare Fastify',
      ours: live.p99,
      limit: baseline.p99,
      unit: 'ms',
      better: 'lower',
    },
  ];
}
