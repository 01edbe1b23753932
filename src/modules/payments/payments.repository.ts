/**
 * payments.payments and its events: rows in, rows out. Every change of state is a conditional update on
 * the states it may come from, made after the row is locked, so a repeated callback, a second dispatcher
 * or a race between a callback and a query changes nothing the second time.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';

export type PaymentKind = 'dossier-fee' | 'fine' | 'social-insurance' | 'partner' | 'certification-fee';
export type PaymentStatus = 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'cancelled';
export type PaymentMethod = 'online' | 'vietqr' | 'cash';
export type LineKind = 'phi' | 'le-phi' | 'fine' | 'surcharge' | 'social-insurance';
export type EventSource =
  | 'payer'
  | 'callback'
  | 'transfer'
  | 'query'
  | 'settlement'
  | 'expiry'
  | 'officer'
  | 'partner'
  | 'system';

export const FINAL_STATUSES: readonly PaymentStatus[] = ['succeeded', 'failed', 'expired', 'cancelled'];
export const OPEN_STATUSES: readonly PaymentStatus[] = ['created', 'pending'];

export interface PaymentLine {
  kind: LineKind;
  code: string;
  name: string;
  /** Integer đồng. */
  amount: number;
}

export interface Payment {
  id: string;
  reference: string;
  kind: PaymentKind;
  subject: string;
  billKey: string;
  amount: number;
  lines: PaymentLine[];
  description: string;
  payeeAgency: string;
  payer: { accountId: string | null; name: string | null; idNumber: string | null };
  status: PaymentStatus;
  late: boolean;
  duplicate: boolean;
  method: PaymentMethod | null;
  intermediary: string | null;
  intermediaryTxn: string | null;
  partnerCode: string | null;
  partnerRef: string | null;
  returnUrl: string | null;
  details: Record<string, unknown>;
  expiresAt: Date;
  createdAt: Date;
  succeededAt: Date | null;
}

export interface PaymentRow {
  id: string;
  reference: string;
  kind: PaymentKind;
  subject: string;
  bill_key: string;
  amount: string | number;
  lines: PaymentLine[];
  description: string;
  payee_agency: string;
  payer_account: string | null;
  payer_name: string | null;
  payer_id_number: string | null;
  status: PaymentStatus;
  late: boolean;
  duplicate: boolean;
  method: PaymentMethod | null;
  intermediary: string | null;
  intermediary_txn: string | null;
  partner_code: string | null;
  partner_ref: string | null;
  return_url: string | null;
  details: Record<string, unknown>;
  expires_at: Date;
  created_at: Date;
  succeeded_at: Date | null;
}

export function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    subject: r.subject,
    billKey: r.bill_key,
    amount: Number(r.amount),
    lines: r.lines.map((l) => ({ ...l, amount: Number(l.amount) })),
    description: r.description,
    payeeAgency: r.payee_agency,
    payer: { accountId: r.payer_account, name: r.payer_name, idNumber: r.payer_id_number },
    status: r.status,
    late: r.late,
    duplicate: r.duplicate,
    method: r.method,
    intermediary: r.intermediary,
    intermediaryTxn: r.intermediary_txn,
    partnerCode: r.partner_code,
    partnerRef: r.partner_ref,
    returnUrl: r.return_url,
    details: r.details,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    succeededAt: r.succeeded_at,
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** DVC + 10 Crockford base32 characters (50 random bits): the MaThamChieu and the transfer content. */
export function newReference(): string {
  const bytes = randomBytes(10);
  let out = 'DVC';
  for (let i = 0; i < 10; i++) out += CROCKFORD[bytes[i]! & 31];
  return out;
}

/** A reference anywhere in a transfer's content (banks upper-case, add prefixes, drop spaces). */
export function referenceIn(content: string): string | undefined {
  const m = /DVC[0-9A-HJKMNP-TV-Z]{10}/.exec(content.toUpperCase());
  return m?.[0];
}

export interface NewPayment {
  kind: PaymentKind;
  subject: string;
  billKey: string;
  lines: PaymentLine[];
  description: string;
  payeeAgency: string;
  payer: { accountId?: string | null; name?: string | null; idNumber?: string | null };
  partnerCode?: string;
  partnerRef?: string;
  returnUrl?: string;
  details?: Record<string, unknown>;
  expiresAt: Date;
}

/** Inserts, or answers the bill's open payment (one open payment per bill); `created` says which. */
export async function insertOrOpen(db: AnyDb, p: NewPayment): Promise<{ row: PaymentRow; created: boolean }> {
  const amount = p.lines.reduce((s, l) => s + l.amount, 0);
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await sql<PaymentRow>`
      insert into payments.payments (reference, kind, subject, bill_key, amount, lines, description, payee_agency,
        payer_account, payer_name, payer_id_number, partner_code, partner_ref, return_url, details, expires_at)
      values (${newReference()}, ${p.kind}, ${p.subject}, ${p.billKey}, ${amount}, ${JSON.stringify(p.lines)}::jsonb,
        ${p.description}, ${p.payeeAgency}, ${p.payer.accountId ?? null}, ${p.payer.name ?? null},
        ${p.payer.idNumber ?? null}, ${p.partnerCode ?? null}, ${p.partnerRef ?? null}, ${p.returnUrl ?? null},
        ${JSON.stringify(p.details ?? {})}::jsonb, ${p.expiresAt})
      on conflict (bill_key) where status in ('created', 'pending') do nothing
      returning *`.execute(db);
    if (r.rows[0]) return { row: r.rows[0], created: true };
    const open = await sql<PaymentRow>`
      select * from payments.payments where bill_key = ${p.billKey} and status in ('created', 'pending')`.execute(
      db,
    );
    if (open.rows[0]) return { row: open.rows[0], created: false };
    // The open one settled between the two statements: try again.
  }
  throw new Error(`payment for ${p.billKey}: could not insert nor find the open one`);
}

export async function lockByReference(db: AnyDb, reference: string): Promise<PaymentRow | undefined> {
  const r =
    await sql<PaymentRow>`select * from payments.payments where reference = ${reference} for update`.execute(
      db,
    );
  return r.rows[0];
}

export async function lockById(db: AnyDb, id: string): Promise<PaymentRow | undefined> {
  const r = await sql<PaymentRow>`select * from payments.payments where id = ${id} for update`.execute(db);
  return r.rows[0];
}

export async function byId(db: AnyDb, id: string): Promise<PaymentRow | undefined> {
  const r = await sql<PaymentRow>`select * from payments.payments where id = ${id}`.execute(db);
  return r.rows[0];
}

export async function byReference(db: AnyDb, reference: string): Promise<PaymentRow | undefined> {
  const r = await sql<PaymentRow>`select * from payments.payments where reference = ${reference}`.execute(db);
  return r.rows[0];
}

export async function byPartnerRef(db: AnyDb, partner: string, ref: string): Promise<PaymentRow | undefined> {
  const r = await sql<PaymentRow>`
    select * from payments.payments where partner_code = ${partner} and partner_ref = ${ref}`.execute(db);
  return r.rows[0];
}

/** Has the bill been paid (by a payment that is not itself a duplicate)? */
export async function billPaid(db: AnyDb, billKey: string): Promise<PaymentRow | undefined> {
  const r = await sql<PaymentRow>`
    select * from payments.payments
     where bill_key = ${billKey} and status = 'succeeded' and not duplicate
     order by succeeded_at limit 1`.execute(db);
  return r.rows[0];
}

export async function addEvent(
  db: AnyDb,
  e: {
    paymentId: string;
    from: PaymentStatus | null;
    to: PaymentStatus;
    source: EventSource;
    at: Date;
    details?: object;
  },
): Promise<void> {
  await sql`insert into payments.events (payment_id, at, from_status, to_status, source, details)
            values (${e.paymentId}, ${e.at}, ${e.from}, ${e.to}, ${e.source}, ${JSON.stringify(e.details ?? {})}::jsonb)`.execute(
    db,
  );
}

export interface EventRow {
  at: Date;
  from_status: PaymentStatus | null;
  to_status: PaymentStatus;
  source: EventSource;
  details: Record<string, unknown>;
}

export async function eventsOf(db: AnyDb, paymentId: string): Promise<EventRow[]> {
  const r = await sql<EventRow>`
    select at, from_status, to_status, source, details from payments.events where payment_id = ${paymentId} order by id`.execute(
    db,
  );
  return r.rows;
}
