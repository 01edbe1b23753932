/**
 * Reading the catalogue: a procedure's public version (or an earlier published one, or a version in
 * the works for the officers in scope), sectors, bundles of linked procedures, and the published
 * versions page by page for the export.
 */
import type { Kysely } from 'kysely';
import { NotFoundError } from '../../platform/errors/index.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueTables } from './catalogue.tables.ts';
import { foldText } from './domain/search-text.ts';
import type { ProcedureChecks } from './procedure-checks.ts';
import type { ReferenceLists } from './reference-lists.ts';

export interface CatalogueReadingDeps {
  db: Kysely<CatalogueTables>;
  lists: ReferenceLists;
  checks: Pick<ProcedureChecks, 'procedureInScope'>;
}

export function createCatalogueReading(deps: CatalogueReadingDeps) {
  const { db } = deps;
  const { sectorNames, agencyDirectory, provinceNames } = deps.lists;
  const { procedureInScope } = deps.checks;

  async function detailOf(p: repo.ProcedureRow, v: repo.VersionRow & { published_at: Date }) {
    const code = p.code;
    const [sectors, agencies, provinces, versions] = await Promise.all([
      sectorNames(),
      agencyDirectory(),
      provinceNames(),
      repo.findVersions(db, code),
    ]);
    const bundles = (await repo.findBundles(db)).filter((b) => b.member_codes.includes(code));
    return {
      code: v.code,
      version: v.version,
      state: v.state,
      publishedAt: v.published_at.toISOString(),
      ownerAgency: {
        code: p.owner_agency_code,
        name: agencies.get(p.owner_agency_code)?.name ?? p.owner_agency_code,
      },
      province: p.province_code
        ? { code: p.province_code, name: provinces.get(p.province_code) ?? p.province_code }
        : null,
      popularity: p.popularity,
      sectors: v.content.sectorCodes.map((s) => ({ code: s, name: sectors.get(s) ?? s })),
      content: v.content,
      versions: versions
        .filter((x) => x.published_at !== null)
        .map((x) => ({ version: x.version, state: x.state, publishedAt: x.published_at!.toISOString() })),
      bundles: bundles.map((b) => ({ code: b.code, name: b.name })),
    };
  }

  return {
    /** The public version of a procedure (or an earlier published version, for a dossier filed under it). */
    async getProcedure(code: string, options: { version?: number | undefined } = {}) {
      const p = await repo.findProcedure(db, code);
      const v =
        options.version === undefined
          ? await repo.findPublicVersion(db, code)
          : await repo.findVersion(db, code, options.version);
      // Drafts and versions under test are not public; they answer 404 like a missing code.
      if (!p || !v || v.published_at === null)
        throw new NotFoundError(
          options.version === undefined
            ? `Không có thủ tục mã ${code} đang công khai.`
            : `Không có phiên bản ${options.version} đã công khai của thủ tục ${code}.`,
        );
      return detailOf(p, v as repo.VersionRow & { published_at: Date });
    },

    /** Any version (a draft, one under test) as the public page would show it, for the officers in scope. */
    async previewVersion(accountId: string, code: string, version: number) {
      const { procedure } = await procedureInScope(accountId, code);
      const v = await repo.findVersion(db, code, version);
      if (!v) throw new NotFoundError(`Không có phiên bản ${version} của thủ tục ${code}.`);
      return detailOf(procedure, { ...v, published_at: v.published_at ?? v.updated_at });
    },

    async sectors() {
      const [rows, counts] = await Promise.all([repo.findSectors(db), repo.countPublishedBySector(db)]);
      return rows.map((s) => ({
        code: s.code,
        name: s.name,
        nameEn: s.name_en,
        agencyCode: s.agency_code,
        procedures: counts.get(s.code) ?? 0,
      }));
    },

    async sector(code: string) {
      const s = await repo.findSector(db, code);
      if (!s) throw new NotFoundError(`Không có lĩnh vực mã ${code}.`);
      return { code: s.code, name: s.name, nameEn: s.name_en, agencyCode: s.agency_code };
    },

    async agencyName(code: string) {
      return (await agencyDirectory()).get(code)?.name;
    },

    async bundles() {
      const rows = await repo.findBundles(db);
      return rows.map((b) => ({
        code: b.code,
        name: b.name,
        nameEn: b.name_en,
        description: b.description,
        members: b.member_codes,
      }));
    },

    async bundle(code: string) {
      const b = await repo.findBundle(db, code);
      if (!b) throw new NotFoundError(`Không có nhóm thủ tục liên thông mã ${code}.`);
      const members = await Promise.all(
        b.member_codes.map(async (m) => {
          const v = await repo.findPublicVersion(db, m);
          return { code: m, name: v?.name ?? null, published: v !== undefined, content: v?.content ?? null };
        }),
      );
      return {
        code: b.code,
        name: b.name,
        nameEn: b.name_en,
        description: b.description,
        descriptionEn: b.description_en,
        legalBasis: b.legal_basis,
        members,
      };
    },

    /** Bundles whose name matches the words (shown beside the search results). */
    async matchingBundles(q: string) {
      const words = foldText(q).split(' ').filter(Boolean);
      if (words.length === 0) return [];
      return (await repo.findBundles(db))
        .filter((b) => words.every((w) => b.name_folded.split(' ').some((x) => x.startsWith(w))))
        .map((b) => ({ code: b.code, name: b.name, nameEn: b.name_en }));
    },

    /** Published versions, page by page (export). */
    async *published(pageSize = 1000, filter: repo.ExportFilter = {}) {
      let after = '';
      for (;;) {
        const rows = await repo.findPublishedPage(db, after, pageSize, filter);
        if (rows.length === 0) return;
        yield* rows;
        after = rows.at(-1)!.code;
      }
    },

    countPublished: (filter: repo.ExportFilter = {}) => repo.countPublished(db, filter),
    sectorNames,
    agencyDirectory,
    provinceNames,
  };
}
