/**
 * Online submissions on PostgreSQL with a million dossiers already there: `POST /api/v1/dossiers`
 * through HTTP — the portal as its own process, a signed-in citizen's session cookie, an Idempotency-Key
 * per submission, the judicial-record e-form checked, two uploaded files attached, routing, numbering,
 * due date, history, audit and outbox — against the same writes as raw SQL from this process (one
 * transaction: the key, the unit's counter, the dossier, its history row, two attachments, the outbox
 * message, the audit row under its lock), in the same run, with the same concurrency and duration.
 * Every submission goes to the same receiving unit (Hà Nội), so both paths queue on its daily counter
 * row and on the audit log's lock: that is the point.
 *
 *   BENCH_DATABASE_URL  (default postgres://postgres@127.0.0.1:5432/bench_dossiers; created if missing)
 *   BENCH_DOSSIERS (default 1000000)   BENCH_SECONDS (default 10)   BENCH_CONCURRENCY (default 8)
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { prepareDatabase } from '../src/bootstrap.ts';
import { auditHash } from '../src/platform/audit/audit.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { judicialRecordFiling } from '../test/helpers/filings.ts';
import type { Row } from './run.ts';
import { ensureDatabase, startPortalProcess } from './support.ts';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_dossiers';
const SIZE = Number(process.env.BENCH_DOSSIERS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const IDENTIFIER = '000.00.00.H26';

/** A million dossiers over earlier days (one history row each), so today's numbering starts fresh. */
async function prepare(pool: pg.Pool) {
  const database = await openDatabase({ databaseUrl: URL_, poolMax: 2 });
  await prepareDatabase(database, { agencyIdentifiersFile: undefined });
  await database.close();
  const have = (await pool.query<{ n: number }>('select count(*)::int as n from dossiers.dossiers')).rows[0]!
    .n;
  if (have >= SIZE) return;
  process.stderr.write(`loading ${SIZE - have} dossiers…\n`);
  const batch = 100_000;
  for (let from = have; from < SIZE; from += batch) {
    const to = Math.min(SIZE, from + batch);
    await pool.query(
      `insert into dossiers.dossiers (code, procedure_code, procedure_version, procedure_name, process_id,
         process_version, state, status, channel, applicant_account_id, applicant_kind, applicant_name,
         filed_by_account_id, receiving_agency_code, competent_agency_code, agency_identifier, province_code,
         submitted_at, processing_amount, processing_unit, rule_15h, original_due_at, due_at, state_entered_at,
         finished_at, returned_at, outcome, form_data)
       select $1 || '-' || to_char(date '2020-01-01' + (i / 5000), 'YYMMDD') || '-' || lpad(((i % 5000) + 1)::text, 4, '0'),
         '2.000505', 1, 'Cấp Phiếu lý lịch tư pháp', 'one-stop', 1,
         case when i % 10 < 7 then 'returned' else 'processing' end, case when i % 10 < 7 then 10 else 4 end,
         'online', gen_random_uuid(), 'citizen', 'Công dân ' || i, gen_random_uuid(), 'TTPVHCC-01', 'UBND-01', $1, '01',
         d, 10, 'working-day', false, d + interval '14 days', d + interval '14 days', d,
         case when i % 10 < 7 then d + interval '10 days' end, case when i % 10 < 7 then d + interval '10 days' end,
         case when i % 10 < 7 then 'approved' end, '{"hoTen":"Công dân"}'::jsonb
       from generate_series($2::int, $3::int - 1) as i,
         lateral (select timestamptz '2020-01-01 02:00+00' + (i / 5000) * interval '1 day' + (i % 5000) * interval '5 seconds' as d) t`,
      [IDENTIFIER, from, to],
    );
    await pool.query(
      `insert into dossiers.history (dossier_code, recorded_at, action, to_state, status, actor_kind,
         actor_account_id, actor_name, content, step_started_at)
       select code, submitted_at, 'submit', 'submitted', 1, 'applicant', applicant_account_id, applicant_name,
         'Nộp hồ sơ trực tuyến', submitted_at
       from dossiers.dossiers where code in (
         select $1 || '-' || to_char(date '2020-01-01' + (i / 5000), 'YYMMDD') || '-' || lpad(((i % 5000) + 1)::text, 4, '0')
         from generate_series($2::int, $3::int - 1) as i)`,
      [IDENTIFIER, from, to],
    );
    process.stderr.write(`  ${to}\n`);
  }
  await pool.query('analyze');
}

/** A citizen with a session (the cookie) and `n` uploads to attach (two per submission). */
async function citizenWithUploads(pool: pg.Pool, n: number) {
  const id = randomUUID();
  await pool.query(
    `insert into identity.accounts (id, kind, display_name, personal_id, email, email_verified_at)
     values ($1, 'citizen', 'Nguyễn Văn Đo', $2, $3, now())`,
    [id, `0010${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, `bench.${id}@example.vn`],
  );
  const token = randomBytes(32).toString('base64url');
  await pool.query(
    `insert into identity.sessions (token_hash, account_id, expires_at, idle_timeout_seconds, assurance)
     values ($1, $2, now() + interval '2 hours', 7200, 1)`,
    [createHash('sha256').update(token).digest('hex'), id],
  );
  const ups = await pool.query<{ id: string }>(
    `insert into dossiers.uploads (account_id, document_code, file_name, media_type, size_bytes, sha256, blob_key)
     select $1::uuid, case when i % 2 = 0 then 'TK-LLTP' else 'UQ' end, 'tep-' || i || '.pdf', 'application/pdf', 120000,
       encode(sha256(i::text::bytea), 'hex'), 'bench/' || $1::text || '/' || i || '.pdf'
     from generate_series(0, $2::int - 1) as i returning id`,
    [id, n],
  );
  return { id, token, uploads: ups.rows.map((r) => r.id) };
}

interface Load {
  count: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function drive(one: (i: number) => Promise<void>): Promise<Load> {
  let next = 0;
  const run = async (end: number, latencies: number[] | undefined) => {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const i = next++;
          const t = performance.now();
          await one(i);
          latencies?.push(performance.now() - t);
        }
      }),
    );
  };
  await run(performance.now() + 2_000, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  await run(performance.now() + SECONDS * 1_000, latencies);
  const seconds = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { count: latencies.length, seconds, p50: pct(0.5), p99: pct(0.99) };
}

/** The same writes as one submission, as plain SQL in one transaction. */
async function rawSubmit(pool: pg.Pool, accountId: string, i: number, uploads: string[]) {
  const c = await pool.connect();
  try {
    const now = new Date();
    const key = `raw-${i}-${randomUUID()}`;
    await c.query('begin');
    const claimed = await c.query(
      `insert into dossiers.submission_keys (account_id, key, request_hash) values ($1, $2, $3)
       on conflict (account_id, key) do nothing returning key`,
      [accountId, key, createHash('sha256').update(key).digest('hex')],
    );
    if (claimed.rowCount !== 1) throw new Error('key taken');
    const day = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const seq = await c.query<{ last_value: number }>(
      `insert into dossiers.code_counters as c (agency_identifier, day, last_value) values ($1, $2::date, 1)
       on conflict (agency_identifier, day) do update set last_value = c.last_value + 1 returning c.last_value`,
      [IDENTIFIER, day],
    );
    const code = `${IDENTIFIER}-${day.slice(2).replace(/-/g, '')}-${String(seq.rows[0]!.last_value).padStart(4, '0')}`;
    const due = new Date(now.getTime() + 14 * 86_400_000);
    const form = JSON.stringify(judicialRecordFiling([uploads[0]!, uploads[1]!]).formData);
    await c.query(
      `insert into dossiers.dossiers (code, procedure_code, procedure_version, procedure_name, process_id, process_version,
         state, status, channel, applicant_account_id, applicant_kind, applicant_name, filed_by_account_id,
         receiving_agency_code, competent_agency_code, agency_identifier, province_code, submitted_at,
         processing_amount, processing_unit, rule_15h, original_due_at, due_at, state_entered_at, step_due_at, form_data)
       values ($1, '2.000505', 1, 'Cấp Phiếu lý lịch tư pháp', 'one-stop', 1, 'submitted', 1, 'online', $2, 'citizen',
         'Nguyễn Văn Đo', $2, 'TTPVHCC-01', 'UBND-01', $3, '01', $4, 10, 'working-day', false, $5, $5, $4, $5, $6)`,
      [code, accountId, IDENTIFIER, now, due, form],
    );
    await c.query(
      `insert into dossiers.history (dossier_code, recorded_at, action, to_state, status, actor_kind, actor_account_id,
         actor_name, content, step_started_at, details)
       values ($1, $2, 'submit', 'submitted', 1, 'applicant', $3, 'Nguyễn Văn Đo', 'Nộp hồ sơ trực tuyến', $2, '{}')`,
      [code, now, accountId],
    );
    for (const [n, doc] of [
      [0, 'TK-LLTP'],
      [1, 'UQ'],
    ] as const)
      await c.query(
        `insert into dossiers.attachments (dossier_code, document_code, purpose, file_name, media_type, size_bytes,
           sha256, blob_key, uploaded_by_account_id)
         values ($1, $2, 'application', $3, 'application/pdf', 120000, $4, $5, $6)`,
        [code, doc, `tep-${n}.pdf`, 'a'.repeat(64), `raw/${randomUUID()}.pdf`, accountId],
      );
    // The portal claims the uploads in the same transaction (each upload is attached once); here the
    // same two uploads serve every submission, so the statement is the same write without the check.
    await c.query('update dossiers.uploads set used_by_dossier = $1 where id = any($2::uuid[])', [
      code,
      uploads,
    ]);
    await c.query(
      'update dossiers.submission_keys set dossier_code = $1 where account_id = $2 and key = $3',
      [code, accountId, key],
    );
    await c.query(
      `insert into platform.outbox (topic, payload, dedupe_key, available_at) values ('dossier.status-changed', $1::jsonb, $2, now())
       on conflict (topic, dedupe_key) do nothing`,
      [JSON.stringify({ code, action: 'submit', dueAt: due.toISOString(), revision: 1 }), `${code}@1`],
    );
    await c.query('select pg_advisory_xact_lock(7482113903)');
    const last = await c.query<{ hash: string }>(
      'select hash from platform.audit_log order by id desc limit 1',
    );
    const prev = last.rows[0]?.hash ?? '0'.repeat(64);
    const at = new Date(Math.floor(now.getTime()));
    const data = { procedure: '2.000505@1', competent: 'UBND-01', due: due.toISOString() };
    const entry = {
      at,
      actor: `user:${accountId}`,
      action: 'dossier.submit',
      subject: `dossier:${code}`,
      data,
    };
    await c.query(
      `insert into platform.audit_log (at, actor, action, subject, data, prev_hash, hash) values ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [at, entry.actor, entry.action, entry.subject, JSON.stringify(data), prev, auditHash(prev, entry)],
    );
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
}

export async function dossierSubmit(): Promise<Row[]> {
  await ensureDatabase(URL_);
  const pool = new pg.Pool({ connectionString: URL_, max: CONCURRENCY + 2 });
  await prepare(pool);
  const existing = (await pool.query<{ n: number }>('select count(*)::int as n from dossiers.dossiers'))
    .rows[0]!.n;

  // Enough uploads for every submission of both runs (each file is attached once).
  const budget = 40_000;
  // Outbox messages left undelivered by an earlier run would be the portal's work during this one.
  await pool.query(`delete from platform.outbox where status <> 'delivered'`);
  const rawCitizen = await citizenWithUploads(pool, 2);
  const direct = await drive((i) => rawSubmit(pool, rawCitizen.id, i, rawCitizen.uploads));
  // The raw side's outbox messages were part of its writes; delivering them is no part of either side
  // (their payload is not a whole status change), and the portal started next must not work through them.
  await pool.query(`delete from platform.outbox where status <> 'delivered'`);
  const firstId = (
    await pool.query<{ id: string }>('select coalesce(max(id), 0)::text as id from platform.outbox')
  ).rows[0]!.id;

  const citizen = await citizenWithUploads(pool, budget);
  const portal = await startPortalProcess(URL_, CONCURRENCY);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let failures = 0;
  const post = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const a = citizen.uploads[(2 * i) % budget]!;
      const b = citizen.uploads[(2 * i + 1) % budget]!;
      const body = JSON.stringify(judicialRecordFiling([a, b]));
      const req = http.request(
        {
          host: '127.0.0.1',
          port: portal.port,
          path: '/api/v1/dossiers',
          method: 'POST',
          agent,
          headers: {
            cookie: `sid=${citizen.token}`,
            'content-type': 'application/json',
            'idempotency-key': `bench-${i}-${randomUUID()}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => {
            if (res.statusCode !== 201) {
              failures++;
              if (failures < 3) process.stderr.write(`${res.statusCode}: ${text.slice(0, 300)}\n`);
              if (failures > 20) return reject(new Error(`submissions failing: ${res.statusCode} ${text}`));
            }
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await post(budget / 2 - 1); // routing, catalogue and calendar caches warm before the load
  const viaHttp = await drive(post);
  // Did the portal's outbox dispatcher keep up with the status changes of its submissions (the
  // applicant's notifications, the agencies' feed) while the load ran?
  const backlog = await pool.query<{ pending: number; all: number }>(
    `select count(*) filter (where status = 'pending')::int as pending, count(*)::int as all
       from platform.outbox where topic = 'dossier.status-changed' and id > $1::bigint`,
    [firstId],
  );
  agent.destroy();
  await portal.stop();
  await pool.end();
  const outbox = backlog.rows[0]!;
  const note = `${existing.toLocaleString('en')} dossiers before, ${CONCURRENCY} clients, ${SECONDS} s per run, all to one unit; at the end, ${outbox.pending} of the portal's ${outbox.all} status-change messages not yet delivered`;
  return [
    {
      figure: 'submissions/s through HTTP vs the same writes as raw SQL',
      ours: viaHttp.count / viaHttp.seconds,
      limit: direct.count / direct.seconds,
      unit: '/s',
      better: 'higher',
      note,
    },
    {
      figure: 'p50 submission, HTTP vs raw SQL',
      ours: viaHttp.p50,
      limit: direct.p50,
      unit: 'ms',
      better: 'lower',
    },
    {
      figure: 'p99 submission, HTTP vs raw SQL',
      ours: viaHttp.p99,
      limit: direct.p99,
      unit: 'ms',
      better: 'lower',
    },
  ];
}
