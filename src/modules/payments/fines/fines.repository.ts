/** payments.fines: the decisions the police's system registered, and what became of their paid notice. */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';

export interface FineRow {
  decision_number: string;
  number_key: string;
  decided_on: string | Date;
  violator_name: string;
  violator_id_number: string;
  plate: string;
  plate_key: string;
  violation: string;
  place: string;
  violated_at: Date;
  amount: string | number;
  agency_code: string;
  agency_name: string;
  treasury: { account: string; bankBin: string; name: string };
  content_hash: string;
  registered_by: string;
  registered_at: Date;
  paid_payment_id: string | null;
  police_told_at: Date | null;
  police_answer: { status: number; body: unknown } | null;
}

export interface Fine {
  decisionNumber: string;
  decidedOn: string;
  violator: { name: string; idNumber: string };
  plate: string;
  violation: string;
  place: string;
  violatedAt: Date;
  amount: number;
  agency: { code: string; name: string };
  treasury: { account: string; bankBin: string; name: string };
  contentHash: string;
  registeredBy: string;
  paidPaymentId: string | null;
  policeToldAt: Date | null;
}

const dateText = (d: string | Date) =>
  typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

export function toFine(r: FineRow): Fine {
  return {
    decisionNumber: r.decision_number,
    decidedOn: dateText(r.decided_on),
    violator: { name: r.violator_name, idNumber: r.violator_id_number },
    plate: r.plate,
    violation: r.violation,
    place: r.place,
    violatedAt: r.violated_at,
    amount: Number(r.amount),
    agency: { code: r.agency_code, name: r.agency_name },
    treasury: r.treasury,
    contentHash: r.content_hash,
    registeredBy: r.registered_by,
    paidPaymentId: r.paid_payment_id,
    policeToldAt: r.police_told_at,
  };
}

/** How a decision number is matched: NFC, upper case, no spaces ("1234/qđ-xphc " → "1234/QĐ-XPHC"). */
export const numberKey = (n: string) => n.normalize('NFC').replace(/\s+/gu, '').toLocaleUpperCase('vi');
/** How a plate is matched: letters and digits, upper case ("30a-123.45" → "30A12345"). */
export const plateKey = (p: string) => p.toUpperCase().replace(/[^0-9A-Z]/g, '');

export type NewFine = Omit<Fine, 'paidPaymentId' | 'policeToldAt'>;

/** Inserts unless the number is there; answers the row now stored and whether it was this insert. */
export async function insertFine(db: AnyDb, f: NewFine): Promise<{ row: FineRow; created: boolean }> {
  const r = await sql<FineRow>`
    insert into payments.fines (decision_number, number_key, decided_on, violator_name, violator_id_number, plate,
      plate_key, violation, place, violated_at, amount, agency_code, agency_name, treasury, content_hash, registered_by)
    values (${f.decisionNumber}, ${numberKey(f.decisionNumber)}, ${f.decidedOn}, ${f.violator.name},
      ${f.violator.idNumber}, ${f.plate}, ${plateKey(f.plate)}, ${f.violation}, ${f.place}, ${f.violatedAt},
      ${f.amount}, ${f.agency.code}, ${f.agency.name}, ${JSON.stringify(f.treasury)}::jsonb, ${f.contentHash},
      ${f.registeredBy})
    on conflict do nothing
    returning *`.execute(db);
  if (r.rows[0]) return { row: r.rows[0], created: true };
  const existing = await sql<FineRow>`
    select * from payments.fines where number_key = ${numberKey(f.decisionNumber)}`.execute(db);
  return { row: existing.rows[0]!, created: false };
}

export async function fineByNumber(db: AnyDb, decisionNumber: string): Promise<FineRow | undefined> {
  const r = await sql<FineRow>`
    select * from payments.fines where number_key = ${numberKey(decisionNumber)}`.execute(db);
  return r.rows[0];
}

/** The decision when the second key matches: the violator's ID number or the plate. */
export async function fineByKeys(
  db: AnyDb,
  decisionNumber: string,
  key: { idNumber: string } | { plate: string },
): Promise<FineRow | undefined> {
  const row = await fineByNumber(db, decisionNumber);
  if (!row) return undefined;
  const ok =
    'idNumber' in key
      ? row.violator_id_number === key.idNumber.trim()
      : plateKey(key.plate) !== '' && row.plate_key === plateKey(key.plate);
  return ok ? row : undefined;
}

/** The payment that paid a decision (the first success that is not a duplicate), if any. */
export async function paidPaymentOf(
  db: AnyDb,
  decisionNumber: string,
): Promise<{ id: string; reference: string; succeeded_at: Date; amount: string | number } | undefined> {
  const r = await sql<{ id: string; reference: string; succeeded_at: Date; amount: string | number }>`
    select id, reference, succeeded_at, amount from payments.payments
     where bill_key = ${`fine:${decisionNumber}`} and status = 'succeeded' and not duplicate
     order by succeeded_at limit 1`.execute(db);
  return r.rows[0];
}

export async function markPaid(db: AnyDb, decisionNumber: string, paymentId: string): Promise<void> {
  await sql`update payments.fines set paid_payment_id = ${paymentId}
             where decision_number = ${decisionNumber} and paid_payment_id is null`.execute(db);
}

export async function recordPoliceAnswer(
  db: AnyDb,
  decisionNumber: string,
  answer: { status: number; body: unknown },
  at: Date,
): Promise<void> {
  await sql`update payments.fines set police_told_at = ${at}, police_answer = ${JSON.stringify(answer)}::jsonb
             where decision_number = ${decisionNumber}`.execute(db);
}
