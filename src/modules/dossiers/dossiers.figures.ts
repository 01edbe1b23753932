/**
 * Figures other modules read about dossiers filed on the portal (through app.ts, never their tables):
 * how many each agency received in a period — the "received" term of indicator 1.4 of Decision 766.
 */

import type { Kysely } from 'kysely';
import { addDays } from '../../platform/clock/index.ts';
import type { DossiersTables } from './dossiers.tables.ts';

/** Dossiers received (NgayTiepNhan) by these receiving units between two Vietnam dates, inclusive. */
export async function receivedCounts(
  db: Kysely<DossiersTables>,
  agencyCodes: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (agencyCodes.length === 0) return out;
  const rows = await db
    .selectFrom('dossiers.dossiers')
    .select(['receiving_agency_code as agency', (eb) => eb.fn.countAll<number>().as('n')])
    .where('receiving_agency_code', 'in', [...agencyCodes])
    .where('received_at', '>=', new Date(`${from}T00:00:00+07:00`))
    .where('received_at', '<', new Date(`${addDays(to, 1)}T00:00:00+07:00`))
    .groupBy('receiving_agency_code')
    .execute();
  for (const r of rows) out.set(r.agency, Number(r.n));
  return out;
}
