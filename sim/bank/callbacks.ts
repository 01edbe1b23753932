/**
 * The bank simulator's messages to the portal: a decided payment's CONFIRM or a transfer's TRANSFER, POSTed
 * with retries (doubling waits) until the portal acknowledges it with a signed answer, and the faults applied
 * on the way (dropped, delayed, forged, wrong amount, doubled, unknown reference, out of order).
 */
import {
  CONFIRM_ANSWER_FIELDS,
  CONFIRM_FIELDS,
  sign,
  TRANSFER_FIELDS,
  verify,
  vietnamTime,
} from './protocol.ts';
import type { CallbackAttempt, SimTransaction } from './server.ts';
import { randomCode } from './transactions.ts';

export interface CallbacksDeps {
  code: string;
  secret: string;
  partner: string;
  /** The portal's CONFIRM and TRANSFER endpoints; none: not sent. */
  callbackUrl: string | undefined;
  transferUrl: string | undefined;
  /** The wait of the `delayed` fault. */
  delayMs: number;
  /** First retry wait, doubled each time, and the tries before giving up. */
  retryBaseMs: number;
  maxTries: number;
  now: () => Date;
  log: (line: string) => void;
  newId: () => string;
}

export interface Callbacks {
  /** Sends a payment's notification in the background (or holds it, out-of-order). */
  dispatch(tx: SimTransaction): void;
  attempts(): CallbackAttempt[];
  setCallbackUrl(url: string | undefined): void;
  setTransferUrl(url: string | undefined): void;
  /** Resolves when every CONFIRM/TRANSFER due so far (not held by out-of-order) has finished. */
  idle(): Promise<void>;
  /** Stops the retries and cuts every wait short. */
  close(): void;
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

export function createCallbacks(deps: CallbacksDeps): Callbacks {
  const { code, secret, partner, delayMs, retryBaseMs, maxTries, now, log, newId } = deps;
  let callbackUrl = deps.callbackUrl;
  let transferUrl = deps.transferUrl;
  const attempts: CallbackAttempt[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  /** out-of-order: deliveries waiting for the next payment's first CONFIRM. */
  let held: (() => void)[] = [];
  let closing = false;

  function track(p: Promise<void>) {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

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

  return {
    dispatch,
    attempts: () => attempts,
    setCallbackUrl(url) {
      callbackUrl = url;
    },
    setTransferUrl(url) {
      transferUrl = url;
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close() {
      closing = true;
      for (const [t, resolveWait] of timers) {
        clearTimeout(t);
        resolveWait();
      }
      timers.clear();
      held = [];
    },
  };
}
