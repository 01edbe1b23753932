/**
 * A payment intermediary (a bank or e-wallet) as the portal's payment platform sees it: the intermediary
 * protocol of `notes/payments-contract.md` (INIT, CONFIRM, QUERY, REFUND, SETTLEMENT, TRANSFER) over real
 * HTTP, a payment page where a person pays, cancels or fails, VietQR transfers to the portal's collection
 * account, and faults on purpose (lost, late, doubled, forged CONFIRMs; wrong settlement files). State is in
 * memory: a restart forgets everything. Money is integer đồng. See README.md.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminRoutes } from './admin.ts';
import { createCallbacks } from './callbacks.ts';
import { createFaultRules, type FaultMode } from './faults.ts';
import { sendJson } from './http.ts';
import { createPageRoutes } from './page-routes.ts';
import { createPaygate } from './paygate.ts';
import { createTransactions, transactionId } from './transactions.ts';

// The parts, each in its file: faults.ts (the fault modes and the rule), transactions.ts (the state, pay and
// transfer), callbacks.ts (CONFIRM/TRANSFER out, with retries and faults), paygate.ts (the protocol's calls),
// page-routes.ts (the payment and transfer pages), admin.ts (`/_sim/`), http.ts (bodies and answers).
export { checkFaultModes, FAULT_MODES, type FaultMode } from './faults.ts';
export { TransferError } from './transactions.ts';

export type Outcome = 'success' | 'cancel' | 'fail';

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
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const newId = () => transactionId(code, now());

  const faults = createFaultRules(options.faults, log);
  const callbacks = createCallbacks({
    code,
    secret,
    partner,
    callbackUrl: options.callbackUrl,
    transferUrl: options.transferUrl,
    delayMs: options.delayMs ?? 3000,
    retryBaseMs: options.retryBaseMs ?? 1000,
    maxTries: options.maxTries ?? 10,
    now,
    log,
    newId,
  });
  const store = createTransactions({
    bin: options.bin,
    collectionAccount: options.collectionAccount,
    now,
    log,
    newId,
    drawFaults: faults.draw,
    dispatch: callbacks.dispatch,
  });
  const paygate = createPaygate({ code, secret, partner, now, log, newId, store });
  const pageRoutes = createPageRoutes({ bankName, merchant, store });
  const adminRoutes = createAdminRoutes({ secret, faults, store, attempts: callbacks.attempts });

  async function route(req: http.IncomingMessage, res: http.ServerResponse, base: string): Promise<void> {
    const path = new URL(req.url ?? '/', base).pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/health')
      return sendJson(res, 200, { status: 'ok', name: 'bank', code, transactions: store.byId.size });
    if (method === 'POST' && path.startsWith('/paygate/v1/')) return paygate(req, res, path, base);
    if (await pageRoutes(req, res, method, path)) return;
    if (path.startsWith('/_sim/') && (await adminRoutes(req, res, method, path))) return;
    return sendJson(res, 404, { error: 'not-found', message: 'Không có dịch vụ này / no such route' });
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
    transactions: () => [...store.byId.values()],
    callbacks: () => [...callbacks.attempts()],
    setFaults: faults.set,
    clearFaults: faults.clear,
    faults() {
      const rule = faults.current();
      return rule ? { modes: [...rule.modes], remaining: rule.remaining } : null;
    },
    pay: store.pay,
    transfer: store.transfer,
    setCallbackUrl: callbacks.setCallbackUrl,
    setTransferUrl: callbacks.setTransferUrl,
    idle: callbacks.idle,
    close: () =>
      new Promise<void>((resolve) => {
        callbacks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
