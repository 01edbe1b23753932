/**
 * The electronic certification register (sổ chứng thực) of an office: one open register per office,
 * kind and year (a partial unique index), numbers taken in the transaction that writes the entry. The
 * `update … returning` holds the register row's lock until that transaction ends, so concurrent
 * certifications queue on it and a rolled-back one gives its number back: the numbers of a register are
 * sequential and have no gaps.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';

export type RegisterKind = 'SCT/BS';

export interface RegisterEntry {
  registerId: string;
  book: string;
  number: number;
}

/** The book as printed: `01/2026-SCT/BS` (the n-th book of the year). */
export const bookName = (n: number, year: number, kind: RegisterKind) =>
  `${String(n).padStart(2, '0')}/${year}-${kind}`;

/**
 * Takes the next number of the office's open register of the kind for the year, opening the register
 * first if there is none (book 01, or the next book if an earlier one of the year was closed). Call it
 * inside the transaction that records the entry.
 */
export async function takeNumber(
  trx: AnyDb,
  agencyCode: string,
  kind: RegisterKind,
  year: number,
): Promise<RegisterEntry> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const taken = await sql<{ id: string; book: string; number: number }>`
      update documents.registers set next_number = next_number + 1
       where agency_code = ${agencyCode} and kind = ${kind} and year = ${year} and closed_at is null
      returning id::text as id, book, next_number - 1 as number`.execute(trx);
    const row = taken.rows[0];
    if (row) return { registerId: row.id, book: row.book, number: Number(row.number) };
    const books = await sql<{ n: number }>`
      select count(*)::int as n from documents.registers
       where agency_code = ${agencyCode} and kind = ${kind} and year = ${year}`.execute(trx);
    const book = bookName((books.rows[0]?.n ?? 0) + 1, year, kind);
    // A new year's first entry closes the office's registers of earlier years.
    await sql`
      update documents.registers set closed_at = now()
       where agency_code = ${agencyCode} and kind = ${kind} and year < ${year} and closed_at is null`.execute(
      trx,
    );
    // Two first certifications of the year at once: one opens the register, the other's insert does
    // nothing and its next round takes a number from the register the first opened.
    await sql`
      insert into documents.registers (agency_code, kind, year, book)
      values (${agencyCode}, ${kind}, ${year}, ${book})
      on conflict do nothing`.execute(trx);
  }
  throw new Error(`could not open a register for ${agencyCode} ${kind} ${year}`);
}

export interface RegisterSummary {
  id: string;
  kind: RegisterKind;
  year: number;
  book: string;
  entries: number;
  openedAt: Date;
  closedAt: Date | null;
}

/** An office's registers, newest first. */
export async function registersOf(db: AnyDb, agencyCode: string): Promise<RegisterSummary[]> {
  const r = await sql<{
    id: string;
    kind: RegisterKind;
    year: number;
    book: string;
    next_number: number;
    opened_at: Date;
    closed_at: Date | null;
  }>`select id::text as id, kind, year, book, next_number, opened_at, closed_at
       from documents.registers where agency_code = ${agencyCode}
      order by year desc, book desc limit 100`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    kind: x.kind,
    year: x.year,
    book: x.book,
    entries: x.next_number - 1,
    openedAt: x.opened_at,
    closedAt: x.closed_at,
  }));
}
