/**
 * Dossier fees paid online, through HTTP on the whole portal listening on a real port, with sim/bank
 * started in-process: pay after (request-payment → payment.requested with its link → /nop-phi → the
 * hosted checkout → the bank → CONFIRM → the effect → back to processing), the effect run twice, pay
 * before (the filing ends in checkout; paid → submitted, its clock from the payment), the cashier's cash
 * in the ledger, and cash refused once the fee was paid online.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBank, startBank } from '../../../sim/bank/server.ts';
import { FormClient } from '../../../test/helpers/browser.ts';
import { testPortal } from '../../../test/helpers/portal.ts';
import { accountWithSession, type TestAccount } from '../../../test/helpers/sessions.ts';
import type { Portal } from '../../bootstrap.ts';
import { balances, upsertIntermediary, upsertPayee } from '../payments/index.ts';

let portal: Portal;
let bank: RunningBank;
let citizen: TestAccount;
let officer: TestAccount;
const SECRET = 'bank-secret-for-tests';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const cookie = (a: TestAccount) => `sid=${a.token}`;
async function api(who: TestAccount, method: 'GET' | 'POST', url: string, body?: unknown, headers = {}) {
  return portal.app.inject({
    method,
    url,
    headers: {
      cookie: cookie(who),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

/** A certified copy (2.000815) filed at a commune of Hà Nội: 5 pages, 2 copies → 14,000 đ. */
async function fileCopy(key: string) {
  const up = await portal.app.inject({
    method: 'POST',
    url: '/api/v1/dossiers/uploads?name=ban-chinh.pdf&documentCode=BANCHINH',
    headers: { cookie: cookie(citizen), 'content-type': 'application/octet-stream' },
    payload: PDF,
  });
  const r = await api(
    citizen,
    'POST',
    '/api/v1/dossiers',
    {
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
    },
    { 'idempotency-key': key },
  );
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { code: string; state: string; status: number; dueAt: string; submittedAt: string };
}

async function act(code: string, action: string, extra: Record<string, unknown> = {}) {
  return api(officer, 'POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions`, { action, ...extra });
}

/** Pays the bill behind `/ho-so/{code}/nop-phi` at the bank; answers the payment id. */
async function payOnline(code: string, outcome: 'success' | 'cancel' = 'success') {
  const b = new FormClient(portal.app);
  b.cookies.set('sid', citizen.token);
  const go = await b.get(`/ho-so/${encodeURIComponent(code)}/nop-phi`);
  expect(go.statusCode, go.body).toBe(303);
  const checkout = go.headers.location as string;
  expect(checkout).toMatch(/^\/thanh-toan\/[0-9a-f-]{36}$/);
  const page = await b.get(checkout);
  expect(page.statusCode).toBe(200);
  const chosen = await b.post(`${checkout}/chon`, { 'ngan-hang': 'BANKSIM' });
  expect(chosen.statusCode, chosen.body).toBe(303);
  const id = checkout.split('/').pop()!;
  const p = (await api(citizen, 'GET', `/api/v1/payments/${id}`)).json();
  bank.pay({ MaThamChieu: p.reference }, outcome);
  await bank.idle();
  await portal.dispatcher.runOnce();
  await portal.dispatcher.runOnce();
  return { id, reference: p.reference as string };
}

async function dossier(code: string) {
  return (await api(citizen, 'GET', `/api/v1/dossiers/${encodeURIComponent(code)}`)).json();
}

beforeAll(async () => {
  portal = await testPortal();
  const address = await portal.app.listen({ port: 0, host: '127.0.0.1' });
  bank = await startBank({
    code: 'BANKSIM',
    secret: SECRET,
    bin: '970499',
    collectionAccount: '0011001234567',
    callbackUrl: `${address}/paygate/v1/callback/BANKSIM`,
    retryBaseMs: 50,
    maxTries: 3,
  });
  await upsertIntermediary(portal.database.db, {
    code: 'BANKSIM',
    name: 'Ngân hàng thử',
    kind: 'bank',
    baseUrl: bank.url,
    secret: SECRET,
    partnerCode: 'CONGDVC',
    qr: null,
  });
  citizen = await accountWithSession(portal, 'citizen', {
    displayName: 'Nguyễn Văn Minh',
    phone: '+84911000001',
  });
  officer = await accountWithSession(portal, 'officer', {
    displayName: 'Lê Một Cửa',
    agency: 'UBND-01',
    grants: [
      ['UBND-01', 'receiver'],
      ['UBND-01', 'processor'],
      ['UBND-01', 'cashier'],
    ],
  });
});
afterAll(async () => {
  await bank?.close();
  await portal?.close();
});

const onboardHanoi = () =>
  upsertPayee(portal.database.db, {
    agencyCode: 'UBND-01',
    name: 'Ủy ban nhân dân thành phố Hà Nội',
    budgetChapter: '418',
    treasuryAccount: '7111',
    treasuryName: 'Kho bạc Nhà nước khu vực I',
    receiptSeries: 'HN01',
    taxCode: null,
  });

describe('dossier fees', () => {
  let afterCode = '';
  let cashCode = '';

  it('without an onboarded payee a pay-before procedure is filed as before (one-stop v1)', async () => {
    const a = await fileCopy('sau-1');
    const b = await fileCopy('sau-2');
    expect(a).toMatchObject({ state: 'submitted', status: 1 });
    afterCode = a.code;
    cashCode = b.code;
    await onboardHanoi();
  });

  it('pay after: request → payment.requested with the link → checkout → bank → back to processing', async () => {
    for (const a of ['receive', 'forward', 'request-payment']) {
      const r = await act(afterCode, a);
      expect(r.statusCode, r.body).toBe(200);
    }
    const asked = await dossier(afterCode);
    expect(asked).toMatchObject({ state: 'payment-requested', status: 6 });
    const h = await sql<{ details: { payment: { lines: unknown[] } } }>`
      select details from dossiers.history where dossier_code = ${afterCode} and action = 'request-payment'`.execute(
      portal.database.db,
    );
    const payment = h.rows[0]!.details.payment;
    expect(payment).toMatchObject({ amount: 14_000, requestNo: 1 });
    expect(payment.lines).toEqual([
      expect.objectContaining({ kind: 'le-phi', code: '2.000815.le-phi.1', amount: 14_000 }),
    ]);
    // The message is queued with the status change, in its transaction: no outbox run needed.
    const sent = await sql<{ template: string; body: string; link: string }>`
      select template, body, link from notifications.inbox
       where account_id = ${citizen.id} and body like ${`%${afterCode}%`}`.execute(portal.database.db);
    const requested = sent.rows.find((m) => m.template === 'payment.requested');
    expect(requested?.body).toContain('14.000');
    expect(requested?.link).toMatch(new RegExp(`/ho-so/${afterCode.replace(/\./g, '\\.')}/nop-phi$`));
    // It replaces the generic status message for this action.
    await portal.dispatcher.runOnce();
    const generic = await sql<{ n: number }>`
      select count(*)::int as n from notifications.inbox
       where account_id = ${citizen.id} and template = 'dossier.status-changed'
         and body like ${`%${afterCode}%nghĩa vụ tài chính%`}`.execute(portal.database.db);
    expect(generic.rows[0]!.n).toBe(0);

    const page = await portal.app.inject({
      url: `/ho-so/${afterCode}`,
      headers: { cookie: cookie(citizen) },
    });
    expect(page.body).toContain('Nộp phí, lệ phí trực tuyến');

    const { reference } = await payOnline(afterCode);
    const paid = await dossier(afterCode);
    expect(paid).toMatchObject({ state: 'processing', status: 4 });
    expect(paid.history.at(-1)).toMatchObject({
      action: 'record-payment',
      actor: { kind: 'system' },
      content: `Đã nộp phí, lệ phí trực tuyến (mã thanh toán ${reference})`,
    });
    const after = await portal.app.inject({
      url: `/ho-so/${afterCode}`,
      headers: { cookie: cookie(citizen) },
    });
    expect(after.body).toContain(reference);
  });

  it('the effect delivered again changes nothing', async () => {
    const before = await dossier(afterCode);
    const p = await sql<{ id: string }>`
      select id from payments.payments where subject = ${afterCode} and status = 'succeeded'`.execute(
      portal.database.db,
    );
    await sql`insert into platform.outbox (topic, payload) values ('payments.effect.dossier-fee', ${JSON.stringify({ paymentId: p.rows[0]!.id })}::jsonb)`.execute(
      portal.database.db,
    );
    await portal.dispatcher.runOnce();
    const again = await dossier(afterCode);
    expect(again.revision).toBe(before.revision);
    expect(again.history).toHaveLength(before.history.length);
  });

  it('the cashier cannot take cash for a fee paid online', async () => {
    // Asked again (request 2), and paid online; the dossier is told late (the effect not yet run).
    expect(
      (await act(afterCode, 'request-payment', { payment: { amount: 14_000, items: 'Lệ phí' } })).statusCode,
    ).toBe(200);
    const b = new FormClient(portal.app);
    b.cookies.set('sid', citizen.token);
    const go = await b.get(`/ho-so/${encodeURIComponent(afterCode)}/nop-phi`);
    const id = (go.headers.location as string).split('/').pop()!;
    await b.get(go.headers.location as string);
    await b.post(`${go.headers.location}/chon`, { 'ngan-hang': 'BANKSIM' });
    const ref = (await api(citizen, 'GET', `/api/v1/payments/${id}`)).json().reference;
    bank.pay({ MaThamChieu: ref }, 'success');
    await bank.idle();
    const cash = await act(afterCode, 'record-payment');
    expect(cash.statusCode).toBe(409);
    expect(cash.json().detail ?? cash.json().title).toBeDefined();
    expect(cash.body).toContain('đã được nộp phí, lệ phí trực tuyến');
    await portal.dispatcher.runOnce();
    expect((await dossier(afterCode)).state).toBe('processing');
  });

  it('cash at the counter is recorded in the same ledger and the dossier moves on', async () => {
    for (const a of ['receive', 'forward', 'request-payment'])
      expect((await act(cashCode, a)).statusCode).toBe(200);
    const r = await act(cashCode, 'record-payment');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ state: 'processing' });
    const p = await sql<{ method: string; status: string; amount: string }>`
      select method, status, amount from payments.payments where subject = ${cashCode}`.execute(
      portal.database.db,
    );
    expect(p.rows).toEqual([expect.objectContaining({ method: 'cash', status: 'succeeded' })]);
    expect(Number(p.rows[0]!.amount)).toBe(14_000);
    const books = await balances(portal.database.db);
    const tills = [...books].filter(([account]) => account.startsWith('cash:'));
    expect(tills).toEqual([[expect.stringMatching(/^cash:/), 14_000]]);
  });

  it('pay before: the filing waits for its fee, unseen by the desk; paid, it is submitted with its clock from then', async () => {
    const d = await fileCopy('truoc-1');
    expect(d).toMatchObject({ state: 'awaiting-payment', status: 1 });
    const inbox = await api(officer, 'GET', '/api/v1/dossiers/inbox?tab=all');
    expect(inbox.json().items.map((i: { code: string }) => i.code)).not.toContain(d.code);
    const mine = await portal.app.inject({ url: '/ho-so/cua-toi', headers: { cookie: cookie(citizen) } });
    expect(mine.body).toContain(`/ho-so/${d.code}/nop-phi`);
    const rest = await api(
      citizen,
      'POST',
      '/api/v1/payments',
      { kind: 'dossier-fee', dossierCode: d.code },
      {
        'idempotency-key': 'phi-truoc-1',
      },
    );
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json()).toMatchObject({ amount: 14_000, subject: d.code });
    const stranger = await accountWithSession(portal, 'citizen', { displayName: 'Người Khác' });
    const not = await api(
      stranger,
      'POST',
      '/api/v1/payments',
      { kind: 'dossier-fee', dossierCode: d.code },
      {
        'idempotency-key': 'phi-la',
      },
    );
    expect(not.statusCode).toBe(404);

    const { reference } = await payOnline(d.code);
    const paid = await dossier(d.code);
    expect(paid).toMatchObject({ state: 'submitted', status: 1 });
    const p = await sql<{ succeeded_at: Date }>`
      select succeeded_at from payments.payments where reference = ${reference}`.execute(portal.database.db);
    expect(new Date(paid.submittedAt).getTime()).toBe(p.rows[0]!.succeeded_at.getTime());
    expect(new Date(paid.dueAt).getTime()).toBeGreaterThan(p.rows[0]!.succeeded_at.getTime());
    expect(paid.history.at(-1)).toMatchObject({ action: 'pay-fee', actor: { kind: 'system' } });
    const inboxAfter = await api(officer, 'GET', '/api/v1/dossiers/inbox?tab=new');
    expect(inboxAfter.json().items.map((i: { code: string }) => i.code)).toContain(d.code);
    const nothing = await api(
      citizen,
      'POST',
      '/api/v1/payments',
      { kind: 'dossier-fee', dossierCode: d.code },
      {
        'idempotency-key': 'phi-truoc-2',
      },
    );
    expect(nothing.statusCode).toBe(409);
  });
});
