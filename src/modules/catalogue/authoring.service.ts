/**
 * The officers' side of the catalogue: agency administrators write versions of their agency's
 * procedures, the Government Office publishes and approves withdrawal (the lifecycle in
 * domain/lifecycle.ts). The route says who may call; this checks the role at the procedure's own agency.
 * Also what keeps the search index in step: popularity and re-indexing.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { nfc } from '../../platform/i18n/index.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueTables, Origin } from './catalogue.tables.ts';
import {
  allowedActions,
  type CatalogueRole,
  isPublic,
  type LifecycleAction,
  transition,
  type VersionState,
} from './domain/lifecycle.ts';
import { actorOf, contentHash, type ProcedureChecks } from './procedure-checks.ts';
import type { ReferenceLists } from './reference-lists.ts';
import * as search from './search.repository.ts';

export interface CatalogueAuthoringDeps {
  db: Kysely<CatalogueTables>;
  clock: Clock;
  lists: Pick<ReferenceLists, 'agencyDirectory' | 'provinceNames'>;
  checks: ProcedureChecks;
  /** From the identity module: does the account hold the role at the agency (or above it)? */
  can(accountId: string, role: CatalogueRole, agencyCode: string): Promise<boolean>;
  /** From the identity module: agencies where the account was granted the role. */
  agenciesWhere(accountId: string, role: CatalogueRole): Promise<string[]>;
  /** From the agencies module: an agency and every agency below it. */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
}

export function createCatalogueAuthoring(deps: CatalogueAuthoringDeps) {
  const { db, clock } = deps;
  const { agencyDirectory, provinceNames } = deps.lists;
  const { validate, procedureInScope, indexVersion } = deps.checks;

  return {
    /** Procedures of the agencies where the officer is agency-admin (and below them). */
    async ownedProcedures(accountId: string) {
      const roots = await deps.agenciesWhere(accountId, 'agency-admin');
      const codes = new Set<string>();
      for (const r of roots) for (const a of await deps.subtreeOf(r)) codes.add(a.code);
      return { agencies: [...codes], procedures: await repo.findOwnedBy(db, [...codes]) };
    },

    /** Agencies where the officer may create procedures. */
    async agenciesForAdmin(accountId: string) {
      const roots = await deps.agenciesWhere(accountId, 'agency-admin');
      const out = new Map<string, string>();
      for (const r of roots) for (const a of await deps.subtreeOf(r)) out.set(a.code, a.name);
      return [...out].map(([code, name]) => ({ code, name }));
    },

    /** Everything the officers' page of a procedure shows: versions, history, what this officer may do. */
    async officerView(accountId: string, code: string) {
      const { procedure, roles } = await procedureInScope(accountId, code);
      const [versions, events] = await Promise.all([repo.findVersions(db, code), repo.findEvents(db, code)]);
      const working = versions.find((v) => v.state === 'draft' || v.state === 'testing');
      const workingRow = working ? await repo.findVersion(db, code, working.version) : undefined;
      const latest = versions[0];
      return {
        procedure,
        roles: [...roles],
        versions: versions.map((v) => ({ ...v, allowed: allowedActions(v.state as VersionState, roles) })),
        events,
        working: workingRow,
        latest,
        canStartVersion: roles.has('agency-admin') && !working,
        ownerName:
          (await agencyDirectory()).get(procedure.owner_agency_code)?.name ?? procedure.owner_agency_code,
      };
    },

    /** A new procedure as a draft (version 1), at an agency where the officer is agency-admin. */
    async createProcedure(
      accountId: string,
      input: { code: string; ownerAgencyCode: string; content: unknown; origin?: Origin },
    ) {
      const code = input.code.trim().toUpperCase();
      if (!/^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,13}){0,6}$/.test(code) || code.length > 40)
        throw new ValidationError(`Mã thủ tục "${input.code}" không hợp lệ (ví dụ 2.000815).`, [
          { path: 'code', message: 'Mã thủ tục có dạng 2.000815' },
        ]);
      if (!(await deps.can(accountId, 'agency-admin', input.ownerAgencyCode)))
        throw new NotFoundError(
          `Không có cơ quan mã ${input.ownerAgencyCode} trong phạm vi quản trị của bạn.`,
        );
      const owner = (await agencyDirectory()).get(input.ownerAgencyCode);
      if (!owner) throw new NotFoundError(`Không có cơ quan mã ${input.ownerAgencyCode}.`);
      const content = await validate(input.content);
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const inserted = await repo.insertProcedure(trx, {
          code,
          owner_agency_code: owner.code,
          province_code: owner.level === 'central' ? null : (owner.adminUnitCode?.slice(0, 2) ?? null),
          popularity: 0,
          origin: input.origin ?? 'officer',
          created_by: accountId,
        });
        if (!inserted) throw new ConflictError(`Mã thủ tục ${code} đã có trong danh mục.`, { code });
        await repo.insertVersion(trx, {
          code,
          version: 1,
          state: 'draft',
          content,
          content_hash: contentHash(content),
          origin: input.origin ?? 'officer',
          created_by: accountId,
          at,
        });
        await repo.insertEvent(trx, {
          code,
          version: 1,
          action: input.origin === 'import' ? 'import' : 'create',
          from_state: null,
          to_state: 'draft',
          actor: actorOf(accountId),
          note: null,
          at,
        });
        await appendAudit(
          trx,
          { actor: actorOf(accountId), action: 'catalogue.create', subject: `procedure:${code}@1` },
          at,
        );
        return { code, version: 1 };
      });
    },

    /** A new draft version copied from the latest version (one working copy at a time). */
    async startVersion(accountId: string, code: string) {
      const { roles } = await procedureInScope(accountId, code);
      if (!roles.has('agency-admin'))
        throw new ForbiddenError('Chỉ quản trị của cơ quan công bố thủ tục mới tạo được phiên bản mới.');
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const max = await repo.maxVersion(trx, code);
        const latest = await repo.lockVersion(trx, code, max);
        if (!latest) throw new NotFoundError(`Không có thủ tục mã ${code}.`);
        const versions = await repo.findVersions(trx, code);
        const working = versions.find((v) => v.state === 'draft' || v.state === 'testing');
        if (working)
          throw new ConflictError(
            `Thủ tục ${code} đang có phiên bản ${working.version} ở trạng thái ${working.state}.`,
            {
              state: working.state,
              version: working.version,
              allowedActions: [],
            },
          );
        const version = max + 1;
        await repo.insertVersion(trx, {
          code,
          version,
          state: 'draft',
          content: latest.content,
          content_hash: latest.content_hash,
          origin: 'officer',
          created_by: accountId,
          at,
        });
        await repo.insertEvent(trx, {
          code,
          version,
          action: 'create',
          from_state: null,
          to_state: 'draft',
          actor: actorOf(accountId),
          note: `Sao chép từ phiên bản ${max}`,
          at,
        });
        await appendAudit(
          trx,
          { actor: actorOf(accountId), action: 'catalogue.create', subject: `procedure:${code}@${version}` },
          at,
        );
        return { code, version };
      });
    },

    /** Saves the content of a draft (validated first; nothing is written when it is not valid). */
    async saveDraft(accountId: string, code: string, version: number, content: unknown) {
      const { roles } = await procedureInScope(accountId, code);
      const valid = await validate(content);
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        const v = await repo.lockVersion(trx, code, version);
        if (!v) throw new NotFoundError(`Không có phiên bản ${version} của thủ tục ${code}.`);
        const decision = transition(v.state, 'edit', roles);
        if (!decision.ok) {
          if (decision.reason === 'role')
            throw new ForbiddenError('Chỉ quản trị của cơ quan công bố thủ tục mới sửa được dự thảo.');
          throw new ConflictError(`Phiên bản ${version} đang ở trạng thái "${v.state}", không sửa được.`, {
            state: v.state,
            allowedActions: decision.allowed,
          });
        }
        await repo.updateContent(trx, code, version, valid, contentHash(valid), at);
        await repo.insertEvent(trx, {
          code,
          version,
          action: 'edit',
          from_state: 'draft',
          to_state: 'draft',
          actor: actorOf(accountId),
          note: null,
          at,
        });
        await appendAudit(
          trx,
          { actor: actorOf(accountId), action: 'catalogue.edit', subject: `procedure:${code}@${version}` },
          at,
        );
      });
      return { code, version };
    },

    /** One lifecycle action on a version. */
    async act(
      accountId: string,
      code: string,
      version: number,
      action: Exclude<LifecycleAction, 'edit'>,
      note?: string,
    ) {
      const { procedure, roles } = await procedureInScope(accountId, code);
      // Read what the transaction will need from other modules first: on the embedded database there is
      // one connection, and the transaction holds it.
      await Promise.all([agencyDirectory(), provinceNames()]);
      const at = clock.now();
      const trimmed = note?.trim() ? nfc(note.trim()).slice(0, 2000) : null;
      return db.transaction().execute(async (trx) => {
        const v = await repo.lockVersion(trx, code, version);
        if (!v) throw new NotFoundError(`Không có phiên bản ${version} của thủ tục ${code}.`);
        const decision = transition(v.state, action, roles);
        if (!decision.ok) {
          if (decision.reason === 'role')
            throw new ForbiddenError(
              `Vai trò của bạn không được thực hiện thao tác "${action}" với thủ tục này.`,
              {
                allowedActions: decision.allowed,
              },
            );
          throw new ConflictError(
            `Không thể thực hiện "${action}" khi phiên bản ${version} đang ở trạng thái "${v.state}".`,
            { state: v.state, allowedActions: decision.allowed },
          );
        }
        if (action === 'submit') {
          // Content is checked again: the sector or agency lists may have changed since it was saved.
          await validate(v.content, [], trx);
        }
        if (action === 'publish') {
          const current = await repo.findPublicVersion(trx, code);
          if (current && current.version !== version) {
            await repo.setState(trx, code, current.version, 'superseded', at);
            await repo.insertEvent(trx, {
              code,
              version: current.version,
              action: 'supersede',
              from_state: current.state,
              to_state: 'superseded',
              actor: actorOf(accountId),
              note: `Thay thế bởi phiên bản ${version}`,
              at,
            });
          }
        }
        await repo.setState(trx, code, version, decision.to, at);
        await repo.insertEvent(trx, {
          code,
          version,
          action,
          from_state: v.state,
          to_state: decision.to,
          actor: actorOf(accountId),
          note: trimmed,
          at,
        });
        if (action === 'publish') await indexVersion(trx, procedure, version, v.content);
        if (action === 'approve-withdrawal') await search.removeEntry(trx, code);
        await appendAudit(
          trx,
          {
            actor: actorOf(accountId),
            action: `catalogue.${action}`,
            subject: `procedure:${code}@${version}`,
            data: trimmed ? { note: trimmed } : {},
          },
          at,
        );
        return { code, version, state: decision.to, public: isPublic(decision.to) };
      });
    },

    /** The Government Office's queue: versions to publish and withdrawals to approve. */
    async queue(accountId: string) {
      const rows = await repo.findQueue(db);
      const out = [];
      for (const r of rows)
        if (await deps.can(accountId, 'vpcp-supervisor', r.owner_agency_code)) out.push(r);
      return out;
    },

    /**
     * How much a procedure is used (the dossiers module: dossiers in the last twelve months). Ranks
     * search results after the name match.
     */
    async setPopularity(code: string, popularity: number) {
      if (!Number.isSafeInteger(popularity) || popularity < 0)
        throw new ValidationError('Mức độ sử dụng phải là số nguyên không âm.', [
          { path: 'popularity', message: 'integer ≥ 0' },
        ]);
      await db.transaction().execute(async (trx) => {
        if ((await repo.setPopularity(trx, code, popularity)) === 0)
          throw new NotFoundError(`Không có thủ tục mã ${code}.`);
        await search.setPopularity(trx, code, popularity);
      });
    },

    /** Re-index one procedure's public version (after a popularity change or a sector rename). */
    async reindex(code: string) {
      const p = await repo.findProcedure(db, code);
      const v = await repo.findPublicVersion(db, code);
      if (!p) return;
      if (!v) await search.removeEntry(db, code);
      else await indexVersion(db, p, v.version, v.content);
    },
  };
}

export type CatalogueAuthoring = ReturnType<typeof createCatalogueAuthoring>;
