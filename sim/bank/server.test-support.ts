/**
 * What the bank simulator's tests share: a small portal played here, the bank started against it, and the
 * messages a portal sends, signed with the test's own checksum. A test file calls `useBank()` once at its
 * top; `bank` and `portal` are then live for its tests.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { crc16 } from './protocol.ts';
import { type RunningBank, startBank } from './server.ts';

// The test's own checksum (not the bank's), so a broken bank cannot agree with itself.
const sha = (fields: (string | number)[], key: string) =>
  createHash('sha256')
    .update([...fields.map(String), key].join('|'))
    .digest('hex');
export const SECRET = 'vcbsim-shared-secret-for-tests';
export const ACCOUNT = '0011001234567';
export const BIN = '970436';
export const CONFIRM = [
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
export const TRANSFER = [
  'LoaiBanTin',
  'MaDoiTac',
  'SoTaiKhoan',
  'SoTien',
  'NoiDung',
  'MaGiaoDich',
  'ThoiGianGD',
];
export const signOf = (m: Record<string, unknown>, fields: string[]) =>
  sha(
    fields.map((k) => String(m[k] ?? '')),
    SECRET,
  );

// ---------------------------------------------------------------------------- the portal, played here

export type Body = Record<string, unknown>;
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

const START = new Date('2026-03-10T03:00:00Z'); // 10:00 in Vietnam
let clock = START;
/** The bank's clock from now on; with no argument, back to the start (10:00 on 10 March 2026, Vietnam). */
export function setClock(at: Date = START): void {
  clock = at;
}

export let portal: Awaited<ReturnType<typeof startPortal>>;
export let bank: RunningBank;

/** Starts the portal and the bank for the calling test file, and leaves each test with a clean slate. */
export function useBank(): void {
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
}

let serial = 0;
export const newRef = () => `DVC${String(++serial).padStart(10, '0')}`;
const TIME = '20260310100000';

export function initMessage(ref: string, amount: number, extra: Body = {}): Body {
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

export const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${bank.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

export async function init(ref: string, amount: number, extra: Body = {}) {
  const r = await post('/paygate/v1/init', initMessage(ref, amount, extra));
  expect(r.status).toBe(200);
  return (await r.json()) as { error_code: string; message: string };
}

/** A payment created (and known to the portal); its MaGiaoDich and page. */
export async function created(amount = 180000) {
  const ref = newRef();
  portal.known.set(ref, amount);
  const a = await init(ref, amount);
  expect(a.error_code).toBe('0');
  const m = JSON.parse(a.message) as { UrlThanhToan: string; MaGiaoDich: string };
  return { ref, amount, ...m };
}

export function query(ref: string, extra: Body = {}) {
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

export function refund(ref: string, id: string, refundId: string, amount: number, extra: Body = {}) {
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

export function settlement(day: string, extra: Body = {}) {
  const m: Body = { LoaiBanTin: 'SETTLEMENT', MaDoiTac: 'CONGDVC', NgayDoiSoat: day, ThoiGianGD: TIME };
  m.MaXacThuc = sha([m.LoaiBanTin, m.MaDoiTac, m.NgayDoiSoat, m.ThoiGianGD] as string[], SECRET);
  return post('/paygate/v1/settlement', { ...m, ...extra });
}

export async function settlementRows(day: string) {
  const r = await settlement(day);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const lines = (await r.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe('MaGiaoDich,MaThamChieu,Loai,SoTien,TrangThai,ThoiGianGD');
  return lines.slice(1).map((l) => l.split(','));
}

export const clickPage = (id: string, outcome: string) =>
  fetch(`${bank.url}/thanh-toan/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `outcome=${outcome}`,
    redirect: 'manual',
  });

export const admin = { authorization: `Bearer ${SECRET}` };

/** The test's own VietQR, the shape of payments.md's dynamic vector. */
export function qr(opts: { bin?: string; account?: string; amount?: number; purpose?: string }): string {
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
