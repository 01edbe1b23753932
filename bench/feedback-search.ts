/**
 * Public feedback search (`GET /api/v1/feedback?q=&agency=&procedure=`) over 1,000,000 published items in
 * PostgreSQL: a fixed mix of what people type (with and without diacritics, a word being typed, an agency or
 * procedure filter) through HTTP — the portal running as its own process — against the very same SQL
 * statement the search service runs, captured from it and executed directly with node-postgres from this
 * process, in the same run, with the same clients and duration.
 *
 * The loader writes items and their public rows by COPY (text built from the catalogue's procedure names,
 * the 2025 communes and provinces, and the kinds of complaint the portal receives), then builds each row's
 * folded tsvector with the same expression the publishing transaction uses. Later runs reuse the data.
 *
 *   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_feedback; created if missing)
 *   BENCH_FEEDBACK_ITEMS (default 1000000)   BENCH_SECONDS (default 10)   BENCH_CONCURRENCY (default 8)
 *   BENCH_ROUNDS (default 3: saturated rounds per side, alternating; the medians are compared)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { prepareDatabase } from '../src/bootstrap.ts';
import { SEED_PROCEDURES } from '../src/modules/catalogue/seed/procedures.ts';
import { foldText } from '../src/modules/feedback/domain/search-text.ts';
import { createFeedbackService } from '../src/modules/feedback/feedback.service.ts';
import { systemClock } from '../src/platform/clock/index.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import type { Row } from './run.ts';
import { ensureDatabase, medianBy, startPortalProcess } from './support.ts';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_feedback';
const SIZE = Number(process.env.BENCH_FEEDBACK_ITEMS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = path.resolve(import.meta.dirname, '..');

// --- The data ------------------------------------------------------------------------------------------

/** A small deterministic generator (mulberry32): the same data and queries on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvColumn(file: string, column: string): string[] {
  const [head, ...lines] = fs
    .readFileSync(path.join(ROOT, 'db/reference', file), 'utf8')
    .trim()
    .split('\n');
  const i = head!.split(',').indexOf(column);
  return lines.map((l) => l.split(',')[i]!).filter(Boolean);
}

const PROCEDURES = SEED_PROCEDURES.map((p) => ({ code: p.code, owner: p.owner, name: p.content.name }));
const COMMUNES = csvColumn('communes-2025.csv', 'name');
const PROVINCES = csvColumn('provinces-2025.csv', 'name');
const AGENCIES = ['BTP', 'BCA', 'BTC', 'BYT', 'BXD', 'BGTVT', 'BLDTBXH', 'UBND-01', 'UBND-79', 'UBND-48'];
const CATEGORIES = ['regulation', 'dossier-handling', 'other'] as const;

const PROBLEMS = [
  'Chậm trả kết quả',
  'Yêu cầu bổ sung giấy tờ nhiều lần',
  'Thu phí không đúng quy định',
  'Cán bộ hướng dẫn không rõ ràng',
  'Hệ thống báo lỗi khi nộp hồ sơ trực tuyến',
  'Không nhận được tin nhắn thông báo',
  'Thành phần hồ sơ không thống nhất giữa các nơi',
  'Quy định chồng chéo, khó thực hiện',
  'Thời hạn giải quyết quá dài',
  'Đề nghị bãi bỏ yêu cầu xác nhận của địa phương',
  'Bị yêu cầu nộp bản sao có chứng thực dù đã có dữ liệu điện tử',
  'Không thanh toán trực tuyến được lệ phí',
  'Kết quả điện tử không được cơ quan khác chấp nhận',
  'Phải đi lại nhiều lần để nộp hồ sơ',
  'Đề nghị sửa đổi biểu mẫu tờ khai',
  'Không tra cứu được tình trạng hồ sơ',
  'Cán bộ tiếp nhận có thái độ chưa đúng mực',
  'Lịch hẹn trả kết quả bị lùi nhiều lần',
];
const ANSWERS = [
  'Sau khi kiểm tra, cơ quan xác nhận hồ sơ đã được giải quyết và trả kết quả; việc chậm trễ do thiếu thông tin xác minh từ cơ sở dữ liệu quốc gia về dân cư.',
  'Theo quy định hiện hành, thành phần hồ sơ gồm tờ khai và giấy tờ chứng minh; cơ quan đã chấn chỉnh việc yêu cầu thêm giấy tờ ngoài quy định.',
  'Mức thu lệ phí thực hiện theo thông tư của Bộ Tài chính; khoản thu thừa đã được hoàn trả cho công dân qua tài khoản ngân hàng.',
  'Cơ quan đã kiểm điểm cán bộ tiếp nhận và tổ chức tập huấn lại quy trình một cửa, đồng thời xin lỗi công dân.',
  'Lỗi hệ thống đã được khắc phục; công dân có thể nộp lại hồ sơ trực tuyến và không phải nộp lại lệ phí.',
  'Kiến nghị đã được ghi nhận để tổng hợp vào phương án cắt giảm, đơn giản hóa thủ tục hành chính năm nay.',
];

interface Generated {
  title: string;
  content: string;
  answer: string;
  category: string;
  procedure: string;
  agencies: string[];
}

function itemOf(i: number): Generated {
  const r = random(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const procedure = pick(PROCEDURES);
  const commune = pick(COMMUNES);
  const province = pick(PROVINCES);
  const problem = pick(PROBLEMS);
  const other = pick(PROBLEMS).toLowerCase();
  const days = 3 + Math.floor(r() * 40);
  const agency = pick(AGENCIES);
  return {
    title: `${problem} khi làm thủ tục ${procedure.name.toLowerCase().slice(0, 120)} tại ${commune}`,
    content:
      `Ngày ${1 + Math.floor(r() * 28)}/${1 + Math.floor(r() * 12)}/2026 tôi nộp hồ sơ ${procedure.name.toLowerCase()} ` +
      `tại ${commune}, ${province}. Sau ${days} ngày tôi vẫn chưa nhận được kết quả; ${other}. ` +
      `Tôi đề nghị cơ quan có thẩm quyền xem xét, hướng dẫn cụ thể và công khai thời hạn giải quyết để người dân biết.`,
    answer: `${pick(AGENCIES) === agency ? 'Ủy ban nhân dân' : 'Cơ quan giải quyết'} trả lời: ${pick(ANSWERS)} ${pick(ANSWERS)}`,
    category: CATEGORIES[Math.floor(r() * 3)]!,
    procedure: procedure.code,
    agencies: [agency],
  };
}

const codeOf = (i: number) => `PAKN-${2021 + (i % 6)}-${String(i + 1).padStart(7, '0')}`;
const tsv = (s: string) => s.replace(/[\t\n\\]/g, ' ');
const DAY = 86_400_000;
const T0 = Date.UTC(2021, 0, 4);

function* itemLines() {
  const chunk: string[] = [];
  for (let i = 0; i < SIZE; i++) {
    const g = itemOf(i);
    const submitted = new Date(T0 + Math.floor((i / SIZE) * 2000 * DAY));
    const answered = new Date(submitted.getTime() + (2 + (i % 20)) * DAY);
    const published = new Date(answered.getTime() + DAY);
    const id = randomUUID();
    const tenths = (i % 200) + 5;
    chunk.push(
      [
        id,
        codeOf(i),
        tsv(g.title),
        tsv(g.content),
        g.category,
        g.procedure,
        'published',
        'web',
        `contact:bench${i}@example.vn`,
        `Người gửi ${i}`,
        `bench${i}@example.vn`,
        `bench-${i}`,
        '{"refuseWithin":2,"askInfoWithin":5,"handleWithin":15,"publishWithin":2,"warnWithin":1}',
        submitted.toISOString(),
        submitted.toISOString(),
        answered.toISOString(),
        published.toISOString(),
        // the public row
        `{${g.agencies.join(',')}}`,
        tsv(g.answer),
        tenths <= 150 ? 't' : 'f',
        String(tenths),
        foldText(g.title),
        foldText(g.content),
        foldText(g.answer),
      ].join('\t') + '\n',
    );
    if (chunk.length === 5_000) {
      yield chunk.join('');
      chunk.length = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

async function prepare(): Promise<void> {
  await ensureDatabase(URL_);
  const database = await openDatabase({ databaseUrl: URL_, poolMax: 2 });
  try {
    await prepareDatabase(database, { agencyIdentifiersFile: undefined });
  } finally {
    await database.close();
  }
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  try {
    const have = Number((await client.query('select count(*) as n from feedback.published')).rows[0].n);
    if (have === SIZE) return;
    process.stderr.write(`loading ${SIZE} published feedback items by COPY…\n`);
    const t0 = performance.now();
    await client.query('truncate feedback.items cascade');
    await client.query('drop table if exists bench_feedback_stage');
    await client.query(`create unlogged table bench_feedback_stage (
      id uuid, code text, title text, content text, category text, procedure_code text, status text,
      channel text, submitter_key text, submitter_name text, submitter_email text, idempotency_key text,
      regime jsonb, submitted_at timestamptz, forwarded_at timestamptz, answered_at timestamptz,
      closed_at timestamptz, agency_codes text[], answer text, handled_on_time boolean, handling_tenths int,
      folded_title text, folded_content text, folded_answer text)`);
    await pipeline(
      Readable.from(itemLines()),
      client.query(copyFrom('copy bench_feedback_stage from stdin')),
    );
    process.stderr.write(`  staged in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    // The indexes are rebuilt after the load from their own definitions (faster than row by row).
    const indexes = (
      await client.query<{ indexname: string; indexdef: string }>(
        `select indexname, indexdef from pg_indexes where schemaname = 'feedback' and tablename = 'published'
         and indexname not like '%_pk' and indexname not like '%_uq'`,
      )
    ).rows;
    for (const ix of indexes) await client.query(`drop index feedback.${ix.indexname}`);
    await client.query(`insert into feedback.items (id, code, title, content, category, procedure_code, status,
        channel, submitter_key, submitter_name, submitter_email, idempotency_key, regime, submitted_at, forwarded_at,
        answered_at, closed_at)
      select id, code, title, content, category, procedure_code, status, channel, submitter_key, submitter_name,
        submitter_email, idempotency_key, regime, submitted_at, forwarded_at, answered_at, closed_at
      from bench_feedback_stage`);
    // The same document expression as feedback.repository's insertPublished.
    await client.query(`insert into feedback.published (item_id, code, title, content, category, procedure_code,
        agency_codes, answer, submitted_at, answered_at, published_at, handled_on_time, handling_tenths,
        handling_limit_days, document)
      select id, code, title, content, category, procedure_code, agency_codes, answer, submitted_at, answered_at,
        closed_at, handled_on_time, handling_tenths, 15,
        setweight(to_tsvector('simple', folded_title), 'A') || setweight(to_tsvector('simple', folded_content), 'B')
          || setweight(to_tsvector('simple', folded_answer), 'C')
      from bench_feedback_stage`);
    await client.query(`select setval('feedback.item_number_seq', ${SIZE + 1})`);
    await client.query('drop table bench_feedback_stage');
    await client.query(`set maintenance_work_mem = '512MB'`);
    for (const ix of indexes) await client.query(ix.indexdef);
    await client.query('vacuum analyze feedback.items');
    await client.query('vacuum analyze feedback.published');
    process.stderr.write(`  loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  } finally {
    await client.end();
  }
}

// --- The queries -----------------------------------------------------------------------------------------

const strip = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');

/**
 * What people type on /phan-anh-kien-nghi, 40 searches: words of a procedure's name, of a complaint, a
 * commune or province, with and without diacritics, the last word half typed, some with a filter; and the
 * list with no words (the page as it opens).
 */
export function queryMix(): string[] {
  const r = random(20261207);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const words = (s: string, n: number) => {
    const ws = s
      .toLowerCase()
      .split(/[\s,()…]+/)
      .filter(Boolean);
    const at = Math.floor(r() * Math.max(1, ws.length - n));
    return ws.slice(at, at + n).join(' ');
  };
  const out: string[] = ['', 'agency=BTP', `procedure=${PROCEDURES[0]!.code}`];
  while (out.length < 40) {
    const kind = out.length % 6;
    let q =
      kind === 0
        ? words(pick(PROCEDURES).name, 2 + Math.floor(r() * 2))
        : kind === 1
          ? words(pick(PROBLEMS), 2)
          : kind === 2
            ? pick(COMMUNES).replace(/^(Phường|Xã|Đặc khu) /, '')
            : kind === 3
              ? `${words(pick(PROCEDURES).name, 2)} ${pick(PROVINCES)}`
              : kind === 4
                ? words(pick(PROBLEMS), 3).slice(0, -2) // the last word being typed
                : words(pick(ANSWERS), 2);
    if (r() < 0.5) q = strip(q);
    const filter =
      kind === 5 && r() < 0.5
        ? `&agency=${pick(AGENCIES)}`
        : r() < 0.1
          ? `&procedure=${pick(PROCEDURES).code}`
          : '';
    out.push(`q=${encodeURIComponent(q)}${filter}`);
  }
  return out;
}

/** The statement the search service runs for each search of the mix (captured, parameters included). */
async function captureStatements(pool: pg.Pool, mix: string[]): Promise<CompiledQuery[]> {
  let captured: CompiledQuery[] = [];
  const db = new Kysely({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  const unused = async (): Promise<never> => {
    throw new Error('not used by search');
  };
  const service = createFeedbackService({
    db,
    clock: systemClock,
    blobs: { put: unused, get: unused, delete: unused } as never,
    limiter: { hit: unused } as never,
    secrets: { get: unused } as never,
    ports: {
      procedureExists: unused,
      dossierExists: unused,
      agencyExists: unused,
      can: unused,
      agenciesWhere: unused,
      workingTime: unused,
      sendCode: unused,
    },
  });
  const out: CompiledQuery[] = [];
  for (const qs of mix) {
    const p = new URLSearchParams(qs);
    captured = [];
    await service.search({
      q: p.get('q') ?? undefined,
      agency: p.get('agency') ?? undefined,
      procedure: p.get('procedure') ?? undefined,
    });
    if (captured.length !== 1) throw new Error(`${qs}: ${captured.length} statements`);
    out.push(captured[0]!);
  }
  return out;
}

interface Load {
  count: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
}

/** `clients` callers, each starting the next search when the last answered; 2 s warm-up, then SECONDS. */
async function drive(one: (i: number) => Promise<void>, clients: number): Promise<Load> {
  const run = async (ms: number, latencies?: number[]) => {
    const end = performance.now() + ms;
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
  await run(2_000);
  const latencies: number[] = [];
  const started = performance.now();
  await run(SECONDS * 1_000, latencies);
  const seconds = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { count: latencies.length, seconds, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) };
}

export async function feedbackSearch(): Promise<Row[]> {
  await prepare();
  const mix = queryMix();
  const pool = new pg.Pool({ connectionString: URL_, max: CONCURRENCY });
  const statements = await captureStatements(pool, mix);
  // How many rows each search's words match (what the database has to look through).
  const matched: number[] = [];
  for (const s of statements) {
    const where = s.sql.slice(s.sql.indexOf(' where '), s.sql.indexOf(' order by '));
    const used = Math.max(0, ...[...where.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const n = where.includes(' where ')
      ? await pool.query(
          `select count(*)::int as n from feedback.published ${where}`,
          s.parameters.slice(0, used) as unknown[],
        )
      : { rows: [{ n: SIZE }] };
    matched.push(n.rows[0].n);
  }
  const directOne = async (i: number) => {
    const s = statements[i % statements.length]!;
    await pool.query(s.sql, s.parameters as unknown[]);
  };

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
  const url = (i: number) => `/api/v1/feedback?${mix[i % mix.length]}`;
  // Each search once through HTTP must answer the same codes as its statement run directly.
  for (const [i] of mix.entries()) {
    const viaHttp = (await (await fetch(`http://127.0.0.1:${portal.port}${url(i)}`)).json()) as {
      items: Array<{ code: string }>;
    };
    const s = statements[i]!;
    const direct = (await pool.query(s.sql, s.parameters as unknown[])).rows as Array<{ code: string }>;
    const a = viaHttp.items.map((x) => x.code).join();
    const b = direct
      .slice(0, 20)
      .map((x) => x.code)
      .join();
    if (a !== b) throw new Error(`${mix[i]}: HTTP and SQL disagree`);
  }
  const httpOne = (i: number) => get(url(i));

  try {
    const one: { direct: Load[]; http: Load[] } = { direct: [], http: [] };
    const many: { direct: Load[]; http: Load[] } = { direct: [], http: [] };
    for (let r = 0; r < ROUNDS; r++) {
      one.direct.push(await drive(directOne, 1));
      one.http.push(await drive(httpOne, 1));
      many.direct.push(await drive(directOne, CONCURRENCY));
      many.http.push(await drive(httpOne, CONCURRENCY));
    }
    const rate = (l: Load) => l.count / l.seconds;
    const show = (ls: Load[]) => ls.map((l) => Math.round(rate(l))).join(', ');
    process.stderr.write(
      `  rounds (searches/s): 1 client direct ${show(one.direct)}, HTTP ${show(one.http)}; ${CONCURRENCY} clients direct ${show(many.direct)}, HTTP ${show(many.http)}\n`,
    );
    const sorted = [...matched].sort((a, b) => a - b);
    process.stderr.write(
      `  rows matched per search: median ${sorted[sorted.length >> 1]}, max ${sorted[sorted.length - 1]}\n`,
    );
    const d1 = medianBy(one.direct, rate);
    const h1 = medianBy(one.http, rate);
    const dn = medianBy(many.direct, rate);
    const hn = medianBy(many.http, rate);
    const p95of = (ls: Load[]) => medianBy(ls, (l) => l.p95).p95;
    const note = `${SIZE.toLocaleString('en')} published items, ${mix.length} searches, ${SECONDS} s per run`;
    return [
      {
        figure: `throughput (1 client, median of ${ROUNDS} alternating rounds), HTTP vs the same SQL directly (goal ≥ 0.60)`,
        ours: rate(h1),
        limit: rate(d1),
        unit: 'searches/s',
        better: 'higher',
        note,
      },
      {
        figure: `throughput (${CONCURRENCY} clients, saturated), HTTP vs the same SQL directly`,
        ours: rate(hn),
        limit: rate(dn),
        unit: 'searches/s',
        better: 'higher',
      },
      {
        figure: 'p95 latency (1 client) through HTTP vs goal 15 ms',
        ours: p95of(one.http),
        limit: 15,
        unit: 'ms',
        better: 'lower',
      },
      {
        figure: 'p95 latency (1 client), HTTP vs the same SQL directly',
        ours: p95of(one.http),
        limit: p95of(one.direct),
        unit: 'ms',
        better: 'lower',
      },
      {
        figure: 'p50 latency (1 client), HTTP vs the same SQL directly',
        ours: medianBy(one.http, (l) => l.p50).p50,
        limit: medianBy(one.direct, (l) => l.p50).p50,
        unit: 'ms',
        better: 'lower',
      },
    ];
  } finally {
    agent.destroy();
    await portal.stop();
    await pool.end();
  }
}
