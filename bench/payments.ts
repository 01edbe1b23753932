/**
 * Payments: CONFIRM callbacks handled per second, one client, over HTTP — the checksum, the locked row's
 * idempotent change of state, its event, the ledger's balanced postings (checked by the database at
 * commit), the gapless receipts, the outbox messages of what follows (the dossier's move, the partner's
 * CONFIRM), the audit row and the inbound log — against the same writes as raw SQL, one transaction per
 * payment, in the same run on the same database. Also the p99 of one callback, and end-to-end confirmed
 * payments per second through sim/bank (INIT → the hosted checkout → the bank's INIT → the bank's page
 * → its CONFIRM back to the portal), reported.
 *
 *   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_payments; created if missing),
 *                      or BENCH_ENGINE=pglite for the embedded database (in memory)
 *   BENCH_CALLBACKS    (default 400 a round; 3 rounds of each side, alternating, the median kept)
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { startBank } from '../sim/bank/server.ts';
import { startPortal } from '../src/bootstrap.ts';
import { seedDemoPayments } from '../src/modules/payments/demo.ts';
import { DEMO_PARTNER, upsertIntermediary } from '../src/modules/payments/index.ts';
import { auditHash, GENESIS_HASH } from '../src/platform/audit/audit.ts';
import { loadConfig } from '../src/platform/config/index.ts';
import type { Row } from './run.ts';
import { ensureDatabase, medianBy } from './support.ts';

const PGLITE = process.env.BENCH_ENGINE === 'pglite';
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_payments';
const N = Number(process.env.BENCH_CALLBACKS ?? 400);
const E2E = Math.min(N, 200);
const ROUNDS = 3;
/** This run's mark on transaction codes (the benchmark's database is kept between runs). */
const RUN = Date.now().toString(36).toUpperCase();

const sha = (fields: string[], secret: string) =>
  createHash('sha256')
    .update([...fields, secret].join('|'))
    .digest('hex');
const vnNow = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function payments(): Promise<Row[]> {
  if (!PGLITE) await ensureDatabase(URL_);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...(PGLITE ? {} : { DATABASE_URL: URL_, DATABASE_POOL_MAX: '10' }),
  });
  const portal = await startPortal(config, PGLITE ? { database: { memory: true } } : {});
  const db = portal.database.db;
  let bank: Awaited<ReturnType<typeof startBank>> | undefined;
  try {
    await portal.app.listen({ port: 0, host: '127.0.0.1' });
    const address = portal.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const secret = randomBytes(18).toString('base64url');
    const bankSecret = randomBytes(18).toString('base64url');
    bank = await startBank({
      code: 'BENCHSIM',
      secret: bankSecret,
      bin: '970436',
      collectionAccount: '0011000999888',
      callbackUrl: `${base}/paygate/v1/callback/BENCHSIM`,
      retryBaseMs: 50,
      port: 0,
      log: () => undefined,
    });
    await seedDemoPayments(db, {
      intermediaries: [
        {
          code: 'BENCHSIM',
          name: 'Bench bank',
          kind: 'bank',
          baseUrl: bank.url,
          secret: bankSecret,
          partnerCode: 'CONGDVC',
          qr: null,
        },
      ],
    });
    await upsertIntermediary(db, {
      code: 'BENCHCB',
      name: 'Bench callbacks',
      kind: 'bank',
      baseUrl: 'http://127.0.0.1:9',
      secret,
      partnerCode: 'CONGDVC',
      qr: null,
    });

    // The floor's postings go to accounts the portal creates on first use: create them up front.
    for (const [code, normal] of [
      ['receivable:BENCHCB', 'debit'],
      ['fees:UBND-01', 'credit'],
      ['budget:UBND-01:418', 'credit'],
    ] as const)
      await sql`insert into payments.accounts (code, name, normal) values (${code}, ${code}, ${normal})
                on conflict (code) do nothing`.execute(db);

    /** N payments of a partner (INIT over HTTP), pending at BENCHCB: what the callbacks will settle. */
    async function prepare(
      tag: string,
      count: number,
      pendingAt: string | null,
    ): Promise<Array<{ id: string; reference: string }>> {
      const out: Array<{ id: string; reference: string }> = [];
      for (let i = 0; i < count; i++) {
        const m = {
          LoaiBanTin: 'INIT',
          PhienBan: '1.0.6',
          MaDoiTac: DEMO_PARTNER.code,
          MaThamChieu: `${tag}-${i}`,
          SoTien: '25000',
          LoaiHinhThanhToan: 'PAY',
          MaKenhThanhToan: '1',
          MaThietBi: '1',
          NgonNgu: 'vi-VN',
          MaTienTe: 'VND',
          MaNganHang: 'PAYMENT',
          ThongTinGiaoDich: `THANH TOAN HO SO ${tag}-${i}`,
          ThoiGianGD: vnNow(),
          Ip: '127.0.0.1',
        };
        const r = await fetch(`${base}/paygate/v1/init`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...m,
            MaXacThuc: sha(Object.values(m), DEMO_PARTNER.secret),
            ThongTinBienLai: {
              MaDichVu: '2',
              PhiLePhi: [
                { LoaiPhiLePhi: 'Phi', MaPhiLePhi: 'P', TenPhiLePhi: 'Phí thẩm định', SoTien: '20000' },
                { LoaiPhiLePhi: 'LePhi', MaPhiLePhi: 'L', TenPhiLePhi: 'Lệ phí', SoTien: '5000' },
              ],
            },
          }),
        });
        const body = (await r.json()) as { error_code: string; message: string };
        if (body.error_code !== '0') throw new Error(`INIT: ${JSON.stringify(body)}`);
        const id = (JSON.parse(body.message).UrlThanhToan as string).split('/').pop()!;
        out.push({ id, reference: '' });
      }
      const rows = await sql<{ id: string; reference: string }>`
        select id, reference from payments.payments where partner_ref like ${`${tag}-%`}`.execute(db);
      const refs = new Map(rows.rows.map((r) => [r.id, r.reference]));
      for (const p of out) p.reference = refs.get(p.id)!;
      if (pendingAt)
        await sql`update payments.payments set status = 'pending', method = 'online', intermediary = ${pendingAt}
                   where partner_ref like ${`${tag}-%`}`.execute(db);
      return out;
    }

    /** Ours: one CONFIRM per payment over HTTP, one client. */
    async function ours(round: number): Promise<{ seconds: number; latencies: number[] }> {
      const list = await prepare(`o${Date.now().toString(36)}r${round}`, N, 'BENCHCB');
      const latencies: number[] = [];
      const t0 = performance.now();
      for (const [i, p] of list.entries()) {
        const t = vnNow();
        const txn = `BC${RUN}${round}X${i}`;
        const fields = [
          'CONFIRM',
          '00',
          'CONGDVC',
          p.reference,
          '25000',
          'VND',
          txn,
          'BENCHCB',
          t,
          'THANH TOAN',
        ];
        const s = performance.now();
        const r = await fetch(`${base}/paygate/v1/callback/BENCHCB`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            LoaiBanTin: 'CONFIRM',
            MaLoi: '00',
            MaDoiTac: 'CONGDVC',
            MaThamChieu: p.reference,
            SoTien: '25000',
            MaTienTe: 'VND',
            MaGiaoDich: txn,
            MaNganHang: 'BENCHCB',
            ThoiGianGD: t,
            ThongTinGiaoDich: 'THANH TOAN',
            MaXacThuc: sha(fields, secret),
          }),
        });
        const a = (await r.json()) as { MaLoi: string };
        latencies.push(performance.now() - s);
        if (a.MaLoi !== '00') throw new Error(`CONFIRM answered ${JSON.stringify(a)}`);
      }
      const seconds = (performance.now() - t0) / 1000;
      const done = await sql<{ n: number }>`
        select count(*)::int as n from payments.payments where id in (${sql.join(list.map((p) => p.id))}) and status = 'succeeded'`.execute(
        db,
      );
      if (Number(done.rows[0]!.n) !== N) throw new Error(`only ${done.rows[0]!.n} of ${N} succeeded`);
      return { seconds, latencies };
    }

    /** The floor: the same writes as raw SQL, one transaction per payment, no HTTP, no checks. */
    async function raw(round: number): Promise<number> {
      const list = await prepare(`r${Date.now().toString(36)}r${round}`, N, 'BENCHCB');
      const t0 = performance.now();
      for (const [i, p] of list.entries()) {
        const now = new Date();
        await db.transaction().execute(async (trx) => {
          await sql`select id from payments.payments where reference = ${p.reference} for update`.execute(
            trx,
          );
          await sql`select id from payments.payments where bill_key = ${`partner:DEMO-HN:x${i}`} and status = 'succeeded' limit 1`.execute(
            trx,
          );
          await sql`update payments.payments set status = 'succeeded', succeeded_at = ${now}, updated_at = ${now},
                      method = 'online', intermediary_txn = ${`BR${RUN}${round}X${i}`} where id = ${p.id}`.execute(
            trx,
          );
          await sql`insert into payments.events (payment_id, at, from_status, to_status, source, details)
                    values (${p.id}, ${now}, 'pending', 'succeeded', 'callback', '{}'::jsonb)`.execute(trx);
          const s = await sql<{
            id: string;
          }>`insert into payments.posting_sets (kind, key, payment_id, at, memo)
                    values ('payment-succeeded', ${`raw:${p.id}`}, ${p.id}, ${now}, '') returning id`.execute(
            trx,
          );
          await sql`insert into payments.postings (set_id, account, debit, credit) values
                    (${s.rows[0]!.id}, 'receivable:BENCHCB', 25000, 0), (${s.rows[0]!.id}, 'fees:UBND-01', 0, 20000),
                    (${s.rows[0]!.id}, 'budget:UBND-01:418', 0, 5000)`.execute(trx);
          for (const [kind, amount] of [
            ['phi', 20_000],
            ['le-phi', 5_000],
          ] as const) {
            const series = `RAW${kind === 'phi' ? 'P' : 'L'}/26E`;
            const c = await sql<{ last_number: number }>`
              insert into payments.receipt_counters (agency_code, year, series, last_number) values ('UBND-01', 2026, ${series}, 1)
              on conflict (agency_code, year, series) do update set last_number = payments.receipt_counters.last_number + 1
              returning last_number`.execute(trx);
            await sql`insert into payments.receipts (payment_id, kind, agency_code, year, series, number, amount, issued_at)
                      values (${p.id}, ${kind}, 'UBND-01', 2026, ${series}, ${c.rows[0]!.last_number}, ${amount}, ${now})`.execute(
              trx,
            );
          }
          await sql`insert into platform.outbox (topic, payload, dedupe_key, available_at)
                    values ('bench.raw', ${JSON.stringify({ paymentId: p.id })}::jsonb, ${`raw:${p.id}`}, now())`.execute(
            trx,
          );
          await sql`select pg_advisory_xact_lock(7482113903)`.execute(trx);
          const last = await sql<{
            hash: string;
          }>`select hash from platform.audit_log order by id desc limit 1`.execute(trx);
          const prev = last.rows[0]?.hash ?? GENESIS_HASH;
          const data = { reference: p.reference, amount: 25000 };
          const hash = auditHash(prev, {
            at: now,
            actor: 'system:bench',
            action: 'payment.succeeded',
            subject: `payment:${p.id}`,
            data,
          });
          await sql`insert into platform.audit_log (at, actor, action, subject, data, prev_hash, hash)
                    values (${now}, 'system:bench', 'payment.succeeded', ${`payment:${p.id}`}, ${JSON.stringify(data)}::jsonb, ${prev}, ${hash})`.execute(
            trx,
          );
        });
        await sql`insert into payments.inbound (intermediary, kind, reference, txn, valid, outcome, payload)
                  values ('BENCHCB', 'confirm', ${p.reference}, ${`BR${RUN}${round}X${i}`}, true, '00:applied', '{}'::jsonb)`.execute(
          db,
        );
      }
      return (performance.now() - t0) / 1000;
    }

    /** End to end through the bank: checkout with CSRF, the bank's INIT, its page, its CONFIRM. */
    async function endToEnd(): Promise<number> {
      const list = await prepare(`e${Date.now().toString(36)}`, E2E, null);
      const t0 = performance.now();
      const worker = async (slice: typeof list) => {
        for (const p of slice) {
          const page = await fetch(`${base}/thanh-toan/${p.id}`);
          const cookie = page.headers
            .getSetCookie()
            .map((c) => c.split(';')[0])
            .join('; ');
          const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
          const chosen = await fetch(`${base}/thanh-toan/${p.id}/chon`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
            body: new URLSearchParams({ _csrf: csrf, 'ngan-hang': 'BENCHSIM' }).toString(),
          });
          const location = chosen.headers.get('location') ?? '';
          if (!location.startsWith(bank!.url)) throw new Error(`checkout went to ${location}`);
          bank!.pay({ MaGiaoDich: location.split('/').pop()! }, 'success');
        }
      };
      const k = 8;
      await Promise.all(Array.from({ length: k }, (_, j) => worker(list.filter((_, i) => i % k === j))));
      for (;;) {
        const r = await sql<{ n: number }>`
          select count(*)::int as n from payments.payments where id in (${sql.join(list.map((p) => p.id))}) and status = 'succeeded'`.execute(
          db,
        );
        if (Number(r.rows[0]!.n) === E2E) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return E2E / ((performance.now() - t0) / 1000);
    }

    await raw(0);
    await ours(0);
    const rounds: Array<{ raw: number; ours: number; latencies: number[] }> = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const rawSeconds = await raw(r);
      const o = await ours(r);
      rounds.push({ raw: rawSeconds, ours: o.seconds, latencies: o.latencies });
    }
    const rawMedian = medianBy(rounds, (x) => x.raw).raw;
    const oursRound = medianBy(rounds, (x) => x.ours);
    const p99 = percentile(
      rounds.flatMap((r) => r.latencies),
      99,
    );
    const e2e = await endToEnd();
    const engine = PGLITE ? 'PGlite' : 'PostgreSQL';
    return [
      {
        figure: `CONFIRM callbacks handled, one client over HTTP (${engine}, ${N} a round)`,
        ours: N / oursRound.ours,
        limit: N / rawMedian,
        unit: 'callbacks/s',
        better: 'higher',
        note: 'limit: the same writes as raw SQL, one transaction each, no HTTP; goal ≥ 0.50',
      },
      {
        figure: `p99 of one CONFIRM callback, one client (${engine})`,
        ours: 20,
        limit: p99,
        unit: 'ms',
        better: 'lower',
        note: `ours here is the goal (20 ms), limit the measured p99 ${p99.toFixed(1)} ms: ≥ 1.00 meets it`,
      },
      {
        figure: `end to end through sim/bank: INIT → checkout → bank → CONFIRM (${engine}, ${E2E} payments, 8 payers)`,
        ours: e2e,
        limit: e2e,
        unit: 'payments/s',
        better: 'higher',
        note: 'reported (no limit)',
      },
    ];
  } finally {
    await bank?.close();
    await portal.close();
  }
}
