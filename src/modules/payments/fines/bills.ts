/**
 * What fines and contributions share about their bills. Both amounts depend on the day (a fine's surcharge
 * grows by a day at midnight; a contribution's period is reckoned from today), so their bills are valid
 * until the end of the Vietnam day they were made on, and a bill still `created` (the payer has not gone
 * to a bank yet) whose amount is no longer today's is cancelled when the bill is asked for again, so the
 * payer gets today's. A `pending` one (the payer is at the bank) is left alone: the money may be on its
 * way, and it is answered as it is.
 */
import { sql } from 'kysely';
import { vietnamDate } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { PaymentsService } from '../payments.service.ts';

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** The first instant of the next Vietnam day (00:00 UTC+7). */
export function endOfVietnamDay(now: Date): Date {
  const start = Date.parse(`${vietnamDate(now)}T00:00:00Z`) - VIETNAM_OFFSET_MS;
  return new Date(start + DAY_MS);
}

/** Cancels the bill key's open, not yet started payment when its amount is not `amount`. */
export async function cancelStaleBill(
  db: AnyDb,
  service: Pick<PaymentsService, 'cancel'>,
  billKey: string,
  amount: number,
): Promise<void> {
  const open = await sql<{ id: string; amount: string | number; expires_at: Date }>`
    select id, amount, expires_at from payments.payments
     where bill_key = ${billKey} and status = 'created'`.execute(db);
  for (const p of open.rows) if (Number(p.amount) !== amount) await service.cancel(p.id);
}

/** '2026-12-07T10:15:00+07:00': an instant as Vietnam local time with its offset. */
export function vietnamIso(at: Date): string {
  return `${new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
