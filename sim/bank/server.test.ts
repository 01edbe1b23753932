import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc16 } from './protocol.ts';
import { type RunningBank, startBank } from './server.ts';

// The test's own checksum (not the bank's), so a broken bank cannot agree with itself.
const sha = (fields: (string | number)[], key: string) =>
  createHash('sha256')
    .update([...fields.map(String), key].join('|'))
    .digest('hex');
const SECRET = 'vcbsim-shared-secret-for-tests';
const ACCOUNT = '0011001234567';
const BIN = '970436';
const CONFIRM = [
  'LoaiBanTin',
  'MaLoi',
  'MaDoiTac',
  'MaThamChieu',
  'SoTien',
  'MaTienTe',
  'MaGiaoDich',
  'MaNganHang',
  'ThoiGianGD',
  'ThongTinGiaoDich',
];
const TRANSFER = ['LoaiBanTin', 'MaDoiTac', 'SoTaiKhoan', 'SoTien', 'NoiDung', 'MaGiaoDich', 'ThoiGianGD'];
const signOf = (m: Record<string, unknown>, fields: string[]) =>
  sha(
    fields.map((k) => String(m[k] ?? '')),
    SECRET,
  );

// ---------------------------------------------------------------------------- the portal, played here

type Body = Record<string, unknown>;
interface Received {
  path: string;
  body: Body;
  at: number;
  answered: string;
}

/** A small portal: checks the CONFIRM/TRANSFER checksum, knows the references it created, answers signed. */
async function startPortal() {
  const received: Received[] = [];
  /** Answers to give next, before the normal ones: a MaLoi, 'http500' or 'badsig'. */
  const script: string[] = [];
  const known = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
    const next = script.shift();
    const isTransfer = body.LoaiBanTin === 'TRANSFER';
    let maLoi: string;
    if (next && next !== 'badsig') maLoi = next;
    else if (body.MaXacThuc !== signOf(body, isTransfer ? TRANSFER : CONFIRM)) maLoi = '01';
    else if (!isTransfer && !known.has(String(body.MaThamChieu))) maLoi = '02';
    else if (!isTransfer && known.get(String(body.MaThamChieu)) !== body.SoTien) maLoi = '03';
    else maLoi = '00';
    received.push({ path: req.url ?? '', body, at: Date.now(), answered: next ?? maLoi });
    if (maLoi === 'http500') {
      res.writeHead(500).end('oops');
      return;
    }
    const a: Body = {
      MaLoi: maLoi,
      MoTaLoi: 'ok',
      MaDoiTac: 'CONGDVC',
      MaThamChieu: body.MaThamChieu ?? body.MaGiaoDich,
      ThoiGianGD: '20260310100000',
    };
    a.MaXacThuc =
      next === 'badsig'
        ? 'f'.repeat(64)
        : sha([a.MaLoi, a.MaDoiTac, a.MaThamChieu, a.ThoiGianGD] as string[], SECRET);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(a));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    script,
    known,
    confirms: () => received.filter((r) => r.path === '/paygate/v1/callback/VCBSIM'),
    transfers: () => received.filter((r) => r.path === '/paygate/v1/transfer/VCBSIM'),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

// ------------------------------------------------------------------------------------------- set-up

let portal: Awaited<ReturnType<typeof startPortal>>;
let bank: RunningBank;
let clock = new Date('2026-03-10T03:00:00Z'); // 10:00 in Vietnam
beforeAll(async () => {
  portal = await startPortal();
  bank = await startBank({
    code: 'VCBSIM',
    name: 'Ngân hàng VCB (mô phỏng)',
    secret: SECRET,
    bin: BIN,
    collectionAccount: ACCOUNT,
    callbackUrl: `${portal.url}/paygate/v1/callback/VCBSIM`,
    transferUrl: `${portal.url}/paygate/v1/transfer/VCBSIM`,
    delayMs: 300,
    retryBaseMs: 10,
    now: () => clock,
  });
});
afterAll(async () => {
  await bank.close();
  await portal.close();
});
beforeEach(() => {
  portal.received.length = 0;
  portal.script.length = 0;
  bank.clearFaults();
});
afterEach(async () => {
  await bank.idle();
});

let serial = 0;
const newRef = () => `DVC${String(++serial).padStart(10, '0')}`;
const TIME = '20260310100000';

function initMessage(ref: string, amount: number, extra: Body = {}): Body {
  const m: Body = {
    LoaiBanTin: 'INIT',
    PhienBan: '1.0.6',
    MaDoiTac: 'CONGDVC',
    MaThamChieu: ref,
    SoTien: amount,
    LoaiHinhThanhToan: 'PAY',
    MaKenhThanhToan: '1',
    MaThietBi: '1',
    NgonNgu: 'vi-VN',
    MaTienTe: 'VND',
    MaNganHang: 'VCBSIM',
    ThongTinGiaoDich: `THANH TOAN HO SO ${ref}`,
    ThoiGianGD: TIME,
    Ip: '127.0.0.1',
    UrlTraVe: 'http://portal.test/thanh-toan/ket-qua?x=1',
    ...extra,
  };
  if (!('MaXacThuc' in extra))
    m.MaXacThuc = sha(
      [
        'LoaiBanTin',
        'PhienBan',
        'MaDoiTac',
        'MaThamChieu',
        'SoTien',
        'LoaiHinhThanhToan',
        'MaKenhThanhToan',
        'MaThietBi',
        'NgonNgu',
        'MaTienTe',
        'MaNganHang',
        'ThongTinGiaoDich',
        'ThoiGianGD',
        'Ip',
      ].map((k) => String(m[k])),
      SECRET,
    );
  return m;
}

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${bank.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function init(ref: string, amount: number, extra: Body = {}) {
  const r = await post('/paygate/v1/init', initMessage(ref, amount, extra));
  expect(r.status).toBe(200);
  return (await r.json()) as { error_code: string; message: string };
}

/** A payment created (and known to the portal); its MaGiaoDich and page. */
async function created(amount = 180000) {
  const ref = newRef();
  portal.known.set(ref, amount);
  const a = await init(ref, amount);
  expect(a.error_code).toBe('0');
  const m = JSON.parse(a.message) as { UrlThanhToan: string; MaGiaoDich: string };
  return { ref, amount, ...m };
}

function query(ref: string, extra: Body = {}) {
  const m: Body = {
    LoaiBanTin: 'QUERY',
    PhienBan: '1.0.6',
    MaDoiTac: 'CONGDVC',
    MaThamChieu: ref,
    ThoiGianGD: TIME,
  };
  m.MaXacThuc = sha([m.LoaiBanTin, m.PhienBan, m.MaDoiTac, m.MaThamChieu, m.ThoiGianGD] as string[], SECRET);
  return post('/paygate/v1/query', { ...m, ...extra }).then((r) => r.json() as Promise<Body>);
}

function refund(ref: string, id: string, refundId: string, amount: number, extra: Body = {}) {
  const m: Body = {
    LoaiBanTin: 'REFUND',
    PhienBan: '1.0.6',
    MaDoiTac: 'CONGDVC',
    MaThamChieu: ref,
    MaGiaoDich: id,
    MaHoanTien: refundId,
    SoTienHoan: amount,
    ThoiGianGD: TIME,
  };
  m.MaXacThuc = sha(
    [
      'LoaiBanTin',
      'PhienBan',
      'MaDoiTac',
      'MaThamChieu',
      'MaGiaoDich',
      'MaHoanTien',
      'SoTienHoan',
      'ThoiGianGD',
    ].map((k) => String(m[k])),
    SECRET,
  );
  return post('/paygate/v1/refund', { ...m, ...extra }).then((r) => r.json() as Promise<Body>);
}

function settlement(day: string, extra: Body = {}) {
  const m: Body = { LoaiBanTin: 'SETTLEMENT', MaDoiTac: 'CONGDVC', NgayDoiSoat: day, ThoiGianGD: TIME };
  m.MaXacThuc = sha([m.LoaiBanTin, m.MaDoiTac, m.NgayDoiSoat, m.ThoiGianGD] as string[], SECRET);
  return post('/paygate/v1/settlement', { ...m, ...extra });
}

async function settlementRows(day: string) {
  const r = await settlement(day);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const lines = (await r.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe('MaGiaoDich,MaThamChieu,Loai,SoTien,TrangThai,ThoiGianGD');
  return lines.slice(1).map((l) => l.split(','));
}

const clickPage = (id: string, outcome: string) =>
  fetch(`${bank.url}/thanh-toan/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `outcome=${outcome}`,
    redirect: 'manual',
  });

const admin = { authorization: `Bearer ${SECRET}` };

/** The test's own VietQR, the shape of payments.md's dynamic vector. */
function qr(opts: { bin?: string; account?: string; amount?: number; purpose?: string }): string {
  const t = (tag: string, v: string) => `${tag}${String(v.length).padStart(2, '0')}${v}`;
  const bene = t('00', opts.bin ?? BIN) + t('01', opts.account ?? ACCOUNT);
  let s =
    t('00', '01') +
    t('01', opts.amount !== undefined ? '12' : '11') +
    t('38', t('00', 'A000000727') + t('01', bene) + t('02', 'QRIBFTTA')) +
    t('53', '704');
  if (opts.amount !== undefined) s += t('54', String(opts.amount));
  s += t('58', 'VN');
  if (opts.purpose) s += t('62', t('08', opts.purpose));
  s += '6304';
  return s + crc16(s);
}

// --------------------------------------------------------------------------------------------- INIT

describe('INIT', () => {
  it('takes a well-signed INIT and answers its own payment page', async () => {
    const p = await created();
    expect(p.UrlThanhToan).toBe(`${bank.url}/thanh-toan/${p.MaGiaoDich}`);
    expect(p.MaGiaoDich).toMatch(/^VCBSIM\d{6}[0-9A-Z]{8}$/);
    const tx = bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich);
    expect(tx).toMatchObject({ Loai: 'PAY', MaThamChieu: p.ref, SoTien: 180000, status: 'pending' });
  });

  it('refuses a bad checksum, a wrong field, another partner or bank', async () => {
    const ref = newRef();
    expect((await init(ref, 180000, { MaXacThuc: 'a'.repeat(64) })).error_code).toBe('01');
    // Tampered after signing: the amount is in the checksum.
    const m = initMessage(ref, 180000);
    const tampered = await (await post('/paygate/v1/init', { ...m, SoTien: 1000 })).json();
    expect(tampered.error_code).toBe('01');
    expect((await init(ref, 180000, { MaNganHang: 'OTHER' })).error_code).toBe('02');
    expect((await init(ref, 180000, { MaDoiTac: 'DEMO-HN' })).error_code).toBe('02');
    expect((await init(ref, 0)).error_code).toBe('02');
    expect((await init(ref, 1.5)).error_code).toBe('02');
    expect((await init(ref, 1000, { ThoiGianGD: '20261340100000' })).error_code).toBe('02');
    expect(bank.transactions().some((t) => t.MaThamChieu === ref)).toBe(false);
    const notJson = await fetch(`${bank.url}/paygate/v1/init`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('answers the same again for the same reference and amount, refuses another amount', async () => {
    const ref = newRef();
    const a = await init(ref, 50000);
    const b = await init(ref, 50000);
    expect(b).toEqual(a);
    const c = await init(ref, 60000);
    expect(c.error_code).toBe('03');
    expect(c.message).toMatch(/số tiền khác/);
    expect(bank.transactions().filter((t) => t.MaThamChieu === ref)).toHaveLength(1);
  });
});

// -------------------------------------------------------------------------------- the payment page

describe('the payment page', () => {
  it('shows the merchant, the amount in đồng, the description and three buttons, without script', async () => {
    const p = await created();
    const r = await fetch(p.UrlThanhToan);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Cổng Dịch vụ công');
    expect(html).toContain('180.000 đ');
    expect(html).toContain(`THANH TOAN HO SO ${p.ref}`);
    expect(html).toContain('name="viewport"');
    expect(html).not.toContain('<script');
    expect(html).toMatch(/value="success"[^>]*>Thanh toán \/ Pay</);
    expect(html).toMatch(/value="cancel"[^>]*>Hủy \/ Cancel</);
    expect(html).toMatch(/value="fail"[^>]*>Báo lỗi thanh toán \/ Fail \(insufficient funds\)</);
    expect((await fetch(`${bank.url}/thanh-toan/NOSUCH1`)).status).toBe(404);
  });

  for (const [outcome, maLoi, status] of [
    ['success', '00', 'succeeded'],
    ['cancel', '24', 'cancelled'],
    ['fail', '51', 'failed'],
  ] as const)
    it(`${outcome}: records it, sends a signed CONFIRM with MaLoi ${maLoi} and sends the browser back`, async () => {
      const p = await created();
      const r = await clickPage(p.MaGiaoDich, outcome);
      expect(r.status).toBe(303);
      const back = new URL(r.headers.get('location') ?? '');
      expect(back.origin + back.pathname).toBe('http://portal.test/thanh-toan/ket-qua');
      expect(back.searchParams.get('ref')).toBe(p.ref);
      expect(back.searchParams.get('x')).toBe('1');
      await bank.idle();
      const got = portal.confirms();
      expect(got).toHaveLength(1);
      const c = got[0]!.body;
      expect(c).toMatchObject({
        LoaiBanTin: 'CONFIRM',
        MaLoi: maLoi,
        MaDoiTac: 'CONGDVC',
        MaThamChieu: p.ref,
        SoTien: 180000,
        MaTienTe: 'VND',
        MaGiaoDich: p.MaGiaoDich,
        MaNganHang: 'VCBSIM',
        ThoiGianGD: '20260310100000',
        ThongTinGiaoDich: `THANH TOAN HO SO ${p.ref}`,
      });
      expect(c.MaXacThuc).toBe(signOf(c, CONFIRM));
      expect(got[0]!.answered).toBe('00');
      expect(bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich)?.status).toBe(status);
      // Clicking again changes nothing and sends nothing.
      expect((await clickPage(p.MaGiaoDich, 'success')).status).toBe(303);
      await bank.idle();
      expect(portal.confirms()).toHaveLength(1);
      const page = await (await fetch(p.UrlThanhToan)).text();
      expect(page).not.toContain('value="success"');
    });
});

// ------------------------------------------------------------------------------------------ retries

describe('CONFIRM retries', () => {
  it('tries again until the portal acknowledges, with growing waits, and logs each answer', async () => {
    const p = await created();
    portal.script.push('99', 'http500', 'badsig', '99');
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got.map((g) => g.answered)).toEqual(['99', 'http500', 'badsig', '99', '00']);
    const gaps = got.slice(1).map((g, i) => g.at - got[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[3]).toBeGreaterThanOrEqual(75); // 10, 20, 40, 80 ms
    const attempts = bank.callbacks().filter((a) => a.MaGiaoDich === p.MaGiaoDich);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts.map((a) => a.acknowledged)).toEqual([false, false, false, false, true]);
    expect(attempts[2]!.answerVerified).toBe(false);
    expect(attempts[4]!.answerVerified).toBe(true);
    expect(attempts[1]!.httpStatus).toBe(500);
  });

  it('stops on "01", "02" or "03" and gives up after ten tries', async () => {
    for (const code of ['01', '02', '03']) {
      portal.received.length = 0;
      const p = await created();
      portal.script.push(code);
      bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
      await bank.idle();
      expect(portal.confirms()).toHaveLength(1);
    }
    portal.received.length = 0;
    const p = await created();
    portal.script.push(...Array(12).fill('99'));
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    expect(portal.confirms()).toHaveLength(10);
  }, 20_000);

  it('lists the attempts at /_sim/callbacks and the transactions at /_sim/transactions, with the key', async () => {
    const p = await created();
    const r = await post('/_sim/pay', { MaThamChieu: p.ref, outcome: 'fail' }, admin);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'failed', MaLoi: '51' });
    expect((await post('/_sim/pay', { MaThamChieu: p.ref, outcome: 'success' }, admin)).status).toBe(409);
    expect(
      (await post('/_sim/pay', { MaThamChieu: 'DVCNOSUCH00000', outcome: 'success' }, admin)).status,
    ).toBe(404);
    expect((await post('/_sim/pay', { MaThamChieu: p.ref, outcome: 'fail' })).status).toBe(401);
    await bank.idle();
    const cb = (await (await fetch(`${bank.url}/_sim/callbacks`, { headers: admin })).json()) as {
      items: { MaGiaoDich: string; answer: Body }[];
    };
    expect(cb.items.find((i) => i.MaGiaoDich === p.MaGiaoDich)?.answer).toMatchObject({ MaLoi: '00' });
    const tx = (await (await fetch(`${bank.url}/_sim/transactions`, { headers: admin })).json()) as {
      items: { MaGiaoDich: string }[];
    };
    expect(tx.items.some((t) => t.MaGiaoDich === p.MaGiaoDich)).toBe(true);
    expect((await fetch(`${bank.url}/_sim/transactions`)).status).toBe(401);
  });
});

// -------------------------------------------------------------------------------------- fault modes

describe('fault modes', () => {
  const setFaults = (body: unknown) => post('/_sim/faults', body, admin);

  it('are set over HTTP with the key, for a count of payments, and cleared', async () => {
    expect(await setFaults({ modes: ['dropped'] }).then((r) => r.status)).toBe(200);
    expect((await post('/_sim/faults', { modes: ['dropped'] })).status).toBe(401);
    expect((await setFaults({ modes: ['nonsense'] })).status).toBe(400);
    expect((await setFaults({ modes: ['dropped'], count: 0 })).status).toBe(400);
    const del = await fetch(`${bank.url}/_sim/faults`, { method: 'DELETE', headers: admin });
    expect(await del.json()).toEqual({ faults: null });
    expect(await (await setFaults({ modes: ['dropped'], count: 1 })).json()).toEqual({
      faults: { modes: ['dropped'], remaining: 1 },
    });
    const a = await created();
    const b = await created();
    bank.pay({ MaGiaoDich: a.MaGiaoDich }, 'success');
    bank.pay({ MaGiaoDich: b.MaGiaoDich }, 'success');
    await bank.idle();
    expect(portal.confirms().map((c) => c.body.MaThamChieu)).toEqual([b.ref]);
    expect(bank.faults()).toBeNull();
  });

  it('duplicate: the CONFIRM twice', async () => {
    bank.setFaults(['duplicate']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(2);
    expect(got[1]!.body).toEqual(got[0]!.body);
    expect(got.every((g) => g.answered === '00')).toBe(true);
  });

  it('delayed: the CONFIRM after the delay', async () => {
    bank.setFaults(['delayed']);
    const p = await created();
    const started = Date.now();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await new Promise((r) => setTimeout(r, 100));
    expect(portal.confirms()).toHaveLength(0);
    await bank.idle();
    expect(portal.confirms()).toHaveLength(1);
    expect(portal.confirms()[0]!.at - started).toBeGreaterThanOrEqual(290);
  });

  it('dropped: no CONFIRM, but QUERY and settlement tell the truth', async () => {
    bank.setFaults(['dropped']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    expect(portal.confirms()).toHaveLength(0);
    expect(await query(p.ref)).toMatchObject({ TrangThaiGD: '00', SoTien: 180000, MaGiaoDich: p.MaGiaoDich });
    const rows = await settlementRows('20260310');
    expect(rows.find((r) => r[0] === p.MaGiaoDich)).toEqual([
      p.MaGiaoDich,
      p.ref,
      'PAY',
      '180000',
      'THANHCONG',
      '20260310100000',
    ]);
  });

  it('out-of-order: a CONFIRM held until the next payment’s has been sent', async () => {
    bank.setFaults(['out-of-order'], 1);
    const a = await created();
    const b = await created();
    bank.pay({ MaGiaoDich: a.MaGiaoDich }, 'success');
    await bank.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(portal.confirms()).toHaveLength(0);
    bank.pay({ MaGiaoDich: b.MaGiaoDich }, 'cancel');
    await bank.idle();
    expect(portal.confirms().map((c) => [c.body.MaThamChieu, c.body.MaLoi])).toEqual([
      [b.ref, '24'],
      [a.ref, '00'],
    ]);
  });

  it('forged: a CONFIRM with a wrong MaXacThuc and no genuine one; QUERY finds it', async () => {
    bank.setFaults(['forged']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(1);
    expect(got[0]!.body.MaXacThuc).not.toBe(signOf(got[0]!.body, CONFIRM));
    expect(got[0]!.answered).toBe('01');
    expect(await query(p.ref)).toMatchObject({ TrangThaiGD: '00' });
  });

  it('amount: a well-signed CONFIRM for 1000 đồng more and no genuine one', async () => {
    bank.setFaults(['amount']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(1);
    expect(got[0]!.body.SoTien).toBe(181000);
    expect(got[0]!.body.MaXacThuc).toBe(signOf(got[0]!.body, CONFIRM));
    expect(got[0]!.answered).toBe('03');
  });

  it('unknown: also a well-signed CONFIRM for a reference never created', async () => {
    bank.setFaults(['unknown']);
    const p = await created();
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    await bank.idle();
    const got = portal.confirms();
    expect(got).toHaveLength(2);
    expect(got[0]!.body.MaThamChieu).toBe(p.ref);
    expect(got[0]!.answered).toBe('00');
    const other = got[1]!.body;
    expect(other.MaThamChieu).toMatch(/^DVC[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(other.MaThamChieu).not.toBe(p.ref);
    expect(other.MaGiaoDich).not.toBe(p.MaGiaoDich);
    expect(other.MaXacThuc).toBe(signOf(other, CONFIRM));
    expect(got[1]!.answered).toBe('02');
  });

  it('settlement-missing and settlement-amount: the file is wrong about the payment', async () => {
    clock = new Date('2026-03-11T03:00:00Z');
    try {
      const ok = await created();
      bank.pay({ MaGiaoDich: ok.MaGiaoDich }, 'success');
      bank.setFaults(['settlement-missing'], 1);
      const missing = await created();
      bank.pay({ MaGiaoDich: missing.MaGiaoDich }, 'success');
      bank.setFaults(['settlement-amount'], 1);
      const wrong = await created();
      bank.pay({ MaGiaoDich: wrong.MaGiaoDich }, 'success');
      await bank.idle();
      expect(portal.confirms()).toHaveLength(3); // the CONFIRMs are right
      const rows = await settlementRows('20260311');
      expect(rows.map((r) => [r[1], r[3]])).toEqual([
        [ok.ref, '180000'],
        [wrong.ref, '181000'],
      ]);
    } finally {
      clock = new Date('2026-03-10T03:00:00Z');
    }
  });

  it('start with faults from the options (BANK_FAULTS)', async () => {
    const other = await startBank({
      code: 'VCBSIM',
      secret: SECRET,
      bin: BIN,
      collectionAccount: ACCOUNT,
      callbackUrl: `${portal.url}/paygate/v1/callback/VCBSIM`,
      faults: ['dropped'],
      retryBaseMs: 10,
    });
    try {
      const ref = newRef();
      const r = await fetch(`${other.url}/paygate/v1/init`, {
        method: 'POST',
        body: JSON.stringify(initMessage(ref, 1000)),
      });
      expect((await r.json()).error_code).toBe('0');
      other.pay({ MaThamChieu: ref }, 'success');
      await other.idle();
      expect(portal.confirms()).toHaveLength(0);
      expect(other.faults()).toEqual({ modes: ['dropped'], remaining: null });
    } finally {
      await other.close();
    }
  });
});

// -------------------------------------------------------------------------------------------- QUERY

describe('QUERY', () => {
  it('answers each state, signed', async () => {
    const states: [string, string][] = [];
    const none = await query('DVCNOTHERE0000');
    expect(none).toMatchObject({ error_code: '0', TrangThaiGD: '04', SoTien: 0, MaGiaoDich: '' });
    states.push(['none', none.TrangThaiGD as string]);
    const p = await created();
    const pendingAnswer = await query(p.ref);
    expect(pendingAnswer).toMatchObject({
      LoaiBanTin: 'QUERY',
      MaDoiTac: 'CONGDVC',
      MaThamChieu: p.ref,
      TrangThaiGD: '01',
      SoTien: 180000,
      MaGiaoDich: p.MaGiaoDich,
    });
    const fields = [
      'LoaiBanTin',
      'MaDoiTac',
      'MaThamChieu',
      'TrangThaiGD',
      'SoTien',
      'MaGiaoDich',
      'ThoiGianGD',
    ];
    expect(pendingAnswer.MaXacThuc).toBe(signOf(pendingAnswer, fields));
    for (const [outcome, state] of [
      ['success', '00'],
      ['fail', '02'],
      ['cancel', '03'],
    ] as const) {
      const q = await created();
      bank.pay({ MaGiaoDich: q.MaGiaoDich }, outcome);
      const a = await query(q.ref);
      expect(a.TrangThaiGD).toBe(state);
      expect(a.MaXacThuc).toBe(signOf(a, fields));
    }
  });

  it('refuses a bad checksum', async () => {
    const a = await query(newRef(), { MaXacThuc: 'b'.repeat(64) });
    expect(a.error_code).toBe('01');
    expect(a.TrangThaiGD).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------- REFUND

describe('REFUND', () => {
  it('refunds in parts up to the amount, idempotent by MaHoanTien', async () => {
    const p = await created(100000);
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-1', 30000)).toMatchObject({ MaLoi: '00' });
    // The same again: the same answer, nothing more refunded.
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-1', 30000)).toMatchObject({ MaLoi: '00' });
    // The same id for something else.
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-1', 40000)).toMatchObject({ MaLoi: '05' });
    // More than what is left (70 000).
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-2', 70001)).toMatchObject({ MaLoi: '03' });
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-2', 70000)).toMatchObject({ MaLoi: '00' });
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-3', 1)).toMatchObject({ MaLoi: '03' });
    const tx = bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich)!;
    expect(tx.refunds.map((r) => r.SoTienHoan)).toEqual([30000, 70000]);
  });

  it('refuses a bad checksum, an unknown payment, one that did not succeed', async () => {
    const p = await created();
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-X1', 1000)).toMatchObject({ MaLoi: '04' });
    bank.pay({ MaGiaoDich: p.MaGiaoDich }, 'success');
    expect(await refund(p.ref, p.MaGiaoDich, 'HT-X2', 1000, { MaXacThuc: 'c'.repeat(64) })).toMatchObject({
      MaLoi: '01',
    });
    expect(await refund('DVCOTHER000000', p.MaGiaoDich, 'HT-X3', 1000)).toMatchObject({ MaLoi: '02' });
    expect(await refund(p.ref, 'VCBSIM000000NOSUCH00', 'HT-X4', 1000)).toMatchObject({ MaLoi: '02' });
    expect(bank.transactions().find((t) => t.MaGiaoDich === p.MaGiaoDich)!.refunds).toHaveLength(0);
  });
});

// --------------------------------------------------------------------------------------- SETTLEMENT

describe('SETTLEMENT', () => {
  it('lists the Vietnam day’s PAY (success and failure), TRANSFER and REFUND rows', async () => {
    // 23:30 on 14 March in Vietnam (16:30 UTC) and 00:30 on 15 March (17:30 UTC).
    clock = new Date('2026-03-14T16:30:00Z');
    try {
      const paid = await created(200000);
      bank.pay({ MaGiaoDich: paid.MaGiaoDich }, 'success');
      const failed = await created(50000);
      bank.pay({ MaGiaoDich: failed.MaGiaoDich }, 'fail');
      const waiting = await created(70000);
      const t = await post('/api/transfers', { payload: qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' }) });
      const transfer = (await t.json()) as { MaGiaoDich: string };
      clock = new Date('2026-03-14T17:30:00Z');
      expect(await refund(paid.ref, paid.MaGiaoDich, 'HT-S1', 20000)).toMatchObject({ MaLoi: '00' });
      await bank.idle();
      const day14 = await settlementRows('20260314');
      expect(day14).toEqual([
        [paid.MaGiaoDich, paid.ref, 'PAY', '200000', 'THANHCONG', '20260314233000'],
        [failed.MaGiaoDich, failed.ref, 'PAY', '50000', 'THATBAI', '20260314233000'],
        [transfer.MaGiaoDich, 'DVC7K3M9Q2X4P', 'TRANSFER', '180000', 'THANHCONG', '20260314233000'],
      ]);
      expect(day14.some((r) => r[1] === waiting.ref)).toBe(false);
      expect(await settlementRows('20260315')).toEqual([
        ['HT-S1', paid.ref, 'REFUND', '20000', 'THANHCONG', '20260315003000'],
      ]);
      expect(await settlementRows('20260313')).toEqual([]);
    } finally {
      clock = new Date('2026-03-10T03:00:00Z');
    }
  });

  it('refuses a bad checksum or day', async () => {
    expect((await settlement('20260314', { MaXacThuc: 'd'.repeat(64) })).status).toBe(400);
    expect((await settlement('2026-03-14')).status).toBe(400);
  });
});

// ------------------------------------------------------------------------------------------- VietQR

describe('VietQR transfers', () => {
  it('credits a dynamic QR to the collection account and notifies the portal, signed', async () => {
    const payload = qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' });
    const r = await post('/api/transfers', { payload });
    expect(r.status).toBe(200);
    const a = (await r.json()) as Body;
    expect(a).toMatchObject({ SoTien: 180000, NoiDung: 'DVC7K3M9Q2X4P' });
    await bank.idle();
    const got = portal.transfers();
    expect(got).toHaveLength(1);
    const m = got[0]!.body;
    expect(m).toMatchObject({
      LoaiBanTin: 'TRANSFER',
      MaDoiTac: 'CONGDVC',
      SoTaiKhoan: ACCOUNT,
      SoTien: 180000,
      NoiDung: 'DVC7K3M9Q2X4P',
      MaGiaoDich: a.MaGiaoDich,
      ThoiGianGD: '20260310100000',
    });
    expect(m.MaXacThuc).toBe(signOf(m, TRANSFER));
    expect(got[0]!.answered).toBe('00');
  });

  it('refuses a bad CRC, another bank or account, a static QR without amount — naming the problem', async () => {
    const good = qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' });
    const flip = good.endsWith('0000') ? `${good.slice(0, -4)}0001` : `${good.slice(0, -4)}0000`;
    const cases: [string, RegExp][] = [
      [flip, /CRC/],
      [qr({ bin: '970403', amount: 1000 }), /BIN 970403/],
      [qr({ account: '999999', amount: 1000 }), /account 999999/],
      [qr({}), /static QR needs the amount/],
      [
        '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E',
        /BIN 970403/,
      ],
    ];
    for (const [payload, problem] of cases) {
      const r = await post('/api/transfers', { payload });
      expect(r.status).toBe(400);
      expect(((await r.json()) as Body).message).toMatch(problem);
    }
    expect((await post('/api/transfers', {})).status).toBe(400);
    await bank.idle();
    expect(portal.transfers()).toHaveLength(0);
  });

  it('takes the amount (and content) for a static QR', async () => {
    const r = await post('/api/transfers', {
      payload: qr({}),
      amount: 25000,
      content: 'DVC7K3M9Q2X4PA nop phi',
    });
    expect(await r.json()).toMatchObject({ SoTien: 25000, NoiDung: 'DVC7K3M9Q2X4PA nop phi' });
    const dyn = await post('/api/transfers', { payload: qr({ amount: 1000, purpose: 'x' }), amount: 2000 });
    expect(dyn.status).toBe(400);
    await bank.idle();
    expect(portal.transfers().map((t) => t.body.SoTien)).toEqual([25000]);
  });

  it('the transfer page: paste, confirm, done; an amount field only for a static QR', async () => {
    const page = await (await fetch(`${bank.url}/chuyen-khoan`)).text();
    expect(page).toContain('<textarea');
    const form = (body: Record<string, string>) =>
      fetch(`${bank.url}/chuyen-khoan`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const payload = qr({ amount: 180000, purpose: 'DVC7K3M9Q2X4P' });
    const confirm = await (await form({ payload })).text();
    expect(confirm).toContain('180.000 đ');
    expect(confirm).not.toContain('name="amount"');
    expect(portal.transfers()).toHaveLength(0);
    const staticConfirm = await (await form({ payload: qr({}) })).text();
    expect(staticConfirm).toContain('name="amount"');
    const bad = await form({ payload: `${payload.slice(0, -1)}X` });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('CRC');
    const done = await (await form({ payload, confirm: '1' })).text();
    expect(done).toContain('Chuyển khoản thành công');
    await bank.idle();
    expect(portal.transfers()).toHaveLength(1);
  });

  it('fault modes apply to transfers too (dropped)', async () => {
    bank.setFaults(['dropped'], 1);
    const r = await post('/api/transfers', { payload: qr({ amount: 5000, purpose: 'DVC7K3M9Q2X4PB' }) });
    expect(r.status).toBe(200);
    await bank.idle();
    expect(portal.transfers()).toHaveLength(0);
  });
});

// ------------------------------------------------------------------------------------------ process

describe('main.ts', () => {
  it('starts from the environment on port 0 and prints its address', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'sim/bank/main.ts', '--port', '0', '--quiet', '--exit-with-stdin'],
      {
        env: {
          ...process.env,
          BANK_CODE: 'VCBSIM',
          BANK_SECRET: SECRET,
          BANK_COLLECTION_ACCOUNT: ACCOUNT,
          BANK_FAULTS: 'duplicate,delayed',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr.on('data', (d: Buffer) => reject(new Error(d.toString())));
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', code: 'VCBSIM' });
      const f = await fetch(`${url}/_sim/faults`, { headers: admin });
      expect(await f.json()).toEqual({ faults: { modes: ['duplicate', 'delayed'], remaining: null } });
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.stdin.end();
      await exited;
    }
  }, 20_000);
});
