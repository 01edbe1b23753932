/**
 * A payment intermediary (a bank or e-wallet) as the portal's payment platform sees it: the intermediary
 * protocol of `notes/payments-contract.md` (INIT, CONFIRM, QUERY, REFUND, SETTLEMENT, TRANSFER) over real
 * HTTP, a payment page where a person pays, cancels or fails, VietQR transfers to the portal's collection
 * account, and faults on purpose (lost, late, doubled, forged CONFIRMs; wrong settlement files). State is in
 * memory: a restart forgets everything. Money is integer đồng. See README.md.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { confirmPage, paymentPage, transferPage } from './pages.ts';
import {
  CONFIRM_ANSWER_FIELDS,
  CONFIRM_FIELDS,
  INIT_FIELDS,
  isVietnamTime,
  parseVietQr,
  QUERY_ANSWER_FIELDS,
  QUERY_FIELDS,
  REFUND_FIELDS,
  SETTLEMENT_FIELDS,
  sign,
  TRANSFER_FIELDS,
  type VietQr,
  verify,
  vietnamDay,
  vietnamTime,
} from './protocol.ts';

export const FAULT_MODES = [
  'duplicate',
  'delayed',
  'dropped',
  'out-of-order',
  'forged',
  'amount',
  'unknown',
  'settlement-missing',
  'settlement-amount',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type Outcome = 'success' | 'cancel' | 'fail';
const OUTCOME_CODE: Record<Outcome, '00' | '24' | '51'> = { success: '00', cancel: '24', fail: '51' };

export interface BankOptions {
  /** `MaNganHang`, the intermediary's code at the portal (BANK_CODE), e.g. `VCBSIM`. */
  code: string;
  /** Shown on its pages (BANK_NAME). */
  name?: string;
  /** The secret shared with the portal (BANK_SECRET), 8+ characters. */
  secret: string;
  /** The portal's partner code here (BANK_PARTNER_CODE), default `CONGDVC`. */
  partnerCode?: string;
  /** The portal's CONFIRM endpoint (BANK_CALLBACK_URL); none: no CONFIRM is sent. */
  callbackUrl?: string;
  /** The portal's TRANSFER endpoint (BANK_TRANSFER_URL); none: transfers are not notified. */
  transferUrl?: string;
  /** The bank's 6-digit BIN (BANK_BIN). */
  bin: string;
  /** The portal's collection account at this bank (BANK_COLLECTION_ACCOUNT). */
  collectionAccount: string;
  /** Fault modes applying to every payment until cleared (BANK_FAULTS). */
  faults?: readonly FaultMode[];
  /** The wait of the `delayed` fault (BANK_DELAY_MS), default 3000. */
  delayMs?: number;
  /** First retry wait of a CONFIRM/TRANSFER (BANK_RETRY_BASE_MS), default 1000; doubled each time. */
  retryBaseMs?: number;
  /** Tries of a CONFIRM/TRANSFER before giving up, default 10. */
  maxTries?: number;
  /** The merchant shown on the payment page, default `Cổng Dịch vụ công`. */
  merchantName?: string;
  port?: number;
  host?: string;
  /** The clock (tests). */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface SimRefund {
  MaHoanTien: string;
  SoTienHoan: number;
  ThoiGianGD: string;
  at: Date;
}

export interface SimTransaction {
  MaGiaoDich: string;
  Loai: 'PAY' | 'TRANSFER';
  /** PAY: the portal's reference. TRANSFER: the `DVC…` reference found in the content, or ''. */
  MaThamChieu: string;
  SoTien: number;
  /** PAY: pending until the payer chooses; TRANSFER: succeeded at once. */
  status: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  MaLoi?: '00' | '24' | '51';
  ThongTinGiaoDich: string;
  UrlTraVe?: string;
  createdAt: Date;
  /** When the outcome was recorded: its `ThoiGianGD` and the settlement day. */
  decidedAt?: Date;
  /** The fault modes this payment drew. */
  faults: FaultMode[];
  refunds: SimRefund[];
  /** TRANSFER only. */
  SoTaiKhoan?: string;
  NoiDung?: string;
  /** PAY only: the INIT as received. */
  init?: Record<string, unknown>;
}

export interface CallbackAttempt {
  kind: 'CONFIRM' | 'TRANSFER';
  /** genuine | duplicate | forged | amount | unknown */
  variant: 'genuine' | 'duplicate' | 'forged' | 'amount' | 'unknown';
  MaGiaoDich: string;
  MaThamChieu: string;
  attempt: number;
  at: string;
  url: string;
  message: Record<string, unknown>;
  httpStatus?: number;
  answer?: unknown;
  /** Did the answer's MaXacThuc verify? */
  answerVerified?: boolean;
  /** Did this attempt end the retries ("00", "01", "02", "03" with a good checksum)? */
  acknowledged: boolean;
  error?: string;
}

export interface RunningBank {
  url: string;
  port: number;
  transactions(): SimTransaction[];
  callbacks(): CallbackAttempt[];
  /** Replace the fault modes: for the next `count` payments, or until cleared. */
  setFaults(modes: readonly FaultMode[], count?: number): void;
  clearFaults(): void;
  faults(): { modes: FaultMode[]; remaining: number | null } | null;
  /** What clicking the page does (without the redirect). */
  pay(ref: { MaGiaoDich?: string; MaThamChieu?: string }, outcome: Outcome): SimTransaction;
  /** A VietQR transfer as `POST /api/transfers` does it; throws a TransferError. */
  transfer(payload: string, extra?: { amount?: number; content?: string }): SimTransaction;
  setCallbackUrl(url: string | undefined): void;
  setTransferUrl(url: string | undefined): void;
  /** Resolves when every CONFIRM/TRANSFER due so far (not held by out-of-order) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export class TransferError extends Error {}
class NotFound extends Error {}
class Conflict extends Error {}

const MAX_BODY = 64 * 1024;
const REFERENCE = /DVC[0-9A-HJKMNP-TV-Z]{10}/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const randomCode = (n: number) => Array.from(randomBytes(n), (b) => CROCKFORD[b % 32]).join('');

export function checkFaultModes(modes: unknown): FaultMode[] {
  if (!Array.isArray(modes)) throw new RangeError('modes must be an array');
  for (const m of modes)
    if (!FAULT_MODES.includes(m as FaultMode))
      throw new RangeError(`unknown fault mode "${String(m)}"; known: ${FAULT_MODES.join(', ')}`);
  return [...new Set(modes as FaultMode[])];
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(html);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A wait that `close()` cuts short (the map holds each timer's resolve). */
const sleep = (ms: number, timers: Map<NodeJS.Timeout, () => void>) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.set(t, resolve);
  });

const isText = (v: unknown, max = 255): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;
const isAmount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= 1_000_000_000_000;
/** Amounts arrive as JSON numbers; a string of digits is taken too (some partners send them so). */
const amountOf = (v: unknown): number | undefined => {
  if (typeof v === 'string' && /^[1-9]\d{0,12}$/.test(v)) return Number(v);
  return isAmount(v) ? v : undefined;
};

export async function startBank(options: BankOptions): Promise<RunningBank> {
  if (!/^[A-Z0-9]{2,20}$/.test(options.code)) throw new RangeError('code: 2–20 characters A-Z 0-9');
  if (options.secret.length < 8) throw new RangeError('the secret must have at least 8 characters');
  if (!/^\d{6}$/.test(options.bin)) throw new RangeError('bin: 6 digits');
  if (!/^[0-9A-Za-z]{1,19}$/.test(options.collectionAccount))
    throw new RangeError('collectionAccount: 1–19 letters or digits');
  const code = options.code;
  const secret = options.secret;
  const partner = options.partnerCode ?? 'CONGDVC';
  const bankName = options.name ?? `Ngân hàng ${code}`;
  const merchant = options.merchantName ?? 'Cổng Dịch vụ công';
  const delayMs = options.delayMs ?? 3000;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxTries = options.maxTries ?? 10;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  let callbackUrl = options.callbackUrl;
  let transferUrl = options.transferUrl;
  let rule: { modes: FaultMode[]; remaining: number | null } | null = options.faults?.length
    ? { modes: checkFaultModes(options.faults), remaining: null }
    : null;

  const byId = new Map<string, SimTransaction>();
  const byReference = new Map<string, SimTransaction>();
  const refundIds = new Map<string, { tx: SimTransaction; refund: SimRefund }>();
  const attempts: CallbackAttempt[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  /** out-of-order: deliveries waiting for the next payment's first CONFIRM. */
  let held: (() => void)[] = [];
  let closing = false;

  const newId = () => `${code}${vietnamDay(now()).slice(2)}${randomCode(8)}`;

  /** The fault modes the next payment draws (and one fewer left of a counted rule). */
  function drawFaults(): FaultMode[] {
    if (!rule) return [];
    const modes = [...rule.modes];
    if (rule.remaining !== null) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) rule = null;
    }
    return modes;
  }

  function track(p: Promise<void>) {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  // ------------------------------------------------------------------------------ CONFIRM / TRANSFER out

  /** POSTs one message until the portal acknowledges it or the tries run out. */
  async function deliver(
    kind: 'CONFIRM' | 'TRANSFER',
    variant: CallbackAttempt['variant'],
    message: Record<string, unknown>,
    afterFirst?: () => void,
  ): Promise<void> {
    const url = kind === 'CONFIRM' ? callbackUrl : transferUrl;
    let first = afterFirst;
    const done = () => {
      first?.();
      first = undefined;
    };
    if (!url) {
      log(`${kind} ${String(message.MaGiaoDich)}: no portal URL, not sent`);
      done();
      return;
    }
    const body = JSON.stringify(message);
    for (let attempt = 1; attempt <= maxTries && !closing; attempt++) {
      const record: CallbackAttempt = {
        kind,
        variant,
        MaGiaoDich: String(message.MaGiaoDich ?? ''),
        MaThamChieu: String(message.MaThamChieu ?? message.NoiDung ?? ''),
        attempt,
        at: now().toISOString(),
        url,
        message,
        acknowledged: false,
      };
      attempts.push(record);
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        record.httpStatus = r.status;
        const text = await r.text();
        let answer: unknown = text;
        try {
          answer = JSON.parse(text);
        } catch {
          // kept as text
        }
        record.answer = answer;
        const a = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
        record.answerVerified = verify(a, CONFIRM_ANSWER_FIELDS, secret);
        const maLoi = typeof a.MaLoi === 'string' ? a.MaLoi : undefined;
        record.acknowledged =
          record.answerVerified && maLoi !== undefined && ['00', '01', '02', '03'].includes(maLoi);
        log(
          `${kind} ${record.MaGiaoDich} (${variant}) try ${attempt} → HTTP ${r.status} MaLoi ${maLoi ?? '?'}` +
            (record.answerVerified ? ', answer signed' : ', ANSWER CHECKSUM WRONG (not taken)'),
        );
      } catch (e) {
        record.error = (e as Error).message;
        log(`${kind} ${record.MaGiaoDich} (${variant}) try ${attempt}: ${record.error}`);
      }
      done();
      if (record.acknowledged) return;
      if (attempt < maxTries) await sleep(retryBaseMs * 2 ** (attempt - 1), timers);
    }
    log(`${kind} ${String(message.MaGiaoDich)} (${variant}): given up`);
  }

  function confirmMessage(tx: SimTransaction): Record<string, unknown> {
    const m: Record<string, unknown> = {
      LoaiBanTin: 'CONFIRM',
      MaLoi: tx.MaLoi,
      MaDoiTac: partner,
      MaThamChieu: tx.MaThamChieu,
      SoTien: tx.SoTien,
      MaTienTe: 'VND',
      MaGiaoDich: tx.MaGiaoDich,
      MaNganHang: code,
      ThoiGianGD: vietnamTime(tx.decidedAt ?? now()),
      ThongTinGiaoDich: tx.ThongTinGiaoDich,
    };
    m.MaXacThuc = sign(m, CONFIRM_FIELDS, secret);
    return m;
  }

  function transferMessage(tx: SimTransaction): Record<string, unknown> {
    const m: Record<string, unknown> = {
      LoaiBanTin: 'TRANSFER',
      MaDoiTac: partner,
      SoTaiKhoan: tx.SoTaiKhoan,
      SoTien: tx.SoTien,
      NoiDung: tx.NoiDung,
      MaGiaoDich: tx.MaGiaoDich,
      ThoiGianGD: vietnamTime(tx.decidedAt ?? now()),
    };
    m.MaXacThuc = sign(m, TRANSFER_FIELDS, secret);
    return m;
  }

  /** The messages a payment's notification sends, faults applied. */
  async function notify(tx: SimTransaction, releaseHeld: (() => void) | undefined): Promise<void> {
    const kind = tx.Loai === 'PAY' ? 'CONFIRM' : 'TRANSFER';
    const fields = tx.Loai === 'PAY' ? CONFIRM_FIELDS : TRANSFER_FIELDS;
    const build = tx.Loai === 'PAY' ? confirmMessage : transferMessage;
    const faults = tx.faults;
    if (faults.includes('dropped')) {
      log(`${kind} ${tx.MaGiaoDich}: dropped (fault)`);
      releaseHeld?.();
      return;
    }
    if (faults.includes('delayed')) await sleep(delayMs, timers);
    const genuine = build(tx);
    let main: Record<string, unknown> = genuine;
    let variant: CallbackAttempt['variant'] = 'genuine';
    if (faults.includes('forged')) {
      main = { ...genuine, MaXacThuc: sign(genuine, fields, `${secret}-forged`) };
      variant = 'forged';
    } else if (faults.includes('amount')) {
      main = { ...genuine, SoTien: tx.SoTien + 1000 };
      main.MaXacThuc = sign(main, fields, secret);
      variant = 'amount';
    }
    await deliver(kind, variant, main, releaseHeld);
    if (faults.includes('duplicate')) await deliver(kind, 'duplicate', main);
    if (faults.includes('unknown')) {
      const stranger = `DVC${randomCode(10)}`;
      const other: Record<string, unknown> =
        tx.Loai === 'PAY'
          ? { ...genuine, MaThamChieu: stranger, MaGiaoDich: newId() }
          : { ...genuine, NoiDung: stranger, MaGiaoDich: newId() };
      other.MaXacThuc = sign(other, fields, secret);
      await deliver(kind, 'unknown', other);
    }
  }

  /** Sends a payment's notification in the background (or holds it, out-of-order). */
  function dispatch(tx: SimTransaction) {
    if (tx.faults.includes('out-of-order')) {
      log(`${tx.MaGiaoDich}: held until the next payment's notification (out-of-order fault)`);
      held.push(() => track(notify(tx, undefined)));
      return;
    }
    const waiting = held;
    held = [];
    const release =
      waiting.length > 0
        ? () => {
            for (const go of waiting) go();
          }
        : undefined;
    track(notify(tx, release));
  }

  // ------------------------------------------------------------------------------------------- payments

  function find(ref: { MaGiaoDich?: string; MaThamChieu?: string }): SimTransaction | undefined {
    if (ref.MaGiaoDich) return byId.get(ref.MaGiaoDich);
    if (ref.MaThamChieu) return byReference.get(ref.MaThamChieu);
    return undefined;
  }

  function pay(ref: { MaGiaoDich?: string; MaThamChieu?: string }, outcome: Outcome): SimTransaction {
    const tx = find(ref);
    if (tx?.Loai !== 'PAY') throw new NotFound('Không có giao dịch này / no such payment');
    if (!(outcome in OUTCOME_CODE)) throw new RangeError('outcome: success | cancel | fail');
    const maLoi = OUTCOME_CODE[outcome];
    if (tx.status !== 'pending') {
      if (tx.MaLoi === maLoi) return tx; // the same choice again: nothing new
      throw new Conflict(`Giao dịch đã kết thúc (${tx.status}) / the payment is already ${tx.status}`);
    }
    tx.MaLoi = maLoi;
    tx.status = outcome === 'success' ? 'succeeded' : outcome === 'cancel' ? 'cancelled' : 'failed';
    tx.decidedAt = now();
    tx.faults = drawFaults();
    log(
      `PAY ${tx.MaGiaoDich} ${tx.MaThamChieu} ${tx.SoTien}: ${tx.status}${tx.faults.length ? ` [${tx.faults.join(',')}]` : ''}`,
    );
    dispatch(tx);
    return tx;
  }

  function transfer(payload: string, extra: { amount?: number; content?: string } = {}): SimTransaction {
    let q: VietQr;
    try {
      q = parseVietQr(payload);
    } catch (e) {
      throw new TransferError((e as Error).message);
    }
    checkRecipient(q);
    let amount = q.amount;
    if (!q.dynamic && amount === undefined) {
      if (extra.amount === undefined) throw new TransferError('amount: a static QR needs the amount');
      amount = extra.amount;
    } else if (extra.amount !== undefined && extra.amount !== amount)
      throw new TransferError(`amount: the QR says ${amount}; it cannot be changed`);
    if (!isAmount(amount)) throw new TransferError('amount: a whole number of đồng greater than 0');
    const content = q.purpose ?? extra.content ?? '';
    if (content.length > 200) throw new TransferError('content: at most 200 characters');
    const at = now();
    const tx: SimTransaction = {
      MaGiaoDich: newId(),
      Loai: 'TRANSFER',
      MaThamChieu: REFERENCE.exec(content)?.[0] ?? '',
      SoTien: amount,
      status: 'succeeded',
      MaLoi: '00',
      ThongTinGiaoDich: content,
      createdAt: at,
      decidedAt: at,
      faults: drawFaults(),
      refunds: [],
      SoTaiKhoan: q.account,
      NoiDung: content,
    };
    byId.set(tx.MaGiaoDich, tx);
    log(
      `TRANSFER ${tx.MaGiaoDich} ${amount} "${content}"${tx.faults.length ? ` [${tx.faults.join(',')}]` : ''}`,
    );
    dispatch(tx);
    return tx;
  }

  function checkRecipient(q: VietQr) {
    if (q.service !== 'QRIBFTTA')
      throw new TransferError('tag 38/02: a transfer to a card (QRIBFTTC), not to the collection account');
    if (q.bin !== options.bin)
      throw new TransferError(`tag 38/01/00: BIN ${q.bin} is not this bank (${options.bin})`);
    if (q.account !== options.collectionAccount)
      throw new TransferError(
        `tag 38/01/01: account ${q.account} is not the portal's collection account here`,
      );
  }

  // ------------------------------------------------------------------------------------------ protocol

  const initError = (error_code: string, message: string) => ({ error_code, message });

  function initAnswer(b: Record<string, unknown>, base: string) {
    if (!verify(b, INIT_FIELDS, secret)) return initError('01', 'Sai mã xác thực (MaXacThuc) / bad checksum');
    if (b.LoaiBanTin !== 'INIT') return initError('02', 'LoaiBanTin phải là INIT');
    if (b.PhienBan !== '1.0.6') return initError('02', 'PhienBan phải là 1.0.6');
    if (b.MaDoiTac !== partner)
      return initError('02', `MaDoiTac ${String(b.MaDoiTac)} không phải đối tác ở đây`);
    if (!isText(b.MaThamChieu, 50)) return initError('02', 'MaThamChieu: 1–50 ký tự');
    const amount = amountOf(b.SoTien);
    if (amount === undefined) return initError('02', 'SoTien: số nguyên đồng lớn hơn 0');
    if (b.LoaiHinhThanhToan !== 'PAY') return initError('02', 'LoaiHinhThanhToan phải là PAY');
    if (b.MaTienTe !== 'VND') return initError('02', 'MaTienTe phải là VND');
    if (b.MaNganHang !== code) return initError('02', `MaNganHang phải là ${code}`);
    if (!isVietnamTime(b.ThoiGianGD)) return initError('02', 'ThoiGianGD: yyyyMMddHHmmss');
    if (typeof b.ThongTinGiaoDich !== 'string' || b.ThongTinGiaoDich.length > 500)
      return initError('02', 'ThongTinGiaoDich: tối đa 500 ký tự');
    let returnUrl: string | undefined;
    if (b.UrlTraVe !== undefined && b.UrlTraVe !== '') {
      try {
        const u = new URL(String(b.UrlTraVe));
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
        returnUrl = u.toString();
      } catch {
        return initError('02', 'UrlTraVe: một địa chỉ http(s)');
      }
    }
    const reference = b.MaThamChieu;
    let tx = byReference.get(reference);
    if (tx) {
      if (tx.SoTien !== amount)
        return initError(
          '03',
          `MaThamChieu ${reference} đã khởi tạo với số tiền khác (${tx.SoTien}) / known reference, another amount`,
        );
      log(`INIT ${reference}: again, same answer`);
    } else {
      tx = {
        MaGiaoDich: newId(),
        Loai: 'PAY',
        MaThamChieu: reference,
        SoTien: amount,
        status: 'pending',
        ThongTinGiaoDich: b.ThongTinGiaoDich,
        ...(returnUrl ? { UrlTraVe: returnUrl } : {}),
        createdAt: now(),
        faults: [],
        refunds: [],
        init: b,
      };
      byId.set(tx.MaGiaoDich, tx);
      byReference.set(reference, tx);
      log(`INIT ${reference} ${amount} → ${tx.MaGiaoDich}`);
    }
    return {
      error_code: '0',
      message: JSON.stringify({
        UrlThanhToan: `${base}/thanh-toan/${tx.MaGiaoDich}`,
        MaGiaoDich: tx.MaGiaoDich,
      }),
    };
  }

  function queryAnswer(b: Record<string, unknown>) {
    if (!verify(b, QUERY_FIELDS, secret))
      return initError('01', 'Sai mã xác thực (MaXacThuc) / bad checksum');
    if (b.LoaiBanTin !== 'QUERY') return initError('02', 'LoaiBanTin phải là QUERY');
    if (b.MaDoiTac !== partner)
      return initError('02', `MaDoiTac ${String(b.MaDoiTac)} không phải đối tác ở đây`);
    if (!isText(b.MaThamChieu, 50)) return initError('02', 'MaThamChieu: 1–50 ký tự');
    const tx = byReference.get(b.MaThamChieu);
    const state = !tx
      ? '04'
      : tx.status === 'succeeded'
        ? '00'
        : tx.status === 'pending'
          ? '01'
          : tx.status === 'failed'
            ? '02'
            : '03';
    const a: Record<string, unknown> = {
      error_code: '0',
      LoaiBanTin: 'QUERY',
      MaDoiTac: partner,
      MaThamChieu: b.MaThamChieu,
      TrangThaiGD: state,
      SoTien: tx?.SoTien ?? 0,
      MaGiaoDich: tx?.MaGiaoDich ?? '',
      ThoiGianGD: vietnamTime(tx ? (tx.decidedAt ?? tx.createdAt) : now()),
    };
    a.MaXacThuc = sign(a, QUERY_ANSWER_FIELDS, secret);
    return a;
  }

  function refundAnswer(b: Record<string, unknown>) {
    const no = (MaLoi: string, MoTaLoi: string) => ({ MaLoi, MoTaLoi });
    if (!verify(b, REFUND_FIELDS, secret)) return no('01', 'Sai mã xác thực (MaXacThuc) / bad checksum');
    if (b.LoaiBanTin !== 'REFUND') return no('99', 'LoaiBanTin phải là REFUND');
    if (b.MaDoiTac !== partner) return no('99', `MaDoiTac ${String(b.MaDoiTac)} không phải đối tác ở đây`);
    if (!isText(b.MaHoanTien, 50)) return no('99', 'MaHoanTien: 1–50 ký tự');
    const amount = amountOf(b.SoTienHoan);
    if (amount === undefined) return no('99', 'SoTienHoan: số nguyên đồng lớn hơn 0');
    if (!isVietnamTime(b.ThoiGianGD)) return no('99', 'ThoiGianGD: yyyyMMddHHmmss');
    const tx = typeof b.MaGiaoDich === 'string' ? byId.get(b.MaGiaoDich) : undefined;
    if (!tx || (tx.Loai === 'PAY' && tx.MaThamChieu !== b.MaThamChieu))
      return no('02', 'Không tìm thấy giao dịch (MaThamChieu, MaGiaoDich) / no such transaction');
    const known = refundIds.get(b.MaHoanTien);
    if (known) {
      if (known.tx === tx && known.refund.SoTienHoan === amount)
        return {
          ...no('00', 'Đã hoàn tiền (yêu cầu lặp lại) / refunded (repeat)'),
          MaHoanTien: b.MaHoanTien,
        };
      return no('05', 'MaHoanTien đã dùng cho một yêu cầu khác / refund id already used otherwise');
    }
    if (tx.status !== 'succeeded')
      return no('04', 'Giao dịch chưa thành công, không thể hoàn / the payment did not succeed');
    const refunded = tx.refunds.reduce((s, r) => s + r.SoTienHoan, 0);
    if (amount > tx.SoTien - refunded)
      return no(
        '03',
        `Số tiền hoàn vượt quá số còn lại (${tx.SoTien - refunded}) / more than paid minus refunded`,
      );
    const at = now();
    const refund: SimRefund = {
      MaHoanTien: b.MaHoanTien,
      SoTienHoan: amount,
      ThoiGianGD: vietnamTime(at),
      at,
    };
    tx.refunds.push(refund);
    refundIds.set(b.MaHoanTien, { tx, refund });
    log(`REFUND ${b.MaHoanTien} ${amount} of ${tx.MaGiaoDich}`);
    return { ...no('00', 'Đã hoàn tiền / refunded'), MaHoanTien: b.MaHoanTien };
  }

  function settlementCsv(day: string): string {
    const rows: string[] = ['MaGiaoDich,MaThamChieu,Loai,SoTien,TrangThai,ThoiGianGD'];
    const csv = (v: string | number) => {
      const s = String(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const entries: { at: Date; cells: (string | number)[] }[] = [];
    for (const tx of byId.values()) {
      if (tx.decidedAt && vietnamDay(tx.decidedAt) === day && !tx.faults.includes('settlement-missing')) {
        const amount = tx.SoTien + (tx.faults.includes('settlement-amount') ? 1000 : 0);
        entries.push({
          at: tx.decidedAt,
          cells: [
            tx.MaGiaoDich,
            tx.MaThamChieu,
            tx.Loai,
            amount,
            tx.status === 'succeeded' ? 'THANHCONG' : 'THATBAI',
            vietnamTime(tx.decidedAt),
          ],
        });
      }
      for (const r of tx.refunds)
        if (vietnamDay(r.at) === day)
          entries.push({
            at: r.at,
            cells: [r.MaHoanTien, tx.MaThamChieu, 'REFUND', r.SoTienHoan, 'THANHCONG', r.ThoiGianGD],
          });
    }
    entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const e of entries) rows.push(e.cells.map(csv).join(','));
    return `${rows.join('\r\n')}\r\n`;
  }

  // ------------------------------------------------------------------------------------------------ HTTP

  function adminAllowed(req: http.IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
    const want = Buffer.from(secret);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  const returnTo = (tx: SimTransaction) => {
    if (!tx.UrlTraVe) return undefined;
    const u = new URL(tx.UrlTraVe);
    u.searchParams.set('ref', tx.MaThamChieu);
    return u.toString();
  };

  const view = (tx: SimTransaction) => ({ ...tx, init: undefined });

  async function route(req: http.IncomingMessage, res: http.ServerResponse, base: string): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/health')
      return sendJson(res, 200, { status: 'ok', name: 'bank', code, transactions: byId.size });

    const json = async (): Promise<Record<string, unknown> | undefined> => {
      const text = await readBody(req);
      if (text === undefined) {
        sendJson(res, 413, { error_code: '99', message: 'Yêu cầu quá lớn / too large' });
        return undefined;
      }
      try {
        const b = JSON.parse(text || '{}') as unknown;
        if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new Error('not an object');
        return b as Record<string, unknown>;
      } catch {
        sendJson(res, 400, {
          error_code: '99',
          message: 'Nội dung không phải đối tượng JSON / not a JSON object',
        });
        return undefined;
      }
    };
    const form = async (): Promise<URLSearchParams | undefined> => {
      const text = await readBody(req);
      if (text === undefined) {
        sendHtml(res, 413, 'Yêu cầu quá lớn / too large');
        return undefined;
      }
      return new URLSearchParams(text);
    };

    // The protocol.
    if (method === 'POST' && path.startsWith('/paygate/v1/')) {
      const b = await json();
      if (!b) return;
      switch (path) {
        case '/paygate/v1/init':
          return sendJson(res, 200, initAnswer(b, base));
        case '/paygate/v1/query':
          return sendJson(res, 200, queryAnswer(b));
        case '/paygate/v1/refund':
          return sendJson(res, 200, refundAnswer(b));
        case '/paygate/v1/settlement': {
          if (!verify(b, SETTLEMENT_FIELDS, secret))
            return sendJson(res, 400, {
              error_code: '01',
              message: 'Sai mã xác thực (MaXacThuc) / bad checksum',
            });
          if (b.LoaiBanTin !== 'SETTLEMENT' || b.MaDoiTac !== partner || !isVietnamTime(b.NgayDoiSoat, true))
            return sendJson(res, 400, {
              error_code: '02',
              message: 'LoaiBanTin SETTLEMENT, MaDoiTac, NgayDoiSoat yyyyMMdd / bad fields',
            });
          res
            .writeHead(200, {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="doi-soat-${code}-${b.NgayDoiSoat}.csv"`,
            })
            .end(settlementCsv(b.NgayDoiSoat));
          return;
        }
      }
      return sendJson(res, 404, { error_code: '99', message: 'Không có dịch vụ này / no such call' });
    }

    // The payment page.
    const pageMatch = /^\/thanh-toan\/([A-Z0-9]{1,40})$/.exec(path);
    if (pageMatch) {
      const tx = byId.get(pageMatch[1]!);
      if (tx?.Loai !== 'PAY') return sendHtml(res, 404, paymentPage({ bankName, merchant, notFound: true }));
      if (method === 'GET') return sendHtml(res, 200, paymentPage({ bankName, merchant, tx }));
      if (method === 'POST') {
        const f = await form();
        if (!f) return;
        const outcome = f.get('outcome') as Outcome | null;
        if (outcome !== 'success' && outcome !== 'cancel' && outcome !== 'fail')
          return sendHtml(
            res,
            400,
            paymentPage({ bankName, merchant, tx, error: 'Hãy chọn một nút / choose a button' }),
          );
        try {
          pay({ MaGiaoDich: tx.MaGiaoDich }, outcome);
        } catch (e) {
          if (!(e instanceof Conflict)) throw e;
          // Already decided otherwise: show what happened.
        }
        const back = returnTo(tx);
        if (back) {
          res.writeHead(303, { location: back }).end();
          return;
        }
        return sendHtml(res, 200, paymentPage({ bankName, merchant, tx }));
      }
    }

    // VietQR transfers.
    if (method === 'POST' && path === '/api/transfers') {
      const b = await json();
      if (!b) return;
      if (typeof b.payload !== 'string')
        return sendJson(res, 400, { error: 'bad-request', message: 'payload: the QR text is required' });
      const amount = b.amount === undefined ? undefined : amountOf(b.amount);
      if (b.amount !== undefined && amount === undefined)
        return sendJson(res, 400, {
          error: 'bad-request',
          message: 'amount: a whole number of đồng greater than 0',
        });
      try {
        const tx = transfer(b.payload, {
          ...(amount !== undefined ? { amount } : {}),
          ...(typeof b.content === 'string' ? { content: b.content } : {}),
        });
        return sendJson(res, 200, { MaGiaoDich: tx.MaGiaoDich, SoTien: tx.SoTien, NoiDung: tx.NoiDung });
      } catch (e) {
        if (e instanceof TransferError)
          return sendJson(res, 400, { error: 'bad-payload', message: e.message });
        throw e;
      }
    }
    if (path === '/chuyen-khoan') {
      if (method === 'GET') return sendHtml(res, 200, transferPage({ bankName }));
      if (method === 'POST') {
        const f = await form();
        if (!f) return;
        const payload = (f.get('payload') ?? '').trim();
        let q: VietQr;
        try {
          q = parseVietQr(payload);
          checkRecipient(q);
        } catch (e) {
          return sendHtml(res, 400, transferPage({ bankName, payload, error: (e as Error).message }));
        }
        const amountText = (f.get('amount') ?? '').replace(/[.\s]/g, '');
        const amount = amountText === '' ? undefined : amountOf(amountText);
        const content = f.get('content') ?? undefined;
        if (f.get('confirm') !== '1' || (!q.dynamic && amount === undefined))
          return sendHtml(
            res,
            amountText !== '' && amount === undefined ? 400 : 200,
            confirmPage({
              bankName,
              payload,
              qr: q,
              ...(amountText !== '' && amount === undefined
                ? { error: 'Số tiền phải là số nguyên đồng lớn hơn 0 / amount: whole đồng above 0' }
                : {}),
            }),
          );
        try {
          const tx = transfer(payload, {
            ...(!q.dynamic && amount !== undefined ? { amount } : {}),
            ...(content ? { content } : {}),
          });
          return sendHtml(res, 200, transferPage({ bankName, done: tx }));
        } catch (e) {
          return sendHtml(res, 400, transferPage({ bankName, payload, error: (e as Error).message }));
        }
      }
    }

    // The simulator's own controls.
    if (path.startsWith('/_sim/')) {
      if (!adminAllowed(req))
        return sendJson(res, 401, { error: 'unauthorized', message: 'Authorization: Bearer <BANK_SECRET>' });
      if (path === '/_sim/faults') {
        if (method === 'GET') return sendJson(res, 200, { faults: rule });
        if (method === 'DELETE') {
          rule = null;
          return sendJson(res, 200, { faults: null });
        }
        if (method === 'POST') {
          const b = await json();
          if (!b) return;
          try {
            const count = b.count;
            if (count !== undefined && !(Number.isInteger(count) && (count as number) > 0))
              throw new RangeError('count must be a whole number above 0');
            setFaults(checkFaultModes(b.modes), count as number | undefined);
            return sendJson(res, 200, { faults: rule });
          } catch (e) {
            return sendJson(res, 400, { error: 'bad-request', message: (e as Error).message });
          }
        }
      }
      if (method === 'POST' && path === '/_sim/pay') {
        const b = await json();
        if (!b) return;
        try {
          const tx = pay(
            {
              ...(typeof b.MaGiaoDich === 'string' ? { MaGiaoDich: b.MaGiaoDich } : {}),
              ...(typeof b.MaThamChieu === 'string' ? { MaThamChieu: b.MaThamChieu } : {}),
            },
            b.outcome as Outcome,
          );
          return sendJson(res, 200, view(tx));
        } catch (e) {
          const status = e instanceof NotFound ? 404 : e instanceof Conflict ? 409 : 400;
          return sendJson(res, status, { error: 'refused', message: (e as Error).message });
        }
      }
      if (method === 'GET' && path === '/_sim/transactions')
        return sendJson(res, 200, { items: [...byId.values()].map(view) });
      if (method === 'GET' && path === '/_sim/callbacks') return sendJson(res, 200, { items: attempts });
    }
    if (method === 'GET' && path === '/') return sendHtml(res, 200, transferPage({ bankName, home: true }));
    return sendJson(res, 404, { error: 'not-found', message: 'Không có dịch vụ này / no such route' });
  }

  function setFaults(modes: readonly FaultMode[], count?: number) {
    const checked = checkFaultModes(modes);
    rule = checked.length ? { modes: checked, remaining: count ?? null } : null;
    log(`faults: ${checked.join(',') || 'none'}${count ? ` for the next ${count}` : ''}`);
  }

  let base = '';
  const server = http.createServer((req, res) => {
    route(req, res, base).catch((e: unknown) => {
      log(`error: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent)
        sendJson(res, 500, { error: 'internal', message: 'Lỗi hệ thống / internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    port,
    transactions: () => [...byId.values()],
    callbacks: () => [...attempts],
    setFaults,
    clearFaults() {
      rule = null;
    },
    faults: () => (rule ? { modes: [...rule.modes], remaining: rule.remaining } : null),
    pay,
    transfer,
    setCallbackUrl(u) {
      callbackUrl = u;
    },
    setTransferUrl(u) {
      transferUrl = u;
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const [t, resolveWait] of timers) {
          clearTimeout(t);
          resolveWait();
        }
        timers.clear();
        held = [];
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
