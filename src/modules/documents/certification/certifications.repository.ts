/**
 * `documents.certifications`: acts of certification of a copy from its paper original, from opening at
 * the counter to the signed copy, and their revocation.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';

export type CertificationStatus = 'awaiting-fee' | 'numbered' | 'issued' | 'cancelled';
export type CertificationSource = 'appointment' | 'walk-in' | 'dossier';

export interface CertificationRow {
  id: string;
  agency_code: string;
  certifier_id: string;
  source: CertificationSource;
  appointment_id: string | null;
  dossier_code: string | null;
  requester_account_id: string | null;
  requester_name: string;
  requester_id_number: string | null;
  document_type: string;
  document_title: string;
  document_issuer: string | null;
  document_number: string | null;
  document_date: string | null;
  pages: number;
  copies: number;
  fee: number;
  payment_id: string | null;
  status: CertificationStatus;
  scan_key: string;
  scan_sha256: string;
  register_id: string | null;
  register_number: number | null;
  book: string | null;
  public_code: string;
  signed_key: string | null;
  signed_sha256: string | null;
  signed_size: number | null;
  created_at: Date;
  paid_at: Date | null;
  numbered_at: Date | null;
  issued_at: Date | null;
  cancelled_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  revoked_by: string | null;
}

const SELECT = sql`
  select c.id, c.agency_code, c.certifier_id, c.source, c.appointment_id, c.dossier_code,
         c.requester_account_id, c.requester_name, c.requester_id_number, c.document_type, c.document_title,
         c.document_issuer, c.document_number, to_char(c.document_date, 'YYYY-MM-DD') as document_date,
         c.pages, c.copies, c.fee, c.payment_id, c.status, c.scan_key, c.scan_sha256,
         c.register_id::text as register_id, c.register_number, r.book, c.public_code, c.signed_key,
         c.signed_sha256, c.signed_size, c.created_at, c.paid_at, c.numbered_at, c.issued_at, c.cancelled_at,
         c.revoked_at, c.revoked_reason, c.revoked_by
    from documents.certifications c
    left join documents.registers r on r.id = c.register_id`;

const normalise = (r: CertificationRow): CertificationRow => ({
  ...r,
  fee: Number(r.fee),
  pages: Number(r.pages),
  copies: Number(r.copies),
  register_number: r.register_number === null ? null : Number(r.register_number),
  signed_size: r.signed_size === null ? null : Number(r.signed_size),
});

export async function certificationById(
  db: AnyDb,
  id: string,
  lock = false,
): Promise<CertificationRow | undefined> {
  if (lock) await sql`select 1 from documents.certifications where id = ${id} for update`.execute(db);
  const r = await sql<CertificationRow>`${SELECT} where c.id = ${id}`.execute(db);
  return r.rows[0] ? normalise(r.rows[0]) : undefined;
}

export async function certificationByCode(db: AnyDb, code: string): Promise<CertificationRow | undefined> {
  const r = await sql<CertificationRow>`${SELECT} where c.public_code = ${code}`.execute(db);
  return r.rows[0] ? normalise(r.rows[0]) : undefined;
}

export async function certificationBySignedHash(
  db: AnyDb,
  sha256: string,
): Promise<CertificationRow | undefined> {
  const r = await sql<CertificationRow>`${SELECT} where c.signed_sha256 = ${sha256}`.execute(db);
  return r.rows[0] ? normalise(r.rows[0]) : undefined;
}

/** An office's certifications, newest first, optionally of one status or one Vietnam day. */
export async function certificationsOf(
  db: AnyDb,
  agencies: readonly string[],
  filter: { status?: CertificationStatus | undefined; day?: string | undefined } = {},
): Promise<CertificationRow[]> {
  if (agencies.length === 0) return [];
  const from = filter.day ? new Date(`${filter.day}T00:00:00+07:00`) : null;
  const r = await sql<CertificationRow>`${SELECT}
     where c.agency_code in (${sql.join([...agencies])})
       ${filter.status ? sql`and c.status = ${filter.status}` : sql``}
       ${from ? sql`and c.created_at >= ${from} and c.created_at < ${new Date(from.getTime() + 86_400_000)}` : sql``}
     order by c.created_at desc limit 200`.execute(db);
  return r.rows.map(normalise);
}

/** Numbered but not yet signed and stored for longer than `olderThanMs` (a crash between the steps). */
export async function unfinished(db: AnyDb, before: Date): Promise<string[]> {
  const r = await sql<{ id: string }>`
    select id from documents.certifications where status = 'numbered' and numbered_at < ${before}
     order by numbered_at limit 100`.execute(db);
  return r.rows.map((x) => x.id);
}
