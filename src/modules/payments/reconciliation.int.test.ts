/**
 * Receipts, refunds, settlement import and reconciliation, and the ledger check, against sim/bank running
 * in this process over real HTTP (its CONFIRMs reach the portal's callback, REFUND and SETTLEMENT are
 * the portal's calls). Payments for the settlement day are made with the portal's and the bank's clocks a
 * day back, then the clocks come back to today and an officer imports yesterday's file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBank, startBank } from '../../../sim/bank/server.ts';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { vietnamDate } from '../../platform/clock/index.ts';
import { createDispatcher } from '../../platform/outbox/index.ts';
import { unzip } from '../../platform/xlsx/xlsx.test-support.ts';
import { DEMO_PAYEES } from './demo.ts';
import { buildVietQr } from './domain/vietqr.ts';
import { httpIntermediaries } from './intermediary.client.ts';
import { verifyLedger } from './ledger-verify.ts';
import type { Payment } from './payments.repository.ts';
import { createPaymentsService, type PaymentsService } from './payments.service.ts';
import { upsertIntermediary, upsertPayee } from './registry.repository.ts';

const SECRET = 'khoa-bi-mat-vcbsim-thu-nghiem';
const BIN = '970436';
const ACCOUNT = '0011001234567';
const DAY_MS = 86_400_000;

let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
let portal: Portal;
let bank: RunningBank;
let svc: PaymentsService;
let payer: TestAccount;
let cashier: TestAccount;
let outsider: TestAccount;
const db = () => portal.database.db;
let serial = 0;

beforeAll(async () => {
  portal = await testPortal({ clock });
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const address = portal.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  bank = await startBank({
    code: 'VCBSIM',
    secret: SECRET,
    bin: BIN,
    collectionAccount: ACCOUNT,
    callbackUrl: `${base}/paygate/v1/callback/VCBSIM`,
    transferUrl: `${base}/paygate/v1/transfer/VCBSIM`,
    retryBaseMs: 50,
    now: () => clock.now(),
  });
  for (const p of DEMO_PAYEES) await upsertPayee(db(), p);
  await upsertIntermediary(db(), {
    code: 'VCBSIM',
    name: 'Ngân hàng VCB (mô phỏng)',
    kind: 'bank',
    baseUrl: bank.url,
    secret: SECRET,
    partnerCode: 'CONGDVC',
    qr: { bin: BIN, account: ACCOUNT, accountName: 'CONG DVC' },
  });
  // The test's own handle on the service (creating bills, checkout); the portal's answers the bank.
  svc = createPaymentsService({
    db: db(),
    clock,
    dispatcher: createDispatcher(db(), { pollMs: 60_000 }),
    bank: httpIntermediaries(),
    publicUrl: base,
    lineageOf: async (c) => [c],
  });
  payer = await accountWithSession(portal, 'citizen', {
    displayName: 'Nguyễn Văn Nộp',
    email: 'nop@example.vn',
  });
  cashier = await accountWithSession(portal, 'officer', {
    agency: 'UBND-01',
    grants: [['UBND-01', 'cashier']],
  });
  outsider = await accountWithSession(portal, 'officer', {
    agency: 'UBND-79',
    grants: [['UBND-79', 'cashier']],
  });
});
afterAll(async () => {
  await bank?.close();
  await portal?.close();
});

function bill(amount: number, agency = 'UBND-01') {
  const n = ++serial;
  return {
    kind: 'dossier-fee' as const,
    subject: `HS-${n}`,
    billKey: `dossier-fee:HS-${n}:1`,
    lines: [
      { kind: 'phi' as const, code: 'P1', name: 'Phí chứng thực bản sao', amount: amount - 10_000 },
      { kind: 'le-phi' as const, code: 'L1', name: 'Lệ phí cấp bản sao', amount: 10_000 },
    ],
    description: `Hồ sơ HS-${n} — chứng thực bản sao`,
    payeeAgency: agency,
    payer: { accountId: payer.id, name: 'Nguyễn Văn Nộp', idNumber: '001088012345' },
  };
}

/** A payment made on the bank's page with `outcome` (and the bank's faults for it). */
async function payAtBank(
  amount: number,
  outcome: 'success' | 'fail' = 'success',
  faults: Parameters<RunningBank['setFaults']>[0] = [],
): Promise<Payment> {
  const { payment } = await svc.create(bill(amount));
  await svc.checkout(payment.id, 'VCBSIM', '203.0.113.5');
  if (faults.length > 0) bank.setFaults(faults, 1);
  bank.pay({ MaThamChieu: payment.reference }, outcome);
  await bank.idle();
  return svc.get(payment.id);
}

async function officerClient(a: TestAccount): Promise<FormClient> {
  const c = new FormClient(portal.app);
  c.cookies.set('sid', a.token);
  return c;
}

async function refundsOf(paymentId: string) {
  const r = await sql<{ id: string; amount: string; status: string; from_clearing: boolean }>`
    select id, amount, status, from_clearing from payments.refunds where payment_id = ${paymentId} order by requested_at`.execute(
    db(),
  );
  return r.rows.map((x) => ({ ...x, amount: Number(x.amount) }));
}

const setsOf = async (paymentId: string) =>
  (
    await sql<{
      kind: string;
    }>`select kind from payments.posting_sets where payment_id = ${paymentId} order by id`.execute(db())
  ).rows.map((r) => r.kind);

describe('e-receipts', () => {
  it('downloads a paid payment’s receipt as PDF, only under its own payment, and tells the payer', async () => {
    const p = await payAtBank(60_000);
    expect(p.status).toBe('succeeded');
    const receipts = (
      await sql<{ id: string; kind: string; number: number }>`
        select id, kind, number from payments.receipts where payment_id = ${p.id} order by kind`.execute(db())
    ).rows;
    expect(receipts.map((r) => r.kind)).toEqual(['le-phi', 'phi']);
    const r = await portal.app.inject({ url: `/thanh-toan/${p.id}/bien-lai/${receipts[1]!.id}.pdf` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(path.join(tmpdir(), 'receipt-'));
    writeFileSync(path.join(dir, 'r.pdf'), r.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain(p.reference);
    expect(text).toContain('BIÊN LAI THU PHÍ, LỆ PHÍ');
    expect(text).toContain('50.000');
    expect(text).toContain('Nghị định 123/2020/NĐ-CP');
    // Another payment's id with this receipt: not found.
    const other = await payAtBank(30_000);
    const wrong = await portal.app.inject({ url: `/thanh-toan/${other.id}/bien-lai/${receipts[1]!.id}.pdf` });
    expect(wrong.statusCode).toBe(404);

    await portal.dispatcher.runOnce();
    const inbox = await sql<{ template: string; link: string }>`
      select template, link from notifications.inbox where account_id = ${payer.id} and link like ${`%${p.id}%`}`.execute(
      db(),
    );
    expect(inbox.rows).toEqual([
      { template: 'payment.succeeded', link: expect.stringContaining('/ket-qua') },
    ]);
  });

  it('lists the payer’s payments with their receipts at /tai-khoan/thanh-toan', async () => {
    const c = await officerClient(payer);
    const r = await c.get('/tai-khoan/thanh-toan');
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/bien-lai\/[0-9a-f-]{36}\.pdf/);
    expect(r.body).toContain('Đã thanh toán');
  });
});

describe('refunds', () => {
  it('refunds part, then the rest, and refuses more than paid', async () => {
    const p = await payAtBank(100_000);
    const c = await officerClient(cashier);
    await c.get(`/quan-tri/thanh-toan/${p.id}`);
    let r = await c.post(`/quan-tri/thanh-toan/${p.id}/hoan-tien`, {
      'so-tien': '30000',
      'ly-do': 'Thu thừa',
    });
    expect(r.headers.location).toContain('ok=1');
    await portal.dispatcher.runOnce();
    expect(await refundsOf(p.id)).toMatchObject([
      { amount: 30_000, status: 'succeeded', from_clearing: false },
    ]);
    expect(bank.transactions().find((t) => t.MaThamChieu === p.reference)?.refunds).toHaveLength(1);

    await c.get(`/quan-tri/thanh-toan/${p.id}`);
    r = await c.post(`/quan-tri/thanh-toan/${p.id}/hoan-tien`, { 'so-tien': '70000', 'ly-do': 'Hủy hồ sơ' });
    expect(r.headers.location).toContain('ok=1');
    await portal.dispatcher.runOnce();
    await c.get(`/quan-tri/thanh-toan/${p.id}`);
    r = await c.post(`/quan-tri/thanh-toan/${p.id}/hoan-tien`, { 'so-tien': '1', 'ly-do': 'Thêm' });
    expect(decodeURIComponent(r.headers.location as string)).toContain('vượt số còn có thể hoàn');
    expect((await refundsOf(p.id)).map((x) => [x.amount, x.status])).toEqual([
      [30_000, 'succeeded'],
      [70_000, 'succeeded'],
    ]);
    expect(await setsOf(p.id)).toEqual([
      'payment-succeeded',
      'refund-requested',
      'refund-succeeded',
      'refund-requested',
      'refund-succeeded',
    ]);
    // The database refuses it too, whoever writes.
    await expect(
      sql`insert into payments.refunds (payment_id, amount, reason, txn) values (${p.id}, 1, 'x', ${p.intermediaryTxn})`.execute(
        db(),
      ),
    ).rejects.toThrow(/exceed its amount/);
  });

  it('never refunds more than paid under concurrent requests', async () => {
    const p = await payAtBank(100_000);
    const c = await officerClient(cashier);
    await c.get(`/quan-tri/thanh-toan/${p.id}`);
    const token = c.csrf();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        c.post(
          `/quan-tri/thanh-toan/${p.id}/hoan-tien`,
          { 'so-tien': '30000', 'ly-do': `Lần ${i}` },
          { csrf: token },
        ),
      ),
    );
    expect(answers.filter((a) => String(a.headers.location).includes('ok=1'))).toHaveLength(3);
    const rows = await refundsOf(p.id);
    expect(rows.reduce((s, x) => s + x.amount, 0)).toBe(90_000);
  });

  it('an officer of another agency cannot refund', async () => {
    const p = await payAtBank(40_000);
    const c = await officerClient(outsider);
    const page = await c.get(`/quan-tri/thanh-toan/${p.id}`);
    expect(page.statusCode).toBe(404);
  });

  it('a refund the bank refuses fails and its request is reversed', async () => {
    const p = await payAtBank(50_000);
    // The whole amount was refunded at the bank by another request: the bank refuses ours ("03").
    const i = {
      code: 'VCBSIM',
      name: 'x',
      kind: 'bank' as const,
      baseUrl: bank.url,
      secret: SECRET,
      partnerCode: 'CONGDVC',
      qr: null,
      active: true,
    };
    const pre = await httpIntermediaries().refund(i, {
      reference: p.reference,
      txn: p.intermediaryTxn!,
      refundId: 'HT-NGOAI-1',
      amount: 50_000,
      at: new Date(),
    });
    expect(pre.ok).toBe(true);
    const c = await officerClient(cashier);
    await c.get(`/quan-tri/thanh-toan/${p.id}`);
    await c.post(`/quan-tri/thanh-toan/${p.id}/hoan-tien`, { 'so-tien': '20000', 'ly-do': 'Hoàn thử' });
    await portal.dispatcher.runOnce();
    expect(await refundsOf(p.id)).toMatchObject([{ amount: 20_000, status: 'failed' }]);
    expect(await setsOf(p.id)).toEqual(['payment-succeeded', 'refund-requested', 'refund-failed']);
    const audit = await sql<{ action: string }>`
      select action from platform.audit_log where subject = ${`payment:${p.id}`} order by id`.execute(db());
    expect(audit.rows.map((a) => a.action)).toContain('payment.refund-failed');
  });
});

describe('settlement import and reconciliation', () => {
  const found: Record<string, Payment> = {};
  let day = '';
  let duplicateTxn = '';

  beforeAll(async () => {
    offset = -DAY_MS;
    day = vietnamDate(clock.now());
    found.matched = await payAtBank(80_000);
    found.failed = await payAtBank(70_000, 'fail');
    found.missing = await payAtBank(90_000, 'success', ['settlement-missing']);
    found.amount = await payAtBank(110_000, 'success', ['settlement-amount']);
    found.dropped = await payAtBank(120_000, 'success', ['dropped']);
    // A bill paid twice by VietQR transfer.
    const { payment } = await svc.create(bill(130_000));
    await svc.awaitTransfer(payment.id, 'VCBSIM');
    const qr = buildVietQr({
      dynamic: true,
      to: 'account',
      bin: BIN,
      account: ACCOUNT,
      amount: 130_000,
      purpose: payment.reference,
    });
    bank.transfer(qr);
    await bank.idle();
    duplicateTxn = bank.transfer(qr).MaGiaoDich;
    await bank.idle();
    found.twice = await svc.get(payment.id);
    offset = 0;
  });

  it('finds every injected mismatch, applies a success only the file knows, posts settlements once', async () => {
    expect(found.dropped!.status).toBe('pending');
    const c = await officerClient(cashier);
    await c.get('/quan-tri/doi-soat');
    const r = await c.post('/quan-tri/doi-soat/nhap', { 'trung-gian': 'VCBSIM', ngay: day });
    expect(r.headers.location).toBe(`/quan-tri/doi-soat/VCBSIM/${day}?ket-qua=new`);
    const items = (
      await sql<{
        kind: string;
        reference: string;
        state: string;
        resolution_kind: string | null;
        txn: string;
      }>`
        select kind, reference, state, resolution_kind, txn from payments.reconciliation_items where day = ${day}`.execute(
        db(),
      )
    ).rows;
    const byRef = (p: Payment) => items.filter((i) => i.reference === p.reference);
    expect(byRef(found.missing!)).toMatchObject([{ kind: 'missing-at-intermediary', state: 'open' }]);
    expect(byRef(found.amount!)).toMatchObject([{ kind: 'amount-differs', state: 'open' }]);
    expect(byRef(found.dropped!)).toMatchObject([
      { kind: 'missing-at-portal', state: 'resolved', resolution_kind: 'applied' },
    ]);
    expect(byRef(found.twice!)).toMatchObject([{ kind: 'duplicate', state: 'open', txn: duplicateTxn }]);
    expect(byRef(found.matched!)).toEqual([]);
    expect(byRef(found.failed!)).toEqual([]);
    expect(items).toHaveLength(4);
    const dropped = await svc.get(found.dropped!.id);
    expect(dropped.status).toBe('succeeded');
    const ev = await sql<{ source: string }>`
      select source from payments.events where payment_id = ${dropped.id} and to_status = 'succeeded'`.execute(
      db(),
    );
    expect(ev.rows).toEqual([{ source: 'settlement' }]);
    const summary = await sql<{ matched: number; mismatched: number }>`
      select matched, mismatched from payments.reconciliations where intermediary = 'VCBSIM' and day = ${day}`.execute(
      db(),
    );
    // matched, failed, the first transfer; the dropped one is applied (counted as neither).
    expect(summary.rows[0]).toEqual({ matched: 3, mismatched: 3 });

    // The same file again: nothing stored, nothing posted twice.
    const settlements = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from payments.posting_sets where kind = 'settlement'`.execute(db())
        ).rows[0]!.n,
      );
    const before = await settlements();
    expect(before).toBe(4); // matched, dropped, both transfers (the first and the duplicate), nothing else
    await c.get('/quan-tri/doi-soat');
    const again = await c.post('/quan-tri/doi-soat/nhap', { 'trung-gian': 'VCBSIM', ngay: day });
    expect(again.headers.location).toContain('ket-qua=same');
    expect(await settlements()).toBe(before);
    const files = await sql<{
      version: number;
    }>`select version from payments.settlement_files where day = ${day}`.execute(db());
    expect(files.rows).toEqual([{ version: 1 }]);

    const page = await c.get(`/quan-tri/doi-soat/VCBSIM/${day}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nộp hai lần');
    expect(page.body).toContain(found.missing!.reference);
  });

  it('resolves a mismatch with an audited action: the duplicate is refunded from payer clearing', async () => {
    const item = (
      await sql<{
        id: string;
      }>`select id from payments.reconciliation_items where kind = 'duplicate' and day = ${day}`.execute(db())
    ).rows[0]!;
    const c = await officerClient(cashier);
    await c.get(`/quan-tri/doi-soat/VCBSIM/${day}`);
    const r = await c.post(`/quan-tri/doi-soat/muc/${item.id}`, {
      cach: 'refund',
      'noi-dung': 'Hoàn khoản nộp lần hai',
    });
    expect(r.headers.location).toBe(`/quan-tri/doi-soat/VCBSIM/${day}`);
    await portal.dispatcher.runOnce();
    expect(await refundsOf(found.twice!.id)).toMatchObject([
      { amount: 130_000, status: 'succeeded', from_clearing: true },
    ]);
    const audit = await sql<{ actor: string; data: { resolution: string } }>`
      select actor, data from platform.audit_log where action = 'payment.reconciliation-resolved' and subject = ${`reconciliation:${item.id}`}`.execute(
      db(),
    );
    expect(audit.rows).toEqual([
      { actor: `officer:${cashier.id}`, data: expect.objectContaining({ resolution: 'refund' }) },
    ]);
    const state = await sql<{ state: string; resolved_by: string }>`
      select state, resolved_by from payments.reconciliation_items where id = ${item.id}`.execute(db());
    expect(state.rows[0]).toEqual({ state: 'resolved', resolved_by: `officer:${cashier.id}` });

    // The missing one is written off with a correction set.
    const missing = (
      await sql<{
        id: string;
      }>`select id from payments.reconciliation_items where kind = 'missing-at-intermediary' and day = ${day}`.execute(
        db(),
      )
    ).rows[0]!;
    await c.get(`/quan-tri/doi-soat/VCBSIM/${day}`);
    await c.post(`/quan-tri/doi-soat/muc/${missing.id}`, {
      cach: 'write-off',
      'noi-dung': 'Ngân hàng xác nhận không có tiền',
    });
    expect(await setsOf(found.missing!.id)).toEqual(['payment-succeeded', 'correction']);
    // Someone of another agency sees nothing to resolve.
    const o = await officerClient(outsider);
    const amountItem = (
      await sql<{
        id: string;
      }>`select id from payments.reconciliation_items where kind = 'amount-differs' and day = ${day}`.execute(
        db(),
      )
    ).rows[0]!;
    await o.get('/quan-tri/doi-soat');
    const denied = await o.post(`/quan-tri/doi-soat/muc/${amountItem.id}`, {
      cach: 'accept',
      'noi-dung': 'x',
    });
    expect(denied.statusCode).toBe(404);
  });

  it('exports the report to XLSX', async () => {
    const c = await officerClient(cashier);
    const r = await c.get(`/quan-tri/doi-soat/VCBSIM/${day}.xlsx`);
    expect(r.statusCode).toBe(200);
    const parts = unzip(r.rawPayload);
    const all = [...parts.values()].join('\n');
    for (const p of [found.missing!, found.amount!, found.twice!]) expect(all).toContain(p.reference);
    expect(all).toContain('Nộp hai lần, chờ hoàn trả');
    expect(all).toContain('Cổng có, trung gian không có');
  });

  it('ledger:verify holds on these books and names an unbalanced set', async () => {
    const good = await verifyLedger(db());
    expect(good).toMatchObject({ ok: true });
    // The deferred trigger would refuse an unbalanced set at commit: switched off for this one insert,
    // as a broken migration or a hand edit could leave the books.
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`alter table payments.postings disable trigger postings_balance`.execute(trx);
        const s = await sql<{ id: string }>`
          insert into payments.posting_sets (kind, key, at) values ('correction', 'test:unbalanced', now()) returning id`.execute(
          trx,
        );
        await sql`insert into payments.postings (set_id, account, debit, credit) values
                  (${s.rows[0]!.id}, 'treasury', 1000, 0), (${s.rows[0]!.id}, 'payer-clearing', 0, 999)`.execute(
          trx,
        );
        await sql`alter table payments.postings enable trigger postings_balance`.execute(trx);
      });
    const bad = await verifyLedger(db());
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.at?.key).toBe('test:unbalanced');
      expect(bad.problem.code).toBe('unbalanced');
    }
  });
});
