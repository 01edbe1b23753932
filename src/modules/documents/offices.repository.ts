/**
 * Certifying offices (`documents.offices`): the commune People's Committees and notary offices whose
 * certifiers certify copies from originals, where they are, and whether they take appointments now.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';

export type OfficeKind = 'commune' | 'notary';

export interface Office {
  agencyCode: string;
  kind: OfficeKind;
  name: string;
  communeCode: string | null;
  provinceCode: string;
  address: string | null;
  active: boolean;
}

interface OfficeRow {
  agency_code: string;
  kind: OfficeKind;
  name: string;
  commune_code: string | null;
  province_code: string;
  address: string | null;
  active: boolean;
}

const toOffice = (r: OfficeRow): Office => ({
  agencyCode: r.agency_code,
  kind: r.kind,
  name: r.name,
  communeCode: r.commune_code,
  provinceCode: r.province_code,
  address: r.address,
  active: r.active,
});

/** Active offices, optionally of one commune or one province, by name. */
export async function listOffices(
  db: AnyDb,
  filter: { commune?: string | undefined; province?: string | undefined } = {},
): Promise<Office[]> {
  const r = await sql<OfficeRow>`
    select agency_code, kind, name, commune_code, province_code, address, active
      from documents.offices
     where active
       and (${filter.commune ?? null}::text is null or commune_code = ${filter.commune ?? null})
       and (${filter.province ?? null}::text is null or province_code = ${filter.province ?? null})
     order by province_code, name
     limit 500`.execute(db);
  return r.rows.map(toOffice);
}

/** One office (active or not), or undefined. */
export async function getOffice(db: AnyDb, agencyCode: string): Promise<Office | undefined> {
  const r = await sql<OfficeRow>`
    select agency_code, kind, name, commune_code, province_code, address, active
      from documents.offices where agency_code = ${agencyCode}`.execute(db);
  return r.rows[0] ? toOffice(r.rows[0]) : undefined;
}

/** Registers an office or updates what is known of it (the operator's and the demo's seed). */
export async function upsertOffice(db: AnyDb, o: Office): Promise<void> {
  await sql`
    insert into documents.offices (agency_code, kind, name, commune_code, province_code, address, active)
    values (${o.agencyCode}, ${o.kind}, ${o.name}, ${o.communeCode}, ${o.provinceCode}, ${o.address}, ${o.active})
    on conflict (agency_code) do update set kind = excluded.kind, name = excluded.name,
      commune_code = excluded.commune_code, province_code = excluded.province_code,
      address = excluded.address, active = excluded.active`.execute(db);
}
