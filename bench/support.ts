/** Pieces the PostgreSQL benchmarks share: their own database, and the portal as a separate process. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Creates the benchmark's database if it does not exist (its data is kept between runs). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  try {
    const r = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await admin.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

/** `npm start` on that database in its own process, silent, on a free port. */
export async function startPortalProcess(
  databaseUrl: string,
  poolMax: number,
  options: { processes?: number } = {},
): Promise<{ port: number; stop(): Promise<void> }> {
  // BENCH_PORTAL_FLAGS: extra node flags for the portal, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const flags = (process.env.BENCH_PORTAL_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATABASE_POOL_MAX: String(poolMax),
      PORTAL_PROCESSES: String(options.processes ?? 1),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`portal exited ${code}: ${out}`)));
  });
  return {
    port,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The median of benchmark rounds by one measure (the upper middle for an even count): rounds of each
 * side alternate, and the median round is what is compared.
 */
export function medianBy<T>(rounds: readonly T[], measure: (round: T) => number): T {
  return [...rounds].sort((a, b) => measure(a) - measure(b))[rounds.length >> 1]!;
}
