/**
 * The wallet's tables (documents.items, shares, share_accesses, consents, fetches): small typed queries,
 * the database or the current transaction first. Dates come back as 'YYYY-MM-DD' text and counts as
 * numbers on both PGlite and PostgreSQL.
 */
import { type RawBuilder, sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/index.ts';
import type { ItemKind } from './wallet.domain.ts';

export interface ItemRow {
  id: string;
  ownerId: string;
  kind: ItemKind;
  documentType: string;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  blobKey: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  fileName: string | null;
  certificationId: string | null;
  dossierCode: string | null;
  sourceSha256: string | null;
  signed: boolean;
  createdAt: Date;
  deletedAt: Date | null;
}

const ITEM_COLUMNS = sql`id::text as "id", owner_id as "ownerId", kind, document_type as "documentType", title,
  issuer, number, to_char(issued_on, 'YYYY-MM-DD') as "issuedOn", to_char(expires_on, 'YYYY-MM-DD') as "expiresOn",
  blob_key as "blobKey", sha256, size_bytes::int as "sizeBytes", content_type as "contentType",
  file_name as "fileName", certification_id::text as "certificationId", dossier_code as "dossierCode",
  source_sha256 as "sourceSha256", signed, created_at as "createdAt", deleted_at as "deletedAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

const rows = async <T>(q: RawBuilder<T>, db: AnyDb) => (await q.execute(db)).rows;

export interface NewItem {
  id: string;
  ownerId: string;
  kind: ItemKind;
  documentType: string;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  blobKey: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  fileName: string;
  certificationId: string | null;
  dossierCode: string | null;
  sourceSha256: string | null;
  signed: boolean;
  createdAt: Date;
}

/** Inserts an item; undefined when one of the unique indexes (copy, result) already holds it. */
export async function insertItem(db: AnyDb, i: NewItem): Promise<string | undefined> {
  const r = await rows(
    sql<{ id: string }>`
    insert into documents.items (id, owner_id, kind, document_type, title, issuer, number, issued_on, expires_on,
      blob_key, sha256, size_bytes, content_type, file_name, certification_id, dossier_code, source_sha256, signed,
      created_at)
    values (${i.id}, ${i.ownerId}, ${i.kind}, ${i.documentType}, ${i.title}, ${i.issuer}, ${i.number},
      ${i.issuedOn}::date, ${i.expiresOn}::date, ${i.blobKey}, ${i.sha256}, ${i.sizeBytes}, ${i.contentType},
      ${i.fileName}, ${i.certificationId}::uuid, ${i.dossierCode}, ${i.sourceSha256}, ${i.signed}, ${i.createdAt})
    on conflict do nothing
    returning id::text as id`,
    db,
  );
  return r[0]?.id;
}

/** The item already standing for the same copy or result of the owner (deleted or not). */
export async function findSameItem(
  db: AnyDb,
  i: {
    ownerId: string;
    kind: ItemKind;
    certificationId: string | null;
    dossierCode: string | null;
    sha256: string;
    sourceSha256: string | null;
  },
): Promise<ItemRow | undefined> {
  if (i.certificationId) {
    const r = await rows(
      sql<ItemRow>`select ${ITEM_COLUMNS} from documents.items
        where owner_id = ${i.ownerId} and certification_id = ${i.certificationId}::uuid`,
      db,
    );
    return r[0];
  }
  if (i.kind === 'dossier-result' && i.dossierCode) {
    const r = await rows(
      sql<ItemRow>`select ${ITEM_COLUMNS} from documents.items
        where owner_id = ${i.ownerId} and kind = 'dossier-result' and dossier_code = ${i.dossierCode}
          and (sha256 = ${i.sha256} or source_sha256 = ${i.sourceSha256})
        order by created_at limit 1`,
      db,
    );
    return r[0];
  }
  return undefined;
}

export async function itemOf(db: AnyDb, ownerId: string, id: string): Promise<ItemRow | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await rows(
    sql<ItemRow>`select ${ITEM_COLUMNS} from documents.items
      where id = ${id}::uuid and owner_id = ${ownerId} and deleted_at is null`,
    db,
  );
  return r[0];
}

/** An item by id whoever owns it (the share page, the agencies' signed links), deleted or not. */
export async function itemById(db: AnyDb, id: string): Promise<ItemRow | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await rows(sql<ItemRow>`select ${ITEM_COLUMNS} from documents.items where id = ${id}::uuid`, db);
  return r[0];
}

export interface ItemFilter {
  kind?: ItemKind | undefined;
  documentType?: string | undefined;
  q?: string | undefined;
}

export async function itemsOf(
  db: AnyDb,
  ownerId: string,
  f: ItemFilter = {},
  limit = 500,
): Promise<ItemRow[]> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return rows(
    sql<ItemRow>`select ${ITEM_COLUMNS} from documents.items
      where owner_id = ${ownerId} and deleted_at is null
        and (${f.kind ?? null}::text is null or kind = ${f.kind ?? null})
        and (${f.documentType ?? null}::text is null or document_type = ${f.documentType ?? null})
        and (${like}::text is null or title ilike ${like} or coalesce(issuer, '') ilike ${like}
             or coalesce(number, '') ilike ${like})
      order by created_at desc, id
      limit ${limit}`,
    db,
  );
}

/** Items of the owner answering an agency's request: type code or number (MaKetQua, SoKyHieu). */
export async function itemsMatching(
  db: AnyDb,
  ownerId: string,
  wanted: Array<{ documentType: string; number: string | null }>,
): Promise<ItemRow[]> {
  const out: ItemRow[] = [];
  const seen = new Set<string>();
  for (const w of wanted) {
    const r = await rows(
      sql<ItemRow>`select ${ITEM_COLUMNS} from documents.items
        where owner_id = ${ownerId} and deleted_at is null and document_type = ${w.documentType}
          and (${w.number}::text is null or number = ${w.number})
        order by created_at desc limit 20`,
      db,
    );
    for (const i of r) {
      if (seen.has(i.id)) continue;
      seen.add(i.id);
      out.push(i);
    }
  }
  return out;
}

export async function updateItemMetadata(
  db: AnyDb,
  ownerId: string,
  id: string,
  m: {
    documentType: string;
    title: string;
    issuer: string | null;
    number: string | null;
    issuedOn: string | null;
    expiresOn: string | null;
  },
): Promise<boolean> {
  const r = await sql`
    update documents.items set document_type = ${m.documentType}, title = ${m.title}, issuer = ${m.issuer},
      number = ${m.number}, issued_on = ${m.issuedOn}::date, expires_on = ${m.expiresOn}::date
    where id = ${id}::uuid and owner_id = ${ownerId} and kind = 'upload' and deleted_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function markItemDeleted(db: AnyDb, ownerId: string, id: string, at: Date): Promise<boolean> {
  const r = await sql`
    update documents.items set deleted_at = ${at}
    where id = ${id}::uuid and owner_id = ${ownerId} and deleted_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

// --- sharing links -------------------------------------------------------------------------------

export interface ShareRow {
  id: string;
  itemId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  accessCount: number;
  lastAccessAt: Date | null;
}

const SHARE_COLUMNS = sql`id::text as "id", item_id::text as "itemId", created_by as "createdBy",
  created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt",
  access_count::int as "accessCount", last_access_at as "lastAccessAt"`;

export async function insertShare(
  db: AnyDb,
  s: { id: string; itemId: string; tokenHash: string; createdBy: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await sql`
    insert into documents.shares (id, item_id, token_hash, created_by, created_at, expires_at)
    values (${s.id}, ${s.itemId}::uuid, ${s.tokenHash}, ${s.createdBy}, ${s.createdAt}, ${s.expiresAt})`.execute(
    db,
  );
}

export async function sharesOfItem(db: AnyDb, itemId: string): Promise<ShareRow[]> {
  return rows(
    sql<ShareRow>`select ${SHARE_COLUMNS} from documents.shares where item_id = ${itemId}::uuid
      order by created_at desc limit 100`,
    db,
  );
}

export async function shareByTokenHash(db: AnyDb, hash: string): Promise<ShareRow | undefined> {
  const r = await rows(
    sql<ShareRow>`select ${SHARE_COLUMNS} from documents.shares where token_hash = ${hash}`,
    db,
  );
  return r[0];
}

/** Revokes a live link of the owner; false when it is not theirs or already revoked. */
export async function revokeShareRow(db: AnyDb, ownerId: string, id: string, at: Date): Promise<boolean> {
  if (!isUuid(id)) return false;
  const r = await sql`
    update documents.shares s set revoked_at = ${at}
    from documents.items i
    where s.id = ${id}::uuid and s.item_id = i.id and i.owner_id = ${ownerId} and s.revoked_at is null`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function logShareAccess(
  db: AnyDb,
  a: {
    shareId: string;
    at: Date;
    what: 'view' | 'download';
    outcome: 'served' | 'expired' | 'revoked' | 'deleted';
    addressHash: string | null;
  },
): Promise<void> {
  await sql`
    insert into documents.share_accesses (share_id, at, what, outcome, address_hash)
    values (${a.shareId}::uuid, ${a.at}, ${a.what}, ${a.outcome}, ${a.addressHash})`.execute(db);
  if (a.outcome === 'served')
    await sql`update documents.shares set access_count = access_count + 1, last_access_at = ${a.at}
      where id = ${a.shareId}::uuid`.execute(db);
}

export async function shareAccesses(db: AnyDb, shareId: string) {
  return rows(
    sql<{ at: Date; what: string; outcome: string }>`select at, what, outcome from documents.share_accesses
      where share_id = ${shareId}::uuid order by at desc, id desc limit 200`,
    db,
  );
}

// --- consents and fetches ------------------------------------------------------------------------

export interface ConsentRow {
  id: string;
  ownerId: string;
  agencyCode: string;
  procedureCode: string | null;
  validUntil: Date;
  createdAt: Date;
  revokedAt: Date | null;
}

const CONSENT_COLUMNS = sql`id::text as "id", owner_id as "ownerId", agency_code as "agencyCode",
  procedure_code as "procedureCode", valid_until as "validUntil", created_at as "createdAt", revoked_at as "revokedAt"`;

export async function insertConsent(db: AnyDb, c: Omit<ConsentRow, 'revokedAt'>): Promise<void> {
  await sql`insert into documents.consents (id, owner_id, agency_code, procedure_code, valid_until, created_at)
    values (${c.id}, ${c.ownerId}, ${c.agencyCode}, ${c.procedureCode}, ${c.validUntil}, ${c.createdAt})`.execute(
    db,
  );
}

export async function consentsOf(db: AnyDb, ownerId: string): Promise<ConsentRow[]> {
  return rows(
    sql<ConsentRow>`select ${CONSENT_COLUMNS} from documents.consents where owner_id = ${ownerId}
      order by created_at desc limit 200`,
    db,
  );
}

export async function revokeConsentRow(db: AnyDb, ownerId: string, id: string, at: Date): Promise<boolean> {
  if (!isUuid(id)) return false;
  const r = await sql`update documents.consents set revoked_at = ${at}
    where id = ${id}::uuid and owner_id = ${ownerId} and revoked_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** A live consent of the owner for one of the agencies, for the procedure (or any procedure). */
export async function liveConsent(
  db: AnyDb,
  ownerId: string,
  agencyCodes: string[],
  procedureCode: string | null,
  now: Date,
): Promise<ConsentRow | undefined> {
  if (agencyCodes.length === 0) return undefined;
  const r = await rows(
    sql<ConsentRow>`select ${CONSENT_COLUMNS} from documents.consents
      where owner_id = ${ownerId} and agency_code = any(${agencyCodes}::text[]) and revoked_at is null
        and valid_until > ${now} and (procedure_code is null or procedure_code = ${procedureCode})
      order by procedure_code nulls last, valid_until desc limit 1`,
    db,
  );
  return r[0];
}

export interface FetchRow {
  id: number;
  at: Date;
  clientId: string;
  clientName: string;
  agencyCode: string;
  procedureCode: string | null;
  requesterName: string | null;
  itemIds: string[];
}

export async function insertFetch(
  db: AnyDb,
  f: {
    at: Date;
    clientId: string;
    clientName: string;
    agencyCode: string;
    ownerId: string;
    consentId: string;
    procedureCode: string | null;
    channel: string | null;
    requesterName: string | null;
    requesterIdNumber: string | null;
    requested: unknown;
    itemIds: string[];
  },
): Promise<void> {
  await sql`insert into documents.fetches (at, client_id, client_name, agency_code, owner_id, consent_id,
      procedure_code, channel, requester_name, requester_id_number, requested, item_ids)
    values (${f.at}, ${f.clientId}, ${f.clientName}, ${f.agencyCode}, ${f.ownerId}, ${f.consentId}::uuid,
      ${f.procedureCode}, ${f.channel}, ${f.requesterName}, ${f.requesterIdNumber},
      ${JSON.stringify(f.requested)}::jsonb, ${f.itemIds}::uuid[])`.execute(db);
}

export async function fetchesOf(db: AnyDb, ownerId: string, limit = 100): Promise<FetchRow[]> {
  return rows(
    sql<FetchRow>`select id::int as "id", at, client_id as "clientId", client_name as "clientName",
        agency_code as "agencyCode", procedure_code as "procedureCode", requester_name as "requesterName",
        item_ids::text[] as "itemIds"
      from documents.fetches where owner_id = ${ownerId} order by at desc, id desc limit ${limit}`,
    db,
  );
}
