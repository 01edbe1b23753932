/**
 * "Who accessed my data": one row per read of a person's personal data by an officer or a machine
 * client, written in the same transaction as the read's own audit. Other modules (dossiers, sync,
 * payments) record their officers' and systems' reads through `recordDataAccess` from the module's
 * public API; the person sees every row on their account page.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';

export interface DataAccess {
  /** Whose data was read (the person's account). */
  accountId: string;
  accessorKind: 'officer' | 'client';
  /** The officer's account id, or the client_id. */
  accessorId: string;
  /** What the person is shown: the officer's name and agency, or the client's name. */
  accessorName: string;
  /** Why, in Vietnamese (1–200 characters). */
  purpose: string;
  /** Which fields were read (claim names such as HoVaTen, SoDinhDanh). */
  fields: string[];
}

export async function recordDataAccess(db: AnyDb, a: DataAccess): Promise<void> {
  await sql`
    insert into identity.data_access_log (account_id, accessor_kind, accessor_id, accessor_name, purpose, fields)
    values (${a.accountId}, ${a.accessorKind}, ${a.accessorId}, ${a.accessorName.slice(0, 300)},
            ${a.purpose.normalize('NFC').slice(0, 200)}, ${a.fields})`.execute(db);
}
