/**
 * Payments survive the portal dying (issue 17, item 8). The portal runs as a real process
 * (`node --import tsx src/main.ts`) on a data directory or PostgreSQL database prepared in this process
 * with the portal's own functions (an onboarded payee, sim/bank registered with a secret we know, a
 * "pay before" dossier and two agency-system payments, all pending at the bank). It is killed with
 * SIGKILL by its crash hook (`PAYMENTS_CRASH_AT`, config; refused in production):
 *
 * - after-receive: the bank's CONFIRM verified, before the transaction that applies it → nothing of
 *   the payment written; the bank tries again;
 * - after-ledger: the CONFIRM, retried into the restarted portal, applied (payment, ledger, receipts,
 *   outbox) → killed before any effect runs (the dossier not moved, the payer not told);
 * - restarted without the hook: once the dead process's outbox lease lapses (OUTBOX_LEASE_MS, short
 *   here), the effects run: the dossier moves, once.
 *
 * Meanwhile forged CONFIRMs (from sim/bank's `forged` mode, retried across the down time, and our own)
 * are refused and logged in payments.inbound (valid = false); a payment whose only CONFIRM was forged
 * is settled by re-query when the bank says it was paid, and stays unpaid when the bank says it was not.
 * Afterwards: each payment succeeded once, one `payment-succeeded` set each, receipts once, the dossier
 * moved once, the effect delivered, the ledger's invariants and the audit chain hold. The bank's
 * genuine CONFIRM replayed after all this changes nothing. (Fault modes without crashes:
 * `payments.int.test.ts`, reconciliation: `reconciliation.int.test.ts`.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBank, startBank } from '../sim/bank/server.ts';
import { type Portal, startPortal } from '../src/bootstrap.ts';
import { seedDemoPayments } from '../src/modules/payments/demo.ts';
import { verifyLedger } from '../src/modules/payments/index.ts';
import { verifyAuditChain } from '../src/platform/audit/index.ts';
import { type Database, type DatabaseOptions, openDatabase } from '../src/platform/db/index.ts';
import { FormClient } from './helpers/browser.ts';
import { createTestDatabase } from './helpers/database.ts';
import { maXacThuc, partnerInit, postJson } from './helpers/payments.ts';
import { testConfig } from './helpers/portal.ts';
import { accountWithSession, type TestAccount } from './helpers/sessions.ts';
import { ensureTemplate } from './helpers/template.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BANK = 'CRASHBANK';
const SECRET = randomBytes(18).toString('base64url');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

interface PaymentRef {
  id: string;
  reference: string;
  amount: number;
}

let dataDir: string;
let dbOptions: DatabaseOptions;
let drop: () => Promise<void> = async () => undefined;
let port: number;
let url: string;
let bank: RunningBank;
let citizen: TestAccount;
let dossierCode: string;
/** A: the dossier's fee (pay before). B: a partner's bill whose CONFIRM is forged. C: one never paid. */
let A: PaymentRef;
let B: PaymentRef;
let C: PaymentRef;
let running: PortalProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface PortalProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The portal as its own process on the prepared database. Not production (the hook is refused there);
 * the embedded demo's simulators are pointed elsewhere or off so that only its bank starts (unused).
 */
async function startPortalProcess(crashAt?: 'after-receive' | 'after-ledger'): Promise<PortalProcess> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.DATABASE_URL;
  delete env.PAYMENTS_CRASH_AT;
  const nowhere = 'http://127.0.0.1:9';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      ...(dbOptions.databaseUrl ? { DATABASE_URL: dbOptions.databaseUrl } : {}),
      LOG_LEVEL: 'silent',
      OUTBOX_POLL_MS: '100',
      // A killed process's outbox lease comes back after this (60 s by default).
      OUTBOX_LEASE_MS: '2000',
      SMTP_URL: 'off',
      SMS_GATEWAY_URL: 'off',
      POPULATION_REGISTER_URL: nowhere,
      POPULATION_REGISTER_API_KEY: 'not-used-here',
      BUSINESS_REGISTER_URL: nowhere,
      BUSINESS_REGISTER_API_KEY: 'not-used-here',
      POLICE_URL: nowhere,
      POLICE_WEBHOOK_SECRET: 'not-used-here',
      SOCIAL_INSURANCE_URL: nowhere,
      SOCIAL_INSURANCE_API_KEY: 'not-used-here',
      ...(crashAt ? { PAYMENTS_CRASH_AT: crashAt } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start in 45 s:\n${out}`)), 45_000);
    child.stdout?.on('data', () => {
      if (/running at http/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`portal exited (${code ?? signal}) before it listened:\n${out}`));
    });
  });
  running = { child, output: () => out, exited };
  return running;
}

/** Waits for the process to die by itself (its crash hook), at most `ms`. */
async function death(p: PortalProcess, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    p.exited,
    new Promise<'alive'>((resolve) => {
      timer = setTimeout(() => resolve('alive'), ms);
    }),
  ]);
  clearTimeout(timer);
  running = undefined;
  if (r === 'alive') {
    p.child.kill('SIGKILL');
    await p.exited;
    throw new Error(`the portal did not crash within ${ms} ms:\n${p.output()}`);
  }
  return r;
}

/** The database as the portal left it (the process is gone: on PGlite its stale lock is taken over). */
async function inspect<T>(fn: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(dbOptions);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}:\n${running?.output() ?? ''}`);
}

/** A CONFIRM as the bank would send it, `MaXacThuc` signed with `secret` (the wrong one: forged). */
function confirm(p: PaymentRef, secret: string, txn = `${BANK}FORGED${randomBytes(3).toString('hex')}`) {
  const m = {
    LoaiBanTin: 'CONFIRM',
    MaLoi: '00',
    MaDoiTac: 'CONGDVC',
    MaThamChieu: p.reference,
    SoTien: String(p.amount),
    MaTienTe: 'VND',
    MaGiaoDich: txn,
    MaNganHang: BANK,
    ThoiGianGD: '20260314100000',
    ThongTinGiaoDich: 'THANH TOAN',
  };
  return { ...m, MaXacThuc: maXacThuc(Object.values(m), secret) };
}

const rows = async <R>(db: Database['db'], q: ReturnType<typeof sql<R>>) => (await q.execute(db)).rows;

async function paymentState(db: Database['db'], p: PaymentRef) {
  const [row] = await rows<{ status: string }>(
    db,
    sql`select status from payments.payments where id = ${p.id}`,
  );
  const sets = await rows<{ kind: string }>(
    db,
    sql`select kind from payments.posting_sets where payment_id = ${p.id} order by id`,
  );
  const receipts = await rows<{ kind: string }>(
    db,
    sql`select kind from payments.receipts where payment_id = ${p.id}`,
  );
  const succeeded = await rows<{ source: string }>(
    db,
    sql`select source from payments.events where payment_id = ${p.id} and to_status = 'succeeded'`,
  );
  const inbound = await rows<{ valid: boolean; outcome: string }>(
    db,
    sql`select valid, outcome from payments.inbound where reference = ${p.reference} order by id`,
  );
  return {
    status: row?.status,
    sets: sets.map((s) => s.kind),
    receipts: receipts.length,
    succeeded: succeeded.map((e) => e.source),
    inbound,
  };
}

async function dossierState(db: Database['db']) {
  const [d] = await rows<{ state: string }>(
    db,
    sql`select state from dossiers.dossiers where code = ${dossierCode}`,
  );
  const paid = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dossiers.history where dossier_code = ${dossierCode} and action = 'pay-fee'`,
  );
  const effects = await rows<{ topic: string; status: string }>(
    db,
    sql`select topic, status from platform.outbox
         where topic like 'payments.effect.%' and payload->>'paymentId' = ${A.id} order by topic`,
  );
  // The other effect of a dossier fee: the payer told (the portal's inbox).
  const told = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from notifications.inbox
         where account_id = ${citizen.id} and template = 'payment.succeeded'`,
  );
  return {
    state: d?.state,
    payFee: paid[0]!.n,
    effects: Object.fromEntries(effects.map((e) => [e.topic.slice('payments.effect.'.length), e.status])),
    told: told[0]!.n,
  };
}

/** Prepares the world in this process with the portal's own functions, then closes it. */
async function seed(): Promise<void> {
  const portal: Portal = await startPortal(testConfig({ DATA_DIR: dataDir, PUBLIC_URL: url }), {
    database: dbOptions,
  });
  try {
    const db = portal.database.db;
    await seedDemoPayments(db, {
      intermediaries: [
        {
          code: BANK,
          name: 'Ngân hàng thử (sập nguồn)',
          kind: 'bank',
          baseUrl: bank.url,
          secret: SECRET,
          partnerCode: 'CONGDVC',
          qr: null,
        },
      ],
    });
    citizen = await accountWithSession(portal, 'citizen', { displayName: 'Nguyễn Văn Minh' });
    const browser = new FormClient(portal.app);
    browser.cookies.set('sid', citizen.token);

    // A certified copy (2.000815) at a commune of Hà Nội: pay before, 14,000 đ; UBND-01 collects online.
    const up = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers/uploads?name=ban-chinh.pdf&documentCode=BANCHINH',
      headers: { cookie: `sid=${citizen.token}`, 'content-type': 'application/octet-stream' },
      payload: PDF,
    });
    expect(up.statusCode, up.body).toBe(201);
    const filed = await portal.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: {
        cookie: `sid=${citizen.token}`,
        'content-type': 'application/json',
        'idempotency-key': 'crash-1',
      },
      payload: JSON.stringify({
        procedureCode: '2.000815',
        place: { provinceCode: '01', communeCode: '00070' },
        formData: {
          hoTen: 'Nguyễn Văn Minh',
          soDinhDanh: '001088012345',
          ngaySinh: '1988-05-12',
          noiCuTru: { province: '01', commune: '00070', street: 'Số 1 phố Tràng Tiền' },
          soDienThoai: '0911000001',
          soTrang: 5,
          soBan: 2,
          tep_banchinh: up.json().id,
        },
        uploads: [{ id: up.json().id }],
      }),
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ state: 'awaiting-payment' });
    dossierCode = filed.json().code;

    /** The payer chooses the bank on the checkout: INIT at the bank, the payment pending. */
    const checkout = async (id: string): Promise<PaymentRef> => {
      await browser.get(`/thanh-toan/${id}`);
      const chosen = await browser.post(`/thanh-toan/${id}/chon`, { 'ngan-hang': BANK });
      expect(chosen.statusCode, chosen.body).toBe(303);
      expect(String(chosen.headers.location).startsWith(bank.url)).toBe(true);
      const p = (await portal.app.inject({ url: `/api/v1/payments/${id}` })).json();
      expect(p.status).toBe('pending');
      return { id, reference: p.reference, amount: p.amount };
    };
    const go = await browser.get(`/ho-so/${encodeURIComponent(dossierCode)}/nop-phi`);
    expect(go.statusCode, go.body).toBe(303);
    A = await checkout(String(go.headers.location).split('/').pop()!);
    expect(A.amount).toBe(14_000);

    const partnerBill = async (ref: string, amount: number) => {
      const r = await portal.app.inject({
        method: 'POST',
        url: '/paygate/v1/init',
        payload: partnerInit(ref, amount),
      });
      expect(r.json().error_code, r.body).toBe('0');
      return checkout(JSON.parse(r.json().message).UrlThanhToan.split('/').pop());
    };
    B = await partnerBill(`CRASH-B-${randomBytes(3).toString('hex')}`, 31_000);
    C = await partnerBill(`CRASH-C-${randomBytes(3).toString('hex')}`, 47_000);
  } finally {
    await portal.close();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-crash-'));
  const t = await createTestDatabase();
  drop = t.drop;
  dbOptions = t.options.databaseUrl
    ? { databaseUrl: t.options.databaseUrl, poolMax: 3 }
    : { dataDir, pgliteTemplate: await ensureTemplate() };
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // Retries every 100 ms, doubling, for long enough to outlast two restarts.
  bank = await startBank({
    code: BANK,
    secret: SECRET,
    bin: '970436',
    collectionAccount: '0011000777666',
    callbackUrl: `${url}/paygate/v1/callback/${BANK}`,
    retryBaseMs: 100,
    maxTries: 14,
    port: 0,
    log: () => undefined,
  });
  await seed();
  // Every later open of the data directory finds it made: no template.
  if (!dbOptions.databaseUrl) dbOptions = { dataDir };
});

afterAll(async () => {
  if (running) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  await bank?.close();
  await drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('payments when the portal is killed (SIGKILL)', () => {
  it('after-receive: a verified CONFIRM kills the portal before the ledger; nothing of the payment is written', async () => {
    const portal = await startPortalProcess('after-receive');
    // A forged CONFIRM does not get as far as the crash point: refused (01) and logged.
    const forged = await postJson(`${url}/paygate/v1/callback/${BANK}`, confirm(C, 'not-the-bank-secret'));
    expect(forged.body.MaLoi).toBe('01');
    bank.pay({ MaThamChieu: A.reference }, 'success');
    expect(await death(portal, 15_000)).toEqual({ code: null, signal: 'SIGKILL' });

    // While it is down, our forged CONFIRM for C finds nobody.
    await expect(
      fetch(`${url}/paygate/v1/callback/${BANK}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(confirm(C, 'not-the-bank-secret')),
      }),
    ).rejects.toThrow();

    await inspect(async (db) => {
      expect(await paymentState(db, A)).toEqual({
        status: 'pending',
        sets: [],
        receipts: 0,
        succeeded: [],
        inbound: [],
      });
      expect((await paymentState(db, C)).inbound).toEqual([{ valid: false, outcome: '01' }]);
      expect(await dossierState(db)).toEqual({ state: 'awaiting-payment', payFee: 0, effects: {}, told: 0 });
    });
  }, 90_000);

  it('after-ledger: the retried CONFIRM is applied, then the portal dies before the dossier moves', async () => {
    const portal = await startPortalProcess('after-ledger');
    expect(await death(portal, 40_000)).toEqual({ code: null, signal: 'SIGKILL' });
    await inspect(async (db) => {
      const a = await paymentState(db, A);
      expect(a).toMatchObject({
        status: 'succeeded',
        sets: ['payment-succeeded'],
        receipts: 1,
        succeeded: ['callback'],
      });
      expect(a.inbound.filter((i) => i.valid)).toEqual([{ valid: true, outcome: '00:applied' }]);
      // The settlement committed with its outbox messages; no effect has run.
      expect(await dossierState(db)).toEqual({
        state: 'awaiting-payment',
        payFee: 0,
        effects: { 'dossier-fee': 'pending', 'notify-payer': 'pending' },
        told: 0,
      });
    });
  }, 90_000);

  it('restarted: the dossier moves once; forged CONFIRMs are refused and logged; only paid money is marked paid', async () => {
    // While it is down (just before it starts again): the bank pays B but forges its CONFIRM, tried
    // again until the portal answers.
    bank.setFaults(['forged'], 1);
    bank.pay({ MaThamChieu: B.reference }, 'success');
    const portal = await startPortalProcess();
    const api = (p: string) => fetch(`${url}${p}`, { headers: { cookie: `sid=${citizen.token}` } });
    await until('the dossier to be submitted', async () => {
      const r = await api(`/api/v1/dossiers/${encodeURIComponent(dossierCode)}`);
      return r.ok && (await r.json()).state === 'submitted';
    });
    // The bank's forged CONFIRM for B, sent while the portal was down, answered once it is back.
    await until('the forged CONFIRM of B to be answered', () =>
      bank.callbacks().some((c) => c.variant === 'forged' && c.MaThamChieu === B.reference && c.acknowledged),
    );
    expect(bank.callbacks().find((c) => c.variant === 'forged' && c.acknowledged)?.answer).toMatchObject({
      MaLoi: '01',
    });
    // Forged after the restart: refused, for a payment paid (A) and one not paid (C).
    for (const p of [A, C]) {
      const r = await postJson(`${url}/paygate/v1/callback/${BANK}`, confirm(p, 'not-the-bank-secret'));
      expect(r.body.MaLoi).toBe('01');
    }
    // The result page asks the bank again: B was paid (its CONFIRM forged), C was not.
    for (const p of [B, C]) expect((await fetch(`${url}/thanh-toan/${p.id}/ket-qua`)).status).toBe(200);
    expect((await (await api(`/api/v1/payments/${B.id}`)).json()).status).toBe('succeeded');
    expect((await (await api(`/api/v1/payments/${C.id}`)).json()).status).toBe('pending');
    // The bank's genuine CONFIRM of A, replayed: accepted as already applied.
    const genuine = bank.callbacks().find((c) => c.variant === 'genuine' && c.MaThamChieu === A.reference);
    const replay = await postJson(`${url}/paygate/v1/callback/${BANK}`, genuine!.message);
    expect(replay.body.MaLoi).toBe('00');
    await bank.idle();
    // A clean stop (the dispatcher finishes what it holds), then the books.
    portal.child.kill('SIGTERM');
    expect(await portal.exited).toEqual({ code: 0, signal: null });
    running = undefined;

    await inspect(async (db) => {
      const a = await paymentState(db, A);
      expect(a).toMatchObject({
        status: 'succeeded',
        sets: ['payment-succeeded'],
        receipts: 1,
        succeeded: ['callback'],
      });
      expect(a.inbound.filter((i) => i.outcome === '00:applied')).toHaveLength(1);
      expect(a.inbound.filter((i) => !i.valid)).toEqual([{ valid: false, outcome: '01' }]);
      expect(await dossierState(db)).toEqual({
        state: 'submitted',
        payFee: 1,
        effects: { 'dossier-fee': 'delivered', 'notify-payer': 'delivered' },
        told: 1,
      });

      const b = await paymentState(db, B);
      expect(b).toMatchObject({
        status: 'succeeded',
        sets: ['payment-succeeded'],
        receipts: 2,
        succeeded: ['query'],
      });
      expect(b.inbound.length).toBeGreaterThan(0);
      expect(b.inbound.every((i) => !i.valid && i.outcome === '01')).toBe(true);

      const c = await paymentState(db, C);
      expect(c).toEqual({
        status: 'pending',
        sets: [],
        receipts: 0,
        succeeded: [],
        inbound: [
          { valid: false, outcome: '01' },
          { valid: false, outcome: '01' },
        ],
      });

      // The money in: what the bank took, once each, owed by the bank.
      const [receivable] = await rows<{ balance: string }>(
        db,
        sql`select coalesce(sum(debit - credit), 0) as balance from payments.postings
             where account = ${`receivable:${BANK}`}`,
      );
      expect(Number(receivable!.balance)).toBe(A.amount + B.amount);
      expect(await verifyLedger(db)).toMatchObject({ ok: true });
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    });
    const paidAtBank = bank.transactions().filter((t) => t.status === 'succeeded');
    expect(paidAtBank.map((t) => t.MaThamChieu).sort()).toEqual([A.reference, B.reference].sort());
  }, 120_000);
});
