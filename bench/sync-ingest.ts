/**
 * Status sync at national scale: processing-history rows per second through the HTTP API
 * (POST /api/v1/sync/dossiers, the portal running as its own process, 4 concurrent machine clients,
 * 500-row batches) against the best raw SQL path — COPY (pg-copy-streams) of the very same rows into
 * the very same table, in 500-row batches over 4 connections — measured in the same run on the same
 * PostgreSQL database.
 *
 * The API does more than the COPY: it parses and checks every row, checks the dossier code against the
 * caller's agencies, takes the per-dossier locks, tells new rows from duplicates, moves the current
 * status of each dossier and the rollups in the same transaction. The COPY only writes history rows
 * (with the same unique index). The ratio is what all of that costs.
 *
 *   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_sync; created if missing)
 *   BENCH_DOSSIERS     (default 40000; six history rows each)
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { prepareDatabase } from '../src/bootstrap.ts';
import { registerOidcClient } from '../src/modules/identity/index.ts';
import { checkHistory, formatDvcqgDate } from '../src/modules/sync/domain/records.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import type { Row } from './run.ts';
import { ensureDatabase, startPortalProcess } from './support.ts';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_sync';
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 40_000);
const CLIENTS = 4;
const BATCH = 500;
const IDENTIFIER = '000.00.00.H26'; // Hà Nội (UBND-01)

const STEPS: Array<[number, string]> = [
  [2, 'Tiếp nhận hồ sơ'],
  [4, 'Chuyển phòng chuyên môn thẩm định'],
  [5, 'Yêu cầu bổ sung giấy tờ'],
  [4, 'Công dân đã bổ sung, tiếp tục xử lý'],
  [9, 'Lãnh đạo phê duyệt kết quả'],
  [10, 'Trả kết quả cho công dân'],
];

/**
 * Dossiers received over 20 days of a month of 2025 and their six history rows: in the order they
 * happened (a live feed: each row of a batch moves a different dossier), or grouped by dossier (a
 * backlog pushed dossier by dossier: a 500-row batch moves about 83 dossiers).
 */
function generate(month: number, order: 'live' | 'by-dossier') {
  const base = Date.UTC(2025, month - 1, 1, 1, 0, 0);
  const dossiers: Array<Record<string, unknown>> = [];
  const history: Array<Record<string, unknown>> = [];
  const perDay = Math.ceil(DOSSIERS / 20);
  for (let i = 0; i < DOSSIERS; i++) {
    const day = Math.floor(i / perDay);
    const code = `${IDENTIFIER}-25${String(month).padStart(2, '0')}${String(day + 1).padStart(2, '0')}-${String((i % perDay) + 1).padStart(4, '0')}`;
    const start = base + day * 86_400_000 + (i % perDay) * 10_000;
    dossiers.push({
      MaHoSo: code,
      MaTTHC: ['1.001776', '1.004222', '2.000815', '1.001193'][i % 4],
      TenTTHC: 'Thủ tục thử',
      MaLinhVuc: 'G03-HT01',
      ChuHoSo: 'Nguyễn Văn An',
      SoGiayToChuHoSo: `0011900${String(i).padStart(5, '0')}`,
      LoaiDoiTuong: '1',
      KenhThucHien: String((i % 3) + 1),
      TrangThaiHoSo: '1',
      NgayNopHoSo: formatDvcqgDate(new Date(start - 600_000)),
      NgayHenTra: formatDvcqgDate(new Date(start + 5 * 86_400_000)),
    });
    for (const [k, [status, content]] of STEPS.entries())
      history.push({
        MaHoSo: code,
        NguoiXuLy: 'Trần Thị Bình',
        ChucDanh: 'Chuyên viên',
        ThoiDiemXuLy: formatDvcqgDate(new Date(start + k * 3 * 3_600_000)),
        PhongBanXuLy: 'Bộ phận tiếp nhận và trả kết quả',
        NoiDungXuLy: content,
        TrangThai: String(status),
        NgayBatDau: formatDvcqgDate(new Date(start + (k - 1) * 3 * 3_600_000)),
        NgayKetThucTheoQuyDinh: formatDvcqgDate(new Date(start + (k + 8) * 3_600_000)),
      });
  }
  if (order === 'live') history.sort((a, b) => String(a.ThoiDiemXuLy).localeCompare(String(b.ThoiDiemXuLy)));
  return { dossiers, history };
}

async function prepare() {
  await ensureDatabase(URL_);
  const database = await openDatabase({ databaseUrl: URL_, poolMax: 2 });
  try {
    await prepareDatabase(database, { agencyIdentifiersFile: undefined });
    await sql`truncate sync.dossier_status, sync.dossier_records, sync.history, sync.pending_history, sync.rollups, sync.received_rollups`.execute(
      database.db,
    );
    for (const month of ['2025-07-01', '2025-08-01', '2025-09-01', '2025-10-01'])
      await sql`select sync.create_history_partition(${month}::date)`.execute(database.db);
    const suffix = Date.now().toString(36);
    const clients: Array<{ id: string; secret: string }> = [];
    for (let i = 1; i <= CLIENTS; i++) {
      const id = `bench-sync-${i}-${suffix}`;
      const { clientSecret } = await registerOidcClient(database.db, {
        clientId: id,
        name: `Benchmark ${i}`,
        machine: true,
        agencyCodes: ['UBND-01'],
        scope: 'sync',
      });
      clients.push({ id, secret: clientSecret });
    }
    return clients;
  } finally {
    await database.close();
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function request(port: number, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Runs every job with `clients` workers taking the next one; returns seconds. */
async function drive(jobs: number, clients: number, one: (job: number, client: number) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let j = next++; j < jobs; j = next++) await one(j, c);
    }),
  );
  return (performance.now() - t0) / 1000;
}

const copyText = (v: unknown) =>
  v === null || v === undefined
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

export async function syncIngest(): Promise<Row[]> {
  const clients = await prepare();
  const runs = [
    { name: 'live feed (time order)', ...generate(7, 'live') },
    { name: 'backlog (grouped by dossier)', ...generate(9, 'by-dossier') },
  ];
  const portal = await startPortalProcess(URL_, 8);
  const apiSeconds: number[] = [];
  try {
    const tokens: string[] = [];
    for (const c of clients) {
      const r = await request(
        portal.port,
        'POST',
        '/oidc/token',
        {
          authorization: `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        'grant_type=client_credentials&scope=sync',
      );
      if (r.status !== 200) throw new Error(`token: ${r.status} ${r.body}`);
      tokens.push(JSON.parse(r.body).access_token);
    }
    const post = async (client: number, body: string, expected: number) => {
      for (;;) {
        const r = await request(
          portal.port,
          'POST',
          '/api/v1/sync/dossiers',
          { authorization: `Bearer ${tokens[client]}`, 'content-type': 'application/json' },
          body,
        );
        if (r.status === 429) {
          await new Promise((res) => setTimeout(res, 50));
          continue;
        }
        if (r.status !== 200) throw new Error(`sync: ${r.status} ${r.body.slice(0, 300)}`);
        const summary = JSON.parse(r.body).summary;
        if (summary.accepted !== expected) throw new Error(`sync: ${JSON.stringify(summary)}`);
        return;
      }
    };
    for (const run of runs) {
      // The dossiers first (not measured): history rows are then all of known dossiers.
      const dossierBodies: string[] = [];
      for (let i = 0; i < run.dossiers.length; i += 1000)
        dossierBodies.push(JSON.stringify({ dossiers: run.dossiers.slice(i, i + 1000) }));
      await drive(dossierBodies.length, CLIENTS, (j, c) =>
        post(c, dossierBodies[j]!, Math.min(1000, run.dossiers.length - j * 1000)),
      );
      const bodies: string[] = [];
      for (let i = 0; i < run.history.length; i += BATCH)
        bodies.push(JSON.stringify({ history: run.history.slice(i, i + BATCH) }));
      apiSeconds.push(
        await drive(bodies.length, CLIENTS, (j, c) =>
          post(c, bodies[j]!, Math.min(BATCH, run.history.length - j * BATCH)),
        ),
      );
    }
  } finally {
    await portal.stop();
  }

  const pool = new pg.Pool({ connectionString: URL_, max: CLIENTS });
  try {
    const total = runs.reduce((n, r) => n + r.dossiers.length, 0);
    const rows = runs.reduce((n, r) => n + r.history.length, 0);
    const check = await pool.query(
      `select count(*)::int as n, count(*) filter (where status = 10)::int as done from sync.dossiers`,
    );
    const stored = await pool.query(`select count(*)::int as n from sync.history`);
    if (check.rows[0].done !== total || stored.rows[0].n !== rows)
      throw new Error(
        `after the API runs: ${JSON.stringify(check.rows[0])}, ${stored.rows[0].n} history rows`,
      );

    const out: Row[] = [];
    for (const [r, run] of runs.entries()) {
      await pool.query('truncate sync.history');
      // The same rows as COPY text lines, made before the clock starts (the API's clients serialised
      // their JSON before too).
      const now = new Date().toISOString();
      const lines: string[] = run.history.map((h) => {
        const c = checkHistory(h, new Date(), 'bench');
        if (!c.ok) throw new Error(c.reason);
        const x = c.item;
        return `${[
          x.code,
          x.at.toISOString(),
          x.seq,
          x.status,
          x.handlerName,
          x.handlerTitle,
          x.department,
          x.content,
          x.stepStartedAt?.toISOString(),
          x.stepDueAt?.toISOString(),
          'bench',
          x.eventKey,
          now,
        ]
          .map(copyText)
          .join('\t')}\n`;
      });
      const chunks: string[] = [];
      for (let i = 0; i < lines.length; i += BATCH) chunks.push(lines.slice(i, i + BATCH).join(''));
      const copySeconds = await drive(chunks.length, CLIENTS, async (j) => {
        const client = await pool.connect();
        try {
          const stream = client.query(
            copyFrom(`copy sync.history (dossier_code, event_at, seq, status, handler_name, handler_title, department,
                      content, step_started_at, step_due_at, source_client, event_key, synced_at) from stdin`),
          );
          await pipeline(Readable.from([chunks[j]!]), stream);
        } finally {
          client.release();
        }
      });
      const copied = await pool.query(`select count(*)::int as n from sync.history`);
      if (copied.rows[0].n !== run.history.length) throw new Error(`COPY wrote ${copied.rows[0].n} rows`);

      // A diagnostic, not the limit: the same work as the API's transaction done in raw SQL (COPY into a
      // staging table, then the history insert with its duplicate check, the current-status update and
      // the rollups as set-based statements), to tell the database's share of the gap from the HTTP one.
      const codes = run.dossiers.map((d) => d.MaHoSo as string);
      await pool.query('truncate sync.history, sync.rollups');
      await pool.query(
        `update sync.dossier_status set status = 1, status_at = '2025-01-01', status_seq = 0 where code = any($1::text[])`,
        [codes],
      );
      const sameWorkSeconds = await drive(chunks.length, CLIENTS, async (j) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query(
            `create temp table if not exists stage (like sync.history including defaults) on commit delete rows`,
          );
          await pipeline(
            Readable.from([chunks[j]!]),
            client.query(
              copyFrom(`copy stage (dossier_code, event_at, seq, status, handler_name, handler_title, department,
                        content, step_started_at, step_due_at, source_client, event_key, synced_at) from stdin`),
            ),
          );
          await client.query(`insert into sync.history select * from stage order by dossier_code, event_at, event_key
                              on conflict do nothing`);
          await client.query(`update sync.dossier_status d set status = s.status, status_at = s.event_at, status_seq = s.seq
                                from (select distinct on (dossier_code) dossier_code, event_at, seq, status from stage
                                       order by dossier_code, event_at desc, seq desc, status desc) s
                               where d.code = s.dossier_code
                                 and (s.event_at, s.seq, s.status) > (d.status_at, d.status_seq, d.status)`);
          await client.query(`insert into sync.rollups as r (day, agency_code, procedure_code, channel, status, events)
                              select (s.event_at at time zone 'Asia/Ho_Chi_Minh')::date, d.agency_code, d.procedure_code,
                                     d.channel, s.status, count(*)
                                from stage s join sync.dossier_status d on d.code = s.dossier_code
                               group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
                              on conflict on constraint rollups_pk do update set events = r.events + excluded.events`);
          await client.query('commit');
        } catch (e) {
          await client.query('rollback');
          throw e;
        } finally {
          client.release();
        }
      });
      out.push({
        figure: `history rows/s, ${run.name}, ${CLIENTS} clients × ${BATCH}-row batches (${run.history.length} rows)`,
        ours: run.history.length / apiSeconds[r]!,
        limit: run.history.length / copySeconds,
        unit: 'rows/s',
        better: 'higher',
        note: 'limit: COPY of the same rows into sync.history',
      });
      out.push({
        figure: `history rows/s, ${run.name}: the same work in raw SQL (diagnostic)`,
        ours: run.history.length / apiSeconds[r]!,
        limit: run.history.length / sameWorkSeconds,
        unit: 'rows/s',
        better: 'higher',
        note: 'COPY to staging + history insert, status update, rollups',
      });
    }
    return out;
  } finally {
    await pool.end();
    agent.destroy();
  }
}
