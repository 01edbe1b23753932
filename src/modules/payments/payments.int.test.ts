/**
 * The payment platform end to end over real HTTP: an agency system's INIT (protocol 1.0.6), the hosted
 * checkout, sim/bank's payment page, its CONFIRM back to the portal, the ledger, receipts and QUERY —
 * and the bank misbehaving on purpose: CONFIRMs doubled, late, lost, out of order, forged, for another
 * amount or an unknown reference. Nothing is lost, taken or posted twice, or marked paid without money.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/helpers/browser.ts';
import {
  maXacThuc,
  type PaymentsWorld,
  partnerInit,
  paymentsWorld,
  postJson,
} from '../../../test/helpers/payments.ts';
import { buildVietQr } from './domain/vietqr.ts';
import { DEMO_PARTNER } from './index.ts';

let w: PaymentsWorld;
const db = () => w.portal.database.db;

beforeAll(async () => {
  w = await paymentsWorld();
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.bank.clearFaults();
});

let n = 0;
const ref = () => `HS${Date.now().toString(36).toUpperCase()}${++n}`;

/** INIT as DEMO-HN; answers the payment id. */
async function init(amount = 25_000, reference = ref()): Promise<{ id: string; ref: string }> {
  const r = await postJson(`${w.url}/paygate/v1/init`, partnerInit(reference, amount));
  expect(r.body.error_code, JSON.stringify(r.body)).toBe('0');
  const url = JSON.parse(r.body.message).UrlThanhToan as string;
  return { id: url.split('/').pop()!, ref: reference };
}

/** The payer chooses the bank on the checkout: answers the bank's transaction code. */
async function choose(id: string, bank = w.bankCode): Promise<string> {
  const c = new FormClient(w.portal.app);
  await c.get(`/thanh-toan/${id}`);
  const r = await c.post(`/thanh-toan/${id}/chon`, { 'ngan-hang': bank });
  expect(r.statusCode).toBe(303);
  const location = String(r.headers.location);
  expect(location.startsWith(w.bank.url)).toBe(true);
  return location.split('/').pop()!;
}

async function payment(id: string) {
  const r = await w.portal.app.inject({ method: 'GET', url: `/api/v1/payments/${id}` });
  expect(r.statusCode).toBe(200);
  return r.json() as {
    status: string;
    final: boolean;
    reference: string;
    receipts: Array<{ kind: string; number: string; series: string }>;
  };
}

async function sets(id: string) {
  const r = await sql<{ kind: string; n: string }>`
    select kind, count(*) as n from payments.posting_sets where payment_id = ${id} group by kind order by kind`.execute(
    db(),
  );
  return Object.fromEntries(r.rows.map((x) => [x.kind, Number(x.n)]));
}

const drain = async () => {
  await w.bank.idle();
  await w.portal.dispatcher.runOnce();
};

describe('protocol 1.0.6 INIT from an agency system', () => {
  it('refuses a bad MaXacThuc and an unknown partner, answers a payment URL to a good one, once per reference', async () => {
    const reference = ref();
    const bad = await postJson(`${w.url}/paygate/v1/init`, {
      ...partnerInit(reference, 4000),
      MaXacThuc: '00',
    });
    expect(bad.body.error_code).toBe('01');
    const other = await postJson(
      `${w.url}/paygate/v1/init`,
      partnerInit(reference, 4000, { secret: 'not-the-secret-of-demo-hn' }),
    );
    expect(other.body.error_code).toBe('01');
    const good = await postJson(`${w.url}/paygate/v1/init`, partnerInit(reference, 4000));
    expect(good.body.error_code).toBe('0');
    const again = await postJson(`${w.url}/paygate/v1/init`, partnerInit(reference, 4000));
    expect(JSON.parse(again.body.message).UrlThanhToan).toBe(JSON.parse(good.body.message).UrlThanhToan);
    const otherAmount = await postJson(`${w.url}/paygate/v1/init`, partnerInit(reference, 5000));
    expect(otherAmount.body.error_code).toBe('04');
    const count = await sql<{
      n: string;
    }>`select count(*) as n from payments.payments where partner_ref = ${reference}`.execute(db());
    expect(Number(count.rows[0]!.n)).toBe(1);
  });

  it('refuses fee lines that do not add up to the amount', async () => {
    const r = await postJson(
      `${w.url}/paygate/v1/init`,
      partnerInit(ref(), 9000, {
        receipt: {
          MaDichVu: '2',
          PhiLePhi: [{ LoaiPhiLePhi: 'Phi', MaPhiLePhi: 'P', TenPhiLePhi: 'Phí', SoTien: '1000' }],
        },
      }),
    );
    expect(r.body.error_code).toBe('03');
  });
});

describe('paying through the bank', () => {
  it('pays: CONFIRM applied once, balanced postings, phí and lệ phí on separate gapless receipts, QUERY says 00', async () => {
    const { id, ref: reference } = await init(25_000);
    const txn = await choose(id);
    expect((await payment(id)).status).toBe('pending');
    w.bank.pay({ MaGiaoDich: txn }, 'success');
    await drain();
    const p = await payment(id);
    expect(p.status).toBe('succeeded');
    expect(p.final).toBe(true);
    expect(await sets(id)).toEqual({ 'payment-succeeded': 1 });
    expect(p.receipts.map((r) => r.kind).sort()).toEqual(['le-phi', 'phi']);
    const postings = await sql<{ account: string; debit: string; credit: string }>`
      select account, debit, credit from payments.postings p join payments.posting_sets s on s.id = p.set_id
       where s.payment_id = ${id} order by p.id`.execute(db());
    expect(postings.rows.map((r) => [r.account, Number(r.debit), Number(r.credit)])).toEqual([
      [`receivable:${w.bankCode}`, 25_000, 0],
      ['fees:UBND-01', 0, 24_000],
      ['budget:UBND-01:418', 0, 1_000],
    ]);
    // QUERY as the partner asks it.
    const t = '20261207100000';
    const q = await postJson(`${w.url}/paygate/v1/query`, {
      LoaiBanTin: 'QUERY',
      PhienBan: '1.0.6',
      MaDoiTac: DEMO_PARTNER.code,
      MaThamChieu: reference,
      ThoiGianGD: t,
      MaXacThuc: maXacThuc(['QUERY', '1.0.6', DEMO_PARTNER.code, reference, t], DEMO_PARTNER.secret),
    });
    expect(q.body.TrangThaiGD).toBe('00');
    expect(q.body.MaXacThuc).toBe(
      maXacThuc(
        ['QUERY', DEMO_PARTNER.code, reference, '00', '25000', q.body.MaGiaoDich, q.body.ThoiGianGD],
        DEMO_PARTNER.secret,
      ),
    );
    // The next payment of the same agency takes the next numbers.
    const second = await init(7_000);
    w.bank.pay({ MaGiaoDich: await choose(second.id) }, 'success');
    await drain();
    const a = Object.fromEntries(p.receipts.map((r) => [r.kind, Number(r.number)]));
    const b = Object.fromEntries((await payment(second.id)).receipts.map((r) => [r.kind, Number(r.number)]));
    expect(b.phi).toBe(a.phi! + 1);
    expect(b['le-phi']).toBe(a['le-phi']! + 1);
  });

  it('cancelled and failed at the bank: no money, no postings, final', async () => {
    for (const outcome of ['cancel', 'fail'] as const) {
      const { id } = await init(5_000);
      w.bank.pay({ MaGiaoDich: await choose(id) }, outcome);
      await drain();
      const p = await payment(id);
      expect(p.status).toBe(outcome === 'cancel' ? 'cancelled' : 'failed');
      expect(await sets(id)).toEqual({});
    }
  });

  it('a CONFIRM sent twice is applied once', async () => {
    w.bank.setFaults(['duplicate'], 1);
    const { id } = await init(12_000);
    w.bank.pay({ MaGiaoDich: await choose(id) }, 'success');
    await drain();
    const p = await payment(id);
    expect(p.status).toBe('succeeded');
    expect(await sets(id)).toEqual({ 'payment-succeeded': 1 });
    // The bank did send it twice, and both were accepted.
    expect(
      w.bank.callbacks().filter((c) => JSON.stringify(c).includes((p as { reference: string }).reference))
        .length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('a lost CONFIRM: the re-query finds the money', async () => {
    w.bank.setFaults(['dropped'], 1);
    const { id } = await init(13_000);
    w.bank.pay({ MaGiaoDich: await choose(id) }, 'success');
    await drain();
    expect((await payment(id)).status).toBe('pending');
    // The result page asks the bank when the payer comes back.
    const back = await w.portal.app.inject({ method: 'GET', url: `/thanh-toan/${id}/ket-qua` });
    expect(back.statusCode).toBe(200);
    expect((await payment(id)).status).toBe('succeeded');
    expect(await sets(id)).toEqual({ 'payment-succeeded': 1 });
  });

  it('a forged CONFIRM is refused and logged; the payment waits for the truth', async () => {
    w.bank.setFaults(['forged'], 1);
    const { id } = await init(14_000);
    w.bank.pay({ MaGiaoDich: await choose(id) }, 'success');
    await drain();
    const { status, reference } = await payment(id);
    expect(status).toBe('pending');
    const logged = await sql<{ valid: boolean; outcome: string }>`
      select valid, outcome from payments.inbound where reference = ${reference}`.execute(db());
    expect(logged.rows).toContainEqual({ valid: false, outcome: '01' });
    expect(await sets(id)).toEqual({});
  });

  it('a CONFIRM for another amount is refused (03) and nothing is posted', async () => {
    w.bank.setFaults(['amount'], 1);
    const { id } = await init(15_000);
    w.bank.pay({ MaGiaoDich: await choose(id) }, 'success');
    await drain();
    const { status, reference } = await payment(id);
    expect(status).toBe('pending');
    const logged = await sql<{
      outcome: string;
    }>`select outcome from payments.inbound where reference = ${reference}`.execute(db());
    expect(logged.rows.map((r) => r.outcome)).toContain('03:amount-differs');
    expect(await sets(id)).toEqual({});
  });

  it('a CONFIRM for a reference the portal never made is answered 02 and logged', async () => {
    w.bank.setFaults(['unknown'], 1);
    const { id } = await init(16_000);
    w.bank.pay({ MaGiaoDich: await choose(id) }, 'success');
    await drain();
    expect((await payment(id)).status).toBe('succeeded');
    const unknown = await sql<{ n: string }>`
      select count(*) as n from payments.inbound where outcome = '02:unknown'`.execute(db());
    expect(Number(unknown.rows[0]!.n)).toBeGreaterThan(0);
  });

  it('CONFIRMs out of order and late ones all land', async () => {
    w.bank.setFaults(['out-of-order'], 1);
    const first = await init(17_000);
    const second = await init(18_000);
    w.bank.pay({ MaGiaoDich: await choose(first.id) }, 'success');
    w.bank.setFaults(['delayed'], 1);
    w.bank.pay({ MaGiaoDich: await choose(second.id) }, 'success');
    await new Promise((r) => setTimeout(r, 400));
    await drain();
    expect((await payment(first.id)).status).toBe('succeeded');
    expect((await payment(second.id)).status).toBe('succeeded');
  });

  it('twenty copies of one CONFIRM at once post one set', async () => {
    w.bank.setFaults(['dropped'], 1);
    const { id } = await init(19_000);
    const txn = await choose(id);
    w.bank.pay({ MaGiaoDich: txn }, 'success');
    await w.bank.idle();
    const i = await sql<{
      secret: string;
    }>`select secret from payments.intermediaries where code = ${w.bankCode}`.execute(db());
    const secret = i.rows[0]!.secret;
    const p = await payment(id);
    const fields = [
      'CONFIRM',
      '00',
      'CONGDVC',
      p.reference,
      '19000',
      'VND',
      txn,
      w.bankCode,
      '20261207100000',
      'THANH TOAN',
    ];
    const body = {
      LoaiBanTin: 'CONFIRM',
      MaLoi: '00',
      MaDoiTac: 'CONGDVC',
      MaThamChieu: p.reference,
      SoTien: '19000',
      MaTienTe: 'VND',
      MaGiaoDich: txn,
      MaNganHang: w.bankCode,
      ThoiGianGD: '20261207100000',
      ThongTinGiaoDich: 'THANH TOAN',
      MaXacThuc: maXacThuc(fields, secret),
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postJson(`${w.url}/paygate/v1/callback/${w.bankCode}`, body)),
    );
    expect(answers.every((a) => a.status === 200 && a.body.MaLoi === '00')).toBe(true);
    expect(await sets(id)).toEqual({ 'payment-succeeded': 1 });
    const receipts = await sql<{
      n: string;
    }>`select count(*) as n from payments.receipts where payment_id = ${id}`.execute(db());
    expect(Number(receipts.rows[0]!.n)).toBe(2);
  });
});

describe('the ledger in the database', () => {
  it('refuses an unbalanced set at commit and any change to a posting', async () => {
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          const s = await sql<{ id: string }>`
            insert into payments.posting_sets (kind, key) values ('correction', 'test:unbalanced') returning id`.execute(
            trx,
          );
          await sql`insert into payments.accounts (code, name, normal) values ('treasury', 'x', 'debit') on conflict do nothing`.execute(
            trx,
          );
          await sql`insert into payments.postings (set_id, account, debit, credit) values (${s.rows[0]!.id}, 'treasury', 10, 0)`.execute(
            trx,
          );
        }),
    ).rejects.toThrow(/does not balance/);
    await expect(sql`update payments.postings set debit = debit + 1`.execute(db())).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from payments.posting_sets`.execute(db())).rejects.toThrow(/append-only/);
  });
});

describe('VietQR bank transfers', () => {
  /** The VietQR text the checkout shows for the payment. */
  async function qrOf(id: string): Promise<string> {
    const page = await w.portal.app.inject({
      method: 'GET',
      url: `/thanh-toan/${id}/vietqr?ngan-hang=${w.bankCode}`,
    });
    expect(page.statusCode).toBe(200);
    const m = /<textarea[^>]*data-vietqr[^>]*>([^<]+)<\/textarea>/.exec(page.body);
    expect(m).not.toBeNull();
    return m![1]!.trim();
  }

  it('a transfer by the QR pays the bill it names, once', async () => {
    const { id } = await init(21_000);
    const payload = await qrOf(id);
    expect((await payment(id)).status).toBe('pending');
    w.bank.transfer(payload);
    await drain();
    const p = await payment(id);
    expect(p.status).toBe('succeeded');
    expect(await sets(id)).toEqual({ 'payment-succeeded': 1 });
    const t = await sql<{
      outcome: string;
    }>`select outcome from payments.transfers where payment_id = ${id}`.execute(db());
    expect(t.rows.map((r) => r.outcome)).toEqual(['matched']);
  });

  it('money that matches nothing, or another amount, waits in payer clearing; a second transfer for a paid bill too', async () => {
    const before = await clearing();
    // No reference in the content.
    const { id } = await init(22_000);
    const payload = await qrOf(id);
    const toAccount = { dynamic: false, to: 'account', bin: '970436', account: '0011000999888' } as const;
    w.bank.transfer(buildVietQr(toAccount), { amount: 22_000, content: 'chuyen tien hoc phi' });
    // The right reference, another amount (typed by hand into a transfer to the account's static QR).
    const { reference } = await payment(id);
    w.bank.transfer(buildVietQr({ ...toAccount, purpose: reference }), { amount: 20_000 });
    await drain();
    expect((await payment(id)).status).toBe('pending');
    // Paid, then paid again.
    w.bank.transfer(payload);
    await drain();
    expect((await payment(id)).status).toBe('succeeded');
    w.bank.transfer(payload);
    await drain();
    const outcomes = await sql<{ outcome: string; n: string }>`
      select outcome, count(*) as n from payments.transfers where account = '0011000999888'
        and received_at > now() - interval '1 minute' group by outcome`.execute(db());
    const by = Object.fromEntries(outcomes.rows.map((r) => [r.outcome, Number(r.n)]));
    expect(by.unmatched).toBeGreaterThanOrEqual(1);
    expect(by['amount-differs']).toBeGreaterThanOrEqual(1);
    expect(by['already-paid']).toBeGreaterThanOrEqual(1);
    expect((await clearing()) - before).toBe(22_000 + 20_000 + 22_000);
    // On the payment: its success, the other amount, and the second payment.
    expect(await sets(id)).toEqual({ 'payment-succeeded': 1, 'unmatched-transfer': 2 });
  });

  async function clearing(): Promise<number> {
    const r = await sql<{ b: string | null }>`
      select sum(credit) - sum(debit) as b from payments.postings where account = 'payer-clearing'`.execute(
      db(),
    );
    return Number(r.rows[0]!.b ?? 0);
  }
});

describe('late and concurrent', () => {
  it('money confirmed after the payment expired is kept (late), not refused', async () => {
    const { id } = await init(23_000);
    const txn = await choose(id);
    w.bank.setFaults(['dropped'], 1);
    w.bank.pay({ MaGiaoDich: txn }, 'success');
    await w.bank.idle();
    await sql`update payments.payments set status = 'expired' where id = ${id}`.execute(db());
    const back = await w.portal.app.inject({ method: 'GET', url: `/api/v1/payments/${id}` });
    expect(back.json().status).toBe('expired');
    // The daily sweep asks the bank about it.
    await sql`update payments.payments set status = 'pending' where id = ${id}`.execute(db());
    await sql`update payments.payments set status = 'expired' where id = ${id}`.execute(db());
    const i = await sql<{
      secret: string;
    }>`select secret from payments.intermediaries where code = ${w.bankCode}`.execute(db());
    const { reference } = await payment(id);
    const fields = [
      'CONFIRM',
      '00',
      'CONGDVC',
      reference,
      '23000',
      'VND',
      txn,
      w.bankCode,
      '20261207100000',
      'X',
    ];
    const r = await postJson(`${w.url}/paygate/v1/callback/${w.bankCode}`, {
      LoaiBanTin: 'CONFIRM',
      MaLoi: '00',
      MaDoiTac: 'CONGDVC',
      MaThamChieu: reference,
      SoTien: '23000',
      MaTienTe: 'VND',
      MaGiaoDich: txn,
      MaNganHang: w.bankCode,
      ThoiGianGD: '20261207100000',
      ThongTinGiaoDich: 'X',
      MaXacThuc: maXacThuc(fields, i.rows[0]!.secret),
    });
    expect(r.body.MaLoi).toBe('00');
    expect((await payment(id)).status).toBe('succeeded');
    const late = await sql<{ late: boolean }>`select late from payments.payments where id = ${id}`.execute(
      db(),
    );
    expect(late.rows[0]!.late).toBe(true);
  });

  it('twenty INITs of one reference at once make one payment', async () => {
    const reference = ref();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postJson(`${w.url}/paygate/v1/init`, partnerInit(reference, 3_000))),
    );
    const urls = new Set(
      answers.map((a) =>
        a.body.error_code === '0' ? JSON.parse(a.body.message).UrlThanhToan : a.body.error_code,
      ),
    );
    expect([...urls].every((u) => String(u).startsWith('http'))).toBe(true);
    expect(urls.size).toBe(1);
    const count = await sql<{
      n: string;
    }>`select count(*) as n from payments.payments where partner_ref = ${reference}`.execute(db());
    expect(Number(count.rows[0]!.n)).toBe(1);
  });
});

describe('CONFIRM to the agency system that made the payment (protocol 1.0.6)', () => {
  it('is sent when the payment succeeds, signed, and retried until the partner answers 00 with its checksum', async () => {
    const { createServer } = await import('node:http');
    const received: Array<Record<string, string>> = [];
    const attempts = new Map<string, number>();
    const partnerSystem = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        const m = JSON.parse(body) as Record<string, string>;
        received.push(m);
        // Each payment's first two CONFIRMs are answered 99 (earlier tests' payments may arrive too).
        const tries = (attempts.get(m.MaThamChieu!) ?? 0) + 1;
        attempts.set(m.MaThamChieu!, tries);
        const code = tries <= 2 ? '99' : '00';
        const answer = {
          MaLoi: code,
          MoTaLoi: '',
          MaDoiTac: m.MaDoiTac!,
          MaThamChieu: m.MaThamChieu!,
          ThoiGianGD: m.ThoiGianGD!,
        };
        res.setHeader('content-type', 'application/json');
        // The answer's checksum: MaLoi|MaDoiTac|MaThamChieu|ThoiGianGD|secret (the description is not in it).
        const fields = [answer.MaLoi, answer.MaDoiTac, answer.MaThamChieu, answer.ThoiGianGD];
        res.end(JSON.stringify({ ...answer, MaXacThuc: maXacThuc(fields, DEMO_PARTNER.secret) }));
      });
    });
    await new Promise<void>((r) => partnerSystem.listen(0, '127.0.0.1', () => r()));
    const address = partnerSystem.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await sql`update payments.partners set confirm_url = ${`http://127.0.0.1:${port}/confirm`} where code = ${DEMO_PARTNER.code}`.execute(
      db(),
    );
    try {
      const { id, ref: reference } = await init(31_000);
      w.bank.pay({ MaGiaoDich: await choose(id) }, 'success');
      await w.bank.idle();
      // The outbox delivers it; the partner answers 99 twice: the message comes back after its backoff.
      for (let i = 0; i < 40 && (attempts.get(reference) ?? 0) < 3; i++) {
        await w.portal.dispatcher.runOnce();
        await sql`update platform.outbox set available_at = now() where topic = 'payments.effect.partner-confirm' and delivered_at is null`.execute(
          db(),
        );
      }
      const mine = received.filter((m) => m.MaThamChieu === reference);
      expect(mine.length).toBe(3);
      const m = mine[0]!;
      expect(m.MaLoi).toBe('00');
      expect(m.SoTien).toBe('31000');
      expect(m.MaXacThuc).toBe(
        maXacThuc(
          [
            m.LoaiBanTin!,
            m.MaLoi!,
            m.MaDoiTac!,
            m.MaThamChieu!,
            m.SoTien!,
            m.MaTienTe!,
            m.MaGiaoDich!,
            m.MaNganHang!,
            m.ThoiGianGD!,
            m.ThongTinGiaoDich!,
          ],
          DEMO_PARTNER.secret,
        ),
      );
      // Acknowledged: nothing more is sent.
      await w.portal.dispatcher.runOnce();
      expect(received.filter((x) => x.MaThamChieu === reference).length).toBe(3);
    } finally {
      await sql`update payments.partners set confirm_url = null where code = ${DEMO_PARTNER.code}`.execute(
        db(),
      );
      partnerSystem.close();
    }
  });
});
