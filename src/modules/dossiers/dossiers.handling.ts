/**
 * Work on a dossier beside its workflow: assigning it to an officer, the officers' internal comments,
 * and the applicant's rating once the result is out.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { statusMeaning } from './domain/workflow.ts';
import type { People } from './dossiers.ports.ts';
import type { DossiersService } from './dossiers.service.ts';
import type { DossiersTables } from './dossiers.tables.ts';

export interface HandlingDeps {
  db: Kysely<DossiersTables>;
  clock: Clock;
  service: Pick<DossiersService, 'scopeOf'>;
  people: Pick<People, 'profileOf'>;
}

export function createHandling(deps: HandlingDeps) {
  const { db, clock, service, people } = deps;
  return {
    /** Assigns an open dossier to an officer holding a role on it (or to no one). */
    async assign(actorId: string, code: string, assigneeId: string | null) {
      const { row, roles } = await service.scopeOf(actorId, code);
      if (![...roles].some((r) => r !== 'applicant'))
        throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
      if (assigneeId) {
        const theirs = await service.scopeOf(assigneeId, code).catch(() => undefined);
        if (!theirs || ![...theirs.roles].some((r) => r !== 'applicant'))
          throw new ValidationError('Cán bộ được phân công không có vai trò xử lý hồ sơ này.', [
            { path: 'assignee', message: 'no role on this dossier' },
          ]);
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('dossiers.dossiers')
          .set({ assignee_account_id: assigneeId, assigned_at: assigneeId ? now : null, updated_at: now })
          .where('code', '=', row.code)
          .execute();
        await appendAudit(
          trx,
          {
            actor: `officer:${actorId}`,
            action: 'dossier.assign',
            subject: `dossier:${row.code}`,
            data: { assignee: assigneeId },
          },
          now,
        );
      });
    },

    async comments(accountId: string, code: string) {
      const { roles } = await service.scopeOf(accountId, code);
      if (![...roles].some((r) => r !== 'applicant')) return [];
      return db
        .selectFrom('dossiers.comments')
        .selectAll()
        .where('dossier_code', '=', code)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** An officer's internal comment (the applicant never sees it). */
    async comment(accountId: string, code: string, body: string) {
      const { roles } = await service.scopeOf(accountId, code);
      if (![...roles].some((r) => r !== 'applicant'))
        throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
      const text = body.normalize('NFC').trim();
      if (text.length < 1 || text.length > 4000)
        throw new ValidationError('Ý kiến từ 1 đến 4.000 ký tự.', [
          { path: 'body', message: '1–4000 characters' },
        ]);
      const p = await people.profileOf(accountId);
      await db
        .insertInto('dossiers.comments')
        .values({
          dossier_code: code,
          account_id: accountId,
          author_name: `${p?.name ?? 'Cán bộ'}${p?.title ? `, ${p.title}` : ''}`.slice(0, 300),
          body: text,
          created_at: clock.now(),
        })
        .execute();
    },

    async rating(code: string) {
      return db
        .selectFrom('dossiers.ratings')
        .selectAll()
        .where('dossier_code', '=', code)
        .executeTakeFirst();
    },

    /** The applicant rates the dossier once its result is out (resolved or returned); once. */
    async rate(accountId: string, code: string, input: { satisfied: boolean; comment?: string | undefined }) {
      const { row, roles } = await service.scopeOf(accountId, code);
      if (!roles.has('applicant')) throw new NotFoundError(`Không tìm thấy hồ sơ ${code}.`);
      if (!statusMeaning.hasResult(row))
        throw new ConflictError('Chỉ đánh giá được khi hồ sơ đã có kết quả.', {
          state: row.state,
          status: row.status,
        });
      const comment = input.comment?.normalize('NFC').trim();
      if (comment && comment.length > 2000)
        throw new ValidationError('Ý kiến tối đa 2.000 ký tự.', [
          { path: 'comment', message: 'at most 2000 characters' },
        ]);
      const r = await db
        .insertInto('dossiers.ratings')
        .values({
          dossier_code: code,
          account_id: accountId,
          satisfied: input.satisfied,
          comment: comment || null,
          rated_at: clock.now(),
        })
        .onConflict((oc) => oc.column('dossier_code').doNothing())
        .returning('dossier_code')
        .executeTakeFirst();
      if (!r) throw new ConflictError('Hồ sơ này đã được đánh giá.');
    },
  };
}
