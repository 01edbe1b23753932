/**
 * What the officers' side checks before it writes: a procedure's content against today's sectors and
 * agencies, the officer's catalogue roles at the procedure's agency (a procedure outside the officer's
 * scope answers 404 like one that does not exist), and the search entry of a version made public.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../../platform/audit/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { nfc } from '../../platform/i18n/index.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueTables } from './catalogue.tables.ts';
import type { CatalogueRole } from './domain/lifecycle.ts';
import { type ContentContext, contentProblems, type ProcedureContent } from './domain/procedure.ts';
import { indexDocument } from './index-document.ts';
import type { ReferenceLists } from './reference-lists.ts';
import * as search from './search.repository.ts';

export const contentHash = (c: ProcedureContent) =>
  createHash('sha256').update(canonicalJson(c)).digest('hex');

/** NFC every string of a JSON value (text typed on any keyboard compares and folds the same). */
export function nfcDeep<T>(value: T): T {
  if (typeof value === 'string') return nfc(value) as T;
  if (Array.isArray(value)) return value.map(nfcDeep) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcDeep(v)])) as T;
  return value;
}

export const actorOf = (accountId: string) => `officer:${accountId}`;

export interface ProcedureChecksDeps {
  db: Kysely<CatalogueTables>;
  lists: Pick<ReferenceLists, 'agencyDirectory' | 'provinceNames'>;
  /** From the identity module: does the account hold the role at the agency (or above it)? */
  can(accountId: string, role: CatalogueRole, agencyCode: string): Promise<boolean>;
}

export function createProcedureChecks(deps: ProcedureChecksDeps) {
  const { db } = deps;
  const { agencyDirectory, provinceNames } = deps.lists;

  async function validate(
    content: unknown,
    extraSectors: string[] = [],
    conn: Kysely<CatalogueTables> = db,
  ): Promise<ProcedureContent> {
    const c = nfcDeep(content);
    const agencies = await agencyDirectory();
    const ctx: ContentContext = {
      knownSectors: new Set([...(await repo.sectorCodes(conn)), ...extraSectors]),
      knownAgencies: new Set(agencies.keys()),
    };
    const problems = contentProblems(c, ctx);
    if (problems.length > 0)
      throw new ValidationError(
        `Nội dung thủ tục chưa hợp lệ (${problems.length} lỗi): ${problems[0]!.message}${problems.length > 1 ? '…' : ''}`,
        problems,
      );
    return c as ProcedureContent;
  }

  /** The catalogue roles the officer holds at this agency (or above it). */
  async function rolesAt(accountId: string, agencyCode: string): Promise<Set<CatalogueRole>> {
    const roles = new Set<CatalogueRole>();
    if (await deps.can(accountId, 'agency-admin', agencyCode)) roles.add('agency-admin');
    if (await deps.can(accountId, 'vpcp-supervisor', agencyCode)) roles.add('vpcp-supervisor');
    return roles;
  }

  /** The procedure if the officer may see it on the officers' side; otherwise 404. */
  async function procedureInScope(accountId: string, code: string) {
    const p = await repo.findProcedure(db, code);
    if (!p) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
    const roles = await rolesAt(accountId, p.owner_agency_code);
    if (roles.size === 0) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
    return { procedure: p, roles };
  }

  async function indexVersion(
    trx: Kysely<CatalogueTables>,
    p: repo.ProcedureRow,
    version: number,
    content: ProcedureContent,
  ): Promise<void> {
    const [sectors, provinces] = await Promise.all([
      repo.findSectors(trx),
      provinceNames().catch(() => new Map<string, string>()),
    ]);
    const sectorMap = new Map(sectors.map((s) => [s.code, s.name]));
    await search.upsertEntry(
      trx,
      indexDocument(p.code, version, content, {
        ownerAgencyCode: p.owner_agency_code,
        provinceCode: p.province_code,
        popularity: p.popularity,
        sectorName: (s) => sectorMap.get(s),
        provinceName: (c) => provinces.get(c),
      }),
    );
  }

  return { validate, rolesAt, procedureInScope, indexVersion };
}

export type ProcedureChecks = ReturnType<typeof createProcedureChecks>;
