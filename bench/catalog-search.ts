/**
 * Catalogue search on a 100,000-procedure catalogue in PostgreSQL: a fixed mix of realistic queries
 * (with and without diacritics, with typos, prefixes, filters) through HTTP — the portal running as its
 * own process — against the very same SQL statements the search runs, executed directly with
 * node-postgres from this process, in the same run, with the same concurrency and duration.
 *
 *   BENCH_DATABASE_URL  (default postgres://postgres@127.0.0.1:5432/bench_catalog; created if missing)
 *   BENCH_PROCEDURES    (default 100000)    BENCH_SECONDS (default 10)    BENCH_CONCURRENCY (default 8)
 *   BENCH_ROUNDS        (default 3: saturated rounds per side, alternating; the medians are compared)
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { prepareDatabase } from '../src/bootstrap.ts';
import { createCatalogueService } from '../src/modules/catalogue/catalogue.service.ts';
import type { CatalogueTables } from '../src/modules/catalogue/catalogue.tables.ts';
import { loadGeneratedCatalogue } from '../src/modules/catalogue/seed/generator.ts';
import { systemClock } from '../src/platform/clock/index.ts';
import { openDatabase, scoped } from '../src/platform/db/index.ts';
import type { Row } from './run.ts';
import { ensureDatabase, medianBy, startPortalProcess } from './support.ts';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_catalog';
const SIZE = Number(process.env.BENCH_PROCEDURES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Latency is measured with one client searching after another (the server not saturated: what a
 * citizen waits), throughput with 8 concurrent connections (saturated; autocannon for HTTP).
 */
const LATENCY_CLIENTS = Number(process.env.BENCH_LATENCY_CLIENTS ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Saturated rounds per side, alternating (the median round of each is kept). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Also measured with the portal as several processes (BENCH_PORTAL_PROCESSES, default 2; 0 for none). */
const MORE_PROCESSES = (process.env.BENCH_PORTAL_PROCESSES ?? '2')
  .split(',')
  .map(Number)
  .filter((n) => n > 1);

/** What citizens type: accents or not, typos, a word being typed, filters. */
export const QUERY_MIX: string[] = [
  'q=chung%20thuc%20ban%20sao',
  'q=Ch%E1%BB%A9ng%20th%E1%BB%B1c%20b%E1%BA%A3n%20sao',
  'q=dang%20ky%20khai%20sinh',
  'q=khai%20sihn',
  'q=dang%20ky%20thuong%20tru',
  'q=doi%20gplx',
  'q=doi%20giay%20phep%20lai%20xe',
  'q=giay%20phep%20lao%20dong%20nguoi%20nuoc%20ngoai',
  'q=c%E1%BA%A5p%20gi%E1%BA%A5y%20ph%C3%A9p%20x%C3%A2y%20d%E1%BB%B1ng',
  'q=giay%20phep%20ban%20le%20ruou',
  'q=an%20toan%20thuc%20pham',
  'q=cap%20lai%20chung%20chi%20hanh%20nghe%20duoc',
  'q=chung%20chi%20hanh%20nge%20duoc',
  'q=bhxh%20tu%20nguyen',
  'q=thanh%20lap%20cong%20ty',
  'q=ho%20kinh%20doanh',
  'q=phat%20nguoi',
  'q=giay%20phep%20moi%20truong',
  'q=karaoke',
  'q=lu%20hanh%20noi%20dia',
  'q=giay%20phep%20lao%20dng',
  'q=dang%20ky%20kh',
  'q=xac%20nhan%20tinh%20trang%20hon%20nhan',
  'q=ly%20lich%20tu%20phap',
  'q=cap%20giay%20phep&province=79',
  'q=giay%20chung%20nhan%20du%20dieu%20kien&sector=YT-KCB',
  'q=gia%20han%20giay%20phep',
  'q=2.000815',
];

async function prepare(): Promise<void> {
  await ensureDatabase(URL_);
  const database = await openDatabase({ databaseUrl: URL_, poolMax: 4 });
  try {
    await prepareDatabase(database, { agencyIdentifiersFile: undefined });
    const db = scoped<CatalogueTables>(database.db);
    const have = await sql<{
      n: number;
    }>`select count(*)::int as n from catalogue.procedures where origin = 'generated'`.execute(db);
    if (Number(have.rows[0]!.n) < SIZE) {
      process.stderr.write(`loading ${SIZE} generated procedures…\n`);
      await loadGeneratedCatalogue(db, SIZE, (n) => {
        if (n % 20_000 === 0) process.stderr.write(`  ${n}\n`);
      });
      await sql`vacuum analyze catalogue.search_entries`.execute(db);
      await sql`analyze`.execute(db);
    }
  } finally {
    await database.close();
  }
}

/** The SQL statements the search service runs for each query of the mix (captured, parameters included). */
async function captureStatements(pool: pg.Pool): Promise<CompiledQuery[][]> {
  let captured: CompiledQuery[] = [];
  const db = new Kysely<CatalogueTables>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  const service = createCatalogueService({
    db,
    clock: systemClock,
    can: async () => false,
    agenciesWhere: async () => [],
    agencies: async () => [],
    provinces: async () => [],
    subtreeOf: async () => [],
  });
  const out: CompiledQuery[][] = [];
  for (const qs of QUERY_MIX) {
    const p = new URLSearchParams(qs);
    const params = {
      q: p.get('q') ?? undefined,
      sector: p.get('sector') ?? undefined,
      province: p.get('province') ?? undefined,
      limit: 20,
    };
    await service.search(params); // warm the service's caches
    captured = [];
    await service.search(params);
    out.push(captured);
    captured = []; // the next warm-up must not land in this query's list
  }
  return out;
}

interface Load {
  count: number;
  seconds: number;
  p50: number;
  p95: number;
  p97_5: number;
  p99: number;
}

/**
 * Saturated HTTP load with autocannon (a much lighter client than node:http, which matters when the
 * load generator shares the two cores with the portal and the database): CONCURRENCY connections
 * cycling through the mix, 2 s of warm-up, then SECONDS measured. autocannon reports p97.5, not p95.
 */
async function cannon(port: number): Promise<{ rps: number; p97_5: number }> {
  const requests = QUERY_MIX.map((qs) => ({
    method: 'GET' as const,
    path: `/api/v1/procedures?${qs}&limit=20`,
    headers: { accept: 'application/json' },
  }));
  const run = (duration: number) =>
    autocannon({ url: `http://127.0.0.1:${port}`, connections: CONCURRENCY, duration, requests });
  await run(2);
  const r = await run(SECONDS);
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`catalog-search: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.total / SECONDS, p97_5: r.latency.p97_5 };
}

async function drive(one: (i: number) => Promise<void>, clients = CONCURRENCY): Promise<Load> {
  // Warm-up, then the measured run.
  const until = (ms: number) => performance.now() + ms;
  const run = async (end: number, latencies: number[] | undefined) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          const i = next++;
          const t = performance.now();
          await one(i);
          latencies?.push(performance.now() - t);
        }
      }),
    );
  };
  await run(until(2_000), undefined);
  const latencies: number[] = [];
  const started = performance.now();
  await run(until(SECONDS * 1_000), latencies);
  const seconds = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return {
    count: latencies.length,
    seconds,
    p50: pct(0.5),
    p95: pct(0.95),
    p97_5: pct(0.975),
    p99: pct(0.99),
  };
}

export async function catalogSearch(): Promise<Row[]> {
  await prepare();
  const pool = new pg.Pool({ connectionString: URL_, max: CONCURRENCY });
  const statements = await captureStatements(pool);
  const perQuery = statements.map((s) => s.length);

  const directOne = async (i: number) => {
    for (const q of statements[i % statements.length]!) await pool.query(q.sql, q.parameters as unknown[]);
  };
  const directLatency = await drive(directOne, LATENCY_CLIENTS);

  const portal = await startPortalProcess(URL_, CONCURRENCY);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (p: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: portal.port, path: p, agent, headers: { accept: 'application/json' } },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`${p}: ${res.statusCode}`));
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
    });
  // Every query answers before the load starts (and the check that it finds something).
  for (const qs of QUERY_MIX) await get(`/api/v1/procedures?${qs}&limit=20`);
  const httpOne = (i: number) => get(`/api/v1/procedures?${QUERY_MIX[i % QUERY_MIX.length]}&limit=20`);
  const httpLatency = await drive(httpOne, LATENCY_CLIENTS);
  // The portal as deployed on a multi-core server, too: PORTAL_PROCESSES processes sharing a port (each
  // with a pool of CONCURRENCY / processes), started now and idle until its turn.
  const several: Array<{ processes: number; portal: Awaited<ReturnType<typeof startPortalProcess>> }> = [];
  for (const processes of MORE_PROCESSES) {
    const p = await startPortalProcess(URL_, Math.ceil(CONCURRENCY / processes), { processes });
    several.push({ processes, portal: p });
    for (const qs of QUERY_MIX) {
      const r = await fetch(`http://127.0.0.1:${p.port}/api/v1/procedures?${qs}&limit=20`);
      if (r.status !== 200) throw new Error(`${qs}: ${r.status}`);
      await r.arrayBuffer();
    }
  }
  // Saturated rounds alternate the sides (direct SQL, the portal, the portal as several processes), and
  // each side's median round is kept: on two cores shared by the portal, PostgreSQL and the load
  // generator, one run of each drifts by tens of percent.
  const directRounds: Load[] = [];
  const httpRounds: Array<{ rps: number; p97_5: number }> = [];
  const severalRounds = several.map(() => [] as Array<{ rps: number; p97_5: number }>);
  for (let r = 0; r < ROUNDS; r++) {
    directRounds.push(await drive(directOne));
    httpRounds.push(await cannon(portal.port));
    for (const [i, s] of several.entries()) severalRounds[i]!.push(await cannon(s.portal.port));
  }
  const direct = medianBy(directRounds, (d) => d.count / d.seconds);
  const viaHttp = medianBy(httpRounds, (h) => h.rps);
  const rounds = (xs: Array<{ rps: number }>) => xs.map((h) => Math.round(h.rps)).join(', ');
  process.stderr.write(
    `  rounds (searches/s): direct ${directRounds.map((d) => Math.round(d.count / d.seconds)).join(', ')}; HTTP ${rounds(httpRounds)}${several.map((s, i) => `; ${s.processes} processes ${rounds(severalRounds[i]!)}`).join('')}\n`,
  );
  agent.destroy();
  await portal.stop();
  for (const s of several) await s.portal.stop();

  const sizes = await pool.query<{ n: number }>('select count(*)::int as n from catalogue.search_entries');
  await pool.end();
  const note = `${sizes.rows[0]!.n} procedures, ${QUERY_MIX.length} queries, ${SECONDS} s per run; ${Math.min(...perQuery)}–${Math.max(...perQuery)} statements per search`;
  const c = LATENCY_CLIENTS === 1 ? '1 client' : `${LATENCY_CLIENTS} clients`;
  return [
    {
      figure: `p50 latency (${c}), HTTP vs the same SQL directly`,
      ours: httpLatency.p50,
      limit: directLatency.p50,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: `p95 latency (${c}) through HTTP vs goal 15 ms`,
      ours: httpLatency.p95,
      limit: 15,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: `p95 latency (${c}), HTTP vs the same SQL directly`,
      ours: httpLatency.p95,
      limit: directLatency.p95,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: `p99 latency (${c}), HTTP vs the same SQL directly`,
      ours: httpLatency.p99,
      limit: directLatency.p99,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: `p97.5 latency (${CONCURRENCY} clients, saturated), HTTP vs SQL`,
      ours: viaHttp.p97_5,
      limit: direct.p97_5,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: `throughput (${CONCURRENCY} clients, median of ${ROUNDS} alternating rounds), HTTP vs the same SQL directly (goal ≥ 0.60)`,
      ours: viaHttp.rps,
      limit: direct.count / direct.seconds,
      unit: 'searches/s',
      better: 'higher',
      note,
    },
    ...several.map(({ processes }, i): Row => {
      const load = medianBy(severalRounds[i]!, (h) => h.rps);
      return {
        figure: `throughput (${CONCURRENCY} clients, median of ${ROUNDS} alternating rounds), HTTP to ${processes} portal processes vs the same SQL directly (goal ≥ 0.60)`,
        ours: load.rps,
        limit: direct.count / direct.seconds,
        unit: 'searches/s',
        better: 'higher',
        note: `PORTAL_PROCESSES=${processes}; p97.5 ${load.p97_5.toFixed(1)} ms`,
      };
    }),
  ];
}
