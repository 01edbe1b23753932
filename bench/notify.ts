/**
 * Notifications end to end: SMS per second from the business transaction that queues them to the
 * delivery report that settles them — outbox → the message's row → the SMS gateway simulator (its own
 * process, as in the demo) over HTTP → the gateway's signed delivery report back to the portal's
 * webhook → the row delivered — against the outbox's own floor measured in the same run on the same
 * database: the same number of outbox messages inserted one per transaction and claimed and marked
 * delivered by the same dispatcher, with a handler that does nothing.
 *
 * What the ratio costs: the message row (insert, then the attempt, sent and delivered updates), the
 * rendering of the template, an HTTP request to the gateway per message, and an HTTP request back
 * (the report) with its HMAC check and update. The portal runs in this process; the gateway in its own.
 *
 *   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_notify; created if missing),
 *                      or BENCH_ENGINE=pglite for the embedded database (in memory)
 *   BENCH_MESSAGES     (default and at most 990 per round; 3 rounds of each side, alternating, the median kept)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { startPortal } from '../src/bootstrap.ts';
import { queueNotification, SMS_REPORTS_PATH } from '../src/modules/notifications/index.ts';
import { loadConfig } from '../src/platform/config/index.ts';
import { enqueue } from '../src/platform/outbox/index.ts';
import type { Row } from './run.ts';
import { ensureDatabase, medianBy } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PGLITE = process.env.BENCH_ENGINE === 'pglite';
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_notify';
const N = Math.min(Number(process.env.BENCH_MESSAGES ?? 1000), 990);
const ROUNDS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function startGateway(env: Record<string, string>): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sim/sms-gateway/main.ts', '--port', '0', '--quiet', '--exit-with-stdin'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`sms-gateway exited ${code}: ${out}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function notify(): Promise<Row[]> {
  if (!PGLITE) await ensureDatabase(URL_);
  const port = await freePort();
  const apiKey = randomBytes(12).toString('base64url');
  const reportSecret = randomBytes(24).toString('base64url');
  const gateway = await startGateway({
    SMS_GATEWAY_API_KEY: apiKey,
    SMS_BRAND_NAME: 'CONGDVC',
    SMS_GATEWAY_REPORT_SECRET: reportSecret,
    SMS_REPORT_URL: `http://127.0.0.1:${port}${SMS_REPORTS_PATH}`,
    REPORT_DELAY_MS: '0',
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    ...(PGLITE ? {} : { DATABASE_URL: URL_, DATABASE_POOL_MAX: '10' }),
    SMS_GATEWAY_URL: gateway.url,
    SMS_GATEWAY_API_KEY: apiKey,
    SMS_BRAND_NAME: 'CONGDVC',
    SMS_GATEWAY_REPORT_SECRET: reportSecret,
  });
  const portal = await startPortal(config, PGLITE ? { database: { memory: true } } : {});
  const db = portal.database.db;
  try {
    await portal.app.listen({ port, host: '127.0.0.1' });
    portal.dispatcher.register('bench.noop', async () => {});
    // The benchmark's database is kept between runs: start from empty tables.
    await sql`truncate notifications.messages, notifications.inbox`.execute(db);
    await sql`delete from platform.outbox where topic in ('bench.noop', 'notification.send')`.execute(db);

    const drain = async () => {
      while ((await portal.dispatcher.runOnce()) > 0);
    };

    /** The floor: N outbox messages, one per transaction, claimed and delivered by a no-op handler. */
    async function raw(round: number): Promise<number> {
      const t0 = performance.now();
      for (let i = 0; i < N; i++)
        await db.transaction().execute((trx) => enqueue(trx, 'bench.noop', { round, i }));
      await drain();
      return (performance.now() - t0) / 1000;
    }

    /** Ours: N SMS queued one per transaction, sent to the gateway, settled by its reports. */
    async function ours(round: number): Promise<number> {
      const tag = `${Date.now().toString(36)}r${round}`;
      const t0 = performance.now();
      for (let i = 0; i < N; i++)
        await db.transaction().execute((trx) =>
          queueNotification(trx, {
            channel: 'sms',
            // Numbers ending 998/999 are the simulator's unreachable ones: none here.
            to: `+8491${String(2_000_000 + i).padStart(7, '0')}`,
            template: 'dossier.status-changed',
            params: {
              code: `H26.99-${tag}-${i}`,
              procedure: 'Cấp phiếu lý lịch tư pháp',
              status: 'Đã tiếp nhận',
              statusEn: 'Received',
              link: `https://dichvucong.example.vn/ho-so/${i}`,
            },
          }),
        );
      await drain();
      // Reports arrive on the webhook as the gateway sends them; wait until every row is settled.
      for (;;) {
        const r = await sql<{ n: number }>`
          select count(*)::int as n from notifications.messages
           where body like ${`%${tag}%`} and state in ('queued', 'sent')`.execute(db);
        if (Number(r.rows[0]!.n) === 0) break;
        await drain(); // a send that failed and waits for its retry would show here
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const seconds = (performance.now() - t0) / 1000;
      const settled = await sql<{ state: string; n: number }>`
        select state, count(*)::int as n from notifications.messages where body like ${`%${tag}%`} group by state`.execute(
        db,
      );
      const delivered = settled.rows.find((s) => s.state === 'delivered');
      if (Number(delivered?.n ?? 0) !== N)
        throw new Error(`not all delivered: ${JSON.stringify(settled.rows)}`);
      return seconds;
    }

    // A warm-up of each side (connections, JIT), then alternating rounds.
    await raw(0);
    await ours(0);
    const rounds: Array<{ raw: number; ours: number }> = [];
    for (let r = 1; r <= ROUNDS; r++) rounds.push({ raw: await raw(r), ours: await ours(r) });
    const rawMedian = medianBy(rounds, (x) => x.raw).raw;
    const oursMedian = medianBy(rounds, (x) => x.ours).ours;
    const all = await sql<{ n: number }>`
      select count(*)::int as n from notifications.messages
       where transport = 'sms-gateway' and provider_id is not null and state = 'delivered'`.execute(db);
    const handed = Number(all.rows[0]!.n);
    return [
      {
        figure: `SMS queued → gateway → report → delivered (${PGLITE ? 'PGlite' : 'PostgreSQL'}, ${N} a round, ${handed} handed to the gateway in all)`,
        ours: N / oursMedian,
        limit: N / rawMedian,
        unit: 'msg/s',
        better: 'higher',
        note: 'limit: outbox insert + claim + mark delivered, no-op handler',
      },
    ];
  } finally {
    await portal.close();
    gateway.stop();
  }
}
