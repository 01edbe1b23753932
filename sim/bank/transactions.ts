/**
 * The bank simulator's state: its transactions (payments and transfers) and refunds, in memory, and what
 * changes them from outside the protocol: a payer's choice on the payment page (`pay`) and a VietQR
 * transfer (`transfer`). Each decided transaction draws its faults and is handed to the callback sender.
 */
import { randomBytes } from 'node:crypto';
import type { FaultMode } from './faults.ts';
import { isAmount, parseVietQr, type VietQr, vietnamDay } from './protocol.ts';
import type { Outcome, SimRefund, SimTransaction } from './server.ts';

export class TransferError extends Error {}
export class NotFound extends Error {}
export class Conflict extends Error {}

const OUTCOME_CODE: Record<Outcome, '00' | '24' | '51'> = { success: '00', cancel: '24', fail: '51' };
const REFERENCE = /DVC[0-9A-HJKMNP-TV-Z]{10}/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const randomCode = (n: number) => Array.from(randomBytes(n), (b) => CROCKFORD[b % 32]).join('');

/** A new `MaGiaoDich`: the bank's code, the Vietnam day (yyMMdd) and 8 random characters. */
export const transactionId = (code: string, at: Date) => `${code}${vietnamDay(at).slice(2)}${randomCode(8)}`;

export type TransactionRef = { MaGiaoDich?: string; MaThamChieu?: string };

export interface TransactionsDeps {
  /** The bank's BIN and the portal's collection account here: where a transfer must go. */
  bin: string;
  collectionAccount: string;
  now: () => Date;
  log: (line: string) => void;
  newId: () => string;
  drawFaults: () => FaultMode[];
  /** Sends a decided transaction's CONFIRM or TRANSFER (in the background). */
  dispatch: (tx: SimTransaction) => void;
}

export interface Transactions {
  byId: Map<string, SimTransaction>;
  /** PAY only, by the portal's reference. */
  byReference: Map<string, SimTransaction>;
  /** Refunds by `MaHoanTien`, with their payment. */
  refundIds: Map<string, { tx: SimTransaction; refund: SimRefund }>;
  find(ref: TransactionRef): SimTransaction | undefined;
  pay(ref: TransactionRef, outcome: Outcome): SimTransaction;
  transfer(payload: string, extra?: { amount?: number; content?: string }): SimTransaction;
  /** Throws a TransferError unless the QR names the collection account at this bank. */
  checkRecipient(q: VietQr): void;
}

export function createTransactions(deps: TransactionsDeps): Transactions {
  const { now, log, newId, drawFaults, dispatch } = deps;
  const byId = new Map<string, SimTransaction>();
  const byReference = new Map<string, SimTransaction>();
  const refundIds = new Map<string, { tx: SimTransaction; refund: SimRefund }>();

  function find(ref: TransactionRef): SimTransaction | undefined {
    if (ref.MaGiaoDich) return byId.get(ref.MaGiaoDich);
    if (ref.MaThamChieu) return byReference.get(ref.MaThamChieu);
    return undefined;
  }

  function pay(ref: TransactionRef, outcome: Outcome): SimTransaction {
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
    if (q.bin !== deps.bin)
      throw new TransferError(`tag 38/01/00: BIN ${q.bin} is not this bank (${deps.bin})`);
    if (q.account !== deps.collectionAccount)
      throw new TransferError(
        `tag 38/01/01: account ${q.account} is not the portal's collection account here`,
      );
  }

  return { byId, byReference, refundIds, find, pay, transfer, checkRecipient };
}
