/**
 * Procedures imported in the LayThuTuc shape (the national database's export): by an agency
 * administrator, through the officers' authoring (each procedure a draft), or by an agency's own system
 * with client credentials. A sector an import brings is added to the sectors first.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import type { CatalogueAuthoring } from './authoring.service.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueTables } from './catalogue.tables.ts';
import { fromLayThuTuc } from './domain/lay-thu-tuc.ts';
import type { CatalogueRole } from './domain/lifecycle.ts';
import { foldText } from './domain/search-text.ts';
import { contentHash, type ProcedureChecks } from './procedure-checks.ts';
import type { ReferenceLists } from './reference-lists.ts';

export interface CatalogueImportDeps {
  db: Kysely<CatalogueTables>;
  clock: Clock;
  lists: Pick<ReferenceLists, 'agencyDirectory'>;
  checks: Pick<ProcedureChecks, 'validate'>;
  authoring: Pick<CatalogueAuthoring, 'createProcedure' | 'startVersion' | 'saveDraft'>;
  /** From the identity module: does the account hold the role at the agency (or above it)? */
  can(accountId: string, role: CatalogueRole, agencyCode: string): Promise<boolean>;
  /** From the agencies module: an agency and every agency below it. */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
}

export function createCatalogueImport(deps: CatalogueImportDeps) {
  const { db, clock, authoring } = deps;
  const { agencyDirectory } = deps.lists;
  const { validate } = deps.checks;

  return {
    /**
     * Imports procedures in the LayThuTuc shape (one object or an array) as drafts of the officer's
     * agency: a new code becomes version 1, a known code gets a new draft version. Each procedure is
     * written in its own transaction; one that is not valid is reported and nothing of it is written.
     */
    async importLayThuTuc(accountId: string, ownerAgencyCode: string, input: unknown) {
      const list = Array.isArray(input) ? input : [input];
      if (list.length === 0 || list.length > 500)
        throw new ValidationError('Tệp nhập phải có từ 1 đến 500 thủ tục.', [
          { path: '/', message: '1–500 items' },
        ]);
      if (!(await deps.can(accountId, 'agency-admin', ownerAgencyCode)))
        throw new NotFoundError(`Không có cơ quan mã ${ownerAgencyCode} trong phạm vi quản trị của bạn.`);
      const owner = (await agencyDirectory()).get(ownerAgencyCode);
      if (!owner) throw new NotFoundError(`Không có cơ quan mã ${ownerAgencyCode}.`);
      const report: Array<{
        index: number;
        code: string;
        ok: boolean;
        version?: number;
        messages: string[];
      }> = [];
      for (let i = 0; i < list.length; i++) {
        let code = '';
        try {
          const imported = fromLayThuTuc(list[i], { level: owner.level });
          code = imported.code;
          // Checked first with the sectors it brings; nothing is written for a procedure that is not valid.
          await validate(
            imported.content,
            imported.sectors.map((x) => x.code),
          );
          for (const s of imported.sectors)
            await repo.insertSectorIfAbsent(db, { code: s.code, name: s.name, nameFolded: foldText(s.name) });
          const existing = await repo.findProcedure(db, code);
          let version: number;
          if (!existing) {
            version = (
              await authoring.createProcedure(accountId, {
                code,
                ownerAgencyCode,
                content: imported.content,
                origin: 'import',
              })
            ).version;
          } else {
            version = (await authoring.startVersion(accountId, code)).version;
            await authoring.saveDraft(accountId, code, version, imported.content);
          }
          report.push({ index: i, code, ok: true, version, messages: imported.notes });
        } catch (e) {
          const messages =
            e instanceof ValidationError
              ? [
                  e.message,
                  ...((e.extras.errors ?? []) as Array<{ path: string; message: string }>)
                    .slice(0, 5)
                    .map((x) => `${x.path}: ${x.message}`),
                ]
              : [e instanceof Error ? e.message : String(e)];
          report.push({ index: i, code, ok: false, messages });
        }
      }
      return report;
    },

    /**
     * The same import for an agency's own system (client credentials): procedures of an agency the
     * client is registered for (or one below it) become drafts — a new code as version 1, a known code as
     * a new draft version, or replacing the content of its current draft. Officers then submit them.
     */
    async importForSystem(
      client: { clientId: string; agencyCodes: readonly string[] },
      ownerAgencyCode: string,
      input: unknown,
    ) {
      const list = Array.isArray(input) ? input : [input];
      if (list.length === 0 || list.length > 500)
        throw new ValidationError('Cần từ 1 đến 500 thủ tục.', [
          { path: '/procedures', message: '1–500 items' },
        ]);
      const scope = new Set<string>();
      for (const root of client.agencyCodes) for (const a of await deps.subtreeOf(root)) scope.add(a.code);
      const owner = (await agencyDirectory()).get(ownerAgencyCode);
      if (!owner || !scope.has(owner.code))
        throw new NotFoundError(
          `Không có cơ quan mã ${ownerAgencyCode} trong phạm vi của hệ thống ${client.clientId}.`,
        );
      const actor = `client:${client.clientId}`;
      const report: Array<{
        index: number;
        code: string;
        ok: boolean;
        version?: number;
        messages: string[];
      }> = [];
      for (let i = 0; i < list.length; i++) {
        let code = '';
        try {
          const imported = fromLayThuTuc(list[i], { level: owner.level });
          code = imported.code;
          if (!/^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,13}){0,6}$/.test(code) || code.length > 40)
            throw new ValidationError(`Mã thủ tục "${code}" không hợp lệ (ví dụ 2.000815).`, [
              { path: 'MATTHC', message: 'Mã thủ tục có dạng 2.000815' },
            ]);
          const content = await validate(
            imported.content,
            imported.sectors.map((x) => x.code),
          );
          const at = clock.now();
          const version = await db.transaction().execute(async (trx) => {
            for (const sct of imported.sectors)
              await repo.insertSectorIfAbsent(trx, {
                code: sct.code,
                name: sct.name,
                nameFolded: foldText(sct.name),
              });
            const existing = await repo.findProcedure(trx, code);
            if (existing && !scope.has(existing.owner_agency_code))
              throw new NotFoundError(`Thủ tục ${code} thuộc cơ quan khác, hệ thống này không sửa được.`);
            const audit = async (v: number, action: string) =>
              appendAudit(
                trx,
                { actor, action: `catalogue.${action}`, subject: `procedure:${code}@${v}` },
                at,
              );
            if (!existing) {
              await repo.insertProcedure(trx, {
                code,
                owner_agency_code: owner.code,
                province_code: owner.level === 'central' ? null : (owner.adminUnitCode?.slice(0, 2) ?? null),
                popularity: 0,
                origin: 'import',
                created_by: null,
              });
              await repo.insertVersion(trx, {
                code,
                version: 1,
                state: 'draft',
                content,
                content_hash: contentHash(content),
                origin: 'import',
                created_by: null,
                at,
              });
              await repo.insertEvent(trx, {
                code,
                version: 1,
                action: 'import',
                from_state: null,
                to_state: 'draft',
                actor,
                note: null,
                at,
              });
              await audit(1, 'create');
              return 1;
            }
            const max = await repo.maxVersion(trx, code);
            const latest = await repo.lockVersion(trx, code, max);
            if (latest?.state === 'testing')
              throw new ConflictError(
                `Thủ tục ${code} đang kiểm thử (phiên bản ${max}); hãy trả về dự thảo trước khi nhập lại.`,
                {
                  state: 'testing',
                  allowedActions: ['return'],
                },
              );
            if (latest?.state === 'draft') {
              await repo.updateContent(trx, code, max, content, contentHash(content), at);
              await repo.insertEvent(trx, {
                code,
                version: max,
                action: 'import',
                from_state: 'draft',
                to_state: 'draft',
                actor,
                note: null,
                at,
              });
              await audit(max, 'edit');
              return max;
            }
            await repo.insertVersion(trx, {
              code,
              version: max + 1,
              state: 'draft',
              content,
              content_hash: contentHash(content),
              origin: 'import',
              created_by: null,
              at,
            });
            await repo.insertEvent(trx, {
              code,
              version: max + 1,
              action: 'import',
              from_state: null,
              to_state: 'draft',
              actor,
              note: null,
              at,
            });
            await audit(max + 1, 'create');
            return max + 1;
          });
          report.push({ index: i, code, ok: true, version, messages: imported.notes });
        } catch (e) {
          const messages =
            e instanceof ValidationError
              ? [
                  e.message,
                  ...((e.extras.errors ?? []) as Array<{ path: string; message: string }>)
                    .slice(0, 5)
                    .map((x) => `${x.path}: ${x.message}`),
                ]
              : [e instanceof Error ? e.message : String(e)];
          report.push({ index: i, code, ok: false, messages });
        }
      }
      return report;
    },
  };
}
