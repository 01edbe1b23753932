/** Queries on the catalogue's procedures, versions, sectors and bundles. The database (or transaction) comes first. */
import { type Kysely, sql } from 'kysely';
import type { CatalogueTables, Origin } from './catalogue.tables.ts';
import type { VersionState } from './domain/lifecycle.ts';
import type { ProcedureContent } from './domain/procedure.ts';

type Db = Kysely<CatalogueTables>;

export interface VersionRow {
  code: string;
  version: number;
  state: VersionState;
  name: string;
  content: ProcedureContent;
  content_hash: string;
  origin: Origin;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  published_at: Date | null;
  superseded_at: Date | null;
  withdrawn_at: Date | null;
}

export interface ProcedureRow {
  code: string;
  owner_agency_code: string;
  province_code: string | null;
  popularity: number;
  origin: Origin;
  created_at: Date;
  created_by: string | null;
}

export async function findProcedure(db: Db, code: string): Promise<ProcedureRow | undefined> {
  return db.selectFrom('catalogue.procedures').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findPublicVersion(db: Db, code: string): Promise<VersionRow | undefined> {
  return (await db
    .selectFrom('catalogue.procedure_versions')
    .selectAll()
    .where('code', '=', code)
    .where('state', 'in', ['published', 'pending-withdrawal'])
    .executeTakeFirst()) as VersionRow | undefined;
}

export async function findVersion(db: Db, code: string, version: number): Promise<VersionRow | undefined> {
  return (await db
    .selectFrom('catalogue.procedure_versions')
    .selectAll()
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst()) as VersionRow | undefined;
}

/** The version row locked for an update (`for update`). */
export async function lockVersion(db: Db, code: string, version: number): Promise<VersionRow | undefined> {
  return (await db
    .selectFrom('catalogue.procedure_versions')
    .selectAll()
    .where('code', '=', code)
    .where('version', '=', version)
    .forUpdate()
    .executeTakeFirst()) as VersionRow | undefined;
}

export async function findVersions(db: Db, code: string) {
  return db
    .selectFrom('catalogue.procedure_versions')
    .select([
      'code',
      'version',
      'state',
      'name',
      'origin',
      'created_at',
      'updated_at',
      'published_at',
      'superseded_at',
      'withdrawn_at',
    ])
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
}

export async function findEvents(db: Db, code: string) {
  return db
    .selectFrom('catalogue.version_events')
    .select(['version', 'action', 'from_state', 'to_state', 'actor', 'note', 'at'])
    .where('code', '=', code)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export async function insertProcedure(
  db: Db,
  row: {
    code: string;
    owner_agency_code: string;
    province_code: string | null;
    popularity: number;
    origin: Origin;
    created_by: string | null;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('catalogue.procedures')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function maxVersion(db: Db, code: string): Promise<number> {
  const r = await db
    .selectFrom('catalogue.procedure_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function insertVersion(
  db: Db,
  row: {
    code: string;
    version: number;
    state: VersionState;
    content: ProcedureContent;
    content_hash: string;
    origin: Origin;
    created_by: string | null;
    published_at?: Date | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('catalogue.procedure_versions')
    .values({
      code: row.code,
      version: row.version,
      state: row.state,
      name: row.content.name,
      content: JSON.stringify(row.content),
      content_hash: row.content_hash,
      origin: row.origin,
      created_by: row.created_by,
      created_at: row.at,
      updated_at: row.at,
      published_at: row.published_at ?? null,
    })
    .execute();
}

export async function updateContent(
  db: Db,
  code: string,
  version: number,
  content: ProcedureContent,
  hash: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('catalogue.procedure_versions')
    .set({ content: JSON.stringify(content), name: content.name, content_hash: hash, updated_at: at })
    .where('code', '=', code)
    .where('version', '=', version)
    .execute();
}

export async function setState(
  db: Db,
  code: string,
  version: number,
  state: VersionState,
  at: Date,
): Promise<void> {
  await db
    .updateTable('catalogue.procedure_versions')
    .set({
      state,
      updated_at: at,
      ...(state === 'published' ? { published_at: sql<Date>`coalesce(published_at, ${at})` } : {}),
      ...(state === 'superseded' ? { superseded_at: at } : {}),
      ...(state === 'withdrawn' ? { withdrawn_at: at } : {}),
    })
    .where('code', '=', code)
    .where('version', '=', version)
    .execute();
}

/** Sets how much a procedure is used; the number of procedures updated (0: no such code). */
export async function setPopularity(db: Db, code: string, popularity: number): Promise<number> {
  const r = await db
    .updateTable('catalogue.procedures')
    .set({ popularity })
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function insertEvent(
  db: Db,
  e: {
    code: string;
    version: number;
    action: string;
    from_state: string | null;
    to_state: string | null;
    actor: string;
    note: string | null;
    at: Date;
  },
): Promise<void> {
  await db.insertInto('catalogue.version_events').values(e).execute();
}

export async function findSectors(db: Db) {
  return db.selectFrom('catalogue.sectors').selectAll().orderBy('name').execute();
}

export async function findSector(db: Db, code: string) {
  return db.selectFrom('catalogue.sectors').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function sectorCodes(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('catalogue.sectors').select('code').execute()).map((r) => r.code));
}

/**
 * A sector an import brings (name as the import wrote it; no English name, no owning agency), added
 * unless a sector with its code exists: an existing sector keeps its name.
 */
export async function insertSectorIfAbsent(db: Db, s: { code: string; name: string; nameFolded: string }) {
  await db
    .insertInto('catalogue.sectors')
    .values({
      code: s.code,
      name: s.name,
      name_en: null,
      name_folded: s.nameFolded,
      agency_code: null,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function findBundles(db: Db) {
  return db.selectFrom('catalogue.bundles').selectAll().orderBy('code').execute();
}

export async function findBundle(db: Db, code: string) {
  return db.selectFrom('catalogue.bundles').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Procedures owned by these agencies, with their latest and public versions (officer listings). */
export async function findOwnedBy(db: Db, agencyCodes: string[], limit = 500) {
  if (agencyCodes.length === 0) return [];
  const rows = await sql<{
    code: string;
    owner_agency_code: string;
    latest_version: number;
    latest_state: VersionState;
    name: string;
    public_version: number | null;
    updated_at: Date;
  }>`
    select p.code, p.owner_agency_code, l.version as latest_version, l.state as latest_state, l.name,
           (select v.version from catalogue.procedure_versions v
             where v.code = p.code and v.state in ('published', 'pending-withdrawal')) as public_version,
           l.updated_at
      from catalogue.procedures p
      join lateral (select version, state, name, updated_at from catalogue.procedure_versions v
                     where v.code = p.code order by version desc limit 1) l on true
     where p.owner_agency_code = any(${agencyCodes}::text[])
     order by l.updated_at desc, p.code
     limit ${limit}`.execute(db);
  return rows.rows;
}

/** Versions waiting for the Government Office: testing (to publish) and pending withdrawal (to approve). */
export async function findQueue(db: Db) {
  const rows = await sql<{
    code: string;
    version: number;
    state: VersionState;
    name: string;
    owner_agency_code: string;
    updated_at: Date;
  }>`
    select v.code, v.version, v.state, v.name, p.owner_agency_code, v.updated_at
      from catalogue.procedure_versions v join catalogue.procedures p on p.code = v.code
     where v.state in ('testing', 'pending-withdrawal')
     order by v.updated_at, v.code
     limit 500`.execute(db);
  return rows.rows;
}

export interface ExportFilter {
  sector?: string | undefined;
  agency?: string | undefined;
  province?: string | undefined;
}

export interface PublishedRow {
  code: string;
  version: number;
  state: VersionState;
  content: ProcedureContent;
  published_at: Date | null;
  owner_agency_code: string;
  popularity: number;
}

function exportWhere(f: ExportFilter) {
  return sql.join(
    [
      sql`v.state in ('published', 'pending-withdrawal')`,
      ...(f.sector ? [sql`v.content -> 'sectorCodes' ? ${f.sector}`] : []),
      ...(f.agency ? [sql`p.owner_agency_code = ${f.agency}`] : []),
      ...(f.province ? [sql`p.province_code = ${f.province}`] : []),
    ],
    sql` and `,
  );
}

export async function countPublished(db: Db, f: ExportFilter): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from catalogue.procedure_versions v join catalogue.procedures p on p.code = v.code
     where ${exportWhere(f)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Published versions for the export, in code order, one page at a time. */
export async function findPublishedPage(
  db: Db,
  afterCode: string,
  limit: number,
  f: ExportFilter = {},
): Promise<PublishedRow[]> {
  const r = await sql<PublishedRow>`
    select v.code, v.version, v.state, v.content, v.published_at, p.owner_agency_code, p.popularity
      from catalogue.procedure_versions v join catalogue.procedures p on p.code = v.code
     where ${exportWhere(f)} and v.code > ${afterCode}
     order by v.code limit ${limit}`.execute(db);
  return r.rows;
}

export async function countPublishedBySector(db: Db): Promise<Map<string, number>> {
  const r = await sql<{ code: string; n: number }>`
    select s as code, count(*)::int as n from catalogue.search_entries, unnest(sector_codes) s group by s`.execute(
    db,
  );
  return new Map(r.rows.map((x) => [x.code, Number(x.n)]));
}
